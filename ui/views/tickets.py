"""Tickets view: the history as a virtual table with filters, and one ticket's clock audit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.contract import PRIORITIES
from ui.state import AppState
from ui.steps import show_steps
from ui.ticket_model import COLUMNS, TicketTableModel
from ui.timeline import AuditPanel
from ui.widgets import EmptyState
from workbench.app.engagement import TICKETS
from workbench.app.localtime import local_date, local_days
from workbench.engine.ticketquery import OUTCOMES, TicketFilter


class TicketsView(QWidget):
    ticket_selected = Signal(int)

    def __init__(self, state: AppState, window: Any = None) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.model = TicketTableModel()
        self._outcomes_from: Any = None

        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "No tickets yet",
            "This workspace has no ticket history. Import an export from ServiceNow, Jira, "
            "Zendesk, ConnectWise, Autotask, HaloPSA, osTicket or a canonical tickets.csv.",
        )
        show_steps(self.empty, window, [TICKETS])
        self.stack.addWidget(self.empty)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.priority_buttons: dict[str, QToolButton] = {}
        bar.addWidget(QLabel("Priority:"))
        for p in PRIORITIES:
            b = QToolButton()
            b.setText(p)
            b.setCheckable(True)
            b.toggled.connect(self._apply_filter)
            self.priority_buttons[p] = b
            bar.addWidget(b)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Team:"))
        self.team = QComboBox()
        self.team.currentIndexChanged.connect(self._apply_filter)
        bar.addWidget(self.team)
        bar.addWidget(QLabel("Outcome:"))
        self.outcome = QComboBox()
        self.outcome.addItem("Any", None)
        for o in OUTCOMES[:3]:
            self.outcome.addItem(o.replace("_", " ").capitalize(), o)
        self.outcome.currentIndexChanged.connect(self._apply_filter)
        bar.addWidget(self.outcome)
        self.period = QCheckBox("Opened from")
        self.period.toggled.connect(self._apply_filter)
        bar.addWidget(self.period)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.dateChanged.connect(self._apply_filter)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("to"))
        bar.addWidget(self.date_to)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Ticket id…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        bar.addWidget(self.search, 1)
        layout.addLayout(bar)

        # a drill-down's set of tickets, named in a chip that removes it
        self.drill: frozenset[str] | None = None
        self.chip = QWidget()
        chip_row = QHBoxLayout(self.chip)
        chip_row.setContentsMargins(0, 0, 0, 0)
        self.chip_label = QLabel()
        self.chip_label.setStyleSheet(
            "background: palette(highlight); color: palette(highlighted-text); border-radius: 9px; "
            "padding: 2px 8px;"
        )
        self.chip_clear = QToolButton()
        self.chip_clear.setText("✕ Show all tickets")
        self.chip_clear.setToolTip("Remove this filter")
        self.chip_clear.clicked.connect(self.clear_drill)
        self.back = QToolButton()  # to the view the drill-down came from
        self.back.clicked.connect(self.go_back)
        self.back_to: str | None = None
        chip_row.addWidget(self.chip_label)
        chip_row.addWidget(self.chip_clear)
        chip_row.addWidget(self.back)
        chip_row.addStretch(1)
        self.chip.hide()
        layout.addWidget(self.chip)
        self.count = QLabel()
        layout.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        split.addWidget(self.table)
        self.audit = AuditPanel(state)
        split.addWidget(self.audit)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.stack.addWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        state.history_changed.connect(self.reload)
        state.zone_changed.connect(self._zone_changed)
        self.model.set_zone(state.display_zone())
        service = getattr(window, "simulation", None)
        if service is not None:
            service.baseline_ready.connect(self._baseline_result)
        self.reload()
        if service is not None and service.baseline_result is not None:  # built after it ran
            self._baseline_result(service.baseline_result)

    def _baseline_result(self, result: Any) -> None:
        self.set_outcomes({m: result.metric(m).outcome for m in ("response", "resolution")})

    # ---------------------------------------------------------------- loading
    def _zone_changed(self) -> None:
        self.model.set_zone(self.state.display_zone())
        self.fit_columns()
        self._set_date_range()
        self._apply_filter()

    def fit_columns(self) -> None:
        """Each column as wide as its header and its longest value (category and team
        names, ids, times), so nothing is cut while the table has room; the last column
        takes what is left."""
        tickets = self.model.tickets
        cell, head = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        sample_time = "2026-12-31 23:59"
        longest = {
            "id": max((str(x) for x in tickets.ids), key=len, default=""),
            "priority": "P4",
            "team": max(tickets.team_names, key=cell.horizontalAdvance, default=""),
            "category": max(tickets.category_names, key=cell.horizontalAdvance, default=""),
            "response": "not applicable",
            "resolution": "not applicable",
        }
        for col, (key, _title) in enumerate(COLUMNS):
            header = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            text = longest.get(key, sample_time)
            width = max(head.horizontalAdvance(header) + 28, cell.horizontalAdvance(text) + 16)  # sort arrow
            self.table.setColumnWidth(col, width)

    def reload(self) -> None:
        tickets = self.state.history.tickets
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItem("Any", None)
        for name in tickets.team_names:
            self.team.addItem(name, name)
        self.team.blockSignals(False)
        self._set_date_range()
        self.model.set_tickets(tickets)
        self.fit_columns()
        self.stack.setCurrentIndex(1 if len(tickets) else 0)
        self._apply_filter()

    def _set_date_range(self) -> None:
        """The period boxes span the local days (in the zone times are shown in) from the
        first ticket's opening to the last's."""
        tickets = self.state.history.tickets
        if len(tickets):
            zone = self.model.zone
            first = local_date(int(tickets.opened.min()), zone)
            last = local_date(int(tickets.opened.max()), zone)
            for d in (self.date_from, self.date_to):
                d.blockSignals(True)
                d.setDateRange(
                    QDate(first.year, first.month, first.day), QDate(last.year, last.month, last.day)
                )
            self.date_from.setDate(QDate(first.year, first.month, first.day))
            self.date_to.setDate(QDate(last.year, last.month, last.day))
            for d in (self.date_from, self.date_to):
                d.blockSignals(False)

    def set_outcomes(self, outcomes: dict[str, Any]) -> None:
        """Per-ticket outcomes of the baseline simulation (from the engine)."""
        self.model.set_outcomes(outcomes)
        self._update_count()

    # ---------------------------------------------------------------- filters
    def current_filter(self) -> TicketFilter:
        prios = frozenset(p for p, b in self.priority_buttons.items() if b.isChecked())
        team = self.team.currentData()
        outcome = self.outcome.currentData()
        start = end = None
        if self.period.isChecked():
            d0 = self.date_from.date().toPython()
            d1 = self.date_to.date().toPython()
            # the days as the table shows them: local days in the zone of its times
            start, end = local_days(d0, d1, self.model.zone)  # type: ignore[arg-type]
        return TicketFilter(
            priorities=prios,
            teams=frozenset([team]) if team else frozenset(),
            outcomes=frozenset([outcome]) if outcome else frozenset(),
            start=start,
            end=end,
            text=self.search.text().strip(),
            ids=self.drill,
        )

    def _apply_filter(self, *_: Any) -> None:
        if getattr(self, "_clearing", False):
            return
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _update_count(self) -> None:
        n, total = self.model.rowCount(), len(self.state.history.tickets)
        note = ""
        if self.outcome.currentData() and not self.model._outcomes:
            note = " — outcomes appear once the simulation has run"
        self.count.setText(f"{n:,} of {total:,} tickets{note}")

    def show_tickets(
        self, ids: list[str] | tuple[str, ...], label: str = "", back: str | None = None
    ) -> None:
        """Show exactly the tickets ``ids`` (a drill-down from a warning, a card or a
        chart): every other filter is cleared, and a chip names the set and removes it;
        ``back`` names the view a Back button returns to (the view drilled from)."""
        self._clearing = True
        try:
            for b in self.priority_buttons.values():
                b.setChecked(False)
            self.team.setCurrentIndex(0)
            self.outcome.setCurrentIndex(0)
            self.period.setChecked(False)
            self.search.clear()
        finally:
            self._clearing = False
        self.drill = frozenset(ids)
        what = label or "the chosen tickets"
        self.chip_label.setText(f"{len(self.drill):,} tickets: {what}")
        self.back_to = back
        views = dict(getattr(self.window_, "VIEWS", ()))
        self.back.setText(f"← Back to {views.get(back, back)}")
        self.back.setVisible(back is not None)
        self.chip.show()
        self._apply_filter()

    def go_back(self) -> None:
        """Return to the view the drill-down came from (its filter stays, named in the chip)."""
        if self.back_to is not None and self.window_ is not None:
            self.window_.show_view(self.back_to)

    def clear_drill(self) -> None:
        """Back to every ticket (the drill-down's chip removed)."""
        self.drill = None
        self.chip.hide()
        self._apply_filter()

    def _row_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            i = self.model.ticket_index(current.row())
            self.audit.show_ticket(i)
            self.ticket_selected.emit(i)
