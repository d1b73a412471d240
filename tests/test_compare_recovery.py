"""Compare's ``recovery`` component on the history: the terms' checks and the share of
the recovery terms the backups, restore tests and outages met, hand-computed."""

from __future__ import annotations

import datetime as dt

import pytest

from models.contract import Contract, contract_from_data
from models.history import BackupJob, History, Outage, RestoreTest, Ticket, TicketTable, to_epoch
from workbench.analytics.compare import compare, recovery_met
from workbench.engine.recovery_replay import RecoveryReplay

UTC = dt.UTC


def z(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=UTC)


def contract(version: str, rpo: str) -> Contract:
    return contract_from_data({
        "name": "R", "version": version, "monthly_fee": 1000.0,
        "calendars": {"biz": {"timezone": "America/Toronto", "weekly": {"mon": ["08:00-17:00"]}}},
        "targets": {"P1": {"response": "1h", "calendar": "24x7"}},
        "backup": {"systems": [{"name": "db", "rpo": rpo, "rto": "2h"},
                               {"name": "files", "rpo": "24h", "rto": "4h"}],
                   "restore_test_cadence": "monthly", "cloud_backup_monitoring": True},
        "uptime": [{"service": "erp", "target_percent": 99.9}],
    })


AS_OF = to_epoch(z(2025, 3, 10, 7))


def recovery_history(first_test: dt.datetime) -> History:
    """One ticket; db backed up Mar 9 03:00Z, 08:00Z, 22:00Z, Mar 10 05:00Z; a 3-hour
    restore test at ``first_test`` and a 1-hour one on Mar 5; erp down 1 h on Jan 15."""
    return History(
        tickets=TicketTable.from_tickets([Ticket(id="1", priority="P1", opened_at=z(2025, 3, 1),
                                                 first_response_at=z(2025, 3, 1, 0, 30))]),
        backups=tuple(BackupJob(system="db", finished_at=z(2025, 3, d, h), success=True)
                      for d, h in ((9, 3), (9, 8), (9, 22), (10, 5))),
        restore_tests=(
            RestoreTest(system="db", started_at=first_test, finished_at=first_test + dt.timedelta(hours=3),
                        success=True),
            RestoreTest(system="db", started_at=z(2025, 3, 5), finished_at=z(2025, 3, 5, 1), success=True),
        ),
        outages=(Outage(service="erp", start=z(2025, 1, 15), end=z(2025, 1, 15, 1)),),
    )


HISTORY = recovery_history(z(2025, 3, 1))


def test_recovery_component_on_the_history_by_hand() -> None:
    """Terms: systems, monthly cadence, cloud monitoring stated, on-prem not: 3/4.
    History: RPO 6h met on 1 of db's 3 Toronto days, files has no backup (1/3 + 0) / 2;
    1 of 2 restore tests within its RTO; db met the cadence, files held no test (1/2);
    January breached 99.9 %, February met, March not over (1/2).  Recovery =
    (3/4 + (1/6 + 1/2 + 1/2 + 1/2) / 4) / 2 = 7/12."""
    c = contract("strict", "6h")
    loose = contract("loose", "14h")
    share = recovery_met(RecoveryReplay.from_history(HISTORY, c, AS_OF).run(), HISTORY)
    assert share == pytest.approx(5 / 12)
    result = compare([c, loose], HISTORY.tickets, weights={"recovery": 1}, as_of=AS_OF, history=HISTORY,
                     with_warnings=False)
    strict_v, loose_v = result.versions
    assert strict_v.components["recovery"] == pytest.approx(7 / 12)
    # a 14 h RPO is met on all 3 days: the RPO part is (1 + 0) / 2
    assert loose_v.components["recovery"] == pytest.approx((3 / 4 + (1 / 2 + 3 / 2) / 4) / 2)
    assert strict_v.score == pytest.approx(100 * 7 / 12, abs=0.01)


def test_without_recovery_records_only_the_terms_count() -> None:
    c = contract("strict", "6h")
    bare = History(tickets=HISTORY.tickets)
    result = compare([c, contract("loose", "14h")], bare.tickets, as_of=AS_OF, history=bare,
                     with_warnings=False)
    assert [v.components["recovery"] for v in result.versions] == [0.75, 0.75]
    no_history = compare([c, contract("loose", "14h")], bare.tickets, as_of=AS_OF, with_warnings=False)
    assert [v.components["recovery"] for v in no_history.versions] == [0.75, 0.75]
    # records of one kind only: only that part is measured (here the outages: 1 of 2 months)
    outages = History(tickets=HISTORY.tickets, outages=HISTORY.outages)
    one = compare([c, c], outages.tickets, as_of=AS_OF, history=outages, with_warnings=False)
    assert one.versions[0].components["recovery"] == pytest.approx((3 / 4 + 1 / 2) / 2)
