"""Compare: two or more contract versions or proposals replayed on the same history.

Pick the versions, set the weights of the score, and read the score with its
breakdown, the terms side by side, compliance and credits per priority and the
charts.  The replay is ``workbench.analytics.compare.compare`` on a pool thread;
moving a weight only re-scores (``workbench.analytics.compare.score``), no replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.contract import METRICS, PRIORITIES
from ui.list_model import AnyIndex, ListTableModel
from ui.state import AppState, Version
from ui.steps import show_steps
from ui.tasks import Debouncer, Task, guard, run_in_background
from ui.widgets import EmptyState, figure_canvas
from workbench.app.engagement import CONTRACT, PROPOSALS, TICKETS

DIFFERS_BG = QColor("#fff4d6")


class GridModel(ListTableModel):
    """A read-only table of strings with the headers it is given; ``marked`` rows get a
    highlight, ``bold`` rows bold."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.marked: set[int] = set()
        self.bold: set[int] = set()
        self.tips: dict[tuple[int, int], str] = {}

    def set_grid(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        marked: set[int] | None = None,
        bold: set[int] | None = None,
        tips: dict[tuple[int, int], str] | None = None,
    ) -> None:
        self.headers = list(headers)
        self.marked = set(marked or ())
        self.bold = set(bold or ())
        self.tips = dict(tips or {})
        self.set_items(list(r) + [""] * (len(self.headers) - len(r)) for r in rows)

    @property
    def rows(self) -> list[list[str]]:
        """The rows of strings, each as long as the headers."""
        return self.items

    def header_labels(self) -> Sequence[str]:
        return self.headers

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.item(index)
        if row is None:
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row[c]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tips.get((r, c)) or (row[c] if len(row[c]) > 40 else None)
        if role == Qt.ItemDataRole.BackgroundRole and r in self.marked:
            return QBrush(DIFFERS_BG)
        if role == Qt.ItemDataRole.FontRole and r in self.bold:
            f = QFont()
            f.setBold(True)
            return f
        return None


def _pct(v: Any) -> str:
    return "n/a" if v is None else f"{100 * float(v):.1f}%"


def _compliance(counts: dict[str, Any]) -> str:
    """A metric's compliance cell: "not measured" when the history carries none of its events."""
    return "not measured" if counts.get("measured") is False else _pct(counts.get("compliance"))


def _table(model: GridModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setWordWrap(True)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    model.modelReset.connect(lambda: _fit(view))
    return view


MAX_COLUMN = 250  # px: longer texts wrap
CELL_PAD = 2 * 6 + 12  # px: the cell's margins and some air
SAMPLE_ROWS = 200  # column widths from the header and the first rows


def _fit(view: QTableView) -> None:
    """Column widths and row heights from font metrics of the texts themselves (one
    measure per cell, in Python), not ``resizeColumnsToContents``/``resizeRowsToContents``
    (a delegate size hint per cell, each asking the model for every role: 100-200 ms
    on the demo's terms and warnings, all on the GUI thread).  Widths come from the
    header and the first :data:`SAMPLE_ROWS` rows, at most :data:`MAX_COLUMN`; a row
    is as tall as its most wrapped cell."""
    model = view.model()
    if not isinstance(model, GridModel):
        return
    header = view.horizontalHeader()
    plain = view.fontMetrics()
    bold_font = QFont(view.font())
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    head = header.fontMetrics()
    for c, title in enumerate(model.headers):
        if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Interactive:
            continue
        width = head.horizontalAdvance(title) + CELL_PAD
        for r, row in enumerate(model.rows[:SAMPLE_ROWS]):
            fm = bold if r in model.bold else plain
            width = max(width, max((fm.horizontalAdvance(line) for line in row[c].split("\n")), default=0)
                        + CELL_PAD)
        header.resizeSection(c, min(width, MAX_COLUMN))
    vertical = view.verticalHeader()
    line = plain.lineSpacing()
    base = max(vertical.defaultSectionSize(), line + 8)
    widths = [header.sectionSize(c) - 12 for c in range(len(model.headers))]
    flags = int(Qt.TextFlag.TextWordWrap)
    for r, row in enumerate(model.rows):
        fm = bold if r in model.bold else plain
        height = base
        for c, text in enumerate(row):
            if text and ("\n" in text or fm.horizontalAdvance(text) > widths[c]):
                rect = fm.boundingRect(0, 0, max(widths[c], 20), 100_000, flags, text)
                height = max(height, rect.height() + 8)
        if vertical.sectionSize(r) != height:
            vertical.resizeSection(r, height)


class CompareView(QWidget):
    def __init__(self, state: AppState, window: Any = None) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.comparison: Any = None
        self.task: Task | None = None
        self._pending = False
        self.error = ""
        self._figure_gen = 0
        self._figures_pending = 0
        from workbench.analytics.compare import COMPONENTS, DEFAULT_WEIGHTS

        self.components = COMPONENTS
        self.default_weights = DEFAULT_WEIGHTS
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.empty = EmptyState("Nothing to compare yet", "")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._build_body())
        self._run_later = Debouncer(150, self.run, self)
        state.versions_changed.connect(self._versions_changed)
        state.workspace_changed.connect(self._versions_changed)
        state.history_changed.connect(self._history_changed)
        state.records_changed.connect(self._history_changed)
        self._versions_changed()

    # ------------------------------------------------------------------ layout
    def _build_body(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(QLabel("<b>Versions and proposals</b> (tick two or more)"))
        self.version_list = QListWidget()
        self.version_list.itemChanged.connect(lambda _i: self._run_later.trigger())
        ll.addWidget(self.version_list, 1)
        weights = QGroupBox("Weights of the score")
        grid = QGridLayout(weights)
        self.sliders: dict[str, QSlider] = {}
        self.spins: dict[str, QDoubleSpinBox] = {}
        for r, c in enumerate(self.components):
            grid.addWidget(QLabel(c.capitalize()), r, 0)
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, 100)
            spin = QDoubleSpinBox()
            spin.setRange(0, 100)
            spin.setDecimals(0)
            spin.setSuffix(" %")
            spin.setMinimumWidth(80)
            value = round(100 * self.default_weights.get(c, 0.0))
            slider.setValue(value)
            spin.setValue(value)
            slider.valueChanged.connect(lambda v, s=spin: s.setValue(v))
            spin.valueChanged.connect(lambda v, s=slider: s.setValue(round(v)))
            spin.valueChanged.connect(self.rescore)
            grid.addWidget(slider, r, 1)
            grid.addWidget(spin, r, 2)
            self.sliders[c], self.spins[c] = slider, spin
        reset = QPushButton("Default weights")
        reset.clicked.connect(self.reset_weights)
        grid.addWidget(reset, len(self.components), 0, 1, 3)
        ll.addWidget(weights)
        self.status = QLabel()
        self.status.setWordWrap(True)
        ll.addWidget(self.status)
        split.addWidget(left)

        self.tabs = QTabWidget()
        scores = QWidget()
        sl = QVBoxLayout(scores)
        self.score_model = GridModel()
        self.score_table = _table(self.score_model)
        self.score_table.setMaximumHeight(210)
        self.score_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        sl.addWidget(self.score_table)
        from matplotlib.figure import Figure

        self.score_canvas = figure_canvas(Figure(figsize=(7, 3)))
        sl.addWidget(self.score_canvas, 1)
        self.tabs.addTab(scores, "Score")
        self.terms_model = GridModel()
        self.terms_table = _table(self.terms_model)
        self.tabs.addTab(self.terms_table, "Terms side by side")
        perf = QWidget()
        pl = QVBoxLayout(perf)
        self.perf_model = GridModel()
        self.perf_table = _table(self.perf_model)
        self.perf_table.setMaximumHeight(300)
        # columns as wide as their words (_fit), not shared out evenly: an even share
        # elided the versions' names in a narrow window or at 125-150 % scaling
        pl.addWidget(self.perf_table)
        row = QHBoxLayout()
        row.addWidget(QLabel("Chart metric:"))
        self.chart_metric = QComboBox()
        self.chart_metric.addItems(list(reversed(METRICS)))
        self.chart_metric.currentIndexChanged.connect(self._draw_compliance)
        row.addWidget(self.chart_metric)
        row.addStretch(1)
        pl.addLayout(row)
        self.compliance_canvas = figure_canvas(Figure(figsize=(7, 3)))
        pl.addWidget(self.compliance_canvas, 1)
        self.tabs.addTab(perf, "Compliance && credits")
        self.warn_model = GridModel()
        self.tabs.addTab(_table(self.warn_model), "Warning signs")
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 1050])
        return split

    # ------------------------------------------------------------------ inputs
    def _versions_changed(self) -> None:
        st = self.state
        checked = {id(v.contract) for v in self.selected()} if self.version_list.count() else None
        self.version_list.blockSignals(True)
        self.version_list.clear()
        for v in st.versions:
            from workbench.analytics.compare import as_proposal

            item = QListWidgetItem(f"{as_proposal(v.contract).label} ({v.status})")
            item.setToolTip(f"{v.contract.name}\n{v.label} ({v.status})")
            item.setData(Qt.ItemDataRole.UserRole, v)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            # a template without priority targets is not an offer: left unticked (tick to add it)
            offer = v.status in ("signed", "proposal") and bool(v.contract.targets)
            on = offer if checked is None else id(v.contract) in checked
            if not v.contract.targets:
                item.setToolTip(item.toolTip() + "\nNo priority targets: not ticked by default.")
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.version_list.addItem(item)
        self.version_list.blockSignals(False)
        self._update_empty()
        self._run_later.trigger()

    def _history_changed(self) -> None:
        self._update_empty()
        self._run_later.trigger()

    def _update_empty(self) -> None:
        st = self.state
        if len(st.versions) < 2:
            self.empty.set_text(
                "Nothing to compare yet",
                "Compare needs two or more contract versions or proposals in the workspace. Add the "
                "provider's proposal or a competitor's, or save a draft from the contract editor or the "
                "what-if view.",
            )
            signed = any(v.status == "signed" for v in st.versions)
            show_steps(self.empty, self.window_, [PROPOSALS] if signed else [CONTRACT, PROPOSALS])
            self.stack.setCurrentIndex(0)
        elif not len(st.history.tickets):
            self.empty.set_text(
                "No ticket history",
                "Proposals are compared on the client's own tickets. Import a ticket export.",
            )
            show_steps(self.empty, self.window_, [TICKETS])
            self.stack.setCurrentIndex(0)
        else:
            self.stack.setCurrentIndex(1)

    def selected(self) -> list[Version]:
        out = []
        for i in range(self.version_list.count()):
            item = self.version_list.item(i)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def set_selected(self, versions: Sequence[Version]) -> None:
        wanted = {id(v) for v in versions}
        for i in range(self.version_list.count()):
            item = self.version_list.item(i)
            if item is not None:
                on = id(item.data(Qt.ItemDataRole.UserRole)) in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def weights(self) -> dict[str, float]:
        return {c: self.spins[c].value() / 100 for c in self.components}

    def reset_weights(self) -> None:
        for c in self.components:
            self.spins[c].setValue(round(100 * self.default_weights.get(c, 0.0)))

    # ------------------------------------------------------------------ running
    def run(self) -> None:
        """Replay the ticked versions on the history (pool thread; newest request wins)."""
        versions = self.selected()
        h = self.state.history
        if len(versions) < 2 or not len(h.tickets):
            self.comparison = None
            self.status.setText("Tick two or more versions." if len(versions) < 2 else "")
            self._show()
            return
        if self.task is not None:
            self._pending = True
            return
        if self.state.records_pending:  # its warning signs need the backups and outages
            self.status.setText("Reading backups, outages and KPIs…")
            return
        w = self.weights()
        if sum(w.values()) <= 0:
            w = dict(self.default_weights)
        from workbench.analytics.compare import compare

        self.status.setText("Replaying the history under each version…")
        self.task = run_in_background(
            compare,
            [v.contract for v in versions],
            h.tickets,
            h.status_log,
            weights=w,
            history=h,
            pass_progress=True,
            on_done=guard(self, self._done),
            on_error=guard(self, self._failed),
        )

    def _finished(self) -> bool:
        self.task = None
        if self._pending:
            self._pending = False
            self.run()
            return False
        return True

    def _done(self, comparison: Any) -> None:
        if not self._finished():
            return
        self.comparison = comparison
        self.error = ""
        self.rescore()

    def _failed(self, exc: BaseException) -> None:
        if not self._finished():
            return
        self.error = str(exc)
        self.status.setText(f"<span style='color:#b42318'>Comparison failed: {exc}</span>")

    def idle(self) -> bool:
        return self.task is None and not self._run_later.pending() and not self._figures_pending

    def rescore(self, *_: Any) -> None:
        """New weights: new scores and breakdowns from the same replay."""
        cmp = self.comparison
        if cmp is None:
            return
        from workbench.analytics.compare import score

        w = self.weights()
        if sum(w.values()) <= 0:
            self.status.setText("Give at least one weight above 0.")
            return
        for v in cmp.versions:
            v.score, v.breakdown = score(v.components, w)
        cmp.weights = w
        best = max(cmp.versions, key=lambda v: v.score)
        self.status.setText(f"Best on these weights: <b>{best.proposal.label}</b> ({best.score:.1f} points).")
        self._show()

    # ------------------------------------------------------------------ output
    def _show(self) -> None:
        cmp = self.comparison
        if cmp is None:
            for m in (self.score_model, self.terms_model, self.perf_model, self.warn_model):
                m.set_grid([], [])
            return
        labels = cmp.labels()
        comps = list(self.components)
        rows = []
        ranking = cmp.ranking()
        for v in ranking:
            rows.append(
                [v.proposal.label, f"{v.score:.1f}"]
                + [f"{v.breakdown[c]['points']:.1f} ({100 * v.breakdown[c]['value']:.0f}%)" for c in comps]
            )
        self.score_model.set_grid(
            ["Version", "Score", *[c.capitalize() for c in comps]], rows, bold={0} if rows else set()
        )
        terms = [[t["section"], t["term"], *t["values"]] for t in cmp.terms]
        marked = {i for i, t in enumerate(cmp.terms) if t["differs"]}
        self.terms_model.set_grid(["Section", "Term", *labels], terms, marked=marked)
        perf: list[list[str]] = []
        for p in PRIORITIES:
            if not any(p in v.by_priority for v in cmp.versions):
                continue
            for metric in METRICS:
                perf.append(
                    [p, f"{metric} compliance"]
                    + [_compliance(v.by_priority.get(p, {}).get(metric, {})) for v in cmp.versions]
                )
            perf.append([p, "breaches"] + [f"{v.breaches_by_priority.get(p, 0):,}" for v in cmp.versions])
            perf.append([p, "credits"] + [self._money(v, v.credits_by_priority.get(p)) for v in cmp.versions])
        total = ["All", "credits (capped total)"] + [self._money(v, v.credits) for v in cmp.versions]
        perf.append(total)
        self.perf_model.set_grid(["Priority", "Measure", *labels], perf, bold={len(perf) - 1})
        warns = []
        for v in cmp.versions:
            for f in v.warnings or []:
                warns.append(
                    [
                        v.proposal.label,
                        str(f.get("code", "")),
                        str(f.get("severity", "")),
                        str(f.get("clause", "")),
                        str(f.get("evidence", "")),
                    ]
                )
        self.warn_model.set_grid(["Version", "Code", "Severity", "Clause", "Evidence"], warns)
        self._build_figures(score=True)

    def _build_figures(self, score: bool) -> None:
        """Build the charts on a pool thread (they render on one too): the newest wins."""
        cmp, metric = self.comparison, self.chart_metric.currentText()
        if cmp is None:
            return
        self._figure_gen += 1
        gen = self._figure_gen
        self._figures_pending += 1

        def work() -> tuple[Any, Any]:
            return (cmp.score_figure() if score else None), cmp.compliance_figure(metric)

        def done(figs: tuple[Any, Any]) -> None:
            self._figures_pending -= 1
            if gen != self._figure_gen or cmp is not self.comparison:
                return
            if figs[0] is not None:
                self._set_figure(self.score_canvas, figs[0])
            self._set_figure(self.compliance_canvas, figs[1])

        def failed(exc: BaseException) -> None:
            self._figures_pending -= 1
            self.status.setText(f"Could not draw the charts: {exc}")

        run_in_background(work, on_done=guard(self, done), on_error=guard(self, failed))

    @staticmethod
    def _money(v: Any, amount: float | None) -> str:
        return "no fee stated" if amount is None else f"{amount:,.0f} {v.proposal.contract.currency}"

    def _draw_compliance(self, *_: Any) -> None:
        self._build_figures(score=False)

    @staticmethod
    def _set_figure(canvas: Any, fig: Any) -> None:
        canvas.figure = fig
        fig.set_canvas(canvas)
        w, h = canvas.width(), canvas.height()
        if w > 10 and h > 10:
            fig.set_size_inches(w / fig.dpi, h / fig.dpi)
        canvas.draw_idle()
