"""``sla-workbench simulate``: replay a ticket history under a contract version.

    sla-workbench simulate --contract C (--tickets T [--status-log S] | --workspace W)
                           [--as-of ISO] [--per-ticket] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from models.contract import METRICS, Contract
from models.history import StatusLog, TicketTable
from workbench.app.asof import AS_OF_HELP, parse_as_of
from workbench.cli import CommandError
from workbench.commands._common import UNCONFIRMED, add_version_option, read_contract_arg, stored_contract


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("simulate", help="replay a ticket history under a contract version",
                       description="Replay a ticket history under a contract's SLA clock.")
    p.add_argument("--contract", help="contract file (YAML or JSON) or document (txt/md/docx/pdf: its "
                   "extracted terms, unconfirmed); with --workspace, defaults to the workspace's latest "
                   "contract version")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--tickets", help="canonical tickets.csv")
    src.add_argument("--workspace", help="workspace (.slawb file or database URL)")
    p.add_argument("--status-log", help="canonical status_log.csv (with --tickets)")
    p.add_argument("--as-of", help=f"{AS_OF_HELP} (default: the latest instant in the data)")
    add_version_option(p)
    p.add_argument("--per-ticket", action="store_true", help="include every ticket's outcome")
    p.add_argument("--json", action="store_true", help="print JSON (interfaces.md)")
    p.set_defaults(run=run)


def _contract(args: argparse.Namespace) -> tuple[Contract | None, bool]:
    """The contract of ``--contract`` or ``--version`` (None: the workspace's latest), and
    whether its terms are unconfirmed (extracted from a document)."""
    if args.contract and args.contract_version:
        raise CommandError("give --contract FILE or --version VERSION, not both")
    if args.contract_version:
        return stored_contract(args.workspace, args.contract_version)[1], False
    if args.contract:
        read = read_contract_arg(args.contract)
        return read.contract, read.extracted
    return None, False


def _tickets(
    args: argparse.Namespace, contract: Contract | None
) -> tuple[Contract, TicketTable, StatusLog | None]:
    status_log_path = getattr(args, "status_log", None)
    if args.tickets:
        from workbench.importing.canonical_csv import CsvError, read_tickets_csv

        try:
            tickets, log = read_tickets_csv(args.tickets, status_log_path)
        except CsvError as exc:
            raise CommandError(str(exc)) from None
    else:
        if status_log_path:
            raise CommandError("--status-log goes with --tickets (a workspace holds its status log)")
        from models.store import Workspace, WorkspaceError

        try:
            ws = Workspace.open(args.workspace, upgrade=False)
        except WorkspaceError as exc:
            raise CommandError(str(exc)) from None
        try:
            tickets, log = ws.load_tickets()
            if contract is None:
                versions = ws.contract_versions()
                if not versions:
                    raise CommandError(f"{args.workspace}: no contract version; pass --contract")
                contract = versions[-1][1]
        finally:
            ws.close()
    if contract is None:
        raise CommandError("--contract is required with --tickets")
    return contract, tickets, log


def run(args: argparse.Namespace) -> int:
    from workbench.engine.simulate import simulate

    first, unconfirmed = _contract(args)
    contract, tickets, log = _tickets(args, first)
    as_of = parse_as_of(args.as_of) if args.as_of else None
    result = simulate(contract, tickets, log, as_of=as_of)
    if args.json:
        out = result.to_json(per_ticket=args.per_ticket)
        if unconfirmed:
            out["unconfirmed_terms"] = True
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    source = args.tickets or args.workspace
    if unconfirmed:
        print(UNCONFIRMED.format(file=args.contract))
    print(render_table(result, per_ticket=args.per_ticket, source=source, rows=bool(args.tickets)))
    return 0


TARGET_WORDS = {"same_business_day": "same business day", "next_business_day": "next business day"}


def _pct(v: float | None) -> str:
    return "   n/a" if v is None else f"{100 * v:5.1f}%"


def _where(result: Any, ticket: str, source: str | None, rows: bool) -> str:
    """Where a left-out ticket is: ``file:line: ticket ID`` for a canonical CSV (its rows
    are read in order), ``workspace: ticket ID`` for a workspace."""
    if source is None:
        return ticket
    if rows:
        at = np.flatnonzero(result.engine.tickets.ids == ticket)
        if len(at):
            return f"{source}:{int(at[0]) + 2}: ticket {ticket}"
    return f"{source}: ticket {ticket}"


def render_table(result: Any, per_ticket: bool = False, source: str | None = None, rows: bool = False) -> str:
    c = result.contract
    lines = [f"{c.name} — {c.version}", f"as of {result.as_of.isoformat()}", ""]
    head = f"{'':4} {'tickets':>8}  " + "  ".join(
        f"{m + ' target':>19} {'met':>7} {'breached':>8} {'pending':>7} {'compl.':>7}" for m in METRICS)
    lines.append(head)
    for p, r in result.by_priority.items():
        cells = []
        for m in METRICS:
            x = r.metric(m)
            target = TARGET_WORDS.get(x.target or "", x.target or "—")
            if not x.measured:
                cells.append(f"{target:>19} {'not measured':>31}")
                continue
            cells.append(
                f"{target:>19} {x.met:>7} {x.breached:>8} {x.pending:>7} {_pct(x.compliance):>7}"
            )
        lines.append(f"{p:4} {r.tickets:>8}  " + "  ".join(cells))
    for why in result.engine.not_measured.values():
        lines.append(f"not measured: {why}")
    if result.issues:
        lines.append("")
        lines.append(f"{len(result.issues)} ticket(s) left out for bad data, e.g.:")
        for i in result.issues[:5]:
            lines.append(f"  {_where(result, i.ticket, source, rows)}: {i.field}: {i.reason}")
    if result.future:
        lines.append(f"{result.future} ticket(s) opened after as_of left out")
    if per_ticket:
        lines.append("")
        for row in result.ticket_rows():
            cells = [f"{m}={row[m]['outcome']}({row[m]['business_seconds']}/{row[m]['budget_seconds']})"
                     for m in METRICS]
            lines.append(f"{row['id']} {row['priority']} " + " ".join(cells))
    return "\n".join(lines)
