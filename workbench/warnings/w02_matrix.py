"""W02 No response/resolution matrix for at least P1-P3 (or resolution times refused)."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, Severity, check, quote

PRIORITIES = ("P1", "P2", "P3")


@check(
    "W02", "No response/resolution matrix", "terms",
    means=(
        "The agreement has no response and resolution target for each of at least P1–P3, or it refuses "
        "to commit to resolution times."
    ),
    why=(
        "Without targets per priority there is nothing to measure the tickets against: no compliance, "
        "no breaches, no credits."
    ),
    ask=(
        "A severity matrix: a response and a resolution target for P1–P4, the calendar each runs on, "
        "and how a priority is assigned."
    ),
)
def no_matrix(ctx: LintContext) -> Iterator[Finding]:
    t = ctx.terms
    suggestion = (
        "Add a priority matrix: “P1 (critical outage): response 1 hour, resolution 4 hours, 24x7; "
        "P2 (high): response 2 hours, resolution same business day; P3 (routine): response next "
        "business day, resolution 3 business days; P4: response 2 business days”, each measured "
        "on a named coverage calendar."
    )
    refused = t.first("resolution_refused")
    if refused is not None:
        yield Finding(
            "W02", "high", refused.clause, f"resolution times are refused: {quote(refused.quote)}", suggestion
        )
        return
    missing: list[str] = []
    stated: list[str] = []
    for p in PRIORITIES:
        for metric in ("response", "resolution"):
            e = t.first(f"targets.{p}.{metric}")
            if e is None:
                missing.append(f"{p} {metric}")
            else:
                stated.append(f"{p} {metric} {e.value} ({e.clause})")
    if not missing:
        return
    star = [e for e in t.all("targets.*")]
    parts = [f"no target for {', '.join(missing)}"]
    if stated:
        parts.append(f"stated: {'; '.join(stated)}")
    if star:
        parts.append(
            "times without a priority: " + "; ".join(f"{quote(e.quote, 60)} ({e.clause})" for e in star)
        )
    no_resolution = all(t.first(f"targets.{p}.resolution") is None for p in PRIORITIES)
    severity: Severity = "high" if (not stated or no_resolution) else "medium"
    yield Finding("W02", severity, MISSING_CLAUSE, "; ".join(parts), suggestion)
