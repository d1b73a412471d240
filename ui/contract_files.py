"""Contract versions from and to files: File ▸ Add contract version… (and files put on
the window), its review page, File ▸ New contract from template, and the navigator's
"Export as YAML…" and "Remove…".

A file is read on a pool thread under a progress dialog whose Cancel stops a document's
parser at once (``workbench.app.contracts.read_contract_file``); a
document's terms are shown for review before anything is stored: each with the clause
and words it came from, its value editable, what the document does not state with the
2026 template's value offered.  Confirm rebuilds the version with the corrections
(``confirm_terms``) and stores it on the database worker (``add_version``); Cancel
stores nothing.  This module only shows; the reading, confirming and storing are the
application layer's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.contract import ContractError, save_contract
from ui.state import AddVersion, Version
from ui.tasks import guard, run_with_progress
from workbench.app.contracts import (
    ContractFile,
    Route,
    Status,
    confirm_terms,
    dropped_file_route,
    parse_term_value,
    read_contract_file,
    term_text,
)
from workbench.app.drafts import new_draft_key
from workbench.app.templates import load_template, template_default
from workbench.app.term_labels import term_label
from workbench.app.workspace import Changes, add_version, discard_draft, remove_version

if TYPE_CHECKING:
    from ui.main_window import MainWindow

STATUSES = (("signed", "Signed (the contract in force)"), ("proposal", "Proposal"), ("draft", "Draft"))
FILE_FILTER = (
    "Contracts and SLA documents (*.yaml *.yml *.json *.txt *.md *.html *.htm *.adoc *.docx *.pdf)"
    ";;All files (*)"
)
PATH_ROLE = Qt.ItemDataRole.UserRole
TEXT_ROLE = Qt.ItemDataRole.UserRole + 1  # the value's text as read, to tell an edit


def _named(path: Path, exc: BaseException) -> str:
    """An error message that names the file."""
    text = str(exc)
    return text if path.name in text else f"{path}: {text}"


def _cell(text: str, tooltip: str | None = None, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tooltip if tooltip is not None else text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    return item


def _item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    if item is None:
        raise KeyError((row, column))
    return item


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setWordWrap(False)
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 10)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _titled(title: str, table: QTableWidget) -> QWidget:
    """A table under its title."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(title))
    layout.addWidget(table)
    return box


class ReviewDialog(QDialog):
    """What a file gives, checked before it is stored: status and label; for a document
    every extracted term (value editable) with its clause and quote; what is not
    stated, with the template's value offered."""

    def __init__(self, window: MainWindow, read: ContractFile, path: Path) -> None:
        super().__init__(window)
        self.window_ = window
        self.read = read
        self.path = path
        self.stored: Changes | None = None  # what Confirm stored
        self.job: Any = None
        self.setObjectName("add_contract_dialog")
        self.setWindowTitle(f"Add contract version — {read.source}")
        # a document's page holds two tables; a contract file's only what is not stated
        width, height = (1200, 680) if read.extracted else (900, 460 if read.missing else 200)
        screen = window.screen().availableGeometry() if window.screen() is not None else None
        if screen is not None:
            width, height = min(width, screen.width() - 40), min(height, screen.height() - 60)
        self.resize(width, height)
        layout = QVBoxLayout(self)

        c = read.contract
        if read.extracted:
            intro = (
                f"<b>{read.source}</b> is a document: {len(read.terms)} terms were read from it and "
                f"{len(read.missing)} an SLA should state are not there. Check each term against its clause "
                "and quote; double-click a value to correct it (empty drops it). Nothing is stored until you "
                "press <b>Add version</b>."
            )
        else:
            n_targets = len(c.targets)
            intro = (
                f"<b>{read.source}</b> is a contract file: “{c.name}”, {n_targets} "
                f"priorit{'y' if n_targets == 1 else 'ies'} with targets, {len(c.clauses)} clauses. "
                "Choose its status and label; nothing is stored until you press <b>Add version</b>."
            )
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        row = QHBoxLayout()
        form = QFormLayout()
        self.status = QComboBox()
        for key, text in STATUSES:
            self.status.addItem(text, key)
        self.status.setCurrentIndex(max(0, self.status.findData(c.status)))
        form.addRow("Status", self.status)
        row.addLayout(form, 1)
        form2 = QFormLayout()
        self.label = QLineEdit(c.version)
        self.label.setToolTip("The version's label, as lists and reports name it")
        form2.addRow("Label", self.label)
        row.addLayout(form2, 2)
        layout.addLayout(row)

        split = QSplitter(Qt.Orientation.Vertical)
        self.terms = _table(["Term", "Value", "Clause", "Quote"])
        self.terms.setEditTriggers(
            QTableWidget.EditTrigger.DoubleClicked
            | QTableWidget.EditTrigger.EditKeyPressed
            | QTableWidget.EditTrigger.AnyKeyPressed
        )
        self.terms.setRowCount(len(read.terms))
        for r, t in enumerate(read.terms):
            name = _cell(term_label(t.path), t.path)
            name.setData(PATH_ROLE, t.path)
            self.terms.setItem(r, 0, name)
            text = term_text(t.value)
            value = _cell(text, f"{text}\n(double-click to correct)", editable=True)
            value.setData(TEXT_ROLE, text)
            self.terms.setItem(r, 1, value)
            self.terms.setItem(r, 2, _cell(t.clause or "—"))
            self.terms.setItem(r, 3, _cell(t.quote))
        header = self.terms.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.terms.setColumnWidth(0, 250)
        self.terms.setColumnWidth(1, 330)
        self.terms.setColumnWidth(2, 90)
        terms_box = _titled("<b>Terms read from the document</b> (unconfirmed)", self.terms)
        terms_box.setVisible(read.extracted)
        split.addWidget(terms_box)

        self.missing = _table(["Term", "Use default", "Template's value"])
        self.missing.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.missing.setRowCount(len(read.missing))
        for r, term in enumerate(read.missing):
            name = _cell(term_label(term), term)
            name.setData(PATH_ROLE, term)
            self.missing.setItem(r, 0, name)
            default = template_default(term)
            use = QTableWidgetItem("Use default")
            flags = Qt.ItemFlag.ItemIsSelectable
            if default is not None:
                flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
            use.setFlags(flags)
            use.setCheckState(Qt.CheckState.Unchecked)
            self.missing.setItem(r, 1, use)
            self.missing.setItem(r, 2, _cell("(none)" if default is None else term_text(default)))
        self.missing.setColumnWidth(0, 250)
        self.missing.setColumnWidth(1, 110)
        where = "document" if read.extracted else "file"
        missing_box = _titled(f"<b>Not stated in the {where}</b> — tick “Use default” to take the 2026 "
                              "template's value", self.missing)
        missing_box.setVisible(bool(read.missing))
        split.addWidget(missing_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        split.setVisible(read.extracted or bool(read.missing))
        if not split.isVisibleTo(self):
            layout.addStretch(1)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b42318;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.confirm_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm_button.setText("Add version")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # ------------------------------------------------------------------ reading the page
    def set_value(self, path: str, text: str) -> None:
        """Type ``text`` as the value of the term at ``path`` (as a double-click edit does)."""
        _item(self.terms, self._row(self.terms, path), 1).setText(text)

    def use_default(self, path: str, on: bool = True) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        _item(self.missing, self._row(self.missing, path), 1).setCheckState(state)

    def _row(self, table: QTableWidget, path: str) -> int:
        for r in range(table.rowCount()):
            if _item(table, r, 0).data(PATH_ROLE) == path:
                return r
        raise KeyError(path)

    def edits(self) -> dict[str, Any]:
        """The values changed on the page (ValueError for one that is not a value)."""
        out: dict[str, Any] = {}
        for r in range(self.terms.rowCount()):
            item = _item(self.terms, r, 1)
            text = item.text().strip()
            if text != item.data(TEXT_ROLE):
                path = _item(self.terms, r, 0).data(PATH_ROLE)
                out[path] = parse_term_value(path, text)
        return out

    def defaults(self) -> list[str]:
        return [
            _item(self.missing, r, 0).data(PATH_ROLE)
            for r in range(self.missing.rowCount())
            if _item(self.missing, r, 1).checkState() == Qt.CheckState.Checked
        ]

    def confirmed(self) -> ContractFile:
        """The version with the page's corrections (ValueError/ContractError if one is wrong)."""
        return confirm_terms(
            self.read,
            self.edits(),
            self.defaults(),
            status=self.status.currentData(),
            label=self.label.text(),
        )

    # ------------------------------------------------------------------ confirm / cancel
    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        """Store the confirmed version on the database worker; the page closes when it is in."""
        if self.job is not None:
            return
        try:
            confirmed = self.confirmed()
        except (ValueError, ContractError) as exc:
            self._show_error(str(exc))
            return
        self.error.hide()
        self.confirm_button.setEnabled(False)

        def job(ws: Any) -> Changes:
            if ws is None:
                raise RuntimeError("no workspace is open")
            return add_version(ws, confirmed)  # one transaction; a duplicate is refused

        def stored(changes: Changes) -> None:
            self.job = None
            self.stored = changes
            state = self.window_.state
            state.apply_changes(changes)
            (version,) = changes.added
            state.message.emit(
                f"Added “{version.label}” ({version.status}) from {self.read.source} as version {version.id}"
            )
            super(ReviewDialog, self).accept()

        def failed(exc: BaseException) -> None:
            self.job = None
            self.confirm_button.setEnabled(True)
            message = _named(self.path, exc)
            self._show_error(message)
            self.window_._error(message)

        self.job = self.window_.db.call(job, on_done=guard(self, stored), on_error=guard(self, failed))


# ---------------------------------------------------------------------- the window's commands


def add_contract_version(
    window: MainWindow, path: str | Path | None = None, *, status: Status | None = None
) -> Any:
    """File ▸ Add contract version…: pick ``path`` (asked when None), read it on a pool
    thread under a progress dialog (its Cancel stops a document's parser at once; nothing
    is stored), then show the review page, with ``status`` proposed when given (else the
    file's own; draft for a document).  Returns the reading task (None when nothing was
    picked)."""
    if not window.state.is_open:
        window._error("Open or create a workspace first: a contract version goes into a workspace.")
        return None
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(window, "Add contract version", "", FILE_FILTER)
        if not chosen:
            return None
        path = chosen
    p = Path(path)
    window.statusBar().showMessage(f"Reading {p.name}…")

    def read(found: ContractFile) -> None:
        window.statusBar().clearMessage()
        dlg = ReviewDialog(window, found, p)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.contract_dialog = dlg
        dlg.open()  # window-modal, not blocking

    def failed(exc: BaseException) -> None:
        window.statusBar().clearMessage()
        window._error(_named(p, exc))

    def cancelled() -> None:
        window.statusBar().showMessage(f"Cancelled: {p.name} was not read; nothing was added.", 10000)

    return run_with_progress(
        window, f"Reading {p.name}", read_contract_file, p, status=status,
        on_done=guard(window, read), on_error=guard(window, failed), on_cancel=guard(window, cancelled),
    )


def new_contract_from_template(window: MainWindow) -> Version | None:
    """File ▸ New contract from template: the 2026 template as a working draft in the editor."""
    if not window.state.is_open:
        window._error("Open or create a workspace first: the new contract is a draft in a workspace.")
        return None
    try:
        contract = load_template()
    except (OSError, ContractError) as exc:
        window._error(f"The contract template cannot be read: {exc}")
        return None
    state = window.state
    version = Version(None, contract, new_draft_key(None), None)
    state.undo_stack.push(AddVersion(state, version, "New contract from template"))
    window.show_view("editor")
    state.message.emit("A new draft from the 2026 SLA template: replace the names, hours and systems")
    return version


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files of a drag."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def can_take(mime: QMimeData) -> bool:
    """Whether a drag holds a file the window takes (an export, a contract or a document)."""
    return any(dropped_file_route(p) is not None for p in dropped_paths(mime))


def open_dropped(window: MainWindow, paths: list[Path]) -> list[tuple[Path, Route | None]]:
    """Files put on the window: an export goes to the import wizard, a contract file or
    document to Add contract version; another file is refused, naming it.  Returns each
    file with where it went."""
    routes = [(p, dropped_file_route(p)) for p in paths]
    refused = [p for p, route in routes if route is None]
    if refused:
        names = ", ".join(p.name for p in refused)
        window._error(f"{names}: not a ticket export (CSV/XLSX), contract file (YAML/JSON) or SLA document "
                      "(.txt, .md, .html, .adoc, .docx, .pdf)")
    imports = [p for p, route in routes if route == "import"]
    if imports:
        open_import(window, imports[0])
        if len(imports) > 1:
            window._error(f"One export at a time: importing {imports[0].name}; put the others on the window "
                          "after it")
    for p, route in routes:
        if route == "contract":
            add_contract_version(window, p)
    return routes


def open_import(window: MainWindow, path: Path) -> Any:
    """The import wizard with ``path`` chosen on its first page (window-modal, not blocking)."""
    from ui.import_wizard import ImportWizard

    if not window.state.is_open:
        window._error("Open or create a workspace first: imported files go into a workspace.")
        return None
    wizard = ImportWizard(window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.file_page.path.setText(str(path))
    window.import_wizard = wizard
    wizard.open()
    return wizard


def _file_name(version: Version) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in version.contract.version)
    return (keep.strip("-") or "contract") + ".yaml"


def export_version(window: MainWindow, version: Version, path: str | Path | None = None) -> Path | None:
    """Navigator ▸ Export as YAML…: write the version as a contract file (adding that file
    again gives an equal version).  ``path`` is asked when None."""
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            window, "Export as YAML", _file_name(version), "Contract file (*.yaml *.yml)"
        )
        if not chosen:
            return None
        path = chosen
    p = Path(path)
    if p.suffix.lower() not in (".yaml", ".yml"):
        p = p.with_name(p.name + ".yaml")
    try:
        save_contract(version.contract, p)
    except OSError as exc:
        window._error(f"{p}: cannot write: {exc.strerror or exc}")
        return None
    window.state.message.emit(f"“{version.label}” written to {p}")
    return p


def removal_question(version: Version) -> str:
    what = "working draft" if version.id is None else f"{version.status} version {version.id}"
    return (f"Remove the {what} “{version.label}” from the workspace?\n"
            "This cannot be undone; export it as YAML first to keep a copy.")


def remove_from_workspace(
    window: MainWindow, version: Version, ask: Callable[[str], bool] | None = None
) -> Any:
    """Navigator ▸ Remove…: take a draft or proposal out of the workspace, after asking.
    A signed version is immutable (the menu offers no removal)."""
    if version.status == "signed" and version.draft_key is None:
        window._error(f"“{version.label}” is signed; a signed version is immutable")
        return None
    question = removal_question(version)
    if ask is None:
        def ask(text: str) -> bool:
            answer = QMessageBox.question(window, "Remove contract version", text)
            return answer == QMessageBox.StandardButton.Yes

    if not ask(question):
        return None

    def job(ws: Any) -> Changes:
        if ws is None:
            raise RuntimeError("no workspace is open")
        if version.draft_key is not None:
            return discard_draft(ws, version.draft_key)
        return remove_version(ws, version)

    def done(changes: Changes) -> None:
        window.state.apply_changes(changes)
        window.state.message.emit(f"Removed “{version.label}”")

    def failed(exc: BaseException) -> None:
        window._error(f"Could not remove “{version.label}”: {exc}")

    return window.db.call(job, on_done=guard(window, done), on_error=guard(window, failed))
