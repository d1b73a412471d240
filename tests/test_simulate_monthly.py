"""SimulationResult.monthly(): counts per UTC month of opening, against a per-ticket count."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest

from models.contract import PRIORITIES, contract_from_data
from models.history import MISSING, StatusLog, TicketTable
from workbench.engine.clock import BREACHED, MET, PENDING
from workbench.engine.simulate import simulate

START = int(dt.datetime(2025, 11, 20, tzinfo=dt.UTC).timestamp())
NAMES = {MET: "met", BREACHED: "breached", PENDING: "pending"}


def data(n: int = 6000, seed: int = 3) -> tuple[TicketTable, StatusLog]:
    rng = np.random.default_rng(seed)
    opened = np.sort(START + rng.integers(0, 200 * 86400, n)).astype(np.int64)
    prio = rng.integers(0, 4, n).astype(np.int8)
    prio[rng.random(n) < 0.01] = -1  # unknown priority: left out
    resp = opened + rng.exponential(3 * 3600, n).astype(np.int64)
    res = opened + rng.exponential(3 * 86400, n).astype(np.int64)
    resp[rng.random(n) < 0.05] = MISSING
    res[rng.random(n) < 0.1] = MISSING
    res[rng.random(n) < 0.01] = opened[0] - 1  # resolved before opened: bad data
    who = np.sort(rng.choice(n, 500, replace=False))
    a = opened[who] + rng.integers(0, 4 * 3600, 500)
    ticket = np.repeat(who, 2).astype(np.int64)
    at = np.empty(1000, np.int64)
    at[0::2], at[1::2] = a, a + rng.integers(60, 86400, 500)
    status = np.tile(np.array([0, 1], np.int32), 500)
    ids = np.array([f"T{i}" for i in range(n)], dtype=object)
    return (TicketTable(ids, prio, opened, resp, res, np.full(n, MISSING, np.int64)),
            StatusLog(ticket, at, status, ("Awaiting User Info", "Active")))


def contract():  # type: ignore[no-untyped-def]
    return contract_from_data({
        "name": "M", "version": "1",
        "calendars": {"business": {
            "timezone": "America/Toronto",
            "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
            "holidays": {"country": "CA", "subdivision": "ON"},
        }},
        "targets": {
            "P1": {"response": "1h", "resolution": "4h", "calendar": "24x7"},
            "P2": {"response": "2h", "resolution": "same_business_day", "calendar": "business"},
            "P3": {"response": "4h", "calendar": "business"},  # no resolution target
        },  # P4: no targets at all
        "pause_statuses": ["Awaiting User Info"],
        "pause_applies_to": ["resolution"],
    })  # fmt: skip


def by_hand(res, tickets: TicketTable) -> dict[str, dict[str, dict[str, dict[str, int]]]]:  # type: ignore[no-untyped-def]
    """Count each ticket's outcome under the UTC month it was opened in, one ticket at a time."""
    count: Counter[tuple[str, str, str, str]] = Counter()
    for metric in ("response", "resolution"):
        outcome = res.metric(metric).outcome
        for i in range(len(tickets)):
            code = int(outcome[i])
            if code in NAMES:
                month = dt.datetime.fromtimestamp(int(tickets.opened[i]), dt.UTC).strftime("%Y-%m")
                count[(month, PRIORITIES[int(tickets.priority[i])], metric, NAMES[code])] += 1
    out: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    for (month, p, metric, name), k in count.items():
        row = out.setdefault(month, {}).setdefault(p, {}).setdefault(
            metric, {"met": 0, "breached": 0, "pending": 0})
        row[name] = k
    return out


@pytest.mark.parametrize("as_of_days", [60, 120, None])
def test_monthly_equals_a_per_ticket_count(as_of_days: int | None) -> None:
    tickets, log = data()
    as_of = None if as_of_days is None else START + as_of_days * 86400
    res = simulate(contract(), tickets, log, as_of=as_of)
    got = res.monthly()
    assert got == by_hand(res, tickets)
    assert list(got) == sorted(got)
    pending = sum(r["pending"] for ps in got.values() for ms in ps.values() for r in ms.values())
    assert pending > 0 or as_of_days is None  # an as_of inside the history leaves tickets pending
    assert all("P4" not in ps and "resolution" not in ps.get("P3", {}) for ps in got.values())


def test_monthly_is_computed_once_and_callers_get_their_own_copy() -> None:
    tickets, log = data(2000)
    res = simulate(contract(), tickets, log, as_of=START + 90 * 86400)
    first = res.monthly()
    expected = by_hand(res, tickets)
    month = next(iter(first))
    first[month]["P1"]["response"]["met"] = -5  # a caller scribbling on its result
    first.clear()
    assert res.monthly() == expected
    assert res.breaches_per_month() == {
        m: {p: {k: v["breached"] for k, v in d.items()} for p, d in ps.items()} for m, ps in expected.items()
    }
    assert "_monthly_counts" in vars(res)  # the counts are kept on the result
