"""Priority-name normalisation: every scheme maps explicitly, with its reason shown."""

from __future__ import annotations

import pytest

from workbench.engine.priorities import (
    PriorityNameError,
    normalise_priority_keys,
    normalise_priority_names,
)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Severity 1", "Severity 2", "Severity 3", "Severity 4"], ["P1", "P2", "P3", "P4"]),
        (["Sev 4", "Sev1", "S2", "sev-3"], ["P4", "P1", "P2", "P3"]),
        (["Urgent", "High", "Normal", "Low"], ["P1", "P2", "P3", "P4"]),
        (["Critical", "High", "Medium", "Low"], ["P1", "P2", "P3", "P4"]),
        (["1 - Critical", "2 - High", "3 - Moderate", "4 - Low"], ["P1", "P2", "P3", "P4"]),
        (["P1", "P2", "P3", "P4"], ["P1", "P2", "P3", "P4"]),
        (["Priority 1 - Emergency Response", "Priority 3 - Normal Response"], ["P1", "P3"]),
        (["Highest", "High", "Medium", "Low", "Lowest"], ["P1", "P2", "P3", "P4", "P4"]),
        (["Blocker", "Critical", "Major", "Minor", "Trivial"], ["P1", "P2", "P3", "P4", "P4"]),
        (["  URGENT ", "low"], ["P1", "P4"]),
    ],
)
def test_schemes_map_to_p1_p4(names: list[str], expected: list[str]) -> None:
    m = normalise_priority_names(names)
    assert [m[n] for n in names] == expected
    assert set(m.explanation) == set(names)


def test_subset_keeps_absolute_meaning() -> None:
    # Only High and Low occur: they stay P2 and P4, they do not slide up to P1/P2.
    m = normalise_priority_names(["High", "Low"])
    assert dict(m) == {"High": "P2", "Low": "P4"}
    assert "critical scheme" in m.explanation["High"]


def test_zero_based_numbers_shift_and_levels_past_four_merge() -> None:
    m = normalise_priority_names(["P0", "P1", "P2", "P3"])
    assert dict(m) == {"P0": "P1", "P1": "P2", "P2": "P3", "P3": "P4"}
    assert "shifted" in m.explanation["P0"]
    m5 = normalise_priority_names(["Sev 1", "Sev 5"])
    assert m5["Sev 5"] == "P4" and "merged" in m5.explanation["Sev 5"]


def test_explanation_is_shown() -> None:
    m = normalise_priority_names(["Severity 1", "Urgent"])
    text = m.describe()
    assert "Severity 1 -> P1" in text and "Urgent     -> P1" in text
    assert m.rows()[0] == {"name": "Severity 1", "priority": "P1", "reason": m.explanation["Severity 1"]}
    assert not m.is_identity()
    assert normalise_priority_names(["P1", "P2"]).is_identity()


def test_unknown_names_are_listed() -> None:
    with pytest.raises(PriorityNameError, match=r"'Whenever'.*'Someday'"):
        normalise_priority_names(["High", "Whenever", "Someday"])


def test_overrides_win_and_are_validated() -> None:
    m = normalise_priority_names(["Gold", "Silver"], overrides={"Gold": "P1", "Silver": "P3"})
    assert dict(m) == {"Gold": "P1", "Silver": "P3"}
    assert m.explanation["Gold"] == "set by hand"
    with pytest.raises(PriorityNameError, match="P9"):
        normalise_priority_names(["Gold"], overrides={"Gold": "P9"})


def test_rekey_rejects_collisions() -> None:
    out, m = normalise_priority_keys({"Severity 1": {"response": "1h"}, "Severity 2": {"response": "2h"}})
    assert out == {"P1": {"response": "1h"}, "P2": {"response": "2h"}}
    assert m["Severity 2"] == "P2"
    with pytest.raises(PriorityNameError, match="both map to P4"):
        normalise_priority_keys({"Low": 1, "Lowest": 2, "Highest": 3})
