"""Contract versions in the store: saving a draft as a version and removing a version,
each one transaction (a failure half-way changes nothing); drafts with their parent
id; where a version came from (file name and document text); the 0004 upgrade."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_store import FixedClock, table_bytes

from models.contract import Contract, load_contract
from models.store import DraftRecord, Workspace, WorkspaceError, head_revision, migrate
from models.store.engine import _file_engine

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def base() -> Contract:
    return load_contract(FIXTURES / "contract_full.yaml")  # a proposal


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "client.slawb"
    Workspace.create(p, clock=FixedClock()).close()
    return p


def fail_on(w: Workspace, table: str, action: str) -> None:
    """Make every ``action`` (INSERT/DELETE) on ``table`` fail from now on."""
    with w.engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE TRIGGER test_fail BEFORE {action} ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
        )


def fails_changing_nothing(path: Path, call: Callable[[], object]) -> None:
    """``call`` fails at the simulated failure and leaves every row of the file as it was."""
    before = table_bytes(path)
    with pytest.raises((WorkspaceError, sa.exc.DatabaseError), match="simulated failure"):
        call()
    assert table_bytes(path) == before


def drop_fail(w: Workspace) -> None:
    with w.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER test_fail")


def signed(c: Contract, version: str = "2025 signed") -> Contract:
    return c.model_copy(update={"status": "signed", "version": version})


def edit(c: Contract, version: str) -> Contract:
    return c.model_copy(update={"status": "draft", "version": version})


# ------------------------------------------------------------------ save a draft as a version


def test_save_draft_as_version_stores_it_and_drops_the_draft(path: Path, base: Contract) -> None:
    with Workspace.open(path, clock=FixedClock()) as w:
        v1 = w.add_contract_version(base)
        w.save_draft("draft:1:a", edit(base, "A").to_data(), parent_version_id=v1)
        w.save_draft("draft:1:b", edit(base, "B").to_data(), parent_version_id=v1)
        v2 = w.save_draft_as_version("draft:1:a", edit(base, "A"), parent_id=v1)
        assert [(h.id, h.parent_id, h.label) for h in w.contract_history()] == [(v1, None, base.version),
                                                                              (v2, v1, "A")]
        assert w.contract(v2) == edit(base, "A")
        assert list(w.load_drafts()) == ["draft:1:b"]  # only the saved draft is gone


def test_save_draft_as_version_without_a_stored_draft(path: Path, base: Contract) -> None:
    """A draft never autosaved has no row: the version is stored all the same."""
    with Workspace.open(path) as w:
        vid = w.save_draft_as_version("draft:0:never", base)
        assert [c for _, c in w.contract_versions()] == [base] and vid == w.contract_history()[0].id


def test_save_draft_as_version_failing_at_the_draft_changes_nothing(path: Path, base: Contract) -> None:
    """The version's INSERT succeeds, then the draft's DELETE fails: the version is rolled back."""
    with Workspace.open(path) as w:
        v1 = w.add_contract_version(base)
        w.save_draft("draft:1:a", edit(base, "A").to_data(), parent_version_id=v1)
        fail_on(w, "drafts", "DELETE")
        fails_changing_nothing(path, lambda: w.save_draft_as_version("draft:1:a", edit(base, "A"), v1))
        assert [h.id for h in w.contract_history()] == [v1]
        assert list(w.load_drafts()) == ["draft:1:a"]
        drop_fail(w)
        v2 = w.save_draft_as_version("draft:1:a", edit(base, "A"), parent_id=v1)  # works once it can
        assert w.load_drafts() == {} and [h.id for h in w.contract_history()] == [v1, v2]


def test_save_draft_as_version_with_unknown_parent_keeps_the_draft(path: Path, base: Contract) -> None:
    with Workspace.open(path) as w:
        w.save_draft("draft:0:a", base.to_data())
        before = table_bytes(path)
        with pytest.raises(WorkspaceError, match="no contract version 42 \\(parent\\)"):
            w.save_draft_as_version("draft:0:a", base, parent_id=42)
        assert table_bytes(path) == before


# ------------------------------------------------------------------ remove a version


def test_remove_a_proposal_with_its_drafts(path: Path, base: Contract) -> None:
    with Workspace.open(path) as w:
        keep = w.add_contract_version(signed(base))
        gone = w.add_contract_version(base)
        w.save_draft("draft:2:a", edit(base, "A").to_data(), parent_version_id=gone)
        w.save_draft("draft:2:b", edit(base, "B").to_data(), parent_version_id=gone)
        w.save_draft("draft:1:c", edit(base, "C").to_data(), parent_version_id=keep)
        w.save_draft("draft:0:d", edit(base, "D").to_data())
        assert w.contract(gone) == base  # parsed and cached before the removal
        assert w.remove_contract_version(gone) == ["draft:2:a", "draft:2:b"]
        assert [h.id for h in w.contract_history()] == [keep]
        assert [k for k, _ in w.contract_versions()] == [keep]
        with pytest.raises(WorkspaceError, match=f"no contract version {gone}"):
            w.contract(gone)
        assert sorted(w.load_drafts()) == ["draft:0:d", "draft:1:c"]
    with Workspace.open(path) as w:  # and it is so on disk
        assert [h.id for h in w.contract_history()] == [keep]


def test_remove_a_draft_version(path: Path, base: Contract) -> None:
    with Workspace.open(path) as w:
        v1 = w.add_contract_version(signed(base))
        v2 = w.add_contract_version(edit(base, "draft"), parent_id=v1)
        assert w.remove_contract_version(v2) == []
        assert [h.id for h in w.contract_history()] == [v1]


def test_a_signed_version_cannot_be_removed(path: Path, base: Contract) -> None:
    with Workspace.open(path) as w:
        vid = w.add_contract_version(signed(base))
        w.save_draft("draft:1:a", edit(base, "A").to_data(), parent_version_id=vid)
        before = table_bytes(path)
        with pytest.raises(WorkspaceError, match=f"version {vid} is signed; a signed version is immutable"):
            w.remove_contract_version(vid)
        assert table_bytes(path) == before


def test_a_version_others_were_made_from_cannot_be_removed(path: Path, base: Contract) -> None:
    with Workspace.open(path) as w:
        v1 = w.add_contract_version(base)
        v2 = w.add_contract_version(edit(base, "A"), parent_id=v1)
        v3 = w.add_contract_version(edit(base, "B"), parent_id=v1)
        before = table_bytes(path)
        made = f"versions {v2}, {v3} were made from it; remove those first"
        with pytest.raises(WorkspaceError, match=made):
            w.remove_contract_version(v1)
        assert table_bytes(path) == before
        w.remove_contract_version(v3)
        with pytest.raises(WorkspaceError, match=f"version {v2} was made from it; remove it first"):
            w.remove_contract_version(v1)
        w.remove_contract_version(v2)
        w.remove_contract_version(v1)
        assert w.contract_history() == []


def test_the_id_of_a_removed_version_is_never_handed_out_again(path: Path, base: Contract) -> None:
    """SQLite gives a new row max(id) + 1: without care, removing the newest version
    would let the next one take its id (and a stale reference name another contract)."""
    with Workspace.open(path) as w:
        v1 = w.add_contract_version(signed(base))
        v2 = w.add_contract_version(base)
        v3 = w.add_contract_version(edit(base, "A"))
        w.remove_contract_version(v3)
        w.remove_contract_version(v2)
        v4 = w.add_contract_version(edit(base, "B"))
        assert v4 == v3 + 1
        w.remove_contract_version(v4)
    with Workspace.open(path) as w:  # remembered in the file
        v5 = w.save_draft_as_version("draft:1:x", edit(base, "C"), parent_id=v1)
        assert v5 == v4 + 1 and [h.id for h in w.contract_history()] == [v1, v5]
        with pytest.raises(ValueError, match="managed by the store"):
            w.set_meta("contract_versions_removed_id", "0")


def test_remove_an_unknown_version(path: Path) -> None:
    with Workspace.open(path) as w, pytest.raises(WorkspaceError, match="no contract version 7"):
        w.remove_contract_version(7)


def test_remove_failing_at_the_version_keeps_its_drafts(path: Path, base: Contract) -> None:
    """The drafts' DELETE succeeds, then the version's DELETE fails: the drafts are back."""
    with Workspace.open(path) as w:
        vid = w.add_contract_version(base)
        w.save_draft("draft:1:a", edit(base, "A").to_data(), parent_version_id=vid)
        fail_on(w, "contract_versions", "DELETE")
        fails_changing_nothing(path, lambda: w.remove_contract_version(vid))
        assert w.contract(vid) == base and list(w.load_drafts()) == ["draft:1:a"]


def test_database_refuses_to_delete_a_signed_version(path: Path, base: Contract) -> None:
    """The trigger backs the store's check: raw SQL cannot delete a signed version either,
    a proposal it can, and no version can be updated."""
    with Workspace.open(path) as w:
        s = w.add_contract_version(signed(base))
        p = w.add_contract_version(base)
        with pytest.raises(sa.exc.DatabaseError, match="signed contract version is immutable"), \
                w.engine.begin() as conn:
            conn.exec_driver_sql(f"DELETE FROM contract_versions WHERE id = {s}")
        with pytest.raises(sa.exc.DatabaseError, match="contract versions are immutable"), \
                w.engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE contract_versions SET label = 'tampered' WHERE id = {p}")
        with w.engine.begin() as conn:
            conn.exec_driver_sql(f"DELETE FROM contract_versions WHERE id = {p}")
        assert [h.id for h in w.contract_history()] == [s]


# ------------------------------------------------------------------ drafts with their parent


def test_draft_records_carry_their_parent_and_time(path: Path, base: Contract) -> None:
    clock = FixedClock()
    with Workspace.open(path, clock=clock) as w:
        vid = w.add_contract_version(base)
        w.save_draft("x", {"version": "new"})
        x_at = clock.now
        w.save_draft("draft:1:a", {"version": "A"}, parent_version_id=vid)
        a_at = clock.now
        records = w.draft_records()
        assert records == [
            DraftRecord("draft:1:a", vid, {"version": "A"}, a_at),
            DraftRecord("x", None, {"version": "new"}, x_at),
        ]
        assert x_at < a_at and all(r.saved_at.tzinfo is not None for r in records)
        assert {r.key: r.data for r in records} == w.load_drafts()
        w.save_draft("x", {"version": "newer"})  # an autosave replaces the row: new time, same key
        assert w.draft_records()[1] == DraftRecord("x", None, {"version": "newer"}, clock.now)


# ------------------------------------------------------------------ where a version came from


def test_source_and_document_text_are_kept(path: Path, base: Contract) -> None:
    text = "Service Level Agreement\n2.1 Priority 1 incidents: response within 30 minutes.\n"
    with Workspace.open(path) as w:
        plain = w.add_contract_version(base)
        doc = w.add_contract_version(signed(base), source="northwind-2025.pdf", source_text=text)
        yaml_file = w.add_contract_version(edit(base, "from yaml"), parent_id=doc,
                                           source="northwind-2026.yaml")
        assert [(h.id, h.source) for h in w.contract_history()] == [
            (plain, None), (doc, "northwind-2025.pdf"), (yaml_file, "northwind-2026.yaml")]
        assert w.contract_source_text(doc) == text
        assert w.contract_source_text(plain) is None and w.contract_source_text(yaml_file) is None
        with pytest.raises(WorkspaceError, match="no contract version 99"):
            w.contract_source_text(99)
        with pytest.raises(TypeError, match="source_text: expected a str"):
            w.add_contract_version(base, source_text=b"bytes")  # type: ignore[arg-type]
        assert len(w.contract_history()) == 3
    with Workspace.open(path) as w:
        assert w.contract_source_text(doc) == text


# ------------------------------------------------------------------ upgrade of older workspaces


def workspace_at(path: Path, revision: str, base: Contract) -> Path:
    """A workspace written by the release whose schema head was ``revision``: the
    migrations run up to it, rows inserted with plain SQL against that schema."""
    engine = _file_engine(path)
    with engine.begin() as conn:
        migrate(conn, target=revision)
        conn.execute(sa.text("INSERT INTO workspace_meta (key, value) VALUES ('created_at', '0')"))
        for vid, status in ((1, "signed"), (2, "proposal")):
            conn.execute(
                sa.text("INSERT INTO contract_versions (id, client_id, parent_id, name, label, status,"
                        " created_at, contract_json) VALUES (:id, NULL, NULL, :name, :label, :status, 0,"
                        " :body)"),
                {"id": vid, "name": base.name, "label": f"v{vid}", "status": status,
                 "body": base.model_copy(update={"status": status, "version": f"v{vid}"})
                 .model_dump_json()},
            )
        conn.execute(sa.text("INSERT INTO drafts (key, parent_version_id, updated_at, data)"
                             " VALUES ('draft:2:a', 2, 0, '{}')"))
    engine.dispose()
    return path


def test_workspace_at_0003_upgrades_to_sources_and_removal(tmp_path: Path, base: Contract) -> None:
    p = workspace_at(tmp_path / "old.slawb", "0003", base)
    with Workspace.open(p) as w:
        assert w.revision == head_revision() == "0006"
        assert w.meta()["schema_revision"] == "0006"
        assert [(h.id, h.status, h.source) for h in w.contract_history()] == [
            (1, "signed", None), (2, "proposal", None)]
        assert w.contract_source_text(1) is None
        assert w.draft_records()[0].parent_version_id == 2
        with pytest.raises(WorkspaceError, match="version 1 is signed"):
            w.remove_contract_version(1)
        with pytest.raises(sa.exc.DatabaseError, match="signed contract version is immutable"), \
                w.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM contract_versions WHERE id = 1")
        assert w.remove_contract_version(2) == ["draft:2:a"]
        v3 = w.add_contract_version(base, parent_id=1, source="p.docx", source_text="text")
        assert w.contract_history()[-1].source == "p.docx" and w.contract_source_text(v3) == "text"


def test_0004_downgrades_to_0003_keeping_versions_immutable(tmp_path: Path, base: Contract) -> None:
    """The downgrade drops the two columns in place: 0003's UPDATE trigger survives it."""
    from alembic import command
    from alembic.config import Config

    from models.store import MIGRATIONS_DIR

    p = workspace_at(tmp_path / "old.slawb", "0004", base)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{p}")
    command.downgrade(cfg, "0003")
    engine = sa.create_engine(f"sqlite:///{p}")
    try:
        with engine.connect() as conn:
            cols = {c["name"] for c in sa.inspect(conn).get_columns("contract_versions")}
            assert "source" not in cols and "source_text" not in cols
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0003"
            assert conn.exec_driver_sql("SELECT count(*) FROM contract_versions").scalar() == 2
        with pytest.raises(sa.exc.DatabaseError, match="contract versions are immutable"), \
                engine.begin() as conn:
            conn.exec_driver_sql("UPDATE contract_versions SET label = 'x' WHERE id = 1")
    finally:
        engine.dispose()
    with Workspace.open(p) as w:  # and it upgrades again
        assert w.revision == head_revision() and [h.label for h in w.contract_history()] == ["v1", "v2"]
