"""Figures of the what-if simulator (matplotlib Figure, Agg; no pyplot, no Qt).

Built from :class:`workbench.simulate.SimulationResult` objects; the GUI embeds them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from models.contract import PRIORITIES, parse_target
from workbench.charts import BASELINE_COLOUR, PROPOSED_COLOUR

CREDIT_COLOUR = "#C0392B"


def _figure(size: tuple[float, float]) -> Figure:
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def monthly_breaches_figure(baseline: Any, scenario: Any, size: tuple[float, float] = (6.4, 3.0)) -> Figure:
    """Breaches per month (all priorities, both metrics), baseline vs scenario, with the
    scenario's projected service credits (percent of the monthly fee) on a second axis."""
    fig = _figure(size)
    ax = fig.add_subplot(1, 1, 1)
    mb, ms = baseline.breaches_per_month(), scenario.breaches_per_month()
    months = sorted(set(mb) | set(ms))
    if not months:
        ax.text(0.5, 0.5, "No tickets measured", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig

    def total(d: dict[str, Any], m: str) -> int:
        return int(sum(v for ps in d.get(m, {}).values() for v in ps.values()))

    x = np.arange(len(months))
    w = 0.4
    ax.bar(x - w / 2, [total(mb, m) for m in months], w, color=BASELINE_COLOUR, label="baseline breaches")
    ax.bar(x + w / 2, [total(ms, m) for m in months], w, color=PROPOSED_COLOUR, label="scenario breaches")
    ax.set_ylabel("breached tickets")
    step = max(1, len(months) // 12)
    ax.set_xticks(x[::step], [m for m in months][::step], rotation=45, ha="right", fontsize=7)
    ax.spines[["top"]].set_visible(False)
    credits_b, credits_s = baseline.credits(), scenario.credits()
    has_credit_rules = any(r.metric in ("response", "resolution") for r in scenario.contract.service_credits)
    if has_credit_rules:
        ax2 = ax.twinx()
        ax2.plot(
            x,
            [credits_b.get(m, {}).get("percent", 0.0) for m in months],
            color=BASELINE_COLOUR,
            linestyle="--",
            marker=".",
            linewidth=1,
            label="baseline credits",
        )
        ax2.plot(
            x,
            [credits_s.get(m, {}).get("percent", 0.0) for m in months],
            color=CREDIT_COLOUR,
            marker=".",
            linewidth=1.2,
            label="scenario credits",
        )
        ax2.set_ylabel("credits, % of monthly fee")
        ax2.set_ylim(bottom=0)
        lines = ax.get_legend_handles_labels()
        lines2 = ax2.get_legend_handles_labels()
        ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=7, loc="upper left", frameon=False)
        title = "Breaches and service credits per month"
    else:
        ax.legend(fontsize=7, loc="upper left", frameon=False)
        title = "Breaches per month (no service credits in this scenario)"
    ax.set_title(title, fontsize=10)
    fig.subplots_adjust(left=0.1, right=0.88, bottom=0.22, top=0.9)
    return fig


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
