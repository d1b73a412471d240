"""The tickets behind a figure: a KPI of a period, or a bar of the period chart
(:func:`workbench.reports.analytics_charts.kpi_period_figure`), as the ids a drill-down
shows.

Each set is the mask the figure itself is counted by (:class:`~workbench.analytics.kpis.KpiMasks`),
so the list a person opens always holds the figure's count: a compliance bar the
tickets met or breached of that priority and metric, a team bar the tickets that team
group opened, a KPI card the tickets its figure is computed from.  KPIs that come from
the provider's monthly reports, restore tests or outages have no tickets behind them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from models.contract import METRICS, PRIORITIES
from workbench.analytics.kpis import TEAM_GROUPS, KpiContext, KpiMasks, Period

B = npt.NDArray[np.bool_]

CURRENT, PREVIOUS = "this period", "previous"  # the chart's series labels


@dataclass(frozen=True)
class TicketSet:
    """The tickets behind a figure and what they are, in words."""

    ids: tuple[str, ...]
    what: str

    def __len__(self) -> int:
        return len(self.ids)


Rule = Callable[[KpiMasks], B]


def _compliance(metric: str) -> Rule:
    return lambda m: m.compliance(metric)


def _priority(p: str) -> Rule:
    return lambda m: m.priority(p)


def _team(g: str) -> Rule:
    return lambda m: m.team(g)


def _kpi_rules() -> dict[str, tuple[Rule, str]]:
    rules: dict[str, tuple[Rule, str]] = {
        "Tickets": (lambda m: m.cohort, "tickets opened"),
        "MTTR (wall clock)": (lambda m: m.resolved, "tickets resolved (MTTR)"),
        "MTTR (business)": (lambda m: m.business_resolved(), "tickets resolved (MTTR in covered hours)"),
        "Response p90": (lambda m: m.responded, "tickets with a first response (response p90)"),
        "Resolution p90": (lambda m: m.resolved, "tickets resolved (resolution p90)"),
        "Breaches": (lambda m: m.breached(), "tickets with a missed response or resolution target"),
        "Client-caused waiting": (lambda m: m.waiting, "tickets that waited for the client"),
        "Escalation routing": (lambda m: m.routing, "tickets of an incident type in the escalation matrix"),
    }
    for metric in METRICS:
        rules[f"{metric.capitalize()} compliance"] = (
            _compliance(metric), f"tickets whose {metric} met or missed its target"
        )
    for p in PRIORITIES:
        rules[f"{p} tickets"] = (_priority(p), f"{p} tickets opened")
    for g in TEAM_GROUPS:
        rules[f"{g} tickets"] = (_team(g), f"tickets opened for {g}")
    return rules


KPI_RULES = _kpi_rules()


def _ids(ctx: KpiContext, mask: B) -> tuple[str, ...]:
    return tuple(str(x) for x in ctx.tickets.ids[np.flatnonzero(mask)])


def kpi_tickets(ctx: KpiContext, period: Period, label: str) -> TicketSet | None:
    """The tickets behind the KPI named ``label`` (a :class:`~workbench.analytics.kpis.KpiRow`
    label) in ``period``; None for a KPI that counts no tickets (patch compliance,
    threats, restore tests, availability, credits)."""
    rule = KPI_RULES.get(label)
    if rule is None:
        return None
    fn, what = rule
    return TicketSet(_ids(ctx, fn(ctx.masks(period))), what)


@dataclass(frozen=True)
class Bar:
    """One bar of the period chart: its panel's title, its series (:data:`CURRENT` or
    :data:`PREVIOUS`), the priority or team it stands for, and the bar artist itself."""

    chart: str
    series: str
    key: str
    patch: Any


def figure_bars(fig: Any) -> list[Bar]:
    """Every bar of a :func:`~workbench.reports.analytics_charts.kpi_period_figure`, named
    by its panel's title, its series' legend label and its tick label (a priority on the
    compliance panels, a team group on the team panel)."""
    bars = []
    for ax in fig.axes:
        title = ax.get_title(loc="left")
        horizontal = title == "Tickets per team"
        ticks = [t.get_text() for t in (ax.get_yticklabels() if horizontal else ax.get_xticklabels())]
        for container in ax.containers:
            series = container.get_label()
            for j, patch in enumerate(container.patches):
                if j < len(ticks):
                    bars.append(Bar(title, series, ticks[j], patch))
    return bars


def bar_tickets(ctx: KpiContext, report: Any, bar: Bar) -> TicketSet | None:
    """The tickets behind one bar of ``report``'s period chart: for a compliance bar the
    tickets of that priority whose metric was met or breached (the bar is met ÷ that
    count), for a team bar the tickets that team group opened (the bar's length)."""
    k = report.current if bar.series == CURRENT else report.previous
    masks = ctx.masks(Period(k.start, k.end))
    if bar.chart == "Tickets per team" and bar.key in TEAM_GROUPS:
        return TicketSet(_ids(ctx, masks.team(bar.key)), f"tickets opened for {bar.key}")
    for metric in METRICS:
        if bar.chart == f"{metric.capitalize()} compliance" and bar.key in PRIORITIES:
            return TicketSet(
                _ids(ctx, masks.compliance(metric, bar.key)),
                f"{bar.key} tickets whose {metric} met or missed its target",
            )
    return None
