"""An export with no column for an event (opening times only) gives "not measured", kept
with the tickets in the workspace; an export that has the columns but whose tickets are
all still open keeps its pending and breached counts (the spec's example)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.contract import load_contract
from models.history import StatusLog, TicketTable
from models.store import Workspace, head_revision, migrate
from models.store.engine import _file_engine
from workbench.cli import main
from workbench.engine.simulate import simulate
from workbench.importing.core import import_file
from workbench.importing.workspace import import_into_workspace

DEMO = Path(__file__).parents[1] / "resources" / "demo"
CONTRACT = DEMO / "northwind-2025.yaml"
AS_OF = "2026-03-01T00:00:00Z"
OPEN_ONLY = "id,priority,opened_at\nT1,P1,2026-01-05T09:00:00Z\nT2,P2,2026-01-06T10:00:00Z\n"
OPEN_COLUMNS = ("id,priority,opened_at,first_response_at,resolved_at,closed_at\n"
                "T1,P1,2026-01-05T09:00:00Z,,,\nT2,P2,2026-01-06T10:00:00Z,,,\n")
NOT_MEASURED = {"met": 0, "breached": 0, "pending": 0, "compliance": None, "measured": False}


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _simulate_json(ws: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["simulate", "--workspace", str(ws), "--contract", str(CONTRACT), "--as-of", AS_OF,
                 "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_export_of_opening_times_only_is_not_measured(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    res = import_file(_csv(tmp_path, "open-only.csv", OPEN_ONLY))
    cov = res.coverage()
    assert not cov["response"]["measured"] and "no column" in cov["response"]["reason"]
    assert not cov["resolution"]["measured"] and "no column" in cov["resolution"]["reason"]
    ws = tmp_path / "w.slawb"
    import_into_workspace(ws, tmp_path / "open-only.csv")
    doc = _simulate_json(ws, capsys, "--per-ticket")
    assert set(doc["not_measured"]) == {"response", "resolution"}
    assert "no first-response time column" in doc["not_measured"]["response"]
    for row in doc["by_priority"].values():
        assert row["response"] == NOT_MEASURED and row["resolution"] == NOT_MEASURED
    assert {t[m]["outcome"] for t in doc["tickets"] for m in ("response", "resolution")} == {"not_measured"}
    # the table and compare say so too
    assert main(["simulate", "--workspace", str(ws), "--contract", str(CONTRACT), "--as-of", AS_OF]) == 0
    table = capsys.readouterr().out
    assert table.count("not measured") >= 4 and "no resolution time column" in table
    assert main(["compare", str(CONTRACT), str(DEMO / "northwind-2026-q4-proposal.yaml"),
                 "--workspace", str(ws), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "response not measured" in out and "resolution not measured" in out
    # the score leaves the unmeasured compliance out instead of counting it as 0
    assert "compliance not measured" in out and "compliance 0.00" not in out


def test_open_tickets_in_an_export_with_the_columns_keep_their_counts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = import_file(_csv(tmp_path, "open.csv", OPEN_COLUMNS))
    assert res.not_measured() == []
    assert any("all still open" in n for n in res.notes)
    ws = tmp_path / "w.slawb"
    import_into_workspace(ws, tmp_path / "open.csv")
    doc = _simulate_json(ws, capsys)
    assert "not_measured" not in doc
    for row in doc["by_priority"].values():  # two months past every target: breached, never met
        for m in ("response", "resolution"):
            assert row[m] == {"met": 0, "breached": 1, "pending": 0, "compliance": 0.0}


def test_a_reimport_with_the_column_measures_again(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "w.slawb"
    import_into_workspace(ws, _csv(tmp_path, "a.csv", OPEN_ONLY))
    with Workspace.open(ws) as w:
        assert w.load_tickets()[0].unrecorded.tolist() == [3, 3]
    full = OPEN_COLUMNS.replace("09:00:00Z,,,", "09:00:00Z,2026-01-05T09:30:00Z,2026-01-05T11:00:00Z,")
    import_into_workspace(ws, _csv(tmp_path, "b.csv", full))
    with Workspace.open(ws) as w:
        assert w.load_tickets()[0].unrecorded.tolist() == [0, 0]
    doc = _simulate_json(ws, capsys)
    assert "not_measured" not in doc
    assert doc["by_priority"]["P1"]["response"]["met"] == 1


def test_a_metric_is_measured_when_some_export_carries_its_event(tmp_path: Path) -> None:
    """Only when no ticket's export had the column is the metric not measured."""
    ws = tmp_path / "w.slawb"
    import_into_workspace(ws, _csv(tmp_path, "a.csv", OPEN_ONLY), source="a")
    import_into_workspace(ws, DEMO / "tickets.csv", source="b")
    with Workspace.open(ws) as w:
        tickets, log = w.load_tickets()
    assert tickets.unrecorded_share("response") == (2, len(tickets))
    contract = load_contract(CONTRACT)
    as_of = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    result = simulate(contract, tickets, log, as_of=as_of)
    assert result.engine.not_measured == {}
    # the two tickets of the export without the columns are left out of both metrics, counted apart
    doc = result.to_json(per_ticket=True)
    assert doc["not_measured_tickets"] == {"response": 2, "resolution": 2}
    rows = {t["id"]: t for t in doc["tickets"]}
    outcomes = {rows[i][m]["outcome"] for i in ("T1", "T2") for m in ("response", "resolution")}
    assert outcomes == {"not_measured"}
    # the demo's own tickets count exactly as without them
    alone = simulate(contract, *import_demo(tmp_path), as_of=as_of).to_json()
    assert doc["by_priority"]["P1"]["response"] == alone["by_priority"]["P1"]["response"]
    assert {p: r["resolution"] for p, r in doc["by_priority"].items()} == {
        p: r["resolution"] for p, r in alone["by_priority"].items()}
    assert result.monthly() == simulate(contract, *import_demo(tmp_path), as_of=as_of).monthly()


def import_demo(tmp_path: Path) -> tuple[TicketTable, StatusLog]:
    ws = tmp_path / "demo-only.slawb"
    if not ws.exists():
        import_into_workspace(ws, DEMO / "tickets.csv", source="b")
    with Workspace.open(ws) as w:
        return w.load_tickets()


def test_workspace_at_0004_with_tickets_upgrades(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A workspace written before the column opens, upgrades, and its tickets count as before."""
    p = tmp_path / "old.slawb"
    engine = _file_engine(p)
    with engine.begin() as conn:
        migrate(conn, target="0004")
        conn.execute(sa.text("INSERT INTO workspace_meta (key, value) VALUES ('created_at', '0')"))
        conn.execute(sa.text("INSERT INTO tickets (id, source, ticket_id, priority, opened_at) "
                             "VALUES (1, 'default', 'T1', 0, 1767603600)"))
    engine.dispose()
    with Workspace.open(p) as w:
        assert w.revision == head_revision()
        tickets, _ = w.load_tickets()
    assert tickets.unrecorded.tolist() == [0]
    doc = _simulate_json(p, capsys)
    assert doc["by_priority"]["P1"]["response"] == {"met": 0, "breached": 1, "pending": 0, "compliance": 0.0}
