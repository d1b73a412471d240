"""Compare: two or more contract versions or proposals replayed on the same history.

Pick the versions, set the weights of the score, and read the score with its
breakdown, the terms side by side, compliance and credits per priority and the
charts.  The replay is ``workbench.analytics.compare.compare`` on a pool thread;
moving a weight only re-scores (``workbench.analytics.compare.score``), no replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from workbench.app.compare_cells import BREACHES, cell_tickets, warning_matrix
from workbench.app.engagement import CONTRACT, PROPOSALS, TICKETS
from workbench.app.words import clause_words, code_title

DIFFERS_BG = QColor("#fff4d6")
# a warning-sign cell's background by the worst severity in it (text colours as in Warnings)
SEVERITY_BG = {"high": QColor("#f9d6d2"), "medium": QColor("#fbe9b7"), "low": QColor("#e4e7eb")}
SEVERITY_FG = {"high": QColor("#8c1c13"), "medium": QColor("#6b4a00"), "low": QColor("#3d444d")}


def _swatch(colour: QColor, text: str, fg: QColor | None = None) -> str:
    """A legend entry: ``text`` on the background ``colour`` it explains."""
    ink = f" color:{fg.name()};" if fg is not None else ""
    return f"<span style='background-color:{colour.name()};{ink}'>&nbsp;{text}&nbsp;</span>"


def _legend(html: str) -> QLabel:
    label = QLabel(html)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class WrapHeader(QHeaderView):
    """A horizontal header whose titles wrap onto more lines when their section is
    narrow, instead of being cut ("nwind 2026-Q4 prop"): the header grows as tall as its
    most wrapped title."""

    PAD = 10  # px: the section's margins around its text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap))
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sectionResized.connect(self._relayout)

    def title(self, logical: int) -> str:
        model = self.model()
        return "" if model is None else str(model.headerData(logical, Qt.Orientation.Horizontal) or "")

    def wrapped_height(self, logical: int) -> int:
        """How tall the title of section ``logical`` is, wrapped at its width."""
        width = max(self.sectionSize(logical) - self.PAD, 16)
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        box = QRect(0, 0, width, 10_000)
        return self.fontMetrics().boundingRect(box, flags, self.title(logical)).height()

    def sectionSizeFromContents(self, logical: int) -> QSize:
        size = super().sectionSizeFromContents(logical)
        return QSize(size.width(), max(size.height(), self.wrapped_height(logical) + self.PAD))

    def sizeHint(self) -> QSize:
        base = super().sizeHint()
        shown = [i for i in range(self.count()) if not self.isSectionHidden(i)]
        tallest = max((self.sectionSizeFromContents(i).height() for i in shown), default=base.height())
        return QSize(base.width(), max(base.height(), tallest))

    def _relayout(self, *_: Any) -> None:
        view = self.parentWidget()
        if isinstance(view, QTableView):
            view.updateGeometries()


class GridModel(ListTableModel):
    """A read-only table of strings with the headers it is given; ``marked`` rows get a
    highlight, ``bold`` rows bold."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.marked: set[int] = set()
        self.bold: set[int] = set()
        self.tips: dict[tuple[int, int], str] = {}
        self.colours: dict[tuple[int, int], tuple[QColor, QColor]] = {}  # (background, text)
        self.spans: set[int] = set()  # heading rows: one text across the whole row

    def set_grid(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        marked: set[int] | None = None,
        bold: set[int] | None = None,
        tips: dict[tuple[int, int], str] | None = None,
        colours: dict[tuple[int, int], tuple[QColor, QColor]] | None = None,
        spans: set[int] | None = None,
    ) -> None:
        self.headers = list(headers)
        self.marked = set(marked or ())
        self.bold = set(bold or ()) | set(spans or ())
        self.tips = dict(tips or {})
        self.colours = dict(colours or {})
        self.spans = set(spans or ())
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
        if role == Qt.ItemDataRole.BackgroundRole and (r, c) in self.colours:
            return QBrush(self.colours[(r, c)][0])
        if role == Qt.ItemDataRole.ForegroundRole and (r, c) in self.colours:
            return QBrush(self.colours[(r, c)][1])
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


def _table(model: GridModel, shared_after: int | None = None, first_max: int = 0) -> QTableView:
    """A read-only table of ``model``.  ``shared_after``: the columns after the first
    ``shared_after`` (one per version) share the width the table has, so that every
    version is in view side by side; the first ones are as wide as their texts, up to
    ``first_max`` px (:data:`MAX_FIRST` when 0)."""
    view = QTableView()
    view.setHorizontalHeader(WrapHeader(view))
    view.setModel(model)
    view.verticalHeader().hide()
    view.setWordWrap(True)
    header = view.horizontalHeader()
    header.setStretchLastSection(shared_after is None)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setProperty("shared_after", -1 if shared_after is None else shared_after)
    view.setProperty("first_max", first_max or MAX_FIRST)
    model.modelReset.connect(lambda: _fit(view))
    # wrapped rows follow their columns' widths, the shared columns the table's width
    again = QTimer(view)
    again.setSingleShot(True)
    again.setInterval(0)
    again.timeout.connect(lambda: _fit_heights(view))
    header.sectionResized.connect(lambda *_: again.start())
    if shared_after is not None:
        view.viewport().installEventFilter(_Sharer(view))
    return view


class _Sharer(QObject):
    """Shares the table's width among its version columns whenever its viewport resizes."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            _share(self.view)
        return False


MIN_SHARED = 90  # px: a version's column is never narrower (the table scrolls instead)
MAX_FIRST = 180  # px: a shared table's first columns wrap beyond this


def _share(view: QTableView) -> None:
    """The version columns share the viewport's width equally."""
    fixed = int(view.property("shared_after"))
    header = view.horizontalHeader()
    n = header.count() - fixed
    if fixed < 0 or n <= 0:
        return
    free = view.viewport().width() - sum(header.sectionSize(c) for c in range(fixed))
    each = max(MIN_SHARED, free // n)
    for c in range(fixed, header.count()):
        if header.sectionSize(c) != each:
            header.resizeSection(c, each)


MAX_COLUMN = 250  # px: longer texts wrap
CELL_PAD = 2 * 6 + 12  # px: the cell's margins and some air
SAMPLE_ROWS = 200  # column widths from the header and the first rows


def _metrics(view: QTableView) -> tuple[QFontMetrics, QFontMetrics]:
    """The view's font metrics, plain and bold."""
    bold_font = QFont(view.font())
    bold_font.setBold(True)
    return view.fontMetrics(), QFontMetrics(bold_font)


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
    plain, bold = _metrics(view)
    head = header.fontMetrics()
    view.clearSpans()
    for r in model.spans:
        view.setSpan(r, 0, 1, len(model.headers))
    fixed = int(view.property("shared_after"))
    for c, title in enumerate(model.headers):
        if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Interactive or 0 <= fixed <= c:
            continue
        # a title wraps (WrapHeader): its longest word is what it needs
        width = max((head.horizontalAdvance(word) for word in title.split()), default=0) + CELL_PAD
        for r, row in enumerate(model.rows[:SAMPLE_ROWS]):
            if r in model.spans:
                continue
            fm = bold if r in model.bold else plain
            width = max(width, max((fm.horizontalAdvance(line) for line in row[c].split("\n")), default=0)
                        + CELL_PAD)
        header.resizeSection(c, min(width, int(view.property("first_max")) if fixed >= 0 else MAX_COLUMN))
    _share(view)
    _fit_heights(view)


def _fit_heights(view: QTableView) -> None:
    """Each row as tall as its most wrapped cell at the columns' present widths."""
    model = view.model()
    if not isinstance(model, GridModel):
        return
    header = view.horizontalHeader()
    plain, bold = _metrics(view)
    vertical = view.verticalHeader()
    line = plain.lineSpacing()
    base = max(vertical.defaultSectionSize(), line + 8)
    widths = [header.sectionSize(c) - 12 for c in range(len(model.headers))]
    flags = int(Qt.TextFlag.TextWordWrap)
    for r, row in enumerate(model.rows):
        fm = bold if r in model.bold else plain
        height = base
        for c, text in enumerate(row):
            if r in model.spans and c:
                break
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
        self.drill_task: Task | None = None
        self.warning_rows: list[Any] = []
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
        terms = QWidget()
        tl = QVBoxLayout(terms)
        tl.setContentsMargins(0, 0, 0, 0)
        self.terms_legend = _legend(
            _swatch(DIFFERS_BG, "Yellow rows")
            + ": the versions differ on this term; rows without colour read the same in every version."
        )
        tl.addWidget(self.terms_legend)
        self.terms_model = GridModel()
        self.terms_table = _table(self.terms_model, shared_after=1)
        tl.addWidget(self.terms_table, 1)
        self.tabs.addTab(terms, "Terms side by side")
        perf_split = QSplitter(Qt.Orientation.Vertical)
        self.perf_model = GridModel()
        self.perf_table = _table(self.perf_model, shared_after=2)
        self.perf_table.doubleClicked.connect(self.open_cell)
        self.perf_keys: list[tuple[str, str] | None] = []  # per row: (priority, measure) behind it
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(
            _legend("Double-click a compliance or breaches figure to see the tickets behind it.")
        )
        top_layout.addWidget(self.perf_table, 1)
        perf_split.addWidget(top)
        perf = QWidget()
        pl = QVBoxLayout(perf)
        pl.setContentsMargins(0, 0, 0, 0)
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
        perf_split.addWidget(perf)
        perf_split.setStretchFactor(0, 3)
        perf_split.setStretchFactor(1, 2)
        perf_split.setSizes([330, 260])
        self.perf_split = perf_split
        self.tabs.addTab(perf_split, "Compliance && credits")
        warn_split = QSplitter(Qt.Orientation.Vertical)
        matrix = QWidget()
        ml = QVBoxLayout(matrix)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(
            _legend(
                "Each cell: how many warning signs of that code the version has, coloured by the worst: "
                + " ".join(_swatch(SEVERITY_BG[s], s, SEVERITY_FG[s]) for s in ("high", "medium", "low"))
                + ". Select a cell for its evidence below."
            )
        )
        self.matrix_model = GridModel()
        self.matrix_table = _table(self.matrix_model, shared_after=1)
        self.matrix_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.matrix_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        ml.addWidget(self.matrix_table, 1)
        warn_split.addWidget(matrix)
        self.warn_model = GridModel()
        self.warn_table = _table(self.warn_model, shared_after=4, first_max=150)  # the evidence: the rest
        warn_split.addWidget(self.warn_table)
        warn_split.setSizes([360, 240])
        self.matrix_table.selectionModel().currentChanged.connect(lambda *_: self._show_warning_details())
        self.tabs.addTab(warn_split, "Warning signs")
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
        from workbench.analytics.compare import CompareError, score

        w = self.weights()
        if sum(w.values()) <= 0:
            self.status.setText("Give at least one weight above 0.")
            return
        try:
            scored = [score(v.components, w) for v in cmp.versions]
        except CompareError as exc:  # only components this history does not measure are weighted
            self.status.setText(str(exc).removeprefix("weights: ").capitalize() + ".")
            return
        for v, (total, breakdown) in zip(cmp.versions, scored, strict=True):
            v.score, v.breakdown = total, breakdown
        cmp.weights = w
        best = max(cmp.versions, key=lambda v: v.score)
        self.status.setText(f"Best on these weights: <b>{best.proposal.label}</b> ({best.score:.1f} points).")
        self._show()

    # ------------------------------------------------------------------ output
    def _show(self) -> None:
        cmp = self.comparison
        if cmp is None:
            for m in (self.score_model, self.terms_model, self.perf_model, self.matrix_model):
                m.set_grid([], [])
            self.warn_model.set_grid([], [])
            return
        labels = cmp.labels()
        comps = list(self.components)
        rows = []
        ranking = cmp.ranking()
        for v in ranking:
            rows.append(
                [v.proposal.label, f"{v.score:.1f}"]
                + ["not measured" if v.breakdown[c]["value"] is None else
                   f"{v.breakdown[c]['points']:.1f} ({100 * v.breakdown[c]['value']:.0f}%)" for c in comps]
            )
        self.score_model.set_grid(
            ["Version", "Score", *[c.capitalize() for c in comps]], rows, bold={0} if rows else set()
        )
        self._show_terms(labels)
        self._show_performance(labels)
        self._show_warnings(labels)
        self._build_figures(score=True)

    def _show_terms(self, labels: list[str]) -> None:
        """One column per version beside the terms; each section a heading row."""
        cmp = self.comparison
        rows: list[list[str]] = []
        marked: set[int] = set()
        spans: set[int] = set()
        section = None
        for t in cmp.terms:
            if t["section"] != section:
                section = t["section"]
                spans.add(len(rows))
                rows.append([str(section)])
            if t["differs"]:
                marked.add(len(rows))
            rows.append([t["term"], *t["values"]])
        self.terms_model.set_grid(["Term", *labels], rows, marked=marked, spans=spans)

    def _show_performance(self, labels: list[str]) -> None:
        """Compliance, breaches and credits per priority; compliance and breaches cells
        lead to their tickets."""
        cmp = self.comparison
        perf: list[list[str]] = []
        keys: list[tuple[str, str] | None] = []
        tips: dict[tuple[int, int], str] = {}
        for p in PRIORITIES:
            if not any(p in v.by_priority for v in cmp.versions):
                continue
            for metric in METRICS:
                for k, v in enumerate(cmp.versions):
                    counts = v.by_priority.get(p, {}).get(metric, {})
                    n = int(counts.get("met", 0)) + int(counts.get("breached", 0))
                    tips[(len(perf), k + 2)] = (
                        f"{p} {metric} compliance under {v.proposal.label}: counted on {n:,} tickets "
                        "(met or breached). Double-click to see them."
                    )
                keys.append((p, metric))
                perf.append(
                    [p, f"{metric} compliance"]
                    + [_compliance(v.by_priority.get(p, {}).get(metric, {})) for v in cmp.versions]
                )
            for k, v in enumerate(cmp.versions):
                tips[(len(perf), k + 2)] = (
                    f"{p} breaches under {v.proposal.label} (response and resolution). "
                    "Double-click to see the tickets."
                )
            keys.append((p, BREACHES))
            perf.append([p, "breaches"] + [f"{v.breaches_by_priority.get(p, 0):,}" for v in cmp.versions])
            keys.append(None)
            perf.append([p, "credits"] + [self._money(v, v.credits_by_priority.get(p)) for v in cmp.versions])
        total = ["All", "credits (capped total)"] + [self._money(v, v.credits) for v in cmp.versions]
        perf.append(total)
        keys.append(None)
        self.perf_keys = keys
        self.perf_model.set_grid(["Priority", "Measure", *labels], perf, bold={len(perf) - 1}, tips=tips)

    def _show_warnings(self, labels: list[str]) -> None:
        """The warning signs as codes by versions, coloured by severity."""
        cmp = self.comparison
        self.warning_rows = warning_matrix([v.warnings for v in cmp.versions])
        rows: list[list[str]] = []
        colours: dict[tuple[int, int], tuple[QColor, QColor]] = {}
        tips: dict[tuple[int, int], str] = {}
        for r, wr in enumerate(self.warning_rows):
            row = [wr.title]
            for k, cell in enumerate(wr.cells):
                row.append(cell.text())
                if cell.count:
                    colours[(r, k + 1)] = (SEVERITY_BG[cell.severity], SEVERITY_FG[cell.severity])
                    tips[(r, k + 1)] = "\n".join(f"• {e}" for e in cell.evidence[:8])
            rows.append(row)
        self.matrix_model.set_grid(["Warning sign", *labels], rows, colours=colours, tips=tips)
        self._show_warning_details()

    def _show_warning_details(self) -> None:
        """The findings of the selected matrix cell (its row: every version; nothing
        selected: all of them), with their clause and evidence."""
        cmp = self.comparison
        if cmp is None:
            return
        index = self.matrix_table.currentIndex()
        rows = getattr(self, "warning_rows", [])
        code = rows[index.row()].code if index.isValid() and index.row() < len(rows) else None
        only = index.column() - 1 if code is not None and index.column() >= 1 else None
        warns = []
        for k, v in enumerate(cmp.versions):
            if only is not None and k != only:
                continue
            for f in v.warnings or []:
                if code is not None and str(f.get("code", "")) != code:
                    continue
                warns.append(
                    [
                        v.proposal.label,
                        code_title(str(f.get("code", ""))),
                        str(f.get("severity", "")),
                        clause_words(str(f.get("clause", ""))),
                        str(f.get("evidence", "")),
                    ]
                )
        self.warn_model.set_grid(["Version", "Warning sign", "Severity", "Where", "Evidence"], warns)

    # ------------------------------------------------------------------ drill-down
    def open_cell(self, index: AnyIndex) -> bool:
        """A compliance or breaches cell: the Tickets view shows the tickets behind it
        (replayed on a pool thread, as the comparison replays them)."""
        cmp = self.comparison
        r, c = index.row(), index.column() - 2
        if cmp is None or not 0 <= r < len(self.perf_keys) or not 0 <= c < len(cmp.versions):
            return False
        key = self.perf_keys[r]
        if key is None:
            return False
        priority, measure = key
        v = cmp.versions[c]
        what = "breaching a target" if measure == BREACHES else f"{measure} compliance is counted on"
        label = f"{priority} tickets {what} under {v.proposal.label}"
        self.status.setText(f"Finding the {label}…")
        self.drill_task = run_in_background(
            cell_tickets,
            v.proposal.contract,
            self.state.history,
            priority,
            measure,
            cmp.as_of,
            on_done=guard(self, lambda ids: self._show_cell_tickets(ids, label)),
            on_error=guard(self, lambda exc: self.status.setText(f"Could not find the tickets: {exc}")),
        )
        return True

    def _show_cell_tickets(self, ids: list[str], label: str) -> None:
        self.drill_task = None
        self.status.setText("")
        window = self.window_
        if window is None:
            return
        window.show_view("tickets")
        tickets = window.views.get("tickets")
        if tickets is not None:
            tickets.show_tickets(ids, label)

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
