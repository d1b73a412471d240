"""Extraction: the response/resolution values of each sla-text that states them, with clauses."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.documents.extract import Extraction, extract, to_contract
from workbench.documents.reader import load_document, segment


def _ex(shared_dir: Path, name: str) -> Extraction:
    return extract(load_document(shared_dir / "data" / "sla-texts" / name))


def _values(ex: Extraction, field: str) -> list[tuple[str, str, str]]:
    return [(str(e.value), e.clause, str(e.detail.get("variant", ""))) for e in ex.items if e.field == field]


def test_dxw_sla_reply_times_with_clause_numbers(shared_dir: Path) -> None:
    ex = _ex(shared_dir, "dxw_service_level_agreement.md")
    assert ex.priority_map == {"Urgent": "P1", "High": "P2", "Normal": "P3", "Low": "P4"}
    # 3.2: "first reply within 1 hour (standard) or 30 minutes (enhanced), at any time of the day or night"
    assert _values(ex, "targets.P1.response") == [("1h", "3.2", "standard"), ("30m", "3.2", "enhanced")]
    assert ex.first("targets.P1.response").detail["calendar"] == "24x7"  # type: ignore[union-attr]
    # 4.3: "within 1 working hour (standard) or 30 working minutes (enhanced)"
    assert _values(ex, "targets.P2.response") == [("1h", "4.3", "standard"), ("30m", "4.3", "enhanced")]
    assert ex.first("targets.P2.response").detail["calendar"] == "business"  # type: ignore[union-attr]
    # 5.2: "within 8 working hours (standard) or 4 working hours (enhanced)"
    assert _values(ex, "targets.P3.response") == [("8h", "5.2", "standard"), ("4h", "5.2", "enhanced")]
    # 6.2: "within 5 business days" on 10:00-18:00 working days (2.9) = 40 business hours
    assert _values(ex, "targets.P4.response") == [("40h", "6.2", "")]
    assert not [e for e in ex.items if e.field.endswith(".resolution")], "the SLA states no resolution time"
    weekly = ex.first("calendar.weekly")
    assert weekly is not None and weekly.clause == "2.9"
    assert weekly.value == {d: ["10:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    hol = ex.first("calendar.holidays")
    assert hol is not None and hol.value["country"] == "GB" and "bank holidays" in hol.quote
    # quote and span point at the words in the document
    e = ex.first("targets.P2.response")
    assert e is not None and ex.document.text[e.span[0] : e.span[1]] == "1 working hour"


def test_dxw_sla_to_contract_and_overrides(shared_dir: Path) -> None:
    ex = _ex(shared_dir, "dxw_service_level_agreement.md")
    c = to_contract(ex)
    assert c.targets["P1"].response == "1h" and c.targets["P1"].calendar == "24x7"
    assert c.targets["P3"].response == "8h" and c.targets["P3"].calendar == "business"
    cal = c.calendars["business"]
    assert cal.timezone == "Europe/London"  # from the UK bank holidays; no zone is written
    assert cal.holidays is not None and cal.holidays.country == "GB"
    assert str(c.last_reviewed) == "2018-05-23"
    fixed = to_contract(ex, {"targets.P2.resolution": "same_business_day", "targets.P4.response": None,
                             "calendar.timezone": "Europe/Dublin"})
    assert fixed.targets["P2"].resolution == "same_business_day" and "P4" not in fixed.targets
    assert fixed.calendars["business"].timezone == "Europe/Dublin"


def test_woomberg_times_without_priorities(shared_dir: Path) -> None:
    for name, day in (("woomberg_managed_wp_hosting_sla_2020_with_credits.md", "10h"),
                      ("woomberg_managed_wp_hosting_sla_latest_no_credits.md", "8h")):
        ex = _ex(shared_dir, name)
        assert ex.priority_map == {}, "'non-emergency' and 'Amazon S3' are not priority names"
        star = [(e.value, e.clause, e.detail.get("applies_to"))
                for e in ex.items if e.field == "targets.*.response"]
        clause = "WordPress Support Requests and Reasonable Use"
        # "a response time of one business day" (8:00-6:00 / 9:00-5:00 EST days) and
        # "Up to 24 hours response time on non-emergency requests"
        assert star == [(day, clause, None), ("24h", clause, "non-emergency")]
        tz = ex.first("calendar.timezone")
        assert tz is not None and tz.value == "America/New_York" and tz.quote == "EST"


def test_texts_without_times_yield_no_targets(shared_dir: Path) -> None:
    for name in ("accordproject_servicelevelagreement_sample.md", "dxw_govpress_managed_hosting_terms.md"):
        ex = _ex(shared_dir, name)
        assert not [e for e in ex.items if e.field.startswith("targets.")], name


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("4.2 Severity 1 incidents: response within 15 minutes.\n", "targets.P1.response", "15m"),
        ("3. Priority 2 tickets are resolved within 5 business days.\n", "targets.P2.resolution", "40h"),
        ("5.1 Critical incidents will be resolved the same business day.\n", "targets.P1.resolution",
         "same_business_day"),
        ("6. Low priority requests receive a response by the next business day.\n", "targets.P4.response",
         "next_business_day"),
    ],
)
def test_phrasings(text: str, field: str, value: str) -> None:
    ex = extract(segment(text))
    e = ex.first(field)
    assert e is not None and e.value == value
    assert e.clause == text.split()[0].rstrip(".")


def test_compliance_target_and_other_terms() -> None:
    text = (
        "## 4 Service levels\n\n4.1 P2: 95% of tickets within 2 hours response.\n\n"
        "4.2 Support hours are Monday to Friday 9am to 5:30pm UK time, excluding bank holidays.\n\n"
        "4.3 RPO of 4 hours and RTO of 8 hours; restore tests are run quarterly.\n\n"
        "4.4 A monthly service report including MTTR and patch compliance; quarterly business reviews.\n\n"
        "4.5 Service credits of 5% of the monthly fee apply. Logs are monitored 24/7 by our SOC via SIEM.\n"
    )
    ex = extract(segment(text))
    assert ex.first("targets.P2.compliance_target").value == 0.95  # type: ignore[union-attr]
    assert ex.first("targets.P2.response").value == "2h"  # type: ignore[union-attr]
    assert ex.first("calendar.weekly").value["mon"] == ["09:00-17:30"]  # type: ignore[union-attr]
    assert ex.first("calendar.timezone").value == "Europe/London"  # type: ignore[union-attr]
    assert ex.first("backup.rpo").value == "4h" and ex.first("backup.rto").value == "8h"  # type: ignore[union-attr]
    assert ex.first("backup.restore_test_cadence").value == "quarterly"  # type: ignore[union-attr]
    assert ex.first("reporting.cadence").clause == "4.4"  # type: ignore[union-attr]
    assert {e.value for e in ex.all("reporting.kpis")} == {"MTTR", "patch compliance"}
    assert ex.first("service_credits").value == 5.0  # type: ignore[union-attr]
    assert ex.first("security.log_monitoring").value == "24/7"  # type: ignore[union-attr]
    c = to_contract(ex)
    assert c.targets["P2"].compliance_target == 0.95
    assert c.backup.systems[0].rpo == "4h" and c.backup.restore_test_cadence == "quarterly"
