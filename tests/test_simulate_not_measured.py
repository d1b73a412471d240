"""A metric whose event the history never carries is "not measured", never 0% compliance."""

from __future__ import annotations

from pathlib import Path

from models.contract import load_contract
from workbench.engine.simulate import simulate
from workbench.importing.core import import_file

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
DEMO = Path(__file__).parents[1] / "resources" / "demo"


def test_export_without_first_responses_is_not_measured() -> None:
    res = import_file(FIXTURES / "osticket.csv", tz="America/New_York", date_order="mdy")
    assert res.not_measured() == ["response"]
    contract = load_contract(DEMO / "northwind-2025.yaml")
    sim = simulate(contract, res.tickets, res.status_log)
    doc = sim.to_json(per_ticket=True)
    assert set(doc["not_measured"]) == {"response"}
    for p, row in doc["by_priority"].items():
        assert row["response"] == {
            "met": 0,
            "breached": 0,
            "pending": 0,
            "compliance": None,
            "measured": False,
        }, p
        assert "measured" not in row["resolution"]  # measured: the closures give resolutions
    assert {t["response"]["outcome"] for t in doc["tickets"]} == {"not_measured"}
    # resolution is measured: all six tickets counted (4 resolved at closure, 2 still open)
    assert (
        sum(r.resolution.met + r.resolution.breached + r.resolution.pending for r in sim.by_priority.values())
        == 6
    )
    # no breach (so no credit) from a metric that was never measured
    monthly = sim.monthly()
    assert monthly
    assert all(
        row.get("response", {}).get("breached", 0) == 0
        for prios in monthly.values()
        for row in prios.values()
    )


def test_measured_metrics_keep_their_json() -> None:
    res = import_file(FIXTURES / "autotask-two-sheets.xlsx", tz="UTC")
    assert res.not_measured() == []
    sim = simulate(load_contract(DEMO / "northwind-2025.yaml"), res.tickets, res.status_log)
    doc = sim.to_json()
    assert "not_measured" not in doc
    assert all(
        "measured" not in row[m] for row in doc["by_priority"].values() for m in ("response", "resolution")
    )


def test_pdf_key_figures_say_not_measured() -> None:
    from workbench.reports.pdf.effects import _metric_line, _stats
    from workbench.reports.pdf.redline import _kpi_rows

    res = import_file(FIXTURES / "osticket.csv", tz="America/New_York", date_order="mdy")
    contract = load_contract(DEMO / "northwind-2025.yaml")
    js = simulate(contract, res.tickets, res.status_log).to_json()

    class M:
        baseline = proposed = _stats(js)

    rows = _kpi_rows(M)  # type: ignore[arg-type]
    response = [r for r in rows if r[1] == "response"]
    assert response and all(r[2:] == ["—", "not measured", "—", "not measured"] for r in response)
    assert all(r[3].endswith("%") for r in rows if r[1] == "resolution")
    assert "not measured" in (_metric_line(M, "P1", "response") or "")  # type: ignore[arg-type]


def test_a_metric_without_a_target_still_says_not_measured() -> None:
    """A priority with no response target, in a history that never carries a first
    response: the figure is absent because the data cannot give it, which the JSON says
    (found by the clock property test on a contract without targets)."""
    res = import_file(FIXTURES / "osticket.csv", tz="America/New_York", date_order="mdy")
    contract = load_contract(DEMO / "northwind-2025.yaml")
    data = contract.model_dump(mode="json")
    for t in data["targets"].values():
        t["response"] = None
    no_response = type(contract).model_validate(data)
    assert all(no_response.target(p, "response") is None for p in no_response.targets)
    doc = simulate(no_response, res.tickets, res.status_log).to_json()
    assert set(doc["not_measured"]) == {"response"}
    for p, row in doc["by_priority"].items():
        assert row["response"]["measured"] is False, p
        assert "measured" not in row["resolution"], p
