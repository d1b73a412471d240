"""Tickets view: the table model over the columnar history, filters, the clock audit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from models.contract import PRIORITIES
from tests.test_ui_support import make_contract, make_history, make_tickets
from ui.state import AppState, Version
from ui.ticket_model import COLUMNS, TicketTableModel
from ui.views.tickets import TicketsView
from workbench.engine.ticketquery import OUTCOMES, TicketFilter, select


def test_ticket_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = TicketTableModel(make_tickets(200))
    qtmodeltester.check(model)
    model.set_filter(TicketFilter(priorities=frozenset({"P1"})))
    qtmodeltester.check(model)
    model.sort(4, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_ticket_model_formats_cells_lazily_from_the_arrays() -> None:
    tickets = make_tickets(50)
    model = TicketTableModel(tickets)
    assert model.rowCount() == 50 and model.columnCount() == len(COLUMNS)
    i = 17
    assert model.data(model.index(i, 0)) == tickets.ids[i]
    assert model.data(model.index(i, 1)) == PRIORITIES[int(tickets.priority[i])]
    opened = model.data(model.index(i, 4))
    assert opened.startswith("2026-")


def test_filters_select_with_vectorised_masks() -> None:
    tickets = make_tickets(500)
    model = TicketTableModel(tickets)
    model.set_filter(TicketFilter(priorities=frozenset({"P1", "P2"})))
    expected = np.flatnonzero(np.isin(tickets.priority, [0, 1]))
    assert list(model.visible_indices()) == list(expected)
    noc = tickets.team_names.index("NOC")
    model.set_filter(TicketFilter(teams=frozenset({"NOC"})))
    assert all(tickets.team[model.ticket_index(r)] == noc for r in range(model.rowCount()))
    assert model.rowCount() == int((tickets.team == noc).sum())


def test_outcome_filter_uses_the_engine_outcomes() -> None:
    tickets = make_tickets(100)
    rng = np.random.default_rng(1)
    resp = rng.integers(0, 3, 100).astype(np.int8)
    res = rng.integers(0, 3, 100).astype(np.int8)
    model = TicketTableModel(tickets)
    model.set_outcomes({"response": resp, "resolution": res})
    model.set_filter(TicketFilter(outcomes=frozenset({"breached"})))
    b = OUTCOMES.index("breached")
    assert model.rowCount() == int(((resp == b) | (res == b)).sum())
    row = 0
    i = model.ticket_index(row)
    assert model.data(model.index(row, 7)) == OUTCOMES[int(resp[i])]


def test_sorting_orders_by_the_column() -> None:
    tickets = make_tickets(300)
    model = TicketTableModel(tickets)
    model.sort(4, Qt.SortOrder.DescendingOrder)
    opened = [int(tickets.opened[model.ticket_index(r)]) for r in range(model.rowCount())]
    assert opened == sorted(opened, reverse=True)


def test_select_period_is_half_open() -> None:
    tickets = make_tickets(300)
    start, end = int(tickets.opened[10]), int(tickets.opened[20])
    rows = select(tickets, TicketFilter(start=start, end=end))
    assert all(start <= tickets.opened[r] < end for r in rows)
    assert len(rows) == int(((tickets.opened >= start) & (tickets.opened < end)).sum())


def _state(n: int = 300) -> AppState:
    state = AppState()
    state.load(None, [Version(1, make_contract())], make_history(n))
    return state


def test_tickets_view_filters_and_shows_the_audit(qtbot) -> None:
    state = _state()
    view = TicketsView(state)
    qtbot.addWidget(view)
    total = len(state.history.tickets)
    assert view.model.rowCount() == total
    assert view.count.text().startswith(f"{total:,} of")
    view.priority_buttons["P1"].click()
    p1 = int((state.history.tickets.priority == 0).sum())
    assert view.model.rowCount() == p1
    view.priority_buttons["P1"].click()
    view.team.setCurrentIndex(view.team.findData("SOC"))
    soc = state.history.tickets.team_names.index("SOC")
    assert view.model.rowCount() == int((state.history.tickets.team == soc).sum())
    view.team.setCurrentIndex(0)

    view.table.selectRow(3)
    i = view.model.ticket_index(3)
    assert state.history.tickets.ids[i] in view.audit.heading.text()
    bar = view.audit.rows["resolution"].bar
    assert bar.segments, "the resolution clock has segments"
    kinds = {s.kind for s in bar.segments}
    assert kinds <= {"covered", "paused", "out_of_hours", "holiday"}


def test_tickets_view_empty_state_without_history(qtbot) -> None:
    state = AppState()
    view = TicketsView(state)
    qtbot.addWidget(view)
    assert view.stack.currentWidget() is view.empty
    assert "Import" in view.empty.text.text()
