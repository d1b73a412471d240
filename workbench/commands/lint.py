"""``sla-workbench lint``: check a contract file or contract document for warning signs.

    sla-workbench lint CONTRACT [--tickets T [--status-log S] | --workspace W]
                       [--as-of DATE|ISO] [--mandate NAME ...] [--json]

CONTRACT is a contract file (.yaml/.yml/.json) or a document (.txt, .md, .html, .adoc, .docx, .pdf).
History (tickets, or a workspace's full history with backups and restore tests)
enables the history checks W08, W09, W16 and the W18 extension.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from workbench.app.asof import AS_OF_HELP, parse_as_of
from workbench.cli import CommandError
from workbench.commands._common import add_version_option, load_history, require_file, stored_contract
from workbench.documents.extract import extract, is_sla
from workbench.documents.reader import Document, DocumentError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "lint",
        help="check a contract or contract document for warning signs",
        description="Check a contract file or document against the warning-sign catalogue (W01-W17).",
    )
    p.add_argument(
        "contract", metavar="CONTRACT", nargs="?",
        help="contract file (YAML/JSON) or document (txt/md/html/adoc/docx/pdf); "
        "or give --workspace W --version V",
    )
    add_version_option(p)
    src = p.add_mutually_exclusive_group()
    src.add_argument("--tickets", help="canonical tickets.csv (enables history checks)")
    src.add_argument("--workspace", help="workspace whose history to check against")
    p.add_argument("--status-log", help="canonical status_log.csv (with --tickets)")
    p.add_argument(
        "--as-of", help=AS_OF_HELP + " (default: latest instant in the history, else today)"
    )
    p.add_argument(
        "--mandate",
        action="append",
        default=[],
        metavar="NAME",
        help="a compliance mandate the client is subject to (repeatable), e.g. 'Bill C-26'",
    )
    p.add_argument("--json", action="store_true", help="print JSON (interfaces.md)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.warnings import lint, load_target

    if args.contract and args.contract_version:
        raise CommandError("give CONTRACT or --version VERSION, not both")
    target: Any
    if args.contract_version:
        vid, target = stored_contract(args.workspace, args.contract_version)
        path: Any = f"version {vid} ({target.version})"
    elif args.contract:
        path = require_file(args.contract)
        try:
            target = load_target(path)
        except DocumentError as exc:
            raise CommandError(str(exc)) from None
        if isinstance(target, Document) and not is_sla(extract(target)):
            raise CommandError(
                f"{path}: not an SLA: it states no priority targets, service hours, availability, "
                "credits or recovery objectives and speaks of no service levels, support, incidents "
                "or tickets, so it has no warning signs of an SLA to list"
            )
    else:
        raise CommandError("give a CONTRACT file or document, or --workspace W --version VERSION")
    as_of = parse_as_of(args.as_of) if args.as_of else None
    history = load_history(args)
    try:
        findings = lint(target, history, as_of, mandates=args.mandate)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print(json.dumps({"findings": [f.to_dict() for f in findings]}, indent=2, ensure_ascii=False))
        return 0
    if not findings:
        print(f"{path}: no warning signs")
        return 0
    from workbench.warnings import catalogue

    titles = {code: info.title for code, info in catalogue().items()}
    print(f"{path}: {len(findings)} warning sign(s)")
    for f in findings:
        print(f"\n{f.code} {titles.get(f.code, '')} [{f.severity}] clause {f.clause}")
        print(f"  evidence:   {f.evidence}")
        print(f"  suggestion: {f.suggestion}")
    return 0
