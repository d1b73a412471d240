"""W12 Tooling or licence exclusions: remediation depends on excluded tooling, or EDR/XDR/MDR unstated."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check, quote


@check(
    "W12", "Tooling or licence exclusions", "terms",
    means=(
        "Remediation depends on tooling the licence excludes (XDR not licensed, say), or the "
        "EDR/XDR/MDR coverage is unstated."
    ),
    why=(
        "A response promise means little if the tools to detect or contain a threat are not licensed; "
        "the gap shows during an incident."
    ),
    ask=(
        "Which endpoints and services EDR/XDR/MDR covers, which tooling the fee includes, and what the "
        "provider does where tooling is excluded."
    ),
)
def tooling(ctx: LintContext) -> Iterator[Finding]:
    t = ctx.terms
    seen: set[str] = set()
    for e in t.all("security.licence_exclusions"):
        key = str(e.value).split()[0].upper()
        if key in seen:
            continue
        seen.add(key)
        yield Finding(
            "W12",
            "medium",
            e.clause,
            f"{e.value} is excluded by licence: {quote(e.quote, 100)}; alert remediation that depends on it "
            "is not covered",
            f"State who remediates alerts without {e.value}: “Where {e.value} is not licensed, "
            "the Provider triages alerts from the Client's existing tooling within the P2 targets” "
            "— or price the licence.",
        )
    if not t.has("security.endpoint_coverage"):
        yield Finding(
            "W12",
            "low",
            MISSING_CLAUSE,
            "endpoint detection coverage (EDR, XDR or MDR) is not stated",
            "Add: “Endpoint coverage: EDR on all managed endpoints (licensed by the Provider); "
            "XDR and MDR are "
            "excluded unless ordered, in which case alert remediation is included.”",
        )
