"""Bulk writes: chunked ``executemany`` of compiled Core statements, the page-cache
settings of a bulk transaction, and progress spread over its steps."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    Table,
    bindparam,
    insert,
)
from sqlalchemy.engine import Connection

from models.progress import ProgressCallback, report

CHUNK = 10_000  # rows per executemany call (and per progress report / cancel check)


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

