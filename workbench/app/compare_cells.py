"""What stands behind the cells of a comparison: the tickets a priority's compliance or
breaches are counted on under one proposal (for the drill-down into the Tickets view),
and the warning signs of every proposal as one matrix of codes by proposals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from models.contract import METRICS, PRIORITIES, Contract
from models.history import History
from workbench.app.words import code_title

__all__ = [
    "BREACHES",
    "WarningCell",
    "WarningRow",
    "cell_tickets",
    "tickets_behind",
    "warning_matrix",
]

BREACHES = "breaches"
SEVERITY_ORDER = ("high", "medium", "low")


def tickets_behind(sim: Any, priority: str, measure: str) -> list[str]:
    """The ids of the tickets behind one cell of a replay ``sim``
    (a :class:`workbench.engine.simulate.SimulationResult`): for a metric
    (``"response"``/``"resolution"``) the priority's tickets its compliance is counted on
    (met or breached, as in met / (met + breached)); for :data:`BREACHES` the priority's
    tickets that breached the response or the resolution target."""
    import numpy as np

    from workbench.engine.clock import BREACHED, MET

    if priority not in PRIORITIES:
        raise ValueError(f"unknown priority {priority!r}")
    idx = sim.engine.group_index[PRIORITIES.index(priority)]
    if measure in METRICS:
        o = sim.metric(measure).outcome[idx]
        keep = (o == MET) | (o == BREACHED)
    elif measure == BREACHES:
        keep = np.zeros(len(idx), bool)
        for metric in METRICS:
            keep |= sim.metric(metric).outcome[idx] == BREACHED
    else:
        raise ValueError(f"no tickets stand behind {measure!r}")
    ids = sim.engine.tickets.ids
    return [str(ids[int(i)]) for i in idx[keep]]


def cell_tickets(
    contract: Contract, history: History, priority: str, measure: str, as_of: int | None = None
) -> list[str]:
    """:func:`tickets_behind` the cell of ``contract`` replayed on ``history`` as the
    comparison replays it (same tickets, status log and as-of instant)."""
    from workbench.engine.simulate import Engine

    sim = Engine(history.tickets, history.status_log, as_of).run(contract)
    return tickets_behind(sim, priority, measure)


@dataclass(frozen=True)
class WarningCell:
    """One proposal's findings of one code: how many, the worst severity, their texts."""

    count: int
    severity: str  # the worst of them ("high", "medium", "low"); "" when none
    evidence: tuple[str, ...]
    by_severity: tuple[tuple[str, int], ...] = ()  # (severity, how many), worst first

    def text(self) -> str:
        """``4 high``; ``7: 5 high, 2 medium`` when they differ; ``—`` for none."""
        if not self.count:
            return "—"
        if len(self.by_severity) <= 1:
            return f"{self.count} {self.severity}"
        return f"{self.count}: " + ", ".join(f"{n} {s}" for s, n in self.by_severity)


@dataclass(frozen=True)
class WarningRow:
    code: str
    title: str  # the code with its name: "W07 Targets weaker than the reference matrix"
    cells: tuple[WarningCell, ...]  # one per proposal, in the comparison's order


def warning_matrix(per_version: Sequence[Sequence[Mapping[str, Any]] | None]) -> list[WarningRow]:
    """The warning signs of each proposal (the comparison's finding dicts) as rows of
    codes (in code order) by proposals."""
    codes = sorted({str(f.get("code", "")) for fs in per_version for f in fs or ()})
    rows = []
    for code in codes:
        cells = []
        for fs in per_version:
            mine = [f for f in fs or () if str(f.get("code", "")) == code]
            sev = [str(f.get("severity", "")) for f in mine]
            order = [s for s in SEVERITY_ORDER if s in sev] + sorted(set(sev) - set(SEVERITY_ORDER))
            cells.append(
                WarningCell(
                    len(mine),
                    order[0] if order else "",
                    tuple(str(f.get("evidence", "")) for f in mine),
                    tuple((s, sev.count(s)) for s in order),
                )
            )
        rows.append(WarningRow(code, code_title(code), tuple(cells)))
    return rows
