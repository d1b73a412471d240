"""The clock of shared/spec/sla-clock.md: worked example and table-driven edge cases."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from models.contract import CalendarSpec
from models.history import MISSING, StatusLog
from workbench.engine.calendar import compile_calendar
from workbench.engine.clock import (
    BREACHED,
    MET,
    PENDING,
    business_seconds,
    clock_audit,
    effective_end,
    outcomes,
    pause_intervals,
)

TOR = ZoneInfo("America/Toronto")
ON_8X5 = CalendarSpec(
    timezone="America/Toronto",
    weekly={d: ("08:00-17:00",) for d in ("mon", "tue", "wed", "thu", "fri")},
    holidays={"country": "CA", "subdivision": "ON"},
)


def t(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, tz: ZoneInfo = TOR) -> int:
    return int(dt.datetime(y, mo, d, h, mi, s, tzinfo=tz).timestamp())


def cal(spec: CalendarSpec | str = ON_8X5):
    return compile_calendar(spec, t(2026, 1, 1), t(2027, 3, 1))


def test_spec_worked_example() -> None:
    c = cal()
    opened, answered = t(2026, 12, 24, 16, 30), t(2026, 12, 29, 8, 45)
    b = business_seconds(c, np.array([opened]), np.array([answered]))
    assert b.tolist() == [4500]
    has = np.array([True])
    assert outcomes(b, np.array([7200]), has).tolist() == [MET]
    assert outcomes(b, np.array([3600]), has).tolist() == [BREACHED]


# (opened, kind, expected budget in seconds) under ON 8x5
DAY_CASES = [
    (t(2026, 12, 24, 16, 30), "same", 1800),
    (t(2026, 12, 24, 16, 30), "next", 1800 + 9 * 3600),  # Dec 25, 26, 27, 28 not covered
    (t(2026, 12, 18, 18, 0), "same", 9 * 3600),  # Friday evening -> start day Monday
    (t(2026, 12, 18, 18, 0), "next", 18 * 3600),
    (t(2026, 12, 2, 17, 0), "same", 9 * 3600),  # exactly at close: starts next day
    (t(2026, 12, 2, 16, 59, 59), "same", 1),
    (t(2026, 12, 2, 16, 59, 59), "next", 1 + 9 * 3600),
    (t(2026, 12, 2, 7, 59, 59), "same", 9 * 3600),
    (t(2026, 12, 2, 8, 0), "same", 9 * 3600),
    (t(2026, 12, 2, 12, 0), "next", 5 * 3600 + 9 * 3600),
    (t(2026, 12, 25, 10, 0), "same", 9 * 3600),  # holiday -> start day Dec 29
    (t(2026, 3, 6, 16, 0), "next", 3600 + 9 * 3600),  # Friday before spring-forward weekend
]


@pytest.mark.parametrize(("opened", "kind", "budget"), DAY_CASES)
def test_day_target_budgets(opened: int, kind: str, budget: int) -> None:
    c = cal()
    got = c.day_budget(np.array([opened]), next_day=(kind == "next"))
    assert got.tolist() == [budget]


LUNCH = CalendarSpec(
    timezone="America/Toronto",
    weekly={d: ("08:00-12:00", "13:00-17:00") for d in ("mon", "tue", "wed", "thu", "fri")},
)


@pytest.mark.parametrize(
    ("opened", "budget"),
    [
        (t(2026, 12, 2, 12, 30), 4 * 3600),  # in lunch: the day's last window ends 17:00
        (t(2026, 12, 2, 11, 0), 3600 + 4 * 3600),
        (t(2026, 12, 2, 17, 0), 8 * 3600),
    ],
)
def test_same_business_day_with_lunch_break(opened: int, budget: int) -> None:
    assert cal(LUNCH).day_budget(np.array([opened])).tolist() == [budget]


NIGHT = CalendarSpec(
    timezone="America/Toronto",
    weekly={d: ("00:00-06:00", "22:00-24:00") for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
)


def test_night_shift_start_day_is_the_date_of_the_window() -> None:
    c = cal(NIGHT)
    # Wed 23:00: start day Wed, its last window ends at Thursday 00:00 -> 1 h
    assert c.day_budget(np.array([t(2026, 12, 2, 23, 0)])).tolist() == [3600]
    # Thu 00:00 exactly: the first covered instant belongs to Thursday's 00:00-06:00
    assert c.day_budget(np.array([t(2026, 12, 3, 0, 0)])).tolist() == [8 * 3600]


# duration targets: (opened, event, budget, outcome)
DURATION_CASES = [
    (t(2026, 12, 2, 8, 0), t(2026, 12, 2, 9, 0), 3600, MET),  # exactly on budget is met
    (t(2026, 12, 2, 8, 0), t(2026, 12, 2, 9, 0, 1), 3600, BREACHED),
    (t(2026, 12, 2, 16, 30), t(2026, 12, 3, 8, 30), 3600, MET),  # overnight does not count
    (t(2026, 12, 2, 16, 30), t(2026, 12, 3, 8, 30, 1), 3600, BREACHED),
    (t(2026, 12, 2, 20, 0), t(2026, 12, 2, 20, 0), 60, MET),  # zero-length event
    (t(2026, 12, 5, 10, 0), t(2026, 12, 7, 8, 0), 1, MET),  # Saturday to Monday opening
]


@pytest.mark.parametrize(("opened", "event", "budget", "outcome"), DURATION_CASES)
def test_duration_targets(opened: int, event: int, budget: int, outcome: int) -> None:
    c = cal()
    b = business_seconds(c, np.array([opened]), np.array([event]))
    assert outcomes(b, np.array([budget]), np.array([True])).tolist() == [outcome]


def test_pending_and_breached_by_as_of() -> None:
    c = cal()
    opened = np.array([t(2026, 12, 2, 8, 0)] * 3)
    event = np.array([MISSING, MISSING, t(2026, 12, 2, 12, 0)])
    as_of = t(2026, 12, 2, 10, 0)
    end, has = effective_end(event, as_of)
    assert has.tolist() == [False, False, False]  # an event after as_of is not yet known
    b = business_seconds(c, opened, end)
    assert b.tolist() == [7200] * 3
    got = outcomes(b, np.array([7200, 7199, 3 * 3600]), has)
    assert got.tolist() == [PENDING, BREACHED, PENDING]


def test_24x7_day_lasts_23_hours_on_spring_forward() -> None:
    c = cal("24x7")
    b = business_seconds(c, np.array([t(2026, 3, 8)]), np.array([t(2026, 3, 9)]))
    assert b.tolist() == [23 * 3600]
    allday = CalendarSpec(timezone="America/Toronto", weekly={"sun": ("00:00-24:00",)})
    assert cal(allday).covered(t(2026, 3, 8), t(2026, 3, 9)) == 23 * 3600
    assert cal(allday).covered(t(2026, 11, 1), t(2026, 11, 2)) == 25 * 3600


def _log(rows: list[tuple[int, int, str]], names: tuple[str, ...]) -> StatusLog:
    return StatusLog(
        np.array([r[0] for r in rows], np.int64),
        np.array([r[1] for r in rows], np.int64),
        np.array([names.index(r[2]) for r in rows], np.int32),
        names,
    )


def test_pause_chain_merges_and_last_status_holds() -> None:
    names = ("Active", "Awaiting User Info", "Pending client approval")
    base = t(2026, 12, 2, 8, 0)
    log = _log(
        [
            (0, base + 600, "Awaiting User Info"),
            (0, base + 1200, "Pending client approval"),  # consecutive pause statuses
            (0, base + 1800, "Active"),
            (1, base + 300, "Awaiting User Info"),  # last status: holds until the end
        ],
        names,
    )
    p = pause_intervals(log, ("Awaiting User Info", "Pending client approval"))
    assert p.ticket.tolist() == [0, 1]
    assert p.start.tolist() == [base + 600, base + 300]
    assert p.end[0] == base + 1800
    c = cal()
    b = business_seconds(c, np.array([base, base]), np.array([base + 3600, base + 3600]), p)
    assert b.tolist() == [3600 - 1200, 300]


def test_clock_audit_segments_sum_to_the_span() -> None:
    c = cal()
    opened, end = t(2026, 12, 24, 16, 30), t(2026, 12, 29, 8, 45)
    segs = clock_audit(c, opened, end, [(t(2026, 12, 29, 8, 10), t(2026, 12, 29, 8, 20))])
    assert sum(s.seconds for s in segs) == end - opened
    by_kind: dict[str, int] = {}
    for s in segs:
        by_kind[s.kind] = by_kind.get(s.kind, 0) + s.seconds
    assert by_kind["covered"] == 4500 - 600
    assert by_kind["paused"] == 600
    # Dec 25, Dec 26 (Boxing Day, a Saturday) and Dec 28 (Boxing Day observed)
    assert by_kind["holiday"] == 3 * 86400
    assert segs[0].kind == "covered" and segs[0].seconds == 1800


@pytest.mark.parametrize("table", [True, False])
def test_instants_outside_the_compiled_span_are_refused(table: bool) -> None:
    """Bug found in review: on the per-minute-table path an instant shortly before the span
    wrapped around to the end of the table (np.take with a negative index) and returned a
    silently wrong F; the search path answered 0 coverage.  Both now raise."""
    c = compile_calendar(ON_8X5, t(2026, 6, 1), t(2026, 6, 30), exact_span=True, table=table)
    assert (c.table is not None) == table
    inside = c.covered_before(np.array([t(2026, 6, 10, 9)]))
    assert inside.tolist() == [c.covered(c.lo, t(2026, 6, 10, 9)).item()]
    for bad in (c.lo - 3600, c.hi + 10 * 86400):
        with pytest.raises(ValueError, match="outside the compiled span"):
            c.covered_before(np.array([bad]))
        with pytest.raises(ValueError, match="outside the compiled span"):
            c.covered(np.array([bad]), np.array([t(2026, 6, 10)]))
        with pytest.raises(ValueError, match="outside the compiled span"):
            c.day_budget(np.array([bad]))
        with pytest.raises(ValueError, match="outside the compiled span"):
            business_seconds(c, np.array([bad]), np.array([t(2026, 6, 10)]))


def test_unsorted_status_log_gives_the_same_pauses() -> None:
    """A StatusLog built out of (ticket, at) order used to give silently wrong pauses: each
    row held until the next row *of the array*.  Now it is sorted first."""
    names = ("Active", "Awaiting User Info")
    base = t(2026, 12, 2, 8, 0)
    rows = [(0, base + 600, "Awaiting User Info"), (0, base + 1800, "Active"),
            (1, base + 300, "Awaiting User Info"), (1, base + 900, "Active"), (2, base, "Active")]
    ordered = pause_intervals(_log(rows, names), ("Awaiting User Info",))
    shuffled = pause_intervals(_log([rows[i] for i in (3, 0, 4, 2, 1)], names), ("Awaiting User Info",))
    as_set = lambda p: sorted(zip(p.ticket.tolist(), p.start.tolist(), p.end.tolist(), strict=True))  # noqa: E731
    assert as_set(shuffled) == as_set(ordered) == [(0, base + 600, base + 1800), (1, base + 300, base + 900)]
