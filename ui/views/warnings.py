"""Warnings: the findings of the warning-sign catalogue for a contract version, with
severity, clause and evidence; activating one opens the clause or the tickets."""

from __future__ import annotations

from html import escape as esc
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.list_model import ListTableModel
from ui.state import AppState, Version
from ui.steps import show_steps
from ui.tasks import Task, guard, run_in_background
from ui.widgets import EmptyState
from workbench.app.engagement import CONTRACT, PROPOSALS
from workbench.app.words import clause_words, code_title

AnyIndex = QModelIndex | QPersistentModelIndex
SEVERITY_COLORS = {"high": "#b42318", "medium": "#9a6700", "low": "#57606a"}
HISTORY_CODES = {"W08", "W09", "W16", "W18"}


class FindingsModel(ListTableModel):
    HEADERS = ("Warning sign", "Severity", "Where", "Evidence")

    def set_findings(self, findings: list[Any]) -> None:
        order = {"high": 0, "medium": 1, "low": 2}
        self.set_items(sorted(findings, key=lambda f: (order.get(f.severity, 9), f.code)))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        f = self.item(index)
        if f is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            cells = (code_title(f.code), f.severity.capitalize(), clause_words(f.clause),
                     f.evidence.replace("\n", " "))
            return cells[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor(SEVERITY_COLORS.get(f.severity, "#000")))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f.suggestion
        return None


class WarningsView(QWidget):
    def __init__(self, state: AppState, window: Any = None) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self._gen = 0
        self._task: Task | None = None  # the check in flight; cancelled when a newer one replaces it
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.empty = EmptyState(
            "No contract to check",
            "Warnings come from checking a contract version against the warning-sign catalogue "
            "(and the ticket history). Add the signed contract or a proposal to check it.",
        )
        show_steps(self.empty, window, [CONTRACT, PROPOSALS])
        self.stack.addWidget(self.empty)
        body = QWidget()
        layout = QVBoxLayout(body)
        top = QHBoxLayout()
        top.addWidget(QLabel("Contract version:"))
        self.version = QComboBox()
        self.version.setMinimumWidth(300)
        self.version.activated.connect(self.recompute)
        top.addWidget(self.version)
        top.addStretch(1)
        self.status = QLabel()
        top.addWidget(self.status)
        layout.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = FindingsModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.table.activated.connect(self._activated)
        split.addWidget(self.table)
        self.detail = QTextBrowser()
        split.addWidget(self.detail)
        split.setSizes([500, 200])
        layout.addWidget(split, 1)
        self.stack.addWidget(body)
        state.versions_changed.connect(self._fill_versions)
        state.workspace_changed.connect(self._fill_versions)
        state.records_changed.connect(self.recompute)
        state.history_changed.connect(self.recompute)
        self._fill_versions()

    def _fill_versions(self) -> None:
        st = self.state
        self.version.clear()
        for v in st.versions:
            self.version.addItem(f"{v.label} ({v.status})", v)
            if v is st.baseline:
                self.version.setCurrentIndex(self.version.count() - 1)
        self.stack.setCurrentIndex(1 if st.versions else 0)
        self.recompute()

    def recompute(self, *_: Any) -> None:
        v = self.version.currentData()
        self._gen += 1
        self._cancel_running()
        if not isinstance(v, Version):
            self.model.set_findings([])
            return
        history = self.state.history if len(self.state.history.tickets) else None
        gen = self._gen
        if self.state.records_pending:  # the history checks need the backups and outages
            self.status.setText("reading backups, outages and KPIs…")
            return
        self.status.setText("checking…")

        def work(progress: Any = None) -> list[Any]:
            from workbench.warnings import lint

            return lint(v.contract, history, progress=progress)

        self._task = run_in_background(
            work,
            on_done=guard(self, lambda r: self._show(gen, r)),
            on_error=guard(self, lambda e: self._check_failed(gen, e)),
            pass_progress=True,
        )

    def _cancel_running(self) -> None:
        """Stop the check in flight (its history replay) at its next progress report."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _check_failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._gen:
            self.status.setText(f"Check failed: {exc}")

    def _show(self, gen: int, findings: list[Any]) -> None:
        if gen != self._gen:
            return
        self._task = None
        self.model.set_findings(findings)
        high = sum(1 for f in findings if f.severity == "high")
        self.status.setText(f"{len(findings)} findings, {high} high")

    def _selected(self, current: QModelIndex, _prev: Any) -> None:
        if not current.isValid():
            return
        f = self.model.items[current.row()]
        self.detail.setHtml(
            f"<h3>{esc(code_title(f.code))} — {esc(f.severity)}</h3>"
            f"<p><b>Where:</b> {esc(clause_words(f.clause))}</p>"
            f"<p><b>Evidence:</b> {esc(f.evidence)}</p><p><b>Suggested wording:</b> {esc(f.suggestion)}</p>"
        )

    def _activated(self, index: QModelIndex) -> None:
        """History findings open the tickets; the others open the clause in the editor."""
        if not index.isValid() or self.window_ is None:
            return
        f = self.model.items[index.row()]
        if f.tickets:
            self.window_.show_view("tickets")
            tickets = self.window_.views.get("tickets")
            if tickets is not None:
                tickets.show_tickets(f.tickets, f"{code_title(f.code)} — {f.evidence[:80]}", back="warnings")
        elif f.code in HISTORY_CODES:
            self.window_.show_view("tickets")
        else:
            self.window_.show_view("editor")
            editor = self.window_.views.get("editor")
            if editor is not None and hasattr(editor, "show_clause") and f.clause:
                editor.show_clause(str(f.clause))
