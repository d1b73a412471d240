"""Exports as real tools write them (tests/fixtures/exports/): does the import read them right?

Each entry names a fixture, the options a user would pass, and what a person reading the file
expects: the preset found, the tickets kept, per metric how many tickets carry its event, which
metrics the data cannot measure, a few tickets' values, or the failure and what it must name.
The expectations were written by reading the files, not by running the importer.

``python tests/test_import_exports.py`` prints the share of entries read right (docs/exports-coverage.md);
run with another checkout's interpreter it measures that checkout.
"""

from __future__ import annotations

import inspect
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    options: dict[str, Any] = field(default_factory=dict)
    preset: str | None = None
    tickets: int | None = None
    rejected: int = 0
    events: dict[str, int] = field(default_factory=dict)  # metric -> tickets carrying its event
    not_measured: tuple[str, ...] = ()
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # ticket id -> field -> value
    fails_with: tuple[str, ...] = ()  # the import must fail, its message naming each of these


def _utc(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


CASES: tuple[Case, ...] = (
    Case(
        "osTicket export (close date is the resolution)",
        "osticket.csv",
        {"tz": "America/New_York", "date_order": "mdy"},
        "osticket",
        6,
        events={"response": 0, "resolution": 4},
        not_measured=("response",),
        values={
            "100233": {"priority": "P1", "resolved_at": _utc("2026-03-03T14:45:00")},
            "100232": {"provider_sla_met": False, "priority": "P2"},
            "100235": {"opened_at": _utc("2026-03-13T19:20:00")},
            "100234": {"resolved_at": None},
        },
    ),
    Case(
        "Jira Server CSV, all fields",
        "jira-server-all-fields.csv",
        {"tz": "Europe/London"},
        "jira-service-management",
        5,
        events={"response": 0, "resolution": 3},
        not_measured=("response",),
        values={
            "ITSD-102": {"priority": "P1", "resolved_at": _utc("2026-03-02T12:55:00")},
            "ITSD-105": {"priority": "P4", "resolved_at": None},
        },
    ),
    Case(
        "GLPI search export (semicolons)",
        "glpi.csv",
        {"tz": "Europe/Paris"},
        "glpi",
        5,
        events={"response": 0, "resolution": 3},
        not_measured=("response",),
        values={
            "1043": {"priority": "P1", "resolved_at": _utc("2026-03-02T10:25:00")},
            "1044": {"priority": "P2", "provider_sla_met": False},
            "1046": {"priority": "P4"},
        },
    ),
    Case(
        "ServiceNow REST table export flattened to CSV (raw values)",
        "servicenow-rest.csv",
        {"tz": "UTC"},
        "servicenow-incident",
        5,
        events={"response": 0, "resolution": 4},
        not_measured=("response",),
        values={
            "INC0010001": {"priority": "P1"},
            "INC0010002": {"priority": "P2", "provider_sla_met": False},
            "INC0010003": {"priority": "P3"},
            "INC0010004": {"priority": "P4"},
            "INC0010005": {"priority": "P4"},
        },
    ),
    Case(
        "ServiceNow incident list export (Closed without a resolved time)",
        "servicenow-list.csv",
        {"tz": "Europe/Berlin"},
        "servicenow-incident",
        5,
        events={"response": 0, "resolution": 4},
        not_measured=("response",),
        values={
            "INC0020002": {"resolved_at": _utc("2026-03-03T16:00:00")},
            "INC0020003": {"resolved_at": _utc("2026-03-04T08:00:00"), "priority": "P2"},
            "INC0020005": {"resolved_at": None, "priority": "P4"},
        },
    ),
    Case(
        "ServiceNow list export with Canceled tickets (state, close code, raw state 8)",
        "servicenow-list-canceled.csv",
        {"tz": "UTC"},
        "servicenow-incident",
        5,
        events={"response": 0, "resolution": 2},
        not_measured=("response",),
        values={
            "INC0030001": {"resolved_at": _utc("2026-03-02T11:00:00")},
            "INC0030003": {"resolved_at": None, "closed_at": _utc("2026-03-03T11:20:00")},
            "INC0030005": {"resolved_at": None, "priority": "P4"},
        },
    ),
    Case(
        "ServiceNow audit log without a resolved_at column",
        "servicenow-audit-no-resolved.csv",
        {"tz": "UTC", "date_order": "dmy"},
        "servicenow-event-log",
        3,
        events={"response": 3, "resolution": 2},
        values={
            "INC0030001": {
                "priority": "P3",
                "first_response_at": _utc("2026-03-02T09:40:00"),
                "resolved_at": _utc("2026-03-02T15:00:00"),
            },
            "INC0030002": {
                "priority": "P1",
                "resolved_at": _utc("2026-03-03T18:30:00"),
                "provider_sla_met": False,
            },
            "INC0030003": {"resolved_at": None, "first_response_at": _utc("2026-03-05T09:00:00")},
        },
    ),
    Case(
        "IT event log (case id, activity, timestamp)",
        "it-event-log.csv",
        {},
        "it-event-log",
        4,
        events={"response": 3, "resolution": 2},
        values={
            "CASE-0001": {
                "priority": "P2",
                "opened_at": _utc("2026-03-02T08:00:00"),
                "first_response_at": _utc("2026-03-02T08:25:00"),
                "resolved_at": _utc("2026-03-02T11:00:00"),
            },
            "CASE-0002": {"priority": "P3", "resolved_at": _utc("2026-03-03T10:30:00")},
            "CASE-0004": {"priority": "P1", "first_response_at": None},
        },
    ),
    Case(
        "osTicket export re-saved from R (Ticket.Number, row names)",
        "r-style-osticket.csv",
        {"tz": "UTC"},
        "osticket",
        3,
        events={"response": 0, "resolution": 2},
        not_measured=("response",),
        values={
            "200102": {"priority": "P1", "provider_sla_met": False},
            "200103": {"provider_sla_met": None, "resolved_at": None},
        },
    ),
    Case(
        "Autotask workbook, tickets on the second sheet",
        "autotask-two-sheets.xlsx",
        {"tz": "UTC"},
        "autotask",
        4,
        events={"response": 4, "resolution": 3},
        values={
            "T20260302.0001": {"priority": "P1", "first_response_at": _utc("2026-03-02T08:10:00")},
            "T20260302.0002": {"provider_sla_met": False},
            "T20260303.0001": {"provider_sla_met": None},
        },
    ),
    Case(
        "no priority column (default P3)",
        "no-priority.csv",
        {},
        "canonical",
        3,
        events={"response": 3, "resolution": 2},
        values={"NP-1": {"priority": "P3"}, "NP-3": {"priority": "P3"}},
    ),
    Case(
        "no priority column, --default-priority P2",
        "no-priority.csv",
        {"default_priority": "P2"},
        "canonical",
        3,
        events={"response": 3, "resolution": 2},
        values={"NP-1": {"priority": "P2"}, "NP-2": {"priority": "P2"}},
    ),
    Case(
        "HaloPSA export with German yes/no",
        "halopsa-flags-german.csv",
        {"tz": "Europe/Berlin"},
        "halopsa",
        4,
        events={"response": 4, "resolution": 3},
        values={
            "5001": {"provider_sla_met": True, "priority": "P2"},
            "5002": {"provider_sla_met": False},
            "5003": {"provider_sla_met": None},
            "5004": {"provider_sla_met": None},
        },
    ),
    Case(
        "Zendesk export where every row lacks its creation time",
        "zendesk-all-rejected.csv",
        {"tz": "UTC"},
        fails_with=("3 row(s) rejected", ":2:"),
    ),
    Case(
        "ConnectWise UK dates with a contradicting --date-order mdy",
        "connectwise-uk-dates.csv",
        {"tz": "Europe/London", "date_order": "mdy"},
        fails_with=(":4:", "Date Entered", "14/03/2026", "dmy"),
    ),
    Case(
        "ConnectWise UK dates, order from the file",
        "connectwise-uk-dates.csv",
        {"tz": "Europe/London"},
        "connectwise-psa",
        3,
        events={"response": 3, "resolution": 3},
        values={
            "88003": {"opened_at": _utc("2026-03-14T10:00:00"), "priority": "P4", "provider_sla_met": False},
            "88002": {"priority": "P1"},
        },
    ),
)


def _events(result: Any) -> dict[str, int]:
    from models.history import MISSING

    t = result.tickets
    return {
        "response": int((t.first_response != MISSING).sum()),
        "resolution": int((t.resolved != MISSING).sum()),
    }


def _stored(ws: Path, tickets: int, not_measured: tuple[str, ...]) -> list[str]:
    """The workspace holds the tickets, and its data source says what cannot be measured."""
    from models.store import Workspace

    with Workspace.open(ws) as w:
        wrong = [] if w.ticket_count() == tickets else [f"workspace holds {w.ticket_count()} tickets"]
        details = w.data_sources()[-1].details or {}
    if tuple(details.get("not_measured", ())) != not_measured:
        wrong.append(
            f"data source records not measured {details.get('not_measured')}, expected {not_measured}"
        )
    return wrong


def evaluate(case: Case, workdir: Path) -> list[str]:
    """What the import got wrong for ``case`` (empty: read right)."""
    from workbench.importing.core import ImportFailed
    from workbench.importing.workspace import import_into_workspace

    accepted = inspect.signature(import_into_workspace).parameters
    unknown = [k for k in case.options if k not in accepted]
    if unknown:
        return [f"the import has no option {', '.join(unknown)}"]
    ws = workdir / f"{Path(case.file).stem}-{abs(hash(case.name))}.slawb"
    try:
        result = import_into_workspace(ws, FIXTURES / case.file, **case.options)
    except ImportFailed as exc:
        if not case.fails_with:
            return [f"failed: {exc}"]
        wrong = [f"message does not name {s!r}: {exc}" for s in case.fails_with if s not in str(exc)]
        if ws.exists():
            wrong.append("a failed import left a workspace behind")
        return wrong
    from workbench.importing.core import ImportResult

    assert isinstance(result, ImportResult)
    if case.fails_with:
        return [
            f"imported ({len(result.tickets)} tickets, {len(result.rejected)} rejected) instead of failing"
        ]
    wrong = []
    if result.preset.name != case.preset:
        wrong.append(f"preset {result.preset.name}, expected {case.preset}")
    if len(result.tickets) != case.tickets:
        wrong.append(f"{len(result.tickets)} tickets, expected {case.tickets}")
    if len(result.rejected) != case.rejected:
        wrong.append(
            f"{len(result.rejected)} rejected, expected {case.rejected}: "
            + "; ".join(str(r) for r in result.rejected[:3])
        )
    got = _events(result)
    for metric, n in case.events.items():
        if got[metric] != n:
            wrong.append(f"{metric}: {got[metric]} tickets carry the event, expected {n}")
    coverage = getattr(result, "coverage", None)
    if coverage is None:
        wrong.append("the import does not say which metrics the data can measure")
    else:
        missing = tuple(m for m, c in coverage().items() if not c["measured"])
        if set(missing) != set(case.not_measured):
            wrong.append(f"not measured: {missing}, expected {case.not_measured}")
    wrong += _stored(ws, len(result.tickets), case.not_measured)
    ids = [str(x) for x in result.tickets.ids]
    for tid, expect in case.values.items():
        if tid not in ids:
            wrong.append(f"ticket {tid} not imported")
            continue
        t = result.tickets.ticket(ids.index(tid))
        for fld, value in expect.items():
            if getattr(t, fld) != value:
                wrong.append(f"{tid}.{fld} = {getattr(t, fld)!r}, expected {value!r}")
    return wrong


@pytest.mark.parametrize("case", CASES, ids=[c.file + ":" + c.name for c in CASES])
def test_export_read_right(case: Case, tmp_path: Path) -> None:
    assert evaluate(case, tmp_path) == []


def main() -> int:
    right = 0
    with tempfile.TemporaryDirectory() as d:
        for case in CASES:
            wrong = evaluate(case, Path(d))
            right += not wrong
            print(f"{'ok ' if not wrong else 'BAD'} {case.file}: {case.name}")
            for w in wrong:
                print(f"      {w}")
    print(f"read right: {right}/{len(CASES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
