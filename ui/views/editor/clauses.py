"""The Clause text section: the numbered clauses and the text of the one selected."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from models.contract import Contract
from ui.records import Column, cell_text
from ui.views.editor.form import EditorHost, LinesEdit, Section


class ClausesSection(Section):
    TITLE = "Clause text"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        self.row = -1  # the clause whose text is shown
        self.table = self.records(
            "clauses",
            [Column("number", "Number"), Column("heading", "Heading")],
            {"number": "", "heading": "", "text": ""},
            "Clauses",
        )
        self.table.view.selectionModel().currentRowChanged.connect(self._picked)
        self.text = LinesEdit("The clause text", height=200)
        self.text.setMaximumHeight(16777215)
        self.text.committed.connect(self.text_committed)
        self.register("clauses.text", self.text)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        holder = QWidget()
        hl = QVBoxLayout(holder)
        hl.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("Text of the selected clause")
        hl.addWidget(self.label)
        hl.addWidget(self.text, 1)
        split.addWidget(holder)
        split.setSizes([260, 300])
        self.set_page(split)

    def fill(self, c: Contract) -> None:
        self.table.model.set_rows([k.model_dump() for k in c.clauses])
        self._picked(self.table.view.currentIndex())

    def collect(self, data: dict[str, Any]) -> None:
        data["clauses"] = [
            {k: cell_text(r.get(k)) for k in ("number", "heading", "text")} for r in self.table.model.rows
        ]

    def _picked(self, current: QModelIndex, _previous: Any = None) -> None:
        rows = self.table.model.rows
        r = current.row() if current.isValid() else -1
        self.text.setEnabled(0 <= r < len(rows))
        self.row = r
        if 0 <= r < len(rows):
            title = " ".join(
                x for x in (cell_text(rows[r].get("number")), cell_text(rows[r].get("heading"))) if x
            )
            self.label.setText(f"Text of clause {title}")
            self.text.set_lines([cell_text(rows[r].get("text"))])
        else:
            self.label.setText("Select a clause to edit its text")
            self.text.set_lines([])

    def text_committed(self) -> None:
        rows = self.table.model.rows
        r = self.row
        if 0 <= r < len(rows):
            rows[r]["text"] = self.text.toPlainText()
            self.host.commit(f"Edit clause {cell_text(rows[r].get('number'))} text")

    def select(self, reference: str) -> bool:
        """Select the clause a finding names (by number or heading); False when none matches."""
        ref = reference.lower()
        for r, row in enumerate(self.table.model.rows):
            number, heading = cell_text(row.get("number")).lower(), cell_text(row.get("heading")).lower()
            if (number and re.search(rf"(^|\s|§){re.escape(number)}\b", ref)) or (heading and heading in ref):
                self.table.view.setCurrentIndex(self.table.model.index(r, 0))
                return True
        return False
