"""Overview and Warnings views on a small generated history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from test_ui_support import make_contract, make_history

from ui.main_window import MainWindow
from ui.state import Version
from ui.views.overview import last_full_quarter
from ui.views.warnings import FindingsModel


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    w.state.load(None, [Version(1, make_contract("2025 signed"))], make_history(500))
    yield w
    w.db.shutdown()


def test_last_full_quarter() -> None:
    from datetime import UTC, datetime

    as_of = int(datetime(2026, 11, 1, 3, tzinfo=UTC).timestamp())
    start, end = last_full_quarter(as_of, UTC)
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 7, 1, tzinfo=UTC)
    assert datetime.fromtimestamp(end, UTC) == datetime(2026, 10, 1, tzinfo=UTC)
    start, _ = last_full_quarter(int(datetime(2026, 2, 1, tzinfo=UTC).timestamp()), UTC)
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
    codes = {f.code for f in view.model.findings}
    assert codes and all(c.startswith("W") for c in codes)
    view.table.selectRow(0)
    assert view.model.findings[0].code in view.detail.toPlainText()
    view.table.activated.emit(view.model.index(0, 0))
    assert window.current_view in ("tickets", "editor")


def test_views_without_contract_say_what_to_do(qtbot) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    try:
        w.state.load(None, [], make_history(0))
        assert w.views["overview"].stack.currentIndex() == 0
        assert "Import" in w.views["overview"].empty.text.text()
        assert w.views["warnings"].stack.currentIndex() == 0
    finally:
        w.db.shutdown()
