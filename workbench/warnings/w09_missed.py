"""W09 Missed commitments: simulated compliance below the committed level, or breaches with no credit."""

from __future__ import annotations

from collections.abc import Iterator

from models.contract import DAY_TARGET_WORDS, PRIORITIES
from workbench.engine.clock import BREACHED
from workbench.warnings.base import Finding, LintContext, check

TARGET_WORDS = {k: "the " + v for k, v in DAY_TARGET_WORDS.items()}


@check(
    "W09", "Missed commitments", "history",
    means=(
        "Replayed under the signed terms, the ticket history's compliance is below the committed level,"
        " or targets were breached and no credit is due for them."
    ),
    why="The provider is not delivering what was signed, and the client is not compensated for it.",
    ask=(
        "The credits owed for the breached targets, a remediation plan for each priority below its "
        "committed level, and compliance in every monthly report."
    ),
)
def missed(ctx: LintContext) -> Iterator[Finding]:
    if ctx.contract is None or ctx.history is None or len(ctx.history.tickets) == 0:
        return
    c = ctx.contract
    tickets = ctx.history.tickets
    result = ctx.simulate()

    behind: dict[tuple[str, str], tuple[str, ...]] = {}  # both findings of a target name the same tickets

    def breached(p: str, metric: str) -> tuple[str, ...]:
        got = behind.get((p, metric))
        if got is None:
            mask = (result.metric(metric).outcome == BREACHED) & (tickets.priority == PRIORITIES.index(p))
            got = behind[(p, metric)] = tuple(map(str, tickets.ids[mask]))
        return got

    for p, pr in sorted(result.by_priority.items()):
        t = c.targets.get(p)  # type: ignore[call-overload]
        if t is None:
            continue
        for metric in ("response", "resolution"):
            counts = pr.metric(metric)
            comp = counts.compliance
            raw = t.target_for(metric)
            if raw is None or comp is None:
                continue
            target = TARGET_WORDS.get(str(raw), str(raw))
            where = ctx.where(f"targets.{p}.{metric}")
            committed = t.compliance_target
            if committed is not None and comp < committed:
                yield Finding(
                    "W09",
                    "high" if p in ("P1", "P2") else "medium",
                    where,
                    f"{p} {metric} within {target}: simulated compliance {comp:.1%} "
                    f"({counts.met:,} met, {counts.breached:,} breached) is below the committed "
                    f"{committed:.0%}",
                    f"Hold the provider to {committed:.0%}: “Where monthly {p} {metric} compliance falls "
                    f"below {committed:.0%}, the Provider credits 5% of the monthly fee and presents a "
                    "remediation plan within 10 business days.”",
                    tickets=breached(p, metric),
                )
            credited = any(
                sc.metric == metric and (sc.priority is None or sc.priority == p) for sc in c.service_credits
            )
            if counts.breached and not credited:
                yield Finding(
                    "W09",
                    "medium" if p in ("P1", "P2") else "low",
                    where,
                    f"{counts.breached} {p} {metric} breaches of {target} ({counts.met} met, compliance "
                    f"{comp:.1%}) carry no service credit",
                    f"Tie a credit to the {p} {metric} target: “Each {p} {metric} breach credits 2% of the "
                    "monthly fee, capped at 20% per month.”",
                    tickets=breached(p, metric),
                )
