"""Performance history: tickets with their status log, backups, restore tests,
outages and monthly KPI snapshots.

Row models (pydantic) validate single records at the edges (forms, small files).
The engine reads :class:`TicketTable` / :class:`StatusLog`: columnar numpy arrays,
instants as int64 seconds since the Unix epoch (UTC), absent values as
:data:`MISSING`.  Strings (categories, teams, statuses) are dictionary-encoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.contract import PRIORITIES

MISSING = np.iinfo(np.int64).min  # absent instant in int64 columns

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
I32 = npt.NDArray[np.int32]
Obj = npt.NDArray[np.object_]

TEAMS: tuple[str, ...] = ("Helpdesk", "NOC", "SOC", "MSSP")

# TicketTable.unrecorded: bits of the metrics whose event the ticket's export had no column
# for (an empty cell is an open ticket; no column at all is an event never recorded)
UNRECORDED_BITS: dict[str, int] = {"response": 1, "resolution": 2}


def to_epoch(dt: datetime | None) -> int:
    """Aware datetime -> int seconds (UTC); None -> MISSING."""
    if dt is None:
        return int(MISSING)
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt.isoformat()}: an offset or time zone is required")
    return int(dt.timestamp())


def from_epoch(sec: int) -> datetime | None:
    if sec == MISSING:
        return None
    return datetime.fromtimestamp(int(sec), tz=UTC)


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _aware(v: datetime | None) -> datetime | None:
    if v is not None and v.tzinfo is None:
        raise ValueError("timestamp needs an offset (Z or +01:00)")
    return v


class Ticket(Row):
    id: str
    priority: Literal["P1", "P2", "P3", "P4"]
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    category: str | None = None
    team: str | None = None
    provider_sla_met: bool | None = None

    _aw = field_validator("opened_at", "first_response_at", "resolved_at", "closed_at")(
        lambda cls, v: _aware(v)
    )


class StatusChange(Row):
    ticket_id: str
    at: datetime
    status: str

    _aw = field_validator("at")(lambda cls, v: _aware(v))


class BackupJob(Row):
    system: str
    finished_at: datetime
    success: bool
    location: Literal["cloud", "on-prem", "hybrid"] = "on-prem"

    _aw = field_validator("finished_at")(lambda cls, v: _aware(v))


class RestoreTest(Row):
    system: str
    started_at: datetime
    finished_at: datetime
    success: bool

    _aw = field_validator("started_at", "finished_at")(lambda cls, v: _aware(v))


class Outage(Row):
    service: str
    start: datetime
    end: datetime
    maintenance: bool = False  # a planned maintenance window, excluded from uptime

    _aw = field_validator("start", "end")(lambda cls, v: _aware(v))


class KpiSnapshot(Row):
    month: date  # first day of the month
    patch_compliance: float | None = Field(default=None, ge=0, le=1)
    threats_detected: int | None = Field(default=None, ge=0)
    threats_resolved: int | None = Field(default=None, ge=0)
    endpoints_managed: int | None = Field(default=None, ge=0)


# ------------------------------------------------------------------------ columnar


def _encode(values: list[str | None]) -> tuple[I32, tuple[str, ...]]:
    """Dictionary-encode strings; None -> -1."""
    names: dict[str, int] = {}
    codes = np.empty(len(values), dtype=np.int32)
    for i, v in enumerate(values):
        if v is None or v == "":
            codes[i] = -1
        else:
            codes[i] = names.setdefault(v, len(names))
    return codes, tuple(names)


@dataclass(frozen=True, eq=False)
class TicketTable:
    """Tickets as columns.  ``priority`` holds 0..3 for P1..P4 (-1 unknown); ``unrecorded``
    holds :data:`UNRECORDED_BITS` of the events the ticket's source could not carry (0: all);
    ``cancelled`` marks tickets the tool cancelled (ServiceNow "Canceled"): left out of SLA compliance."""

    ids: Obj
    priority: I8
    opened: I64
    first_response: I64
    resolved: I64
    closed: I64
    category: I32 = field(default_factory=lambda: np.empty(0, np.int32))
    category_names: tuple[str, ...] = ()
    team: I32 = field(default_factory=lambda: np.empty(0, np.int32))
    team_names: tuple[str, ...] = ()
    provider_sla_met: I8 = field(default_factory=lambda: np.empty(0, np.int8))  # -1 unknown
    unrecorded: I8 = field(default_factory=lambda: np.empty(0, np.int8))
    cancelled: npt.NDArray[np.bool_] = field(default_factory=lambda: np.empty(0, bool))

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("category", "team", "provider_sla_met", "unrecorded", "cancelled"):
            arr = getattr(self, name)
            if len(arr) == 0 and n:
                fill = np.full(n, 0 if name in ("unrecorded", "cancelled") else -1, dtype=arr.dtype)
                object.__setattr__(self, name, fill)
        for name in ("priority", "opened", "first_response", "resolved", "closed",
                     "category", "team", "provider_sla_met", "unrecorded", "cancelled"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"column {name} has {len(getattr(self, name))} rows, ids has {n}")

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls) -> TicketTable:
        e = np.empty(0, np.int64)
        return cls(np.empty(0, object), np.empty(0, np.int8), e, e, e, e)

    @classmethod
    def from_tickets(cls, tickets: list[Ticket]) -> TicketTable:
        cat, cat_names = _encode([t.category for t in tickets])
        team, team_names = _encode([t.team for t in tickets])
        return cls(
            ids=np.array([t.id for t in tickets], dtype=object),
            priority=np.array([PRIORITIES.index(t.priority) for t in tickets], dtype=np.int8),
            opened=np.array([to_epoch(t.opened_at) for t in tickets], dtype=np.int64),
            first_response=np.array([to_epoch(t.first_response_at) for t in tickets], np.int64),
            resolved=np.array([to_epoch(t.resolved_at) for t in tickets], dtype=np.int64),
            closed=np.array([to_epoch(t.closed_at) for t in tickets], dtype=np.int64),
            category=cat,
            category_names=cat_names,
            team=team,
            team_names=team_names,
            provider_sla_met=np.array(
                [-1 if t.provider_sla_met is None else int(t.provider_sla_met) for t in tickets],
                dtype=np.int8,
            ),
        )

    def ticket(self, i: int) -> Ticket:
        def name(codes: I32, names: tuple[str, ...]) -> str | None:
            c = int(codes[i])
            return None if c < 0 else names[c]

        flag = int(self.provider_sla_met[i])
        return Ticket(
            id=str(self.ids[i]),
            priority=PRIORITIES[int(self.priority[i])],  # type: ignore[arg-type]
            opened_at=from_epoch(int(self.opened[i])),  # type: ignore[arg-type]
            first_response_at=from_epoch(int(self.first_response[i])),
            resolved_at=from_epoch(int(self.resolved[i])),
            closed_at=from_epoch(int(self.closed[i])),
            category=name(self.category, self.category_names),
            team=name(self.team, self.team_names),
            provider_sla_met=None if flag < 0 else bool(flag),
        )

    def tickets(self) -> list[Ticket]:
        return [self.ticket(i) for i in range(len(self))]

    def latest_instant(self) -> int:
        """The latest instant found anywhere in the ticket data (default ``as_of``)."""
        best = int(MISSING)
        for col in (self.opened, self.first_response, self.resolved, self.closed):
            if len(col):
                best = max(best, int(col.max()))
        return best

    def unrecorded_share(self, metric: str, rows: npt.NDArray[np.bool_] | None = None) -> tuple[int, int]:
        """(tickets whose source had no column for ``metric``'s event, tickets), over ``rows``."""
        bits = self.unrecorded if rows is None else self.unrecorded[rows]
        return int(np.count_nonzero(bits & UNRECORDED_BITS[metric])), len(bits)


@dataclass(frozen=True, eq=False)
class StatusLog:
    """Status rows as columns: ``ticket`` indexes into a TicketTable; sorted by (ticket, at)."""

    ticket: I64
    at: I64
    status: I32
    status_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.ticket)

    @classmethod
    def empty(cls) -> StatusLog:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int32), ())

    @classmethod
    def from_changes(cls, changes: list[StatusChange], tickets: TicketTable) -> StatusLog:
        index = {str(t): i for i, t in enumerate(tickets.ids)}
        unknown = [c.ticket_id for c in changes if c.ticket_id not in index]
        if unknown:
            raise ValueError(f"status rows for unknown tickets: {', '.join(sorted(set(unknown))[:5])}")
        status, names = _encode([c.status for c in changes])
        t = np.array([index[c.ticket_id] for c in changes], dtype=np.int64)
        at = np.array([to_epoch(c.at) for c in changes], dtype=np.int64)
        order = np.lexsort((at, t))
        return cls(t[order], at[order], status[order], names)

    def latest_instant(self) -> int:
        return int(self.at.max()) if len(self.at) else int(MISSING)


@dataclass(frozen=True)
class History:
    """Everything the workspace knows of what happened."""

    tickets: TicketTable = field(default_factory=TicketTable.empty)
    status_log: StatusLog = field(default_factory=StatusLog.empty)
    backups: tuple[BackupJob, ...] = ()
    restore_tests: tuple[RestoreTest, ...] = ()
    outages: tuple[Outage, ...] = ()
    kpis: tuple[KpiSnapshot, ...] = ()

    def latest_instant(self) -> int:
        return max(self.tickets.latest_instant(), self.status_log.latest_instant())
