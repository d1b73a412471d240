"""Drill-down: a warning about tickets opens the Tickets view on exactly those tickets,
with every other filter cleared and a chip that names the set and removes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NORTHWIND = load_contract(DEMO / "northwind-2025.yaml")

pytestmark = [pytest.mark.gui, pytest.mark.window((NORTHWIND,), tickets=600, view="warnings")]


def test_a_warning_opens_exactly_its_tickets_and_the_chip_takes_them_back(window, qtbot: QtBot) -> None:
    view = window.views["warnings"]
    qtbot.waitUntil(lambda: any(f.tickets for f in view.model.items), timeout=30_000)
    row = next(i for i, f in enumerate(view.model.items) if f.tickets and f.code == "W09")
    finding = view.model.items[row]
    tickets = window.views["tickets"]
    tickets.priority_buttons["P4"].setChecked(True)  # an earlier filter, to be cleared
    tickets.search.setText("NW-")
    view._activated(view.model.index(row, 0))
    assert window.stack.currentWidget() is tickets
    model = tickets.model
    shown = {model.tickets.ids[model.ticket_index(r)] for r in range(model.rowCount())}
    assert shown == set(finding.tickets)
    assert not any(b.isChecked() for b in tickets.priority_buttons.values()) and tickets.search.text() == ""
    assert tickets.chip.isVisibleTo(tickets)
    assert f"{len(finding.tickets):,} tickets" in tickets.chip_label.text()
    assert "W09" in tickets.chip_label.text()
    tickets.chip_clear.click()
    assert not tickets.chip.isVisibleTo(tickets)
    assert tickets.model.rowCount() == len(window.state.history.tickets)
