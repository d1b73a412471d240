"""W03 No cybersecurity separation: SOC scope, NOC/SOC boundary, security escalation path."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check, quote


@check(
    "W03", "No cybersecurity separation", "terms",
    means=(
        "No SOC scope, no boundary between the provider's operations (NOC) and security (SOC) work, or "
        "no escalation path for security incidents."
    ),
    why=(
        "A security incident handled as an ordinary ticket waits in the helpdesk queue; where nobody "
        "owns the boundary an intrusion falls between teams."
    ),
    ask=(
        "The SOC's scope, which incidents go to the SOC and which to the NOC, and the escalation path "
        "and times for a security incident."
    ),
)
def no_separation(ctx: LintContext) -> Iterator[Finding]:
    t = ctx.terms
    rules = [e.value for e in t.all("security.escalation_rule")]
    has_soc_rule = any(r.get("team") == "SOC" for r in rules)
    soc = t.all("security.soc_services")
    boundary = t.first("security.noc_soc_boundary") is not None or (
        has_soc_rule and any(r.get("team") in ("NOC", "Helpdesk") for r in rules)
    )
    escalation = t.first("security.incident_escalation") is not None or has_soc_rule
    missing = []
    if not soc:
        missing.append("no SOC scope (services such as incident detection, threat hunting, log monitoring)")
    if not boundary:
        missing.append("no NOC/SOC (MSP/MSSP) boundary")
    if not escalation:
        missing.append("no escalation path for security incidents")
    if not missing:
        return
    evidence = "; ".join(missing)
    if soc:
        evidence += f"; security scope stated only as {quote(soc[0].quote, 80)} ({soc[0].clause})"
    yield Finding(
        "W03",
        "high" if len(missing) >= 2 else "medium",
        soc[0].clause if soc and len(missing) < 3 else MISSING_CLAUSE,
        evidence,
        "Add a security schedule: “SOC services: incident detection, threat hunting and 24/7 log monitoring "
        "via SIEM. Antivirus alerts are triaged by the MSP (NOC); lateral movement or credential theft is "
        "escalated to the MSSP (SOC) within 15 minutes; SIEM log anomalies go to a SOC analyst; user "
        "lockouts are Helpdesk tickets.”",
    )
