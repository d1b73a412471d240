"""W14 Log monitoring gap: SOC services claimed but log monitoring frequency unstated or not 24/7."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import Finding, LintContext, check, quote


@check(
    "W14", "Log monitoring gap", "terms",
    means="SOC services are claimed but how often logs are monitored is unstated, or it is not 24/7.",
    why=(
        "Attacks happen at night and at weekends; logs watched only in business hours let an intrusion "
        "run for days."
    ),
    ask="24/7 log monitoring, the log sources it covers, and a response time for an alert.",
)
def log_gap(ctx: LintContext) -> Iterator[Finding]:
    t = ctx.terms
    soc = t.all("security.soc_services")
    logs = t.all("security.log_monitoring")
    if not soc and not logs:
        return
    if not soc and all(e.value != "unstated" for e in logs):
        return
    freqs = [e for e in logs if e.value not in (None, "unstated")]
    if any(e.value == "24/7" for e in freqs):
        return
    anchor = logs[0] if logs else soc[0]
    if freqs:
        evidence = (
            f"security monitoring is claimed but logs are monitored only “{freqs[0].value}”: "
            f"{quote(freqs[0].quote, 80)}"
        )
    else:
        evidence = (
            f"security monitoring is claimed ({quote(anchor.quote, 80)}) but how often logs are "
            "monitored is not stated"
        )
    yield Finding(
        "W14",
        "high" if freqs else "medium",
        anchor.clause,
        evidence,
        "Add: “Security logs are collected in the SIEM and monitored 24/7/365; alerts are triaged by a SOC "
        "analyst within 15 minutes.”",
    )
