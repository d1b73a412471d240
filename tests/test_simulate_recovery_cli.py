"""``sla-workbench simulate`` with backups, restore tests and outages: the ``"recovery"``
document, from CSV files and from a workspace, and only when such records exist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.contract import load_contract
from models.history import History
from workbench.cli import main
from workbench.engine.recovery import recovery_report
from workbench.importing.canonical_csv import read_tickets_csv
from workbench.importing.records import read_records

CONTRACT = """\
name: R
version: '1'
monthly_fee: 1000
calendars:
  business:
    timezone: America/Toronto
    weekly: {mon: ["08:00-17:00"], tue: ["08:00-17:00"], wed: ["08:00-17:00"], thu: ["08:00-17:00"],
             fri: ["08:00-17:00"]}
targets:
  P1: {response: 1h, resolution: 4h, calendar: 24x7}
backup:
  systems:
  - {name: db, tier: 1, rpo: 6h, rto: 2h}
  - {name: files, rpo: 24h, rto: 4h}
  restore_test_cadence: monthly
service_credits:
- {metric: uptime, percent_of_fee: 5.0}
uptime:
- {service: erp, target_percent: 99.9}
"""
TICKETS = """\
id,priority,opened_at,first_response_at,resolved_at
INC1,P1,2025-03-01T10:00:00Z,2025-03-01T10:30:00Z,2025-03-01T12:00:00Z
"""
BACKUPS = """\
system,finished_at,success
db,2025-03-09T03:00:00Z,true
db,2025-03-09T08:00:00Z,true
db,2025-03-09T22:00:00Z,true
db,2025-03-10T05:00:00Z,false
files,2025-03-08T00:00:00Z,true
"""
TESTS = """\
system,started_at,finished_at,success
db,2025-03-01T00:00:00Z,2025-03-01T03:00:00Z,true
"""
OUTAGES = """\
service,start,end,maintenance
erp,2025-03-05T01:00:00Z,2025-03-05T03:00:00Z,false
"""
AS_OF = "2025-03-10T07:00:00Z"


def write(tmp: Path, name: str, text: str) -> str:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["simulate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def files(tmp: Path) -> list[str]:
    return ["--contract", write(tmp, "c.yaml", CONTRACT), "--tickets", write(tmp, "t.csv", TICKETS),
            "--backups", write(tmp, "b.csv", BACKUPS), "--restore-tests", write(tmp, "r.csv", TESTS),
            "--outages", write(tmp, "o.csv", OUTAGES)]


def test_recovery_from_record_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    js = run_json(capsys, *files(tmp_path), "--as-of", AS_OF)
    rec = js["recovery"]
    assert rec["as_of"] == "2025-03-10T07:00:00+00:00" and rec["zone"] == "America/Toronto"
    assert set(rec["systems"]) == {"db", "files"}
    db = rec["systems"]["db"]
    assert set(db) == {"rpo", "rto", "cadence"}
    # 03:00Z -> 08:00Z -> 22:00Z, then (the 05:00Z backup failed) open to 07:00Z: 9 h
    assert db["rpo"]["breaches"] == 2 and db["rpo"]["worst_gap_seconds"] == 14 * 3600
    assert [g["seconds"] for g in db["rpo"]["longest_breach_gaps"]] == [14 * 3600, 9 * 3600]
    assert db["rpo"]["longest_breach_gaps"][1]["open"] is True
    assert db["rpo"]["by_month"] == {"2025-03": {"breaches": 2, "days_missed": 2}}
    assert db["rto"]["over_rto"] == 1 and db["rto"]["supported_rto_seconds"] == 3 * 3600
    assert db["cadence"]["missing"] == 0 and db["cadence"]["met"] is True
    assert rec["systems"]["files"]["rto"]["tests"] == 0
    assert rec["systems"]["files"]["cadence"]["met"] is False
    erp = rec["availability"]["erp"]
    # March is not over, but 2 h down of its 31 days already breaks 99.9 %: breached, credited
    assert erp["breached_months"] == 1 and erp["months"]["2025-03"]["outcome"] == "breached"
    assert erp["months"]["2025-03"]["outage_seconds"] == 7200
    assert rec["uptime_credits"] == {"by_month": {"2025-03": {"percent": 5.0, "amount": 50.0}},
                                     "total_percent": 5.0, "total_amount": 50.0}
    # the one-version checks on the same records say the same
    c = load_contract(write(tmp_path, "c.yaml", CONTRACT))
    tickets, _ = read_tickets_csv(tmp_path / "t.csv", None)
    h = History(tickets=tickets, backups=tuple(read_records(tmp_path / "b.csv").records),
                restore_tests=tuple(read_records(tmp_path / "r.csv").records),
                outages=tuple(read_records(tmp_path / "o.csv").records))
    from workbench.app.asof import parse_as_of

    report = recovery_report(c, h, parse_as_of(AS_OF))
    for r in report["rpo"]:
        mine = rec["systems"][r["system"]]["rpo"]
        assert (mine["met"], mine["worst_gap_seconds"]) == (r["met"], r["worst_gap_seconds"])
    # the ticket part is the ticket replay alone
    plain = run_json(capsys, *files(tmp_path)[:4], "--as-of", AS_OF)
    assert "recovery" not in plain
    del js["recovery"]
    assert js == plain


def test_recovery_from_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from models import store

    args = files(tmp_path)
    tickets, log = read_tickets_csv(tmp_path / "t.csv", None)
    h = History(tickets=tickets, status_log=log, backups=tuple(read_records(tmp_path / "b.csv").records),
                restore_tests=tuple(read_records(tmp_path / "r.csv").records),
                outages=tuple(read_records(tmp_path / "o.csv").records))
    ws = store.Workspace.create(tmp_path / "w.slawb")
    try:
        ws.save_history(h)
    finally:
        ws.close()
    workspace = str(tmp_path / "w.slawb")
    from_ws = run_json(capsys, "--contract", args[1], "--workspace", workspace, "--as-of", AS_OF)
    from_files = run_json(capsys, *args, "--as-of", AS_OF)
    assert from_ws == from_files
    # a file given with --workspace replaces the workspace's records of its kind
    other = write(tmp_path, "b2.csv", "system,finished_at,success\ndb,2025-03-10T06:00:00Z,true\n")
    swapped = run_json(capsys, "--contract", args[1], "--workspace", workspace, "--backups", other,
                       "--as-of", AS_OF)
    assert swapped["recovery"]["systems"]["db"]["rpo"]["successful_backups"] == 1
    assert swapped["recovery"]["systems"]["files"]["rpo"]["successful_backups"] == 0
    assert swapped["recovery"]["systems"]["db"]["rto"] == from_ws["recovery"]["systems"]["db"]["rto"]


def test_recovery_table_and_file_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = files(tmp_path)
    assert main(["simulate", *args, "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "recovery as of 2025-03-10T07:00:00+00:00 (days and months in America/Toronto)" in out
    assert any(line.startswith("db ") and " 2 " in line for line in out.splitlines())
    assert "erp: 1 of 1 month(s) below 99.9%" in out
    assert "uptime credits: 5% of the monthly fee over 1 month(s) (50.00)" in out
    wrong = [*args[:4], "--backups", args[9]]  # the outages file given as backups
    assert main(["simulate", *wrong]) == 2
    assert "o.csv: holds outages, not backups (for --backups)" in capsys.readouterr().err
    bad = write(tmp_path, "bad.csv", "system,finished_at,success\ndb,2025-03-09T03:00:00Z,maybe\n")
    assert main(["simulate", *args[:4], "--backups", bad]) == 2
    assert "bad.csv:2: backup db: success: not a true/false value 'maybe'" in capsys.readouterr().err
    assert main(["simulate", *args[:4], "--backups", str(tmp_path / "none.csv")]) == 2
    assert "none.csv: no such file" in capsys.readouterr().err
