"""Workspace load path: records without tickets, rows rebuilt from stored values,
dictionary encoding, and the schema revision check that needs no Alembic."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, timedelta
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from test_store import T0, FixedClock, assert_same_history, make_history

from models.history import BackupJob, KpiSnapshot, Outage, RestoreTest
from models.store import (
    MIGRATIONS_DIR,
    Records,
    Workspace,
    WorkspaceError,
    _encode_column,
    head_revision,
    read_revisions,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def two_sources(tmp_path: Path):
    p = tmp_path / "w.slawb"
    a, b = make_history(40, seed=1), make_history(25, seed=2, prefix="B")
    with Workspace.create(p, clock=FixedClock()) as w:
        w.save_history(a, source="psa")
        w.save_history(b, source="other")
    return p, a, b


# ------------------------------------------------------------------------ load_records


def test_load_records_returns_the_records_of_each_source(two_sources) -> None:
    p, a, b = two_sources
    with Workspace.open(p) as w:
        for source, h in (("psa", a), ("other", b)):
            r = w.load_records(source)
            assert isinstance(r, Records)
            assert (r.backups, r.restore_tests, r.outages, r.kpis) == (
                h.backups, h.restore_tests, h.outages, h.kpis)
        every = w.load_records()
        # stored order: the first source saved comes first
        assert every.backups == a.backups + b.backups
        assert every.kpis == a.kpis + b.kpis
        assert w.load_records("nobody") == Records()


def test_load_records_reads_no_ticket_or_status_table(two_sources) -> None:
    p, _, _ = two_sources
    statements: list[str] = []
    with Workspace.open(p) as w:
        sa.event.listen(w.engine, "connect", lambda dbapi, _rec: dbapi.set_trace_callback(statements.append))
        w.engine.dispose()  # the next connection is a new one, traced
        r = w.load_records()
        assert len(r.backups) == 4
        reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(reads) == 4
        assert not [s for s in reads if "tickets" in s or "status_log" in s]
        statements.clear()
        w.load_history()
        assert [s for s in statements if "FROM tickets" in s]  # the tracing does see ticket reads


def test_load_history_is_tickets_plus_records(two_sources) -> None:
    p, a, _ = two_sources
    with Workspace.open(p) as w:
        h = w.load_history("psa")
        tickets, _ = w.load_tickets("psa")
        r = w.load_records("psa")
    assert_same_history(h, a)
    assert h.tickets.tickets() == tickets.tickets()
    assert (h.backups, h.restore_tests, h.outages, h.kpis) == (r.backups, r.restore_tests, r.outages, r.kpis)


def test_rows_built_from_the_store_are_ordinary_validated_models(tmp_path: Path) -> None:
    h = make_history(5)
    odd = (
        BackupJob(system="NAS", finished_at=T0 + timedelta(seconds=1), success=False, location="hybrid"),
    )
    extra_kpi = KpiSnapshot(month=date(2026, 4, 1), patch_compliance=1.0, threats_detected=0)
    h = replace(h, backups=(*h.backups, *odd), kpis=(*h.kpis, extra_kpi))
    with Workspace.create(tmp_path / "r.slawb") as w:
        w.save_history(h)
        r = w.load_records()
    for rows, cls in ((r.backups, BackupJob), (r.restore_tests, RestoreTest), (r.outages, Outage),
                      (r.kpis, KpiSnapshot)):
        assert rows
        for row in rows:
            assert type(row) is cls
            again = cls.model_validate(row.model_dump())  # what validation would have built
            assert again == row and row.model_dump() == again.model_dump()
            assert row.model_fields_set == set(cls.model_fields)
            assert hash(row) == hash(again)
            with pytest.raises(Exception, match="frozen"):
                row.__setattr__(next(iter(cls.model_fields)), None)
    b = r.backups[-1]
    assert b.finished_at.tzinfo is not None and b.finished_at.utcoffset() == timedelta(0)
    assert b.finished_at == T0 + timedelta(seconds=1)
    assert type(b.success) is bool and b.success is False and b.location == "hybrid"
    assert all(type(x.maintenance) is bool for x in r.outages)
    assert r.outages[1].maintenance is True
    k = r.kpis[-1]
    assert type(k.month) is date and k.month == date(2026, 4, 1)
    assert type(k.patch_compliance) is float and k.threats_detected == 0 and k.endpoints_managed is None
    assert r.restore_tests[0].started_at.tzinfo is not None
    changed = b.model_copy(update={"success": True})
    assert changed.success is True and b.success is False
    assert changed.finished_at == b.finished_at and changed.model_fields_set == b.model_fields_set


def test_records_of_an_empty_workspace(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "e.slawb") as w:
        assert w.load_records() == Records()
        assert w.load_history().backups == ()


# ------------------------------------------------------------------------ encoding


def test_encode_column_first_appearance_and_blanks() -> None:
    col = np.array(["b", None, "a", "", "b", "c", None, "a"], dtype=object)
    codes, names = _encode_column(col)
    assert names == ("b", "a", "c")
    assert codes.dtype == np.int32
    assert codes.tolist() == [0, -1, 1, -1, 0, 2, -1, 1]
    assert [None if c < 0 else names[c] for c in codes] == ["b", None, "a", None, "b", "c", None, "a"]
    codes, names = _encode_column(np.array(["x", "y", "x"], dtype=object))
    assert (codes.tolist(), names) == ([0, 1, 0], ("x", "y"))
    codes, names = _encode_column(np.array([None, ""], dtype=object))
    assert (codes.tolist(), names) == ([-1, -1], ())
    codes, names = _encode_column(np.empty(0, dtype=object))
    assert (len(codes), names) == (0, ())


# ------------------------------------------------------------------------ revisions without Alembic


def alembic_view(folder: Path) -> tuple[set[str], str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(folder))
    return {str(r.revision) for r in script.walk_revisions()}, str(script.get_current_head())


def test_revisions_read_as_text_match_alembic(tmp_path: Path) -> None:
    shipped = read_revisions()
    assert (set(shipped.known), shipped.head) == alembic_view(MIGRATIONS_DIR)
    assert head_revision() == shipped.head
    # one more revision on top, with a type-annotated assignment and a tuple down_revision
    mig = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, mig, ignore=shutil.ignore_patterns("__pycache__"))
    (mig / "versions" / "9001_more.py").write_text(
        f"revision: str = '9001'\ndown_revision = ({shipped.head!r},)\n"
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade():\n    pass\n"
    )
    more = read_revisions(mig)
    assert more.head == "9001" and more.known == shipped.known | {"9001"}
    assert (set(more.known), more.head) == alembic_view(mig)


def test_revisions_with_two_heads_or_no_id_are_errors(tmp_path: Path) -> None:
    mig = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, mig, ignore=shutil.ignore_patterns("__pycache__"))
    (mig / "versions" / "9001_branch.py").write_text("revision = '9001'\ndown_revision = '0001'\n")
    with pytest.raises(RuntimeError, match="one head revision"):
        read_revisions(mig)
    (mig / "versions" / "9001_branch.py").write_text("down_revision = '0001'\n")
    with pytest.raises(RuntimeError, match="no revision identifier"):
        read_revisions(mig)


def block_alembic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any import of alembic (or a submodule) fails until ``monkeypatch.undo()``."""
    for name in [n for n in sys.modules if n == "alembic" or n.startswith("alembic.")] + ["alembic"]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError):
        import alembic.script  # noqa: F401


def test_open_at_head_newer_older_and_foreign_without_alembic(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_head, newer, foreign = tmp_path / "head.slawb", tmp_path / "newer.slawb", tmp_path / "foreign.db"
    old = tmp_path / "old.slawb"
    h = make_history(20)
    with Workspace.create(at_head) as w:
        w.save_history(h)
    shutil.copyfile(at_head, newer)
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute(f"INSERT INTO alembic_version VALUES ('{head_revision()}')")
    con.commit()
    con.close()
    shutil.copyfile(FIXTURES / "workspace_v1.slawb", old)

    block_alembic(monkeypatch)
    with Workspace.open(at_head) as w:
        assert w.revision == head_revision()
        assert_same_history(w.load_history(), h)
        w.set_meta("note", "written without alembic")
    head = head_revision()
    for path, pattern in (
        (newer, rf"newer SLA Workbench \(schema revision '0099'; this version knows up to '{head}'\)"),
        (foreign, "not an SLA Workbench workspace"),
        (old, r"upgrade from schema revision '0001' failed, nothing was changed"),  # needs Alembic
    ):
        before = digest(path)
        with pytest.raises(WorkspaceError, match=pattern):
            Workspace.open(path)
        assert digest(path) == before
    monkeypatch.undo()  # Alembic back: the old workspace is upgraded, the newer one still refused
    with Workspace.open(old) as w:
        assert w.revision == head_revision() != "0001"
    before = digest(newer)
    with pytest.raises(WorkspaceError, match="newer SLA Workbench"):
        Workspace.open(newer)
    assert digest(newer) == before


@pytest.mark.slow
def test_open_and_load_import_neither_alembic_nor_pandas(tmp_path: Path) -> None:
    """In a fresh interpreter (other tests import both), as the GUI's database thread does."""
    p = tmp_path / "w.slawb"
    from models.contract import load_contract

    with Workspace.create(p) as w:
        w.save_history(make_history(30))
        w.add_contract_version(load_contract(FIXTURES / "contract_full.yaml"))
    code = (
        "import sys\n"
        "from models.store import Workspace\n"
        f"with Workspace.open({str(p)!r}) as w:\n"
        "    w.contract_versions(); t, log = w.load_tickets(); r = w.load_records()\n"
        "    assert len(t) == 30 and len(log) and r.backups\n"
        "print(sorted(m for m in ('alembic', 'pandas') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_timestamps_stay_utc(two_sources) -> None:
    p, a, _ = two_sources
    with Workspace.open(p) as w:
        r = w.load_records("psa")
    assert [x.finished_at for x in r.backups] == [x.finished_at for x in a.backups]
    assert all(x.finished_at.tzinfo is not None and x.finished_at.tzinfo.utcoffset(None) == timedelta(0)
               for x in r.backups)
    assert r.backups[0].finished_at.astimezone(UTC) == T0


# ------------------------------------------------------------------------ contract versions


def test_contract_versions_parsed_once_per_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import models.store.workspace as store  # where stored versions are parsed
    from models.contract import load_contract

    base = load_contract(FIXTURES / "contract_full.yaml")
    p = tmp_path / "c.slawb"
    parsed: list[str] = []
    real = store.contract_from_data

    def counting(data: object, source: str = "<data>"):  # type: ignore[no-untyped-def]
        parsed.append(source)
        return real(data, source)

    monkeypatch.setattr(store, "contract_from_data", counting)
    with Workspace.create(p) as w:
        v1 = w.add_contract_version(base)
        first = w.contract_versions()
        assert len(parsed) == 1
        again = w.contract_versions()
        assert len(parsed) == 1 and again[0][1] is first[0][1] and w.contract(v1) is first[0][1]
        edited = base.model_copy(update={"version": "edited"})
        v2 = w.add_contract_version(edited, parent_id=v1)
        assert [c for _, c in w.contract_versions()] == [base, edited]
        assert len(parsed) == 2 and parsed[-1].endswith(f"contract version {v2}")
    # the cache lives with the open workspace and holds only what the database says:
    # text changed behind its back (the immutability trigger dropped) is parsed again
    with Workspace.open(p) as w:
        w.contract_versions()
        with w.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER contract_versions_immutable")
            conn.exec_driver_sql(
                f"UPDATE contract_versions SET contract_json = replace(contract_json, '\"edited\"', "
                f"'\"tampered\"') WHERE id = {v2}")
        assert w.contract(v2).version == "tampered"
