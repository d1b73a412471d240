"""Values between the history's columnar form and database rows: JSON bodies,
dictionary-encoded columns, DBAPI fetches into arrays, row models rebuilt from
stored rows, and the validation of tickets before a bulk write."""

from __future__ import annotations

import collections
import itertools
import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy.engine import Connection

from models.history import (
    MISSING,
    Row,
    StatusLog,
    TicketTable,
)


def _json(data: Any, what: str) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False)  # key order kept
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what}: not JSON-serialisable ({exc})") from None


def _encode_column(values: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """Dictionary-encode an object column of str/None (None and "" -> -1); names in
    order of first appearance.  C-level: a dict handing each new value the next code
    (``defaultdict`` over ``itertools.count``) mapped over the column, then numpy.
    (pyarrow's encoding pulled pandas in on first use: ~0.3 s.)"""
    seen: collections.defaultdict[Any, int] = collections.defaultdict(itertools.count().__next__)
    codes = np.fromiter(map(seen.__getitem__, values.tolist()), dtype=np.int32, count=len(values))
    keys = list(seen)
    drop = [k is None or k == "" for k in keys]
    if not any(drop):
        return codes, tuple(str(k) for k in keys)
    kept = [k for k, d in zip(keys, drop, strict=True) if not d]
    remap = np.full(len(keys), -1, dtype=np.int32)
    remap[~np.array(drop)] = np.arange(len(kept), dtype=np.int32)
    return remap[codes], tuple(str(k) for k in kept)


def _fetch_rows(conn: Connection, stmt: Any) -> list[tuple[Any, ...]]:
    """Run a Core SELECT on the connection's DBAPI cursor: plain tuples, no Row objects."""
    compiled = stmt.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    args: Any = params
    if conn.dialect.positional:
        args = tuple(params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, args)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _fetch_array(conn: Connection, stmt: Any) -> np.ndarray:
    """Run a Core SELECT on the connection's DBAPI cursor and return the rows as a
    2-D object array (no per-row Row objects: the engine wants columns)."""
    rows = _fetch_rows(conn, stmt)
    width = len(rows[0]) if rows else len(stmt.selected_columns)
    out = np.empty((len(rows), width), dtype=object)
    if rows:
        out[:] = rows
    return out


def _utc(sec: int) -> datetime:
    return datetime.fromtimestamp(sec, tz=UTC)


def _month(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def _opt(v: Any, kind: Callable[[Any], Any]) -> Any:
    return None if v is None else kind(v)


def _stored_rows(cls: type[Row], names: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> tuple[Any, ...]:
    """Row models built from database rows without validating them again (the store
    only ever holds validated rows, converted back to the field types by the caller:
    aware datetimes, bools, dates).  What ``cls.model_construct(**row)`` does for a
    row giving every field of a plain model, at about a third of its cost (35k
    backups: ~0.2 s -> ~0.08 s); any other model goes through ``model_construct``."""
    if (set(names) != set(cls.__pydantic_fields__) or cls.__pydantic_post_init__
            or cls.__pydantic_root_model__ or cls.model_config.get("extra") == "allow"):
        return tuple(cls.model_construct(**dict(zip(names, r, strict=True))) for r in rows)
    new, put, fields = cls.__new__, object.__setattr__, frozenset(names)
    out = []
    for r in rows:
        obj = new(cls)
        put(obj, "__dict__", dict(zip(names, r, strict=True)))
        put(obj, "__pydantic_fields_set__", set(fields))
        put(obj, "__pydantic_extra__", None)
        put(obj, "__pydantic_private__", None)
        out.append(obj)
    return tuple(out)


def _nullable(arr: np.ndarray, null: np.ndarray) -> list[Any]:
    """``arr`` as a list of Python ints with None where ``null``; built in C, no per-row branch."""
    out = arr.astype(object)
    if null.any():
        out[null] = None
    return out.tolist()  # type: ignore[no-any-return]


def _instants(arr: np.ndarray) -> list[int | None]:
    return _nullable(arr, arr == MISSING)


def _names(codes: np.ndarray, names: tuple[str, ...]) -> list[str | None]:
    lookup = np.array([*names, None], dtype=object)  # code -1 -> the trailing None
    return lookup[np.where(codes < 0, len(names), codes)].tolist()  # type: ignore[no-any-return]


def _id_list(ids: np.ndarray) -> list[str]:
    out = ids.tolist()
    if set(map(type, out)) - {str}:
        out = [str(x) for x in out]
    return out  # type: ignore[no-any-return]


def _ticket_columns(t: TicketTable) -> dict[str, list[Any]]:
    flags = np.array([False, True, None], dtype=object)
    f = t.provider_sla_met
    return {
        "ticket_id": _id_list(t.ids),
        "priority": _nullable(t.priority, t.priority < 0),
        "opened_at": t.opened.tolist(),
        "first_response_at": _instants(t.first_response),
        "resolved_at": _instants(t.resolved),
        "closed_at": _instants(t.closed),
        "category": _names(t.category, t.category_names),
        "team": _names(t.team, t.team_names),
        "provider_sla_met": flags[np.where(f < 0, 2, (f != 0).astype(np.int8))].tolist(),
        "unrecorded": _nullable(t.unrecorded, t.unrecorded == 0),
        "cancelled": np.array([None, True], dtype=object)[t.cancelled.astype(np.int8)].tolist(),
    }


def _validate_ids(ids: np.ndarray) -> None:
    """Empty, over-long and duplicate ticket ids, found with pyarrow kernels (no
    per-row Python); the first offending row is named, as a row-by-row check would."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(ids, type=pa.string(), from_pandas=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # ids that are not str: compare their text
        arr = pa.array([None if x is None else str(x) for x in ids.tolist()], type=pa.string())
    length = pc.utf8_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
    bad = np.flatnonzero((length == 0) | (length > 200))
    end = int(bad[0]) if len(bad) else len(arr)  # rows before the first bad one hold ids
    codes = pc.dictionary_encode(arr.slice(0, end)).indices.to_numpy(zero_copy_only=False)
    # codes follow first appearance: the ids are unique exactly when the codes are 0..end-1
    if not np.array_equal(codes, np.arange(end)):
        _, first = np.unique(codes, return_index=True)
        repeat = np.ones(end, dtype=bool)
        repeat[first] = False
        i = int(np.flatnonzero(repeat)[0])
        j = int(first[codes[i]])
        raise ValueError(
            f"tickets row {i + 1}: field id: duplicate ticket id {arr[i].as_py()!r} (also row {j + 1})"
        )
    if len(bad):
        i = end
        what = "empty ticket id" if length[i] == 0 else "longer than 200 characters"
        raise ValueError(f"tickets row {i + 1}: field id: {what}")


def _validate_tickets(t: TicketTable, s: StatusLog, source: str) -> None:
    if not isinstance(source, str) or not source.strip() or len(source) > 200:
        raise ValueError(f"source {source!r}: a non-empty name of at most 200 characters is required")
    _validate_ids(t.ids)
    bad = np.flatnonzero((t.priority < -1) | (t.priority > 3))
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"tickets row {i + 1}: field priority: code {int(t.priority[i])} (use 0..3, -1)")
    bad = np.flatnonzero(t.opened == MISSING)
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"tickets row {i + 1} ({t.ids[i]}): field opened_at: missing")
    if len(s):
        bad = np.flatnonzero((s.ticket < 0) | (s.ticket >= len(t)))
        if len(bad):
            i = int(bad[0])
            raise ValueError(f"status row {i + 1}: field ticket: index {int(s.ticket[i])} out of range")
        bad = np.flatnonzero((s.status < 0) | (s.status >= len(s.status_names)) | (s.at == MISSING))
        if len(bad):
            i = int(bad[0])
            raise ValueError(f"status row {i + 1}: field status/at: missing")

