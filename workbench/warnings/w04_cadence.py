"""W04 No communication cadence: no scheduled reporting or review."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check


@check(
    "W04", "No communication cadence", "terms",
    means="No scheduled reporting or review: no monthly report, no quarterly business review.",
    why=(
        "Without a cadence, service is discussed only when something has gone wrong, and missed targets"
        " go unnoticed."
    ),
    ask=(
        "A monthly service report with the agreed KPIs and a quarterly business review, with who "
        "attends."
    ),
)
def no_cadence(ctx: LintContext) -> Iterator[Finding]:
    if ctx.terms.has("reporting.cadence") or ctx.terms.has("review.cadence"):
        return
    yield Finding(
        "W04",
        "medium",
        MISSING_CLAUSE,
        "no scheduled report (monthly service report, dashboard) and no review meeting (QBR) is committed",
        "Add: “The Provider shall deliver a monthly service report within 10 business days of each month end "
        "and hold a quarterly business review with the Client.”",
    )
