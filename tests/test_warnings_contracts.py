"""The registry, structured contracts, history checks and the lint CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models.contract import contract_from_data, load_contract
from models.history import BackupJob, History, RestoreTest, Ticket, TicketTable
from workbench.cli import main
from workbench.warnings import catalogue, lint
from workbench.warnings.base import Finding

ROOT = Path(__file__).resolve().parent.parent
PROPOSAL = ROOT / "resources" / "demo" / "northwind-2026-q4-proposal.yaml"

BASE = {
    "name": "Test MSA",
    "version": "v1",
    "calendars": {
        "business": {
            "timezone": "America/Toronto",
            "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        }
    },
    "targets": {
        "P1": {"response": "1h", "resolution": "4h", "calendar": "business", "compliance_target": 0.95},
        "P2": {"response": "2h", "resolution": "same_business_day", "calendar": "business"},
        "P3": {"response": "next_business_day", "resolution": "next_business_day", "calendar": "business"},
    },
    "backup": {
        "systems": [{"name": "db", "tier": 1, "rpo": "4h", "rto": "2h"}],
        "restore_test_cadence": "quarterly",
    },
}


def test_catalogue_has_every_code_one_module_each() -> None:
    reg = catalogue()
    assert [c for c in reg if not reg[c].extension] == [f"W{i:02d}" for i in range(1, 18)]
    assert reg["W18"].extension  # escalation routing: documented extension beyond W17
    assert {reg[c].kind for c in ("W08", "W09", "W16", "W18")} == {"history"}
    assert reg["W01"].kind == "text"
    modules = {reg[c].fn.__module__ for c in reg}
    assert len(modules) == len(reg)


def test_well_specified_proposal_has_no_false_w01_to_w07() -> None:
    codes = {f.code for f in lint(load_contract(PROPOSAL), as_of="2026-11-01")}
    assert not codes & {f"W0{i}" for i in range(1, 8)}, codes


def test_reference_matrix_is_editable() -> None:
    c = contract_from_data(BASE)
    assert not [f for f in lint(c, as_of="2026-01-01") if f.code == "W07"]
    strict = {"P1": {"response": "30m", "resolution": "4h"}}
    w07 = [f for f in lint(c, as_of="2026-01-01", reference=strict) if f.code == "W07"]
    assert len(w07) == 1 and "P1 response" in w07[0].evidence and w07[0].severity == "high"


def _t(i: int, prio: str, opened: datetime, resp_min: int, cat: str = "", team: str = "") -> Ticket:
    return Ticket(
        id=f"T{i}",
        priority=prio,
        opened_at=opened,  # type: ignore[arg-type]
        first_response_at=opened + timedelta(minutes=resp_min),
        resolved_at=opened + timedelta(minutes=resp_min + 60),
        category=cat or None,
        team=team or None,
    )


def test_history_checks_fire_on_evidence() -> None:
    c = contract_from_data(BASE)
    monday = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 Toronto
    saturday = datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    tickets = [_t(i, "P1", monday + timedelta(days=7 * i), 30 if i % 2 else 180) for i in range(10)]
    tickets += [_t(10 + i, "P1", saturday + timedelta(days=7 * i), 30) for i in range(5)]
    tickets += [
        _t(20, "P3", monday, 60, "Credential theft", "Helpdesk"),
        _t(21, "P3", monday, 60, "credential theft", "MSSP"),
    ]
    backups = tuple(
        BackupJob(system="db", finished_at=monday + timedelta(hours=h), success=True) for h in (0, 4, 12)
    )
    tests = (
        RestoreTest(system="db", started_at=monday, finished_at=monday + timedelta(hours=3), success=True),
    )
    h = History(tickets=TicketTable.from_tickets(tickets), backups=backups, restore_tests=tests)
    found = lint(c, h, as_of=datetime(2026, 6, 15, tzinfo=UTC))
    by: dict[str, list[Finding]] = {}
    for f in found:
        by.setdefault(f.code, []).append(f)
    # W08: 5 of 15 P1 tickets open on Saturdays, outside the business calendar their clock runs on
    assert "5 of 15 P1 tickets (33%)" in by["W08"][0].evidence
    # W09: half the weekday P1s answered after 3 h against 1 h, committed 95%
    assert any("below the committed 95%" in f.evidence for f in by["W09"])
    # W16: 8 h gap > RPO 4 h; 3 h restore > RTO 2 h; last test >92 days before as-of
    ev = " ".join(f.evidence for f in by["W16"])
    assert "exceeds RPO 4h" in ev and "longer than RTO 2h" in ev and "quarterly cadence" in ev
    assert "1 restore test took longer than RTO 2h" in ev and "test(s)" not in ev  # in words
    # W18: credential theft worked by the Helpdesk although the seed matrix sends it to the MSSP SOC
    w18 = by["W18"]
    assert len(w18) == 1 and "1 of 2" in w18[0].evidence and "T20" in w18[0].evidence
    assert w18[0].severity == "high"
    assert not [f for f in lint(c) if f.code in ("W08", "W09", "W16", "W18")]  # no history, no history checks


def test_lint_cli_json_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "sla.md"
    doc.write_text("# SLA\n\n1. We will respond to issues as soon as possible.\n", encoding="utf-8")
    assert main(["lint", str(doc), "--json", "--as-of", "2026-11-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    first = out["findings"][0]
    assert set(first) == {"code", "severity", "clause", "evidence", "suggestion"}
    assert first["code"] == "W01" and first["clause"] == "1"
    assert main(["lint", str(doc), "--as-of", "2026-11-01"]) == 0
    assert "W01 Vague commitments [high] clause 1" in capsys.readouterr().out
    assert main(["lint", str(tmp_path / "absent.yaml")]) == 2
    assert "absent.yaml" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: 1\ntargets: {P9: {response: 1h}}\n", encoding="utf-8")
    assert main(["lint", str(bad), "--json"]) == 2
    assert "P9" in capsys.readouterr().err
