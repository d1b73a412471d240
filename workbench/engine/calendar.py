"""Coverage calendars compiled into covered intervals and cumulative coverage.

A :class:`~models.contract.CalendarSpec` (or the literal ``"24x7"``) compiles, over a
span of instants, into a sorted array of covered half-open intervals ``[start, end)``
in UTC epoch seconds, and the covered seconds accumulated before each interval.
``F(t)`` ("covered seconds before ``t``") is then a vectorised lookup and the covered
time of ``[a, b)`` is ``C(a, b) = F(b) - F(a)``.  Semantics follow
shared/spec/sla-clock.md:

* local wall times become instants with ``zoneinfo`` and ``fold=0``: a time that does
  not exist (spring forward) lands after the gap, an ambiguous one (fall back) takes
  its first occurrence;
* a window end of ``24:00`` is the next local midnight;
* holidays (``holidays`` package by country/subdivision, plus ``add``, minus
  ``remove``) remove whole local dates: every window generated for that date;
* the literal ``24x7`` covers every instant and ignores holidays.

Every interval remembers the local date that generated it (Monday's ``08:00-17:00``
belongs to that Monday), so that the day targets (``same_business_day`` /
``next_business_day``) find "the end of the last window of the start day" and "of the
first covered day after it": the start day is the generating date of the window that
holds the first covered instant at or after the opening.  The generating date is
usually the local date of the window's instants, but not where a zone change makes a
date's wall times land on another day: Pacific/Apia skipped Friday 2011-12-30, so
Friday's ``08:00-17:00`` covers Saturday 12-31 08:00-17:00 on the wall clock and still
belongs to Friday (a holiday on the 30th removes it, one on the 31st does not); in
America/St_Johns DST ended at 00:01 on 2010-11-07, so the repeated 23:01-24:00 reads
as Saturday but lies in Sunday's windows and belongs to Sunday
(tests/test_calendar_zone_changes.py).  Read literally: under a night shift written
``22:00-24:00`` + ``00:00-06:00``, a ticket opened Wednesday 23:00 starts on Wednesday,
whose last window ends at midnight, so its same-business-day budget is 1 h; one
opened Thursday 00:00 starts on Thursday.

Fold=0 in a gap reads the wall time with the offset before the change, so a window
edge inside the gap moves forward by the gap's length (02:30 on a spring-forward
night is 03:30 after the change) and a window wholly inside a 1 h gap keeps its
length after it, while one that ends at the gap's end becomes empty.

When every boundary falls on a whole minute (always, for HH:MM windows in zones with
minute offsets) the lookup uses a per-minute table of cumulative coverage; otherwise
(or for very long spans) it uses ``np.searchsorted`` over the interval starts.  Both
give the same answer; tests check each against an independent reference.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from models.contract import LITERAL_24X7, WEEKDAYS, CalendarSpec

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
ArrayLike = npt.ArrayLike

DAY = 86400
WEEK = 7 * DAY
SPAN_MARGIN_BEFORE = 2 * WEEK
SPAN_MARGIN_AFTER = 60 * DAY
# Sentinels bracketing the interval arrays; far outside any real instant but with room
# for arithmetic without overflow.
LOW = -(2**61)
HIGH = 2**61
MAX_TABLE_MINUTES = 12_000_000  # ~22 years; beyond that the searchsorted path is used

CalendarLike = CalendarSpec | str


def calendar_key(cal: CalendarLike) -> str:
    """A hashable, canonical key of a calendar (for caches)."""
    if isinstance(cal, str):
        if cal != LITERAL_24X7:
            raise ValueError(f"unknown calendar {cal!r}: only the literal {LITERAL_24X7!r} is a string")
        return LITERAL_24X7
    return cal.model_dump_json()


@functools.lru_cache(maxsize=64)
def _package_holidays(country: str, subdivision: str | None, first_year: int,
                      last_year: int) -> frozenset[dt.date]:
    import holidays

    years = range(first_year, last_year + 1)
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=years).keys())


def holiday_dates(spec: CalendarSpec, first_year: int, last_year: int) -> frozenset[dt.date]:
    """Whole local dates removed from coverage for the years given."""
    h = spec.holidays
    if h is None:
        return frozenset()
    dates: set[dt.date] = set()
    if h.country:
        dates.update(_package_holidays(h.country, h.subdivision, first_year, last_year))
    dates.update(h.add)
    dates.difference_update(h.remove)
    return frozenset(dates)


@dataclass(frozen=True, eq=False)
class CompiledCalendar:
    """An immutable compiled calendar.  Build with :func:`compile_calendar`."""

    key: str
    timezone: str | None
    lo: int  # instants in [lo, hi] are answered exactly
    hi: int
    always: bool  # the literal 24x7
    starts: I64 = field(repr=False)  # with a LOW sentinel first and a HIGH sentinel last
    ends: I64 = field(repr=False)
    cum: I64 = field(repr=False)  # covered seconds before interval i
    day: I32 = field(repr=False)  # local date (proleptic ordinal) that generated interval i
    same_day_end: I64 = field(repr=False)  # end of the last interval of day[i]
    next_day_end: I64 = field(repr=False)  # end of the last interval of the next covered day
    holidays: frozenset[dt.date] = frozenset()
    table: I64 | None = field(default=None, repr=False)  # per minute: F(minute start) - S * offset
    slope: npt.NDArray[np.int8] | None = field(default=None, repr=False)  # per minute: 1 if covered

    # ------------------------------------------------------------------ lookups

    def check_span(self, t: ArrayLike) -> None:
        if self.always:
            return
        a = np.asarray(t)
        if a.size and (int(a.min()) < self.lo or int(a.max()) > self.hi):
            raise ValueError(
                "instant outside the compiled span of the calendar "
                f"({int(a.min())}..{int(a.max())} not within {self.lo}..{self.hi})"
            )

    def covered_before(self, t: ArrayLike) -> I64:
        """F(t): covered seconds from the start of the span up to instant ``t``.

        Raises ValueError for an instant outside the compiled span (it cannot be
        answered: the per-minute table would wrap around, the interval search would
        see no coverage)."""
        a = np.asarray(t, dtype=np.int64)
        self.check_span(a)
        return self.covered_before_in_span(a)

    def covered_before_in_span(self, t: ArrayLike) -> I64:
        """:meth:`covered_before` without the span check, for callers (the engine's hot
        path) whose instants are within ``[lo, hi]`` by construction."""
        a = np.asarray(t, dtype=np.int64)
        if self.always:
            return a.copy() if a.ndim else a
        if self.table is not None and self.slope is not None:
            # F(t) = G[m] + S[m] * (t - lo), m = minute of t: each minute is wholly covered or not
            r = a - self.lo
            m = r // 60
            out = np.take(self.slope, m) * r
            out += np.take(self.table, m)
            return out  # type: ignore[no-any-return]
        i = np.searchsorted(self.starts, a, side="right") - 1
        return self.cum[i] + np.minimum(a - self.starts[i], self.ends[i] - self.starts[i])  # type: ignore[no-any-return]

    def covered(self, a: ArrayLike, b: ArrayLike) -> I64:
        """C(a, b): covered seconds of ``[a, b)`` (0 when ``b <= a``)."""
        return np.maximum(self.covered_before(b) - self.covered_before(a), 0)  # type: ignore[no-any-return]

    def _index_at_or_after(self, a: I64) -> tuple[I64, npt.NDArray[np.bool_]]:
        i = np.searchsorted(self.starts, a, side="right") - 1
        inside = a < self.ends[i]
        return np.where(inside, i, i + 1), inside

    def next_covered(self, t: ArrayLike) -> I64:
        """The first covered instant at or after ``t`` (HIGH when none in the span)."""
        a = np.asarray(t, dtype=np.int64)
        if self.always:
            return a.copy()
        self.check_span(a)
        k, inside = self._index_at_or_after(a)
        return np.where(inside, a, self.starts[k])  # type: ignore[no-any-return]

    def is_covered(self, t: ArrayLike) -> npt.NDArray[np.bool_]:
        a = np.asarray(t, dtype=np.int64)
        if self.always:
            return np.ones(a.shape, dtype=bool)
        return self.next_covered(a) == a  # type: ignore[no-any-return]

    def day_end(self, t: ArrayLike, next_day: bool = False) -> I64:
        """End of the last window of the start day of ``t`` (the date that generated the
        window holding the first covered instant at or after ``t``), or of the first
        covered day after it."""
        if self.always:
            raise ValueError("day targets need a calendar with a time zone, not the literal 24x7")
        a = np.asarray(t, dtype=np.int64)
        self.check_span(a)
        k, _ = self._index_at_or_after(a)
        return (self.next_day_end if next_day else self.same_day_end)[k]  # type: ignore[no-any-return]

    def day_budget(self, opened: ArrayLike, next_day: bool = False) -> I64:
        """Budget of a day target: C(opened, end of the start day's / next day's last window)."""
        a = np.asarray(opened, dtype=np.int64)
        end = self.day_end(a, next_day)  # checks the span of ``a``
        end = np.minimum(end, self.hi)  # end >= a: within the span too
        f = self.covered_before_in_span
        return np.maximum(f(end) - f(a), 0)  # type: ignore[no-any-return]

    def intervals_between(self, a: int, b: int) -> list[tuple[int, int, dt.date]]:
        """Covered intervals clipped to ``[a, b)`` with the local date that generated them."""
        if self.always:
            return [(a, b, dt.date(1970, 1, 1))] if b > a else []
        i0 = max(int(np.searchsorted(self.ends, a, side="right")), 1)
        out = []
        for i in range(i0, len(self.starts) - 1):
            s, e = int(self.starts[i]), int(self.ends[i])
            if s >= b:
                break
            s, e = max(s, a), min(e, b)
            if e > s:
                out.append((s, e, dt.date.fromordinal(int(self.day[i]))))
        return out

    def local_date(self, t: int) -> dt.date:
        tz = ZoneInfo(self.timezone or "UTC")
        return dt.datetime.fromtimestamp(t, tz=tz).date()

    @property
    def intervals(self) -> tuple[I64, I64]:
        """The covered intervals (without sentinels)."""
        return self.starts[1:-1], self.ends[1:-1]


def local_instant(day: dt.date, seconds: int, tz: dt.tzinfo) -> int:
    """Epoch seconds of local wall time ``day + seconds`` (``86400`` = next midnight), fold=0."""
    if seconds >= DAY:
        day = day + dt.timedelta(days=seconds // DAY)
        seconds %= DAY
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return int(dt.datetime(day.year, day.month, day.day, h, m, s, tzinfo=tz, fold=0).timestamp())


def _compile(spec: CalendarLike, lo: int, hi: int) -> CompiledCalendar:
    key = calendar_key(spec)
    if isinstance(spec, str):
        empty = np.empty(0, np.int64)
        return CompiledCalendar(key, None, lo, hi, True, empty, empty, empty,
                                np.empty(0, np.int32), empty, empty)
    tz = ZoneInfo(spec.timezone)
    d0 = dt.datetime.fromtimestamp(lo, tz=tz).date() - dt.timedelta(days=2)
    d1 = dt.datetime.fromtimestamp(hi, tz=tz).date() + dt.timedelta(days=2)
    hol = holiday_dates(spec, d0.year, d1.year)
    weekly = [spec.windows(name) for name in WEEKDAYS]
    starts: list[int] = []
    ends: list[int] = []
    days: list[int] = []
    d = d0
    one = dt.timedelta(days=1)
    while d <= d1:
        wins = weekly[d.weekday()]
        if wins and d not in hol:
            for ws, we in wins:
                s = local_instant(d, ws, tz)
                e = local_instant(d, we, tz)
                if e > s:
                    starts.append(s)
                    ends.append(e)
                    days.append(d.toordinal())
        d += one
    st = np.array(starts, dtype=np.int64)
    en = np.array(ends, dtype=np.int64)
    dy = np.array(days, dtype=np.int32)
    order = np.argsort(st, kind="stable")
    st, en, dy = st[order], en[order], dy[order]
    if len(st) > 1:  # overlaps only in pathological zones (DST at midnight): make disjoint
        prev_end = np.maximum.accumulate(en)
        st[1:] = np.maximum(st[1:], prev_end[:-1])
        en = np.maximum(en, st)
    lens = en - st
    # Day-target lookups: last interval of each generating date, and of the next date.
    same_end = np.full(len(st), HIGH, np.int64)
    next_end = np.full(len(st), HIGH, np.int64)
    if len(st):
        uniq, inv = np.unique(dy, return_inverse=True)
        last_end = np.full(len(uniq) + 1, HIGH, np.int64)
        last_end[: len(uniq)] = LOW
        np.maximum.at(last_end, inv, en)
        same_end = last_end[inv]
        next_end = last_end[inv + 1]
    cum_body = np.concatenate(([0], np.cumsum(lens)[:-1])) if len(st) else np.empty(0, np.int64)
    total = int(lens.sum()) if len(st) else 0
    starts_a = np.concatenate(([LOW], st, [HIGH])).astype(np.int64)
    ends_a = np.concatenate(([LOW], en, [HIGH])).astype(np.int64)
    cum_a = np.concatenate(([0], cum_body, [total])).astype(np.int64)
    day_a = np.concatenate(([-1], dy, [-1])).astype(np.int32)
    same_a = np.concatenate(([HIGH], same_end, [HIGH])).astype(np.int64)
    next_a = np.concatenate(([HIGH], next_end, [HIGH])).astype(np.int64)
    table = slope = None
    n_min = (hi - lo) // 60 + 2
    if (
        n_min <= MAX_TABLE_MINUTES
        and np.all((st - lo) % 60 == 0)
        and np.all((en - lo) % 60 == 0)
    ):
        # Piecewise constant per segment between boundaries: F(t) = G + S * (t - lo).
        edges = np.unique(np.clip(np.concatenate(([0, n_min], (st - lo) // 60, (en - lo) // 60)), 0, n_min))
        seg_start = edges[:-1]
        seg_len = np.diff(edges)
        seg_t = lo + seg_start * 60
        seg_flag = (next_covered_index(starts_a, ends_a, seg_t) == seg_t).astype(np.int8)
        seg_f = _search_f(starts_a, ends_a, cum_a, seg_t)
        seg_g = seg_f - seg_flag.astype(np.int64) * (seg_t - lo)
        table = np.repeat(seg_g, seg_len)
        slope = np.repeat(seg_flag, seg_len)
    return CompiledCalendar(
        key, spec.timezone, lo, hi, False, starts_a, ends_a, cum_a, day_a, same_a, next_a,
        hol, table, slope,
    )


def next_covered_index(starts: I64, ends: I64, a: I64) -> I64:
    """The first covered instant at or after each ``a`` (searchsorted form)."""
    i = np.searchsorted(starts, a, side="right") - 1
    return np.where(a < ends[i], a, starts[i + 1])  # type: ignore[no-any-return]


def _search_f(starts: I64, ends: I64, cum: I64, a: I64) -> I64:
    i = np.searchsorted(starts, a, side="right") - 1
    return cum[i] + np.minimum(a - starts[i], ends[i] - starts[i])  # type: ignore[no-any-return]


def round_span(lo: int, hi: int) -> tuple[int, int]:
    """Widen ``[lo, hi]`` to whole weeks with margins, so that nearby spans share a cache entry."""
    lo2 = ((lo - SPAN_MARGIN_BEFORE) // WEEK) * WEEK
    hi2 = -((-(hi + SPAN_MARGIN_AFTER)) // WEEK) * WEEK
    return int(lo2), int(hi2)


_CACHE: OrderedDict[tuple[str, int, int], CompiledCalendar] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 32


def compile_calendar(spec: CalendarLike, lo: int, hi: int, *, exact_span: bool = False,
                     table: bool = True) -> CompiledCalendar:
    """Compile a calendar for instants in ``[lo, hi]`` (widened by :func:`round_span`
    unless ``exact_span``).  Cached by (calendar, span)."""
    if not exact_span:
        lo, hi = round_span(lo, hi)
    key = (calendar_key(spec) + ("" if table else "#search"), lo, hi)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    cal = _compile(spec, lo, hi)
    if not table and cal.table is not None:
        cal = CompiledCalendar(cal.key, cal.timezone, cal.lo, cal.hi, cal.always, cal.starts,
                               cal.ends, cal.cum, cal.day, cal.same_day_end, cal.next_day_end,
                               cal.holidays, None, None)
    with _CACHE_LOCK:
        _CACHE[key] = cal
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return cal
