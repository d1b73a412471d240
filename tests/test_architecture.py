"""models/ and workbench/ never import PySide6 or ui/ (checked in a clean subprocess)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import models
import workbench


def _all_modules(pkg) -> list[str]:
    names = [pkg.__name__]
    for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + "."):
        names.append(info.name)
    return names


def _loaded_by(mods: list[str]) -> list[str]:
    """Every module loaded in a clean interpreter after importing ``mods``."""
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, f"importing the modules failed:\n{proc.stderr}"
    return proc.stdout.split()


def test_domain_never_imports_qt_or_ui() -> None:
    mods = _all_modules(models) + _all_modules(workbench)
    assert "workbench.cli" in mods and "models.contract" in mods
    bad = [m for m in _loaded_by(mods) if m.split(".")[0] in ("PySide6", "shiboken6", "ui")]
    assert not bad, "Qt or ui imported by the domain:\n" + "\n".join(bad)


def test_models_never_reach_up_into_workbench() -> None:
    """models/ is the bottom layer: importing all of it loads nothing of workbench/."""
    loaded = _loaded_by(_all_modules(models))
    assert "models.store" in loaded
    bad = [m for m in loaded if m.split(".")[0] == "workbench"]
    assert not bad, "workbench imported by models:\n" + "\n".join(bad)
