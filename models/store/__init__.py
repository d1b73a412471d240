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
    whose ``parent_id`` is the one it was made from.  A draft or proposal version
    can be removed (with the working drafts made from it), a signed one never; a
    version keeps the file name and document text it was added from, if any.

Modules
    :mod:`~models.store.schema` (the tables at the head revision),
    :mod:`~models.store.revisions` (the migration scripts' revisions, running them),
    :mod:`~models.store.engine` (engines and the checks made on open),
    :mod:`~models.store.codecs` (columns and rows between numpy and the database),
    :mod:`~models.store.bulk` (chunked bulk statements and their transaction settings),
    :mod:`~models.store.records` and :mod:`~models.store.errors` (what callers get back),
    :mod:`~models.store.workspace` (:class:`Workspace`).  This package re-exports what
    callers use, so ``from models.store import Workspace`` stays the way in.
"""

from __future__ import annotations

from models.store.bulk import BULK_PRAGMAS as BULK_PRAGMAS
from models.store.codecs import _encode_column as _encode_column
from models.store.codecs import _ticket_columns as _ticket_columns
from models.store.engine import _file_engine as _file_engine
from models.store.errors import WorkspaceError
from models.store.records import ContractVersionInfo, DataSourceRecord, DraftRecord, NewDataSource, Records
from models.store.revisions import MIGRATIONS_DIR, Revisions, head_revision, migrate, read_revisions
from models.store.schema import APP_ID, SUFFIX
from models.store.schema import TICKET_FIELDS as TICKET_FIELDS
from models.store.schema import metadata as metadata
from models.store.schema import t_backups as t_backups
from models.store.schema import t_clients as t_clients
from models.store.schema import t_drafts as t_drafts
from models.store.schema import t_kpis as t_kpis
from models.store.schema import t_meta as t_meta
from models.store.schema import t_outages as t_outages
from models.store.schema import t_restores as t_restores
from models.store.schema import t_scenarios as t_scenarios
from models.store.schema import t_sources as t_sources
from models.store.schema import t_status as t_status
from models.store.schema import t_tickets as t_tickets
from models.store.schema import t_versions as t_versions
from models.store.workspace import Workspace

__all__ = [
    "APP_ID",
    "MIGRATIONS_DIR",
    "SUFFIX",
    "ContractVersionInfo",
    "DataSourceRecord",
    "DraftRecord",
    "NewDataSource",
    "Records",
    "Revisions",
    "Workspace",
    "WorkspaceError",
    "head_revision",
    "migrate",
    "read_revisions",
]
