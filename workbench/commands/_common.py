"""What the subcommands share: a ticket history from ``--tickets [--status-log]`` or
``--workspace``, and ``--as-of`` as an instant (a date alone is its midnight UTC).

Every failure is a :class:`workbench.cli.CommandError` (one line, exit 2) naming the
file: a bad canonical CSV, a missing, damaged or too old workspace.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from models.contract import Contract, load_contract
from models.history import History, StatusLog, TicketTable
from workbench.errors import CommandError

if TYPE_CHECKING:
    from models.store import Workspace
    from workbench.app.contracts import ContractFile
    from workbench.reports.pdf.template import Cover

STATUS_LOG_WITHOUT_TICKETS = "--status-log goes with --tickets (a workspace holds its status log)"


def require_file(path: str | Path) -> Path:
    """``path`` as a Path when it is an existing file; else a CommandError that says whether it
    is missing or a folder."""
    p = Path(path)
    if p.is_dir():
        raise CommandError(f"{p}: is a folder, not a file")
    if not p.is_file():
        raise CommandError(f"{p}: no such file")
    return p


def require_output_file(path: str | Path) -> Path:
    """An output path whose folder exists and that is not itself a folder (checked before any
    work, so a typo costs nothing and no folder is ever created)."""
    p = Path(path)
    if p.is_dir():
        raise CommandError(f"{p}: is a folder; give a file name such as {p / 'out.pdf'}")
    parent = p.parent
    if not parent.exists():
        raise CommandError(f"{p}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise CommandError(f"{p}: {parent} is not a folder")
    return p


def add_cover_options(p: argparse.ArgumentParser) -> None:
    """The cover's and the paper's options of the commands that write a document."""
    p.add_argument(
        "--page-size",
        choices=("letter", "a4"),
        type=str.lower,
        help="paper (default: Letter for a client in Canada or the US, A4 elsewhere; else the locale's)",
    )
    p.add_argument("--logo", metavar="FILE.png", help="a PNG or JPEG logo for the cover")
    p.add_argument(
        "--brand",
        default="",
        metavar="NAME",
        help="the name beside the logo on the cover (default: the provider)",
    )


def cover_from_args(args: argparse.Namespace) -> Cover:
    """The cover's brand, logo and preparer from the command line (the logo read and checked)."""
    from workbench.reports.pdf.template import Cover, read_logo

    logo = None
    if args.logo:
        require_file(args.logo)
        try:
            logo = read_logo(args.logo)
        except ValueError as exc:
            raise CommandError(f"--logo {exc}") from None
    return Cover(brand=args.brand.strip(), logo=logo, prepared_by=args.prepared_by.strip())


def read_canonical(tickets: str, status_log: str | None) -> tuple[TicketTable, StatusLog]:
    """A canonical ``tickets.csv`` and optional ``status_log.csv``."""
    from workbench.importing.canonical_csv import CsvError, read_tickets_csv

    try:
        return read_tickets_csv(tickets, status_log)
    except CsvError as exc:
        raise CommandError(str(exc)) from None


@contextmanager
def open_workspace(path: str, *, upgrade: bool = False, create: bool = False) -> Iterator[Workspace]:
    """The workspace at ``path`` (a file or database URL), closed on leaving; a
    :class:`models.store.WorkspaceError` while opening or using it becomes a CommandError.
    ``upgrade=False`` refuses an older schema rather than migrating it; ``create=True``
    makes a missing workspace file."""
    from models.store import Workspace, WorkspaceError

    try:
        ws = Workspace.open(path, upgrade=upgrade, create=create)
    except WorkspaceError as exc:
        raise CommandError(str(exc)) from None
    try:
        yield ws
    except WorkspaceError as exc:
        raise CommandError(str(exc)) from None
    finally:
        ws.close()


def load_history(args: argparse.Namespace) -> History | None:
    """The history named by ``args.tickets``/``args.status_log`` or ``args.workspace``
    (a workspace's whole history, with backups, restore tests, outages and KPIs);
    None when neither is given.  ``--status-log`` without ``--tickets`` is an error."""
    if args.tickets:
        tickets, log = read_canonical(args.tickets, args.status_log)
        return History(tickets=tickets, status_log=log)
    if args.status_log:
        raise CommandError(STATUS_LOG_WITHOUT_TICKETS)
    if args.workspace:
        with open_workspace(args.workspace) as ws:
            return ws.load_history()
    return None


# ---------------------------------------------------------------------- contract versions


UNCONFIRMED = "{file}: terms extracted from the document, unconfirmed (check them, or add the " \
    "document to a workspace with `sla-workbench contract add` and confirm them)"


def add_version_option(p: argparse.ArgumentParser) -> None:
    """``--version ID|LABEL``: a contract version stored in the workspace of ``--workspace``."""
    p.add_argument(
        "--version",
        dest="contract_version",
        metavar="VERSION",
        help="a contract version stored in the workspace given by --workspace (its id or label)",
    )


def stored_contract(workspace: str | None, ref: str) -> tuple[int, Contract]:
    """The version ``ref`` (id or label) of ``workspace`` as (id, contract)."""
    from workbench.app.contracts import resolve_version

    if not workspace:
        raise CommandError(f"--version {ref}: a version is looked up in a workspace; give --workspace W")
    with open_workspace(workspace) as ws:
        vid = resolve_version(ws, ref)
        return vid, ws.contract(vid)


def read_contract_arg(path: str) -> ContractFile:
    """A contract file, or a document whose terms are extracted (``extracted`` is then
    True: the terms are unconfirmed and outputs say so)."""
    from workbench.app.contracts import CONTRACT_SUFFIXES, ContractFile, read_contract_file

    if Path(path).suffix.lower() in CONTRACT_SUFFIXES:
        return ContractFile(load_contract(path), Path(path).name, extracted=False)
    return read_contract_file(path)


def is_file_ref(ref: str, workspace: str | None) -> bool:
    """Whether a positional contract argument names a file: always without a workspace;
    with one, when the file exists or the name ends like a contract file or document
    (else it is a stored version's id or label)."""
    from workbench.app.contracts import CONTRACT_SUFFIXES
    from workbench.documents.reader import DOCUMENT_SUFFIXES

    known = (*CONTRACT_SUFFIXES, *DOCUMENT_SUFFIXES)
    return not workspace or Path(ref).exists() or Path(ref).suffix.lower() in known


def contract_or_version(path_or_ref: str, workspace: str | None) -> tuple[Contract, bool]:
    """A positional contract argument: an existing file (a contract file or a document),
    else, with ``--workspace``, a stored version's id or label.  Returns the contract and
    whether its terms are unconfirmed (extracted from a document)."""
    if is_file_ref(path_or_ref, workspace):
        read = read_contract_arg(path_or_ref)
        return read.contract, read.extracted
    return stored_contract(workspace, path_or_ref)[1], False
