"""The SLA clock of shared/spec/sla-clock.md, vectorised over columnar tickets.

Pauses come from the status log: a status holds from its ``at`` until the ticket's
next status row; the **last status of a ticket holds indefinitely** (until the event
or ``as_of`` that ends the measured span: the clipping below ends it there).  The
ticket is paused while its status is one of the contract's ``pause_statuses``.
Consecutive paused rows merge into one pause interval.

``B(a, b)`` = covered and not paused.  For each ticket and metric::

    B(opened, end) = C(opened, end) - sum over its pauses p of C(max(p.start, opened), min(p.end, end))

and because ``F`` (covered seconds before an instant) is monotone,
``C(max(s, o), min(e, x)) = max(0, min(F(e), F(x)) - max(F(s), F(o)))``: ``F`` is
evaluated once per ticket instant and once per pause boundary, per calendar, then
the per-ticket sums are a single ``np.bincount``.  No per-ticket Python loop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.history import MISSING, StatusLog
from workbench.engine.calendar import HIGH, CompiledCalendar

I64 = npt.NDArray[np.int64]

# outcome codes
MET, BREACHED, PENDING, NOT_APPLICABLE, EXCLUDED = 0, 1, 2, 3, -1
OUTCOME_NAMES = {MET: "met", BREACHED: "breached", PENDING: "pending",
                 NOT_APPLICABLE: "not_applicable", EXCLUDED: "excluded"}


@dataclass(frozen=True, eq=False)
class PauseIntervals:
    """Merged pause intervals, sorted by ticket then start; ``ticket`` indexes the table."""

    ticket: I64
    start: I64
    end: I64  # HIGH for a pause that is the ticket's last status

    def __len__(self) -> int:
        return len(self.ticket)

    @classmethod
    def empty(cls) -> PauseIntervals:
        e = np.empty(0, np.int64)
        return cls(e, e, e)

    def subset(self, mask: npt.NDArray[np.bool_], remap: I64 | None = None) -> PauseIntervals:
        t = self.ticket[mask]
        return PauseIntervals(t if remap is None else remap[t], self.start[mask], self.end[mask])


def pause_intervals(
    log: StatusLog | None, pause_statuses: tuple[str, ...] | frozenset[str]
) -> PauseIntervals:
    """Pause intervals from a status log, merged per ticket (rows are sorted by (ticket, at)
    first if the log is not; rows of one ticket at the same instant keep their order)."""
    if log is None or len(log) == 0 or not pause_statuses:
        return PauseIntervals.empty()
    wanted = set(pause_statuses)
    codes = np.array([i for i, name in enumerate(log.status_names) if name in wanted], dtype=np.int32)
    if len(codes) == 0:
        return PauseIntervals.empty()
    ticket, at, status = log.ticket, log.at, log.status
    # StatusLog promises rows sorted by (ticket, at); a log that breaks it would silently give
    # wrong pauses ("the ticket's next row"), so check (one vectorised pass) and sort if needed.
    if len(ticket) > 1:
        dt_ = np.diff(ticket)
        if np.any(dt_ < 0) or np.any((dt_ == 0) & (np.diff(at) < 0)):
            order = np.lexsort((at, ticket))
            ticket, at, status = ticket[order], at[order], status[order]
    paused = np.isin(status, codes)
    n = len(log)
    same_next = np.zeros(n, dtype=bool)
    same_next[:-1] = ticket[1:] == ticket[:-1]
    row_end = np.full(n, HIGH, dtype=np.int64)
    row_end[:-1] = np.where(same_next[:-1], at[1:], HIGH)
    # a paused row starts a merged interval unless the previous row of the same ticket is paused
    prev_paused_same = np.zeros(n, dtype=bool)
    prev_paused_same[1:] = paused[:-1] & same_next[:-1]
    first = paused & ~prev_paused_same
    next_paused_same = np.zeros(n, dtype=bool)
    next_paused_same[:-1] = paused[1:] & same_next[:-1]
    last = paused & ~next_paused_same
    return PauseIntervals(ticket[first].astype(np.int64), at[first].astype(np.int64), row_end[last])


def business_seconds(
    cal: CompiledCalendar,
    opened: I64,
    end: I64,
    pauses: PauseIntervals | None = None,
    *,
    f_opened: I64 | None = None,
    f_pause_start: I64 | None = None,
    f_pause_end: I64 | None = None,
) -> I64:
    """B(opened, end) per ticket (pauses' ``ticket`` index into these arrays).

    ``f_*`` are optional precomputed ``cal.covered_before`` values (reused across metrics).
    """
    fo = cal.covered_before(opened) if f_opened is None else f_opened
    fe = cal.covered_before(end)
    total = np.maximum(fe - fo, 0)
    if pauses is None or len(pauses) == 0:
        return total  # type: ignore[no-any-return]
    fps = f_pause_start
    if fps is None:
        fps = cal.covered_before(np.clip(pauses.start, cal.lo, cal.hi))
    fpe = f_pause_end
    if fpe is None:
        fpe = cal.covered_before(np.clip(pauses.end, cal.lo, cal.hi))
    k = pauses.ticket
    paused = np.minimum(fpe, fe[k]) - np.maximum(fps, fo[k])
    np.maximum(paused, 0, out=paused)
    per_ticket = np.bincount(k, weights=paused, minlength=len(opened)).astype(np.int64)
    return total - per_ticket  # type: ignore[no-any-return]


def outcomes(business: I64, budget: I64, has_event: npt.NDArray[np.bool_]) -> npt.NDArray[np.int8]:
    """met/breached for events, breached/pending without; per ticket."""
    over = business > budget
    out = np.where(has_event, np.where(over, BREACHED, MET), np.where(over, BREACHED, PENDING))
    return out.astype(np.int8)  # type: ignore[no-any-return]


# ------------------------------------------------------------------ per-ticket audit


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    kind: str  # covered | paused | out_of_hours | holiday

    @property
    def seconds(self) -> int:
        return self.end - self.start

    def as_dict(self) -> dict[str, object]:
        return {
            "start": dt.datetime.fromtimestamp(self.start, dt.UTC).isoformat(),
            "end": dt.datetime.fromtimestamp(self.end, dt.UTC).isoformat(),
            "kind": self.kind,
            "seconds": self.seconds,
        }


def clock_audit(
    cal: CompiledCalendar, opened: int, end: int, pauses: list[tuple[int, int]] = ()  # type: ignore[assignment]
) -> list[Segment]:
    """The segments of ``[opened, end)``: covered (counting), paused (covered but paused),
    out_of_hours, holiday (uncovered and on a holiday date of the calendar's zone)."""
    if end <= opened:
        return []
    cuts = {opened, end}
    covered = cal.intervals_between(opened, end)
    for s, e, _d in covered:
        cuts.update((s, e))
    for s, e in pauses:
        for x in (s, e):
            if opened < x < end:
                cuts.add(x)
    hol_ranges: list[tuple[int, int]] = []
    if not cal.always and cal.holidays:
        from zoneinfo import ZoneInfo

        from workbench.engine.calendar import local_instant

        tz = ZoneInfo(cal.timezone or "UTC")
        d = cal.local_date(opened)
        last = cal.local_date(end - 1)
        while d <= last:
            if d in cal.holidays:
                a, b = local_instant(d, 0, tz), local_instant(d, 86400, tz)
                hol_ranges.append((a, b))
                for x in (a, b):
                    if opened < x < end:
                        cuts.add(x)
            d += dt.timedelta(days=1)
    pts = sorted(cuts)
    segs: list[Segment] = []
    for a, b in zip(pts, pts[1:], strict=False):
        if b <= a:
            continue
        in_cov = any(s <= a < e for s, e, _ in covered)
        if in_cov:
            kind = "paused" if any(s <= a < e for s, e in pauses) else "covered"
        elif any(s <= a < e for s, e in hol_ranges):
            kind = "holiday"
        else:
            kind = "out_of_hours"
        if segs and segs[-1].kind == kind and segs[-1].end == a:
            segs[-1] = Segment(segs[-1].start, b, kind)
        else:
            segs.append(Segment(a, b, kind))
    return segs


def effective_end(event: I64, as_of: int) -> tuple[I64, npt.NDArray[np.bool_]]:
    """The end of the measured span: the event when present and not after ``as_of``, else ``as_of``."""
    has = (event != MISSING) & (event <= as_of)
    return np.where(has, event, as_of), has  # type: ignore[return-value]
