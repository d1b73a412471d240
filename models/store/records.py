"""What the store hands back besides contracts and history: plain frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.history import (
    BackupJob,
    KpiSnapshot,
    Outage,
    RestoreTest,
)


@dataclass(frozen=True)
class ContractVersionInfo:
    """One row of the version history (without the contract body)."""

    id: int
    parent_id: int | None
    name: str
    label: str
    status: str
    created_at: datetime
    source: str | None = None  # the file name it was added from, when it came from a file


@dataclass(frozen=True)
class DraftRecord:
    """A working draft as stored: its key, the version it was made from (None for a
    draft of a new contract), the contract's data and when it was last saved."""

    key: str
    parent_version_id: int | None
    data: dict[str, Any]
    saved_at: datetime


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
class NewDataSource:
    """Where an import came from, recorded in the same transaction as what it imported
    (:meth:`Workspace.upsert_tickets`, :meth:`Workspace.save_history`)."""

    file_name: str
    preset: str | None = None
    tickets: int = 0
    status_rows: int = 0
    rejected: int = 0
    details: dict[str, Any] | None = None


@dataclass(frozen=True)
class Records:
    """The history besides tickets: what :meth:`Workspace.load_records` returns."""

    backups: tuple[BackupJob, ...] = ()
    restore_tests: tuple[RestoreTest, ...] = ()
    outages: tuple[Outage, ...] = ()
    kpis: tuple[KpiSnapshot, ...] = ()

