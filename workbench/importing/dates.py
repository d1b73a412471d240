"""Vectorised timestamp parsing for imports.

Exports write dates in many shapes: ISO 8601 with or without an offset,
``29/2/2016 01:16`` (ServiceNow: no zero padding, no seconds), ``3/29/16 1:16 PM``
(US locale), ``29/Feb/16 1:16 PM`` (Jira).  Everything is parsed with pyarrow
regular expressions into components and turned into epoch seconds with numpy;
no Python loop over rows.

Day-first versus month-first is decided from the data: a value whose first
number is above 12 proves day-first, one whose second number is above 12 proves
month-first.  A file where nothing decides (every value could be read both ways)
is refused with a question (:class:`DateOrderError`), never guessed.  A
timestamp without an offset is read in the declared time zone; when none is
declared the import is refused (:class:`TimezoneError`).  Local wall times
become instants like ``zoneinfo`` with ``fold=0`` (a nonexistent time lands
after the gap, an ambiguous one takes its first occurrence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from models.history import MISSING

DateOrder = Literal["dmy", "mdy"]

_TIME = r"(?:[T ,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
_OFFSET = r"\s*(?P<tz>Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
ISO_RE = r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})" + _TIME + _OFFSET + "$"
NUMERIC_RE = r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})" + _TIME + _OFFSET + "$"
MONTHNAME_RE = (r"^(?P<d>\d{1,2})[/ -](?P<mon>[A-Za-z]{3,9})\.?[/ -,]+(?P<y>\d{4}|\d{2})"
                + _TIME + _OFFSET + "$")

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")]
    )
    for name in names
}

I64 = npt.NDArray[np.int64]
_EPOCH = datetime(1970, 1, 1)
Bool = npt.NDArray[np.bool_]


class DateOrderError(ValueError):
    """The file's numeric dates can be read day-first or month-first."""


class TimezoneError(ValueError):
    """Naive timestamps with no declared time zone."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a tzdata folder, a too long name
        raise TimezoneError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/London or UTC"
        ) from exc


@dataclass
class _Parts:
    """Components of one column; ``ok`` false where a value did not match any shape."""

    y: I64
    mo: I64
    d: I64
    h: I64
    mi: I64
    s: I64
    offset: I64  # seconds east of UTC, or MISSING for naive
    ok: Bool
    ambiguous_a: I64  # numeric shape: first and second number (0 elsewhere)
    ambiguous_b: I64
    numeric: Bool


def _ints(col: pa.Array, default: int = 0) -> I64:
    arr = pc.if_else(pc.equal(col, ""), pa.scalar(str(default)), col)
    return np.asarray(pc.cast(pc.fill_null(arr, str(default)), pa.int64()).to_numpy(zero_copy_only=False),
                      dtype=np.int64)


def _offsets(tz: pa.Array) -> I64:
    s = pc.fill_null(tz, "")
    naive = np.asarray(pc.equal(s, "").to_numpy(zero_copy_only=False), dtype=bool)
    utc = np.asarray(pc.is_in(s, pa.array(["Z", "z", "UTC", "GMT"])).to_numpy(zero_copy_only=False), bool)
    digits = pc.replace_substring(s, ":", "")
    sign = np.where(np.asarray(pc.starts_with(digits, "-").to_numpy(zero_copy_only=False), bool), -1, 1)
    hh = _ints(pc.utf8_slice_codeunits(digits, 1, 3))
    mm = _ints(pc.utf8_slice_codeunits(digits, 3, 5))
    off = sign * (hh * 3600 + mm * 60)
    off = np.where(utc, 0, off)
    return np.where(naive, MISSING, off).astype(np.int64)


def _split(values: pa.Array) -> _Parts:
    n = len(values)
    z = np.zeros(n, np.int64)
    parts = _Parts(z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), np.full(n, MISSING, np.int64),
                   np.zeros(n, bool), z.copy(), z.copy(), np.zeros(n, bool))
    if n == 0:
        return parts
    for shape, regex in (("iso", ISO_RE), ("numeric", NUMERIC_RE), ("month", MONTHNAME_RE)):
        todo = ~parts.ok
        if not todo.any():
            break
        st = pc.extract_regex(values, regex)
        matched = np.asarray(pc.is_valid(st).to_numpy(zero_copy_only=False), bool) & todo
        if not matched.any():
            continue
        sub = pc.filter(st, pa.array(matched))
        f = {sub.type.field(i).name: sub.field(i) for i in range(sub.type.num_fields)}
        y = _ints(f["y"])
        if shape == "iso":
            mo, d = _ints(f["m"]), _ints(f["d"])
        elif shape == "numeric":
            a, b = _ints(f["a"]), _ints(f["b"])
            parts.ambiguous_a[matched] = a
            parts.ambiguous_b[matched] = b
            parts.numeric[matched] = True
            mo, d = b, a  # provisional: day-first; fixed by resolve_order
        else:
            d = _ints(f["d"])
            names = pc.utf8_lower(f["mon"])
            keys = pa.array(list(_MONTHS))
            idx = pc.index_in(names, value_set=keys)
            lookup = np.array(list(_MONTHS.values()), np.int64)
            idx_np = np.asarray(pc.fill_null(idx, -1).to_numpy(zero_copy_only=False), np.int64)
            mo = np.where(idx_np >= 0, lookup[np.clip(idx_np, 0, None)], 0)
        y = np.where(y < 100, y + 2000, y) if shape != "iso" else y
        h, mi, s = _ints(f["H"]), _ints(f["M"]), _ints(f["S"])
        ampm = pc.utf8_lower(pc.replace_substring(pc.fill_null(f["ampm"], ""), ".", ""))
        pm = np.asarray(pc.equal(ampm, "pm").to_numpy(zero_copy_only=False), bool)
        am = np.asarray(pc.equal(ampm, "am").to_numpy(zero_copy_only=False), bool)
        bad_12h = (am | pm) & ((h < 1) | (h > 12))
        h = np.where(am & (h == 12), 0, h)
        h = np.where(pm & (h < 12), h + 12, h)
        parts.y[matched], parts.mo[matched], parts.d[matched] = y, mo, d
        parts.h[matched], parts.mi[matched], parts.s[matched] = h, mi, s
        parts.offset[matched] = _offsets(f["tz"])
        ok = np.ones(len(y), bool) & ~bad_12h
        parts.ok[matched] = ok
    return parts


def _numeric_candidates(col: pa.Array) -> pa.Array:
    """The values that may be numeric day/month dates (a cheap anchored test before the full regex)."""
    for iso in (pa.timestamp("s", tz="UTC"), pa.timestamp("s")):  # with offsets, or naive
        try:  # a column Arrow reads as ISO 8601 (year first) holds none: skip the regex pass
            pc.cast(col, iso)
            return col.slice(0, 0)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    return pc.filter(col, pc.match_substring_regex(col, r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]"))


def _fast_iso(values: pa.Array, tz: ZoneInfo | None) -> tuple[I64, int] | None:
    """Arrow's own ISO 8601 cast (with offsets, or naive in ``tz``); None when any value needs the
    general path."""
    try:
        return np.asarray(pc.cast(values, pa.timestamp("s", tz="UTC")).cast(pa.int64())
                          .to_numpy(zero_copy_only=False), np.int64), 0
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    if tz is None or not pc.all(pc.match_substring_regex(values, r"^\d{4}-\d{2}-\d{2}[T ]\d")).as_py():
        return None
    try:
        wall = np.asarray(pc.cast(values, pa.timestamp("s")).cast(pa.int64()).to_numpy(zero_copy_only=False),
                          np.int64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return local_to_utc(wall, tz), len(wall)


def _detect_order(candidates: list[pa.Array]) -> DateOrder | Literal["conflict"] | None:
    day_first = month_first = False
    for col in candidates:
        st = pc.extract_regex(col, NUMERIC_RE)
        valid = pc.drop_null(st)
        if len(valid) == 0:
            continue
        a = _ints(valid.field("a"))
        b = _ints(valid.field("b"))
        day_first |= bool((a > 12).any())
        month_first |= bool((b > 12).any())
    if day_first and month_first:
        return "conflict"
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    return None


def _undecided(candidates: list[pa.Array]) -> str | None:
    for col in candidates:
        st = pc.extract_regex(col, NUMERIC_RE)
        mask = pc.is_valid(st)
        valid = pc.filter(st, mask)
        if len(valid) == 0:
            continue
        a = _ints(valid.field("a"))
        b = _ints(valid.field("b"))
        differ = np.nonzero(a != b)[0]
        if len(differ):
            raw = pc.filter(col, mask)
            return str(raw[int(differ[0])].as_py())
    return None


def resolve_order(columns: list[pa.Array], declared: DateOrder | None) -> DateOrder:
    """The date order to use for these columns, or an error with the question to ask."""
    if declared is not None:
        return declared
    candidates = [_numeric_candidates(c) for c in columns]  # once per column (a regex pass each)
    found = _detect_order(candidates)
    if found == "conflict":
        raise DateOrderError(
            "dates contradict each other: some read day-first (first number above 12), others "
            "month-first (second number above 12): pass --date-order dmy or mdy; the others will be rejected"
        )
    if found is not None:
        return found
    example = _undecided(candidates)
    if example is not None:
        raise DateOrderError(
            f"dates like {example} could be day-first or month-first and nothing in the file decides: "
            "pass --date-order dmy or mdy"
        )
    return "dmy"  # no ambiguous value at all: either reading gives the same instants


def _days_from_civil(y: I64, m: I64, d: I64) -> I64:
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return (era * 146097 + doe - 719468).astype(np.int64)


def _days_in_month(y: I64, m: I64) -> I64:
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    table = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], np.int64)
    dim = table[np.clip(m, 0, 12)]
    return np.where((m == 2) & leap, 29, dim)


def local_to_utc(wall: I64, tz: ZoneInfo) -> I64:
    """Wall-clock seconds (as if UTC) in ``tz`` -> epoch seconds, zoneinfo fold=0 semantics.

    The fold=0 offset of a wall time is constant between transitions, which fall on
    quarter hours, so it is looked up once per distinct quarter hour.
    """
    if len(wall) == 0:
        return wall
    if tz.key in ("UTC", "Etc/UTC", "GMT", "Etc/GMT"):
        return wall
    buckets, inverse = np.unique(wall // 900, return_inverse=True)
    offs = np.empty(len(buckets), np.int64)
    for i, b in enumerate(buckets.tolist()):
        naive = _EPOCH + timedelta(seconds=b * 900)
        off = naive.replace(tzinfo=tz).utcoffset()
        offs[i] = int(off.total_seconds()) if off is not None else 0
    return wall - offs[inverse.reshape(-1)]


@dataclass
class ParsedTimes:
    """Epoch seconds (MISSING where empty), with a mask of values that did not parse."""

    values: I64
    bad: Bool
    naive_count: int
    out_of_range: Bool | None = None  # among ``bad``: read, but outside 1970-2100


def _in_range(out: I64, bad: Bool, naive_count: int) -> ParsedTimes:
    """The parsed column with instants outside the supported years (``models.limits``) marked bad."""
    from models.limits import EARLIEST_INSTANT, LATEST_INSTANT

    outside = (out != MISSING) & ((out < EARLIEST_INSTANT) | (out > LATEST_INSTANT)) & ~bad
    return ParsedTimes(out, bad | outside, naive_count, outside)


def parse_timestamps(
    values: pa.Array,
    missing: Bool,
    order: DateOrder,
    tz: ZoneInfo | None,
) -> ParsedTimes:
    """Parse one column of strings.  ``missing`` marks empty/placeholder cells.

    Raises :class:`TimezoneError` when a naive timestamp is found and ``tz`` is None.
    """
    n = len(values)
    out = np.full(n, MISSING, np.int64)
    bad = np.zeros(n, bool)
    present = ~missing
    if not present.any():
        return ParsedTimes(out, bad, 0)
    sub = pc.utf8_trim_whitespace(pc.filter(values, pa.array(present)))
    fast = _fast_iso(sub, tz)
    if fast is not None:
        out[present] = fast[0]
        return _in_range(out, bad, fast[1])
    p = _split(sub)
    if order == "mdy":
        p.mo = np.where(p.numeric, p.ambiguous_a, p.mo)
        p.d = np.where(p.numeric, p.ambiguous_b, p.d)
    ok = (p.ok & (p.mo >= 1) & (p.mo <= 12) & (p.d >= 1) & (p.d <= _days_in_month(p.y, p.mo))
          & (p.h <= 23) & (p.mi <= 59) & (p.s <= 60) & (p.y >= 1900) & (p.y <= 2200))
    days = _days_from_civil(p.y, np.clip(p.mo, 1, 12), np.clip(p.d, 1, 31))
    wall = days * 86400 + p.h * 3600 + p.mi * 60 + p.s
    naive = ok & (p.offset == MISSING)
    naive_count = int(naive.sum())
    result = np.where(ok & ~naive, wall - np.where(p.offset == MISSING, 0, p.offset), MISSING)
    if naive_count:
        if tz is None:
            example = str(sub[int(np.nonzero(naive)[0][0])].as_py())
            raise TimezoneError(
                f"timestamps like {example!r} carry no time zone: pass --tz ZONE "
                "(the zone the export was written in, e.g. --tz Europe/London or --tz UTC)"
            )
        result[naive] = local_to_utc(wall[naive], tz)
    out[present] = result
    bad[present] = ~ok
    return _in_range(out, bad, naive_count)


def order_evidence(columns: list[pa.Array]) -> DateOrder | Literal["conflict"] | None:
    """What the file's own numeric dates prove: day-first, month-first, both (conflict) or nothing."""
    return _detect_order([_numeric_candidates(c) for c in columns])


def first_proof(values: pa.Array, order: DateOrder) -> int | None:
    """Index of the first value that can only be read in ``order`` (a first number above 12 proves
    day-first, a second number above 12 month-first), or None."""
    st = pc.extract_regex(values, NUMERIC_RE)
    valid = np.asarray(pc.is_valid(st).to_numpy(zero_copy_only=False), bool)
    if not valid.any():
        return None
    parts = pc.filter(st, pa.array(valid))
    a, b = _ints(parts.field("a")), _ints(parts.field("b"))
    proof = (a > 12) if order == "dmy" else (b > 12)
    hits = np.flatnonzero(proof)
    return None if not len(hits) else int(np.flatnonzero(valid)[hits[0]])
