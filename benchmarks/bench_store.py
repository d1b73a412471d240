"""Benchmark of the workspace store's bulk write and columnar read.

Writes N tickets (default 1,000,000) into a fresh SQLite workspace three ways and
prints each time with its ratio to the baseline measured in the same run:

* ``Workspace.upsert_tickets`` (what the app does): Core statements compiled once,
  DBAPI ``executemany`` of multi-row INSERTs over chunks of tuples, one transaction;
* Core ``conn.execute(insert(tickets), list_of_dicts)`` in chunks (plain Core);
* baseline: the ORM, ``session.add_all(objects)`` then one commit.

Then the read back into numpy columns (``Workspace.load_tickets``).  Status rows are
left out so the three writes do the same work.

    .venv/bin/python benchmarks/bench_store.py [--tickets 1000000] [--orm-tickets N]

``--orm-tickets`` runs the (slow) ORM baseline on fewer tickets; its time is then
scaled linearly to N and marked as such.

``--load`` instead times the path the GUI's database thread takes to open a
workspace (default: the demo, 20k tickets and 35k backups, built in a temporary
folder; ``--workspace PATH`` for another), each run in a fresh interpreter so
imports are paid as at startup: import of the store, ``Workspace.open``,
``contract_versions``, ``load_tickets``, ``load_records``, and whether Alembic or
pandas got imported.  Baselines measured in the same interpreter: the revision
check through Alembic's script directory (what ``open`` did before), and the
records as SQLAlchemy ``Row`` objects turned into validated models (what
``load_history`` did before).

    .venv/bin/python benchmarks/bench_store.py --load [--workspace PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fixtures")]

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session, registry  # noqa: E402
from synthetic import big_history  # noqa: E402

from models.history import StatusLog  # noqa: E402
from models.store import TICKET_FIELDS, Workspace, _ticket_columns, t_tickets  # noqa: E402


class TicketRow:  # ORM class for the baseline only
    pass


LOAD_CHILD = r"""
import sys, time
sys.path.insert(0, {root!r})
import models.contract, models.history, workbench.progress  # loaded before the store in the app too
t = [time.perf_counter()]
import models.store as store
t.append(time.perf_counter())
ws = store.Workspace.open({path!r})
t.append(time.perf_counter())
versions = ws.contract_versions()
t.append(time.perf_counter())
tickets, log = ws.load_tickets()
t.append(time.perf_counter())
records = ws.load_records()
t.append(time.perf_counter())
imported = [m for m in ("alembic", "pandas") if m in sys.modules]

# baselines, same interpreter: the revision check through Alembic (import included) ...
b0 = time.perf_counter()
from alembic.script import ScriptDirectory
script = ScriptDirectory(str(store.MIGRATIONS_DIR))
known = {{str(r.revision) for r in script.walk_revisions()}}
assert ws.revision in known and script.get_current_head() == ws.revision
b1 = time.perf_counter()
# ... and the records as Row objects turned into validated models
from datetime import UTC, datetime
from sqlalchemy import select
from models.history import BackupJob, KpiSnapshot, Outage, RestoreTest
def rows(table):
    with ws.engine.connect() as conn:
        return conn.execute(select(table).order_by(table.c.id)).all()
dt = lambda v: datetime.fromtimestamp(int(v), tz=UTC)
old = (
    [BackupJob(system=r.system, finished_at=dt(r.finished_at), success=bool(r.success), location=r.location)
     for r in rows(store.t_backups)],
    [RestoreTest(system=r.system, started_at=dt(r.started_at), finished_at=dt(r.finished_at),
                 success=bool(r.success)) for r in rows(store.t_restores)],
    [Outage(service=r.service, start=dt(r.start_at), end=dt(r.end_at), maintenance=bool(r.maintenance))
     for r in rows(store.t_outages)],
    [KpiSnapshot(month=r.month, patch_compliance=r.patch_compliance, threats_detected=r.threats_detected,
                 threats_resolved=r.threats_resolved, endpoints_managed=r.endpoints_managed)
     for r in rows(store.t_kpis)],
)
b2 = time.perf_counter()
assert tuple(old[0]) == records.backups and tuple(old[3]) == records.kpis
print(repr(dict(
    steps=[b - a for a, b in zip(t, t[1:])], revisions_alembic=b1 - b0, records_validated=b2 - b1,
    imported=imported, tickets=len(tickets), status=len(log), backups=len(records.backups),
    versions=len(versions),
)))
"""

LOAD_STEPS = ("import models.store", "Workspace.open", "contract_versions", "load_tickets", "load_records")


def load_path(workspace: Path | None, runs: int) -> None:
    import ast

    with tempfile.TemporaryDirectory() as tmp:
        if workspace is None:
            from workbench.demo.generator import build_demo_workspace

            workspace = build_demo_workspace(Path(tmp) / "demo.slawb")
        code = LOAD_CHILD.format(root=str(ROOT), path=str(workspace))
        results = []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            results.append(ast.literal_eval(out.stdout.strip().splitlines()[-1]))
    first = results[0]
    med = [statistics.median(r["steps"][i] for r in results) for i in range(len(LOAD_STEPS))]
    print(f"{workspace.name}: {first['tickets']:,} tickets, {first['status']:,} status rows, "
          f"{first['backups']:,} backups, {first['versions']} contract versions; "
          f"median of {runs} fresh interpreters")
    for name, sec in zip(LOAD_STEPS, med, strict=True):
        print(f"  {name:<58} {sec:6.3f} s")
    print(f"  {'total to tickets (import, open, versions, tickets)':<58} {sum(med[:4]):6.3f} s")
    print(f"  {'total with the records':<58} {sum(med):6.3f} s")
    print(f"  imported along the way: {', '.join(first['imported']) or 'neither alembic nor pandas'}")
    rev = statistics.median(r["revisions_alembic"] for r in results)
    old = statistics.median(r["records_validated"] for r in results)
    print(f"  {'baseline: revision check via Alembic (import included)':<58} {rev:6.3f} s  "
          f"{rev / med[1]:5.1f}x the whole open")
    print(f"  {'baseline: records as Rows -> validated models':<58} {old:6.3f} s  "
          f"{old / med[4]:5.1f}x load_records")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--orm-tickets", type=int, default=None)
    ap.add_argument("--load", action="store_true", help="time the open/load path instead of the bulk write")
    ap.add_argument("--workspace", type=Path, default=None, help="with --load: this workspace, not the demo")
    ap.add_argument("--runs", type=int, default=5,
                    help="with --load: fresh interpreters to take the median of")
    args = ap.parse_args()
    if args.load:
        load_path(args.workspace, args.runs)
        return
    n = args.tickets
    n_orm = args.orm_tickets or n

    tickets = big_history(n, seed=1).tickets
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        # the store's own path
        with Workspace.create(folder / "store.slawb") as ws:
            t0 = time.perf_counter()
            ws.upsert_tickets(tickets, StatusLog.empty())
            results["store upsert_tickets (Core, multi-row executemany)"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            back, _ = ws.load_tickets()
            load = time.perf_counter() - t0
            assert len(back) == n

        # plain Core with dicts
        with Workspace.create(folder / "core.slawb") as ws:
            t0 = time.perf_counter()
            cols = _ticket_columns(tickets)
            keys = ("ticket_id", *TICKET_FIELDS)
            with ws.engine.begin() as conn:
                for a in range(0, n, 10_000):
                    b = min(n, a + 10_000)
                    rows = [{"source": "default", **{k: cols[k][i] for k in keys}} for i in range(a, b)]
                    conn.execute(insert(t_tickets), rows)
            results["Core insert(), list of dicts"] = time.perf_counter() - t0

        # ORM baseline
        reg = registry()
        reg.map_imperatively(TicketRow, t_tickets)
        with Workspace.create(folder / "orm.slawb") as ws:
            t0 = time.perf_counter()
            cols = _ticket_columns(tickets)
            objs = []
            for i in range(n_orm):
                o = TicketRow()
                o.source = "default"  # type: ignore[attr-defined]
                for k in ("ticket_id", *TICKET_FIELDS):
                    setattr(o, k, cols[k][i])
                objs.append(o)
            with Session(ws.engine) as session:
                session.add_all(objs)
                session.commit()
            orm = (time.perf_counter() - t0) * (n / n_orm)
        reg.dispose()
        scaled = "" if n_orm == n else f" (measured on {n_orm:,}, scaled to {n:,})"
        results[f"baseline: ORM add_all{scaled}"] = orm

    print(f"SQLite workspace, {n:,} tickets, one transaction each")
    for name, sec in results.items():
        print(f"  {name:<60} {sec:8.2f} s  {n / sec:>10,.0f} rows/s  {orm / sec:5.1f}x vs ORM")
    print(f"  {'load_tickets -> numpy columns':<60} {load:8.2f} s  {n / load:>10,.0f} rows/s")


if __name__ == "__main__":
    main()
