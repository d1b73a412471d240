"""Overview and Warnings views on a small generated history."""

from __future__ import annotations

import re

import pytest

from tests.test_ui_support import SupersededCall, make_contract, make_history, view_of
from ui.main_window import MainWindow
from ui.views.overview import OverviewView
from ui.views.warnings import FindingsModel, WarningsView
from workbench.app.quarters import last_full_quarter

pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window([make_contract("2025 signed")], tickets=500),
]


def test_last_full_quarter() -> None:
    from datetime import UTC, datetime

    as_of = int(datetime(2026, 11, 1, 3, tzinfo=UTC).timestamp())
    start, end = last_full_quarter(as_of, UTC).bounds(UTC)
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 7, 1, tzinfo=UTC)
    assert datetime.fromtimestamp(end, UTC) == datetime(2026, 10, 1, tzinfo=UTC)
    start, _ = last_full_quarter(int(datetime(2026, 2, 1, tzinfo=UTC).timestamp()), UTC).bounds(UTC)
    assert datetime.fromtimestamp(start, UTC) == datetime(2025, 10, 1, tzinfo=UTC)


def test_overview_shows_kpi_cards_and_warnings(qtbot, window) -> None:
    view = window.views["overview"]
    qtbot.waitUntil(lambda: view.report is not None, timeout=20_000)
    assert view.stack.currentIndex() == 1
    labels = [c.label.text() for c in view.cards if c.isVisible() or c.label.text()]
    assert any("compliance" in t.lower() for t in labels)
    assert view.warnings.count() > 0


def test_warnings_view_lists_findings(qtbot, qtmodeltester, window) -> None:
    view = window.views["warnings"]
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20_000)
    qtmodeltester.check(view.model)
    qtmodeltester.check(FindingsModel())
    codes = {f.code for f in view.model.items}
    assert codes and all(c.startswith("W") for c in codes)
    view.table.selectRow(0)
    assert view.model.items[0].code in view.detail.toPlainText()
    view.table.activated.emit(view.model.index(0, 0))
    assert window.current_view in ("tickets", "editor")


def test_views_without_contract_say_what_to_do(qtbot) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    try:
        w.state.load(None, [], make_history(0))
        overview = view_of(w, "overview", OverviewView)
        assert overview.stack.currentIndex() == 0
        assert "Import" in overview.empty.text.text()
        assert view_of(w, "warnings", WarningsView).stack.currentIndex() == 0
    finally:
        w.db.shutdown()


def test_a_newer_check_cancels_the_warnings_replay_in_flight(qtbot, window, monkeypatch) -> None:
    import workbench.warnings

    view = window.views["warnings"]
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20_000)
    slow = SupersededCall(workbench.warnings.lint)
    monkeypatch.setattr(workbench.warnings, "lint", slow)
    view.recompute()
    qtbot.waitUntil(lambda: slow.first.get("running", False), timeout=5000)
    assert slow.first["got_progress"]
    view.model.set_findings([])
    view.recompute()  # a newer request replaces it: the old replay stops, nobody waits for it
    qtbot.waitUntil(lambda: slow.first["cancelled"], timeout=2000)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20_000)
    assert slow.calls == 2 and "findings" in view.status.text()


def test_a_newer_refresh_cancels_the_overview_computation_in_flight(qtbot, window, monkeypatch) -> None:
    import workbench.analytics.kpis

    view = window.views["overview"]
    qtbot.waitUntil(lambda: view.report is not None, timeout=20_000)
    slow = SupersededCall(workbench.analytics.kpis.kpi_report)
    monkeypatch.setattr(workbench.analytics.kpis, "kpi_report", slow)
    view.report = None
    view.refresh()
    qtbot.waitUntil(lambda: slow.first.get("running", False), timeout=5000)
    assert slow.first["got_progress"]
    view.refresh()
    qtbot.waitUntil(lambda: slow.first["cancelled"], timeout=2000)
    qtbot.waitUntil(lambda: view.report is not None, timeout=20_000)
    assert slow.calls == 2 and re.search(r"Q[1-4] 20\d\d \(.*\) against Q[1-4] 20\d\d", view.title.text())


def test_the_overview_lint_reports_progress(qtbot, window, monkeypatch) -> None:
    import workbench.warnings

    view = window.views["overview"]
    qtbot.waitUntil(lambda: view.report is not None, timeout=20_000)
    slow = SupersededCall(workbench.warnings.lint)
    monkeypatch.setattr(workbench.warnings, "lint", slow)
    view.refresh()
    qtbot.waitUntil(lambda: slow.first.get("running", False), timeout=20_000)
    assert slow.first["got_progress"]
    view.refresh()
    qtbot.waitUntil(lambda: slow.first["cancelled"], timeout=2000)
