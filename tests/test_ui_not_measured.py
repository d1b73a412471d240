"""The GUI shows a metric the history cannot measure as "not measured", never as a percentage."""

from __future__ import annotations

from pathlib import Path

from models.contract import load_contract
from ui.simulation import WhatIf
from ui.views.compare import _compliance
from ui.views.whatif import ComplianceModel
from workbench.engine.simulate import simulate
from workbench.importing.core import import_file

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
DEMO = Path(__file__).parents[1] / "resources" / "demo"


def test_whatif_and_compare_cells(qtbot) -> None:  # type: ignore[no-untyped-def]
    res = import_file(FIXTURES / "osticket.csv", tz="America/New_York", date_order="mdy")
    contract = load_contract(DEMO / "northwind-2025.yaml")
    sim = simulate(contract, res.tickets, res.status_log)
    model = ComplianceModel()
    model.set_whatif(WhatIf(sim, sim, None, contract))
    assert model.rowCount() > 0
    for row in range(model.rowCount()):
        cells = [model.data(model.index(row, c)) for c in range(model.columnCount())]
        assert cells[2:5] == ["not measured", "not measured", ""]  # response: baseline, scenario, change
        assert cells[5].endswith("%")  # resolution is measured
    by_p = sim.to_json()["by_priority"]
    assert {_compliance(row["response"]) for row in by_p.values()} == {"not measured"}
    assert all(_compliance(row["resolution"]).endswith("%") for row in by_p.values())
