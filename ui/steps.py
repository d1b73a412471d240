"""The steps that fill a workspace, as buttons: the start page and every view's empty
state start a step the same way: the import wizard (tickets, or backups/outages/KPIs),
File ▸ Add contract version… with the status the step is about (signed, proposal)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QPushButton

from ui.widgets import EmptyState
from workbench.app.engagement import CONTRACT, PROPOSALS, RECORDS, TICKETS

# the button that starts each step, and the one that does it once more
LABELS = {
    CONTRACT: "Add contract version…",
    TICKETS: "Import tickets…",
    RECORDS: "Import backups, outages or KPIs…",
    PROPOSALS: "Add a proposal…",
}
AGAIN = {
    CONTRACT: "Add another version…",
    TICKETS: "Import more tickets…",
    RECORDS: "Import more records…",
    PROPOSALS: "Add another proposal…",
}


def step_action(window: Any, key: str) -> Callable[[], object]:
    """What starts step ``key`` in ``window``."""
    if key == TICKETS:
        return window.import_tickets  # type: ignore[no-any-return]
    if key == RECORDS:
        return window.import_records  # type: ignore[no-any-return]
    if key == CONTRACT:
        return lambda: window.add_contract_version(status="signed")
    if key == PROPOSALS:
        return lambda: window.add_contract_version(status="proposal")
    raise KeyError(key)


def _slot(window: Any, key: str) -> Callable[[], None]:
    def start() -> None:  # looked up at the click: a window method replaced later is the one called
        step_action(window, key)()

    return start


def step_button(window: Any, key: str, label: str | None = None) -> QPushButton:
    """A button that starts step ``key`` (its ``step`` property names it)."""
    button = QPushButton(label or LABELS[key])
    button.setProperty("step", key)
    button.clicked.connect(_slot(window, key))
    return button


TEMPLATE = "template"  # not a step of its own: a draft to start the contract from


def template_button(window: Any) -> QPushButton:
    """File ▸ New contract from template as a button (its ``step`` property: "template")."""
    button = QPushButton("New contract from template")
    button.setProperty("step", TEMPLATE)

    def start() -> None:
        window.new_contract_from_template()

    button.clicked.connect(start)
    return button


def show_steps(empty: EmptyState, window: Any, keys: Iterable[str]) -> list[QPushButton]:
    """Make the buttons of ``empty`` the ones that start ``keys`` (none without a window)."""
    empty.clear_actions()
    if window is None:
        return []
    buttons = []
    for key in keys:
        button = step_button(window, key)
        empty.add_button(button)
        buttons.append(button)
    return buttons
