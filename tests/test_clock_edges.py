"""Table-driven edge cases of shared/spec/sla-clock.md, one row per sentence checked.

Every expected figure is worked out by hand in the row's comment (UTC offsets from
the zone's published rules), not read back from the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from models.contract import CalendarSpec, contract_from_data
from models.history import MISSING, StatusLog, TicketTable
from workbench.engine.calendar import compile_calendar
from workbench.engine.simulate import simulate

H = 3600
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
ALL = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> int:
    return int(dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.UTC).timestamp())


def loc(zone: str, y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> int:
    """An unambiguous existing local wall time."""
    return int(dt.datetime(y, mo, d, h, mi, s, tzinfo=ZoneInfo(zone)).timestamp())


def spec(zone: str, weekly: dict[str, tuple[str, ...]], holidays: dict | None = None) -> CalendarSpec:
    return CalendarSpec.model_validate({"timezone": zone, "weekly": weekly, "holidays": holidays})


def covered(cal: CalendarSpec | str, a: int, b: int) -> int:
    c = compile_calendar(cal, a, b)
    return int(c.covered(np.array([a]), np.array([b]))[0])


# ------------------------------------------------------------ local times -> instants

COVERAGE_CASES = [
    # Toronto spring forward Sun 2026-03-08 02:00 EST -> 03:00 EDT.
    # 01:30 EST = 06:30Z; 02:30 does not exist, fold=0 reads it with EST -> 07:30Z (03:30 EDT)
    pytest.param("America/Toronto", {"sun": ("01:30-02:30",)}, utc(2026, 3, 8), utc(2026, 3, 9), H,
                 id="toronto-end-in-gap"),
    # 02:00 (gap) -> 07:00Z = 03:00 EDT; 04:00 EDT = 08:00Z
    pytest.param("America/Toronto", {"sun": ("02:00-04:00",)}, utc(2026, 3, 8), utc(2026, 3, 9), H,
                 id="toronto-start-in-gap"),
    # 02:30 (gap) -> 07:30Z, 03:00 EDT = 07:00Z: empty window
    pytest.param("America/Toronto", {"sun": ("02:30-03:00",)}, utc(2026, 3, 8), utc(2026, 3, 9), 0,
                 id="toronto-window-emptied-by-gap"),
    # wholly inside the gap: 02:00 -> 07:00Z, 02:30 -> 07:30Z: 03:00-03:30 EDT, 30 min
    pytest.param("America/Toronto", {"sun": ("02:00-02:30",)}, utc(2026, 3, 8), utc(2026, 3, 9), 1800,
                 id="toronto-window-inside-gap"),
    # Toronto fall back Sun 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 first occurrence EDT = 05:30Z,
    # 02:30 EST = 07:30Z -> 2 h
    pytest.param("America/Toronto", {"sun": ("01:30-02:30",)}, utc(2026, 11, 1), utc(2026, 11, 2), 2 * H,
                 id="toronto-start-in-fold"),
    # 00:00 EDT = 04:00Z; 01:30 first occurrence (EDT) = 05:30Z -> 1.5 h
    pytest.param("America/Toronto", {"sun": ("00:00-01:30",)}, utc(2026, 11, 1), utc(2026, 11, 2),
                 int(1.5 * H), id="toronto-end-in-fold"),
    pytest.param("America/Toronto", {"sun": ("00:00-24:00",)}, utc(2026, 3, 8), utc(2026, 3, 10), 23 * H,
                 id="toronto-allday-23h"),
    pytest.param("America/Toronto", {"sun": ("00:00-24:00",)}, utc(2026, 11, 1), utc(2026, 11, 3), 25 * H,
                 id="toronto-allday-25h"),
    # Sydney (south) spring forward Sun 2026-10-04 02:00 AEST -> 03:00 AEDT; fall back Sun
    # 2026-04-05 03:00 AEDT -> 02:00 AEST.
    pytest.param("Australia/Sydney", {"sun": ("00:00-24:00",)}, utc(2026, 10, 3), utc(2026, 10, 5), 23 * H,
                 id="sydney-allday-23h"),
    pytest.param("Australia/Sydney", {"sun": ("00:00-24:00",)}, utc(2026, 4, 4), utc(2026, 4, 6), 25 * H,
                 id="sydney-allday-25h"),
    # 02:30 first occurrence AEDT (+11) = Apr 4 15:30Z; 03:00 exists once, AEST = 17:00Z -> 1.5 h
    pytest.param("Australia/Sydney", {"sun": ("02:30-03:00",)}, utc(2026, 4, 4), utc(2026, 4, 6),
                 int(1.5 * H), id="sydney-start-in-fold"),
    # 02:30 in the gap read with AEST (+10) = 16:30Z (03:30 AEDT) > 03:00 AEDT = 16:00Z: empty
    pytest.param("Australia/Sydney", {"sun": ("02:30-03:00",)}, utc(2026, 10, 3), utc(2026, 10, 5), 0,
                 id="sydney-window-emptied-by-gap"),
    # Lord Howe shifts by 30 minutes: Oct 4 02:00 -> 02:30, Apr 5 02:00 -> 01:30
    pytest.param("Australia/Lord_Howe", {"sun": ("00:00-24:00",)}, utc(2026, 10, 3), utc(2026, 10, 5),
                 int(23.5 * H), id="lord-howe-23.5h"),
    pytest.param("Australia/Lord_Howe", {"sun": ("00:00-24:00",)}, utc(2026, 4, 4), utc(2026, 4, 6),
                 int(24.5 * H), id="lord-howe-24.5h"),
    # Santiago springs forward at local midnight: Sat 2026-09-05 24:00 (-04) -> Sun 01:00 (-03).
    # 22:00 -04 = 02:00Z; 24:00 = Sun 00:00, in the gap, read with -04 = 04:00Z -> 2 h
    pytest.param("America/Santiago", {"sat": ("22:00-24:00",)}, utc(2026, 9, 5), utc(2026, 9, 7), 2 * H,
                 id="santiago-24:00-in-gap"),
    # ... and falls back at local midnight: Sun 2026-04-05 00:00 (-03) -> Sat 23:00 (-04).
    # Sat 22:00 -03 = 01:00Z; 24:00 = Sun 00:00 -04 = 04:00Z -> 3 h (23:xx happens twice)
    pytest.param("America/Santiago", {"sat": ("22:00-24:00",)}, utc(2026, 4, 4), utc(2026, 4, 6), 3 * H,
                 id="santiago-24:00-after-fold"),
    # half-hour and 45-minute offsets: Kathmandu +05:45, 09:30-18:15 = 8.75 h
    pytest.param("Asia/Kathmandu", {"wed": ("09:30-18:15",)}, utc(2026, 6, 16), utc(2026, 6, 18),
                 int(8.75 * H), id="kathmandu-45min"),
    # 24:00 is the next midnight
    pytest.param("America/Toronto", {"sat": ("22:00-24:00",), "sun": ("00:00-06:00",)},
                 loc("America/Toronto", 2026, 12, 5, 21), loc("America/Toronto", 2026, 12, 6, 7), 8 * H,
                 id="night-shift-24:00"),
]


@pytest.mark.parametrize(("zone", "weekly", "a", "b", "expected"), COVERAGE_CASES)
def test_local_windows_become_instants(zone: str, weekly: dict, a: int, b: int, expected: int) -> None:
    assert covered(spec(zone, weekly), a, b) == expected


# ------------------------------------------------------------------------- holidays

TOR_ALLDAY = {d: ("00:00-24:00",) for d in ALL}
TOR_NIGHT = {d: ("00:00-06:00", "22:00-24:00") for d in ALL}
ON = {"country": "CA", "subdivision": "ON"}

HOLIDAY_CASES = [
    # holiday on the spring-forward day removes that local date's 23 h: 24 + 0 + 24
    pytest.param(TOR_ALLDAY, {"add": ["2026-03-08"]}, (2026, 3, 7), (2026, 3, 10), 48 * H,
                 id="holiday-on-spring-forward-day"),
    pytest.param(TOR_ALLDAY, None, (2026, 3, 7), (2026, 3, 10), 71 * H, id="no-holiday-71h"),
    # ... and on the fall-back day its 25 h: 24 + 0 + 24
    pytest.param(TOR_ALLDAY, {"add": ["2026-11-01"]}, (2026, 10, 31), (2026, 11, 3), 48 * H,
                 id="holiday-on-fall-back-day"),
    # night shift, holiday Dec 2: Dec 1's 22:00-24:00 still counts (it ends at Dec 2 00:00),
    # Dec 2's 00:00-06:00 and 22:00-24:00 do not; Dec 3's 00:00-06:00 does: 2 + 6
    pytest.param(TOR_NIGHT, {"add": ["2026-12-02"]}, (2026, 12, 1, 12), (2026, 12, 3, 12), 8 * H,
                 id="night-shift-holiday"),
    # Ontario package holidays: Christmas Fri 2026-12-25 and Boxing Day observed Mon 12-28
    pytest.param({d: ("08:00-17:00",) for d in WEEKDAYS}, ON, (2026, 12, 24), (2026, 12, 30), 2 * 9 * H,
                 id="package-holidays"),
    # removed by hand: Christmas counts again
    pytest.param({d: ("08:00-17:00",) for d in WEEKDAYS}, {**ON, "remove": ["2026-12-25"]},
                 (2026, 12, 24), (2026, 12, 30), 3 * 9 * H, id="holiday-removed-by-hand"),
    # added by hand: Christmas Eve off too
    pytest.param({d: ("08:00-17:00",) for d in WEEKDAYS}, {**ON, "add": ["2026-12-24"]},
                 (2026, 12, 24), (2026, 12, 30), 9 * H, id="holiday-added-by-hand"),
]


@pytest.mark.parametrize(("weekly", "hol", "a", "b", "expected"), HOLIDAY_CASES)
def test_holidays_are_whole_local_dates(weekly: dict, hol: dict | None, a: tuple, b: tuple,
                                        expected: int) -> None:
    z = "America/Toronto"
    assert covered(spec(z, weekly, hol), loc(z, *a), loc(z, *b)) == expected


def test_literal_24x7_ignores_holidays_and_dst() -> None:
    z = "America/Toronto"
    a, b = loc(z, 2026, 12, 24), loc(z, 2026, 12, 29)
    assert covered("24x7", a, b) == 5 * 86400
    assert covered("24x7", loc(z, 2026, 3, 8), loc(z, 2026, 3, 9)) == 23 * H  # real elapsed seconds


# ----------------------------------------------------------------- through simulate()

TOR = "America/Toronto"
BIZ = {"timezone": TOR, "weekly": {d: ["08:00-17:00"] for d in WEEKDAYS}, "holidays": ON}
LUNCH = {"timezone": TOR, "weekly": {d: ["08:00-12:00", "13:00-17:00"] for d in WEEKDAYS}}
NIGHT = {"timezone": TOR, "weekly": {d: ["00:00-06:00", "22:00-24:00"] for d in ALL}}
STATUSES = ("Active", "Awaiting User Info", "Pending client approval", "New")


def run(tickets: list[tuple], rows: Sequence[tuple] = (), *, resp: str | None = "1h",
        resol: str | None = "4h", cal: dict = BIZ, calendar: str = "biz",
        applies: tuple[str, ...] = ("resolution",), as_of: int | None = None):
    """tickets: (opened, first_response, resolved[, closed]) as epoch or None; rows: (ticket, at, status)."""
    c = contract_from_data({
        "name": "E", "version": "1", "calendars": {"biz": cal},
        "targets": {"P2": {"response": resp, "resolution": resol, "calendar": calendar}},
        "pause_statuses": ["Awaiting User Info", "Pending client approval"],
        "pause_applies_to": list(applies),
    })
    n = len(tickets)

    def col(k: int) -> np.ndarray:
        return np.array([MISSING if len(t) <= k or t[k] is None else t[k] for t in tickets], np.int64)

    table = TicketTable(np.array([f"T{i}" for i in range(n)], dtype=object), np.full(n, 1, np.int8),
                        col(0), col(1), col(2), col(3))
    rows = sorted(rows, key=lambda r: (r[0], r[1]))
    log = StatusLog(np.array([r[0] for r in rows], np.int64), np.array([r[1] for r in rows], np.int64),
                    np.array([STATUSES.index(r[2]) for r in rows], np.int32), STATUSES)
    return simulate(c, table, log, as_of)


def tor(*a: int) -> int:
    return loc(TOR, *a)


W = tor(2026, 12, 2, 9)  # Wednesday 09:00, inside coverage

PAUSE_CASES = [
    # (rows of ticket 0, resolved, expected resolution business seconds)
    pytest.param([(W + 600, "Awaiting User Info"), (W + 1800, "Active")], W + 3600, 3600 - 1200,
                 id="status-holds-until-next-row"),
    pytest.param([(W + 600, "Awaiting User Info"), (W + 1200, "Pending client approval"),
                  (W + 1800, "Active")], W + 3600, 3600 - 1200, id="consecutive-pause-statuses"),
    pytest.param([(W - 7200, "Awaiting User Info"), (W + 600, "Active")], W + 3600, 3600 - 600,
                 id="pause-row-before-opening-clipped"),
    pytest.param([(W, "Awaiting User Info"), (W + 900, "Active")], W + 3600, 3600 - 900,
                 id="pause-at-opening"),
    pytest.param([(W + 1800, "Awaiting User Info")], W + 3600, 1800, id="last-status-holds-to-event"),
    pytest.param([(W + 4000, "Awaiting User Info"), (W + 5000, "Active")], W + 3600, 3600,
                 id="pause-after-event-ignored"),
    pytest.param([(W + 1200, "Active"), (W + 1800, "Awaiting User Info"), (W + 2400, "New")],
                 W + 3600, 3000, id="log-starts-after-opening"),
    # a pause overnight only removes covered time: 16:30-08:30 paused next day -> 30 min of Wed
    # and 30 min of Thu removed from Wed 09:00 -> Thu 10:00 (8 h + 2 h = 10 h)
    pytest.param([(tor(2026, 12, 2, 16, 30), "Pending client approval"), (tor(2026, 12, 3, 8, 30), "Active")],
                 tor(2026, 12, 3, 10), 10 * H - H, id="pause-clipped-to-coverage"),
]


@pytest.mark.parametrize(("rows", "resolved", "expected"), PAUSE_CASES)
def test_pauses(rows: list[tuple[int, str]], resolved: int, expected: int) -> None:
    res = run([(W, W + 60, resolved)], [(0, a, s) for a, s in rows])
    assert res.resolution.business_seconds.tolist() == [expected]
    # pauses apply to resolution by default: response runs on
    assert res.response.business_seconds.tolist() == [60]


def test_pause_applies_to_response_when_set() -> None:
    rows = [(0, W, "Awaiting User Info"), (0, W + 600, "Active")]
    res = run([(W, W + 900, W + 3600)], rows, applies=("response", "resolution"))
    assert res.response.business_seconds.tolist() == [300]
    assert res.resolution.business_seconds.tolist() == [3000]
    only_resp = run([(W, W + 900, W + 3600)], rows, applies=("response",))
    assert only_resp.resolution.business_seconds.tolist() == [3600]


def test_pauses_are_per_ticket() -> None:
    """A status row holds until *the ticket's* next row, not the next row of the log."""
    rows = [(0, W + 600, "Awaiting User Info"), (1, W + 700, "Active"), (0, W + 1800, "Active")]
    res = run([(W, None, W + 3600), (W, None, W + 3600)], rows)
    assert res.resolution.business_seconds.tolist() == [3600 - 1200, 3600]


# ----------------------------------------------------------------------- day targets

DAY_CASES = [
    # (calendar, opened, target, expected budget)
    pytest.param(BIZ, tor(2026, 12, 4, 18), "same_business_day", 9 * H, id="friday-18:00-starts-monday"),
    pytest.param(BIZ, tor(2026, 12, 4, 18), "next_business_day", 18 * H, id="friday-18:00-next"),
    pytest.param(BIZ, tor(2026, 12, 25, 10), "same_business_day", 9 * H, id="opened-on-holiday"),
    # Christmas Fri, weekend, Boxing Day observed Mon 28: start Tue 29, next Wed 30
    pytest.param(BIZ, tor(2026, 12, 25, 10), "next_business_day", 18 * H, id="holiday-next"),
    pytest.param(BIZ, tor(2026, 12, 2, 17), "same_business_day", 9 * H, id="opened-at-17:00-half-open"),
    pytest.param(BIZ, tor(2026, 12, 2, 16, 59, 59), "same_business_day", 1, id="opened-16:59:59"),
    pytest.param(BIZ, tor(2026, 12, 2, 16, 59, 59), "next_business_day", 1 + 9 * H, id="16:59:59-next"),
    pytest.param(BIZ, tor(2026, 12, 2, 7, 59, 59), "same_business_day", 9 * H, id="opened-07:59:59"),
    pytest.param(LUNCH, tor(2026, 12, 2, 12, 30), "same_business_day", 4 * H, id="lunch-last-window"),
    pytest.param(LUNCH, tor(2026, 12, 2, 11), "next_business_day", 5 * H + 8 * H, id="lunch-next"),
    # night shift: Wed 23:00 starts on Wed, whose last window ends Thu 00:00 (literal reading)
    pytest.param(NIGHT, tor(2026, 12, 2, 23), "same_business_day", H, id="night-23:00"),
    # Thu 00:00 belongs to Thursday: 00:00-06:00 and 22:00-24:00 of Thursday = 8 h
    pytest.param(NIGHT, tor(2026, 12, 3, 0), "same_business_day", 8 * H, id="night-00:00"),
    # Wed 12:00 (uncovered): first covered instant Wed 22:00 -> 2 h; next day Thu: 2 + 8
    pytest.param(NIGHT, tor(2026, 12, 2, 12), "same_business_day", 2 * H, id="night-noon"),
    pytest.param(NIGHT, tor(2026, 12, 2, 12), "next_business_day", 10 * H, id="night-noon-next"),
    # the start day holds the spring-forward change: Sat 2026-03-07 23:00 -> Sat's window ends
    # at Sun 00:00 (1 h); Sunday's 00:00-06:00 loses an hour to the gap: next = 1 + 5 + 2
    pytest.param(NIGHT, tor(2026, 3, 7, 23), "next_business_day", 8 * H, id="night-spring-forward"),
]


@pytest.mark.parametrize(("cal", "opened", "target", "budget"), DAY_CASES)
def test_day_target_budgets_through_simulate(cal: dict, opened: int, target: str, budget: int) -> None:
    res = run([(opened, None, None)], resp=target, resol=None, cal=cal, as_of=opened)
    assert res.response.budget_seconds.tolist() == [budget]
    assert res.response.outcome.tolist() == [2]  # pending at the opening


# --------------------------------------------------------------------------- outcomes


def test_outcome_rules() -> None:
    a = W
    events = run([(a, a + H, None), (a, a + H + 1, None), (a, a, a)])
    # exactly on the 1 h budget: met; one second over: breached; zero-length: met
    assert events.response.outcome.tolist() == [0, 1, 0]
    assert events.response.business_seconds.tolist() == [H, H + 1, 0]
    missing = run([(a, None, None), (a - 1, None, None)], as_of=a + H)
    # no response: B(opened, as_of) = budget is pending, budget + 1 breached
    assert missing.response.outcome.tolist() == [2, 1]
    assert missing.response.business_seconds.tolist() == [H, H + 1]
    # event after an explicit as_of is not yet known: measured to as_of
    late = run([(a, a + 2 * H, None)], as_of=a + 1800)
    assert late.response.outcome.tolist() == [2]
    assert late.response.business_seconds.tolist() == [1800]


def test_as_of_default_includes_closures_and_status_rows() -> None:
    a = W
    res = run([(a, None, a + 600, a + 2 * H)])
    assert res.as_of_epoch == a + 2 * H  # closed_at is ticket data
    # (a second ticket with a first response: a history without any is "not measured")
    res2 = run([(a, None, a + 600), (a, a + 60, None)], [(0, a + 3 * H, "Active")])
    assert res2.as_of_epoch == a + 3 * H  # and so is the status log
    assert res2.response.business_seconds.tolist() == [3 * H, 60]


@pytest.mark.parametrize("which", [1, 2, 3])
def test_events_before_opening_are_reported_not_counted(which: int) -> None:
    a = W
    bad = [a, None, None, None]
    bad[which] = a - 1
    res = run([(a, a + 60, a + 120), tuple(bad)])
    field = {1: "first_response_at", 2: "resolved_at", 3: "closed_at"}[which]
    assert [(i.ticket, i.field) for i in res.issues] == [("T1", field)]
    js = res.to_json()
    assert js["by_priority"]["P2"]["tickets"] == 1
    assert js["by_priority"]["P2"]["response"] == {"met": 1, "breached": 0, "pending": 0, "compliance": 1.0}


def test_compliance_null_and_rounding() -> None:
    a = W
    res = run([(a, a + 60, None), (a, a + 120, None), (a, a + 2 * H, None), (a, None, None)],
              as_of=a + 2 * H - 1800, resol="8h")
    js = res.to_json()
    # as_of = a + 90 min: the 2 h response is not yet known and, like the missing one, has
    # run 90 min > 1 h: both breached
    assert js["by_priority"]["P2"]["response"] == {"met": 2, "breached": 2, "pending": 0, "compliance": 0.5}
    # 2 met of 3 done -> 0.6667 (rounded to 4 places)
    res = run([(a, a + 60, None), (a, a + 120, None), (a, a + 2 * H, None)], resol="8h")
    assert res.to_json()["by_priority"]["P2"]["response"]["compliance"] == 0.6667
    # nothing met or breached yet: compliance is null, not 0 or 1
    only_pending = run([(a, None, None)], as_of=a + 60).to_json()
    assert only_pending["by_priority"]["P2"]["response"] == {
        "met": 0, "breached": 0, "pending": 1, "compliance": None}
