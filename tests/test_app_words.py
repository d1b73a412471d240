"""Codes in words: warning codes with their names, clauses and cited terms in words,
KPIs with their definitions."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.analytics.kpis import KPI_DEFINITIONS, KpiRow, kpi_definition
from workbench.app.words import (
    calendar_words,
    clause_words,
    code_title,
    finding_heading,
    target_value,
    target_words,
    trigger_words,
)
from workbench.warnings import catalogue
from workbench.warnings.base import Finding


@pytest.mark.parametrize(
    ("clause", "words"),
    [
        ("2", "clause 2"),
        ("2.2", "clause 2.2"),
        ("Annex A", "clause Annex A"),
        ("", "no clause"),
        ("last_reviewed", "Last reviewed"),
        ("security.log_monitoring", "Security log monitoring"),
        ("security.escalation_rule", "NOC/SOC escalation matrix"),
        ("targets.P1.resolution", "P1 resolution target"),
    ],
)
def test_where_a_finding_points_in_words(clause: str, words: str) -> None:
    assert clause_words(clause) == words


def test_every_code_has_its_name() -> None:
    for code, info in catalogue().items():
        assert code_title(code) == f"{code} {info.title}" and info.title
    assert code_title("W99") == "W99"


def test_a_finding_heading() -> None:
    f = Finding("W07", "high", "2", "P1 resolution 8h", "Write 4h")
    assert finding_heading(f) == f"High · {code_title('W07')} · clause 2"


def test_every_headline_kpi_has_a_definition() -> None:
    for label in [*KPI_DEFINITIONS, "P1 tickets", "NOC tickets", "Availability Dentrix"]:
        row = KpiRow(label, 1.0, 1.0, "share", True)
        assert row.definition and row.definition == kpi_definition(label)
    assert kpi_definition("Something new") == ""


@pytest.mark.parametrize(("value", "words"), [
    ("4h", "4 h"), ("30m", "30 min"), ("27h", "27 h"), ("1d", "24 h"), ("5d", "5 d"),
    ("next_business_day", "next business day"), ("same_business_day", "same business day"),
    ("soon", "soon"),
])
def test_a_target_in_words(value: str, words: str) -> None:
    assert target_words(value) == words


@pytest.mark.parametrize(("name", "words"), [
    ("business", "business hours"), ("clinic_hours", "clinic hours"), ("24x7", "24x7"),
    ("night_shift", "night shift hours"), (None, "—"),
])
def test_a_calendar_in_words(name: str | None, words: str) -> None:
    assert calendar_words(name) == words


def test_compare_terms_say_targets_in_words() -> None:
    from models.contract import load_contract
    from workbench.analytics.compare import contract_terms

    demo = Path(__file__).parents[1] / "resources" / "demo" / "northwind-2025.yaml"
    values = {term: v for section, term, v in contract_terms(load_contract(demo)) if section == "Matrix"}
    assert values["P2 resolution"] == "next business day, business hours"
    assert not any("_" in v for v in values.values())


@pytest.mark.parametrize(("words", "value"), [
    ("next business day", "next_business_day"), ("Same business day", "same_business_day"),
    ("next_business_day", "next_business_day"), ("4 h", "4h"), ("2 h 30 min", "150m"), ("30 min", "30m"),
    ("3 d 4 h", "76h"), ("1.5h", "1.5h"), ("45m", "45m"), ("soon", "soon"), ("  4   h ", "4h"),
])
def test_a_target_from_its_words(words: str, value: str) -> None:
    assert target_value(words) == value


@pytest.mark.parametrize(
    "value", ["4h", "30m", "27h", "1.5h", "5d", "next_business_day", "same_business_day"]
)
def test_a_targets_words_read_back_as_the_same_duration(value: str) -> None:
    from models.contract import parse_duration

    back = target_value(target_words(value))
    assert back == value or parse_duration(back) == parse_duration(value)


def test_a_credit_trigger_in_words() -> None:
    assert trigger_words("per_breach") == "each breached ticket"
    assert trigger_words("compliance_below") == "compliance below the threshold"
