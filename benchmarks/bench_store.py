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
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--orm-tickets", type=int, default=None)
    args = ap.parse_args()
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
