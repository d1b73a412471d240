"""Calendar quarters, written once: which quarter a report covers and the one before.

Quarters are calendar quarters of local dates in the contract's zone; bounds are
``[start, end)`` epoch seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter (``year``, ``number`` 1..4)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"quarter number {self.number}: must be 1..4")

    @property
    def label(self) -> str:
        """``Q3 2026``."""
        return f"Q{self.number} {self.year}"

    @property
    def key(self) -> str:
        """``2026Q3`` (the command line's form)."""
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    def next(self) -> Quarter:
        return Quarter(self.year, self.number + 1) if self.number < 4 else Quarter(self.year + 1, 1)

    def same_last_year(self) -> Quarter:
        return Quarter(self.year - 1, self.number)

    def bounds(self, zone: tzinfo | None) -> tuple[int, int]:
        """``[start, end)`` epoch seconds of the quarter's local dates in ``zone``."""
        tz = zone or UTC
        start, end = self.first_day, self.next().first_day
        return (
            int(datetime(start.year, start.month, 1, tzinfo=tz).timestamp()),
            int(datetime(end.year, end.month, 1, tzinfo=tz).timestamp()),
        )

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026Q3``, ``2026-Q3`` or ``Q3 2026``."""
        t = text.strip().upper().replace("-", "").replace(" ", "")
        if t.startswith("Q") and len(t) == 6:
            t = t[2:] + "Q" + t[1]
        if len(t) == 6 and t[4] == "Q" and t[:4].isdigit() and t[5].isdigit():
            return cls(int(t[:4]), int(t[5]))
        raise ValueError(f"{text!r}: not a quarter (write 2026Q3)")


def last_full_quarter(as_of: int, zone: tzinfo | None) -> Quarter:
    """The last calendar quarter that ended by ``as_of`` (epoch seconds; local dates in
    ``zone``)."""
    d = datetime.fromtimestamp(as_of, zone or UTC).date()
    return Quarter.of(d).previous()


def review_quarter(as_of: int, zone: tzinfo | None, opened: Any) -> Quarter:
    """The quarter a review shows by default: the last full quarter by ``as_of`` that
    holds tickets (``opened``: their opening instants), so a history that stopped
    earlier is not shown as an empty quarter; the last full quarter when none does."""
    last = last_full_quarter(as_of, zone)
    if not len(opened):
        return last
    import numpy as np

    newest = int(np.max(opened[opened <= last.bounds(zone)[1]], initial=-(2**62)))
    if newest <= -(2**62):
        return last
    return min(last, Quarter.of(datetime.fromtimestamp(newest, zone or UTC).date()),
               key=lambda q: (q.year, q.number))
