"""W05 No accountability for missed metrics: no credits, penalties or other remedy."""

from __future__ import annotations

import re
from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check, quote

REMEDY_WORDS = re.compile(r"\b(?:(?:sole|exclusive) (?:obligation|remedy)|remed(?:y|ies)\b)", re.I)


def remedy_sentence(text: str) -> str | None:
    """The sentence (up to and with its full stop) holding the first remedy wording, if any.

    Found by the keyword, then widened to the full stops around it: a pattern such as
    ``[^.]*remedy`` would rescan the text from every position (quadratic on a long clause
    without full stops, e.g. a CSV file passed as a document)."""
    m = REMEDY_WORDS.search(text)
    if m is None:
        return None
    start = text.rfind(".", 0, m.start()) + 1
    end = text.find(".", m.end())
    return text[start:] if end < 0 else text[start : end + 1]


@check(
    "W05", "No accountability for missed metrics", "terms",
    means="No service credits, penalties or other remedy are tied to a missed target.",
    why=(
        "A target with no consequence is a goal, not a commitment: missing it costs the provider "
        "nothing."
    ),
    ask=(
        "Service credits per missed target (a share of the monthly fee, with a cap) and a right to "
        "terminate after repeated misses."
    ),
)
def no_accountability(ctx: LintContext) -> Iterator[Finding]:
    if ctx.terms.has("service_credits"):
        return
    evidence = "no service credit, fee reduction, penalty or other remedy is tied to a missed target"
    clause = MISSING_CLAUSE
    for c in ctx.document.clauses:
        sentence = remedy_sentence(c.text)
        if sentence is not None:
            evidence += f"; the only remedy wording is {quote(sentence, 140)} ({c.ref})"
            break
    yield Finding(
        "W05",
        "high",
        clause,
        evidence,
        "Add service credits: “If monthly compliance for a priority falls below its committed level, the "
        "Client is credited 5% of the monthly fee for that priority (10% for P1), capped at 20% of the "
        "monthly fee; credits are applied to the next invoice without a claim being required.”",
    )
