"""W01 Vague commitments: a time or effort promise without a number."""

from __future__ import annotations

import re
from collections.abc import Iterator

from workbench.warnings.base import Finding, LintContext, check, quote

VAGUE = re.compile(
    r"\bas soon as (?:is )?(?:reasonably )?(?:possible|practicable|practical)\b|\bASAP\b"
    r"|\bas quickly as (?:is )?(?:reasonably )?(?:possible|practicable)\b"
    r"|\bas much notice as (?:is )?(?:reasonably )?(?:possible|practicable)\b"
    r"|\bpromptly\b|\bprompt (?:response|attention|action|manner)\b"
    r"|\bwithin a reasonable (?:time|period)\b|\breasonable (?:amount of |period of )?time\b"
    r"|\b(?:best|commercially reasonable|reasonable) (?:efforts?|endeavou?rs?)\b"
    r"|\bevery reasonable effort\b|\btimely(?: manner| fashion| basis)?\b"
    r"|\bwithout (?:undue )?delay\b|\bin due course\b|\bat the earliest opportunity\b|\bexpeditiously\b",
    re.I,
)
NUMBER = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:working |business )?(?:minutes?|mins?|hours?|hrs?|days?)\b"
    r"|\b(?:next|same) (?:business |working )?day\b",
    re.I,
)
SERVICE = re.compile(r"\b(respon|repl|resol|fix|support|tickets?|issues?|incidents?|restor|repair)", re.I)


def _sentences(text: str) -> Iterator[str]:
    """Sentences; in a table row (Markdown, tab-separated or flattened), a cell holding a vague
    phrase without a number ("| P4 | ASAP | 10 business days |") counts on its own, quoted with
    the row's label."""
    for s in re.split(r"(?<=[.;!?])\s+|\n\s*\n", text):
        prose = []
        for line in s.splitlines():
            if line.count("|") >= 2:
                cells = line.strip().strip("|").split("|")
            elif len(re.findall(r"\t+|\S {3,}(?=\S)", line.strip())) >= 2:  # tab-separated, flattened
                cells = re.split(r"\t+| {3,}", line.strip())
            else:
                prose.append(line)
                continue
            if any(VAGUE.search(c) and not NUMBER.search(c) for c in cells):
                label = cells[0].strip()
                yield " | ".join([label, *(c.strip() for c in cells[1:] if VAGUE.search(c))])
        if any(p.strip() for p in prose):
            yield "\n".join(prose)


@check(
    "W01", "Vague commitments", "text",
    means=(
        "A promise of time or effort has no number: “as soon as possible”, “promptly”, “reasonable "
        "time”, “best efforts”, “timely”."
    ),
    why=(
        "A promise without a number cannot be measured, reported or enforced: any delay can be called "
        "reasonable."
    ),
    ask=(
        "A stated time per priority (“P1 response within 1 hour”) on a named calendar in place of each "
        "vague phrase."
    ),
)
def vague(ctx: LintContext) -> Iterator[Finding]:
    for clause in ctx.document.clauses:
        phrases: list[str] = []
        sentences: list[str] = []
        for s in _sentences(clause.text):
            hits = [m.group(0) for m in VAGUE.finditer(" ".join(s.split()))]
            if hits and not NUMBER.search(s):  # a number in the same sentence bounds the promise
                phrases.extend(h.lower() for h in hits)
                sentences.append(s)
        if not phrases:
            continue
        about_service = any(SERVICE.search(s) for s in sentences)
        words = ", ".join(f"“{p}”" for p in dict.fromkeys(phrases))
        yield Finding(
            code="W01",
            severity="high" if about_service else "medium",
            clause=clause.ref,
            evidence=f"{words} with no number: {quote(sentences[0])}",
            suggestion="Replace the phrase with a measurable commitment, e.g. “The Provider shall respond "
            "within 1 hour (P1), 2 hours (P2) and by the next business day (P3), and resolve within 4 hours "
            "(P1) and the same business day (P2), measured on the coverage calendar in Schedule 1.”",
        )
