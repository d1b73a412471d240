"""W17 KPIs not reported: reporting omits MTTR, patch compliance or threat resolution."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import Finding, LintContext, check

KPIS = ("MTTR", "patch compliance", "threat resolution")


@check(
    "W17", "KPIs not reported", "terms",
    means="The reporting clause omits MTTR, patch compliance or threat resolution.",
    why=(
        "What is not reported is not managed: without these figures the client cannot see whether the "
        "service improves."
    ),
    ask=(
        "MTTR, patch compliance and threats detected and resolved in the monthly report, each against "
        "its target."
    ),
)
def kpis(ctx: LintContext) -> Iterator[Finding]:
    got = {str(e.value).lower() for e in ctx.terms.all("reporting.kpis")}
    missing = [k for k in KPIS if k.lower() not in got]
    if not missing:
        return
    report = ctx.terms.first("reporting.cadence")
    where = report.clause if report is not None else "missing"
    evidence = (
        f"the {report.value} omits {', '.join(missing)}"
        if report is not None
        else f"no report carries {', '.join(missing)}"
    )
    yield Finding(
        "W17",
        "low" if report is not None and len(missing) < len(KPIS) else "medium",
        where,
        evidence,
        "Add to the monthly report: “MTTR per priority, patch compliance (share of endpoints patched within "
        "14 days) and threats detected versus resolved.”",
    )
