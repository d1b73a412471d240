"""workbench.commands._common: the history and --as-of handling the subcommands share."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.test_simulate_cli import TICKETS
from workbench.app.asof import parse_as_of
from workbench.cli import CommandError, main
from workbench.commands._common import load_history, open_workspace


def _args(**kw: object) -> argparse.Namespace:
    base: dict[str, object] = {"tickets": None, "status_log": None, "workspace": None}
    base.update(kw)
    return argparse.Namespace(**base)


def test_parse_as_of_instants() -> None:
    midnight = int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())
    assert parse_as_of("2026-12-01T00:00:00Z") == midnight
    assert parse_as_of(" 2026-12-01T01:00:00+01:00 ") == midnight
    assert parse_as_of("2026-12-01") == midnight  # a date alone is its midnight UTC (issue 5 QA)
    with pytest.raises(CommandError, match=r"--as-of: '2026-12-01T00:00' has no offset"):
        parse_as_of("2026-12-01T00:00")
    with pytest.raises(CommandError, match=r"--as-of: not an ISO 8601 date or instant: 'yesterday'"):
        parse_as_of("yesterday")


def test_load_history_from_tickets_or_nothing(tmp_path: Path) -> None:
    t = tmp_path / "tickets.csv"
    t.write_text(TICKETS, encoding="utf-8")
    h = load_history(_args(tickets=str(t)))
    assert h is not None and len(h.tickets) == 3
    assert load_history(_args()) is None
    with pytest.raises(CommandError, match=r"^--status-log goes with --tickets"):
        load_history(_args(status_log=str(t)))
    bad = tmp_path / "bad.csv"
    bad.write_text("id,priority\nX,P1\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.csv"):
        load_history(_args(tickets=str(bad)))


def test_open_workspace_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.slawb"
    with pytest.raises(CommandError, match=r"none\.slawb"):
        load_history(_args(workspace=str(missing)))
    with pytest.raises(CommandError, match=r"none\.slawb"), open_workspace(str(missing)):
        pass  # pragma: no cover
    assert not missing.exists()


@pytest.mark.parametrize("argv", [
    ["audit", "--workspace", "{ws}"],
    ["lint", "{doc}", "--workspace", "{ws}"],
    ["lint", "{doc}", "--status-log", "{doc}"],
])
def test_commands_report_history_errors_in_one_line(argv: list[str], tmp_path: Path, capsys) -> None:
    doc = tmp_path / "c.md"
    doc.write_text("# SLA\n\n1. Priority 1 incidents are answered within 1 hour.\n", encoding="utf-8")
    ws = tmp_path / "none.slawb"
    assert main([a.format(ws=ws, doc=doc) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"sla-workbench {argv[0]}: error: ")
