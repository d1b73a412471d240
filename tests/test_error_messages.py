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
