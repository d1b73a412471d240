"""W10 Stale agreement: not reviewed in the last quarter (92 days) before the as-of date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check

QUARTER_DAYS = 92
SUGGESTION = (
    "Add: “The parties review this agreement every quarter (RPO/RTO against new systems, "
    "escalation contacts and hours, new services such as SOC monitoring); the date of the last "
    "review is recorded on the cover page.”"
)


@check(
    "W10", "Stale agreement", "terms",
    means="The agreement has not been reviewed in the last quarter (92 days) before the as-of date.",
    why=(
        "The client's business, systems and threats change; an agreement not reviewed drifts away from "
        "what they need."
    ),
    ask=(
        "A review at least every quarter (at the QBR) and the next review date written in the "
        "agreement."
    ),
)
def stale(ctx: LintContext) -> Iterator[Finding]:
    dated = None
    for name in ("last_reviewed", "document_date", "effective_date"):
        e = ctx.terms.first(name)
        if e is not None and isinstance(e.value, date):
            dated = (name, e)
            break
    if dated is None:
        if ctx.terms.has("review.cadence"):
            return  # a review cadence is committed; no date to check it against
        yield Finding(
            "W10", "low", MISSING_CLAUSE, "no review date and no review cadence are stated", SUGGESTION
        )
        return
    name, e = dated
    today = ctx.today  # the as-of date, else the injected clock's (make_context)
    if today is None:
        return  # a hand-built context without a date: nothing to measure the age against
    age = (today - e.value).days
    if age <= QUARTER_DAYS:
        return
    label = {"last_reviewed": "last reviewed", "document_date": "dated", "effective_date": "effective"}[name]
    yield Finding(
        "W10",
        "high" if age > 365 else "medium",
        e.clause,
        f"{label} {e.value.isoformat()}: {age} days before {today.isoformat()} (more than {QUARTER_DAYS})",
        SUGGESTION,
    )
