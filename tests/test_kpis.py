"""KPIs against values computed by hand on a small fixture built here.

Periods: current = Oct + Nov 2026 (61 days, UTC), previous = Aug + Sep 2026 (61 days).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from models.contract import contract_from_data
from models.history import (
    MISSING,
    History,
    KpiSnapshot,
    RestoreTest,
    StatusChange,
    StatusLog,
    Ticket,
    TicketTable,
)
from workbench.analytics.kpis import (
    BREACHED,
    MET,
    NOT_APPLICABLE,
    PENDING,
    KpiContext,
    Outcomes,
    Period,
    credits_owed,
    nearest_rank,
    paused_seconds,
    team_group,
)

H = 3600
D = 86400


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def contract(**extra):
    data = {
        "name": "Fixture MSP",
        "version": "v1",
        "monthly_fee": 1000,
        "calendars": {"business": {"timezone": "UTC", "weekly": {d: ["08:00-17:00"] for d in
                                                                   ("mon", "tue", "wed", "thu", "fri")}}},
        "targets": {
            "P1": {"response": "1h", "resolution": "4h", "calendar": "24x7"},
            "P2": {"response": "2h", "resolution": "8h", "calendar": "24x7"},
            "P3": {"response": "4h", "resolution": "2d", "calendar": "24x7"},
            "P4": {"response": "8h", "resolution": "5d", "calendar": "24x7"},
        },
        "pause_statuses": ["Awaiting User Info", "Pending client approval"],
        "backup": {"systems": [{"name": "ERP", "rpo": "1h", "rto": "4h"},
                               {"name": "Files", "rpo": "1d", "rto": "1h"}]},
    }
    data.update(extra)
    return contract_from_data(data)


def tk(id_, prio, opened, resp=None, res=None, team=None, category=None) -> Ticket:
    return Ticket(
        id=id_, priority=prio, opened_at=opened,
        first_response_at=None if resp is None else opened + timedelta(seconds=resp),
        resolved_at=None if res is None else opened + timedelta(seconds=res),
        team=team, category=category,
    )


TICKETS = [
    tk("T1", "P1", at(11, 2, 10), resp=1800, res=3 * H, team="NOC", category="Antivirus alert"),
    tk("T2", "P1", at(11, 5), resp=2 * H, res=10 * H, team="Helpdesk", category="credential theft"),
    tk("T3", "P2", at(11, 10, 9), resp=H, res=5 * H, team="MSSP", category="Lateral Movement"),
    tk("T4", "P3", at(11, 20, 12), resp=4 * H, team="SOC", category="SIEM log anomaly"),
    tk("T5", "P4", at(11, 25, 8), category="printer"),
    tk("T6", "P2", at(10, 15, 12), resp=H, res=2 * H, team="Helpdesk", category="USER LOCKOUT"),
    tk("T7", "P3", at(9, 1, 10), resp=2 * H, res=D, team="Service Desk"),
]
CHANGES = [
    StatusChange(ticket_id="T3", at=at(11, 10, 9), status="In Progress"),
    StatusChange(ticket_id="T3", at=at(11, 10, 10), status="Awaiting User Info"),
    StatusChange(ticket_id="T3", at=at(11, 10, 12), status="In Progress"),
    StatusChange(ticket_id="T4", at=at(11, 20, 12), status="New"),
    StatusChange(ticket_id="T4", at=at(11, 21), status="Pending client approval"),  # last: holds
    StatusChange(ticket_id="T1", at=at(11, 2, 10), status="Awaiting Vendor"),  # not a pause status
]
SNAPS = (
    KpiSnapshot(month=date(2026, 8, 1), threats_detected=3),
    KpiSnapshot(month=date(2026, 9, 1), patch_compliance=0.7, threats_detected=2, threats_resolved=1),
    KpiSnapshot(month=date(2026, 10, 1), patch_compliance=0.8, threats_detected=5, threats_resolved=5),
    KpiSnapshot(month=date(2026, 11, 1), patch_compliance=0.9, threats_detected=10, threats_resolved=8),
)
RESTORES = (
    RestoreTest(system="ERP", started_at=at(10, 10), finished_at=at(10, 10, 3), success=True),
    RestoreTest(system="Files", started_at=at(11, 3), finished_at=at(11, 3, 2), success=True),
    RestoreTest(system="ERP", started_at=at(11, 20), finished_at=at(11, 20, 1), success=False),
    RestoreTest(system="Files", started_at=at(9, 5), finished_at=at(9, 5, 0, 30), success=True),
)
AS_OF = int(at(12, 1).timestamp())
CURRENT = Period.of(at(10, 1), at(12, 1))


def history() -> History:
    table = TicketTable.from_tickets(TICKETS)
    return History(
        tickets=table, status_log=StatusLog.from_changes(CHANGES, table), kpis=SNAPS,
        restore_tests=RESTORES,
    )


def hand_outcomes(table: TicketTable) -> Outcomes:
    """Outcome codes chosen by hand (credits depend only on them)."""
    order = [str(i) for i in table.ids]
    resp = {"T1": MET, "T2": BREACHED, "T3": MET, "T4": MET, "T5": PENDING, "T6": MET, "T7": MET}
    res = {"T1": MET, "T2": BREACHED, "T3": MET, "T4": BREACHED, "T5": PENDING, "T6": MET, "T7": MET}
    n = len(order)
    return Outcomes(
        business={m: np.full(n, MISSING, np.int64) for m in ("response", "resolution")},
        budget={m: np.zeros(n, np.int64) for m in ("response", "resolution")},
        outcome={"response": np.array([resp[i] for i in order], np.int8),
                 "resolution": np.array([res[i] for i in order], np.int8)},
        as_of=AS_OF,
    )


@pytest.fixture(scope="module")
def ctx() -> KpiContext:
    h = history()
    return KpiContext(contract(), h, as_of=AS_OF, outcomes=hand_outcomes(h.tickets))


def test_period_previous_has_equal_length() -> None:
    assert CURRENT.previous() == Period.of(at(8, 1), at(10, 1))
    with pytest.raises(ValueError):
        Period(10, 10)


def test_nearest_rank() -> None:
    v = np.array([7200, 10800, 18000, 36000])
    assert nearest_rank(v, 50) == 10800 and nearest_rank(v, 90) == 36000
    assert nearest_rank(np.array([5]), 90) == 5 and nearest_rank(np.array([]), 50) is None


def test_team_groups() -> None:
    assert [team_group(x) for x in ("MSSP", "soc", " NOC ", "Service Desk", "Facilities", None, "")] == [
        "SOC/MSSP", "SOC/MSSP", "NOC", "Helpdesk", "Other", "Unassigned", "Unassigned"]


def test_ticket_counts(ctx: KpiContext) -> None:
    cur, prev = ctx.kpis(CURRENT), ctx.kpis(CURRENT.previous())
    assert cur.tickets == 6 and prev.tickets == 1
    assert cur.tickets_by_priority == {"P1": 2, "P2": 2, "P3": 1, "P4": 1}
    assert cur.tickets_by_team == {"Helpdesk": 2, "NOC": 1, "SOC/MSSP": 2, "Other": 0, "Unassigned": 1}
    assert prev.tickets_by_priority == {"P1": 0, "P2": 0, "P3": 1, "P4": 0}
    assert prev.tickets_by_team["Helpdesk"] == 1


def test_mttr_and_percentiles(ctx: KpiContext) -> None:
    cur, prev = ctx.kpis(CURRENT), ctx.kpis(CURRENT.previous())
    # resolved: T1 3h, T2 10h, T3 5h, T6 2h
    assert cur.resolved == 4
    assert cur.mttr_seconds == (3 + 10 + 5 + 2) * H / 4
    assert cur.percentiles["resolution"] == {"p50": 3 * H, "p90": 10 * H}
    # responses: 0.5h, 2h, 1h, 4h, 1h -> sorted 0.5, 1, 1, 2, 4
    assert cur.percentiles["response"] == {"p50": H, "p90": 4 * H}
    assert prev.mttr_seconds == D and prev.percentiles["response"]["p50"] == 2 * H


def test_client_caused_waiting(ctx: KpiContext) -> None:
    cur = ctx.kpis(CURRENT)
    t3 = 2 * H  # Awaiting User Info 10:00-12:00
    t4 = int((at(12, 1) - at(11, 21)).total_seconds())  # last status holds until as_of
    assert cur.client_wait_seconds == t3 + t4
    assert cur.client_wait_tickets == 2
    open_total = 3 * H + 10 * H + 5 * H + (at(12, 1) - at(11, 20, 12)).total_seconds() \
        + (at(12, 1) - at(11, 25, 8)).total_seconds() + 2 * H
    assert cur.client_wait_share == pytest.approx((t3 + t4) / open_total)
    assert ctx.kpis(CURRENT.previous()).client_wait_seconds == 0


def test_paused_seconds_clipped_to_resolution_and_as_of() -> None:
    tickets = [tk("A", "P2", at(11, 1), res=5 * H), tk("B", "P2", at(11, 1), res=5 * H)]
    table = TicketTable.from_tickets(tickets)
    log = StatusLog.from_changes([
        StatusChange(ticket_id="A", at=at(11, 1, 4), status="Waiting"),  # until resolved at 05:00
        StatusChange(ticket_id="B", at=at(10, 31, 23), status="Waiting"),  # before opening
        StatusChange(ticket_id="B", at=at(11, 1, 1), status="Work"),
    ], table)
    assert paused_seconds(table, log, ["Waiting"], AS_OF).tolist() == [H, H]
    # a resolution after as_of does not count: the pause stops at as_of
    assert paused_seconds(table, log, ["Waiting"], int(at(11, 1, 4, 30).timestamp())).tolist() == [1800, H]


def test_escalation_routing(ctx: KpiContext) -> None:
    cur = ctx.kpis(CURRENT)
    # matrix categories: T1 NOC ok, T2 credential theft by Helpdesk (SOC expected), T3 MSSP ok,
    # T4 SOC ok, T6 user lockout by Helpdesk ok; T5 "printer" is not in the matrix
    assert (cur.escalation_matched, cur.escalation_routed) == (5, 4)
    assert cur.escalation_share == pytest.approx(0.8)
    assert cur.escalation_misrouted == {"credential theft": 1}
    assert ctx.kpis(CURRENT.previous()).escalation_share is None


def test_snapshots_and_restore_tests(ctx: KpiContext) -> None:
    cur, prev = ctx.kpis(CURRENT), ctx.kpis(CURRENT.previous())
    assert cur.patch_compliance == pytest.approx(0.85)
    assert (cur.threats_detected, cur.threats_resolved) == (15, 13)
    assert prev.patch_compliance == pytest.approx(0.7)  # August reports none
    assert (prev.threats_detected, prev.threats_resolved) == (5, 1)
    # Oct ERP 3h ok (RTO 4h), Nov Files 2h passed but over its 1h RTO, Nov ERP failed
    assert (cur.restore_tests, cur.restore_tests_passed, cur.restore_tests_within_rto) == (3, 2, 1)
    assert (prev.restore_tests, prev.restore_tests_passed, prev.restore_tests_within_rto) == (1, 1, 1)


def test_compliance_breaches_and_credits_from_outcomes() -> None:
    h = history()
    c = contract(
        service_credits=[
            {"metric": "resolution", "priority": "P1", "percent_of_fee": 5},
            {"metric": "response", "percent_of_fee": 2, "trigger": "compliance_below", "threshold": 0.9},
        ]
    )
    ctx = KpiContext(c, h, as_of=AS_OF, outcomes=hand_outcomes(h.tickets))
    cur = ctx.kpis(CURRENT)
    assert cur.compliance["P1"]["resolution"] == {"met": 1, "breached": 1, "pending": 0, "compliance": 0.5}
    assert cur.compliance["P4"]["response"] == {"met": 0, "breached": 0, "pending": 1, "compliance": None}
    assert cur.breaches == 1 + 2  # response T2; resolution T2, T4
    # Nov: one P1 resolution breach (5%) + response compliance 3/4 < 0.9 (2%); Oct: nothing
    assert (cur.credits_percent, cur.credits) == (7.0, 70.0)


def test_credit_caps() -> None:
    c = contract(
        credits_cap_percent=12,
        service_credits=[
            {"metric": "resolution", "percent_of_fee": 5, "cap_percent": 10},
            {"metric": "response", "percent_of_fee": 4},
        ],
    )
    n = 6
    codes = np.array([BREACHED] * 3 + [BREACHED, MET, NOT_APPLICABLE], np.int8)
    o = Outcomes({}, {}, {"resolution": codes, "response": codes}, AS_OF)
    month = np.array([0, 0, 0, 1, 1, 1], np.int64)
    prio = np.zeros(n, np.int8)
    # month 0: resolution 3x5=15 capped 10, response 3x4=12 -> 22 capped 12; month 1: 5 + 4 = 9
    assert credits_owed(c, o, prio, month, np.ones(n, bool)) == (21.0, 210.0)
    no_fee = c.model_copy(update={"monthly_fee": None})
    assert credits_owed(no_fee, o, prio, month, np.ones(n, bool))[1] is None


def test_report_pairs_current_and_previous(ctx: KpiContext) -> None:
    rep = ctx.report(at(10, 1), at(12, 1))
    assert rep.current.tickets == 6 and rep.previous.tickets == 1
    rows = {r.label: r for r in rep.rows()}
    assert rows["Tickets"].delta == 5
    assert rows["MTTR (wall clock)"].higher_is_better is False
    js = rep.to_json()
    assert js["current"]["tickets_by_team"]["SOC/MSSP"] == 2


# ------------------------------------------------------------------ with the real engine


def test_engine_backed_compliance_and_business_mttr() -> None:
    from workbench.engine.simulate import simulate

    h = history()
    c = contract(service_credits=[{"metric": "resolution", "percent_of_fee": 3}])
    ctx = KpiContext(c, h, as_of=AS_OF)
    whole = ctx.kpis(Period.of(at(1, 1), at(12, 1)))
    # the engine's own counts over the same tickets
    engine = simulate(c, h.tickets, h.status_log, as_of=AS_OF).to_json()["by_priority"]
    assert whole.compliance == engine
    # all targets run 24x7: business = wall clock minus client pauses for resolution.
    # T1 3h, T2 10h, T3 5h - 2h paused, T6 2h (current); T7 1 day (previous)
    cur = ctx.kpis(CURRENT)
    assert cur.mttr_business_seconds == (3 + 10 + 3 + 2) * H / 4
    assert cur.percentiles["resolution_business"] == {"p50": 3 * H, "p90": 10 * H}
    # hand-checked breaches: T2 response 2h > 1h, resolution 10h > 4h; T4 P3 response 4h = 4h met,
    # resolution open 10.5 days - 10 days paused = 12h < 2d pending; T5 P4 response open 5d16h > 8h
    # breached, resolution 5d16h > 5d breached; T7 P3 resolution 1 day met
    assert cur.compliance["P1"]["response"] == {"met": 1, "breached": 1, "pending": 0, "compliance": 0.5}
    assert cur.compliance["P3"]["resolution"] == {"met": 0, "breached": 0, "pending": 1, "compliance": None}
    assert cur.compliance["P4"]["resolution"]["breached"] == 1
    assert cur.breaches == 4
    # 3% per resolution breach: T2 (Nov), T5 (Nov) -> 6% of 1000
    assert (cur.credits_percent, cur.credits) == (6.0, 60.0)
    sim = simulate(c, h.tickets, h.status_log, as_of=AS_OF)
    assert sum(m["amount"] for m in sim.credits().values()) == whole.credits


def test_bad_data_is_left_out_as_in_the_engine() -> None:
    bad = Ticket(id="BAD", priority="P1", opened_at=at(11, 3), resolved_at=at(11, 2))
    table = TicketTable.from_tickets([*TICKETS, bad])
    h = History(tickets=table)
    ctx = KpiContext(contract(), h, as_of=AS_OF)
    cur = ctx.kpis(CURRENT)
    assert cur.tickets == 6 and cur.tickets_by_priority["P1"] == 2
    assert cur.mttr_seconds == (3 + 10 + 5 + 2) * H / 4


def test_availability_per_uptime_commitment() -> None:
    from models.history import Outage

    c = contract(uptime=[{"service": "ERP", "target_percent": 99.9}])
    h = history()
    outages = (
        Outage(service="ERP", start=at(11, 10), end=at(11, 10, 2)),
        Outage(service="ERP", start=at(11, 15), end=at(11, 15, 1), maintenance=True),  # excluded
        Outage(service="Files", start=at(11, 16), end=at(11, 16, 5)),  # another service
    )
    h = History(tickets=h.tickets, status_log=h.status_log, outages=outages)
    ctx = KpiContext(c, h, as_of=AS_OF)
    cur, prev = ctx.kpis(CURRENT), ctx.kpis(CURRENT.previous())
    assert cur.availability["ERP"] == pytest.approx(1 - 2 * H / (61 * D))
    assert prev.availability == {"ERP": 1.0}
    rows = {r.label: r for r in ctx.report(at(10, 1), at(12, 1)).rows()}
    assert rows["Availability ERP"].current == pytest.approx(1 - 2 * H / (61 * D))


def test_every_headline_row_has_a_definition(ctx: KpiContext) -> None:
    for row in ctx.report(at(10, 1), at(12, 1)).rows():
        assert row.definition, f"{row.label} has no definition"
