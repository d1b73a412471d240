"""Tickets view: the table model over the columnar history, filters, the clock audit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from models.contract import PRIORITIES
from models.history import MISSING, History, StatusLog, TicketTable
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
    model.set_outcomes({"response": np.full(100, 3, np.int8), "resolution": res})
    model.set_filter(TicketFilter())
    assert model.data(model.index(0, 7)) == "not applicable"  # in words, not the code


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


# ---------------------------------------------------------------- timeline, status history, columns

H = 3600


def _one_ticket_history() -> tuple[History, int]:
    """A P1 (24x7) ticket opened 2026-07-14 09:00 Toronto time, answered after 30 min, waiting
    for the client from 10:00 to 12:00, resolved at 14:00; and a P3 ticket beside it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    t0 = int(datetime(2026, 7, 14, 9, 0, tzinfo=ZoneInfo("America/Toronto")).timestamp())
    tickets = TicketTable(
        ids=np.array(["INC-1", "INC-2"], dtype=object),
        priority=np.array([0, 2], np.int8),
        opened=np.array([t0, t0 + H], np.int64),
        first_response=np.array([t0 + H // 2, t0 + 2 * H], np.int64),
        resolved=np.array([t0 + 5 * H, MISSING], np.int64),
        closed=np.array([MISSING, MISSING], np.int64),
        category=np.array([0, 1], np.int32),
        category_names=("lateral movement detected on a server", "email"),
        team=np.array([0, 1], np.int32),
        team_names=("Helpdesk", "NOC"),
    )
    log = StatusLog(
        np.array([0, 0, 0, 1], np.int64),
        np.array([t0, t0 + H, t0 + 3 * H, t0 + H], np.int64),
        np.array([1, 0, 1, 1], np.int32),
        ("Awaiting User Info", "Active"),
    )
    return History(tickets=tickets, status_log=log), t0


def test_status_history_says_each_status_how_long_and_whether_the_clock_ran() -> None:
    from workbench.app.ticket_time import FINAL, ONGOING, status_history

    history, t0 = _one_ticket_history()
    spans = status_history(make_contract(), history.tickets, history.status_log, 0, as_of=t0 + 10 * H)
    assert [(s.status, s.start - t0, s.seconds) for s in spans] == [
        ("Active", 0, H), ("Awaiting User Info", H, 2 * H), ("Active", 3 * H, 2 * H),  # until resolved
    ]
    assert [s.clock["response"] for s in spans] == ["ran 30 min", "after response", "after response"]
    assert [s.clock["resolution"] for s in spans] == ["ran 1 h", "paused (client)", "ran 2 h"]
    assert all(s.state not in (FINAL, ONGOING) for s in spans)
    # still open at the as-of instant: the last status lasts "so far"
    spans = status_history(make_contract(), history.tickets, history.status_log, 0, as_of=t0 + 4 * H)
    assert spans[-1].state == ONGOING and spans[-1].seconds == H
    assert spans[-1].clock["resolution"] == "ran 1 h"


def _tickets_view(qtbot, width: int = 1366, height: int = 768) -> tuple[TicketsView, History, int]:
    history, t0 = _one_ticket_history()
    state = AppState()
    state.load(None, [Version(1, make_contract())], history)
    view = TicketsView(state)
    qtbot.addWidget(view)
    view.resize(width - 260, height - 80)  # the window less its navigator and bars
    view.show()
    qtbot.waitExposed(view)
    row = next(r for r in range(view.model.rowCount()) if view.model.ticket_index(r) == 0)
    view.table.selectRow(row)
    return view, history, t0


def test_the_timeline_has_a_time_axis_in_the_contracts_zone(qtbot) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    view, _history, t0 = _tickets_view(qtbot)
    axis = view.audit.axis
    assert axis.isVisible() and axis.span == (t0, t0 + 5 * H)
    assert axis.zone_text() == "Toronto time"
    toronto = ZoneInfo("America/Toronto")
    labels = [(datetime.fromtimestamp(t, toronto), lab, day) for t, lab, day in axis.ticks]
    assert len(labels) >= 3
    for local, lab, _day in labels:  # on round local times, labelled in local time
        assert local.minute == 0 and lab == f"{local:%H:%M}"
    assert labels[0][2] == "Tue Jul 14"  # the date under the first tick
    assert axis.ticks[0][1] == "09:00"
    # the same instant under the UTC preference: labelled in UTC and named so
    view.state.set_zone_preference("UTC")
    assert view.audit.axis.zone_text() == "UTC" and view.audit.axis.ticks[0][1] == "13:00"


def test_time_ticks_fall_on_local_midnights_across_a_clock_change() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ui.timeline import time_ticks

    toronto = ZoneInfo("America/Toronto")
    t0 = int(datetime(2026, 10, 30, 15, 0, tzinfo=toronto).timestamp())
    t1 = int(datetime(2026, 11, 4, 9, 0, tzinfo=toronto).timestamp())  # DST ends Nov 1
    ticks = time_ticks(t0, t1, toronto, max_ticks=6)
    locals_ = [datetime.fromtimestamp(t, toronto) for t, _lab, _day in ticks]
    assert [d.day for d in locals_] == [31, 1, 2, 3, 4] and all(d.hour == 0 for d in locals_)
    assert ticks[1][2] == "Sun Nov 1" and ticks[1][1] == ""


def test_the_timeline_tooltip_names_the_one_segment_under_the_pointer(qtbot) -> None:
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    view, _history, _t0 = _tickets_view(qtbot)
    bar = view.audit.rows["resolution"].bar
    assert bar.toolTip() == ""  # no list of every segment
    kinds = [s.kind for s in bar.segments]
    assert kinds == ["covered", "paused", "covered"]
    for s in bar.segments:
        x = (bar._x(s.start) + bar._x(s.end)) / 2
        text = bar.tooltip_at(x)
        assert text.count("→") == 1 and text.startswith({"covered": "Covered", "paused": "Paused"}[s.kind])
    paused = bar.segments[1]
    x = int((bar._x(paused.start) + bar._x(paused.end)) / 2)
    assert bar.tooltip_at(x) == "Paused: 2026-07-14 10:00 → 12:00 EDT (2 h)"
    bar.event(QHelpEvent(QEvent.Type.ToolTip, QPoint(x, 5), bar.mapToGlobal(QPoint(x, 5))))
    assert QToolTip.text() == "Paused: 2026-07-14 10:00 → 12:00 EDT (2 h)"


def test_the_status_history_of_the_selected_ticket(qtbot) -> None:
    from PySide6.QtWidgets import QTableWidgetItem

    view, _history, _t0 = _tickets_view(qtbot)
    table = view.audit.history
    assert table.rowCount() == 3
    def item(r: int, c: int) -> QTableWidgetItem:
        got = table.item(r, c)
        assert got is not None
        return got

    cells = [[item(r, c).text() for c in range(5)] for r in range(3)]
    assert cells[1] == ["Awaiting User Info", "Jul 14 10:00", "2 h", "after response", "paused (client)"]
    head = table.horizontalHeaderItem(1)
    assert head is not None and head.text() == "From (Toronto time)"
    assert item(1, 1).toolTip() == "2026-07-14 10:00 EDT"


def test_the_category_column_is_not_cut_while_the_table_has_room(qtbot) -> None:
    view, history, _t0 = _tickets_view(qtbot)
    table, header = view.table, view.table.horizontalHeader()
    longest = max(history.tickets.category_names, key=len)
    category = [k for k, _ in COLUMNS].index("category")
    assert table.columnWidth(category) >= table.fontMetrics().horizontalAdvance(longest) + 8
    for col in range(len(COLUMNS)):  # no header elided either
        text = view.model.headerData(col, Qt.Orientation.Horizontal)
        assert header.sectionSize(col) >= header.fontMetrics().horizontalAdvance(text) + 8, text
    assert sum(header.sectionSize(c) for c in range(len(COLUMNS))) <= table.viewport().width()


def test_the_period_filter_takes_local_days_of_the_zone_times_are_shown_in(qtbot) -> None:
    """A ticket opened 21:00 on March 31 in Toronto (01:00 UTC on April 1) is March 31's in
    the table, so a period of March 31 holds it and a period of April 1 does not; under the
    UTC preference it is April 1's.  The last day of a period runs to its local midnight
    after, across a clock change too (the 8 March 2026 day is 23 hours long)."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QDate

    toronto = ZoneInfo("America/Toronto")
    times = [datetime(2026, 3, 8, 23, 30, tzinfo=toronto), datetime(2026, 3, 31, 21, 0, tzinfo=toronto),
             datetime(2026, 4, 1, 10, 0, tzinfo=toronto)]
    opened = np.array([int(t.timestamp()) for t in times], np.int64)
    n = len(opened)
    tickets = TicketTable(
        ids=np.array(["A", "B", "C"], dtype=object), priority=np.full(n, 2, np.int8), opened=opened,
        first_response=opened + 60, resolved=opened + 3600, closed=np.full(n, MISSING, np.int64),
        category=np.zeros(n, np.int32), category_names=("email",),
        team=np.zeros(n, np.int32), team_names=("Helpdesk",),
    )
    state = AppState()
    state.load(None, [Version(1, make_contract())], History(tickets=tickets))
    view = TicketsView(state)
    qtbot.addWidget(view)
    # the boxes span the local days of the first and the last ticket
    assert view.date_from.date() == QDate(2026, 3, 8) and view.date_to.date() == QDate(2026, 4, 1)

    def shown(first: date, last: date) -> list[str]:
        view.date_from.setDate(QDate(first.year, first.month, first.day))
        view.date_to.setDate(QDate(last.year, last.month, last.day))
        view.period.setChecked(True)
        view._apply_filter()
        return sorted(tickets.ids[view.model.ticket_index(r)] for r in range(view.model.rowCount()))

    assert shown(date(2026, 3, 31), date(2026, 3, 31)) == ["B"]
    assert shown(date(2026, 4, 1), date(2026, 4, 1)) == ["C"]
    assert shown(date(2026, 3, 8), date(2026, 3, 8)) == ["A"]  # 23:30 on the 23-hour day
    state.set_zone_preference("UTC")
    assert view.date_to.date() == QDate(2026, 4, 1) and view.date_from.date() == QDate(2026, 3, 9)
    assert shown(date(2026, 4, 1), date(2026, 4, 1)) == ["B", "C"]


def test_the_status_history_fits_beside_the_timeline_at_laptop_size(qtbot) -> None:
    """At 1366x768 the status history shows every column whole, without a sideways scroll
    bar: the timeline's sentences wrap instead of holding the split at their one-line
    width ("Response: target next business day on the business hours calendar, still
    running at the as-of date")."""
    view, _history, _t0 = _tickets_view(qtbot)
    row = next(r for r in range(view.model.rowCount()) if view.model.ticket_index(r) == 1)
    view.table.selectRow(row)  # the P3 ticket: still running, the longest sentences
    qtbot.wait(50)
    audit = view.audit
    clock, _side = audit.split.sizes()
    assert clock <= audit.split.width() * 53 // 100, "the clock side holds the split past its share"
    table = audit.history
    assert table.rowCount() >= 1
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=2000)
    header = table.horizontalHeader()
    fm = header.fontMetrics()
    for col in range(table.columnCount()):
        item = table.horizontalHeaderItem(col)
        assert item is not None
        words = item.text().split("\n")
        assert all(fm.horizontalAdvance(w) <= header.sectionSize(col) for w in words), words
