"""Backups, restore tests, outages and monthly KPI snapshots from CSV (canonical columns).

========================  ===========================================================
file                      columns (header row; timestamps ISO 8601, naive ones need --tz)
========================  ===========================================================
backups                   ``system, finished_at, success[, location]``
                          (location: cloud, on-prem, hybrid; default on-prem)
restore tests             ``system, started_at, finished_at, success``
outages                   ``service, start, end[, maintenance]``
KPI snapshots             ``month, patch_compliance, threats_detected, threats_resolved,
                          endpoints_managed`` (month: ``2026-03-01`` or ``2026-03``)
========================  ===========================================================

Every row is validated; bad rows are rejected with file, line, field and reason like
ticket rows.  Imported into a workspace, the records of the file's kind replace those
of the same kind in the data source (other kinds and the tickets are kept), in one
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from pydantic import ValidationError

from models.history import MISSING, BackupJob, History, KpiSnapshot, Outage, RestoreTest
from models.limits import EARLIEST_DATE, EARLIEST_YEAR, LATEST_DATE, LATEST_YEAR
from workbench.importing.core import ImportFailed, Rejection, date_problem, one_line
from workbench.importing.dates import DateOrderError, TimezoneError, parse_timestamps, resolve_order, zone
from workbench.importing.presets import norm_header
from workbench.importing.read import ReadError, read_table

KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], type[Any]]] = {
    # kind: (required columns, optional columns, row model)
    "backups": (("system", "finished_at", "success"), ("location",), BackupJob),
    "restore_tests": (("system", "started_at", "finished_at", "success"), (), RestoreTest),
    "outages": (("service", "start", "end"), ("maintenance",), Outage),
    "kpis": (("month",), ("patch_compliance", "threats_detected", "threats_resolved", "endpoints_managed"),
             KpiSnapshot),
}
# what a row of each kind is, in messages ("backup db: success: …", not "ticket db")
RECORD_NAMES = {
    "backups": "backup", "restore_tests": "restore test", "outages": "outage", "kpis": "KPI month",
}
TIME_COLUMNS = ("finished_at", "started_at", "start", "end")
TRUE = {"true", "yes", "y", "1", "t"}
FALSE = {"false", "no", "n", "0", "f"}


def kind_of(headers: list[str]) -> str | None:
    have = {norm_header(h) for h in headers}
    best, best_n = None, 0
    for kind, (req, opt, _) in KINDS.items():
        if all(norm_header(c) in have for c in req):
            n = len(req) + sum(norm_header(c) in have for c in opt)
            if n > best_n:
                best, best_n = kind, n
    # a ticket file never holds these exact columns; KPI files must hold more than a month
    if best == "kpis" and not any(norm_header(c) in have for c in KINDS["kpis"][1]):
        return None
    return best


def sniff_kind(path: str | Path) -> str | None:
    """The record kind of a CSV from its header line (cheap), or None."""
    import csv
    import io

    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):
        return None
    text = head.decode("utf-8-sig", errors="replace").splitlines()
    if not text:
        return None
    try:
        row = next(csv.reader(io.StringIO(text[0]), delimiter=max(",;\t|", key=text[0].count)))
    except (StopIteration, csv.Error):
        return None
    return kind_of(row)


@dataclass
class RecordsResult:
    kind: str
    file: Path
    records: list[Any] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"preset": f"canonical-{self.kind.replace('_', '-')}", "kind": self.kind,
                "records": len(self.records), "tickets": 0, "status_rows": 0,
                "rejected": [r.to_json() for r in self.rejected]}


def read_records(path: str | Path, tz: str | None = None) -> RecordsResult:
    p = Path(path)
    try:
        raw = read_table(p)
    except ReadError as exc:
        raise ImportFailed(str(exc)) from exc
    kind = kind_of(raw.headers)
    if kind is None:
        raise ImportFailed(f"{p}: not a backups, restore tests, outages or KPI file (columns: "
                           f"{', '.join(raw.headers[:10])})")
    req, opt, model = KINDS[kind]
    by_norm = {norm_header(h): h for h in raw.headers}
    cols = {c: raw.columns[by_norm[norm_header(c)]] for c in req + opt if norm_header(c) in by_norm}
    n = raw.n_rows
    lines = raw.lines()
    times: dict[str, np.ndarray] = {}
    bad_time: dict[str, np.ndarray] = {}
    outside: dict[str, Any] = {}
    months: dict[date, int] = {}  # KPI month -> the line that gave it
    try:
        zi = zone(tz) if tz else None
        tcols = [c for c in TIME_COLUMNS if c in cols]
        order = resolve_order([cols[c] for c in tcols], None)
        for c in tcols:
            vals = cols[c]
            miss = np.asarray(pa.compute.equal(pa.compute.utf8_trim_whitespace(vals), "")
                              .to_numpy(zero_copy_only=False), bool)
            parsed = parse_timestamps(vals, miss, order, zi)
            times[c], bad_time[c] = parsed.values, parsed.bad | miss
            outside[c] = parsed.out_of_range
    except (DateOrderError, TimezoneError) as exc:
        raise ImportFailed(f"{p}: {exc}") from exc
    out = RecordsResult(kind, p)
    text = {c: [str(x).strip() for x in v.to_pylist()] for c, v in cols.items()}
    for i in range(n):
        line = int(lines[i])
        label = text[req[0]][i]
        data: dict[str, Any] = {}
        problem: tuple[str, str] | None = None
        for c in req + opt:
            if c not in cols:
                continue
            v = text[c][i]
            if c in times:
                if bad_time[c][i] or times[c][i] == MISSING:
                    problem = (c, "missing date" if v == "" else date_problem(v, outside[c], i))
                    break
                data[c] = datetime.fromtimestamp(int(times[c][i]), UTC)
            elif c in ("success", "maintenance"):
                if v.lower() in TRUE or v.lower() in FALSE:
                    data[c] = v.lower() in TRUE
                elif v == "" and c == "maintenance":
                    continue
                else:
                    problem = (c, f"not a true/false value {v!r}")
                    break
            elif c == "month":
                try:
                    d = date.fromisoformat(v if len(v) > 7 else v + "-01")
                    data[c] = d.replace(day=1)
                except ValueError:
                    problem = (c, f"not a month {v!r} (use 2026-03 or 2026-03-01)")
                    break
                if not EARLIEST_DATE <= data[c] <= LATEST_DATE:
                    problem = (c, f"month {v!r} is outside the supported range {EARLIEST_YEAR}-{LATEST_YEAR}")
                    break
                if data[c] in months:
                    problem = (c, f"month {v!r} given twice (first on line {months[data[c]]})")
                    break
                months[data[c]] = line
            elif v != "":
                data[c] = v
        if problem is None:
            try:
                rec = model(**data)
            except ValidationError as exc:
                err = exc.errors()[0]
                problem = (".".join(str(x) for x in err["loc"]) or "(row)", one_line(err["msg"]))
            else:
                if kind == "restore_tests" and rec.finished_at < rec.started_at:
                    problem = ("finished_at", "finished before started")
                elif kind == "outages" and rec.end < rec.start:
                    problem = ("end", "ends before it starts")
                else:
                    out.records.append(rec)
        if problem is not None:
            out.rejected.append(Rejection(str(p), line, label, problem[0], problem[1], RECORD_NAMES[kind]))
    return out


def merge_records(history: History, result: RecordsResult) -> History:
    """``history`` with the records of ``result.kind`` replaced by the file's."""
    from dataclasses import replace

    records: Any = tuple(result.records)
    return replace(history, **{result.kind: records})
