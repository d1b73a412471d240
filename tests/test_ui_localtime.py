"""Times in the window read in the contract's zone, named, with a preference for UTC."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NORTHWIND = load_contract(DEMO / "northwind-2025.yaml")  # America/Toronto

pytestmark = [pytest.mark.gui, pytest.mark.window((NORTHWIND,), tickets=50, view="tickets")]


def test_ticket_times_and_the_as_of_are_in_the_contract_zone(window, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    view = window.views["tickets"]
    model = view.model
    opened = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal)
                  .startswith("Opened"))
    assert model.headerData(opened, Qt.Orientation.Horizontal) == "Opened (Toronto time)"
    row = 0
    sec = int(window.state.history.tickets.opened[model.ticket_index(row)])
    toronto = dt.datetime.fromtimestamp(sec, ZoneInfo("America/Toronto"))
    assert model.data(model.index(row, opened)) == toronto.strftime("%Y-%m-%d %H:%M")
    window._update_status()
    assert window.sb_asof.text().endswith(("EST", "EDT"))

    window.state.set_zone_preference("UTC")
    assert model.headerData(opened, Qt.Orientation.Horizontal) == "Opened (UTC)"
    utc = dt.datetime.fromtimestamp(sec, dt.UTC)
    assert model.data(model.index(row, opened)) == utc.strftime("%Y-%m-%d %H:%M")
    assert window.sb_asof.text().endswith("UTC")
