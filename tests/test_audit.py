"""Audit of the provider's verdicts: agreement under a contract, and the best-explaining clock."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from models.contract import contract_from_data
from models.history import Ticket, TicketTable
from workbench.engine.audit import audit, best_threshold, format_duration

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday

CONTRACT = contract_from_data(
    {
        "name": "Audit fixture",
        "version": "1",
        "targets": {
            "P1": {"response": "1h", "resolution": "4h", "calendar": "24x7"},
            "P2": {"response": "2h", "resolution": "8h", "calendar": "24x7"},
        },
    }
)


def tk(i: str, prio: str, resp: float | None, res: float | None, flag: bool | None) -> Ticket:
    return Ticket(
        id=i,
        priority=prio,  # type: ignore[arg-type]
        opened_at=T0,
        first_response_at=None if resp is None else T0 + timedelta(hours=resp),
        resolved_at=None if res is None else T0 + timedelta(hours=res),
        provider_sla_met=flag,
    )


def test_best_threshold_exact() -> None:
    e = np.array([600, 1200, 1800, 2400], np.int64)
    t, agree = best_threshold(e, np.array([True, True, False, False]))
    assert agree == 4 and 1200 <= t < 1800
    # ties stay together: the same elapsed time cannot be both met and breached
    e = np.array([100, 100, 100, 500], np.int64)
    t, agree = best_threshold(e, np.array([True, True, False, False]))
    assert agree == 3 and 100 <= t < 500
    assert format_duration(7200) == "2h" and format_duration(5400) == "90m"


def test_agreement_under_contract_hand_made() -> None:
    tickets = TicketTable.from_tickets(
        [
            tk("A", "P1", 0.5, 3, True),  # ours met, provider met: agree
            tk("B", "P1", 2, 3, True),  # response breached: disagree
            tk("C", "P1", 0.5, 5, False),  # resolution breached, provider breached: agree
            tk("D", "P1", 0.5, 3, False),  # ours met, provider breached: disagree
            tk("E", "P2", 1, 7, True),  # agree
            tk("F", "P2", 1, None, True),  # still open at as_of: left out, counted apart
            tk("G", "P2", 1, 6, None),  # no flag: not audited
        ]
    )
    as_of = int((T0 + timedelta(hours=7.5)).timestamp())
    res = audit(tickets, None, CONTRACT, as_of=as_of)
    assert res.tickets_with_flag == 6 and res.provider_met == 4
    p1, p2 = res.by_priority["P1"], res.by_priority["P2"]
    assert (p1.tickets, p1.agreeing, p1.undecided) == (4, 2, 0)
    assert sorted(d["id"] for d in p1.disagreeing) == ["B", "D"]
    b = next(d for d in p1.disagreeing if d["id"] == "B")
    assert b == {
        "id": "B",
        "provider_sla_met": True,
        "ours": "breached",
        "response_seconds": 7200,
        "resolution_seconds": 10800,
    }
    assert (p2.tickets, p2.agreeing, p2.undecided) == (1, 1, 0)
    assert res.open_tickets == 1 and res.audited == 5
    assert res.agreement_under_contract == pytest.approx(3 / 5)
    out = res.to_json()
    assert out["agreement_under_contract"] == 0.6 and out["open_tickets"] == 1
    assert set(out["best_explanation"]) >= {"metric", "calendar", "targets", "agreement"}


def test_search_recovers_planted_clock() -> None:
    rng = np.random.default_rng(7)
    rows = []
    planted = {"P1": 2.0, "P2": 8.0}
    for n in range(400):
        prio = "P1" if n % 2 else "P2"
        opened = T0 + timedelta(minutes=int(rng.integers(0, 60 * 24 * 21)))
        resp = float(rng.uniform(0.05, 3))
        res = float(rng.uniform(0.2, 16))
        closed = res + float(rng.uniform(0, 72))
        rows.append(
            Ticket(
                id=f"T{n}",
                priority=prio,  # type: ignore[arg-type]
                opened_at=opened,
                first_response_at=opened + timedelta(hours=resp),
                resolved_at=opened + timedelta(hours=res),
                closed_at=opened + timedelta(hours=closed),
                provider_sla_met=res <= planted[prio],
            )
        )
    result = audit(TicketTable.from_tickets(rows))
    best = result.best
    assert best is not None
    assert (best.metric, best.calendar, best.agreement) == ("resolution", "24x7", 1.0)
    for prio, hours in planted.items():
        t = best.targets[prio]
        seconds = int(t[:-1]) * {"h": 3600, "m": 60, "d": 86400}[t[-1]]
        # any threshold between the last met and the first breached ticket reproduces the flags
        met = [r for r in rows if r.priority == prio and r.provider_sla_met]
        missed = [r for r in rows if r.priority == prio and not r.provider_sla_met]
        lo = max((r.resolved_at - r.opened_at).total_seconds() for r in met)  # type: ignore[operator]
        hi = min((r.resolved_at - r.opened_at).total_seconds() for r in missed)  # type: ignore[operator]
        assert lo <= seconds < hi and lo <= hours * 3600 < hi
    assert result.candidates[1].agreement <= best.agreement


def test_cli_audit_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    f = tmp_path / "t.csv"
    with open(f, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "priority", "opened_at", "first_response_at", "resolved_at", "provider_sla_met"])
        for i, (resp, res, flag) in enumerate([(0.5, 3, "true"), (2, 3, "true"), (0.5, 5, "false")]):
            w.writerow(
                [
                    f"X{i}",
                    "P1",
                    T0.isoformat(),
                    (T0 + timedelta(hours=resp)).isoformat(),
                    (T0 + timedelta(hours=res)).isoformat(),
                    flag,
                ]
            )
    contract = tmp_path / "c.json"
    contract.write_text(json.dumps(CONTRACT.to_data()))
    ws = tmp_path / "w.slawb"
    assert main(["import", str(ws), str(f), "--json"]) == 0
    capsys.readouterr()
    assert main(["audit", "--workspace", str(ws), "--contract", str(contract), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tickets_with_flag"] == 3
    assert out["agreement_under_contract"] == pytest.approx(2 / 3, abs=1e-4)
    assert out["by_priority"]["P1"]["disagreeing"][0]["id"] == "X1"
    assert out["best_explanation"]["agreement"] == 1.0


def test_priority_whose_tickets_never_met_says_so_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA: when the provider marked no P2 ticket as met, the best explanation gave the P2
    target as "0m" (a threshold under every elapsed time); it is "never met", in words."""
    from workbench.cli import main
    from workbench.engine.audit import NEVER_MET

    t, agree = best_threshold(np.array([600, 1200], np.int64), np.array([False, False]))
    assert (t, agree) == (-1, 2)
    rows = [("A", "P1", 0.5, 2, "true"), ("B", "P1", 0.5, 6, "false"),
            ("C", "P2", 1, 3, "false"), ("D", "P2", 2, 9, "false")]
    res = audit(TicketTable.from_tickets([tk(i, p, a, b, f == "true") for i, p, a, b, f in rows]))
    assert res.best is not None
    assert res.best.targets["P2"] == NEVER_MET and res.best.targets["P1"] != NEVER_MET
    f = tmp_path / "t.csv"
    with open(f, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "priority", "opened_at", "first_response_at", "resolved_at", "provider_sla_met"])
        for i, p, a, b, flag in rows:
            w.writerow([i, p, T0.isoformat(), (T0 + timedelta(hours=a)).isoformat(),
                        (T0 + timedelta(hours=b)).isoformat(), flag])
    assert main(["audit", "--tickets", str(f)]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("best explanation"))
    assert "P2 never met (no P2 ticket met any target" in line and " 0m" not in line
