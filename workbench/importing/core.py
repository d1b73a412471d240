"""Turn an export file into a :class:`TicketTable` and :class:`StatusLog`, with every rejected row listed.

Two shapes of export are read:

* **one row per ticket** (canonical, ServiceNow incident list, Jira, Zendesk,
  ConnectWise, Autotask, HaloPSA, osTicket): each row is checked on its own;
* **one row per update** (ServiceNow audit/event log, preset kind ``event_log``):
  rows are grouped by ticket and ordered by ``sequence`` (``sys_mod_count``), then
  ``updated_at``, then file order.  From the sequence of snapshots:

  - *status history*: a status row at each update whose state differs from the
    previous one (junk states such as ``-100`` are skipped); a status holds until
    the next row, so consecutive rows give the status intervals;
  - *first response* = the first update whose state is no longer one of the
    preset's ``new_statuses`` (ServiceNow: the first move out of **New**, to
    Active, Awaiting…, Resolved or Closed).  The opener and updater columns of the
    UCI log are anonymised in different namespaces, so "first update by someone
    other than the opener" cannot be derived; assignment is not a response;
  - *priority*: by default the **last** priority the ticket had (``priority_rule:
    last``), because ServiceNow cancels the running SLA on a priority change and
    attaches the new priority's SLA from the open time, so the verdict at closure
    is measured against the final priority; ``first`` and ``highest`` are the
    alternatives.  Every change is kept in ``ImportResult.priority_changes``;
  - *reopenings*: a move from a resolved state back to an open one, or a
    ``reopen_count`` above 0; ``resolved_at`` is the export's own (final) value, and
    where the export gives none (no column, or an empty cell), the time the ticket
    entered its final run of ``resolved_statuses`` (a ticket reopened and not resolved
    again has none); the notes say how many were derived;
  - *opening*: the ``opened_at`` column, or without one the case's first update;
  - ``closed_at`` and the ``made_sla`` verdict (-> ``provider_sla_met``) are
    taken from the last update.

  A ticket with any bad row (unparseable date, unknown priority) is rejected as a
  whole, reported at its first bad row.

Rejection reasons: missing ticket id, duplicate, unknown priority, missing or
unparseable date, an event before ``opened_at`` (``resolved before opened`` …),
a row with the wrong number of fields.  An optional value that cannot be read (a
true/false flag that reads as neither, a first-reply time that is not a number)
never rejects the ticket: it is left empty and counted in the notes.

Honesty about what the data can measure (:meth:`ImportResult.coverage`): per metric
(response = first response, resolution = resolved), how many tickets carry the
event.  A metric no ticket carries is *not measured* (simulate and compare show it
so, never as 0% compliance); one carried by fewer than a tenth of the tickets gets a
warning.  Ticket exports whose preset says closing is resolving (``closure_resolves``:
osTicket, ServiceNow lists, GLPI) take a closed ticket's resolution at its closure
when the export gives no resolution time (an upper bound: its resolution compliance
can only be better), said in the notes.

Without a priority column every ticket gets ``default_priority`` (P3 unless given);
given explicitly, it also fills empty priority cells.  A declared date order that
the file's own values contradict (a day above 12 where the month should be, and
nothing reading the other way) is refused naming the row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from models.contract import PRIORITIES
from models.history import MISSING, UNRECORDED_BITS, StatusLog, TicketTable
from workbench.importing.dates import (
    DateOrder,
    first_proof,
    order_evidence,
    parse_timestamps,
    resolve_order,
    zone,
)
from workbench.importing.presets import Preset, detect, get_preset, norm_header, score
from workbench.importing.read import RawTable, read_table
from workbench.progress import ProgressCallback, report, scaled

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]
DATE_FIELDS = ("opened_at", "first_response_at", "resolved_at", "closed_at", "updated_at", "at")
DEFAULT_PRIORITY = "P3"
NEARLY_ABSENT = 0.1  # a metric whose event fewer than this share of the tickets carry gets a warning
COVERAGE_EVENTS = {"response": ("first_response", "first-response time"),
                   "resolution": ("resolved", "resolution time")}


class ImportFailed(ValueError):
    """The file cannot be imported at all: one clear message naming file (and row/field)."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    """Control characters (newlines in quoted headers or values) shown escaped: one line per message."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    ticket: str
    field: str
    reason: str
    record: str = "ticket"  # what the row is, in messages: "ticket", "backup", "outage" …

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "ticket": self.ticket, "field": self.field,
                "reason": self.reason}

    def __str__(self) -> str:
        return one_line(
            f"{self.file}:{self.line}: {self.record} {self.ticket or '?'}: {self.field}: {self.reason}"
        )


@dataclass
class PriorityChanges:
    """Priority over each ticket's life (event logs): rows (ticket index, at, priority 0..3)."""

    ticket: I64 = field(default_factory=lambda: np.empty(0, np.int64))
    at: I64 = field(default_factory=lambda: np.empty(0, np.int64))
    priority: npt.NDArray[np.int8] = field(default_factory=lambda: np.empty(0, np.int8))


@dataclass
class ImportResult:
    preset: Preset
    file: Path
    tickets: TicketTable
    status_log: StatusLog
    rejected: list[Rejection]
    rows_read: int
    notes: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    priority_changes: PriorityChanges = field(default_factory=PriorityChanges)
    status_ids: npt.NDArray[np.object_] | None = None  # status_log kind: ticket ids of the rows
    timezone: str | None = None  # the zone naive timestamps were read in

    def coverage(self) -> dict[str, dict[str, Any]]:
        """Per metric: tickets, how many carry the metric's event, and whether it can be measured
        (with the reason when not).  Not measured: the export has no column for the event, or no
        ticket carries it although some ticket got past it (resolved or closed).  Tickets that are
        all still open, in an export that has the column, are measured (pending or breached)."""
        t = self.tickets
        n = len(t)
        done = {"response": ((t.resolved != MISSING) | (t.closed != MISSING), "resolved or closed"),
                "resolution": (t.closed != MISSING, "closed")}
        out: dict[str, dict[str, Any]] = {}
        for metric, (attr, what) in COVERAGE_EVENTS.items():
            k = int((getattr(t, attr) != MISSING).sum())
            unrecorded, _ = t.unrecorded_share(metric)
            entry: dict[str, Any] = {"tickets": n, "with_event": k, "measured": True}
            if n and unrecorded == n:
                entry.update(measured=False, reason=f"the export has no column for the {what}")
            elif k == 0 and bool(done[metric][0].any()):
                entry.update(measured=False, reason=f"no ticket carries a {what}, although "
                             f"{int(done[metric][0].sum())} are {done[metric][1]}")
            elif n == 0:
                entry["measured"] = False
            out[metric] = entry
        return out

    def not_measured(self) -> list[str]:
        return [m for m, c in self.coverage().items() if not c["measured"]]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "preset": self.preset.name,
            "tickets": len(self.tickets),
            "status_rows": len(self.status_log),
            "rejected": [r.to_json() for r in self.rejected],
        }
        if self.preset.kind != "status_log":
            out["coverage"] = self.coverage()
        if self.notes:
            out["notes"] = list(self.notes)
        if self.stats:
            out["stats"] = dict(self.stats)
        return out


# ------------------------------------------------------------------ helpers


class _Cols:
    """Field access on a raw table through a preset."""

    def __init__(self, raw: RawTable, preset: Preset) -> None:
        self.raw = raw
        self.preset = preset
        by_norm = {norm_header(h): h for h in raw.headers}
        self.header: dict[str, str] = {}
        for fld, col in preset.columns.items():
            h = by_norm.get(norm_header(col))
            if h is not None:
                self.header[fld] = h
        missing = [f"{f} ({preset.columns[f]!r})" for f in preset.required() if f not in self.header]
        if missing:
            raise ImportFailed(
                f"{raw.path}: preset {preset.name!r} needs column(s) {', '.join(missing)}; "
                f"the file has: {', '.join(raw.headers[:30])}"
            )
        self._missing_set = pa.array(list(preset.missing_values), pa.string())
        self._cache: dict[str, pa.Array] = {}
        self._missing: dict[str, Bool] = {}

    def has(self, fld: str) -> bool:
        return fld in self.header

    def get(self, fld: str) -> pa.Array:
        if fld not in self._cache:
            self._cache[fld] = pc.utf8_trim_whitespace(self.raw.columns[self.header[fld]])
        return self._cache[fld]

    def missing(self, fld: str) -> Bool:
        if fld not in self._missing:
            found = pc.is_in(self.get(fld), value_set=self._missing_set)
            self._missing[fld] = np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
        return self._missing[fld].copy()  # callers may change their copy


def _np_str(arr: pa.Array) -> npt.NDArray[np.object_]:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def _priorities(cols: _Cols, default: str | None = None) -> tuple[npt.NDArray[np.int8], Bool]:
    """Priority codes 0..3 and a mask of unknown values.  Without a priority column every row gets
    ``default`` (P3 when None); an explicit ``default`` also fills empty cells."""
    if not cols.has("priority"):
        return (np.full(cols.raw.n_rows, PRIORITIES.index(default or DEFAULT_PRIORITY), np.int8),
                np.zeros(cols.raw.n_rows, bool))
    enc = pc.dictionary_encode(cols.get("priority")).combine_chunks() if isinstance(
        cols.get("priority"), pa.ChunkedArray) else pc.dictionary_encode(cols.get("priority"))
    names = enc.dictionary.to_pylist()
    lookup = np.array([
        PRIORITIES.index(m) if (m := cols.preset.map_priority(str(v))) is not None else -1 for v in names
    ] + [-1], dtype=np.int8)
    idx = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    codes = lookup[idx]
    if default is not None:
        codes = np.where(cols.missing("priority"), np.int8(PRIORITIES.index(default)), codes).astype(np.int8)
    return codes, codes < 0


def _priority_reason(cols: _Cols, i: int) -> str:
    if cols.has("priority") and not cols.missing("priority")[i]:
        return f"unknown priority {cols.get('priority')[i].as_py()!r}"
    value = cols.get("priority")[i].as_py() if cols.has("priority") else ""
    return f"no priority ({value!r}): pass --default-priority P1..P4 to give one"


def _priority_notes(cols: _Cols, default: str | None) -> list[str]:
    if cols.has("priority"):
        return [f"empty priority cells read as {default} (--default-priority)"] if default and \
            cols.missing("priority").any() else []
    chosen = default or DEFAULT_PRIORITY
    how = "as given by --default-priority" if default else \
        "the default; pass --default-priority P1..P4 to choose another"
    return [f"no priority column: every ticket imported as {chosen} ({how})"]


def _flags(cols: _Cols) -> tuple[npt.NDArray[np.int8], Bool, str | None]:
    """provider_sla_met as -1/0/1 and a mask of unreadable values (left -1), and the field used."""
    n = cols.raw.n_rows
    for fld, invert in (("provider_sla_met", False), ("provider_sla_breached", True)):
        if not cols.has(fld):
            continue
        v = pc.utf8_lower(cols.get(fld))
        t = np.asarray(pc.is_in(v, value_set=pa.array([x.lower() for x in cols.preset.true_values]))
                       .to_numpy(zero_copy_only=False), bool)
        f = np.asarray(pc.is_in(v, value_set=pa.array([x.lower() for x in cols.preset.false_values]))
                       .to_numpy(zero_copy_only=False), bool)
        miss = cols.missing(fld)
        out = np.full(n, -1, np.int8)
        out[t] = 0 if invert else 1
        out[f] = 1 if invert else 0
        return out, ~(t | f | miss), fld
    return np.full(n, -1, np.int8), np.zeros(n, bool), None


def _encode_names(cols: _Cols, fld: str, rows: I64 | None = None
                  ) -> tuple[npt.NDArray[np.int32], tuple[str, ...]]:
    n = cols.raw.n_rows if rows is None else len(rows)
    if not cols.has(fld):
        return np.full(n, -1, np.int32), ()
    arr = cols.get(fld)
    miss = cols.missing(fld)
    if rows is not None:
        arr = arr.take(pa.array(rows))
        miss = miss[rows]
    arr = pc.if_else(pa.array(miss), pa.scalar(None, pa.string()), arr)
    enc = pc.dictionary_encode(arr)
    idx = np.asarray(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int32)
    return idx, tuple(str(x) for x in enc.dictionary.to_pylist())


class _Reasons:
    """First problem found per row."""

    def __init__(self, n: int) -> None:
        self.field = np.full(n, None, dtype=object)
        self.reason = np.full(n, None, dtype=object)
        self._marked = np.zeros(n, dtype=bool)

    def mark(self, mask: Bool, fld: str, reason: Any) -> None:
        """``reason``: a string, or a function of the row index giving one."""
        todo = np.nonzero(mask & ~self._marked)[0]
        if not len(todo):
            return
        self._marked[todo] = True
        for i in todo.tolist():
            self.field[i] = fld
            self.reason[i] = reason(i) if callable(reason) else reason

    @property
    def bad(self) -> Bool:
        return self._marked.copy()


def date_problem(value: object, out_of_range: Bool | None, i: int) -> str:
    """Why a date cell was rejected: outside the supported years, or not a date at all."""
    if out_of_range is not None and out_of_range[i]:
        from models.limits import EARLIEST_YEAR, LATEST_YEAR

        return f"date {value!r} is outside the supported range {EARLIEST_YEAR}-{LATEST_YEAR}"
    return f"unparseable date {value!r}"


def _dates(cols: _Cols, order: DateOrder, tz: Any, reasons: _Reasons, fields: tuple[str, ...]
           ) -> dict[str, I64]:
    out: dict[str, I64] = {}
    for fld in fields:
        if not cols.has(fld):
            continue
        miss = cols.missing(fld)
        parsed = parse_timestamps(cols.get(fld), miss, order, tz)
        values = cols.get(fld)
        reasons.mark(parsed.bad, fld,
                     lambda i, v=values, r=parsed.out_of_range: date_problem(v[i].as_py(), r, i))
        out[fld] = parsed.values
    return out


def _date_columns(cols: _Cols) -> list[pa.Array]:
    out = []
    for fld in DATE_FIELDS:
        if cols.has(fld):
            keep = ~cols.missing(fld)
            out.append(pc.filter(cols.get(fld), pa.array(keep)))
    return out


# ------------------------------------------------------------------ entry point


NO_PRESET_ADVICE = ("pass --preset NAME (see: sla-workbench import --list-presets), or give the columns with "
                    "--map FIELD=COLUMN (e.g. --map id='Ticket ID' --map opened_at=Created) or "
                    "--mapping FILE.yaml")


def import_file(
    path: str | Path,
    preset: str | Preset | None = None,
    tz: str | None = None,
    date_order: DateOrder | None = None,
    progress: ProgressCallback | None = None,
    *,
    sheet: str | None = None,
    default_priority: str | None = None,
) -> ImportResult:
    """Read and validate one export.  Raises :class:`ImportFailed` for a file that cannot be read at all
    (no preset matches, ambiguous dates, naive timestamps without ``tz``, a declared date order the
    file contradicts)."""
    from workbench.importing.dates import DateOrderError, TimezoneError
    from workbench.importing.presets import PresetError
    from workbench.importing.read import ReadError

    p = Path(path)
    if default_priority is not None and default_priority not in PRIORITIES:
        raise ImportFailed(f"default priority {default_priority!r}: use one of {', '.join(PRIORITIES)}")
    report(progress, 0.0, f"reading {p.name}")
    try:
        given = preset if isinstance(preset, Preset) else get_preset(preset) if preset else None
    except PresetError as exc:
        raise ImportFailed(str(exc)) from exc
    try:
        raw = read_table(p, sheet, (lambda h: score(given, h)) if given else (lambda h: detect(h)[1]))
    except ReadError as exc:
        raise ImportFailed(str(exc)) from exc
    report(progress, 0.3, "detecting the format")
    try:
        if given is not None:
            chosen = given
        else:
            found, _ = detect(raw.headers)
            if found is None:
                raise ImportFailed(
                    f"{p}: no import preset matches the columns ({', '.join(raw.headers[:12])}"
                    f"{', …' if len(raw.headers) > 12 else ''}): {NO_PRESET_ADVICE}"
                )
            chosen = found
        cols = _Cols(raw, chosen)
        zone_name = tz or chosen.timezone
        zi = zone(zone_name) if zone_name else None
        declared = date_order or chosen.date_order
        if declared is not None:
            _check_declared_order(cols, declared, "--date-order" if date_order else f"preset {chosen.name!r}")
        order = resolve_order(_date_columns(cols), declared)
        sub = scaled(progress, 0.3, 1.0)
        if chosen.kind == "event_log":
            result = _event_log(cols, order, zi, sub, default_priority)
        elif chosen.kind == "status_log":
            result = _status_log(cols, order, zi)
        else:
            result = _tickets(cols, order, zi, sub, default_priority)
    except (DateOrderError, TimezoneError, PresetError) as exc:
        raise ImportFailed(f"{p}: {exc}") from exc
    result.notes[:0] = raw.notes
    result.timezone = zone_name
    if chosen.kind != "status_log":
        result.notes.extend(_priority_notes(cols, default_priority))
        result.notes.extend(coverage_warnings(result))
    report(progress, 1.0, "read")
    return result


def coverage_warnings(result: ImportResult) -> list[str]:
    """One warning per metric the export cannot measure, or barely."""
    out = []
    for metric, c in result.coverage().items():
        what = COVERAGE_EVENTS[metric][1]
        if c["tickets"] and not c["measured"]:
            out.append(f"no {what} in this export ({c['reason']}): {metric} compliance cannot be "
                       "measured (shown as not measured, never as 0%)")
        elif c["tickets"] and c["with_event"] == 0:
            out.append(f"none of the {c['tickets']} tickets carries a {what} yet (all still open): "
                       f"{metric} counts them pending or breached")
        elif c["tickets"] and c["with_event"] < NEARLY_ABSENT * c["tickets"]:
            out.append(f"only {c['with_event']} of {c['tickets']} tickets carry a {what}: "
                       f"{metric} compliance rests on those few")
    return out


def _check_declared_order(cols: _Cols, declared: DateOrder, by: str) -> None:
    """Refuse a declared date order that the file's own values prove wrong (when no value proves it
    right: a file that reads both ways keeps the declared order and rejects the others)."""
    other: DateOrder = "mdy" if declared == "dmy" else "dmy"
    if order_evidence(_date_columns(cols)) != other:
        return
    for fld in DATE_FIELDS:
        if not cols.has(fld):
            continue
        i = first_proof(cols.get(fld), other)
        if i is None:
            continue
        line = int(cols.raw.lines()[i])
        value = cols.get(fld)[i].as_py()
        pos = "first" if other == "dmy" else "second"
        raise ImportFailed(
            f"{cols.raw.path}:{line}: {cols.header[fld]} {value!r} can only be read {other} "
            f"(its {pos} number, above 12, is a day), yet {by} says {declared} and no value in the file "
            f"reads {declared}: "
            f"pass --date-order {other}, or leave it out to read the order from the file"
        )


def _invalid_rows(raw: RawTable) -> list[Rejection]:
    return [Rejection(str(raw.path), r.line, r.ticket, "(row)", r.reason) for r in raw.invalid]


def _rejections(raw: RawTable, reasons: _Reasons, ids: npt.NDArray[np.object_], rows: I64 | None = None
                ) -> list[Rejection]:
    bad = np.nonzero(reasons.bad)[0] if rows is None else rows
    if len(bad) == 0:
        return []
    lines = raw.lines()
    return [Rejection(str(raw.path), int(lines[i]), str(ids[i] or ""), str(reasons.field[i]),
                      str(reasons.reason[i])) for i in bad.tolist()]


def _unreadable_flags(cols: _Cols, bad: Bool, fld: str | None, notes: list[str], stats: dict[str, int]
                      ) -> None:
    """An optional true/false column whose value reads as neither: left empty, counted, one note."""
    if fld is None or not bad.any():
        return
    k = int(bad.sum())
    example = cols.get(fld)[int(np.flatnonzero(bad)[0])].as_py()
    stats[f"unreadable_{fld}"] = k
    notes.append(f"{k} value(s) of {cols.header[fld]!r} read as neither true nor false (e.g. {example!r}): "
                 f"left empty (the provider's verdict is unknown for those tickets)")


def _tickets(cols: _Cols, order: DateOrder, tz: Any, progress: ProgressCallback | None,
             default_priority: str | None = None) -> ImportResult:
    raw = cols.raw
    n = raw.n_rows
    reasons = _Reasons(n)
    notes: list[str] = []
    stats: dict[str, int] = {}
    ids = _np_str(cols.get("id"))
    id_missing = cols.missing("id")
    reasons.mark(id_missing, "id", "missing ticket id")
    # duplicates: a later row with an id already seen
    enc = pc.dictionary_encode(cols.get("id"))
    codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False), np.int64)
    _, first_idx = np.unique(codes, return_index=True)
    dup = np.ones(n, bool)
    dup[first_idx] = False
    dup &= ~id_missing
    if dup.any():
        first_of = first_idx[np.searchsorted(np.unique(codes), codes)]
        lines = raw.lines()
        reasons.mark(dup, "id", lambda i: f"duplicate of line {int(lines[first_of[i]])}")
    prio, unknown = _priorities(cols, default_priority)
    reasons.mark(unknown, "priority", lambda i: _priority_reason(cols, i))
    report(progress, 0.1, "parsing dates")
    d = _dates(cols, order, tz, reasons, ("opened_at", "first_response_at", "resolved_at", "closed_at"))
    opened = d["opened_at"]
    reasons.mark(opened == MISSING, "opened_at", "missing opened_at")
    first = d.get("first_response_at", np.full(n, MISSING, np.int64))
    if cols.has("first_response_minutes") and not cols.has("first_response_at"):
        fld = "first_response_minutes"
        miss = cols.missing(fld)
        vals = cols.get(fld)
        minutes = np.full(n, np.nan)
        good = ~miss
        try:
            minutes[good] = np.asarray(pc.cast(pc.filter(vals, pa.array(good)), pa.float64())
                                       .to_numpy(zero_copy_only=False), float)
        except (pa.ArrowInvalid, ValueError):
            unreadable = []
            for i in np.nonzero(good)[0].tolist():
                try:
                    minutes[i] = float(vals[i].as_py())
                except ValueError:
                    unreadable.append(i)
            if unreadable:  # an optional value: left empty and counted, the ticket is kept
                good[unreadable] = False
                stats["unreadable_first_response_minutes"] = len(unreadable)
                notes.append(f"{len(unreadable)} value(s) of {cols.header[fld]!r} are not a number of "
                             f"minutes (e.g. {vals[unreadable[0]].as_py()!r}): left empty")
        neg = good & (minutes < 0)
        reasons.mark(neg, fld, "negative first reply time")
        ok = good & np.isfinite(minutes) & (opened != MISSING) & ~neg
        first = np.where(ok, opened + np.round(np.nan_to_num(minutes) * 60).astype(np.int64), MISSING)
    resolved = d.get("resolved_at", np.full(n, MISSING, np.int64))
    closed = d.get("closed_at", np.full(n, MISSING, np.int64))
    cancelled_rows = _cancelled(cols, np.arange(n))
    if cols.preset.closure_resolves:
        closed_kept = np.where(cancelled_rows, MISSING, closed)  # a cancellation is no resolution
        resolved = _resolved_at_closure(cols, resolved, closed_kept, notes, stats)
    has_open = opened != MISSING
    for name, col in (("first_response_at", first), ("resolved_at", resolved), ("closed_at", closed)):
        label = name.removesuffix("_at").replace("_", " ")
        reasons.mark(has_open & (col != MISSING) & (col < opened), name, f"{label} before opened")
    flags, bad_flag, flag_field = _flags(cols)
    _unreadable_flags(cols, bad_flag & ~reasons.bad, flag_field, notes, stats)
    report(progress, 0.6, "building the ticket table")
    keep = ~reasons.bad
    rows = np.nonzero(keep)[0]
    cat, cat_names = _encode_names(cols, "category", rows)
    team, team_names = _encode_names(cols, "team", rows)
    unrecorded = np.full(len(rows), _unrecorded_bits(cols), np.int8)
    cancelled = cancelled_rows[rows]
    _cancelled_note(cols, cancelled, notes, stats)
    if len(rows) == n:  # every row kept: no copies
        table = TicketTable(
            ids=ids, priority=prio, opened=opened, first_response=first, resolved=resolved, closed=closed,
            category=cat, category_names=cat_names, team=team, team_names=team_names, provider_sla_met=flags,
            unrecorded=unrecorded, cancelled=cancelled,
        )
    else:
        table = TicketTable(
            ids=ids[rows], priority=prio[rows], opened=opened[rows], first_response=first[rows],
            resolved=resolved[rows], closed=closed[rows], category=cat, category_names=cat_names,
            team=team, team_names=team_names, provider_sla_met=flags[rows], unrecorded=unrecorded,
            cancelled=cancelled,
        )
    rejected = _invalid_rows(raw) + _rejections(raw, reasons, ids)
    rejected.sort(key=lambda r: r.line)
    return ImportResult(cols.preset, raw.path, table, StatusLog.empty(), rejected, n, notes=notes,
                        stats=stats)


def _cancelled(cols: _Cols, rows: I64) -> Bool:
    """Per row of ``rows``: its status or close code is one of the preset's cancelled ones (any case)."""
    pre = cols.preset
    out = np.zeros(len(rows), bool)
    for fld, words in (("status", pre.cancelled_statuses), ("close_code", pre.cancelled_close_codes)):
        if not words or not cols.has(fld):
            continue
        low = pc.utf8_lower(cols.get(fld))
        hit = pc.is_in(low, value_set=pa.array(sorted({w.lower() for w in words}), pa.string()))
        out |= np.asarray(hit.to_numpy(zero_copy_only=False), bool)[rows]
    return out


def _cancelled_note(cols: _Cols, cancelled: Bool, notes: list[str], stats: dict[str, int]) -> None:
    k = int(cancelled.sum())
    if k:
        stats["cancelled"] = k
        where = " or ".join(f"{cols.header[f]!r}" for f in ("status", "close_code") if cols.has(f))
        pre = cols.preset
        words = " / ".join(dict.fromkeys((*pre.cancelled_statuses, *pre.cancelled_close_codes)))
        notes.append(f"{k} ticket(s) cancelled ({where} reads {words}): left out of SLA compliance and "
                     "counted apart, as the tool cancels their SLAs")


def _unrecorded_bits(cols: _Cols) -> int:
    """The :data:`UNRECORDED_BITS` of the metrics whose event this ticket export has no column for
    (first response: a time or a first-reply duration; resolution: a resolution time, or a closure
    where the preset says closing is resolving)."""
    carried = {
        "response": cols.has("first_response_at") or cols.has("first_response_minutes"),
        "resolution": cols.has("resolved_at") or (cols.preset.closure_resolves and cols.has("closed_at")),
    }
    return sum(UNRECORDED_BITS[m] for m, ok in carried.items() if not ok)


def _resolved_at_closure(cols: _Cols, resolved: I64, closed: I64, notes: list[str], stats: dict[str, int]
                         ) -> I64:
    """Closed tickets (in a resolved status, or without a status column) with no resolution time:
    resolved at the latest when they closed."""
    take = (resolved == MISSING) & (closed != MISSING)
    if cols.has("status"):
        done = {s.lower() for s in cols.preset.resolved_statuses}
        st = pc.utf8_lower(cols.get("status"))
        take &= np.asarray(pc.is_in(st, value_set=pa.array(sorted(done), pa.string()))
                           .to_numpy(zero_copy_only=False), bool)
    k = int(take.sum())
    if not k:
        return resolved
    stats["resolved_from_closure"] = k
    col = cols.header.get("closed_at", "closed_at")
    notes.append(f"{k} closed ticket(s) carry no resolution time: resolved taken at closure ({col!r}), "
                 "the latest it can have been (their resolution compliance can only be better)")
    return np.where(take, closed, resolved)


def _status_log(cols: _Cols, order: DateOrder, tz: Any) -> ImportResult:
    raw = cols.raw
    n = raw.n_rows
    reasons = _Reasons(n)
    ids = _np_str(cols.get("ticket_id"))
    reasons.mark(cols.missing("ticket_id"), "ticket_id", "missing ticket id")
    d = _dates(cols, order, tz, reasons, ("at",))
    reasons.mark(d["at"] == MISSING, "at", "missing timestamp")
    reasons.mark(cols.missing("status"), "status", "missing status")
    keep = np.nonzero(~reasons.bad)[0]
    st, names = _encode_names(cols, "status", keep)
    log = StatusLog(np.zeros(len(keep), np.int64), d["at"][keep], st, names)
    rejected = _invalid_rows(raw) + _rejections(raw, reasons, ids)
    return ImportResult(cols.preset, raw.path, TicketTable.empty(), log, rejected, n, status_ids=ids[keep])


def attach_status_log(tickets: ImportResult, statuses: ImportResult) -> ImportResult:
    """Index a separately imported status log into the tickets of ``tickets``; rows of unknown tickets
    are rejected."""
    assert statuses.status_ids is not None
    index = {str(t): i for i, t in enumerate(tickets.tickets.ids)}
    tix = np.array([index.get(str(t), -1) for t in statuses.status_ids], dtype=np.int64)
    unknown = np.nonzero(tix < 0)[0]
    extra = []
    if len(unknown):
        extra = [Rejection(str(statuses.file), 0, str(statuses.status_ids[i]), "ticket_id",
                           "status row for a ticket not in the ticket file (or rejected there)")
                 for i in unknown.tolist()]
    ok = tix >= 0
    t, at, st = tix[ok], statuses.status_log.at[ok], statuses.status_log.status[ok]
    order = np.lexsort((at, t))
    log = StatusLog(t[order], at[order], st[order], statuses.status_log.status_names)
    tickets.status_log = log
    tickets.rejected = tickets.rejected + statuses.rejected + extra
    return tickets


# ------------------------------------------------------------------ event logs


def _event_log(cols: _Cols, order: DateOrder, tz: Any, progress: ProgressCallback | None,
               default_priority: str | None = None) -> ImportResult:
    raw = cols.raw
    pre = cols.preset
    n = raw.n_rows
    reasons = _Reasons(n)
    notes: list[str] = []
    ids = _np_str(cols.get("id"))
    reasons.mark(cols.missing("id"), "id", "missing ticket id")
    prio, unknown = _priorities(cols, default_priority)
    reasons.mark(unknown, "priority", lambda i: _priority_reason(cols, i))
    report(progress, 0.05, "parsing dates")
    d = _dates(cols, order, tz, reasons, ("updated_at", "opened_at", "resolved_at", "closed_at"))
    upd = d["updated_at"]
    reasons.mark(upd == MISSING, "updated_at", "missing update time")
    opened = d.get("opened_at")
    if opened is not None:
        reasons.mark(opened == MISSING, "opened_at", "missing opened_at")
    resolved = d.get("resolved_at", np.full(n, MISSING, np.int64))
    closed = d.get("closed_at", np.full(n, MISSING, np.int64))
    flags, bad_flag, flag_field = _flags(cols)
    report(progress, 0.4, "grouping updates by ticket")

    # ticket codes in order of first appearance
    enc = pc.dictionary_encode(cols.get("id"))
    code = np.asarray(enc.indices.to_numpy(zero_copy_only=False), np.int64)
    n_codes = len(enc.dictionary)
    seq = np.full(n, -1, np.int64)
    if cols.has("sequence"):
        s = cols.get("sequence")
        digits = np.asarray(pc.match_substring_regex(s, r"^\d{1,15}$").to_numpy(zero_copy_only=False), bool)
        seq[digits] = np.asarray(pc.cast(pc.filter(s, pa.array(digits)), pa.int64())
                                 .to_numpy(zero_copy_only=False), np.int64)
    rowno = np.arange(n, dtype=np.int64)
    srt = np.lexsort((rowno, upd, seq, code))
    c_s = code[srt]
    starts = np.flatnonzero(np.r_[True, c_s[1:] != c_s[:-1]]) if n else np.empty(0, np.int64)
    ends = np.r_[starts[1:], n] - 1 if n else np.empty(0, np.int64)
    tcode = c_s[starts]  # ticket code per group

    # a ticket is rejected at its first bad row (in file order)
    bad_row = reasons.bad
    bad_first = np.full(n_codes, -1, np.int64)
    if bad_row.any():
        bad_rows = np.flatnonzero(bad_row)
        uc, first_pos = np.unique(code[bad_rows], return_index=True)
        bad_first[uc] = bad_rows[first_pos]

    first_row, last_row = srt[starts], srt[ends]
    if opened is None:  # no opening column: the case opened at its first update
        t_open = upd[first_row]
        notes.append("no opening-time column: each case opened at its first update")
    else:
        t_open = opened[first_row]
    t_res = resolved[last_row]
    t_closed = closed[last_row]
    t_flag = flags[last_row]
    prio_s = prio[srt]
    if pre.priority_rule == "first":
        t_prio = prio[first_row]
    elif pre.priority_rule == "highest":
        worst = np.where(prio_s < 0, 99, prio_s)
        t_prio = np.minimum.reduceat(worst, starts).astype(np.int8) if n else prio[:0]
    else:
        t_prio = prio[last_row]

    # statuses along each ticket
    status = cols.get("status")
    st_missing = cols.missing("status")
    ignored = np.asarray(pc.is_in(status, value_set=pa.array(list(pre.ignore_statuses), pa.string()))
                         .to_numpy(zero_copy_only=False), bool) | st_missing
    st_enc = pc.dictionary_encode(status)
    st_code = np.asarray(st_enc.indices.to_numpy(zero_copy_only=False), np.int64)
    st_names = [str(x) for x in st_enc.dictionary.to_pylist()]
    is_new = np.isin(st_code, [i for i, s in enumerate(st_names) if s in pre.new_statuses])
    is_res = np.isin(st_code, [i for i, s in enumerate(st_names) if s in pre.resolved_statuses])

    kept = srt[~ignored[srt]]  # sorted rows with a real status
    kc = code[kept]
    ks = st_code[kept]
    change = np.r_[True, (kc[1:] != kc[:-1]) | (ks[1:] != ks[:-1])] if len(kept) else np.zeros(0, bool)
    srows = kept[change]
    # reopenings: a resolved state followed by an open one within the same ticket
    sr_code, sr_res = code[srows], is_res[srows]
    reopen_edge = np.r_[False, (sr_code[1:] == sr_code[:-1]) & sr_res[:-1] & ~sr_res[1:]] if len(srows) \
        else np.zeros(0, bool)
    reopened = np.zeros(n_codes, bool)
    reopened[sr_code[reopen_edge]] = True
    if cols.has("reopen_count"):
        rc = cols.get("reopen_count")
        pos = np.asarray(pc.match_substring_regex(rc, r"^0*[1-9]\d*$").to_numpy(zero_copy_only=False), bool)
        reopened[code[pos]] = True

    # resolution where the export gives none: entry into the final run of resolved states
    derived_res = _resolution_from_statuses(srows, code, is_res, upd, n_codes)
    fill = (t_res == MISSING) & (derived_res[tcode] != MISSING)
    t_res = np.where(fill, derived_res[tcode], t_res)

    # first response: first update no longer in a "new" state
    responded = kept[~is_new[kept]]
    fr = np.full(n_codes, MISSING, np.int64)
    fr_row = np.full(n_codes, -1, np.int64)
    if len(responded):
        uc, pos = np.unique(code[responded], return_index=True)
        fr[uc] = upd[responded[pos]]
        fr_row[uc] = responded[pos]

    # priority changes over each ticket's life
    pch = np.r_[False, (c_s[1:] == c_s[:-1]) & (prio_s[1:] != prio_s[:-1])] if n else np.zeros(0, bool)
    report(progress, 0.7, "checking tickets")

    # ticket-level checks, in group order
    g_open = t_open
    g_fr = fr[tcode]
    lines = None
    t_reason: dict[int, tuple[int, str, str]] = {}  # group -> (row, field, reason)
    for g, c in enumerate(tcode.tolist()):
        if bad_first[c] >= 0:
            r = int(bad_first[c])
            t_reason[g] = (r, str(reasons.field[r]), str(reasons.reason[r]))
    checks = (
        (t_res, "resolved_at", "resolved before opened", last_row),
        (t_closed, "closed_at", "closed before opened", last_row),
        (g_fr, "updated_at", "first response (first update out of New) before opened",
         np.where(fr_row[tcode] >= 0, fr_row[tcode], first_row)),
    )
    for col, fld, why, row_of in checks:
        bad = (col != MISSING) & (g_open != MISSING) & (col < g_open)
        for g in np.flatnonzero(bad).tolist():
            t_reason.setdefault(g, (int(row_of[g]), fld, why))
    unknown_final = t_prio < 0
    for g in np.flatnonzero(unknown_final).tolist():
        r = int(last_row[g])
        t_reason.setdefault(g, (r, "priority", _priority_reason(cols, r)))

    good_g = np.ones(len(tcode), bool)
    rejected = _invalid_rows(raw)
    if t_reason:
        lines = raw.lines()
        for g, (r, fld, why) in sorted(t_reason.items()):
            good_g[g] = False
            rejected.append(Rejection(str(raw.path), int(lines[r]), str(ids[r] or ""), fld, why))
    rejected.sort(key=lambda x: x.line)

    report(progress, 0.85, "building tables")
    gi = np.flatnonzero(good_g)
    new_index = np.full(n_codes, -1, np.int64)
    new_index[tcode[gi]] = np.arange(len(gi))
    lr = last_row[gi]
    cat, cat_names = _encode_names(cols, "category", lr)
    team, team_names = _encode_names(cols, "team", lr)
    derived = int(fill[gi].sum())
    if derived:
        notes.append(f"{derived} ticket(s) without a resolution time in the export: resolved when they "
                     f"entered their final {'/'.join(pre.resolved_statuses)} status")
    kept_rows = np.isin(code, tcode[gi])
    flag_stats: dict[str, int] = {}
    _unreadable_flags(cols, bad_flag & kept_rows, flag_field, notes, flag_stats)
    cancelled = _cancelled(cols, lr)  # by the ticket's last update
    _cancelled_note(cols, cancelled, notes, flag_stats)
    table = TicketTable(
        ids=ids[first_row[gi]], priority=t_prio[gi].astype(np.int8), opened=t_open[gi],
        first_response=fr[tcode[gi]], resolved=t_res[gi], closed=t_closed[gi],
        category=cat, category_names=cat_names, team=team, team_names=team_names,
        provider_sla_met=t_flag[gi], cancelled=cancelled,
    )
    s_t = new_index[code[srows]]
    ok = s_t >= 0
    s_rows = srows[ok]
    used, s_status = np.unique(st_code[s_rows], return_inverse=True)
    log = StatusLog(s_t[ok], upd[s_rows], s_status.reshape(-1).astype(np.int32),
                    tuple(st_names[i] for i in used.tolist()))
    # priority history rows (including each ticket's first priority)
    hist_rows = srt[np.r_[True, c_s[1:] != c_s[:-1]] | pch] if n else srt
    h_t = new_index[code[hist_rows]]
    hk = h_t >= 0
    changes = PriorityChanges(h_t[hk], upd[hist_rows[hk]], prio[hist_rows[hk]])
    changed_tickets = np.unique(new_index[code[srt[pch]]])
    stats = {
        "updates": int(n),
        "incidents": int(n_codes),
        "first_response_derived": int((table.first_response != MISSING).sum()),
        "priority_changed": int((changed_tickets >= 0).sum()),
        "reopened": int(reopened[tcode[gi]].sum()),
        "provider_verdicts": int((table.provider_sla_met >= 0).sum()),
    }
    if derived:
        stats["resolution_derived"] = derived
    stats.update(flag_stats)
    return ImportResult(pre, raw.path, table, log, rejected, n, notes=notes, stats=stats,
                        priority_changes=changes)


def _resolution_from_statuses(srows: I64, code: I64, is_res: Bool, upd: I64, n_codes: int) -> I64:
    """Per ticket code: when it entered the run of resolved states it ends in (MISSING when its last
    status is not a resolved one).  ``srows``: status-change rows sorted by ticket, then time."""
    out = np.full(n_codes, MISSING, np.int64)
    if not len(srows):
        return out
    sc, res = code[srows], is_res[srows]
    same = np.r_[False, sc[1:] == sc[:-1]]
    run_start = res & ~(same & np.r_[False, res[:-1]])
    start_pos = np.maximum.accumulate(np.where(run_start, np.arange(len(srows)), -1))
    last = np.flatnonzero(np.r_[sc[1:] != sc[:-1], True])
    ends_resolved = last[res[last] & (start_pos[last] >= 0)]
    out[sc[ends_resolved]] = upd[srows[start_pos[ends_resolved]]]
    return out
