"""RPO, RTO, restore cadence and uptime, hand-computed."""

from __future__ import annotations

import datetime as dt

import pytest

from models.contract import contract_from_data
from models.history import BackupJob, History, Outage, RestoreTest, to_epoch
from workbench.engine.recovery import (
    availability,
    cadence_check,
    monthly_availability,
    recovery_report,
    rpo_check,
    rto_checks,
)

UTC = dt.UTC


def d(y: int, mo: int, day: int, h: int = 0, mi: int = 0, s: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, day, h, mi, s, tzinfo=UTC)


C = contract_from_data({
    "name": "R", "version": "1",
    "calendars": {"biz": {"timezone": "UTC", "weekly": {x: ["08:00-18:00"] for x in
                                                       ("mon", "tue", "wed", "thu", "fri")}}},
    "backup": {"systems": [{"name": "erp", "rpo": "24h", "rto": "4h"},
                           {"name": "mail", "rpo": "1h", "rto": "2h"}],
               "restore_test_cadence": "quarterly"},
    "uptime": [{"service": "erp", "target_percent": 99.9},
               {"service": "portal", "target_percent": 99.0, "calendar": "biz"}],
})


def test_rpo_worst_gap_includes_gap_to_as_of() -> None:
    backups = [BackupJob(system="erp", finished_at=d(2026, 3, 1, h), success=True) for h in (0, 12)]
    backups += [BackupJob(system="erp", finished_at=d(2026, 3, 2, 20), success=True),
                BackupJob(system="erp", finished_at=d(2026, 3, 2, 1), success=False)]  # failed: ignored
    r = rpo_check("erp", 86400, backups, to_epoch(d(2026, 3, 3, 6)))
    assert r.worst_gap_seconds == 32 * 3600  # Mar 1 12:00 -> Mar 2 20:00
    assert not r.met
    r2 = rpo_check("erp", 86400, backups[:3], to_epoch(d(2026, 3, 2, 21)))
    assert r2.worst_gap_seconds == 32 * 3600
    late = rpo_check("erp", 40 * 3600, backups, to_epoch(d(2026, 3, 4, 20)))
    assert late.worst_gap_seconds == 48 * 3600 and late.worst_gap_end == to_epoch(d(2026, 3, 4, 20))
    none = rpo_check("mail", 3600, backups, to_epoch(d(2026, 3, 3)))
    assert none.worst_gap_seconds is None and not none.met


def test_rto_failed_test_is_a_breach() -> None:
    tests = [
        RestoreTest(system="erp", started_at=d(2026, 1, 10, 9), finished_at=d(2026, 1, 10, 13), success=True),
        RestoreTest(system="erp", started_at=d(2026, 2, 10, 9), finished_at=d(2026, 2, 10, 13, 0, 1),
                    success=True),
        RestoreTest(system="mail", started_at=d(2026, 3, 10, 9), finished_at=d(2026, 3, 10, 9, 5),
                    success=False),
        RestoreTest(system="crm", started_at=d(2026, 3, 11, 9), finished_at=d(2026, 3, 11, 10), success=True),
    ]
    got = [(r.system, r.duration_seconds, r.outcome) for r in rto_checks(C, tests)]
    assert got == [("erp", 4 * 3600, "met"), ("erp", 4 * 3600 + 1, "breached"), ("mail", 300, "breached"),
                   ("crm", 3600, "not_applicable")]


def test_restore_cadence_quarterly_92_days() -> None:
    t0 = d(2026, 1, 1)
    tests = [RestoreTest(system="erp", started_at=t0 + dt.timedelta(days=k),
                         finished_at=t0 + dt.timedelta(days=k, hours=1), success=k != 92)
             for k in (0, 92, 150)]
    ok = cadence_check("all", 92 * 86400, tests, to_epoch(t0 + dt.timedelta(days=242)))
    assert ok.longest_interval_seconds == 92 * 86400 and ok.met
    late = cadence_check("all", 92 * 86400, tests, to_epoch(t0 + dt.timedelta(days=242, seconds=1)))
    assert late.longest_interval_seconds == 92 * 86400 + 1 and not late.met
    assert not cadence_check("mail", 92 * 86400, tests, to_epoch(t0)).met


def test_availability_24x7_with_maintenance_excluded() -> None:
    outs = [
        Outage(service="erp", start=d(2026, 4, 1, 10), end=d(2026, 4, 1, 11)),
        Outage(service="erp", start=d(2026, 4, 1, 10, 30), end=d(2026, 4, 1, 12)),  # overlaps: 2 h in all
        Outage(service="erp", start=d(2026, 4, 1, 11, 30), end=d(2026, 4, 1, 13), maintenance=True),
        Outage(service="other", start=d(2026, 4, 2), end=d(2026, 4, 3)),
        Outage(service="erp", start=d(2026, 4, 30, 23), end=d(2026, 5, 1, 1)),  # 1 h in April
    ]
    apr = (to_epoch(d(2026, 4, 1)), to_epoch(d(2026, 5, 1)))
    # down: 10:00-12:00 minus maintenance 11:30-13:00 = 1.5 h, plus 1 h at month end = 2.5 h
    got = availability(C, C.uptime[0], outs, *apr)
    assert got == pytest.approx(1 - 2.5 * 3600 / (30 * 86400))
    months = monthly_availability(C, outs, apr[0], to_epoch(d(2026, 5, 15)))
    assert months["erp"]["2026-04"]["outage_seconds"] == int(2.5 * 3600)
    assert months["erp"]["2026-05"]["outage_seconds"] == 3600
    assert months["erp"]["2026-05"]["calendar_seconds"] == 31 * 86400
    assert months["erp"]["2026-04"]["met"] is False  # 99.65% < 99.9%


def test_availability_on_business_calendar() -> None:
    # Wed 2026-04-01: outage 17:00-20:00 counts 1 h of the 10 h day; April 2026 has 22 weekdays
    outs = [Outage(service="portal", start=d(2026, 4, 1, 17), end=d(2026, 4, 1, 20))]
    got = availability(C, C.uptime[1], outs, to_epoch(d(2026, 4, 1)), to_epoch(d(2026, 5, 1)))
    assert got == pytest.approx(1 - 3600 / (22 * 10 * 3600))


def test_recovery_report_shape() -> None:
    h = History(backups=(BackupJob(system="erp", finished_at=d(2026, 3, 1), success=True),),
                outages=(Outage(service="erp", start=d(2026, 3, 1), end=d(2026, 3, 1, 1)),))
    rep = recovery_report(C, h, as_of=to_epoch(d(2026, 3, 1, 12)))
    assert rep["rpo"][0]["worst_gap_seconds"] == 12 * 3600 and rep["rpo"][0]["met"]
    assert rep["restore_cadence"][0]["met"] is False
    assert rep["uptime"]["erp"]["2026-03"]["outage_seconds"] == 3600


def test_rto_counts_only_tests_finished_by_as_of() -> None:
    """Review fix: a restore test finished after as_of has no known outcome at as_of (RPO and
    cadence already stopped at as_of; RTO did not)."""
    tests = (
        RestoreTest(system="erp", started_at=d(2026, 3, 1, 9), finished_at=d(2026, 3, 1, 10), success=True),
        RestoreTest(system="erp", started_at=d(2026, 3, 9, 9), finished_at=d(2026, 3, 9, 10), success=False),
    )
    h = History(restore_tests=tests)
    rep = recovery_report(C, h, as_of=to_epoch(d(2026, 3, 5)))
    assert [r["outcome"] for r in rep["rto"]] == ["met"]
    assert [r.outcome for r in rto_checks(C, tests)] == ["met", "breached"]
    assert [r["outcome"] for r in recovery_report(C, h)["rto"]] == ["met", "breached"]


def test_month_in_progress_is_pending_unless_already_breached() -> None:
    """Review fix: the month holding as_of is not over.  99.9% of April (30 days) allows
    2,592 s of outage: 2,000 s known by as_of is pending, 3,000 s is already a breach; an
    outage after as_of is not known."""
    as_of = to_epoch(d(2026, 4, 10))
    small = [Outage(service="erp", start=d(2026, 4, 2), end=d(2026, 4, 2, 0, 33, 20)),  # 2,000 s
             Outage(service="erp", start=d(2026, 4, 20), end=d(2026, 4, 21))]  # after as_of
    row = monthly_availability(C, small, to_epoch(d(2026, 3, 15)), as_of)["erp"]
    assert row["2026-03"]["complete"] and row["2026-03"]["outcome"] == "met" and row["2026-03"]["met"]
    apr = row["2026-04"]
    assert not apr["complete"] and apr["outcome"] == "pending" and apr["met"] is None
    assert apr["outage_seconds"] == 2000 and apr["calendar_seconds"] == 30 * 86400
    big = [Outage(service="erp", start=d(2026, 4, 2), end=d(2026, 4, 2, 0, 50))]  # 3,000 s
    apr = monthly_availability(C, big, to_epoch(d(2026, 4, 1)), as_of)["erp"]["2026-04"]
    assert apr["outcome"] == "breached" and apr["met"] is False
    # an outage still running at as_of counts up to as_of
    running = [Outage(service="erp", start=d(2026, 4, 9, 23, 50), end=d(2026, 4, 11))]
    apr = monthly_availability(C, running, to_epoch(d(2026, 4, 1)), as_of)["erp"]["2026-04"]
    assert apr["outage_seconds"] == 600 and apr["outcome"] == "pending"
