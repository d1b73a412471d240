"""File ▸ Import tickets… / Import backups, outages or KPIs…: a file into the open
workspace, step by step.

A ticket export: choose the file -> the detected preset with its score and why
(changeable) -> the mapping (column per field, date order, time zone, priority values,
pause statuses) -> the first rows as parsed -> every rejected row with file, line,
ticket, field and reason -> import the valid rows (or nothing) on the database worker
with progress and Cancel.

Backups, restore tests, outages or monthly KPI snapshots (told from the header, as the
command line does): choose the file -> the first records as parsed (time zone for
naive timestamps) -> the rejected rows -> import, through the same
``workbench.importing.workspace.store_records`` the command line uses.

Reading runs on a pool thread, writing on the single DB thread; a cancelled or failed
import changes nothing (the store writes all or nothing).  All parsing is done by
``workbench.importing``; this module only shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from models.contract import PRIORITIES
from models.history import MISSING
from ui.list_model import ListTableModel
from ui.tasks import Task, guard, run_in_background
from workbench.app.import_fields import (
    TIME_FIELDS,
    field_words,
    gui_advice,
    naive_time_example,
    preset_match,
    preset_words,
    sample_values,
)
from workbench.app.localtime import display_zone, format_instant, zone_name

AnyIndex = QModelIndex | QPersistentModelIndex
NOT_MAPPED = "(not in the file)"
PREVIEW_ROWS = 20
MAX_PRIORITY_VALUES = 40
# the wizard's pages: a ticket export goes FILE -> PRESET -> MAPPING -> PREVIEW -> VALIDATION,
# a records file FILE -> RECORDS -> VALIDATION
FILE, PRESET, MAPPING, PREVIEW, VALIDATION, RECORDS = range(6)
# what the valid rows of each kind are, in the wizard's texts
RECORD_TITLES = {
    "backups": "backup jobs",
    "restore_tests": "restore tests",
    "outages": "outages",
    "kpis": "KPI months",
}


def _when(v: int, zone: tzinfo) -> str:
    return "" if v == MISSING else format_instant(int(v), zone, with_zone=True)


class RejectedModel(ListTableModel):
    HEADERS = ("File", "Line", "Ticket", "Field", "Reason")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.item(index)
        if r is None:
            return None
        values = (Path(r.file).name, str(r.line), r.ticket, field_words(r.field), r.reason)
        if role == Qt.ItemDataRole.DisplayRole:
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(r)
        return None


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.horizontalHeader().setStretchLastSection(True)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return t


TICKETS_SUBTITLE = (
    "A CSV or XLSX export of your PSA/ITSM tool (ServiceNow, Jira, Zendesk, ConnectWise, …), or a CSV "
    "of backups, restore tests, outages or monthly KPIs: what the file holds is told from its header."
)
RECORDS_SUBTITLE = (
    "A CSV of backup jobs (system, finished_at, success[, location]), restore tests (system, started_at, "
    "finished_at, success), outages (service, start, end[, maintenance]) or monthly KPI snapshots "
    "(month, patch_compliance, threats_detected, threats_resolved, endpoints_managed): the kind is told "
    "from the header. A ticket export works here too."
)


class ZoneBox(QComboBox):
    """An editable choice of time zone, empty at first (the file's timestamps carry theirs).
    Enter takes the typed zone and stays on the page: it never presses the wizard's Next."""

    def __init__(self) -> None:
        from zoneinfo import available_timezones

        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("")
        self.addItems(sorted(available_timezones()))
        self.setToolTip("The zone the file was written in, for timestamps without an offset")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # not passed on to the wizard's default button


def _zone_combo() -> ZoneBox:
    return ZoneBox()


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard, records: bool = False) -> None:
        super().__init__()
        self.wiz = wizard
        if records:
            self.setTitle("Choose the backups, restore tests, outages or KPI file")
            self.setSubTitle(RECORDS_SUBTITLE)
        else:
            self.setTitle("Choose the ticket export")
            self.setSubTitle(TICKETS_SUBTITLE)
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("backups.csv" if records else "tickets.csv")
        self.path.textChanged.connect(self._path_changed)
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form.addRow("File", row)
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        form.addRow("", self.detected)
        self.status_log = QLineEdit()
        self.status_log.setPlaceholderText("optional: a separate status log (ticket_id, at, status)")
        self.status_log.textChanged.connect(self.completeChanged)
        self.browse_status_log = QPushButton("Browse…")
        self.browse_status_log.clicked.connect(self._browse_status_log)
        log_row = QHBoxLayout()
        log_row.addWidget(self.status_log, 1)
        log_row.addWidget(self.browse_status_log)
        form.addRow("Status log", log_row)
        self.source = QLineEdit("default")
        self.source.setToolTip(
            "Re-importing into the same source updates its tickets, never duplicates them; a records file "
            "replaces the source's records of its kind"
        )
        form.addRow("Data source name", self.source)

    def _path_changed(self) -> None:
        """Tell a records file from a ticket export by its header (the first line only)."""
        from workbench.importing.records import sniff_kind

        path = Path(self.path.text().strip())
        kind = sniff_kind(path) if path.is_file() else None
        self.wiz.records_kind = kind
        if kind is not None:
            self.detected.setText(
                f"From the header: <b>{RECORD_TITLES[kind]}</b>. The next page shows them as they will be "
                "stored."
            )
        elif path.is_file():
            self.detected.setText("A ticket export: its format is detected on the next page.")
        else:
            self.detected.setText("")
        if path.is_file():  # the title says what this file is imported as
            self.wiz.setWindowTitle("Import tickets" if kind is None else f"Import {RECORD_TITLES[kind]}")
        self.status_log.setEnabled(kind is None)
        self.browse_status_log.setEnabled(kind is None)
        self.completeChanged.emit()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "File to import", "", "Exports (*.csv *.xlsx *.txt);;All files (*)"
        )
        if path:
            self.path.setText(path)

    def _browse_status_log(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Status log", "", "Status logs (*.csv *.csv.gz *.xlsx *.txt);;All files (*)"
        )
        if path:
            self.status_log.setText(path)

    def isComplete(self) -> bool:
        log = self.status_log.text().strip() if self.wiz.records_kind is None else ""
        return Path(self.path.text().strip()).is_file() and (not log or Path(log).is_file())

    def nextId(self) -> int:
        return RECORDS if self.wiz.records_kind is not None else PRESET


class PresetPage(QWizardPage):
    """The detected format (best score first) with what matched; the user may pick another."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Format")
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        sheet_row = QHBoxLayout()
        self.sheet_label = QLabel("Worksheet:")
        sheet_row.addWidget(self.sheet_label)
        self.sheets = QComboBox()  # shown for a workbook with several sheets
        self.sheets.activated.connect(self._sheet_picked)
        sheet_row.addWidget(self.sheets, 1)
        layout.addLayout(sheet_row)
        self.sheet_label.hide()
        self.sheets.hide()
        row = QHBoxLayout()
        row.addWidget(QLabel("Read it as:"))
        self.combo = QComboBox()
        self.combo.currentIndexChanged.connect(self._picked)
        row.addWidget(self.combo, 1)
        layout.addLayout(row)
        self.table = _table(["Format", "Match", "Why"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.task: Task | None = None

    def initializePage(self) -> None:
        self.wiz.sheet = None
        self._start_read()

    def _start_read(self) -> None:
        self.wiz.raw = None
        self.combo.clear()
        self.table.setRowCount(0)
        self.status.setText("Reading the file…")
        from workbench.importing.presets import detect
        from workbench.importing.read import read_table

        self.task = run_in_background(  # the wizard may be closed before the file is read
            read_table, self.wiz.path, self.wiz.sheet, lambda h: detect(h)[1],
            on_done=guard(self, self._read), on_error=guard(self, self._failed)
        )

    def _sheet_picked(self, index: int) -> None:
        name = self.sheets.itemText(index)
        if self.wiz.raw is not None and name != self.wiz.raw.sheet:
            self.wiz.sheet = name
            self._start_read()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(f"<span style='color:#b42318'>{exc}</span>")
        self.completeChanged.emit()

    def _read(self, raw: Any) -> None:
        from workbench.importing.presets import all_presets, score

        self.wiz.raw = raw
        several = len(raw.sheets) > 1
        self.sheet_label.setVisible(several)
        self.sheets.setVisible(several)
        self.sheets.blockSignals(True)
        self.sheets.clear()
        self.sheets.addItems(list(raw.sheets))
        if raw.sheet in raw.sheets:
            self.sheets.setCurrentIndex(raw.sheets.index(raw.sheet))
        self.sheets.blockSignals(False)
        self.wiz.sheet = raw.sheet if several else None
        scored = sorted(((score(p, raw.headers), p) for p in all_presets()), key=lambda sp: -sp[0])
        self.table.setRowCount(len(scored))
        self.combo.blockSignals(True)
        for r, (_s, p) in enumerate(scored):
            match = preset_match(p, raw.headers)
            why = match.why(len(p.columns))
            for c, text in enumerate((preset_words(p), f"{match.share:.0%}", why)):
                item = QTableWidgetItem(text)
                item.setToolTip(why if c else f"{text} (the preset “{p.name}” on the command line)")
                self.table.setItem(r, c, item)
            self.combo.addItem(f"{preset_words(p)} — {match.share_words()}", p)
        self.combo.blockSignals(False)
        best = scored[0] if scored and scored[0][0] > 0 else None
        where = f"Worksheet <b>{raw.sheet}</b> of {len(raw.sheets)}: " if several else ""
        if best is None:
            self.status.setText(where +
                f"{raw.n_rows:,} rows, columns: {', '.join(raw.headers[:12])}. No preset matches all its "
                "required columns: pick the closest and map the columns on the next page."
            )
        else:
            self.status.setText(
                where + f"{raw.n_rows:,} rows. Detected: <b>{escape(preset_words(best[1]))}</b> "
                f"({preset_match(best[1], raw.headers).share_words()}: the share of its columns found in the "
                "header, the required ones counting twice). Change it below if it is wrong."
            )
        self.combo.setCurrentIndex(0)
        self._picked(0)

    def _picked(self, index: int) -> None:
        self.wiz.preset = self.combo.itemData(index)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.wiz.raw is not None and self.wiz.preset is not None


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Mapping")
        self.setSubTitle("Which column holds each field, how dates and priorities read. * = required.")
        layout = QHBoxLayout(self)
        self.fields = _table(["Field", "Column in the file", "Values in the file"])
        self.fields.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.fields.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.fields.setWordWrap(False)  # a long sample is elided; its tooltip holds all of them
        layout.addWidget(self.fields, 3)
        right = QVBoxLayout()
        form = QFormLayout()
        self.date_order = QComboBox()
        for label, value in (
            ("detect from the data", None),
            ("day/month/year", "dmy"),
            ("month/day/year", "mdy"),
        ):
            self.date_order.addItem(label, value)
        form.addRow("Numeric dates", self.date_order)
        self.tz = _zone_combo()
        self.tz.currentTextChanged.connect(lambda _t: self.completeChanged.emit())
        form.addRow("Time zone", self.tz)
        self.pause = QLineEdit()
        self.pause.setToolTip("The tool's 'waiting on the client' statuses (a suggestion for the contract)")
        form.addRow("Pause statuses", self.pause)
        right.addLayout(form)
        right.addWidget(QLabel("Priority values"))
        self.prios = _table(["Value in the file", "Priority"])
        right.addWidget(self.prios, 1)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b42318;")
        right.addWidget(self.error)
        save = QPushButton("Save this mapping as a preset…")
        save.clicked.connect(self._save_preset)
        right.addWidget(save)
        layout.addLayout(right, 2)
        self.combos: dict[str, QComboBox] = {}
        self._naive: dict[str, tuple[str, str] | None] = {}  # mapped time columns -> a zone-less value

    def initializePage(self) -> None:
        from workbench.importing.presets import EVENT_FIELDS, STATUS_LOG_FIELDS, TICKET_FIELDS, norm_header

        p, raw = self.wiz.preset, self.wiz.raw
        fields = {"tickets": TICKET_FIELDS, "event_log": TICKET_FIELDS + EVENT_FIELDS}.get(
            p.kind, STATUS_LOG_FIELDS
        )
        by_norm = {norm_header(h): h for h in raw.headers}
        self.fields.setRowCount(len(fields))
        self.combos = {}
        self._naive = {}
        for r, f in enumerate(fields):
            item = QTableWidgetItem(field_words(f) + (" *" if f in p.required() else ""))
            item.setToolTip(f"{field_words(f)} (“{f}” in a saved preset)")
            self.fields.setItem(r, 0, item)
            combo = QComboBox()
            combo.addItem(NOT_MAPPED)
            combo.addItems(raw.headers)
            col = by_norm.get(norm_header(p.columns.get(f, "")))
            if col:
                combo.setCurrentText(col)
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.fields.setCellWidget(r, 1, combo)
            self.combos[f] = combo
        self.date_order.setCurrentIndex(max(self.date_order.findData(p.date_order), 0))
        self.tz.setCurrentText(p.timezone or "")
        self.pause.setText(", ".join(p.pause_statuses))
        self._mapping_changed()

    def _show_samples(self) -> None:
        """A few of the file's own values beside each mapped field."""
        raw, missing = self.wiz.raw, self.wiz.preset.missing_values
        for r, combo in enumerate(self.combos.values()):
            header = combo.currentText()
            values = sample_values(raw.columns[header], missing) if header in raw.columns else []
            text = " · ".join(values)
            item = QTableWidgetItem(text)
            item.setToolTip("\n".join(values))
            item.setForeground(QColor("#555"))
            self.fields.setItem(r, 2, item)

    def mapped_columns(self) -> dict[str, str]:
        """Field -> the file's column, as mapped on this page."""
        return {f: c.currentText() for f, c in self.combos.items() if c.currentText() != NOT_MAPPED}

    def zone_needed(self) -> tuple[str, str] | None:
        """``(field, value)`` of a mapped time column without a zone, or None."""
        mapped = self.mapped_columns()
        key = "|".join(f"{f}={mapped.get(f, '')}" for f in TIME_FIELDS)
        if key not in self._naive:
            self._naive[key] = naive_time_example(
                self.wiz.raw.columns, mapped, self.wiz.preset.missing_values
            )
        return self._naive[key]

    def _mapping_changed(self, *_: Any) -> None:
        """Fill the priority values from the mapped priority column."""
        p, raw = self.wiz.preset, self.wiz.raw
        self._show_samples()
        col = self.combos.get("priority")
        header = col.currentText() if col is not None else NOT_MAPPED
        values: list[str] = []
        if header != NOT_MAPPED and header in raw.columns:
            import pyarrow.compute as pc

            uniq = pc.unique(raw.columns[header]).to_pylist()
            values = sorted({str(v).strip() for v in uniq if str(v).strip()})[:MAX_PRIORITY_VALUES]
        self.prios.setRowCount(len(values))
        for r, v in enumerate(values):
            self.prios.setItem(r, 0, QTableWidgetItem(v))
            combo = QComboBox()
            combo.addItem("(reject)")
            combo.addItems(list(PRIORITIES))
            mapped = p.map_priority(v)
            if mapped:
                combo.setCurrentText(mapped)
            self.prios.setCellWidget(r, 1, combo)
        self.completeChanged.emit()

    def adjusted(self) -> Any:
        """The preset as mapped on this page (raises PresetError / ValidationError)."""
        from workbench.importing.presets import Preset

        p = self.wiz.preset
        data = p.model_dump()
        data["columns"] = self.mapped_columns()
        pmap = dict(data.get("priority_map", {}))
        for r in range(self.prios.rowCount()):
            item, combo = self.prios.item(r, 0), self.prios.cellWidget(r, 1)
            if item is None or not isinstance(combo, QComboBox):
                continue
            value = item.text()
            if combo.currentText() in PRIORITIES:
                pmap[value] = combo.currentText()
            else:
                pmap.pop(value.strip().lower(), None)
        data["priority_map"] = pmap
        data["pause_statuses"] = [s.strip() for s in self.pause.text().split(",") if s.strip()]
        data["date_order"] = self.date_order.currentData()
        data["timezone"] = self.tz.currentText().strip() or None
        return Preset.model_validate(data)

    def isComplete(self) -> bool:
        missing = (
            [
                f
                for f in self.wiz.preset.required()
                if self.combos.get(f) is None or self.combos[f].currentText() == NOT_MAPPED
            ]
            if self.wiz.preset is not None
            else []
        )
        if missing:
            self.error.setText(f"Map the required field(s): {', '.join(field_words(f) for f in missing)}")
            return False
        problem = self.zone_problem()
        self.tz.setStyleSheet("QComboBox { border: 2px solid #b42318; }" if problem else "")
        if problem:
            self.error.setText(problem)
            return False
        try:
            self.adjusted()
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        self.error.setText("")
        return True

    def zone_problem(self) -> str:
        """Why the time zone keeps the page from going on ("" when it does not)."""
        from workbench.importing.dates import TimezoneError, zone

        name = self.tz.currentText().strip()
        if name:
            try:
                zone(name)
            except TimezoneError as exc:
                return f"Time zone: {exc}"
            return ""
        naive = self.zone_needed()
        if naive is None:
            return ""
        field, example = naive
        shown = f" (e.g. {example})" if example else ""
        return (
            f"Choose the time zone: the times in “{field_words(field)}”{shown} do not say their zone. "
            "Pick the zone the export was written in (UTC if the tool exports in UTC)."
        )

    def validatePage(self) -> bool:
        problem = self.zone_problem()
        if problem:
            self.error.setText(problem)
            return False
        try:
            self.wiz.mapped = self.adjusted()
            self.wiz.tz = self.tz.currentText().strip() or None
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        return True

    def _save_preset(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from workbench.importing.presets import PresetError, save_preset

        name, ok = QInputDialog.getText(self, "Save preset", "Name (letters, digits, - _ .):")
        if not ok or not name.strip():
            return
        try:
            path = save_preset(self.adjusted().model_copy(update={"name": name.strip()}))
        except (PresetError, ValueError) as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self.setSubTitle(f"Saved the mapping as {path}")


class PreviewPage(QWizardPage):
    """The first rows as parsed (read on a pool thread, with progress and cancel)."""

    HEADERS = ("Ticket", "Priority", "Opened", "First response", "Resolved", "Closed", "Team")

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Preview")
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.cancel = QPushButton("Cancel reading")
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel)
        layout.addLayout(row)
        self.table = _table(list(self.HEADERS))
        layout.addWidget(self.table, 1)
        self.task: Task | None = None

    def initializePage(self) -> None:
        from workbench.importing.workspace import read_export

        self.wiz.result = None
        self.table.setRowCount(0)
        self.status.setText("Reading and checking every row…")
        self.bar.setValue(0)
        self.bar.show()
        self.cancel.show()
        w = self.wiz
        status_log = w.file_page.status_log.text().strip() or None
        self.task = run_in_background(
            read_export,
            w.path,
            preset=w.mapped,
            tz=w.tz,
            date_order=w.mapped.date_order,
            status_log=status_log,
            sheet=w.sheet,
            pass_progress=True,
            on_done=guard(self, self._done),
            on_error=guard(self, self._failed),
            on_cancel=guard(self, self._cancelled),
        )
        self.task.signals.progress.connect(lambda f, _m: self.bar.setValue(int(f * 1000)))
        self.cancel.clicked.connect(self.task.cancel)

    def _finish(self) -> None:
        self.bar.hide()
        self.cancel.hide()
        try:
            self.cancel.clicked.disconnect()
        except (RuntimeError, TypeError):
            pass
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(
            f"<span style='color:#b42318'>{escape(gui_advice(str(exc)))}</span><br>"
            "Go back to change the mapping."
        )
        self._finish()

    def _cancelled(self) -> None:
        self.status.setText("Cancelled: nothing was read. Go back, or press Next to try again.")
        self._finish()

    def _done(self, result: Any) -> None:
        self.wiz.result = result
        zone = self.wiz.shown_zone(self.wiz.tz)
        t = result.tickets
        n = min(PREVIEW_ROWS, len(t))
        self.table.setRowCount(n)
        for r in range(n):
            team = t.team_names[t.team[r]] if t.team[r] >= 0 else ""
            values = (
                str(t.ids[r]),
                PRIORITIES[int(t.priority[r])],
                _when(t.opened[r], zone),
                _when(t.first_response[r], zone),
                _when(t.resolved[r], zone),
                _when(t.closed[r], zone),
                team,
            )
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        notes = "".join(f"<br>Note: {n}" for n in result.notes[:5])
        self.status.setText(
            f"Read as <b>{escape(preset_words(result.preset))}</b>: {result.rows_read:,} rows read, "
            f"{len(t):,} valid tickets, {len(result.status_log):,} status changes, "
            f"{len(result.rejected):,} rows rejected. The first {n} tickets as they will be stored "
            f"({self.wiz.zone_words(zone)}):{notes}"
        )
        self._finish()

    def isComplete(self) -> bool:
        return self.wiz.result is not None


def _record_cell(value: Any, zone: tzinfo = UTC) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return format_instant(int(value.timestamp()), zone, with_zone=True)
    if hasattr(value, "isoformat"):  # a KPI month
        return str(value.isoformat())[:7]
    return str(value)


class RecordsPage(QWizardPage):
    """Backups, restore tests, outages or KPIs: the first records as parsed (read on a pool
    thread), with the time zone that naive timestamps are read in."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Preview")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.tz = _zone_combo()
        form.addRow("Time zone", self.tz)
        layout.addLayout(form)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = _table([])
        layout.addWidget(self.table, 1)
        self.task: Task | None = None
        self._reads = 0  # bumps with every read: a late result of an older one is dropped
        self._again = QTimer(self)  # typing a zone reads again once, when the typing stops
        self._again.setSingleShot(True)
        self._again.setInterval(400)
        self._again.timeout.connect(self._read)
        self.tz.currentTextChanged.connect(lambda _t: self._again.start())

    def initializePage(self) -> None:
        self._read()

    def _read(self) -> None:
        from workbench.importing.records import read_records

        self._again.stop()
        self.wiz.result = None
        self._reads += 1
        n = self._reads
        self.table.setRowCount(0)
        self.status.setText("Reading and checking every row…")
        self.completeChanged.emit()
        if self.task is not None:
            self.task.cancel()
        self.task = run_in_background(
            read_records,
            self.wiz.path,
            self.tz.currentText().strip() or None,
            on_done=guard(self, lambda r: self._done(n, r)),  # the wizard may be closed by then
            on_error=guard(self, lambda e: self._failed(n, e)),
        )

    def _failed(self, n: int, exc: BaseException) -> None:
        if n != self._reads:
            return
        self.task = None
        told = escape(gui_advice(str(exc), zone_here=True))
        self.status.setText(f"<span style='color:#b42318'>{told}</span>")
        self.completeChanged.emit()

    def _done(self, n: int, result: Any) -> None:
        if n != self._reads:
            return
        from workbench.importing.records import KINDS

        self.task = None
        self.wiz.result = result
        required, optional, _model = KINDS[result.kind]
        columns = list(required + optional)
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([field_words(c) for c in columns])
        shown = result.records[:PREVIEW_ROWS]
        zone = self.wiz.shown_zone(self.tz.currentText().strip() or None)
        self.table.setRowCount(len(shown))
        for r, rec in enumerate(shown):
            for c, col in enumerate(columns):
                self.table.setItem(r, c, QTableWidgetItem(_record_cell(getattr(rec, col, None), zone)))
        self.table.resizeColumnsToContents()
        title = RECORD_TITLES[result.kind]
        self.status.setText(
            f"<b>{title[0].upper() + title[1:]}</b>: {len(result.records):,} valid, "
            f"{len(result.rejected):,} rows rejected. Imported, they replace the {title} of the data source "
            f"(its tickets and other records stay). The first {len(shown)} as they will be stored "
            f"({self.wiz.zone_words(zone)}):"
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.wiz.result is not None

    def nextId(self) -> int:
        return VALIDATION


class ValidationPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Rejected rows")
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.model = RejectedModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.view, 1)
        self.valid_only = QRadioButton()
        self.nothing = QRadioButton("Import nothing while any row is rejected (fix the export first)")
        self.valid_only.setChecked(True)
        for b in (self.valid_only, self.nothing):
            b.toggled.connect(self.completeChanged)
            layout.addWidget(b)

    def initializePage(self) -> None:
        r = self.wiz.result
        self.model.set_items(r.rejected)
        self.view.resizeColumnsToContents()
        valid = f"{self.wiz.valid_count():,} valid {self.wiz.valid_title()}"
        self.valid_only.setText(f"Import the {valid} (rejected rows are left out)")
        if r.rejected:
            self.status.setText(
                f"{len(r.rejected):,} row(s) rejected, each with the reason. Nothing is written until you "
                "press Finish."
            )
        else:
            self.status.setText("Every row is valid. Press Finish to import.")

    def isComplete(self) -> bool:
        r = self.wiz.result
        return r is not None and self.wiz.valid_count() > 0 and not (self.nothing.isChecked() and r.rejected)

    def nextId(self) -> int:
        return -1


class ImportWizard(QWizard):
    """``records``: opened to import backups, restore tests, outages or KPIs (the first
    page says so); either way the file's header decides what it is read as."""

    def __init__(self, window: Any, records: bool = False) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Import backups, outages or KPIs" if records else "Import tickets")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(980, 640)
        self.raw: Any = None
        self.sheet: str | None = None  # XLSX: the worksheet chosen (None: the one whose header matches)
        self.preset: Any = None
        self.mapped: Any = None
        self.tz: str | None = None
        self.result: Any = None  # an ImportResult (tickets) or a RecordsResult
        self.records_kind: str | None = None  # the file holds records of this kind, not tickets
        self.imported: dict[str, int] | None = None
        self.job: Any = None
        self.file_page = FilePage(self, records)
        self.preset_page = PresetPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.validation_page = ValidationPage(self)
        self.records_page = RecordsPage(self)
        for page_id, page in (
            (FILE, self.file_page),
            (PRESET, self.preset_page),
            (MAPPING, self.mapping_page),
            (PREVIEW, self.preview_page),
            (VALIDATION, self.validation_page),
            (RECORDS, self.records_page),
        ):
            self.setPage(page_id, page)

    def shown_zone(self, chosen: str | None) -> tzinfo:
        """The zone a preview shows times in: the one chosen for the file's times, else
        the window's (the contract's zone unless the preferences name another)."""
        if chosen:
            return display_zone(None, chosen)
        state = getattr(self.window_, "state", None)
        return state.display_zone() if state is not None else UTC

    def zone_words(self, zone: tzinfo) -> str:
        """How a preview names its zone: ``times in America/Toronto``."""
        return f"times in {zone_name(zone)}"

    @property
    def path(self) -> str:
        return self.file_page.path.text().strip()

    def _records(self) -> bool:
        from workbench.importing.records import RecordsResult

        return isinstance(self.result, RecordsResult)

    def valid_count(self) -> int:
        """The rows the import would store."""
        if self.result is None:
            return 0
        return len(self.result.records) if self._records() else len(self.result.tickets)

    def valid_title(self) -> str:
        return RECORD_TITLES[self.result.kind] if self._records() else "tickets"

    def accept(self) -> None:
        """Write the valid rows on the DB worker; the dialog closes when they are stored."""
        if self.job is not None or self.result is None:
            return
        if self._records():
            self._store_records()
            return
        result = self.result
        source = self.file_page.source.text().strip() or "default"
        file_name = Path(self.path).name

        def job(ws: Any, progress: Any) -> Any:
            if ws is None:
                raise RuntimeError("no workspace is open")
            from workbench.importing.workspace import save_ticket_import

            counts = save_ticket_import(ws, result, file_name, source, progress)  # one transaction
            return counts, ws.load_history()

        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.job = self.window_.db.submit_with_progress(
            self,
            "Importing tickets",
            job,
            on_done=self._imported,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )

    def _store_records(self) -> None:
        """Backups, restore tests, outages or KPIs: stored by the command line's own
        ``store_records`` on the DB worker, then the window's history takes them."""
        from workbench.app.workspace import load_records
        from workbench.importing.workspace import store_records

        result = self.result
        source = self.file_page.source.text().strip() or "default"

        def job(ws: Any, progress: Any) -> Any:
            if ws is None:
                raise RuntimeError("no workspace is open")
            store_records(ws, result, source=source, progress=progress)
            return load_records(ws)

        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.job = self.window_.db.submit_with_progress(
            self,
            f"Importing {RECORD_TITLES[result.kind]}",
            job,
            on_done=self._records_imported,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )

    def _records_imported(self, records: Any) -> None:
        result = self.result
        self.imported = {result.kind: len(result.records)}
        st = self.window_.state
        st.take_records(records)
        st.message.emit(
            f"Imported {len(result.records):,} {RECORD_TITLES[result.kind]} from {Path(self.path).name}"
        )
        self.job = None
        super().accept()

    def _imported(self, out: Any) -> None:
        counts, history = out
        self.imported = dict(counts)
        st = self.window_.state
        st.history = history
        st.history_changed.emit()
        st.message.emit(f"Imported {len(self.result.tickets):,} tickets from {Path(self.path).name}")
        self.job = None
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.validation_page.status.setText(f"<span style='color:#b42318'>Nothing was imported: {exc}</span>")

    def _cancelled(self) -> None:
        self.job = None
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.validation_page.status.setText("Cancelled: nothing was imported.")


__all__ = ["ImportWizard", "RejectedModel"]
