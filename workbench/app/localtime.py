"""Times in the contract's own zone, written once: which zone the front ends show an
instant in, how they name it, and how an instant reads.

The contract's zone is its business calendar's (the calendar the targets run on);
a person may prefer UTC or another IANA zone instead (the GUI keeps that in its
preferences).  Every instant is stored as epoch seconds (UTC); only the display moves.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from models.contract import Contract

CONTRACT_ZONE = "contract"
"""The preference that shows times in the contract's zone (the default)."""

UTC_ZONE = "UTC"


def contract_zone(contract: Contract | None) -> str | None:
    """The IANA zone a contract's clock runs in: its ``business`` calendar's, else its
    first calendar's; None for a contract with no calendar (every target 24x7)."""
    if contract is None or not contract.calendars:
        return None
    cal = contract.calendars.get("business") or next(iter(contract.calendars.values()))
    return str(cal.timezone)


def display_zone(contract: Contract | None, preference: str = CONTRACT_ZONE) -> dt.tzinfo:
    """The zone to show instants in: the contract's (``preference`` "contract"; UTC when
    it has none), UTC, or the IANA zone named (an unknown name falls back to the
    contract's zone)."""
    if preference == UTC_ZONE:
        return dt.UTC
    if preference not in ("", CONTRACT_ZONE):
        zone = _zone(preference)
        if zone is not None:
            return zone
    name = contract_zone(contract)
    zone = _zone(name) if name else None
    return zone if zone is not None else dt.UTC


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a tzdata folder, a too long name
        return None


def zone_name(zone: dt.tzinfo) -> str:
    """The IANA name of ``zone`` (``UTC`` for UTC)."""
    if zone is dt.UTC or zone == dt.UTC:
        return "UTC"
    return str(getattr(zone, "key", None) or zone)


def zone_label(zone: dt.tzinfo) -> str:
    """How a column header or status line names the zone: ``UTC`` or ``Toronto time``."""
    name = zone_name(zone)
    if name == "UTC":
        return "UTC"
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time"


def format_instant(seconds: int, zone: dt.tzinfo, *, with_zone: bool = False) -> str:
    """``2026-11-01 09:30`` in ``zone`` (with its abbreviation, ``EST``, when asked)."""
    t = dt.datetime.fromtimestamp(int(seconds), zone)
    text = t.strftime("%Y-%m-%d %H:%M")
    return f"{text} {t.tzname()}" if with_zone else text


def local_date(seconds: int, zone: dt.tzinfo) -> dt.date:
    """The calendar date of an instant in ``zone`` (a ticket opened 21:00 EDT on March 31
    is March 31's, though it is April 1 in UTC)."""
    return dt.datetime.fromtimestamp(int(seconds), zone).date()


def local_days(first: dt.date, last: dt.date, zone: dt.tzinfo) -> tuple[int, int]:
    """The instants ``[start, end)`` of the local days ``first`` .. ``last`` (inclusive) in
    ``zone``: from ``first``'s midnight to the midnight after ``last`` (a DST day is 23 or
    25 hours long, not 24)."""
    from workbench.engine.calendar import DAY, local_instant  # the clock's own rule, on first use

    return local_instant(first, 0, zone), local_instant(last, DAY, zone)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone the system knows, sorted.  Found by walking the zone database's
    folders (some 600 files: 30-90 ms), so read once and kept; the GUI reads it on a
    pool thread before a view lists the zones."""
    return tuple(sorted(available_timezones()))


def zone_choices() -> list[str]:
    """The preference's choices: the contract's zone, UTC, then every IANA zone."""
    return [CONTRACT_ZONE, UTC_ZONE, *(z for z in zone_names() if z != "UTC")]
