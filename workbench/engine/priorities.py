"""Map the priority names of proposals and exports onto P1-P4, explicitly.

Providers name their levels in many ways: ``Severity 1``-``4``, ``Sev 2``, ``S3``,
``Priority 1``, ``1 - Critical`` (ServiceNow), ``Urgent/High/Normal/Low`` (Zendesk),
``Critical/High/Medium/Low``, ``Highest … Lowest`` (Jira).  The workbench never
guesses silently: :func:`normalise_priority_names` returns the mapping *and* a
one-line reason for each name, which the GUI, the compare report and the importers
show next to the results.

Rules, in order:

1. **A number** in the name (``P2``, ``Sev 2``, ``Severity-2``, ``Priority 2``,
   ``2 - High``, ``2``) decides: level *n* is P\\ *n*.  If the names include a level
   0 (``P0``/``Sev 0`` schemes), every number moves down by one (0 -> P1).  Levels
   past 4 are merged into P4, and the reason says so.
2. **Words** are read against named schemes, tried in order; the first scheme that
   holds every word-only name of the input decides all of them, so ``High`` is P2
   both in *Critical/High/Medium/Low* and in *Urgent/High/Normal/Low*:

   ========================  =====================================================
   scheme                    levels -> priorities
   ========================  =====================================================
   critical                  Critical P1, High P2, Medium P3, Low P4
   urgent                    Urgent P1, High P2, Normal P3, Low P4
   emergency                 Emergency P1, High P2, Medium/Normal P3, Low P4
   jira                      Highest P1, High P2, Medium P3, Low P4, Lowest P4
   jira-legacy               Blocker P1, Critical P2, Major P3, Minor P4, Trivial P4
   ========================  =====================================================

   A set that uses only some levels (``High, Low``) keeps the absolute meaning of
   its scheme (P2, P4): a subset of the data never shifts the scale.
3. Anything else is an error naming the names that could not be read; pass
   ``overrides`` to settle them by hand (an override always wins and is reported
   as such).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from models.contract import PRIORITIES


class PriorityNameError(ValueError):
    """Some priority names could not be mapped to P1-P4; the message lists them."""


class PriorityMapping(dict[str, str]):
    """``{original name: "P1".."P4"}`` with the reason for each entry.

    A plain ``dict`` for every caller that only needs the mapping;
    ``explanation[name]`` gives the reason and :meth:`describe` a printable table.
    """

    def __init__(self, mapping: Mapping[str, str], explanation: Mapping[str, str], scheme: str) -> None:
        super().__init__(mapping)
        self.explanation: dict[str, str] = dict(explanation)
        self.scheme = scheme

    def is_identity(self) -> bool:
        return all(k == v for k, v in self.items())

    def describe(self) -> str:
        """One line per name: ``Severity 1 -> P1  (number 1 in the name)``."""
        if not self:
            return "(no priority names)"
        width = max(len(k) for k in self)
        return "\n".join(
            f"{name.ljust(width)} -> {p}  ({self.explanation[name]})" for name, p in self.items()
        )

    def rows(self) -> list[dict[str, str]]:
        """``[{"name", "priority", "reason"}]`` for tables and JSON."""
        return [{"name": k, "priority": v, "reason": self.explanation[k]} for k, v in self.items()]


# Word schemes, tried in order: word -> level (1-based, > 4 merges into P4).
SCHEMES: tuple[tuple[str, dict[str, int]], ...] = (
    ("critical", {"critical": 1, "high": 2, "medium": 3, "low": 4}),
    ("urgent", {"urgent": 1, "high": 2, "normal": 3, "low": 4}),
    ("emergency", {"emergency": 1, "high": 2, "medium": 3, "normal": 3, "low": 4}),
    ("jira", {"highest": 1, "high": 2, "medium": 3, "low": 4, "lowest": 5}),
    ("jira-legacy", {"blocker": 1, "critical": 2, "major": 3, "minor": 4, "trivial": 5}),
)

_NUMBER_RE = re.compile(
    r"^\s*(?:(?:p|priority|prio|sev|severity|s|level|lvl|l|tier)\s*[-_#:.]?\s*)?(\d{1,2})(?:\b|(?=[^\d]))",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[a-z]+")


def _number(name: str) -> int | None:
    m = _NUMBER_RE.match(name)
    return int(m.group(1)) if m else None


def _word(name: str) -> str:
    """The scheme word of a name: ``"  URGENT "`` -> ``urgent``, ``"High priority"`` -> ``high``."""
    words = _WORD_RE.findall(name.lower())
    known = {w for _, levels in SCHEMES for w in levels}
    hit = next((w for w in words if w in known), None)
    return hit if hit is not None else " ".join(words)


def _level_to_priority(level: int) -> str:
    return PRIORITIES[min(max(level, 1), len(PRIORITIES)) - 1]


def normalise_priority_names(
    names: Iterable[str], overrides: Mapping[str, str] | None = None
) -> PriorityMapping:
    """Map each distinct name to P1-P4 and say why; raise :class:`PriorityNameError`
    listing every name that could not be read.

    >>> m = normalise_priority_names(["Severity 1", "Severity 2"])
    >>> dict(m)
    {'Severity 1': 'P1', 'Severity 2': 'P2'}
    """
    overrides = dict(overrides or {})
    for name, p in overrides.items():
        if p not in PRIORITIES:
            raise PriorityNameError(f"override for {name!r}: {p!r} is not one of P1, P2, P3, P4")
    distinct: list[str] = []
    for n in names:
        n = str(n)
        if n not in distinct:
            distinct.append(n)

    mapping: dict[str, str] = {}
    why: dict[str, str] = {}
    numbered: dict[str, int] = {}
    worded: dict[str, str] = {}
    for n in distinct:
        if n in overrides:
            mapping[n], why[n] = overrides[n], "set by hand"
            continue
        num = _number(n)
        if num is not None:
            numbered[n] = num
        else:
            worded[n] = _word(n)

    shift = 1 if numbered and min(numbered.values()) == 0 else 0
    for n, num in numbered.items():
        level = num + shift
        p = _level_to_priority(level)
        reason = f"level {num} in the name"
        if shift:
            reason += " (a scheme starting at 0: shifted by one)"
        if level > len(PRIORITIES):
            reason += f"; levels past {len(PRIORITIES)} are merged into P4"
        mapping[n], why[n] = p, reason

    scheme_used = "numbered" if numbered and not worded else ""
    unknown: list[str] = []
    if worded:
        wanted = set(worded.values())
        scheme = next(((s, levels) for s, levels in SCHEMES if wanted <= set(levels)), None)
        if scheme is None:
            # Fall back word by word: still explicit, but say which scheme each came from.
            for n, w in worded.items():
                hit = next(((s, levels[w]) for s, levels in SCHEMES if w in levels), None)
                if hit is None:
                    unknown.append(n)
                    continue
                s, level = hit
                mapping[n] = _level_to_priority(level)
                why[n] = f"{w!r} is level {level} of the {s} scheme (names mix schemes)"
            scheme_used = "mixed"
        else:
            s, levels = scheme
            order = ", ".join(k.capitalize() for k in levels)
            for n, w in worded.items():
                level = levels[w]
                reason = f"{w!r} is level {level} of the {s} scheme ({order})"
                if level > len(PRIORITIES):
                    reason += "; merged into P4"
                mapping[n], why[n] = _level_to_priority(level), reason
            scheme_used = s if not numbered else "mixed"
    if unknown:
        known = sorted({w for _, levels in SCHEMES for w in levels})
        raise PriorityNameError(
            "cannot map priority name(s) "
            + ", ".join(repr(u) for u in unknown)
            + " to P1-P4: use a number (P1, Sev 1, Severity 1, 1 - Critical) or one of "
            + ", ".join(known)
            + ", or set the mapping by hand"
        )
    ordered = {n: mapping[n] for n in distinct}
    return PriorityMapping(ordered, {n: why[n] for n in distinct}, scheme_used or "set by hand")


def normalise_priority_keys(
    data: Mapping[str, object], overrides: Mapping[str, str] | None = None
) -> tuple[dict[str, object], PriorityMapping]:
    """Re-key a ``{priority name: value}`` mapping (e.g. a proposal's ``targets``) to P1-P4.

    Two names that land on the same priority are an error: the proposal must be read
    by hand (the caller passes ``overrides``).
    """
    mapping = normalise_priority_names([str(k) for k in data], overrides)
    out: dict[str, object] = {}
    source: dict[str, str] = {}
    for name, value in data.items():
        p = mapping[str(name)]
        if p in out:
            raise PriorityNameError(
                f"priority names {source[p]!r} and {name!r} both map to {p}: "
                "set the mapping by hand"
            )
        out[p], source[p] = value, str(name)
    return out, mapping
