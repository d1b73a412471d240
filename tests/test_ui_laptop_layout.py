"""Layout at laptop sizes (1280x720, 1366x768) and on a large screen (1920x1080):
the What-if result tabs and the flips' "By how much" read whole, the Overview's warning
signs read to their end at every width, the Recovery chart without records says so and
offers the import, and the Tickets view's table/detail split keeps its proportion
across resizes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QSplitter

from tests.test_ui_start import _modal_opened_by
from tests.test_ui_support import make_contract, make_history, view_of
from tests.ui_scaling_probe import header_problems
from ui.main_window import MainWindow
from ui.views.overview import OverviewView
from ui.views.tickets import TicketsView
from ui.views.whatif import WhatIfView

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("isolated_settings")]

LAPTOPS = [(1366, 768), (1280, 720)]


def _whatif_with_flips(qtbot, window: MainWindow, size: tuple[int, int]) -> WhatIfView:
    window.show()
    window.resize(*size)
    view = view_of(window, "whatif", WhatIfView)
    sim = window.simulation
    qtbot.waitUntil(lambda: sim.whatif is not None and sim.idle(), timeout=15_000)
    view.controls[("P1", "resolution")].spin.setValue(1.0)  # tighter than the signed 4 h: tickets flip

    def flipped() -> bool:
        w = sim.whatif
        return (sim.idle() and w is not None and w.comparison is not None
                and w.scenario_contract.target("P1", "resolution") == "1h"
                and view.flips_model.rowCount() > 0)

    qtbot.waitUntil(flipped, timeout=15_000)
    view.tabs.setCurrentWidget(view.flips)
    qtbot.wait(100)
    return view


def _tabs_whole(tabs) -> list[str]:
    """The visible tabs of ``tabs`` whose title is cut or lies past the bar's end."""
    bar = tabs.tabBar()
    fm = bar.fontMetrics()
    cut = []
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        text = bar.tabText(i).replace("&&", "&")
        rect = bar.tabRect(i)
        if rect.right() > bar.width() or rect.width() < fm.horizontalAdvance(text):
            cut.append(text)
    return cut


@pytest.mark.window([make_contract("2025 signed")], tickets=600, view="whatif")
@pytest.mark.parametrize("size", LAPTOPS)
def test_whatif_result_tabs_and_flips_read_whole_at_laptop_sizes(qtbot, window, size) -> None:
    view = _whatif_with_flips(qtbot, window, size)
    assert window.size().toTuple() == size
    assert _tabs_whole(view.tabs) == []  # no scroll arrows hiding "Tickets that flip (N)"
    table, header, model = view.flips, view.flips.horizontalHeader(), view.flips_model
    assert header.length() <= table.viewport().width()  # every column on screen, no sideways scrolling
    fm = table.fontMetrics()
    for col in range(model.columnCount()):  # each cell's words fit its column ("missed by 2 h 14 min")
        cells = (model.data(model.index(r, col)) or "" for r in range(model.rowCount()))
        widest = max(fm.horizontalAdvance(text) for text in cells)
        assert header.sectionSize(col) >= widest + 4, model.HEADERS[col]
    checked, problems = header_problems("flips", table)
    assert checked == model.columnCount() and problems == []
    # the ticket targets beside it keep their own room: the compliance headers whole
    view.tabs.setCurrentIndex(0)
    qtbot.wait(50)
    checked, problems = header_problems("compliance", view.compliance)
    assert checked == view.compliance_model.columnCount() and problems == []
    assert not view.targets_scroll.horizontalScrollBar().isVisible()


@pytest.mark.window([make_contract("2025 signed")], tickets=600, view="whatif")
def test_whatif_at_1920x1080_gives_the_results_the_room_left(qtbot, window) -> None:
    view = _whatif_with_flips(qtbot, window, (1920, 1080))
    left, right = view.split.sizes()
    assert right > 800 and left > 600  # neither side pinned to a laptop's minimum
    assert _tabs_whole(view.tabs) == []
    header = view.flips.horizontalHeader()
    assert header.length() == view.flips.viewport().width()  # "By how much" takes the rest


@pytest.mark.window([make_contract("2025 signed")], tickets=600, view="overview")
def test_every_warning_sign_reads_to_its_end_at_every_width(qtbot, window) -> None:
    window.show()
    window.resize(1920, 1080)
    view = view_of(window, "overview", OverviewView)
    qtbot.waitUntil(lambda: view.report is not None and view.warnings.count() > 0, timeout=30_000)
    lst = view.warnings
    assert any(len(f.evidence) > 110 for f in view.shown_findings)  # the ones that were cut short
    for size in [(1920, 1080), (1280, 720), (1366, 768)]:
        window.resize(*size)
        qtbot.wait(100)
        width = lst.viewport().width()
        for row, f in enumerate(view.shown_findings):
            item = lst.item(row)
            assert item.text().endswith(f.evidence.split()[-1]) and "…" not in item.text()[-3:]
            rect = lst.visualItemRect(item)
            needed = lst.fontMetrics().boundingRect(
                QRect(0, 0, width - 8, 10_000), Qt.TextFlag.TextWordWrap, item.text()
            )
            assert rect.height() >= needed.height(), f"{size}: {item.text()!r} is cut"
            assert rect.right() <= width


@pytest.mark.window([make_contract("2025 signed")], tickets=300, view="whatif")
def test_the_recovery_chart_without_records_says_so_and_offers_the_import(qtbot, window) -> None:
    from workbench.demo.generator import load_demo_history

    window.show()
    window.resize(1366, 768)
    view = view_of(window, "whatif", WhatIfView)
    panel = view.recovery
    panel.side_tabs.setCurrentWidget(panel)
    qtbot.wait(50)
    assert view.tabs.currentWidget() is panel.chart_page
    assert panel.chart_page.currentWidget() is panel.chart_empty and panel.chart_empty.isVisible()
    assert not panel.chart.isVisible()  # no blank chart
    assert "no recovery history" in panel.chart_empty.title.text().lower()
    assert "backup" in panel.chart_empty.text.text()
    buttons = [b for b in panel.chart_empty.action_buttons() if b.isVisible()]
    assert [b.property("step") for b in buttons] == ["records"]
    assert buttons[0].isEnabled()
    assert "import backups" in _modal_opened_by(qtbot, buttons[0]).lower()  # the records' import
    # records arrive: the chart takes the empty state's place
    demo = load_demo_history()
    history = replace(make_history(300), backups=demo.backups, restore_tests=demo.restore_tests,
                      outages=demo.outages)
    window.state.set_records(history)
    qtbot.waitUntil(lambda: panel.chart_page.currentWidget() is panel.chart, timeout=5000)
    qtbot.waitUntil(lambda: panel.idle() and panel.chart.renders > 0 and bool(panel.chart.figure.axes),
                    timeout=30_000)
    assert panel.chart.isVisible() and not panel.chart_empty.isVisible()


def _detail_split(view: TicketsView) -> QSplitter:
    return next(s for s in view.findChildren(QSplitter) if s.orientation() == Qt.Orientation.Vertical)


def _share(split: QSplitter) -> float:
    table, detail = split.sizes()
    return detail / (table + detail)


@pytest.mark.window([make_contract("2025 signed")], tickets=300, view="tickets")
def test_the_tickets_detail_keeps_its_share_across_resizes(qtbot, window) -> None:
    """Both sides of the table/detail splitter carry a stretch factor, so QSplitter shares
    a resize out in proportion to their sizes (the detail at its minimum height on a
    small window): 1366x768 -> 1920x1080 takes the detail from 186 to 257 px. This
    guards that, and that a share the user dragged to is kept the same way."""
    from PySide6.QtTest import QTest

    window.show()
    window.resize(1366, 768)
    view = view_of(window, "tickets", TicketsView)
    view.table.selectRow(0)
    split = _detail_split(view)
    qtbot.wait(100)
    small = split.sizes()
    window.resize(1920, 1080)
    qtbot.wait(100)
    big = split.sizes()
    assert big[1] > small[1] * 1.25  # the detail grows with the window, not kept at its pixels
    assert _share(split) == pytest.approx(small[1] / sum(small), abs=0.03)
    for size in [(2560, 1440), (1280, 720), (1920, 1080)]:  # a trip through a smaller window and back
        window.resize(*size)
        qtbot.wait(100)
    assert split.sizes() == pytest.approx(big, abs=3)

    # the user moves the splitter: their share is the one kept from then on
    handle = split.handle(1)
    start, left = handle.rect().center(), Qt.MouseButton.LeftButton
    end = start - QPoint(0, 250)
    QTest.mousePress(handle, left, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(handle, end)
    QTest.mouseRelease(handle, left, Qt.KeyboardModifier.NoModifier, end)
    qtbot.wait(50)
    moved = _share(split)
    assert moved > big[1] / sum(big) + 0.15
    window.resize(1366, 768)
    qtbot.wait(100)
    assert _share(split) == pytest.approx(moved, abs=0.03)
    window.resize(2560, 1440)
    qtbot.wait(100)
    assert _share(split) == pytest.approx(moved, abs=0.03)
