"""The start of an engagement: which steps a workspace has done, and what it holds of each (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from models.history import BackupJob, History, KpiSnapshot, Outage
from tests.test_ui_support import make_history
from workbench.app.engagement import STEP_KEYS, engagement_steps, needs_start


@dataclass(frozen=True)
class V:
    status: str


T0 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def _by_key(steps):  # type: ignore[no-untyped-def]
    return {s.key: s for s in steps}


def test_an_empty_workspace_has_every_step_to_do_and_says_what_each_brings() -> None:
    steps = engagement_steps([], History())
    assert [s.key for s in steps] == list(STEP_KEYS)
    assert not any(s.done for s in steps)
    by = _by_key(steps)
    assert "SLA in force" in by["contract"].detail and "PDF" in by["contract"].detail
    assert "ticket export" in by["tickets"].detail
    assert "KPI" in by["records"].detail and by["records"].optional
    assert "proposal" in by["proposals"].detail and by["proposals"].optional
    assert needs_start(steps)


def test_done_steps_say_what_the_workspace_holds() -> None:
    history = make_history(300)
    history = History(
        tickets=history.tickets,
        status_log=history.status_log,
        backups=(BackupJob(system="DB", finished_at=T0, success=True),) * 3,
        outages=(Outage(service="Mail", start=T0, end=T0),),
        kpis=(KpiSnapshot(month=date(2026, 3, 1), patch_compliance=0.9),) * 2,
    )
    versions = [V("signed"), V("signed"), V("draft"), V("proposal")]
    by = _by_key(engagement_steps(versions, history))
    assert all(s.done for s in by.values())
    assert by["contract"].detail == "2 signed contract versions, 1 draft"
    assert by["tickets"].detail == f"300 tickets, {len(history.status_log):,} status changes"
    assert by["records"].detail == "3 backup jobs, 1 outage and 2 KPI months"
    assert by["proposals"].detail == "1 proposal"
    assert not needs_start(list(by.values()))


def test_half_done_workspace_still_opens_on_the_start_page() -> None:
    tickets_only = engagement_steps([], make_history(10))
    by = _by_key(tickets_only)
    assert by["tickets"].done and by["tickets"].detail.startswith("10 tickets")
    assert not by["contract"].done
    assert needs_start(tickets_only)
    # a draft alone is no signed contract: the step stays to do and says so
    drafts_only = _by_key(engagement_steps([V("draft")], make_history(10)))
    assert not drafts_only["contract"].done
    assert drafts_only["contract"].detail.startswith("1 draft but no signed version")
    # contract and tickets done: the optional steps do not hold the window on the start page
    assert not needs_start(engagement_steps([V("signed")], make_history(10)))


def test_records_still_being_read_are_not_judged() -> None:
    h = History(backups=(BackupJob(system="DB", finished_at=T0, success=True),))
    by = _by_key(engagement_steps([], h, records_pending=True))
    assert not by["records"].done and by["records"].detail == "reading…"
    by = _by_key(engagement_steps([], h))
    assert by["records"].done and by["records"].detail == "1 backup job"
