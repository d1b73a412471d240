"""Bad input is reported naming the file, the row and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo"
HEADER = "id,priority,opened_at,first_response_at,resolved_at,closed_at,category,team,provider_sla_met\n"


def test_simulate_names_file_line_and_field_of_a_ticket_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = tmp_path / "tickets.csv"
    t.write_text(
        HEADER
        + "A1,P1,2026-03-02T09:00:00-05:00,2026-03-02T09:30:00-05:00,,,,,\n"
        + "A2,P2,2026-03-02T10:00:00-05:00,,,,,,\n"
        + "A3,P1,2026-03-02T11:00:00-05:00,2026-03-02T08:00:00-05:00,,,,,\n"
    )
    assert main(["simulate", "--contract", str(DEMO / "northwind-2025.yaml"), "--tickets", str(t)]) == 0
    out = capsys.readouterr().out
    assert "1 ticket(s) left out for bad data" in out
    assert f"  {t}:4: ticket A3: first_response_at: before opened_at" in out.splitlines(), out


@pytest.mark.parametrize(
    ("kind", "header", "row", "expected"),
    [
        ("backups", "system,finished_at,success", "db,2026-03-02T01:00:00Z,maybe",
         "backup db: success: not a true/false value 'maybe'"),
        ("restore tests", "system,started_at,finished_at,success",
         "db,2026-03-02T03:00:00Z,2026-03-02T01:00:00Z,true",
         "restore test db: finished_at: finished before started"),
        ("outages", "service,start,end", "email,2026-03-02T03:00:00Z,2026-03-02T01:00:00Z",
         "outage email: end: ends before it starts"),
        ("kpis", "month,patch_compliance", "March,0.9", "KPI month March: month: not a month 'March'"),
    ],
)
def test_rejected_records_are_named_as_what_they_are(
    kind: str, header: str, row: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rejected backup row is a backup (not a 'ticket'): file, line, record, field."""
    f = tmp_path / "records.csv"
    f.write_text(f"{header}\n{row}\n")
    main(["import", str(tmp_path / "w.slawb"), str(f)])
    err = capsys.readouterr()
    assert f"{f}:2: {expected}" in err.out + err.err, err
