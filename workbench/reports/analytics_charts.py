"""Charts of the KPIs, trends and proposal comparison, as matplotlib figures.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (no
GUI backend is touched): the GUI embeds it in a ``FigureCanvasQTAgg``, the PDF
renders it with ``fig.savefig(buf, format="png"|"svg")``.

Print rules followed throughout: one colour-blind-safe palette (Okabe-Ito) with a
fixed colour per priority, team and score component; a title on every panel; axes
labelled with their unit; shares shown as percentages from 0 to 100 %; no 3-D, no
shadows, no top/right spines, a light horizontal grid only; empty data says so in
the panel instead of drawing an empty frame.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from models.contract import PRIORITIES

# Okabe-Ito
BLUE, ORANGE, GREEN, PINK, VERMILLION, SKY, YELLOW, GREY = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#999999",
)
PRIORITY_COLOURS = {"P1": VERMILLION, "P2": ORANGE, "P3": BLUE, "P4": GREEN}
TEAM_COLOURS = {"Helpdesk": SKY, "NOC": BLUE, "SOC/MSSP": PINK, "Other": GREY, "Unassigned": "#D9D9D9"}
PROPOSAL_COLOURS = (BLUE, ORANGE, GREEN, PINK, VERMILLION, SKY, GREY)
COMPONENT_COLOURS = {
    "compliance": BLUE,
    "coverage": SKY,
    "security": PINK,
    "recovery": GREEN,
    "accountability": ORANGE,
    "cost": VERMILLION,
}
CURRENT_COLOUR, PREVIOUS_COLOUR = BLUE, "#A6A6A6"
TEXT = "#222222"

_PERCENT = PercentFormatter(xmax=1.0, decimals=0)


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    fig.patch.set_facecolor("white")
    return fig


def _style(ax: Axes, title: str, ylabel: str = "", xlabel: str = "") -> None:
    ax.set_title(title, fontsize=10, loc="left", color=TEXT, fontweight="bold")
    ax.set_ylabel(ylabel, fontsize=8.5, color=TEXT)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=8.5, color=TEXT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    ax.tick_params(labelsize=8, colors=TEXT)
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)


def _no_data(ax: Axes, title: str) -> None:
    _style(ax, title)
    ax.text(0.5, 0.5, "no data in this period", ha="center", va="center", color=GREY,
            fontsize=9, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _month_axis(ax: Axes, months: Sequence[date], max_ticks: int = 12) -> None:
    """Month ticks every 1, 2, 3, 6 or 12 months (aligned on January) so that at most
    ``max_ticks`` show; the year is written under the first tick and under January."""
    step = next((s for s in (1, 2, 3, 6, 12) if math.ceil(len(months) / s) <= max_ticks), 12)
    ticks = [i for i, m in enumerate(months) if (m.month - 1) % step == 0]
    if not ticks:
        ticks = [0]
    labels = []
    for n, i in enumerate(ticks):
        m = months[i]
        lab = m.strftime("%b")
        if n == 0 or m.month == 1:
            lab += f"\n{m.year}"
        labels.append(lab)
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels)
    ax.set_xlim(-0.6, len(months) - 0.4)


# ------------------------------------------------------------------------- trends

DEFAULT_TREND_SERIES: tuple[str, ...] = (
    "tickets",
    "mttr_hours",
    "resolution_compliance",
    "response_compliance",
    "patch_compliance",
    "threat_resolution_rate",
    "client_wait_hours",
    "escalation_share",
    "credits",
)


def kpi_trend_figure(trend: Any, names: Sequence[str] = DEFAULT_TREND_SERIES, columns: int = 3) -> Figure:
    """Small multiples: one panel per KPI series of a :class:`workbench.analytics.trends.Trend`."""
    from workbench.analytics.trends import SERIES

    rows = math.ceil(len(names) / columns)
    fig = _figure(3.1 * columns, 2.25 * rows + 0.5)
    fig.suptitle(
        f"KPI trends — {trend.contract_name} ({trend.contract_version})",
        fontsize=11.5, fontweight="bold", color=TEXT, x=0.01, ha="left",
    )
    axes = fig.subplots(rows, columns, squeeze=False)
    x = list(range(len(trend.months)))
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.set_visible(False)
            continue
        spec = SERIES[names[i]]
        values = trend.named(names[i])
        unit = _currency(trend) if spec.unit == "currency" else spec.unit
        if all(v is None for v in values):
            _no_data(ax, spec.title)
            continue
        _style(ax, spec.title, unit)
        xs = [xi for xi, v in zip(x, values, strict=True) if v is not None]
        ys = [v for v in values if v is not None]
        if spec.kind == "bar":
            ax.bar(xs, ys, color=BLUE, width=0.7)
        else:
            ax.plot(xs, ys, color=BLUE, linewidth=1.8, marker="o", markersize=3.0)
        if spec.share:
            ax.yaxis.set_major_formatter(_PERCENT)
            lo = min(ys)
            ax.set_ylim(max(0.0, min(lo - 0.05, 0.8)), 1.02)
        else:
            ax.set_ylim(bottom=0, top=max(ys) * 1.15 if max(ys) > 0 else 1)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        _month_axis(ax, trend.months, max_ticks=5)
    return fig


def _currency(trend: Any) -> str:
    return str(getattr(trend, "currency", "") or "currency")


def compliance_by_priority_figure(
    trend: Any, metric: str = "resolution", targets: Mapping[str, float] | None = None
) -> Figure:
    """Compliance per priority, month by month (one line per priority; dashed line =
    the committed level when the contract states one)."""
    fig = _figure(7.2, 3.4)
    ax = fig.subplots()
    title = f"{metric.capitalize()} compliance per priority, by month"
    drawn = False
    x = list(range(len(trend.months)))
    for p in PRIORITIES:
        values = trend.compliance(p, metric)
        pts = [(xi, v) for xi, v in zip(x, values, strict=True) if v is not None]
        if not pts:
            continue
        drawn = True
        ax.plot([a for a, _ in pts], [b for _, b in pts], color=PRIORITY_COLOURS[p], linewidth=1.8,
                marker="o", markersize=3.5, label=p)
        if targets and p in targets:
            ax.axhline(targets[p], color=PRIORITY_COLOURS[p], linestyle="--", linewidth=0.9, alpha=0.8)
    if not drawn:
        _no_data(ax, title)
        return fig
    _style(ax, title, "met / (met + breached)")
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylim(0, 1.04)
    _month_axis(ax, trend.months)
    ax.legend(title="Priority", fontsize=8, title_fontsize=8, frameon=False, loc="center left",
              bbox_to_anchor=(1.0, 0.5))
    return fig


def tickets_by_team_figure(trend: Any) -> Figure:
    """Tickets opened per month, stacked by team (Helpdesk, NOC, SOC/MSSP …)."""
    fig = _figure(7.2, 3.4)
    ax = fig.subplots()
    title = "Tickets opened per month, by team"
    teams = trend.by_team()
    if not any(sum(v) for v in teams.values()):
        _no_data(ax, title)
        return fig
    _style(ax, title, "tickets")
    x = list(range(len(trend.months)))
    bottom = [0.0] * len(x)
    for team, counts in teams.items():
        if not any(counts):
            continue
        ax.bar(x, counts, bottom=bottom, color=TEAM_COLOURS.get(team, GREY), width=0.72, label=team,
               edgecolor="white", linewidth=0.5)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    _month_axis(ax, trend.months)
    ax.legend(fontsize=8, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5), reverse=True)
    return fig


# --------------------------------------------------------------------------- period


def kpi_period_figure(report: Any) -> Figure:
    """A period beside the previous one: compliance per priority (response and
    resolution) and tickets per team."""
    from workbench.analytics.kpis import TEAM_GROUPS

    cur, prev = report.current, report.previous
    fig = _figure(9.0, 3.3)
    fig.suptitle(
        f"KPIs {_span(cur.start, cur.end, report)} against {_span(prev.start, prev.end, report)}\n"
        f"{report.contract_name} ({report.contract_version})",
        fontsize=10.5, fontweight="bold", color=TEXT, x=0.01, ha="left", linespacing=1.5,
    )
    axes = fig.subplots(1, 3, width_ratios=[1, 1, 1.1])
    for ax, metric in zip(axes[:2], ("response", "resolution"), strict=True):
        title = f"{metric.capitalize()} compliance"
        prios = [p for p in PRIORITIES if p in cur.compliance or p in prev.compliance]

        def val(k: Any, p: str, metric: str = metric) -> float:
            v = k.compliance.get(p, {}).get(metric, {}).get("compliance")
            return math.nan if v is None else float(v)

        if not prios:
            _no_data(ax, title)
            continue
        _style(ax, title, "met / (met + breached)")
        xs = range(len(prios))
        ax.bar([i - 0.19 for i in xs], [val(prev, p) for p in prios], width=0.36, color=PREVIOUS_COLOUR,
               label="previous")
        bars = ax.bar([i + 0.19 for i in xs], [val(cur, p) for p in prios], width=0.36, color=CURRENT_COLOUR,
                      label="this period")
        for b in bars:
            h = b.get_height()
            if not math.isnan(h):
                ax.text(b.get_x() + b.get_width() / 2, h + 0.01, f"{h:.0%}", ha="center", va="bottom",
                        fontsize=7, color=TEXT)
        ax.set_xticks(list(xs))
        ax.set_xticklabels(prios)
        ax.yaxis.set_major_formatter(_PERCENT)
        ax.set_ylim(0, 1.12)
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside upper right", fontsize=8, frameon=False, ncol=2)
    ax = axes[2]
    teams = [t for t in TEAM_GROUPS if cur.tickets_by_team.get(t) or prev.tickets_by_team.get(t)]
    if not teams:
        _no_data(ax, "Tickets per team")
        return fig
    _style(ax, "Tickets per team", "tickets")
    ys = range(len(teams))
    ax.barh([y + 0.19 for y in ys], [prev.tickets_by_team.get(t, 0) for t in teams], height=0.36,
            color=PREVIOUS_COLOUR, label="previous")
    ax.barh([y - 0.19 for y in ys], [cur.tickets_by_team.get(t, 0) for t in teams], height=0.36,
            color=CURRENT_COLOUR, label="this period")
    ax.set_yticks(list(ys))
    ax.set_yticklabels(teams)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.8)
    ax.set_ylabel("")
    ax.set_xlabel("tickets opened", fontsize=8.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    return fig


def _span(start: int, end: int, report: Any) -> str:
    """``2026-07-01 – 2026-09-30`` in the report's zone (end exclusive, so the last day shown is end - 1s)."""
    from datetime import datetime

    zone = getattr(report, "zone", None)
    a = datetime.fromtimestamp(start, zone).date()
    b = datetime.fromtimestamp(end - 1, zone).date()
    return f"{a.isoformat()} – {b.isoformat()}"


# -------------------------------------------------------------------------- compare


def short_labels(names: Sequence[str], width: int = 26) -> list[str]:
    """Labels that fit a legend or an axis: wrapped at ``width`` characters, and made
    unique by a number when two are equal."""
    out = []
    for n in names:
        out.append("\n".join(textwrap.wrap(n, width)) or "?")
    seen: dict[str, int] = {}
    for i, lab in enumerate(out):
        if out.count(lab) > 1:
            seen[lab] = seen.get(lab, 0) + 1
            out[i] = f"{lab} ({seen[lab]})"
    return out


def compare_compliance_figure(
    names: Sequence[str], by_priority: Sequence[Mapping[str, Any]], metric: str = "resolution"
) -> Figure:
    """Grouped bars: compliance per priority (groups) for each proposal (bars).
    ``by_priority[i]`` is proposal i's ``by_priority`` as in ``simulate --json``; a
    proposal without a target for a priority shows "n/a" on the baseline."""
    fig = _figure(8.0, 3.9)
    fig.suptitle(f"{metric.capitalize()} compliance per priority, each proposal replayed on the same history",
                 fontsize=10.5, fontweight="bold", color=TEXT, x=0.01, ha="left")
    ax = fig.subplots()
    prios = [p for p in PRIORITIES if any(p in bp for bp in by_priority)]
    if not prios or not names:
        _no_data(ax, "")
        return fig
    _style(ax, "", "met / (met + breached)")
    labels = short_labels(names)
    n = len(names)
    width = min(0.84 / n, 0.28)
    for j, (label, bp) in enumerate(zip(labels, by_priority, strict=True)):
        offs = (j - (n - 1) / 2) * width
        vals = []
        for p in prios:
            v = bp.get(p, {}).get(metric, {}).get("compliance")
            vals.append(math.nan if v is None else float(v))
        xs = [i + offs for i in range(len(prios))]
        bars = ax.bar(xs, vals, width=width * 0.92, color=PROPOSAL_COLOURS[j % len(PROPOSAL_COLOURS)],
                      label=label)
        for x, b in zip(xs, bars, strict=True):
            h = b.get_height()
            if math.isnan(h):
                ax.text(x, 0.01, "n/a", ha="center", va="bottom", fontsize=6, color=GREY, rotation=90)
            elif n <= 4:
                ax.text(x, h + 0.01, f"{h:.0%}", ha="center", va="bottom", fontsize=6.5, color=TEXT)
    ax.set_xticks(range(len(prios)))
    ax.set_xticklabels(prios)
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylim(0, 1.08)
    fig.legend(loc="outside lower center", fontsize=7.5, frameon=False, ncol=min(n, 3))
    return fig


def score_breakdown_figure(
    names: Sequence[str], breakdowns: Sequence[Mapping[str, float]]
) -> Figure:
    """Stacked horizontal bars: each proposal's score as the sum of its weighted
    components (``breakdowns[i][component]`` = points, ``100 * w_c * s_c / sum(w)``),
    best first, with the total at the end of the bar."""
    fig = _figure(8.0, 0.5 * max(len(names), 2) + 1.5)
    fig.suptitle("Score and what it is made of (points per weighted component, total 0-100)",
                 fontsize=10.5, fontweight="bold", color=TEXT, x=0.01, ha="left")
    ax = fig.subplots()
    if not names:
        _no_data(ax, "")
        return fig
    _style(ax, "")
    labels = short_labels(names, 30)
    order = sorted(range(len(names)), key=lambda i: -sum(breakdowns[i].values()))
    comps = [c for c in COMPONENT_COLOURS if any(c in b for b in breakdowns)]
    comps += sorted({c for b in breakdowns for c in b} - set(comps))
    left = [0.0] * len(order)
    for c in comps:
        vals = [float(breakdowns[i].get(c, 0.0)) for i in order]
        ax.barh(range(len(order)), vals, left=left, color=COMPONENT_COLOURS.get(c, GREY), label=c,
                edgecolor="white", linewidth=0.6, height=0.62)
        left = [a + v for a, v in zip(left, vals, strict=True)]
    for y, total in enumerate(left):
        ax.text(total + 1, y, f"{total:.1f}", va="center", fontsize=8.5, fontweight="bold", color=TEXT)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([labels[i] for i in order], fontsize=8)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.8)
    ax.set_xlim(0, 108)
    ax.set_xlabel("score (points)", fontsize=8.5)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}"))
    fig.legend(loc="outside lower center", fontsize=7.5, frameon=False, ncol=min(len(comps), 6))
    return fig
