"""What-if replay of a ticket history under a contract version (and scenarios).

``simulate(contract, tickets, status_log, as_of)`` runs the clock of
shared/spec/sla-clock.md over every ticket and returns a :class:`SimulationResult`:
per priority and metric met/breached/pending/compliance, per-ticket business
seconds, budgets and outcomes, breaches and service credits per month, and the
exact ``simulate --json`` document of shared/spec/interfaces.md.

An :class:`Engine` holds the prepared history (tickets grouped by priority and
sorted by opening, pause intervals per pause rule) and caches:

* calendar lookups ``F`` per (calendar, priority): a calendar change recomputes only
  the groups that use it;
* elapsed business seconds per (priority, metric, calendar, pause rule): changing
  only targets reuses them, and duration targets are counted with
  ``np.searchsorted`` on the sorted elapsed times (microseconds).

Choices where the spec leaves room (documented here and in the README):

* ``as_of`` defaults to the latest instant anywhere in the ticket data (tickets and
  status log).  An event after ``as_of`` is not yet known at ``as_of``: the metric is
  measured up to ``as_of``.  Tickets opened after ``as_of`` are left out (counted in
  ``SimulationResult.future``).
* Bad data is reported in ``SimulationResult.issues`` (ticket id, field, reason) and
  the ticket is left out of every count: an unknown priority, a missing opening, or
  an event (first response, resolution, closure) before the opening.
* Months (breaches per month, credits) are UTC calendar months of ``opened_at``.
* A ticket the tool cancelled (``TicketTable.cancelled``: ServiceNow's Canceled state or
  close code) is left out of every count, as ServiceNow cancels its task SLAs; the JSON
  counts them per priority under ``cancelled``.
* A metric is *not measured* when the export of every ticket had no column for its event
  (``TicketTable.unrecorded``: an export of opening times only), or when no ticket of the
  history carries its event although some ticket got past it (resolved or closed tickets
  without any first response; closed tickets without any resolution): the export lacks
  the event.  Its counts are 0 with ``measured: false`` and no compliance,
  ``not_measured`` in the JSON says why, and it gives no breaches or credits: never 0%
  compliance.  A history of tickets that are all still open, from an export that has the
  columns, keeps its pending and breached counts.  In a history mixing exports with and
  without the column, the tickets of the exports without it are left out of that metric
  (per-ticket outcome ``not_measured``; ``not_measured_tickets`` in the JSON counts them)
  and the others are measured.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from models.contract import (
    LITERAL_24X7,
    METRICS,
    PRIORITIES,
    CalendarSpec,
    Contract,
    PriorityTargets,
    contract_from_data,
    parse_target,
)
from models.history import MISSING, UNRECORDED_BITS, StatusLog, TicketTable
from workbench.engine.calendar import CompiledCalendar, calendar_key, compile_calendar
from workbench.engine.clock import (
    BREACHED,
    EXCLUDED,
    MET,
    NOT_APPLICABLE,
    OUTCOME_NAMES,
    PENDING,
    PauseIntervals,
    pause_intervals,
)
from workbench.engine.credits import MonthlyCredits, monthly_credits
from workbench.progress import ProgressCallback, report

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]

PERCENTILES = (50, 90, 95)


# ------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Issue:
    """A bad record: reported, and the ticket left out of every count."""

    ticket: str
    field: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"ticket": self.ticket, "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class MetricCounts:
    met: int
    breached: int
    pending: int
    not_applicable: int
    target: str | None
    calendar: str | None
    measured: bool = True  # False: the history carries no event of this metric

    @property
    def compliance(self) -> float | None:
        done = self.met + self.breached
        return None if done == 0 or not self.measured else self.met / done

    def as_json(self) -> dict[str, Any]:
        c = self.compliance
        out: dict[str, Any] = {"met": self.met, "breached": self.breached, "pending": self.pending,
                               "compliance": None if c is None else round(c, 4)}
        if not self.measured:
            out["measured"] = False
        return out


@dataclass(frozen=True)
class PriorityResult:
    priority: str
    tickets: int
    response: MetricCounts
    resolution: MetricCounts

    def metric(self, metric: str) -> MetricCounts:
        return self.response if metric == "response" else self.resolution


@dataclass(frozen=True)
class MetricArrays:
    """Per ticket, in the order of the TicketTable: business seconds (-1 when not measured),
    budget seconds (-1 when not applicable) and outcome codes (clock.MET … EXCLUDED)."""

    business_seconds: I64
    budget_seconds: I64
    outcome: I8


class _Elapsed:
    """Business seconds of one priority group for one metric under one calendar/pause rule."""

    def __init__(self, business: I64, has_event: Bool, cal: CompiledCalendar,
                 counted: Bool | None = None) -> None:
        self.business = business
        self.has_event = has_event
        self.cal = cal
        # False for tickets whose export had no column for the metric's event (None: all counted)
        self.counted = counted
        self._day_budgets: dict[bool, I64] = {}
        self._counts: dict[str, tuple[int, int, int]] = {}
        self.n_event = int(np.count_nonzero(has_event))

    def counts(self, target: str, budget: int | I64) -> tuple[int, int, int]:
        """(met, breached, pending) under a budget (cached per target)."""
        got = self._counts.get(target)
        if got is not None:
            return got
        if isinstance(budget, int) and (self._counts or "sorted_event" in self.__dict__):
            # a second duration on the same elapsed times: sort once, then O(log n) per target
            got = self.counts_for_duration(budget)
        else:
            within = self.business <= budget
            total = len(self.business)
            if self.counted is not None:
                within = within & self.counted
                total = int(np.count_nonzero(self.counted))
            met = int(np.count_nonzero(within & self.has_event))
            pending = int(np.count_nonzero(within)) - met
            got = (met, total - met - pending, pending)
        self._counts[target] = got
        return got

    @cached_property
    def sorted_event(self) -> I64:
        sel = self.has_event if self.counted is None else self.has_event & self.counted
        return np.sort(self.business[sel])

    @cached_property
    def sorted_open(self) -> I64:
        sel = ~self.has_event if self.counted is None else ~self.has_event & self.counted
        return np.sort(self.business[sel])

    def counts_for_duration(self, budget: int) -> tuple[int, int, int]:
        ev, op = self.sorted_event, self.sorted_open
        met = int(np.searchsorted(ev, budget, side="right"))
        pending = int(np.searchsorted(op, budget, side="right"))
        return met, (len(ev) - met) + (len(op) - pending), pending

    def compliance_at(self, budgets: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Compliance for each duration budget (NaN when nothing is done)."""
        b = np.asarray(budgets, dtype=np.int64)
        ev, op = self.sorted_event, self.sorted_open
        met = np.searchsorted(ev, b, side="right")
        breached = (len(ev) - met) + (len(op) - np.searchsorted(op, b, side="right"))
        done = met + breached
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(done > 0, met / np.maximum(done, 1), np.nan)


# ---------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """A what-if: a whole modified contract, or overrides of the baseline's targets,
    calendars, pause rules, backup terms (RPO, RTO, restore-test cadence) or uptime
    commitments."""

    name: str
    contract: Contract | None = None
    targets: Mapping[str, PriorityTargets | Mapping[str, Any]] | None = None
    calendars: Mapping[str, CalendarSpec | Mapping[str, Any]] | None = None
    pause_statuses: tuple[str, ...] | None = None
    pause_applies_to: tuple[str, ...] | None = None
    backup: Mapping[str, Any] | None = None  # the whole ``backup`` section, as in a contract file
    uptime: tuple[Mapping[str, Any], ...] | None = None  # every uptime commitment

    def apply(self, base: Contract) -> Contract:
        if self.contract is not None:
            return self.contract
        data = base.to_data()
        if self.calendars is not None:
            cals = dict(data.get("calendars", {}))
            for k, v in self.calendars.items():
                cals[k] = v.model_dump(mode="json") if isinstance(v, CalendarSpec) else dict(v)
            data["calendars"] = cals
        if self.targets is not None:
            tg = dict(data.get("targets", {}))
            for k, tv in self.targets.items():
                tg[k] = tv.model_dump(mode="json") if isinstance(tv, PriorityTargets) else dict(tv)
            data["targets"] = tg
        if self.pause_statuses is not None:
            data["pause_statuses"] = list(self.pause_statuses)
        if self.pause_applies_to is not None:
            data["pause_applies_to"] = list(self.pause_applies_to)
        if self.backup is not None:
            data["backup"] = dict(self.backup)
        if self.uptime is not None:
            data["uptime"] = [dict(u) for u in self.uptime]
        return contract_from_data(data, f"scenario {self.name}")


# ------------------------------------------------------------------------- engine


def _month_index(t: I64) -> I64:
    """UTC calendar month number (year * 12 + month - 1) of epoch seconds."""
    d = t.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    return d + 1970 * 12  # type: ignore[no-any-return]


def month_label(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


class Engine:
    """Prepared history plus caches; run any number of contracts/scenarios against it."""

    def __init__(
        self,
        tickets: TicketTable,
        status_log: StatusLog | None = None,
        as_of: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        report(progress, 0.0, "checking tickets")
        self.tickets = tickets
        self.status_log = status_log
        n = len(tickets)
        if as_of is None:
            latest = tickets.latest_instant()
            if status_log is not None:
                latest = max(latest, status_log.latest_instant())
            if latest == MISSING:
                latest = 0
            as_of = latest
        self.as_of = int(as_of)
        self.issues: list[Issue] = []
        bad = np.zeros(n, dtype=bool)
        prio = tickets.priority.astype(np.int64)
        unknown = (prio < 0) | (prio >= len(PRIORITIES))
        self._flag(unknown, "priority", "unknown priority (expected P1..P4)")
        bad |= unknown
        no_open = tickets.opened == MISSING
        self._flag(no_open, "opened_at", "missing opening time")
        bad |= no_open
        for col, name in ((tickets.first_response, "first_response_at"), (tickets.resolved, "resolved_at"),
                          (tickets.closed, "closed_at")):
            before = (col != MISSING) & (col < tickets.opened) & ~no_open
            self._flag(before, name, "before opened_at")
            bad |= before
        future = ~bad & (tickets.opened > self.as_of)
        self.future = int(future.sum())
        cancelled = ~bad & ~future & tickets.cancelled
        # cancelled tickets (the tool cancelled their SLAs): out of every count, counted apart
        self.cancelled: dict[str, int] = {
            PRIORITIES[p]: k for p, k in enumerate(np.bincount(prio[cancelled], minlength=len(PRIORITIES)))
            if k}
        self.valid = ~bad & ~future & ~cancelled
        report(progress, 0.2, "grouping tickets")
        # groups: per priority, indices sorted by opening
        self.group_index: list[I64] = []
        self.group_of = np.full(n, -1, dtype=np.int64)
        self.pos_in_group = np.full(n, -1, dtype=np.int64)
        self.opened: list[I64] = []
        self.ends: list[dict[str, tuple[I64, Bool]]] = []
        for p in range(len(PRIORITIES)):
            idx = np.flatnonzero(self.valid & (prio == p))
            idx = idx[np.argsort(tickets.opened[idx], kind="stable")]
            self.group_index.append(idx)
            self.group_of[idx] = p
            self.pos_in_group[idx] = np.arange(len(idx))
            o = tickets.opened[idx]
            self.opened.append(o)
            ends = {}
            for metric, col in (("response", tickets.first_response), ("resolution", tickets.resolved)):
                ev = col[idx]
                has = (ev != MISSING) & (ev <= self.as_of)
                ends[metric] = (np.where(has, ev, self.as_of), has)
            self.ends.append(ends)
        self.not_measured: dict[str, str] = {}
        resolved_or_closed = (tickets.resolved != MISSING) | (tickets.closed != MISSING)
        for metric, col, done, what in (
                ("response", tickets.first_response, resolved_or_closed, "first-response time"),
                ("resolution", tickets.resolved, tickets.closed != MISSING, "resolution time")):
            unrecorded, n_valid = tickets.unrecorded_share(metric, self.valid)
            if n_valid and unrecorded == n_valid:
                # the export(s) had no column for the event: never recorded, not still open
                self.not_measured[metric] = (f"the imported export has no {what} column: "
                                             f"{metric} compliance cannot be measured")
            # no ticket carries the event although some ticket got past it: the data lacks it
            elif ((done & self.valid).any() and not ((col != MISSING) & self.valid).any()):
                self.not_measured[metric] = (f"no ticket carries a {what}: "
                                             f"{metric} compliance cannot be measured")
        # a history mixing exports with and without a metric's event column: the tickets of the
        # exports without it are left out of that metric (counted apart), the others measured
        self.counted: dict[tuple[int, str], Bool] = {}
        self.not_measured_tickets: dict[str, int] = {}
        for metric, bit in UNRECORDED_BITS.items():
            if metric in self.not_measured:
                continue
            for p, idx in enumerate(self.group_index):
                unrecorded = (tickets.unrecorded[idx] & bit) != 0
                if unrecorded.any():
                    self.counted[(p, metric)] = ~unrecorded
                    self.not_measured_tickets[metric] = (self.not_measured_tickets.get(metric, 0)
                                                         + int(unrecorded.sum()))
        valid_open = tickets.opened[self.valid]
        self.lo = int(valid_open.min()) if len(valid_open) else self.as_of
        self.hi = self.as_of
        self._pauses: dict[tuple[str, ...], list[PauseIntervals]] = {}
        self._f: dict[tuple[str, int], dict[str, I64]] = {}
        self._elapsed: dict[tuple[int, str, str, tuple[str, ...]], _Elapsed] = {}
        self._cals: dict[str, CompiledCalendar] = {}
        report(progress, 1.0, "ready")

    @cached_property
    def months(self) -> list[I64]:
        """Per group: UTC month index of each ticket's opening (for monthly figures)."""
        return [_month_index(o) for o in self.opened]

    def _flag(self, mask: Bool, fieldname: str, reason: str) -> None:
        for i in np.flatnonzero(mask)[:10_000]:
            self.issues.append(Issue(str(self.tickets.ids[i]), fieldname, reason))

    # ------------------------------------------------------------- building blocks

    MAX_CALENDARS = 6  # per-ticket caches are kept for this many recent calendars

    def calendar(self, spec: CalendarSpec | str) -> CompiledCalendar:
        key = calendar_key(spec)
        cal = self._cals.pop(key, None)
        if cal is None:
            cal = compile_calendar(spec, self.lo, self.hi)
        self._cals[key] = cal  # most recent last
        while len(self._cals) > self.MAX_CALENDARS:
            old = next(iter(self._cals))
            del self._cals[old]
            for k in [k for k in self._f if k[0] == old]:
                del self._f[k]
            for k2 in [k2 for k2 in self._elapsed if k2[2] == old]:
                del self._elapsed[k2]
        return cal

    def pauses(self, statuses: tuple[str, ...]) -> list[PauseIntervals]:
        key = tuple(sorted(set(statuses)))
        got = self._pauses.get(key)
        if got is None:
            allp = pause_intervals(self.status_log, key)
            allp = PauseIntervals(allp.ticket, np.clip(allp.start, self.lo, self.hi),
                                  np.clip(allp.end, self.lo, self.hi))
            got = []
            if len(allp):
                g = self.group_of[allp.ticket]
                for p in range(len(PRIORITIES)):
                    got.append(allp.subset(g == p, self.pos_in_group))
            else:
                got = [PauseIntervals.empty() for _ in PRIORITIES]
            self._pauses[key] = got
        return got

    def _fvals(self, cal: CompiledCalendar, p: int, pause_key: tuple[str, ...] | None) -> dict[str, I64]:
        """F at the group's instants under a calendar (cached)."""
        store = self._f.setdefault((cal.key, p), {})
        if "opened" not in store:
            store["opened"] = cal.covered_before_in_span(self.opened[p])
        for metric in METRICS:
            if metric not in store:
                store[metric] = cal.covered_before_in_span(self.ends[p][metric][0])
        if pause_key:
            pk = "pause:" + "\x1f".join(pause_key)
            if pk + ":s" not in store:
                pi = self.pauses(pause_key)[p]  # clipped to [lo, as_of], inside every span
                store[pk + ":s"] = cal.covered_before_in_span(pi.start)
                store[pk + ":e"] = cal.covered_before_in_span(pi.end)
        return store

    def elapsed(self, p: int, metric: str, spec: CalendarSpec | str,
                pause_statuses: tuple[str, ...] = ()) -> _Elapsed:
        cal = self.calendar(spec)
        pause_key = tuple(sorted(set(pause_statuses)))
        key = (p, metric, cal.key, pause_key)
        got = self._elapsed.get(key)
        if got is not None:
            return got
        fv = self._fvals(cal, p, pause_key or None)
        fo, fe = fv["opened"], fv[metric]
        business = fe - fo
        if pause_key:
            pi = self.pauses(pause_key)[p]
            if len(pi):
                pk = "pause:" + "\x1f".join(pause_key)
                k = pi.ticket
                paused = np.minimum(fv[pk + ":e"], fe[k]) - np.maximum(fv[pk + ":s"], fo[k])
                np.maximum(paused, 0, out=paused)
                business = business - np.bincount(k, weights=paused, minlength=len(fo)).astype(np.int64)
        got = _Elapsed(business, self.ends[p][metric][1], cal, self.counted.get((p, metric)))
        self._elapsed[key] = got
        return got

    def budget(self, p: int, el: _Elapsed, target: str) -> int | I64:
        kind, seconds = parse_target(target)
        if kind == "duration":
            assert seconds is not None
            return seconds
        nxt = kind == "next_business_day"
        b = el._day_budgets.get(nxt)
        if b is None:
            b = el.cal.day_budget(self.opened[p], next_day=nxt)
            el._day_budgets[nxt] = b
        return b

    def _spec(self, contract: Contract, name: str | None) -> CalendarSpec | str:
        if name is None or name == LITERAL_24X7:
            return LITERAL_24X7
        return contract.calendars[name]

    # --------------------------------------------------------------------- running

    def run(self, contract: Contract, progress: ProgressCallback | None = None) -> SimulationResult:
        by_priority: dict[str, PriorityResult] = {}
        parts: dict[tuple[int, str], tuple[_Elapsed | None, int | I64 | None]] = {}
        steps = len(PRIORITIES) * len(METRICS)
        k = 0
        for p, pname in enumerate(PRIORITIES):
            n_p = len(self.group_index[p])
            counts = {}
            for metric in METRICS:
                report(progress, k / steps, f"{pname} {metric}")
                k += 1
                target = contract.target(pname, metric)
                cal_name = contract.calendar_name(pname, metric)
                if target is None or n_p == 0:
                    parts[(p, metric)] = (None, None)
                    counts[metric] = MetricCounts(0, 0, 0, n_p, target, cal_name,
                                                  measured=metric not in self.not_measured)
                    continue
                if metric in self.not_measured:
                    parts[(p, metric)] = (None, None)
                    counts[metric] = MetricCounts(0, 0, 0, 0, target, cal_name, measured=False)
                    continue
                pauses = tuple(contract.pause_statuses) if contract.pauses(metric) else ()
                el = self.elapsed(p, metric, self._spec(contract, cal_name), pauses)
                budget = self.budget(p, el, target)
                parts[(p, metric)] = (el, budget)
                met, breached, pending = el.counts(target, budget)
                counts[metric] = MetricCounts(met, breached, pending, 0, target, cal_name)
            if n_p:
                by_priority[pname] = PriorityResult(pname, n_p, counts["response"], counts["resolution"])
        report(progress, 1.0, "done")
        return SimulationResult(self, contract, by_priority, parts)

    # ------------------------------------------------------------- coverage analysis

    def opened_outside(self, spec: CalendarSpec | str) -> dict[str, float | None]:
        """Per priority: share of tickets opened outside the calendar's coverage."""
        cal = self.calendar(spec)
        out: dict[str, float | None] = {}
        for p, pname in enumerate(PRIORITIES):
            o = self.opened[p]
            out[pname] = None if len(o) == 0 else float(np.count_nonzero(~cal.is_covered(o)) / len(o))
        return out


# ------------------------------------------------------------------------ results


class SimulationResult:
    """The outcome of one contract over the history."""

    def __init__(self, engine: Engine, contract: Contract, by_priority: dict[str, PriorityResult],
                 parts: dict[tuple[int, str], tuple[_Elapsed | None, int | I64 | None]]) -> None:
        self.engine = engine
        self.contract = contract
        self.by_priority = by_priority
        self._parts = parts

    @property
    def as_of_epoch(self) -> int:
        return self.engine.as_of

    @property
    def as_of(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.engine.as_of, dt.UTC)

    @property
    def issues(self) -> list[Issue]:
        return self.engine.issues

    @property
    def future(self) -> int:
        return self.engine.future

    # ------------------------------------------------------------ per-ticket arrays

    def _group_outcome(self, p: int, metric: str) -> tuple[I64, I64, I8]:
        el, budget = self._parts[(p, metric)]
        n_p = len(self.engine.group_index[p])
        if el is None or budget is None:
            return (np.full(n_p, -1, np.int64), np.full(n_p, -1, np.int64),
                    np.full(n_p, NOT_APPLICABLE, np.int8))
        over = el.business > budget
        out = np.where(over, BREACHED, np.where(el.has_event, MET, PENDING)).astype(np.int8)
        if el.counted is not None:  # the export had no column for the event: counted nowhere
            out[~el.counted] = NOT_APPLICABLE
        b = np.broadcast_to(np.asarray(budget, dtype=np.int64), (n_p,))
        return el.business, b, out

    @cached_property
    def _arrays(self) -> dict[str, MetricArrays]:
        n = len(self.engine.tickets)
        res = {}
        for metric in METRICS:
            bs = np.full(n, -1, np.int64)
            bud = np.full(n, -1, np.int64)
            oc = np.full(n, EXCLUDED, np.int8)
            for p in range(len(PRIORITIES)):
                idx = self.engine.group_index[p]
                if len(idx) == 0:
                    continue
                b, g, o = self._group_outcome(p, metric)
                bs[idx], bud[idx], oc[idx] = b, g, o
            res[metric] = MetricArrays(bs, bud, oc)
        return res

    def metric(self, metric: str) -> MetricArrays:
        return self._arrays[metric]

    @property
    def response(self) -> MetricArrays:
        return self._arrays["response"]

    @property
    def resolution(self) -> MetricArrays:
        return self._arrays["resolution"]

    # ----------------------------------------------------------------- statistics

    def percentiles(self, priority: str, metric: str,
                    ps: Iterable[float] = PERCENTILES) -> dict[float, int | None]:
        """Nearest-rank percentiles of business seconds of the tickets whose event happened."""
        el, _ = self._parts[(PRIORITIES.index(priority), metric)]
        out: dict[float, int | None] = {}
        for q in ps:
            if el is None or len(el.sorted_event) == 0:
                out[q] = None
            else:
                v = el.sorted_event
                out[q] = int(v[max(1, math.ceil(q / 100 * len(v))) - 1])
        return out

    @cached_property
    def _monthly_counts(self) -> dict[tuple[int, str], tuple[int, npt.NDArray[np.int64]]]:
        """Per (priority, metric) with a target: (first month index, counts of shape
        (months, 3) for met, breached, pending), from one bincount per pair."""
        out: dict[tuple[int, str], tuple[int, npt.NDArray[np.int64]]] = {}
        for p in range(len(PRIORITIES)):
            months = self.engine.months[p]
            if len(months) == 0:
                continue
            m0 = int(months.min())
            span = int(months.max()) - m0 + 1
            base = (months - m0) * 3
            for metric in METRICS:
                el, budget = self._parts[(p, metric)]
                if el is None:
                    continue
                if budget is None:  # no target: every ticket not applicable, counted nowhere
                    out[(p, metric)] = (m0, np.zeros((span, 3), np.int64))
                    continue
                over = el.business > budget
                # 0 met (event within budget), 1 breached, 2 pending (no event yet, within budget)
                cls = over.view(np.int8) + 2 * ~(over | np.asarray(el.has_event, dtype=bool))
                keys = base + cls if el.counted is None else (base + cls)[el.counted]
                counts = np.bincount(keys, minlength=3 * span).reshape(span, 3)
                out[(p, metric)] = (m0, counts)
        return out

    def monthly(self) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
        """{month: {priority: {metric: {met, breached, pending}}}} by UTC month opened.
        The counts are computed once per result; each call returns fresh dicts."""
        out: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
        counts = self._monthly_counts
        for p, pname in enumerate(PRIORITIES):
            for metric in METRICS:
                if (p, metric) not in counts:
                    continue
                m0, c = counts[(p, metric)]
                for j in np.flatnonzero(c.any(axis=1)).tolist():
                    met, breached, pending = (int(x) for x in c[j])
                    row = {"met": met, "breached": breached, "pending": pending}
                    out.setdefault(month_label(m0 + j), {}).setdefault(pname, {})[metric] = row
        return dict(sorted(out.items()))

    def breaches_per_month(self) -> dict[str, dict[str, dict[str, int]]]:
        """{month: {priority: {metric: breached}}}."""
        return {m: {p: {k: v["breached"] for k, v in d.items()} for p, d in ps.items()}
                for m, ps in self.monthly().items()}

    @cached_property
    def _credit_counts(self) -> tuple[list[str], I64, I64]:
        """(month labels, met, breached) for the months :meth:`monthly` reports, shaped
        (months, priorities, metrics) for :func:`workbench.engine.credits.monthly_credits`."""
        counts = self._monthly_counts
        if not counts:
            empty = np.zeros((0, len(PRIORITIES), len(METRICS)), np.int64)
            return [], empty, empty.copy()
        first = min(m0 for m0, _ in counts.values())
        span = max(m0 + len(c) for m0, c in counts.values()) - first
        cube = np.zeros((span, len(PRIORITIES), len(METRICS), 3), np.int64)
        for (p, metric), (m0, c) in counts.items():
            cube[m0 - first : m0 - first + len(c), p, METRICS.index(metric)] = c
        seen = np.flatnonzero(cube.any(axis=(1, 2, 3)))
        labels = [month_label(first + int(j)) for j in seen]
        return labels, cube[seen, :, :, 0], cube[seen, :, :, 1]

    def service_credits(self, priorities: Collection[str] | None = None) -> MonthlyCredits:
        """The contract's service credits over the months of :meth:`monthly` (the rule:
        :mod:`workbench.engine.credits`); ``priorities`` keeps only those tickets."""
        _labels, met, breached = self._credit_counts
        return monthly_credits(self.contract, met, breached, priorities)

    def credits(self) -> dict[str, dict[str, Any]]:
        """Projected service credits per month under the contract's ``service_credits``:
        ``{month: {"percent": total percent of fee after caps, "amount": money or None,
        "rules": [percent of each rule after its own cap]}}``.  Uptime rules are not
        counted here (they need outages: see workbench.engine.recovery)."""
        labels = self._credit_counts[0]
        mc = self.service_credits()
        amounts = mc.amounts()
        per_rule = mc.per_rule.T.tolist()
        return {
            month: {"percent": round(pct, 6), "amount": None if amounts is None else amounts[j],
                    "rules": per_rule[j]}
            for j, (month, pct) in enumerate(zip(labels, mc.percent.tolist(), strict=True))
        }

    # ---------------------------------------------------------------------- audit

    def audit(self, ticket_id: str, metric: str) -> list[Any]:
        """The segments (covered, paused, out_of_hours, holiday) of one ticket's clock for a
        metric, from its opening to its event (or ``as_of``): their covered seconds sum to
        the ticket's business seconds."""
        from workbench.engine.clock import clock_audit

        eng = self.engine
        hits = np.flatnonzero(eng.tickets.ids == ticket_id)
        if len(hits) == 0 or not eng.valid[hits[0]]:
            raise KeyError(f"no valid ticket {ticket_id!r}")
        i = int(hits[0])
        p = int(eng.group_of[i])
        pos = int(eng.pos_in_group[i])
        pname = PRIORITIES[p]
        c = self.contract
        spec = eng._spec(c, c.calendar_name(pname, metric))
        end_arr, _ = eng.ends[p][metric]
        opened, end = int(eng.opened[p][pos]), int(end_arr[pos])
        pauses: list[tuple[int, int]] = []
        if c.pauses(metric) and c.pause_statuses:
            pi = eng.pauses(tuple(c.pause_statuses))[p]
            sel = pi.ticket == pos
            pauses = [(int(a), int(b)) for a, b in zip(pi.start[sel], pi.end[sel], strict=True)]
        return clock_audit(eng.calendar(spec), opened, end, pauses)

    # -------------------------------------------------------------------- inverse

    def _el(self, priority: str, metric: str) -> _Elapsed | None:
        return self._parts[(PRIORITIES.index(priority), metric)][0]

    def smallest_target_for(self, priority: str, metric: str, share: float) -> int | None:
        """The smallest duration budget (seconds, on this contract's calendar and pause
        rule for the metric) under which compliance would reach ``share`` (0..1)."""
        el = self._el(priority, metric)
        if el is None:
            el = self._default_elapsed(priority, metric)
        if el is None:
            return None
        cands = np.unique(np.concatenate((el.sorted_event, el.sorted_open)))
        if len(cands) == 0:
            return None
        comp = el.compliance_at(cands)
        ok = np.flatnonzero(comp >= share - 1e-12)
        return None if len(ok) == 0 else int(cands[ok[0]])

    def _default_elapsed(self, priority: str, metric: str) -> _Elapsed | None:
        p = PRIORITIES.index(priority)
        if len(self.engine.group_index[p]) == 0:
            return None
        c = self.contract
        spec = self.engine._spec(c, c.calendar_name(priority, metric))
        pauses = tuple(c.pause_statuses) if c.pauses(metric) else ()
        return self.engine.elapsed(p, metric, spec, pauses)

    def compliance_curve(self, priority: str, metric: str,
                         budgets: npt.ArrayLike | None = None) -> tuple[I64, npt.NDArray[np.float64]]:
        """(budget seconds, compliance) for the sensitivity chart; NaN where nothing is done."""
        el = self._el(priority, metric) or self._default_elapsed(priority, metric)
        if budgets is None:
            top = 1
            if el is not None and len(el.sorted_event):
                top = int(np.quantile(el.sorted_event, 0.99)) + 1
            budgets = np.unique(np.linspace(0, max(top, 60), 200).astype(np.int64))
        b = np.asarray(budgets, dtype=np.int64)
        if el is None:
            return b, np.full(len(b), np.nan)
        return b, el.compliance_at(b)

    # ----------------------------------------------------------------------- JSON

    def to_json(self, per_ticket: bool = False) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "as_of": self.as_of.isoformat(),
            "by_priority": {
                p: {"tickets": r.tickets, "response": r.response.as_json(),
                    "resolution": r.resolution.as_json()}
                for p, r in self.by_priority.items()
            },
        }
        if self.engine.not_measured:
            doc["not_measured"] = dict(self.engine.not_measured)
        if self.engine.not_measured_tickets:
            doc["not_measured_tickets"] = dict(self.engine.not_measured_tickets)
        if self.engine.cancelled:
            doc["cancelled"] = {p: int(k) for p, k in self.engine.cancelled.items()}
        if per_ticket:
            doc["tickets"] = self.ticket_rows()
        doc["issues"] = [i.as_dict() for i in self.issues]
        return doc

    def ticket_rows(self) -> list[dict[str, Any]]:
        arrays = self._arrays
        eng = self.engine
        order = np.flatnonzero(eng.valid)
        ids = eng.tickets.ids[order].tolist()
        prios = eng.tickets.priority[order].tolist()
        unrecorded = eng.tickets.unrecorded[order].tolist()
        cols = {}
        for metric in METRICS:
            a = arrays[metric]
            cols[metric] = (a.business_seconds[order].tolist(), a.budget_seconds[order].tolist(),
                            a.outcome[order].tolist())
        rows = []
        for j, tid in enumerate(ids):
            row: dict[str, Any] = {"id": str(tid), "priority": PRIORITIES[prios[j]]}
            for metric in METRICS:
                bs, bud, oc = cols[metric]
                o = oc[j]
                if metric in eng.not_measured or unrecorded[j] & UNRECORDED_BITS[metric]:
                    row[metric] = {"business_seconds": None, "budget_seconds": None,
                                   "outcome": "not_measured"}
                elif o == NOT_APPLICABLE:
                    row[metric] = {"business_seconds": None, "budget_seconds": None,
                                   "outcome": "not_applicable"}
                else:
                    row[metric] = {"business_seconds": bs[j], "budget_seconds": bud[j],
                                   "outcome": OUTCOME_NAMES[o]}
            rows.append(row)
        return rows


# ------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Flip:
    ticket: str
    priority: str
    metric: str
    baseline: str
    scenario: str


@dataclass
class Comparison:
    baseline: SimulationResult
    scenario: SimulationResult
    name: str = ""
    flips: list[Flip] = field(default_factory=list)

    def delta(self) -> dict[str, dict[str, float | None]]:
        """Compliance change per priority and metric (scenario - baseline)."""
        out: dict[str, dict[str, float | None]] = {}
        for p, r in self.scenario.by_priority.items():
            b = self.baseline.by_priority.get(p)
            out[p] = {}
            for m in METRICS:
                cs = r.metric(m).compliance
                cb = None if b is None else b.metric(m).compliance
                out[p][m] = None if cs is None or cb is None else cs - cb
        return out


def compare(baseline: SimulationResult, scenario: SimulationResult, name: str = "",
            max_flips: int | None = None) -> Comparison:
    """Tickets whose outcome differs between two results over the same history."""
    eng = baseline.engine
    flips: list[Flip] = []
    for metric in METRICS:
        a, b = baseline.metric(metric).outcome, scenario.metric(metric).outcome
        idx = np.flatnonzero((a != b) & eng.valid)
        if max_flips is not None:
            idx = idx[: max(0, max_flips - len(flips))]
        for i in idx.tolist():
            flips.append(Flip(str(eng.tickets.ids[i]), PRIORITIES[int(eng.tickets.priority[i])], metric,
                              OUTCOME_NAMES[int(a[i])], OUTCOME_NAMES[int(b[i])]))
    return Comparison(baseline, scenario, name, flips)


# ----------------------------------------------------------------- coverage analysis


def _extended(spec: CalendarSpec, kind: str) -> CalendarSpec:
    days = ("mon", "tue", "wed", "thu", "fri")
    if kind == "12x5":
        return CalendarSpec(timezone=spec.timezone, weekly={d: ("07:00-19:00",) for d in days},
                            holidays=spec.holidays)
    return CalendarSpec(timezone=spec.timezone,
                        weekly={d: ("00:00-24:00",) for d in (*days, "sat", "sun")})


def coverage_analysis(engine: Engine, contract: Contract) -> dict[str, Any]:
    """Share of tickets per priority opened outside each calendar's coverage, and what
    moving each named calendar to 12x5 (07:00-19:00 Mon-Fri) or round the clock changes."""
    base = engine.run(contract)
    out: dict[str, Any] = {"calendars": {}}
    for name, spec in contract.calendars.items():
        entry: dict[str, Any] = {"opened_outside": engine.opened_outside(spec), "variants": {}}
        for kind in ("12x5", "24x7"):
            alt = _extended(spec, kind)
            res = engine.run(Scenario(kind, calendars={name: alt}).apply(contract))
            entry["variants"][kind] = {
                "opened_outside": engine.opened_outside(alt),
                "compliance": {p: {m: r.metric(m).compliance for m in METRICS}
                               for p, r in res.by_priority.items()},
                "compliance_change": compare(base, res).delta(),
            }
        out["calendars"][name] = entry
    out["calendars"][LITERAL_24X7] = {"opened_outside": engine.opened_outside(LITERAL_24X7)}
    return out


# --------------------------------------------------------------------- entry point


def simulate(
    contract: Contract,
    tickets: TicketTable,
    status_log: StatusLog | None = None,
    as_of: int | None = None,
    progress: ProgressCallback | None = None,
) -> SimulationResult:
    """Replay the history under ``contract`` (see the module docstring)."""
    from workbench.progress import scaled

    engine = Engine(tickets, status_log, as_of, scaled(progress, 0.0, 0.3))
    return engine.run(contract, scaled(progress, 0.3, 1.0))
