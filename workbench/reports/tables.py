"""Any table of the workbench as a file: CSV (UTF-8 with a byte-order mark, which
Excel needs to read accents right) or XLSX (openpyxl), and as tab-separated text for
the clipboard.  Written atomically: an error leaves no partial file."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from models.atomic import atomic_write_bytes

TABLE_SUFFIXES = (".csv", ".xlsx")


def table_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Tab-separated lines (what a spreadsheet takes from the clipboard)."""
    def cell(v: object) -> str:
        return "" if v is None else str(v).replace("\t", " ").replace("\n", " ")

    return "\n".join("\t".join(cell(v) for v in line) for line in [list(header), *rows]) + "\n"


def write_table(header: Sequence[str], rows: Sequence[Sequence[object]], path: str | Path) -> Path:
    """Write the table to ``path``; its suffix (.csv or .xlsx) chooses the form."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(list(header))
        writer.writerows([["" if v is None else v for v in line] for line in rows])
        atomic_write_bytes(p, buf.getvalue().encode("utf-8-sig"))
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(header))
        for line in rows:
            sheet.append(["" if v is None else v for v in line])
        out = io.BytesIO()
        book.save(out)
        atomic_write_bytes(p, out.getvalue())
    else:
        raise ValueError(f"{p}: a table is saved as .csv or .xlsx")
    return p
