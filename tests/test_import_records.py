"""Backups, restore tests, outages and KPI snapshots from canonical CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from workbench.importing.core import ImportFailed
from workbench.importing.records import read_records, sniff_kind
from workbench.importing.workspace import import_into_workspace


def test_each_kind_detected_and_validated(tmp_path: Path) -> None:
    files = {
        "backups": "system,finished_at,success,location\n"
        "DB,2026-03-01T01:00:00Z,true,cloud\nDB,2026-03-02 01:00,maybe,cloud\n",
        "restore_tests": "system,started_at,finished_at,success\n"
        "DB,2026-03-01T01:00:00Z,2026-03-01T03:00:00Z,true\nDB,2026-03-02T05:00:00Z,2026-03-02T04:00:00Z,true\n",
        "outages": "service,start,end,maintenance\n"
        "Mail,2026-03-01T01:00:00Z,2026-03-01T02:00:00Z,false\nMail,2026-03-03T01:00:00Z,,true\n",
        "kpis": "month,patch_compliance,threats_detected,threats_resolved,endpoints_managed\n"
        "2026-03,0.91,10,9,120\n2026-04-01,1.7,3,3,120\n",
    }
    expected_bad = {
        "backups": (3, "success", "not a true/false value 'maybe'"),
        "restore_tests": (3, "finished_at", "finished before started"),
        "outages": (3, "end", "missing date"),
        "kpis": (3, "patch_compliance", None),
    }
    for kind, text in files.items():
        f = tmp_path / f"{kind}.csv"
        f.write_text(text)
        assert sniff_kind(f) == kind
        res = read_records(f, tz="UTC")
        assert res.kind == kind and len(res.records) == 1 and len(res.rejected) == 1
        line, fld, reason = expected_bad[kind]
        r = res.rejected[0]
        assert (r.line, r.field) == (line, fld) and r.file == str(f)
        if reason:
            assert r.reason == reason
    assert read_records(tmp_path / "kpis.csv").records[0].month == date(2026, 3, 1)
    b = read_records(tmp_path / "backups.csv", tz="UTC").records[0]
    assert b.finished_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC) and b.location == "cloud"


def test_naive_times_need_zone(tmp_path: Path) -> None:
    f = tmp_path / "b.csv"
    f.write_text("system,finished_at,success\nDB,2026-07-01 01:00,true\n")
    with pytest.raises(ImportFailed, match="--tz"):
        read_records(f)
    got = read_records(f, tz="Europe/London").records[0].finished_at
    assert got == datetime(2026, 7, 1, 0, 0, tzinfo=UTC)


def test_records_into_workspace_replace_kind_keep_tickets(tmp_path: Path) -> None:
    from models.store import Workspace

    ws = tmp_path / "w.slawb"
    t = tmp_path / "t.csv"
    t.write_text("id,priority,opened_at\nT1,P1,2026-03-01T00:00:00Z\n")
    import_into_workspace(ws, t)
    b = tmp_path / "b.csv"
    b.write_text("system,finished_at,success\nDB,2026-03-01T01:00:00Z,true\nDB,2026-03-02T01:00:00Z,false\n")
    import_into_workspace(ws, b)
    import_into_workspace(ws, b)  # again: replaced, not duplicated
    with Workspace.open(ws) as w:
        h = w.load_history()
    assert len(h.tickets) == 1 and [x.success for x in h.backups] == [True, False]
