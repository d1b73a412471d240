"""One vocabulary of term names: the extractor's field names.  A structured contract is
put into that vocabulary by ``warnings.base.contract_terms`` and a name is taken back to
the contract file's key by ``documents.extract.contract_path``; the two must agree, or a
term the lint cites would point at a key the contract does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.contract import load_contract
from workbench.documents.extract import contract_path
from workbench.documents.reader import document_from_clauses
from workbench.warnings.base import contract_terms

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
DERIVED = {"backup.mentioned", "backup.monitoring", "security.noc_soc_boundary"}  # read from several keys


def _holds(data: dict, path: str) -> bool:
    node: object = data
    parts = path.split(".")
    if parts[:2] == ["calendars", "business"]:
        return any(_holds({"c": c}, ".".join(["c", *parts[2:]])) for c in data.get("calendars", {}).values())
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


@pytest.mark.parametrize("name", sorted(p.stem for p in DEMO.glob("*.yaml")))
def test_every_term_of_a_contract_names_a_key_it_holds(name: str) -> None:
    c = load_contract(DEMO / f"{name}.yaml")
    doc = document_from_clauses([(x.number, x.heading, x.text) for x in c.clauses])
    data = c.to_data()
    data.setdefault("escalation_matrix", [r.model_dump(mode="json") for r in c.escalation_matrix])
    terms = contract_terms(c, doc)
    assert terms.items
    for e in terms.items:
        if e.field in DERIVED:
            continue
        path = contract_path(e.field)
        assert _holds(data, path), f"{e.field} -> {path} is not a key of {name}"


def test_contract_path_maps_the_document_names() -> None:
    assert contract_path("targets.P1.response") == "targets.P1.response"
    assert contract_path("calendar.weekly") == "calendars.business.weekly"
    assert contract_path("coverage.hours") == "scope.helpdesk_hours"
    assert contract_path("security.breach_roles.regulator") == "security.breach_roles"
    assert contract_path("client_obligations.change_approval") == "client_obligations"
    assert contract_path("security.escalation_rule") == "escalation_matrix"
