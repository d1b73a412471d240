"""The as-of rules, written once: how an as-of instant is parsed, and which date a
report is as of when none is given.  Both front ends call these; the clock is injected
(a :data:`models.clock.Clock` returning an aware datetime), never read from ``time``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from models.clock import Clock, aware_utc, utc_now
from workbench.errors import CommandError

if TYPE_CHECKING:
    from models.contract import Contract
    from models.history import History

__all__ = [
    "AS_OF_HELP",
    "AsOfError",
    "Clock",
    "aware_utc",
    "default_as_of",
    "file_clock",
    "latest_history_instant",
    "parse_as_of",
    "utc_now",
]

AS_OF_HELP = (
    "ISO 8601 date (YYYY-MM-DD: that day's midnight UTC) or instant with an offset "
    "(2026-11-01T09:00-05:00)"
)


class AsOfError(CommandError, ValueError):
    """An as-of text that is not an ISO 8601 date or an instant with an offset.  A
    :class:`CommandError` for the command line, a :class:`ValueError` for the API."""


def parse_as_of(text: str, flag: str = "--as-of") -> int:
    """An ISO 8601 instant with an offset (``Z`` allowed), or a date, which means that
    day's midnight UTC -> epoch seconds.  Errors name ``flag`` (the option or field the
    text came from)."""
    t = text.strip()
    if len(t) == 10:
        try:
            day = dt.date.fromisoformat(t)
        except ValueError:
            raise AsOfError(f"{flag}: not an ISO 8601 date or instant: {text!r}") from None
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
    try:
        d = dt.datetime.fromisoformat(t.replace("Z", "+00:00"))
    except ValueError:
        raise AsOfError(f"{flag}: not an ISO 8601 date or instant: {text!r}") from None
    if d.tzinfo is None:
        raise AsOfError(f"{flag}: {text!r} has no offset (write Z or +01:00, or give a date alone)")
    return int(d.timestamp())


def file_clock(path: str | os.PathLike[str]) -> Clock:
    """A clock that always reads the time ``path`` was last modified: the command line's
    clock for reports, so the same input files give the same bytes (no wall clock)."""
    stamp = dt.datetime.fromtimestamp(Path(path).stat().st_mtime, dt.UTC)
    return lambda: stamp


def latest_history_instant(history: History | None) -> int | None:
    """The latest instant the history records (tickets and status log), or None when it
    holds no tickets."""
    if history is None or not len(history.tickets):
        return None
    return int(history.latest_instant())


def default_as_of(history: History | None, new: Contract | None, clock: Clock = utc_now) -> dt.date:
    """The date a report on NEW is as of when none is given: the UTC date of the
    history's latest instant (tickets and status log); else NEW's effective date or last
    review, whichever is later; else today's UTC date by ``clock``.  ``new`` is a
    contract (or None)."""
    latest = latest_history_instant(history)
    if latest is not None:
        return dt.datetime.fromtimestamp(latest, dt.UTC).date()
    if new is not None:
        dates = [d for d in (new.effective_date, new.last_reviewed) if d is not None]
        if dates:
            return max(dates)
    return aware_utc(clock()).date()
