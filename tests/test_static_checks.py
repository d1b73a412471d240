"""ruff and mypy are clean over the whole tree (models, workbench, ui, tests,
benchmarks), checked where CI runs: a change that breaks either fails the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "argv",
    [pytest.param(["ruff", "check", "."], id="ruff"), pytest.param(["mypy"], id="mypy")],
)
def test_clean(argv: list[str]) -> None:
    tool = BIN / argv[0]
    assert tool.is_file(), f"{argv[0]} is a dev dependency (pyproject [dev])"
    done = subprocess.run([str(tool), *argv[1:]], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
