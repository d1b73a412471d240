"""A table model over the columnar TicketTable: rows are an index array, cells are
formatted only when Qt asks for them, so a million tickets scroll smoothly."""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from models.contract import PRIORITIES
from models.history import MISSING, TicketTable
from workbench.app.localtime import format_instant, zone_label
from workbench.engine import ticketquery
from workbench.engine.ticketquery import OUTCOMES, TicketFilter

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Ticket"),
    ("priority", "Priority"),
    ("team", "Team"),
    ("category", "Category"),
    ("opened", "Opened"),
    ("first_response", "First response"),
    ("resolved", "Resolved"),
    ("response", "Response"),
    ("resolution", "Resolution"),
)
_TIME_COLUMNS = {"opened", "first_response", "resolved", "closed"}
_OUTCOME_COLORS = {
    "met": QColor("#1a7f37"),
    "breached": QColor("#b42318"),
    "pending": QColor("#9a6700"),
}

AnyIndex = QModelIndex | QPersistentModelIndex


def _fmt_time(sec: int, zone: tzinfo) -> str:
    return "" if sec == MISSING else format_instant(int(sec), zone)


class TicketTableModel(QAbstractTableModel):
    def __init__(self, tickets: TicketTable | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._tickets = tickets if tickets is not None else TicketTable.empty()
        self._outcomes: dict[str, npt.NDArray[np.int8]] = {}
        self._filter = TicketFilter()
        self._rows: npt.NDArray[np.int64] = np.arange(len(self._tickets), dtype=np.int64)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.zone: tzinfo = UTC  # times shown in this zone (the contract's: set_zone)

    # ---------------------------------------------------------------- content
    def set_zone(self, zone: tzinfo) -> None:
        """Show the times in ``zone`` (named in the header of the first time column)."""
        self.zone = zone
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def set_tickets(
        self, tickets: TicketTable, outcomes: dict[str, npt.NDArray[np.int8]] | None = None
    ) -> None:
        self.beginResetModel()
        self._tickets = tickets
        self._outcomes = dict(outcomes or {})
        self._rows = self._select()
        self._apply_sort()
        self.endResetModel()

    def set_outcomes(self, outcomes: dict[str, npt.NDArray[np.int8]]) -> None:
        """Per-ticket outcome codes (index into OUTCOMES) per metric, from the engine."""
        self.beginResetModel()
        self._outcomes = dict(outcomes)
        self._rows = self._select()
        self._apply_sort()
        self.endResetModel()

    def set_filter(self, flt: TicketFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._rows = self._select()
        self._apply_sort()
        self.endResetModel()

    def _select(self) -> npt.NDArray[np.int64]:
        flt = self._filter
        if flt.outcomes and self._outcomes:
            # an outcome filter matches a ticket whose response OR resolution has that outcome
            codes = [OUTCOMES.index(o) for o in flt.outcomes]
            selected = None
            base = TicketFilter(flt.priorities, flt.teams, frozenset(), flt.start, flt.end, flt.text)
            rows = ticketquery.select(self._tickets, base)
            for arr in self._outcomes.values():
                hit = np.isin(arr[rows], codes)
                selected = hit if selected is None else (selected | hit)
            return rows[selected] if selected is not None else rows
        return ticketquery.select(self._tickets, flt)

    @property
    def tickets(self) -> TicketTable:
        return self._tickets

    def ticket_index(self, row: int) -> int:
        """The TicketTable index of a visible row."""
        return int(self._rows[row])

    def visible_indices(self) -> npt.NDArray[np.int64]:
        return self._rows

    # ------------------------------------------------------------- Qt model API
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(COLUMNS):
                return None
            key, title = COLUMNS[section]
            return f"{title} ({zone_label(self.zone)})" if key == "opened" else title
        return section + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        key = COLUMNS[index.column()][0]
        i = int(self._rows[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(key, i)
        if role == Qt.ItemDataRole.ForegroundRole and key in ("response", "resolution"):
            color = _OUTCOME_COLORS.get(self._display(key, i))
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.UserRole:
            return i
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "priority":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, key: str, i: int) -> str:
        t = self._tickets
        if key == "id":
            return str(t.ids[i])
        if key == "priority":
            p = int(t.priority[i])
            return PRIORITIES[p] if 0 <= p < len(PRIORITIES) else "?"
        if key == "team":
            c = int(t.team[i])
            return t.team_names[c] if c >= 0 else ""
        if key == "category":
            c = int(t.category[i])
            return t.category_names[c] if c >= 0 else ""
        if key in _TIME_COLUMNS:
            return _fmt_time(int(getattr(t, key)[i]), self.zone)
        arr = self._outcomes.get(key)
        if arr is None:
            return ""
        code = int(arr[i])
        return OUTCOMES[code].replace("_", " ") if 0 <= code < len(OUTCOMES) else ""  # in words

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.beginResetModel()
        self._apply_sort()
        self.endResetModel()

    def _apply_sort(self) -> None:
        if self._sort is None or not len(self._rows):
            return
        column, order = self._sort
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][0]
        if key in ("response", "resolution"):
            arr = self._outcomes.get(key)
            if arr is None:
                return
            sort_key: npt.NDArray[np.generic] = arr
        else:
            sort_key = ticketquery.sort_key(self._tickets, key)
        self._rows = ticketquery.order(
            self._tickets, self._rows, sort_key, order == Qt.SortOrder.DescendingOrder
        )
