"""Contract diff: tokens, word diff, clause alignment, structured term changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from models.contract import Clause, Contract, contract_from_data
from workbench.documents.diff import (
    align_clauses,
    diff_contracts,
    load_version,
    term_changes,
    tokenize,
    word_diff,
)

BUSINESS = {
    "timezone": "America/Toronto",
    "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": {"country": "CA", "subdivision": "ON"},
}


def base(**kw: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"name": "Northwind SLA", "version": "2025", "calendars": {"business": BUSINESS}}
    d.update(kw)
    return d


@pytest.mark.parametrize(
    "text,token",
    [
        ("resolved within 4 hours.", "4 hours"),
        ("coverage is 24x7 for P1", "24x7"),
        ("uptime of 99.9% a month", "99.9%"),
        ("a credit of $2,400 applies", "$2,400"),
        ("effective 2026-10-01 onwards", "2026-10-01"),
        ("signed on March 5, 2026 by", "March 5, 2026"),
        ("hours are 8:00 a.m to 6 p.m", "8:00 a.m"),
        ("within 2 business days", "2 business days"),
        ("a 30-minute response", "30-minute"),
        ("within 1.5h of the call", "1.5h"),
        ("CAD 1,000 or 500 CAD", "500 CAD"),
    ],
)
def test_numbers_keep_their_units(text: str, token: str) -> None:
    assert token in [t.text for t in tokenize(text)]


def test_tokenize_rebuilds_the_text_exactly() -> None:
    text = "  P1: 4 hours,\n\n- 24x7 & <b>99.9%</b>  end  "
    assert "".join(t.space + t.text for t in tokenize(text)) == text


def test_unit_change_is_one_whole_change() -> None:
    segs = word_diff("P1 incidents are resolved within 4 hours.", "P1 incidents are resolved within 2 hours.")
    changed = [(s.op, s.words) for s in segs if s.op != "equal"]
    assert changed == [("delete", ["4 hours"]), ("insert", ["2 hours"])]


@pytest.mark.parametrize(
    "old,new,gone,came",
    [
        ("coverage 8x5 only", "coverage 24x7 only", "8x5", "24x7"),
        ("uptime 99.5% monthly", "uptime 99.9% monthly", "99.5%", "99.9%"),
        ("capped at $2,400 a month", "capped at $1,200 a month", "$2,400", "$1,200"),
        ("from 2025-10-01 on", "from 2026-10-01 on", "2025-10-01", "2026-10-01"),
    ],
)
def test_numeric_tokens_never_split(old: str, new: str, gone: str, came: str) -> None:
    segs = word_diff(old, new)
    assert [s.words for s in segs if s.op == "delete"] == [[gone]]
    assert [s.words for s in segs if s.op == "insert"] == [[came]]


def test_equal_text_gives_only_equal_segments() -> None:
    assert {s.op for s in word_diff("same words here", "same words here")} == {"equal"}


def C(num: str, head: str, text: str) -> Clause:
    return Clause(number=num, heading=head, text=text)


def test_align_added_removed_moved_changed() -> None:
    old = [
        C("1", "Scope", "Helpdesk support is provided 8x5, Monday to Friday."),
        C("2", "Confidentiality", "Each party keeps the other's information confidential at all times."),
        C("3", "Service credits", "A credit of 5% of the monthly fee applies to each breached P1 ticket."),
        C("4", "Backups", "The ERP is backed up nightly with an RPO of 24 hours."),
    ]
    new = [
        C("1", "Scope", "Helpdesk support is provided 24x7, every day."),
        C("2", "Backups", "The ERP is backed up nightly with an RPO of 4 hours."),
        C("3", "Security operations", "Alerts are handled by the SOC around the clock."),
        C("4", "Confidentiality", "Each party keeps the other's information confidential at all times."),
    ]
    res = align_clauses(old, new)
    kinds = {(c.kind, (c.new or c.old).heading) for c in res}  # type: ignore[union-attr]
    assert ("changed", "Scope") in kinds
    assert ("removed", "Service credits") in kinds
    assert ("added", "Security operations") in kinds
    moved = [c for c in res if c.kind == "moved"]
    assert len(moved) == 1
    assert moved[0].new is not None and moved[0].new.heading in ("Backups", "Confidentiality")
    assert not moved[0].text_changed or moved[0].new.heading == "Backups"
    # every old and new clause appears exactly once
    assert sorted(c.old_index for c in res if c.old_index is not None) == [0, 1, 2, 3]
    assert sorted(c.new_index for c in res if c.new_index is not None) == [0, 1, 2, 3]


def test_renamed_clause_matched_by_number_or_text() -> None:
    old = [C("4.2", "Credits", "A credit of 5% of the monthly fee applies to each breached P1 ticket.")]
    new = [
        C("4.2", "Service credits", "A credit of 10% of the monthly fee applies to each breached P1 ticket.")
    ]
    (only,) = align_clauses(old, new)
    assert only.kind == "changed"
    assert [s.words for s in only.segments if s.op != "equal"] == [["5%"], ["10%"]]


def test_unrelated_clauses_are_not_paired() -> None:
    old = [C("", "Alpha", "The provider monitors servers around the clock with agents.")]
    new = [C("", "Omega", "Invoices are payable within thirty days of receipt by the client.")]
    assert sorted(c.kind for c in align_clauses(old, new)) == ["added", "removed"]


def test_term_changes_examples() -> None:
    old = contract_from_data(
        base(
            monthly_fee=12000,
            scope={"helpdesk_hours": "8x5", "helpdesk_calendar": "business"},
            targets={"P1": {"response": "1h", "resolution": "8h", "calendar": "business"}},
            backup={"systems": [{"name": "ERP", "rpo": "24h", "rto": "8h"}]},
            service_credits=[{"metric": "resolution", "priority": "P1", "percent_of_fee": 5}],
            compliance_mandates=["CPPA"],
        )
    )
    new = contract_from_data(
        base(
            version="2026",
            monthly_fee=13500,
            scope={"helpdesk_hours": "24x7"},
            targets={"P1": {"response": "1h", "resolution": "4h", "calendar": "24x7"}},
            backup={"systems": [{"name": "ERP", "rpo": "4h", "rto": "8h"}]},
            compliance_mandates=["CPPA", "Bill C-26"],
        )
    )
    tc = {t.path: t for t in term_changes(old, new)}
    assert (tc["targets.P1.resolution"].old, tc["targets.P1.resolution"].new) == ("8 hours", "4 hours")
    assert tc["targets.P1.resolution"].kind == "changed"
    assert (tc["scope.helpdesk_hours"].old, tc["scope.helpdesk_hours"].new) == ("8x5", "24x7")
    clock = tc["targets.P1.resolution_calendar"]
    assert clock.old is not None and "Mon–Fri 08:00–17:00" in clock.old and "America/Toronto" in clock.old
    assert clock.new is not None and "round the clock" in clock.new
    assert (tc["backup.systems[ERP].rpo"].old, tc["backup.systems[ERP].rpo"].new) == ("24 hours", "4 hours")
    credits = tc["service_credits"]
    assert credits.kind == "removed" and credits.new is None and "5%" in (credits.old or "")
    assert tc["monthly_fee"].old == "CAD 12,000.00" and tc["monthly_fee"].new == "CAD 13,500.00"
    assert tc["compliance_mandates[Bill C-26]"].kind == "added"
    assert "targets.P1.response" not in tc  # unchanged
    assert tc["version"].new == "2026"


def _variants() -> list[tuple[str, dict[str, Any]]]:
    """One change per Contract field (clauses aside): field name -> edited data."""
    return [
        ("name", {"name": "Other"}),
        ("version", {"version": "2026"}),
        ("provider", {"provider": "Pulse Tech"}),
        ("client", {"client": "Société Québécoise"}),
        ("status", {"status": "signed"}),
        ("effective_date", {"effective_date": "2026-01-01"}),
        ("last_reviewed", {"last_reviewed": "2026-06-30"}),
        ("monthly_fee", {"monthly_fee": 900}),
        ("currency", {"currency": "USD"}),
        ("scope", {"scope": {"patch_management": True}}),
        ("calendars", {"calendars": {"business": dict(BUSINESS, timezone="America/Vancouver")}}),
        ("targets", {"targets": {"P3": {"response": "next_business_day", "calendar": "business"}}}),
        ("pause_statuses", {"pause_statuses": ["Awaiting User Info"]}),
        ("pause_applies_to", {"pause_applies_to": ["response", "resolution"]}),
        ("security", {"security": {"log_monitoring": {"frequency": "24/7"}}}),
        ("security", {"security": {"endpoint_coverage": [{"product": "XDR", "licence_excluded": True}]}}),
        ("security", {"security": {"breach_roles": {"containment": "MSSP"}}}),
        ("security", {"security": {"incident_escalation": ["detect", "contain"]}}),
        ("backup", {"backup": {"restore_test_cadence": "quarterly"}}),
        ("backup", {"backup": {"cloud_backup_monitoring": True}}),
        ("reporting", {"reporting": {"kpis": ["MTTR"]}}),
        (
            "escalation_matrix",
            {"escalation_matrix": [{"incident_type": "user lockout", "owner": "MSP", "team": "NOC"}]},
        ),
        (
            "client_obligations",
            {"client_obligations": [{"kind": "change_approval", "text": "approve", "within": "2d"}]},
        ),
        ("compliance_mandates", {"compliance_mandates": ["GDPR"]}),
        ("service_credits", {"service_credits": [{"metric": "response", "percent_of_fee": 2}]}),
        ("credits_cap_percent", {"credits_cap_percent": 15}),
        ("uptime", {"uptime": [{"service": "ERP", "target_percent": 99.9}]}),
    ]


def test_every_contract_field_is_compared() -> None:
    variants = _variants()
    covered = {f for f, _ in variants}
    assert covered == set(Contract.model_fields) - {"clauses"}, "a Contract field has no diff test"
    old = contract_from_data(base())
    for fieldname, edit in variants:
        new = contract_from_data(base(**edit))
        changes = term_changes(old, new)
        assert changes, f"no change reported for an edit of {fieldname}"
        for t in changes:
            assert t.label and (t.old is not None or t.new is not None)
            assert t.kind in ("added", "removed", "changed")


def test_identical_contracts_have_no_term_changes() -> None:
    c = contract_from_data(
        base(monthly_fee=10, service_credits=[{"metric": "resolution", "percent_of_fee": 1}])
    )
    assert term_changes(c, c) == []
    assert all(cc.kind == "unchanged" for cc in diff_contracts(c, c).clauses)


def test_markdown_document_clauses(tmp_path: Path) -> None:
    doc = tmp_path / "terms.md"
    doc.write_text(
        "Title\n=====\n\nIntro [link](http://x).\n\n#### 2.1 Credits\n\n-   five **percent**\n\n#### \n\n"
    )
    cl = load_version(doc).clauses
    assert [(c.number, c.heading) for c in cl] == [("", "Title"), ("2.1", "Credits")]
    assert cl[0].text == "Intro link."
    assert cl[1].text == "- five percent"


def test_woomberg_versions_drop_the_credits(shared_dir) -> None:
    d = shared_dir / "data" / "sla-texts"
    old = load_version(d / "woomberg_managed_wp_hosting_sla_2020_with_credits.md")
    new = load_version(d / "woomberg_managed_wp_hosting_sla_latest_no_credits.md")
    from workbench.documents.diff import diff_versions

    res = diff_versions(old, new)
    removed = {c.old.heading for c in res.clauses if c.kind == "removed" and c.old}
    assert "How to receive SLA Credits?" in removed
    added = {c.new.heading for c in res.clauses if c.kind == "added" and c.new}
    assert "Right to Modify" in added


@pytest.mark.parametrize("a,b", [
    ("P1 response within 1 hour.", "P1 response within 2 hours."),
    ("P1 response within 1 hour.", "Backups are tested quarterly by the provider."),
    ("Scope\nHelpdesk and on-site support", "Service scope\nHelpdesk, on-site and after-hours support"),
    ("a b c d e f g h", "a"),
    ("", ""),
    ("", "text on one side"),
    ("the the the the", "the the"),
])
def test_similarity_from_token_counts_is_difflibs(a: str, b: str) -> None:
    """The clause matcher works the cheap bounds out from token counts kept per clause; the
    numbers are difflib's own (the same pairs, the same order, the same redline)."""
    import difflib

    from workbench.documents.diff import _key, similarity, tokenize

    ka, kb = [_key(t) for t in tokenize(a)], [_key(t) for t in tokenize(b)]
    if not ka and not kb:
        expected = 1.0
    else:
        sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
        low = sm.real_quick_ratio() < 0.3 or sm.quick_ratio() < 0.3
        expected = sm.quick_ratio() * 0.5 if low else sm.ratio()
    assert similarity(a, b) == expected
