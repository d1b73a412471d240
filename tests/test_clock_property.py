"""Property test: the engine (``Engine.run``, as ``simulate()`` uses it) vs a brute-force reference.

Hypothesis draws a whole situation: a coverage calendar (a zone from both
hemispheres, half-hour and 45-minute offsets, a 30-minute DST shift, DST at
midnight; weekly windows that include lunch breaks, a night shift written as
22:00-24:00 plus 00:00-06:00, windows inside DST gaps and folds, windows touching
midnight; package holidays plus dates added and removed by hand), a contract
(duration and day targets per priority, per-priority 24x7 or business calendars,
``pause_applies_to``), tickets clustered around the zone's DST changes and holidays
at window edges (with missing, zero-length and out-of-order events, closures) and
a status log (rows before the opening, after the event, consecutive pause
statuses, a pause at the opening, logs that start after the opening), and either
the default or an explicit ``as_of``.

The reference shares no code with ``workbench/``: it reuses the day-by-day
``zoneinfo`` walk of tests/test_clock_reference.py and implements the spec's
sentences literally: the start day is the *generating date of the window that holds
the first covered instant* at or after ``opened_at`` (the date whose windows the
reference walk was building when it met that instant), ``as_of`` is the latest instant anywhere in the ticket
data (tickets, closures and status rows), an event after ``as_of`` is not yet
known, a ticket with an event before its opening is reported and left out.
Every per-ticket figure (business seconds, budget, outcome) and every per-priority
count must agree to the second.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.contract import CalendarSpec, contract_from_data
from models.history import MISSING, StatusLog, TicketTable
from tests.test_clock_reference import Reference, Reference24x7
from workbench.engine.calendar import compile_calendar
from workbench.engine.simulate import Engine

WD = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PRIOS = ("P1", "P2", "P3", "P4")
PAUSE = ("Awaiting User Info", "Pending client approval")
STATUSES = ("Active", "Awaiting User Info", "Pending client approval", "Awaiting Vendor", "New")
OUT = {0: "met", 1: "breached", 2: "pending", 3: "not_applicable", -1: "excluded"}

# zone -> holiday country/subdivision
ZONES = {
    "America/Toronto": ("CA", "ON"),
    "Australia/Sydney": ("AU", "NSW"),
    "Australia/Lord_Howe": ("AU", "NSW"),  # 30-minute DST shift at 02:00
    "Australia/Adelaide": ("AU", "SA"),  # +09:30 / +10:30
    "America/Santiago": ("CL", None),  # DST at local midnight
    "Africa/Cairo": ("EG", None),  # DST at local midnight
    "Pacific/Chatham": ("NZ", None),  # +12:45 / +13:45
    "Asia/Kathmandu": ("NP", None),  # +05:45
    "Europe/London": ("GB", "ENG"),
    "UTC": (None, None),
}
WINDOW_SETS = [
    (),
    ("08:00-17:00",),
    ("08:00-12:00", "13:00-17:00"),
    ("00:00-06:00", "22:00-24:00"),
    ("00:00-24:00",),
    ("01:30-02:30", "02:30-03:00", "12:00-24:00"),  # inside the spring gap / autumn fold
    ("00:00-00:30", "23:00-24:00"),  # touching midnight (DST at midnight zones)
    ("02:00-02:30",),  # wholly inside a gap on the change day
    ("09:30-18:15",),
]
EDGES = ["07:59:59", "08:00:00", "16:59:59", "17:00:00", "00:00:00", "23:59:59", "12:00:00",
         "12:59:59", "13:00:00", "22:00:00", "06:00:00", "05:59:59", "02:30:00", "01:30:00",
         "02:00:00", "03:00:00", "00:30:00", "23:00:00", "18:15:00", "09:30:00"]


@cache
def anchors(zone: str) -> tuple[dt.date, ...]:
    """Local dates of the zone's offset changes in 2025-2027 (plus a few plain dates)."""
    tz = ZoneInfo(zone)
    out = [dt.date(2026, 1, 1), dt.date(2026, 12, 25), dt.date(2026, 7, 1)]
    d = dt.date(2025, 1, 1)
    prev = dt.datetime(2024, 12, 31, 12, tzinfo=tz).utcoffset()
    while d < dt.date(2027, 12, 31):
        off = dt.datetime(d.year, d.month, d.day, 12, tzinfo=tz).utcoffset()
        if off != prev:
            out.append(d)
            out.append(d - dt.timedelta(days=1))
        prev = off
        d += dt.timedelta(days=1)
    return tuple(out)


def local(tz: ZoneInfo, day: dt.date, hms: str) -> int:
    h, m, s = (int(x) for x in hms.split(":"))
    return int(dt.datetime(day.year, day.month, day.day, h, m, s, tzinfo=tz).timestamp())


def local_date(t: int, tz: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(t, tz).date()


# ------------------------------------------------------------------- reference


def ref_day_budget(ref: Reference, opened: int, next_day: bool) -> int:
    """C(opened, end of the last window of the start day / of the next covered day)."""
    tz = ref.tz
    day = local_date(opened, tz) - dt.timedelta(days=2)
    first = start_day = None
    for _ in range(120):
        for s, e in ref.day_windows(day):
            if e > opened:
                cand = max(s, opened)
                if first is None or cand < first:  # a tie keeps the earlier date's window
                    first, start_day = cand, day
        if first is not None and day > local_date(first, tz) + dt.timedelta(days=2):
            break
        day += dt.timedelta(days=1)
    assert first is not None and start_day is not None
    target = start_day
    if next_day:
        target = start_day + dt.timedelta(days=1)
        while not ref.day_windows(target):
            target += dt.timedelta(days=1)
    end = max(e for _s, e in ref.day_windows(target))
    return ref.covered(opened, end)


def ref_outcomes(data: dict, contract: dict, tickets: list[dict], logs: list[list[tuple[int, str]]],
                 as_of: int | None):
    """Per ticket and metric: (business, budget, outcome name); the as_of used; and the
    metrics the history cannot measure."""
    ref = Reference(data) if data else None
    instants = [x for t in tickets for x in (t["opened"], t["response"], t["resolution"], t["closed"])
                if x != MISSING]
    instants += [at for rows in logs for at, _ in rows]
    if as_of is None:
        as_of = max(instants)
    targets = contract["targets"]
    applies = contract["pause_applies_to"]
    out = []
    for t, rows in zip(tickets, logs, strict=True):
        o = t["opened"]
        bad = any(t[k] != MISSING and t[k] < o for k in ("response", "resolution", "closed"))
        if bad or o > as_of:
            out.append({m: (-1, -1, "excluded") for m in ("response", "resolution")})
            continue
        row = {}
        for metric in ("response", "resolution"):
            tg = targets.get(t["priority"], {})
            target = tg.get(metric)
            if target is None:
                row[metric] = (-1, -1, "not_applicable")
                continue
            ev = t[metric]
            known = ev != MISSING and ev <= as_of
            end = ev if known else as_of
            use_rows = sorted(rows, key=lambda r: r[0]) if metric in applies else []
            if tg["calendar"] == "24x7":
                b = Reference24x7().business(o, end, use_rows)
            else:
                assert ref is not None
                b = ref.business(o, end, use_rows)
            if target.endswith("business_day"):
                assert ref is not None
                budget = ref_day_budget(ref, o, target == "next_business_day")
            else:
                budget = int(target[:-1])
            if known:
                oc = "met" if b <= budget else "breached"
            else:
                oc = "breached" if b > budget else "pending"
            row[metric] = (b, budget, oc)
        out.append(row)
    return out, as_of, _not_measured(tickets, out)


def _not_measured(tickets: list[dict], out: list[dict]) -> set[str]:
    """The data-coverage rule of ``workbench.engine.simulate`` (its module docstring), on top
    of the clock: a metric whose event no ticket of the history carries, although some
    ticket got past it (resolved or closed without any first response; closed without any
    resolution), is not measured — no ticket gets an outcome for it."""
    marked: set[str] = set()
    valid = [row["response"][2] != "excluded" for row in out]
    got_past = {
        "response": [t["resolution"] != MISSING or t["closed"] != MISSING for t in tickets],
        "resolution": [t["closed"] != MISSING for t in tickets],
    }
    for metric in ("response", "resolution"):
        carried = any(v and t[metric] != MISSING for v, t in zip(valid, tickets, strict=True))
        past = any(v and g for v, g in zip(valid, got_past[metric], strict=True))
        if past and not carried:
            marked.add(metric)
            for v, row in zip(valid, out, strict=True):
                if v:
                    row[metric] = (-1, -1, "not_applicable")
    return marked


# ------------------------------------------------------------------ strategies


@st.composite
def calendars(draw: st.DrawFn, zone: str) -> dict:
    weekly: dict[str, list[str]] = {}
    for d in WD:
        wins = draw(st.sampled_from(WINDOW_SETS))
        if wins:
            weekly[d] = list(wins)
    if not weekly:
        weekly["wed"] = ["08:00-17:00"]
    data: dict = {"timezone": zone, "weekly": weekly}
    country, sub = ZONES[zone]
    hol: dict = {}
    if country and draw(st.booleans()):
        hol["country"] = country
        if sub:
            hol["subdivision"] = sub
    near = st.sampled_from(anchors(zone)).flatmap(
        lambda a: st.integers(-3, 3).map(lambda k: a + dt.timedelta(days=k)))
    add = draw(st.lists(near, max_size=3, unique=True))
    if add:
        hol["add"] = [x.isoformat() for x in add]
    if country and hol.get("country") and draw(st.booleans()):
        # remove one real package holiday by hand
        import holidays

        found = sorted(holidays.country_holidays(country, subdiv=sub, years=2026))
        hol["remove"] = [draw(st.sampled_from(found)).isoformat()]
    if hol:
        data["holidays"] = hol
    return data


TARGETS = st.one_of(
    st.none(),
    st.integers(1, 3 * 86400).map(lambda s: f"{s}s"),
    st.sampled_from(["1s", "3600s", "1800s", "32400s"]),
    st.sampled_from(["same_business_day", "next_business_day"]),
)


@st.composite
def contracts(draw: st.DrawFn) -> dict:
    targets = {}
    for p in PRIOS:
        if draw(st.integers(0, 5)) == 0:
            continue
        cal = draw(st.sampled_from(["biz", "24x7"]))
        tg: dict = {"calendar": cal}
        for metric in ("response", "resolution"):
            t = draw(TARGETS)
            if t is not None and t.endswith("business_day") and cal == "24x7":
                t = "3600s"
            if t is not None:
                tg[metric] = t
        targets[p] = tg
    applies = draw(st.sampled_from([["resolution"], ["response", "resolution"], ["response"], []]))
    return {"targets": targets, "pause_applies_to": applies}


@st.composite
def instants_near(draw: st.DrawFn, tz: ZoneInfo, zone: str) -> int:
    day = draw(st.sampled_from(anchors(zone))) + dt.timedelta(days=draw(st.integers(-3, 3)))
    if draw(st.booleans()):
        return local(tz, day, draw(st.sampled_from(EDGES)))
    return local(tz, day, "00:00:00") + draw(st.integers(0, 86399))


@st.composite
def event_after(draw: st.DrawFn, opened: int, tz: ZoneInfo, zone: str) -> int:
    kind = draw(st.sampled_from(["missing", "zero", "short", "edge", "long", "before", "exact"]))
    if kind == "exact":  # on a typical budget: equality is met
        return opened + draw(st.sampled_from([1, 1800, 3600, 32400]))
    if kind == "missing":
        return int(MISSING)
    if kind == "zero":
        return opened
    if kind == "short":
        return opened + draw(st.integers(1, 7200))
    if kind == "long":
        return opened + draw(st.integers(7200, 9 * 86400))
    if kind == "before":
        return opened - draw(st.integers(1, 3600)) if draw(st.integers(0, 4)) == 0 else int(MISSING)
    day = local_date(opened, tz) + dt.timedelta(days=draw(st.integers(0, 4)))
    return max(opened, local(tz, day, draw(st.sampled_from(EDGES))))


@st.composite
def situations(draw: st.DrawFn):
    zone = draw(st.sampled_from(sorted(ZONES)))
    tz = ZoneInfo(zone)
    cal = draw(calendars(zone))
    con = draw(contracts())
    n = draw(st.integers(1, 12))
    tickets: list[dict[str, Any]] = []
    logs: list[list[tuple[int, str]]] = []
    for i in range(n):
        o = draw(instants_near(tz, zone))
        resp = draw(event_after(o, tz, zone))
        res = draw(event_after(o, tz, zone))
        closed = int(MISSING)
        if res != MISSING and draw(st.booleans()):
            closed = max(res, o) + draw(st.integers(0, 5 * 86400))
        tickets.append({"id": f"T{i}", "priority": draw(st.sampled_from(PRIOS)), "opened": o,
                        "response": resp, "resolution": res, "closed": closed})
        rows = []
        if draw(st.integers(0, 3)):
            at = o + draw(st.sampled_from([0, 0, -draw(st.integers(1, 7200)), draw(st.integers(1, 7200))]))
            for _ in range(draw(st.integers(1, 5))):
                rows.append((at, draw(st.sampled_from(STATUSES))))
                at += draw(st.sampled_from([0, draw(st.integers(1, 900)), draw(st.integers(900, 3 * 86400))]))
        logs.append(rows)
    as_of = None
    if draw(st.booleans()):
        pick = draw(st.sampled_from([t["opened"] for t in tickets]))
        as_of = pick + draw(st.integers(-3600, 4 * 86400))
    # run first on the same engine: another contract, or the same calendars and pause rule with
    # other targets (so the second run takes the cached elapsed times and sorted-count paths)
    if draw(st.booleans()):
        warm = draw(contracts())
    else:
        swap = {"same_business_day": "next_business_day", "next_business_day": "same_business_day"}

        def other(k: str, v: str) -> str:
            if k == "calendar":
                return v
            return swap[v] if v in swap else f"{int(v[:-1]) + draw(st.integers(1, 600))}s"

        warm = {"pause_applies_to": con["pause_applies_to"],
                "targets": {p: {k: other(k, v) for k, v in tg.items()} for p, tg in con["targets"].items()}}
    return cal, con, tickets, logs, as_of, warm


def build(cal: dict, con: dict, tickets: list[dict], logs: list[list[tuple[int, str]]]):
    contract = contract_from_data({
        "name": "prop", "version": "1", "calendars": {"biz": cal}, "targets": con["targets"],
        "pause_statuses": list(PAUSE), "pause_applies_to": con["pause_applies_to"],
    })
    n = len(tickets)
    col = lambda k: np.array([t[k] for t in tickets], np.int64)  # noqa: E731
    table = TicketTable(np.array([t["id"] for t in tickets], dtype=object),
                        np.array([PRIOS.index(t["priority"]) for t in tickets], np.int8),
                        col("opened"), col("response"), col("resolution"), col("closed"))
    tk, at, stt = [], [], []
    for i, rows in enumerate(logs):
        for a, s in sorted(rows, key=lambda r: r[0]):
            tk.append(i)
            at.append(a)
            stt.append(STATUSES.index(s))
    log = StatusLog(np.array(tk, np.int64), np.array(at, np.int64), np.array(stt, np.int32), STATUSES)
    assert n == len(table)
    return contract, table, log


@settings(max_examples=150, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(situations())
def test_engine_matches_reference(situation) -> None:
    cal, con, tickets, logs, as_of, warm = situation
    contract, table, log = build(cal, con, tickets, logs)
    engine = Engine(table, log, as_of)
    engine.run(build(cal, warm, tickets, logs)[0]).to_json(per_ticket=True)
    res = engine.run(contract)
    expected, exp_as_of, unmeasured = ref_outcomes(cal, con, tickets, logs, as_of)
    assert res.as_of_epoch == exp_as_of
    for metric in ("response", "resolution"):
        arr = res.metric(metric)
        got = [(int(b), int(g), OUT[int(o)]) if int(o) not in (3, -1) else (-1, -1, OUT[int(o)])
               for b, g, o in zip(arr.business_seconds, arr.budget_seconds, arr.outcome, strict=True)]
        exp = [row[metric] for row in expected]
        assert got == exp, (metric, [(i, g, e) for i, (g, e) in enumerate(zip(got, exp, strict=True))
                                     if g != e][:3])
    # per-priority counts and compliance follow from the per-ticket outcomes
    js = res.to_json()
    for p in PRIOS:
        idx = [i for i, t in enumerate(tickets) if t["priority"] == p
               and expected[i]["response"][2] != "excluded"]
        if not idx:
            assert p not in js["by_priority"]
            continue
        got_p = js["by_priority"][p]
        assert got_p["tickets"] == len(idx)
        for metric in ("response", "resolution"):
            names = [expected[i][metric][2] for i in idx]
            met, br, pe = names.count("met"), names.count("breached"), names.count("pending")
            comp = None if met + br == 0 else round(met / (met + br), 4)
            want = {"met": met, "breached": br, "pending": pe, "compliance": comp}
            if metric in unmeasured:
                want["measured"] = False
            assert got_p[metric] == want
    # the interval-search path (long spans, odd offsets) answers as the per-minute table does
    spec = CalendarSpec.model_validate(cal)
    pts = np.array(sorted({x for t in tickets for x in (t["opened"], t["response"], t["resolution"])
                           if x != MISSING} | {res.as_of_epoch}), np.int64)
    table_cal = compile_calendar(spec, int(pts.min()), int(pts.max()))
    search_cal = compile_calendar(spec, int(pts.min()), int(pts.max()), table=False)
    assert table_cal.table is not None and search_cal.table is None
    assert table_cal.covered_before(pts).tolist() == search_cal.covered_before(pts).tolist()
    for nxt in (False, True):
        assert table_cal.day_budget(pts, nxt).tolist() == search_cal.day_budget(pts, nxt).tolist()
