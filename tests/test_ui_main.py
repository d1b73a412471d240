"""Main window: empty states, navigator, views, undo/redo, layout restore."""

from __future__ import annotations

import pytest

from tests.test_ui_support import make_contract, make_history
from ui.main_window import MainWindow
from ui.state import SetScenario, Version

pytestmark = pytest.mark.usefixtures("isolated_settings")


def _load(w: MainWindow, n: int = 300) -> None:
    versions = [
        Version(1, make_contract("2024 signed")),
        Version(2, make_contract("2025 signed")),
        Version(3, make_contract("2026 draft", status="draft", p1_resolution="6h")),
        Version(4, make_contract("Bluepeak proposal", status="proposal")),
    ]
    w.state.load(None, versions, make_history(n))


def test_without_workspace_every_view_says_what_to_do(window) -> None:
    for key, _title in MainWindow.VIEWS:
        window.show_view(key)
        assert window.stack.currentWidget() is window.welcome
    labels = [window.welcome.buttons.itemAt(i).widget() for i in range(window.welcome.buttons.count())]
    texts = [w.text() for w in labels if w is not None]
    assert "Open demo workspace" in texts
    assert window.sb_workspace.text() == "No workspace"


def test_navigator_groups_versions_and_status_bar(qtbot, window) -> None:
    _load(window)
    nav = window.navigator
    qtbot.waitUntil(lambda: not nav.pending(), timeout=5000)  # rebuilt in the next turn
    client = nav.topLevelItem(0)
    groups = [client.child(i).text(0) for i in range(client.childCount())]
    assert groups == ["Signed (2)", "Drafts (1)", "Proposals (1)"]
    signed = client.child(0)
    assert "2025 signed" in signed.child(1).text(0) and "baseline" in signed.child(1).text(0)
    assert window.sb_tickets.text() == "300 tickets"
    assert window.sb_asof.text().startswith("As of: 2026-")
    window.show_view("tickets")
    assert window.stack.currentWidget() is window.views["tickets"]


def test_activating_a_signed_version_makes_it_the_baseline(qtbot, window) -> None:
    _load(window)
    qtbot.waitUntil(lambda: not window.navigator.pending(), timeout=5000)
    first = window.navigator.topLevelItem(0).child(0).child(0)
    window.navigator.itemActivated.emit(first, 0)
    assert window.state.baseline is window.state.versions[0]
    assert window.current_view == "whatif"


def test_undo_redo_through_the_edit_menu(window) -> None:
    _load(window)
    st = window.state
    before = st.scenario
    changed = before.model_copy(update={"version": "scenario"})
    st.undo_stack.push(SetScenario(st, changed, "Change"))
    assert st.scenario is changed
    window.act_undo.trigger()
    assert st.scenario is before
    window.act_redo.trigger()
    assert st.scenario is changed


def test_window_layout_is_restored(qtbot, window) -> None:
    _load(window)
    window.show_view("tickets")
    window.resize(701, 521)
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    try:
        assert again.current_view == "tickets"
        assert again.size().width() == 701
    finally:
        again.db.shutdown()


def test_help_lists_every_menu_shortcut(qtbot, window) -> None:
    dlg = window.show_shortcuts()
    qtbot.addWidget(dlg)
    table = dlg.table
    listed = {table.item(r, 2).text() for r in range(table.rowCount())}
    commands = {table.item(r, 1).text() for r in range(table.rowCount())}
    expected = {
        a.shortcut().toString()
        for a in (window.act_new, window.act_open, window.act_import, window.act_export, window.act_save,
                  window.act_undo, window.act_redo, window.act_shortcuts, *window.view_actions.values())
    }
    assert expected <= listed
    assert {"Import tickets", "Export redline", "Undo", "Overview", "Compare"} <= commands
    assert window.act_shortcuts.shortcut().toString() == "F1"


def test_a_load_rebuilds_the_navigator_once_in_a_later_turn(qtbot, window) -> None:
    """A load emits five state signals in one turn; the navigator is rebuilt once,
    after that turn, not five times inside it."""
    nav = window.navigator
    before = nav.rebuilds
    _load(window)
    assert nav.rebuilds == before and nav.pending()  # nothing rebuilt inside the load's turn
    qtbot.waitUntil(lambda: not nav.pending(), timeout=5000)
    assert nav.rebuilds == before + 1
    assert nav.topLevelItem(0).text(0) != "No workspace open"


def test_closing_again_after_shutdown_returns_at_once(window, qtbot) -> None:
    """A second close (the database worker already stopped by the first) neither waits for
    a worker that will never answer nor asks about an unsavable draft."""
    import time

    _load(window)
    window.show()
    window.close()
    assert not window.db.running()
    window.state.dirty_draft = True
    window.state.draft = window.state.versions[2]
    window.autosave = lambda: pytest.fail("autosave submitted to a stopped worker")  # type: ignore[method-assign]
    start = time.monotonic()
    window.show()
    window.close()
    assert time.monotonic() - start < 5
    assert not window.isVisible()
