"""``sla-workbench audit``: check the provider's own SLA verdicts against the clock."""

from __future__ import annotations

import argparse
import json
from typing import Any

from workbench.app.asof import AS_OF_HELP, parse_as_of
from workbench.cli import CommandError
from workbench.commands._common import (
    UNCONFIRMED,
    add_version_option,
    open_workspace,
    read_contract_arg,
    stored_contract,
)
from workbench.commands.import_ import add_mapping_options, preset_from_args


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "audit",
        help="check the provider's SLA verdicts (provider_sla_met) against the clock",
        description="Agreement of the provider tool's own SLA flags with our clock under the contract "
        "(per priority, with the disagreeing tickets), and the clock (metric, calendar, per-priority "
        "targets) that best reproduces the flags.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--workspace", metavar="W", help="workspace holding the imported tickets")
    src.add_argument("--tickets", metavar="T", help="a ticket export (any import preset)")
    p.add_argument("--status-log", metavar="S", help="with --tickets: a canonical status log")
    p.add_argument("--tz", help="with --tickets: time zone of timestamps without an offset")
    add_mapping_options(p, "with --tickets: ")
    p.add_argument("--contract", metavar="C", help="contract file or document (its extracted terms, "
                   "unconfirmed); default: the workspace's latest version")
    add_version_option(p)
    p.add_argument("--as-of", help=AS_OF_HELP + " (default: the latest instant in the data)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.engine.audit import NEVER_MET, TRIVIAL, audit

    if args.contract and args.contract_version:
        raise CommandError("give --contract C or --version VERSION, not both")
    contract = None
    unconfirmed = False
    if args.contract_version:
        contract = stored_contract(args.workspace, args.contract_version)[1]
    elif args.contract:
        read = read_contract_arg(args.contract)
        contract, unconfirmed = read.contract, read.extracted
    as_of = parse_as_of(args.as_of) if args.as_of else None
    data_zone = args.tz
    if args.workspace:
        with open_workspace(args.workspace, upgrade=True) as ws:
            history = ws.load_history()
            if contract is None:
                versions = ws.contract_versions()
                if versions:
                    contract = versions[-1][1]
            data_zone = data_zone or _import_zone(ws)
        tickets, log = history.tickets, history.status_log
    else:
        from workbench.importing.core import ImportFailed
        from workbench.importing.workspace import read_export

        try:
            res = read_export(args.tickets, preset=preset_from_args(args), tz=args.tz,
                              date_order=args.date_order, status_log=args.status_log, sheet=args.sheet,
                              default_priority=args.default_priority)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        tickets, log = res.tickets, res.status_log
    result = audit(tickets, log, contract, as_of, data_zone=data_zone)
    if result.tickets_with_flag == 0:
        raise CommandError("no ticket carries the provider's SLA verdict (provider_sla_met): nothing to audit"
                           )
    if result.audited == 0:
        raise CommandError(f"all {result.tickets_with_flag} tickets with the provider's verdict are still "
                           "open: nothing to audit yet (pass --as-of a later instant, or import newer data)")
    out = result.to_json()
    if unconfirmed:
        out["unconfirmed_terms"] = True
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    if unconfirmed:
        print(UNCONFIRMED.format(file=args.contract))
    print(f"tickets with the provider's verdict: {result.tickets_with_flag} ({result.provider_met} met)")
    if result.open_tickets:
        print(f"left out: {result.open_tickets} still open (their verdict is provisional); "
              f"{result.audited} audited")
    if result.cancelled_tickets:
        print(f"left out: {result.cancelled_tickets} cancelled (the tool cancelled their SLAs)")
    if contract is None:
        why = "no contract version in the workspace; " if args.workspace else ""
        print(f"agreement under a contract: not measured ({why}pass --contract C)")
    if result.agreement_under_contract is not None:
        print(f"agreement under {result.contract_name}: {result.agreement_under_contract:.1%}")
        for p, a in result.by_priority.items():
            print(f"  {p}: {a.agreement:.1%} of {a.tickets} ({a.undecided} undecided)")
    if result.best is not None:
        b = result.best
        targets = ", ".join(
            f"{p} never met (no {p} ticket met any target in the provider's verdicts)"
            if t == NEVER_MET
            else f"{p} {t}"
            for p, t in b.targets.items()
        )
        if b.metric == TRIVIAL:
            print(f"best explanation: none better than the trivial rule '{b.targets_rule}': "
                  f"{b.agreement:.1%} agreement (no clock reproduces the provider's verdicts)")
        else:
            print(f"best explanation: {b.metric} on {b.calendar}{' with pauses' if b.pauses else ''}, "
                  f"targets {targets}: {b.agreement:.1%} agreement")
    base = ", ".join(f"{x.targets_rule} {x.agreement:.1%}" for x in result.baselines)
    if base:
        print(f"trivial rules: {base}; zones searched: {', '.join(result.zones)}")
    return 0


def _import_zone(ws: Any) -> str | None:
    """The zone the latest ticket import read its naive timestamps in (None when not recorded)."""
    for src in reversed(ws.data_sources()):
        zone = (src.details or {}).get("timezone")
        if zone:
            return str(zone)
    return None
