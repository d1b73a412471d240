"""``sla-workbench contract add|list|export|remove``: the contract versions of a workspace.

``add`` takes a contract file (YAML/JSON) or a document (.txt, .md, .html, .adoc, .docx, .pdf); for a
document the terms are extracted with the clause and words each came from (shown so
a person can check them: they are unconfirmed).  Everything is read and checked
before the workspace is opened, so a file that fails changes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from workbench.app.contracts import (
    ContractFile,
    add_contract_version,
    confirm_terms,
    list_versions,
    parse_term_value,
    read_contract_file,
    remove_contract_version,
    resolve_version,
    term_table,
    term_text,
    value_at,
)
from workbench.commands._common import open_workspace, require_output_file
from workbench.errors import CommandError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "contract",
        help="add, list, export or remove the contract versions of a workspace",
        description="The contract versions of a workspace: add one from a contract file or an SLA "
        "document, list them, export one as a contract file, remove a draft or proposal.",
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)

    add = verbs.add_parser(
        "add",
        help="add a version from a contract file (YAML/JSON) or a document "
        "(.txt, .md, .html, .adoc, .docx, .pdf)",
        description="Add a contract version to WORKSPACE (created if missing) from FILE. For a document "
        "the terms are extracted with the clause and quote each came from, and what the document does "
        "not state is listed as missing. Nothing is stored if the file fails or equals a stored version.",
    )
    add.add_argument("workspace", metavar="WORKSPACE")
    add.add_argument("file", metavar="FILE")
    add.add_argument("--status", choices=("signed", "proposal", "draft"),
                     help="the version's status (default: the file's own; draft for a document)")
    add.add_argument("--label", metavar="TEXT", help="the version's label (default: the file's own, or "
                     "the document's file name)")
    add.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                     help="correct or add a term before it is stored (repeatable), e.g. "
                     "--set targets.P1.resolution=4h; VALUE is written as in contract files "
                     "(YAML: 4h, next_business_day, {mon: ['09:00-17:00']}); an empty VALUE drops the term")
    add.add_argument("--default", action="append", default=[], metavar="PATH",
                     help="fill a term the file does not state with the 2026 template's value "
                     "(repeatable; 'missing' fills every missing term)")
    add.add_argument("--json", action="store_true", help="print the result as JSON")
    add.set_defaults(run=run_add)

    ls = verbs.add_parser("list", help="list the contract versions", description="List the contract "
                          "versions stored in WORKSPACE, oldest first.")
    ls.add_argument("workspace", metavar="WORKSPACE")
    ls.add_argument("--json", action="store_true", help="print the list as JSON")
    ls.set_defaults(run=run_list)

    ex = verbs.add_parser("export", help="write a version as a contract file",
                          description="Write contract VERSION (its id or its label) of WORKSPACE as a "
                          "YAML contract file; adding that file to a workspace gives an equal version.")
    ex.add_argument("workspace", metavar="WORKSPACE")
    ex.add_argument("version", metavar="VERSION")
    ex.add_argument("-o", "--output", required=True, metavar="FILE.yaml")
    ex.set_defaults(run=run_export)

    rm = verbs.add_parser("remove", help="remove a draft or proposal",
                          description="Remove contract VERSION (its id or its label) from WORKSPACE. "
                          "Drafts and proposals only: a signed version is immutable.")
    rm.add_argument("workspace", metavar="WORKSPACE")
    rm.add_argument("version", metavar="VERSION")
    rm.set_defaults(run=run_remove)


def _read(args: argparse.Namespace) -> tuple[ContractFile, dict[str, Any]]:
    """The file's version with the person's corrections (``--set``, ``--default``), and
    the terms so set (path -> value as stored)."""
    read = read_contract_file(args.file, status=args.status, label=args.label)
    edits: dict[str, Any] = {}
    for item in args.set:
        path, sep, text = item.partition("=")
        if not sep or not path.strip():
            raise CommandError(f"--set {item!r}: write PATH=VALUE, e.g. targets.P1.resolution=4h")
        try:
            edits[path.strip()] = parse_term_value(path.strip(), text)
        except ValueError as exc:
            raise CommandError(f"--set {item!r}: {exc}") from None
    defaults = [p for d in args.default for p in (read.missing if d == "missing" else (d,))]
    if not edits and not defaults:
        return read, {}
    confirmed = confirm_terms(read, edits, defaults)
    data = confirmed.contract.to_data()
    return confirmed, {p: value_at(data, p) for p in [*edits, *defaults]}


def run_add(args: argparse.Namespace) -> int:
    from models.contract import ContractError

    read, confirmed = _read(args)  # before the workspace is touched: a bad file changes nothing
    with open_workspace(args.workspace, create=True) as ws:
        try:
            vid = add_contract_version(ws, read)
        except ContractError as exc:
            raise CommandError(str(exc)) from None
    c = read.contract
    if args.json:
        out: dict[str, Any] = {
            "version_id": vid,
            "name": c.name,
            "version": c.version,
            "status": c.status,
            "source": read.source,
            "extracted": read.extracted,
            "terms": [t.to_json() for t in read.terms],
            "missing": list(read.missing),
        }
        if confirmed:
            out["confirmed"] = confirmed
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"{args.file}: added as version {vid} ({c.version}, {c.status}) to {args.workspace}")
    if read.extracted:
        print("terms read from the document (unconfirmed: check each against its clause):")
        for path, value, clause, quote in term_table(read.terms):
            print(f"  {path} = {value}   [clause {clause or '?'}: \u201c{quote}\u201d]")
    for path, value in confirmed.items():
        shown = "dropped" if value is None else term_text(value)
        print(f"  {path} = {shown}   [set by you]")
    if read.missing:
        print("not stated: " + ", ".join(read.missing))
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_workspace(args.workspace) as ws:
        versions = list_versions(ws)
    if args.json:
        print(json.dumps({"versions": [v.to_json() for v in versions]}, indent=2, ensure_ascii=False))
        return 0
    if not versions:
        print(f"{args.workspace}: no contract versions yet (add one with `sla-workbench contract add`)")
    for v in versions:
        src = f"  from {v.source}" if v.source else ""
        print(f"{v.id:>4}  {v.status:<8}  {v.version}  \u2014 {v.name}{src}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from models.contract import save_contract

    out = require_output_file(args.output)
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise CommandError(f"{out}: a contract file is written as YAML; give a name ending in .yaml")
    with open_workspace(args.workspace) as ws:
        vid = _resolve(ws, args.version)
        contract = ws.contract(vid)
    save_contract(contract, out)
    print(f"version {vid} ({contract.version}) written to {out}", file=sys.stderr)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with open_workspace(args.workspace) as ws:
        vid = _resolve(ws, args.version)
        label = ws.contract(vid).version
        remove_contract_version(ws, vid)
    print(f"version {vid} ({label}) removed from {Path(args.workspace).name}")
    return 0


def _resolve(ws: Any, ref: str) -> int:
    from models.contract import ContractError

    try:
        return resolve_version(ws, ref)
    except ContractError as exc:
        raise CommandError(f"{ws.label}: {exc}") from None
