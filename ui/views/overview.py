"""Overview: the QBR dashboard — KPI cards for the last full quarter against the one
before, the period chart and the top warning signs of the baseline contract."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.guide import add_help
from ui.state import AppState
from ui.steps import show_steps
from ui.tasks import Task, guard, run_in_background
from ui.widgets import EmptyState, KpiCard, figure_canvas, heading
from workbench.app.engagement import CONTRACT, TICKETS
from workbench.app.guide import kpi_anchor
from workbench.app.quarters import Quarter, review_quarter
from workbench.app.words import finding_heading

CARDS = 8
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{100 * value:.1f}%"
    if unit == "seconds":
        return f"{value / 3600:.1f} h"
    if unit == "currency":
        return f"{value:,.0f}"
    return f"{value:,.0f}"


def _delta(row: Any) -> tuple[str, bool | None]:
    d = row.delta
    if d is None:
        return "no previous figure", None
    good = None if row.higher_is_better is None or abs(d) < 1e-12 else (d > 0) == row.higher_is_better
    if row.unit == "share":
        text = f"{100 * d:+.1f} pts vs previous quarter"
    elif row.unit == "seconds":
        text = f"{d / 3600:+.1f} h vs previous quarter"
    else:
        text = f"{d:+,.0f} vs previous quarter"
    return text, good


class OverviewView(QWidget):
    def __init__(self, state: AppState, window: Any = None) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.report: Any = None
        self.findings: list[Any] = []
        self._gen = 0
        self._task: Task | None = None  # the computation in flight; cancelled when a newer one replaces it
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.empty = EmptyState("Nothing to review yet", "")
        self.stack.addWidget(self.empty)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.title = heading()
        layout.addWidget(self.title)
        grid = QGridLayout()
        self.cards = [KpiCard("") for _ in range(CARDS)]
        self.card_rows: dict[Any, Any] = {}  # card -> its KpiRow
        self.kpi_context: Any = None  # the KPIs' context: the tickets behind each figure
        self.quarter: Quarter | None = None
        for i, card in enumerate(self.cards):
            grid.addWidget(card, i // 4, i % 4)
            card.installEventFilter(self)
        layout.addLayout(grid)
        row = QHBoxLayout()
        from matplotlib.figure import Figure

        self.canvas = figure_canvas(Figure(figsize=(7, 3.2)))
        row.addWidget(self.canvas, 3)
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Top warning signs</b> (double-click to open)"))
        self.warnings = QListWidget()
        # each warning its heading and its whole evidence, wrapped, never cut sideways or short
        self.warnings.setWordWrap(True)
        self.warnings.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.warnings.setResizeMode(QListView.ResizeMode.Adjust)
        self.warnings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.warnings.setAlternatingRowColors(True)
        self.warnings.itemActivated.connect(self._open_warning)
        self.shown_findings: list[Any] = []
        side.addWidget(self.warnings, 1)
        row.addLayout(side, 2)
        layout.addLayout(row, 1)
        self.stack.addWidget(body)
        state.workspace_changed.connect(self.refresh)
        state.baseline_changed.connect(self.refresh)
        state.records_changed.connect(self.refresh)
        state.history_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        st = self.state
        self._gen += 1
        if self._task is not None:  # superseded: stop its history replay at its next progress report
            self._task.cancel()
            self._task = None
        if st.baseline is None or not len(st.history.tickets):
            missing = [CONTRACT] if st.baseline is None else []
            if not len(st.history.tickets):
                missing.append(TICKETS)
            if missing == [CONTRACT]:
                then = "The tickets are in: add the contract they are measured against."
            elif missing == [TICKETS]:
                then = "The contract is in: import the ticket export to measure it on."
            else:
                then = "Import a ticket export and add the contract it is measured against."
            self.empty.set_text(
                "Nothing to review yet",
                "The QBR dashboard needs a signed contract version and the client's ticket history. " + then,
            )
            show_steps(self.empty, self.window_, missing)
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        contract, history, as_of, gen = st.baseline.contract, st.history, st.as_of(), self._gen
        if st.records_pending:  # the KPIs and warning signs need the backups, outages and KPIs
            self.title.setText(
                f"{contract.client or contract.name} — {contract.version}: reading backups, outages and "
                "KPIs…"
            )
            return
        self.title.setText(f"{contract.client or contract.name} — {contract.version}: computing…")

        def work(progress: Any = None) -> tuple[Any, list[Any], Any, Any]:
            from workbench.analytics.kpis import kpi_report, report_zone
            from workbench.progress import scaled
            from workbench.warnings import lint

            zone = report_zone(contract)
            quarter = review_quarter(int(as_of or 0), zone, history.tickets.opened)
            start, end = quarter.bounds(zone)
            from workbench.reports.analytics_charts import kpi_period_figure

            report = kpi_report(  # against the previous calendar quarter, not 92 days before
                contract, history, start, end, as_of=as_of, progress=scaled(progress, 0.0, 0.5),
                previous=quarter.previous().bounds(zone),
            )
            findings = lint(contract, history, as_of=as_of, progress=scaled(progress, 0.5, 1.0))
            fig = kpi_period_figure(report)  # built here, rendered on a pool thread too
            _legend_below(fig)
            _team_axis_fits(fig)
            return report, findings, fig, report.context  # the context: the tickets behind the figures

        self._task = run_in_background(
            work,
            on_done=guard(self, lambda r: self._show(gen, r)),
            on_error=guard(self, lambda e: self._failed(gen, e)),
            pass_progress=True,
        )

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._gen:
            self.title.setText(f"Could not compute the dashboard: {exc}")

    def _show(self, gen: int, result: tuple[Any, list[Any], Any, Any]) -> None:
        if gen != self._gen:
            return
        self._task = None
        from workbench.analytics.drill import KPI_RULES
        from workbench.analytics.kpis import headline_rows

        report, findings, fig, self.kpi_context = result
        self.report, self.findings = report, findings
        cur = report.current
        zone = report.zone or UTC
        d0 = datetime.fromtimestamp(cur.start, zone).date()
        d1 = datetime.fromtimestamp(cur.end - 1, zone).date()
        quarter = self.quarter = Quarter.of(d0)
        c = self.state.baseline.contract if self.state.baseline else None
        who = (c.client or c.name) if c else ""  # a contract that names no client: its own name
        self.title.setText(
            f"{who} — {quarter.label} ({d0:%b} {d0.day} – {d1:%b} {d1.day}, {d1.year}) "
            f"against {quarter.previous().label}, under {report.contract_version}"
        )
        rank = {"share": 0, "seconds": 1, "currency": 2}
        rows = sorted(headline_rows(report.current, report.previous), key=lambda r: rank.get(r.unit, 3))
        self.card_rows = {}
        for card, row in zip(self.cards, rows, strict=False):
            self.card_rows[card] = row
            card.label.setText(row.label)
            drill = row.label in KPI_RULES
            more = "<br><i>Click to list the tickets behind it.</i>" if drill else ""
            card.setToolTip(f"<b>{html.escape(row.label)}</b><br>{html.escape(row.definition)}{more}")
            card.setCursor(Qt.CursorShape.PointingHandCursor if drill else Qt.CursorShape.ArrowCursor)
            add_help(card, kpi_anchor(row.label), self.window_)  # "?": the KPI's entry in the guide
            text, good = _delta(row)
            card.set(_fmt(row.current, row.unit), text, good)
        for card in self.cards[len(rows) :]:
            card.hide()
        self.canvas.figure = fig
        fig.set_canvas(self.canvas)
        # the canvas' event connections belong to its figure: connected again to each new one
        self.canvas.mpl_connect("button_press_event", self._chart_clicked)
        self.canvas.mpl_connect("motion_notify_event", self._chart_hovered)
        w, h = self.canvas.width(), self.canvas.height()
        if w > 10 and h > 10:
            fig.set_size_inches(w / fig.dpi, h / fig.dpi)
        self.canvas.draw_idle()
        self.warnings.clear()
        self.shown_findings = sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))[:12]
        for f in self.shown_findings:
            words = finding_heading(f)
            self.warnings.addItem(f"{words}: {whole_text(f.evidence)}")
            item = self.warnings.item(self.warnings.count() - 1)
            if item is not None:
                item.setToolTip(f"<b>{html.escape(words)}</b><p>{html.escape(f.evidence)}</p>")

    # ------------------------------------------------------------- drill-down
    def eventFilter(self, watched: Any, event: Any) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and watched in self.card_rows
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self.open_card(watched)
            return True
        return super().eventFilter(watched, event)

    def open_card(self, card: Any) -> bool:
        """The tickets behind a KPI card of the quarter, in the Tickets view; False for a
        figure with no tickets behind it (patch compliance, availability …)."""
        from workbench.analytics.drill import kpi_tickets
        from workbench.analytics.kpis import Period

        row = self.card_rows.get(card)
        if row is None or self.report is None or self.quarter is None:
            return False
        k = self.report.current
        got = kpi_tickets(self.kpi_context, Period(k.start, k.end), row.label)
        if got is None:
            return False
        self._drill(got.ids, f"{row.label}, {self.quarter.label} — {got.what}")
        return True

    def bar_at(self, event: Any) -> Any:
        """The chart's bar under a matplotlib mouse event, or None."""
        from workbench.analytics.drill import figure_bars

        if event is None or event.inaxes is None or self.report is None:
            return None
        for bar in figure_bars(self.canvas.figure):
            if bar.patch.axes is event.inaxes and bar.patch.contains(event)[0]:
                return bar
        return None

    def _series_label(self, bar: Any) -> str:
        from workbench.analytics.drill import CURRENT

        assert self.quarter is not None
        return self.quarter.label if bar.series == CURRENT else self.quarter.previous().label

    def _chart_hovered(self, event: Any) -> None:
        bar = self.bar_at(event)
        self.canvas.setCursor(Qt.CursorShape.PointingHandCursor if bar else Qt.CursorShape.ArrowCursor)
        tip = f"{bar.key}, {self._series_label(bar)}: click to list its tickets" if bar else ""
        self.canvas.setToolTip(tip)

    def _chart_clicked(self, event: Any) -> None:
        bar = self.bar_at(event)
        if bar is not None:
            self.open_bar(bar)

    def open_bar(self, bar: Any) -> bool:
        """The tickets behind one bar of the chart, in the Tickets view."""
        from workbench.analytics.drill import bar_tickets

        got = bar_tickets(self.kpi_context, self.report, bar)
        if got is None:
            return False
        self._drill(got.ids, f"{self._series_label(bar)} — {got.what}")
        return True

    def _drill(self, ids: Any, label: str) -> None:
        if self.window_ is None:
            return
        tickets = self.window_.views.get("tickets")
        if tickets is not None:
            self.window_.show_view("tickets")
            tickets.show_tickets(ids, label, back="overview")

    def _open_warning(self, item: Any = None) -> None:
        """A warning about tickets opens exactly those tickets; the others, the Warnings view."""
        if self.window_ is None:
            return
        row = self.warnings.row(item) if item is not None else -1
        f = self.shown_findings[row] if 0 <= row < len(self.shown_findings) else None
        if f is not None and f.tickets:
            self.window_.show_view("tickets")
            tickets = self.window_.views.get("tickets")
            if tickets is not None:
                tickets.show_tickets(f.tickets, finding_heading(f), back="overview")
            return
        self.window_.show_view("warnings")


def whole_text(text: str) -> str:
    """A finding's evidence whole, its lines joined into one paragraph (the list wraps it):
    a warning is read to its end, not cut at a length."""
    return " ".join(line.strip() for line in text.strip().splitlines() if line.strip())


def _legend_below(fig: Any) -> None:
    """Move the figure's legend from beside the (long, wrapping) title to a row under the
    plots, where it cannot overlap the title."""
    for legend in list(fig.legends):
        handles = list(legend.legend_handles)
        labels = [t.get_text() for t in legend.get_texts()]
        legend.remove()
        if handles:
            fig.legend(
                handles, labels, loc="outside lower center", fontsize=8, frameon=False, ncol=len(handles)
            )


def _team_axis_fits(fig: Any) -> None:
    """The team chart's count axis with labels that cannot run together: as many ticks as
    its width leaves room for (counted again at each draw, so at every window size), and
    thousands as "1.2k"."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    class RoomyLocator(MaxNLocator):
        def __init__(self, label_points: float) -> None:
            super().__init__(integer=True, min_n_ticks=2)
            self.room = 4 * label_points  # a label of up to four characters ("1.5k") and a gap

        def __call__(self) -> Any:
            axis: Any = self.axis
            if axis is not None and getattr(axis, "axes", None) is not None:
                (x0, _), (x1, _) = axis.axes.transAxes.transform([[0, 0], [1, 0]])
                points = abs(x1 - x0) * 72 / axis.axes.figure.dpi
                self.set_params(nbins=max(1, int(points // self.room)))
            return super().__call__()

    for ax in fig.axes:
        if ax.get_title(loc="left") == "Tickets per team":
            size = float(ax.xaxis.get_major_ticks()[0].label1.get_fontsize())
            ax.xaxis.set_major_locator(RoomyLocator(size))
            ax.xaxis.set_major_formatter(FuncFormatter(_count_label))


def _count_label(value: float, _pos: Any = None) -> str:
    if abs(value) >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value:.0f}"
