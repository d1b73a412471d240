"""``sla-workbench demo``: the bundled demo (Lakeshore Dental Group).

* ``sla-workbench demo --out DIR [--seed N]`` regenerates the demo files
  (contracts and history CSVs) into DIR; with the default seed the output equals
  the bundled ``resources/demo`` files byte for byte.
* ``sla-workbench demo --workspace PATH`` builds a demo workspace at PATH (or
  reuses the demo workspace already there).
* ``sla-workbench demo`` builds or reuses the demo workspace in the user data
  folder and prints its path.
"""

from __future__ import annotations

import argparse
import sys

from workbench.cli import CommandError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="regenerate the demo files or build the demo workspace",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="DIR", help="write the demo files (contracts, CSVs) into DIR")
    where.add_argument("--workspace", metavar="PATH", help="build (or reuse) a demo workspace at PATH")
    p.add_argument("--seed", type=int, default=None, help="random seed of the history (with --out)")
    p.add_argument("--tickets", type=int, default=None, metavar="N",
                   help="number of tickets to draw (with --out; default 20000)")
    p.set_defaults(run=run)


def _progress(fraction: float, message: str) -> None:
    print(f"\r{int(fraction * 100):3d}% {message:<40}", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from workbench.demo import generator as demo

    if args.out is None and (args.seed is not None or args.tickets is not None):
        raise CommandError("--seed and --tickets go with --out")
    if args.out is not None:
        if args.tickets is not None and args.tickets < 1:
            raise CommandError(f"--tickets {args.tickets}: must be at least 1")
        seed = demo.DEMO_SEED if args.seed is None else args.seed
        n = demo.N_TICKETS if args.tickets is None else args.tickets
        try:
            paths = demo.generate(args.out, seed=seed, n_tickets=n)
        except OSError as exc:
            raise CommandError(f"{args.out}: cannot write: {exc.strerror or exc}") from None
        for p in paths:
            print(p)
        return 0

    from models.store import WorkspaceError

    tty = sys.stderr.isatty()
    try:
        path = demo.ensure_demo_workspace(args.workspace, progress=_progress if tty else None)
    except WorkspaceError as exc:
        raise CommandError(str(exc)) from None
    finally:
        if tty:
            print(file=sys.stderr)
    print(path)
    return 0
