"""KPIs of a period, with the previous period of equal length beside them.

The figures a monthly report or a quarterly business review (QBR) shows, computed
from a workspace's :class:`~models.history.History` under one contract version.

Definitions (each one is what the tests check by hand):

* **Period**: the half-open interval ``[start, end)``; the previous period is
  ``[start - (end - start), start)``.
* **Ticket cohort**: every ticket KPI counts the tickets *opened* in the period, so a
  ticket belongs to exactly one period and the per-period figures add up.  As in
  :func:`workbench.engine.simulate.simulate`, tickets with bad data (an event before the
  opening, an unknown priority) and tickets opened after ``as_of`` are left out, and
  an event after ``as_of`` is not known yet.
* **Tickets by team**: the ticket's team folded into ``Helpdesk``, ``NOC``,
  ``SOC/MSSP`` (SOC and MSSP are the security side), ``Other`` and ``Unassigned``.
* **MTTR** (mean time to resolve): mean of ``resolved_at - opened_at`` over the
  cohort's resolved tickets (wall clock), and the mean of the engine's business
  seconds of resolution (coverage calendar of the ticket's priority, client pauses
  excluded) over the same tickets.
* **Percentiles**: p50/p90 of response (``first_response_at - opened_at``) and
  resolution times, wall clock and business, by the nearest-rank method: the p-th
  percentile of *n* sorted values is the value at rank ``ceil(p/100 * n)``.
* **Compliance per priority**: met/breached/pending and ``met / (met + breached)``
  from the SLA engine (:mod:`workbench.engine.simulate`), restricted to the cohort.
* **Breaches** and **credits owed**: breached metrics of the cohort, and the service
  credits those breaches earn under the contract's credit terms, month by month
  with their caps by the rule of :mod:`workbench.engine.credits`
  (UTC months of ``opened_at``); over the whole history the two agree.
* **Patch compliance**, **threats detected/resolved**: from the monthly
  :class:`~models.history.KpiSnapshot` rows whose month starts in the period (patch
  compliance is the mean of the months that report it; threats are summed).
* **Restore tests passed**: restore tests started in the period that succeeded
  (and, separately, that also finished within the RTO of their system).
* **Availability**: per uptime commitment of the contract, from the engine's
  :mod:`workbench.engine.recovery`, over the period.
* **Client-caused waiting time** (mutual accountability): wall-clock seconds the
  cohort's tickets spent in one of the contract's ``pause_statuses`` (a status holds
  from its ``at`` until the ticket's next status row, clipped to ``[opened_at,
  resolved_at)``, or to ``as_of`` while unresolved), and its share of the cohort's
  total open time.
* **Escalation routing**: among cohort tickets whose category names an incident type
  of the contract's escalation matrix (case-insensitive), the share handled by the
  matrix's team (a ticket team ``MSSP`` counts as ``SOC``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from models.contract import METRICS, PRIORITIES, Contract, parse_duration
from models.history import MISSING, History, KpiSnapshot, RestoreTest, StatusLog, TicketTable, to_epoch
from workbench.engine import recovery
from workbench.engine.credits import monthly_credits, outcome_counts, ticket_rules
from workbench.progress import ProgressCallback, report, scaled

TEAM_GROUPS: tuple[str, ...] = ("Helpdesk", "NOC", "SOC/MSSP", "Other", "Unassigned")
_TEAM_ALIASES = {
    "helpdesk": "Helpdesk",
    "help desk": "Helpdesk",
    "service desk": "Helpdesk",
    "servicedesk": "Helpdesk",
    "noc": "NOC",
    "soc": "SOC/MSSP",
    "mssp": "SOC/MSSP",
    "soc/mssp": "SOC/MSSP",
}

# Outcome codes of the per-ticket arrays (shared with compare).
MET, BREACHED, PENDING, NOT_APPLICABLE = 0, 1, 2, 3
OUTCOME_NAMES = ("met", "breached", "pending", "not_applicable")

B = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]


def epoch(value: datetime | int | float) -> int:
    """An aware datetime or epoch seconds -> int epoch seconds."""
    if isinstance(value, datetime):
        return to_epoch(value)
    return int(value)


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in epoch seconds."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} is not after its start {self.start}")

    @classmethod
    def of(cls, start: datetime | int, end: datetime | int) -> Period:
        return cls(epoch(start), epoch(end))

    def previous(self) -> Period:
        length = self.end - self.start
        return Period(self.start - length, self.start)

    def contains(self, t: I64) -> B:
        return (t >= self.start) & (t < self.end)


# --------------------------------------------------------------------------- engine


@dataclass(frozen=True, eq=False)
class Outcomes:
    """Per-ticket results of the SLA clock, one array per metric, aligned with the
    ticket table: business seconds to the event (``MISSING`` without an event),
    budget seconds (``MISSING`` when not applicable) and outcome codes."""

    business: dict[str, I64]
    budget: dict[str, I64]
    outcome: dict[str, I8]
    as_of: int

    def counts(self, metric: str, mask: B) -> dict[str, Any]:
        codes = self.outcome[metric][mask]
        met = int(np.count_nonzero(codes == MET))
        breached = int(np.count_nonzero(codes == BREACHED))
        pending = int(np.count_nonzero(codes == PENDING))
        done = met + breached
        return {
            "met": met,
            "breached": breached,
            "pending": pending,
            "compliance": None if done == 0 else round(met / done, 4),
        }


def simulate_outcomes(
    contract: Contract,
    tickets: TicketTable,
    status_log: StatusLog | None = None,
    as_of: int | None = None,
    progress: ProgressCallback | None = None,
) -> Outcomes:
    """The one call into the SLA engine (:func:`workbench.engine.simulate.simulate`)."""
    from workbench.engine.simulate import simulate

    result = simulate(contract, tickets, status_log, as_of=as_of, progress=progress)
    return outcomes_from_result(result)


def utc_month(t: I64) -> I64:
    """UTC calendar month number (year * 12 + month - 1) of epoch seconds, as the
    engine groups credits."""
    safe = np.where(t == MISSING, 0, t)
    return safe.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64) + 1970 * 12  # type: ignore[no-any-return]


def valid_tickets(t: TicketTable, as_of: int) -> B:
    """The tickets the engine counts: a known priority, an opening not after ``as_of``,
    and no event before the opening (bad data is reported by simulate, never counted)."""
    ok = (t.priority >= 0) & (t.priority < len(PRIORITIES)) & (t.opened != MISSING) & (t.opened <= as_of)
    for col in (t.first_response, t.resolved, t.closed):
        ok &= (col == MISSING) | (col >= t.opened)
    return ok  # type: ignore[no-any-return]


def outcomes_from_result(result: Any) -> Outcomes:
    """Adapt a :class:`workbench.engine.simulate.SimulationResult` to :class:`Outcomes`."""
    business: dict[str, I64] = {}
    budget: dict[str, I64] = {}
    outcome: dict[str, I8] = {}
    for metric in METRICS:
        m = result.metric(metric) if hasattr(result, "metric") else getattr(result, metric)
        business[metric] = np.asarray(m.business_seconds, dtype=np.int64)
        budget[metric] = np.asarray(m.budget_seconds, dtype=np.int64)
        outcome[metric] = np.asarray(m.outcome, dtype=np.int8)
    return Outcomes(business, budget, outcome, int(result.as_of_epoch))


# ------------------------------------------------------------------------- helpers


def nearest_rank(values: npt.NDArray[Any], p: float) -> float | None:
    """The p-th percentile by nearest rank (value at rank ``ceil(p/100 * n)``)."""
    n = len(values)
    if n == 0:
        return None
    rank = max(1, math.ceil(p / 100 * n))
    return float(np.partition(values, rank - 1)[rank - 1])


def _mean(values: npt.NDArray[Any]) -> float | None:
    return None if len(values) == 0 else float(values.mean())


def team_group(name: str | None) -> str:
    if name is None or not name.strip():
        return "Unassigned"
    return _TEAM_ALIASES.get(name.strip().lower(), "Other")


def _team_group_codes(tickets: TicketTable) -> npt.NDArray[np.int8]:
    """Per ticket: index into TEAM_GROUPS."""
    lut = np.array(
        [TEAM_GROUPS.index(team_group(n)) for n in tickets.team_names] + [TEAM_GROUPS.index("Unassigned")],
        dtype=np.int8,
    )
    codes = tickets.team.astype(np.int64)
    return lut[np.where(codes < 0, len(tickets.team_names), codes)]


def paused_seconds(
    tickets: TicketTable, status_log: StatusLog | None, pause_statuses: Sequence[str], as_of: int
) -> I64:
    """Per ticket: wall-clock seconds spent in a pause status, clipped to
    ``[opened_at, resolved_at or as_of)``."""
    out = np.zeros(len(tickets), dtype=np.int64)
    if status_log is None or len(status_log) == 0 or not pause_statuses:
        return out
    wanted = set(pause_statuses)
    paused_code = np.array([n in wanted for n in status_log.status_names] + [False], dtype=bool)
    codes = np.where(status_log.status < 0, len(status_log.status_names), status_log.status)
    # Only the rows in a pause status count: each lasts to the ticket's next row, else to its stop.
    rows = np.flatnonzero(paused_code[codes])
    if not len(rows):
        return out
    ticket, at = status_log.ticket, status_log.at
    t = ticket[rows]
    following = np.minimum(rows + 1, len(ticket) - 1)
    same_next = (rows + 1 < len(ticket)) & (ticket[following] == t)
    res = tickets.resolved[t]
    stop_ticket = np.where((res != MISSING) & (res <= as_of), res, as_of)
    seg_end = np.where(same_next, np.minimum(at[following], stop_ticket), stop_ticket)
    seg_start = np.maximum(at[rows], tickets.opened[t])
    np.add.at(out, t, np.clip(seg_end - seg_start, 0, None))
    return out


def _norm(s: str) -> str:
    return " ".join(s.strip().lower().split())


def _same_team(handled: str, expected: str) -> bool:
    h, e = team_group(handled), team_group(expected)
    return (h == e and h not in ("Other", "Unassigned")) or _norm(handled) == _norm(expected)


# --------------------------------------------------------------------------- result


@dataclass
class KpiSet:
    """The KPIs of one period (see the module docstring for each definition)."""

    start: int
    end: int
    tickets: int = 0
    tickets_by_priority: dict[str, int] = field(default_factory=dict)
    tickets_by_team: dict[str, int] = field(default_factory=dict)
    resolved: int = 0
    mttr_seconds: float | None = None
    mttr_business_seconds: float | None = None
    percentiles: dict[str, dict[str, float | None]] = field(default_factory=dict)
    compliance: dict[str, dict[str, Any]] = field(default_factory=dict)
    breaches: int | None = None
    credits: float | None = None
    credits_percent: float | None = None
    patch_compliance: float | None = None
    threats_detected: int | None = None
    threats_resolved: int | None = None
    restore_tests: int = 0
    restore_tests_passed: int = 0
    restore_tests_within_rto: int = 0
    availability: dict[str, float | None] = field(default_factory=dict)
    client_wait_seconds: int = 0
    client_wait_tickets: int = 0
    client_wait_share: float | None = None
    escalation_matched: int = 0
    escalation_routed: int = 0
    escalation_share: float | None = None
    escalation_misrouted: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class KpiReport:
    """The KPIs of a period and of the previous period of equal length."""

    contract_name: str
    contract_version: str
    current: KpiSet
    previous: KpiSet
    zone: ZoneInfo | None = None  # the zone dates are shown in
    # the context it was computed in (not part of the figures): the tickets behind each
    # figure are its masks (KpiContext.masks, workbench.analytics.drill)
    context: KpiContext | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": {"name": self.contract_name, "version": self.contract_version},
            "current": self.current.to_json(),
            "previous": self.previous.to_json(),
        }

    def rows(self) -> list[KpiRow]:
        """Headline figures, current beside previous, for tables (GUI, PDF)."""
        return headline_rows(self.current, self.previous)


@dataclass(frozen=True)
class KpiRow:
    label: str
    current: float | None
    previous: float | None
    unit: str  # "count", "seconds", "share", "currency"
    higher_is_better: bool | None

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def definition(self) -> str:
        """What the figure is, in a sentence a client can read (the module docstring
        gives the exact rule)."""
        return kpi_definition(self.label)


KPI_DEFINITIONS: dict[str, str] = {
    "Tickets": "Tickets opened in the period (tickets with impossible data are left out).",
    "MTTR (wall clock)": "Mean time to resolve: the average time from opening to resolution of the "
    "period's resolved tickets, counting every hour.",
    "MTTR (business)": "Mean time to resolve in the contract's covered hours only (each priority's "
    "calendar; time waiting for the client is left out).",
    "Response p90": "9 in 10 of the period's tickets had a first response within this time "
    "(wall clock).",
    "Resolution p90": "9 in 10 of the period's resolved tickets were resolved within this time "
    "(wall clock).",
    "Response compliance": "Share of the period's tickets whose first response met the contract's target: "
    "met ÷ (met + breached); tickets still open within their target are not counted.",
    "Resolution compliance": "Share of the period's tickets resolved within the contract's target: "
    "met ÷ (met + breached).",
    "Breaches": "Response and resolution targets missed by the period's tickets (a ticket can miss both).",
    "Credits owed": "Service credits the period's missed targets earn under the contract's credit terms, "
    "month by month, with their caps.",
    "Patch compliance": "Share of devices patched on time, as the provider's monthly reports give it "
    "(the mean of the period's months).",
    "Threats detected": "Security threats the provider's monthly reports count for the period.",
    "Threats resolved": "Security threats the provider's monthly reports count as resolved in the period.",
    "Restore tests passed": "Restore tests started in the period that succeeded.",
    "Client-caused waiting": "Time the period's tickets spent waiting for the client (the contract's "
    "pause statuses): the client's share of mutual accountability.",
    "Escalation routing": "Among tickets whose category is an incident type of the escalation matrix, "
    "the share handled by the team the matrix names (NOC, SOC, Helpdesk).",
}


def kpi_definition(label: str) -> str:
    """The definition of the KPI named ``label`` (see :data:`KPI_DEFINITIONS`)."""
    if label in KPI_DEFINITIONS:
        return KPI_DEFINITIONS[label]
    if label.startswith("Availability "):
        return (f"Share of the period's covered time that {label.removeprefix('Availability ')} was up, "
                "against the contract's uptime commitment (planned maintenance left out where the "
                "contract says so).")
    if label.endswith(" tickets"):
        return f"Tickets opened in the period: {label.removesuffix(' tickets')}."
    return ""


def _overall_compliance(k: KpiSet, metric: str) -> float | None:
    met = sum(v[metric]["met"] for v in k.compliance.values())
    br = sum(v[metric]["breached"] for v in k.compliance.values())
    return None if met + br == 0 else met / (met + br)


def headline_rows(cur: KpiSet, prev: KpiSet) -> list[KpiRow]:
    def row(label: str, get: Any, unit: str, better: bool | None) -> KpiRow:
        return KpiRow(label, get(cur), get(prev), unit, better)

    rows = [
        row("Tickets", lambda k: k.tickets, "count", None),
        *[row(f"{p} tickets", lambda k, p=p: k.tickets_by_priority.get(p, 0), "count", None)
          for p in PRIORITIES],
        *[row(f"{t} tickets", lambda k, t=t: k.tickets_by_team.get(t, 0), "count", None)
          for t in TEAM_GROUPS[:3]],
        row("MTTR (wall clock)", lambda k: k.mttr_seconds, "seconds", False),
        row("MTTR (business)", lambda k: k.mttr_business_seconds, "seconds", False),
        row("Response p90", lambda k: k.percentiles.get("response", {}).get("p90"), "seconds", False),
        row("Resolution p90", lambda k: k.percentiles.get("resolution", {}).get("p90"), "seconds", False),
        row("Response compliance", lambda k: _overall_compliance(k, "response"), "share", True),
        row("Resolution compliance", lambda k: _overall_compliance(k, "resolution"), "share", True),
        row("Breaches", lambda k: k.breaches, "count", False),
        row("Credits owed", lambda k: k.credits, "currency", None),
        row("Patch compliance", lambda k: k.patch_compliance, "share", True),
        row("Threats detected", lambda k: k.threats_detected, "count", None),
        row("Threats resolved", lambda k: k.threats_resolved, "count", True),
        row("Restore tests passed", lambda k: k.restore_tests_passed, "count", True),
        row("Client-caused waiting", lambda k: k.client_wait_seconds, "seconds", None),
        row("Escalation routing", lambda k: k.escalation_share, "share", True),
    ]
    for svc in sorted(set(cur.availability) | set(prev.availability)):
        rows.append(row(f"Availability {svc}", lambda k, s=svc: k.availability.get(s), "share", True))
    return rows


# ---------------------------------------------------------------------- computation


class KpiContext:
    """Everything period-independent, computed once: the simulation, pause times,
    team groups, escalation expectations.  :meth:`kpis` is then cheap per period,
    which is what the monthly trends rely on."""

    def __init__(
        self,
        contract: Contract,
        history: History,
        as_of: int | None = None,
        outcomes: Outcomes | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.contract = contract
        self.history = history
        t = history.tickets
        self.tickets = t
        latest = history.latest_instant()
        self.as_of = int(as_of) if as_of is not None else latest
        report(progress, 0.0, "simulating the SLA clock")
        if outcomes is None and len(t):
            outcomes = simulate_outcomes(
                contract, t, history.status_log, as_of=self.as_of, progress=scaled(progress, 0, 0.9)
            )
        self.outcomes = outcomes
        report(progress, 0.9, "pause times and routing")
        self.team_group = _team_group_codes(t)
        self.paused = paused_seconds(t, history.status_log, contract.pause_statuses, self.as_of)
        stop = np.where((t.resolved != MISSING) & (t.resolved <= self.as_of), t.resolved, self.as_of)
        self.open_seconds = np.clip(stop - t.opened, 0, None)
        self.zone = report_zone(contract)
        self.month_index = utc_month(t.opened)
        self.valid = valid_tickets(t, self.as_of)
        self.resolved_mask = (t.resolved != MISSING) & (t.resolved <= self.as_of)
        self.responded_mask = (t.first_response != MISSING) & (t.first_response <= self.as_of)
        self._routing_setup()
        report(progress, 1.0, "")

    def _routing_setup(self) -> None:
        t = self.tickets
        matrix = {_norm(r.incident_type): r.team for r in self.contract.escalation_matrix}
        cat_expected = [matrix.get(_norm(n)) for n in t.category_names]
        self.routing_categories = cat_expected
        exp_code = np.array([i if e is not None else -1 for i, e in enumerate(cat_expected)] + [-1])
        cats = np.where(t.category < 0, len(t.category_names), t.category)
        self.route_category = exp_code[cats]  # category index when it is in the matrix, else -1
        ok = np.zeros((max(len(t.category_names), 1), len(t.team_names) + 1), dtype=bool)
        for ci, e in enumerate(cat_expected):
            if e is None:
                continue
            for ti, name in enumerate(t.team_names):
                ok[ci, ti] = _same_team(name, e)
        teams = np.where(t.team < 0, len(t.team_names), t.team)
        self.route_ok = np.zeros(len(t), dtype=bool)
        m = self.route_category >= 0
        self.route_ok[m] = ok[self.route_category[m], teams[m]]

    # ------------------------------------------------------------------ per period

    def masks(self, period: Period) -> KpiMasks:
        """The tickets each KPI of ``period`` counts, as masks over the ticket table: the
        one rule :meth:`kpis` counts by and a drill-down lists
        (:mod:`workbench.analytics.drill`)."""
        return KpiMasks(self, period)

    def kpis(self, period: Period) -> KpiSet:
        t = self.tickets
        k = KpiSet(start=period.start, end=period.end)
        masks = self.masks(period)
        cohort = masks.cohort
        k.tickets = int(cohort.sum())
        prio = t.priority[cohort]
        k.tickets_by_priority = {
            p: int(np.count_nonzero(prio == i)) for i, p in enumerate(PRIORITIES)
        }
        groups = np.bincount(self.team_group[cohort], minlength=len(TEAM_GROUPS))
        k.tickets_by_team = {g: int(groups[i]) for i, g in enumerate(TEAM_GROUPS)}

        resolved = masks.resolved
        responded = masks.responded
        k.resolved = int(resolved.sum())
        wall_res = (t.resolved[resolved] - t.opened[resolved]).astype(np.float64)
        wall_resp = (t.first_response[responded] - t.opened[responded]).astype(np.float64)
        k.mttr_seconds = _mean(wall_res)
        pct: dict[str, dict[str, float | None]] = {
            "response": {"p50": nearest_rank(wall_resp, 50), "p90": nearest_rank(wall_resp, 90)},
            "resolution": {"p50": nearest_rank(wall_res, 50), "p90": nearest_rank(wall_res, 90)},
        }
        o = self.outcomes
        if o is not None:
            bus_res = o.business["resolution"][masks.business_resolved()].astype(np.float64)
            bus_resp = self._business(o, "response", responded)
            k.mttr_business_seconds = _mean(bus_res)
            pct["response_business"] = {"p50": nearest_rank(bus_resp, 50), "p90": nearest_rank(bus_resp, 90)}
            pct["resolution_business"] = {"p50": nearest_rank(bus_res, 50), "p90": nearest_rank(bus_res, 90)}
            k.compliance = {}
            breaches = 0
            for p in PRIORITIES:
                pm = masks.priority(p)
                if not pm.any():
                    continue
                k.compliance[p] = {"tickets": int(pm.sum())}
                for metric in METRICS:
                    c = o.counts(metric, pm)
                    k.compliance[p][metric] = c
                    breaches += c["breached"]
            k.breaches = breaches
            k.credits_percent, k.credits = credits_owed(
                self.contract, o, t.priority, self.month_index, cohort
            )
        k.percentiles = pct

        self._snapshots(k, period)
        self._restore_tests(k, period)
        k.availability = availability(self.contract, self.history, period)

        k.client_wait_seconds = int(self.paused[cohort].sum())
        k.client_wait_tickets = int(masks.waiting.sum())
        open_total = int(self.open_seconds[cohort].sum())
        k.client_wait_share = None if open_total == 0 else k.client_wait_seconds / open_total

        matched = masks.routing
        k.escalation_matched = int(matched.sum())
        k.escalation_routed = int((matched & self.route_ok).sum())
        k.escalation_share = (
            None if k.escalation_matched == 0 else k.escalation_routed / k.escalation_matched
        )
        mis = matched & ~self.route_ok
        if mis.any():
            counts = np.bincount(self.route_category[mis], minlength=len(t.category_names))
            k.escalation_misrouted = {
                t.category_names[i]: int(c) for i, c in enumerate(counts) if c
            }
        return k

    @staticmethod
    def _business(o: Outcomes, metric: str, mask: B) -> npt.NDArray[np.float64]:
        b = o.business[metric][mask]
        return b[(b >= 0) & (b != MISSING)].astype(np.float64)

    def _snapshots(self, k: KpiSet, period: Period) -> None:
        snaps = [s for s in self.history.kpis if period.start <= _month_epoch(s, self.contract) < period.end]
        patch = [s.patch_compliance for s in snaps if s.patch_compliance is not None]
        k.patch_compliance = None if not patch else float(np.mean(patch))
        det = [s.threats_detected for s in snaps if s.threats_detected is not None]
        res = [s.threats_resolved for s in snaps if s.threats_resolved is not None]
        k.threats_detected = sum(det) if det else None
        k.threats_resolved = sum(res) if res else None

    def _restore_tests(self, k: KpiSet, period: Period) -> None:
        rto = {s.name: parse_duration(s.rto) for s in self.contract.backup.systems}
        tests: list[RestoreTest] = [
            r for r in self.history.restore_tests if period.start <= to_epoch(r.started_at) < period.end
        ]
        k.restore_tests = len(tests)
        k.restore_tests_passed = sum(1 for r in tests if r.success)
        k.restore_tests_within_rto = sum(
            1
            for r in tests
            if r.success
            and r.system in rto
            and (r.finished_at - r.started_at).total_seconds() <= rto[r.system]
        )

    def report(
        self, start: datetime | int, end: datetime | int, previous: tuple[int, int] | None = None
    ) -> KpiReport:
        """The KPIs of ``[start, end)`` beside those of ``previous`` (``[start, end)`` of
        the period to compare with, e.g. the previous calendar quarter); by default the
        period of equal length just before."""
        period = Period.of(start, end)
        before = Period.of(*previous) if previous is not None else period.previous()
        return KpiReport(
            self.contract.name,
            self.contract.version,
            current=self.kpis(period),
            previous=self.kpis(before),
            zone=self.zone,
            context=self,
        )


class KpiMasks:
    """Per KPI of one period, the tickets it counts (boolean masks over the ticket table,
    computed when asked).  :meth:`KpiContext.kpis` counts by these masks, so a list of
    the tickets behind a figure is the figure's own set."""

    def __init__(self, ctx: KpiContext, period: Period) -> None:
        self.ctx = ctx
        self.period = period
        t = ctx.tickets
        self.cohort: B = period.contains(t.opened) & ctx.valid  # opened in the period, counted
        self.resolved: B = self.cohort & ctx.resolved_mask  # MTTR, resolution percentiles
        self.responded: B = self.cohort & ctx.responded_mask  # response percentiles

    def priority(self, p: str) -> B:
        """The cohort's tickets of priority ``p``."""
        return self.cohort & (self.ctx.tickets.priority == PRIORITIES.index(p))  # type: ignore[no-any-return]

    def team(self, group: str) -> B:
        """The cohort's tickets of a team group of :data:`TEAM_GROUPS`."""
        return self.cohort & (self.ctx.team_group == TEAM_GROUPS.index(group))  # type: ignore[no-any-return]

    def outcome(self, metric: str, codes: Sequence[int], p: str | None = None) -> B:
        """The cohort's tickets (of priority ``p``) whose ``metric`` has one of ``codes``
        (empty without the engine's outcomes)."""
        o = self.ctx.outcomes
        base = self.cohort if p is None else self.priority(p)
        if o is None:
            return np.zeros_like(base)
        return base & np.isin(o.outcome[metric], np.asarray(codes, dtype=np.int8))  # type: ignore[no-any-return]

    def compliance(self, metric: str, p: str | None = None) -> B:
        """The tickets a compliance figure divides by: met or breached (met ÷ (met + breached))."""
        return self.outcome(metric, (MET, BREACHED), p)

    def breached(self) -> B:
        """Tickets with a breached response or resolution (a ticket can miss both)."""
        return self.outcome(METRICS[0], (BREACHED,)) | self.outcome(METRICS[1], (BREACHED,))

    def business_resolved(self) -> B:
        """Resolved tickets with business seconds of resolution (MTTR in covered hours)."""
        o = self.ctx.outcomes
        if o is None:
            return np.zeros_like(self.resolved)
        b = o.business["resolution"]
        return self.resolved & (b >= 0) & (b != MISSING)  # type: ignore[no-any-return]

    @property
    def waiting(self) -> B:
        """Tickets that spent time in one of the contract's pause statuses."""
        return self.cohort & (self.ctx.paused > 0)  # type: ignore[no-any-return]

    @property
    def routing(self) -> B:
        """Tickets whose category is an incident type of the escalation matrix."""
        return self.cohort & (self.ctx.route_category >= 0)  # type: ignore[no-any-return]


def report_zone(contract: Contract) -> ZoneInfo:
    """The zone in which months start: the zone of the P1 resolution calendar, else of
    the contract's first calendar, else UTC."""
    name = contract.calendar_name("P1", "resolution")
    if name in contract.calendars:
        return ZoneInfo(contract.calendars[name].timezone)  # type: ignore[index]
    if contract.calendars:
        return ZoneInfo(next(iter(contract.calendars.values())).timezone)
    return ZoneInfo("UTC")


def month_start(d: date, zone: ZoneInfo) -> int:
    """Local midnight of the first day of ``d``'s month, as epoch seconds."""
    return int(datetime(d.year, d.month, 1, tzinfo=zone).timestamp())


def month_starts(first: int, last: int, zone: ZoneInfo) -> list[int]:
    """Local month starts from the month holding ``first`` through the month after the
    one holding ``last`` (so consecutive pairs are the months' half-open bounds)."""
    d = datetime.fromtimestamp(first, zone).date().replace(day=1)
    end = datetime.fromtimestamp(last, zone).date()
    out = [month_start(d, zone)]
    while True:
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        out.append(month_start(d, zone))
        if d > end:
            return out


def _month_epoch(s: KpiSnapshot, contract: Contract) -> int:
    return month_start(s.month, report_zone(contract))


def credits_owed(
    contract: Contract, o: Outcomes, priority: I8, month: I64, mask: B
) -> tuple[float, float | None]:
    """Service credits earned by the masked tickets' breaches, month by month, under the
    rule of :func:`workbench.engine.credits.monthly_credits` (a ticket's breach falls in
    the month it was opened: ``month`` holds a month index per ticket).  Returns (sum of
    monthly percentages of the fee, amount in the contract's currency or None without a
    fee); the amount is the summed percentage of the fee, rounded once.
    """
    if not ticket_rules(contract) or not mask.any():
        return 0.0, (0.0 if contract.monthly_fee is not None else None)
    _first, met, breached = outcome_counts(
        {m: o.outcome[m][mask] for m in METRICS}, priority[mask], month[mask]
    )
    percent = float(monthly_credits(contract, met, breached).percent.sum())
    amount = None if contract.monthly_fee is None else round(percent / 100 * contract.monthly_fee, 2)
    return round(percent, 4), amount


def availability(contract: Contract, history: History, period: Period) -> dict[str, float | None]:
    """Availability per uptime commitment over the period, from :mod:`workbench.engine.recovery`."""
    if not contract.uptime:
        return {}
    out: dict[str, float | None] = {}
    for u in contract.uptime:
        out[u.service] = recovery.availability(
            contract, u, history.outages, period.start, period.end
        )
    return out


def kpi_report(
    contract: Contract,
    history: History,
    start: datetime | int,
    end: datetime | int,
    as_of: int | None = None,
    progress: ProgressCallback | None = None,
    previous: tuple[int, int] | None = None,
) -> KpiReport:
    """KPIs of ``[start, end)`` and of ``previous`` (by default the period of equal
    length just before)."""
    return KpiContext(contract, history, as_of=as_of, progress=progress).report(start, end, previous)
