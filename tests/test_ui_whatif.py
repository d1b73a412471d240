"""What-if simulator driven through its real widgets on a small generated history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from test_ui_support import make_contract, make_history

from ui.main_window import MainWindow
from ui.state import Version
from ui.views.whatif import ComplianceModel, FlipsModel


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    w.state.load(None, [Version(1, make_contract("2025 signed"))], make_history(600))
    w.show_view("whatif")
    yield w
    w.db.shutdown()


def _settled(qtbot, w: MainWindow) -> None:
    qtbot.waitUntil(lambda: w.simulation.whatif is not None and w.simulation.idle(), timeout=10000)


def _cell(view, row: int, col: int) -> str:
    m = view.compliance_model
    return m.data(m.index(row, col))


def test_changing_p1_resolution_updates_compliance_and_undo_restores(qtbot, window) -> None:
    view = window.views["whatif"]
    _settled(qtbot, window)
    assert view.stack.currentIndex() == 1
    assert _cell(view, 0, 0) == "P1"
    baseline_cell = _cell(view, 0, 5)
    assert _cell(view, 0, 6) == baseline_cell and _cell(view, 0, 7) == "+0.0 pts"
    spin = view.controls[("P1", "resolution")].spin
    assert spin.value() == 4.0

    canvas = view.months_canvas  # rendered on a pool thread: wait for the picture
    qtbot.waitUntil(lambda: bool(canvas.figure.axes) and hasattr(canvas, "renderer") and not canvas.rendering,
                    timeout=10_000)
    chart = view.months_chart
    old_bars = [p.get_height() for p in chart.scenario_bars]
    old_pixels = bytes(view.months_canvas.buffer_rgba())
    spin.setValue(1.0)  # tighter: fewer P1 resolutions within target
    _settled(qtbot, window)
    qtbot.waitUntil(  # the chart shows the newest result (not a re-draw of an older one)
        lambda: chart.scenario is window.simulation.whatif.scenario
        and window.simulation.whatif.scenario_contract.target("P1", "resolution") == "1h"
        and 0 not in view._dirty_charts
        and not canvas.rendering
        and view._months_waiting is None,
        timeout=10_000,
    )
    assert view.months_canvas.figure is chart.fig  # updated in place, not rebuilt
    bars = [p.get_height() for p in chart.scenario_bars]
    assert sum(bars) > sum(old_bars)  # the scenario's breach bars grew
    assert bytes(view.months_canvas.buffer_rgba()) != old_pixels  # and were painted
    assert window.state.scenario.target("P1", "resolution") == "1h"
    assert view.controls[("P1", "resolution")].slider.value() == 4
    assert _cell(view, 0, 5) == baseline_cell
    assert _cell(view, 0, 6) != baseline_cell
    assert _cell(view, 0, 7).startswith("-")
    assert view.flips_model.rowCount() > 0
    assert all(f.priority == "P1" and f.metric == "resolution" for f in view.flips_model.flips)

    window.act_undo.trigger()
    _settled(qtbot, window)
    assert spin.value() == 4.0
    assert _cell(view, 0, 6) == baseline_cell
    assert view.flips_model.rowCount() == 0
    window.act_redo.trigger()
    _settled(qtbot, window)
    assert spin.value() == 1.0 and _cell(view, 0, 7).startswith("-")


def test_a_slider_drag_is_one_undo_step(qtbot, window) -> None:
    view = window.views["whatif"]
    _settled(qtbot, window)
    slider = view.controls[("P2", "response")].slider
    for v in range(9, 17):  # 2.25h .. 4h in quarter hours
        slider.setValue(v)
    _settled(qtbot, window)
    assert window.state.scenario.target("P2", "response") == "4h"
    assert window.state.undo_stack.count() == 1
    window.act_undo.trigger()
    assert window.state.scenario.target("P2", "response") == "2h"


def test_coverage_preset_and_save_as_draft(qtbot, window) -> None:
    view = window.views["whatif"]
    _settled(qtbot, window)
    before = _cell(view, 1, 6)  # P2 resolution under 8x5
    view.coverage.setCurrentIndex(3)
    view.coverage.activated.emit(3)  # 24x7 preset
    _settled(qtbot, window)
    weekly = window.state.scenario.calendars["business"].weekly
    assert weekly["sun"] == ("00:00-24:00",)
    assert _cell(view, 1, 6) != before
    n = len(window.state.versions)
    version = view.save_as_draft()
    assert len(window.state.versions) == n + 1 and window.state.draft is version
    assert version.contract.status == "draft"
    assert version.contract.calendars["business"].weekly["sun"] == ("00:00-24:00",)
    window.act_undo.trigger()
    assert len(window.state.versions) == n


def test_result_models_pass_qtmodeltester(qtbot, qtmodeltester, window) -> None:
    view = window.views["whatif"]
    _settled(qtbot, window)
    view.controls[("P1", "response")].spin.setValue(0.25)
    _settled(qtbot, window)
    qtmodeltester.check(view.compliance_model)
    qtmodeltester.check(view.flips_model)
    qtmodeltester.check(ComplianceModel())
    qtmodeltester.check(FlipsModel())


def test_tickets_view_gets_baseline_outcomes(qtbot, window) -> None:
    _settled(qtbot, window)
    tickets = window.views["tickets"]
    qtbot.waitUntil(lambda: bool(tickets.model._outcomes), timeout=5000)
    tickets.outcome.setCurrentIndex(tickets.outcome.findData("breached"))
    assert 0 < tickets.model.rowCount() < len(window.state.history.tickets)
    assert tickets.model.data(tickets.model.index(0, 7)) in ("met", "breached", "pending", "not_applicable")


def test_empty_state_without_history(qtbot) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    try:
        w.state.load(None, [Version(1, make_contract())], make_history(0))
        view = w.views["whatif"]
        assert view.stack.currentIndex() == 0
        assert "Import" in view.empty.text.text()
    finally:
        w.db.shutdown()
