"""The size and shape budget of every input: what SLA Workbench agrees to read.

Each limit is checked before the work it guards starts (a file's size before it is
read, a contract's shape before it is validated, a compressed file's unpacked size
before it is unpacked), and a refusal is one :class:`LimitExceeded` line naming the
file, the limit and the value found::

    big.yaml: calendars.business.holidays.add: 10,000 dates; the limit is 1,000

The numbers are set well above any real SLA, ticket export or contract document (the
largest exports seen have a few million rows; an SLA has tens of clauses), and low
enough that no accepted file can make a command run for minutes or use gigabytes of
memory.  The README's "Reliability" section lists them.

This module sits in ``models/`` (the bottom layer) so that the contract model, the
store and everything above check against the same numbers.
"""

from __future__ import annotations

import contextlib
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple

MiB = 1 << 20
GiB = 1 << 30

# ------------------------------------------------------------------ dates
EARLIEST_YEAR = 1970
LATEST_YEAR = 2100
EARLIEST_DATE = date(EARLIEST_YEAR, 1, 1)
LATEST_DATE = date(LATEST_YEAR, 12, 31)
EARLIEST_INSTANT = 0  # 1970-01-01T00:00:00Z, epoch seconds
LATEST_INSTANT = 4133980799  # 2100-12-31T23:59:59Z

# ------------------------------------------------------------------ contract files (YAML/JSON)
CONTRACT_FILE_BYTES = 2 * MiB  # a long SLA is 100 KB; YAML reads about 0.3 MB a second
NESTING_DEPTH = 40  # mappings and lists inside each other
TEXT_CHARS = 50_000  # any one text value (a clause text, notes): about 15 pages
SHORT_TEXT_CHARS = 10_000  # a name, label, heading, party, status or list item
LIST_ITEMS = 10_000  # any one list or mapping not named below
VALUES = 200_000  # values in the whole file (YAML aliases may repeat one list a billion times)
CLAUSES = 5_000
CALENDARS = 100
WINDOWS_PER_DAY = 96  # one every quarter hour
HOLIDAY_DATES = 2_000  # added or removed dates of one calendar
PAUSE_STATUSES = 500

# ------------------------------------------------------------------ rationale / weights files
RATIONALE_FILE_BYTES = 10 * MiB
RATIONALE_ENTRIES = 10_000
RATIONALE_CHARS = 20_000  # the reason given for one change

# ------------------------------------------------------------------ tabular exports (CSV, TSV, XLSX)
TABLE_FILE_BYTES = 4 * GiB  # the file as stored (a .csv.gz packed; unpacked, DECOMPRESSED_BYTES)
TABLE_ROWS = 20_000_000  # data rows, counted once the table is read, before anything is imported
TABLE_COLUMNS = 1_000  # columns of the header row, counted before the rows are read (CSV)
FIELD_CHARS = 100_000  # one cell

# ------------------------------------------------------------------ compressed inputs
DECOMPRESSED_BYTES = 8 * GiB  # a .csv.gz unpacked
COMPRESSION_RATIO = 200  # unpacked / packed, checked once the unpacked size passes RATIO_FLOOR
RATIO_FLOOR = 64 * MiB
ZIP_MEMBERS = 10_000  # parts of a DOCX or XLSX
ZIP_UNPACKED_BYTES = 1 * GiB  # all parts of a DOCX or XLSX unpacked

# ------------------------------------------------------------------ contract documents
DOCUMENT_FILE_BYTES = 100 * MiB
DOCUMENT_TEXT_CHARS = 5_000_000  # the text read out of one document
DOCUMENT_LINE_CHARS = 200_000  # one line or paragraph of it
DOCUMENT_LINES = 50_000  # lines (paragraphs, table rows) of it
DOCUMENT_PARAGRAPHS = 100_000  # paragraphs of a DOCX (each table cell holds one), counted before parsing
REDLINE_CHARS = 300_000  # clause text a redline lays out, both versions together: about 100 pages
PARSE_SECONDS = 30  # a DOCX, PDF or XLSX parser runs at most this long (in a child process)
PARSE_MEMORY_BYTES = 2 * GiB  # ... and with at most this much memory

# ------------------------------------------------------------------ workspaces
WORKSPACE_BUSY_SECONDS = 15  # a write waits this long for another program's write to finish


# ------------------------------------------------------------------ limits a user may raise
# ``--limit NAME=VALUE`` on the command line and Edit ▸ Preferences ▸ Input limits in the app
# set these.  Only limits whose raising costs time or memory the user can choose to spend; the
# shape of a contract, the date range and the nesting depth stay fixed (the model and the store
# depend on them).


class Raisable(NamedTuple):
    """A limit a user may raise: the constant above that holds it, what its value counts in
    ("bytes", "seconds" or "": a plain count), and in words for people (the app's
    Preferences, the refusals' hint): what is limited and what a count counts."""

    constant: str
    unit: str
    words: str
    counts: str


RAISABLE: dict[str, Raisable] = {
    "document-size": Raisable("DOCUMENT_FILE_BYTES", "bytes",
                              "Largest contract document (DOCX, PDF, text)", ""),
    "document-paragraphs": Raisable("DOCUMENT_PARAGRAPHS", "", "Paragraphs in a DOCX", "paragraphs"),
    "document-lines": Raisable("DOCUMENT_LINES", "", "Lines of a document's text", "lines"),
    "document-chars": Raisable("DOCUMENT_TEXT_CHARS", "", "Text of a document", "characters"),
    "line-chars": Raisable("DOCUMENT_LINE_CHARS", "",
                           "Longest line or paragraph of a document", "characters"),
    "parse-seconds": Raisable("PARSE_SECONDS", "seconds", "Time to read a DOCX, PDF or XLSX", ""),
    "parse-memory": Raisable("PARSE_MEMORY_BYTES", "bytes", "Memory to read a DOCX, PDF or XLSX", ""),
    "contract-size": Raisable("CONTRACT_FILE_BYTES", "bytes", "Largest contract file (YAML, JSON)", ""),
    "unpacked-size": Raisable("DECOMPRESSED_BYTES", "bytes", "Largest unpacked .csv.gz", ""),
    "zip-unpacked-size": Raisable("ZIP_UNPACKED_BYTES", "bytes", "Largest unpacked DOCX or XLSX", ""),
    "redline-chars": Raisable("REDLINE_CHARS", "", "Clause text laid out in a redline", "characters"),
    "table-size": Raisable("TABLE_FILE_BYTES", "bytes",
                           "Largest ticket, status or record export (CSV, XLSX, .csv.gz)", ""),
    "table-rows": Raisable("TABLE_ROWS", "", "Rows of an export", "rows"),
    "table-columns": Raisable("TABLE_COLUMNS", "", "Columns of an export", "columns"),
    "field-chars": Raisable("FIELD_CHARS", "", "Longest field of an export", "characters"),
}
_OPTION_OF = {r.constant: name for name, r in RAISABLE.items()}
DEFAULTS: dict[str, int] = {name: globals()[r.constant] for name, r in RAISABLE.items()}
"""Every raisable limit's value as shipped, by NAME."""

RAISE_WITH_OPTION = "with --limit {name}=N"
RAISE_IN_PREFERENCES = "in Edit ▸ Preferences ▸ Input limits: {words}"
_raise_hint = RAISE_WITH_OPTION  # how a refusal tells where to raise its limit ({name}, {words})


def option_for(constant: str) -> str:
    """The words that tell how to raise the limit held in ``constant`` ("" when it is fixed)."""
    name = _OPTION_OF.get(constant)
    if not name:
        return ""
    return f" (raise it {_raise_hint.format(name=name, words=RAISABLE[name].words)})"


class LimitExceeded(ValueError):
    """An input outside the budget: ``FILE: WHAT: VALUE; the limit is LIMIT``, followed by
    where to raise it when the limit may be raised."""

    def __init__(self, source: str | os.PathLike[str], what: str, value: str, limit: str,
                 raise_with: str = "") -> None:
        self.source, self.what, self.value, self.limit = str(source), what, value, limit
        self.raise_with = raise_with
        super().__init__(f"{source}: {what}: {value}; the limit is {limit}{option_for(raise_with)}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.what, self.value, self.limit, self.raise_with))


_SIZE_UNITS = {"": 1, "k": 1 << 10, "kb": 1 << 10, "m": MiB, "mb": MiB, "g": GiB, "gb": GiB}
_HIGHEST = 1 << 50


def check_value(name: str, value: int) -> int:
    """``value`` for the raisable limit ``name``, refused (ValueError) outside 1..2**50."""
    if name not in RAISABLE:
        raise ValueError(f"{name!r}: not a limit that may be raised; the names are {', '.join(RAISABLE)}")
    if value <= 0 or value > _HIGHEST:
        raise ValueError(f"{name} must be above 0 and at most {_HIGHEST:,}")
    return value


def parse_limit(text: str) -> tuple[str, int]:
    """``NAME=VALUE`` (``parse-seconds=120``, ``document-size=500MB``) as (NAME, value); a
    ValueError names what is wrong and the names there are."""
    name, sep, raw = text.partition("=")
    name = name.strip().lower()
    if not sep or name not in RAISABLE:
        raise ValueError(f"{text!r}: expected NAME=VALUE, NAME one of {', '.join(RAISABLE)}")
    m = re.fullmatch(r"\s*([0-9][0-9_,]*)\s*([a-zA-Z]*)\s*", raw)
    unit = RAISABLE[name].unit
    scale = _SIZE_UNITS.get(m.group(2).lower()) if m else None
    if m and unit == "seconds" and m.group(2).lower() in ("s", "sec"):
        scale = 1
    if m is None or scale is None or (scale != 1 and unit != "bytes"):
        what = "a number of bytes (e.g. 500MB, 4GB)" if unit == "bytes" else "a whole number"
        raise ValueError(f"{text!r}: {name} takes {what}")
    value = int(m.group(1).replace("_", "").replace(",", "")) * scale
    try:
        return name, check_value(name, value)
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None


def limit_text(name: str, value: int) -> str:
    """``value`` of the limit ``name`` as :func:`parse_limit` reads it back: ``100 MB``,
    ``30 s``, ``100,000``."""
    unit = RAISABLE[name].unit
    if unit == "seconds":
        return f"{value:,} s"
    if unit == "bytes":
        for word, scale in (("GB", GiB), ("MB", MiB), ("KB", 1 << 10)):
            if value >= scale and value % scale == 0:
                return f"{value // scale:,} {word}"
        return f"{value:,}"
    return f"{value:,}"


def current(name: str) -> int:
    """The value the raisable limit ``name`` has now."""
    return int(globals()[RAISABLE[name].constant])


def _set(overrides: Iterable[tuple[str, int]], hint: str | None) -> None:
    for name, value in overrides:
        globals()[RAISABLE[name].constant] = check_value(name, value)
    if hint is not None:
        globals()["_raise_hint"] = hint


def _saved() -> dict[str, Any]:
    return {**{r.constant: globals()[r.constant] for r in RAISABLE.values()}, "_raise_hint": _raise_hint}


@contextlib.contextmanager
def raised(overrides: Iterable[tuple[str, int]], hint: str | None = None) -> Iterator[None]:
    """The limits named in ``overrides`` (from :func:`parse_limit`) set for the ``with`` block,
    refusals telling ``hint`` as where to raise them (else as they do), then all put back."""
    saved = _saved()
    try:
        _set(overrides, hint)
        yield
    finally:
        globals().update(saved)


def use(overrides: Iterable[tuple[str, int]], hint: str) -> None:
    """From now on (a session of the app, its Preferences): the limits named in ``overrides``
    at their values, every other raisable limit at its default, refusals telling ``hint``."""
    globals().update({RAISABLE[name].constant: value for name, value in DEFAULTS.items()})
    _set(overrides, hint)


def _n(value: int) -> str:
    return f"{value:,}"


def size_text(n: int) -> str:
    """A byte count for people: ``12.3 MB``, ``4 GB``."""
    for unit, scale in (("GB", GiB), ("MB", MiB), ("KB", 1 << 10)):
        if n >= scale:
            v = n / scale
            return f"{v:.0f} {unit}" if v >= 100 or v == int(v) else f"{v:.1f} {unit}"
    return f"{n} bytes"


def check_count(source: str | os.PathLike[str], what: str, value: int, limit: int, unit: str = "",
                raise_with: str = "") -> None:
    """Refuse ``value`` above ``limit`` (``what`` names the thing counted, ``unit`` its items;
    ``raise_with`` the constant holding a limit the user may raise)."""
    if value > limit:
        tail = f" {unit}" if unit else ""
        raise LimitExceeded(source, what, f"{_n(value)}{tail}", _n(limit), raise_with)


def check_file_size(path: str | os.PathLike[str], limit: int, what: str = "file size",
                    raise_with: str = "") -> int:
    """The size of the file at ``path`` (refused above ``limit`` bytes; 0 when it cannot be
    stat'ed: reading it then reports the real problem)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return 0
    if size > limit:
        raise LimitExceeded(path, what, size_text(size), size_text(limit), raise_with)
    return size


def check_table_file(path: str | os.PathLike[str]) -> None:
    """Refuse a ticket, status or record export (CSV, TSV, XLSX, .csv.gz) larger than
    ``TABLE_FILE_BYTES`` as stored, before it is read."""
    check_file_size(path, TABLE_FILE_BYTES, raise_with="TABLE_FILE_BYTES")


def check_table_shape(source: str | os.PathLike[str], columns: int, rows: int | None = None) -> None:
    """Refuse a table with more columns (its header row) or data rows than the budget."""
    check_count(source, "columns", columns, TABLE_COLUMNS, "columns", "TABLE_COLUMNS")
    if rows is not None:
        check_count(source, "rows", rows, TABLE_ROWS, "rows", "TABLE_ROWS")


def check_field(source: str | os.PathLike[str], line: int, column: str, chars: int) -> None:
    """Refuse a table whose cell on ``line`` in ``column`` holds more than ``FIELD_CHARS``."""
    if chars > FIELD_CHARS:
        name = column if column.isprintable() and len(column) <= 60 else repr(column[:60])
        raise LimitExceeded(source, f"line {line}, field {name}", f"{chars:,} characters",
                            f"{FIELD_CHARS:,}", "FIELD_CHARS")


def check_date(source: str | os.PathLike[str], where: str, value: date) -> None:
    """Refuse a date outside 1970-2100 (the range the clock, calendars and store support)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise LimitExceeded(source, where, f"date {value.isoformat()} is outside the supported range",
                            f"{EARLIEST_YEAR}-{LATEST_YEAR}")


# ------------------------------------------------------------------ compressed files


def gunzip(source: str | os.PathLike[str], data: bytes, limit: int | None = None) -> bytes:
    """The content of gzip ``data`` (all members), unpacked piece by piece and refused as soon
    as it passes ``limit`` bytes or the ratio of a bomb; damaged data is a ``gzip.BadGzipFile``
    (an OSError) saying so, truncated data an EOFError, as :mod:`gzip` reports them."""
    import gzip
    import zlib

    limit = DECOMPRESSED_BYTES if limit is None else limit
    out: list[bytes] = []
    total = 0
    packed = max(len(data), 1)
    rest = data
    try:
        while rest:
            d = zlib.decompressobj(wbits=31)
            chunk = d.decompress(rest, 1 << 24)
            while True:
                total += len(chunk)
                if total > limit:
                    raise LimitExceeded(source, "unpacked size", f"more than {size_text(limit)}",
                                        size_text(limit), "DECOMPRESSED_BYTES")
                if total > RATIO_FLOOR and total > COMPRESSION_RATIO * packed:
                    raise LimitExceeded(
                        source, "compression ratio",
                        f"more than {total // packed:,} to 1 "
                        f"({size_text(packed)} unpacks past {size_text(total)})",
                        f"{COMPRESSION_RATIO} to 1")
                out.append(chunk)
                if d.eof or not d.unconsumed_tail:
                    break
                chunk = d.decompress(d.unconsumed_tail, 1 << 24)
            if not d.eof:
                raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            rest = d.unused_data.lstrip(b"\0")  # gzip allows zero padding after a member
    except zlib.error as exc:
        raise gzip.BadGzipFile(f"damaged gzip data ({exc})") from None
    return b"".join(out)


def check_zip(path: str | os.PathLike[str], kind: str = "file") -> None:
    """Refuse a DOCX/XLSX (a zip) whose parts are too many or unpack too large, by its
    directory, before any part is unpacked (a zip bomb).  A file that is no zip is left to
    the reader to report."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except Exception:  # BadZipFile, OSError, EOFError, and NotImplementedError for a version past 6.3
        return
    check_count(path, f"parts in the {kind}", len(infos), ZIP_MEMBERS)
    unpacked = sum(max(i.file_size, 0) for i in infos)
    packed = sum(max(i.compress_size, 0) for i in infos)
    if unpacked > ZIP_UNPACKED_BYTES:
        raise LimitExceeded(path, "unpacked size", size_text(unpacked), size_text(ZIP_UNPACKED_BYTES),
                            "ZIP_UNPACKED_BYTES")
    if unpacked > RATIO_FLOOR and unpacked > COMPRESSION_RATIO * max(packed, 1):
        raise LimitExceeded(path, "compression ratio", f"{unpacked // max(packed, 1):,} to 1",
                            f"{COMPRESSION_RATIO} to 1")


_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?p[\s/>]")
_TAG_SPAN = 40  # the longest text _PARAGRAPH_TAG matches, and more
_READ = 1 << 20  # bytes of document.xml read at a time


def check_docx_paragraphs(path: str | os.PathLike[str]) -> None:
    """Refuse a DOCX whose body holds more than ``DOCUMENT_PARAGRAPHS`` paragraphs, counted
    in ``word/document.xml`` as it is unpacked (piece by piece, stopping past the limit),
    before the parser builds a tree of it.  A file that is no zip or has no such part is left
    to the reader to report."""
    limit = DOCUMENT_PARAGRAPHS
    count = 0
    try:
        with zipfile.ZipFile(path) as zf, zf.open("word/document.xml") as fh:
            tail = b""
            while True:
                chunk = fh.read(_READ)
                buf = tail + chunk
                cut = len(buf) - _TAG_SPAN if chunk else len(buf)
                count += sum(1 for m in _PARAGRAPH_TAG.finditer(buf, 0, len(buf)) if m.start() < cut)
                if count > limit or not chunk:
                    break
                tail = buf[max(cut, 0):]
    except Exception:  # no zip, no such part, a damaged part (zlib.error, a bad CRC): the reader says so
        return
    if count > limit:
        raise LimitExceeded(path, "paragraphs in the document", f"more than {_n(limit)}", _n(limit),
                            "DOCUMENT_PARAGRAPHS")


def check_document_text(source: str | os.PathLike[str], text: str) -> None:
    """Refuse the text read out of a contract document when it is too long, has too many
    lines, or a line too long to split into clauses in reasonable time."""
    check_count(source, "text", len(text), DOCUMENT_TEXT_CHARS, "characters", "DOCUMENT_TEXT_CHARS")
    lines = text.count("\n") + 1
    check_count(source, "lines", lines, DOCUMENT_LINES, "lines", "DOCUMENT_LINES")
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > DOCUMENT_LINE_CHARS:
            line = text.count("\n", 0, start) + 1
            raise LimitExceeded(source, f"line {line}", f"{end - start:,} characters",
                                f"{DOCUMENT_LINE_CHARS:,}", "DOCUMENT_LINE_CHARS")
        start = end + 1


# ------------------------------------------------------------------ contract data

# list-valued fields with their own limit, by dotted path pattern ("*" is any key or index)
_LIST_LIMITS: dict[tuple[str, ...], tuple[int, str]] = {
    ("clauses",): (CLAUSES, "clauses"),
    ("calendars",): (CALENDARS, "calendars"),
    ("calendars", "*", "weekly", "*"): (WINDOWS_PER_DAY, "windows"),
    ("calendars", "*", "holidays", "add"): (HOLIDAY_DATES, "dates"),
    ("calendars", "*", "holidays", "remove"): (HOLIDAY_DATES, "dates"),
    ("pause_statuses",): (PAUSE_STATUSES, "statuses"),
}
# text fields that may be long (everything else is a short text)
_LONG_TEXT = frozenset({"text", "notes", "description", "rationale", "action", "evidence"})


def _matches(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return len(pattern) == len(path) and all(p in ("*", q) for p, q in zip(pattern, path, strict=True))


def _walk(value: Any, path: tuple[str, ...], depth: int) -> Iterator[tuple[tuple[str, ...], Any, int]]:
    yield path, value, depth
    if depth > NESTING_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*path, str(k)), depth + 1)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _walk(v, (*path, str(i)), depth + 1)


def _counted(source: str | os.PathLike[str], walk: Iterator[Any]) -> Iterator[Any]:
    for n, item in enumerate(walk):
        if n >= VALUES:
            raise LimitExceeded(source, "(top level)", f"more than {VALUES:,} values", f"{VALUES:,}")
        yield item


def check_contract_data(data: Any, source: str | os.PathLike[str]) -> None:
    """Refuse parsed contract data (YAML/JSON) outside the budget: nesting, list lengths and
    text lengths, each named by its dotted field path (dates are checked by the model)."""
    for path, value, depth in _counted(source, _walk(data, (), 0)):
        where = ".".join(path) or "(top level)"
        if depth > NESTING_DEPTH:
            raise LimitExceeded(source, where, f"nested more than {NESTING_DEPTH} levels deep",
                                f"{NESTING_DEPTH} levels")
        if isinstance(value, dict | list | tuple):
            limit, unit = next((v for p, v in _LIST_LIMITS.items() if _matches(p, path)),
                               (LIST_ITEMS, "items"))
            check_count(source, where, len(value), limit, unit)
        elif isinstance(value, str):
            long = bool(path) and (path[-1] in _LONG_TEXT or (path[0] == "clauses" and path[-1] != "number"))
            check_count(source, where, len(value), TEXT_CHARS if long else SHORT_TEXT_CHARS, "characters")
