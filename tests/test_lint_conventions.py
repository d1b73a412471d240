"""The lint follows the domain conventions: an injected clock (never the wall clock), the
progress/cancel callback of long calls, and aware instants only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from models.contract import contract_from_data
from models.history import History, Ticket, TicketTable
from workbench.progress import Cancelled
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


# ---------------------------------------------------------------------- progress


def _history() -> History:
    monday = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 Toronto
    saturday = datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    tickets = []
    for i in range(30):
        opened = (saturday if i % 3 == 0 else monday) + timedelta(days=7 * (i // 3))
        late = 30 if i % 2 else 200
        tickets.append(
            Ticket(
                id=f"T{i}",
                priority="P1",
                opened_at=opened,
                first_response_at=opened + timedelta(minutes=late),
                resolved_at=opened + timedelta(minutes=late + 60),
            )
        )
    return History(tickets=TicketTable.from_tickets(tickets))


class Recorder:
    def __init__(self, stop_when: str | None = None) -> None:
        self.calls: list[tuple[float, str]] = []
        self.stop_when = stop_when

    def __call__(self, fraction: float, message: str) -> bool:
        self.calls.append((fraction, message))
        return not (self.stop_when is not None and self.stop_when in message)


def test_lint_with_history_reports_progress_through_the_replay() -> None:
    c, h = contract_from_data(CONTRACT), _history()
    rec = Recorder()
    found = lint(c, h, progress=rec)
    fractions = [f for f, _ in rec.calls]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions), "progress went backwards"
    messages = [m for _, m in rec.calls]
    assert any("W09" in m for m in messages)
    # the history checks pass the callback on to the SLA engine's replay
    assert any(m == "checking tickets" for m in messages), messages
    # the same findings as without a callback
    assert [f.to_dict() for f in found] == [f.to_dict() for f in lint(c, h)]
    assert {f.code for f in found} >= {"W08", "W09"}


@pytest.mark.parametrize("stop_when", ["checking W01", "checking W09", "checking tickets"])
def test_lint_cancels_and_changes_nothing(stop_when: str) -> None:
    c, h = contract_from_data(CONTRACT), _history()
    before = [f.to_dict() for f in lint(c, h)]
    opened = h.tickets.opened.copy()
    rec = Recorder(stop_when)
    with pytest.raises(Cancelled):
        lint(c, h, progress=rec)
    assert stop_when in rec.calls[-1][1]  # stopped at once, at that step
    assert (h.tickets.opened == opened).all()
    assert [f.to_dict() for f in lint(c, h)] == before
