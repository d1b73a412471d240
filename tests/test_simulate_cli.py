"""canonical_csv reader errors and the ``sla-workbench simulate`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.importing.canonical_csv import CsvError, read_tickets_csv

CONTRACT = """\
name: Northwind MSP — Managed Services SLA
version: 2026-Q4 proposal
calendars:
  business:
    timezone: America/Toronto
    weekly:
      mon: ["08:00-17:00"]
      tue: ["08:00-17:00"]
      wed: ["08:00-17:00"]
      thu: ["08:00-17:00"]
      fri: ["08:00-17:00"]
    holidays: {country: CA, subdivision: ON}
targets:
  P1: {response: 1h, resolution: 4h, calendar: 24x7}
  P2: {response: 2h, resolution: same_business_day, calendar: business}
  P3: {response: next_business_day, calendar: business}
pause_statuses: [Awaiting User Info, Pending client approval]
pause_applies_to: [resolution]
"""

TICKETS = """\
id,priority,opened_at,first_response_at,resolved_at,category
INC1,P2,2026-12-24T16:30:00-05:00,2026-12-29T08:45:00-05:00,,network
INC2,P1,2026-12-01T10:00:00Z,2026-12-01T10:30:00Z,2026-12-01T16:00:00Z,
INC3,P3,2026-12-02T09:00:00-05:00,,,
"""

STATUS = """\
ticket_id,at,status
INC2,2026-12-01T11:00:00Z,Awaiting User Info
INC2,2026-12-01T14:00:00Z,Active
"""


def write(tmp: Path, name: str, text: str) -> str:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["simulate", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = write(tmp_path, "c.yaml", CONTRACT)
    t = write(tmp_path, "t.csv", TICKETS)
    s = write(tmp_path, "s.csv", STATUS)
    js = run_json(capsys, "--contract", c, "--tickets", t, "--status-log", s,
                  "--as-of", "2026-12-31T00:00:00Z", "--per-ticket")
    assert js["as_of"] == "2026-12-31T00:00:00+00:00"
    assert set(js) == {"as_of", "by_priority", "tickets", "issues"}
    assert js["by_priority"]["P2"] == {
        "tickets": 1,
        "response": {"met": 1, "breached": 0, "pending": 0, "compliance": 1.0},
        "resolution": {"met": 0, "breached": 1, "pending": 0, "compliance": 0.0},
    }
    rows = {r["id"]: r for r in js["tickets"]}
    assert rows["INC1"]["response"] == {"business_seconds": 4500, "budget_seconds": 7200, "outcome": "met"}
    # INC2: 6 h resolution with 3 h paused -> 3 h <= 4 h
    assert rows["INC2"]["resolution"] == {"business_seconds": 3 * 3600, "budget_seconds": 4 * 3600,
                                          "outcome": "met"}
    assert rows["INC3"]["resolution"]["outcome"] == "not_applicable"
    assert rows["INC3"]["response"]["outcome"] == "breached"
    for r in js["tickets"]:
        assert set(r) == {"id", "priority", "response", "resolution"}
        for m in ("response", "resolution"):
            assert set(r[m]) == {"business_seconds", "budget_seconds", "outcome"}
    no_pt = run_json(capsys, "--contract", c, "--tickets", t)
    assert "tickets" not in no_pt
    assert no_pt["as_of"] == "2026-12-29T13:45:00+00:00"  # latest instant in the data


def test_cli_table_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = write(tmp_path, "c.yaml", CONTRACT)
    t = write(tmp_path, "t.csv", TICKETS)
    assert main(["simulate", "--contract", c, "--tickets", t]) == 0
    out = capsys.readouterr().out
    assert "P2" in out and "Northwind" in out


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (TICKETS.replace("2026-12-01T10:30:00Z", "2026-12-01 10:30"), "line 3: field first_response_at"),
        (TICKETS.replace("2026-12-01T10:30:00Z", "yesterday"), "unparseable timestamp 'yesterday'"),
        (TICKETS.replace("INC3,P3", "INC3,P9"), "line 4: field priority: unknown priority 'P9'"),
        (TICKETS.replace("INC3,P3", "INC1,P3"), "line 4: field id: duplicate id 'INC1' (first on line 2)"),
        (TICKETS.replace("category", "cat").replace("id,", "ident,"), "missing column(s) id"),
    ],
)
def test_csv_errors_name_file_line_field(tmp_path: Path, text: str, fragment: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    t = write(tmp_path, "t.csv", text)
    with pytest.raises(CsvError) as err:
        read_tickets_csv(t)
    assert fragment in str(err.value) and "t.csv" in str(err.value)
    c = write(tmp_path, "c.yaml", CONTRACT)
    assert main(["simulate", "--contract", c, "--tickets", t, "--json"]) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and fragment in cap.err and len(cap.err.strip().splitlines()) == 1


def test_no_offset_message(tmp_path: Path) -> None:
    t = write(tmp_path, "t.csv", TICKETS.replace("2026-12-01T10:30:00Z", "2026-12-01T10:30:00"))
    with pytest.raises(CsvError, match=r"line 3: field first_response_at: timestamp .* has no offset"):
        read_tickets_csv(t)


def test_status_row_for_unknown_ticket(tmp_path: Path) -> None:
    t = write(tmp_path, "t.csv", TICKETS)
    s = write(tmp_path, "s.csv", STATUS + "INC9,2026-12-01T11:00:00Z,Active\n")
    msg = r"s.csv: line 4: field ticket_id: status row for unknown ticket 'INC9'"
    with pytest.raises(CsvError, match=msg):
        read_tickets_csv(t, s)


def test_bad_as_of_and_bad_data_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = write(tmp_path, "c.yaml", CONTRACT)
    t = write(tmp_path, "t.csv", TICKETS.replace("2026-12-01T10:30:00Z", "2026-11-30T10:30:00Z"))
    assert main(["simulate", "--contract", c, "--tickets", t, "--as-of", "2026-12-31T12:00"]) == 2
    assert "no offset" in capsys.readouterr().err
    # a date alone is that day's midnight UTC, as in every other command
    assert run_json(capsys, "--contract", c, "--tickets", t, "--as-of", "2026-12-31")["as_of"] == (
        "2026-12-31T00:00:00+00:00"
    )
    js = run_json(capsys, "--contract", c, "--tickets", t)
    assert js["issues"] == [{"ticket": "INC2", "field": "first_response_at", "reason": "before opened_at"}]
    assert "P1" not in js["by_priority"]


def test_workspace_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from models import store
    c = write(tmp_path, "c.yaml", CONTRACT)
    t = write(tmp_path, "t.csv", TICKETS)
    s = write(tmp_path, "s.csv", STATUS)
    tickets, log = read_tickets_csv(t, s)
    ws = store.Workspace.create(tmp_path / "w.slawb")
    try:
        ws.upsert_tickets(tickets, log)
    finally:
        ws.close()
    from_ws = run_json(capsys, "--contract", c, "--workspace", str(tmp_path / "w.slawb"))
    from_csv = run_json(capsys, "--contract", c, "--tickets", t, "--status-log", s)
    assert from_ws == from_csv


def test_gzipped_csv_files_read_like_plain_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import gzip

    c = write(tmp_path, "c.yaml", CONTRACT)
    plain = run_json(capsys, "--contract", c, "--tickets", write(tmp_path, "t.csv", TICKETS),
                     "--status-log", write(tmp_path, "s.csv", STATUS), "--per-ticket")
    for name, text in (("t.csv.gz", TICKETS), ("s.csv.gz", STATUS)):
        (tmp_path / name).write_bytes(gzip.compress(text.encode("utf-8")))
    packed = run_json(capsys, "--contract", c, "--tickets", str(tmp_path / "t.csv.gz"),
                      "--status-log", str(tmp_path / "s.csv.gz"), "--per-ticket")
    assert packed == plain
    assert {r["id"]: r["resolution"]["business_seconds"] for r in packed["tickets"]}["INC2"] == 3 * 3600
    (tmp_path / "bad.csv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(CsvError, match=r"bad\.csv\.gz: cannot read"):
        read_tickets_csv(tmp_path / "bad.csv.gz")


def test_status_log_in_any_row_order_reads_the_same(tmp_path: Path) -> None:
    """Rows come back ordered by ticket, then time, whether or not the file was (sorted
    files skip the sort)."""
    rows = [
        "INC2,2026-12-01T12:00:00Z,Active",
        "INC1,2026-12-26T09:00:00-05:00,Awaiting User Info",
        "INC2,2026-12-01T11:00:00Z,Awaiting User Info",
        "INC1,2026-12-24T17:00:00-05:00,New",
        "INC3,2026-12-02T10:00:00-05:00,New",
    ]
    t = write(tmp_path, "t.csv", TICKETS)
    ordered = sorted(rows)  # by ticket, then time (same-offset instants sort as text)
    logs = []
    for i, r in enumerate((rows, ordered)):
        s = write(tmp_path, f"s{i}.csv", "ticket_id,at,status\n" + "\n".join(r) + "\n")
        logs.append(read_tickets_csv(t, s)[1])
    for log in logs:
        names = [log.status_names[c] for c in log.status]
        assert log.ticket.tolist() == [0, 0, 1, 1, 2]
        assert names == ["New", "Awaiting User Info", "Awaiting User Info", "Active", "New"]
        assert log.at.tolist() == sorted(log.at[:2].tolist()) + sorted(log.at[2:4].tolist()) + [log.at[4]]


def test_table_columns_line_up_with_day_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = write(tmp_path, "c.yaml", CONTRACT)
    t = write(tmp_path, "t.csv", TICKETS)
    assert main(["simulate", "--contract", c, "--tickets", t, "--as-of", "2026-12-31T00:00:00Z"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = next(line for line in lines if "response target" in line)
    rows = {line[:2]: line for line in lines if line[:2] in ("P1", "P2", "P3")}
    assert "next business day" in rows["P3"] and "same business day" in rows["P2"]
    assert "_business_day" not in "\n".join(lines)
    # every row is as wide as the header, so the columns line up
    assert {len(r) for r in rows.values()} == {len(head)}


def test_folder_as_tickets_file(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match=r": is a folder, not a file$"):
        read_tickets_csv(tmp_path)
