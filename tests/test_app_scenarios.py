"""What-if scenario edits of the application layer (Qt-free): what each edit makes of
the scenario, its undo words and merge key, and the edits it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.contract import ContractError, load_contract
from workbench.app.coverage import BY_KEY
from workbench.app.scenarios import (
    ScenarioError,
    coverage_choice,
    draft_from_scenario,
    with_coverage,
    with_pauses,
    with_target,
)

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
BASE = load_contract(DEMO / "northwind-2025.yaml")


def test_a_target_in_hours() -> None:
    edit = with_target(BASE, BASE, "P1", "resolution", 2.5)
    assert edit.contract.target("P1", "resolution") == "150m"
    assert (edit.text, edit.key) == ("P1 resolution target 150m", "target:P1:resolution")
    assert edit.contract.target("P1", "response") == BASE.target("P1", "response")
    assert edit.contract.calendar_name("P1", "resolution") == BASE.calendar_name("P1", "resolution")
    again = with_target(edit.contract, BASE, "P1", "resolution", 0.5)
    assert again.contract.target("P1", "resolution") == "30m" and again.key == edit.key


def test_zero_hours_restores_a_day_target_else_drops_the_target() -> None:
    day = next((p, m) for p in ("P1", "P2", "P3", "P4") for m in ("response", "resolution")
               if BASE.target(p, m) in ("same_business_day", "next_business_day"))
    moved = with_target(BASE, BASE, *day, 3).contract
    assert moved.target(*day) == "3h"
    assert with_target(moved, BASE, *day, 0).contract.target(*day) == BASE.target(*day)
    dropped = with_target(BASE, BASE, "P1", "response", 0)
    assert dropped.contract.target("P1", "response") is None and dropped.text == "P1 response target none"


def test_a_priority_the_contract_lacks_gets_a_round_the_clock_target() -> None:
    bare = BASE.model_copy(update={"targets": {k: v for k, v in BASE.targets.items() if k != "P4"}})
    edit = with_target(bare, BASE, "P4", "response", 8)
    assert edit.contract.target("P4", "response") == "8h"
    assert edit.contract.calendar_name("P4", "response") == "24x7"


def test_coverage_presets_keep_zone_and_holidays() -> None:
    edit = with_coverage(BASE, BASE, BY_KEY["24x7"])
    assert edit.text == "Coverage " + BY_KEY["24x7"].label and edit.key == ""
    for name, spec in edit.contract.calendars.items():
        assert dict(spec.weekly) == BY_KEY["24x7"].weekly()
        assert spec.timezone == BASE.calendars[name].timezone
        assert spec.holidays == BASE.calendars[name].holidays
    assert coverage_choice(edit.contract, BASE) == (BY_KEY["24x7"] if len(BASE.calendars) == 1 else "other")
    back = with_coverage(edit.contract, BASE, None)
    assert back.contract.calendars == BASE.calendars and coverage_choice(back.contract, BASE) is None


def test_coverage_needs_a_named_calendar() -> None:
    round_the_clock = load_contract(DEMO / "northwind-2025.yaml").model_copy(update={"calendars": {}})
    with pytest.raises(ScenarioError, match="no named calendar"):
        with_coverage(round_the_clock, BASE, BY_KEY["8x5"])


def test_pause_rules() -> None:
    edit = with_pauses(BASE, ["response", "resolution"], [" Awaiting User Info", "", "On hold "])
    assert edit.contract.pause_statuses == ("Awaiting User Info", "On hold")
    assert edit.contract.pause_applies_to == ("response", "resolution")
    assert with_pauses(BASE, [], []).contract.pause_applies_to == ()


def test_an_edit_that_makes_an_invalid_contract_is_refused() -> None:
    with pytest.raises(ContractError):
        with_pauses(BASE, ["sometimes"], [])


def test_a_draft_from_the_scenario_keeps_the_baseline_review_date() -> None:
    scenario = with_target(BASE, BASE, "P1", "resolution", 2).contract
    draft = draft_from_scenario(scenario, BASE, 3)
    assert (draft.status, draft.version) == ("draft", f"{BASE.version} — what-if draft 3")
    assert draft.last_reviewed == BASE.last_reviewed
    assert draft.target("P1", "resolution") == "2h"
