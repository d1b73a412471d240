"""W11 Client obligations missing: change approval times, escalation contacts, severity matrix."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check

KINDS = {
    "change_approval": "change approval times",
    "escalation_contacts": "named escalation contacts",
    "severity_matrix": "a severity classification matrix",
}


@check(
    "W11", "Client obligations missing", "terms",
    means=(
        "No client duties: how fast changes are approved, named escalation contacts, a severity "
        "classification matrix."
    ),
    why=(
        "The provider's targets depend on the client's part; when the client's duties are not written "
        "down, every missed target can be blamed on waiting for the client."
    ),
    ask=(
        "The client's duties in writing: change approval times, named escalation contacts with "
        "deputies, and who classifies a ticket's severity and how."
    ),
)
def client_obligations(ctx: LintContext) -> Iterator[Finding]:
    present = {k: ctx.terms.first(f"client_obligations.{k}") for k in KINDS}
    missing = [label for k, label in KINDS.items() if present[k] is None]
    if not missing:
        return
    stated = [f"{KINDS[k]} ({e.clause})" for k, e in present.items() if e is not None]
    evidence = "no client duty for " + ", ".join(missing)
    if stated:
        evidence += "; stated: " + ", ".join(stated)
    yield Finding(
        "W11",
        "medium" if len(missing) == len(KINDS) else "low",
        MISSING_CLAUSE,
        evidence,
        "Add client duties: “The Client approves or rejects standard changes within 2 business days, names "
        "two escalation contacts (kept current at each quarterly review), and classifies incidents with the "
        "severity matrix in Schedule 2; time waiting on the Client pauses the resolution clock.”",
    )
