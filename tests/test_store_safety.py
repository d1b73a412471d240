"""Workspace safety: refusing what is not a (readable, known) workspace without
touching it, upgrading old files, and surviving a writer killed mid-save."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from models.contract import load_contract
from models.history import MISSING, TicketTable
from models.store import MIGRATIONS_DIR, Workspace, WorkspaceError, head_revision

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent
sys.path.insert(0, str(FIXTURES))
from synthetic import big_history  # noqa: E402


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def make_workspace(path: Path, n: int = 300, seed: int = 1) -> None:
    with Workspace.create(path) as w:
        w.save_history(big_history(n, seed=seed))
        w.add_contract_version(load_contract(FIXTURES / "contract_full.yaml"))


def assert_refused_untouched(path: Path, pattern: str) -> None:
    before, files = digest(path), siblings(path)
    with pytest.raises(WorkspaceError, match=pattern) as info:
        Workspace.open(path)
    assert str(path) in str(info.value)  # the message names the file
    assert digest(path) == before  # bytes identical
    assert siblings(path) == files  # no journal or other file left behind


def test_reading_a_workspace_writes_nothing(tmp_path: Path) -> None:
    p = tmp_path / "w.slawb"
    make_workspace(p, n=200)
    before, files = digest(p), siblings(p)
    with Workspace.open(p) as w:
        w.load_history()
        w.contract_versions()
        w.load_drafts()
    assert digest(p) == before and siblings(p) == files


# ------------------------------------------------------------------ not a workspace


def test_random_bytes_refused(tmp_path: Path) -> None:
    p = tmp_path / "random.slawb"
    p.write_bytes(np.random.default_rng(0).bytes(8192))
    assert_refused_untouched(p, "not an SLA Workbench workspace")


def test_text_file_refused(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("id,priority,opened_at\nINC1,P1,2026-01-01T00:00:00Z\n")
    assert_refused_untouched(p, "not an SLA Workbench workspace")


def test_empty_file_refused(tmp_path: Path) -> None:
    p = tmp_path / "empty.slawb"
    p.write_bytes(b"")
    assert_refused_untouched(p, r"not an SLA Workbench workspace \(empty file\)")


def test_other_sqlite_database_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers (name) VALUES ('x')")
    # another Alembic-managed app: a version table must not be mistaken for ours
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute("INSERT INTO alembic_version VALUES ('0001')")
    con.commit()
    con.close()
    assert_refused_untouched(p, "not an SLA Workbench workspace")


def test_directory_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a file"):
        Workspace.open(tmp_path)


# ------------------------------------------------------------------ damaged


def test_truncated_workspace_refused(tmp_path: Path) -> None:
    p = tmp_path / "t.slawb"
    make_workspace(p, n=3000)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    assert_refused_untouched(p, "damaged")


def test_garbled_workspace_refused(tmp_path: Path) -> None:
    p = tmp_path / "g.slawb"
    make_workspace(p, n=3000)
    data = bytearray(p.read_bytes())
    page = 4096
    rng = np.random.default_rng(7)
    for k in (3, 5, 8, 13):  # scribble over a few b-tree pages past the schema page
        data[k * page : (k + 1) * page] = rng.bytes(page)
    p.write_bytes(bytes(data))
    assert_refused_untouched(p, "damaged")


def test_garbled_header_refused(tmp_path: Path) -> None:
    p = tmp_path / "h.slawb"
    make_workspace(p, n=50)
    data = bytearray(p.read_bytes())
    data[0:16] = b"SQLite format 2\x00"
    p.write_bytes(bytes(data))
    assert_refused_untouched(p, "not an SLA Workbench workspace")


# ------------------------------------------------------------------ schema revisions


def test_newer_schema_refused_untouched(tmp_path: Path) -> None:
    p = tmp_path / "future.slawb"
    make_workspace(p, n=50)
    con = sqlite3.connect(p)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    assert_refused_untouched(p, r"newer SLA Workbench \(schema revision '0099'")


def v1_copy(tmp_path: Path) -> Path:
    p = tmp_path / "old.slawb"
    shutil.copyfile(FIXTURES / "workspace_v1.slawb", p)
    return p


def test_fixture_is_at_revision_0001() -> None:
    con = sqlite3.connect(f"file:{FIXTURES / 'workspace_v1.slawb'}?mode=ro", uri=True)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        cols = [r[1] for r in con.execute("PRAGMA table_info(tickets)")]
        assert "closed_at" not in cols and "provider_sla_met" not in cols
    finally:
        con.close()


def test_fixture_matches_its_generator(tmp_path: Path) -> None:
    """The committed fixture holds what make_fixtures.py writes (same rows, table by table)."""
    from make_fixtures import build

    def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {n: con.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in sorted(names)}
        finally:
            con.close()

    assert dump(build(tmp_path / "fresh.slawb")) == dump(FIXTURES / "workspace_v1.slawb")


def test_old_workspace_upgraded_with_data_kept(tmp_path: Path) -> None:
    p = v1_copy(tmp_path)
    with Workspace.open(p) as w:
        assert w.revision == head_revision() != "0001"
        assert w.meta()["schema_revision"] == head_revision()
        h = w.load_history()
        t = h.tickets
        assert list(t.ids) == ["INC0001", "INC0002", "INC0003"]
        assert [x.priority for x in t.tickets()] == ["P1", "P3", "P4"]
        assert t.tickets()[0].category == "credential theft" and t.tickets()[0].team == "SOC"
        assert t.tickets()[2].first_response_at is None
        assert np.all(t.closed == MISSING) and np.all(t.provider_sla_met == -1)  # new columns empty
        log = [(str(t.ids[i]), h.status_log.status_names[s]) for i, s in
               zip(h.status_log.ticket.tolist(), h.status_log.status.tolist(), strict=True)]
        assert log == [("INC0001", "New"), ("INC0001", "Resolved"), ("INC0002", "New"),
                       ("INC0002", "Awaiting User Info")]
        assert len(h.backups) == len(h.restore_tests) == len(h.outages) == len(h.kpis) == 1
        assert h.kpis[0].patch_compliance == pytest.approx(0.93)
        assert [c for _, c in w.contract_versions()] == [load_contract(FIXTURES / "contract_full.yaml")]
        assert w.load_drafts() == {"contract-1": {"version": "2027 draft"}}
        assert [(d.file_name, d.preset, d.tickets) for d in w.data_sources()] == [
            ("export.csv", "servicenow", 3)
        ]
        # what 0002 added works: the provider's verdict and closure, and scenarios
        first = t.tickets()[0].model_copy(update={"provider_sla_met": True, "closed_at": None})
        w.upsert_tickets(TicketTable.from_tickets([first]), h.status_log.__class__.empty())
        assert w.load_tickets()[0].tickets()[0].provider_sla_met is True
        w.save_scenario("what if", {"a": 1})
        assert w.scenarios() == {"what if": {"a": 1}}
    with Workspace.open(p) as w:  # opens again at head without any further upgrade
        assert w.ticket_count() == 3


def test_old_workspace_untouched_when_upgrade_declined(tmp_path: Path) -> None:
    p = v1_copy(tmp_path)
    before = digest(p)
    with pytest.raises(WorkspaceError, match="older"):
        Workspace.open(p, upgrade=False)
    assert digest(p) == before


def test_failed_upgrade_changes_nothing(tmp_path: Path) -> None:
    """A migration that fails half-way (after DDL and data changes) rolls back every
    step of the upgrade, the good ones before it included: the file is byte-for-byte
    the old one."""
    mig = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, mig, ignore=shutil.ignore_patterns("__pycache__"))
    (mig / "versions" / "9001_broken.py").write_text(
        "import sqlalchemy as sa\n"
        "from alembic import op\n"
        f"revision = '9001'\ndown_revision = {head_revision()!r}\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.add_column('tickets', sa.Column('extra', sa.Integer(), nullable=True))\n"
        "    op.execute(\"DELETE FROM status_log\")\n"
        "    raise RuntimeError('disk full (simulated)')\n"
    )
    p = v1_copy(tmp_path)
    before = digest(p)
    with pytest.raises(WorkspaceError, match=r"upgrade from schema revision '0001' failed.*simulated"):
        Workspace.open(p, migrations_dir=mig)
    assert digest(p) == before
    with Workspace.open(p) as w:  # the shipped migrations still upgrade it, data intact
        assert w.ticket_count() == 3 and len(w.load_tickets()[1]) == 4


# ------------------------------------------------------------------ killed mid-save

CHILD = r"""
import sys, time
sys.path[:0] = [{root!r}, {fixtures!r}]
from pathlib import Path
from synthetic import big_history
from models import store
from models.store import Workspace

# A bulk write holds its pages in a large cache until the commit; one bigger than that
# cache spills pages into the file mid-transaction.  spill=True makes this one spill
# (small cache), so the kill lands with the file already changed and only the journal
# can restore it.
if {spill}:
    store.BULK_PRAGMAS["cache_size"] = -256
marker = Path({marker!r})
history = big_history({n}, seed=99, prefix="NEW")

def progress(fraction, message):
    if fraction > 0.5 and not marker.exists():
        marker.write_text(message)   # well inside the transaction: tell the parent, then wait
        time.sleep(120)

with Workspace.open({path!r}) as w:
    w.save_history(history, progress=progress)
"""


@pytest.mark.parametrize("spill", [True, False], ids=["pages-in-file", "pages-in-cache"])
def test_writer_killed_mid_save_leaves_previous_state(tmp_path: Path, spill: bool) -> None:
    p = tmp_path / "client.slawb"
    make_workspace(p, n=400, seed=3)
    with Workspace.open(p) as w:
        before = w.load_history()
        versions = w.contract_versions()
    base_digest = digest(p)

    marker = tmp_path / "writing"
    code = CHILD.format(root=str(ROOT), fixtures=str(FIXTURES), marker=str(marker), n=60_000, path=str(p),
                        spill=spill)
    child = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"writer ended early: {child.stderr.read().decode() if child.stderr else ''}")
            if time.monotonic() > deadline:
                pytest.fail("writer never reached the middle of the save")
            time.sleep(0.05)
        journal = p.with_name(p.name + "-journal")
        assert journal.exists()  # a write transaction is open
        if spill:
            assert digest(p) != base_digest  # and pages were already written into the file itself
        else:
            assert digest(p) == base_digest  # the bulk cache holds them: the file is untouched
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert journal.exists()  # the killed writer left a hot journal behind

    with Workspace.open(p) as w:  # rolls the journal back: the previous state, valid
        after = w.load_history()
        assert w.ticket_count() == 400
        assert after.tickets.tickets() == before.tickets.tickets()
        assert np.array_equal(after.status_log.at, before.status_log.at)
        assert w.contract_versions() == versions
        w.save_history(big_history(10, seed=5))  # and it is writable again
        assert w.ticket_count() == 10
    assert not journal.exists()
    con = sqlite3.connect(p)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()


def test_an_import_and_its_data_source_are_one_transaction(tmp_path: Path) -> None:
    """The tickets of an import and the record of where they came from commit together:
    when the record cannot be written, the tickets are not there either (the import said
    "nothing was changed" while its tickets had been committed in a first transaction)."""
    from test_ui_support import make_history

    from models.store import NewDataSource
    from workbench.importing.workspace import read_export, save_ticket_import

    path = tmp_path / "w.slawb"
    history = make_history(50)
    with Workspace.create(path) as ws:
        unwritable = NewDataSource("export.csv", "servicenow", details={"bad": object()})
        with pytest.raises((WorkspaceError, TypeError, ValueError)):
            ws.upsert_tickets(history.tickets, history.status_log, data_source=unwritable)
        assert ws.ticket_count() == 0 and ws.data_sources() == []
        with pytest.raises((WorkspaceError, TypeError, ValueError)):
            ws.save_history(history, data_source=unwritable)
        assert ws.ticket_count() == 0 and ws.data_sources() == []

        result = read_export(ROOT / "resources" / "demo" / "tickets.csv")
        save_ticket_import(ws, result, "export.csv")
        (src,) = ws.data_sources()
        expected = ("export.csv", result.preset.name, len(result.tickets))
        assert (src.file_name, src.preset, src.tickets) == expected
        assert ws.ticket_count() == len(result.tickets) > 0
