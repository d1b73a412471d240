"""The What-if view's Recovery panel: per backup system its RPO and RTO (sliders with
fields in words, "no target" at the left end), the restore-test cadence and the uptime
targets of the services; the table of the baseline against the scenario per system and
service, a month chart of the gaps and restore tests, and the backup gaps, restore tests
and uptime months that flip.

Every change is a scenario edit of :mod:`workbench.app.scenarios` pushed on the What-if's
undo stack; the replay (:class:`workbench.app.recovery_whatif.RecoveryWhatIfEngine`) and
the chart's figure run on a pool thread with the progress/cancel callback, the newest
request winning.  :func:`install` puts the panel beside the ticket targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSlider,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.list_model import AnyIndex, ListTableModel
from ui.state import AppState
from ui.steps import show_steps
from ui.tasks import Task, guard, run_in_background
from ui.widgets import EmptyState, figure_canvas
from workbench.app.engagement import RECORDS
from workbench.app.recovery_whatif import (
    CADENCE_CHOICES,
    DURATION_STEPS,
    NO_TARGET,
    RecoveryFlip,
    RecoveryRow,
    RecoveryWhatIf,
    RecoveryWhatIfEngine,
    cadence_words,
    duration_words,
    parse_duration_words,
    recovery_terms_key,
)
from workbench.app.scenarios import (
    ScenarioEdit,
    with_backup_system,
    with_cadence,
    with_rpo,
    with_rto,
    with_uptime,
    without_backup_system,
    without_uptime,
)
from workbench.progress import ProgressCallback

MAX_SECONDS = 30 * 86400  # the longest RPO/RTO a field takes
GOOD, BAD = "#1a7f37", "#b42318"


# ------------------------------------------------------------------------ service


class RecoveryService(QObject):
    """Replays the baseline's and the scenario's recovery terms off the GUI thread.

    The history is prepared once (:class:`RecoveryWhatIfEngine`, on a worker); every
    scenario or baseline change then replays both and builds the month chart's figure
    on a worker.  A request made while one runs cancels it through its progress
    callback; only the newest request's result is shown."""

    ready = Signal(object)  # RecoveryWhatIf (its rows, flips and months computed)
    figure_ready = Signal(object)  # the month chart's Figure of the newest result
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.engine: RecoveryWhatIfEngine | None = None
        self.result: RecoveryWhatIf | None = None
        self._generation = 0
        self._task: Task | None = None
        self._engine_task: Task | None = None
        self._pending = False
        self._figures = 0  # month-chart figures being built
        self._terms: tuple[str, str] | None = None  # the recovery terms of the newest replay
        # nothing is prepared or replayed until the Recovery tab is first shown: opening
        # the What-if view on its ticket targets costs no recovery work
        self.active = False
        state.history_changed.connect(self.rebuild)
        state.records_changed.connect(self.rebuild)
        state.baseline_changed.connect(self.request)
        state.scenario_changed.connect(self.request)
        self.rebuild()

    def has_records(self) -> bool:
        h = self.state.history
        return bool(h.backups or h.restore_tests or h.outages)

    def activate(self) -> None:
        """The Recovery tab is shown: prepare and replay from now on."""
        if not self.active:
            self.active = True
            self.rebuild()

    def rebuild(self) -> None:
        self._generation += 1
        self.engine = None
        self.result = None
        self._terms = None
        for task in (self._engine_task, self._task):
            if task is not None:
                task.cancel()
        self._engine_task = self._task = None
        self._pending = False
        if not self.active or not self.has_records():
            self.busy_changed.emit(False)
            return
        gen = self._generation
        self.busy_changed.emit(True)
        self._engine_task = run_in_background(
            RecoveryWhatIfEngine, self.state.history,
            on_done=guard(self, lambda eng: self._engine_built(gen, eng)),
            on_error=guard(self, lambda exc: self._failed(gen, exc)),
            pass_progress=True,
        )

    def _engine_built(self, gen: int, engine: RecoveryWhatIfEngine) -> None:
        if gen != self._generation:
            return
        self._engine_task = None
        self.engine = engine
        self.request()

    def request(self) -> None:
        if self.engine is None:
            return
        if self._task is not None:  # the running replay is stale: stop it, then run again
            self._pending = True
            self._task.cancel()
            return
        baseline = self.state.baseline.contract if self.state.baseline else None
        if baseline is None:
            return
        scenario = self.state.scenario or baseline
        terms = (recovery_terms_key(baseline), recovery_terms_key(scenario))
        if terms == self._terms and self._task is None and not self._pending:
            return  # a ticket target or pause rule moved: the recovery result stands
        self._terms = terms
        engine, gen = self.engine, self._generation

        def work(progress: ProgressCallback) -> RecoveryWhatIf:
            result = engine.run(baseline, scenario, progress=progress)
            result.rows(), result.flips(), result.months()  # cached: the GUI thread only reads them
            return result

        self.busy_changed.emit(True)
        self._task = run_in_background(
            work,
            on_done=guard(self, lambda r: self._done(gen, r)),
            on_error=guard(self, lambda exc: self._failed(gen, exc)),
            on_cancel=guard(self, lambda: self._finished(gen)),
            pass_progress=True,
        )

    def _finished(self, gen: int) -> None:
        if gen != self._generation:
            return
        self._task = None
        if self._pending:
            self._pending = False
            self._terms = None  # the stopped replay's result was not shown
            self.request()
        else:
            self.busy_changed.emit(False)

    def _done(self, gen: int, result: RecoveryWhatIf) -> None:
        if gen != self._generation:
            return
        if not self._pending:
            self.result = result
            self.ready.emit(result)
            self._draw(result)
        self._finished(gen)

    def _draw(self, result: RecoveryWhatIf) -> None:
        """The month chart's figure, built on a pool thread after the table is shown (a
        big history's figure takes longer than its replay); only the newest is kept."""
        from workbench.reports.whatif_recovery_charts import recovery_months_figure

        self._figures += 1

        def done(fig: Any) -> None:
            self._figures -= 1
            if result is self.result:
                self.figure_ready.emit(fig)

        def failed(exc: BaseException) -> None:
            self._figures -= 1
            self.failed.emit(f"the recovery chart: {exc}")

        run_in_background(recovery_months_figure, result.months(), on_done=guard(self, done),
                          on_error=guard(self, failed))

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self._task = self._engine_task = None
        self._terms = None  # not replayed: the same terms are tried again
        self._pending = False
        self.busy_changed.emit(False)
        self.failed.emit(str(exc))

    def idle(self) -> bool:
        return self._task is None and self._engine_task is None and not self._pending and not self._figures


# ------------------------------------------------------------------------ controls


class DurationBox(QSpinBox):
    """A duration in seconds shown and typed in words ("15 minutes", "1 day 6 hours");
    its minimum, 0, reads "no target".  The arrows step along the slider's stops."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(0, MAX_SECONDS)
        self.setSpecialValueText(NO_TARGET)
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("1 hour 30 minutes") + 40)

    def textFromValue(self, value: int) -> str:
        return NO_TARGET if value <= 0 else duration_words(value)

    def valueFromText(self, text: str) -> int:
        try:
            return parse_duration_words(text) or 0
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        try:
            seconds = parse_duration_words(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        ok = seconds is None or seconds <= MAX_SECONDS
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        self.setValue(stop_seconds(stop_of(self.value()) + steps))


def stop_of(seconds: int | None) -> int:
    """The slider position of ``seconds``: 0 for no target, else the nearest stop."""
    if not seconds:
        return 0
    return 1 + min(range(len(DURATION_STEPS)), key=lambda i: abs(DURATION_STEPS[i] - seconds))


def stop_seconds(stop: int) -> int:
    stop = max(0, min(stop, len(DURATION_STEPS)))
    return 0 if stop == 0 else DURATION_STEPS[stop - 1]


class DurationControl(QWidget):
    """A :class:`DurationBox` and a slider over its stops; ``changed(seconds or None)``."""

    def __init__(self, changed: Callable[[int | None], None], what: str) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = DurationBox()
        self.box.setToolTip(f"{what}; the left end of the slider: no target")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, len(DURATION_STEPS))
        self.slider.setMinimumWidth(80)
        self.slider.setToolTip(self.box.toolTip())
        layout.addWidget(self.box)
        layout.addWidget(self.slider, 1)
        self._changed = changed
        self._syncing = False
        self.box.valueChanged.connect(self._box_changed)
        self.slider.valueChanged.connect(self._slider_changed)

    def sync(self, seconds: int | None) -> None:
        self._syncing = True
        self.box.setValue(seconds or 0)
        self.slider.setValue(stop_of(seconds))
        self._syncing = False

    def _box_changed(self, seconds: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        self.slider.setValue(stop_of(seconds))
        self._syncing = False
        self._changed(seconds or None)

    def _slider_changed(self, stop: int) -> None:
        if self._syncing:
            return
        seconds = stop_seconds(stop)
        self._syncing = True
        self.box.setValue(seconds)
        self._syncing = False
        self._changed(seconds or None)


# ------------------------------------------------------------------------ tables


class RecoveryModel(ListTableModel):
    """Per system and service (a row of its own spanning the table, in bold), each
    measure under the baseline and the scenario."""

    HEADERS = ("Measure", "Baseline", "Scenario", "Change")

    def set_rows(self, rows: list[RecoveryRow]) -> None:
        items: list[str | RecoveryRow] = []
        for row in rows:
            if not items or isinstance(items[-1], str) or items[-1].subject != row.subject:
                items.append(row.subject)
            items.append(row)
        self.set_items(items)

    def rows(self) -> list[RecoveryRow]:
        return [r for r in self.items if isinstance(r, RecoveryRow)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: str | RecoveryRow | None = self.item(index)
        if row is None:
            return None
        c = index.column()
        if isinstance(row, str):  # the system's or service's own row
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and c == 0:
                return row
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        change = row.change
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 3:
                return "" if not change else f"{change:+,g}"
            return (row.measure, row.baseline.text, row.scenario.text)[c]
        if role == Qt.ItemDataRole.ForegroundRole and c in (2, 3) and change:
            return QBrush(QColor(BAD if change > 0 else GOOD))  # more breaches, gaps or credits: worse
        if role == Qt.ItemDataRole.TextAlignmentRole and c == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RecoveryFlipsModel(ListTableModel):
    """The flips, the verdicts before the names (at 1366 px the table scrolls sideways)."""

    HEADERS = ("What", "Start", "Length", "Scenario", "Baseline", "System or service")
    zone = "UTC"  # the contract's: the one the starts are written in

    def set_zone(self, zone: str) -> None:
        self.zone = zone

    def header_labels(self) -> tuple[str, ...]:
        from workbench.app.localtime import zone_label

        return (self.HEADERS[0], f"Start ({zone_label(ZoneInfo(self.zone))})", *self.HEADERS[2:])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        f: RecoveryFlip | None = self.item(index)
        if f is None:
            return None
        cells = (f.kind, f.when, f.length, f.scenario, f.baseline, f.subject)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3:
            return QBrush(QColor(BAD if f.breached_now else GOOD))
        return None


def _table(model: ListTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


# ------------------------------------------------------------------------ panel


class RecoveryPanel(QWidget):
    """The controls and the table (in a scroll area beside the ticket targets); the month
    chart (:attr:`chart`) and the flips (:attr:`flips`) go into the view's result tabs."""

    def __init__(self, view: Any) -> None:
        super().__init__()
        self.view = view
        self.state: AppState = view.state
        self.service = RecoveryService(self.state, parent=self)
        self.side_tabs = QTabWidget()  # the ticket targets and this panel (see install)
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.empty = EmptyState("No backup, restore-test or outage records", "")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._build_body())
        self.rpo: dict[str, DurationControl] = {}
        self.rto: dict[str, DurationControl] = {}
        self.uptime: dict[str, QDoubleSpinBox] = {}
        self._names: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._recorded: tuple[tuple[Any, ...], tuple[list[str], list[str]]] | None = None
        self._shown = False  # the controls are laid out once the Recovery tab is first shown

        from matplotlib.figure import Figure

        self.chart = figure_canvas(Figure(figsize=(6.4, 3.6)))
        # the chart's tab: the chart, or without any recovery records, what to import
        self.chart_empty = EmptyState("No recovery history in this workspace", "")
        self.chart_page = QStackedWidget()
        self.chart_page.addWidget(self.chart_empty)
        self.chart_page.addWidget(self.chart)
        self.flips_model = RecoveryFlipsModel()
        self.flips = _table(self.flips_model)
        self.flips.horizontalHeader().setStretchLastSection(False)  # scrolls sideways, never elides
        self.flips.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.service.ready.connect(self._show)
        self.service.figure_ready.connect(lambda fig: self.view._set_figure(self.chart, fig))
        self.service.busy_changed.connect(self._busy)
        self.service.failed.connect(self._failed)
        for signal in (self.state.workspace_changed, self.state.history_changed, self.state.records_changed,
                       self.state.baseline_changed):
            signal.connect(self._update_empty)
        self.state.scenario_changed.connect(self.sync_controls)
        self._update_empty()

    def _build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.systems_box = QGroupBox("Backup systems: RPO and RTO (the slider's left end: no target)")
        self.systems_grid = QGridLayout(self.systems_box)
        layout.addWidget(self.systems_box)
        row = QHBoxLayout()
        row.addWidget(QLabel("Restore tests:"))
        self.cadence = QComboBox()
        for key, label in CADENCE_CHOICES:
            self.cadence.addItem(label, key)
        self.cadence.activated.connect(self._cadence_picked)
        row.addWidget(self.cadence)
        row.addStretch(1)
        layout.addLayout(row)
        self.uptime_box = QGroupBox("Uptime targets (0: no target)")
        self.uptime_grid = QGridLayout(self.uptime_box)
        layout.addWidget(self.uptime_box)
        layout.addWidget(QLabel("<b>Recovery</b> (baseline against scenario on the records)"))
        self.model = RecoveryModel()
        self.table = _table(self.model)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(col, mode)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.body_scroll = QScrollArea()
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setWidget(body)
        return self.body_scroll

    # ---------------------------------------------------------------- state -> widgets

    def _update_empty(self) -> None:
        st = self.state
        if self.service.has_records():
            self.stack.setCurrentIndex(1)
            self.chart_page.setCurrentWidget(self.chart)
            self.sync_controls()
            return
        self._recorded = None  # no records (a workspace closed): none kept alive here
        if st.records_pending:
            self.empty.set_text("Loading the records…",
                                "The backups, restore tests and outages are on their way.")
            self.empty.clear_actions()
            self.chart_empty.set_text("Loading the records…",
                                      "The month chart follows once the backups, restore tests and "
                                      "outages are read.")
            self.chart_empty.clear_actions()
        else:
            self.empty.set_text(
                "No backup, restore-test or outage records",
                "The recovery what-if replays the RPO, RTO, restore-test cadence and uptime "
                "targets on the client's backup jobs, restore tests and outages. Import them first.",
            )
            show_steps(self.empty, self.view.window_, [RECORDS])
            self.chart_empty.set_text(
                "No recovery history in this workspace",
                "The workspace holds no backup jobs, restore tests or outages, so there is no "
                "month to chart. Import the client's backup, restore-test or outage records to "
                "see the gaps, restore tests and uptime per month.",
            )
            show_steps(self.chart_empty, self.view.window_, [RECORDS])
        self.stack.setCurrentIndex(0)
        self.chart_page.setCurrentWidget(self.chart_empty)

    def _names_now(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        h = self.state.history
        contracts = [c for c in (self.state.baseline.contract if self.state.baseline else None,
                                 self.state.scenario) if c is not None]
        systems: dict[str, None] = {}
        services: dict[str, None] = {}
        for c in contracts:
            systems.update({s.name: None for s in c.backup.systems})
            services.update({u.service: None for u in c.uptime})
        recorded, outages = self._recorded_names(h)
        systems.update({n: None for n in recorded})
        services.update({n: None for n in outages})
        return tuple(systems), tuple(services)

    def _recorded_names(self, h: Any) -> tuple[list[str], list[str]]:
        """The systems the backups and restore tests name and the services the outages
        name, sorted; read once per set of records (a pass over every record, tens of
        thousands on a long history: not again at every scenario change)."""
        key = (h.backups, h.restore_tests, h.outages)
        cached = self._recorded
        if cached is None or any(a is not b for a, b in zip(cached[0], key, strict=True)):
            systems = {b.system for b in h.backups} | {r.system for r in h.restore_tests}
            cached = self._recorded = (key, (sorted(systems), sorted({o.service for o in h.outages})))
        return cached[1]

    def _rebuild_controls(self, names: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
        for grid in (self.systems_grid, self.uptime_grid):
            while grid.count():
                item = grid.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.deleteLater()
        self.rpo, self.rto, self.uptime = {}, {}, {}
        systems, services = names
        self.systems_grid.addWidget(QLabel("RPO (longest gap between backups)"), 0, 1)
        self.systems_grid.addWidget(QLabel("RTO (longest restore)"), 0, 2)
        for r, name in enumerate(systems, start=1):
            label = QLabel(name)
            label.setWordWrap(True)
            self.systems_grid.addWidget(label, r, 0)
            self.rpo[name] = DurationControl(self._setter(name, "rpo"), f"RPO of {name}")
            self.rto[name] = DurationControl(self._setter(name, "rto"), f"RTO of {name}")
            self.systems_grid.addWidget(self.rpo[name], r, 1)
            self.systems_grid.addWidget(self.rto[name], r, 2)
        self.systems_grid.setColumnStretch(1, 1)
        self.systems_grid.setColumnStretch(2, 1)
        self.systems_box.setVisible(bool(systems))
        for r, service in enumerate(services):
            label = QLabel(service)
            label.setWordWrap(True)
            self.uptime_grid.addWidget(label, r, 0)
            spin = QDoubleSpinBox()
            spin.setRange(0.0, 100.0)
            spin.setDecimals(2)
            spin.setSingleStep(0.1)
            spin.setSuffix(" %")
            spin.setSpecialValueText(NO_TARGET)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(lambda v, s=service: self.set_uptime(s, v))
            self.uptime[service] = spin
            self.uptime_grid.addWidget(spin, r, 1)
        self.uptime_grid.setColumnStretch(0, 1)
        self.uptime_box.setVisible(bool(services))
        self._names = names

    def _setter(self, name: str, term: str) -> Callable[[int | None], None]:
        return lambda seconds: self.set_term(name, term, seconds)

    def shown(self) -> None:
        """The Recovery tab is shown: its controls are laid out (a row per system and
        service of the records, read in a pass over them: not while the What-if view first
        shows on its ticket targets) and the service prepares and replays from now on."""
        if not self._shown:
            self._shown = True
            self.sync_controls()
        self.service.activate()

    def sync_controls(self) -> None:
        c = self.state.scenario
        if c is None or not self.service.has_records() or not self._shown:
            return
        names = self._names_now()
        if names != self._names:
            self._rebuild_controls(names)
        from models.contract import parse_duration

        listed = {s.name: s for s in c.backup.systems}
        for name, ctl in self.rpo.items():
            s = listed.get(name)
            ctl.sync(parse_duration(s.rpo) if s else None)
            self.rto[name].sync(parse_duration(s.rto) if s else None)
        cadence = c.backup.restore_test_cadence
        i = self.cadence.findData(cadence)
        if i < 0:  # a duration the contract wrote ("30d"): offered as it reads
            self.cadence.addItem(cadence_words(cadence).capitalize(), cadence)
            i = self.cadence.count() - 1
        self.cadence.setCurrentIndex(i)
        targets = {u.service: u.target_percent for u in c.uptime}
        for service, spin in self.uptime.items():
            spin.blockSignals(True)
            spin.setValue(targets.get(service, 0.0))
            spin.blockSignals(False)

    # ---------------------------------------------------------------- widgets -> scenario

    def _apply(self, edit: Callable[[], ScenarioEdit]) -> None:
        self.view._apply(edit)

    def set_term(self, name: str, term: str, seconds: int | None) -> None:
        """``term`` (rpo or rto) of system ``name`` set to ``seconds`` (None: no target)."""
        c = self.state.scenario
        if c is None:
            return
        base = self.state.baseline.contract if self.state.baseline else c
        key = f"{term}:{name}"  # a drag through "no target" and back is one undo step
        listed = {s.name: s for s in c.backup.systems}
        if seconds is None:
            if name in listed:
                self._apply(lambda: replace(without_backup_system(c, name), key=key))
            return
        hours = seconds / 3600
        if name in listed:
            fn = with_rpo if term == "rpo" else with_rto
            self._apply(lambda: fn(c, name, hours))
            return
        # a system the scenario does not list: added, its other term as the baseline has it
        # (else the same duration)
        from models.contract import parse_duration

        known = {s.name: s for s in base.backup.systems}.get(name)
        other = hours if known is None else parse_duration(known.rto if term == "rpo" else known.rpo) / 3600
        rpo, rto = (hours, other) if term == "rpo" else (other, hours)
        self._apply(lambda: replace(with_backup_system(c, base, name, rpo, rto), key=key))

    def _cadence_picked(self, index: int) -> None:
        c = self.state.scenario
        if c is not None:
            self._apply(lambda: with_cadence(c, self.cadence.itemData(index)))

    def set_uptime(self, service: str, percent: float) -> None:
        c = self.state.scenario
        if c is None:
            return
        if percent <= 0:
            if any(u.service == service for u in c.uptime):
                self._apply(lambda: without_uptime(c, service))
            return
        self._apply(lambda: with_uptime(c, service, percent))

    # ---------------------------------------------------------------- results

    def _busy(self, busy: bool) -> None:
        if busy:
            self.status.setStyleSheet("color: palette(mid);")
            self.status.setText("computing…")

    def _failed(self, message: str) -> None:
        self.status.setStyleSheet(f"color: {BAD};")
        self.status.setText(f"Recovery replay failed: {message}")

    def _show(self, result: RecoveryWhatIf) -> None:
        self.model.set_rows(result.rows())
        self._fit_table()
        self.flips_model.set_zone(result.zone)
        flips, total = result.flips()
        self.flips_model.set_items(flips)
        more = f" (first {len(flips):,} of {total:,})" if total > len(flips) else ""
        self.set_flips_title(f"Backups && tests that flip ({total:,})")
        months = result.scenario.months
        span = f"{months[0]} to {months[-1]}" if months else "no months"
        self.status.setStyleSheet("color: palette(mid);")
        self.status.setText(f"Records {span}, days and months in {result.zone}; {total:,} backup gaps, "
                            f"restore tests or uptime months flip{more}.")

    def _fit_table(self) -> None:
        """The table as tall as its rows (the panel scrolls, not the table) and the
        systems' rows spanning it."""
        t = self.table
        t.clearSpans()
        for r, item in enumerate(self.model.items):
            if isinstance(item, str):
                t.setSpan(r, 0, 1, self.model.columnCount())
        t.resizeRowsToContents()
        height = t.horizontalHeader().height() + 2 * t.frameWidth()
        height += sum(t.rowHeight(r) for r in range(self.model.rowCount()))
        bar = t.horizontalScrollBar()
        t.setFixedHeight(height + (bar.sizeHint().height() if bar.isVisible() else 0))

    def set_flips_title(self, text: str) -> None:
        tabs = self.view.tabs
        i = tabs.indexOf(self.flips)
        if i >= 0:
            tabs.setTabText(i, text)

    def idle(self) -> bool:
        """No replay or chart render in flight (tests, screenshots)."""
        return self.service.idle() and not self.chart.rendering


def install(view: Any) -> RecoveryPanel:
    """Put a Recovery panel into the What-if ``view``: a "Recovery" tab beside the ticket
    targets on the left (:attr:`view.split`'s first widget), its month chart and flips
    as result tabs on the right; showing the Recovery tab shows its chart."""
    panel = RecoveryPanel(view)
    split = view.split
    left = panel.side_tabs
    left.setDocumentMode(True)
    split.replaceWidget(0, left)
    left.addTab(view.targets_scroll, "Ticket targets")
    left.addTab(panel, "Recovery")
    tabs = view.tabs
    tabs.addTab(panel.chart_page, "Recovery per month")
    tabs.addTab(panel.flips, "Backups && tests that flip")

    def side_changed(i: int) -> None:
        """The result tabs of the side shown: the tickets' or the recovery's."""
        recovery = i == 1
        if recovery:
            panel.shown()
        for k in range(tabs.count()):
            tabs.setTabVisible(k, (tabs.widget(k) in (panel.chart_page, panel.flips)) == recovery)
        if recovery:
            tabs.setCurrentWidget(panel.chart_page)
        else:
            tabs.setCurrentIndex(0)

    side_changed(0)
    left.currentChanged.connect(side_changed)
    return panel
