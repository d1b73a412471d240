"""Audit: the data's own zone is searched, the trivial rules are reported and never beaten by the
"best" explanation, open tickets are counted apart."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from models.history import Ticket, TicketTable
from workbench.engine.audit import ALWAYS_MET, NEVER_MET, TRIVIAL, audit

BERLIN = ZoneInfo("Europe/Berlin")


def _berlin_business_hours(opened: datetime, closed: datetime) -> float:
    """Hours of Mon-Fri 08:00-17:00 Berlin wall time between two instants (a plain loop)."""
    t, total = opened.astimezone(BERLIN), 0.0
    end = closed.astimezone(BERLIN)
    step = timedelta(minutes=5)
    while t < end:
        if t.weekday() < 5 and 8 <= t.hour < 17:
            total += 5 / 60
        t += step
    return total


def _planted_berlin(n: int = 240) -> list[Ticket]:
    """Resolution met iff at most 6 business hours (Mon-Fri 08-17 Berlin) passed."""
    rng = np.random.default_rng(11)
    start = datetime(2026, 3, 16, 0, 0, tzinfo=BERLIN)  # across the change to summer time (29 March):
    # no fixed UTC window is Berlin's 08:00-17:00 on both sides
    rows = []
    for i in range(n):
        opened = start + timedelta(minutes=int(rng.integers(0, 60 * 24 * 28)))
        resolved = opened + timedelta(hours=float(rng.uniform(0.5, 40)))
        rows.append(
            Ticket(
                id=f"B{i}",
                priority="P2",
                opened_at=opened,
                first_response_at=opened,
                resolved_at=resolved,
                closed_at=resolved,
                provider_sla_met=_berlin_business_hours(opened, resolved) <= 6,
            )
        )
    return rows


def test_without_contract_the_data_zone_is_searched() -> None:
    tickets = TicketTable.from_tickets(_planted_berlin())
    in_utc = audit(tickets)
    assert in_utc.zones == ["UTC"]
    in_zone = audit(tickets, data_zone="Europe/Berlin")
    assert in_zone.zones == ["Europe/Berlin", "UTC"]
    best = in_zone.best
    assert best is not None and best.metric == "resolution"
    assert best.calendar.endswith("Europe/Berlin")  # several windows tie on so few tickets
    planted = [c for c in in_zone.candidates if c.calendar == "Mon-Fri 08:00-17:00 Europe/Berlin"]
    assert planted and max(c.agreement for c in planted) == 1.0
    assert best.agreement == 1.0
    assert not any("Europe/Berlin" in c.calendar for c in in_utc.candidates)


def test_trivial_rule_wins_when_no_clock_agrees_more() -> None:
    # the flags follow nothing the clock can see: most tickets "breached" whatever their times,
    # and most tickets lack a first response, so response candidates agree on few tickets
    t0 = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    rng = np.random.default_rng(3)
    rows = []
    for i in range(200):
        opened = t0 + timedelta(hours=int(rng.integers(0, 300)))
        closed = opened + timedelta(hours=float(rng.uniform(1, 30)))
        rows.append(
            Ticket(
                id=f"N{i}",
                priority="P3",
                opened_at=opened,
                closed_at=closed,
                first_response_at=None if i % 10 else opened + timedelta(minutes=5),
                resolved_at=None if i % 10 else closed,
                provider_sla_met=bool(rng.random() < 0.03),
            )
        )
    res = audit(TicketTable.from_tickets(rows))
    out = res.to_json()
    never = out["baselines"][NEVER_MET]
    assert out["baselines"][ALWAYS_MET] == pytest.approx(1 - never)
    assert res.best is not None and res.best.agreement >= never
    assert all(c.agreement <= res.best.agreement for c in res.candidates)
    # a clock that only ties with "never met" explains nothing: the trivial rule is reported
    assert res.best.metric == TRIVIAL and res.best.targets == {"P3": NEVER_MET}
    assert out["best_explanation"]["metric"] == TRIVIAL


def test_open_tickets_left_out_and_counted(tmp_path: Path) -> None:
    t0 = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    rows = [
        Ticket(
            id="done",
            priority="P1",
            opened_at=t0,
            first_response_at=t0 + timedelta(minutes=10),
            resolved_at=t0 + timedelta(hours=2),
            provider_sla_met=True,
        ),
        Ticket(
            id="open",
            priority="P1",
            opened_at=t0,
            first_response_at=t0 + timedelta(minutes=10),
            provider_sla_met=False,
        ),
    ]
    res = audit(TicketTable.from_tickets(rows))
    assert (res.tickets_with_flag, res.open_tickets, res.audited) == (2, 1, 1)


def test_cli_uses_the_zone_the_import_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    f = tmp_path / "berlin.csv"
    with open(f, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "priority", "opened_at", "first_response_at", "resolved_at", "provider_sla_met"])
        for t in _planted_berlin(120):
            assert t.resolved_at is not None
            w.writerow(
                [
                    t.id,
                    t.priority,
                    t.opened_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S"),
                    t.opened_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S"),
                    t.resolved_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S"),
                    "true" if t.provider_sla_met else "false",
                ]
            )
    ws = tmp_path / "w.slawb"
    assert main(["import", str(ws), str(f), "--tz", "Europe/Berlin", "--json"]) == 0
    capsys.readouterr()
    assert main(["audit", "--workspace", str(ws), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["zones_searched"] == ["Europe/Berlin", "UTC"]
    assert out["best_explanation"]["calendar"].endswith("Europe/Berlin")
    assert main(["audit", "--tickets", str(f), "--tz", "Europe/Berlin"]) == 0
    text = capsys.readouterr().out
    assert "trivial rules: always met" in text and "zones searched: Europe/Berlin, UTC" in text


def test_vectorised_thresholds_equal_the_one_at_a_time_search() -> None:
    from workbench.engine.audit import best_threshold, best_thresholds

    rng = np.random.default_rng(5)
    for n in (1, 2, 7, 60, 301):
        elapsed = rng.integers(0, 40, size=(150, n)).astype(np.int64) * 900  # many ties
        for met in (rng.random(n) < 0.6, np.ones(n, bool), np.zeros(n, bool)):
            ts, agree = best_thresholds(elapsed, met)
            assert [(int(t), int(a)) for t, a in zip(ts, agree, strict=True)] == [
                best_threshold(row, met) for row in elapsed]


def test_hour_of_week_seconds_equal_the_engine_clock_with_pauses() -> None:
    """The search's elapsed times (sums of local hours of the week) equal the engine's on the same
    calendar, pauses and a summer-time change included."""
    from models.contract import CalendarSpec
    from models.history import StatusChange, StatusLog
    from workbench.engine.audit import DAYS, _slot_calendars, _slot_seconds
    from workbench.engine.simulate import Engine

    tickets = _planted_berlin(80)
    changes = [StatusChange(ticket_id=t.id, at=t.opened_at + timedelta(hours=h), status=s)
               for t in tickets[::3] for h, s in ((1, "Waiting"), (3, "Work"))]
    table = TicketTable.from_tickets(tickets)
    eng = Engine(table, StatusLog.from_changes(changes, table))
    cals = _slot_calendars("Europe/Berlin", eng.lo, eng.hi)
    for pauses in ((), ("Waiting",)):
        slots = _slot_seconds(eng, 1, "resolution", cals, pauses).reshape(7, 24, -1)
        for days, h, n in ((DAYS[:5], 8, 9), (DAYS[:6], 0, 24), (DAYS, 13, 7), (DAYS[:5], 23, 1)):
            spec = CalendarSpec(timezone="Europe/Berlin",
                                weekly={d: (f"{h:02d}:00-{h + n:02d}:00",) for d in days})
            want = eng.elapsed(1, "resolution", spec, pauses).business
            got = slots[[DAYS.index(d) for d in days], h:h + n].sum(axis=(0, 1))
            assert got.tolist() == want.tolist(), (days, h, n, pauses)


def test_every_start_and_length_is_searched() -> None:
    """A clock on an unusual window (Mon-Sat 13:00-21:00 Berlin) is found exactly; the search
    scores every whole-hour window of each weekday set."""
    from workbench.engine.audit import candidate_calendars

    assert len(candidate_calendars("UTC")) == 1 + 3 * 300
    rng = np.random.default_rng(21)
    start = datetime(2026, 3, 16, 0, 0, tzinfo=BERLIN)
    rows = []
    for i in range(300):
        opened = start + timedelta(minutes=int(rng.integers(0, 60 * 24 * 28)))
        resolved = opened + timedelta(hours=float(rng.uniform(0.5, 60)))
        t, hours = opened.astimezone(BERLIN), 0.0
        while t < resolved:
            if t.weekday() < 6 and 13 <= t.hour < 21:
                hours += 5 / 60
            t += timedelta(minutes=5)
        rows.append(Ticket(id=f"W{i}", priority="P3", opened_at=opened, first_response_at=opened,
                           resolved_at=resolved, closed_at=resolved, provider_sla_met=hours <= 5))
    res = audit(TicketTable.from_tickets(rows), data_zone="Europe/Berlin")
    assert res.best is not None and res.best.agreement == 1.0
    planted = [c for c in res.candidates if c.calendar == "Mon-Sat 13:00-21:00 Europe/Berlin"
               and c.metric == "resolution"]
    assert planted and planted[0].agreement == 1.0
