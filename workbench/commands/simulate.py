"""``sla-workbench simulate``: replay a ticket history under a contract version.

    sla-workbench simulate --contract C (--tickets T [--status-log S] | --workspace W)
                           [--backups B] [--restore-tests R] [--outages O]
                           [--as-of ISO] [--per-ticket] [--json]

When the history holds backups, restore tests or outages (the workspace's, or the
canonical CSV files of ``--backups/--restore-tests/--outages``, which replace the
workspace's records of their kind), the output adds ``"recovery"``: the contract's RPO,
RTO, restore-test cadence and uptime replayed on them
(:func:`workbench.engine.recovery_replay.replay_json`).  Without such records the
output is the ticket replay alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from models.contract import DAY_TARGET_WORDS, METRICS, Contract
from models.history import History, StatusLog, TicketTable
from workbench.app.asof import AS_OF_HELP, parse_as_of
from workbench.cli import CommandError
from workbench.commands._common import (
    UNCONFIRMED,
    add_version_option,
    read_contract_arg,
    require_file,
    stored_contract,
)


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
    for flag, what in RECORD_FILES.items():
        p.add_argument(flag, help=f"canonical {what} CSV (as `sla-workbench import` reads it): adds the "
                       "recovery replay; replaces the workspace's")
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


RECORD_FILES = {"--backups": "backups", "--restore-tests": "restore tests", "--outages": "outages"}


def _record_files(args: argparse.Namespace) -> dict[str, tuple[Any, ...]]:
    """The records of ``--backups/--restore-tests/--outages``, by kind; a file of another
    kind or with a rejected row is an error naming the file (and the row)."""
    from workbench.importing.core import ImportFailed
    from workbench.importing.records import read_records

    out: dict[str, tuple[Any, ...]] = {}
    for flag in RECORD_FILES:
        kind = flag[2:].replace("-", "_")
        path = getattr(args, kind)
        if not path:
            continue
        try:
            result = read_records(require_file(path))
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        if result.kind != kind:
            raise CommandError(f"{path}: holds {result.kind.replace('_', ' ')}, not {RECORD_FILES[flag]} "
                               f"(for {flag})")
        if result.rejected:
            more = f" (and {len(result.rejected) - 1} more rows)" if len(result.rejected) > 1 else ""
            raise CommandError(f"{result.rejected[0]}{more}")
        out[kind] = tuple(result.records)
    return out


def _tickets(
    args: argparse.Namespace, contract: Contract | None
) -> tuple[Contract, TicketTable, StatusLog | None, dict[str, tuple[Any, ...]]]:
    status_log_path = getattr(args, "status_log", None)
    records: dict[str, tuple[Any, ...]] = {}
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
            stored = ws.load_records()
            records = {"backups": stored.backups, "restore_tests": stored.restore_tests,
                       "outages": stored.outages}
            if contract is None:
                versions = ws.contract_versions()
                if not versions:
                    raise CommandError(f"{args.workspace}: no contract version; pass --contract")
                contract = versions[-1][1]
        finally:
            ws.close()
    if contract is None:
        raise CommandError("--contract is required with --tickets")
    return contract, tickets, log, records


def recovery_json(contract: Contract, tickets: TicketTable, log: StatusLog | None,
                  records: dict[str, tuple[Any, ...]], as_of: int | None) -> dict[str, Any] | None:
    """The ``"recovery"`` document when the records hold any backup, restore test or
    outage (as of ``as_of``, else the latest instant of the whole history); else None."""
    if not any(records.values()):
        return None
    from workbench.engine.recovery_replay import replay_json

    history = History(tickets=tickets, status_log=log if log is not None else StatusLog.empty(),
                      backups=records.get("backups", ()), restore_tests=records.get("restore_tests", ()),
                      outages=records.get("outages", ()))
    return replay_json(history, contract, as_of)


def run(args: argparse.Namespace) -> int:
    from workbench.engine.simulate import simulate

    first, unconfirmed = _contract(args)
    files = _record_files(args)
    contract, tickets, log, records = _tickets(args, first)
    records.update(files)
    as_of = parse_as_of(args.as_of) if args.as_of else None
    result = simulate(contract, tickets, log, as_of=as_of)
    recovery = recovery_json(contract, tickets, log, records, as_of)
    if args.json:
        out = result.to_json(per_ticket=args.per_ticket)
        if recovery is not None:
            out["recovery"] = recovery
        if unconfirmed:
            out["unconfirmed_terms"] = True
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    source = args.tickets or args.workspace
    if unconfirmed:
        print(UNCONFIRMED.format(file=args.contract))
    print(render_table(result, per_ticket=args.per_ticket, source=source, rows=bool(args.tickets)))
    if recovery is not None:
        print()
        print(render_recovery(recovery))
    return 0


def _hours(seconds: int | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f}h"


def render_recovery(doc: dict[str, Any]) -> str:
    """The recovery document as a few lines: per system, then per service."""
    lines = [f"recovery as of {doc['as_of']} (days and months in {doc['zone']})",
             f"{'system':32} {'RPO':>7} {'breaches':>8} {'days met':>11} {'RTO':>7} {'over':>5} "
             f"{'cadence':>8} {'missing':>7}"]
    for name, s in doc["systems"].items():
        r, t, c = s["rpo"], s["rto"], s["cadence"]
        days = f"{r['days_met']}/{r['days']}"
        cadence = "—" if c["cadence_seconds"] is None else f"{c['cadence_seconds'] // 86400}d"
        lines.append(f"{name[:32]:32} {_hours(r['rpo_seconds']):>7} {r['breaches']:>8} {days:>11} "
                     f"{_hours(t['rto_seconds']):>7} {t['over_rto']:>5} {cadence:>8} {c['missing']:>7}")
    for service, a in doc["availability"].items():
        lines.append(f"{service}: {a['breached_months']} of {len(a['months'])} month(s) below "
                     f"{100 * a['target']:g}%")
    credits = doc["uptime_credits"]
    if credits["total_percent"]:
        amount = "" if credits["total_amount"] is None else f" ({credits['total_amount']:.2f})"
        months = len(credits["by_month"])
        lines.append(f"uptime credits: {credits['total_percent']:g}% of the monthly fee over {months} "
                     f"month(s){amount}")
    return "\n".join(lines)




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
            target = DAY_TARGET_WORDS.get(x.target or "", x.target or "—")
            if not x.measured:
                cells.append(f"{target:>19} {'not measured':>31}")
                continue
            cells.append(
                f"{target:>19} {x.met:>7} {x.breached:>8} {x.pending:>7} {_pct(x.compliance):>7}"
            )
        lines.append(f"{p:4} {r.tickets:>8}  " + "  ".join(cells))
    for why in result.engine.not_measured.values():
        lines.append(f"not measured: {why}")
    for metric, k in result.engine.not_measured_tickets.items():
        lines.append(f"not measured: {k} ticket(s) from an export without a column for the {metric} event "
                     f"left out of {metric}")
    if result.issues:
        lines.append("")
        lines.append(f"{len(result.issues)} ticket(s) left out for bad data, e.g.:")
        for i in result.issues[:5]:
            lines.append(f"  {_where(result, i.ticket, source, rows)}: {i.field}: {i.reason}")
    if result.future:
        lines.append(f"{result.future} ticket(s) opened after as_of left out")
    cancelled = result.engine.cancelled
    if cancelled:
        per = ", ".join(f"{p} {k}" for p, k in cancelled.items())
        lines.append(f"{sum(cancelled.values())} cancelled ticket(s) left out of SLA compliance ({per})")
    if per_ticket:
        lines.append("")
        for row in result.ticket_rows():
            cells = [f"{m}={row[m]['outcome']}({row[m]['business_seconds']}/{row[m]['budget_seconds']})"
                     for m in METRICS]
            lines.append(f"{row['id']} {row['priority']} " + " ".join(cells))
    return "\n".join(lines)
