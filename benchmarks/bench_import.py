"""Import speed: a 1M-row canonical ticket CSV, and the whole ServiceNow event log, into a workspace.

Targets (issue 4): 1M tickets <= 10 s, the ServiceNow log (141,712 updates, 24,918
incidents) <= 30 s, both end to end (read, validate, write the workspace).  The
baseline, measured in the same run, is the naive way: ``pandas.read_csv`` +
``pd.to_datetime`` + SQLAlchemy ORM objects and ``session.add_all``; it is timed on a
sample (``--baseline-rows``) and extrapolated linearly to the full file.

    .venv/bin/python benchmarks/bench_import.py [--rows 1000000] [--baseline-rows 50000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import BigInteger, Boolean, Integer, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SN_ZIP = ROOT.parent / "shared" / "data" / "servicenow-uci" / "incident_event_log.zip"


def make_csv(path: Path, n: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    t0 = np.datetime64("2025-01-01T00:00:00", "s")
    opened = t0 + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]")
    resp = opened + rng.integers(60, 8 * 3600, n).astype("timedelta64[s]")
    res = resp + rng.integers(600, 5 * 86400, n).astype("timedelta64[s]")
    unresolved = rng.random(n) < 0.03

    def iso(a: np.ndarray) -> list[str | None]:
        return [s + "Z" for s in np.datetime_as_string(a, unit="s").tolist()]

    res_s = iso(res)
    res_s = [None if u else s for s, u in zip(res_s, unresolved.tolist(), strict=True)]
    table = pa.table({
        "id": [f"T{i:07d}" for i in range(n)],
        "priority": np.array(["P1", "P2", "P3", "P4"])[rng.integers(0, 4, n)].tolist(),
        "opened_at": iso(opened),
        "first_response_at": iso(resp),
        "resolved_at": pa.array(res_s, pa.string()),
        "category": np.array(["Email", "Network", "Hardware", "Access"])[rng.integers(0, 4, n)].tolist(),
        "team": np.array(["Helpdesk", "NOC", "SOC"])[rng.integers(0, 3, n)].tolist(),
        "provider_sla_met": np.array(["true", "false"])[(rng.random(n) < 0.1).astype(int)].tolist(),
    })
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "tickets"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(200), unique=True)
    priority: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[int] = mapped_column(BigInteger)
    first_response_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    resolved_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    category: Mapped[str | None] = mapped_column(String(200), nullable=True)
    team: Mapped[str | None] = mapped_column(String(200), nullable=True)
    provider_sla_met: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


def baseline(path: Path, rows: int, db: Path) -> float:
    """pandas.read_csv + ORM add_all of the first ``rows`` rows; seconds."""
    import pandas as pd

    engine = create_engine(f"sqlite:///{db}")
    Base.metadata.create_all(engine)
    t = time.perf_counter()
    df = pd.read_csv(path, nrows=rows, dtype=str, keep_default_na=False)

    def epoch(col: str) -> list[int | None]:
        s = pd.to_datetime(df[col].replace("", None), utc=True, format="ISO8601")
        return [None if pd.isna(x) else int(x.timestamp()) for x in s]

    opened, resp, res = epoch("opened_at"), epoch("first_response_at"), epoch("resolved_at")
    objs = [
        Row(ticket_id=r.id, priority=int(r.priority[1]) - 1, opened_at=o, first_response_at=f, resolved_at=z,
            category=r.category or None, team=r.team or None, provider_sla_met=r.provider_sla_met == "true")
        for r, o, f, z in zip(df.itertuples(index=False), opened, resp, res, strict=True)
    ]
    with Session(engine) as session:
        session.add_all(objs)
        session.commit()
    elapsed = time.perf_counter() - t
    engine.dispose()
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--baseline-rows", type=int, default=50_000)
    args = ap.parse_args()
    from workbench.importing.core import ImportResult
    from workbench.importing.workspace import import_into_workspace, read_export

    ok = True
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        csv_path = tmp / "tickets.csv"
        t = time.perf_counter()
        make_csv(csv_path, args.rows)
        print(f"generated {args.rows:,} tickets ({csv_path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        read_export(csv_path)
        parse_s = time.perf_counter() - t
        t, c = time.perf_counter(), time.process_time()
        res = import_into_workspace(tmp / "w.slawb", csv_path)
        ours, ours_cpu = time.perf_counter() - t, time.process_time() - c
        assert isinstance(res, ImportResult)  # a ticket export, not backup/outage/KPI records
        assert len(res.tickets) == args.rows and not res.rejected, res.to_json()["rejected"][:3]
        t, c = time.perf_counter(), time.process_time()
        res2 = import_into_workspace(tmp / "w.slawb", csv_path)  # re-import: update in place
        again, again_cpu = time.perf_counter() - t, time.process_time() - c
        assert isinstance(res2, ImportResult)
        assert len(res2.tickets) == args.rows

        sample = min(args.baseline_rows, args.rows)
        base_s = baseline(csv_path, sample, tmp / "orm.sqlite")
        base_full = base_s * args.rows / sample
        print(f"import {args.rows:,} canonical tickets into a new workspace: {ours:.2f} s "
              f"(CPU {ours_cpu:.2f} s; target <= 10 s: {'ok' if ours <= 10 else 'MISSED'}); "
              f"of which read+validate {parse_s:.2f} s, "
              f"workspace write ~{ours - parse_s:.2f} s; re-import (upsert): {again:.2f} s "
              f"(CPU {again_cpu:.2f} s)")
        print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        print(f"baseline pandas.read_csv + ORM add_all: {base_s:.2f} s for {sample:,} rows, "
              f"~{base_full:.1f} s extrapolated to {args.rows:,}")
        print(f"ratio baseline / ours: {base_full / ours:.1f}x")
        ok &= ours <= 10

        if SN_ZIP.is_file():
            with zipfile.ZipFile(SN_ZIP) as z:
                name = next(n for n in z.namelist() if n.endswith(".csv"))
                z.extract(name, tmp)
            t = time.perf_counter()
            sn = import_into_workspace(tmp / "sn.slawb", tmp / name, tz="UTC")
            sn_s = time.perf_counter() - t
            assert isinstance(sn, ImportResult)
            print(f"ServiceNow event log ({sn.rows_read:,} updates, {sn.stats['incidents']:,} incidents -> "
                  f"{len(sn.tickets):,} tickets, {len(sn.status_log):,} status rows, "
                  f"{len(sn.rejected)} rejected): {sn_s:.2f} s (target <= 30 s: "
                  f"{'ok' if sn_s <= 30 else 'MISSED'})")
            ok &= sn_s <= 30
        else:
            print(f"ServiceNow log not found at {SN_ZIP}: skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
