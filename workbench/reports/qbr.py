"""The quarter's review (QBR): what the meeting is about, assembled once.

:func:`build_qbr` computes the content of the review of one calendar quarter under a
contract version: its KPIs against the previous quarter and the same quarter last
year, compliance and breaches per priority, service credits owed, backups, restore
tests and availability against the contract, NOC/SOC routing, the warning signs
with their fixes and, with a proposal, its what-if on the quarter's tickets and its
redline summary.  The result (:class:`QbrReport`) is plain data: sections of one
message each with tables, chart PNGs and the definitions of their figures.  The PDF
(:mod:`workbench.reports.qbr_pdf`), the slide deck (:mod:`workbench.reports.qbr_pptx`)
and the GUI present it; none of them computes anything.

Every figure names its period and its ticket count.  A figure the data cannot give
is written "not measured", never 0 or 0%.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import numpy as np

from models.contract import METRICS, PRIORITIES, Contract
from models.history import History, to_epoch
from workbench.analytics.kpis import (
    TEAM_GROUPS,
    KpiContext,
    KpiSet,
    Period,
    headline_rows,
    kpi_definition,
    month_starts,
    outcomes_from_result,
)
from workbench.app.quarters import Quarter
from workbench.engine import recovery
from workbench.engine.credits import monthly_credits, outcome_counts
from workbench.progress import ProgressCallback, report, scaled
from workbench.warnings.base import Finding

if TYPE_CHECKING:
    from workbench.documents.diff import TermChange

NOT_MEASURED = "not measured"

# Term changes that are administrative: told in one line, not as numbered changes.
ADMINISTRATIVE_TERMS = ("name", "version", "status", "effective_date", "last_reviewed")


class QbrError(ValueError):
    """The review cannot be made (a quarter the history does not reach)."""


@dataclass(frozen=True)
class QbrTable:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths; empty: equal


@dataclass(frozen=True)
class QbrChart:
    title: str
    png: bytes
    caption: str


@dataclass(frozen=True)
class QbrSection:
    """One message: a title, the sentence the reader should take away, its evidence
    (tables, charts, bullets) and the definitions of its figures (slide notes)."""

    key: str
    title: str
    message: str
    tables: tuple[QbrTable, ...] = ()
    charts: tuple[QbrChart, ...] = ()
    bullets: tuple[str, ...] = ()
    definitions: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuarterFigures:
    """The raw figures of one quarter (what the sections are written from)."""

    quarter: Quarter
    period: Period  # the cohort: tickets opened in [start, end)
    covered: bool  # False: the history does not reach this quarter (nothing measured)
    kpis: KpiSet
    credit_months: tuple[str, ...] = ()  # YYYY-MM (UTC months, as the credit rule counts)
    credit_percent: tuple[float, ...] = ()
    credit_amounts: tuple[float, ...] | None = None  # None: the contract states no fee

    @property
    def credits_total(self) -> float | None:
        if not self.covered or self.credit_amounts is None:
            return None
        return round(sum(self.credit_amounts), 2)

    @property
    def credits_percent_total(self) -> float | None:
        return round(sum(self.credit_percent), 4) if self.covered else None


@dataclass(frozen=True)
class QbrReport:
    title: str
    contract_name: str
    contract_version: str
    provider: str
    client: str
    quarter: Quarter
    period_text: str  # "Q3 2026 (1 Jul – 30 Sep 2026, America/Toronto)"
    as_of: date
    as_of_instant: int
    partial: bool  # the quarter is not over at the as-of instant
    current: QuarterFigures
    previous: QuarterFigures
    last_year: QuarterFigures
    proposal_label: str = ""
    proposal: QuarterFigures | None = None
    findings: tuple[Finding, ...] = ()
    sections: tuple[QbrSection, ...] = ()

    @property
    def tickets(self) -> int:
        return self.current.kpis.tickets


# ------------------------------------------------------------------- formatting


def fmt_count(v: float | int | None) -> str:
    return NOT_MEASURED if v is None else f"{int(v):,}"


def fmt_share(v: float | None) -> str:
    return NOT_MEASURED if v is None else f"{100 * v:.1f}%"


def fmt_hours(seconds: float | None) -> str:
    if seconds is None:
        return NOT_MEASURED
    h = seconds / 3600
    return f"{h:,.1f} h" if h < 48 else f"{h / 24:,.1f} days"


def fmt_money(v: float | None, currency: str) -> str:
    return NOT_MEASURED if v is None else f"{v:,.2f} {currency}".strip()


def _fmt(v: float | None, unit: str, currency: str) -> str:
    if unit == "share":
        return fmt_share(v)
    if unit == "seconds":
        return fmt_hours(v)
    if unit == "currency":
        return fmt_money(v, currency)
    return fmt_count(v)


def _delta(cur: float | None, prev: float | None, unit: str) -> str:
    if cur is None or prev is None:
        return "—"
    d = cur - prev
    if unit == "share":
        return f"{100 * d:+.1f} pts"
    if unit == "seconds":
        days = max(abs(cur), abs(prev)) >= 48 * 3600  # the unit fmt_hours shows the values in
        return f"{d / 86400:+,.1f} days" if days else f"{d / 3600:+,.1f} h"
    if unit == "currency":
        return f"{d:+,.2f}"
    return f"{int(d):+,}"


def _day(t: int, zone: tzinfo) -> date:
    return datetime.fromtimestamp(t, zone).date()


def period_text(q: Quarter, period: Period, zone: tzinfo) -> str:
    first = _day(period.start, zone)
    last = _day(period.end, zone) - timedelta(days=1)
    return f"{q.label} ({first.day} {first:%b} – {last.day} {last:%b %Y}, {zone})"


# ----------------------------------------------------------------------- figures


def _covered(history: History, period: Period, as_of: int) -> bool:
    """Whether the ticket history reaches ``period`` at all (a quarter before its first
    ticket, or after the as-of instant, measures nothing)."""
    t = history.tickets
    if not len(t):
        return False
    return period.end > int(t.opened.min()) and period.start <= as_of


def _credit_months(q: Quarter) -> list[int]:
    first = q.year * 12 + 3 * q.number - 3  # utc_month numbering: year * 12 + month - 1
    return [first, first + 1, first + 2]


def _quarter_figures(ctx: KpiContext, history: History, q: Quarter, as_of: int) -> QuarterFigures:
    period = Period(*q.bounds(ctx.zone))
    covered = _covered(history, period, as_of)
    k = ctx.kpis(period)
    months = _credit_months(q)
    labels = tuple(f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months)
    if not covered or ctx.outcomes is None:
        return QuarterFigures(q, period, covered, k, labels, (0.0, 0.0, 0.0), None)
    t = ctx.tickets
    mon = ctx.month_index
    mask = ctx.valid & (mon >= months[0]) & (mon <= months[-1])
    o = ctx.outcomes
    outcome = {m: np.concatenate([o.outcome[m][mask], np.full(2, -1, dtype=np.int8)]) for m in METRICS}
    # two placeholder tickets (no outcome) pin the first and the last month of the quarter
    prio = np.concatenate([t.priority[mask], np.zeros(2, dtype=t.priority.dtype)])
    month = np.concatenate([mon[mask], np.array([months[0], months[-1]], dtype=np.int64)])
    _first, met, breached = outcome_counts(outcome, prio, month)
    mc = monthly_credits(ctx.contract, met, breached)
    return QuarterFigures(
        q,
        period,
        covered,
        k,
        labels,
        tuple(round(p, 4) for p in mc.percent.tolist()),
        None if mc.amounts() is None else tuple(mc.amounts() or ()),
    )


def _overall(k: KpiSet, metric: str) -> tuple[int, int]:
    """(met, met + breached) over the priorities."""
    met = sum(v[metric]["met"] for v in k.compliance.values())
    br = sum(v[metric]["breached"] for v in k.compliance.values())
    return met, met + br


def _share(k: KpiSet, metric: str) -> float | None:
    met, done = _overall(k, metric)
    return None if done == 0 else met / done


# ----------------------------------------------------------------------- builder


@dataclass
class _Builder:
    contract: Contract
    history: History
    quarter: Quarter
    as_of: int
    cur: QuarterFigures
    prev: QuarterFigures
    ly: QuarterFigures
    zone: tzinfo
    ctx: KpiContext
    charts: bool = True
    sections: list[QbrSection] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.contract.currency

    def where(self, f: QuarterFigures) -> str:
        """'Q3 2026, 1,234 tickets' (the period and the ticket count a figure is of)."""
        if not f.covered:
            return f"{f.quarter.label}, no history"
        return f"{f.quarter.label}, {f.kpis.tickets:,} tickets"

    def columns(self) -> tuple[QuarterFigures, ...]:
        return self.cur, self.prev, self.ly

    def col_header(self) -> tuple[str, ...]:
        return tuple(self.where(f) for f in self.columns())


def _not_measured_rows(history: History, contract: Contract) -> set[str]:
    """Rows whose figures the data cannot give at all."""
    out: set[str] = set()
    t = history.tickets
    if not t.team_names:
        out |= {f"{g} tickets" for g in TEAM_GROUPS}
    if not history.restore_tests:
        out.add("Restore tests passed")
    if not len(history.status_log) or not contract.pause_statuses:
        out.add("Client-caused waiting")
    if not history.outages:
        out |= {f"Availability {u.service}" for u in contract.uptime}
    if not history.kpis:
        out |= {"Patch compliance", "Threats detected", "Threats resolved"}
    if not contract.escalation_matrix:
        out.add("Escalation routing")
    return out


def _kpi_section(b: _Builder) -> QbrSection:
    cur, prev, ly = b.cur, b.prev, b.ly
    missing = _not_measured_rows(b.history, b.contract)
    rows_prev = headline_rows(cur.kpis, prev.kpis)
    rows_ly = headline_rows(cur.kpis, ly.kpis)
    out: list[tuple[str, ...]] = []
    for rp, rl in zip(rows_prev, rows_ly, strict=True):
        values: list[float | None] = [rp.current, rp.previous, rl.previous]
        if rp.label == "Credits owed":
            values = [cur.credits_total, prev.credits_total, ly.credits_total]
        for i, f in enumerate(b.columns()):
            if not f.covered or rp.label in missing:
                values[i] = None
        out.append(
            (rp.label, *(_fmt(v, rp.unit, b.currency) for v in values), _delta(values[0], values[1], rp.unit))
        )
    res_now, res_prev = _share(cur.kpis, "resolution"), _share(prev.kpis, "resolution")
    if res_now is None:
        message = f"{b.where(cur)}: no resolution was measured."
    elif res_prev is None:
        message = f"{fmt_share(res_now)} of the {b.where(cur)} were resolved within target."
    else:
        verb = "up from" if res_now > res_prev else "down from" if res_now < res_prev else "level with"
        message = (
            f"Resolution compliance {fmt_share(res_now)} ({b.where(cur)}), {verb} "
            f"{fmt_share(res_prev)} ({b.where(prev)})."
        )
    return QbrSection(
        "kpis",
        "Key figures of the quarter",
        message,
        tables=(
            QbrTable(
                ("Figure", *b.col_header(), "Change vs previous"), tuple(out), (2.2, 1.6, 1.6, 1.6, 1.2)
            ),
        ),
        definitions=(
            "Tickets are counted in the quarter they were opened in (local dates in the contract's zone); "
            "each column names its quarter and its ticket count; 'not measured' means the data holds no "
            "such figure, not that it was zero.",
            "Credits owed: the contract's credit rules applied month by month (UTC months of opening) "
            "with their caps; uptime credits are not included.",
            *(
                f"{r.label}: {kpi_definition(r.label)}"
                for r in rows_prev
                if kpi_definition(r.label) and r.label not in ("Credits owed", *TICKET_GROUP_ROWS)
            ),
        ),
    )


TICKET_GROUP_ROWS = tuple(f"{p} tickets" for p in PRIORITIES) + tuple(f"{g} tickets" for g in TEAM_GROUPS)


def _compliance_section(b: _Builder) -> QbrSection:
    cur, prev, ly = b.cur, b.prev, b.ly
    rows: list[tuple[str, ...]] = []
    worst: tuple[float, str] | None = None
    for p in PRIORITIES:
        c = cur.kpis.compliance.get(p)
        n = cur.kpis.tickets_by_priority.get(p, 0)
        if c is None and not n:
            continue

        def comp(k: KpiSet, metric: str, p: str = p) -> str:
            v = k.compliance.get(p, {}).get(metric, {})
            if not v or v.get("compliance") is None:
                return NOT_MEASURED
            return f"{100 * v['compliance']:.1f}% ({v['met']:,} of {v['met'] + v['breached']:,})"

        def breaches(f: QuarterFigures, p: str = p) -> str:
            if not f.covered:
                return NOT_MEASURED
            v = f.kpis.compliance.get(p, {})
            return f"{sum(v.get(m, {}).get('breached', 0) for m in METRICS):,}" if v else "0"

        tgt = b.contract.targets.get(p)  # type: ignore[call-overload]
        committed = (
            fmt_share(tgt.compliance_target)
            if tgt is not None and tgt.compliance_target is not None
            else "not stated"
        )
        rows.append(
            (
                p,
                f"{n:,}",
                comp(cur.kpis, "response"),
                comp(cur.kpis, "resolution"),
                breaches(cur),
                breaches(prev),
                breaches(ly),
                committed,
            )
        )
        r = (c or {}).get("resolution", {}).get("compliance")
        if r is not None and (worst is None or r < worst[0]):
            worst = (r, p)
    total_br = cur.kpis.breaches
    if worst is None:
        message = f"No response or resolution was measured ({b.where(cur)})."
    else:
        message = (
            f"{fmt_count(total_br)} breached targets ({b.where(cur)}); the weakest is {worst[1]} "
            f"resolution at {fmt_share(worst[0])}."
        )
    charts: list[QbrChart] = []
    if b.charts:
        from workbench.analytics.trends import Trend
        from workbench.reports.analytics_charts import compliance_by_priority_figure
        from workbench.reports.charts import figure_png
        from workbench.reports.qbr_charts import compliance_quarters_figure

        targets: dict[str, float] = {
            p: t.compliance_target for p, t in b.contract.targets.items() if t.compliance_target is not None
        }
        cols = [(f.quarter.label, f.kpis if f.covered else None) for f in (ly, prev, cur)]
        charts.append(
            QbrChart(
                "Resolution compliance per priority",
                figure_png(compliance_quarters_figure(cols, "resolution", targets)),
                f"Resolution compliance per priority: {b.where(ly)}; {b.where(prev)}; {b.where(cur)}. "
                "Dashed: the committed level.",
            )
        )
        months = _trend_months(b)
        if months:
            ct = b.contract
            trend = Trend(ct.name, ct.version, [m for m, _ in months], [k for _, k in months], ct.currency)
            charts.append(
                QbrChart(
                    "Resolution compliance per priority, month by month",
                    figure_png(compliance_by_priority_figure(trend, "resolution", targets)),
                    f"Month by month over the {len(months)} months to the end of {cur.quarter.label} "
                    f"({sum(k.tickets for _, k in months):,} tickets opened).",
                )
            )
    return QbrSection(
        "compliance",
        "Compliance and breaches per priority",
        message,
        tables=(
            QbrTable(
                (
                    "Priority",
                    "Tickets",
                    "Response",
                    "Resolution",
                    f"Breaches {cur.quarter.label}",
                    f"Breaches {prev.quarter.label}",
                    f"Breaches {ly.quarter.label}",
                    "Committed level",
                ),
                tuple(rows),
                (0.8, 0.8, 1.7, 1.7, 1.1, 1.1, 1.1, 1.1),
            ),
        ),
        charts=tuple(charts),
        definitions=(
            "Response and resolution are measured by the SLA clock on the priority's coverage calendar, "
            "client pauses excluded; a breach is a response or resolution past its target.",
            "'met of measured' counts met and breached tickets; pending tickets (still open at the as-of "
            "instant and within target) count for neither.",
            "Committed level: the share of tickets the contract commits to meet, where it states one.",
        ),
    )


def _trend_months(b: _Builder, quarters: int = 4) -> list[tuple[date, KpiSet]]:
    """The KPIs of each month of the ``quarters`` quarters to the end of the reviewed one,
    from the history's first month on."""
    ctx = b.ctx
    q = b.quarter
    for _ in range(quarters - 1):
        q = q.previous()
    end = b.cur.period.end
    start = max(q.bounds(b.zone)[0], int(b.history.tickets.opened.min()))
    bounds = month_starts(start, end - 1, ctx.zone)
    return [
        (_day(lo, ctx.zone), ctx.kpis(Period(lo, hi)))
        for lo, hi in zip(bounds, bounds[1:], strict=False)
        if lo < end
    ]


def _credits_section(b: _Builder) -> QbrSection:
    cur = b.cur
    rows: list[tuple[str, ...]] = []
    fee = b.contract.monthly_fee
    for i, m in enumerate(cur.credit_months):
        pct = cur.credit_percent[i] if cur.covered else None
        amount = cur.credit_amounts[i] if cur.covered and cur.credit_amounts is not None else None
        rows.append(
            (
                m,
                NOT_MEASURED if pct is None else f"{pct:g}% of the fee",
                fmt_money(amount, b.currency) if fee is not None else "no fee stated",
            )
        )
    for f in b.columns():
        rows.append(
            (
                f"{f.quarter.label} total",
                NOT_MEASURED
                if f.credits_percent_total is None
                else f"{f.credits_percent_total:g}% of the fee",
                fmt_money(f.credits_total, b.currency) if fee is not None else "no fee stated",
            )
        )
    if not b.contract.service_credits:
        message = "The contract grants no service credits."
    elif fee is None:
        message = (
            f"Credits of {fmt_count(cur.credits_percent_total)}% of the monthly fee are owed "
            f"({b.where(cur)}); the contract states no fee to price them."
        )
    else:
        message = (
            f"{fmt_money(cur.credits_total, b.currency)} of service credits are owed for {b.where(cur)}."
        )
    rules = [
        f"{r.priority or 'every priority'} {r.metric}: {r.trigger.replace('_', ' ')}, "
        f"{r.percent_of_fee:g}% of the fee"
        + (f" (cap {r.cap_percent:g}%)" if r.cap_percent is not None else "")
        for r in b.contract.service_credits
    ]
    return QbrSection(
        "credits",
        "Service credits owed",
        message,
        tables=(QbrTable(("Month (UTC)", "Credit", "Amount"), tuple(rows), (1.4, 1.4, 1.4)),),
        bullets=tuple(rules),
        definitions=(
            "The contract's credit rules, month by month: a ticket's breach falls in the UTC month it was "
            "opened in; each rule is capped per month, then the month's total at the contract's cap.",
            "Only response and resolution credits are measured on tickets; uptime credits need outages "
            "and are not included.",
        ),
    )


def _recovery_section(b: _Builder) -> QbrSection:
    c, h, cur = b.contract, b.history, b.cur
    start, end = cur.period.start, min(cur.period.end, b.as_of)
    # The quarter's backups, from the last successful one before it (the gap into the quarter counts).
    finished = [to_epoch(x.finished_at) for x in h.backups]  # once: the history holds many backups
    before = [f for x, f in zip(h.backups, finished, strict=True) if x.success and f < start]
    lead = max(before) if before else start
    kept = [(x, f) for x, f in zip(h.backups, finished, strict=True) if lead <= f < end]
    backups = [x for x, _f in kept]
    in_quarter: dict[str, int] = {}  # successful backups in the quarter, per system
    for x, f in kept:
        if x.success and f >= start:
            in_quarter[x.system] = in_quarter.get(x.system, 0) + 1
    tests = [x for x in h.restore_tests if start <= to_epoch(x.started_at) < end]
    rep = recovery.recovery_report(c, History(backups=tuple(backups), restore_tests=tuple(tests)), as_of=end)
    rows: list[tuple[str, ...]] = []
    rpo_breached = 0
    for r in rep["rpo"]:  # type: ignore[union-attr]
        if not h.backups:
            rows.append((r["system"], fmt_hours(r["rpo_seconds"]), NOT_MEASURED, NOT_MEASURED, NOT_MEASURED))
            continue
        in_q = in_quarter.get(r["system"], 0)
        met = r["met"]
        rpo_breached += not met
        rows.append(
            (
                r["system"],
                fmt_hours(r["rpo_seconds"]),
                f"{in_q:,}",
                fmt_hours(r["worst_gap_seconds"]),
                "met" if met else "breached",
            )
        )
    test_rows: list[tuple[str, ...]] = []
    for t in rep["rto"]:  # type: ignore[union-attr]
        test_rows.append(
            (
                t["system"],
                str(t["started_at"])[:10],
                fmt_hours(t["duration_seconds"]),
                fmt_hours(t["rto_seconds"]) if t["rto_seconds"] is not None else "not stated",
                {"met": "met", "breached": "breached" if t["success"] else "failed"}.get(
                    t["outcome"], "no RTO stated"
                ),
            )
        )
    uptime_rows: list[tuple[str, ...]] = []
    if c.uptime:
        monthly = recovery.monthly_availability(c, list(h.outages), start, end) if h.outages else {}
        for u in c.uptime:
            for label, v in monthly.get(u.service, {}).items():
                if not start <= _month_start_epoch(label, b.zone) < cur.period.end:
                    continue
                uptime_rows.append(
                    (
                        u.service,
                        label,
                        fmt_share(v["availability"]),
                        f"{u.target_percent:g}%",
                        v["outcome"] or NOT_MEASURED,
                    )
                )
            if not h.outages:
                uptime_rows.append(
                    (u.service, cur.quarter.label, NOT_MEASURED, f"{u.target_percent:g}%", NOT_MEASURED)
                )
    failed = sum(1 for t in test_rows if t[-1] in ("breached", "failed"))
    parts = []
    if not h.backups:
        parts.append("backups are not measured (no backup records)")
    else:
        parts.append(f"RPO met for {len(rows) - rpo_breached} of {len(rows)} systems")
    if not h.restore_tests:
        parts.append("restore tests are not measured (no records)")
    else:
        parts.append(
            f"{len(test_rows)} restore test{'s' if len(test_rows) != 1 else ''} in the quarter"
            + (f", {failed} outside the RTO or failed" if failed else ", all within the RTO")
        )
    breached_months = sum(1 for r in uptime_rows if r[-1] == "breached")
    if uptime_rows and h.outages:
        parts.append(
            "availability below target in "
            + (f"{breached_months} month(s)" if breached_months else "no month")
        )
    message = f"{cur.quarter.label}: " + "; ".join(parts) + "."
    tables = [
        QbrTable(
            ("System", "RPO", "Backups in quarter", "Worst gap", "RPO"),
            tuple(rows),
            (2.4, 0.8, 1.2, 1.0, 0.8),
        )
    ]
    if test_rows or h.restore_tests:
        tables.append(
            QbrTable(
                ("Restore test of", "Started", "Duration", "RTO", "Outcome"),
                tuple(test_rows) or (("none in the quarter", "", "", "", ""),),
                (2.4, 1.0, 1.0, 0.8, 0.8),
            )
        )
    if uptime_rows:
        tables.append(
            QbrTable(
                ("Service", "Month", "Availability", "Target", "Outcome"),
                tuple(uptime_rows),
                (2.4, 0.9, 1.0, 0.8, 0.9),
            )
        )
    return QbrSection(
        "recovery",
        "Backups, restore tests, RPO/RTO and availability",
        message,
        tables=tuple(tables),
        definitions=(
            "RPO: the worst gap between consecutive successful backups of a system in the quarter (from "
            "the last one before it) and from the last one to the quarter's end must not exceed the RPO.",
            "RTO: a successful restore test's duration must not exceed the system's RTO; a failed test "
            "is a breach.",
            "Availability: 1 - outage time inside the measurement calendar (planned maintenance excluded "
            "where the contract says so) / the calendar's time in the month; a month not over is pending.",
        ),
    )


def _month_start_epoch(label: str, zone: tzinfo) -> int:
    y, m = int(label[:4]), int(label[5:7])
    return int(datetime(y, m, 1, tzinfo=zone).timestamp())


def _routing_section(b: _Builder) -> QbrSection:
    cur, prev = b.cur, b.prev
    rows = []
    for g in TEAM_GROUPS:
        n, p = cur.kpis.tickets_by_team.get(g, 0), prev.kpis.tickets_by_team.get(g, 0)
        if not n and not p:
            continue
        share = n / cur.kpis.tickets if cur.kpis.tickets else None
        rows.append((g, f"{n:,}", fmt_share(share), f"{p:,}" if prev.covered else NOT_MEASURED))
    k = cur.kpis
    if not b.history.tickets.team_names:
        message = f"Routing is not measured: the tickets name no team ({b.where(cur)})."
        rows = []
    elif not b.contract.escalation_matrix:
        message = f"The contract has no escalation matrix to route against ({b.where(cur)})."
    elif k.escalation_share is None:
        message = f"No ticket of the quarter falls under the escalation matrix ({b.where(cur)})."
    else:
        message = (
            f"{fmt_share(k.escalation_share)} of the {k.escalation_matched:,} "
            f"tickets under the escalation matrix went to the team it names ({b.where(cur)})."
        )
    bullets = tuple(
        f"{cat}: {n:,} ticket{'s' if n != 1 else ''} handled by another team than the matrix names"
        for cat, n in sorted(k.escalation_misrouted.items(), key=lambda x: (-x[1], x[0]))
    )
    matrix = tuple((r.incident_type, r.owner, r.team, r.action) for r in b.contract.escalation_matrix)
    tables = (
        [
            QbrTable(
                ("Team", f"Tickets {cur.quarter.label}", "Share", f"Tickets {prev.quarter.label}"),
                tuple(rows),
                (1.6, 1.2, 1.0, 1.2),
            )
        ]
        if rows
        else []
    )
    if matrix:
        tables.append(QbrTable(("Incident type", "Owner", "Team", "Action"), matrix, (1.6, 0.8, 0.9, 2.6)))
    return QbrSection(
        "routing",
        "NOC/SOC routing",
        message,
        tables=tuple(tables),
        bullets=bullets,
        definitions=(
            "Teams are folded into Helpdesk, NOC and SOC/MSSP (SOC and MSSP are the security side).",
            "Routing: among the quarter's tickets whose category names an incident type of the escalation "
            "matrix, the share handled by the matrix's team.",
        ),
    )


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _warnings_section(b: _Builder, findings: Sequence[Finding], note: str) -> QbrSection:
    from workbench.app.words import clause_words, code_title

    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.code))
    rows = tuple(
        (code_title(f.code), f.severity, clause_words(f.clause), f.evidence, f.suggestion) for f in ordered
    )
    high = sum(1 for f in findings if f.severity == "high")
    if note:
        message = note
    elif not findings:
        message = f"No warning sign in {b.contract.version}."
    else:
        message = (
            f"{len(findings)} warning sign{'s' if len(findings) != 1 else ''} in "
            f"{b.contract.version}, {high} of them high: each with the fix to ask for."
        )
    return QbrSection(
        "warnings",
        "Warning signs and their fixes",
        message,
        tables=(
            QbrTable(
                ("Warning sign", "Severity", "Where", "What we found", "Fix to ask for"),
                rows,
                (1.0, 0.75, 0.9, 2.4, 2.4),
            ),
        )
        if rows
        else (),
        definitions=(
            "Warning signs are the catalogue's checks of the contract's terms and text; the history checks "
            "(coverage, missed targets, recovery, routing) replay the whole ticket history to the as-of "
            "instant, not only the quarter.",
        ),
    )


def _whatif_section(b: _Builder, label: str, prop: QuarterFigures, proposal: Contract) -> QbrSection:
    cur = b.cur
    rows = []
    for p in PRIORITIES:
        if p not in cur.kpis.compliance and p not in prop.kpis.compliance:
            continue
        row = [p]
        for metric in METRICS:
            for f in (cur, prop):
                v = f.kpis.compliance.get(p, {}).get(metric, {})
                row.append(fmt_share(v.get("compliance")) if v else NOT_MEASURED)
        rows.append(tuple(row))
    fee_cur = (
        fmt_money(cur.credits_total, b.currency) if b.contract.monthly_fee is not None else "no fee stated"
    )
    fee_new = (
        fmt_money(prop.credits_total, proposal.currency)
        if proposal.monthly_fee is not None
        else "no fee stated"
    )
    rows.append(("Credits", "", "", fee_cur, fee_new))
    caveat = (
        f"The history was produced under {b.contract.version}'s terms, which the provider worked to: "
        f"under {label} the provider would have worked to its targets instead, so the what-if shows "
        "what the past quarter would score, not what the next one will."
    )
    now, new = _share(cur.kpis, "resolution"), _share(prop.kpis, "resolution")
    message = (
        f"Under {label}, {fmt_share(new)} of the {b.where(cur)} would have met resolution, "
        f"against {fmt_share(now)} under {b.contract.version}; credits {fee_cur} → {fee_new}."
    )
    charts: list[QbrChart] = []
    if b.charts:
        from workbench.reports.charts import compliance_chart, figure_png

        def shares(f: QuarterFigures) -> dict[str, dict[str, float | None]]:
            return {p: {m: v[m]["compliance"] for m in METRICS} for p, v in f.kpis.compliance.items()}

        targets: dict[str, float | None] = {p: t.compliance_target for p, t in proposal.targets.items()}
        charts.append(
            QbrChart(
                "What-if: resolution compliance",
                figure_png(
                    compliance_chart(
                        shares(cur),
                        shares(prop),
                        "resolution",
                        labels=(b.contract.version, label),
                        targets=targets,
                    )
                ),
                f"Resolution compliance per priority ({b.where(cur)}): {b.contract.version} (grey) and "
                f"{label} (blue), replayed on the same tickets.",
            )
        )
    return QbrSection(
        "whatif",
        f"What-if: the quarter under {label}",
        message,
        tables=(
            QbrTable(
                (
                    "Priority",
                    f"Response {b.contract.version}",
                    f"Response {label}",
                    f"Resolution {b.contract.version}",
                    f"Resolution {label}",
                ),
                tuple(rows),
            ),
        ),
        charts=tuple(charts),
        bullets=(caveat,),
        definitions=(
            "The what-if replays the quarter's tickets through the SLA clock under the proposal's terms "
            "(targets, calendars, pauses) and applies its credit rules; the history itself was produced "
            "under the current terms, which the provider worked to.",
        ),
    )


# The sections of the changes in the order a client reads them: what is measured and paid first.
MATERIAL_ORDER = (
    "Response and resolution targets",
    "Fees and credits",
    "Uptime",
    "Backup and recovery",
    "Cybersecurity",
    "Escalation matrix",
    "Clock pauses",
    "Coverage calendars",
    "Client obligations",
    "Compliance mandates",
    "Reporting and reviews",
    "Service scope",
)


def headline_changes(changes: Sequence[TermChange], limit: int) -> list[TermChange]:
    """At most ``limit`` changes, taken section by section in turn (the first change of
    every section, then the second …) so that one section's many changes do not hide
    the others; shown in the sections' order."""
    by_section: dict[str, list[TermChange]] = {}
    for t in changes:
        by_section.setdefault(t.section, []).append(t)
    picked: list[TermChange] = []
    depth = 0
    while len(picked) < min(limit, len(changes)):
        for group in by_section.values():
            if depth < len(group) and len(picked) < limit:
                picked.append(group[depth])
        depth += 1
    order = {id(t): i for i, t in enumerate(changes)}
    return sorted(picked, key=lambda t: order[id(t)])


def _redline_section(b: _Builder, label: str, proposal: Contract, limit: int = 10) -> QbrSection:
    from workbench.documents.diff import diff_contracts

    d = diff_contracts(b.contract, proposal)
    admin = [t for t in d.terms if t.path in ADMINISTRATIVE_TERMS]
    material = sorted(
        (t for t in d.terms if t.path not in ADMINISTRATIVE_TERMS),
        key=lambda t: MATERIAL_ORDER.index(t.section) if t.section in MATERIAL_ORDER else len(MATERIAL_ORDER),
    )
    rows = tuple((t.section, t.label, t.old or "—", t.new or "—") for t in headline_changes(material, limit))
    kinds: dict[str, int] = {}
    for c in d.clauses:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    bullets = []
    if len(material) > limit:
        bullets.append(f"… and {len(material) - limit} further term change(s): see the redline.")
    if admin:
        bullets.append("Administrative: " + "; ".join(t.describe() for t in admin) + ".")
    bullets.append(
        "Clauses: "
        + ", ".join(f"{kinds.get(k, 0)} {k}" for k in ("changed", "added", "removed", "moved"))
        + "."
    )
    touched = kinds.get("changed", 0) + kinds.get("added", 0) + kinds.get("removed", 0)
    return QbrSection(
        "redline",
        f"The proposal's changes: {b.contract.version} → {label}",
        f"{len(material)} term change{'s' if len(material) != 1 else ''} beyond the administrative ones; "
        f"{touched} clauses changed, added or removed.",
        tables=(QbrTable(("Section", "Term", b.contract.version, label), rows, (1.2, 2.0, 1.8, 1.8)),)
        if rows
        else (),
        bullets=tuple(bullets),
        definitions=("The full redline (every clause struck and inserted) is the redline review PDF.",),
    )


def _summary_section(b: _Builder, findings: Sequence[Finding], partial: bool) -> QbrSection:
    cur, prev, ly = b.cur, b.prev, b.ly
    k = cur.kpis
    bullets = [f"{k.tickets:,} tickets opened ({b.where(prev)}; {b.where(ly)})."]
    for metric in ("response", "resolution"):
        met, done = _overall(k, metric)
        if done:
            bullets.append(
                f"{metric.capitalize()}: {fmt_share(met / done)} within target ({met:,} of {done:,} "
                f"measured tickets)."
            )
        else:
            bullets.append(f"{metric.capitalize()}: {NOT_MEASURED}.")
    bullets.append(
        f"Breached targets: {fmt_count(k.breaches)}; credits owed: "
        + (
            fmt_money(cur.credits_total, b.currency)
            if b.contract.monthly_fee is not None
            else f"{fmt_count(cur.credits_percent_total)}% of the fee (no fee stated)"
        )
        + "."
    )
    high = [f for f in findings if f.severity == "high"]
    if findings:
        bullets.append(f"Warning signs: {len(findings)} ({len(high)} high).")
    caveat = "The quarter is not over at the as-of instant: its figures are to date. " if partial else ""
    return QbrSection(
        "summary",
        f"{cur.quarter.label} at a glance",
        caveat + f"{fmt_share(_share(k, 'resolution'))} resolution compliance and "
        f"{fmt_count(k.breaches)} breached targets ({b.where(cur)}).",
        bullets=tuple(bullets),
        definitions=("Every figure names its quarter and the number of tickets it is measured on.",),
    )


LintFn = Callable[[Contract, History, int], Sequence[Finding]]


def build_qbr(
    history: History,
    contract: Contract,
    quarter: Quarter,
    *,
    proposal: Contract | None = None,
    proposal_label: str = "",
    as_of: int | None = None,
    charts: bool = True,
    lint: LintFn | None = None,
    progress: ProgressCallback | None = None,
) -> QbrReport:
    """The review of ``quarter`` under ``contract`` (the signed version) on ``history``
    (tickets, status log, backups, restore tests, outages, KPI records); ``proposal``
    adds its what-if and its redline summary.  ``as_of`` (epoch seconds) defaults to the
    history's latest instant.  Raises :class:`QbrError` for a quarter the history does
    not reach; reports and cancels through ``progress``."""
    from workbench.engine.simulate import Engine
    from workbench.warnings import lint as default_lint

    if not len(history.tickets):
        raise QbrError("the workspace holds no tickets: import a ticket history first")
    at = int(as_of) if as_of is not None else int(history.latest_instant())
    report(progress, 0.0, "simulating the SLA clock")
    # The history is prepared for the SLA engine once: the figures, the warning signs' history
    # checks and the proposal's what-if all replay on it (its calendars and pauses are cached).
    engine = Engine(history.tickets, history.status_log, at, scaled(progress, 0.0, 0.1))
    outcomes = outcomes_from_result(engine.run(contract, scaled(progress, 0.1, 0.36)))
    ctx = KpiContext(contract, history, as_of=at, outcomes=outcomes, progress=scaled(progress, 0.36, 0.4))
    zone = ctx.zone
    period = Period(*quarter.bounds(zone))
    first = int(history.tickets.opened.min())
    if period.start > at:
        raise QbrError(
            f"{quarter.key}: the quarter starts after the history's as-of date "
            f"{datetime.fromtimestamp(at, UTC).date()}"
        )
    if period.end <= first:
        raise QbrError(
            f"{quarter.key}: the quarter ends before the history's first ticket "
            f"({datetime.fromtimestamp(first, UTC).date()})"
        )
    report(progress, 0.4, "the quarter's figures")
    cur = _quarter_figures(ctx, history, quarter, at)
    prev = _quarter_figures(ctx, history, quarter.previous(), at)
    ly = _quarter_figures(ctx, history, quarter.same_last_year(), at)
    b = _Builder(contract, history, quarter, at, cur, prev, ly, zone, ctx, charts)
    partial = period.end > at
    report(progress, 0.5, "checking warning signs")
    note = ""
    try:
        if lint is not None:
            found = list(lint(contract, history, at))
        else:
            found = list(
                default_lint(contract, history, at, progress=scaled(progress, 0.5, 0.75), engine=engine)
            )
    except Exception as exc:
        from workbench.progress import Cancelled

        if isinstance(exc, Cancelled):
            raise
        found, note = [], f"Warning signs not checked: {exc}"
    report(progress, 0.75, "laying out the sections")
    sections = [
        _summary_section(b, found, partial),
        _kpi_section(b),
        _compliance_section(b),
        _credits_section(b),
        _recovery_section(b),
        _routing_section(b),
        _warnings_section(b, found, note),
    ]
    prop_figures = None
    label = proposal_label or (proposal.version if proposal is not None else "")
    if proposal is not None:
        report(progress, 0.8, "replaying the quarter under the proposal")
        replay = outcomes_from_result(engine.run(proposal, scaled(progress, 0.8, 0.93)))
        pctx = KpiContext(proposal, history, as_of=at, outcomes=replay, progress=scaled(progress, 0.93, 0.95))
        prop_figures = _quarter_figures(pctx, history, quarter, at)
        sections.append(_whatif_section(b, label, prop_figures, proposal))
        sections.append(_redline_section(b, label, proposal))
    report(progress, 1.0, "")
    return QbrReport(
        title=f"Quarterly service review — {quarter.label}",
        contract_name=contract.name,
        contract_version=contract.version,
        provider=contract.provider,
        client=contract.client,
        quarter=quarter,
        period_text=period_text(quarter, period, zone),
        as_of=datetime.fromtimestamp(at, UTC).date(),
        as_of_instant=at,
        partial=partial,
        current=cur,
        previous=prev,
        last_year=ly,
        proposal_label=label,
        proposal=prop_figures,
        findings=tuple(found),
        sections=tuple(sections),
    )


__all__ = [
    "NOT_MEASURED",
    "QbrChart",
    "QbrError",
    "QbrReport",
    "QbrSection",
    "QbrTable",
    "QuarterFigures",
    "build_qbr",
]
