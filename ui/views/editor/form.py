"""What the editor's sections share: the editor they serve (:class:`EditorHost`), the
:class:`Section` base with its field builders, and two field widgets (:class:`LinesEdit`,
:class:`RecordsTable`).

A section builds the fields of one page, fills them from a contract (:meth:`Section.fill`)
and writes them back into the contract's plain data (:meth:`Section.collect`).  Each field
is registered with the editor under its contract path (``monthly_fee``,
``security.soc_services``), which is where a validation error is shown; each committed
edit asks the editor to validate the whole form and push one undoable step.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.contract import Contract
from ui.records import ChoiceDelegate, Column, RecordsModel
from ui.state import Version


def opt_text(text: str) -> str | None:
    """The stripped text, or None for an empty field (the model's default applies)."""
    text = text.strip()
    return text or None


def split_list(text: str) -> list[str]:
    """Comma- or line-separated items, stripped, empty ones left out."""
    return [s.strip() for s in re.split(r"[,\n]", text) if s.strip()]


class EditorHost(Protocol):
    """The editor as its sections see it."""

    @property
    def loading(self) -> bool:
        """True while the form is being filled from a contract (no edit is committed)."""
        ...

    def filling(self) -> AbstractContextManager[None]:
        """While in it, fields change from the contract and nothing is committed."""
        ...

    def version(self) -> Version | None: ...

    def register(self, path: str, widget: QWidget) -> QWidget:
        """Show the errors of contract ``path`` (and of the paths below it) at ``widget``."""
        ...

    def forget(self, prefix: str) -> None:
        """Drop the fields registered under ``prefix``."""
        ...

    def add_records(self, path: str, model: RecordsModel) -> None:
        """A records table: its cells show the errors of ``path.<row>.<column>``."""
        ...

    def commit(self, text: str, key: str = "") -> bool:
        """Validate the whole form; push one undoable edit named ``text`` when valid."""
        ...

    def commit_data(self, data: dict[str, Any], text: str, key: str = "") -> bool: ...

    def collect(self) -> dict[str, Any]:
        """The whole contract as plain data, from the form."""
        ...

    def show_errors(self, errors: list[tuple[str, str]]) -> None: ...


class LinesEdit(QPlainTextEdit):
    """One item per line; ``committed`` when focus leaves after a change."""

    committed = Signal()

    def __init__(self, placeholder: str = "", height: int = 70) -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(height)
        self.setMaximumHeight(max(height, 110))
        self._loaded = ""

    def set_lines(self, items: Any) -> None:
        self._loaded = "\n".join(str(i) for i in items)
        self.setPlainText(self._loaded)

    def lines(self) -> list[str]:
        return [s.strip() for s in self.toPlainText().splitlines() if s.strip()]

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.toPlainText() != self._loaded:
            self._loaded = self.toPlainText()
            self.committed.emit()


class RecordsTable(QWidget):
    """A RecordsModel in a table with Add / Remove buttons."""

    def __init__(self, model: RecordsModel, new_row: dict[str, Any] | None, title: str = "") -> None:
        super().__init__()
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if title:
            layout.addWidget(QLabel(f"<b>{title}</b>"))
        self.view = QTableView()
        self.view.setModel(model)
        self.view.setItemDelegate(ChoiceDelegate(model, self.view))
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(70)
        self.view.setMinimumHeight(120)
        model.modelReset.connect(self._fit)
        layout.addWidget(self.view, 1)
        if new_row is not None:
            row = QHBoxLayout()
            add = QPushButton("Add row")
            remove = QPushButton("Remove selected row")
            add.clicked.connect(lambda: model.add_row(new_row))
            remove.clicked.connect(self._remove)
            row.addWidget(add)
            row.addWidget(remove)
            row.addStretch(1)
            layout.addLayout(row)

    def _fit(self) -> None:
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        for c in range(self.model.columnCount()):
            header.resizeSection(c, min(max(header.sectionSize(c) + 16, 90), 320))

    def _remove(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())


class Section(QWidget):
    """One page of the editor.  A subclass builds its page in ``__init__`` (with the
    builders below, then :meth:`set_page`), and implements :meth:`fill` and :meth:`collect`."""

    TITLE = ""  # its entry in the section list

    def __init__(self, host: EditorHost) -> None:
        super().__init__()
        self.host = host
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def set_page(self, page: QWidget) -> None:
        self._layout.addWidget(page)

    def fill(self, c: Contract) -> None:
        """Show ``c`` in the fields (the editor is loading: nothing is committed)."""
        raise NotImplementedError

    def collect(self, data: dict[str, Any]) -> None:
        """Write the fields into ``data`` (the contract's plain data, changed in place)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ builders
    def register(self, path: str, widget: QWidget) -> QWidget:
        return self.host.register(path, widget)

    def line(
        self, form: QFormLayout, path: str, label: str, placeholder: str = "", tip: str = ""
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setToolTip(tip)
        edit.editingFinished.connect(lambda: self.edited(edit, f"Edit {label.lower()}"))
        form.addRow(label, self.register(path, edit))
        return edit

    def lines(self, form: QFormLayout, path: str, label: str, placeholder: str = "") -> LinesEdit:
        edit = LinesEdit(placeholder)
        edit.committed.connect(lambda: self.host.commit(f"Edit {label.lower()}"))
        form.addRow(label, self.register(path, edit))
        return edit

    def check(self, form: QFormLayout, path: str, label: str) -> QCheckBox:
        box = QCheckBox(label)
        box.toggled.connect(lambda _on: self.host.commit(f"Edit {label.lower()}"))
        form.addRow(self.register(path, box))
        return box

    def combo(self, form: QFormLayout, path: str, label: str, items: tuple[str, ...]) -> QComboBox:
        box = QComboBox()
        box.addItems(list(items))
        box.activated.connect(lambda _i: self.host.commit(f"Edit {label.lower()}"))
        form.addRow(label, self.register(path, box))
        return box

    def records(
        self, path: str, columns: list[Column], new_row: dict[str, Any] | None, title: str = ""
    ) -> RecordsTable:
        model = RecordsModel(columns, on_edit=lambda: self.host.commit(f"Edit {title.lower() or path}"))
        self.host.add_records(path, model)
        table = RecordsTable(model, new_row, title)
        self.register(path, table.view)
        return table

    def edited(self, edit: QLineEdit, text: str) -> None:
        """A line edit's editing finished: commit when its text was changed."""
        if edit.isModified():
            edit.setModified(False)
            self.host.commit(text)

    @staticmethod
    def rows(table: RecordsTable) -> list[dict[str, Any]]:
        """Rows of a records table as data: empty cells left out (the model's default applies)."""
        return [{k: v for k, v in r.items() if v is not None and v != ""} for r in table.model.rows]

    @staticmethod
    def scroll_page(*widgets: QWidget | QFormLayout, stretch: bool = True) -> QScrollArea:
        page = QWidget()
        layout = QVBoxLayout(page)
        for w in widgets:
            if isinstance(w, QFormLayout):
                layout.addLayout(w)
            else:
                layout.addWidget(w)
        if stretch:
            layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    @staticmethod
    def form() -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        return form
