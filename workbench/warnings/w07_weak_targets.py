"""W07 Targets weaker than the reference matrix (editable: ``lint(..., reference=...)``).

Targets are compared in business hours: a duration counts as written; ``same_business_day``
counts as one business day and ``next_business_day`` as two (the longest wait either
allows), a business day being the longest day of the contract's calendars (8 h if none).
A time stated for all requests without a priority applies to every priority with no
target of its own (to P2-P4 when it is stated for non-emergency requests).
"""

from __future__ import annotations

from collections.abc import Iterator

from models.contract import DAY_TARGET_WORDS, parse_target
from workbench.documents.extract import Extracted
from workbench.warnings.base import Finding, LintContext, Severity, check, quote

SEVERITY: dict[str, Severity] = {"P1": "high", "P2": "medium", "P3": "low", "P4": "low"}
WORDS = DAY_TARGET_WORDS


def hours(target: str, day_hours: float, round_the_clock: bool = False, against_day: bool = False) -> float:
    """Business hours a target allows; a round-the-clock duration measured against a day
    target counts its elapsed days as business days (24 h ≈ one business day)."""
    kind, seconds = parse_target(target)
    if kind == "same_business_day":
        return day_hours
    if kind == "next_business_day":
        return 2 * day_hours
    assert seconds is not None
    if round_the_clock and against_day:
        return seconds / 86400 * day_hours
    return seconds / 3600


def _targets(ctx: LintContext, p: str, metric: str) -> list[Extracted]:
    own = [e for e in ctx.terms.all(f"targets.{p}.{metric}") if e.field == f"targets.{p}.{metric}"]
    if own:
        std = [e for e in own if e.detail.get("variant") in (None, "", "standard")]
        return std[:1] or own[:1]
    return [
        e
        for e in ctx.terms.all(f"targets.*.{metric}")
        if not (p == "P1" and e.detail.get("applies_to") == "non-emergency")
    ]


@check(
    "W07", "Targets weaker than the reference matrix", "terms",
    means=(
        "A target is looser than the reference matrix: P1 response over 1 hour, P1 resolution over 4 "
        "hours, P2 response over 2 hours, P2 resolution later than the same business day, P3 later than"
        " the next business day."
    ),
    why=(
        "Loose targets let slow service count as compliant; the reference matrix is what a business of "
        "this kind can expect."
    ),
    ask=(
        "Targets at the reference matrix, or a written reason why a weaker target is accepted and what "
        "it is priced at."
    ),
)
def weak_targets(ctx: LintContext) -> Iterator[Finding]:
    day = ctx.business_day_hours()
    for p, metrics in ctx.reference.items():
        for metric, ref in metrics.items():
            if ref is None:
                continue
            ref_h = hours(ref, day)
            for e in _targets(ctx, p, metric):
                try:
                    got_h = hours(
                        str(e.value), day, e.detail.get("calendar") == "24x7", ref.endswith("_business_day")
                    )
                except ValueError:
                    continue
                if got_h <= ref_h + 1e-9:
                    continue
                said = WORDS.get(str(e.value), str(e.value))
                scope = "" if e.field.startswith(f"targets.{p}.") else " (stated without a priority)"
                yield Finding(
                    "W07",
                    SEVERITY.get(p, "low"),
                    e.clause,
                    f"{p} {metric}: {said}{scope} {quote(e.quote, 80)} is weaker than the reference "
                    f"{WORDS.get(ref, ref)} (≈{got_h:g} vs {ref_h:g} business hours)",
                    f"Tighten to the reference: “{p} {metric} within {WORDS.get(ref, ref)}” "
                    f"(or record why a weaker target is accepted and what it is priced at).",
                )
                break
