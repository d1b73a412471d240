"""W13 Compliance mandates unaddressed.

With the client's mandates given (``lint(..., mandates=["Bill C-26", "CPPA"])``) it fires
when one of them is not referenced (high when none is).  Without them it fires (low)
when the agreement references no compliance regime at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@check(
    "W13", "Compliance mandates unaddressed", "terms",
    means=(
        "None of the compliance mandates set for the client (Bill C-26, CPPA, …) is referenced; with no"
        " mandates set, the agreement references no compliance regime at all."
    ),
    why=(
        "Regulators hold the client responsible for what its providers do; an agreement silent on the "
        "client's obligations leaves them unmet."
    ),
    ask=(
        "A clause naming the regulations the client is subject to and the provider's duties under each:"
        " reporting, breach notification, data residency, evidence for audits."
    ),
)
def mandates(ctx: LintContext) -> Iterator[Finding]:
    referenced = {_key(str(e.value)): e for e in ctx.terms.all("compliance_mandates")}
    text = _key(ctx.document.text)
    if ctx.mandates:
        missing = [m for m in ctx.mandates if _key(m) not in referenced and _key(m) not in text]
        if not missing:
            return
        named = ", ".join(sorted(str(e.value) for e in referenced.values())) or "none"
        yield Finding(
            "W13",
            "high" if len(missing) == len(ctx.mandates) else "medium",
            MISSING_CLAUSE,
            f"the client's mandates {', '.join(missing)} are not referenced (referenced: {named})",
            f"Add: “The Provider supports the Client's obligations under {', '.join(missing)}: incident "
            "reporting timelines, records of processing and evidence for audits are provided on request.”",
        )
        return
    if referenced:
        return
    yield Finding(
        "W13",
        "low",
        MISSING_CLAUSE,
        "no compliance mandate or regime (e.g. Bill C-26, CPPA, GDPR) is referenced",
        "Name the regimes the client is subject to and what the Provider does for each (breach reporting "
        "timelines, data residency, audit evidence).",
    )
