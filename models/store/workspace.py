"""An open workspace: contracts, drafts, scenarios, data sources and history, each
write one transaction."""

from __future__ import annotations

import contextlib
import itertools
import json
import operator
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy import (
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL, Connection, Engine

from models.atomic import remove_stale_temporaries, temporary_prefix
from models.clock import Clock
from models.contract import Contract, ContractError, contract_from_data
from models.history import (
    MISSING,
    BackupJob,
    History,
    KpiSnapshot,
    Outage,
    RestoreTest,
    StatusLog,
    TicketTable,
    from_epoch,
    to_epoch,
)
from models.progress import ProgressCallback, report
from models.store.bulk import _bulk_pragmas, _chunks, _done, _Many, _restore_pragmas, _Steps
from models.store.codecs import (
    _encode_column,
    _fetch_array,
    _fetch_rows,
    _json,
    _month,
    _opt,
    _stored_rows,
    _ticket_columns,
    _utc,
    _validate_tickets,
)
from models.store.engine import (
    _check_sqlite_file,
    _db_error,
    _display,
    _file_engine,
    _inspect,
    _is_empty_database,
    _journal,
    _resolve,
    _url_engine,
    in_use,
    is_locked,
)
from models.store.errors import WorkspaceError
from models.store.records import ContractVersionInfo, DataSourceRecord, DraftRecord, NewDataSource, Records
from models.store.revisions import head_revision, migrate, read_revisions
from models.store.schema import (
    TICKET_FIELDS,
    t_backups,
    t_clients,
    t_drafts,
    t_kpis,
    t_meta,
    t_outages,
    t_restores,
    t_scenarios,
    t_sources,
    t_status,
    t_tickets,
    t_versions,
)

# workspace_meta key: the highest id a removed contract version had; ids are never handed out twice
REMOVED_VERSION_KEY = "contract_versions_removed_id"


class _Exists(WorkspaceError):
    """The workspace file to create is there already (perhaps made by another program just now)."""


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
        self.created = False  # made by this call (create, or open with create=True), not found

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
            raise _Exists(f"{path}: already exists; open it instead of creating it")
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path, ".creating")  # left by a creator that was killed
        # Build it beside the target and move it into place: a crash never leaves half a workspace.
        fd, tmp_name = tempfile.mkstemp(prefix=temporary_prefix(path), suffix=".creating", dir=path.parent)
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
                raise _Exists(f"{path}: already exists; open it instead of creating it") from None
            except OSError:
                os.replace(tmp, path)
        except sa.exc.SQLAlchemyError as exc:
            raise WorkspaceError(f"{path}: cannot create a workspace ({exc})") from None
        finally:
            for leftover in (tmp, _journal(tmp)):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        ws = cls(_file_engine(path), url, path, head_revision(migrations_dir), clock)
        ws.created = True
        return ws

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
            try:
                return cls.create(path, clock=clock, migrations_dir=migrations_dir)
            except _Exists:
                pass  # another program made it meanwhile: open theirs (never replace or delete it)
        if create and path is None and _is_empty_database(url):
            return cls.create(url.render_as_string(hide_password=False), clock=clock,
                              migrations_dir=migrations_dir)
        revisions = read_revisions(migrations_dir)  # text only: Alembic is imported to migrate
        head = revisions.head

        if path is not None:
            remove_stale_temporaries(path, ".creating")  # a creator of this file that was killed
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

    def save_copy(self, target: str | os.PathLike[str]) -> Path:
        """Write a consistent copy of this workspace file to ``target`` (SQLite's online
        backup, through a temporary file in the target's folder renamed into place: a
        failure leaves no partial file and an existing ``target`` as it was)."""
        if self.path is None:
            raise WorkspaceError(
                f"{self.label}: a database workspace is copied with its database's own tools"
            )
        dest = Path(target)
        if dest.resolve() == self.path.resolve():
            raise WorkspaceError(f"{dest}: is this workspace itself; choose another file")
        if not dest.parent.is_dir():
            raise WorkspaceError(f"{dest}: the folder {dest.parent} does not exist")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            with self.engine.connect() as conn:
                source = conn.connection.dbapi_connection
                copy = sqlite3.connect(tmp)
                try:
                    source.backup(copy)  # type: ignore[union-attr]
                finally:
                    copy.close()
            os.replace(tmp, dest)
        except (OSError, sqlite3.Error, sa.exc.SQLAlchemyError) as exc:
            tmp.unlink(missing_ok=True)
            raise WorkspaceError(f"{dest}: could not write the copy, nothing was written ({exc})") from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return dest

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
            with self.engine.connect().execution_options(begin_immediate=True) as conn:
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
            if is_locked(exc.orig):
                raise WorkspaceError(in_use(self.label)) from exc
            raise WorkspaceError(f"{self.label}: write failed, nothing was changed ({exc.orig})") from exc

    # ---------------------------------------------------------------- metadata

    def meta(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {str(k): str(v) for k, v in conn.execute(select(t_meta.c.key, t_meta.c.value))}

    def set_meta(self, key: str, value: str) -> None:
        if key in ("app_id", "schema_revision", REMOVED_VERSION_KEY):
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
                             client_id: int | None = None, *, source: str | None = None,
                             source_text: str | None = None) -> int:
        """Store an immutable snapshot; returns its id.  Rows are never updated.

        ``source``: the file name the version was added from; ``source_text``: the
        document's full text, kept for the redline (:meth:`contract_source_text`)."""
        body = self._version_body(contract, source, source_text)
        with self._write() as conn:
            return self._insert_version(conn, contract, body, parent_id, client_id, source, source_text)

    def save_draft_as_version(self, draft_key: str, contract: Contract, parent_id: int | None = None) -> int:
        """Store ``contract`` as a new version made from ``parent_id`` and delete the
        draft stored under ``draft_key``, in one transaction; returns the new id.  A
        failure leaves both the versions and the draft as they were.  A draft never
        autosaved (no row under ``draft_key``) is no error: the version is stored."""
        body = self._version_body(contract, None, None)
        with self._write() as conn:
            vid = self._insert_version(conn, contract, body, parent_id, None, None, None)
            conn.execute(delete(t_drafts).where(t_drafts.c.key == draft_key))
            return vid

    def remove_contract_version(self, version_id: int) -> list[str]:
        """Remove a draft or proposal version, with the working drafts made from it
        (their edits have no version left to apply to), in one transaction; returns
        the keys of the drafts removed.  The removed id is never handed out again.

        Refused with :class:`WorkspaceError`, changing nothing: a signed version (it
        is immutable; the database refuses its DELETE too), a version other versions
        were made from (their ``parent_id`` cannot change: remove those first), and
        an unknown id."""
        v, d = t_versions.c, t_drafts.c
        with self._write() as conn:
            status = conn.execute(select(v.status).where(v.id == version_id)).scalar()
            if status is None:
                raise WorkspaceError(f"{self.label}: no contract version {version_id}")
            if status == "signed":
                raise WorkspaceError(
                    f"{self.label}: version {version_id} is signed; a signed version is immutable"
                )
            children = conn.execute(select(v.id).where(v.parent_id == version_id).order_by(v.id)).scalars()
            made = [int(c) for c in children]
            if made:
                listed = ", ".join(map(str, made))
                raise WorkspaceError(
                    f"{self.label}: version {version_id} cannot be removed: version{'s' * (len(made) > 1)} "
                    f"{listed} {'were' if len(made) > 1 else 'was'} made from it; remove "
                    f"{'those' if len(made) > 1 else 'it'} first"
                )
            drafts = [str(k) for k in conn.execute(
                select(d.key).where(d.parent_version_id == version_id).order_by(d.key)).scalars()]
            conn.execute(delete(t_drafts).where(d.parent_version_id == version_id))
            conn.execute(delete(t_versions).where(v.id == version_id))
            highest = max(version_id, self._removed_version_id(conn))
            conn.execute(delete(t_meta).where(t_meta.c.key == REMOVED_VERSION_KEY))
            conn.execute(insert(t_meta).values(key=REMOVED_VERSION_KEY, value=str(highest)))
        self._contracts.pop(version_id, None)
        return drafts

    @staticmethod
    def _version_body(contract: Contract, source: str | None, source_text: str | None) -> str:
        if not isinstance(contract, Contract):
            raise TypeError(f"expected a Contract, got {type(contract).__name__}")
        for name, value in (("source", source), ("source_text", source_text)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name}: expected a str or None, got {type(value).__name__}")
        return _json(contract.model_dump(mode="json"), "contract")

    def _insert_version(self, conn: Connection, contract: Contract, body: str, parent_id: int | None,
                        client_id: int | None, source: str | None, source_text: str | None) -> int:
        if parent_id is not None:
            found = conn.execute(select(t_versions.c.id).where(t_versions.c.id == parent_id)).first()
            if found is None:
                raise WorkspaceError(f"{self.label}: no contract version {parent_id} (parent)")
        values: dict[str, Any] = {
            "client_id": client_id, "parent_id": parent_id, "name": contract.name, "label": contract.version,
            "status": contract.status, "created_at": self._now(), "contract_json": body, "source": source,
            "source_text": source_text,
        }
        if conn.dialect.name == "sqlite":
            # SQLite hands a new row max(id) + 1: the id of a removed newest version would
            # come back and name another contract.  (PostgreSQL's sequence never goes back.)
            top = int(conn.execute(select(sa.func.max(t_versions.c.id))).scalar() or 0)
            values["id"] = max(top, self._removed_version_id(conn)) + 1
        res = conn.execute(insert(t_versions).values(**values))
        return int(res.inserted_primary_key[0])  # type: ignore[index]

    @staticmethod
    def _removed_version_id(conn: Connection) -> int:
        """The highest id of a removed contract version (0: none removed)."""
        value = conn.execute(select(t_meta.c.value).where(t_meta.c.key == REMOVED_VERSION_KEY)).scalar()
        return 0 if value is None else int(value)

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
        return self._contract(version_id, self._version_value(version_id, t_versions.c.contract_json))

    def _version_value(self, version_id: int, column: Any) -> Any:
        """One stored column of a version; :class:`WorkspaceError` for an unknown id."""
        with self.engine.connect() as conn:
            row = conn.execute(select(column).where(t_versions.c.id == version_id)).first()
        if row is None:
            raise WorkspaceError(f"{self.label}: no contract version {version_id}")
        return row[0]

    def contract_history(self) -> list[ContractVersionInfo]:
        c = t_versions.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.id, c.parent_id, c.name, c.label, c.status, c.created_at, c.source).order_by(c.id)
            ).all()
        return [
            ContractVersionInfo(int(r[0]), None if r[1] is None else int(r[1]), r[2], r[3], r[4],
                                from_epoch(int(r[5])), r[6])  # type: ignore[arg-type]
            for r in rows
        ]

    def contract_source_text(self, version_id: int) -> str | None:
        """The full text of the document the version was added from; None when it was
        not added from a document (a contract file, the editor, an older workspace)."""
        text = self._version_value(version_id, t_versions.c.source_text)
        return None if text is None else str(text)

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

    def draft_records(self) -> list[DraftRecord]:
        """The working drafts, by key, each with the version it was made from as stored
        (``parent_version_id``): no key needs taking apart to find it."""
        c = t_drafts.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.key, c.parent_version_id, c.data, c.updated_at).order_by(c.key)
            ).all()
        return [
            DraftRecord(str(k), None if p is None else int(p), json.loads(body),
                        from_epoch(int(at)))  # type: ignore[arg-type]
            for k, p, body, at in rows
        ]

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
        entry = NewDataSource(file_name, preset, tickets, status_rows, rejected, details)
        with self._write() as conn:
            return self._insert_source(conn, source, entry)

    def _insert_source(self, conn: Connection, source: str, entry: NewDataSource) -> int:
        body = None if entry.details is None else _json(entry.details, "data source details")
        res = conn.execute(
            insert(t_sources).values(
                source=source, file_name=str(entry.file_name), preset=entry.preset, imported_at=self._now(),
                tickets=entry.tickets, status_rows=entry.status_rows, rejected=entry.rejected, details=body,
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
                       progress: ProgressCallback | None = None, *,
                       data_source: NewDataSource | None = None) -> dict[str, int]:
        """Insert new tickets and update known ones (same ``source`` and ticket id); the
        status rows of re-imported tickets are replaced; ``data_source`` (where they came
        from) is recorded in the same transaction.  All or nothing: a failure or
        :class:`~models.progress.Cancelled` leaves the workspace unchanged."""
        _validate_tickets(tickets, status_log, source)
        with self._write(bulk=True) as conn:
            counts = self._upsert(conn, tickets, status_log, source, _Steps(progress, 1))
            if data_source is not None:
                self._insert_source(conn, source, data_source)
        _done(progress, "tickets saved")
        return counts

    def save_history(self, history: History, source: str = "default",
                     progress: ProgressCallback | None = None, *,
                     data_source: NewDataSource | None = None) -> dict[str, int]:
        """Make ``history`` the whole history of ``source`` (tickets, status log,
        backups, restore tests, outages, KPIs), replacing what it held, and record
        ``data_source`` (where it came from), in one transaction.  Other sources are
        left alone."""
        _validate_tickets(history.tickets, history.status_log, source)
        with self._write(bulk=True) as conn:
            steps = _Steps(progress, 1, start=0.02)
            self._clear_source(conn, source)
            report(progress, 0.02, "previous history removed")
            counts = self._upsert(conn, history.tickets, history.status_log, source, steps)
            others = self._insert_records(conn, history, source)
            counts.update(others)
            if data_source is not None:
                self._insert_source(conn, source, data_source)
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
            sa.func.coalesce(c.unrecorded, 0), sa.case((c.cancelled, 1), else_=0),
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
        ints = self._stored_ints(rows, rows[:, 0], [0, 2, 3, 4, 5, 6, 9, 10, 11], "tickets",
                                 ("id", "priority", "opened_at", "first_response_at", "resolved_at",
                                  "closed_at", "provider_sla_met", "unrecorded", "cancelled"),
                                 instants=(2, 3, 4, 5))
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
            unrecorded=ints[:, 7].astype(np.int8),
            cancelled=ints[:, 8] != 0,
        )
        if not len(srows):
            return table, StatusLog.empty()
        sints = self._stored_ints(srows, srows[:, 0], [0, 1], "status_log", ("ticket_pk", "at"),
                                  instants=(1,))
        status, status_names = _encode_column(srows[:, 2])
        log = StatusLog(
            ticket=np.searchsorted(pks, sints[:, 0]).astype(np.int64),
            at=sints[:, 1].copy(),
            status=status,
            status_names=status_names,
        )
        return table, log

    def _stored_ints(self, rows: np.ndarray, keys: np.ndarray, cols: list[int], table: str,
                     names: tuple[str, ...], instants: tuple[int, ...]) -> np.ndarray:
        """``rows[:, cols]`` as int64, each instant column (index into ``cols``) within 1970-2100 or
        absent; a value that is neither (a file damaged or written by something else) is a
        WorkspaceError naming the table, the row and the column."""
        from models.limits import EARLIEST_INSTANT, LATEST_INSTANT

        sub = rows[:, cols]
        try:
            ints = sub.astype(np.int64)
        except (ValueError, TypeError, OverflowError):
            ints = None
        if ints is not None:
            for j in instants:
                col = ints[:, j]
                bad = np.flatnonzero((col != MISSING) & ((col < EARLIEST_INSTANT) | (col > LATEST_INSTANT)))
                if len(bad):
                    i = int(bad[0])
                    raise WorkspaceError(f"{self.label}: damaged workspace: table {table}, row {keys[i]}, "
                                         f"column {names[j]}: {int(col[i])} is no time between 1970 and 2100")
            return ints
        for i in range(len(sub)):
            for j in range(len(cols)):
                v = sub[i, j]
                if not isinstance(v, int):
                    raise WorkspaceError(f"{self.label}: damaged workspace: table {table}, row {keys[i]}, "
                                         f"column {names[j]}: {v!r} is not a whole number")
        raise WorkspaceError(f"{self.label}: damaged workspace: table {table}: a value is not a whole number")

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
