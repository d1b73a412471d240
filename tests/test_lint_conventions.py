"""The lint follows the domain conventions: an injected clock (never the wall clock), the
progress/cancel callback of long calls, and aware instants only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from models.contract import contract_from_data
from workbench.warnings import lint

CONTRACT = {
    "name": "Clock MSA",
    "version": "v1",
    "last_reviewed": "2026-01-10",
    "calendars": {
        "business": {
            "timezone": "America/Toronto",
            "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        }
    },
    "targets": {
        "P1": {"response": "1h", "resolution": "4h", "calendar": "business", "compliance_target": 0.95},
        "P2": {"response": "2h", "resolution": "8h", "calendar": "business"},
    },
}


def _w10(findings: list) -> list:  # type: ignore[type-arg]
    return [f for f in findings if f.code == "W10"]


# ------------------------------------------------------------------------- clock


def test_w10_without_history_or_as_of_reads_the_injected_clock() -> None:
    c = contract_from_data(CONTRACT)
    soon = lint(c, clock=lambda: datetime(2026, 2, 1, 12, tzinfo=UTC))
    assert _w10(soon) == []  # 22 days after the review
    late = _w10(lint(c, clock=lambda: datetime(2026, 12, 1, 12, tzinfo=UTC)))
    assert len(late) == 1
    assert "last reviewed 2026-01-10: 325 days before 2026-12-01" in late[0].evidence


def test_the_clock_is_read_in_utc_and_must_be_aware() -> None:
    c = contract_from_data(CONTRACT)
    # 2026-04-12 23:30 at UTC-5 is 2026-04-13 in UTC: 93 days after the review, stale
    west = timezone(timedelta(hours=-5))
    late = _w10(lint(c, clock=lambda: datetime(2026, 4, 12, 23, 30, tzinfo=west)))
    assert len(late) == 1 and "93 days before 2026-04-13" in late[0].evidence
    with pytest.raises(ValueError, match="clock: a naive datetime"):
        lint(c, clock=lambda: datetime(2026, 4, 12, 23, 30))


def test_an_as_of_wins_over_the_clock() -> None:
    c = contract_from_data(CONTRACT)

    def never() -> datetime:
        raise AssertionError("the clock was read although an as-of was given")

    assert _w10(lint(c, as_of=date(2026, 2, 1), clock=never)) == []
    assert len(_w10(lint(c, as_of="2026-12-01", clock=never))) == 1


# ------------------------------------------------------------------------- as-of


def test_as_of_text_is_a_date_or_an_aware_instant() -> None:
    """As on the command line (``--as-of``): a date alone is its midnight UTC; a time
    needs an offset, as an ``as_of`` datetime does."""
    c = contract_from_data(CONTRACT)
    with pytest.raises(ValueError, match="no offset"):
        lint(c, as_of="2026-12-01T10:00")
    with pytest.raises(ValueError, match="time zone offset"):
        lint(c, as_of=datetime(2026, 12, 1, 10))
    assert _w10(lint(c, as_of="2026-04-12")) == []  # 92 days: within the quarter
    assert len(_w10(lint(c, as_of="2026-04-13"))) == 1  # 93 days
    late = _w10(lint(c, as_of="2026-04-13T02:00+05:00"))  # 2026-04-12 21:00 UTC
    assert late == []
    assert len(_w10(lint(c, as_of="2026-04-12T21:00-05:00"))) == 1  # 2026-04-13 02:00 UTC
