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


def test_domain_never_imports_qt_or_ui() -> None:
    mods = _all_modules(models) + _all_modules(workbench)
    assert "workbench.cli" in mods and "models.contract" in mods
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print('\\n'.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, f"Qt or ui imported by the domain:\n{proc.stdout}{proc.stderr}"


def test_models_never_reach_up_into_workbench() -> None:
    """models/ is the bottom layer; the only tolerated reach is the workbench.progress
    re-export (models/store.py's import line, until it names models.progress)."""
    mods = _all_modules(models)
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'workbench'\n"
        "             and m not in ('workbench', 'workbench.progress'))\n"
        "print('\\n'.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, f"workbench imported by models:\n{proc.stdout}{proc.stderr}"
