"""Figures of the what-if simulator (matplotlib Figure, Agg; no pyplot, no Qt).

Built from :class:`workbench.engine.simulate.SimulationResult` objects; the GUI embeds them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import LayoutEngine

from models.contract import PRIORITIES, parse_target
from workbench.reports.charts import BASELINE_COLOUR, PROPOSED_COLOUR

CREDIT_COLOUR = "#C0392B"
BASELINE_CREDIT_COLOUR = "#17202A"  # dark: stays visible over the grey baseline bars


def _figure(size: tuple[float, float]) -> Figure:
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _month_totals(result: Any, months: list[str]) -> list[int]:
    d = result.breaches_per_month()
    return [int(sum(v for ps in d.get(m, {}).values() for v in ps.values())) for m in months]


def _credit_percents(result: Any, months: list[str]) -> list[float]:
    c = result.credits()
    return [float(c.get(m, {}).get("percent", 0.0) or 0.0) for m in months]


class _FitAtDraw(LayoutEngine):
    """Fits the chart's margins to the figure's size at every draw: a canvas resized
    after the layout (a window or splitter change) keeps them in pixels."""

    _adjust_compatible = True
    _colorbar_gridspec = False

    def __init__(self, chart: MonthlyBreachesChart) -> None:
        super().__init__()
        self._chart = chart

    def execute(self, fig: Any) -> None:
        self._chart.fit(fig.bbox.width, fig.bbox.height)


class MonthlyBreachesChart:
    """Breaches per month (all priorities, both metrics), baseline vs scenario, and under
    it, on an axis of its own, the projected service credits (percent of the monthly
    fee) of both: two small multiples sharing the months, one y axis each.

    Built once into a figure and updated in place: while only the scenario moves (a
    slider drag) and its values fit the axes, :meth:`update` changes the scenario's bars
    and credit line and returns False — the caller redraws just those
    (:attr:`dynamic_artists`, e.g. by blitting).  It returns True when the figure was
    laid out again (other months, baseline or credit rules, values outside the axes) and
    needs a full draw.
    """

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.key: Any = None
        self.baseline: Any = None
        self.scenario: Any = None
        self.months: list[str] = []
        self.scenario_bars: list[Any] = []
        self.scenario_line: Any = None
        self.ax: Any = None
        self.ax2: Any = None  # the credits' axes, under the breaches' (None without credit terms)
        self._ytop = 0.0
        self._y2top = 0.0
        fig.set_layout_engine(_FitAtDraw(self))  # margins in pixels at whatever size it is drawn

    @property
    def dynamic_artists(self) -> list[Any]:
        """The artists an in-place update changes (scenario bars, scenario credits)."""
        return [*self.scenario_bars, *([self.scenario_line] if self.scenario_line is not None else [])]

    def _plan(self, baseline: Any, scenario: Any) -> tuple[Any, list[str], bool, list[int], list[float]]:
        months = sorted(set(baseline.breaches_per_month()) | set(scenario.breaches_per_month()))
        credited = any(r.metric in ("response", "resolution") for r in scenario.contract.service_credits)
        key = (id(baseline), tuple(months), credited)
        totals = _month_totals(scenario, months) if months else []
        percents = _credit_percents(scenario, months) if months and credited else []
        return key, months, credited, totals, percents

    def fits(self, baseline: Any, scenario: Any) -> bool:
        """Whether :meth:`update` with these results would change the figure in place
        (same months, baseline and credit rules; values within the axes) — cheap, it
        changes nothing.  A caller can then lay the figure out again elsewhere (a pool
        thread) when it would not."""
        key, months, _credited, totals, percents = self._plan(baseline, scenario)
        return key == self.key and self._within(months, totals, percents)

    def _within(self, months: list[str], totals: list[int], percents: list[float]) -> bool:
        return (
            bool(months) and max(totals, default=0) <= self._ytop
            and max(percents, default=0) <= self._y2top
        )

    def update(self, baseline: Any, scenario: Any) -> bool:
        key, months, credited, totals, percents = self._plan(baseline, scenario)
        fits = self._within(months, totals, percents)
        self.scenario = scenario
        if key == self.key and fits:
            for bar, h in zip(self.scenario_bars, totals, strict=True):
                bar.set_height(h)
            if self.scenario_line is not None:
                self.scenario_line.set_ydata(percents)
            return False
        self.key, self.baseline = key, baseline
        self._layout(baseline, scenario, months, credited, totals, percents)
        return True

    def _layout(
        self, baseline: Any, scenario: Any, months: list[str], credited: bool, totals: list[int],
        percents: list[float],
    ) -> None:
        fig = self.fig
        fig.clear()
        self.months, self.scenario_bars, self.scenario_line, self.ax2 = months, [], None, None
        if not months:
            ax = self.ax = fig.add_subplot(1, 1, 1)
            self._ytop = self._y2top = -1.0
            ax.text(0.5, 0.5, "No tickets measured", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            return
        if credited:
            ax, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
            self.ax, self.ax2 = ax, ax2
        else:
            ax = self.ax = fig.add_subplot(1, 1, 1)
        x = np.arange(len(months))
        w = 0.4
        base_totals = _month_totals(baseline, months)
        ax.bar(x - w / 2, base_totals, w, color=BASELINE_COLOUR, label="baseline")
        bars = ax.bar(x + w / 2, totals, w, color=PROPOSED_COLOUR, label="scenario")
        self.scenario_bars = list(bars.patches)
        # room above the higher series: a slider drag stays within these axes (no re-layout)
        self._ytop = 1.25 * max(max(base_totals, default=0), max(totals, default=0), 1)
        ax.set_ylim(0, self._ytop)
        ax.set_ylabel("breached tickets", fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=7)
        ax.set_title("Breaches per month", fontsize=9, loc="left", pad=4)
        _legend_row(ax)
        if not credited:  # said inside the axes, in the room left above the bars: the title
            # row holds the legend at its right end, and a longer title ran into it
            ax.text(0.01, 0.99, "no service credits in these terms", transform=ax.transAxes,
                    ha="left", va="top", fontsize=7, color="#57606a")
        lowest = ax
        if credited and self.ax2 is not None:
            ax2 = self.ax2
            base_percents = _credit_percents(baseline, months)
            # baseline dashed and wider, drawn over the scenario: equal months stay visible
            (self.scenario_line,) = ax2.plot(
                x, percents, color=CREDIT_COLOUR, marker="o", markersize=3, linewidth=1.4,
                label="scenario", zorder=3,
            )
            ax2.plot(
                x, base_percents, color=BASELINE_CREDIT_COLOUR, linestyle=(0, (4, 3)), marker="s",
                markersize=3, markerfacecolor="none", linewidth=1.6, label="baseline", zorder=4,
            )
            self._y2top = 1.25 * max(max(base_percents, default=0.0), max(percents, default=0.0), 1.0)
            ax2.set_ylim(0, self._y2top)
            ax2.set_ylabel("% of fee", fontsize=8)
            ax2.spines[["top", "right"]].set_visible(False)
            ax2.tick_params(labelsize=7)
            ax2.set_title("Service credits per month", fontsize=9, loc="left", pad=4)
            _legend_row(ax2, reverse=True)  # baseline first, as above
            lowest = ax2
        else:
            self._y2top = -1.0
        step = max(1, len(months) // 12)
        lowest.set_xticks(x[::step], months[::step], rotation=45, ha="right", fontsize=7)
        self.fit(fig.get_figwidth() * fig.dpi, fig.get_figheight() * fig.dpi)

    def fit(self, width_px: float, height_px: float) -> None:
        """Margins in pixels (axis labels, month labels, titles with their legend rows, the
        gap between the two charts) for a figure of this size, so a narrow or short
        canvas never clips them."""
        if self.ax is None or not self.months:
            return
        w, h = max(width_px, 200.0), max(height_px, 160.0)
        left, right = min(58 / w, 0.3), max(1 - 14 / w, 0.6)
        bottom, top = min(50 / h, 0.35), max(1 - 22 / h, 0.6)
        if self.ax2 is None:
            self.fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
            return
        gap = 30.0  # px: the lower chart's title row
        avg = max((h * (top - bottom) - gap) / 2, 20.0)
        self.fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, hspace=gap / avg)


def _legend_row(ax: Any, reverse: bool = False) -> None:
    """The axes' legend at the right end of its title row: it never hides a bar or a point."""
    handles, labels = ax.get_legend_handles_labels()
    if reverse:
        handles, labels = handles[::-1], labels[::-1]
    ax.legend(
        handles, labels, fontsize=7, frameon=False, ncols=2, loc="lower right", bbox_to_anchor=(1.0, 1.0),
        borderaxespad=0.1, handlelength=2.2, columnspacing=1.0,
    )


def sensitivity_figure(
    result: Any, metric: str = "resolution", share: float = 0.95, size: tuple[float, float] = (6.4, 4.2)
) -> Figure:
    """Per priority: compliance if the target were x business hours, the scenario's
    target as a vertical line, and the smallest target reaching ``share`` marked."""
    fig = _figure(size)
    axes = fig.subplots(2, 2).ravel()
    for ax, prio in zip(axes, PRIORITIES, strict=True):
        budgets, comp = result.compliance_curve(prio, metric)
        hours = budgets / 3600.0
        ax.set_title(f"{prio} {metric}", fontsize=9)
        ax.grid(True, linewidth=0.3, alpha=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylim(0, 105)
        ax.tick_params(labelsize=7)
        if np.all(np.isnan(comp)):
            ax.text(0.5, 0.5, "no tickets", ha="center", va="center", transform=ax.transAxes, fontsize=8)
            continue
        ax.plot(hours, 100 * comp, color=PROPOSED_COLOUR, linewidth=1.4)
        target = result.contract.target(prio, metric)
        if target is not None:
            _kind, seconds = parse_target(target)
            if seconds is not None:
                ax.axvline(seconds / 3600, color="#17202A", linestyle=":", linewidth=1)
                ax.text(seconds / 3600, 3, f" target {target}", fontsize=7, va="bottom")
        need = result.smallest_target_for(prio, metric, share)
        ax.axhline(100 * share, color=CREDIT_COLOUR, linestyle="--", linewidth=0.8)
        if need is not None and need / 3600 <= hours.max() * 1.5:
            ax.plot([need / 3600], [100 * share], marker="o", color=CREDIT_COLOUR, markersize=5)
            ax.annotate(
                f"{share:.0%} at {need / 3600:.1f}h",
                (need / 3600, 100 * share),
                fontsize=7,
                xytext=(4, -12),
                textcoords="offset points",
                color=CREDIT_COLOUR,
            )
        ax.set_xlim(0, max(float(hours.max()), 0.1))
    fig.supxlabel("target (business hours)", fontsize=8)
    fig.supylabel("% within target", fontsize=8)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.12, top=0.93, hspace=0.45, wspace=0.25)
    return fig
