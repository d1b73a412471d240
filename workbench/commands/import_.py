"""``sla-workbench import WORKSPACE FILE``: import a PSA/ITSM export into a workspace."""

from __future__ import annotations

import argparse
import json
import sys

from workbench.cli import CommandError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import",
        help="import a ticket export (CSV/XLSX) into a workspace",
        description="Import a ticket export into WORKSPACE (created if missing). The format is detected "
        "from the header unless --preset is given. By default the valid rows are imported and every "
        "rejected row is listed; with --strict nothing is imported if any row is rejected. Importing "
        "the same export again updates the tickets, never duplicates them.",
    )
    p.add_argument("workspace", metavar="WORKSPACE")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--preset", help="import preset name (see --list-presets)")
    p.add_argument("--tz", help="time zone of timestamps without an offset (IANA name, e.g. Europe/London)")
    p.add_argument("--date-order", choices=("dmy", "mdy"), help="for numeric dates like 03/04/2016")
    p.add_argument("--status-log", metavar="S", help="a separate status log (ticket_id, at, status)")
    p.add_argument("--strict", action="store_true", help="import nothing if any row is rejected")
    p.add_argument("--source", default="default", help="name of the data source inside the workspace")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.importing.core import ImportFailed
    from workbench.importing.presets import PresetError
    from workbench.importing.records import RecordsResult
    from workbench.importing.workspace import Rejected, import_into_workspace

    try:
        result = import_into_workspace(
            args.workspace, args.file, preset=args.preset, tz=args.tz, date_order=args.date_order,
            status_log=args.status_log, strict=args.strict, source=args.source,
        )
    except Rejected as exc:
        if args.json:
            out = exc.result.to_json()
            out.update({"tickets": 0, "status_rows": 0, "imported": False})
            print(json.dumps(out, indent=2, ensure_ascii=False))
        else:
            for r in exc.result.rejected:
                print(f"rejected: {r}", file=sys.stderr)
        raise CommandError(str(exc)) from exc
    except (ImportFailed, PresetError) as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif isinstance(result, RecordsResult):
        print(f"{args.file}: {len(result.records)} {result.kind.replace('_', ' ')} imported into "
              f"{args.workspace}; {len(result.rejected)} row(s) rejected")
        for r in result.rejected:
            print(f"rejected: {r}")
    else:
        print(f"{args.file}: preset {result.preset.name}: {len(result.tickets)} tickets, "
              f"{len(result.status_log)} status rows imported into {args.workspace}; "
              f"{len(result.rejected)} row(s) rejected")
        for note in result.notes:
            print(f"note: {note}")
        for r in result.rejected:
            print(f"rejected: {r}")
    return 0
