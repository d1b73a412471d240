"""Backup, restore and uptime commitments (shared/spec/sla-clock.md, "Other commitments").

* **RPO**: the worst gap between consecutive successful backups of a system, and from
  the last one to ``as_of``, must not exceed the system's RPO.  A system with no
  successful backup at all is a breach (its gap cannot be bounded).
* **RTO**: every successful restore test's duration (``finished_at - started_at``)
  must not exceed the system's RTO; a failed test is a breach.  Only tests finished
  by ``as_of`` are judged.
* **Restore-test cadence**: the longest interval between consecutive restore tests
  (their starts; failed tests count as tests held), and from the last one to
  ``as_of``, must not exceed the cadence (``quarterly`` = 92 days).  With no test at
  all the cadence is breached.
* **Uptime**: availability of a service over a period = 1 - outage seconds inside the
  measurement calendar (minus planned maintenance windows when the commitment
  excludes them) / seconds of that calendar in the period.  Months are calendar
  months in the measurement calendar's zone (UTC for the literal ``24x7``); the month
  holding ``as_of`` is ``pending`` unless the outages known by then already breach it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from models.contract import LITERAL_24X7, Contract, UptimeCommitment, parse_duration
from models.history import BackupJob, History, Outage, RestoreTest, to_epoch
from workbench.engine.calendar import compile_calendar


def _iso(t: int | None) -> str | None:
    return None if t is None else dt.datetime.fromtimestamp(t, dt.UTC).isoformat()


@dataclass(frozen=True)
class RpoResult:
    system: str
    rpo_seconds: int
    successful_backups: int
    worst_gap_seconds: int | None
    worst_gap_start: int | None
    worst_gap_end: int | None

    @property
    def met(self) -> bool:
        return self.worst_gap_seconds is not None and self.worst_gap_seconds <= self.rpo_seconds

    def as_dict(self) -> dict[str, Any]:
        return {"system": self.system, "rpo_seconds": self.rpo_seconds,
                "successful_backups": self.successful_backups,
                "worst_gap_seconds": self.worst_gap_seconds, "worst_gap_start": _iso(self.worst_gap_start),
                "worst_gap_end": _iso(self.worst_gap_end), "met": self.met}


def rpo_check(system: str, rpo_seconds: int, backups: Iterable[BackupJob], as_of: int) -> RpoResult:
    times = sorted(to_epoch(b.finished_at) for b in backups
                   if b.system == system and b.success and to_epoch(b.finished_at) <= as_of)
    if not times:
        return RpoResult(system, rpo_seconds, 0, None, None, None)
    pts = np.array([*times, as_of], dtype=np.int64)
    gaps = np.diff(pts)
    k = int(np.argmax(gaps))
    return RpoResult(system, rpo_seconds, len(times), int(gaps[k]), int(pts[k]), int(pts[k + 1]))


@dataclass(frozen=True)
class RtoResult:
    system: str
    started_at: int
    duration_seconds: int
    rto_seconds: int | None
    success: bool

    @property
    def outcome(self) -> str:
        if not self.success:
            return "breached"
        if self.rto_seconds is None:
            return "not_applicable"
        return "met" if self.duration_seconds <= self.rto_seconds else "breached"

    def as_dict(self) -> dict[str, Any]:
        return {"system": self.system, "started_at": _iso(self.started_at),
                "duration_seconds": self.duration_seconds, "rto_seconds": self.rto_seconds,
                "success": self.success, "outcome": self.outcome}


def rto_checks(contract: Contract, tests: Iterable[RestoreTest], as_of: int | None = None) -> list[RtoResult]:
    """Every restore test finished by ``as_of`` (all of them when ``as_of`` is None): a test
    still running or held after ``as_of`` has no known outcome at ``as_of``."""
    rto = {s.name: parse_duration(s.rto) for s in contract.backup.systems}
    out = []
    for t in sorted(tests, key=lambda r: to_epoch(r.started_at)):
        a, b = to_epoch(t.started_at), to_epoch(t.finished_at)
        if as_of is not None and b > as_of:
            continue
        out.append(RtoResult(t.system, a, b - a, rto.get(t.system), t.success))
    return out


@dataclass(frozen=True)
class CadenceResult:
    scope: str  # a system name, or "all"
    cadence_seconds: int
    tests: int
    longest_interval_seconds: int | None
    longest_from: int | None
    longest_to: int | None

    @property
    def met(self) -> bool:
        longest = self.longest_interval_seconds
        return longest is not None and longest <= self.cadence_seconds

    def as_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "cadence_seconds": self.cadence_seconds, "tests": self.tests,
                "longest_interval_seconds": self.longest_interval_seconds,
                "longest_from": _iso(self.longest_from), "longest_to": _iso(self.longest_to), "met": self.met}


def cadence_check(
    scope: str, cadence_seconds: int, tests: Iterable[RestoreTest], as_of: int
) -> CadenceResult:
    times = sorted(to_epoch(t.started_at) for t in tests
                   if (scope == "all" or t.system == scope) and to_epoch(t.started_at) <= as_of)
    if not times:
        return CadenceResult(scope, cadence_seconds, 0, None, None, None)
    pts = np.array([*times, as_of], dtype=np.int64)
    gaps = np.diff(pts)
    k = int(np.argmax(gaps))
    return CadenceResult(scope, cadence_seconds, len(times), int(gaps[k]), int(pts[k]), int(pts[k + 1]))


# ------------------------------------------------------------------------ uptime


def _merge(iv: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(iv):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _subtract(iv: list[tuple[int, int]], cut: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in iv:
        pieces = [(a, b)]
        for c, d in cut:
            nxt = []
            for x, y in pieces:
                if d <= x or c >= y:
                    nxt.append((x, y))
                    continue
                if c > x:
                    nxt.append((x, c))
                if d < y:
                    nxt.append((d, y))
            pieces = nxt
        out.extend(pieces)
    return out


def _calendar_spec(contract: Contract, name: str) -> Any:
    return LITERAL_24X7 if name == LITERAL_24X7 else contract.calendars[name]


def outage_seconds(contract: Contract, commitment: UptimeCommitment, outages: Iterable[Outage],
                   start: int, end: int) -> tuple[int, int]:
    """(counted outage seconds, calendar seconds) of ``[start, end)`` for a commitment."""
    spec = _calendar_spec(contract, commitment.calendar)
    mine = [o for o in outages if o.service == commitment.service]
    down = _merge([(max(to_epoch(o.start), start), min(to_epoch(o.end), end)) for o in mine
                   if not (o.maintenance and commitment.maintenance_excluded)])
    if commitment.maintenance_excluded:
        maint = _merge([(to_epoch(o.start), to_epoch(o.end)) for o in mine if o.maintenance])
        down = _subtract(down, maint)
    lo = min([start, *[a for a, _ in down]])
    hi = max([end, *[b for _, b in down]])
    cal = compile_calendar(spec, lo, hi)
    total = int(cal.covered(np.array([start]), np.array([end]))[0])
    if not down:
        return 0, total
    a = np.array([x for x, _ in down], dtype=np.int64)
    b = np.array([y for _, y in down], dtype=np.int64)
    return int(cal.covered(a, b).sum()), total


def availability(contract: Contract, commitment: UptimeCommitment, outages: Iterable[Outage],
                 start: int, end: int) -> float | None:
    """Availability over ``[start, end)``; None when the calendar covers none of it."""
    down, total = outage_seconds(contract, commitment, list(outages), start, end)
    return None if total == 0 else 1.0 - down / total


def month_bounds(zone: str | None, first: int, last: int) -> list[tuple[str, int, int]]:
    """(label, start, end) of the calendar months in ``zone`` touching ``[first, last]``."""
    tz = ZoneInfo(zone or "UTC")
    d = dt.datetime.fromtimestamp(first, tz).date().replace(day=1)
    out = []
    while True:
        nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        a = int(dt.datetime(d.year, d.month, 1, tzinfo=tz).timestamp())
        b = int(dt.datetime(nxt.year, nxt.month, 1, tzinfo=tz).timestamp())
        if a > last:
            break
        out.append((f"{d.year:04d}-{d.month:02d}", a, b))
        d = nxt
    return out


def monthly_availability(contract: Contract, outages: Sequence[Outage], first: int,
                         last: int) -> dict[str, dict[str, dict[str, Any]]]:
    """{service: {month: {availability, target, met, outcome, complete, outage_seconds,
    calendar_seconds}}} for the months touching ``[first, last]`` (``last`` is ``as_of``).

    A month that ends after ``last`` is not over: only outages up to ``last`` are known,
    and the availability over the whole month can only fall.  Like a ticket without
    its event, it is ``breached`` if the outages known already break the target, else
    ``pending`` (``met`` is then None).  ``availability`` is always over the whole month.
    """
    out: dict[str, dict[str, dict[str, Any]]] = {}
    known = [o for o in outages if to_epoch(o.start) < last]
    for u in contract.uptime:
        zone = None if u.calendar == LITERAL_24X7 else contract.calendars[u.calendar].timezone
        rows = {}
        for label, a, b in month_bounds(zone, first, last):
            complete = b <= last
            down, total = outage_seconds(contract, u, known, a, min(b, last))
            if not complete:
                total = outage_seconds(contract, u, (), a, b)[1]
            av = None if total == 0 else 1.0 - down / total
            ok = None if av is None else av >= u.target_percent / 100 - 1e-12
            outcome = None if ok is None else "met" if ok and complete else "pending" if ok else "breached"
            rows[label] = {"availability": av, "target": u.target_percent / 100,
                           "met": None if outcome in (None, "pending") else outcome == "met",
                           "outcome": outcome, "complete": complete,
                           "outage_seconds": down, "calendar_seconds": total}
        out[u.service] = rows
    return out


# ----------------------------------------------------------------------- report


def history_as_of(history: History) -> int:
    """The default ``as_of`` of the recovery checks: the latest instant anywhere in the
    history (tickets, status log, backups, restore tests, outages); 0 for none."""
    instants = [to_epoch(b.finished_at) for b in history.backups]
    instants += [to_epoch(r.finished_at) for r in history.restore_tests]
    instants += [to_epoch(o.end) for o in history.outages]
    latest = history.latest_instant()
    return max([*instants, latest]) if instants or latest > 0 else 0


def recovery_report(contract: Contract, history: History, as_of: int | None = None) -> dict[str, Any]:
    """RPO, RTO, restore cadence and monthly availability in one JSON-ready dict."""
    if as_of is None:
        as_of = history_as_of(history)
    systems = contract.backup.systems
    rpo = [rpo_check(s.name, parse_duration(s.rpo), history.backups, as_of) for s in systems]
    rto = rto_checks(contract, history.restore_tests, as_of)
    cadence = []
    cs = contract.backup.cadence_seconds()
    if cs is not None:
        cadence.append(cadence_check("all", cs, history.restore_tests, as_of))
        cadence.extend(cadence_check(s.name, cs, history.restore_tests, as_of) for s in systems)
    uptime: dict[str, Any] = {}
    if contract.uptime and history.outages:
        first = min(to_epoch(o.start) for o in history.outages)
        uptime = monthly_availability(contract, history.outages, first, as_of)
    return {
        "as_of": _iso(as_of),
        "rpo": [r.as_dict() for r in rpo],
        "rto": [r.as_dict() for r in rto],
        "restore_cadence": [c.as_dict() for c in cadence],
        "uptime": uptime,
    }
