"""A contract's validation error in a person's words: where (``targets.P1.response`` ->
"P1 response target", ``backup.systems.0.rto`` -> "Backup RPO and RTO per system, row 1,
RTO") and what (pydantic's "Input should be greater than or equal to 0" -> "must be 0 or
more"), for the editor to show beside the field."""

from __future__ import annotations

import re
from collections.abc import Mapping

from workbench.app.term_labels import TERM_LABELS, term_label

__all__ = ["error_words", "field_words", "plain_message"]

DAYS = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
    "sat": "Saturday", "sun": "Sunday",
}
_TARGET_PARTS = {
    "calendar": "calendar",
    "response_calendar": "response calendar",
    "resolution_calendar": "resolution calendar",
}
_CALENDAR_PARTS = {
    "weekly": "weekly hours",
    "timezone": "time zone",
    "holidays": "holidays",
    "holidays.country": "holiday country",
    "holidays.subdivision": "holiday region",
    "holidays.add": "extra holidays",
    "holidays.remove": "working days",
}


def _spelled(key: str) -> str:
    text = key.replace("_", " ").strip()
    return text.upper() if text in ("rpo", "rto", "url") else text


def field_words(path: str, columns: Mapping[str, str] | None = None) -> str:
    """Where an error is, in words.  ``columns``: the titles of a table's columns as the
    editor shows them (``{"rto": "RTO"}``), for the cells of a list."""
    parts = [p for p in path.split(".") if p]
    if not parts:
        return ""
    if parts[0] == "targets" and len(parts) >= 3:
        p, part = parts[1], ".".join(parts[2:])
        known = TERM_LABELS.get(f"targets.{p}.{part}")
        return known or f"{p} {_TARGET_PARTS.get(part, _spelled(part))}"
    if parts[0] == "calendars" and len(parts) >= 2:
        name, below = parts[1], parts[2:]
        day = DAYS.get(below[-1]) if len(below) >= 2 and below[0] == "weekly" else None
        if day is not None:
            below = below[:-1]
        key = f"calendars.{name}.{'.'.join(below)}" if below else ""
        words = TERM_LABELS.get(key) or (
            f"“{name}” calendar, {_CALENDAR_PARTS.get('.'.join(below), ' '.join(map(_spelled, below)))}"
            if below
            else f"“{name}” calendar"
        )
        return f"{words}, {day}" if day else words
    # the longest prefix with a label, then the list row and column below it
    n = next((k for k in range(len(parts), 1, -1) if ".".join(parts[:k]) in TERM_LABELS), 1)
    words, rest = term_label(".".join(parts[:n])), parts[n:]
    if rest and rest[0].isdigit():
        words += f", row {int(rest[0]) + 1}"
        rest = rest[1:]
    if rest:
        col = ".".join(rest)
        words += f", {(columns or {}).get(col) or _spelled(col)}"
    return words


_PLAIN = (
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"must be \1 or more"),
    (re.compile(r"^Input should be greater than (\S+)$"), r"must be more than \1"),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"must be \1 or less"),
    (re.compile(r"^Input should be less than (\S+)$"), r"must be less than \1"),
    (re.compile(r"^Input should be a valid (number|integer).*$"), r"must be a number"),
    (re.compile(r"^Input should be a valid date.*$"), "must be a date (YYYY-MM-DD)"),
    (re.compile(r"^Input should be a valid boolean.*$"), "must be yes or no"),
    (re.compile(r"^Field required$"), "is required"),
    (re.compile(r"^Value error, "), ""),
)


def plain_message(message: str) -> str:
    """A validator's message without pydantic's wording."""
    text = message.strip()
    for pattern, repl in _PLAIN:
        text = pattern.sub(repl, text)
    return text


def error_words(path: str, message: str, columns: Mapping[str, str] | None = None) -> str:
    """``P1 response target: bad duration 'soon': …``; a path-less error is its message."""
    where = field_words(path, columns)
    text = plain_message(message)
    return f"{where}: {text}" if where else text
