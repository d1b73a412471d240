"""Codes in words, written once for both front ends: a warning code with its name, a
finding's heading, where a finding points (a clause number, or the term a contract
file cites by its key)."""

from __future__ import annotations

import re

from models.contract import DAY_TARGET_WORDS, LITERAL_24X7, format_duration, parse_duration
from workbench.app.term_labels import term_label
from workbench.app.ticket_time import duration_words
from workbench.documents.extract import contract_path
from workbench.warnings.base import REGISTRY, Finding, discover


def clause_words(clause: str) -> str:
    """``clause 2.1`` for a numbered clause; the term's label for a term a contract
    names by its key (``security.log_monitoring`` -> "Security log monitoring")."""
    text = clause.strip()
    if not text:
        return "no clause"
    if text.replace(".", "").isdigit() or not all(part.isidentifier() for part in text.split(".")):
        return f"clause {text}"
    return term_label(contract_path(text))


def code_title(code: str) -> str:
    """``W07 Targets weaker than the reference matrix``: the code with its catalogue name."""
    info = REGISTRY.get(code) or discover().get(code)
    return f"{code} {info.title}" if info is not None else code


def finding_heading(f: Finding) -> str:
    """``High · W07 Targets weaker than the reference matrix · clause 2``."""
    return f"{f.severity.capitalize()} · {code_title(f.code)} · {clause_words(f.clause)}"


def target_words(value: str) -> str:
    """A target as a contract says it: ``4h`` -> "4 h", ``next_business_day`` -> "next
    business day"; a value that is neither is shown as written."""
    if value in DAY_TARGET_WORDS:
        return DAY_TARGET_WORDS[value]
    try:
        return duration_words(parse_duration(value))
    except ValueError:
        return value


_SPOKEN_DURATION = re.compile(r"(?:(\d+) d)?\s*(?:(\d+) h)?\s*(?:(\d+) min)?")


def target_value(text: str) -> str:
    """The value a contract stores for a target written in words, the inverse of
    :func:`target_words`: "next business day" -> ``next_business_day``, "2 h 30 min" ->
    ``150m``; a target written as a contract file does (``1.5h``) or that is no target
    stays as typed (the contract's check names it)."""
    spaced = " ".join(text.split())
    for key, words in DAY_TARGET_WORDS.items():
        if spaced.lower() in (words, key):
            return key
    m = _SPOKEN_DURATION.fullmatch(spaced)
    if m is not None and any(m.groups()):
        days, hours, mins = (int(g) if g else 0 for g in m.groups())
        seconds = ((days * 24 + hours) * 60 + mins) * 60
        if seconds > 0:
            return format_duration(seconds)
    return spaced


def calendar_words(name: str | None) -> str:
    """A calendar's key as words: ``business`` -> "business hours", ``clinic_hours`` ->
    "clinic hours", ``24x7`` stays."""
    if not name:
        return "—"
    if name == LITERAL_24X7:
        return "24x7"
    words = name.replace("_", " ").strip()
    return words if words.lower().endswith("hours") else f"{words} hours"


TRIGGER_WORDS = {
    "per_breach": "each breached ticket",
    "compliance_below": "compliance below the threshold",
}


def trigger_words(trigger: str) -> str:
    """When a service credit is due, in words (``per_breach`` -> "each breached ticket")."""
    return TRIGGER_WORDS.get(trigger, trigger.replace("_", " "))
