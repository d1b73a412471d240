"""The workspace store: one client's or engagement's contracts and history.

A workspace is an SQLite file (``.slawb``) by default; the same code runs on any
SQLAlchemy URL (PostgreSQL is tested when ``SLA_WORKBENCH_PG_URL`` is set).
The schema is created and upgraded only by the Alembic migrations shipped in
:mod:`models.migrations`, run programmatically inside one transaction.

Safety
    Every write is one transaction.  On SQLite, SQLAlchemy emits ``BEGIN`` itself
    (so DDL is transactional too: a failed upgrade changes nothing), the file
    uses a rollback journal with ``synchronous=FULL``, and a process killed
    mid-write leaves the previous state, restored from the journal on next open.
    Bulk writes (imports) get a large page cache for their transaction only, so
    pages reach the file at the commit; durability settings are never relaxed.
    Opening checks, before anything is written, that the file is an SQLite
    database, is not truncated or damaged (``PRAGMA quick_check``), carries the
    workspace marker, and has a schema revision this app knows; otherwise it
    raises :class:`WorkspaceError` naming the file and leaves it untouched.
    Opening never creates a file unless asked to.  The known revisions are read
    from the migration scripts as text (:func:`read_revisions`); Alembic is
    imported only when a migration runs (creating, or upgrading an older file).

Threads
    A :class:`Workspace` is thread-confined: use it from one thread at a time
    (the GUI runs it on its single database worker thread).  It may be created
    on one thread and handed to another.

Data
    Bulk history is written with SQLAlchemy Core ``executemany`` in chunks and read
    back as columnar numpy arrays (:class:`TicketTable`, :class:`StatusLog`);
    backups, restore tests, outages and KPIs load on their own
    (:meth:`Workspace.load_records`) as row models rebuilt from the stored, already
    validated values.
    Instants are stored as int64 epoch seconds (NULL when absent).  Contract
    versions are immutable snapshots (the full JSON); editing adds a new version
    whose ``parent_id`` is the one it was made from.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import operator
import os
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import NullPool, StaticPool

from models.contract import Contract, ContractError, contract_from_data
from models.history import (
    MISSING,
    BackupJob,
    History,
    KpiSnapshot,
    Outage,
    RestoreTest,
    Row,
    StatusLog,
    TicketTable,
    from_epoch,
    to_epoch,
)
from models.progress import ProgressCallback, report

__all__ = [
    "APP_ID",
    "MIGRATIONS_DIR",
    "SUFFIX",
    "ContractVersionInfo",
    "DataSourceRecord",
    "Records",
    "Revisions",
    "Workspace",
    "WorkspaceError",
    "head_revision",
    "migrate",
    "read_revisions",
]

APP_ID = "sla-workbench-workspace"
SUFFIX = ".slawb"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
CHUNK = 10_000  # rows per executemany call (and per progress report / cancel check)
SQLITE_MAGIC = b"SQLite format 3\x00"

Clock = Callable[[], datetime]


class WorkspaceError(Exception):
    """A workspace cannot be opened, created or used; the message names the file."""


# ------------------------------------------------------------------------ schema (head)
# Mirrors what the migrations build (tests/test_store.py compares the two).

BigId = BigInteger().with_variant(Integer(), "sqlite")
metadata = MetaData()

t_meta = Table(
    "workspace_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text(), nullable=False),
)
t_clients = Table(
    "clients",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("notes", Text(), nullable=False, server_default=""),
    Column("created_at", BigInteger(), nullable=False),
)
t_versions = Table(
    "contract_versions",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("client_id", Integer(), ForeignKey("clients.id"), nullable=True),
    Column("parent_id", Integer(), ForeignKey("contract_versions.id"), nullable=True),
    Column("name", Text(), nullable=False),
    Column("label", Text(), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", BigInteger(), nullable=False),
    Column("contract_json", Text(), nullable=False),
    Index("ix_contract_versions_parent", "parent_id"),
)
t_drafts = Table(
    "drafts",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("parent_version_id", Integer(), ForeignKey("contract_versions.id"), nullable=True),
    Column("updated_at", BigInteger(), nullable=False),
    Column("data", Text(), nullable=False),
)
t_tickets = Table(
    "tickets",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("source", String(200), nullable=False),
    Column("ticket_id", String(200), nullable=False),
    Column("priority", SmallInteger(), nullable=True),
    Column("opened_at", BigInteger(), nullable=False),
    Column("first_response_at", BigInteger(), nullable=True),
    Column("resolved_at", BigInteger(), nullable=True),
    Column("category", String(200), nullable=True),
    Column("team", String(100), nullable=True),
    Column("closed_at", BigInteger(), nullable=True),
    Column("provider_sla_met", Boolean(), nullable=True),
    UniqueConstraint("source", "ticket_id", name="uq_tickets_source_ticket"),
)
t_status = Table(
    "status_log",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("ticket_pk", BigId, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
    Column("at", BigInteger(), nullable=False),
    Column("status", String(200), nullable=False),
    Index("ix_status_log_ticket_at", "ticket_pk", "at"),
)
t_backups = Table(
    "backups",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("system", String(200), nullable=False),
    Column("finished_at", BigInteger(), nullable=False),
    Column("success", Boolean(), nullable=False),
    Column("location", String(20), nullable=False),
)
t_restores = Table(
    "restore_tests",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("system", String(200), nullable=False),
    Column("started_at", BigInteger(), nullable=False),
    Column("finished_at", BigInteger(), nullable=False),
    Column("success", Boolean(), nullable=False),
)
t_outages = Table(
    "outages",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("service", String(200), nullable=False),
    Column("start_at", BigInteger(), nullable=False),
    Column("end_at", BigInteger(), nullable=False),
    Column("maintenance", Boolean(), nullable=False),
)
t_kpis = Table(
    "kpis",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("month", Date(), nullable=False),
    Column("patch_compliance", Float(), nullable=True),
    Column("threats_detected", Integer(), nullable=True),
    Column("threats_resolved", Integer(), nullable=True),
    Column("endpoints_managed", Integer(), nullable=True),
    UniqueConstraint("source", "month", name="uq_kpis_source_month"),
)
t_sources = Table(
    "data_sources",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("file_name", Text(), nullable=False),
    Column("preset", String(100), nullable=True),
    Column("imported_at", BigInteger(), nullable=False),
    Column("tickets", Integer(), nullable=False),
    Column("status_rows", Integer(), nullable=False),
    Column("rejected", Integer(), nullable=False),
    Column("details", Text(), nullable=True),
)
t_scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", BigInteger(), nullable=False),
    Column("updated_at", BigInteger(), nullable=False),
    Column("data", Text(), nullable=False),
    UniqueConstraint("name", name="uq_scenarios_name"),
)

TICKET_FIELDS = (  # in table column order, so bulk statements need no reordering
    "priority", "opened_at", "first_response_at", "resolved_at", "category", "team",
    "closed_at", "provider_sla_met",
)  # fmt: skip


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ContractVersionInfo:
    """One row of the version history (without the contract body)."""

    id: int
    parent_id: int | None
    name: str
    label: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class DataSourceRecord:
    id: int
    source: str
    file_name: str
    preset: str | None
    imported_at: datetime
    tickets: int
    status_rows: int
    rejected: int
    details: dict[str, Any] | None


@dataclass(frozen=True)
class Records:
    """The history besides tickets: what :meth:`Workspace.load_records` returns."""

    backups: tuple[BackupJob, ...] = ()
    restore_tests: tuple[RestoreTest, ...] = ()
    outages: tuple[Outage, ...] = ()
    kpis: tuple[KpiSnapshot, ...] = ()


# ------------------------------------------------------------------------- migrations


def _script(migrations_dir: Path | None = None) -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(migrations_dir or MIGRATIONS_DIR))


@dataclass(frozen=True)
class Revisions:
    """The schema revisions a migrations folder defines, read without Alembic."""

    known: frozenset[str]
    head: str


def _literal(node: Any, where: Path) -> Any:
    import ast

    try:
        return ast.literal_eval(node)
    except ValueError:
        raise RuntimeError(f"{where}: revision identifiers must be literals") from None


def read_revisions(migrations_dir: Path | None = None) -> Revisions:
    """Every revision and the head of the migration scripts in ``migrations_dir``
    (default: the shipped ones), from the ``revision`` and ``down_revision``
    assignments of ``versions/*.py`` parsed as text: no Alembic import, no module
    executed.  The same graph Alembic builds (tests/test_store.py compares them);
    used on every open, so Alembic is imported only when a migration runs."""
    import ast

    folder = (migrations_dir or MIGRATIONS_DIR) / "versions"
    parents: dict[str, tuple[str, ...]] = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith(("__init__", ".#")):
            continue
        values: dict[str, Any] = {}
        for node in ast.parse(path.read_bytes(), str(path)).body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id in ("revision", "down_revision"):
                        values[t.id] = _literal(node.value, path)
        rev = values.get("revision")
        if not isinstance(rev, str) or not rev:
            raise RuntimeError(f"{path}: no revision identifier")
        if rev in parents:
            raise RuntimeError(f"{path}: revision {rev!r} defined twice")
        down = values.get("down_revision")
        parents[rev] = () if down is None else (down,) if isinstance(down, str) else tuple(down)
    for rev, downs in parents.items():
        for d in downs:
            if d not in parents:
                raise RuntimeError(f"{folder}: revision {rev!r} revises unknown revision {d!r}")
    referenced = {d for downs in parents.values() for d in downs}
    heads = sorted(set(parents) - referenced)
    if len(heads) != 1:
        raise RuntimeError(f"{folder}: expected one head revision, found {heads}")
    return Revisions(frozenset(parents), heads[0])


def head_revision(migrations_dir: Path | None = None) -> str:
    """The newest schema revision this app knows."""
    return read_revisions(migrations_dir).head


def migrate(conn: Connection, target: str = "head", migrations_dir: Path | None = None) -> None:
    """Upgrade the schema reachable through ``conn`` to ``target`` in the caller's
    transaction (begin it first: a failure then rolls every step back)."""
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext

    script = _script(migrations_dir)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir or MIGRATIONS_DIR))

    def upgrade(rev: Any, context: Any) -> Any:
        return script._upgrade_revs(target, rev)

    with EnvironmentContext(cfg, script, fn=upgrade, destination_rev=target) as env:
        env.configure(connection=conn, transactional_ddl=True)
        env.run_migrations()


# ------------------------------------------------------------------------- engines


def _sqlite_events(engine: Engine) -> None:
    """Let SQLAlchemy emit BEGIN (transactional DDL, no driver autocommit) and set pragmas."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def _resolve(path_or_url: str | os.PathLike[str]) -> tuple[URL, Path | None]:
    """A path (or sqlite URL to a file) -> (url, file path); other URLs -> (url, None)."""
    text = os.fspath(path_or_url)
    if isinstance(path_or_url, os.PathLike) or "://" not in text:
        p = Path(text).expanduser().absolute()
        return URL.create("sqlite", database=str(p)), p
    try:
        url = make_url(text)
    except Exception as exc:
        raise WorkspaceError(f"{text}: not a file path or database URL ({exc})") from None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return url, Path(str(url.database)).expanduser().absolute()
    return url, None


def _file_engine(path: Path, readonly: bool = False) -> Engine:
    if readonly:
        uri = f"file:{urllib.parse.quote(str(path))}?mode=ro"

        def creator() -> sqlite3.Connection:
            return sqlite3.connect(uri, uri=True, check_same_thread=False)

        engine = sa.create_engine("sqlite://", creator=creator, poolclass=NullPool)
    else:
        url = URL.create("sqlite", database=str(path))
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
    _sqlite_events(engine)
    return engine


def _url_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":  # in-memory
        engine = sa.create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        _sqlite_events(engine)
        return engine
    return sa.create_engine(url)


def _display(url: URL, path: Path | None) -> str:
    return str(path) if path is not None else url.render_as_string(hide_password=True)


def _journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def _check_sqlite_file(path: Path) -> bool:
    """Cheap checks on the raw bytes; returns True if a hot journal awaits rollback."""
    if not path.exists():
        raise WorkspaceError(f"{path}: no such workspace file")
    if not path.is_file():
        raise WorkspaceError(f"{path}: not a file")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot read: {exc.strerror}") from None
    if size == 0:
        raise WorkspaceError(f"{path}: not an SLA Workbench workspace (empty file)")
    if not header.startswith(SQLITE_MAGIC):
        raise WorkspaceError(f"{path}: not an SLA Workbench workspace (not an SQLite database file)")
    if len(header) < 100:
        raise WorkspaceError(f"{path}: damaged workspace file (truncated header, {size} bytes)")
    journal = _journal(path)
    hot = journal.exists() and journal.stat().st_size > 0
    if not hot:
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        if header[24:28] == header[92:96]:  # the in-header page count is valid
            expected = int.from_bytes(header[28:32], "big") * page_size
            if size < expected:
                raise WorkspaceError(
                    f"{path}: damaged workspace file (truncated: {size} bytes, expected {expected})"
                )
    return hot


def _inspect(conn: Connection, where: str, revisions: Revisions) -> str:
    """Check the workspace marker and schema revision; return the revision."""
    names = set(sa.inspect(conn).get_table_names())
    if "workspace_meta" not in names:
        raise WorkspaceError(
            f"{where}: not an SLA Workbench workspace (a database without the workspace marker)"
        )
    app = conn.execute(select(t_meta.c.value).where(t_meta.c.key == "app_id")).scalar()
    if app != APP_ID:
        raise WorkspaceError(f"{where}: not an SLA Workbench workspace (marker {app!r})")
    if "alembic_version" not in names:
        raise WorkspaceError(f"{where}: damaged workspace (no schema revision recorded)")
    revs = [str(r) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()]
    if len(revs) != 1:
        raise WorkspaceError(f"{where}: damaged workspace (schema revisions {revs})")
    rev = revs[0]
    if rev not in revisions.known:
        head = revisions.head
        raise WorkspaceError(
            f"{where}: written by a newer SLA Workbench (schema revision {rev!r}; this version "
            f"knows up to {head!r}); open it with a newer version of the app"
        )
    return rev


def _is_empty_database(url: URL) -> bool:
    """True when the database at ``url`` answers and holds no tables at all."""
    engine = _url_engine(url)
    try:
        with engine.connect() as conn:
            return not sa.inspect(conn).get_table_names()
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def _db_error(where: str, exc: BaseException) -> WorkspaceError:
    orig = getattr(exc, "orig", None) or exc
    return WorkspaceError(f"{where}: damaged or unreadable workspace ({orig})")


# ------------------------------------------------------------------------ helpers


def _json(data: Any, what: str) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False)  # key order kept
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what}: not JSON-serialisable ({exc})") from None


def _encode_column(values: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """Dictionary-encode an object column of str/None (None and "" -> -1); names in
    order of first appearance.  C-level: a dict handing each new value the next code
    (``defaultdict`` over ``itertools.count``) mapped over the column, then numpy.
    (pyarrow's encoding pulled pandas in on first use: ~0.3 s.)"""
    seen: collections.defaultdict[Any, int] = collections.defaultdict(itertools.count().__next__)
    codes = np.fromiter(map(seen.__getitem__, values.tolist()), dtype=np.int32, count=len(values))
    keys = list(seen)
    drop = [k is None or k == "" for k in keys]
    if not any(drop):
        return codes, tuple(str(k) for k in keys)
    kept = [k for k, d in zip(keys, drop, strict=True) if not d]
    remap = np.full(len(keys), -1, dtype=np.int32)
    remap[~np.array(drop)] = np.arange(len(kept), dtype=np.int32)
    return remap[codes], tuple(str(k) for k in kept)


def _fetch_rows(conn: Connection, stmt: Any) -> list[tuple[Any, ...]]:
    """Run a Core SELECT on the connection's DBAPI cursor: plain tuples, no Row objects."""
    compiled = stmt.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    args: Any = params
    if conn.dialect.positional:
        args = tuple(params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, args)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _fetch_array(conn: Connection, stmt: Any) -> np.ndarray:
    """Run a Core SELECT on the connection's DBAPI cursor and return the rows as a
    2-D object array (no per-row Row objects: the engine wants columns)."""
    rows = _fetch_rows(conn, stmt)
    width = len(rows[0]) if rows else len(stmt.selected_columns)
    out = np.empty((len(rows), width), dtype=object)
    if rows:
        out[:] = rows
    return out


def _utc(sec: int) -> datetime:
    return datetime.fromtimestamp(sec, tz=UTC)


def _month(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def _opt(v: Any, kind: Callable[[Any], Any]) -> Any:
    return None if v is None else kind(v)


def _stored_rows(cls: type[Row], names: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> tuple[Any, ...]:
    """Row models built from database rows without validating them again (the store
    only ever holds validated rows, converted back to the field types by the caller:
    aware datetimes, bools, dates).  What ``cls.model_construct(**row)`` does for a
    row giving every field of a plain model, at about a third of its cost (35k
    backups: ~0.2 s -> ~0.08 s); any other model goes through ``model_construct``."""
    if (set(names) != set(cls.__pydantic_fields__) or cls.__pydantic_post_init__
            or cls.__pydantic_root_model__ or cls.model_config.get("extra") == "allow"):
        return tuple(cls.model_construct(**dict(zip(names, r, strict=True))) for r in rows)
    new, put, fields = cls.__new__, object.__setattr__, frozenset(names)
    out = []
    for r in rows:
        obj = new(cls)
        put(obj, "__dict__", dict(zip(names, r, strict=True)))
        put(obj, "__pydantic_fields_set__", set(fields))
        put(obj, "__pydantic_extra__", None)
        put(obj, "__pydantic_private__", None)
        out.append(obj)
    return tuple(out)


def _nullable(arr: np.ndarray, null: np.ndarray) -> list[Any]:
    """``arr`` as a list of Python ints with None where ``null``; built in C, no per-row branch."""
    out = arr.astype(object)
    if null.any():
        out[null] = None
    return out.tolist()  # type: ignore[no-any-return]


def _instants(arr: np.ndarray) -> list[int | None]:
    return _nullable(arr, arr == MISSING)


def _names(codes: np.ndarray, names: tuple[str, ...]) -> list[str | None]:
    lookup = np.array([*names, None], dtype=object)  # code -1 -> the trailing None
    return lookup[np.where(codes < 0, len(names), codes)].tolist()  # type: ignore[no-any-return]


def _id_list(ids: np.ndarray) -> list[str]:
    out = ids.tolist()
    if set(map(type, out)) - {str}:
        out = [str(x) for x in out]
    return out  # type: ignore[no-any-return]


def _ticket_columns(t: TicketTable) -> dict[str, list[Any]]:
    flags = np.array([False, True, None], dtype=object)
    f = t.provider_sla_met
    return {
        "ticket_id": _id_list(t.ids),
        "priority": _nullable(t.priority, t.priority < 0),
        "opened_at": t.opened.tolist(),
        "first_response_at": _instants(t.first_response),
        "resolved_at": _instants(t.resolved),
        "closed_at": _instants(t.closed),
        "category": _names(t.category, t.category_names),
        "team": _names(t.team, t.team_names),
        "provider_sla_met": flags[np.where(f < 0, 2, (f != 0).astype(np.int8))].tolist(),
    }


def _validate_ids(ids: np.ndarray) -> None:
    """Empty, over-long and duplicate ticket ids, found with pyarrow kernels (no
    per-row Python); the first offending row is named, as a row-by-row check would."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(ids, type=pa.string(), from_pandas=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # ids that are not str: compare their text
        arr = pa.array([None if x is None else str(x) for x in ids.tolist()], type=pa.string())
    length = pc.utf8_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
    bad = np.flatnonzero((length == 0) | (length > 200))
    end = int(bad[0]) if len(bad) else len(arr)  # rows before the first bad one hold ids
    codes = pc.dictionary_encode(arr.slice(0, end)).indices.to_numpy(zero_copy_only=False)
    # codes follow first appearance: the ids are unique exactly when the codes are 0..end-1
    if not np.array_equal(codes, np.arange(end)):
        _, first = np.unique(codes, return_index=True)
        repeat = np.ones(end, dtype=bool)
        repeat[first] = False
        i = int(np.flatnonzero(repeat)[0])
        j = int(first[codes[i]])
        raise ValueError(
            f"tickets row {i + 1}: field id: duplicate ticket id {arr[i].as_py()!r} (also row {j + 1})"
        )
    if len(bad):
        i = end
        what = "empty ticket id" if length[i] == 0 else "longer than 200 characters"
        raise ValueError(f"tickets row {i + 1}: field id: {what}")


def _validate_tickets(t: TicketTable, s: StatusLog, source: str) -> None:
    if not isinstance(source, str) or not source.strip() or len(source) > 200:
        raise ValueError(f"source {source!r}: a non-empty name of at most 200 characters is required")
    _validate_ids(t.ids)
    bad = np.flatnonzero((t.priority < -1) | (t.priority > 3))
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"tickets row {i + 1}: field priority: code {int(t.priority[i])} (use 0..3, -1)")
    bad = np.flatnonzero(t.opened == MISSING)
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"tickets row {i + 1} ({t.ids[i]}): field opened_at: missing")
    if len(s):
        bad = np.flatnonzero((s.ticket < 0) | (s.ticket >= len(t)))
        if len(bad):
            i = int(bad[0])
            raise ValueError(f"status row {i + 1}: field ticket: index {int(s.ticket[i])} out of range")
        bad = np.flatnonzero((s.status < 0) | (s.status >= len(s.status_names)) | (s.at == MISSING))
        if len(bad):
            i = int(bad[0])
            raise ValueError(f"status row {i + 1}: field status/at: missing")


def _chunks(n: int, size: int = CHUNK) -> Iterator[tuple[int, int]]:
    for i in range(0, n, size):
        yield i, min(n, i + size)


def _done(progress: ProgressCallback | None, message: str) -> None:
    """Report completion after the commit: too late to cancel, so the answer is ignored
    (raising Cancelled now would claim nothing changed when everything did)."""
    if progress is not None:
        progress(1.0, message)


BULK_PRAGMAS = {"cache_size": -262_144, "temp_store": 2}  # 256 MiB of page cache; MEMORY


def _bulk_pragmas(conn: Connection) -> dict[str, int]:
    """Set :data:`BULK_PRAGMAS` on an SQLite connection (on the driver connection,
    outside any transaction); return the values they replace."""
    raw = conn.connection.driver_connection
    saved = {}
    for name, value in BULK_PRAGMAS.items():
        saved[name] = int(raw.execute(f"PRAGMA {name}").fetchone()[0])  # type: ignore[union-attr]
        raw.execute(f"PRAGMA {name}={int(value)}")  # type: ignore[union-attr]
    return saved


def _restore_pragmas(conn: Connection, saved: dict[str, int]) -> None:
    """Put the connection's settings back before it returns to the pool; a
    connection already broken by a failure is discarded by the pool anyway."""
    with contextlib.suppress(sa.exc.SQLAlchemyError, sqlite3.Error):
        raw = conn.connection.driver_connection
        for name, value in saved.items():
            raw.execute(f"PRAGMA {name}={int(value)}")  # type: ignore[union-attr]


MULTI_ROW_PARAMS = 500  # bound values per multi-row INSERT on SQLite (its limit is 32,766)


class _Many:
    """One Core statement (``insert(table)``, ``update(...)``, ``delete(...)``) compiled
    once for the connection's dialect and run with DBAPI ``executemany`` over chunks
    of plain tuples: Core without per-row parameter processing (about 3x faster
    than a list of dicts).  Values must already be driver-native (int, str, bool,
    None).  Works with positional (SQLite) and named (PostgreSQL) paramstyles.

    An insert into a table on SQLite also compiles a multi-row ``INSERT ... VALUES
    (...), (...), ...`` of ``k`` rows and feeds it the rows ``k`` at a time: one
    statement step per ``k`` rows instead of one per row (about half the time)."""

    def __init__(self, conn: Connection, stmt: Any, names: Sequence[str]) -> None:
        self.k, self.multi_sql = 1, ""
        if isinstance(stmt, Table):
            table = stmt
            stmt = insert(table).values({n: bindparam(n) for n in names})
            k = MULTI_ROW_PARAMS // max(1, len(names))
            if conn.dialect.name == "sqlite" and k > 1:
                multi = insert(table).values([{n: bindparam(f"{n}__{j}") for n in names} for j in range(k)])
                mc = multi.compile(dialect=conn.dialect)
                if list(mc.positiontup or ()) == [f"{n}__{j}" for j in range(k) for n in names]:
                    self.k, self.multi_sql = k, mc.string
        compiled = stmt.compile(dialect=conn.dialect)
        self.conn, self.sql, self.names = conn, compiled.string, tuple(names)
        self.order: list[int] | None = None
        if conn.dialect.positional:
            index = {n: i for i, n in enumerate(self.names)}
            order = [index[p] for p in compiled.positiontup or ()]
            self.order = None if order == list(range(len(self.names))) else order
            self.named = False
        else:
            self.named = True

    def columns(self, cols: Sequence[Sequence[Any]]) -> None:
        """Run over rows given as equal-length columns: on the multi-row path the
        parameters are laid out straight from the columns, no per-row tuples kept."""
        n = len(cols[0])
        full = n - n % self.k if self.k > 1 else 0
        if full:
            rows = zip(*(itertools.islice(c, full) for c in cols), strict=True)
            flat = list(itertools.chain.from_iterable(rows))
            w = self.k * len(self.names)
            self.conn.exec_driver_sql(self.multi_sql, [tuple(flat[i:i + w]) for i in range(0, len(flat), w)])
        if full < n:
            self(list(zip(*(c[full:] for c in cols), strict=True)))

    def __call__(self, rows: list[tuple[Any, ...]]) -> None:
        if self.k > 1 and len(rows) >= self.k:
            full = len(rows) - len(rows) % self.k
            flat = list(itertools.chain.from_iterable(rows[:full]))
            w = self.k * len(self.names)
            self.conn.exec_driver_sql(self.multi_sql, [tuple(flat[i:i + w]) for i in range(0, len(flat), w)])
            rows = rows[full:]
        if not rows:
            return
        params: Any = rows
        if self.named:
            params = [dict(zip(self.names, r, strict=True)) for r in rows]
        elif self.order is not None:
            params = [tuple(r[i] for i in self.order) for r in rows]
        self.conn.exec_driver_sql(self.sql, params)


class _Steps:
    """Spread progress over several bulk steps by row count; check for cancel."""

    def __init__(self, progress: ProgressCallback | None, total: int, start: float = 0.0,
                 end: float = 0.99) -> None:  # 1.0 is reported only after the commit
        self.progress, self.total, self.done = progress, max(total, 1), 0
        self.start, self.end = start, end

    def advance(self, rows: int, message: str) -> None:
        self.done += rows
        report(self.progress, self.start + (self.end - self.start) * self.done / self.total, message)


# ------------------------------------------------------------------------ workspace


class Workspace:
    """An open workspace.  Build with :meth:`create` or :meth:`open`; close when done
    (or use it as a context manager).  Thread-confined: one thread at a time."""

    def __init__(self, engine: Engine, url: URL, path: Path | None, revision: str,
                 clock: Clock | None = None) -> None:
        self._engine: Engine | None = engine
        self.url = url
        self.path = path
        self.revision = revision
        self._clock: Clock = clock or (lambda: datetime.now(UTC))
        self._contracts: dict[int, tuple[str, Contract]] = {}  # id -> (stored JSON, parsed)

    # ---------------------------------------------------------------- lifecycle

    @property
    def label(self) -> str:
        return _display(self.url, self.path)

    def __repr__(self) -> str:
        return f"Workspace({self.label!r}, revision={self.revision!r})"

    @classmethod
    def create(cls, path_or_url: str | os.PathLike[str], *, clock: Clock | None = None,
               migrations_dir: Path | None = None) -> Workspace:
        """Make a new workspace; refuses to touch an existing file or workspace."""
        url, path = _resolve(path_or_url)
        where = _display(url, path)
        clock = clock or (lambda: datetime.now(UTC))
        now = to_epoch(clock())
        if path is None:
            engine = _url_engine(url)
            try:
                with engine.begin() as conn:
                    if "workspace_meta" in sa.inspect(conn).get_table_names():
                        raise WorkspaceError(f"{where}: already holds a workspace; open it instead")
                    migrate(conn, migrations_dir=migrations_dir)
                    conn.execute(insert(t_meta), [{"key": "created_at", "value": str(now)}])
            except WorkspaceError:
                engine.dispose()
                raise
            except sa.exc.SQLAlchemyError as exc:
                engine.dispose()
                raise WorkspaceError(f"{where}: cannot create a workspace ({exc})") from None
            return cls(engine, url, None, head_revision(migrations_dir), clock)

        if path.exists() or _journal(path).exists():
            raise WorkspaceError(f"{path}: already exists; open it instead of creating it")
        path.parent.mkdir(parents=True, exist_ok=True)
        # Build it beside the target and move it into place: a crash never leaves half a workspace.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".creating", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            tmp.unlink()
            engine = _file_engine(tmp)
            try:
                with engine.begin() as conn:
                    migrate(conn, migrations_dir=migrations_dir)
                    conn.execute(insert(t_meta), [{"key": "created_at", "value": str(now)}])
            finally:
                engine.dispose()
            try:
                os.link(tmp, path)  # fails if someone created ``path`` meanwhile
            except FileExistsError:
                raise WorkspaceError(f"{path}: already exists; open it instead of creating it") from None
            except OSError:
                os.replace(tmp, path)
        except sa.exc.SQLAlchemyError as exc:
            raise WorkspaceError(f"{path}: cannot create a workspace ({exc})") from None
        finally:
            for leftover in (tmp, _journal(tmp)):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        return cls(_file_engine(path), url, path, head_revision(migrations_dir), clock)

    @classmethod
    def open(cls, path_or_url: str | os.PathLike[str], upgrade: bool = True, *, create: bool = False,
             clock: Clock | None = None, migrations_dir: Path | None = None) -> Workspace:
        """Open an existing workspace (``create=True``: make it if the file is missing,
        or, for a database URL, if the database holds no tables at all).

        Raises :class:`WorkspaceError`, leaving the file untouched, for a missing
        file, a file that is not a workspace, a damaged one, or a newer schema.
        An older schema is upgraded in one transaction (``upgrade=False`` refuses).
        """
        url, path = _resolve(path_or_url)
        where = _display(url, path)
        if create and path is not None and not path.exists():
            return cls.create(path, clock=clock, migrations_dir=migrations_dir)
        if create and path is None and _is_empty_database(url):
            return cls.create(url.render_as_string(hide_password=False), clock=clock,
                              migrations_dir=migrations_dir)
        revisions = read_revisions(migrations_dir)  # text only: Alembic is imported to migrate
        head = revisions.head

        if path is not None:
            hot = _check_sqlite_file(path)
            # Validate through a read-only connection (unless a killed writer left a hot
            # journal: then a normal connection rolls it back, restoring the last commit).
            check = _file_engine(path, readonly=not hot)
            try:
                with check.connect() as conn:
                    problems = [str(r) for r in conn.exec_driver_sql("PRAGMA quick_check").scalars()]
                    if problems != ["ok"]:
                        raise WorkspaceError(f"{where}: damaged workspace file ({'; '.join(problems[:3])})")
                    rev = _inspect(conn, where, revisions)
            except sa.exc.DatabaseError as exc:
                raise _db_error(where, exc) from None
            finally:
                check.dispose()
            engine = _file_engine(path)
        else:
            engine = _url_engine(url)
            try:
                with engine.connect() as conn:
                    rev = _inspect(conn, where, revisions)
            except WorkspaceError:
                engine.dispose()
                raise
            except sa.exc.SQLAlchemyError as exc:
                engine.dispose()
                raise _db_error(where, exc) from None

        if rev != head:
            if not upgrade:
                engine.dispose()
                raise WorkspaceError(
                    f"{where}: schema revision {rev!r} is older than {head!r}; it needs an upgrade"
                )
            try:
                with engine.begin() as conn:
                    migrate(conn, migrations_dir=migrations_dir)
            except Exception as exc:
                engine.dispose()
                raise WorkspaceError(
                    f"{where}: upgrade from schema revision {rev!r} failed, nothing was changed ({exc})"
                ) from exc
        return cls(engine, url, path, head, clock)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise WorkspaceError(f"{self.label}: workspace is closed")
        return self._engine

    def _now(self) -> int:
        return to_epoch(self._clock())

    @contextlib.contextmanager
    def _write(self, bulk: bool = False) -> Iterator[Connection]:
        """One transaction; any exception (including Cancelled) rolls everything back.

        ``bulk``: on SQLite, a page cache big enough to hold the whole write (no
        spilling of dirty pages to the file mid-transaction, each spill costing a
        journal sync) and temporary sort data in memory, for this transaction only.
        Durability settings (``synchronous``, the rollback journal) are untouched."""
        try:
            with self.engine.connect() as conn:
                # set just before BEGIN (temp_store cannot change inside a transaction) and
                # put back after the commit or rollback (a smaller cache must not force a spill)
                saved = _bulk_pragmas(conn) if bulk and conn.dialect.name == "sqlite" else {}
                try:
                    with conn.begin():
                        yield conn
                finally:
                    if saved:
                        _restore_pragmas(conn, saved)
        except sa.exc.OperationalError as exc:
            raise WorkspaceError(f"{self.label}: write failed, nothing was changed ({exc.orig})") from exc

    # ---------------------------------------------------------------- metadata

    def meta(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {str(k): str(v) for k, v in conn.execute(select(t_meta.c.key, t_meta.c.value))}

    def set_meta(self, key: str, value: str) -> None:
        if key in ("app_id", "schema_revision"):
            raise ValueError(f"meta key {key!r} is managed by the store")
        with self._write() as conn:
            conn.execute(delete(t_meta).where(t_meta.c.key == key))
            conn.execute(insert(t_meta).values(key=key, value=value))

    def add_client(self, name: str, notes: str = "") -> int:
        with self._write() as conn:
            res = conn.execute(insert(t_clients).values(name=name, notes=notes, created_at=self._now()))
            return int(res.inserted_primary_key[0])  # type: ignore[index]

    def clients(self) -> list[tuple[int, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t_clients.c.id, t_clients.c.name).order_by(t_clients.c.id))
            return [(int(i), str(n)) for i, n in rows]

    # ---------------------------------------------------------------- contracts

    def add_contract_version(self, contract: Contract, parent_id: int | None = None,
                             client_id: int | None = None) -> int:
        """Store an immutable snapshot; returns its id.  Rows are never updated."""
        if not isinstance(contract, Contract):
            raise TypeError(f"expected a Contract, got {type(contract).__name__}")
        body = _json(contract.model_dump(mode="json"), "contract")
        with self._write() as conn:
            if parent_id is not None:
                found = conn.execute(select(t_versions.c.id).where(t_versions.c.id == parent_id)).first()
                if found is None:
                    raise WorkspaceError(f"{self.label}: no contract version {parent_id} (parent)")
            res = conn.execute(
                insert(t_versions).values(
                    client_id=client_id, parent_id=parent_id, name=contract.name, label=contract.version,
                    status=contract.status, created_at=self._now(), contract_json=body,
                )
            )
            return int(res.inserted_primary_key[0])  # type: ignore[index]

    def _contract(self, vid: int, body: str) -> Contract:
        """The parsed version, cached per id: versions are immutable (a trigger refuses
        an UPDATE), and a cached one is reused only for the very same stored text."""
        cached = self._contracts.get(vid)
        if cached is not None and cached[0] == body:
            return cached[1]
        source = f"{self.label}: contract version {vid}"
        try:
            contract = contract_from_data(json.loads(body), source)
        except (ContractError, json.JSONDecodeError) as exc:
            raise WorkspaceError(f"{source}: cannot be read ({exc})") from None
        self._contracts[vid] = (body, contract)
        return contract

    def contract_versions(self) -> list[tuple[int, Contract]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t_versions.c.id, t_versions.c.contract_json).order_by(t_versions.c.id)
            ).all()
        return [(int(i), self._contract(int(i), body)) for i, body in rows]

    def contract(self, version_id: int) -> Contract:
        with self.engine.connect() as conn:
            body = conn.execute(
                select(t_versions.c.contract_json).where(t_versions.c.id == version_id)
            ).scalar()
        if body is None:
            raise WorkspaceError(f"{self.label}: no contract version {version_id}")
        return self._contract(version_id, body)

    def contract_history(self) -> list[ContractVersionInfo]:
        c = t_versions.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.id, c.parent_id, c.name, c.label, c.status, c.created_at).order_by(c.id)
            ).all()
        return [
            ContractVersionInfo(int(r[0]), None if r[1] is None else int(r[1]), r[2], r[3], r[4],
                                from_epoch(int(r[5])))  # type: ignore[arg-type]
            for r in rows
        ]

    # ---------------------------------------------------------------- drafts and scenarios

    def save_draft(self, key: str, data: dict[str, Any], parent_version_id: int | None = None) -> None:
        """Autosave: replace the draft stored under ``key``."""
        body = _json(data, f"draft {key!r}")
        with self._write() as conn:
            conn.execute(delete(t_drafts).where(t_drafts.c.key == key))
            conn.execute(
                insert(t_drafts).values(
                    key=key, parent_version_id=parent_version_id, updated_at=self._now(), data=body
                )
            )

    def load_drafts(self) -> dict[str, dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t_drafts.c.key, t_drafts.c.data).order_by(t_drafts.c.key)).all()
        return {str(k): json.loads(v) for k, v in rows}

    def delete_draft(self, key: str) -> None:
        with self._write() as conn:
            conn.execute(delete(t_drafts).where(t_drafts.c.key == key))

    def save_scenario(self, name: str, data: dict[str, Any]) -> None:
        body = _json(data, f"scenario {name!r}")
        now = self._now()
        with self._write() as conn:
            found = conn.execute(select(t_scenarios.c.id).where(t_scenarios.c.name == name)).first()
            if found is None:
                conn.execute(
                    insert(t_scenarios).values(name=name, created_at=now, updated_at=now, data=body)
                )
            else:
                conn.execute(
                    update(t_scenarios).where(t_scenarios.c.name == name).values(updated_at=now, data=body)
                )

    def scenarios(self) -> dict[str, dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t_scenarios.c.name, t_scenarios.c.data).order_by(t_scenarios.c.name)
            ).all()
        return {str(k): json.loads(v) for k, v in rows}

    def delete_scenario(self, name: str) -> None:
        with self._write() as conn:
            conn.execute(delete(t_scenarios).where(t_scenarios.c.name == name))

    # ---------------------------------------------------------------- data sources

    def record_data_source(self, file_name: str, preset: str | None = None, *, source: str = "default",
                           tickets: int = 0, status_rows: int = 0, rejected: int = 0,
                           details: dict[str, Any] | None = None) -> int:
        body = None if details is None else _json(details, "data source details")
        with self._write() as conn:
            res = conn.execute(
                insert(t_sources).values(
                    source=source, file_name=str(file_name), preset=preset, imported_at=self._now(),
                    tickets=tickets, status_rows=status_rows, rejected=rejected, details=body,
                )
            )
            return int(res.inserted_primary_key[0])  # type: ignore[index]

    def data_sources(self) -> list[DataSourceRecord]:
        c = t_sources.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t_sources).order_by(c.id)).all()
        return [
            DataSourceRecord(
                id=int(r.id), source=r.source, file_name=r.file_name, preset=r.preset,
                imported_at=from_epoch(int(r.imported_at)),  # type: ignore[arg-type]
                tickets=int(r.tickets), status_rows=int(r.status_rows), rejected=int(r.rejected),
                details=None if r.details is None else json.loads(r.details),
            )
            for r in rows
        ]

    # ---------------------------------------------------------------- tickets and history

    def ticket_count(self, source: str | None = None) -> int:
        q = select(sa.func.count()).select_from(t_tickets)
        if source is not None:
            q = q.where(t_tickets.c.source == source)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar() or 0)

    def sources(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t_tickets.c.source).distinct().order_by(t_tickets.c.source))
            return [str(s) for s in rows.scalars()]

    def upsert_tickets(self, tickets: TicketTable, status_log: StatusLog, source: str = "default",
                       progress: ProgressCallback | None = None) -> dict[str, int]:
        """Insert new tickets and update known ones (same ``source`` and ticket id); the
        status rows of re-imported tickets are replaced.  All or nothing: a failure
        or :class:`~models.progress.Cancelled` leaves the workspace unchanged."""
        _validate_tickets(tickets, status_log, source)
        with self._write(bulk=True) as conn:
            counts = self._upsert(conn, tickets, status_log, source, _Steps(progress, 1))
        _done(progress, "tickets saved")
        return counts

    def save_history(self, history: History, source: str = "default",
                     progress: ProgressCallback | None = None) -> dict[str, int]:
        """Make ``history`` the whole history of ``source`` (tickets, status log,
        backups, restore tests, outages, KPIs), replacing what it held, in one
        transaction.  Other sources are left alone."""
        _validate_tickets(history.tickets, history.status_log, source)
        with self._write(bulk=True) as conn:
            steps = _Steps(progress, 1, start=0.02)
            self._clear_source(conn, source)
            report(progress, 0.02, "previous history removed")
            counts = self._upsert(conn, history.tickets, history.status_log, source, steps)
            others = self._insert_records(conn, history, source)
            counts.update(others)
        _done(progress, "history saved")
        return counts

    def _clear_source(self, conn: Connection, source: str) -> None:
        ids = select(t_tickets.c.id).where(t_tickets.c.source == source)
        conn.execute(delete(t_status).where(t_status.c.ticket_pk.in_(ids)))
        conn.execute(delete(t_tickets).where(t_tickets.c.source == source))
        for table in (t_backups, t_restores, t_outages, t_kpis):
            conn.execute(delete(table).where(table.c.source == source))

    def _upsert(self, conn: Connection, t: TicketTable, s: StatusLog, source: str,
                steps: _Steps) -> dict[str, int]:
        tc = t_tickets.c
        cols = _ticket_columns(t)
        ids = cols["ticket_id"]
        fields = [cols[k] for k in TICKET_FIELDS]
        # stored rows of the source's tickets, (ticket_id, pk, *fields) by ticket id; a first
        # import has none: skip the lookup
        stored: dict[str, tuple[Any, ...]] = {}
        if conn.execute(select(tc.id).where(tc.source == source).limit(1)).first() is not None:
            q = select(tc.ticket_id, tc.id, *(tc[k] for k in TICKET_FIELDS)).where(tc.source == source)
            rows = _fetch_rows(conn, q)
            stored = dict(zip(map(operator.itemgetter(0), rows), rows, strict=True))
        old: list[int] = []
        new: list[int] = list(range(len(ids)))
        old_rows: list[tuple[Any, ...]] = []
        old_pks: list[int] = []
        changed: list[int] = []
        if stored:
            known = np.fromiter(map(stored.__contains__, ids), dtype=bool, count=len(ids))
            old, new = np.flatnonzero(known).tolist(), np.flatnonzero(~known).tolist()
            sub = [ids, *fields] if not new else [[c[i] for i in old] for c in (ids, *fields)]
            before = list(map(stored.__getitem__, sub[0]))
            old_pks = list(map(operator.itemgetter(1), before))
            old_rows = list(zip(sub[0], old_pks, *sub[1:], strict=True))
            # re-imported tickets whose values did not change need no UPDATE (True == 1: SQLite booleans)
            changed = list(itertools.compress(range(len(old)), map(operator.ne, old_rows, before)))
        replace_status = bool(old) and self._has_status_rows(conn, source)
        steps.total = max(1, len(new) + len(changed) + (len(old) if replace_status else 0) + len(s))

        new_pks: list[int] | None = None
        if new:
            sub = [ids, *fields] if not old else [[c[i] for i in new] for c in (ids, *fields)]
            # columns empty in every new row are left to their NULL default: less to bind
            names = ["ticket_id", *TICKET_FIELDS]
            keep = [k for k, c in enumerate(sub) if k == 0 or c.count(None) != len(c)]
            names, sub = [names[k] for k in keep], [sub[k] for k in keep]
            first_pk = self._next_rowid(conn)
            put = _Many(conn, t_tickets, ("source", *names))
            for a, b in _chunks(len(new)):
                put.columns([[source] * (b - a), *(c[a:b] for c in sub)])
                steps.advance(b - a, "saving new tickets")
            if len(s):
                new_pks = self._consecutive_pks(conn, first_pk, len(new))

        if changed:
            upd = _Many(
                conn,
                update(t_tickets)
                .where(tc.id == bindparam("b_pk"))
                .values({k: bindparam(f"b_{k}") for k in TICKET_FIELDS}),
                (*(f"b_{k}" for k in TICKET_FIELDS), "b_pk"),
            )
            for a, b in _chunks(len(changed)):
                upd([(*old_rows[k][2:], old_pks[k]) for k in changed[a:b]])
                steps.advance(b - a, "updating re-imported tickets")

        if replace_status:
            if len(old) == len(stored):  # every ticket of the source was re-imported: one statement
                conn.execute(delete(t_status).where(
                    t_status.c.ticket_pk.in_(select(tc.id).where(tc.source == source))))
                steps.advance(len(old), "replacing status rows")
            else:
                drop = _Many(conn, delete(t_status).where(t_status.c.ticket_pk == bindparam("b_pk")),
                             ("b_pk",))
                for a, b in _chunks(len(old)):
                    drop([(pk,) for pk in old_pks[a:b]])
                    steps.advance(b - a, "replacing status rows")

        if len(s):
            pk = np.zeros(len(ids), dtype=np.int64)
            if new_pks is None and new:  # pks not known to be consecutive: look them up
                found = {str(tid): int(p) for tid, p in conn.execute(
                    select(tc.ticket_id, tc.id).where(tc.source == source)).all()}
                new_pks = [found[ids[i]] for i in new]
            if new and new_pks is not None:
                pk[new] = new_pks
            if old:
                pk[old] = old_pks
            names_of = np.array([*s.status_names, None], dtype=object)
            tpk, ats = pk[s.ticket].tolist(), s.at.tolist()
            status = names_of[np.where(s.status < 0, len(s.status_names), s.status)].tolist()
            put = _Many(conn, t_status, ("ticket_pk", "at", "status"))
            for a, b in _chunks(len(s)):
                put.columns([tpk[a:b], ats[a:b], status[a:b]])
                steps.advance(b - a, "saving status log")
        return {"inserted": len(new), "updated": len(old), "status_rows": len(s)}

    @staticmethod
    def _has_status_rows(conn: Connection, source: str) -> bool:
        ids = select(t_tickets.c.id).where(t_tickets.c.source == source)
        q = select(t_status.c.id).where(t_status.c.ticket_pk.in_(ids)).limit(1)
        return conn.execute(q).first() is not None

    @staticmethod
    def _next_rowid(conn: Connection) -> int | None:
        """On SQLite the pk a row inserted now receives (max + 1); None elsewhere."""
        if conn.dialect.name != "sqlite":
            return None
        return int(conn.execute(select(sa.func.max(t_tickets.c.id))).scalar() or 0) + 1

    @staticmethod
    def _consecutive_pks(conn: Connection, first: int | None, n: int) -> list[int] | None:
        """The pks of the ``n`` rows just inserted, when they are ``first .. first + n - 1``
        in insertion order (SQLite gives each new row max(rowid) + 1); checked, else None."""
        if first is None:
            return None
        c = t_tickets.c.id
        got = conn.execute(select(sa.func.count(), sa.func.min(c), sa.func.max(c)).where(c >= first)).one()
        if tuple(got) != (n, first, first + n - 1):
            return None
        return list(range(first, first + n))

    def _insert_records(self, conn: Connection, h: History, source: str) -> dict[str, int]:
        def put(table: Table, rows: list[dict[str, Any]]) -> int:
            for a, b in _chunks(len(rows)):
                conn.execute(insert(table), rows[a:b])
            return len(rows)

        return {
            "backups": put(t_backups, [
                {"source": source, "system": r.system, "finished_at": to_epoch(r.finished_at),
                 "success": r.success, "location": r.location} for r in h.backups
            ]),
            "restore_tests": put(t_restores, [
                {"source": source, "system": r.system, "started_at": to_epoch(r.started_at),
                 "finished_at": to_epoch(r.finished_at), "success": r.success} for r in h.restore_tests
            ]),
            "outages": put(t_outages, [
                {"source": source, "service": r.service, "start_at": to_epoch(r.start),
                 "end_at": to_epoch(r.end), "maintenance": r.maintenance} for r in h.outages
            ]),
            "kpis": put(t_kpis, [
                {"source": source, "month": r.month, "patch_compliance": r.patch_compliance,
                 "threats_detected": r.threats_detected, "threats_resolved": r.threats_resolved,
                 "endpoints_managed": r.endpoints_managed} for r in h.kpis
            ]),
        }  # fmt: skip

    def load_tickets(self, source: str | None = None) -> tuple[TicketTable, StatusLog]:
        """All tickets (of ``source``, or every source) as columns, in stored order."""
        c = t_tickets.c
        m = int(MISSING)

        def inst(col: Any) -> Any:
            return sa.func.coalesce(col, m)

        flag = sa.case((c.provider_sla_met.is_(None), -1), (c.provider_sla_met, 1), else_=0)
        q = select(
            c.id, c.ticket_id, sa.func.coalesce(c.priority, -1), c.opened_at, inst(c.first_response_at),
            inst(c.resolved_at), inst(c.closed_at), c.category, c.team, flag,
        ).order_by(c.id)
        sq = (
            select(t_status.c.ticket_pk, t_status.c.at, t_status.c.status)
            .order_by(t_status.c.ticket_pk, t_status.c.at, t_status.c.id)
        )
        if source is not None:
            q = q.where(c.source == source)
            sq = sq.where(t_status.c.ticket_pk.in_(select(c.id).where(c.source == source)))
        with self.engine.begin() as conn:  # one snapshot for both reads
            rows = _fetch_array(conn, q)
            srows = _fetch_array(conn, sq) if len(rows) else rows

        n = len(rows)
        if n == 0:
            return TicketTable.empty(), StatusLog.empty()
        ints = rows[:, [0, 2, 3, 4, 5, 6, 9]].astype(np.int64)
        pks = ints[:, 0]
        category, category_names = _encode_column(rows[:, 7])
        team, team_names = _encode_column(rows[:, 8])
        table = TicketTable(
            ids=rows[:, 1].copy(),
            priority=ints[:, 1].astype(np.int8),
            opened=ints[:, 2].copy(),
            first_response=ints[:, 3].copy(),
            resolved=ints[:, 4].copy(),
            closed=ints[:, 5].copy(),
            category=category,
            category_names=category_names,
            team=team,
            team_names=team_names,
            provider_sla_met=ints[:, 6].astype(np.int8),
        )
        if not len(srows):
            return table, StatusLog.empty()
        sints = srows[:, :2].astype(np.int64)
        status, status_names = _encode_column(srows[:, 2])
        log = StatusLog(
            ticket=np.searchsorted(pks, sints[:, 0]).astype(np.int64),
            at=sints[:, 1].copy(),
            status=status,
            status_names=status_names,
        )
        return table, log

    def load_records(self, source: str | None = None) -> Records:
        """The backups, restore tests, outages and KPI snapshots (of ``source``, or
        every source), in stored order, without reading any ticket: one snapshot."""
        def q(table: Table, *cols: str) -> Any:
            stmt = select(*(table.c[k] for k in cols)).order_by(table.c.id)
            return stmt if source is None else stmt.where(table.c.source == source)

        with self.engine.begin() as conn:  # one snapshot for the four reads
            backups = _fetch_rows(conn, q(t_backups, "system", "finished_at", "success", "location"))
            restores = _fetch_rows(conn, q(t_restores, "system", "started_at", "finished_at", "success"))
            outages = _fetch_rows(conn, q(t_outages, "service", "start_at", "end_at", "maintenance"))
            kpis = _fetch_rows(conn, q(t_kpis, "month", "patch_compliance", "threats_detected",
                                       "threats_resolved", "endpoints_managed"))
        dt = _utc
        return Records(
            backups=_stored_rows(BackupJob, ("system", "finished_at", "success", "location"), (
                (s, dt(f), bool(ok), loc) for s, f, ok, loc in backups)),
            restore_tests=_stored_rows(RestoreTest, ("system", "started_at", "finished_at", "success"), (
                (s, dt(a), dt(b), bool(ok)) for s, a, b, ok in restores)),
            outages=_stored_rows(Outage, ("service", "start", "end", "maintenance"), (
                (s, dt(a), dt(b), bool(m)) for s, a, b, m in outages)),
            kpis=_stored_rows(KpiSnapshot, ("month", "patch_compliance", "threats_detected",
                                            "threats_resolved", "endpoints_managed"), (
                (_month(m), _opt(pc, float), _opt(td, int), _opt(tr, int), _opt(em, int))
                for m, pc, td, tr, em in kpis)),
        )  # fmt: skip

    def load_history(self, source: str | None = None) -> History:
        """Tickets and status log (:meth:`load_tickets`) with the records
        (:meth:`load_records`)."""
        tickets, log = self.load_tickets(source)
        r = self.load_records(source)
        return History(tickets=tickets, status_log=log, backups=r.backups, restore_tests=r.restore_tests,
                       outages=r.outages, kpis=r.kpis)
