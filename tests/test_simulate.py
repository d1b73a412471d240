"""simulate(): counts, per-ticket outcomes, bad data, credits, scenarios, inverse."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pytest

from models.contract import contract_from_data
from models.history import MISSING, StatusLog, Ticket, TicketTable
from tests.test_clock_reference import PAUSE, STATUSES, Reference, make_tickets, status_log_from
from workbench.engine.clock import BREACHED, EXCLUDED, MET, NOT_APPLICABLE, PENDING
from workbench.engine.simulate import Engine, Scenario, compare, coverage_analysis, simulate

TOR = ZoneInfo("America/Toronto")
BUSINESS = {
    "timezone": "America/Toronto",
    "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": {"country": "CA", "subdivision": "ON"},
}


def contract(**over):
    data = {
        "name": "T",
        "version": "1",
        "calendars": {"business": BUSINESS},
        "targets": {
            "P1": {"response": "1h", "resolution": "4h", "calendar": "24x7"},
            "P2": {"response": "2h", "resolution": "same_business_day", "calendar": "business"},
            "P3": {"response": "next_business_day", "calendar": "business"},
        },
        "pause_statuses": ["Awaiting User Info", "Pending client approval"],
        "pause_applies_to": ["resolution"],
    }
    data.update(over)
    return contract_from_data(data)


def at(y, mo, d, h=0, mi=0, s=0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=TOR)


def table(rows: list[dict]) -> TicketTable:
    return TicketTable.from_tickets([Ticket(**r) for r in rows])


def test_spec_example_through_simulate() -> None:
    t = table([{"id": "X1", "priority": "P2", "opened_at": at(2026, 12, 24, 16, 30),
                "first_response_at": at(2026, 12, 29, 8, 45)}])
    res = simulate(contract(), t)
    r = res.by_priority["P2"].response
    assert (r.met, r.breached, r.pending) == (1, 0, 0)
    assert res.response.business_seconds.tolist() == [4500]
    res1 = simulate(contract(targets={"P2": {"response": "1h", "calendar": "business"}}), t)
    assert res1.by_priority["P2"].response.breached == 1
    # resolution missing: as_of defaults to the latest instant in the data (the response)
    assert res.as_of_epoch == int(at(2026, 12, 29, 8, 45).timestamp())
    assert res.by_priority["P2"].resolution.breached == 1  # same business day is long gone


def test_json_shape_and_per_ticket() -> None:
    t = table([
        {"id": "A", "priority": "P1", "opened_at": at(2026, 11, 2, 9),
         "first_response_at": at(2026, 11, 2, 9, 30), "resolved_at": at(2026, 11, 2, 15)},
        {"id": "B", "priority": "P4", "opened_at": at(2026, 11, 2, 9)},
    ])
    js = simulate(contract(), t, as_of=int(at(2026, 11, 3).timestamp())).to_json(per_ticket=True)
    assert js["as_of"] == "2026-11-03T05:00:00+00:00"
    p1 = js["by_priority"]["P1"]
    assert p1 == {"tickets": 1,
                  "response": {"met": 1, "breached": 0, "pending": 0, "compliance": 1.0},
                  "resolution": {"met": 0, "breached": 1, "pending": 0, "compliance": 0.0}}
    assert js["by_priority"]["P4"]["response"]["compliance"] is None
    rows = {r["id"]: r for r in js["tickets"]}
    assert rows["A"]["response"] == {"business_seconds": 1800, "budget_seconds": 3600, "outcome": "met"}
    assert rows["A"]["resolution"]["outcome"] == "breached"
    assert rows["B"]["response"]["outcome"] == "not_applicable"
    assert "P3" not in js["by_priority"]
    assert "tickets" not in simulate(contract(), t).to_json()


def test_bad_data_is_reported_and_not_counted() -> None:
    tk = TicketTable(
        ids=np.array(["ok", "early", "unk"], dtype=object),
        priority=np.array([0, 0, -1], np.int8),
        opened=np.array([1_800_000_000] * 3, np.int64),
        first_response=np.array([1_800_000_100, 1_799_999_000, 1_800_000_100], np.int64),
        resolved=np.array([MISSING] * 3, np.int64),
        closed=np.array([MISSING] * 3, np.int64),
    )
    res = simulate(contract(), tk)
    assert res.by_priority["P1"].tickets == 1
    assert {(i.ticket, i.field) for i in res.issues} == {("early", "first_response_at"), ("unk", "priority")}
    assert res.response.outcome.tolist() == [MET, EXCLUDED, EXCLUDED]
    js = res.to_json(per_ticket=True)
    assert [r["id"] for r in js["tickets"]] == ["ok"]
    assert len(js["issues"]) == 2


def test_pauses_apply_per_metric() -> None:
    t = table([{"id": "A", "priority": "P1", "opened_at": at(2026, 11, 2, 9),
                "first_response_at": at(2026, 11, 2, 11), "resolved_at": at(2026, 11, 2, 14)}])
    log = StatusLog(np.array([0, 0], np.int64),
                    np.array([int(at(2026, 11, 2, 10).timestamp()), int(at(2026, 11, 2, 13).timestamp())]),
                    np.array([0, 1], np.int32), ("Awaiting User Info", "Active"))
    res = simulate(contract(), t, log)
    assert res.response.business_seconds.tolist() == [7200]  # pauses apply to resolution only
    assert res.resolution.business_seconds.tolist() == [5 * 3600 - 3 * 3600]
    both = simulate(contract(pause_applies_to=["response", "resolution"]), t, log)
    assert both.response.business_seconds.tolist() == [3600]


def test_engine_matches_reference_through_contract() -> None:
    """simulate() on random tickets vs the brute-force reference, resolution with pauses."""
    rng = random.Random(11)
    opened, ends, logs = make_tickets(rng, "America/Toronto", 800)
    n = len(opened)
    tk = TicketTable(np.array([f"T{i}" for i in range(n)], dtype=object), np.full(n, 1, np.int8),
                     opened, np.where(np.arange(n) % 3 == 0, MISSING, ends), ends, np.full(n, MISSING))
    res = simulate(contract(pause_statuses=list(PAUSE)), tk, status_log_from(logs))
    ref = Reference(BUSINESS)
    as_of = res.as_of_epoch
    assert as_of == max(int(ends.max()), max((r[0] for rows in logs for r in rows), default=0))
    for i in range(n):
        rows = sorted(logs[i], key=lambda r: r[0])
        assert res.resolution.business_seconds[i] == ref.business(int(opened[i]), int(ends[i]), rows)
        end = int(ends[i]) if i % 3 else as_of
        assert res.response.business_seconds[i] == ref.covered(int(opened[i]), end)
        if i % 3 == 0:
            assert res.response.outcome[i] in (PENDING, BREACHED)
    assert STATUSES


def _many(n: int = 400, seed: int = 5) -> TicketTable:
    rng = np.random.default_rng(seed)
    opened = int(at(2026, 1, 5).timestamp()) + rng.integers(0, 90 * 86400, n)
    resp = opened + rng.integers(0, 6 * 3600, n)
    res = opened + rng.integers(0, 5 * 86400, n)
    res[::7] = MISSING
    return TicketTable(np.array([f"T{i}" for i in range(n)], dtype=object),
                       rng.integers(0, 4, n).astype(np.int8), opened.astype(np.int64),
                       resp.astype(np.int64), res.astype(np.int64), np.full(n, MISSING))


def test_target_change_reuses_elapsed_and_matches_fresh_run() -> None:
    tk = _many()
    eng = Engine(tk)
    base = eng.run(contract())
    cached = len(eng._elapsed)
    changed = contract(targets={"P1": {"response": "30m", "resolution": "2h", "calendar": "24x7"},
                                "P2": {"response": "3h", "resolution": "next_business_day",
                                       "calendar": "business"}})
    fast = eng.run(changed)
    assert len(eng._elapsed) == cached  # nothing recomputed
    fresh = simulate(changed, tk)
    assert fast.to_json(per_ticket=True) == fresh.to_json(per_ticket=True)
    flips = compare(base, fast).flips
    assert flips and all(f.baseline != f.scenario for f in flips)
    for f in flips:
        i = int(np.flatnonzero(tk.ids == f.ticket)[0])
        assert base.metric(f.metric).outcome[i] != fast.metric(f.metric).outcome[i]


def test_counts_equal_per_ticket_outcomes() -> None:
    res = simulate(contract(), _many())
    for p, r in res.by_priority.items():
        mask = res.engine.tickets.priority == ["P1", "P2", "P3", "P4"].index(p)
        for m in ("response", "resolution"):
            oc = res.metric(m).outcome[mask]
            c = r.metric(m)
            assert (c.met, c.breached, c.pending) == (
                int((oc == MET).sum()), int((oc == BREACHED).sum()), int((oc == PENDING).sum()))
            assert c.not_applicable == int((oc == NOT_APPLICABLE).sum())


def test_inverse_smallest_target_and_curve() -> None:
    res = simulate(contract(), _many())
    for share in (0.5, 0.8, 0.95, 1.0):
        t = res.smallest_target_for("P1", "response", share)
        assert t is not None
        scen = simulate(contract(targets={"P1": {"response": f"{t}s", "calendar": "24x7"}}),
                        res.engine.tickets)
        compliance = scen.by_priority["P1"].response.compliance
        assert compliance is not None and compliance >= share - 1e-12
        if t > 1:
            lower = simulate(contract(targets={"P1": {"response": f"{t - 1}s", "calendar": "24x7"}}),
                             res.engine.tickets)
            lower_compliance = lower.by_priority["P1"].response.compliance
            assert lower_compliance is not None and lower_compliance < share
    _b, c = res.compliance_curve("P1", "response", [1, 3600, 10**9])
    assert c[-1] == 1.0 and c[0] <= c[1] <= c[2]
    assert c[1] == pytest.approx(res.by_priority["P1"].response.compliance)


def test_credits_with_caps_hand_computed() -> None:
    o = int(at(2026, 3, 2, 9).timestamp())
    late = o + 3 * 3600
    # March: 3 P1 response breaches, 1 met; April: 1 met
    rows = [(o, late), (o, late), (o, late), (o, o + 60)]
    o2 = int(at(2026, 4, 6, 9).timestamp())
    rows.append((o2, o2 + 60))
    n = len(rows)
    tk = TicketTable(np.array([f"T{i}" for i in range(n)], dtype=object), np.zeros(n, np.int8),
                     np.array([r[0] for r in rows], np.int64), np.array([r[1] for r in rows], np.int64),
                     np.array([r[1] for r in rows], np.int64), np.full(n, MISSING))
    c = contract(
        monthly_fee=10000,
        service_credits=[
            {"metric": "response", "priority": "P1", "percent_of_fee": 2, "trigger": "per_breach",
             "cap_percent": 5},
            {"metric": "response", "percent_of_fee": 3, "trigger": "compliance_below", "threshold": 0.9},
            {"metric": "resolution", "priority": "P1", "percent_of_fee": 1, "trigger": "per_breach"},
        ],
        credits_cap_percent=7.5,
    )
    cr = simulate(c, tk).credits()
    # March: rule 1 = min(3 * 2, 5) = 5; rule 2: compliance 1/4 < 0.9 -> 3; rule 3: resolution
    # 3h > 4h? no -> 0 breaches -> 0.  Total 8 capped at 7.5 -> 750.00
    assert cr["2026-03"]["rules"] == [5, 3, 0]
    assert cr["2026-03"]["percent"] == 7.5
    assert cr["2026-03"]["amount"] == 750.0
    assert cr["2026-04"]["percent"] == 0 and cr["2026-04"]["amount"] == 0.0
    assert simulate(c, tk).breaches_per_month()["2026-03"]["P1"]["response"] == 3


def test_scenario_overrides_and_coverage_analysis() -> None:
    tk = _many()
    eng = Engine(tk)
    s = Scenario("pauses both", pause_applies_to=("response", "resolution"))
    assert s.apply(contract()).pause_applies_to == ("response", "resolution")
    cov = coverage_analysis(eng, contract())
    outside = cov["calendars"]["business"]["opened_outside"]
    o = tk.opened[tk.priority == 1]
    local = [dt.datetime.fromtimestamp(int(x), TOR) for x in o]
    hol = holidays.country_holidays("CA", subdiv="ON", years=2026)  # Family Day, Good Friday
    exp = sum(1 for d in local if d.weekday() >= 5 or not (8 <= d.hour < 17) or d.date() in hol) / len(o)
    assert outside["P2"] == pytest.approx(exp)
    assert cov["calendars"]["business"]["variants"]["24x7"]["opened_outside"]["P2"] == 0.0
    assert cov["calendars"]["24x7"]["opened_outside"]["P1"] == 0.0


def test_progress_can_cancel() -> None:
    from workbench.progress import Cancelled

    with pytest.raises(Cancelled):
        simulate(contract(), _many(), progress=lambda f, m: f < 0.5)


def test_audit_segments_match_business_seconds() -> None:
    rng = random.Random(4)
    opened, ends, logs = make_tickets(rng, "America/Toronto", 60)
    n = len(opened)
    tk = TicketTable(np.array([f"T{i}" for i in range(n)], dtype=object), np.full(n, 2, np.int8),
                     opened, ends, ends, np.full(n, MISSING))
    res = simulate(contract(pause_statuses=list(PAUSE),
                            targets={"P3": {"response": "4h", "resolution": "1h", "calendar": "business"}}),
                   tk, status_log_from(logs))
    for i in range(n):
        for m in ("response", "resolution"):
            segs = res.audit(f"T{i}", m)
            assert sum(s.seconds for s in segs if s.kind == "covered") == res.metric(m).business_seconds[i]
            assert sum(s.seconds for s in segs) == int(ends[i] - opened[i])


def test_many_calendars_evict_caches_without_changing_results() -> None:
    tk = _many(300)
    eng = Engine(tk)
    runs = []
    for h in range(10, 10 + Engine.MAX_CALENDARS + 3):
        cal = dict(BUSINESS, weekly={d: [f"08:00-{h}:00"] for d in ("mon", "tue", "wed", "thu", "fri")})
        c = contract(calendars={"business": cal})
        runs.append((c, eng.run(c).to_json(per_ticket=True)))
    assert len(eng._cals) <= Engine.MAX_CALENDARS
    for c, js in runs[:3]:
        assert eng.run(c).to_json(per_ticket=True) == js == simulate(c, tk).to_json(per_ticket=True)
