"""Importer: presets and detection, dates, validation, workspace upsert, cancel, bad files."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from models.history import MISSING
from workbench.importing.core import ImportFailed, ImportResult, import_file
from workbench.importing.presets import BUILTIN, Preset, detect, get_preset, save_preset
from workbench.progress import Cancelled


def ts(s: str) -> int:
    return (
        int(datetime.fromisoformat(s).replace(tzinfo=UTC).timestamp())
        if "+" not in s
        else int(datetime.fromisoformat(s).timestamp())
    )


def write(
    path: Path, rows: list[list[str]], *, bom: bool = False, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def canonical(tmp: Path, rows: list[list[str]], name: str = "tickets.csv", **kw: object) -> Path:
    head = [
        "id",
        "priority",
        "opened_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "category",
        "team",
        "provider_sla_met",
    ]
    return write(tmp / name, [head, *rows], **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------ ServiceNow sample


SAMPLE = "data/servicenow-uci/incident_event_log_sample400.csv"


def _sample_truth(path: Path) -> dict[str, list[dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by.setdefault(r["number"], []).append(r)
    for v in by.values():  # documented order: sys_mod_count, then update time, then file order
        v.sort(key=lambda r: (int(r["sys_mod_count"]), _dmy(r["sys_updated_at"])))
    return by


def _dmy(s: str) -> int:
    return int(datetime.strptime(s, "%d/%m/%Y %H:%M").replace(tzinfo=UTC).timestamp())


def test_servicenow_sample(shared_dir: Path) -> None:
    path = shared_dir / SAMPLE
    truth = _sample_truth(path)
    res = import_file(path, tz="UTC")
    assert res.preset.name == "servicenow-event-log"  # detected from the header
    assert len(truth) == 400
    assert len(res.tickets) + len(res.rejected) == 400
    assert {r.ticket for r in res.rejected}.isdisjoint(set(res.tickets.ids.tolist()))
    pmap = {"1 - Critical": 0, "2 - High": 1, "3 - Moderate": 2, "4 - Low": 3}
    idx = {t: i for i, t in enumerate(res.tickets.ids.tolist())}
    log = res.status_log
    for tid, rows in truth.items():
        if tid not in idx:
            continue
        i = idx[tid]
        last = rows[-1]
        assert res.tickets.priority[i] == pmap[last["priority"]], tid  # last priority counts
        assert res.tickets.provider_sla_met[i] == (1 if last["made_sla"] == "true" else 0)
        assert res.tickets.opened[i] == _dmy(rows[0]["opened_at"])
        assert res.tickets.closed[i] == _dmy(last["closed_at"])
        real = [r for r in rows if r["incident_state"] != "-100"]
        if last["resolved_at"] != "?":
            exp_res = _dmy(last["resolved_at"])
        else:  # the export gives none: entry into the final run of Resolved/Closed states, if it ends there
            exp_res = MISSING
            for r in reversed(real):
                if r["incident_state"] not in ("Resolved", "Closed"):
                    break
                exp_res = _dmy(r["sys_updated_at"])
        assert res.tickets.resolved[i] == exp_res, tid
        first_out = next((r for r in real if r["incident_state"] != "New"), None)
        expected_fr = MISSING if first_out is None else _dmy(first_out["sys_updated_at"])
        assert res.tickets.first_response[i] == expected_fr
        # status rows: one per change of state, at the update time
        expect: list[tuple[int, str]] = []
        for r in real:
            if not expect or expect[-1][1] != r["incident_state"]:
                expect.append((_dmy(r["sys_updated_at"]), r["incident_state"]))
        sel = log.ticket == i
        got = [(int(a), log.status_names[int(s)]) for a, s in zip(log.at[sel], log.status[sel], strict=True)]
        assert sorted(got) == sorted(expect), tid
    # pauses are visible: Awaiting User Info intervals exist
    assert "Awaiting User Info" in log.status_names
    aui = log.status_names.index("Awaiting User Info")
    assert int((log.status == aui).sum()) > 50
    changed = sum(
        1 for rows in truth.values() if len({r["priority"] for r in rows}) > 1 and rows[0]["number"] in idx
    )
    assert res.stats["priority_changed"] == changed
    # rejections name file, line, ticket, field and a reason
    for rej in res.rejected:
        assert rej.file.endswith("sample400.csv") and rej.line > 1 and rej.ticket and rej.field and rej.reason
        with open(path, encoding="utf-8-sig") as fh:
            line = fh.read().splitlines()[rej.line - 1]
        assert line.startswith(rej.ticket + ",")


def test_servicenow_priority_rule_and_reopen(tmp_path: Path) -> None:
    head = [
        "number",
        "incident_state",
        "sys_mod_count",
        "sys_updated_at",
        "opened_at",
        "priority",
        "resolved_at",
        "closed_at",
        "made_sla",
        "reopen_count",
    ]

    def ev(state: str, seq: str, upd: str, prio: str, sla: str = "true", reopen: str = "0") -> list[str]:
        return [
            "INC1",
            state,
            seq,
            upd,
            "1/3/2016 08:55",
            prio,
            "2/3/2016 10:00",
            "13/3/2016 10:00",
            sla,
            reopen,
        ]

    rows = [
        ev("New", "0", "1/3/2016 09:00", "3 - Moderate"),
        ev("Active", "1", "1/3/2016 09:30", "1 - Critical"),
        ev("Resolved", "2", "1/3/2016 11:00", "2 - High"),
        ev("Active", "3", "1/3/2016 12:00", "2 - High", reopen="1"),
        ev("-100", "4", "1/3/2016 12:30", "2 - High", reopen="1"),
        ev("Resolved", "5", "2/3/2016 10:00", "2 - High", reopen="1"),
        ev("Closed", "6", "13/3/2016 10:00", "2 - High", sla="false", reopen="1"),
    ]
    # file order shuffled: sys_mod_count orders the updates
    f = write(tmp_path / "log.csv", [head, rows[3], rows[0], rows[6], rows[1], rows[5], rows[2], rows[4]])
    res = import_file(f, tz="UTC")
    assert res.preset.name == "servicenow-event-log"
    assert res.tickets.priority.tolist() == [1]  # last priority: 2 - High
    assert res.tickets.first_response.tolist() == [ts("2016-03-01T09:30:00")]
    assert res.tickets.provider_sla_met.tolist() == [0]  # verdict of the last update
    names = [res.status_log.status_names[s] for s in res.status_log.status]
    assert names == ["New", "Active", "Resolved", "Active", "Resolved", "Closed"]  # -100 skipped
    assert res.stats["reopened"] == 1 and res.stats["priority_changed"] == 1
    assert res.priority_changes.priority.tolist() == [2, 0, 1]
    base = get_preset("servicenow-event-log").model_dump()
    highest = Preset(**{**base, "name": "x", "priority_rule": "highest"})
    assert import_file(f, highest, tz="UTC").tickets.priority.tolist() == [0]


@pytest.mark.slow
def test_servicenow_full_log(shared_dir: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(shared_dir / "data/servicenow-uci/incident_event_log.zip") as z:
        name = next(n for n in z.namelist() if n.endswith(".csv"))
        z.extract(name, tmp_path)
    res = import_file(tmp_path / name, tz="UTC")
    assert res.stats["incidents"] == 24918
    assert len(res.tickets) + len({r.ticket for r in res.rejected}) == 24918
    assert all(r.reason for r in res.rejected)
    assert res.stats["updates"] == 141712


# ------------------------------------------------------------------ presets and detection


PRESET_FILES: dict[str, tuple[list[str], list[str]]] = {
    "canonical": (
        [
            "id",
            "priority",
            "opened_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "category",
            "team",
            "provider_sla_met",
        ],
        [
            "T1",
            "P2",
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:30:00Z",
            "2026-03-02T12:00:00Z",
            "",
            "Email",
            "Helpdesk",
            "true",
        ],
    ),
    "servicenow-incident": (
        [
            "number",
            "short_description",
            "caller_id",
            "priority",
            "state",
            "category",
            "assignment_group",
            "assigned_to",
            "opened_at",
            "resolved_at",
            "closed_at",
            "made_sla",
            "sys_updated_on",
        ],
        [
            "INC0010001",
            "Mail down",
            "Abel Tuter",
            "2 - High",
            "Resolved",
            "Email",
            "Service Desk",
            "Beth Anglin",
            "2026-03-02 09:00:00",
            "2026-03-02 12:00:00",
            "",
            "true",
            "2026-03-02 12:00:00",
        ],
    ),
    "jira-service-management": (
        [
            "Summary",
            "Issue key",
            "Issue id",
            "Issue Type",
            "Status",
            "Priority",
            "Resolution",
            "Assignee",
            "Reporter",
            "Created",
            "Updated",
            "Resolved",
            "Custom field (Time to first response)",
            "Custom field (Request Type)",
        ],
        [
            "VPN broken",
            "ITSM-42",
            "10042",
            "Incident",
            "Resolved",
            "High",
            "Done",
            "a",
            "b",
            "02/Mar/26 9:00 AM",
            "02/Mar/26 12:00 PM",
            "02/Mar/26 12:00 PM",
            "",
            "Get IT help",
        ],
    ),
    "zendesk": (
        [
            "Id",
            "Requester",
            "Assignee",
            "Group",
            "Subject",
            "Tags",
            "Status",
            "Priority",
            "Via",
            "Ticket type",
            "Created at",
            "Updated at",
            "Assigned at",
            "Solved at",
            "Reopens",
            "Replies",
            "First reply time in minutes",
            "Full resolution time in minutes",
        ],
        [
            "1042",
            "x",
            "y",
            "Support",
            "Printer",
            "",
            "solved",
            "High",
            "Mail",
            "incident",
            "2026-03-02 09:00:00 +0000",
            "2026-03-02 12:00:00 +0000",
            "",
            "2026-03-02 12:00:00 +0000",
            "0",
            "2",
            "30",
            "180",
        ],
    ),
    "connectwise-psa": (
        [
            "Ticket #",
            "Board",
            "Company",
            "Contact",
            "Summary",
            "Status",
            "Priority",
            "Type",
            "Date Entered",
            "Date Responded",
            "Date Resolved",
            "Closed Date",
            "SLA Status",
        ],
        [
            "88012",
            "Service Desk",
            "Contoso",
            "Ann",
            "Server down",
            "Closed",
            "Priority 2 - Quick Response",
            "Server",
            "03/02/2026 9:00 AM",
            "03/02/2026 9:30 AM",
            "03/02/2026 12:00 PM",
            "03/13/2026 8:00 AM",
            "Resolved",
        ],
    ),
    "autotask": (
        [
            "Ticket Number",
            "Title",
            "Account",
            "Contact",
            "Status",
            "Priority",
            "Queue",
            "Issue Type",
            "Created",
            "First Response",
            "Resolved",
            "Complete Date",
            "Service Level Agreement",
            "Due Date",
        ],
        [
            "T20260302.0001",
            "Email",
            "Contoso",
            "Ann",
            "Complete",
            "High",
            "Level I Support",
            "Email",
            "3/2/2026 9:00 AM",
            "3/2/2026 9:30 AM",
            "3/2/2026 12:00 PM",
            "3/13/2026 8:00 AM",
            "Standard",
            "3/20/2026 9:00 AM",
        ],
    ),
    "halopsa": (
        [
            "Ticket ID",
            "Summary",
            "Client",
            "Site",
            "User",
            "Status",
            "Priority",
            "Team",
            "Category",
            "Agent",
            "Date Logged",
            "Date Responded",
            "Date Resolved",
            "Date Closed",
            "SLA",
            "Fix By Date",
        ],
        [
            "5012",
            "Laptop",
            "Contoso",
            "HQ",
            "Ann",
            "Closed",
            "2 - High",
            "1st Line",
            "Hardware",
            "Bob",
            "02/03/2026 09:00",
            "02/03/2026 09:30",
            "02/03/2026 12:00",
            "13/03/2026 08:00",
            "Gold",
            "03/03/2026 09:00",
        ],
    ),
    "osticket": (
        [
            "Ticket Number",
            "Date Created",
            "Subject",
            "From",
            "From Email",
            "Priority",
            "Department",
            "Help Topic",
            "Source",
            "Current Status",
            "Last Updated",
            "Due Date",
            "Overdue",
            "Answered",
            "Agent Assigned",
            "Team Assigned",
            "Thread Count",
            "Reopen Count",
            "Closed Date",
        ],
        [
            "482913",
            "2026-03-02 09:00",
            "Printer",
            "Ann",
            "ann@example.com",
            "High",
            "Support",
            "Hardware",
            "Email",
            "Closed",
            "2026-03-02 12:00",
            "2026-03-03 09:00",
            "No",
            "Yes",
            "Bob",
            "",
            "3",
            "0",
            "2026-03-02 12:00",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(PRESET_FILES))
def test_each_preset_detected_and_read(tmp_path: Path, name: str) -> None:
    head, row = PRESET_FILES[name]
    found, _ = detect(head, list(BUILTIN))
    assert found is not None and found.name == name
    res = import_file(write(tmp_path / f"{name}.csv", [head, row]), tz="UTC")
    assert res.preset.name == name and not res.rejected
    t = res.tickets.ticket(0)
    assert t.priority == "P2"
    assert t.opened_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    if name not in ("servicenow-incident", "jira-service-management", "osticket"):
        assert t.first_response_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    if name == "osticket":
        assert t.provider_sla_met is True  # Overdue: No
    else:
        assert t.resolved_at == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_event_log_not_mistaken_for_incident_list(shared_dir: Path) -> None:
    with open(shared_dir / SAMPLE, encoding="utf-8-sig") as fh:
        head = next(csv.reader(fh))
    assert detect(head, list(BUILTIN))[0].name == "servicenow-event-log"  # type: ignore[union-attr]


def test_no_preset_matches(tmp_path: Path) -> None:
    f = write(tmp_path / "x.csv", [["foo", "bar"], ["1", "2"]])
    with pytest.raises(ImportFailed, match="no import preset matches"):
        import_file(f)


def test_saved_preset_loaded_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLA_WORKBENCH_CONFIG", str(tmp_path / "cfg"))
    mine = Preset(
        name="our-helpdesk",
        columns={"id": "Ref", "priority": "Urgency", "opened_at": "Logged"},
        priority_map={"Red": "P1", "Amber": "P2", "Green": "P3"},
        date_order="dmy",
        timezone="Europe/London",
        pause_statuses=("On hold",),
    )
    path = save_preset(mine, "yaml")
    assert path.parent == tmp_path / "cfg" / "presets"
    assert get_preset("our-helpdesk") == mine
    f = write(tmp_path / "t.csv", [["Ref", "Urgency", "Logged"], ["A1", "amber", "01/07/2026 10:00"]])
    res = import_file(f)  # detected (user presets first), zone and order from the preset
    assert res.preset.name == "our-helpdesk"
    assert res.tickets.ticket(0).opened_at == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # BST
    assert res.tickets.ticket(0).priority == "P2"
    with pytest.raises(ValueError):
        save_preset(Preset(name="canonical", columns={}))


# ------------------------------------------------------------------ dates


def test_bom_and_semicolons(tmp_path: Path) -> None:
    f = canonical(
        tmp_path, [["T1", "P1", "2026-01-05T10:00:00+01:00", "", "", "", "", "", ""]], bom=True, delimiter=";"
    )
    res = import_file(f)
    assert res.preset.name == "canonical"
    assert res.tickets.opened.tolist() == [ts("2026-01-05T09:00:00")]


def test_day_first_and_month_first_detected(tmp_path: Path) -> None:
    dmy = canonical(
        tmp_path,
        [
            ["T1", "P1", "03/04/2026 10:00", "", "", "", "", "", ""],
            ["T2", "P1", "25/04/2026 10:00", "", "", "", "", "", ""],
        ],
        name="a.csv",
    )
    assert import_file(dmy, tz="UTC").tickets.opened[0] == ts("2026-04-03T10:00:00")
    mdy = canonical(
        tmp_path,
        [
            ["T1", "P1", "03/04/2026 10:00", "", "", "", "", "", ""],
            ["T2", "P1", "04/25/2026 10:00", "", "", "", "", "", ""],
        ],
        name="b.csv",
    )
    assert import_file(mdy, tz="UTC").tickets.opened[0] == ts("2026-03-04T10:00:00")


def test_ambiguous_dates_refused_with_question(tmp_path: Path) -> None:
    f = canonical(tmp_path, [["T1", "P1", "03/04/2016 10:00", "", "", "", "", "", ""]])
    with pytest.raises(ImportFailed, match=r"03/04/2016.*--date-order dmy or mdy"):
        import_file(f, tz="UTC")
    assert import_file(f, tz="UTC", date_order="mdy").tickets.opened[0] == ts("2016-03-04T10:00:00")


def test_naive_without_zone_refused_and_zone_applied(tmp_path: Path) -> None:
    f = canonical(tmp_path, [["T1", "P1", "2026-07-01 10:00", "", "", "", "", "", ""]])
    with pytest.raises(ImportFailed, match="--tz"):
        import_file(f)
    assert import_file(f, tz="America/Toronto").tickets.opened[0] == ts("2026-07-01T14:00:00")
    with pytest.raises(ImportFailed, match="unknown time zone"):
        import_file(f, tz="Mars/Olympus")


# ------------------------------------------------------------------ validation


def test_every_rejection_reason(tmp_path: Path) -> None:
    rows = [
        ["T1", "P1", "2026-01-05T10:00:00Z", "", "2026-01-05T09:00:00Z", "", "", "", ""],  # resolved before
        ["T2", "P9", "2026-01-05T10:00:00Z", "", "", "", "", "", ""],  # unknown priority
        ["T3", "P2", "2026-13-45T10:00:00Z", "", "", "", "", "", ""],  # unparseable date
        ["T4", "P2", "2026-01-05T10:00:00Z", "", "", "", "", "", ""],  # ok
        ["T4", "P2", "2026-01-05T11:00:00Z", "", "", "", "", "", ""],  # duplicate
        ["", "P2", "2026-01-05T11:00:00Z", "", "", "", "", "", ""],  # no id
        ["T7", "P2", "", "", "", "", "", "", ""],  # no opened
        ["T8", "P2", "2026-01-05T10:00:00Z", "", "", "", "", "", "maybe"],  # bad flag: kept, flag empty
        ["T9", "P3", "2026-01-05T10:00:00Z", "2026-01-05T09:59:00Z", "", "", "", "", ""],  # response before
    ]
    res = import_file(canonical(tmp_path, rows))
    got = {(r.line, r.ticket, r.field): r.reason for r in res.rejected}
    assert all(r.file.endswith("tickets.csv") for r in res.rejected)
    assert got == {
        (2, "T1", "resolved_at"): "resolved before opened",
        (3, "T2", "priority"): "unknown priority 'P9'",
        (4, "T3", "opened_at"): "unparseable date '2026-13-45T10:00:00Z'",
        (6, "T4", "id"): "duplicate of line 5",
        (7, "", "id"): "missing ticket id",
        (8, "T7", "opened_at"): "missing opened_at",
        (10, "T9", "first_response_at"): "first response before opened",
    }
    # an unreadable optional flag never rejects the ticket: left empty and counted
    assert res.tickets.ids.tolist() == ["T4", "T8"]
    assert res.tickets.provider_sla_met.tolist() == [-1, -1]
    assert res.stats["unreadable_provider_sla_met"] == 1
    assert any("'maybe'" in n and "left empty" in n for n in res.notes)


def test_lines_with_embedded_newlines_and_short_rows(tmp_path: Path) -> None:
    text = (
        "id,priority,opened_at,category\n"
        'T1,P1,2026-01-05T10:00:00Z,"multi\nline\ncategory"\n'
        "T2,P1\n"
        "T3,PX,2026-01-05T10:00:00Z,x\n"
    )
    f = tmp_path / "t.csv"
    f.write_text(text)
    res = import_file(f, "canonical")
    got = sorted((r.line, r.ticket, r.field) for r in res.rejected)
    assert got == [(5, "T2", "(row)"), (6, "T3", "priority")]
    assert res.tickets.ticket(0).category == "multi\nline\ncategory"


# ------------------------------------------------------------------ malformed files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"\x00\x01\x02binary\x00junk" * 50, "binary"),
        (b"id,priority,opened_at\n", None),  # header only: nothing to import, no error
    ],
)
def test_bad_files_one_clear_message(tmp_path: Path, content: bytes, message: str | None) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    if message is None:
        res = import_file(f)
        assert len(res.tickets) == 0 and not res.rejected
    else:
        with pytest.raises(ImportFailed, match=message) as exc:
            import_file(f)
        assert str(f) in str(exc.value) and "\n" not in str(exc.value)


def test_zero_byte_xlsx(tmp_path: Path) -> None:
    f = tmp_path / "empty.xlsx"
    f.write_bytes(b"")
    with pytest.raises(ImportFailed, match="0 bytes"):
        import_file(f)


def test_xlsx_with_real_dates(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "Ticket #",
            "Board",
            "Company",
            "Summary",
            "Status",
            "Priority",
            "Date Entered",
            "Date Responded",
            "Date Resolved",
        ]
    )
    ws.append(
        [
            88012,
            "Service Desk",
            "Contoso",
            '=HYPERLINK("x")',
            "Closed",
            "Priority 1 - Emergency Response",
            datetime(2026, 3, 2, 9, 0),
            datetime(2026, 3, 2, 9, 20),
            None,
        ]
    )
    f = tmp_path / "cw.xlsx"
    wb.save(f)
    res = import_file(f, tz="Europe/Paris")
    assert res.preset.name == "connectwise-psa"
    t = res.tickets.ticket(0)
    assert (t.id, t.priority, t.opened_at) == ("88012", "P1", datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    assert t.resolved_at is None


def test_cp1252_file(tmp_path: Path) -> None:
    f = canonical(
        tmp_path, [["T1", "P1", "2026-01-05T10:00:00Z", "", "", "", "Café réseau", "", ""]], encoding="cp1252"
    )
    res = import_file(f)
    assert res.tickets.ticket(0).category == "Café réseau"
    assert any("Windows-1252" in n for n in res.notes)


# ------------------------------------------------------------------ workspace


def _ws_counts(path: Path) -> tuple[int, int]:
    from models.store import Workspace

    with Workspace.open(path) as ws:
        h = ws.load_history()
        return len(h.tickets), len(h.status_log)


def test_reimport_updates_never_duplicates(shared_dir: Path, tmp_path: Path) -> None:
    from workbench.importing.workspace import import_into_workspace

    ws = tmp_path / "w.slawb"
    res = import_into_workspace(ws, shared_dir / SAMPLE, tz="UTC")
    assert isinstance(res, ImportResult)
    first = _ws_counts(ws)
    assert first == (len(res.tickets), len(res.status_log))
    import_into_workspace(ws, shared_dir / SAMPLE, tz="UTC")
    assert _ws_counts(ws) == first
    # an update changes the stored ticket
    f = canonical(tmp_path, [["T1", "P1", "2026-01-05T10:00:00Z", "", "", "", "", "", ""]], name="a.csv")
    import_into_workspace(ws, f, source="other")
    g = canonical(tmp_path, [["T1", "P3", "2026-01-05T10:00:00Z", "", "", "", "", "", "true"]], name="b.csv")
    import_into_workspace(ws, g, source="other")
    from models.store import Workspace

    with Workspace.open(ws) as w:
        h = w.load_history(source="other")
    assert h.tickets.ids.tolist() == ["T1"] and h.tickets.ticket(0).priority == "P3"


def test_strict_imports_nothing(tmp_path: Path) -> None:
    from workbench.importing.workspace import Rejected, import_into_workspace

    f = canonical(
        tmp_path,
        [
            ["T1", "P1", "2026-01-05T10:00:00Z", "", "", "", "", "", ""],
            ["T2", "P7", "2026-01-05T10:00:00Z", "", "", "", "", "", ""],
        ],
    )
    ws = tmp_path / "w.slawb"
    with pytest.raises(Rejected, match="1 row"):
        import_into_workspace(ws, f, strict=True)
    assert not ws.exists()
    res = import_into_workspace(ws, f)
    assert isinstance(res, ImportResult) and len(res.tickets) == 1 and _ws_counts(ws) == (1, 0)


def test_cancel_changes_nothing(shared_dir: Path, tmp_path: Path) -> None:
    from workbench.importing.workspace import import_into_workspace

    ws = tmp_path / "w.slawb"
    f = canonical(tmp_path, [["T1", "P1", "2026-01-05T10:00:00Z", "", "", "", "", "", ""]])
    import_into_workspace(ws, f)
    before = ws.read_bytes()
    seen: list[float] = []

    def cancel_late(fraction: float, message: str) -> bool:
        seen.append(fraction)
        return fraction < 0.6  # cancel while saving

    with pytest.raises(Cancelled):
        import_into_workspace(ws, shared_dir / SAMPLE, tz="UTC", progress=cancel_late)
    assert max(seen) >= 0.6
    assert _ws_counts(ws) == (1, 0)
    assert ws.read_bytes() == before
    fresh = tmp_path / "new.slawb"
    with pytest.raises(Cancelled):
        import_into_workspace(fresh, shared_dir / SAMPLE, tz="UTC", progress=cancel_late)
    assert not fresh.exists()


def test_cli_import_json(shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    ws = tmp_path / "w.slawb"
    assert main(["import", str(ws), str(shared_dir / SAMPLE), "--tz", "UTC", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["preset"] == "servicenow-event-log"
    assert out["tickets"] + len(out["rejected"]) == 400 and out["status_rows"] > 400
    assert set(out["rejected"][0]) >= {"line", "ticket", "field", "reason"}
    assert main(["import", str(ws), str(shared_dir / SAMPLE), "--json"]) == 2
    assert "--tz" in capsys.readouterr().err
    assert np.isfinite(out["tickets"])


def test_gzipped_export_reads_like_the_plain_file(tmp_path: Path) -> None:
    import gzip

    f = canonical(tmp_path, [["T1", "P1", "2026-01-05T10:00:00+01:00", "", "", "", "", "", ""]], bom=True)
    packed = tmp_path / "tickets.csv.gz"
    packed.write_bytes(gzip.compress(f.read_bytes()))
    plain, zipped = import_file(f), import_file(packed)
    assert zipped.preset.name == plain.preset.name == "canonical"
    assert zipped.tickets.opened.tolist() == plain.tickets.opened.tolist() == [ts("2026-01-05T09:00:00")]
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(f.read_bytes())[:20])
    with pytest.raises(ImportFailed, match=r"broken\.csv\.gz: cannot read"):
        import_file(broken)


def test_folder_given_as_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r": is a folder, not a file"):
        import_file(tmp_path)
