"""ServiceNow cancellations (state Canceled, stored value 8, or a close code reading so) are left
out of SLA compliance and counted apart, as ServiceNow cancels a task's running SLAs with it.

The UCI event log's close codes are anonymised ('code 1' … 'code 17') and it has no Canceled
state: nothing there is taken for a cancellation."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from models.contract import load_contract
from models.store import Workspace
from workbench.cli import main
from workbench.engine.simulate import simulate
from workbench.importing.core import import_file
from workbench.importing.workspace import import_into_workspace

FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "servicenow-list-canceled.csv"
CONTRACT = Path(__file__).parents[1] / "resources" / "demo" / "northwind-2025.yaml"


def test_canceled_state_close_code_and_raw_state_8(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    res = import_file(FIXTURE, tz="UTC")
    assert res.preset.name == "servicenow-incident"
    ids = res.tickets.ids.tolist()
    cancelled = [ids[i] for i in np.flatnonzero(res.tickets.cancelled)]
    assert cancelled == ["INC0030002", "INC0030003", "INC0030005"]
    assert res.stats["cancelled"] == 3
    assert any("3 ticket(s) cancelled" in n for n in res.notes)
    # a closure that is a cancellation is not taken for a resolution
    assert res.tickets.ticket(ids.index("INC0030003")).resolved_at is None
    ws = tmp_path / "w.slawb"
    import_into_workspace(ws, FIXTURE, tz="UTC")
    with Workspace.open(ws) as w:
        assert w.load_tickets()[0].cancelled.tolist() == res.tickets.cancelled.tolist()
    capsys.readouterr()
    assert main(["simulate", "--workspace", str(ws), "--contract", str(CONTRACT), "--as-of",
                 "2026-04-01T00:00:00Z", "--json", "--per-ticket"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cancelled"] == {"P2": 1, "P3": 1, "P4": 1}
    assert {t["id"] for t in doc["tickets"]} == {"INC0030001", "INC0030004"}
    assert doc["by_priority"]["P2"]["resolution"] == {"met": 1, "breached": 0, "pending": 0,
                                                      "compliance": 1.0}
    assert "P4" not in doc["by_priority"]  # its only ticket was cancelled: no breach from it
    assert main(["simulate", "--workspace", str(ws), "--contract", str(CONTRACT), "--as-of",
                 "2026-04-01T00:00:00Z"]) == 0
    assert "3 cancelled ticket(s) left out of SLA compliance (P2 1, P3 1, P4 1)" in capsys.readouterr().out


def test_without_cancellations_nothing_changes() -> None:
    res = import_file(FIXTURE.with_name("servicenow-list.csv"), tz="Europe/Berlin")
    assert not res.tickets.cancelled.any() and "cancelled" not in res.stats
    assert "cancelled" not in simulate(load_contract(CONTRACT), res.tickets).to_json()


@pytest.mark.slow
def test_uci_log_close_codes_are_not_cancellations(shared_dir: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(shared_dir / "data/servicenow-uci/incident_event_log.zip") as z:
        name = next(n for n in z.namelist() if n.endswith(".csv"))
        z.extract(name, tmp_path)
    res = import_file(tmp_path / name, tz="UTC")
    assert res.preset.columns["close_code"] == "closed_code"  # read, but 'code N' names no cancellation
    assert len(res.tickets) == 24917 and not res.tickets.cancelled.any()
    doc = simulate(load_contract(CONTRACT), res.tickets, res.status_log).to_json()
    assert "cancelled" not in doc
    assert sum(r["tickets"] for r in doc["by_priority"].values()) == 24917


def test_audit_leaves_cancelled_tickets_out(capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.engine.audit import audit

    res = import_file(FIXTURE, tz="UTC")
    result = audit(res.tickets, res.status_log, load_contract(CONTRACT))
    assert result.cancelled_tickets == 3 and result.tickets_with_flag == 2
    assert result.to_json()["cancelled_tickets"] == 3
    assert main(["audit", "--tickets", str(FIXTURE), "--tz", "UTC"]) == 0
    assert "left out: 3 cancelled" in capsys.readouterr().out
