"""The engine's clock against an independent brute-force reference.

The reference below shares no code with ``workbench/``: for each ticket it walks the
local days of its life one by one with ``zoneinfo``, builds that day's windows as
instants, intersects them with ``[opened, end)`` and subtracts the intersection with
every paused status row (a row holds until the ticket's next row, the last one for
ever).  Tickets cluster around DST changes (northern and southern hemisphere),
half-hour and 45-minute offsets, holidays, window edges, zero-length events,
out-of-hours openings, lunch breaks, a night shift written as 22:00-24:00 plus
00:00-06:00, gap-time windows, and chains of consecutive pause statuses.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from functools import cache
from zoneinfo import ZoneInfo

import holidays as holidays_pkg
import numpy as np
import pytest

from models.contract import CalendarSpec
from models.history import MISSING, StatusLog
from workbench.engine.calendar import compile_calendar
from workbench.engine.clock import business_seconds, pause_intervals

WD = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PAUSE = ("Awaiting User Info", "Pending client approval")
STATUSES = ("Active", "Awaiting User Info", "Pending client approval", "Awaiting Vendor", "New")

CALENDARS: dict[str, dict] = {
    "toronto_8x5": {
        "timezone": "America/Toronto",
        "weekly": {d: ["08:00-17:00"] for d in WD[:5]},
        "holidays": {"country": "CA", "subdivision": "ON", "add": ["2026-12-24"], "remove": ["2026-08-03"]},
    },
    "sydney_lunch": {
        "timezone": "Australia/Sydney",
        "weekly": {d: ["08:00-12:00", "13:00-17:00"] for d in WD[:5]},
        "holidays": {"country": "AU", "subdivision": "NSW"},
    },
    "adelaide_night": {
        "timezone": "Australia/Adelaide",
        "weekly": {d: ["00:00-06:00", "22:00-24:00"] for d in WD},
        "holidays": {"country": "AU", "subdivision": "SA"},
    },
    "kathmandu": {
        "timezone": "Asia/Kathmandu",
        "weekly": {d: ["09:30-18:15"] for d in ("sun", "mon", "tue", "wed", "thu", "fri")},
    },
    "kolkata_allday": {
        "timezone": "Asia/Kolkata",
        "weekly": {d: ["00:00-24:00"] for d in WD},
        "holidays": {"country": "IN"},
    },
    "toronto_gaps": {  # windows inside the spring-forward gap and the fall-back overlap
        "timezone": "America/Toronto",
        "weekly": {d: ["01:30-02:30", "02:30-03:00", "12:00-24:00"] for d in WD},
    },
}

# DST changes and holidays around which tickets cluster (local dates)
ANCHOR_DATES = {
    "America/Toronto": ["2026-03-08", "2026-11-01", "2025-11-02", "2026-12-24", "2026-12-25",
                        "2026-12-28", "2026-07-01", "2026-05-18"],
    "Australia/Sydney": ["2026-04-05", "2026-10-04", "2025-10-05", "2026-01-26", "2026-12-25"],
    "Australia/Adelaide": ["2026-04-05", "2026-10-04", "2026-03-09", "2026-12-24"],
    "Asia/Kathmandu": ["2026-01-01", "2026-06-15"],
    "Asia/Kolkata": ["2026-01-26", "2026-08-15", "2026-10-02"],
}
EDGES = ["07:59:59", "08:00:00", "16:59:59", "17:00:00", "00:00:00", "23:59:59", "12:00:00",
         "13:00:00", "11:59:59", "22:00:00", "06:00:00", "05:59:59", "02:30:00", "01:30:00",
         "03:00:00", "09:30:00", "18:15:00", "18:14:59"]


# ------------------------------------------------------------------ the reference


class Reference:
    def __init__(self, data: dict) -> None:
        self.tz = ZoneInfo(data["timezone"])
        self.weekly = {}
        for day, wins in data.get("weekly", {}).items():
            spans = []
            for w in wins:
                a, b = w.split("-")
                spans.append((a, b))
            self.weekly[WD.index(day)] = spans
        self.hol: set[dt.date] = set()
        h = data.get("holidays")
        if h:
            if h.get("country"):
                for y in range(2024, 2029):
                    found = holidays_pkg.country_holidays(h["country"], subdiv=h.get("subdivision"), years=y)
                    self.hol.update(found)
            self.hol.update(dt.date.fromisoformat(x) for x in h.get("add", []))
            self.hol.difference_update(dt.date.fromisoformat(x) for x in h.get("remove", []))

    def _instant(self, day: dt.date, hhmm: str) -> int:
        hh, mm = (int(x) for x in hhmm.split(":"))
        if hh == 24:
            day, hh = day + dt.timedelta(days=1), 0
        local = dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=self.tz)
        return int(local.timestamp())

    @cache  # noqa: B019
    def day_windows(self, day: dt.date) -> tuple[tuple[int, int], ...]:
        if day in self.hol:
            return ()
        out = []
        for a, b in self.weekly.get(day.weekday(), []):
            s, e = self._instant(day, a), self._instant(day, b)
            if e > s:
                out.append((s, e))
        return tuple(out)

    def walk(self, a: int, b: int):
        """(start, end, local date) of windows overlapping [a, b), day by day."""
        day = dt.datetime.fromtimestamp(a, self.tz).date() - dt.timedelta(days=1)
        last = dt.datetime.fromtimestamp(max(a, b), self.tz).date() + dt.timedelta(days=1)
        while day <= last:
            for s, e in self.day_windows(day):
                yield s, e, day
            day += dt.timedelta(days=1)

    def covered(self, a: int, b: int) -> int:
        total = 0
        for s, e, _ in self.walk(a, b):
            total += max(0, min(e, b) - max(s, a))
        return total

    def business(self, a: int, b: int, rows: list[tuple[int, str]]) -> int:
        total = 0
        for s, e, _ in self.walk(a, b):
            lo, hi = max(s, a), min(e, b)
            if hi <= lo:
                continue
            total += hi - lo
            for i, (at, status) in enumerate(rows):
                if status not in PAUSE:
                    continue
                until = rows[i + 1][0] if i + 1 < len(rows) else 10**12
                total -= max(0, min(hi, until) - max(lo, at))
        return total

    def day_budget(self, opened: int, next_day: bool) -> int:
        day = dt.datetime.fromtimestamp(opened, self.tz).date() - dt.timedelta(days=1)
        start_day = None
        for _ in range(60):
            for _s, e in self.day_windows(day):
                if e > opened and start_day is None:
                    start_day = day
            if start_day is not None:
                break
            day += dt.timedelta(days=1)
        assert start_day is not None
        target_day = start_day
        if next_day:
            target_day = start_day + dt.timedelta(days=1)
            while not self.day_windows(target_day):
                target_day += dt.timedelta(days=1)
        end = max(e for _, e in self.day_windows(target_day))
        return self.covered(opened, end)


class Reference24x7:
    def business(self, a: int, b: int, rows: list[tuple[int, str]]) -> int:
        total = max(0, b - a)
        for i, (at, status) in enumerate(rows):
            if status in PAUSE:
                until = rows[i + 1][0] if i + 1 < len(rows) else 10**12
                total -= max(0, min(b, until) - max(a, at))
        return total


# ------------------------------------------------------------------ random tickets


def _local(tz: ZoneInfo, day: dt.date, hms: str) -> int:
    h, m, s = (int(x) for x in hms.split(":"))
    return int(dt.datetime(day.year, day.month, day.day, h, m, s, tzinfo=tz).timestamp())


def make_tickets(rng: random.Random, tzname: str, n: int):
    tz = ZoneInfo(tzname)
    anchors = [dt.date.fromisoformat(x) for x in ANCHOR_DATES.get(tzname, ["2026-03-08", "2026-11-01"])]
    opened, ends, logs = [], [], []
    for _ in range(n):
        day = rng.choice(anchors) + dt.timedelta(days=rng.randint(-3, 3))
        r = rng.random()
        if r < 0.4:
            o = _local(tz, day, rng.choice(EDGES))
        elif r < 0.7:
            o = _local(tz, day, "00:00:00") + rng.randint(0, 86400)
        else:
            o = _local(tz, day, "00:00:00") + rng.randint(0, 86400 // 60) * 60
        r = rng.random()
        if r < 0.1:
            dur = 0
        elif r < 0.3:
            dur = rng.randint(1, 3600)
        elif r < 0.5:
            # end on a window edge of a nearby day
            eday = day + dt.timedelta(days=rng.randint(0, 4))
            dur = max(0, _local(tz, eday, rng.choice(EDGES)) - o)
        elif r < 0.8:
            dur = rng.randint(3600, 3 * 86400)
        else:
            dur = rng.randint(3 * 86400, 12 * 86400)
        e = o + dur
        rows = []
        if rng.random() < 0.6:
            t = o - rng.randint(0, 7200) if rng.random() < 0.2 else o
            for _k in range(rng.randint(1, 6)):
                t += rng.choice([0, rng.randint(1, 600), rng.randint(600, 3 * 86400)])
                rows.append((t, rng.choice(STATUSES)))
        opened.append(o)
        ends.append(e)
        logs.append(rows)
    return np.array(opened, np.int64), np.array(ends, np.int64), logs


def status_log_from(logs: list[list[tuple[int, str]]]) -> StatusLog:
    t, at, st = [], [], []
    for i, rows in enumerate(logs):
        for a, s in rows:
            t.append(i)
            at.append(a)
            st.append(STATUSES.index(s))
    order = np.lexsort((np.array(at, np.int64), np.array(t, np.int64)))
    return StatusLog(np.array(t, np.int64)[order], np.array(at, np.int64)[order],
                     np.array(st, np.int32)[order], STATUSES)


def _check(name: str, n: int, seed: int, table: bool) -> int:
    rng = random.Random(seed)
    data = CALENDARS[name]
    ref = Reference(data)
    spec = CalendarSpec.model_validate(data)
    opened, ends, logs = make_tickets(rng, data["timezone"], n)
    cal = compile_calendar(spec, int(opened.min()), int(ends.max()), table=table)
    assert (cal.table is not None) == table
    pauses = pause_intervals(status_log_from(logs), PAUSE)
    got = business_seconds(cal, opened, ends, pauses)
    got_c = cal.covered(opened, ends)
    same = cal.day_budget(opened)
    nxt = cal.day_budget(opened, next_day=True)
    bad: list[tuple[object, ...]] = []  # (ticket, opened, what, expected, got, ...)
    for i in range(n):
        o, e = int(opened[i]), int(ends[i])
        rows = sorted(logs[i], key=lambda r: r[0])
        exp = ref.business(o, e, rows)
        exp_c = ref.covered(o, e)
        if got[i] != exp or got_c[i] != exp_c:
            bad.append((i, o, e, rows, int(got[i]), exp, int(got_c[i]), exp_c))
        if i % 5 == 0:
            bs, bn = ref.day_budget(o, False), ref.day_budget(o, True)
            if bs != same[i] or bn != nxt[i]:
                bad.append((i, o, "day", bs, int(same[i]), bn, int(nxt[i])))
    assert not bad, f"{len(bad)} mismatches in {name}, first: {bad[:3]}"
    return n


@pytest.mark.parametrize("name", sorted(CALENDARS))
def test_engine_matches_reference(name: str) -> None:
    # a stable seed: str hashes change per process (PYTHONHASHSEED)
    _check(name, 600, seed=zlib.crc32(name.encode()) % 1000, table=True)


@pytest.mark.parametrize("name", ["toronto_8x5", "adelaide_night", "kathmandu"])
def test_search_path_matches_reference(name: str) -> None:
    _check(name, 400, seed=7, table=False)


def test_24x7_matches_reference() -> None:
    rng = random.Random(3)
    opened, ends, logs = make_tickets(rng, "America/Toronto", 2000)
    cal = compile_calendar("24x7", int(opened.min()), int(ends.max()))
    got = business_seconds(cal, opened, ends, pause_intervals(status_log_from(logs), PAUSE))
    ref = Reference24x7()
    exp = [
        ref.business(int(o), int(e), sorted(r, key=lambda x: x[0]))
        for o, e, r in zip(opened, ends, logs, strict=True)
    ]
    assert got.tolist() == exp


@pytest.mark.slow
def test_engine_matches_reference_20k() -> None:
    total = 0
    for k, name in enumerate(sorted(CALENDARS)):
        total += _check(name, 3400, seed=1000 + k, table=True)
    assert total >= 20_000


def test_missing_sentinel_is_not_an_instant() -> None:
    assert MISSING < -(2**62)
