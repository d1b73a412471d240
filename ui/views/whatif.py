"""What-if simulator: the signed baseline against a scenario whose targets, coverage and
pause rules move live, with compliance deltas, breaches and credits per month, the
sensitivity curves and the tickets that flip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.contract import (
    METRICS,
    PRIORITIES,
    Contract,
    ContractError,
    parse_target,
)
from ui.list_model import AnyIndex, ListTableModel
from ui.simulation import SimulationService, WhatIf
from ui.state import AddVersion, AppState, SetScenario, Version
from ui.steps import show_steps
from ui.views.whatif_recovery import install as install_recovery
from ui.widgets import EmptyState, figure_canvas
from workbench.app.coverage import PRESETS, CoveragePreset
from workbench.app.drafts import new_draft_key
from workbench.app.engagement import CONTRACT, TICKETS
from workbench.app.localtime import format_instant
from workbench.app.scenarios import (
    AS_IN_CONTRACT,
    ScenarioEdit,
    ScenarioError,
    coverage_choice,
    draft_from_scenario,
    with_coverage,
    with_pauses,
    with_target,
)
from workbench.app.ticket_time import FlipMargin, flip_margins

SLIDER_STEP_H = 0.25  # slider resolution: a quarter of an hour
NO_TARGET = "no target"  # the slider's left end removes the target: said in words
FLIP_COLUMN_MAX = 260  # the widest "By how much" the flips table makes room for (px)
MAX_HOURS = {"P1": 24.0, "P2": 72.0, "P3": 168.0, "P4": 336.0}


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


class ComplianceModel(ListTableModel):
    """Compliance per priority, baseline against scenario, with the change in points."""

    HEADERS = (  # two lines each: the columns stay narrow and nothing is elided
        "Priority",
        "Tickets",
        "Response\nbaseline",
        "Response\nscenario",
        "Δ\nresponse",
        "Resolution\nbaseline",
        "Resolution\nscenario",
        "Δ\nresolution",
    )
    not_measured: frozenset[str] = frozenset()  # metrics the history carries no event of
    untargeted: frozenset[tuple[str, int]] | set[tuple[str, int]] = frozenset()

    def set_whatif(self, w: WhatIf | None) -> None:
        rows: list[tuple[str, int, list[float | None]]] = []
        self.untargeted: set[tuple[str, int]] = set()  # (priority, value column) without a target
        self.not_measured = frozenset(w.baseline.engine.not_measured) if w is not None else frozenset()
        if w is not None:
            for p in PRIORITIES:
                b = w.baseline.by_priority.get(p)
                s = w.scenario.by_priority.get(p)
                if b is None and s is None:
                    continue
                vals: list[float | None] = []
                for m in METRICS:
                    cb = b.metric(m).compliance if b else None
                    cs = s.metric(m).compliance if s else None
                    vals += [cb, cs, None if cb is None or cs is None else cs - cb]
                    for col, r in ((len(vals) - 3, b), (len(vals) - 2, s)):
                        if r is not None and r.metric(m).target is None:
                            self.untargeted.add((p, col))
                rows.append((p, (s or b).tickets, vals))  # type: ignore[union-attr]
        self.set_items(rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.item(index)
        if row is None:
            return None
        prio, n, vals = row
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 0:
                return prio
            if c == 1:
                return f"{n:,}"
            v = vals[c - 2]
            if METRICS[(c - 2) // 3] in self.not_measured:
                return "" if c in (4, 7) else "not measured"
            if c in (4, 7):
                return "" if v is None else f"{100 * v:+.1f} pts"
            if v is None and (prio, c - 2) in self.untargeted:
                return NO_TARGET
            return _pct(v)
        if role == Qt.ItemDataRole.ForegroundRole and c in (4, 7):
            v = vals[c - 2]
            if v is not None and abs(v) > 1e-9:
                return QBrush(QColor("#1a7f37" if v > 0 else "#b42318"))
        if role == Qt.ItemDataRole.TextAlignmentRole and c > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class FlipsModel(ListTableModel):
    """The tickets whose outcome flips, each with by how much it missed or made the
    scenario's target (covered time; the baseline's margin in its tooltip)."""

    HEADERS = ("Ticket", "Priority", "Metric", "Baseline", "Scenario", "By how much")

    def __init__(self) -> None:
        super().__init__()
        self.margins: list[FlipMargin] = []  # per flip, in words

    def set_comparison(self, comparison: Any) -> None:
        self.margins = flip_margins(comparison)
        self.set_items(comparison.flips)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal and section == 5:
            return "By how much the ticket missed or made the scenario's target (its calendar's covered time)"
        return super().headerData(section, orientation, role)

    # the roles it answers: the view asks every cell for some eight roles each time it
    # sizes the columns to their words (at every slider move), the others end here at once
    ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                       Qt.ItemDataRole.ForegroundRole})

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in self.ROLES:
            return None
        f = self.item(index)
        if f is None:
            return None
        c = index.column()
        m = self.margins[index.row()] if index.row() < len(self.margins) else None
        if role == Qt.ItemDataRole.DisplayRole:
            words = [o.replace("_", " ") for o in (f.baseline, f.scenario)]
            return (f.ticket, f.priority, f.metric, *words, m.scenario if m else "")[c]
        if role == Qt.ItemDataRole.ToolTipRole and c >= 3 and m is not None:
            return (f"Baseline (target {m.baseline_target}): {m.baseline}\n"
                    f"Scenario (target {m.scenario_target}): {m.scenario}\n"
                    "in covered time of the target's calendar")
        if role == Qt.ItemDataRole.ForegroundRole and c in (4, 5):
            colour = {"met": "#1a7f37", "not_applicable": "#57606a"}.get(f.scenario, "#b42318")
            return QBrush(QColor(colour))
        return None


def flips_summary(flips: list[Any]) -> str:
    """What the flips come to, each kind named: a removed target is said, not counted
    as breaches (``420 no longer measured: no target``)."""
    counts = {o: sum(1 for f in flips if f.scenario == o) for o in ("met", "breached", "pending")}
    unmeasured = len(flips) - sum(counts.values())
    text = f"{counts['met']:,} ticket metrics become met and {counts['breached']:,} become breached"
    if counts["pending"]:
        text += f"; {counts['pending']:,} become pending (open, within the target so far)"
    if unmeasured:
        text += f"; {unmeasured:,} are no longer measured (no target)"
    return text + "."


class TargetControl(QWidget):
    """Spin box (hours) and slider for one priority/metric target."""

    def __init__(self, view: WhatIfView, prio: str, metric: str) -> None:
        super().__init__()
        self.view, self.prio, self.metric_name = view, prio, metric
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(2)
        self.spin.setSingleStep(SLIDER_STEP_H)
        self.spin.setRange(0.0, MAX_HOURS[prio])
        self.spin.setSuffix(" h")
        self.spin.setKeyboardTracking(False)
        self.spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        words = self.spin.fontMetrics().horizontalAdvance("next business day")
        self.spin.setMinimumWidth(max(130, words + 40))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, int(MAX_HOURS[prio] / SLIDER_STEP_H))
        self.slider.setMinimumWidth(60)  # the targets' grid fits beside the results on a 1280 px window
        layout.addWidget(self.spin)
        layout.addWidget(self.slider, 1)
        self.spin.valueChanged.connect(self._spin_changed)
        self.slider.valueChanged.connect(self._slider_changed)
        self._syncing = False

    def sync(self, target: str | None) -> None:
        """Show ``target``; the minimum (0) stands for a day target or no target."""
        self._syncing = True
        if target is None:
            self.spin.setSpecialValueText(NO_TARGET)
            value = 0.0
        else:
            kind, seconds = parse_target(target)
            if seconds is None:
                self.spin.setSpecialValueText(
                    {"same_business_day": "same business day"}.get(kind, "next business day")
                )
                value = 0.0
            else:
                self.spin.setSpecialValueText(NO_TARGET)
                value = seconds / 3600
        if value > self.spin.maximum():
            self.spin.setMaximum(value)
            self.slider.setMaximum(int(value / SLIDER_STEP_H) + 1)
        self.spin.setValue(value)
        self.slider.setValue(round(value / SLIDER_STEP_H))
        self._syncing = False

    def _spin_changed(self, hours: float) -> None:
        if self._syncing:
            return
        self._syncing = True
        self.slider.setValue(round(hours / SLIDER_STEP_H))
        self._syncing = False
        self.view.set_target(self.prio, self.metric_name, hours)

    def _slider_changed(self, steps: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        self.spin.setValue(steps * SLIDER_STEP_H)
        self._syncing = False
        self.view.set_target(self.prio, self.metric_name, steps * SLIDER_STEP_H)


class WhatIfView(QWidget):
    def __init__(self, state: AppState, window: Any = None) -> None:
        super().__init__()
        self.state = state
        self._as_of: int | None = None  # the last result's as-of instant (shown in the zone)
        state.zone_changed.connect(self._show_as_of)
        self.window_ = window
        service = getattr(window, "simulation", None)
        self.service = service if service is not None else SimulationService(state, parent=self)
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.empty = EmptyState("Nothing to simulate yet", "")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._build_body())
        self.recovery = install_recovery(self)
        self.service.whatif_ready.connect(self._show)
        self.service.flips_ready.connect(self._show_flips)
        self.service.busy_changed.connect(self._busy)
        self.service.failed.connect(self._failed)
        state.scenario_changed.connect(self._sync_controls)
        state.baseline_changed.connect(self._baseline_changed)
        state.workspace_changed.connect(self._update_empty)
        state.history_changed.connect(self._update_empty)
        self._update_empty()
        self._sync_controls()
        if self.service.whatif is not None:  # built after the first result arrived
            self._show(self.service.whatif)

    # ------------------------------------------------------------------ layout
    def _build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        top = QHBoxLayout()
        top.addWidget(QLabel("Baseline:"))
        self.baseline_combo = QComboBox()
        # both combos as wide as their words where there is room, narrower (their popups
        # whole) on a 1280 px window, whose width the view's top row would otherwise exceed
        self.baseline_combo.setMinimumWidth(180)
        self.baseline_combo.activated.connect(self._pick_baseline)
        top.addWidget(self.baseline_combo)
        top.addSpacing(12)
        top.addWidget(QLabel("Coverage:"))
        self.coverage = QComboBox()
        for name in (AS_IN_CONTRACT, *(p.label for p in PRESETS)):
            self.coverage.addItem(name)
        self.coverage.addItem("Custom (edit in the contract editor)")
        self.coverage.setMinimumWidth(180)
        self.coverage.activated.connect(self._coverage_picked)
        top.addWidget(self.coverage)
        top.addStretch(1)
        self.status = QLabel()
        top.addWidget(self.status)
        self.reset = QPushButton("Reset to baseline")
        self.reset.clicked.connect(self._reset)
        top.addWidget(self.reset)
        self.save = QPushButton("Save scenario as draft version")
        self.save.clicked.connect(self.save_as_draft)
        top.addWidget(self.save)
        layout.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        targets = QGroupBox("Scenario targets (business hours on each target's calendar)")
        grid = QGridLayout(targets)
        grid.addWidget(QLabel("Response"), 0, 1)
        grid.addWidget(QLabel("Resolution"), 0, 2)
        self.controls: dict[tuple[str, str], TargetControl] = {}
        for r, p in enumerate(PRIORITIES, start=1):
            grid.addWidget(QLabel(f"<b>{p}</b>"), r, 0)
            for c, m in enumerate(METRICS, start=1):
                ctl = TargetControl(self, p, m)
                self.controls[(p, m)] = ctl
                grid.addWidget(ctl, r, c)
        left_layout.addWidget(targets)
        pause = QGroupBox("Pause rules (client waiting time stops the clock)")
        pl = QGridLayout(pause)
        self.pause_response = QCheckBox("Pause response")
        self.pause_resolution = QCheckBox("Pause resolution")
        self.pause_response.toggled.connect(self._pause_changed)
        self.pause_resolution.toggled.connect(self._pause_changed)
        self.pause_statuses = QLineEdit()
        self.pause_statuses.setPlaceholderText("Statuses that pause, comma separated")
        self.pause_statuses.editingFinished.connect(self._pause_changed)
        pl.addWidget(self.pause_response, 0, 0)
        pl.addWidget(self.pause_resolution, 0, 1)
        pl.addWidget(QLabel("Statuses:"), 1, 0)
        pl.addWidget(self.pause_statuses, 1, 1)
        left_layout.addWidget(pause)
        self.compliance_model = ComplianceModel()
        self.compliance = QTableView()
        self.compliance.setModel(self.compliance_model)
        self.compliance.verticalHeader().hide()
        header = self.compliance.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 1):  # the priority and the ticket count as wide as their words, the rest shared
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.compliance.setMinimumHeight(150)
        left_layout.addWidget(QLabel("<b>Compliance</b> (met ÷ (met + breached))"))
        left_layout.addWidget(self.compliance, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        left_layout.addWidget(self.summary)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        split.addWidget(scroll)
        self.split, self.targets_scroll = split, scroll  # the Recovery panel goes beside the targets

        self.tabs = QTabWidget()
        # every tab's title whole, never behind scroll arrows: the tab bar's full width is the
        # pane's minimum, so the splitter keeps that much room for it
        self.tabs.tabBar().setUsesScrollButtons(False)
        self.tabs.tabBar().setElideMode(Qt.TextElideMode.ElideNone)
        from matplotlib.figure import Figure

        from workbench.reports.whatif_charts import MonthlyBreachesChart

        self.months_canvas = figure_canvas(Figure(figsize=(6.4, 3.0)))
        self.months_chart = MonthlyBreachesChart(self.months_canvas.figure)
        self._months_bg: Any = None
        self._months_waiting: WhatIf | None = None  # a result that came while the chart rendered
        self.months_canvas.on_rendered.append(self._months_rendered)
        self.sens_canvas = figure_canvas(Figure(figsize=(6.4, 4.2)))
        self._sens_gen = 0
        self._sens_pending = 0
        sens = QWidget()
        sl = QVBoxLayout(sens)
        row = QHBoxLayout()
        row.addWidget(QLabel("Metric:"))
        self.sens_metric = QComboBox()
        self.sens_metric.addItems(["resolution", "response"])
        self.sens_metric.currentIndexChanged.connect(self._redraw_sensitivity)
        row.addWidget(self.sens_metric)
        row.addWidget(QLabel("Mark the target that reaches:"))
        self.sens_share = QDoubleSpinBox()
        self.sens_share.setRange(50, 100)
        self.sens_share.setValue(95)
        self.sens_share.setSuffix(" %")
        self.sens_share.valueChanged.connect(self._redraw_sensitivity)
        row.addWidget(self.sens_share)
        row.addStretch(1)
        sl.addLayout(row)
        sl.addWidget(self.sens_canvas, 1)
        self.tabs.addTab(self.months_canvas, "Breaches && credits per month")
        self.tabs.addTab(sens, "Sensitivity")
        self.flips_model = FlipsModel()
        self.flips = QTableView()
        self.flips.setModel(self.flips_model)
        self.flips.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.flips.verticalHeader().hide()
        self.flips.verticalHeader().setDefaultSectionSize(22)
        flips_header = self.flips.horizontalHeader()
        flips_header.setResizeContentsPrecision(200)  # the words are short; a sample of rows is enough
        for col in range(len(FlipsModel.HEADERS) - 1):
            flips_header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        flips_header.setStretchLastSection(True)
        self.flips.doubleClicked.connect(self._open_flip)
        self.tabs.addTab(self.flips, "Tickets that flip")
        self._dirty_charts: set[int] = set()
        from PySide6.QtCore import QTimer

        self._chart_timer = QTimer(self)
        self._chart_timer.setSingleShot(True)
        self._chart_timer.setInterval(150)
        self._chart_timer.timeout.connect(self._render_charts)
        self.tabs.currentChanged.connect(self._render_charts)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([720, 640])
        layout.addWidget(split, 1)
        return body

    # ------------------------------------------------------------------ state -> widgets
    def _update_empty(self) -> None:
        st = self.state
        if st.baseline is None:
            self.empty.set_text(
                "No contract to simulate",
                "Add the signed contract version to compare scenarios against it.",
            )
            show_steps(self.empty, self.window_, [CONTRACT])
            self.stack.setCurrentIndex(0)
        elif not len(st.history.tickets):
            self.empty.set_text(
                "No ticket history",
                "The simulator replays the client's own tickets under each scenario. Import a ticket export.",
            )
            show_steps(self.empty, self.window_, [TICKETS])
            self.stack.setCurrentIndex(0)
        else:
            self.stack.setCurrentIndex(1)
        self.baseline_combo.clear()
        for v in st.versions:
            self.baseline_combo.addItem(f"{v.label} ({v.status})", v)
            if v is st.baseline:
                self.baseline_combo.setCurrentIndex(self.baseline_combo.count() - 1)

    def _baseline_changed(self) -> None:
        self._update_empty()

    def _sync_controls(self) -> None:
        c = self.state.scenario
        if c is None:
            return
        for (p, m), ctl in self.controls.items():
            ctl.sync(c.target(p, m))
        for box, metric in ((self.pause_response, "response"), (self.pause_resolution, "resolution")):
            box.blockSignals(True)
            box.setChecked(c.pauses(metric))
            box.blockSignals(False)
        if not self.pause_statuses.hasFocus():
            self.pause_statuses.setText(", ".join(c.pause_statuses))
        self.coverage.setCurrentIndex(self._coverage_index(c))
        self.status.setText("computing…")

    def _coverage_index(self, c: Contract) -> int:
        choice = coverage_choice(c, self.state.baseline.contract if self.state.baseline else None)
        if choice is None:
            return 0
        if isinstance(choice, CoveragePreset):
            return PRESETS.index(choice) + 1
        return len(PRESETS) + 1

    # ------------------------------------------------------------------ widgets -> scenario
    def _push(self, new: Contract, text: str, key: str) -> None:
        if self.state.scenario is not None and new == self.state.scenario:
            return
        self.state.undo_stack.push(SetScenario(self.state, new, text, key))

    def _apply(self, edit: Callable[[], ScenarioEdit]) -> None:
        """Run one scenario edit and push it; a refused edit is said in the status line."""
        try:
            done = edit()
        except ScenarioError as exc:
            self.status.setText(str(exc))
            return
        except ContractError as exc:
            self.status.setText(str(exc).splitlines()[0])
            self.status.setStyleSheet("color: #b42318;")
            return
        self._push(done.contract, done.text, done.key)

    def set_target(self, prio: str, metric: str, hours: float) -> None:
        c = self.state.scenario
        if c is None:
            return
        base = self.state.baseline.contract if self.state.baseline else c
        self._apply(lambda: with_target(c, base, prio, metric, hours))

    def _coverage_picked(self, index: int) -> None:
        c, base = self.state.scenario, self.state.baseline
        if c is None or base is None:
            return
        if index > len(PRESETS):
            if self.window_ is not None:
                self.window_.show_view("editor")
            return
        preset = PRESETS[index - 1] if index > 0 else None
        self._apply(lambda: with_coverage(c, base.contract, preset))

    def _pause_changed(self, *_: Any) -> None:
        c = self.state.scenario
        if c is None:
            return
        applies = [
            m
            for m, box in (("response", self.pause_response), ("resolution", self.pause_resolution))
            if box.isChecked()
        ]
        self._apply(lambda: with_pauses(c, applies, self.pause_statuses.text().split(",")))

    def _reset(self) -> None:
        if self.state.baseline is not None:
            self._push(self.state.baseline.contract, "Reset scenario to baseline", "")

    def _pick_baseline(self, index: int) -> None:
        v = self.baseline_combo.itemData(index)
        if isinstance(v, Version) and v is not self.state.baseline:
            self.state.set_baseline(v)
            self._push(v.contract, f"Baseline {v.label}", "")

    def save_as_draft(self) -> Version | None:
        c = self.state.scenario
        if c is None:
            return None
        n = sum(1 for v in self.state.versions if v.status == "draft") + 1
        base = self.state.baseline.contract if self.state.baseline else c
        draft = draft_from_scenario(c, base, n)
        parent = self.state.baseline.id if self.state.baseline else None
        version = Version(None, draft, new_draft_key(parent), parent)
        self.state.undo_stack.push(AddVersion(self.state, version, "Save scenario as draft version"))
        self.state.message.emit(f"Saved the scenario as draft version “{draft.version}”")
        return version

    # ------------------------------------------------------------------ results
    def _busy(self, busy: bool) -> None:
        if busy:
            self.status.setStyleSheet("color: palette(mid);")
            self.status.setText("computing…")

    def _failed(self, message: str) -> None:
        self.status.setStyleSheet("color: #b42318;")
        self.status.setText(f"Simulation failed: {message}")

    def _show(self, w: WhatIf) -> None:
        self.compliance_model.set_whatif(w)
        cur = w.scenario.contract.currency
        credits_b = sum(m.get("amount") or 0 for m in w.baseline.credits().values())
        credits_s = sum(m.get("amount") or 0 for m in w.scenario.credits().values())
        if not w.baseline.contract.service_credits and not w.scenario.contract.service_credits:
            self._credits_text = "No service credits: neither the baseline nor the scenario grants any."
        else:
            self._credits_text = (
                f"Projected credits over the history: baseline {credits_b:,.0f} {cur}, "
                f"scenario {credits_s:,.0f} {cur}."
            )
        if w.comparison is None:
            self.tabs.setTabText(2, "Tickets that flip (listing…)")
            self.summary.setText(self._credits_text)
        else:
            self._show_flips(w)
        self.status.setStyleSheet("color: palette(mid);")
        self._as_of = w.scenario.as_of_epoch
        self._show_as_of()
        # the months chart follows at once (updated in place); the sensitivity curves are
        # drawn when their tab shows, a little after the last move
        self._update_months_chart(w)
        self._dirty_charts.add(1)
        self._chart_timer.start()

    def _show_as_of(self) -> None:
        """The as-of instant with the same zone and words as the status bar's "As of"."""
        if self._as_of is not None:
            as_of = format_instant(self._as_of, self.state.display_zone(), with_zone=True)
            self.status.setText(f"as of {as_of}")

    def _show_flips(self, w: WhatIf) -> None:
        if w.comparison is None:
            return
        flips = w.comparison.flips
        self.flips_model.set_comparison(w.comparison)
        n = len(flips)
        more = "+" if n >= 5000 else ""
        self.tabs.setTabText(2, f"Tickets that flip ({n:,}{more})")
        self.summary.setText(flips_summary(flips) + " " + getattr(self, "_credits_text", ""))
        self._fit_flips()

    def _fit_flips(self) -> None:
        """The flips table at least as wide as its columns' words (the splitter gives the
        result pane that much room): "By how much" is read whole, not "missed by 1 …"."""
        table, header = self.flips, self.flips.horizontalHeader()
        width = 0
        for col in range(self.flips_model.columnCount()):
            words = max(table.sizeHintForColumn(col), header.sectionSizeHint(col))
            width += min(words, FLIP_COLUMN_MAX) if col == self.flips_model.columnCount() - 1 else words
        bar = table.verticalScrollBar().sizeHint().width()
        table.setMinimumWidth(width + bar + 2 * table.frameWidth())

    def _update_months_chart(self, w: WhatIf) -> None:
        canvas, chart = self.months_canvas, self.months_chart
        if self.tabs.currentIndex() != 0:  # drawn when its tab shows
            self._dirty_charts.add(0)
            return
        self._dirty_charts.discard(0)
        if canvas.rendering:  # the figure is being rendered on a pool thread: after that
            self._months_waiting = w
            return
        if self._months_bg is None or not chart.fits(w.baseline, w.scenario):
            # laid out again (other months or baseline, bars above the axes): on the pool
            # thread that renders it, never on the GUI thread
            self._full_months_draw(lambda: chart.update(w.baseline, w.scenario))
            return
        chart.update(w.baseline, w.scenario)  # in place: only the scenario's artists move
        # only the scenario's bars and credit line moved: paint them over the saved background
        canvas.restore_region(self._months_bg)
        for artist in chart.dynamic_artists:
            artist.axes.draw_artist(artist)
        canvas.update()

    def _full_months_draw(self, layout: Any = None) -> None:
        """Lay the chart out (``layout()``, when given) and render it without the
        scenario's artists, both on a pool thread; once it is in
        (:meth:`_months_rendered`) it is kept as the background of later in-place
        updates and those artists are painted over it."""
        canvas, chart = self.months_canvas, self.months_chart
        w, h = canvas.width(), canvas.height()
        fig = chart.fig
        if w > 10 and h > 10:
            fig.set_size_inches(w / fig.dpi, h / fig.dpi)

        def prepare() -> None:
            if layout is not None:
                layout()
            if w > 10 and h > 10:
                chart.fit(w, h)

        self._months_bg = None
        canvas.hidden_while_rendering = lambda: chart.dynamic_artists
        canvas.draw_idle(prepare)

    def _months_rendered(self) -> None:
        canvas, chart = self.months_canvas, self.months_chart
        self._months_bg = canvas.copy_from_bbox(chart.fig.bbox)
        for artist in chart.dynamic_artists:
            artist.axes.draw_artist(artist)
        waiting, self._months_waiting = self._months_waiting, None
        if waiting is not None:
            self._update_months_chart(waiting)

    def _render_charts(self, *_: Any) -> None:
        w = self.service.whatif
        tab = self.tabs.currentIndex()
        if w is None or tab not in self._dirty_charts:
            return
        self._dirty_charts.discard(tab)
        if tab == 0:
            self._update_months_chart(w)
        else:
            self._redraw_sensitivity()

    def _redraw_sensitivity(self, *_: Any) -> None:
        w = self.service.whatif
        if w is None:
            return
        from ui.tasks import guard, run_in_background
        from workbench.reports.whatif_charts import sensitivity_figure

        # built on a pool thread (its curves are a pass over every ticket); the newest wins
        self._sens_gen += 1
        gen = self._sens_gen
        self._sens_pending += 1

        def done(fig: Any) -> None:
            self._sens_pending -= 1
            if gen == self._sens_gen:
                self._set_figure(self.sens_canvas, fig)

        def failed(exc: BaseException) -> None:
            self._sens_pending -= 1
            self._failed(f"the sensitivity chart: {exc}")

        run_in_background(
            sensitivity_figure, w.scenario, self.sens_metric.currentText(), self.sens_share.value() / 100,
            on_done=guard(self, done), on_error=guard(self, failed),
        )

    def charts_idle(self) -> bool:
        """No chart of this view is being built or rendered."""
        return not self._sens_pending and not self.months_canvas.rendering and not self.sens_canvas.rendering

    @staticmethod
    def _set_figure(canvas: Any, fig: Any) -> None:
        canvas.figure = fig
        fig.set_canvas(canvas)
        w, h = canvas.width(), canvas.height()
        if w > 10 and h > 10:
            fig.set_size_inches(w / fig.dpi, h / fig.dpi)
        canvas.draw_idle()

    def _open_flip(self, index: QModelIndex) -> None:
        if not index.isValid() or self.window_ is None:
            return
        flip = self.flips_model.items[index.row()]
        tickets_view = self.window_.views.get("tickets")
        if tickets_view is not None and hasattr(tickets_view, "show_tickets"):
            tickets_view.show_tickets([flip.ticket])
            self.window_.show_view("tickets")
