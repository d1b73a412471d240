"""Read a CSV or XLSX export into string columns (pyarrow), with line numbers on demand.

CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode text"), else
Windows-1252 (undecodable bytes become U+FFFD and the import says so); the
delimiter (``,`` ``;`` tab ``|``) is taken from the header line; quoted values may
hold newlines.  Rows with the wrong number of fields are set aside as invalid
rows with their line.  XLSX: the first worksheet, header in its first non-empty
row; cells are read as text (dates as ISO 8601 without offset).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from models import limits
from models.limits import LimitExceeded, gunzip


class ReadError(ValueError):
    """The file cannot be read as a table at all (one clear message)."""


@dataclass
class InvalidRow:
    line: int
    ticket: str
    reason: str


@dataclass
class RawTable:
    path: Path
    headers: list[str]
    columns: dict[str, pa.Array]  # header -> string array (no nulls)
    n_rows: int
    notes: list[str] = field(default_factory=list)
    invalid: list[InvalidRow] = field(default_factory=list)
    _line_fn: Callable[[], npt.NDArray[np.int64]] | None = None
    _lines: npt.NDArray[np.int64] | None = None
    sheet: str | None = None  # XLSX: the worksheet read
    sheets: tuple[str, ...] = ()  # XLSX: every worksheet of the workbook

    def lines(self) -> npt.NDArray[np.int64]:
        """1-based line (CSV) or sheet row (XLSX) where each data row starts."""
        if self._lines is None:
            if self._line_fn is not None:
                self._lines = self._line_fn()
            else:
                self._lines = np.arange(2, self.n_rows + 2, dtype=np.int64)
        return self._lines


HeaderScore = Callable[[list[str]], float]


def read_table(path: str | Path, sheet: str | None = None, choose: HeaderScore | None = None) -> RawTable:
    """The table in a CSV or XLSX file, within the budget of models.limits (file size before
    it is read, columns, rows and the longest field before anything is imported); a file
    outside it is a ReadError naming the limit and the value."""
    p = Path(path)
    if p.is_dir():
        raise ReadError(f"{p}: is a folder, not a file")
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    try:
        limits.check_table_file(p)
        if p.suffix.lower() in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04"):
            table = _xlsx_apart(p, sheet, choose)
        elif sheet is not None:
            raise ReadError(f"{p}: --sheet {sheet} names a worksheet, but this is a CSV file (one table)")
        else:
            table = _read_csv(p)
        limits.check_table_shape(p, len(table.headers), table.n_rows)
        check_fields(p, table.columns.items(), lambda i: int(table.lines()[i]))
    except LimitExceeded as exc:
        raise ReadError(str(exc)) from None
    return table


def check_fields(source: str | Path, columns: Iterable[tuple[str, pa.Array | pa.ChunkedArray]],
                 line_of: Callable[[int], int]) -> None:
    """Refuse the first cell (by column, then row) longer than ``limits.FIELD_CHARS``;
    ``line_of(i)`` is the line of data row ``i`` in the file."""
    for name, arr in columns:
        if len(arr) == 0:
            continue
        lengths = pc.utf8_length(arr)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > limits.FIELD_CHARS:
            i = pc.index(pc.greater(lengths, limits.FIELD_CHARS), True).as_py()
            limits.check_field(source, line_of(i), name, int(lengths[i].as_py()))


# ---------------------------------------------------------------- CSV


def _decode(p: Path, data: bytes) -> tuple[bytes, list[str]]:
    """UTF-8 bytes of the file without BOM, and notes about the encoding."""
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: its mark begins so
        try:
            return data.decode("utf-32").encode("utf-8"), ["read as UTF-32"]
        except UnicodeDecodeError as exc:
            raise ReadError(f"{p}: starts with a UTF-32 mark but is not valid UTF-32") from exc
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8"), ["read as UTF-16"]
        except UnicodeDecodeError as exc:
            raise ReadError(f"{p}: starts with a UTF-16 mark but is not valid UTF-16") from exc
    sample = data[:65536]
    if b"\x00" in sample:
        raise ReadError(f"{p}: not a text CSV file (binary content); export as CSV or XLSX")
    try:
        if not data.isascii():  # ASCII is UTF-8: no need to build the text to check it
            data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        bad = text.count("\ufffd")
        notes.append(
            f"not valid UTF-8 (first bad byte at offset {exc.start}): read as Windows-1252"
            + (f", {bad} undecodable byte(s) replaced" if bad else "")
        )
        data = text.encode("utf-8")
    return data, notes


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(p: Path, data: bytes) -> tuple[list[str], str, int]:
    """Header fields, delimiter, and the byte offset where data starts."""
    # first non-empty line(s) holding one complete CSV record
    start = 0
    while start < len(data) and data[start:start + 1] in (b"\r", b"\n"):
        start += 1
    if start >= len(data):
        raise ReadError(f"{p}: the file is empty: no header row")
    end = data.find(b"\n", start)
    first = data[start: end if end >= 0 else len(data)].decode("utf-8", errors="replace")
    delim = _sniff_delimiter(first)
    # parse a complete record (a quoted header may span lines)
    text_iter = io.StringIO(data[start: start + 1_000_000].decode("utf-8", errors="replace"))
    reader = csv.reader(text_iter, delimiter=delim)
    try:
        row = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ReadError(f"{p}: cannot read the header row: {exc}") from exc
    consumed = text_iter.getvalue()[: _offset_of_line(text_iter.getvalue(), reader.line_num)]
    offset = start + len(consumed.encode("utf-8"))
    headers = [h.replace("\ufeff", "").strip() for h in row]
    if not any(headers):
        raise ReadError(f"{p}: the header row is empty")
    return headers, delim, offset


def _offset_of_line(text: str, n_lines: int) -> int:
    pos = 0
    for _ in range(n_lines):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return pos


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        name = h or f"column {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _read_csv(p: Path) -> RawTable:
    try:
        raw = p.read_bytes()
        if raw.startswith(b"\x1f\x8b"):  # gzip: exports are often kept compressed
            raw = gunzip(p, raw)  # within the budget of models.limits
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise ReadError(f"{p}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    if not raw or raw.isspace():  # (no stripped copy of the whole file)
        raise ReadError(f"{p}: the file is empty: no header row")
    data, notes = _decode(p, raw)
    headers, delim, offset = _header(p, data)
    limits.check_table_shape(p, len(headers))  # before the rows are parsed
    names = _unique(headers)
    body = data[offset:]
    header_lines = data[:offset].count(b"\n")
    invalid: list[InvalidRow] = []
    multiline = b'"' in body
    n_cols = len(names)

    def on_invalid(row: pacsv.InvalidRow) -> str:
        first = row.text.split(delim, 1)[0].strip().strip('"') if row.text else ""
        line = header_lines + row.number if row.number is not None else 0
        invalid.append(InvalidRow(line, first, f"expected {row.expected_columns} fields, found "
                                               f"{row.actual_columns}"))
        return "skip"

    if not body or body.isspace():
        cols = {n: pa.array([], pa.string()) for n in names}
        return RawTable(p, names, cols, 0, notes)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=multiline,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        raise ReadError(f"{p}: cannot parse as CSV: {exc}") from exc
    cols = {n: table.column(n).combine_chunks() if table.num_rows else pa.array([], pa.string())
            for n in names}

    def line_fn() -> npt.NDArray[np.int64]:
        return _csv_record_lines(body, delim, n_cols, header_lines, table.num_rows)

    needs_scan = multiline or bool(invalid) or b"\n\n" in body or b"\r\n\r\n" in body
    # pyarrow gives no line for rows it set aside when values may span lines: find them
    if any(r.line == 0 for r in invalid):
        _fix_invalid_lines(body, delim, n_cols, header_lines, invalid)
    invalid.sort(key=lambda r: r.line)
    return RawTable(p, names, cols, table.num_rows, notes, invalid, line_fn if needs_scan else None)


def _csv_record_lines(body: bytes, delim: str, n_cols: int, header_lines: int, n_rows: int
                      ) -> npt.NDArray[np.int64]:
    reader = csv.reader(io.StringIO(body.decode("utf-8", errors="replace"), newline=""), delimiter=delim)
    out = np.zeros(n_rows, np.int64)
    prev_end = 0
    i = 0
    try:
        for rec in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not rec or (len(rec) == 1 and rec[0] == ""):
                continue
            if len(rec) != n_cols:
                continue
            if i < n_rows:
                out[i] = header_lines + start
            i += 1
    except csv.Error:
        pass
    if i < n_rows:  # fall back: sequential numbering for what the scan could not place
        out[i:] = np.arange(header_lines + prev_end + 1, header_lines + prev_end + 1 + n_rows - i)
    return out


def _fix_invalid_lines(body: bytes, delim: str, n_cols: int, header_lines: int,
                       invalid: list[InvalidRow]) -> None:
    reader = csv.reader(io.StringIO(body.decode("utf-8", errors="replace"), newline=""), delimiter=delim)
    bad_lines = []
    prev_end = 0
    try:
        for rec in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if rec and not (len(rec) == 1 and rec[0] == "") and len(rec) != n_cols:
                bad_lines.append(header_lines + start)
    except csv.Error:
        pass
    unknown = [r for r in invalid if r.line == 0]
    for r, line in zip(unknown, bad_lines, strict=False):
        r.line = line


# ---------------------------------------------------------------- XLSX


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(sep="T", timespec="seconds")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _header_row(ws: object) -> list[str]:
    for values in ws.iter_rows(values_only=True):  # type: ignore[attr-defined]
        cells = [_cell_text(v) for v in values]
        if any(cells):
            return cells
    return []


def _pick_sheet(p: Path, wb: object, sheet: str | None, choose: HeaderScore | None
                ) -> tuple[object, str | None]:
    sheets = list(wb.worksheets)  # type: ignore[attr-defined]
    if not sheets:
        raise ReadError(f"{p}: the workbook has no worksheet")
    names = [ws.title for ws in sheets]
    if sheet is not None:
        if sheet in names:
            return sheets[names.index(sheet)], None
        if sheet.isdigit() and 1 <= int(sheet) <= len(sheets):
            return sheets[int(sheet) - 1], None
        raise ReadError(f"{p}: no worksheet {sheet!r}; the sheets are: {', '.join(names)} "
                        "(pass --sheet NAME or its number)")
    if len(sheets) == 1 or choose is None:
        note = None if len(sheets) == 1 else (
            f"read the first of {len(sheets)} worksheets ({names[0]!r}); pass --sheet NAME for another")
        return sheets[0], note
    scores = [choose(_header_row(ws)) for ws in sheets]
    best = max(range(len(sheets)), key=lambda i: (scores[i], -i))
    if scores[best] <= 0:
        best = 0
    others = ", ".join(repr(n) for i, n in enumerate(names) if i != best)
    return sheets[best], (f"read worksheet {names[best]!r} (its header matches an import preset); "
                          f"also in the workbook: {others}; pass --sheet NAME for another")


def _xlsx_apart(p: Path, sheet: str | None, choose: HeaderScore | None) -> RawTable:
    """An XLSX workbook checked against the budget (a zip bomb is refused by its directory),
    then read in a child process within the time and memory limits (workbench.sandbox)."""
    from models.limits import LimitExceeded, check_zip
    from workbench.sandbox import run_isolated

    try:
        check_zip(p, "workbook")
    except LimitExceeded as exc:
        raise ReadError(str(exc)) from None
    return run_isolated(_read_xlsx, p, sheet, choose, error=ReadError, passes=(ReadError,))


def _every_row(wb: object) -> None:
    """openpyxl's read-only mode reads a sheet only as far as its ``<dimension>`` tag says, and
    writers get the tag wrong (understating the sheet): forget it, so every row is read."""
    for ws in wb.worksheets:  # type: ignore[attr-defined]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()


def _read_xlsx(p: Path, sheet: str | None = None, choose: HeaderScore | None = None) -> RawTable:
    import openpyxl

    if p.stat().st_size == 0:
        raise ReadError(f"{p}: the file is empty (0 bytes): not an XLSX workbook")
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(f"{p}: not a readable XLSX workbook: {exc}") from exc
    except Exception as exc:  # openpyxl raises assorted errors on damaged workbooks
        raise ReadError(f"{p}: not a readable XLSX workbook: {type(exc).__name__}: {exc}") from exc
    note: str | None = None
    try:
        _every_row(wb)
        ws, note = _pick_sheet(p, wb, sheet, choose)
        sheet_title = str(ws.title)  # type: ignore[attr-defined]
        all_titles = tuple(str(w.title) for w in wb.worksheets)
        headers: list[str] | None = None
        rows: list[list[str]] = []
        lines: list[int] = []
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
            cells = [_cell_text(v) for v in values]
            if headers is None:
                if any(cells):
                    headers = cells
                continue
            if not any(cells):
                continue
            rows.append(cells)
            lines.append(r)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"{p}: cannot read the worksheet: {type(exc).__name__}: {exc}") from exc
    finally:
        wb.close()
    if headers is None:
        raise ReadError(f"{p}: the worksheet is empty: no header row")
    while headers and headers[-1] == "":
        headers.pop()
    names = _unique(headers)
    cols = {name: pa.array([(row[i] if i < len(row) else "") for row in rows], pa.string())
            for i, name in enumerate(names)}
    rt = RawTable(p, names, cols, len(rows), [note] if note else [], sheet=sheet_title, sheets=all_titles)
    rt._lines = np.array(lines, dtype=np.int64)
    return rt
