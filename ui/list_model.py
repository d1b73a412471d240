"""A read-only table over a Python list of rows: the shared part of the result tables
(flipped tickets, findings, rejected rows, the What-if compliance grid, the Compare
grids).  A subclass sets ``HEADERS`` (or overrides :meth:`header_labels` when its
columns change with the data) and implements ``data``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel):
    HEADERS: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Any] = []

    def set_items(self, items: Iterable[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, index: AnyIndex) -> Any:
        """The row object behind ``index``, or None outside the rows."""
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        return self.items[index.row()]

    def header_labels(self) -> Sequence[str]:
        """The column headers (``HEADERS`` unless a subclass's columns vary)."""
        return self.HEADERS

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.header_labels())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            headers = self.header_labels()
            return headers[section] if 0 <= section < len(headers) else None
        return None
