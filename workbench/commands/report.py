"""``sla-workbench report``: the quarter's review, as a PDF or a slide deck.

    sla-workbench report --workspace W [--version VERSION] [--proposal VERSION]
                         --quarter 2026Q3 -o OUT.pdf|OUT.pptx [--as-of DATE|ISO]
                         [--prepared-by NAME] [--brand NAME] [--logo FILE.png]
                         [--page-size letter|a4]

VERSION is a stored version's id or label; ``--version`` defaults to the workspace's
latest signed version.  The output's suffix chooses the form.  The file is written
atomically: on any error nothing is written and an existing OUT is left as it was.
Dates never come from the wall clock: ``--as-of`` defaults to the latest instant of
the workspace's history, so the same workspace gives the same PDF bytes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.app.asof import AS_OF_HELP, parse_as_of
from workbench.cli import CommandError, stop_on_interrupt
from workbench.commands._common import add_cover_options, cover_from_args, open_workspace, require_output_file

if TYPE_CHECKING:
    from models.store import Workspace
    from workbench.app.quarters import Quarter

def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="write the quarter's review (QBR) as a PDF or a slide deck",
        description="Write the quarter's review of a workspace: KPIs against the previous quarter and the "
        "same quarter last year, compliance and breaches per priority, service credits, backups, restore "
        "tests and availability, NOC/SOC routing, warning signs with their fixes and, with --proposal, "
        "its what-if and its changes. The output's suffix (.pdf, .pptx) chooses the form.",
    )
    p.add_argument("--workspace", required=True, help="workspace (.slawb file or database URL)")
    p.add_argument(
        "--version",
        dest="contract_version",
        metavar="VERSION",
        help="the contract version reviewed, its id or label (default: the latest signed version)",
    )
    p.add_argument(
        "--proposal", metavar="VERSION", help="a proposal to replay the quarter under (id or label)"
    )
    p.add_argument("--quarter", required=True, help="the calendar quarter, e.g. 2026Q3")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf|OUT.pptx", help="file to write")
    p.add_argument(
        "--as-of", help="history as-of: " + AS_OF_HELP + " (default: the latest instant in the history)"
    )
    p.add_argument("--prepared-by", default="", metavar="NAME", help="name printed on the cover (PDF)")
    add_cover_options(p)
    p.set_defaults(run=run)


def parse_quarter(text: str) -> Quarter:
    from workbench.app.quarters import Quarter

    try:
        return Quarter.parse(text)
    except ValueError as exc:
        raise CommandError(f"--quarter {text!r}: not a quarter ({exc}); write it as 2026Q3") from None


def _latest_signed(ws: Workspace) -> int:
    versions = [(vid, c) for vid, c in ws.contract_versions() if c.status == "signed"]
    if not versions:
        raise CommandError(f"{ws.label}: no signed contract version; give --version VERSION")
    return max(vid for vid, _ in versions)


def run(args: argparse.Namespace) -> int:
    from workbench.app.contracts import resolve_version
    from workbench.app.report import report_form, write_report
    from workbench.reports.qbr import QbrError

    quarter = parse_quarter(args.quarter)
    out = require_output_file(args.output)
    try:
        report_form(out)
    except ValueError:
        raise CommandError(f"{out}: the output's suffix chooses the form: .pdf or .pptx") from None
    as_of = parse_as_of(args.as_of) if args.as_of else None
    cover = cover_from_args(args)
    with open_workspace(args.workspace) as ws:
        vid = resolve_version(ws, args.contract_version) if args.contract_version else _latest_signed(ws)
        contract = ws.contract(vid)
        proposal = ws.contract(resolve_version(ws, args.proposal)) if args.proposal else None
        history = ws.load_history()
    try:
        write_report(
            out,
            history,
            contract,
            quarter,
            proposal=proposal,
            as_of=as_of,
            cover=cover,
            paper=args.page_size or "",
            progress=stop_on_interrupt,
        )
    except QbrError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"{out}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {Path(out)}")
    return 0
