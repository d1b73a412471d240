"""W08 Coverage mismatch: a material share of P1/P2 tickets opens outside their clock's coverage."""

from __future__ import annotations

from collections.abc import Iterator

from models.contract import LITERAL_24X7, PRIORITIES
from workbench.warnings.base import Finding, LintContext, check

MATERIAL_SHARE = 0.10  # a tenth of a priority's tickets
MIN_TICKETS = 10


@check(
    "W08", "Coverage mismatch", "history",
    means=(
        "A material share of the P1/P2 tickets opens outside the coverage hours of the calendar their "
        "clock runs on."
    ),
    why=(
        "A ticket opened out of hours waits until coverage starts: an urgent problem at night or at the"
        " weekend gets no promised response, however short the target."
    ),
    ask=(
        "Coverage that matches when urgent tickets happen (24x7 for P1, say), or an on-call arrangement"
        " with its own response target."
    ),
)
def coverage(ctx: LintContext) -> Iterator[Finding]:
    if ctx.contract is None or ctx.history is None or len(ctx.history.tickets) == 0:
        return
    engine = ctx.engine()
    for p in ("P1", "P2"):
        t = ctx.contract.targets.get(p)  # type: ignore[call-overload]
        if t is None:
            continue
        names = {t.calendar_for(m) for m in ("response", "resolution") if t.target_for(m) is not None}
        for name in sorted(names - {LITERAL_24X7}):
            spec = ctx.contract.calendars.get(name)
            if spec is None:
                continue
            group = PRIORITIES.index(p)
            n = len(engine.opened[group])
            share = engine.opened_outside(spec)[p]
            if share is None or n < MIN_TICKETS or share < MATERIAL_SHARE:
                continue
            outside = round(share * n)
            uncovered = ~engine.calendar(spec).is_covered(engine.opened[group])
            behind = tuple(str(i) for i in ctx.history.tickets.ids[engine.group_index[group][uncovered]])
            yield Finding(
                "W08",
                "high" if p == "P1" or share >= 0.25 else "medium",
                ctx.where(f"targets.{p}.response"),
                f"{outside} of {n} {p} tickets ({share:.0%}) opened outside the “{name}” calendar "
                f"({spec.timezone}) that their clock runs on",
                f"Run {p} on a round-the-clock calendar: “{p} targets are measured 24x7, including weekends "
                "and public holidays” — or add an out-of-hours on-call window priced separately.",
                tickets=behind,
            )
