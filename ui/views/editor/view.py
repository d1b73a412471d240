"""The contract editor view: the section list, the section pages, and what they share —
the whole-form commit, the error marks, the header and the draft's Save / Discard.

Each section (``ui/views/editor/<section>.py``) fills its fields from the contract and
writes them back into the contract's plain data; the view collects all of them,
validates the result and pushes one undoable step (see the package's docstring).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.contract import PRIORITIES, Contract, ContractError, contract_from_data
from ui.records import RecordsModel
from ui.state import AddVersion, AppState, EditDraft, Version
from ui.steps import show_steps, template_button
from ui.views.editor.backup import BackupSection
from ui.views.editor.calendars import CalendarsSection
from ui.views.editor.clauses import ClausesSection
from ui.views.editor.credits import CreditsSection
from ui.views.editor.escalation import EscalationSection
from ui.views.editor.form import Section
from ui.views.editor.general import GeneralSection
from ui.views.editor.reporting import ReportingSection
from ui.views.editor.scope import ScopeSection
from ui.views.editor.targets import TargetsSection
from ui.widgets import EmptyState
from workbench.app.drafts import new_draft_key
from workbench.app.engagement import CONTRACT
from workbench.app.field_errors import error_words, plain_message
from workbench.app.workspace import Changes, save_draft_as_version

ERROR_COLOUR = "#b42318"
ERROR_STYLE = f"border: 2px solid {ERROR_COLOUR};"


class _HiddenWith(QWidget):
    """The empty label cell of a form row that holds an error line: shown and hidden
    with it, so that a hidden error takes no room."""

    def __init__(self, note: QWidget) -> None:
        super().__init__()
        self.setFixedSize(0, 0)
        self.setVisible(False)
        note.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide) and isinstance(watched, QWidget):
            self.setVisible(watched.isVisible())
        return False


def _layout_of(layout: QLayout | None, widget: QWidget) -> tuple[QLayout, int] | None:
    """The layout (``layout`` or one inside it) that holds ``widget``, and its index there."""
    if layout is None:
        return None
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        if item.widget() is widget:
            return layout, i
        inner = item.layout()
        if inner is not None:
            found = _layout_of(inner, widget)
            if found is not None:
                return found
    return None


class ContractEditorView(QWidget):
    def __init__(self, state: AppState, window: Any = None) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self._loading = False
        self._fields: dict[str, QWidget] = {}
        self._models: dict[str, RecordsModel] = {}
        self._marked: list[QWidget] = []
        self._notes: dict[int, QLabel] = {}  # a field's error line, by the field's id
        self.errors: list[tuple[str, str]] = []
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.empty = EmptyState(
            "No contract to edit",
            "This workspace has no contract version yet: add the signed contract (a PDF, DOCX, text or "
            "YAML file), or start a draft from the 2026 SLA template. Editing a signed version makes a new "
            "draft: the signed version itself never changes.",
        )
        if window is not None:
            show_steps(self.empty, window, [CONTRACT])
            self.empty.add_button(template_button(window))
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._build_body())
        state.draft_changed.connect(self.reload)
        state.baseline_changed.connect(self.reload)
        state.workspace_changed.connect(self.reload)
        state.versions_changed.connect(self._update_header)
        self.reload()

    # ------------------------------------------------------------------ what sections use
    @property
    def loading(self) -> bool:
        return self._loading

    @contextmanager
    def filling(self) -> Iterator[None]:
        """Fields change from the contract, not from the user: nothing is committed."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    def register(self, path: str, widget: QWidget) -> QWidget:
        self._fields[path] = widget
        widget.setProperty("plain_tip", widget.toolTip())
        return widget

    def forget(self, prefix: str) -> None:
        for path in [p for p in self._fields if p.startswith(prefix)]:
            del self._fields[path]

    def add_records(self, path: str, model: RecordsModel) -> None:
        self._models[path] = model

    # ------------------------------------------------------------------ layout
    def _build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.save_button = QPushButton("Save as new version")
        self.save_button.setToolTip("Store this draft in the workspace as a new, immutable contract version")
        self.save_button.clicked.connect(self.save_as_new_version)
        top.addWidget(self.save_button)
        self.discard_button = QPushButton("Discard draft")
        self.discard_button.setToolTip("Throw this working draft and its autosaved copy away")
        self.discard_button.clicked.connect(lambda: self.discard_draft())
        top.addWidget(self.discard_button)
        layout.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.pages = QStackedWidget()
        self.general = GeneralSection(self)
        self.targets = TargetsSection(self)
        self.calendars = CalendarsSection(self)
        self.scope = ScopeSection(self)
        self.backup = BackupSection(self)
        self.escalation = EscalationSection(self)
        self.reporting = ReportingSection(self)
        self.credits = CreditsSection(self)
        self.clauses = ClausesSection(self)
        self.section_pages: tuple[Section, ...] = (
            self.general,
            self.targets,
            self.calendars,
            self.scope,
            self.backup,
            self.escalation,
            self.reporting,
            self.credits,
            self.clauses,
        )
        self.sections = QListWidget()
        self.sections.addItems([s.TITLE for s in self.section_pages])
        self.sections.setMaximumWidth(190)
        self.sections.setMinimumWidth(160)
        for section in self.section_pages:
            self.pages.addWidget(section)
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sections.setCurrentRow(0)
        split.addWidget(self.sections)
        split.addWidget(self.pages)
        split.setStretchFactor(1, 1)
        split.setSizes([180, 1100])
        layout.addWidget(split, 1)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b42318;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error_label)
        return body

    # ------------------------------------------------------------------ state -> form
    def version(self) -> Version | None:
        return self.state.draft or self.state.baseline

    def _update_header(self) -> None:
        v = self.version()
        if v is None:
            return
        c = v.contract
        if v.draft_key is not None:
            parent = next((x for x in self.state.versions if x.id is not None and x.id == v.parent_id), None)
            origin = f" — draft of {parent.label}" if parent else " — working draft"
            note = "edits are autosaved; “Save as new version” stores it"
        else:
            origin = f" — stored {c.status} version"
            note = "read-only: your first edit starts a new draft from it"
        self.title.setText(f"<b>{c.name}</b><br>{c.version}{origin} <span style='color:gray'>({note})</span>")
        self.save_button.setEnabled(v.draft_key is not None)
        self.discard_button.setEnabled(v.draft_key is not None)

    def reload(self) -> None:
        v = self.version()
        if v is None:
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        with self.filling():
            self._fill(v.contract)
        self._update_header()
        self.show_errors([])

    def _fill(self, c: Contract) -> None:
        for section in self.section_pages:
            section.fill(c)

    # ------------------------------------------------------------------ form -> data
    def collect(self) -> dict[str, Any]:
        """The whole contract as plain data, from the form (fields the form does not show
        are kept from the current version)."""
        v = self.version()
        assert v is not None
        data = v.contract.to_data()
        for section in self.section_pages:
            section.collect(data)
        return data

    # ------------------------------------------------------------------ commit
    def commit(self, text: str, key: str = "") -> bool:
        """Validate the form; push one undoable edit when it is valid and changed."""
        if self._loading or self.version() is None:
            return False
        try:
            data = self.collect()
        except ValueError as exc:
            self.show_errors([("", str(exc))])
            return False
        return self.commit_data(data, text, key)

    def commit_data(self, data: dict[str, Any], text: str, key: str = "") -> bool:
        v = self.version()
        if v is None:
            return False
        try:
            new = contract_from_data(data, "contract")
        except ContractError as exc:
            self.show_errors([(e.path, e.message) for e in exc.errors])
            return False
        self.show_errors([])
        if new == v.contract:
            return True
        stack = self.state.undo_stack
        if v.draft_key is not None:
            stack.push(EditDraft(self.state, new, text, key))
            return True
        # a stored version is never edited in place: the edit starts a new draft from it
        if new.status != "draft" and new.status == v.contract.status:
            new = new.model_copy(update={"status": "draft"})
        if new.version == v.contract.version:
            new = new.model_copy(update={"version": f"{v.contract.version} — draft"})
        draft = Version(None, new, new_draft_key(v.id), v.id)
        stack.push(AddVersion(self.state, draft, f"{text} (new draft of {v.label})"))
        return True

    # ------------------------------------------------------------------ errors
    def show_errors(self, errors: list[tuple[str, str]]) -> None:
        """Mark each error at its field: a table's cell turns red (the table keeps its
        frame), another field gets a red frame; beside either, the error in words."""
        for w in self._marked:
            w.setStyleSheet("")
            w.setToolTip(str(w.property("plain_tip") or ""))
        self._marked = []
        for note in self._notes.values():
            note.hide()
        for model in self._models.values():
            if model.errors:
                model.set_errors({})
        for i, section in enumerate(self.section_pages):
            item = self.sections.item(i)
            if item is not None:
                item.setText(section.TITLE)
                item.setForeground(QBrush())
        self.errors = list(errors)
        if not errors:
            self.error_label.setText("")
            return
        per_widget: dict[int, list[str]] = {}
        told: list[str] = []
        for path, msg in errors:
            words = error_words(path, msg, self._mark_cell(path, msg))
            widget = self._widget_for(path)
            home = self._section_of(widget)
            told.append(f"{words} ({home.TITLE})" if home is not None else words)
            if widget is None:
                continue
            if widget not in self._marked:
                self._marked.append(widget)
            per_widget.setdefault(id(widget), []).append(words)
            if home is not None:
                item = self.sections.item(self.section_pages.index(home))
                if item is not None:
                    item.setText(f"{home.TITLE} ⚠")
                    item.setForeground(QBrush(QColor(ERROR_COLOUR)))
        for w in self._marked:
            if not isinstance(w, QAbstractItemView):  # a table shows its errors in the cells
                w.setStyleSheet(f"{type(w).__name__} {{ {ERROR_STYLE} }}")
            w.setToolTip("\n".join(per_widget[id(w)]))
            line = self._note_for(w)
            if line is not None:
                line.setText("\n".join(per_widget[id(w)]))
                line.show()
        self.error_label.setText("Not applied — fix the marked field: " + "; ".join(told))

    def _section_of(self, widget: QWidget | None) -> Section | None:
        if widget is None:
            return None
        return next((s for s in self.section_pages if s.isAncestorOf(widget)), None)

    def _note_for(self, widget: QWidget) -> QLabel | None:
        """The error line beside ``widget`` (made on first use, next to it in its layout)."""
        note = self._notes.get(id(widget))
        if note is not None:
            return note
        parent = widget.parentWidget()
        found = _layout_of(parent.layout(), widget) if parent is not None else None
        if found is None:
            return None
        layout, index = found
        note = QLabel()
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {ERROR_COLOUR};")
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note.setObjectName("field_error")
        if isinstance(layout, QFormLayout):
            position: Any = layout.getWidgetPosition(widget)  # (row, role)
            layout.insertRow(int(position[0]) + 1, _HiddenWith(note), note)
        elif isinstance(layout, QGridLayout):
            cell: Any = layout.getItemPosition(index)  # (row, column, row span, column span)
            layout.addWidget(note, int(cell[0]), int(cell[1]) + int(cell[3]))
        elif isinstance(layout, QBoxLayout):
            layout.insertWidget(index + 1, note)
        else:
            return None
        self._notes[id(widget)] = note
        return note

    def _widget_for(self, path: str) -> QWidget | None:
        best = ""
        for p in self._fields:
            if (path == p or path.startswith(p + ".")) and len(p) > len(best):
                best = p
        return self._fields.get(best) if best else None

    def _mark_cell(self, path: str, msg: str) -> dict[str, str] | None:
        """Mark the table cell of ``path``; the table's column titles when it is one."""
        parts = path.split(".")
        for mpath, model in self._models.items():
            n = len(mpath.split("."))
            if parts[:n] != mpath.split("."):
                continue
            rest = parts[n:]
            if mpath == "targets" and rest:
                row = PRIORITIES.index(rest[0]) if rest[0] in PRIORITIES else -1
                col = rest[1] if len(rest) > 1 else "response"
            elif rest and rest[0].isdigit():
                row, col = int(rest[0]), (rest[1] if len(rest) > 1 else model.columns[0].key)
            else:
                continue
            if 0 <= row < len(model.rows):
                model.set_errors({**model.errors, (row, col): plain_message(msg)})
            return {c.key: c.label.replace("\n", " ") for c in model.columns}
        return None

    # ------------------------------------------------------------------ clauses
    def show_clause(self, reference: str) -> bool:
        """Open the clause section at the clause a finding names (number or heading)."""
        self.sections.setCurrentRow(self.section_pages.index(self.clauses))
        return self.clauses.select(reference)

    # ------------------------------------------------------------------ saving
    def discard_draft(self, confirm: bool = True) -> bool:
        """Throw the working draft away (after asking): it leaves the navigator, its
        autosaved copy is deleted, the editor shows the version it started from."""
        st = self.state
        v = st.draft
        if v is None or v.draft_key is None:
            st.message.emit("There is no working draft to discard.")
            return False
        if confirm:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self, "Discard draft", f"Discard the draft “{v.contract.version}” and every edit in it?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        key = v.draft_key
        st.dirty_draft = False  # nothing of it is autosaved again
        st.remove_version(v)
        st.undo_stack.clear()  # its edits have nothing left to apply to
        parent = next((x for x in st.versions if x.id is not None and x.id == v.parent_id), None)
        st.set_draft(parent, dirty=False)
        st.draft_discarded.emit(key)
        st.message.emit(f"Discarded the draft “{v.contract.version}”")
        return True

    def save_as_new_version(self) -> None:
        st = self.state
        v = st.draft
        db = getattr(self.window_, "db", None)
        if v is None or v.draft_key is None or db is None:
            st.message.emit("Nothing to save: edit a version first (the edit starts a draft).")
            return
        if self.errors:
            st.message.emit("Fix the marked fields first.")
            return
        contract = v.contract
        was_dirty = st.dirty_draft
        st.dirty_draft = False  # no autosave of this draft while it is being stored

        def job(ws: Any) -> Changes:
            if ws is None:
                raise RuntimeError("no workspace is open")
            return save_draft_as_version(ws, v)  # one transaction

        def done(changes: Changes) -> None:
            (_, stored), = changes.replaced
            if st.draft is v:
                st.replace_version(v, stored)
                st.undo_stack.clear()  # the edits led to an immutable stored version
                st.set_draft(stored, dirty=False)
            else:
                st.add_version(stored)
            st.message.emit(f"Saved “{contract.version}” as contract version {stored.id}")
            self._update_header()

        def failed(exc: BaseException) -> None:
            st.dirty_draft = was_dirty or st.dirty_draft
            if self.window_ is not None and hasattr(self.window_, "_error"):
                self.window_._error(f"Could not save the version: {exc}")

        self.pending_save = db.call(job, on_done=done, on_error=failed)
