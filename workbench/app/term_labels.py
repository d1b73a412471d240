"""Contract terms in words: the label a person reads for a contract file's key
(``targets.P1.response`` -> "P1 response target"), used where extracted terms are
shown for confirmation."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["TERM_LABELS", "term_label"]

_METRICS = {
    "response": "response target",
    "resolution": "resolution target",
    "compliance_target": "share of tickets to meet the targets",
}

TERM_LABELS: Mapping[str, str] = {
    **{f"targets.{p}.{m}": f"{p} {words}" for p in ("P1", "P2", "P3", "P4") for m, words in _METRICS.items()},
    "calendars.business.weekly": "Business hours",
    "calendars.business.timezone": "Time zone of the business hours",
    "calendars.business.holidays": "Public holidays (no business hours)",
    "scope.helpdesk_hours": "Helpdesk hours",
    "backup.systems": "Backup RPO and RTO per system",
    "backup.restore_test_cadence": "Restore-test cadence",
    "backup.cloud_backup_monitoring": "Cloud backup monitoring",
    "backup.onprem_backup_monitoring": "On-premises backup monitoring",
    "service_credits": "Service credits for missed targets",
    "credits_cap_percent": "Cap on service credits (% of the fee)",
    "uptime": "Availability commitments",
    "reporting.cadence": "Reporting and review cadence",
    "reporting.kpis": "Reported KPIs",
    "security.soc_services": "SOC services",
    "security.log_monitoring": "Security log monitoring",
    "security.incident_escalation": "Security incident escalation steps",
    "security.breach_roles": "Roles during a breach",
    "security.endpoint_coverage": "Endpoint security coverage (EDR/XDR/MDR)",
    "security.licence_exclusions": "Excluded by licence",
    "escalation_matrix": "NOC/SOC escalation matrix",
    "client_obligations": "Client obligations",
    "compliance_mandates": "Compliance mandates",
    "pause_statuses": "Statuses that pause the clock",
    "name": "Contract name",
    "version": "Version label",
    "provider": "Provider",
    "client": "Client",
    "status": "Status",
    "effective_date": "Effective date",
    "last_reviewed": "Last reviewed",
    "monthly_fee": "Monthly fee",
    "currency": "Currency",
}


def term_label(path: str) -> str:
    """The words for a contract file's key; a key without its own label is spelled out
    (``backup.foo_bar`` -> "Backup: foo bar")."""
    known = TERM_LABELS.get(path)
    if known is not None:
        return known
    parts = [part.replace("_", " ") for part in path.split(".") if part]
    if not parts:
        return path
    head = parts[0][:1].upper() + parts[0][1:]
    return ": ".join([head, *parts[1:]]) if len(parts) > 1 else head

