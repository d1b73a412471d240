"""W15 Breach roles undefined: containment owner; vendor, auditor and regulator contact."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check

ROLES = {
    "containment": "who owns containment",
    "vendor": "who contacts vendors",
    "auditor": "who deals with auditors",
    "regulator": "who contacts regulators",
}


@check(
    "W15", "Breach roles undefined", "terms",
    means=(
        "No owner for containment during an incident, no roles for contacting vendors, auditors or "
        "regulators."
    ),
    why=(
        "In a breach the first hours decide the damage; working out who does what during the incident "
        "costs time and can miss notification deadlines."
    ),
    ask=(
        "An incident response clause: who contains, who decides, who notifies the insurer, auditors and"
        " regulators, and within which times."
    ),
)
def breach_roles(ctx: LintContext) -> Iterator[Finding]:
    have = {r: ctx.terms.first(f"security.breach_roles.{r}") for r in ROLES}
    missing = [label for r, label in ROLES.items() if have[r] is None]
    if not missing:
        return
    stated = [f"{r} ({e.clause})" for r, e in have.items() if e is not None]
    note = ctx.terms.first("security.breach_roles.notification")
    if note is not None:
        stated.append(f"breach notification ({note.clause})")
    evidence = "not defined during an incident: " + "; ".join(missing)
    if stated:
        evidence += "; stated: " + ", ".join(stated)
    yield Finding(
        "W15",
        "high" if have["containment"] is None else "medium",
        MISSING_CLAUSE,
        evidence,
        "Add a breach-roles table: “Containment: the MSSP isolates affected hosts within 30 minutes of "
        "confirmation; vendor contact: the MSP; auditors and regulators: the Client's privacy officer, "
        "supported by the Provider's incident report within 24 hours.”",
    )
