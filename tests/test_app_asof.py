"""The as-of rules of the application layer: one parser and one default date, used by
the command line, the lint API and the export dialog alike."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from models.history import History, StatusLog
from tests.test_ui_support import make_contract, make_history
from workbench.app.asof import AsOfError, default_as_of, file_clock, parse_as_of
from workbench.errors import CommandError
from workbench.warnings.base import make_context


def test_the_default_as_of_is_the_utc_date_of_the_injected_clock() -> None:
    undated = make_contract("2026 proposal")
    assert undated.effective_date is None and undated.last_reviewed is None
    late_evening_west = datetime(2026, 3, 1, 22, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert default_as_of(None, undated, clock=lambda: late_evening_west) == date(2026, 3, 2)
    assert default_as_of(None, undated, clock=lambda: datetime(2026, 3, 1, 23, 59, tzinfo=UTC)) == date(
        2026, 3, 1
    )
    with pytest.raises(ValueError, match="naive"):
        default_as_of(None, undated, clock=lambda: datetime(2026, 3, 1, 12))
    reviewed = undated.model_copy(update={"last_reviewed": date(2025, 9, 30)})
    assert default_as_of(None, reviewed, clock=lambda: late_evening_west) == date(2025, 9, 30)
    both = reviewed.model_copy(update={"effective_date": date(2026, 1, 1)})
    assert default_as_of(None, both, clock=lambda: late_evening_west) == date(2026, 1, 1)
    assert default_as_of(None, None, clock=lambda: late_evening_west) == date(2026, 3, 2)


def test_the_history_wins_and_its_status_log_counts() -> None:
    """A status change after the last ticket timestamp moves the as-of date (the export
    dialog used to look at the tickets alone and could date the PDF a day earlier than
    the command line did for the same inputs)."""
    h = make_history(50)
    tickets_latest = h.tickets.latest_instant()
    day = datetime.fromtimestamp(tickets_latest, UTC).date()
    never = lambda: datetime(1999, 1, 1, tzinfo=UTC)  # noqa: E731
    assert default_as_of(History(h.tickets, StatusLog.empty()), None, never) == day
    later = tickets_latest + 3 * 86400
    log = StatusLog(
        ticket=np.array([0], dtype=np.int64),
        at=np.array([later], dtype=np.int64),
        status=np.array([0], dtype=np.int32),
        status_names=("Resolved",),
    )
    got = default_as_of(History(h.tickets, log), make_contract("x"), never)
    assert got == datetime.fromtimestamp(later, UTC).date() > day


def test_the_command_line_clock_is_the_file_modification_time(tmp_path: Path) -> None:
    f = tmp_path / "proposal.yaml"
    f.write_text("x")
    stamp = datetime(2025, 6, 30, 23, 30, tzinfo=UTC).timestamp()
    os.utime(f, (stamp, stamp))
    clock = file_clock(f)
    assert clock() == datetime(2025, 6, 30, 23, 30, tzinfo=UTC)
    assert default_as_of(None, make_contract("undated"), clock) == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-12-01T00:00:00Z", datetime(2026, 12, 1, tzinfo=UTC)),
        (" 2026-12-01T01:00:00+01:00 ", datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-11-01T09:00-05:00", datetime(2026, 11, 1, 14, tzinfo=UTC)),
    ],
)
def test_parse_as_of(text: str, expected: datetime) -> None:
    assert parse_as_of(text) == int(expected.timestamp())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "not an ISO 8601 date or instant"),
        ("2026-13-01", "not an ISO 8601 date or instant"),
        ("2026-12-01T00:00", "has no offset"),
    ],
)
def test_bad_as_of_is_both_a_command_error_and_a_value_error(text: str, message: str) -> None:
    with pytest.raises(AsOfError, match=f"--as-of: .*{message}|--as-of: {message}") as err:
        parse_as_of(text)
    assert isinstance(err.value, CommandError) and isinstance(err.value, ValueError)
    with pytest.raises(AsOfError, match=r"^field: "):
        parse_as_of(text, "field")


def test_the_lint_api_reads_as_of_text_with_the_same_parser() -> None:
    c = make_contract("2025 signed")
    for text in ("2026-03-05", "2026-03-05T10:00:00+02:00"):
        ctx = make_context(c, as_of=text)
        assert ctx.as_of == parse_as_of(text)
    with pytest.raises(ValueError, match=r"as_of: '2026-03-05T10:00' has no offset"):
        make_context(c, as_of="2026-03-05T10:00")


def test_the_review_quarter_is_the_last_full_one_that_holds_tickets() -> None:
    from workbench.app.quarters import Quarter, review_quarter

    def t(y: int, m: int, d: int) -> int:
        return int(datetime(y, m, d, 12, tzinfo=UTC).timestamp())

    as_of = t(2016, 12, 20)
    early = np.array([t(2016, 2, 29), t(2016, 3, 1)], dtype=np.int64)  # all opened in Q1
    assert review_quarter(as_of, UTC, early) == Quarter(2016, 1)
    recent = np.array([t(2016, 2, 29), t(2016, 8, 1), t(2016, 12, 1)], dtype=np.int64)
    assert review_quarter(as_of, UTC, recent) == Quarter(2016, 3)  # Q4 is not over
    assert review_quarter(as_of, UTC, np.array([], dtype=np.int64)) == Quarter(2016, 3)
