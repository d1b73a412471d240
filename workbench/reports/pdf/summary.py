"""The redline's executive summary, as data: what a client reads in five minutes.

* :func:`effect_size` / :func:`rank_changes`: the material changes ranked by the size of
  their own simulated effect (each change replayed alone, :mod:`.effects`), at most
  :data:`MAX_ITEMS`;
* :func:`change_phrase` / :func:`summary_sentence`: each in a plain sentence with its
  effect ("P1 resolution target 8 hours → 4 hours: 88% of the 420 P1 tickets opened
  2024-11..2026-11 would have met it, against 98%; service credits +13,776 CAD");
* :func:`build_summary`: those, the administrative changes in one line, the effect of all
  the changes together, the warning signs left in the new version (by name) and what to
  ask for (the warning registry's own advice).

Nothing here lays out a page; :mod:`.document` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from models.contract import LITERAL_24X7
from workbench.app.redline import ADMINISTRATIVE
from workbench.documents.diff import ContractDiff, TermChange
from workbench.reports.pdf.effects import ChangeEffect

MAX_ITEMS = 7
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def effect_size(effect: ChangeEffect | None) -> float:
    """The size of a change's own effect on the history, one number for all kinds: the
    largest of the compliance percentage points it moves (any priority and metric), the
    change in money it makes (credits owed over the history, or the fee itself) in percent
    of one year's fee, and the share of days, restore tests or months whose recovery
    outcome it turns, in points.  0 for no measured effect (or none measured)."""
    if effect is None:
        return 0.0
    return max(effect.points, effect.credits, effect.recovery, 0.0)


def rank_changes(
    terms: Sequence[TermChange], effects: Mapping[str, ChangeEffect], limit: int = MAX_ITEMS
) -> list[TermChange]:
    """The material term changes (not :data:`~workbench.app.redline.ADMINISTRATIVE`) with a
    measured effect, largest first (equal sizes keep the agreement's order), at most
    ``limit``.  Without any measured effect, the first ``limit`` material changes in the
    agreement's order."""
    material = [t for t in terms if t.key not in ADMINISTRATIVE]
    sized = [(effect_size(effects.get(t.key)), k, t) for k, t in enumerate(material)]
    if not any(size > 0 for size, _k, _t in sized):
        return material[:limit]
    ranked = sorted((x for x in sized if x[0] > 0), key=lambda x: (-x[0], x[1]))
    return [t for _s, _k, t in ranked[:limit]]


def _calendar_word(name: str | None) -> str:
    if name is None:
        return "none"
    return "24x7" if name == LITERAL_24X7 else name.replace("_", " ")


def _clip(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip(" ,;") + "…"


def change_phrase(tc: TermChange, diff: ContractDiff) -> str:
    """The change in a few words: 'P1 resolution target 8 hours → 4 hours'; a clock by its
    calendars' names ('P1 response clock business → 24x7'), long values clipped."""
    old, new = diff.old.contract, diff.new.contract
    if tc.key.startswith("targets.") and tc.key.endswith("_calendar") and old and new:
        _t, prio, field_ = tc.key.split(".", 2)
        metric = field_.split("_", 1)[0]
        return (f"{tc.label} {_calendar_word(old.calendar_name(prio, metric))} → "
                f"{_calendar_word(new.calendar_name(prio, metric))}")
    if tc.kind == "added":
        return f"{tc.label} added: {_clip(tc.new or '')}"
    if tc.kind == "removed":
        return f"{tc.label} removed: {_clip(tc.old or '')}"
    return f"{tc.label} {_clip(tc.old or '', 60)} → {_clip(tc.new or '', 60)}"


def summary_sentence(tc: TermChange, diff: ContractDiff, effect: ChangeEffect | None) -> str:
    """'<change>: <its own effect>', or the change alone when it has no measured effect."""
    phrase = change_phrase(tc, diff)
    if effect is not None and effect.sentence and effect_size(effect) > 0:
        return f"{phrase}: {effect.sentence}"
    return phrase


@dataclass(frozen=True)
class ExecutiveSummary:
    items: tuple[str, ...]  # the material changes, each a plain sentence, ranked
    further: int  # material changes not among the items
    administrative: str  # "Version 2025 → 2026; Status signed → proposal; …" or ""
    measured: bool  # the effects were simulated on a history
    combined: tuple[str, ...]  # the effect of all the changes together
    warnings: tuple[str, ...]  # "Vague wording (high)", by name
    asks: tuple[tuple[str, str], ...]  # (warning name, what to ask for)
    warnings_checked: bool = True
    further_measured: int = 0  # of the further changes, those with a (smaller) measured effect
    note: str = ""  # what the effects were measured on, and how


def administrative_line(terms: Sequence[TermChange], rationale: Mapping[str, str] | None = None) -> str:
    """The administrative changes in one line; with ``rationale``, each one's reason after it
    ("Effective date 2025-06-01 → 2027-01-01 (why: the renewal starts with the fiscal year)"):
    a reason given for an administrative key is printed here, as they are not numbered changes."""
    def why(t: TermChange) -> str:
        text = " ".join((rationale or {}).get(t.key, "").split())
        return f" (why: {text})" if text else ""

    return "; ".join(f"{t.label} {t.old or 'none'} → {t.new or 'none'}{why(t)}" for t in terms
                     if t.key in ADMINISTRATIVE)


def warning_names(findings: Sequence[Any] | None) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The warning signs by name with their worst severity, the most severe first, and what
    to ask for about each (the registry's advice, once per sign)."""
    if not findings:
        return (), ()
    from workbench.warnings import catalogue

    cat = catalogue()
    worst: dict[str, str] = {}
    for f in findings:
        if f.code not in worst or SEVERITY_ORDER.get(f.severity, 3) < SEVERITY_ORDER.get(worst[f.code], 3):
            worst[f.code] = f.severity
    codes = sorted(worst, key=lambda c: (SEVERITY_ORDER.get(worst[c], 3), c))
    names = tuple(f"{cat[c].title if c in cat else c} ({worst[c]})" for c in codes)
    asks = tuple((cat[c].title, cat[c].ask) for c in codes if c in cat and cat[c].ask)
    return names, asks


def build_summary(
    diff: ContractDiff,
    effects: Mapping[str, ChangeEffect],
    combined: Sequence[str],
    findings: Sequence[Any] | None,
    measured: bool,
    note: str = "",
) -> ExecutiveSummary:
    ranked = rank_changes(diff.terms, effects)
    items = [summary_sentence(t, diff, effects.get(t.key) if measured else None) for t in ranked]
    material = [t for t in diff.terms if t.key not in ADMINISTRATIVE]
    clauses = diff.clause_changes
    if not material and clauses:  # documents without structured terms: the clauses speak
        items = [f"Clause {c.title}: {c.kind}" for c in clauses[:MAX_ITEMS]]
        further = len(clauses) - len(items)
    else:
        further = len(material) - len(items)
    listed = {t.key for t in ranked}
    further_measured = sum(1 for t in material if t.key not in listed and effect_size(effects.get(t.key)) > 0)
    names, asks = warning_names(findings)
    return ExecutiveSummary(
        items=tuple(items),
        further=further,
        administrative=administrative_line(diff.terms),
        measured=measured,
        combined=tuple(combined) if measured else (),
        warnings=names,
        asks=asks,
        warnings_checked=findings is not None,
        further_measured=further_measured if measured else 0,
        note=note,
    )
