"""Workspace store: schema, contract versions, history round trip, upsert, cancel."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from models.contract import dump_contract_yaml, load_contract
from models.history import (
    BackupJob,
    History,
    KpiSnapshot,
    Outage,
    RestoreTest,
    StatusChange,
    StatusLog,
    Ticket,
    TicketTable,
)
from models.store import Workspace, WorkspaceError, head_revision, metadata, migrate
from workbench.progress import Cancelled

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from synthetic import big_history  # noqa: E402

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FixedClock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def make_history(n: int, *, seed: int = 1, prefix: str = "INC") -> History:
    rng = np.random.default_rng(seed)
    tickets: list[Ticket] = []
    changes: list[StatusChange] = []
    cats = ["user lockout", "antivirus alert", "credential theft", None]
    teams = ["Helpdesk", "NOC", "SOC", None]
    for i in range(n):
        opened = T0 + timedelta(minutes=int(rng.integers(0, 500_000)))
        fr = opened + timedelta(minutes=int(rng.integers(1, 300))) if rng.random() < 0.9 else None
        res = opened + timedelta(hours=int(rng.integers(1, 100))) if rng.random() < 0.8 else None
        closed = res + timedelta(days=1) if res is not None and rng.random() < 0.5 else None
        flag = [None, True, False][int(rng.integers(0, 3))]
        tid = f"{prefix}{i:06d}"
        tickets.append(
            Ticket(
                id=tid, priority=f"P{int(rng.integers(1, 5))}", opened_at=opened,  # type: ignore[arg-type]
                first_response_at=fr, resolved_at=res, closed_at=closed,
                category=cats[int(rng.integers(0, 4))], team=teams[int(rng.integers(0, 4))],
                provider_sla_met=flag,
            )
        )
        for k in range(int(rng.integers(0, 3))):
            status = ["New", "Awaiting User Info", "In Progress"][k]
            changes.append(StatusChange(ticket_id=tid, at=opened + timedelta(minutes=10 * k), status=status))
    table = TicketTable.from_tickets(tickets)
    return History(
        tickets=table,
        status_log=StatusLog.from_changes(changes, table),
        backups=(
            BackupJob(system="File server", finished_at=T0, success=True, location="on-prem"),
            BackupJob(system="PM database", finished_at=T0 + timedelta(days=1), success=False,
                      location="cloud"),
        ),
        restore_tests=(
            RestoreTest(system="PM database", started_at=T0, finished_at=T0 + timedelta(hours=2),
                        success=True),
        ),
        outages=(
            Outage(service="Practice management", start=T0, end=T0 + timedelta(minutes=45)),
            Outage(service="Email", start=T0 + timedelta(days=3), end=T0 + timedelta(days=3, hours=2),
                   maintenance=True),
        ),
        kpis=(
            KpiSnapshot(month=date(2026, 2, 1), patch_compliance=0.91, threats_detected=14,
                        threats_resolved=13, endpoints_managed=130),
            KpiSnapshot(month=date(2026, 3, 1)),
        ),
    )


def status_rows(table: TicketTable, log: StatusLog) -> list[tuple[str, int, str]]:
    return [
        (str(table.ids[t]), int(a), log.status_names[s])
        for t, a, s in zip(log.ticket.tolist(), log.at.tolist(), log.status.tolist(), strict=True)
    ]


def assert_same_history(a: History, b: History) -> None:
    assert a.tickets.tickets() == b.tickets.tickets()
    assert status_rows(a.tickets, a.status_log) == status_rows(b.tickets, b.status_log)
    assert a.backups == b.backups
    assert a.restore_tests == b.restore_tests
    assert a.outages == b.outages
    assert a.kpis == b.kpis


def table_bytes(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: a change anywhere shows up."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        out = {n: [tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{n}" ORDER BY 1')] for n in names}
    engine.dispose()
    return out


@pytest.fixture
def ws(tmp_path: Path):
    w = Workspace.create(tmp_path / "client.slawb", clock=FixedClock())
    yield w
    w.close()


# ------------------------------------------------------------------------ schema


def test_create_then_open(tmp_path: Path) -> None:
    p = tmp_path / "sub" / "new.slawb"
    with Workspace.create(p) as w:
        assert w.revision == head_revision()
        assert w.meta()["app_id"] == "sla-workbench-workspace"
        assert w.meta()["schema_revision"] == head_revision()
    assert sorted(x.name for x in p.parent.iterdir()) == ["new.slawb"]  # no temp files left
    with Workspace.open(p) as w:
        assert w.ticket_count() == 0
    with pytest.raises(WorkspaceError, match="already exists"):
        Workspace.create(p)


def test_open_never_creates(tmp_path: Path) -> None:
    p = tmp_path / "missing.slawb"
    with pytest.raises(WorkspaceError, match=r"missing\.slawb.*no such workspace"):
        Workspace.open(p)
    assert not p.exists()
    with Workspace.open(p, create=True) as w:
        assert w.ticket_count() == 0
    assert p.exists()


def test_migrations_build_exactly_the_store_schema(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        migrate(conn)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_closed_workspace_refuses_use(tmp_path: Path) -> None:
    w = Workspace.create(tmp_path / "c.slawb")
    w.close()
    with pytest.raises(WorkspaceError, match="closed"):
        w.ticket_count()


# ------------------------------------------------------------------------ contracts


def demo_contract_files() -> list[Path]:
    files = [FIXTURES / "contract_full.yaml"]
    try:
        from workbench.demo.generator import demo_contract_paths  # type: ignore[import-not-found]
    except ImportError:
        return files
    # only the demo files that exist (their presence is the demo's own tests' business)
    return files + sorted(p for p in map(Path, demo_contract_paths().values()) if p.is_file())


@pytest.mark.parametrize("path", demo_contract_files(), ids=lambda p: p.name)
def test_contract_round_trip(tmp_path: Path, path: Path) -> None:
    original = load_contract(path)
    ws_path = tmp_path / "c.slawb"
    with Workspace.create(ws_path) as w:
        vid = w.add_contract_version(original)
    with Workspace.open(ws_path) as w:  # read back from the file, not from memory
        back = w.contract(vid)
        assert [i for i, _ in w.contract_versions()] == [vid]
    assert back == original
    assert dump_contract_yaml(back) == dump_contract_yaml(original)


def test_versions_are_snapshots_with_parents(ws: Workspace) -> None:
    base = load_contract(FIXTURES / "contract_full.yaml")
    v1 = ws.add_contract_version(base)
    edited = base.model_copy(update={"version": "2027 draft", "status": "draft", "monthly_fee": 9100.0})
    v2 = ws.add_contract_version(edited, parent_id=v1)
    assert v2 != v1
    assert ws.contract(v1) == base  # the old version is untouched by the edit
    assert ws.contract(v2) == edited
    hist = ws.contract_history()
    assert [(h.id, h.parent_id, h.label, h.status) for h in hist] == [
        (v1, None, base.version, "proposal"),
        (v2, v1, "2027 draft", "draft"),
    ]
    assert hist[0].created_at < hist[1].created_at
    assert [c for _, c in ws.contract_versions()] == [base, edited]
    with pytest.raises(WorkspaceError, match="no contract version 999"):
        ws.add_contract_version(edited, parent_id=999)
    with pytest.raises(WorkspaceError, match="no contract version 999"):
        ws.contract(999)
    assert len(ws.contract_versions()) == 2


def test_database_refuses_to_update_a_version(tmp_path: Path) -> None:
    p = tmp_path / "c.slawb"
    with Workspace.create(p) as w:
        vid = w.add_contract_version(load_contract(FIXTURES / "contract_full.yaml"))
        with pytest.raises(sa.exc.DatabaseError, match="immutable"), w.engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE contract_versions SET label = 'tampered' WHERE id = {vid}")
        assert w.contract_history()[0].label == "2026-Q4 proposal"


def test_drafts_scenarios_sources_clients(ws: Workspace) -> None:
    ws.save_draft("contract-1", {"version": "draft A", "fee": 1})
    ws.save_draft("contract-1", {"version": "draft B"})
    ws.save_draft("other", {"x": [1, 2]})
    assert ws.load_drafts() == {"contract-1": {"version": "draft B"}, "other": {"x": [1, 2]}}
    ws.delete_draft("other")
    assert list(ws.load_drafts()) == ["contract-1"]

    ws.save_scenario("P1 at 2h", {"targets": {"P1": {"response": "2h"}}})
    ws.save_scenario("P1 at 2h", {"targets": {"P1": {"response": "30m"}}})
    assert ws.scenarios() == {"P1 at 2h": {"targets": {"P1": {"response": "30m"}}}}

    rid = ws.record_data_source("export.csv", "servicenow", tickets=10, status_rows=20, rejected=1,
                                details={"tz": "America/Toronto"})
    rec = ws.data_sources()
    assert [(r.id, r.file_name, r.preset, r.tickets, r.status_rows, r.rejected, r.details) for r in rec] == [
        (rid, "export.csv", "servicenow", 10, 20, 1, {"tz": "America/Toronto"})
    ]
    assert rec[0].imported_at.tzinfo is not None

    cid = ws.add_client("Lakeshore Dental Group")
    assert ws.clients() == [(cid, "Lakeshore Dental Group")]
    with pytest.raises(ValueError, match="not JSON"):
        ws.save_draft("bad", {"x": object()})


# ------------------------------------------------------------------------ history


def test_history_round_trip(tmp_path: Path) -> None:
    h = make_history(300)
    p = tmp_path / "h.slawb"
    with Workspace.create(p) as w:
        counts = w.save_history(h)
    assert counts["inserted"] == 300 and counts["status_rows"] == len(h.status_log)
    with Workspace.open(p) as w:
        back = w.load_history()
        assert w.ticket_count() == 300
    assert_same_history(back, h)
    # columns come back with the dtypes the engine expects
    assert back.tickets.opened.dtype == np.int64 and back.tickets.priority.dtype == np.int8
    assert back.status_log.ticket.dtype == np.int64
    assert np.all(np.diff(back.status_log.ticket) >= 0)


def test_save_history_replaces_only_its_source(ws: Workspace) -> None:
    a = make_history(50, seed=1)
    b = make_history(30, seed=2, prefix="B")
    ws.save_history(a, source="psa")
    ws.save_history(b, source="other")
    smaller = make_history(20, seed=3)
    ws.save_history(smaller, source="psa")
    assert ws.ticket_count("psa") == 20 and ws.ticket_count("other") == 30
    assert_same_history(ws.load_history("psa"), smaller)
    assert_same_history(ws.load_history("other"), b)
    assert ws.sources() == ["other", "psa"]


def test_upsert_is_idempotent_and_updates(ws: Workspace) -> None:
    h = make_history(200)
    first = ws.upsert_tickets(h.tickets, h.status_log)
    assert first == {"inserted": 200, "updated": 0, "status_rows": len(h.status_log)}
    again = ws.upsert_tickets(h.tickets, h.status_log)
    assert again == {"inserted": 0, "updated": 200, "status_rows": len(h.status_log)}
    assert ws.ticket_count() == 200
    t, log = ws.load_tickets()
    assert t.tickets() == h.tickets.tickets()
    assert status_rows(t, log) == status_rows(h.tickets, h.status_log)

    # a later export: ticket 0 got resolved and a new status; ticket 1 changed priority; one new ticket
    old = h.tickets.tickets()
    later = [
        old[0].model_copy(update={"resolved_at": old[0].opened_at + timedelta(hours=3)}),
        old[1].model_copy(update={"priority": "P1", "category": "lateral movement"}),
        Ticket(id="NEW1", priority="P3", opened_at=T0),
    ]
    lt = TicketTable.from_tickets(later)
    llog = StatusLog.from_changes(
        [StatusChange(ticket_id=old[0].id, at=old[0].opened_at, status="Closed")], lt
    )
    counts = ws.upsert_tickets(lt, llog)
    assert counts == {"inserted": 1, "updated": 2, "status_rows": 1}
    t, log = ws.load_tickets()
    assert len(t) == 201
    got = {x.id: x for x in t.tickets()}
    assert got[old[0].id] == later[0] and got[old[1].id] == later[1] and got["NEW1"] == later[2]
    assert got[old[2].id] == old[2]  # not in the later export: kept as it was
    rows = status_rows(t, log)
    opened0 = int(old[0].opened_at.timestamp())
    assert [r for r in rows if r[0] == old[0].id] == [(old[0].id, opened0, "Closed")]
    assert [r for r in rows if r[0] == old[1].id] == []  # re-imported without status rows: replaced by none
    before = [r for r in status_rows(h.tickets, h.status_log) if r[0] == old[2].id]
    assert [r for r in rows if r[0] == old[2].id] == before


def test_same_ticket_id_in_two_sources_is_two_tickets(ws: Workspace) -> None:
    h = make_history(10)
    ws.upsert_tickets(h.tickets, h.status_log, source="servicenow")
    ws.upsert_tickets(h.tickets, h.status_log, source="jira")
    assert ws.ticket_count() == 20
    assert ws.load_tickets("jira")[0].tickets() == h.tickets.tickets()


def test_bad_input_names_row_and_field_and_changes_nothing(ws: Workspace) -> None:
    h = make_history(20)
    ws.upsert_tickets(h.tickets, h.status_log)
    before = ws.load_tickets()
    t = h.tickets
    dup = TicketTable(
        ids=np.array([*t.ids[:5], t.ids[2]], dtype=object), priority=t.priority[:6],
        opened=t.opened[:6], first_response=t.first_response[:6], resolved=t.resolved[:6],
        closed=t.closed[:6],
    )
    with pytest.raises(ValueError, match=r"tickets row 6: field id: duplicate ticket id 'INC000002'"):
        ws.upsert_tickets(dup, StatusLog.empty())
    with pytest.raises(ValueError, match="source"):
        ws.upsert_tickets(h.tickets, h.status_log, source="")
    after = ws.load_tickets()
    assert after[0].tickets() == before[0].tickets()
    assert status_rows(*after) == status_rows(*before)


@pytest.mark.parametrize("stop_after", [1, 3])
def test_cancel_mid_upsert_changes_nothing(tmp_path: Path, stop_after: int) -> None:
    p = tmp_path / "c.slawb"
    base = make_history(500, seed=5)
    with Workspace.create(p) as w:
        w.save_history(base)
    snapshot = table_bytes(p)

    big = big_history(35_000, seed=6)  # > 3 chunks of tickets, so the cancel lands mid-write
    calls: list[float] = []

    def progress(fraction: float, message: str) -> bool:
        calls.append(fraction)
        return len(calls) < stop_after + 1

    with Workspace.open(p) as w:
        with pytest.raises(Cancelled):
            w.upsert_tickets(big.tickets, big.status_log, progress=progress)
        assert 0 < calls[-1] < 1  # it really was cancelled part-way
        assert w.ticket_count() == 500
        with pytest.raises(Cancelled):
            w.save_history(big, progress=progress)
        assert_same_history(w.load_history(), base)
    assert table_bytes(p) == snapshot


def test_cancel_after_commit_is_too_late(ws: Workspace) -> None:
    """Once committed, a cancel request at the final report does not raise: the
    data is saved, and saying otherwise would be a lie."""
    h = make_history(30)
    seen: list[float] = []

    def progress(fraction: float, message: str) -> bool:
        seen.append(fraction)
        return fraction < 1.0

    assert ws.upsert_tickets(h.tickets, h.status_log, progress=progress)["inserted"] == 30
    assert seen[-1] == 1.0 and ws.ticket_count() == 30


def test_failure_mid_write_rolls_back(tmp_path: Path) -> None:
    """A database error after some rows went in (a status row for a ticket that
    violates NOT NULL) undoes the tickets written before it."""
    p = tmp_path / "c.slawb"
    with Workspace.create(p) as w:
        w.save_history(make_history(50))
    snapshot = table_bytes(p)
    h = make_history(100, seed=9)
    bad_log = StatusLog(h.status_log.ticket, h.status_log.at, h.status_log.status,
                        tuple(None for _ in h.status_log.status_names))  # type: ignore[misc]
    with Workspace.open(p) as w:
        with pytest.raises((sa.exc.IntegrityError, WorkspaceError)):
            w.upsert_tickets(h.tickets, bad_log)
        assert w.ticket_count() == 50
    assert table_bytes(p) == snapshot


def test_in_memory_url_works() -> None:
    with Workspace.create("sqlite://") as w:
        h = make_history(30)
        w.save_history(h)
        assert_same_history(w.load_history(), h)


# ------------------------------------------------------------------------ property


def _batch_strategy():  # type: ignore[no-untyped-def]
    from hypothesis import strategies as st

    ticket = st.fixed_dictionaries({
        "id": st.sampled_from([f"T{i}" for i in range(8)]),
        "priority": st.sampled_from(["P1", "P2", "P3", "P4"]),
        "opened": st.integers(0, 10_000),
        "resolved": st.one_of(st.none(), st.integers(0, 10_000)),
        "category": st.sampled_from([None, "user lockout", "SIEM log anomaly"]),
        "flag": st.sampled_from([None, True, False]),
        "statuses": st.lists(st.sampled_from(["New", "Awaiting User Info", "Closed"]), max_size=3),
    })  # fmt: skip
    batch = st.lists(ticket, max_size=6, unique_by=lambda d: d["id"])
    return st.lists(st.tuples(st.sampled_from(["a", "b"]), batch), min_size=1, max_size=4)


def _to_tables(batch: list[dict]) -> tuple[TicketTable, StatusLog, list[Ticket]]:  # type: ignore[type-arg]
    tickets = [
        Ticket(id=d["id"], priority=d["priority"], opened_at=T0 + timedelta(seconds=d["opened"]),
               resolved_at=None if d["resolved"] is None else T0 + timedelta(seconds=d["resolved"]),
               category=d["category"], provider_sla_met=d["flag"])
        for d in batch
    ]
    table = TicketTable.from_tickets(tickets)
    changes = [
        StatusChange(ticket_id=d["id"], at=T0 + timedelta(seconds=d["opened"] + k), status=s)
        for d in batch for k, s in enumerate(d["statuses"])
    ]
    return table, StatusLog.from_changes(changes, table), tickets


def test_upserts_behave_like_a_keyed_merge() -> None:
    """Any sequence of imports into two sources ends as the last version of every
    (source, ticket id), with the status rows of that last version."""
    from hypothesis import given, settings

    @settings(max_examples=30, deadline=None)
    @given(_batch_strategy())
    def run(batches: list[tuple[str, list[dict]]]) -> None:  # type: ignore[type-arg]
        expected: dict[tuple[str, str], tuple[Ticket, list[tuple[int, str]]]] = {}
        with Workspace.create("sqlite://") as w:
            for source, batch in batches:
                table, log, tickets = _to_tables(batch)
                w.upsert_tickets(table, log, source=source)
                rows = status_rows(table, log)
                for t in tickets:
                    expected[(source, t.id)] = (t, [(a, s) for i, a, s in rows if i == t.id])
            for source in ("a", "b"):
                table, log = w.load_tickets(source)
                rows = status_rows(table, log)
                got = {
                    (source, t.id): (t, [(a, s) for i, a, s in rows if i == t.id]) for t in table.tickets()
                }
                assert got == {k: v for k, v in expected.items() if k[0] == source}
                assert len(table) == len(got)  # no duplicates

    run()


# ------------------------------------------------------------------------ bulk paths


def test_bulk_write_settings_last_only_for_the_write(tmp_path: Path) -> None:
    """The bulk page cache is for the import transaction only; durability is never relaxed."""
    keys = ("cache_size", "temp_store", "synchronous", "journal_mode")
    with Workspace.create(tmp_path / "c.slawb") as w:
        with w.engine.connect() as conn:
            before = {k: conn.exec_driver_sql(f"PRAGMA {k}").scalar() for k in keys}
        during: list[dict[str, object]] = []

        @sa.event.listens_for(w.engine, "before_cursor_execute")
        def spy(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
            if statement.startswith("INSERT INTO tickets") and not during:
                raw = conn.connection.driver_connection
                during.append({k: raw.execute(f"PRAGMA {k}").fetchone()[0] for k in keys})

        h = make_history(300)
        w.upsert_tickets(h.tickets, h.status_log)
        sa.event.remove(w.engine, "before_cursor_execute", spy)
        # during the write: a 256 MiB cache, temp data in memory; still FULL sync and a rollback journal
        assert during == [
            {"cache_size": -262_144, "temp_store": 2, "synchronous": 2, "journal_mode": "delete"}
        ]
        with w.engine.connect() as conn:
            after = {k: conn.exec_driver_sql(f"PRAGMA {k}").scalar() for k in keys}
        assert after == before and before["cache_size"] != -262_144 and before["synchronous"] == 2


def test_status_rows_when_new_pks_must_be_looked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New tickets' pks are taken as consecutive only when checked so; otherwise looked up."""
    h = make_history(120, seed=4)
    for patched in (False, True):
        if patched:
            monkeypatch.setattr(Workspace, "_consecutive_pks", staticmethod(lambda *a: None))
        with Workspace.create(tmp_path / f"c{patched}.slawb") as w:
            w.upsert_tickets(h.tickets, h.status_log, source="a")
            w.upsert_tickets(h.tickets, h.status_log, source="b")  # pks no longer start at 1
            for src in ("a", "b"):
                t, log = w.load_tickets(src)
                assert t.tickets() == h.tickets.tickets()
                assert status_rows(t, log) == status_rows(h.tickets, h.status_log)


def test_reimport_updates_only_changed_rows(ws: Workspace) -> None:
    h = make_history(100)
    ws.upsert_tickets(h.tickets, h.status_log)
    statements: list[tuple[str, int]] = []

    @sa.event.listens_for(ws.engine, "before_cursor_execute")
    def spy(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("UPDATE tickets"):
            statements.append((statement, len(parameters) if executemany else 1))

    assert ws.upsert_tickets(h.tickets, h.status_log)["updated"] == 100
    assert statements == []  # nothing changed: no UPDATE at all
    prio = h.tickets.priority.copy()
    prio[[3, 70]] = (prio[[3, 70]] + 1) % 4
    changed = TicketTable(h.tickets.ids, prio, h.tickets.opened, h.tickets.first_response,
                          h.tickets.resolved, h.tickets.closed, h.tickets.category, h.tickets.category_names,
                          h.tickets.team, h.tickets.team_names, h.tickets.provider_sla_met)
    assert ws.upsert_tickets(changed, h.status_log)["updated"] == 100
    assert [n for _, n in statements] == [2]
    sa.event.remove(ws.engine, "before_cursor_execute", spy)
    t, log = ws.load_tickets()
    assert t.tickets() == changed.tickets()
    assert status_rows(t, log) == status_rows(h.tickets, h.status_log)
