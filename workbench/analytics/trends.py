"""Monthly series of the KPIs of :mod:`workbench.analytics.kpis`.

Months are calendar months in the contract's reporting zone
(:func:`workbench.analytics.kpis.report_zone`), each the half-open interval from local
midnight of its first day to local midnight of the next month's first day, and each
KPI is computed with exactly the definitions of :mod:`workbench.analytics.kpis` (a ticket
belongs to the month it was opened in).  The simulation runs once for the whole
history; each month is then a set of masks over its per-ticket results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models.contract import METRICS, PRIORITIES, Contract
from models.history import History
from workbench.analytics.kpis import TEAM_GROUPS, KpiContext, KpiSet, Period, epoch, month_starts
from workbench.progress import ProgressCallback, report, scaled


@dataclass
class Trend:
    """KPIs month by month: ``months[i]`` is the first day of the month of ``kpis[i]``."""

    contract_name: str
    contract_version: str
    months: list[date]
    kpis: list[KpiSet]
    currency: str = ""

    def series(self, get: Callable[[KpiSet], float | int | None]) -> list[float | None]:
        """One value per month; ``get`` reads it from a :class:`KpiSet`."""
        out: list[float | None] = []
        for k in self.kpis:
            v = get(k)
            out.append(None if v is None else float(v))
        return out

    def named(self, name: str) -> list[float | None]:
        """A series by name (see :data:`SERIES`)."""
        return self.series(SERIES[name].get)

    def compliance(self, priority: str, metric: str) -> list[float | None]:
        return self.series(lambda k: k.compliance.get(priority, {}).get(metric, {}).get("compliance"))

    def by_team(self) -> dict[str, list[int]]:
        return {g: [k.tickets_by_team.get(g, 0) for k in self.kpis] for g in TEAM_GROUPS}

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": {"name": self.contract_name, "version": self.contract_version},
            "months": [m.isoformat()[:7] for m in self.months],
            "series": {name: self.named(name) for name in SERIES},
            "compliance": {
                p: {m: self.compliance(p, m) for m in METRICS} for p in PRIORITIES
            },
            "tickets_by_team": self.by_team(),
        }


def _overall(k: KpiSet, metric: str) -> float | None:
    met = sum(v[metric]["met"] for v in k.compliance.values())
    br = sum(v[metric]["breached"] for v in k.compliance.values())
    return None if met + br == 0 else met / (met + br)


def _hours(v: float | int | None) -> float | None:
    return None if v is None else v / 3600


def _threat_rate(k: KpiSet) -> float | None:
    if not k.threats_detected or k.threats_resolved is None:
        return None
    return k.threats_resolved / k.threats_detected


@dataclass(frozen=True)
class SeriesSpec:
    title: str
    unit: str  # y-axis label
    get: Callable[[KpiSet], float | int | None]
    kind: str = "line"  # line | bar
    share: bool = False  # a 0..1 share, shown as a percentage


# Units are chosen for print: hours, shares 0..1 shown as percentages.
SERIES: dict[str, SeriesSpec] = {
    "tickets": SeriesSpec("Tickets opened", "tickets", lambda k: k.tickets),
    "mttr_hours": SeriesSpec("MTTR, wall clock", "hours", lambda k: _hours(k.mttr_seconds)),
    "mttr_business_hours": SeriesSpec("MTTR, business time", "business hours",
                                      lambda k: _hours(k.mttr_business_seconds)),
    "response_p90_hours": SeriesSpec(
        "Response time, p90", "hours", lambda k: _hours(k.percentiles.get("response", {}).get("p90"))
    ),
    "resolution_p90_hours": SeriesSpec(
        "Resolution time, p90", "hours", lambda k: _hours(k.percentiles.get("resolution", {}).get("p90"))
    ),
    "response_compliance": SeriesSpec("Response compliance", "% of measured tickets",
                                      lambda k: _overall(k, "response"), share=True),
    "resolution_compliance": SeriesSpec("Resolution compliance", "% of measured tickets",
                                        lambda k: _overall(k, "resolution"), share=True),
    "breaches": SeriesSpec("Breaches", "breached metrics", lambda k: k.breaches, kind="bar"),
    "credits": SeriesSpec("Credits owed", "currency", lambda k: k.credits, kind="bar"),
    "patch_compliance": SeriesSpec("Patch compliance", "% of endpoints", lambda k: k.patch_compliance,
                                   share=True),
    "threats_detected": SeriesSpec("Threats detected", "threats", lambda k: k.threats_detected, kind="bar"),
    "threats_resolved": SeriesSpec("Threats resolved", "threats", lambda k: k.threats_resolved, kind="bar"),
    "threat_resolution_rate": SeriesSpec("Threats resolved / detected", "% of threats", _threat_rate,
                                         share=True),
    "restore_tests_passed": SeriesSpec("Restore tests passed", "tests", lambda k: k.restore_tests_passed,
                                       kind="bar"),
    "client_wait_hours": SeriesSpec("Client-caused waiting", "hours paused",
                                    lambda k: _hours(k.client_wait_seconds)),
    "escalation_share": SeriesSpec("Escalations routed per matrix", "% of matrix tickets",
                                   lambda k: k.escalation_share, share=True),
}


def monthly_trend(
    contract: Contract,
    history: History,
    start: datetime | int | None = None,
    end: datetime | int | None = None,
    as_of: int | None = None,
    context: KpiContext | None = None,
    progress: ProgressCallback | None = None,
) -> Trend:
    """KPIs of every month from the month holding ``start`` (default: the first ticket)
    to the month holding ``end - 1`` (default: ``as_of``)."""
    ctx = context or KpiContext(contract, history, as_of=as_of, progress=scaled(progress, 0, 0.8))
    t = history.tickets
    opened = t.opened[ctx.valid]
    if start is None and len(opened) == 0:
        return Trend(contract.name, contract.version, [], [], contract.currency)  # nothing to show
    first = epoch(start) if start is not None else int(opened.min())
    last = (epoch(end) - 1) if end is not None else max(ctx.as_of - 1, first)
    bounds = month_starts(first, max(first, last), ctx.zone)  # one past the last month
    months: list[date] = []
    kpis: list[KpiSet] = []
    for i, (b, e) in enumerate(zip(bounds, bounds[1:], strict=False)):
        report(progress, 0.8 + 0.2 * i / max(len(bounds) - 1, 1), "monthly KPIs")
        months.append(datetime.fromtimestamp(b, ctx.zone).date())
        kpis.append(ctx.kpis(Period(b, e)))
    report(progress, 1.0, "")
    return Trend(contract.name, contract.version, months, kpis, contract.currency)
