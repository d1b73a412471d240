"""W05 No accountability for missed metrics: no credits, penalties or other remedy."""

from __future__ import annotations

import re
from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check, quote

REMEDY_WORDS = re.compile(
    r"[^.]*\b(?:sole|exclusive) (?:obligation|remedy)[^.]*\.?|[^.]*\bremed(?:y|ies)\b[^.]*\.?", re.I
)


@check("W05", "No accountability for missed metrics", "terms")
def no_accountability(ctx: LintContext) -> Iterator[Finding]:
    if ctx.terms.has("service_credits"):
        return
    evidence = "no service credit, fee reduction, penalty or other remedy is tied to a missed target"
    clause = MISSING_CLAUSE
    for c in ctx.document.clauses:
        m = REMEDY_WORDS.search(c.text)
        if m:
            evidence += f"; the only remedy wording is {quote(m.group(0), 140)} ({c.ref})"
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
