"""Contract editor: every part of the contract model as forms.

The form is the source of truth while the user types: each committed edit collects
the whole form into plain data, validates it with ``contract_from_data`` and, when
valid, pushes one :class:`~ui.state.EditDraft` (undoable) onto the window's undo
stack.  Invalid input never reaches the model: the error is shown at the field (red
border and tooltip, red cell in tables) and in the error line under the form.

A stored version (signed, proposal, or a draft saved as a version) is never edited in
place: the first edit makes a new working draft whose parent is that version
(:class:`~ui.state.AddVersion`, one undo step with the edit).  Working drafts are
autosaved by the main window; "Save as new version" stores the draft as an immutable
contract version through the database worker and removes the working draft.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.contract import (
    LITERAL_24X7,
    PRIORITIES,
    WEEKDAYS,
    Contract,
    ContractError,
    contract_from_data,
)
from ui.records import ChoiceDelegate, Column, RecordsModel, cell_text
from ui.state import AddVersion, AppState, EditDraft, Version
from ui.widgets import EmptyState
from workbench.app.coverage import BY_KEY, PRESETS

ERROR_STYLE = "border: 2px solid #b42318;"
DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
TRI_STATE = ("not stated", "yes", "no")


def _opt(text: str) -> str | None:
    text = text.strip()
    return text or None


def _split_list(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[,\n]", text) if s.strip()]


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


class ContractEditorView(QWidget):
    SECTIONS = (
        "General",
        "Severity matrix",
        "Calendars",
        "Scope && security",
        "Backup && recovery",
        "Escalation && obligations",
        "Reporting",
        "Credits && uptime",
        "Clause text",
    )

    def __init__(self, state: AppState, window: Any = None) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self._loading = False
        self._fields: dict[str, QWidget] = {}
        self._models: dict[str, RecordsModel] = {}
        self._marked: list[QWidget] = []
        self.errors: list[tuple[str, str]] = []
        self._cal_name: str | None = None
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.empty = EmptyState(
            "No contract to edit",
            "Open a workspace with a contract version, or import one. Editing a signed version makes a "
            "new draft: the signed version itself never changes.",
        )
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._build_body())
        state.draft_changed.connect(self.reload)
        state.baseline_changed.connect(self.reload)
        state.workspace_changed.connect(self.reload)
        state.versions_changed.connect(self._update_header)
        self.reload()

    # ------------------------------------------------------------------ layout helpers
    def _register(self, path: str, widget: QWidget) -> QWidget:
        self._fields[path] = widget
        widget.setProperty("plain_tip", widget.toolTip())
        return widget

    def _line(
        self, form: QFormLayout, path: str, label: str, placeholder: str = "", tip: str = ""
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setToolTip(tip)
        edit.editingFinished.connect(lambda: self._edited(edit, f"Edit {label.lower()}"))
        form.addRow(label, self._register(path, edit))
        return edit

    def _lines(self, form: QFormLayout, path: str, label: str, placeholder: str = "") -> LinesEdit:
        edit = LinesEdit(placeholder)
        edit.committed.connect(lambda: self.commit(f"Edit {label.lower()}"))
        form.addRow(label, self._register(path, edit))
        return edit

    def _check(self, form: QFormLayout, path: str, label: str) -> QCheckBox:
        box = QCheckBox(label)
        box.toggled.connect(lambda _on: self.commit(f"Edit {label.lower()}"))
        form.addRow(self._register(path, box))
        return box

    def _combo(self, form: QFormLayout, path: str, label: str, items: tuple[str, ...]) -> QComboBox:
        box = QComboBox()
        box.addItems(list(items))
        box.activated.connect(lambda _i: self.commit(f"Edit {label.lower()}"))
        form.addRow(label, self._register(path, box))
        return box

    def _records(
        self, path: str, columns: list[Column], new_row: dict[str, Any] | None, title: str = ""
    ) -> RecordsTable:
        model = RecordsModel(columns, on_edit=lambda: self.commit(f"Edit {title.lower() or path}"))
        self._models[path] = model
        table = RecordsTable(model, new_row, title)
        self._register(path, table.view)
        return table

    def _edited(self, edit: QLineEdit, text: str) -> None:
        if edit.isModified():
            edit.setModified(False)
            self.commit(text)

    @staticmethod
    def _page(*widgets: QWidget | QFormLayout, stretch: bool = True) -> QScrollArea:
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
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        return form

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
        self.sections = QListWidget()
        self.sections.addItems([s.replace("&&", "&") for s in self.SECTIONS])
        self.sections.setMaximumWidth(190)
        self.sections.setMinimumWidth(160)
        self.pages = QStackedWidget()
        for build in (
            self._general_page,
            self._targets_page,
            self._calendars_page,
            self._scope_page,
            self._backup_page,
            self._escalation_page,
            self._reporting_page,
            self._credits_page,
            self._clauses_page,
        ):
            self.pages.addWidget(build())
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

    def _general_page(self) -> QWidget:
        f = self._form()
        self.f_name = self._line(f, "name", "Name")
        self.f_version = self._line(f, "version", "Version label")
        self.f_provider = self._line(f, "provider", "Provider")
        self.f_client = self._line(f, "client", "Client")
        self.f_status = self._combo(f, "status", "Status", ("draft", "proposal", "signed"))
        self.f_effective = self._line(f, "effective_date", "Effective date", "YYYY-MM-DD")
        self.f_reviewed = self._line(f, "last_reviewed", "Last reviewed", "YYYY-MM-DD")
        self.f_fee = self._line(f, "monthly_fee", "Monthly fee", "e.g. 12000")
        self.f_currency = self._line(f, "currency", "Currency", "e.g. CAD")
        self.f_pause = self._line(
            f, "pause_statuses", "Statuses that pause the clock", "comma separated, e.g. Awaiting User Info"
        )
        row = QHBoxLayout()
        self.f_pause_resp = QCheckBox("response")
        self.f_pause_resol = QCheckBox("resolution")
        for box in (self.f_pause_resp, self.f_pause_resol):
            box.toggled.connect(lambda _on: self.commit("Edit pause rules"))
            row.addWidget(box)
        row.addStretch(1)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        f.addRow("Pauses apply to", self._register("pause_applies_to", holder))
        self.f_mandates = self._lines(
            f, "compliance_mandates", "Compliance mandates", "one per line, e.g. PIPEDA"
        )
        return self._page(f)

    def _targets_page(self) -> QWidget:
        cols = [
            Column("priority", "Priority", editable=False),
            Column(
                "response", "Response", tip="e.g. 30m, 1h, 1.5h, 2d, same_business_day, next_business_day"
            ),
            Column("resolution", "Resolution", tip="e.g. 4h, 2d, same_business_day, next_business_day"),
            Column("calendar", "Calendar", tip="24x7 or the name of a calendar (Calendars section)"),
            Column("response_calendar", "Response calendar", tip="optional: overrides the calendar"),
            Column("resolution_calendar", "Resolution calendar", tip="optional: overrides the calendar"),
            Column(
                "compliance_target", "Compliance target %", tip="committed share meeting the target, e.g. 95"
            ),
        ]
        self.targets = self._records("targets", cols, None, "Severity matrix (P1–P4)")
        self.targets.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.targets.view.setMaximumHeight(190)
        self.targets.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.targets.view.horizontalHeader().setMinimumSectionSize(60)
        note = QLabel(
            "Durations: 30m, 1h, 1.5h, 2d — or same_business_day / next_business_day (needs a named "
            "calendar). Business time counts only inside the target's calendar. Leave a cell empty for "
            "no target."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        return self._page(self.targets, note)

    def _calendars_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Calendars</b>"))
        self.cal_list = QListWidget()
        self.cal_list.setMaximumWidth(200)
        self.cal_list.currentTextChanged.connect(self._calendar_picked)
        self._register("calendars", self.cal_list)
        left.addWidget(self.cal_list, 1)
        for label, slot in (
            ("Add…", self._ask_add_calendar),
            ("Rename…", self._ask_rename_calendar),
            ("Remove", lambda: self.remove_calendar(self._cal_name or "")),
        ):
            b = QPushButton(label)
            b.clicked.connect(slot)
            left.addWidget(b)
        layout.addLayout(left)

        right = QVBoxLayout()
        self.cal_body = QWidget()
        body = QVBoxLayout(self.cal_body)
        body.setContentsMargins(0, 0, 0, 0)
        tzrow = QFormLayout()
        self.cal_tz = QComboBox()
        self.cal_tz.setEditable(True)
        from zoneinfo import available_timezones

        self.cal_tz.addItems(sorted(available_timezones()))
        self.cal_tz.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.cal_tz.activated.connect(lambda _i: self.commit("Edit time zone"))
        line = self.cal_tz.lineEdit()
        if line is not None:
            line.editingFinished.connect(self._tz_typed)
        tzrow.addRow("Time zone", self.cal_tz)
        body.addLayout(tzrow)

        week = QGroupBox("Weekly coverage (local time windows, comma separated; empty = not covered)")
        grid = QGridLayout(week)
        self.cal_days: dict[str, QLineEdit] = {}
        for r, day in enumerate(WEEKDAYS):
            grid.addWidget(QLabel(DAY_NAMES[day]), r, 0)
            edit = QLineEdit()
            edit.setPlaceholderText("not covered")
            edit.editingFinished.connect(lambda e=edit, d=day: self._edited(e, f"Edit {DAY_NAMES[d]} hours"))
            self.cal_days[day] = edit
            grid.addWidget(edit, r, 1)
        presets = QHBoxLayout()
        presets.addWidget(QLabel("Fill with:"))
        for preset in PRESETS:
            b = QPushButton(preset.key)
            b.clicked.connect(lambda _c=False, n=preset.key: self.apply_week_preset(n))
            presets.addWidget(b)
        presets.addStretch(1)
        grid.addLayout(presets, len(WEEKDAYS), 0, 1, 2)
        body.addWidget(week)
        self.cal_week = week

        hol = QGroupBox("Holidays (not covered)")
        hl = QGridLayout(hol)
        import holidays
        from holidays import registry

        names = {v[1]: v[0] for v in registry.COUNTRIES.values()}
        self.cal_country = QComboBox()
        self.cal_country.addItem("(no public holidays)", None)
        for code in sorted(holidays.list_supported_countries()):
            label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", names.get(code, code))
            self.cal_country.addItem(f"{label} ({code})", code)
        self.cal_country.activated.connect(self._country_picked)
        self.cal_subdiv = QComboBox()
        self.cal_subdiv.activated.connect(lambda _i: self.commit("Edit holiday subdivision"))
        hl.addWidget(QLabel("Country"), 0, 0)
        hl.addWidget(self.cal_country, 0, 1, 1, 3)
        hl.addWidget(QLabel("Subdivision"), 1, 0)
        hl.addWidget(self.cal_subdiv, 1, 1, 1, 3)
        self.cal_add = QListWidget()
        self.cal_remove = QListWidget()
        for col, (title, lst) in enumerate(
            (
                ("Extra holidays (added)", self.cal_add),
                ("Working days (public holidays removed)", self.cal_remove),
            )
        ):
            box = QVBoxLayout()
            box.addWidget(QLabel(title))
            lst.setMaximumHeight(110)
            box.addWidget(lst)
            row = QHBoxLayout()
            when = QDateEdit()
            when.setCalendarPopup(True)
            when.setDisplayFormat("yyyy-MM-dd")
            when.setDate(QDate.currentDate())
            add = QPushButton("Add")
            rem = QPushButton("Remove")
            key = "add" if col == 0 else "remove"
            add.clicked.connect(lambda _c=False, k=key, w=when: self.add_holiday_date(k, w.date().toPython()))
            rem.clicked.connect(lambda _c=False, k=key, lw=lst: self._remove_selected_date(k, lw))
            row.addWidget(when, 1)
            row.addWidget(add)
            row.addWidget(rem)
            box.addLayout(row)
            hl.addLayout(box, 2, col * 2, 1, 2)
        body.addWidget(hol)
        self.cal_hol = hol
        body.addStretch(1)
        right.addWidget(self.cal_body)
        self.cal_none = QLabel("No named calendar: every target runs on the literal 24x7 clock. Add one.")
        self.cal_none.setStyleSheet("color: palette(mid);")
        right.addWidget(self.cal_none)
        layout.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def _scope_page(self) -> QWidget:
        scope = QGroupBox("Service scope")
        f = self._form()
        scope.setLayout(f)
        self.s_hours = self._line(f, "scope.helpdesk_hours", "Help desk hours", "e.g. 8x5, 24x7")
        self.s_cal = self._line(f, "scope.helpdesk_calendar", "Help desk calendar", "a calendar name")
        self.s_checks = {
            key: self._check(f, f"scope.{key}", label)
            for key, label in (
                ("monitoring_servers", "Server monitoring"),
                ("monitoring_endpoints", "Endpoint monitoring"),
                ("monitoring_network", "Network monitoring"),
                ("patch_management", "Patch management"),
                ("vendor_support", "Vendor support"),
            )
        }
        self.s_notes = self._line(f, "scope.notes", "Notes")
        sec = QGroupBox("Security")
        g = self._form()
        sec.setLayout(g)
        self.x_soc = self._lines(g, "security.soc_services", "SOC services", "one per line")
        self.x_freq = self._line(g, "security.log_monitoring.frequency", "Log monitoring", "e.g. 24/7")
        self.x_tools = self._lines(g, "security.log_monitoring.tooling", "Log tooling", "e.g. SIEM product")
        self.x_endpoints = self._records(
            "security.endpoint_coverage",
            [
                Column("product", "Product (EDR/XDR/MDR)"),
                Column("included", "Included", "bool"),
                Column("licence_excluded", "Licence excluded", "bool"),
                Column("notes", "Notes"),
            ],
            {"product": "EDR", "included": True, "licence_excluded": False, "notes": ""},
            "Endpoint coverage",
        )
        g.addRow(self.x_endpoints)
        self.x_excl = self._lines(g, "security.licence_exclusions", "Licence exclusions", "one per line")
        self.x_steps = self._lines(g, "security.incident_escalation", "Incident escalation steps", "in order")
        self.x_roles = self._records(
            "security.breach_roles",
            [Column("role", "Role"), Column("owner", "Owner")],
            {"role": "", "owner": ""},
            "Breach roles",
        )
        g.addRow(self.x_roles)
        return self._page(scope, sec)

    def _backup_page(self) -> QWidget:
        self.b_systems = self._records(
            "backup.systems",
            [
                Column("name", "System"),
                Column("tier", "Tier (1–4)"),
                Column("rpo", "RPO", tip="e.g. 15m, 24h"),
                Column("rto", "RTO", tip="e.g. 4h, 2d"),
                Column("location", "Location", "choice", ("on-prem", "cloud", "hybrid")),
            ],
            {"name": "", "tier": 2, "rpo": "24h", "rto": "8h", "location": "on-prem"},
            "RPO / RTO per system",
        )
        f = self._form()
        self.b_cadence = self._line(
            f,
            "backup.restore_test_cadence",
            "Restore test cadence",
            "monthly, quarterly, semiannual, annual or a duration like 30d",
        )
        self.b_cloud = self._combo(f, "backup.cloud_backup_monitoring", "Cloud backup monitoring", TRI_STATE)
        self.b_onprem = self._combo(
            f, "backup.onprem_backup_monitoring", "On-prem backup monitoring", TRI_STATE
        )
        return self._page(self.b_systems, f)

    def _escalation_page(self) -> QWidget:
        self.e_matrix = self._records(
            "escalation_matrix",
            [
                Column("incident_type", "Incident type"),
                Column("owner", "Owner", "choice", ("MSP", "MSSP")),
                Column("team", "Team", "choice", ("Helpdesk", "NOC", "SOC")),
                Column("action", "Action"),
            ],
            {"incident_type": "", "owner": "MSP", "team": "Helpdesk", "action": ""},
            "Escalation matrix (NOC / SOC boundaries)",
        )
        self.e_obligations = self._records(
            "client_obligations",
            [
                Column(
                    "kind",
                    "Kind",
                    "choice",
                    (
                        "change_approval",
                        "escalation_contacts",
                        "severity_matrix",
                        "licence_coverage",
                        "other",
                    ),
                ),
                Column("text", "Obligation"),
                Column("within", "Within", tip="optional duration, e.g. 2d"),
            ],
            {"kind": "other", "text": "", "within": ""},
            "Client obligations",
        )
        return self._page(self.e_matrix, self.e_obligations, stretch=False)

    def _reporting_page(self) -> QWidget:
        f = self._form()
        self.r_cadence = self._lines(
            f,
            "reporting.cadence",
            "Reporting cadence",
            "one per line, e.g. monthly report, quarterly business review",
        )
        self.r_kpis = self._lines(f, "reporting.kpis", "Reported KPIs", "one per line, e.g. MTTR")
        return self._page(f)

    def _credits_page(self) -> QWidget:
        self.c_credits = self._records(
            "service_credits",
            [
                Column("metric", "Metric", "choice", ("resolution", "response", "uptime")),
                Column("priority", "Priority", "choice", ("", *PRIORITIES)),
                Column("percent_of_fee", "% of fee"),
                Column("trigger", "Trigger", "choice", ("per_breach", "compliance_below")),
                Column(
                    "threshold", "Threshold (0–1)", tip="compliance_below: the compliance share, e.g. 0.95"
                ),
                Column("cap_percent", "Cap % / month"),
            ],
            {"metric": "resolution", "priority": "P1", "percent_of_fee": 2, "trigger": "per_breach"},
            "Service credits",
        )
        f = self._form()
        self.c_cap = self._line(
            f, "credits_cap_percent", "All credits capped at (% of fee / month)", "no cap"
        )
        self.c_uptime = self._records(
            "uptime",
            [
                Column("service", "Service"),
                Column("target_percent", "Target %"),
                Column("calendar", "Calendar", tip="24x7 or a calendar name"),
                Column("maintenance_excluded", "Maintenance excluded", "bool"),
            ],
            {"service": "", "target_percent": 99.9, "calendar": LITERAL_24X7, "maintenance_excluded": True},
            "Uptime commitments",
        )
        return self._page(self.c_credits, f, self.c_uptime, stretch=False)

    def _clauses_page(self) -> QWidget:
        self.k_table = self._records(
            "clauses",
            [Column("number", "Number"), Column("heading", "Heading")],
            {"number": "", "heading": "", "text": ""},
            "Clauses",
        )
        self.k_table.view.selectionModel().currentRowChanged.connect(self._clause_picked)
        self.k_text = LinesEdit("The clause text", height=200)
        self.k_text.setMaximumHeight(16777215)
        self.k_text.committed.connect(self._clause_text_committed)
        self._register("clauses.text", self.k_text)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.k_table)
        holder = QWidget()
        hl = QVBoxLayout(holder)
        hl.setContentsMargins(0, 0, 0, 0)
        self.k_label = QLabel("Text of the selected clause")
        hl.addWidget(self.k_label)
        hl.addWidget(self.k_text, 1)
        split.addWidget(holder)
        split.setSizes([260, 300])
        return split

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
        self._loading = True
        try:
            self._fill(v.contract)
        finally:
            self._loading = False
        self._update_header()
        self.show_errors([])

    def _fill(self, c: Contract) -> None:
        for edit, value in (
            (self.f_name, c.name),
            (self.f_version, c.version),
            (self.f_provider, c.provider),
            (self.f_client, c.client),
            (self.f_effective, c.effective_date),
            (self.f_reviewed, c.last_reviewed),
            (self.f_fee, c.monthly_fee),
            (self.f_currency, c.currency),
            (self.f_pause, ", ".join(c.pause_statuses)),
            (self.c_cap, c.credits_cap_percent),
            (self.s_hours, c.scope.helpdesk_hours),
            (self.s_cal, c.scope.helpdesk_calendar),
            (self.s_notes, c.scope.notes),
            (self.x_freq, c.security.log_monitoring.frequency),
            (self.b_cadence, c.backup.restore_test_cadence),
        ):
            edit.setText(cell_text(value))
            edit.setModified(False)
        self.f_status.setCurrentText(c.status)
        for box, metric in ((self.f_pause_resp, "response"), (self.f_pause_resol, "resolution")):
            box.setChecked(c.pauses(metric))
        self.f_mandates.set_lines(c.compliance_mandates)
        rows = []
        for p in PRIORITIES:
            t = c.targets.get(p)  # type: ignore[call-overload]
            ct = None if t is None or t.compliance_target is None else round(100 * t.compliance_target, 4)
            rows.append(
                {
                    "priority": p,
                    "response": t.response if t else None,
                    "resolution": t.resolution if t else None,
                    "calendar": t.calendar if t else LITERAL_24X7,
                    "response_calendar": t.response_calendar if t else None,
                    "resolution_calendar": t.resolution_calendar if t else None,
                    "compliance_target": ct,
                }
            )
        self._models["targets"].set_rows(rows)
        # calendars
        names = list(c.calendars)
        keep = self._cal_name if self._cal_name in names else (names[0] if names else None)
        self.cal_list.blockSignals(True)
        self.cal_list.clear()
        self.cal_list.addItems(names)
        if keep is not None:
            self.cal_list.setCurrentRow(names.index(keep))
        self.cal_list.blockSignals(False)
        self._cal_name = keep
        self._fill_calendar(c)
        # scope and security
        for key, box in self.s_checks.items():
            box.setChecked(bool(getattr(c.scope, key)))
        sec = c.security
        self.x_soc.set_lines(sec.soc_services)
        self.x_tools.set_lines(sec.log_monitoring.tooling)
        self.x_excl.set_lines(sec.licence_exclusions)
        self.x_steps.set_lines(sec.incident_escalation)
        self._models["security.endpoint_coverage"].set_rows([e.model_dump() for e in sec.endpoint_coverage])
        self._models["security.breach_roles"].set_rows(
            [{"role": k, "owner": v} for k, v in sec.breach_roles.items()]
        )
        # backup
        self._models["backup.systems"].set_rows([s.model_dump() for s in c.backup.systems])
        for combo, value in (
            (self.b_cloud, c.backup.cloud_backup_monitoring),
            (self.b_onprem, c.backup.onprem_backup_monitoring),
        ):
            combo.setCurrentIndex(0 if value is None else (1 if value else 2))
        self._models["escalation_matrix"].set_rows([e.model_dump() for e in c.escalation_matrix])
        self._models["client_obligations"].set_rows([o.model_dump() for o in c.client_obligations])
        self.r_cadence.set_lines(c.reporting.cadence)
        self.r_kpis.set_lines(c.reporting.kpis)
        self._models["service_credits"].set_rows([cr.model_dump() for cr in c.service_credits])
        self._models["uptime"].set_rows([u.model_dump() for u in c.uptime])
        self._models["clauses"].set_rows([k.model_dump() for k in c.clauses])
        self._clause_picked(self.k_table.view.currentIndex())

    def _fill_calendar(self, c: Contract) -> None:
        spec = c.calendars.get(self._cal_name) if self._cal_name else None
        self.cal_body.setVisible(spec is not None)
        self.cal_none.setVisible(spec is None)
        name = self._cal_name or ""
        for path in [p for p in self._fields if p.startswith("calendars.")]:
            del self._fields[path]
        self._register(f"calendars.{name}.timezone", self.cal_tz)
        self._register(f"calendars.{name}.weekly", self.cal_week)
        self._register(f"calendars.{name}.holidays", self.cal_hol)
        self._register(f"calendars.{name}.holidays.country", self.cal_country)
        self._register(f"calendars.{name}.holidays.subdivision", self.cal_subdiv)
        for day, edit in self.cal_days.items():
            self._register(f"calendars.{name}.weekly.{day}", edit)
        if spec is None:
            return
        self.cal_tz.setCurrentText(spec.timezone)
        for day, edit in self.cal_days.items():
            edit.setText(", ".join(spec.weekly.get(day, ())))  # type: ignore[call-overload]
            edit.setModified(False)
        h = spec.holidays
        i = self.cal_country.findData(h.country if h else None)
        self.cal_country.setCurrentIndex(max(i, 0))
        self._fill_subdivisions(h.subdivision if h else None)
        self.cal_add.clear()
        self.cal_add.addItems([d.isoformat() for d in (h.add if h else ())])
        self.cal_remove.clear()
        self.cal_remove.addItems([d.isoformat() for d in (h.remove if h else ())])

    def _fill_subdivisions(self, current: str | None) -> None:
        import holidays

        country = self.cal_country.currentData()
        self.cal_subdiv.clear()
        self.cal_subdiv.addItem("(whole country)", None)
        for s in holidays.list_supported_countries().get(country, []) if country else []:
            self.cal_subdiv.addItem(s, s)
        self.cal_subdiv.setEnabled(self.cal_subdiv.count() > 1)
        i = self.cal_subdiv.findData(current)
        self.cal_subdiv.setCurrentIndex(max(i, 0))

    def _clause_picked(self, current: QModelIndex, _previous: Any = None) -> None:
        rows = self._models["clauses"].rows
        r = current.row() if current.isValid() else -1
        self.k_text.setEnabled(0 <= r < len(rows))
        self._clause_row = r
        if 0 <= r < len(rows):
            title = " ".join(
                x for x in (cell_text(rows[r].get("number")), cell_text(rows[r].get("heading"))) if x
            )
            self.k_label.setText(f"Text of clause {title}")
            self.k_text.set_lines([cell_text(rows[r].get("text"))])
        else:
            self.k_label.setText("Select a clause to edit its text")
            self.k_text.set_lines([])

    # ------------------------------------------------------------------ form -> data
    def collect(self) -> dict[str, Any]:
        """The whole contract as plain data, from the form (fields the form does not show
        are kept from the current version)."""
        v = self.version()
        assert v is not None
        data = v.contract.to_data()
        for key, edit in (
            ("name", self.f_name),
            ("version", self.f_version),
            ("provider", self.f_provider),
            ("client", self.f_client),
            ("currency", self.f_currency),
        ):
            data[key] = edit.text().strip()
        data["status"] = self.f_status.currentText()
        for key, edit in (
            ("effective_date", self.f_effective),
            ("last_reviewed", self.f_reviewed),
            ("monthly_fee", self.f_fee),
            ("credits_cap_percent", self.c_cap),
        ):
            data[key] = _opt(edit.text())
        data["pause_statuses"] = _split_list(self.f_pause.text())
        data["pause_applies_to"] = [
            m
            for m, b in (("response", self.f_pause_resp), ("resolution", self.f_pause_resol))
            if b.isChecked()
        ]
        data["compliance_mandates"] = self.f_mandates.lines()
        data["targets"] = self._collect_targets()
        data["calendars"] = self._collect_calendars(data.get("calendars", {}))
        scope = dict(data.get("scope", {}))
        scope["helpdesk_hours"] = _opt(self.s_hours.text())
        scope["helpdesk_calendar"] = _opt(self.s_cal.text())
        scope["notes"] = self.s_notes.text().strip()
        for key, box in self.s_checks.items():
            scope[key] = box.isChecked()
        data["scope"] = scope
        sec = dict(data.get("security", {}))
        sec["soc_services"] = self.x_soc.lines()
        sec["log_monitoring"] = {"frequency": _opt(self.x_freq.text()), "tooling": self.x_tools.lines()}
        sec["endpoint_coverage"] = self._rows("security.endpoint_coverage")
        sec["licence_exclusions"] = self.x_excl.lines()
        sec["incident_escalation"] = self.x_steps.lines()
        sec["breach_roles"] = {
            str(r.get("role", "")): str(r.get("owner", ""))
            for r in self._models["security.breach_roles"].rows
        }
        data["security"] = sec
        backup = dict(data.get("backup", {}))
        backup["systems"] = self._rows("backup.systems")
        backup["restore_test_cadence"] = _opt(self.b_cadence.text())
        backup["cloud_backup_monitoring"] = (None, True, False)[self.b_cloud.currentIndex()]
        backup["onprem_backup_monitoring"] = (None, True, False)[self.b_onprem.currentIndex()]
        data["backup"] = backup
        data["escalation_matrix"] = self._rows("escalation_matrix")
        data["client_obligations"] = self._rows("client_obligations")
        data["reporting"] = {"cadence": self.r_cadence.lines(), "kpis": self.r_kpis.lines()}
        data["service_credits"] = self._rows("service_credits")
        data["uptime"] = self._rows("uptime")
        data["clauses"] = [
            {k: cell_text(r.get(k)) for k in ("number", "heading", "text")}
            for r in self._models["clauses"].rows
        ]
        return data

    def _rows(self, path: str) -> list[dict[str, Any]]:
        """Rows of a records table as data: empty cells left out (the model's default applies)."""
        out = []
        for r in self._models[path].rows:
            out.append({k: v for k, v in r.items() if v is not None and v != ""})
        return out

    def _collect_targets(self) -> dict[str, Any]:
        targets: dict[str, Any] = {}
        for r in self._models["targets"].rows:
            entry: dict[str, Any] = {}
            for key in ("response", "resolution", "response_calendar", "resolution_calendar"):
                if r.get(key):
                    entry[key] = cell_text(r[key])
            entry["calendar"] = cell_text(r.get("calendar")) or LITERAL_24X7
            ct = r.get("compliance_target")
            if ct not in (None, ""):
                try:
                    entry["compliance_target"] = round(float(str(ct).rstrip("% ")) / 100, 6)
                except ValueError:
                    entry["compliance_target"] = ct  # the model names the bad value
            if set(entry) != {"calendar"} or entry["calendar"] != LITERAL_24X7:
                targets[r["priority"]] = entry
        return targets

    def _collect_calendars(self, current: dict[str, Any]) -> dict[str, Any]:
        cals = {k: dict(v) for k, v in current.items()}
        name = self._cal_name
        if name is None or name not in cals:
            return cals
        spec: dict[str, Any] = {"timezone": self.cal_tz.currentText().strip()}
        weekly = {d: _split_list(e.text()) for d, e in self.cal_days.items() if _split_list(e.text())}
        if weekly:
            spec["weekly"] = weekly
        hol: dict[str, Any] = {}
        if self.cal_country.currentData():
            hol["country"] = self.cal_country.currentData()
            if self.cal_subdiv.currentData():
                hol["subdivision"] = self.cal_subdiv.currentData()
        adds = [self.cal_add.item(i).text() for i in range(self.cal_add.count())]
        removes = [self.cal_remove.item(i).text() for i in range(self.cal_remove.count())]
        if adds:
            hol["add"] = adds
        if removes:
            hol["remove"] = removes
        if hol:
            spec["holidays"] = hol
        cals[name] = spec
        return cals

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
        draft = Version(None, new, f"draft:{v.id or 0}:{uuid.uuid4().hex[:8]}", v.id)
        stack.push(AddVersion(self.state, draft, f"{text} (new draft of {v.label})"))
        return True

    # ------------------------------------------------------------------ errors
    def show_errors(self, errors: list[tuple[str, str]]) -> None:
        for w in self._marked:
            w.setStyleSheet("")
            w.setToolTip(str(w.property("plain_tip") or ""))
        self._marked = []
        for model in self._models.values():
            if model.errors:
                model.set_errors({})
        self.errors = list(errors)
        if not errors:
            self.error_label.setText("")
            return
        per_widget: dict[int, list[str]] = {}
        for path, msg in errors:
            self._mark_cell(path, msg)
            widget = self._widget_for(path)
            if widget is None:
                continue
            if widget not in self._marked:
                self._marked.append(widget)
            per_widget.setdefault(id(widget), []).append(f"{path}: {msg}" if path else msg)
        for w in self._marked:
            w.setStyleSheet(f"{type(w).__name__} {{ {ERROR_STYLE} }}")
            w.setToolTip("\n".join(per_widget[id(w)]))
        lines = [f"{p}: {m}" if p else m for p, m in errors]
        self.error_label.setText("Not applied — fix the marked field: " + "; ".join(lines))

    def _widget_for(self, path: str) -> QWidget | None:
        best = ""
        for p in self._fields:
            if (path == p or path.startswith(p + ".")) and len(p) > len(best):
                best = p
        return self._fields.get(best) if best else None

    def _mark_cell(self, path: str, msg: str) -> None:
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
                model.set_errors({**model.errors, (row, col): msg})

    # ------------------------------------------------------------------ calendar actions
    def _calendar_picked(self, name: str) -> None:
        if self._loading or not name:
            return
        self._cal_name = name
        v = self.version()
        if v is not None:
            self._loading = True
            try:
                self._fill_calendar(v.contract)
            finally:
                self._loading = False

    def _tz_typed(self) -> None:
        v = self.version()
        if v is None or self._cal_name is None:
            return
        spec = v.contract.calendars.get(self._cal_name)
        if spec is not None and spec.timezone != self.cal_tz.currentText().strip():
            self.commit("Edit time zone")

    def _country_picked(self, _index: int) -> None:
        self._fill_subdivisions(None)
        self.commit("Edit holiday country")

    def apply_week_preset(self, name: str) -> None:
        weekly = BY_KEY[name].weekly()
        for day, edit in self.cal_days.items():
            edit.setText(", ".join(weekly.get(day, ())))
        self.commit(f"Coverage {name}")

    def add_holiday_date(self, which: str, when: date) -> None:
        lst = self.cal_add if which == "add" else self.cal_remove
        if lst.findItems(when.isoformat(), Qt.MatchFlag.MatchExactly):
            return
        lst.addItem(when.isoformat())
        lst.sortItems()
        if not self.commit("Add holiday" if which == "add" else "Add working day"):
            lst.takeItem(lst.row(lst.findItems(when.isoformat(), Qt.MatchFlag.MatchExactly)[0]))

    def _remove_selected_date(self, which: str, lst: QListWidget) -> None:
        for item in lst.selectedItems():
            lst.takeItem(lst.row(item))
        self.commit("Remove holiday date" if which == "add" else "Remove working day")

    def _calendar_data(self) -> dict[str, Any] | None:
        return self.collect() if self.version() is not None else None

    def add_calendar(self, name: str) -> bool:
        data = self._calendar_data()
        name = name.strip()
        if data is None or not name:
            return False
        if name in data.get("calendars", {}):
            self.show_errors([("calendars", f"there is already a calendar named {name!r}")])
            return False
        base = data.get("calendars", {}).get(self._cal_name or "", {})
        data.setdefault("calendars", {})[name] = {
            "timezone": base.get("timezone", "UTC"),
            "weekly": {d: list(w) for d, w in BY_KEY["8x5"].weekly().items()},
        }
        self._cal_name = name
        return self.commit_data(data, f"Add calendar {name}")

    def remove_calendar(self, name: str) -> bool:
        data = self._calendar_data()
        if data is None or name not in data.get("calendars", {}):
            return False
        del data["calendars"][name]
        return self.commit_data(data, f"Remove calendar {name}")

    def rename_calendar(self, old: str, new: str) -> bool:
        data = self._calendar_data()
        new = new.strip()
        if data is None or old not in data.get("calendars", {}) or not new or new == old:
            return False
        cals = data["calendars"]
        data["calendars"] = {(new if k == old else k): v for k, v in cals.items()}
        for t in data.get("targets", {}).values():
            for key in ("calendar", "response_calendar", "resolution_calendar"):
                if t.get(key) == old:
                    t[key] = new
        for u in data.get("uptime", []):
            if u.get("calendar") == old:
                u["calendar"] = new
        if data.get("scope", {}).get("helpdesk_calendar") == old:
            data["scope"]["helpdesk_calendar"] = new
        self._cal_name = new
        return self.commit_data(data, f"Rename calendar {old} to {new}")

    def _ask_add_calendar(self) -> None:
        name, ok = QInputDialog.getText(self, "Add calendar", "Name of the new calendar (e.g. business):")
        if ok:
            self.add_calendar(name)

    def _ask_rename_calendar(self) -> None:
        if self._cal_name is None:
            return
        name, ok = QInputDialog.getText(self, "Rename calendar", "New name:", text=self._cal_name)
        if ok:
            self.rename_calendar(self._cal_name, name)

    # ------------------------------------------------------------------ clauses
    def _clause_text_committed(self) -> None:
        rows = self._models["clauses"].rows
        r = getattr(self, "_clause_row", -1)
        if 0 <= r < len(rows):
            rows[r]["text"] = self.k_text.toPlainText()
            self.commit(f"Edit clause {cell_text(rows[r].get('number'))} text")

    def show_clause(self, reference: str) -> bool:
        """Open the clause section at the clause a finding names (number or heading)."""
        self.sections.setCurrentRow(self.SECTIONS.index("Clause text"))
        ref = reference.lower()
        for r, row in enumerate(self._models["clauses"].rows):
            number, heading = cell_text(row.get("number")).lower(), cell_text(row.get("heading")).lower()
            if (number and re.search(rf"(^|\s|§){re.escape(number)}\b", ref)) or (heading and heading in ref):
                self.k_table.view.setCurrentIndex(self._models["clauses"].index(r, 0))
                return True
        return False

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
        contract, key, parent = v.contract, v.draft_key, v.parent_id
        was_dirty = st.dirty_draft
        st.dirty_draft = False  # no autosave of this draft while it is being stored

        def job(ws: Any) -> int:
            if ws is None:
                raise RuntimeError("no workspace is open")
            return int(ws.save_draft_as_version(key, contract, parent_id=parent))  # one transaction

        def done(vid: int) -> None:
            stored = Version(vid, contract, None, parent)
            if st.draft is v:
                st.replace_version(v, stored)
                st.undo_stack.clear()  # the edits led to an immutable stored version
                st.set_draft(stored, dirty=False)
            else:
                st.add_version(stored)
            st.message.emit(f"Saved “{contract.version}” as contract version {vid}")
            self._update_header()

        def failed(exc: BaseException) -> None:
            st.dirty_draft = was_dirty or st.dirty_draft
            if self.window_ is not None and hasattr(self.window_, "_error"):
                self.window_._error(f"Could not save the version: {exc}")

        self.pending_save = db.call(job, on_done=done, on_error=failed)
