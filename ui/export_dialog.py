"""File ▸ Export redline…: the redline review PDF of NEW against OLD.

Choose the two versions, type a rationale for each change (the document diff,
``workbench.documents.diff``, lists them, with the same keys a ``--rationale`` file uses), say
who prepared it, draft or final and the as-of date, look at the change summary, then
export on a worker with progress and Cancel to a chosen path (written atomically by
``workbench.reports.pdf.write_redline``) and open the PDF.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.state import Version
from ui.tasks import Task, run_with_progress
from workbench.app.asof import Clock, default_as_of, utc_now
from workbench.app.redline import administrative_terms, default_proposed, material_terms, redline_file_name

PAPERS = (("Letter", "letter"), ("A4", "a4"))


def documents_folder() -> Path:
    """The user's Documents folder (where a person looks for an exported PDF), else home."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(folder) if folder else Path.home()
    return path if path.is_dir() else Path.home()


class ExportOutcome:
    """What an export dialog does when its worker ends: wrote the file (say so, offer to
    open it), failed or was cancelled (nothing was written); ``what`` names the document in
    the window's status line."""

    what = "document"
    task: Task | None
    written: Path | None
    export_button: QPushButton
    open_button: QPushButton
    status: QLabel
    state: Any
    path: QLineEdit

    _browse: Callable[[], None]  # the dialog's own: choose where to save
    export: Callable[[], Any]
    reject: Callable[[], None]

    def _paper_row(self, form: QFormLayout, label: str) -> None:
        """The paper choice, Letter or A4: :meth:`_default_paper` names and selects the
        default; the user's own choice is kept when the versions change."""
        self.paper = QComboBox()
        for text, key in PAPERS:
            self.paper.addItem(text, key)
        self.paper_chosen = False
        self.paper.activated.connect(self._paper_activated)
        form.addRow(label, self.paper)

    def _default_paper(self, contract: Any) -> None:
        """Name the default paper (the CLI's and the QBR's rule) and select it, unless the
        user chose one."""
        from workbench.reports.pdf.template import default_paper

        key, why = default_paper(contract)
        for i, (label, k) in enumerate(PAPERS):
            self.paper.setItemText(i, f"{label} (the default: {why})" if k == key else label)
        if not self.paper_chosen:
            self.paper.setCurrentIndex(self.paper.findData(key))

    def _paper_activated(self, _index: int) -> None:
        self.paper_chosen = True

    def _save_and_buttons(
        self, layout: QVBoxLayout, form: QFormLayout, save_label: str, open_text: str
    ) -> None:
        """The last rows of an export dialog: where to save (with Browse…), then the status
        line and Open, Export, Close."""
        row = QHBoxLayout()
        self.path = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(save_label, row)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons.addWidget(self.status, 1)
        self.open_button = QPushButton(open_text)
        self.open_button.hide()
        self.open_button.clicked.connect(self.open_file)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for b in (self.open_button, self.export_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    def _written(self, path: Path) -> None:
        self.task = None
        self.written = Path(path)
        self.export_button.setEnabled(True)
        self.open_button.show()
        self.status.setText(f"Wrote {path}")
        self.state.message.emit(f"Wrote the {self.what} {path}")

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.export_button.setEnabled(True)
        self.status.setText(
            f"<span style='color:#b42318'>Nothing was written: {html.escape(str(exc))}</span>"
        )

    def _cancelled(self) -> None:
        self.task = None
        self.export_button.setEnabled(True)
        self.status.setText("Cancelled: nothing was written.")

    def open_file(self) -> bool:
        if self.written is None:
            return False
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written))))


class ExportDialog(ExportOutcome, QDialog):
    what = "redline"

    def __init__(self, window: Any, clock: Clock = utc_now) -> None:
        super().__init__(window)
        self.window_ = window
        self.clock = clock
        self.state = window.state
        self.setWindowTitle("Export redline")
        self.resize(1100, 720)
        self.diff: Any = None
        self.task: Task | None = None
        self.written: Path | None = None
        self.rationale: dict[str, str] = {}

        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.old = QComboBox()
        self.new = QComboBox()
        versions = list(self.state.versions)
        for v in versions:
            for box in (self.old, self.new):
                box.addItem(f"{v.label} ({v.status})", v)
        base = self.state.baseline
        target = self.state.draft or default_proposed(versions, base) or base
        if base in versions:
            self.old.setCurrentIndex(versions.index(base))
        if target in versions:
            self.new.setCurrentIndex(versions.index(target))
        self.old.currentIndexChanged.connect(self.refresh)
        self.new.currentIndexChanged.connect(self.refresh)
        top.addRow("Current version (OLD)", self.old)
        top.addRow("Proposed version (NEW)", self.new)
        layout.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("<b>Changes</b> — type why each was made (double-click the Rationale cell)"))
        self.changes = QTableWidget(0, 3)
        self.changes.setHorizontalHeaderLabels(["Change", "Section", "Rationale"])
        self.changes.verticalHeader().hide()
        header = self.changes.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.changes.setWordWrap(True)
        self.changes.itemChanged.connect(self._rationale_edited)
        ll.addWidget(self.changes, 1)
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("<b>Change summary</b> (as on the PDF's first page)"))
        self.preview = QTextBrowser()
        rl.addWidget(self.preview, 1)
        split.addWidget(right)
        split.setSizes([640, 440])
        layout.addWidget(split, 1)

        form = QFormLayout()
        from ui.cover_prefs import cover_from_settings
        from ui.main_window import settings

        self.cover, self.cover_problem = cover_from_settings(settings())  # Preferences: preparer, firm, logo
        self.prepared_by = QLineEdit(self.cover.prepared_by)
        self.prepared_by.setPlaceholderText("name printed on the cover and footer")
        form.addRow("Prepared by", self.prepared_by)
        self.final = QCheckBox("Final (otherwise marked DRAFT)")
        self.final.toggled.connect(self._update_preview)
        form.addRow("", self.final)
        self.as_of = QDateEdit()
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        form.addRow("History as of", self.as_of)
        self._paper_row(form, "Paper")
        self._save_and_buttons(layout, form, "Save the PDF to", "Open the PDF")
        self.refresh()

    # ------------------------------------------------------------------ content
    def versions(self) -> tuple[Version, Version]:
        return self.old.currentData(), self.new.currentData()

    def refresh(self) -> None:
        from workbench.documents.diff import diff_contracts

        old, new = self.versions()
        if old is None or new is None:
            return
        self.diff = diff_contracts(old.contract, new.contract)
        # a rationale for each material change; the agreement's version, status and dates
        # change with every version and are named once in the status line
        rows: list[tuple[str, str, str]] = [
            (t.describe(), t.section, t.key) for t in material_terms(self.diff.terms)
        ]
        admin = administrative_terms(self.diff.terms)
        for c in self.diff.clause_changes:
            rows.append((f"Clause {c.title}: {c.kind}", "Clause text", c.key))
        self.changes.blockSignals(True)
        self.changes.setRowCount(len(rows))
        for r, (text, section, key) in enumerate(rows):
            for col, value in enumerate((text, section)):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(f"{value}\nkey: {key}")
                self.changes.setItem(r, col, item)
            reason = QTableWidgetItem(self.rationale.get(key, ""))
            reason.setData(Qt.ItemDataRole.UserRole, key)
            self.changes.setItem(r, 2, reason)
        self.changes.blockSignals(False)
        self.changes.resizeRowsToContents()
        as_of = default_as_of(self.state.history, new.contract, self.clock)
        self.as_of.setDate(QDate(as_of.year, as_of.month, as_of.day))
        if not self.path.text() or self.written is None:
            self.path.setText(str(documents_folder() / redline_file_name(old.label, new.label)))
        self._default_paper(new.contract)
        same = old is new
        self.export_button.setEnabled(not same)
        also = f"; also {', '.join(t.label.lower() for t in admin)}" if admin else ""
        plural = "" if len(rows) == 1 else "s"
        text = "Choose two different versions." if same else f"{len(rows):,} change{plural}{also}."
        self.status.setText(" ".join(x for x in (text, self.cover_problem) if x))
        self._update_preview()

    def set_rationale(self, key: str, text: str) -> None:
        for r in range(self.changes.rowCount()):
            item = self.changes.item(r, 2)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
                item.setText(text)
                return
        raise KeyError(key)

    def _rationale_edited(self, item: QTableWidgetItem) -> None:
        if item.column() != 2:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        text = item.text().strip()
        if text:
            self.rationale[key] = text
        else:
            self.rationale.pop(key, None)
        self._update_preview()

    def _update_preview(self, *_: Any) -> None:
        if self.diff is None:
            return
        old, new = self.versions()
        parts = [
            f"<h3>{html.escape(new.contract.name)}</h3>",
            f"<p>{html.escape(old.label)} → <b>{html.escape(new.label)}</b> — "
            f"{'FINAL' if self.final.isChecked() else 'DRAFT'}</p><ul>",
        ]
        for t in self.diff.terms:
            why = self.rationale.get(t.key)
            parts.append(
                f"<li>{html.escape(t.describe())}"
                + (f"<br><i>Why: {html.escape(why)}</i>" if why else "")
                + "</li>"
            )
        for c in self.diff.clause_changes:
            why = self.rationale.get(c.key)
            parts.append(
                f"<li>Clause {html.escape(c.title)}: {c.kind}"
                + (f"<br><i>Why: {html.escape(why)}</i>" if why else "")
                + "</li>"
            )
        parts.append("</ul>")
        if not self.diff.terms and not self.diff.clause_changes:
            parts.append("<p>No differences.</p>")
        self.preview.setHtml("".join(parts))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the redline", self.path.text(), "PDF (*.pdf)")
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    # ------------------------------------------------------------------ export
    def export(self) -> Task | None:
        from workbench.documents.diff import version_from_contract
        from workbench.reports.pdf import RedlineOptions, write_redline

        old, new = self.versions()
        out = Path(self.path.text().strip())
        if not out.name or out.is_dir():
            self.status.setText("Give a file name for the PDF, e.g. redline.pdf.")
            return None
        if not out.parent.is_dir():
            self.status.setText(f"{out.parent}: no such folder.")
            return None
        as_of = self.as_of.date().toPython()
        assert isinstance(as_of, date)
        opts = RedlineOptions(
            as_of=as_of,
            prepared_on=as_of,
            prepared_by=self.prepared_by.text().strip(),
            brand=self.cover.brand,
            logo=self.cover.logo,
            final=self.final.isChecked(),
            rationale=dict(self.rationale),
            page_size=self.paper.currentData(),
        )
        h = self.state.history
        history = h if len(h.tickets) else None
        self.export_button.setEnabled(False)
        self.open_button.hide()
        self.status.setText("Exporting…")
        self.task = run_with_progress(
            self,
            "Exporting the redline",
            write_redline,
            out,
            version_from_contract(old.contract, old.label),
            version_from_contract(new.contract, new.label),
            opts,
            history=history,
            on_done=self._written,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        return self.task

    open_pdf = ExportOutcome.open_file
