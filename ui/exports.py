"""Every chart and every table of a view can leave the window: right-click a chart to
save it as PNG or SVG; right-click a table to copy it, or save it as CSV or XLSX.
The files are written in ``workbench/`` (the figure's own savefig, reports.tables)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QTableView, QWidget

from workbench.reports.tables import table_text, write_table


def table_rows(view: QTableView) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of a table as shown (its model's display text, in view order)."""
    model = view.model()
    if model is None:
        return [], []
    cols = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in cols]
    rows = []
    for r in range(model.rowCount(QModelIndex())):
        rows.append([model.data(model.index(r, c)) for c in cols])
    return header, rows


def copy_table(view: QTableView) -> str:
    text = table_text(*table_rows(view))
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)
    return text


def save_table(view: QTableView, path: str) -> Path:
    return write_table(*table_rows(view), path)


def save_chart(canvas: Any, path: str) -> Path:
    """The chart as the canvas shows it, as PNG or SVG (by the suffix)."""
    p = Path(path)
    if p.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"{p}: a chart is saved as .png or .svg")
    canvas.figure.savefig(str(p), dpi=150 if p.suffix.lower() == ".png" else None)
    return p


def _ask(parent: QWidget, title: str, name: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, name, filters)
    return path


def install(root: QWidget) -> None:
    """Give every table and chart under ``root`` its context menu (once each)."""
    for table in root.findChildren(QTableView):
        if table.property("exports_installed"):
            continue
        table.setProperty("exports_installed", True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(lambda pos, t=table: _table_menu(t, pos))
    for canvas in root.findChildren(QWidget):
        if not hasattr(canvas, "hidden_while_rendering") or canvas.property("exports_installed"):
            continue
        canvas.setProperty("exports_installed", True)
        canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        canvas.customContextMenuRequested.connect(lambda pos, c=canvas: _chart_menu(c, pos))


def _table_menu(table: QTableView, pos: Any) -> None:
    menu = QMenu(table)
    menu.addAction("Copy table", lambda: copy_table(table))
    menu.addAction("Save table as CSV or Excel…", lambda: _save_table_as(table))
    menu.exec(table.viewport().mapToGlobal(pos))


def _save_table_as(table: QTableView) -> None:
    _save_as(table, "table", "table.xlsx", "Excel (*.xlsx);;CSV (*.csv)", lambda p: save_table(table, p))


def _chart_menu(canvas: Any, pos: Any) -> None:
    menu = QMenu(canvas)
    menu.addAction("Save chart as PNG or SVG…", lambda: _save_chart_as(canvas))
    menu.exec(canvas.mapToGlobal(pos))


def _save_chart_as(canvas: Any) -> None:
    _save_as(canvas, "chart", "chart.png", "PNG image (*.png);;SVG drawing (*.svg)",
             lambda p: save_chart(canvas, p))


def _save_as(parent: QWidget, what: str, name: str, filters: str, write: Callable[[str], Path]) -> None:
    """Ask for a file and write ``what`` there; a failure is said in a message box."""
    path = _ask(parent, f"Save the {what}", name, filters)
    if path:
        try:
            write(path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(parent, f"Could not save the {what}", str(exc))
