"""The clock type of the whole product, on the lowest floor so the store and every layer
above share it: a callable returning the current instant as an aware datetime.  Code that
needs "now" takes a clock argument (tests inject one); nothing reads ``time`` directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]
"""A clock: returns the current instant as an aware datetime."""


def utc_now() -> dt.datetime:
    """The default clock: now, aware (UTC)."""
    return dt.datetime.now(dt.UTC)


def aware_utc(now: dt.datetime, source: str = "clock") -> dt.datetime:
    """``now`` in UTC; a naive datetime is refused (every instant of the workbench is aware)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(
            f"{source}: a naive datetime ({now.isoformat()}); the clock must return an aware one"
        )
    return now.astimezone(dt.UTC)
