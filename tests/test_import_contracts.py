"""The floors are checked statically: import-linter's contracts in pyproject.toml (ui above
workbench above models; no Qt below ui) hold for every import written in the tree,
including imports inside functions, which the start-up check in test_architecture.py
cannot see.  The contracts are also shown to break on a copy of the tree with one bad
import added."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ui", "workbench", "models")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the tree at ``tree`` (its pyproject.toml, its packages first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(tree / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=tree,
        env=env,
        timeout=120,
    )


def test_the_tree_keeps_its_contracts() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 kept, 0 broken" in proc.stdout, proc.stdout


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packages and pyproject.toml copied (sources only), to break one import in."""
    dest = tmp_path_factory.mktemp("tree")
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    for name in PACKAGES:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


# (module file to append to, the line appended, the contract that must break, the report line)
BAD_IMPORTS = [
    ("workbench/errors.py", "import ui.app", "Floors", "workbench.errors -> ui.app"),
    ("models/contract.py", "from workbench import cli", "Floors", "models.contract -> workbench.cli"),
    (
        "workbench/engine/clock.py",
        "def _later():\n    from ui.views import editor\n    return editor",
        "Floors",
        "workbench.engine.clock -> ui.views.editor",
    ),
    ("workbench/reports/charts.py", "from PySide6 import QtCore", "No Qt below ui", "-> PySide6"),
    ("models/store/__init__.py", "import shiboken6", "No Qt below ui", "-> shiboken6"),
    (
        "workbench/reports/whatif_charts.py",
        "from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg",
        "No Qt backend of matplotlib below ui",
        "workbench.reports.whatif_charts -> matplotlib.backends.backend_qtagg",
    ),
]


@pytest.mark.parametrize(("module", "line", "contract", "report"), BAD_IMPORTS)
def test_a_bad_import_breaks_a_contract(
    tree_copy: Path, module: str, line: str, contract: str, report: str
) -> None:
    target = tree_copy / module
    if not target.exists():  # models/store may be a module or a package
        target = tree_copy / module.replace("/__init__.py", ".py")
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original + "\n\n" + line + "\n", encoding="utf-8")
        proc = _lint_imports(tree_copy)
    finally:
        target.write_text(original, encoding="utf-8")
    assert proc.returncode != 0, f"{line!r} in {module} broke no contract:\n{proc.stdout}"
    assert "0 broken" not in proc.stdout, proc.stdout
    broken = [ln for ln in proc.stdout.splitlines() if ln.endswith(" BROKEN")]
    assert any(ln.startswith(contract) for ln in broken), proc.stdout
    assert report in proc.stdout, proc.stdout
