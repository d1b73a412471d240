"""Fast reader of the canonical ``tickets.csv`` / ``status_log.csv`` (interfaces.md).

Vectorised with ``pyarrow.csv`` and ``pyarrow.compute``; a million rows parse in
about a second.  Errors name the file, the line (the header is line 1; a record
holding a quoted newline shifts the count of later lines) and the field:
unparseable timestamp, timestamp without offset, unknown priority, duplicate id,
status row for an unknown ticket.  Nothing is returned on error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from models.contract import PRIORITIES
from models.history import MISSING, StatusLog, TicketTable
from models.limits import (
    EARLIEST_INSTANT,
    EARLIEST_YEAR,
    LATEST_INSTANT,
    LATEST_YEAR,
    LimitExceeded,
    check_table_file,
    check_table_shape,
    gunzip,
)
from workbench.importing.read import check_fields

TICKET_REQUIRED = ("id", "priority", "opened_at", "first_response_at", "resolved_at")
TICKET_OPTIONAL = ("closed_at", "category", "team", "provider_sla_met")
STATUS_REQUIRED = ("ticket_id", "at", "status")


class CsvError(ValueError):
    """A canonical CSV file is not valid; the message names file, line and field."""


def _read(path: Path, required: tuple[str, ...]) -> pa.Table:
    if not path.exists():
        raise CsvError(f"{path}: no such file")
    if path.is_dir():
        raise CsvError(f"{path}: is a folder, not a file")
    try:
        check_table_file(path)
        source: Path | pa.BufferReader = path
        if path.suffix.lower() == ".gz":  # unpacked here, within the budget of models.limits
            data = gunzip(path, path.read_bytes())
            source = pa.BufferReader(data)
            first = data.split(b"\n", 1)[0].decode("utf-8-sig").strip()
        else:
            with open(path, "rb") as fh:
                first = fh.readline().decode("utf-8-sig").strip()
        names = [c.strip().strip('"').strip() for c in first.split(",")]
        check_table_shape(path, len(names))  # before the rows are parsed
        missing = [c for c in required if c not in names]
        if missing:
            raise CsvError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
        check_table_shape(path, len(names), table.num_rows)
        check_fields(path, zip(names, table.columns, strict=True), lambda i: i + 2)
    except LimitExceeded as exc:
        raise CsvError(str(exc)) from None
    except pa.ArrowInvalid as exc:
        raise CsvError(f"{path}: not a valid CSV file: {exc}") from None
    except UnicodeDecodeError:
        raise CsvError(f"{path}: not UTF-8 text") from None
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise CsvError(f"{path}: cannot read: {exc}") from None
    return table


def _raw(table: pa.Table, name: str) -> pa.Array:
    col = table.column(name)
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def _col(table: pa.Table, name: str) -> pa.Array:
    return pc.utf8_trim_whitespace(_raw(table, name))


def _timestamps(path: Path, table: pa.Table, name: str, required: bool = False) -> np.ndarray:
    if name not in table.column_names:
        return np.full(table.num_rows, MISSING, dtype=np.int64)
    arr = _raw(table, name)
    if required and arr.null_count:
        i = int(np.flatnonzero(arr.is_null().to_numpy(zero_copy_only=False))[0])
        raise CsvError(f"{path}: line {i + 2}: field {name}: empty (a time is required)")
    try:
        ts = pc.cast(arr, pa.timestamp("us", tz="UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        arr = pc.utf8_trim_whitespace(arr)  # surrounding blanks are tolerated
        try:
            ts = pc.cast(arr, pa.timestamp("us", tz="UTC"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            _locate_bad_timestamp(path, arr, name)
            raise  # pragma: no cover  (the locator always raises)
    us = ts.cast(pa.int64()).fill_null(0).to_numpy()
    sec = np.floor_divide(us, 1_000_000)
    outside = (sec < EARLIEST_INSTANT) | (sec > LATEST_INSTANT)
    if arr.null_count:
        nulls = arr.is_null().to_numpy(zero_copy_only=False)
        sec[nulls] = MISSING
        outside &= ~nulls
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise CsvError(f"{path}: line {i + 2}: field {name}: timestamp {arr[i].as_py()!r} is outside the "
                       f"supported range {EARLIEST_YEAR}-{LATEST_YEAR}")
    return sec.astype(np.int64)


def _locate_bad_timestamp(path: Path, arr: pa.Array, name: str) -> None:
    for i, v in enumerate(arr.to_pylist()):
        if v is None:
            continue
        try:
            d = dt.datetime.fromisoformat(v.replace("Z", "+00:00") if v.endswith("Z") else v)
        except ValueError:
            raise CsvError(f"{path}: line {i + 2}: field {name}: unparseable timestamp {v!r}") from None
        if d.tzinfo is None:
            raise CsvError(
                f"{path}: line {i + 2}: field {name}: timestamp {v!r} has no offset "
                "(write Z or +01:00; import through `sla-workbench import --tz` for local times)"
            )
        try:
            pc.cast(pa.array([v]), pa.timestamp("us", tz="UTC"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise CsvError(f"{path}: line {i + 2}: field {name}: unparseable timestamp {v!r}") from None
    raise CsvError(f"{path}: field {name}: unparseable timestamps")


def _encode(arr: pa.Array) -> tuple[np.ndarray, tuple[str, ...]]:
    enc = pc.dictionary_encode(arr)
    codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    return codes, tuple(enc.dictionary.to_pylist())


def read_tickets_csv(
    path: str | Path, status_log_path: str | Path | None = None
) -> tuple[TicketTable, StatusLog]:
    """Read canonical tickets (and optionally the status log) into columnar tables."""
    p = Path(path)
    table = _read(p, TICKET_REQUIRED)
    n = table.num_rows
    ids = _raw(table, "id")
    if ids.null_count:
        i = int(np.flatnonzero(ids.is_null().to_numpy(zero_copy_only=False))[0])
        raise CsvError(f"{p}: line {i + 2}: field id: empty")
    s_path = None if status_log_path is None else Path(status_log_path)
    s_table = None if s_path is None else _read(s_path, STATUS_REQUIRED)
    tid = None if s_table is None else _raw(s_table, "ticket_id")
    if tid is not None and tid.null_count:
        bad = int(np.flatnonzero(tid.is_null().to_numpy(zero_copy_only=False))[0])
        raise CsvError(f"{s_path}: line {bad + 2}: field ticket_id: empty")
    # one hash pass over ticket ids and status ticket ids: codes follow first appearance,
    # so the ids are unique exactly when the tickets' codes are 0..n-1
    both = ids if tid is None else pa.concat_arrays([ids.cast(pa.string()), tid.cast(pa.string())])
    id_codes = pc.dictionary_encode(both).indices.to_numpy(zero_copy_only=False)
    if not np.array_equal(id_codes[:n], np.arange(n)):
        vc = pc.value_counts(ids)
        dup = vc.field("values").filter(pc.greater(vc.field("counts"), 1))[0].as_py()
        lines = np.flatnonzero(pc.equal(ids, dup).to_numpy(zero_copy_only=False))[:2] + 2
        raise CsvError(f"{p}: line {lines[1]}: field id: duplicate id {dup!r} (first on line {lines[0]})")
    prio_s = _raw(table, "priority")
    prio_idx = pc.index_in(prio_s, value_set=pa.array(PRIORITIES))
    if prio_idx.null_count:  # tolerate case and blanks: p1, " P2 "
        prio_s = pc.utf8_upper(pc.utf8_trim_whitespace(prio_s))
        prio_idx = pc.index_in(prio_s, value_set=pa.array(PRIORITIES))
    if prio_idx.null_count:
        bad = np.flatnonzero(prio_idx.is_null().to_numpy(zero_copy_only=False))[0]
        raise CsvError(f"{p}: line {bad + 2}: field priority: unknown priority "
                       f"{prio_s[int(bad)].as_py()!r} (use P1, P2, P3, P4)")
    priority = prio_idx.to_numpy(zero_copy_only=False).astype(np.int8)
    opened = _timestamps(p, table, "opened_at", required=True)
    first = _timestamps(p, table, "first_response_at")
    resolved = _timestamps(p, table, "resolved_at")
    closed = _timestamps(p, table, "closed_at")
    kw: dict[str, object] = {}
    for name in ("category", "team"):
        if name in table.column_names:
            codes, names = _encode(_col(table, name))
            kw[name], kw[f"{name}_names"] = codes, names
    if "provider_sla_met" in table.column_names:
        flag = pc.utf8_lower(_col(table, "provider_sla_met"))
        known = pc.index_in(flag, value_set=pa.array(["false", "true", "0", "1", "no", "yes"]))
        valid = pc.is_valid(flag).to_numpy(zero_copy_only=False)
        k = known.fill_null(-1).to_numpy(zero_copy_only=False)
        if np.any(valid & (k < 0)):
            bad = int(np.flatnonzero(valid & (k < 0))[0])
            raise CsvError(f"{p}: line {bad + 2}: field provider_sla_met: expected true or false, "
                           f"got {flag[bad].as_py()!r}")
        kw["provider_sla_met"] = np.where(k < 0, -1, k % 2).astype(np.int8)
    tickets = TicketTable(
        ids=ids.to_numpy(zero_copy_only=False).astype(object),
        priority=priority,
        opened=opened,
        first_response=first,
        resolved=resolved,
        closed=closed,
        **kw,  # type: ignore[arg-type]
    )
    log = StatusLog.empty()
    if s_table is not None and tid is not None and s_path is not None:
        ticket = id_codes[n:].astype(np.int64)
        unknown = ticket >= n
        if unknown.any():
            bad = int(np.flatnonzero(unknown)[0])
            raise CsvError(f"{s_path}: line {bad + 2}: field ticket_id: status row for unknown ticket "
                           f"{tid[bad].as_py()!r}")
        log = _status_log(s_path, s_table, ticket)
    return tickets, log


def _status_log(p: Path, table: pa.Table, ticket: np.ndarray) -> StatusLog:
    at = _timestamps(p, table, "at", required=True)
    st = _raw(table, "status")
    if st.null_count:
        bad = int(np.flatnonzero(st.is_null().to_numpy(zero_copy_only=False))[0])
        raise CsvError(f"{p}: line {bad + 2}: field status: empty")
    codes, names = _encode(st)
    if _sorted_by_ticket_then_time(ticket, at):  # the usual export order: no sort, no copies
        return StatusLog(ticket, at, codes, names)
    order = np.lexsort((at, ticket))
    return StatusLog(ticket[order], at[order], codes[order], names)


def _sorted_by_ticket_then_time(ticket: np.ndarray, at: np.ndarray) -> bool:
    dt_ = np.diff(ticket)
    return bool(np.all((dt_ > 0) | ((dt_ == 0) & (np.diff(at) >= 0))))
