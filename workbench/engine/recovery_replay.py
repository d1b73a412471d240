"""What-if replay of the backup, restore-test and outage history under recovery terms.

:mod:`workbench.engine.recovery` checks one contract version's RPO, RTO, restore-test
cadence and uptime.  This module answers the same questions for any number of
:class:`RecoveryScenario` values (per system: RPO, RTO, cadence; per service: uptime
target) over one prepared history, the way :mod:`workbench.engine.simulate` replays
tickets: :class:`RecoveryReplay` sorts the records once and computes everything that
does not depend on the terms (the gaps between successful backups sorted by length,
the worst exposure of every day, the restore tests' durations, the outage seconds of
every month), so a scenario change is a few ``searchsorted`` calls and array slices.

The rules are those of ``recovery.py`` (shared/spec/sla-clock.md, "Other commitments"):

* **RPO**: the gaps are between consecutive successful backups finished by ``as_of``,
  and from the last one to ``as_of`` (the *open* gap).  A gap longer than the RPO is a
  breach; it falls in the month in which the RPO was exceeded (gap start + RPO).  A
  day's *exposure* is the largest time since the last successful backup reached on
  that day (a gap ``[s, e)`` reaches ``min(e, day end) - s``); the day met the RPO when
  its exposure is at most the RPO.  Days run from the system's first successful backup
  to ``as_of``.  A system without a successful backup breaches any RPO.
* **RTO**: every restore test finished by ``as_of``; a successful test over the RTO
  or a failed test is a breach, in the month the test started.
* **Cadence**: intervals between consecutive test starts (by ``as_of``) and from the
  last one to ``as_of``; an interval of length ``L`` misses ``ceil(L / cadence) - 1``
  tests, each due at ``start + k * cadence`` and counted in that month.  A system
  without any test misses the tests due from the history's start.
* **Uptime**: exactly :func:`workbench.engine.recovery.monthly_availability` (months
  in the measurement calendar's zone, the month holding ``as_of`` pending unless
  already breached), from the history's first month.
* **Credits**: the contract's ``uptime`` credit rules over the months' availability
  (:func:`workbench.engine.credits.uptime_credits`).  The contract model has no credit
  metric for RPO or RTO, so those breaches earn none.

Days and months of backups and restore tests are local to the zone of the contract's
first calendar (UTC for a contract without one), so a DST day has 23 or 25 hours.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from models.contract import LITERAL_24X7, Contract, UptimeCommitment, parse_duration
from models.history import History, to_epoch
from workbench.engine.calendar import compile_calendar
from workbench.engine.credits import MonthlyCredits, uptime_credits
from workbench.engine.recovery import _calendar_spec, _merge, _subtract, month_bounds
from workbench.progress import ProgressCallback, report

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]


LISTED = 20  # breaching gaps listed in the JSON document (all are counted, per month too)


def _iso(t: int) -> str:
    return dt.datetime.fromtimestamp(int(t), dt.UTC).isoformat()


# ------------------------------------------------------------------------ scenario


@dataclass(frozen=True)
class SystemTerms:
    """One backup system's recovery terms (seconds; ``cadence_seconds`` None: no cadence)."""

    name: str
    tier: int
    rpo_seconds: int
    rto_seconds: int
    cadence_seconds: int | None


@dataclass(frozen=True)
class ServiceTerms:
    """One service's uptime commitment (``calendar``: a calendar of the contract or 24x7)."""

    service: str
    target_percent: float
    calendar: str = LITERAL_24X7
    maintenance_excluded: bool = True

    def commitment(self) -> UptimeCommitment:
        return UptimeCommitment(service=self.service, target_percent=self.target_percent,
                                calendar=self.calendar, maintenance_excluded=self.maintenance_excluded)


@dataclass(frozen=True)
class RecoveryScenario:
    """Recovery terms to replay: an immutable value; each ``with_*`` returns a new one.

    ``which`` names a system, or a tier (an ``int``: every system of that tier)."""

    systems: tuple[SystemTerms, ...] = ()
    services: tuple[ServiceTerms, ...] = ()

    @classmethod
    def from_contract(cls, contract: Contract) -> RecoveryScenario:
        cadence = contract.backup.cadence_seconds()
        systems = tuple(SystemTerms(s.name, s.tier, parse_duration(s.rpo), parse_duration(s.rto), cadence)
                        for s in contract.backup.systems)
        services = tuple(ServiceTerms(u.service, u.target_percent, u.calendar, u.maintenance_excluded)
                         for u in contract.uptime)
        return cls(systems, services)

    def system(self, name: str) -> SystemTerms:
        for s in self.systems:
            if s.name == name:
                return s
        raise KeyError(f"no backup system {name!r} in the scenario")

    def _systems(self, which: str | int, **change: Any) -> RecoveryScenario:
        hit = [s.name == which if isinstance(which, str) else s.tier == which for s in self.systems]
        if not any(hit):
            what = f"system {which!r}" if isinstance(which, str) else f"system of tier {which}"
            raise KeyError(f"no backup {what} in the scenario")
        systems = tuple(replace(s, **change) if h else s for s, h in zip(self.systems, hit, strict=True))
        return replace(self, systems=systems)

    def with_rpo(self, which: str | int, seconds: int) -> RecoveryScenario:
        return self._systems(which, rpo_seconds=int(seconds))

    def with_rto(self, which: str | int, seconds: int) -> RecoveryScenario:
        return self._systems(which, rto_seconds=int(seconds))

    def with_cadence(self, which: str | int | None, seconds: int | None) -> RecoveryScenario:
        """The restore-test cadence of ``which`` (None: every system)."""
        value = None if seconds is None else int(seconds)
        if which is None:
            return replace(self, systems=tuple(replace(s, cadence_seconds=value) for s in self.systems))
        return self._systems(which, cadence_seconds=value)

    def with_uptime(self, service: str, percent: float) -> RecoveryScenario:
        """``service``'s uptime target; a service not yet committed is added on 24x7."""
        if not any(s.service == service for s in self.services):
            return replace(self, services=(*self.services, ServiceTerms(service, float(percent))))
        return replace(self, services=tuple(replace(s, target_percent=float(percent)) if s.service == service
                                            else s for s in self.services))


# ------------------------------------------------------------------------- columns


@dataclass(frozen=True, eq=False)
class RecoveryColumns:
    """Backups, restore tests and outages as columns (instants in epoch seconds, names
    dictionary-encoded): the form the replay reads, built once per history."""

    system_names: tuple[str, ...]
    backup_system: I64
    backup_finished: I64
    backup_success: Bool
    test_system: I64
    test_started: I64
    test_finished: I64
    test_success: Bool
    service_names: tuple[str, ...] = ()
    outage_service: I64 = field(default_factory=lambda: np.empty(0, np.int64))
    outage_start: I64 = field(default_factory=lambda: np.empty(0, np.int64))
    outage_end: I64 = field(default_factory=lambda: np.empty(0, np.int64))
    outage_maintenance: Bool = field(default_factory=lambda: np.empty(0, bool))

    @classmethod
    def from_history(cls, history: History) -> RecoveryColumns:
        names: dict[str, int] = {}
        services: dict[str, int] = {}
        b, r, o = history.backups, history.restore_tests, history.outages
        backup_system = np.array([names.setdefault(x.system, len(names)) for x in b], np.int64)
        test_system = np.array([names.setdefault(x.system, len(names)) for x in r], np.int64)
        outage_service = np.array([services.setdefault(x.service, len(services)) for x in o], np.int64)
        return cls(
            system_names=tuple(names),
            backup_system=backup_system,
            backup_finished=np.array([to_epoch(x.finished_at) for x in b], np.int64),
            backup_success=np.array([x.success for x in b], bool),
            test_system=test_system,
            test_started=np.array([to_epoch(x.started_at) for x in r], np.int64),
            test_finished=np.array([to_epoch(x.finished_at) for x in r], np.int64),
            test_success=np.array([x.success for x in r], bool),
            service_names=tuple(services),
            outage_service=outage_service,
            outage_start=np.array([to_epoch(x.start) for x in o], np.int64),
            outage_end=np.array([to_epoch(x.end) for x in o], np.int64),
            outage_maintenance=np.array([x.maintenance for x in o], bool),
        )

    def __len__(self) -> int:
        return len(self.backup_finished) + len(self.test_started) + len(self.outage_start)

    def first_instant(self) -> int | None:
        cols = [c for c in (self.backup_finished, self.test_started, self.outage_start) if len(c)]
        return min(int(c.min()) for c in cols) if cols else None

    def last_instant(self) -> int | None:
        cols = [c for c in (self.backup_finished, self.test_finished, self.outage_end) if len(c)]
        return max(int(c.max()) for c in cols) if cols else None


def recovery_zone(contract: Contract) -> str:
    """The zone of the days and months of backups and restore tests: the contract's first
    calendar's, else UTC."""
    for spec in contract.calendars.values():
        return spec.timezone
    return "UTC"


def local_day_starts(zone: str, first: int, last: int) -> I64:
    """Starts of the local days touching ``[first, last]`` in ``zone``, plus the end of the
    last one (so ``len - 1`` days)."""
    tz = ZoneInfo(zone)
    d = dt.datetime.fromtimestamp(first, tz).date()
    end = dt.datetime.fromtimestamp(last, tz).date()
    out = []
    while d <= end + dt.timedelta(days=1):
        out.append(int(dt.datetime(d.year, d.month, d.day, tzinfo=tz).timestamp()))
        d += dt.timedelta(days=1)
    return np.array(out, dtype=np.int64)


def _month_grid(zone: str | None, first: int, last: int) -> tuple[tuple[str, ...], I64]:
    """Labels and boundaries (``len(labels) + 1``) of the months touching ``[first, last]``."""
    months = month_bounds(zone, first, last)
    labels = tuple(m[0] for m in months)
    edges = np.array([m[1] for m in months] + [months[-1][2]], dtype=np.int64)
    return labels, edges


def _fraction_rank(n: int, percent: float) -> int:
    """How many of ``n`` items make at least ``percent`` % (exact: the percent as written)."""
    return max(1, math.ceil(Fraction(str(percent)) * n / 100)) if n else 0


# ------------------------------------------------------------------ prepared parts


@dataclass(frozen=True, eq=False)
class _Backups:
    """One system's gaps between successful backups, prepared once."""

    successful: int
    start: I64  # gap starts, in time order (the last gap is the open one, to as_of)
    end: I64
    length: I64  # in time order
    by_length: I64  # gap indices sorted by length (stable)
    sorted_length: I64
    first_day: int  # index of the system's first day in the replay's day grid
    exposure: I64  # per day from first_day: the largest age since the last backup reached
    sorted_exposure: I64


@dataclass(frozen=True, eq=False)
class _Tests:
    started: I64  # finished by as_of, in start order
    duration: I64
    success: Bool
    starts_known: I64  # every start by as_of (the cadence counts tests held), sorted


@dataclass(frozen=True, eq=False)
class _Uptime:
    labels: tuple[str, ...]
    down: I64
    total: I64
    complete: Bool


# ------------------------------------------------------------------------- results


@dataclass(frozen=True, eq=False)
class RpoReplay:
    system: str
    rpo_seconds: int
    successful_backups: int
    gaps: int
    breach_start: I64  # breaching gaps in time order
    breach_end: I64
    breach_open: Bool  # the gap still open at as_of
    breach_month: I64  # month index (of the replay's months) in which the RPO was exceeded
    days: int
    days_met: int
    days_missed_by_month: I64
    worst_gap_seconds: int | None

    @property
    def met(self) -> bool:
        return self.worst_gap_seconds is not None and self.worst_gap_seconds <= self.rpo_seconds

    @property
    def breaches(self) -> int:
        return len(self.breach_start)

    def longest(self, n: int) -> list[tuple[int, int, bool]]:
        """The ``n`` longest breaching gaps (start, end, open), longest first (ties: earlier first)."""
        order = np.lexsort((self.breach_start, -(self.breach_end - self.breach_start)))[:n]
        a, b, o = self.breach_start, self.breach_end, self.breach_open
        return [(int(a[i]), int(b[i]), bool(o[i])) for i in order]


@dataclass(frozen=True, eq=False)
class RtoReplay:
    system: str
    rto_seconds: int
    tests: int
    failed: int
    over_started: I64  # tests over the RTO or failed, in start order
    over_duration: I64
    over_success: Bool
    over_month: I64
    supported_rto_seconds: int | None  # the longest successful test

    @property
    def over(self) -> int:
        return len(self.over_started)

    @property
    def met(self) -> bool:
        return self.tests > 0 and self.over == 0


@dataclass(frozen=True, eq=False)
class CadenceReplay:
    system: str
    cadence_seconds: int | None
    tests: int
    longest_interval_seconds: int | None
    missing_due: I64  # due instants of the missing tests
    missing_month: I64

    @property
    def missing(self) -> int:
        return len(self.missing_due)

    @property
    def met(self) -> bool | None:
        if self.cadence_seconds is None:
            return None
        longest = self.longest_interval_seconds
        return longest is not None and longest <= self.cadence_seconds


@dataclass(frozen=True, eq=False)
class AvailabilityReplay:
    service: str
    target: float
    labels: tuple[str, ...]
    availability: F64  # NaN where the calendar covers none of the month
    down: I64
    total: I64
    complete: Bool
    outcome: tuple[str | None, ...]

    @property
    def breached_months(self) -> int:
        return sum(o == "breached" for o in self.outcome)

    def months(self) -> dict[str, dict[str, Any]]:
        out = {}
        for i, label in enumerate(self.labels):
            av = None if np.isnan(self.availability[i]) else float(self.availability[i])
            outcome = self.outcome[i]
            out[label] = {"availability": av, "target": self.target,
                          "met": None if outcome in (None, "pending") else outcome == "met",
                          "outcome": outcome, "complete": bool(self.complete[i]),
                          "outage_seconds": int(self.down[i]), "calendar_seconds": int(self.total[i])}
        return out


@dataclass(frozen=True, eq=False)
class RecoveryResult:
    scenario: RecoveryScenario
    as_of: int
    zone: str
    months: tuple[str, ...]
    rpo: dict[str, RpoReplay]
    rto: dict[str, RtoReplay]
    cadence: dict[str, CadenceReplay]
    availability: dict[str, AvailabilityReplay]
    credits: MonthlyCredits
    credit_months: tuple[str, ...]

    def breaches_by_month(self, system: str) -> I64:
        """RPO breaches of ``system`` per month of :attr:`months`."""
        return np.bincount(self.rpo[system].breach_month, minlength=len(self.months))

    def to_json(self) -> dict[str, Any]:
        """The ``"recovery"`` document of ``simulate --json``."""
        months = self.months
        systems: dict[str, Any] = {}
        for name, r in self.rpo.items():
            t, c = self.rto[name], self.cadence[name]
            systems[name] = {
                "rpo": {
                    "rpo_seconds": r.rpo_seconds, "successful_backups": r.successful_backups,
                    "worst_gap_seconds": r.worst_gap_seconds, "met": r.met, "breaches": r.breaches,
                    "days": r.days, "days_met": r.days_met,
                    "longest_breach_gaps": [
                        {"start": _iso(a), "end": _iso(b), "seconds": int(b - a), "open": bool(o)}
                        for a, b, o in r.longest(LISTED)],
                    "by_month": _by_month(months, breaches=np.bincount(r.breach_month, minlength=len(months)),
                                          days_missed=r.days_missed_by_month),
                },
                "rto": {
                    "rto_seconds": t.rto_seconds, "tests": t.tests, "failed": t.failed, "over_rto": t.over,
                    "met": t.met, "supported_rto_seconds": t.supported_rto_seconds,
                    "tests_over": [{"started_at": _iso(a), "duration_seconds": int(d), "success": bool(s)}
                                   for a, d, s in zip(t.over_started.tolist(), t.over_duration.tolist(),
                                                      t.over_success.tolist(), strict=True)],
                    "by_month": _by_month(months, over_rto=np.bincount(t.over_month, minlength=len(months))),
                },
                "cadence": {
                    "cadence_seconds": c.cadence_seconds, "tests": c.tests,
                    "longest_interval_seconds": c.longest_interval_seconds, "met": c.met,
                    "missing": c.missing, "missing_due": [_iso(x) for x in c.missing_due.tolist()],
                    "by_month": _by_month(months,
                                          missing=np.bincount(c.missing_month, minlength=len(months))),
                },
            }
        amounts = self.credits.amounts()
        credits = {label: {"percent": float(p), "amount": None if amounts is None else amounts[i]}
                   for i, (label, p) in enumerate(zip(self.credit_months, self.credits.percent.tolist(),
                                                      strict=True)) if p > 0}
        return {
            "as_of": _iso(self.as_of),
            "zone": self.zone,
            "systems": systems,
            "availability": {s: {"target": a.target, "breached_months": a.breached_months,
                                 "months": a.months()} for s, a in self.availability.items()},
            "uptime_credits": {"by_month": credits, "total_percent": self.credits.total_percent(),
                               "total_amount": self.credits.total_amount()},
        }


def _by_month(months: tuple[str, ...], **counts: I64) -> dict[str, dict[str, int]]:
    """Months with any non-zero count, each with all the counts."""
    out: dict[str, dict[str, int]] = {}
    for i, label in enumerate(months):
        row = {k: int(v[i]) for k, v in counts.items()}
        if any(row.values()):
            out[label] = row
    return out


# -------------------------------------------------------------------------- replay


class RecoveryReplay:
    """A backup, restore-test and outage history prepared for any number of scenarios.

    ``contract`` gives the zone of the days and months and the calendars and credit terms
    of the uptime commitments; :meth:`run` replays a :class:`RecoveryScenario` (the
    contract's own terms when None)."""

    def __init__(self, columns: RecoveryColumns, contract: Contract, as_of: int | None = None,
                 progress: ProgressCallback | None = None) -> None:
        report(progress, 0.0, "preparing backups")
        self.columns = columns
        self.contract = contract
        last = columns.last_instant()
        self.as_of = int(as_of if as_of is not None else (last if last is not None else 0))
        first = columns.first_instant()
        self.start = min(first, self.as_of) if first is not None else self.as_of
        self.zone = recovery_zone(contract)
        self.months, self.month_edges = _month_grid(self.zone, self.start, self.as_of)
        self.day_edges = local_day_starts(self.zone, self.start, self.as_of)
        c = columns
        n_sys = len(c.system_names)
        ok = c.backup_success & (c.backup_finished <= self.as_of)
        order = np.lexsort((c.backup_finished[ok], c.backup_system[ok]))
        sys_sorted = c.backup_system[ok][order]
        t_sorted = c.backup_finished[ok][order]
        bounds = np.searchsorted(sys_sorted, np.arange(n_sys + 1))
        self._backups: dict[str, _Backups] = {}
        for k, name in enumerate(c.system_names):
            self._backups[name] = self._prepare_backups(t_sorted[bounds[k]:bounds[k + 1]])
            report(progress, 0.8 * (k + 1) / max(n_sys, 1), f"backups of {name}")
        self._tests: dict[str, _Tests] = {}
        for k, name in enumerate(c.system_names):
            mine = c.test_system == k
            done = mine & (c.test_finished <= self.as_of)
            o = np.argsort(c.test_started[done], kind="stable")
            self._tests[name] = _Tests(
                started=c.test_started[done][o],
                duration=(c.test_finished[done] - c.test_started[done])[o],
                success=c.test_success[done][o],
                starts_known=np.sort(c.test_started[mine & (c.test_started <= self.as_of)]),
            )
        self._uptime: dict[ServiceTerms, _Uptime] = {}
        for s in RecoveryScenario.from_contract(contract).services:
            self._prepared_uptime(s)
        report(progress, 1.0, "ready")

    @classmethod
    def from_history(cls, history: History, contract: Contract, as_of: int | None = None,
                     progress: ProgressCallback | None = None) -> RecoveryReplay:
        if as_of is None:
            from workbench.engine.recovery import history_as_of

            as_of = history_as_of(history)
        return cls(RecoveryColumns.from_history(history), contract, as_of, progress)

    # ---------------------------------------------------------------- preparing

    def _day_of(self, t: I64) -> I64:
        return np.searchsorted(self.day_edges, t, side="right") - 1  # type: ignore[no-any-return]

    def _month_of(self, t: I64) -> I64:
        return np.searchsorted(self.month_edges, t, side="right") - 1  # type: ignore[no-any-return]

    def _prepare_backups(self, times: I64) -> _Backups:
        e0 = np.empty(0, np.int64)
        if len(times) == 0:
            return _Backups(0, e0, e0, e0, e0, e0, 0, e0, e0)
        start = times
        end = np.append(times[1:], self.as_of)
        length = end - start
        by_length = np.argsort(length, kind="stable")
        first_day = int(self._day_of(times[:1])[0])
        last_day = first_day - 1
        if self.as_of > times[0]:
            last_day = int(self._day_of(np.array([self.as_of - 1]))[0])
        n_days = last_day - first_day + 1
        exposure = np.zeros(max(n_days, 0), dtype=np.int64)
        if n_days > 0:
            # the age at each day's end (or as_of): the gap holding its last second
            day_end = np.minimum(self.day_edges[first_day + 1:last_day + 2], self.as_of)
            k = np.searchsorted(start, day_end - 1, side="right") - 1
            exposure = day_end - start[k]
            # gaps ending inside a day reach their whole length on it
            pos = length > 0
            ends_day = self._day_of(end[pos] - 1) - first_day
            lengths = length[pos]
            if len(lengths):
                heads = np.concatenate(([0], np.flatnonzero(np.diff(ends_day)) + 1))
                days = ends_day[heads]  # distinct: the gaps are in time order
                exposure[days] = np.maximum(exposure[days], np.maximum.reduceat(lengths, heads))
        return _Backups(len(times), start, end, length, by_length, length[by_length], first_day, exposure,
                        np.sort(exposure))

    def _prepared_uptime(self, s: ServiceTerms) -> _Uptime:
        key = replace(s, target_percent=0.0)
        got = self._uptime.get(key)
        if got is not None:
            return got
        c = self.columns
        u = s.commitment()
        zone = None if u.calendar == LITERAL_24X7 else self.contract.calendars[u.calendar].timezone
        labels, edges = _month_grid(zone, self.start, self.as_of)
        try:
            code = c.service_names.index(u.service)
        except ValueError:
            code = -1
        mine = (c.outage_service == code) & (c.outage_start < self.as_of)
        a, b, m = c.outage_start[mine], np.minimum(c.outage_end[mine], self.as_of), c.outage_maintenance[mine]
        down_iv = _merge([(int(x), int(y)) for x, y, mm in zip(a, b, m, strict=True)
                          if not (mm and u.maintenance_excluded)])
        if u.maintenance_excluded:
            down_iv = _subtract(down_iv, _merge([(int(x), int(y)) for x, y, mm in
                                                 zip(c.outage_start[mine], c.outage_end[mine], m, strict=True)
                                                 if mm]))
        lo = min([int(edges[0]), *[x for x, _ in down_iv]])
        hi = max([int(edges[-1]), *[y for _, y in down_iv]])
        cal = compile_calendar(_calendar_spec(self.contract, u.calendar), lo, hi)
        n = len(labels)
        total = cal.covered(edges[:-1], edges[1:])
        down = np.zeros(n, dtype=np.int64)
        if down_iv:
            da = np.array([x for x, _ in down_iv], dtype=np.int64)
            db = np.array([y for _, y in down_iv], dtype=np.int64)
            # split each interval at the month edges it crosses
            i0 = np.searchsorted(edges, da, side="right") - 1
            i1 = np.searchsorted(edges, db - 1, side="right") - 1
            reps = i1 - i0 + 1
            month = np.repeat(i0, reps) + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
            pa = np.maximum(np.repeat(da, reps), edges[month])
            pb = np.minimum(np.repeat(db, reps), edges[month + 1])
            inside = (month >= 0) & (month < n)
            down = np.bincount(month[inside], weights=cal.covered(pa[inside], pb[inside]),
                               minlength=n).astype(np.int64)
        got = _Uptime(labels, down, total, edges[1:] <= self.as_of)
        self._uptime[key] = got
        return got

    # ------------------------------------------------------------------ running

    def run(self, scenario: RecoveryScenario | None = None,
            progress: ProgressCallback | None = None) -> RecoveryResult:
        sc = scenario if scenario is not None else RecoveryScenario.from_contract(self.contract)
        rpo, rto, cadence = {}, {}, {}
        for k, s in enumerate(sc.systems):
            report(progress, k / max(len(sc.systems), 1), s.name)
            rpo[s.name] = self.rpo(s.name, s.rpo_seconds)
            rto[s.name] = self.rto(s.name, s.rto_seconds)
            cadence[s.name] = self.cadence(s.name, s.cadence_seconds)
        availability = {s.service: self.availability(s) for s in sc.services}
        credit_months, credits = self._credits(sc, availability)
        report(progress, 1.0, "done")
        return RecoveryResult(sc, self.as_of, self.zone, self.months, rpo, rto, cadence, availability,
                              credits, credit_months)

    def _prepared(self, system: str) -> _Backups:
        got = self._backups.get(system)
        if got is None:
            got = self._backups[system] = self._prepare_backups(np.empty(0, np.int64))
        return got

    def rpo(self, system: str, rpo_seconds: int) -> RpoReplay:
        p = self._prepared(system)
        n_months = len(self.months)
        if p.successful == 0:
            e0 = np.empty(0, np.int64)
            return RpoReplay(system, rpo_seconds, 0, 0, e0, e0, np.empty(0, bool), e0, 0, 0,
                             np.zeros(n_months, np.int64), None)
        cut = int(np.searchsorted(p.sorted_length, rpo_seconds, side="right"))
        n_over = len(p.start) - cut
        # few breaches: sort their indices; many: one pass over the gaps in time order
        if n_over * max(int(n_over).bit_length(), 1) < len(p.start):
            idx = np.sort(p.by_length[cut:])
        else:
            idx = np.flatnonzero(p.length > rpo_seconds)
        start, end = p.start[idx], p.end[idx]
        days_met = int(np.searchsorted(p.sorted_exposure, rpo_seconds, side="right"))
        missed = np.flatnonzero(p.exposure > rpo_seconds)
        day_month = self._month_of(self.day_edges[p.first_day + missed])
        return RpoReplay(
            system, rpo_seconds, p.successful, len(p.start), start, end, idx == len(p.start) - 1,
            self._month_of(start + rpo_seconds), len(p.exposure), days_met,
            np.bincount(day_month, minlength=n_months), int(p.sorted_length[-1]),
        )

    def rto(self, system: str, rto_seconds: int) -> RtoReplay:
        t = self._tests.get(system)
        if t is None:
            e0 = np.empty(0, np.int64)
            return RtoReplay(system, rto_seconds, 0, 0, e0, e0, np.empty(0, bool), e0, None)
        over = ~t.success | (t.duration > rto_seconds)
        ok_d = t.duration[t.success]
        return RtoReplay(system, rto_seconds, len(t.started), int((~t.success).sum()), t.started[over],
                         t.duration[over], t.success[over], self._month_of(t.started[over]),
                         int(ok_d.max()) if len(ok_d) else None)

    def cadence(self, system: str, cadence_seconds: int | None) -> CadenceReplay:
        t = self._tests.get(system)
        starts = t.starts_known if t is not None else np.empty(0, np.int64)
        e0 = np.empty(0, np.int64)
        longest = None
        if len(starts):
            lo = starts
            length = np.diff(np.append(starts, self.as_of))
            longest = int(length.max())
        else:
            lo = np.array([self.start], dtype=np.int64)
            length = np.array([self.as_of - self.start], dtype=np.int64)
        if cadence_seconds is None or cadence_seconds <= 0:
            return CadenceReplay(system, cadence_seconds, len(starts), longest, e0, e0)
        n_missing = np.maximum(-(-length // cadence_seconds) - 1, 0)
        total = int(n_missing.sum())
        k = np.arange(total) - np.repeat(np.cumsum(n_missing) - n_missing, n_missing) + 1
        due = np.repeat(lo, n_missing) + k * cadence_seconds
        return CadenceReplay(system, cadence_seconds, len(starts), longest, due, self._month_of(due))

    def availability(self, s: ServiceTerms) -> AvailabilityReplay:
        u = self._prepared_uptime(s)
        with np.errstate(invalid="ignore", divide="ignore"):
            av = np.where(u.total > 0, 1.0 - u.down / np.maximum(u.total, 1), np.nan)
        target = s.target_percent / 100
        ok = av >= target - 1e-12
        outcome = tuple(None if np.isnan(a) else "met" if o and c else "pending" if o else "breached"
                        for a, o, c in zip(av.tolist(), ok.tolist(), u.complete.tolist(), strict=True))
        return AvailabilityReplay(s.service, target, u.labels, av, u.down, u.total, u.complete, outcome)

    def _credits(self, sc: RecoveryScenario, availability: Mapping[str, AvailabilityReplay]
                 ) -> tuple[tuple[str, ...], MonthlyCredits]:
        """Uptime credits on one month grid: the labels of every service's months (each
        service's months are those of its calendar's zone; the same label is one month)."""
        labels = sorted({m for a in availability.values() for m in a.labels})
        col = {m: i for i, m in enumerate(labels)}
        n = len(availability)
        av = np.full((n, len(labels)), np.nan)
        breached = np.zeros((n, len(labels)), dtype=bool)
        for i, a in enumerate(availability.values()):
            j = np.array([col[m] for m in a.labels], dtype=np.int64)
            av[i, j] = a.availability
            breached[i, j] = [o == "breached" for o in a.outcome]
        return tuple(labels), uptime_credits(self.contract, av, breached)

    # ---------------------------------------------------------- inverse questions

    def smallest_rpo(self, system: str, percent_of_days: float = 100.0) -> int | None:
        """The smallest RPO (seconds) the history met on at least ``percent_of_days`` % of
        the system's days; None without a successful backup."""
        p = self._prepared(system)
        k = _fraction_rank(len(p.sorted_exposure), percent_of_days)
        return int(p.sorted_exposure[k - 1]) if k else None

    def supported_rto(self, system: str, percent_of_tests: float = 100.0) -> int | None:
        """The smallest RTO (seconds) met by at least ``percent_of_tests`` % of the system's
        successful restore tests; None without one (a failed test breaches any RTO)."""
        t = self._tests.get(system)
        if t is None:
            return None
        d = np.sort(t.duration[t.success])
        k = _fraction_rank(len(d), percent_of_tests)
        return int(d[k - 1]) if k else None


def replay_json(history: History, contract: Contract, as_of: int | None = None,
                percents: Iterable[float] = (90.0, 99.0, 100.0)) -> dict[str, Any]:
    """The recovery document of ``simulate --json`` for ``contract``'s own terms, with the
    inverse answers per system (``smallest_rpo_seconds`` by share of days met)."""
    replay = RecoveryReplay.from_history(history, contract, as_of)
    out = replay.run().to_json()
    for name, doc in out["systems"].items():
        doc["rpo"]["smallest_rpo_seconds"] = {f"{p:g}%": replay.smallest_rpo(name, p) for p in percents}
    return out
