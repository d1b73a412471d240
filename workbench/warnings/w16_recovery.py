"""W16 Recovery evidence falls short: backup gaps over RPO, restore tests over RTO, tests too far apart.

Measured as shared/spec/sla-clock.md "Other commitments" says: the worst gap between
consecutive successful backups of a system (and from the last one to as-of) against its
RPO; every successful restore test's duration against its RTO (a failed test is a
breach); the longest interval between tests (and from the last to as-of) against the
restore-test cadence.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.contract import parse_duration
from workbench.warnings.base import Finding, LintContext, check


def _tests(n: int) -> str:
    """'1 restore test', '3 restore tests'."""
    return f"{n} restore test{'' if n == 1 else 's'}"


def _fmt(seconds: float) -> str:
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds < 60:
        return f"{int(seconds)}s"
    hours, minutes = divmod(int(seconds // 60), 60)
    if not hours:
        return f"{minutes}m"
    return f"{hours}h" if not minutes else f"{hours}h{minutes:02d}m"


@check(
    "W16", "Recovery evidence falls short", "history",
    means=(
        "The backup and restore-test records show gaps between backups over the RPO, restore tests over"
        " the RTO, or tests further apart than the agreed cadence."
    ),
    why=(
        "The recovery commitments are not met in practice: a disaster now would lose more data, or take"
        " longer to recover from, than agreed."
    ),
    ask=(
        "The backup logs and restore-test reports of the systems concerned, the gaps remedied, and the "
        "recovery evidence in every monthly report."
    ),
)
def recovery(ctx: LintContext) -> Iterator[Finding]:
    c, h = ctx.contract, ctx.history
    if c is None or h is None or not (h.backups or h.restore_tests):
        return
    as_of = ctx.as_of if ctx.as_of is not None else h.latest_instant()
    suggestion_rpo = (
        "Make the RPO enforceable: “Backup job failures are alerted and re-run within 4 hours; a "
        "gap between successful backups longer than the RPO is a P2 incident and is reported.”"
    )
    for s in c.backup.systems:
        rpo = parse_duration(s.rpo)
        ok = sorted(int(b.finished_at.timestamp()) for b in h.backups if b.system == s.name and b.success)
        if not ok:
            if any(b.system == s.name for b in h.backups):
                yield Finding(
                    "W16",
                    "high",
                    ctx.where("backup.rpo"),
                    f"{s.name}: no successful backup in the history (RPO {s.rpo})",
                    suggestion_rpo,
                )
            continue
        points = ok + ([as_of] if as_of is not None and as_of > ok[-1] else [])
        worst = max((b - a for a, b in zip(points, points[1:], strict=False)), default=0)
        if worst > rpo:
            yield Finding(
                "W16",
                "high" if s.tier == 1 else "medium",
                ctx.where("backup.rpo"),
                f"{s.name}: worst gap between successful backups {_fmt(worst)} exceeds RPO {s.rpo}",
                suggestion_rpo,
            )
        rto = parse_duration(s.rto)
        tests = [r for r in h.restore_tests if r.system == s.name]
        failed = [r for r in tests if not r.success]
        slow = [r for r in tests if r.success and (r.finished_at - r.started_at).total_seconds() > rto]
        if failed or slow:
            parts = []
            if slow:
                longest = max((r.finished_at - r.started_at).total_seconds() for r in slow)
                parts.append(
                    f"{_tests(len(slow))} took longer than RTO {s.rto} (longest {_fmt(longest)})"
                )
            if failed:
                parts.append(f"{_tests(len(failed))} failed")
            yield Finding(
                "W16",
                "high",
                ctx.where("backup.rto"),
                f"{s.name}: " + "; ".join(parts),
                "Add: “A restore test that fails or exceeds the RTO is re-run within 10 business days "
                "and reported with its root cause.”",
            )
    cadence = c.backup.cadence_seconds()
    if cadence is not None:
        systems = {s.name for s in c.backup.systems} or {r.system for r in h.restore_tests}
        for name in sorted(systems):
            starts = sorted(int(r.started_at.timestamp()) for r in h.restore_tests if r.system == name)
            if not starts:
                yield Finding(
                    "W16",
                    "medium",
                    ctx.where("backup.restore_test_cadence"),
                    f"{name}: no restore test in the history (cadence {c.backup.restore_test_cadence})",
                    "Schedule and evidence restore tests: “Restore tests run every quarter per "
                    "system; the report lists date, duration and result.”",
                )
                continue
            points = starts + ([as_of] if as_of is not None and as_of > starts[-1] else [])
            worst = max((b - a for a, b in zip(points, points[1:], strict=False)), default=0)
            if worst > cadence:
                yield Finding(
                    "W16",
                    "medium",
                    ctx.where("backup.restore_test_cadence"),
                    f"{name}: restore tests {_fmt(worst)} apart, longer than the "
                    f"{c.backup.restore_test_cadence} cadence",
                    "Schedule and evidence restore tests: “Restore tests run every quarter per "
                    "system; the report lists date, duration and result.”",
                )
