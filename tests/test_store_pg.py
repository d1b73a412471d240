"""The same store on PostgreSQL.  Runs when SLA_WORKBENCH_PG_URL names a server
(e.g. ``postgresql+psycopg://postgres@localhost:5432/postgres``; needs the
``postgres`` extra); each test works in a fresh database it creates and drops."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.contract import load_contract
from models.store import Workspace, WorkspaceError, head_revision, metadata, migrate
from workbench.progress import Cancelled

PG_URL = os.environ.get("SLA_WORKBENCH_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="SLA_WORKBENCH_PG_URL not set")

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from synthetic import big_history  # noqa: E402


@pytest.fixture
def pg_url() -> Iterator[str]:
    assert PG_URL
    admin_url = sa.engine.make_url(PG_URL)
    name = f"slawb_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def tables(url: str) -> list[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = sorted(sa.inspect(conn).get_table_names())
    engine.dispose()
    return names


def test_empty_database_is_not_a_workspace_and_is_left_empty(pg_url: str) -> None:
    with pytest.raises(WorkspaceError, match="not an SLA Workbench workspace"):
        Workspace.open(pg_url)
    assert tables(pg_url) == []
    with Workspace.open(pg_url, create=True) as w:  # asked to: creates it
        assert w.revision == head_revision()
    assert "workspace_meta" in tables(pg_url)


def test_foreign_database_is_refused_even_with_create(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE customers (id integer primary key)")
    engine.dispose()
    with pytest.raises(WorkspaceError, match="not an SLA Workbench workspace"):
        Workspace.open(pg_url, create=True)
    assert tables(pg_url) == ["customers"]


def test_schema_matches_and_round_trips(pg_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    contract = load_contract(FIXTURES / "contract_full.yaml")
    h = big_history(12_000, seed=4)  # more than one chunk
    with Workspace.create(pg_url) as w:
        assert w.revision == head_revision()
        vid = w.add_contract_version(contract)
        counts = w.save_history(h)
        assert counts["inserted"] == 12_000
    with pytest.raises(WorkspaceError, match="already holds a workspace"):
        Workspace.create(pg_url)
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    with pytest.raises(sa.exc.DatabaseError, match="immutable"), engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE contract_versions SET label = 'x' WHERE id = {vid}")
    engine.dispose()
    with Workspace.open(pg_url) as w:
        assert w.contract(vid) == contract
        t, log = w.load_tickets()
        assert t.tickets() == h.tickets.tickets()
        assert (log.ticket == h.status_log.ticket).all() and (log.at == h.status_log.at).all()
        again = w.upsert_tickets(h.tickets, h.status_log)
        assert again == {"inserted": 0, "updated": 12_000, "status_rows": len(h.status_log)}
        assert w.ticket_count() == 12_000


def test_history_with_records_round_trips_per_source(pg_url: str) -> None:
    from test_store import assert_same_history, make_history

    a, b = make_history(40, seed=1), make_history(30, seed=2, prefix="B")
    with Workspace.create(pg_url) as w:
        w.save_history(a, source="psa")
        w.save_history(b, source="other")
    with Workspace.open(pg_url) as w:
        assert_same_history(w.load_history("psa"), a)
        assert_same_history(w.load_history("other"), b)
        assert w.sources() == ["other", "psa"]


def test_cancel_leaves_nothing(pg_url: str) -> None:
    with Workspace.create(pg_url) as w:
        w.save_history(big_history(100, seed=1))
        calls: list[float] = []

        def progress(fraction: float, message: str) -> bool:
            calls.append(fraction)
            return len(calls) < 3

        with pytest.raises(Cancelled):
            big = big_history(30_000, seed=2, prefix="X")
            w.upsert_tickets(big.tickets, big.status_log, progress=progress)
        assert 0 < calls[-1] < 1
        assert w.ticket_count() == 100


def test_old_schema_upgraded_and_newer_refused(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        migrate(conn, target="0001")
        conn.exec_driver_sql(
            "INSERT INTO tickets (source, ticket_id, priority, opened_at) VALUES ('default', 'A1', 0, 100)"
        )
    engine.dispose()
    with Workspace.open(pg_url) as w:
        assert w.revision == head_revision()
        t, _ = w.load_tickets()
        assert list(t.ids) == ["A1"] and int(t.provider_sla_met[0]) == -1
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    engine.dispose()
    with pytest.raises(WorkspaceError, match="newer SLA Workbench"):
        Workspace.open(pg_url)


def test_versions_saved_from_drafts_and_removed(pg_url: str) -> None:
    """The same operations on PostgreSQL: one transaction each, and its trigger refuses
    the DELETE of a signed version as SQLite's does."""
    base = load_contract(FIXTURES / "contract_full.yaml")  # a proposal
    with Workspace.create(pg_url) as w:
        s = w.add_contract_version(base.model_copy(update={"status": "signed"}), source="sla.pdf",
                                   source_text="2.1 Priority 1: 30 minutes")
        p = w.add_contract_version(base, parent_id=s)
        w.save_draft("draft:p:a", base.to_data(), parent_version_id=p)
        w.save_draft("draft:s:b", base.to_data(), parent_version_id=s)
        parents = [(r.key, r.parent_version_id) for r in w.draft_records()]
        assert parents == [("draft:p:a", p), ("draft:s:b", s)]
        v = w.save_draft_as_version("draft:s:b", base.model_copy(update={"version": "B"}), parent_id=s)
        assert [d.key for d in w.draft_records()] == ["draft:p:a"]
        assert [(h.id, h.source) for h in w.contract_history()] == [(s, "sla.pdf"), (p, None), (v, None)]
        assert w.contract_source_text(s) == "2.1 Priority 1: 30 minutes"
        with pytest.raises(WorkspaceError, match=f"version {s} is signed; a signed version is immutable"):
            w.remove_contract_version(s)
        assert w.remove_contract_version(p) == ["draft:p:a"]
        assert w.remove_contract_version(v) == []
        with pytest.raises(sa.exc.DatabaseError, match="signed contract version is immutable"), \
                w.engine.begin() as conn:
            conn.exec_driver_sql(f"DELETE FROM contract_versions WHERE id = {s}")
        assert [h.id for h in w.contract_history()] == [s] and w.draft_records() == []
        assert w.add_contract_version(base) > v  # a removed version's id is not handed out again
