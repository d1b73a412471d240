"""Response/resolution values whose metric word follows the time ("1 hour response and
4 hours resolution"): the word right after a time names its metric, even when an earlier
metric word is nearer before it."""

from __future__ import annotations

import pytest

from workbench.documents.extract import extract
from workbench.documents.reader import segment


@pytest.mark.parametrize(
    "sentence",
    [
        "P1 incidents: 1 hour response and 4 hours resolution.",
        "P1 incidents: 1 hour response, 4 hours resolution.",
        "P1 incidents: 1 hour first response and 4 business hours resolution.",
        "P1 incidents: response within 1 hour and resolution within 4 hours.",
    ],
)
def test_metric_word_after_the_time(sentence: str) -> None:
    ex = extract(segment(f"## 2.1 Response times\n\n{sentence}\n"))
    got = sorted((e.field, e.clause) for e in ex.items if e.field.startswith("targets.P1."))
    assert got == [("targets.P1.resolution", "2.1"), ("targets.P1.response", "2.1")]
    assert ex.first("targets.P1.response").value == "1h"  # type: ignore[union-attr]
    assert ex.first("targets.P1.resolution").value.startswith("4h")  # type: ignore[union-attr]
