"""One ticket's time in words, written once for the front ends: a duration as a person
reads it ("2 h 14 min"), by how much a ticket missed or made its target, and the
ticket's status history with how long each status lasted and whether the SLA clock
ran meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.contract import METRICS, Contract
from models.history import MISSING, StatusLog, TicketTable

_MET, _BREACHED, _PENDING = "met", "breached", "pending"
ONGOING, FINAL = "ongoing", "final"


def duration_words(seconds: int | float) -> str:
    """``2 h 14 min``, ``35 min``, ``27 h``, ``3 d 4 h`` (days from 48 hours on, as a
    target of business hours reads best in hours), ``under a minute``."""
    s = round(abs(seconds))
    if s < 60:
        return "under a minute" if s else "0 min"
    minutes = s // 60
    hours, mins = divmod(minutes, 60)
    if hours >= 48:
        days, hours = divmod(hours, 24)
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def margin_words(business: int, budget: int, outcome: str) -> str:
    """By how much one ticket's metric missed or made its target, in covered time:
    ``missed by 2 h 14 min``, ``met with 35 min to spare``, ``still open, 1 h left``;
    ``no target`` when none applies (``budget`` negative)."""
    if budget < 0:
        return "no target"
    if business < 0:
        return "not measured"
    over = business - budget
    if outcome == _BREACHED:
        return f"missed by {duration_words(over)}"
    if outcome == _PENDING:
        return f"still open, {duration_words(-over)} left"
    if outcome == _MET:
        return "met on the dot" if over == 0 else f"met with {duration_words(-over)} to spare"
    return outcome.replace("_", " ")


@dataclass(frozen=True)
class FlipMargin:
    """By how much one flipped ticket missed or made its target, under the scenario and
    under the baseline, in words (``missed by 14 min``), and each target (``2 h``, ``no target``)."""

    scenario: str
    scenario_target: str
    baseline: str
    baseline_target: str


def flip_margins(comparison: Any) -> list[FlipMargin]:
    """Per flip of a :class:`workbench.engine.simulate.Comparison`, from the engine's own
    per-ticket business seconds and budgets."""
    from workbench.engine.simulate import OUTCOME_NAMES

    flips = comparison.flips
    if not flips:
        return []
    ids = comparison.baseline.engine.tickets.ids
    wanted = {f.ticket for f in flips}
    index = {str(t): i for i, t in enumerate(ids) if str(t) in wanted}
    out = []
    for f in flips:
        i = index[f.ticket]
        words: list[str] = []
        for result in (comparison.scenario, comparison.baseline):
            arrays = result.metric(f.metric)
            business, budget = int(arrays.business_seconds[i]), int(arrays.budget_seconds[i])
            code = int(arrays.outcome[i])
            outcome = OUTCOME_NAMES[code] if 0 <= code < len(OUTCOME_NAMES) else ""
            words += [margin_words(business, budget, outcome),
                      duration_words(budget) if budget >= 0 else "no target"]
        out.append(FlipMargin(*words))
    return out


@dataclass(frozen=True)
class StatusSpan:
    """One status of a ticket: from ``start`` to ``end`` (the next status row, the
    resolution, or the as-of instant for the last one), and per metric how the SLA
    clock ran meanwhile (:attr:`clock`: metric -> words)."""

    status: str
    start: int
    end: int
    clock: dict[str, str]
    state: str = ""  # ONGOING: still in it at the as-of instant; FINAL: the closing status

    @property
    def seconds(self) -> int:
        return max(0, self.end - self.start)


def _clock_words(audit: Any, start: int, end: int) -> str:
    """How ``audit``'s clock ran during ``[start, end)``: ``ran 1 h 5 min`` (its covered
    seconds), else why not: ``paused (client)`` (a pause status), ``out of hours``,
    ``holiday``, ``after response``/``after resolution`` (its clock had stopped)."""
    if audit is None:
        return "not measured"
    if audit.target is None:
        return "no target"
    if start >= audit.end and audit.ended_by_event:
        return "after response" if audit.metric == "response" else "after resolution"
    seconds: dict[str, int] = {}
    for s in audit.segments:
        lo, hi = max(s.start, start), min(s.end, end)
        if hi > lo:
            seconds[s.kind] = seconds.get(s.kind, 0) + hi - lo
    covered = seconds.get("covered", 0)
    if covered:
        return f"ran {duration_words(covered)}"
    if seconds.get("paused"):
        return "paused (client)"
    if seconds.get("holiday"):
        return "holiday"
    return "out of hours" if seconds else "did not run"


def status_history(
    contract: Contract | None,
    tickets: TicketTable,
    status_log: StatusLog | None,
    i: int,
    as_of: int,
    metrics: Sequence[str] = METRICS,
) -> list[StatusSpan]:
    """Ticket ``i``'s status rows in order, each with how long it lasted and, under
    ``contract``, how each metric's clock ran during it (from the same audit the
    timeline draws: :func:`workbench.engine.ticketquery.audit_ticket`)."""
    from workbench.engine.ticketquery import audit_ticket

    if status_log is None or len(status_log) == 0:
        return []
    lo, hi = (int(x) for x in np.searchsorted(status_log.ticket, [i, i + 1]))
    if hi <= lo:
        return []
    audits: dict[str, Any] = {}
    for m in metrics:
        try:
            audits[m] = audit_ticket(contract, tickets, status_log, i, m, as_of) if contract else None
        except (KeyError, ValueError, IndexError):  # an unknown priority or calendar: not measured
            audits[m] = None
    done = [int(c[i]) for c in (tickets.resolved, tickets.closed)]
    known = [t for t in done if t != MISSING and t <= as_of]
    finish = max(known) if known else None  # when the ticket was finished with, as of ``as_of``
    spans = []
    for r in range(lo, hi):
        at = int(status_log.at[r])
        if at > as_of:
            break
        code = int(status_log.status[r])
        name = status_log.status_names[code] if 0 <= code < len(status_log.status_names) else "?"
        last = r + 1 >= hi or int(status_log.at[r + 1]) > as_of
        if not last:
            end, state = int(status_log.at[r + 1]), ""
        elif finish is not None and finish > at:  # lasted until the ticket was resolved or closed
            end, state = finish, ""
        elif finish is not None:  # the closing status: nothing follows it
            end, state = at, FINAL
        else:  # still in it at the as-of instant
            end, state = as_of, ONGOING
        spans.append(StatusSpan(name, at, end, {m: _clock_words(audits.get(m), at, end) for m in metrics},
                                state))
    return spans
