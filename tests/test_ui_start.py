"""The start page of an engagement and every view's empty state: each names a step and
has a real button that starts it; no text names a menu command the menu bar lacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu, QPushButton

from tests.test_ui_support import make_contract, make_history, view_of
from ui.main_window import MainWindow
from ui.state import Version
from ui.views.start import StartView
from ui.widgets import EmptyState

pytestmark = pytest.mark.usefixtures("isolated_settings")


# what each step's button opens: words of which the dialog's title holds one
OPENS = {
    "tickets": ("import tickets",),
    "records": ("import backups",),
    "contract": ("contract",),
    "proposals": ("contract", "proposal"),  # the contract dialog, for a proposal
}


def _modal_opened_by(qtbot, button: QPushButton) -> str:
    """Click ``button``; the title of the modal dialog it opens (closed again at once)."""
    seen: list[str] = []

    def catch(tries: int = 0) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            if tries < 200:
                QTimer.singleShot(10, lambda: catch(tries + 1))
            return
        seen.append(modal.windowTitle())
        modal.close()

    QTimer.singleShot(0, catch)
    button.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    return seen[0]


def _menu_paths(window: MainWindow) -> set[str]:
    paths: set[str] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            text = action.text().replace("&", "")
            if not text:
                continue
            paths.add(f"{path} ▸ {text}")
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} ▸ {text}")

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, top.text().replace("&", ""))
    return paths


def _check_menu_names(window: MainWindow, text: str, where: str) -> None:
    paths = _menu_paths(window)
    for m in re.finditer(r"\b\w+ ▸ ", text):
        assert any(text.startswith(p, m.start()) for p in paths), f"{where}: {text!r} names a menu command " \
            f"that is not in the menu bar ({sorted(paths)})"


def _check_empty_state(qtbot, window: MainWindow, empty: EmptyState, where: str) -> list[str]:
    """Every button of ``empty`` starts its step; returns the steps."""
    _check_menu_names(window, empty.text.text(), where)
    buttons = empty.action_buttons()
    assert buttons, f"{where}: the empty state {empty.title.text()!r} has no button"
    steps = []
    for b in buttons:
        step = b.property("step")
        if step == "template":  # a draft from the template, open in the editor (no dialog)
            assert b.isEnabled()
            b.click()
            draft = window.state.draft
            assert window.current_view == "editor" and draft is not None and draft.status == "draft", where
            window.state.undo_stack.undo()  # back to the state walked
            assert window.state.draft is None
            steps.append(step)
            continue
        assert step in OPENS, f"{where}: {b.text()!r} starts no step"
        steps.append(step)
        assert b.isEnabled(), f"{where}: {b.text()!r} is disabled"
        title = _modal_opened_by(qtbot, b).lower()
        assert any(word in title for word in OPENS[step]), f"{where}: {b.text()!r} opened {title!r}"
    return steps


def _new_workspace(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "contoso.slawb"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.act_new.trigger()
    qtbot.waitUntil(lambda: window.state.path == path, timeout=20_000)


def test_a_new_workspace_opens_on_the_start_page_with_every_step_to_do(qtbot, window, tmp_path,
                                                                        monkeypatch) -> None:
    window.show_view("tickets")  # the view a previous session ended on
    _new_workspace(qtbot, window, tmp_path, monkeypatch)
    start = view_of(window, "start", StartView)
    assert window.current_view == "start" and window.stack.currentWidget() is start
    assert "contoso" in start.heading.text()
    assert [(s.key, s.done) for s in start.steps()] == [
        ("contract", False), ("tickets", False), ("records", False), ("proposals", False)
    ]
    cards = start.cards
    assert cards["tickets"].state_label.text() == "To do"
    assert cards["records"].state_label.text() == "Optional"
    assert "ticket export" in cards["tickets"].detail.text()
    assert not start.open_overview.isVisible()
    for key, card in cards.items():
        assert card.button.property("step") == key
        assert card.button.isEnabled(), card.button.text()
        title = _modal_opened_by(qtbot, card.button).lower()
        assert any(word in title for word in OPENS[key]), (key, title)


def test_the_start_page_follows_the_workspace_as_steps_get_done(qtbot, window) -> None:
    window.state.load(None, [], make_history(0))
    window.show_view("start")
    start = view_of(window, "start", StartView)
    # the tickets are in (as after the import wizard): that step is done and says what it holds
    window.state.load(Path("contoso.slawb"), [], make_history(250))
    card = start.cards["tickets"]
    assert card.step.done and card.state_label.text() == "Done" and card.badge.text() == "✓"
    assert card.detail.text().startswith("250 tickets")
    assert card.button.text() == "Import more tickets…"
    assert not start.cards["contract"].step.done and "1 of 4 steps done" in start.next_text.text()
    window.state.add_version(Version(1, make_contract("2025 signed")))
    assert start.cards["contract"].detail.text() == "1 signed contract version"
    assert "2 of 4 steps done" in start.next_text.text() and not start.open_overview.isHidden()
    start.open_overview.click()
    assert window.current_view == "overview"


def test_an_opened_workspace_without_tickets_opens_on_the_start_page(qtbot, tmp_path) -> None:
    from models.store import Workspace

    path = tmp_path / "ws.slawb"
    ws = Workspace.create(str(path))
    ws.add_contract_version(make_contract("2025 signed"))
    ws.close()
    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    try:
        w.show_view("compare")
        w.open_workspace(str(path))
        qtbot.waitUntil(lambda: w.state.is_open and not w.loading, timeout=20_000)
        assert w.current_view == "start"
        steps = {s.key: s.done for s in view_of(w, "start", StartView).steps()}
        assert steps["contract"] and not steps["tickets"]
    finally:
        w.db.shutdown()


STATES = {
    "empty workspace": ([], 0),
    "tickets, no contract": ([], 120),
    "a signed contract, no tickets": ([make_contract("2025 signed")], 0),
    "one signed contract and tickets": ([make_contract("2025 signed")], 120),
}


@pytest.mark.parametrize("state", list(STATES))
def test_every_empty_state_has_a_button_that_starts_its_step(qtbot, window, state) -> None:
    contracts, tickets = STATES[state]
    versions = [Version(i, c) for i, c in enumerate(contracts, start=1)]
    window.state.load(Path("contoso.slawb"), versions, make_history(tickets))
    shown = 0
    for key, _title in MainWindow.VIEWS:
        if key == "start":
            continue
        window.show_view(key)
        view = window.views[key]
        empty = getattr(view, "empty", None)
        assert isinstance(empty, EmptyState), key
        if view.stack.currentWidget() is not empty:
            continue
        shown += 1
        steps = _check_empty_state(qtbot, window, empty, f"{state}, {key}")
        if not tickets and key in ("tickets", "whatif", "overview") and contracts:
            assert "tickets" in steps
        if not contracts and key in ("editor", "whatif", "overview", "warnings"):
            assert "contract" in steps
    assert shown >= (1 if state.startswith("one") else 4)  # compare still wants a second version
    _check_menu_names(window, window.welcome.text.text(), "welcome")


def test_the_proposal_step_adds_a_proposal_through_the_review_page(qtbot, window, tmp_path,
                                                                   monkeypatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from workbench.demo.generator import demo_dir

    _new_workspace(qtbot, window, tmp_path, monkeypatch)
    start = view_of(window, "start", StartView)
    signed = demo_dir() / "northwind-2025.yaml"  # a signed contract file, added as a proposal
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(signed), ""))
    window.contract_dialog = None
    start.cards["proposals"].button.click()
    qtbot.waitUntil(lambda: window.contract_dialog is not None and window.contract_dialog.isVisible(),
                    timeout=20_000)
    dlg = window.contract_dialog
    assert dlg is not None and dlg.status.currentData() == "proposal"  # the step's status, chosen at first
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: start.cards["proposals"].step.done, timeout=20_000)
    assert start.cards["proposals"].detail.text() == "1 proposal"
    assert not start.cards["contract"].step.done  # a proposal is no signed contract
    # the contract step chooses "signed" at first
    window.contract_dialog = None
    start.cards["contract"].button.click()
    qtbot.waitUntil(lambda: window.contract_dialog is not None and window.contract_dialog.isVisible(),
                    timeout=20_000)
    assert window.contract_dialog.status.currentData() == "signed"
