"""``sla-workbench redline``: the redlined review PDF of NEW against OLD.

    sla-workbench redline OLD NEW -o OUT.pdf [--tickets T [--status-log S] | --workspace W]
                          [--rationale FILE.yaml] [--as-of DATE|ISO] [--prepared-by NAME]
                          [--prepared-on DATE] [--final] [--brand NAME] [--logo FILE.png]
                          [--page-size letter|a4]
    sla-workbench redline OLD NEW --list-changes [--workspace W]

``--list-changes`` prints the keys a rationale file takes: every change's key with its
label, then the group keys (``service_credits``, ``targets.P1`` …) whose text goes to
every change below them that has none of its own.

OLD and NEW are contract files (YAML/JSON) or contract documents (Markdown, text,
DOCX, PDF).  The PDF is written atomically: on any error nothing is written and an
existing OUT is left as it was.

Dates never come from the wall clock, so the same inputs give the same bytes:
``--as-of`` defaults to the date of the latest instant in the ticket history, else to
NEW's effective date or last review, else to the date NEW's file was last modified;
``--prepared-on`` defaults to the as-of date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from models.clock import Clock
from models.contract import yaml_load
from workbench.app.asof import AS_OF_HELP, default_as_of, file_clock, parse_as_of
from workbench.cli import CommandError, stop_on_interrupt
from workbench.commands._common import (
    add_cover_options,
    cover_from_args,
    is_file_ref,
    load_history,
    require_file,
    require_output_file,
    stored_contract,
)

if TYPE_CHECKING:
    from workbench.documents.diff import ContractDiff, Version


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "redline",
        help="write the redlined review PDF of NEW against OLD",
        description="Write the redlined review PDF of NEW against OLD: change summary with rationale and "
        "simulated effect, redlined clauses, warning signs, charts, KPIs, signature block.",
    )
    p.add_argument("old", metavar="OLD", help="current version: contract file or document, or with "
                   "--workspace a stored version (its id or label)")
    p.add_argument("new", metavar="NEW", help="proposed version: contract file or document, or with "
                   "--workspace a stored version (its id or label)")
    p.add_argument("-o", "--output", metavar="OUT.pdf", help="PDF to write (required unless --list-changes)")
    p.add_argument(
        "--list-changes",
        action="store_true",
        help="print the change keys a --rationale file takes, with their labels, and write nothing",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--tickets", help="canonical tickets.csv (for the simulated effects)")
    src.add_argument("--workspace", help="workspace (.slawb file or database URL) holding the history")
    p.add_argument("--status-log", help="canonical status_log.csv (with --tickets)")
    p.add_argument(
        "--rationale", metavar="FILE.yaml", help="YAML mapping: change key -> reason for the change"
    )
    p.add_argument(
        "--as-of",
        help="history as-of: " + AS_OF_HELP + " (default: the latest instant in the history, else "
        "NEW's effective or review date, else the date NEW's file was modified)",
    )
    p.add_argument("--prepared-by", default="", help="name printed on the cover and footer")
    add_cover_options(p)
    p.add_argument("--prepared-on", help="preparation date, YYYY-MM-DD (default: the as-of date)")
    p.add_argument("--final", action="store_true", help="mark the document FINAL instead of DRAFT")
    p.set_defaults(run=run)


def _date(text: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{flag}: not a date (YYYY-MM-DD): {text!r}") from None


def load_rationale(path: str | Path) -> dict[str, str]:
    """A YAML mapping of change key (``targets.P1.resolution``, ``clause:4.2`` …) to text."""
    from models import limits

    p = Path(path)
    limits.check_file_size(p, limits.RATIONALE_FILE_BYTES)
    try:
        data = yaml_load(p.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise CommandError(f"{p}: cannot read: {exc.strerror}") from None
    except Exception as exc:  # yaml errors
        raise CommandError(f"{p}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CommandError(f"{p}: the rationale file must be a mapping of change key to text")
    limits.check_count(p, "entries", len(data), limits.RATIONALE_ENTRIES)
    out: dict[str, str] = {}
    for k, v in data.items():
        if not isinstance(v, (str, int, float)):
            raise CommandError(f"{p}: {k}: the rationale must be text")
        out[str(k)] = str(v)
        limits.check_count(p, str(k), len(out[str(k)]), limits.RATIONALE_CHARS, "characters")
    return out


def _closest_key(key: str, known: set[str]) -> str | None:
    """The change key a rationale key most likely meant: a clause key given by its number
    alone (``clause:3.1`` for ``clause:3.1 NOC and SOC boundary``), else the nearest spelling."""
    import difflib

    by_number = sorted(k for k in known if k.startswith(key + " "))
    if len(by_number) == 1:
        return by_number[0]
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return close[0] if close else None


def _version(ref: str, workspace: str | None, load_version: Callable[[str], Version]) -> Version:
    """OLD/NEW: a contract file or document, else with --workspace a stored version."""
    from workbench.documents.diff import version_from_contract

    if is_file_ref(ref, workspace):
        return load_version(ref)
    vid, contract = stored_contract(workspace, ref)
    return version_from_contract(contract, f"{Path(str(workspace)).name}: version {vid}")


def _clock(ref: str, workspace: str | None) -> Clock:
    """The clock of an undated report: NEW's file time (the same inputs give the same
    bytes); for a stored version, the workspace file's."""
    return file_clock(ref if is_file_ref(ref, workspace) else str(workspace))


def print_change_keys(d: ContractDiff) -> None:
    """The keys a rationale file takes, one a line: ``key  label``, then the group keys."""
    from workbench.documents.diff import change_keys, group_keys

    keys = change_keys(d)
    groups = sorted(group_keys(d).items())
    width = min(max((len(k) for k, _ in [*keys, *((g, "") for g, _ in groups)]), default=0), 44)
    if not keys:
        print("no changes")
        return
    for key, label in keys:
        print(f"{key:<{width}}  {label}")
    if groups:
        print()
        print("group keys (the text goes to every change below that has none of its own):")
        for key, covered in groups:
            print(f"{key:<{width}}  {len(covered)} change{'s' if len(covered) != 1 else ''}")


def run(args: argparse.Namespace) -> int:
    from workbench.documents.diff import (
        change_keys,
        diff_versions,
        expand_rationale,
        group_keys,
        load_version,
    )
    from workbench.reports.pdf import RedlineOptions, write_redline

    for ref in (args.old, args.new):
        if is_file_ref(ref, args.workspace):
            require_file(ref)
    if args.list_changes:
        old, new = (_version(ref, args.workspace, load_version) for ref in (args.old, args.new))
        print_change_keys(diff_versions(old, new))
        return 0
    if not args.output:
        raise CommandError("-o OUT.pdf is required (or --list-changes to list the change keys)")
    out = require_output_file(args.output)
    old, new = (_version(ref, args.workspace, load_version) for ref in (args.old, args.new))
    rationale = load_rationale(args.rationale) if args.rationale else {}
    history = load_history(args)
    as_of_instant: int | None = None
    if args.as_of:
        as_of_instant = parse_as_of(args.as_of)
        as_of = dt.datetime.fromtimestamp(as_of_instant, dt.UTC).date()
    else:
        as_of = default_as_of(history, new.contract, _clock(args.new, args.workspace))
    prepared_on = _date(args.prepared_on, "--prepared-on") if args.prepared_on else as_of
    if rationale:
        d = diff_versions(old, new)
        known = {k for k, _ in change_keys(d)} | set(group_keys(d))
        rationale, unmatched = expand_rationale(d, rationale)
        for k in unmatched:
            hint = _closest_key(k, known)
            print(
                f"sla-workbench redline: warning: rationale for {k!r} matches no change"
                + (f" (did you mean {hint!r}?)" if hint else ""),
                file=sys.stderr,
            )
    cover = cover_from_args(args)
    opts = RedlineOptions(
        brand=cover.brand,
        logo=cover.logo,
        page_size=args.page_size or "",
        as_of=as_of,
        as_of_instant=as_of_instant,
        prepared_on=prepared_on,
        prepared_by=cover.prepared_by,
        final=args.final,
        rationale=rationale,
    )
    try:
        write_redline(out, old, new, opts, history=history, progress=stop_on_interrupt)
    except OSError as exc:
        raise CommandError(f"{out}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {out}")
    return 0
