"""Database engines for a workspace, and the checks made before anything is written:
the file is an SQLite database, undamaged, carries the workspace marker and a
schema revision this app knows."""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    event,
    select,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import NullPool, StaticPool

from models.limits import WORKSPACE_BUSY_SECONDS
from models.store.errors import WorkspaceError
from models.store.revisions import Revisions
from models.store.schema import APP_ID, t_meta

SQLITE_MAGIC = b"SQLite format 3\x00"


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
        # a write takes the write lock at BEGIN (``begin_immediate``): a deferred one that
        # read first and then wrote while another writer held the lock got SQLite's
        # "database is locked" at once, without waiting out the busy timeout
        immediate = conn.get_execution_options().get("begin_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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
            return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=WORKSPACE_BUSY_SECONDS)

        engine = sa.create_engine("sqlite://", creator=creator, poolclass=NullPool)
    else:
        url = URL.create("sqlite", database=str(path))
        engine = sa.create_engine(url, connect_args={"check_same_thread": False,
                                                     "timeout": WORKSPACE_BUSY_SECONDS})
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
    if is_locked(orig):
        return WorkspaceError(in_use(where))
    return WorkspaceError(f"{where}: damaged or unreadable workspace ({orig})")


def is_locked(exc: BaseException | None) -> bool:
    """Whether SQLite's error is another connection holding the file ("database is locked")."""
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower()


def in_use(where: str) -> str:
    """The one line for a workspace another program kept locked past the busy timeout."""
    return (f"{where}: in use by another SLA Workbench (its write did not finish within "
            f"{WORKSPACE_BUSY_SECONDS} s); nothing was changed: try again when it is done")

