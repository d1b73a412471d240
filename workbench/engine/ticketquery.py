"""Vectorised selection and ordering of tickets (the Tickets view's filters, headless).

Everything works on the columnar :class:`~models.history.TicketTable` and returns
index arrays, so a filter over a million tickets is a few numpy masks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.contract import PRIORITIES
from models.history import MISSING, TicketTable

OUTCOMES: tuple[str, ...] = ("met", "breached", "pending", "not_applicable")
IndexArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TicketFilter:
    """Empty/None fields select everything.  ``start``/``end`` bound ``opened`` (half-open)."""

    priorities: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()
    outcomes: frozenset[str] = frozenset()
    start: int | None = None
    end: int | None = None
    text: str = ""  # substring of the ticket id
    ids: frozenset[str] | None = None  # exactly these tickets (a drill-down), None: any


def select(
    tickets: TicketTable, flt: TicketFilter, outcome_codes: npt.NDArray[np.int8] | None = None
) -> IndexArray:
    """Indices of the tickets that pass ``flt``, in table order.

    ``outcome_codes`` (one per ticket, indexes :data:`OUTCOMES`; -1 unknown) is needed to
    filter by outcome; without it an outcome filter selects nothing.
    """
    n = len(tickets)
    mask = np.ones(n, dtype=bool)
    if flt.priorities:
        codes = [PRIORITIES.index(p) for p in flt.priorities if p in PRIORITIES]
        mask &= np.isin(tickets.priority, np.array(codes, dtype=np.int8))
    if flt.teams:
        codes = [i for i, name in enumerate(tickets.team_names) if name in flt.teams]
        wanted = np.array(codes, dtype=np.int32)
        team_mask = np.isin(tickets.team, wanted)
        if "(none)" in flt.teams:
            team_mask |= tickets.team < 0
        mask &= team_mask
    if flt.outcomes:
        if outcome_codes is None:
            mask &= False
        else:
            codes = [OUTCOMES.index(o) for o in flt.outcomes if o in OUTCOMES]
            mask &= np.isin(outcome_codes, np.array(codes, dtype=np.int8))
    if flt.start is not None:
        mask &= tickets.opened >= flt.start
    if flt.end is not None:
        mask &= (tickets.opened < flt.end) & (tickets.opened != MISSING)
    if flt.ids is not None:
        mask &= np.isin(tickets.ids.astype(str), np.array(sorted(flt.ids), dtype=str))
    if flt.text:
        needle = flt.text.lower()
        candidates = np.flatnonzero(mask)
        keep = np.fromiter(
            (needle in str(tickets.ids[i]).lower() for i in candidates), dtype=bool, count=len(candidates)
        )
        return candidates[keep].astype(np.int64)
    return np.flatnonzero(mask).astype(np.int64)


def sort_key(tickets: TicketTable, column: str) -> npt.NDArray[np.generic]:
    """A sortable array for a column name of :data:`COLUMNS`."""
    if column == "id":
        return tickets.ids.astype(str)
    if column == "priority":
        return tickets.priority
    if column == "team":
        names = np.array([*tickets.team_names, ""], dtype=object)
        return names[tickets.team].astype(str)
    if column == "category":
        names = np.array([*tickets.category_names, ""], dtype=object)
        return names[tickets.category].astype(str)
    if column in ("opened", "first_response", "resolved", "closed"):
        return getattr(tickets, column)
    raise KeyError(column)


def order(
    tickets: TicketTable, rows: IndexArray, key: npt.NDArray[np.generic], descending: bool
) -> IndexArray:
    """``rows`` re-ordered by ``key`` (stable; ties keep table order)."""
    sub = key[rows]
    idx = np.argsort(sub, kind="stable")
    if descending:
        idx = idx[::-1]
    return rows[idx]


# ------------------------------------------------------------------ one ticket's clock


@dataclass(frozen=True)
class TicketAudit:
    """The clock of one ticket and metric: segments of ``[opened, end)``."""

    metric: str
    calendar: str
    target: str | None
    opened: int
    end: int
    ended_by_event: bool
    segments: tuple  # of workbench.engine.clock.Segment (start, end, kind)

    def seconds(self, kind: str) -> int:
        return sum(s.seconds for s in self.segments if s.kind == kind)


def audit_ticket(
    contract: object, tickets: TicketTable, status_log: object, i: int, metric: str, as_of: int
) -> TicketAudit:
    """Segments (covered, paused, out_of_hours, holiday) of ticket ``i``'s ``metric`` clock
    under ``contract``, from ``opened`` to its event (or ``as_of`` when it has none)."""
    from models.contract import LITERAL_24X7, Contract
    from workbench.engine.calendar import compile_calendar
    from workbench.engine.clock import clock_audit, pause_intervals

    assert isinstance(contract, Contract)
    prio = PRIORITIES[int(tickets.priority[i])]
    cal_name = contract.calendar_name(prio, metric) or LITERAL_24X7
    spec = LITERAL_24X7 if cal_name == LITERAL_24X7 else contract.calendars[cal_name]
    opened = int(tickets.opened[i])
    event = int((tickets.first_response if metric == "response" else tickets.resolved)[i])
    has_event = event != MISSING and event <= as_of
    end = event if has_event else as_of
    pauses: list[tuple[int, int]] = []
    if contract.pauses(metric) and status_log is not None:
        from models.history import StatusLog

        assert isinstance(status_log, StatusLog)
        lo, hi = np.searchsorted(status_log.ticket, [i, i + 1])
        sub = StatusLog(
            np.zeros(hi - lo, np.int64),
            status_log.at[lo:hi],
            status_log.status[lo:hi],
            status_log.status_names,
        )
        p = pause_intervals(sub, tuple(contract.pause_statuses))
        pauses = [(int(s), int(min(e, end))) for s, e in zip(p.start, p.end, strict=True)]
    if end <= opened:
        segments: tuple = ()
    else:
        cal = compile_calendar(spec, opened, end)
        segments = tuple(clock_audit(cal, opened, end, pauses))
    return TicketAudit(metric, cal_name, contract.target(prio, metric), opened, end, has_event, segments)
