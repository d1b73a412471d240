"""Run by tests/test_ui_scaling.py in a process of its own (the scale factor is read
when the QApplication starts): ``QT_SCALE_FACTOR=1.5 python -m tests.ui_scaling_probe
WIDTH HEIGHT`` opens the main window on the demo contracts with a generated ticket
history and the demo's backup, restore-test, outage and KPI records, shows every view
and every tab of it at WIDTH x HEIGHT (device-independent pixels) and prints one JSON
object: what was checked and every problem found — a chart not drawn,
without axes, blank, or with an axes outside the picture or without ink; a table
header whose text does not fit its column (Qt elides it); a timeline painted blank."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from models.contract import load_contract

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
CONTRACTS = ("northwind-2025", "northwind-2026-q4-proposal", "competitor-bluepeak")
RECORDS = ("backups.csv", "restore_tests.csv", "outages.csv", "kpis.csv")


def _wait(app: Any, cond: Any, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return bool(cond())


def _pixels(widget: Any) -> Any:
    """The widget as painted, an (h, w, 3) array of physical pixels."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    w, h = image.width(), image.height()
    arr = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    # a copy: the array must not outlive the image's buffer
    return arr.reshape(h, image.bytesPerLine())[:, : w * 4].reshape(h, w, 4)[..., :3].copy()


def _ink(rgb: Any) -> int:
    return int((rgb < 200).any(axis=2).sum())


def _painted(widget: Any) -> float:
    """The share of the widget's pixels painted in another colour than its background."""
    import numpy as np

    rgb = _pixels(widget).astype(int)
    bg = widget.palette().color(widget.backgroundRole())
    diff = np.abs(rgb - np.array([bg.red(), bg.green(), bg.blue()])).sum(axis=2)
    return float((diff > 30).mean())


def canvas_problems(where: str, canvas: Any) -> list[str]:
    """A drawn chart with every visible axes inside its picture and inked."""
    fig = canvas.figure
    if not fig.axes:
        return [f"{where}: a chart without axes"]
    rgb = _pixels(canvas)
    h, w = rgb.shape[:2]
    problems = []
    fw, fh = canvas.get_width_height(physical=True)  # the figure's picture, physical pixels
    if abs(fw - w) > 2 or abs(fh - h) > 2:
        problems.append(f"{where}: the figure is drawn at {fw}x{fh} in a canvas of {w}x{h} pixels")
    if _ink(rgb) < 0.01 * w * h:
        problems.append(f"{where}: the chart is blank ({_ink(rgb)} px of ink in {w}x{h})")
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        box = ax.get_window_extent()  # figure pixels, origin bottom left: the picture's pixels
        x0, x1 = int(box.x0), int(box.x1)
        y0, y1 = h - int(box.y1), h - int(box.y0)
        name = ax.get_title() or ax.get_ylabel() or "an axes"
        if x0 < -2 or y0 < -2 or x1 > w + 2 or y1 > h + 2 or x1 - x0 < 10 or y1 - y0 < 10:
            problems.append(f"{where}: axes {name!r} at {x0},{y0}-{x1},{y1} is outside the {w}x{h} picture")
            continue
        region = rgb[max(y0, 0) : min(y1 + 1, h), max(x0, 0) : min(x1 + 1, w)]
        if _ink(region) < 2 * min(x1 - x0, y1 - y0):  # at least the spines of two sides
            problems.append(f"{where}: axes {name!r} holds no ink ({_ink(region)} px)")
    return problems


def header_problems(where: str, view: Any) -> tuple[int, list[str]]:
    """Sections of a visible horizontal header whose text is wider than the section."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyle, QTableView, QTreeView

    if isinstance(view, QTableView):
        header = view.horizontalHeader()
    elif isinstance(view, QTreeView):
        header = view.header()
    else:  # a list: no header
        return 0, []
    model = view.model()
    if header is None or model is None or header.isHidden() or not header.isVisible():
        return 0, []
    fm = header.fontMetrics()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    checked, problems = 0, []
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionSize(section) <= 0:
            continue
        text = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        checked += 1
        wrapped = getattr(header, "wrapped_height", None)  # a header whose titles wrap at their words
        pieces = str(text).split() if wrapped is not None else str(text).split("\n")
        needed = max(fm.horizontalAdvance(piece) for piece in pieces) + 2 * margin
        if wrapped is not None and header.height() < wrapped(section):
            problems.append(f"{where}: header {str(text)!r} wraps taller than the header")
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            needed += header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        if needed > header.sectionSize(section) + 1:
            shown = str(text).replace("\n", " ")
            problems.append(f"{where}: header {shown!r} needs {needed} px, has {header.sectionSize(section)}")
    return checked, problems


def _ready(app: Any, window: Any, key: str) -> None:
    view: Any = window.views[key]
    if key == "overview":
        _wait(app, lambda: view.report is not None, 120)
    elif key == "whatif":
        _wait(app, lambda: window.simulation.whatif is not None and window.simulation.idle(), 120)
    elif key == "compare":
        _wait(app, lambda: view.comparison is not None and view.idle(), 120)
    elif key == "warnings":
        _wait(app, lambda: view.model.rowCount() > 0, 120)
    elif key == "tickets" and view.model.rowCount():
        view.table.selectRow(0)


def _settle(app: Any, window: Any) -> None:
    def canvases() -> list[Any]:
        return [c for c in window.findChildren(object) if hasattr(c, "hidden_while_rendering")
                and c.isVisible() and c.width() > 50 and c.height() > 50]

    _wait(app, lambda: False, 0.3)
    _wait(app, lambda: all(not c.rendering and c.renders > 0 and c.figure.axes for c in canvases()), 60)
    _wait(app, lambda: False, 0.2)
    _wait(app, lambda: all(not c.rendering for c in canvases()), 60)


def check_window(app: Any, window: Any, size: str) -> dict[str, Any]:
    from PySide6.QtWidgets import QAbstractItemView, QTabWidget

    from ui.timeline import TimelineBar

    shots = os.environ.get("SLA_PROBE_SHOTS")
    result: dict[str, Any] = {"views": [], "canvases": 0, "headers": 0, "timelines": 0, "problems": []}
    for key, _title in window.VIEWS:
        window.show_view(key)
        _ready(app, window, key)
        view: Any = window.views[key]
        tabs = [t for t in view.findChildren(QTabWidget) if t.isVisible()]
        states = [(None, -1)] + [(t, i) for t in tabs for i in range(t.count()) if t.isTabEnabled(i)]
        for tab, index in states:
            if tab is not None:
                tab.setCurrentIndex(index)
            _settle(app, window)
            where = f"{key}{f' / {tab.tabText(index)}' if tab is not None else ''} at {size}"
            if shots:  # to look at: SLA_PROBE_SHOTS=DIR
                window.grab().save(str(Path(shots) / f"{key}-{index}.png"))
            for c in [c for c in view.findChildren(object) if hasattr(c, "hidden_while_rendering")]:
                if c.isVisible() and c.width() > 50 and c.height() > 50:
                    result["canvases"] += 1
                    if c.renders == 0 or c.rendering:
                        result["problems"].append(f"{where}: a chart was never drawn")
                    else:
                        result["problems"].extend(canvas_problems(where, c))
            for table in view.findChildren(QAbstractItemView):
                if table.isVisible() and table.width() > 30:
                    checked, problems = header_problems(where, table)
                    result["headers"] += checked
                    result["problems"].extend(problems)
            for timeline in view.findChildren(TimelineBar):
                if timeline.isVisible() and timeline.height() > 20:
                    result["timelines"] += 1
                    if _painted(timeline) < 0.05:
                        result["problems"].append(f"{where}: the clock timeline is blank")
        result["views"].append(key)
    result["problems"] = sorted(set(result["problems"]))
    return result


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    width, height = int(argv[0]), int(argv[1])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication(sys.argv[:1])
    from tests.test_ui_support import make_history
    from ui.main_window import MainWindow
    from ui.state import Version
    from workbench.importing.records import merge_records, read_records

    window = MainWindow()
    window.quiet = True
    versions = [Version(i, load_contract(DEMO / f"{n}.yaml")) for i, n in enumerate(CONTRACTS, start=1)]
    history = make_history(3000)
    for name in RECORDS:  # the demo's backups, restore tests and outages: the recovery charts
        history = merge_records(history, read_records(DEMO / name))
    window.state.load(None, versions, history)
    window.resize(width, height)
    window.show()
    _wait(app, lambda: window._preloaded, 120)
    result = check_window(app, window, f"{width}x{height} at {app.devicePixelRatio():g}x")
    result["ratio"] = app.devicePixelRatio()
    result["window"] = [window.width(), window.height()]
    window.db.shutdown()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
