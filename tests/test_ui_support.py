"""Small generated histories and contracts for the GUI tests (no tests here).  Qt-free
at import: the Qt types below are for the type checker only."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from models.contract import Contract, contract_from_data
from models.history import MISSING, History, StatusLog, TicketTable

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    from ui.main_window import MainWindow

V = TypeVar("V")

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


def make_tickets(n: int = 400, seed: int = 7) -> TicketTable:
    rng = np.random.default_rng(seed)
    prio = rng.integers(0, 4, n).astype(np.int8)
    opened = T0 + np.sort(rng.integers(0, 180 * 86400, n)).astype(np.int64)
    response = opened + rng.integers(60, 6 * 3600, n)
    resolution = opened + rng.integers(3600, 5 * 86400, n)
    response[rng.random(n) < 0.05] = MISSING
    resolution[rng.random(n) < 0.05] = MISSING
    team = rng.integers(-1, 3, n).astype(np.int32)
    return TicketTable(
        ids=np.array([f"INC{i:06d}" for i in range(n)], dtype=object),
        priority=prio,
        opened=opened,
        first_response=response.astype(np.int64),
        resolved=resolution.astype(np.int64),
        closed=np.full(n, MISSING, np.int64),
        category=np.full(n, -1, np.int32),
        category_names=(),
        team=team,
        team_names=("Helpdesk", "NOC", "SOC"),
    )


def make_status_log(tickets: TicketTable, seed: int = 3) -> StatusLog:
    rng = np.random.default_rng(seed)
    rows_t, rows_at, rows_s = [], [], []
    for i in range(len(tickets)):
        if rng.random() < 0.3:
            a = int(tickets.opened[i]) + int(rng.integers(600, 7200))
            rows_t += [i, i]
            rows_at += [a, a + int(rng.integers(600, 36000))]
            rows_s += [0, 1]
    return StatusLog(
        np.array(rows_t, np.int64),
        np.array(rows_at, np.int64),
        np.array(rows_s, np.int32),
        ("Awaiting User Info", "Active"),
    )


def make_history(n: int = 400) -> History:
    tickets = make_tickets(n)
    return History(tickets=tickets, status_log=make_status_log(tickets))


def make_contract(
    version: str = "2025 signed", status: str = "signed", p1_resolution: str = "4h"
) -> Contract:
    return contract_from_data(
        {
            "name": "Northwind MSP — Managed Services SLA",
            "version": version,
            "client": "Contoso Dental",
            "status": status,
            "monthly_fee": 12000,
            "calendars": {
                "business": {
                    "timezone": "America/Toronto",
                    "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
                    "holidays": {"country": "CA", "subdivision": "ON"},
                }
            },
            "targets": {
                "P1": {"response": "1h", "resolution": p1_resolution, "calendar": "24x7"},
                "P2": {"response": "2h", "resolution": "same_business_day", "calendar": "business"},
                "P3": {"response": "4h", "resolution": "next_business_day", "calendar": "business"},
                "P4": {"response": "8h", "resolution": "5d", "calendar": "business"},
            },
            "pause_statuses": ["Awaiting User Info"],
            "service_credits": [{"metric": "resolution", "priority": "P1", "percent_of_fee": 2}],
        }
    )


class SupersededCall:
    """Stands in for a long ``workbench`` call (``fn(..., progress=)``): the first call
    reports progress until it is cancelled (or ``limit`` seconds pass), later calls
    go to ``real``.  ``first`` records whether the first call got a callback and was
    cancelled through it."""

    def __init__(self, real: Callable[..., Any], limit: float = 4.0) -> None:
        self.real = real
        self.limit = limit
        self.calls = 0
        self.first: dict[str, bool] = {}

    def __call__(self, *args: Any, progress: Any = None, **kwargs: Any) -> Any:
        from workbench.progress import Cancelled, report

        self.calls += 1
        if self.calls > 1:
            return self.real(*args, progress=progress, **kwargs)
        self.first.update(got_progress=progress is not None, cancelled=False, running=True)
        deadline = time.monotonic() + self.limit
        try:
            while time.monotonic() < deadline:
                report(progress, 0.5, "replaying the history")
                time.sleep(0.005)
        except Cancelled:
            self.first["cancelled"] = True
            raise
        finally:
            self.first["running"] = False
        return self.real(*args, progress=progress, **kwargs)


def view_of(w: MainWindow, key: str, cls: type[V]) -> V:
    """The view ``key`` of ``w`` (built on first use) as the class it must be."""
    view = w.views[key]
    assert isinstance(view, cls), f"view {key!r} is a {type(view).__name__}, not a {cls.__name__}"
    return view


def table_item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item at ``(row, column)``, which must be there."""
    item = table.item(row, column)
    assert item is not None, f"no item at row {row}, column {column}"
    return item
