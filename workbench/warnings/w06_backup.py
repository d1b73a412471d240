"""W06 No backup and recovery commitments: RPO, RTO, restore-test cadence, monitoring scope."""

from __future__ import annotations

from collections.abc import Iterator

from workbench.warnings.base import MISSING_CLAUSE, Finding, LintContext, check, quote


@check(
    "W06", "No backup and recovery commitments", "terms",
    means=(
        "No recovery point objective (RPO) or recovery time objective (RTO), no restore-test cadence, "
        "or which backups are monitored (cloud, on-premises) is unstated."
    ),
    why=(
        "Without RPO and RTO nobody has agreed how much data may be lost or how long systems may be "
        "down; a backup is known to work only once a restore is tested."
    ),
    ask=(
        "RPO and RTO per system, a restore test at least every quarter with its result reported, and "
        "the systems (cloud and on-premises) backed up and monitored."
    ),
)
def no_backup(ctx: LintContext) -> Iterator[Finding]:
    t = ctx.terms
    missing = []
    if not any(e.value for e in t.all("backup.rpo")):
        missing.append("no RPO")
    if not any(e.value for e in t.all("backup.rto")):
        missing.append("no RTO")
    if not any(e.value for e in t.all("backup.restore_test_cadence")):
        missing.append("no restore-test cadence")
    mon = t.first("backup.monitoring")
    if mon is None or mon.value == "unstated":
        missing.append("backup monitoring scope (cloud, on-prem) unstated")
    if not missing:
        return
    mentions = t.all("backup.mentioned")
    headed = [e for e in mentions if "backup" in e.clause.lower()]
    pool = headed or mentions
    mention = pool[0] if pool else None
    evidence = "; ".join(missing)
    if mention is not None:
        evidence += f"; backups are mentioned only as {quote(mention.quote.lstrip('#').strip(), 120)}"
    yield Finding(
        "W06",
        "medium" if mention is not None and len(missing) < 4 else "high",
        mention.clause if mention is not None else MISSING_CLAUSE,
        evidence,
        "Add per system tier: “Tier 1 systems: RPO 1 hour, RTO 4 hours; Tier 2: RPO 24 hours, RTO 24 hours. "
        "Restores are tested quarterly and the results reported. The Provider monitors cloud (Microsoft "
        "365, SaaS) and on-premises backup jobs daily and remedies failures within one business day.”",
    )
