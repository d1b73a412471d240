"""125 % and 150 % scaling: the main window at 1366x768 with QT_SCALE_FACTOR 1.25 and
1.5, every view and every tab of it — each chart drawn at the canvas's own physical
size with its axes inside the picture and inked, the clock timeline painted, no table
header elided.  The scale factor is read when the QApplication starts, so each runs in
a process of its own (tests/ui_scaling_probe.py, offscreen).

A figure swapped into a canvas kept the dpi it was made with, so at 150 % the What-if
sensitivity and the Compare charts filled two thirds of their canvas, cut off at the
right (ui.widgets' canvas now sizes every figure to its physical pixels); Compare's
compliance table shared its width out evenly and elided the versions' names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VIEWS = ["overview", "whatif", "tickets", "editor", "warnings", "compare", "start"]

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("scale", ["1.25", "1.5"])
def test_every_view_holds_at_1366x768_scaled(scale: str, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale, HOME=str(tmp_path))
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    env.pop("QT_AUTO_SCREEN_SCALE_FACTOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.ui_scaling_probe", "1366", "768"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["ratio"] == pytest.approx(float(scale))  # the scale factor took effect
    assert result["window"] == [1366, 768]
    assert result["views"] == VIEWS
    # what was looked at: the Overview's, What-if's two and Compare's charts; the
    # timelines of the selected ticket; the headers of every visible table
    assert result["canvases"] >= 5 and result["timelines"] >= 1 and result["headers"] >= 40, result
    assert result["problems"] == []
