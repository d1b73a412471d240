"""Every table can be copied and saved as CSV/XLSX, every chart saved as PNG/SVG."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from models.contract import load_contract

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
CONTRACTS = tuple(load_contract(DEMO / f"{n}.yaml") for n in ("northwind-2025", "northwind-2026-q4-proposal"))

pytestmark = [pytest.mark.gui, pytest.mark.window(CONTRACTS, tickets=300, view="whatif")]


def test_tables_and_charts_leave_the_window(window, qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from ui import exports

    view = window.views["whatif"]
    qtbot.waitUntil(lambda: view.compliance.model().rowCount() == 4, timeout=30_000)
    table = view.compliance
    assert table.property("exports_installed")
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    header, rows = exports.table_rows(table)
    assert header[0] == "Priority" and [r[0] for r in rows] == ["P1", "P2", "P3", "P4"]

    text = exports.copy_table(table)
    assert QGuiApplication.clipboard().text() == text and text.splitlines()[1].startswith("P1\t")

    out = exports.save_table(table, str(tmp_path / "compliance.csv"))
    with out.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [header, *[["" if v is None else str(v) for v in r] for r in rows]]
    book = load_workbook(exports.save_table(table, str(tmp_path / "compliance.xlsx")))
    assert [c.value for c in book.active[1]] == header and book.active.max_row == 5
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        exports.save_table(table, str(tmp_path / "t.txt"))

    canvas = view.months_canvas
    qtbot.waitUntil(lambda: bool(canvas.figure.axes) and not canvas.rendering, timeout=30_000)
    png = exports.save_chart(canvas, str(tmp_path / "months.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = exports.save_chart(canvas, str(tmp_path / "months.svg"))
    assert b"<svg" in svg.read_bytes()[:500] and b"Breaches per month" in svg.read_bytes()
