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
    ``reopen_count`` above 0; ``resolved_at`` is the export's own (final) value;
  - ``closed_at`` and the ``made_sla`` verdict (-> ``provider_sla_met``) are
    taken from the last update.

  A ticket with any bad row (unparseable date, unknown priority) is rejected as a
  whole, reported at its first bad row.

Rejection reasons: missing ticket id, duplicate, unknown priority, missing or
unparseable date, an event before ``opened_at`` (``resolved before opened`` …),
a true/false flag that reads as neither, a row with the wrong number of fields.
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
from models.history import MISSING, StatusLog, TicketTable
from workbench.importing.dates import DateOrder, parse_timestamps, resolve_order, zone
from workbench.importing.presets import Preset, detect, get_preset, norm_header
from workbench.importing.read import RawTable, read_table
from workbench.progress import ProgressCallback, report, scaled

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]
DATE_FIELDS = ("opened_at", "first_response_at", "resolved_at", "closed_at", "updated_at", "at")


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

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "preset": self.preset.name,
            "tickets": len(self.tickets),
            "status_rows": len(self.status_log),
            "rejected": [r.to_json() for r in self.rejected],
        }
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


def _priorities(cols: _Cols) -> tuple[npt.NDArray[np.int8], Bool]:
    enc = pc.dictionary_encode(cols.get("priority")).combine_chunks() if isinstance(
        cols.get("priority"), pa.ChunkedArray) else pc.dictionary_encode(cols.get("priority"))
    names = enc.dictionary.to_pylist()
    lookup = np.array([
        PRIORITIES.index(m) if (m := cols.preset.map_priority(str(v))) is not None else -1 for v in names
    ] + [-1], dtype=np.int8)
    idx = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    codes = lookup[idx]
    return codes, codes < 0


def _flags(cols: _Cols) -> tuple[npt.NDArray[np.int8], Bool, str | None]:
    """provider_sla_met as -1/0/1 and a mask of unreadable values (and the field used)."""
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


def _dates(cols: _Cols, order: DateOrder, tz: Any, reasons: _Reasons, fields: tuple[str, ...]
           ) -> dict[str, I64]:
    out: dict[str, I64] = {}
    for fld in fields:
        if not cols.has(fld):
            continue
        miss = cols.missing(fld)
        parsed = parse_timestamps(cols.get(fld), miss, order, tz)
        values = cols.get(fld)
        reasons.mark(parsed.bad, fld, lambda i, v=values: f"unparseable date {v[i].as_py()!r}")
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


def import_file(
    path: str | Path,
    preset: str | Preset | None = None,
    tz: str | None = None,
    date_order: DateOrder | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Read and validate one export.  Raises :class:`ImportFailed` for a file that cannot be read at all
    (no preset matches, ambiguous dates, naive timestamps without ``tz``)."""
    from workbench.importing.dates import DateOrderError, TimezoneError
    from workbench.importing.presets import PresetError
    from workbench.importing.read import ReadError

    p = Path(path)
    report(progress, 0.0, f"reading {p.name}")
    try:
        raw = read_table(p)
    except ReadError as exc:
        raise ImportFailed(str(exc)) from exc
    report(progress, 0.3, "detecting the format")
    try:
        if isinstance(preset, Preset):
            chosen = preset
        elif preset:
            chosen = get_preset(preset)
        else:
            found, _ = detect(raw.headers)
            if found is None:
                raise ImportFailed(
                    f"{p}: no import preset matches the columns ({', '.join(raw.headers[:12])}"
                    f"{', …' if len(raw.headers) > 12 else ''}): pass --preset NAME or save a mapping"
                )
            chosen = found
        cols = _Cols(raw, chosen)
        zone_name = tz or chosen.timezone
        zi = zone(zone_name) if zone_name else None
        order = resolve_order(_date_columns(cols), date_order or chosen.date_order)
        sub = scaled(progress, 0.3, 1.0)
        if chosen.kind == "event_log":
            result = _event_log(cols, order, zi, sub)
        elif chosen.kind == "status_log":
            result = _status_log(cols, order, zi)
        else:
            result = _tickets(cols, order, zi, sub)
    except (DateOrderError, TimezoneError, PresetError) as exc:
        raise ImportFailed(f"{p}: {exc}") from exc
    result.notes[:0] = raw.notes
    report(progress, 1.0, "read")
    return result


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


def _tickets(cols: _Cols, order: DateOrder, tz: Any, progress: ProgressCallback | None) -> ImportResult:
    raw = cols.raw
    n = raw.n_rows
    reasons = _Reasons(n)
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
    prio, unknown = _priorities(cols)
    pvals = cols.get("priority")
    reasons.mark(unknown, "priority", lambda i: f"unknown priority {pvals[i].as_py()!r}")
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
            for i in np.nonzero(good)[0].tolist():
                try:
                    minutes[i] = float(vals[i].as_py())
                except ValueError:
                    reasons.mark(np.arange(n) == i, fld, f"not a number of minutes {vals[i].as_py()!r}")
        neg = good & (minutes < 0)
        reasons.mark(neg, fld, "negative first reply time")
        ok = good & np.isfinite(minutes) & (opened != MISSING) & ~neg
        first = np.where(ok, opened + np.round(np.nan_to_num(minutes) * 60).astype(np.int64), MISSING)
    resolved = d.get("resolved_at", np.full(n, MISSING, np.int64))
    closed = d.get("closed_at", np.full(n, MISSING, np.int64))
    has_open = opened != MISSING
    for name, col in (("first_response_at", first), ("resolved_at", resolved), ("closed_at", closed)):
        label = name.removesuffix("_at").replace("_", " ")
        reasons.mark(has_open & (col != MISSING) & (col < opened), name, f"{label} before opened")
    flags, bad_flag, flag_field = _flags(cols)
    if flag_field:
        fv = cols.get(flag_field)
        reasons.mark(bad_flag, flag_field, lambda i: f"not a true/false value {fv[i].as_py()!r}")
    report(progress, 0.6, "building the ticket table")
    keep = ~reasons.bad
    rows = np.nonzero(keep)[0]
    cat, cat_names = _encode_names(cols, "category", rows)
    team, team_names = _encode_names(cols, "team", rows)
    if len(rows) == n:  # every row kept: no copies
        table = TicketTable(
            ids=ids, priority=prio, opened=opened, first_response=first, resolved=resolved, closed=closed,
            category=cat, category_names=cat_names, team=team, team_names=team_names, provider_sla_met=flags,
        )
    else:
        table = TicketTable(
            ids=ids[rows], priority=prio[rows], opened=opened[rows], first_response=first[rows],
            resolved=resolved[rows], closed=closed[rows], category=cat, category_names=cat_names,
            team=team, team_names=team_names, provider_sla_met=flags[rows],
        )
    rejected = _invalid_rows(raw) + _rejections(raw, reasons, ids)
    rejected.sort(key=lambda r: r.line)
    return ImportResult(cols.preset, raw.path, table, StatusLog.empty(), rejected, n)


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


def _event_log(cols: _Cols, order: DateOrder, tz: Any, progress: ProgressCallback | None) -> ImportResult:
    raw = cols.raw
    pre = cols.preset
    n = raw.n_rows
    reasons = _Reasons(n)
    ids = _np_str(cols.get("id"))
    reasons.mark(cols.missing("id"), "id", "missing ticket id")
    prio, unknown = _priorities(cols)
    pvals = cols.get("priority")
    reasons.mark(unknown, "priority", lambda i: f"unknown priority {pvals[i].as_py()!r}")
    report(progress, 0.05, "parsing dates")
    d = _dates(cols, order, tz, reasons, ("updated_at", "opened_at", "resolved_at", "closed_at"))
    upd, opened = d["updated_at"], d["opened_at"]
    reasons.mark(upd == MISSING, "updated_at", "missing update time")
    reasons.mark(opened == MISSING, "opened_at", "missing opened_at")
    resolved = d.get("resolved_at", np.full(n, MISSING, np.int64))
    closed = d.get("closed_at", np.full(n, MISSING, np.int64))
    flags, bad_flag, flag_field = _flags(cols)
    if flag_field:
        fv = cols.get(flag_field)
        reasons.mark(bad_flag, flag_field, lambda i: f"not a true/false value {fv[i].as_py()!r}")
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
        t_reason.setdefault(g, (r, "priority", f"unknown priority {pvals[r].as_py()!r}"))

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
    table = TicketTable(
        ids=ids[first_row[gi]], priority=t_prio[gi].astype(np.int8), opened=t_open[gi],
        first_response=fr[tcode[gi]], resolved=t_res[gi], closed=t_closed[gi],
        category=cat, category_names=cat_names, team=team, team_names=team_names,
        provider_sla_met=t_flag[gi],
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
    return ImportResult(pre, raw.path, table, log, rejected, n, stats=stats, priority_changes=changes)
