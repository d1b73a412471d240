"""Audit of the provider's own SLA verdicts (``provider_sla_met``) against our clock.

Two questions, for the tickets that carry the provider tool's flag (ServiceNow
``made_sla``, a Jira "SLA met" column, Zendesk/osTicket breach flags):

1. **Agreement under the contract.**  Our verdict for a ticket is *breached* when
   any metric with a target is breached under the contract (spec/sla-clock.md),
   *met* when every metric with a target is met, and *undecided* otherwise (a
   metric still pending, or no target).  Agreement = tickets where our verdict
   equals the flag / all flagged tickets (undecided tickets count as not agreeing,
   and are reported).  Per priority, with the disagreeing tickets.

   Open tickets (neither resolved nor closed by ``as_of``) are left out of both
   questions and counted apart (``open_tickets``): the provider's flag on a ticket
   still running is provisional.  Cancelled tickets (``TicketTable.cancelled``) are
   left out too (``cancelled_tickets``): the tool cancelled their SLAs.

2. **The clock that best reproduces the flags.**  For each metric (response =
   opened -> first response, resolution = opened -> resolved, closure = opened ->
   closed), each calendar (24x7, and every business window in hour steps: each start
   from 00:00 to 23:00 and each length up to midnight, 300 windows, on the weekday sets
   of common contracts: Mon-Fri, Mon-Sat, every day), in each zone that may be the
   provider's (the contract's business zone, the data's own zone as the import read
   it, and UTC), with and without the contract's pause statuses, and for each
   priority separately, the threshold that maximises agreement is found exactly:
   sort the elapsed business seconds, and the number of agreeing tickets for "met
   iff elapsed <= T" is a prefix count (ties are kept together); the roundest
   duration inside the best interval is reported.  Tickets without the metric's
   event count as not agreeing, so the candidates are ranked on the same
   denominator.  Vectorised: per metric, priority, zone and pause rule each ticket's
   business seconds in every local hour of the week are found once (one calendar per
   hour, exact across summer-time changes); a window's elapsed times are sums of those
   hours, and each window's best threshold comes from one sort.

   The trivial rules "always met" and "never met" are reported beside it
   (``baselines``), and take the place of the best explanation when no clock agrees
   more (a tie goes to the trivial rule: such a clock explains nothing).

Elapsed times come from :class:`workbench.engine.simulate.Engine` (the engine's clock).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from models.contract import LITERAL_24X7, PRIORITIES, CalendarSpec, Contract
from models.history import MISSING, UNRECORDED_BITS, StatusLog, TicketTable
from workbench.progress import ProgressCallback, report, scaled

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

AUDIT_METRICS = ("response", "resolution", "closure")
START_HOURS = tuple(range(24))  # windows start on every hour and last every whole number of hours
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_SETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Mon-Fri", ("mon", "tue", "wed", "thu", "fri")),
    ("Mon-Sat", ("mon", "tue", "wed", "thu", "fri", "sat")),
    ("Mon-Sun", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
)
ALWAYS_MET = "always met"
TRIVIAL = "trivial rule"
MAX_LISTED = 50


# ------------------------------------------------------------------ helpers


def subset(tickets: TicketTable, log: StatusLog | None, mask: Bool) -> tuple[TicketTable, StatusLog]:
    """The tickets where ``mask`` holds, with their status rows re-indexed."""
    idx = np.flatnonzero(mask)
    t = TicketTable(
        ids=tickets.ids[idx], priority=tickets.priority[idx], opened=tickets.opened[idx],
        first_response=tickets.first_response[idx], resolved=tickets.resolved[idx],
        closed=tickets.closed[idx], category=tickets.category[idx], category_names=tickets.category_names,
        team=tickets.team[idx], team_names=tickets.team_names, provider_sla_met=tickets.provider_sla_met[idx],
        unrecorded=tickets.unrecorded[idx], cancelled=tickets.cancelled[idx],
    )
    if log is None or len(log) == 0:
        return t, StatusLog.empty()
    remap = np.full(len(tickets), -1, np.int64)
    remap[idx] = np.arange(len(idx))
    keep = remap[log.ticket] >= 0
    return t, StatusLog(remap[log.ticket[keep]], log.at[keep], log.status[keep], log.status_names)


def _closure_as_resolution(t: TicketTable) -> TicketTable:
    return TicketTable(
        ids=t.ids, priority=t.priority, opened=t.opened, first_response=t.first_response, resolved=t.closed,
        closed=t.closed, category=t.category, category_names=t.category_names, team=t.team,
        team_names=t.team_names, provider_sla_met=t.provider_sla_met,
        unrecorded=t.unrecorded & ~UNRECORDED_BITS["resolution"],  # closures stand for resolutions
        cancelled=t.cancelled,
    )


NEVER_MET = "never met"
CHUNK = 64  # candidates scored together: small enough to stay in cache


def format_duration(seconds: int) -> str:
    s = max(int(seconds), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s % size == 0 and s >= size:
            return f"{s // size}{unit}"
    if s % 60 == 0:
        return "0m"
    return f"{s}s"


def _roundest(lo: int, hi: int | None) -> int:
    """The roundest duration T with lo <= T < hi (hi None: unbounded)."""
    for step in (86400, 14400, 3600, 1800, 900, 300, 60, 1):
        t = -(-lo // step) * step  # ceil to step
        if hi is None or t < hi:
            return int(t)
    return int(lo)


def best_threshold(elapsed: I64, met: Bool) -> tuple[int, int]:
    """Threshold T maximising #(met & elapsed <= T) + #(~met & elapsed > T); returns (T, agreeing).

    T is -1 when the best reading is that nothing met the target (every ticket counted as
    breached), which :data:`NEVER_MET` names in an explanation's targets."""
    n = len(elapsed)
    if n == 0:
        return 0, 0
    order = np.argsort(elapsed, kind="stable")
    e = elapsed[order]
    m = met[order]
    cum_met = np.r_[0, np.cumsum(m)]
    cum_not = np.r_[0, np.cumsum(~m)]
    total_not = int(cum_not[-1])
    k = np.arange(n + 1)
    agree = cum_met[k] + (total_not - cum_not[k])
    # only split between different values: T in [e[k-1], e[k])
    valid = np.ones(n + 1, bool)
    valid[1:n] = e[1:] != e[:-1]
    agree = np.where(valid, agree, -1)
    best = int(np.argmax(agree))
    if best == 0:  # the flags are best read as "no ticket met any target": T=-1 (never met)
        t = -1
    else:
        t = _roundest(int(e[best - 1]), int(e[best]) if best < n else None)
    return t, int(agree[best])


# ------------------------------------------------------------------ results


@dataclass
class PriorityAgreement:
    tickets: int
    agreeing: int
    undecided: int
    disagreeing: list[dict[str, Any]] = field(default_factory=list)

    @property
    def agreement(self) -> float | None:
        return None if self.tickets == 0 else self.agreeing / self.tickets

    def to_json(self) -> dict[str, Any]:
        return {"tickets": self.tickets, "agreement": _r(self.agreement), "undecided": self.undecided,
                "disagreeing_count": self.tickets - self.agreeing - self.undecided,
                "disagreeing": self.disagreeing[:MAX_LISTED]}


@dataclass
class Explanation:
    metric: str
    calendar: str  # "24x7" or "Mon-Fri 08:00-17:00 <zone>"
    pauses: bool
    targets: dict[str, str]
    agreeing: int
    tickets: int
    per_priority: dict[str, float | None]

    @property
    def agreement(self) -> float:
        return 0.0 if self.tickets == 0 else self.agreeing / self.tickets

    @property
    def targets_rule(self) -> str:
        """A trivial rule's name ("always met"/"never met"), else the metric."""
        return next(iter(self.targets.values())) if self.metric == TRIVIAL and self.targets else self.metric

    def to_json(self) -> dict[str, Any]:
        return {"metric": self.metric, "calendar": self.calendar, "pauses": self.pauses,
                "targets": dict(self.targets), "agreement": _r(self.agreement),
                "agreement_by_priority": {p: _r(v) for p, v in self.per_priority.items()}}


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


@dataclass
class AuditResult:
    tickets_with_flag: int
    provider_met: int
    contract_name: str | None = None
    by_priority: dict[str, PriorityAgreement] = field(default_factory=dict)
    best: Explanation | None = None
    candidates: list[Explanation] = field(default_factory=list)
    open_tickets: int = 0
    baselines: list[Explanation] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)
    cancelled_tickets: int = 0  # flagged tickets the tool cancelled: left out of both questions

    @property
    def audited(self) -> int:
        """The flagged tickets compared: those no longer open."""
        return self.tickets_with_flag - self.open_tickets

    @property
    def agreement_under_contract(self) -> float | None:
        if not self.by_priority or self.audited <= 0:
            return None
        return sum(p.agreeing for p in self.by_priority.values()) / self.audited

    def to_json(self) -> dict[str, Any]:
        return {
            "tickets_with_flag": self.tickets_with_flag,
            "provider_met": self.provider_met,
            "contract": self.contract_name,
            "agreement_under_contract": _r(self.agreement_under_contract),
            "by_priority": {p: a.to_json() for p, a in self.by_priority.items()},
            "best_explanation": None if self.best is None else self.best.to_json(),
            "runners_up": [c.to_json() for c in self.candidates[1:6]],
            "open_tickets": self.open_tickets,
            "baselines": {b.targets_rule: _r(b.agreement) for b in self.baselines},
            "zones_searched": list(self.zones),
        } | ({"cancelled_tickets": self.cancelled_tickets} if self.cancelled_tickets else {})


# ------------------------------------------------------------------ audit


def agreement_under_contract(
    contract: Contract, tickets: TicketTable, log: StatusLog | None, as_of: int | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, PriorityAgreement]:
    """Per priority: our verdict under ``contract`` versus the provider's flag (flagged tickets only)."""
    from workbench.engine.clock import BREACHED, MET, NOT_APPLICABLE
    from workbench.engine.simulate import simulate

    res = simulate(contract, tickets, log, as_of, progress)
    n = len(tickets)
    any_breach = np.zeros(n, bool)
    all_met = np.ones(n, bool)
    any_target = np.zeros(n, bool)
    detail: dict[str, I64] = {}
    for metric in ("response", "resolution"):
        arr = res.metric(metric)
        oc = arr.outcome
        applicable = oc != NOT_APPLICABLE
        any_target |= applicable & (oc >= 0)
        any_breach |= oc == BREACHED
        all_met &= (oc == MET) | ~applicable
        detail[metric] = arr.business_seconds
    ours_met = all_met & any_target & ~any_breach
    decided = any_breach | ours_met
    flag = tickets.provider_sla_met == 1
    out: dict[str, PriorityAgreement] = {}
    for p, pname in enumerate(PRIORITIES):
        sel = np.flatnonzero(tickets.priority == p)
        if len(sel) == 0:
            continue
        agree = decided[sel] & (ours_met[sel] == flag[sel])
        dis = sel[decided[sel] & ~agree]
        rows = [{"id": str(tickets.ids[i]), "provider_sla_met": bool(flag[i]),
                 "ours": "met" if ours_met[i] else "breached",
                 "response_seconds": _sec(detail["response"][i]),
                 "resolution_seconds": _sec(detail["resolution"][i])} for i in dis[:MAX_LISTED].tolist()]
        out[pname] = PriorityAgreement(len(sel), int(agree.sum()), int((~decided[sel]).sum()), rows)
    return out


def _sec(v: Any) -> int | None:
    return None if int(v) < 0 else int(v)


def candidate_windows() -> list[tuple[int, int]]:
    """Every business window in hour steps, (start hour, length in hours): 00:00-01:00 … 00:00-24:00,
    01:00-02:00 …, 23:00-24:00 (a window does not cross midnight)."""
    return [(h, n) for h in START_HOURS for n in range(1, 25 - h)]


def window_name(days_name: str, start: int, length: int, zone: str) -> str:
    return f"{days_name} {start:02d}:00-{start + length:02d}:00 {zone}"


def candidate_calendars(zones: str | list[str]) -> list[tuple[str, CalendarSpec | str]]:
    """24x7, then every searched business window in each zone (the calendars the search scores)."""
    out: list[tuple[str, CalendarSpec | str]] = [(LITERAL_24X7, LITERAL_24X7)]
    for zone in [zones] if isinstance(zones, str) else zones:
        for days_name, days in WEEKDAY_SETS:
            for h, n in candidate_windows():
                w = f"{h:02d}:00-{h + n:02d}:00"
                out.append((window_name(days_name, h, n, zone), CalendarSpec(timezone=zone,
                                                                           weekly={d: (w,) for d in days})))
    return out


def trivial_baselines(tickets: TicketTable) -> list[Explanation]:
    """"Always met" and "never met" over the same tickets as the candidates."""
    flag = tickets.provider_sla_met == 1
    out = []
    for rule, agrees in ((ALWAYS_MET, flag), (NEVER_MET, ~flag)):
        per: dict[str, float | None] = {}
        targets: dict[str, str] = {}
        for p, pname in enumerate(PRIORITIES):
            sel = tickets.priority == p
            if sel.any():
                per[pname] = float(agrees[sel].mean())
                targets[pname] = rule
        out.append(Explanation(TRIVIAL, "none", False, targets, int(agrees.sum()), len(tickets), per))
    return out


def _roundest_many(lo: I64, hi: I64) -> I64:
    """:func:`_roundest` of each (lo, hi) pair; hi < 0 is unbounded."""
    out = lo.copy()
    done = np.zeros(len(lo), bool)
    for step in (86400, 14400, 3600, 1800, 900, 300, 60, 1):
        t = -(-lo // step) * step
        ok = ~done & ((hi < 0) | (t < hi))
        out[ok] = t[ok]
        done |= ok
    return out


def best_thresholds(elapsed: I64, met: Bool) -> tuple[I64, I64]:
    """:func:`best_threshold` for each row of ``elapsed`` (candidates x tickets) at once: the
    thresholds (-1: never met) and the agreeing counts.  Elapsed times beyond 2**30 seconds
    (34 years) are taken as equal."""
    return _best_of_chunks(met, (elapsed[a:a + CHUNK] for a in range(0, len(elapsed), CHUNK)),
                           len(elapsed))


def _best_of_chunks(met: Bool, chunks: Iterable[I64], k_rows: int) -> tuple[I64, I64]:
    """:func:`best_thresholds` over candidates given as consecutive chunks of rows."""
    n = len(met)
    if n == 0:
        return np.zeros(k_rows, np.int64), np.zeros(k_rows, np.int64)
    breached = (~met).astype(np.int32)
    total_not = int(breached.sum())
    split = np.arange(1, n + 1, dtype=np.int32)
    ts: list[I64] = []
    agreeing: list[I64] = []
    for chunk in chunks:
        # one sort per candidate of elapsed*2 + breached: ties stay together, each carries its flag
        key = np.minimum(chunk, 2**30 - 1).astype(np.int32) * 2 + breached
        key.sort(axis=1)
        e = key >> 1
        # agreeing with the first k tickets met = 2 * met among them - k + total_not (k = 1..n)
        score = 2 * np.cumsum(1 - (key & 1), axis=1, dtype=np.int32) - split
        score[:, :-1][e[:, 1:] == e[:, :-1]] = np.iinfo(np.int32).min  # splits only between values
        k = np.argmax(score, axis=1)
        rows = np.arange(len(key))
        best = score[rows, k]
        never = best <= 0  # k = 0 (no ticket met) agrees total_not; ties go to it
        lo = e[rows, k].astype(np.int64)
        hi = np.where(k + 1 < n, e[rows, np.minimum(k + 1, n - 1)], -1).astype(np.int64)
        ts.append(np.where(never, -1, _roundest_many(lo, hi)))
        agreeing.append(total_not + np.where(never, 0, best).astype(np.int64))
    return np.concatenate(ts), np.concatenate(agreeing)


def _slot_calendars(zone: str, lo: int, hi: int) -> list[Any]:
    """The 168 calendars of one local hour of the week each (Monday 00:00-01:00 first)."""
    from workbench.engine.calendar import compile_calendar

    return [compile_calendar(CalendarSpec(timezone=zone, weekly={day: (f"{h:02d}:00-{h + 1:02d}:00",)}),
                             lo, hi, table=False) for day in DAYS for h in range(24)]


def _slot_seconds(eng: Any, p: int, metric: str, cals: list[Any], pauses: tuple[str, ...]) -> I64:
    """Per ticket of priority group ``p``: the business seconds from its opening to the metric's end
    (less its pauses) that fall in each local hour of the week of ``cals`` (tickets x 168).  Any
    calendar of weekly whole-hour windows in that zone without holidays gives a ticket's elapsed
    time as the sum of its hours (DST-exact: each hour is its own calendar).  Shape: 168 x tickets."""
    opened = eng.opened[p]
    end = eng.ends[p][metric][0]
    pk = np.empty(0, np.int64)
    if pauses:
        pi = eng.pauses(pauses)[p]
        ps = np.maximum(pi.start, opened[pi.ticket])
        pe = np.minimum(pi.end, end[pi.ticket])
        keep = pe > ps
        pk, ps, pe = pi.ticket[keep], ps[keep], pe[keep]
    out = np.empty((len(cals), len(opened)), np.int64)
    for j, cal in enumerate(cals):
        col = cal.covered_before_in_span(end) - cal.covered_before_in_span(opened)
        if len(pk):
            paused = cal.covered_before_in_span(pe) - cal.covered_before_in_span(ps)
            col -= np.bincount(pk, weights=paused, minlength=len(opened)).astype(np.int64)
        out[j] = col
    return out


def _window_results(slots: I64, met: Bool) -> list[tuple[I64, I64]]:
    """Per weekday set (in :data:`WEEKDAY_SETS` order): the best thresholds and agreement of every
    :func:`candidate_windows` window, from the hour-of-week seconds of :func:`_slot_seconds`
    (168 x tickets); a window's elapsed times are differences of cumulative hours, built a chunk
    of windows at a time."""
    m = slots.shape[1]
    cum = np.zeros((7, 25, m), np.int64)
    np.cumsum(slots.reshape(7, 24, m), axis=1, out=cum[:, 1:, :])
    wins = candidate_windows()
    first = np.array([h for h, _ in wins])
    last = np.array([h + n for h, n in wins])
    out = []
    for _, days in WEEKDAY_SETS:
        per_day = cum[[DAYS.index(d) for d in days]].sum(axis=0)  # 25 x tickets
        chunks = (per_day[last[a:a + CHUNK]] - per_day[first[a:a + CHUNK]]
                  for a in range(0, len(wins), CHUNK))
        out.append(_best_of_chunks(met, chunks, len(wins)))
    return out


def _concat_results(parts: list[tuple[I64, I64]]) -> tuple[I64, I64]:
    return np.concatenate([t for t, _ in parts]), np.concatenate([a for _, a in parts])


def best_explanations(
    tickets: TicketTable, log: StatusLog | None, pause_statuses: tuple[str, ...] = (),
    zone: str | list[str] = "UTC", as_of: int | None = None, progress: ProgressCallback | None = None,
) -> list[Explanation]:
    """Every (metric, calendar, pauses) candidate of :func:`candidate_calendars` with its best
    per-priority targets, best first.  Vectorised: per metric, priority, zone and pause rule the
    tickets' seconds in each local hour of the week are found once; every window's elapsed times
    are sums of those hours, and every window's best threshold comes from one sort."""
    from workbench.engine.simulate import Engine

    engines = {"response": Engine(tickets, log, as_of), "resolution": None, "closure": None}
    engines["resolution"] = engines["response"]
    engines["closure"] = Engine(_closure_as_resolution(tickets), log, as_of)
    flag_all = tickets.provider_sla_met == 1
    total = len(tickets)
    zones = [zone] if isinstance(zone, str) else list(zone)
    pause_opts: list[tuple[str, ...]] = [()]
    if pause_statuses:
        pause_opts.append(tuple(sorted(set(pause_statuses))))
    slot_cals: dict[tuple[str, int, int], list[Any]] = {}
    wins = candidate_windows()
    names = [LITERAL_24X7] + [window_name(dn, h, n, z) for z in zones for dn, _ in WEEKDAY_SETS
                              for h, n in wins]
    out: list[Explanation] = []
    steps = len(AUDIT_METRICS) * len(pause_opts) * len(PRIORITIES)
    k = 0
    for metric in AUDIT_METRICS:
        eng = engines[metric]
        assert eng is not None
        em = "response" if metric == "response" else "resolution"
        for pauses in pause_opts:
            # per priority: (thresholds, agreeing) of every candidate, in the order of ``names``
            found: dict[str, tuple[I64, I64]] = {}
            group_sizes: dict[str, int] = {}
            for p, pname in enumerate(PRIORITIES):
                report(progress, k / steps, f"{metric}, {pname}")
                k += 1
                idx = eng.group_index[p]
                if len(idx) == 0:
                    continue
                has = eng.ends[p][em][1]
                met = flag_all[idx][has]
                always = eng.elapsed(p, em, LITERAL_24X7, pauses).business[has]
                parts = [best_thresholds(always[None, :], met)]
                for z in zones:
                    cals = slot_cals.get((z, eng.lo, eng.hi))
                    if cals is None:
                        cals = slot_cals[(z, eng.lo, eng.hi)] = _slot_calendars(z, eng.lo, eng.hi)
                    parts += _window_results(_slot_seconds(eng, p, em, cals, pauses)[:, has], met)
                found[pname] = _concat_results(parts)
                group_sizes[pname] = len(idx)
            lists = {pn: (t.tolist(), a.tolist()) for pn, (t, a) in found.items()}
            for c, cal_name in enumerate(names):
                targets = {pn: NEVER_MET if t[c] < 0 else format_duration(t[c])
                           for pn, (t, _) in lists.items()}
                per: dict[str, float | None] = {pn: a[c] / group_sizes[pn] for pn, (_, a) in lists.items()}
                agreeing = sum(a[c] for _, a in lists.values())
                out.append(Explanation(metric, cal_name, bool(pauses), targets, agreeing, total, per))
    out.sort(key=lambda x: (-x.agreeing, AUDIT_METRICS.index(x.metric), x.pauses))
    report(progress, 1.0, "searched")
    return out


def audit(
    tickets: TicketTable,
    status_log: StatusLog | None = None,
    contract: Contract | None = None,
    as_of: int | None = None,
    progress: ProgressCallback | None = None,
    data_zone: str | None = None,
) -> AuditResult:
    """Both audits over the finished tickets that carry ``provider_sla_met``.  ``data_zone``: the zone
    the tickets' export was written in (searched besides the contract's zone and UTC)."""
    mask = (tickets.provider_sla_met >= 0) & (tickets.opened != MISSING) & (tickets.priority >= 0)
    cancelled = int((mask & tickets.cancelled).sum())  # their SLAs were cancelled: no verdict to audit
    t, log = subset(tickets, status_log, mask & ~tickets.cancelled)
    result = AuditResult(tickets_with_flag=len(t), provider_met=int((t.provider_sla_met == 1).sum()),
                         cancelled_tickets=cancelled)
    t, log, result.open_tickets = _without_open(t, log, as_of)
    if len(t) == 0:
        return result
    report(progress, 0.0, "auditing the provider's verdicts")
    zones: list[str] = []
    pauses: tuple[str, ...] = ()
    if contract is not None:
        result.contract_name = f"{contract.name} — {contract.version}" if contract.version else contract.name
        result.by_priority = agreement_under_contract(contract, t, log, as_of, scaled(progress, 0.0, 0.2))
        pauses = tuple(contract.pause_statuses)
        zones += [c.timezone for c in contract.calendars.values()][:1]
    for z in ([data_zone] if data_zone else []) + ["UTC"]:
        if z not in zones:
            zones.append(z)
    result.zones = zones
    result.candidates = best_explanations(t, log, pauses, zones, as_of, scaled(progress, 0.2, 1.0))
    result.baselines = trivial_baselines(t)
    best = result.candidates[0] if result.candidates else None
    top = max(result.baselines, key=lambda b: b.agreeing)
    if best is None or top.agreeing >= best.agreeing:
        best = top
        result.candidates.insert(0, top)
    result.best = best
    report(progress, 1.0, "audit done")
    return result


def _without_open(tickets: TicketTable, log: StatusLog, as_of: int | None
                  ) -> tuple[TicketTable, StatusLog, int]:
    """The tickets resolved or closed by ``as_of`` (all events count when it is None), and how many
    were still open."""
    limit = np.iinfo(np.int64).max if as_of is None else int(as_of)
    done = ((tickets.resolved != MISSING) & (tickets.resolved <= limit)) | (
        (tickets.closed != MISSING) & (tickets.closed <= limit))
    n_open = int((~done).sum())
    if not n_open:
        return tickets, log, 0
    t, lg = subset(tickets, log, done)
    return t, lg, n_open
