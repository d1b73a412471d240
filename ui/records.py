"""An editable table of small records (rows of plain values) for the contract editor.

:class:`RecordsModel` holds ``list[dict]`` rows described by :class:`Column` s.  A column
may show its values in words (``next_business_day`` as "next business day") while
the row keeps the contract's own value, which is what an edit stores.  An
edit does not change the contract directly: the model keeps the typed text and calls
``on_edit`` so the editor can rebuild and validate the whole contract; validation
errors come back with :meth:`RecordsModel.set_errors` and show at the cell (red
background and tooltip).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex
ERROR_BG = QColor("#fde2e1")


@dataclass(frozen=True)
class Column:
    """``kind``: text, bool, choice (one of ``choices``) or suggest (typed, with
    ``choices`` offered).  ``words``: how a value is shown (the row keeps the value
    itself); ``parse``: the value for text typed in words (suggest columns)."""

    key: str
    label: str
    kind: str = "text"  # text | bool | choice | suggest
    choices: tuple[str, ...] = ()
    editable: bool = True
    tip: str = ""
    words: Callable[[str], str] | None = None
    parse: Callable[[str], str] | None = None

    def shown(self, value: str) -> str:
        """``value`` as the table shows it (an empty cell stays empty)."""
        return self.words(value) if self.words is not None and value != "" else value

    def choice_label(self, value: str) -> str:
        """A choice as its combo box offers it."""
        if self.words is not None:
            return self.words(value)
        return value or "(any)"


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class RecordsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], on_edit: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.rows: list[dict[str, Any]] = []
        self.errors: dict[tuple[int, str], str] = {}
        self.on_edit = on_edit

    # ------------------------------------------------------------------ content
    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = [dict(r) for r in rows]
        self.errors = {}
        self.endResetModel()

    def set_choices(self, key: str, choices: Sequence[str]) -> None:
        """Offer ``choices`` in column ``key`` from now on (the contract's calendars)."""
        self.columns = tuple(
            replace(c, choices=tuple(choices)) if c.key == key else c for c in self.columns
        )

    def set_errors(self, errors: dict[tuple[int, str], str]) -> None:
        self.errors = dict(errors)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    def add_row(self, row: dict[str, Any]) -> None:
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(dict(row))
        self.endInsertRows()
        if self.on_edit:
            self.on_edit()

    def remove_row(self, r: int) -> None:
        if not 0 <= r < len(self.rows):
            return
        self.beginRemoveRows(QModelIndex(), r, r)
        del self.rows[r]
        self.endRemoveRows()
        if self.on_edit:
            self.on_edit()

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.label
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.tip:
                return col.tip
            return ("One of: " + ", ".join(col.choice_label(c) for c in col.choices)) if col.choices else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        col = self.columns[index.column()]
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if col.editable:
            f |= Qt.ItemFlag.ItemIsUserCheckable if col.kind == "bool" else Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        col = self.columns[index.column()]
        value = self.rows[index.row()].get(col.key)
        error = self.errors.get((index.row(), col.key))
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if col.kind == "bool" else col.shown(cell_text(value))
        if role == Qt.ItemDataRole.EditRole:
            return "" if col.kind == "bool" else cell_text(value)
        if role == Qt.ItemDataRole.CheckStateRole and col.kind == "bool":
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and error:
            return QBrush(ERROR_BG)
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = col.shown(cell_text(value))
            return error or (shown if len(shown) > 30 else None)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return False
        col = self.columns[index.column()]
        if not col.editable:
            return False
        if col.kind == "bool":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            new: Any = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        elif role == Qt.ItemDataRole.EditRole:
            new = str(value).strip()
        else:
            return False
        row = self.rows[index.row()]
        if row.get(col.key) == new or (new == "" and row.get(col.key) is None):
            return True
        row[col.key] = new
        self.dataChanged.emit(index, index)
        if self.on_edit:
            self.on_edit()
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for the columns with a set of values, each offered in words with the
    value it stores: a choice column takes one of them, a suggest column any text too
    (typed in words or as the contract writes it)."""

    def __init__(self, model: RecordsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        col = self.records.columns[index.column()]
        if col.kind not in ("choice", "suggest"):
            return super().createEditor(parent, option, index)
        box = QComboBox(parent)
        for choice in col.choices:
            box.addItem(col.choice_label(choice), choice)
        box.setEditable(col.kind == "suggest")
        if col.kind == "suggest":
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        return box

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            col = self.records.columns[index.column()]
            value = str(index.data(Qt.ItemDataRole.EditRole) or "")
            i = editor.findData(value)
            if editor.isEditable():
                if i >= 0:
                    editor.setCurrentIndex(i)
                editor.setEditText(col.shown(value))
                return
            if i < 0:  # a value the choices lack (a calendar the contract does not define): kept
                editor.addItem(col.choice_label(value), value)
                i = editor.count() - 1
            editor.setCurrentIndex(i)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, self.value_of(editor, index), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)

    def value_of(self, editor: QComboBox, index: AnyIndex) -> str:
        """The value to store for what the combo box holds."""
        col = self.records.columns[index.column()]
        if not editor.isEditable():
            data = editor.currentData()
            return str(data) if data is not None else editor.currentText()
        text = editor.currentText().strip()
        current = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if text == col.shown(current):
            return current  # left as it was shown: the value itself, not its words
        picked = editor.findText(text)
        if picked >= 0:
            return str(editor.itemData(picked))
        return col.parse(text) if col.parse is not None else text
