"""Changes matched as a lawyer reads them: a renamed or reworded list item, term or
clause is one modification, not a removal plus an addition (diff.item_similarity and
its threshold, the set/keyed term diff, the clause alignment)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.contract import Clause, contract_from_data
from workbench.documents.diff import (
    ITEM_THRESHOLD,
    align_clauses,
    diff_versions,
    item_similarity,
    load_version,
    pair_reworded,
    same_item,
    term_changes,
)

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"

# How real SLAs reword an item between two versions: the same item, modified.
REWORDED = [
    ("PHIPA", "PHIPA (Personal Health Information Protection Act, Ontario)"),  # acronym expanded
    ("SIEM", "SIEM (Microsoft Sentinel)"),  # product named
    ("Consumer Privacy Protection Act", "CPPA"),  # the act by its acronym
    ("QBR", "Quarterly Business Review"),
    ("quarterly business review", "quarterly business review (QBR)"),
    ("incident detection (through the MSSP partner)", "24/7 incident detection and triage"),
    ("SLA compliance", "SLA compliance by priority"),
    ("monthly threat hunting", "threat hunting, monthly"),  # reordered
    ("phishing analysis", "analysis of phishing reports"),  # reordered, plural
    ("Endpoint detection and response (EDR)", "EDR"),
    ("Backups", "Backup and recovery"),  # clause headings
    ("Security", "Security operations (SOC)"),
    ("Service Level Credits", "Service credits"),
    ("Priorities", "Priority"),
]

# Items that share words but are two different things: they must stay apart.
DISTINCT = [
    ("ticket volume", "ticket trends"),
    ("EDR", "XDR"),
    ("PHIPA", "PIPEDA"),
    ("Bill C-26", "Bill C-27"),
    ("monthly report", "quarterly business review (QBR)"),
    ("SLA compliance", "patch compliance"),
    ("P1 response", "P2 response"),
    ("Windows 10", "Windows 11"),
    ("Clause heading 5", "Added clause 5"),  # a shared bare number is no likeness
]


@pytest.mark.parametrize(("a", "b"), REWORDED)
def test_rewordings_are_the_same_item(a: str, b: str) -> None:
    assert item_similarity(a, b) >= ITEM_THRESHOLD, (a, b, item_similarity(a, b))
    assert same_item(b, a)  # symmetric


@pytest.mark.parametrize(("a", "b"), DISTINCT)
def test_different_items_stay_apart(a: str, b: str) -> None:
    assert item_similarity(a, b) < ITEM_THRESHOLD, (a, b, item_similarity(a, b))
    assert not same_item(b, a)


def test_pairs_are_one_to_one_and_most_alike_first() -> None:
    removed = ["SLA compliance", "ticket volume"]
    added = ["patch compliance", "SLA compliance by priority", "ticket trends"]
    assert pair_reworded(removed, added) == [("SLA compliance", "SLA compliance by priority")]
    # two candidates for one item: the closer wins, the other stays an addition
    assert pair_reworded(["SIEM"], ["SIEM (Microsoft Sentinel)", "SIEM (Microsoft Sentinel) and SOAR"]) == [
        ("SIEM", "SIEM (Microsoft Sentinel)")
    ]


def _base(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {"name": "S", "version": "1", "targets": {"P1": {"response": "1h"}}}
    data.update(kw)
    return data


def test_a_renamed_mandate_is_a_change_not_removed_and_added() -> None:
    long = "PHIPA (Personal Health Information Protection Act, Ontario)"
    old = contract_from_data(_base(compliance_mandates=["PHIPA", "PIPEDA"]))
    new = contract_from_data(_base(compliance_mandates=[long, "Bill C-26"]))
    tc = {t.path: t for t in term_changes(old, new)}
    key = f"compliance_mandates[{long}]"
    assert tc[key].kind == "changed"
    assert (tc[key].old, tc[key].new) == ("PHIPA", long)
    assert "compliance_mandates[PHIPA]" not in tc
    assert tc["compliance_mandates[PIPEDA]"].kind == "removed"  # not a rewording of Bill C-26
    assert tc["compliance_mandates[Bill C-26]"].kind == "added"


def test_a_renamed_keyed_item_keeps_its_field_changes() -> None:
    old = contract_from_data(_base(uptime=[{"service": "Imaging", "target_percent": 99.5}]))
    new = contract_from_data(_base(uptime=[{"service": "Imaging (PACS)", "target_percent": 99.5}]))
    assert [(t.path, t.kind) for t in term_changes(old, new)] == [("uptime[Imaging (PACS)]", "changed")]
    old = contract_from_data(
        _base(backup={"systems": [{"name": "File server", "rpo": "24h", "rto": "8h"}]})
    )
    new = contract_from_data(
        _base(backup={"systems": [{"name": "File servers (both sites)", "rpo": "4h", "rto": "8h"}]})
    )
    got = {t.path: (t.kind, t.old, t.new) for t in term_changes(old, new)}
    assert got == {
        "backup.systems[File servers (both sites)]": ("changed", "File server", "File servers (both sites)"),
        "backup.systems[File servers (both sites)].rpo": ("changed", "24 hours", "4 hours"),
    }


def test_the_demo_mandates_and_tools_are_modifications() -> None:
    diff = diff_versions(
        load_version(DEMO / "northwind-2025.yaml"), load_version(DEMO / "northwind-2026-q4-proposal.yaml")
    )
    tc = {t.path: t for t in diff.terms}
    phipa = tc["compliance_mandates[PHIPA (Personal Health Information Protection Act, Ontario)]"]
    assert (phipa.kind, phipa.old) == ("changed", "PHIPA")
    assert tc["security.log_monitoring.tooling[SIEM (Microsoft Sentinel)]"].old == "SIEM"
    assert not any(t.kind == "removed" and t.path.startswith("compliance_mandates") for t in diff.terms)
    # the clauses retitled and rewritten are changes too, not a removal and an addition
    kinds = {
        (c.old.heading if c.old else None, c.new.heading if c.new else None): c.kind for c in diff.clauses
    }
    assert kinds[("Security", "Security operations (SOC)")] == "changed"
    assert kinds[("Backups", "Backup and recovery")] == "changed"
    assert kinds[("Priorities", "Response and resolution matrix")] == "changed"
    assert not any(c.kind == "removed" for c in diff.clauses)


def test_an_unrelated_clause_under_a_similar_heading_stays_apart() -> None:
    old = [Clause(number="4", heading="Security", text="Alerts are triaged by the NOC in business hours.")]
    new = [
        Clause(number="9", heading="Security deposit", text="The client pays two months of fees in advance."),
    ]
    assert [c.kind for c in align_clauses(old, new)] == ["added", "removed"]
