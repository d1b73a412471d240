"""What-if simulator driven through its real widgets on a small generated history."""

from __future__ import annotations

import pytest

from tests.test_ui_support import SupersededCall, make_contract, make_history, view_of
from ui.main_window import MainWindow
from ui.state import Version
from ui.views.whatif import ComplianceModel, FlipsModel, WhatIfView

pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window([make_contract("2025 signed")], tickets=600, view="whatif"),
]


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
    assert all(f.priority == "P1" and f.metric == "resolution" for f in view.flips_model.items)

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
    assert tickets.model.data(tickets.model.index(0, 7)) in ("met", "breached", "pending", "not applicable")


def test_empty_state_without_history(qtbot) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    try:
        w.state.load(None, [Version(1, make_contract())], make_history(0))
        view = view_of(w, "whatif", WhatIfView)
        assert view.stack.currentIndex() == 0
        assert "Import" in view.empty.text.text()
    finally:
        w.db.shutdown()


def _chart_settled(qtbot, w: MainWindow, view) -> None:
    _settled(qtbot, w)
    qtbot.waitUntil(
        lambda: (whatif := w.simulation.whatif) is not None
        and view.months_chart.scenario is whatif.scenario
        and 0 not in view._dirty_charts and view.charts_idle() and view._months_waiting is None
        and view._months_bg is not None,
        timeout=10_000,
    )


def test_the_months_chart_is_laid_out_again_on_a_pool_thread(qtbot, window, monkeypatch) -> None:
    """Bars outgrowing the axes re-lay the chart out: that happens on the thread that
    renders it, never on the GUI thread; a move within the axes is painted in place."""
    import threading

    from workbench.reports.whatif_charts import MonthlyBreachesChart

    view = window.views["whatif"]
    _chart_settled(qtbot, window, view)
    layouts: list[bool] = []  # True: on the GUI thread
    real = MonthlyBreachesChart._layout

    def spy(self, *args, **kwargs):
        layouts.append(threading.current_thread() is threading.main_thread())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(MonthlyBreachesChart, "_layout", spy)
    chart, canvas = view.months_chart, view.months_canvas
    top = chart.ax.get_ylim()[1]
    renders = canvas.renders
    for prio in ("P1", "P2", "P3", "P4"):  # far tighter: many more breaches
        view.controls[(prio, "response")].spin.setValue(0.25)
        view.controls[(prio, "resolution")].spin.setValue(0.25)
    _chart_settled(qtbot, window, view)
    assert max(p.get_height() for p in chart.scenario_bars) > top  # beyond the old axes ...
    assert layouts and not any(layouts)  # ... so laid out again, on a pool thread
    assert chart.ax.get_ylim()[1] >= max(p.get_height() for p in chart.scenario_bars)
    assert canvas.renders > renders and canvas.figure is chart.fig

    layouts.clear()
    renders = canvas.renders
    bars = [p.get_height() for p in chart.scenario_bars]
    view.controls[("P4", "resolution")].spin.setValue(40.0)  # fewer breaches: within the axes
    _chart_settled(qtbot, window, view)
    assert [p.get_height() for p in chart.scenario_bars] != bars
    assert layouts == [] and canvas.renders == renders  # painted in place, no new layout or render


def test_the_sensitivity_chart_is_built_off_the_gui_thread(qtbot, window, monkeypatch) -> None:
    import threading

    import workbench.reports.whatif_charts as charts

    view = window.views["whatif"]
    _settled(qtbot, window)
    built: list[bool] = []
    real = charts.sensitivity_figure

    def spy(*args, **kwargs):
        built.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "sensitivity_figure", spy)
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: bool(built) and view.charts_idle() and bool(view.sens_canvas.figure.axes),
                    timeout=10_000)
    assert built == [False]
    assert [ax.get_title() for ax in view.sens_canvas.figure.axes] == [
        "P1 resolution", "P2 resolution", "P3 resolution", "P4 resolution"]


def test_a_newer_history_cancels_the_engine_build_in_flight(qtbot, window, monkeypatch) -> None:
    import workbench.engine.simulate

    _settled(qtbot, window)
    overview, warnings = window.views["overview"], window.views["warnings"]  # their lint builds engines too
    qtbot.waitUntil(lambda: overview.report is not None and warnings.model.rowCount() > 0, timeout=20_000)
    slow = SupersededCall(workbench.engine.simulate.Engine)
    monkeypatch.setattr(workbench.engine.simulate, "Engine", slow)
    sim = window.simulation
    window.state.history = make_history(300)
    sim._rebuild()  # what history_changed runs (the signal would start the views' checks as well)
    qtbot.waitUntil(lambda: slow.first.get("running", False), timeout=5000)
    assert slow.first["got_progress"]
    window.state.history = make_history(200)
    sim._rebuild()  # superseded: the old build stops, the new one runs
    qtbot.waitUntil(lambda: slow.first["cancelled"], timeout=2000)
    _settled(qtbot, window)
    assert slow.calls == 2 and len(sim.engine.tickets) == 200


def test_a_what_if_draft_keeps_the_baselines_review_date(qtbot) -> None:
    from datetime import UTC, date, datetime

    from workbench.warnings import lint

    reviewed = date(2025, 1, 15)
    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    try:
        baseline = make_contract("2025 signed").model_copy(update={"last_reviewed": reviewed})
        w.state.load(None, [Version(1, baseline)], make_history(100))
        w.show_view("whatif")
        _settled(qtbot, w)
        draft = view_of(w, "whatif", WhatIfView).save_as_draft()
        assert draft is not None and draft.contract.status == "draft"
        assert draft.contract.last_reviewed == reviewed  # saving a draft is not a review
        findings = lint(draft.contract, clock=lambda: datetime(2026, 6, 1, tzinfo=UTC), codes=["W10"])
        assert [f.code for f in findings] == ["W10"]
    finally:
        w.state.dirty_draft = False  # no workspace to autosave the draft into when the window closes
        w.db.shutdown()


def test_each_flip_says_by_how_much_it_missed_or_made_the_target(qtbot, window) -> None:
    from models.contract import parse_duration
    from workbench.app.ticket_time import duration_words

    view = window.views["whatif"]
    _settled(qtbot, window)
    view.controls[("P1", "resolution")].spin.setValue(1.0)  # tighter than the signed 4h
    _settled(qtbot, window)
    qtbot.waitUntil(lambda: view.flips_model.rowCount() > 0, timeout=10_000)
    model, w = view.flips_model, window.simulation.whatif
    assert model.HEADERS[5].startswith("By how much")
    ids = [str(t) for t in w.comparison.baseline.engine.tickets.ids]
    budget = parse_duration("1h")
    for row in range(model.rowCount()):
        flip = model.items[row]
        i = ids.index(flip.ticket)
        business = int(w.scenario.metric("resolution").business_seconds[i])
        text = model.data(model.index(row, 5))
        if flip.scenario == "breached":  # by how much, from the engine's own clock
            assert text == f"missed by {duration_words(business - budget)}"
        else:
            assert text.startswith("still open") and flip.scenario == "pending"
        base = int(w.baseline.metric("resolution").business_seconds[i])
        tip = model.data(model.index(row, 3), role=3)  # ToolTipRole
        if flip.baseline == "met":
            assert f"Baseline (target 4 h): met with {duration_words(4 * 3600 - base)} to spare" in tip
            assert "Scenario (target 1 h): " in tip
    assert "missed by" in "".join(model.data(model.index(r, 5)) for r in range(model.rowCount()))


def test_the_left_end_of_a_slider_is_an_explicit_no_target(qtbot, window) -> None:
    view = window.views["whatif"]
    _settled(qtbot, window)
    control = view.controls[("P1", "response")]
    control.slider.setValue(0)  # the left end
    _settled(qtbot, window)
    qtbot.waitUntil(
        lambda: window.simulation.whatif.comparison is not None and view.flips_model.rowCount() > 0,
        timeout=10_000,
    )
    assert window.state.scenario.target("P1", "response") is None
    assert control.spin.text() == "no target"
    assert _cell(view, 0, 3) == "no target" and _cell(view, 0, 2).endswith("%")  # scenario, baseline
    n = sum(1 for f in view.flips_model.items if f.scenario == "not_applicable")
    assert n > 0
    assert f"{n:,} are no longer measured (no target)" in view.summary.text()
    assert "breached or pending" not in view.summary.text()
    row = next(r for r, f in enumerate(view.flips_model.items) if f.scenario == "not_applicable")
    assert view.flips_model.data(view.flips_model.index(row, 4)) == "not applicable"
    assert view.flips_model.data(view.flips_model.index(row, 5)) == "no target"


def test_duration_and_margin_words() -> None:
    from workbench.app.ticket_time import duration_words, margin_words

    assert duration_words(2 * 3600 + 14 * 60 + 20) == "2 h 14 min"
    assert duration_words(35 * 60) == "35 min" and duration_words(3600) == "1 h"
    assert duration_words(3 * 86400 + 4 * 3600) == "3 d 4 h" and duration_words(20) == "under a minute"
    assert duration_words(27 * 3600) == "27 h" and duration_words(24 * 3600 + 23 * 60) == "24 h 23 min"
    assert margin_words(3 * 3600, 3600, "breached") == "missed by 2 h"
    assert margin_words(1800, 3600, "met") == "met with 30 min to spare"
    assert margin_words(600, 3600, "pending") == "still open, 50 min left"
    assert margin_words(-1, -1, "not_applicable") == "no target"


def test_the_as_of_is_said_as_the_status_bar_says_it_in_the_zone_shown(qtbot, window) -> None:
    """What-if's "as of" is the instant in the zone times are shown in, named (it was the
    UTC date: "2026-11-01" beside a status bar saying "2026-10-31 23:05 EDT")."""
    from workbench.app.localtime import format_instant

    _settled(qtbot, window)
    view = window.views["whatif"]
    as_of = window.simulation.whatif.scenario.as_of_epoch
    toronto = format_instant(as_of, window.state.display_zone(), with_zone=True)
    assert view.status.text() == f"as of {toronto}"
    assert toronto in window.sb_asof.text()
    window.state.set_zone_preference("UTC")
    assert view.status.text() == f"as of {format_instant(as_of, window.state.display_zone(), with_zone=True)}"
    assert view.status.text().endswith("UTC") and view.status.text() != f"as of {toronto}"
