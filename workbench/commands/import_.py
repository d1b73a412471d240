"""``sla-workbench import WORKSPACE FILE``: import a PSA/ITSM export into a workspace.

The format comes from a preset: detected from the header, named with ``--preset``, read from a
mapping file (``--mapping FILE.yaml``: a preset as ``--save-preset`` writes it, or plain
``field: column header`` lines), or given column by column with ``--map FIELD=COLUMN`` (on top of
the preset or mapping file, if any).  ``--save-preset NAME`` keeps the mapping used where presets
are loaded from and prints the path; ``--list-presets`` lists them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.cli import CommandError

if TYPE_CHECKING:
    from workbench.importing.presets import Preset


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import",
        help="import a ticket export (CSV/XLSX) into a workspace",
        description="Import a ticket export into WORKSPACE (created if missing). The format is detected "
        "from the header unless --preset, --mapping or --map is given. By default the valid rows are "
        "imported and every rejected row is listed; with --strict nothing is imported if any row is "
        "rejected; an export from which no ticket can be imported fails and stores nothing. Importing "
        "the same export again updates the tickets, never duplicates them. After the import, each "
        "metric the export cannot measure (no ticket carries its event) is named: it shows as "
        "'not measured', never as 0%.",
    )
    p.add_argument("workspace", metavar="WORKSPACE", nargs="?")
    p.add_argument("file", metavar="FILE", nargs="?")
    p.add_argument("--list-presets", action="store_true", help="list the import presets (built-in and saved) "
                   "and exit")
    p.add_argument("--list-fields", action="store_true", help="list the fields a mapping or --map names, "
                   "each with what it holds (the words the import wizard shows) and where it is required, "
                   "and exit")
    add_mapping_options(p)
    p.add_argument("--save-preset", metavar="NAME", help="after the import, save the mapping used as preset "
                   "NAME where presets are loaded from (the path is printed)")
    p.add_argument("--tz", help="time zone of timestamps without an offset (IANA name, e.g. Europe/London)")
    p.add_argument("--status-log", metavar="S", help="a separate status log (ticket_id, at, status)")
    p.add_argument("--strict", action="store_true", help="import nothing if any row is rejected")
    p.add_argument("--source", default="default", help="name of the data source inside the workspace")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run)


def add_mapping_options(p: argparse.ArgumentParser, scope: str = "") -> None:
    """How to read an export: preset, mapping, column map, date order, sheet, default priority."""
    p.add_argument("--preset", help=f"{scope}import preset name (see: sla-workbench import --list-presets)")
    p.add_argument("--mapping", metavar="FILE.yaml", help=f"{scope}a column mapping: a preset file "
                   "(YAML/JSON, as import --save-preset writes it) or lines 'field: column header' "
                   "(fields: id, priority, opened_at, first_response_at, resolved_at, closed_at, category, "
                   "team, provider_sla_met, …; see import --list-fields)")
    p.add_argument("--map", metavar="FIELD=COLUMN", action="append", default=[],
                   help=f"{scope}the export's column for one field, e.g. --map id='Ticket ID' (repeatable; "
                   "adds to or overrides --preset/--mapping)")
    p.add_argument("--date-order", choices=("dmy", "mdy"), help=f"{scope}for numeric dates like 03/04/2016 "
                   "(refused when the file's own dates prove the other order)")
    p.add_argument("--sheet", metavar="NAME", help=f"{scope}XLSX: the worksheet to read (name or number; "
                   "default: the sheet whose header matches a preset)")
    p.add_argument("--default-priority", choices=("P1", "P2", "P3", "P4"), help=f"{scope}priority of tickets "
                   "without one (no priority column: P3 unless given; also fills empty priority cells)")


def _list_presets(as_json: bool) -> int:
    from workbench.importing.presets import BUILTIN, all_presets, presets_dir

    rows = [{"name": pr.name, "kind": pr.kind, "title": pr.title,
             "origin": "built-in" if any(pr is b for b in BUILTIN) else "saved"} for pr in all_presets()]
    if as_json:
        print(json.dumps({"presets": rows, "saved_in": str(presets_dir())}, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r['name']:28} {r['kind']:10} {r['origin']:8} {r['title']}")
    print(f"saved presets are read from {presets_dir()}")
    return 0


def _list_fields(as_json: bool) -> int:
    from workbench.app.import_fields import field_words
    from workbench.importing.presets import ALL_FIELDS, REQUIRED

    rows = [{"field": f, "words": field_words(f),
             "required_for": [kind for kind, req in REQUIRED.items() if f in req]}
            for f in dict.fromkeys(ALL_FIELDS)]
    if as_json:
        print(json.dumps({"fields": rows}, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        required = f"required for {', '.join(r['required_for'])}" if r["required_for"] else ""
        print(f"{r['field']:24} {r['words']:30} {required}".rstrip())
    return 0


def _parse_maps(items: list[str]) -> dict[str, str]:
    from workbench.importing.presets import ALL_FIELDS

    out = {}
    for item in items:
        fld, sep, col = item.partition("=")
        fld, col = fld.strip(), col.strip()
        if not sep or not fld or not col:
            raise CommandError(f"--map {item!r}: write FIELD=COLUMN, e.g. --map id='Ticket ID'")
        if fld not in ALL_FIELDS:
            raise CommandError(f"--map {item!r}: unknown field {fld!r}; fields are {', '.join(ALL_FIELDS)}")
        out[fld] = col
    return out


def load_mapping(path: str | Path) -> Preset:
    """A preset file, or a plain ``field: column`` mapping (a ticket export, named after the file)."""
    import yaml
    from pydantic import ValidationError

    from workbench.importing.presets import Preset

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise CommandError(f"{p}: cannot read the mapping: {exc}") from exc
    if not isinstance(data, dict):
        raise CommandError(f"{p}: a mapping is 'field: column header' lines or a saved preset")
    if "columns" not in data:
        data = {"name": p.stem, "columns": {str(k): str(v) for k, v in data.items()}}
    data.setdefault("name", p.stem)
    try:
        return Preset.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise CommandError(f"{p}: not a valid mapping: {where}: {first['msg']}") from exc


def preset_from_args(args: argparse.Namespace) -> Preset | str | None:
    from workbench.importing.presets import PresetError, get_preset

    if args.preset and args.mapping:
        raise CommandError("give --preset NAME or --mapping FILE, not both")
    maps = _parse_maps(args.map)
    if args.mapping:
        base: Preset | None = load_mapping(args.mapping)
    elif args.preset:
        if not maps:
            return str(args.preset)
        try:
            base = get_preset(args.preset)
        except PresetError as exc:
            raise CommandError(str(exc)) from exc
    else:
        base = None
    if not maps:
        return base
    from workbench.importing.presets import Preset

    if base is None:
        return Preset(name="command-line", title="columns given with --map", columns=maps)
    return base.model_copy(update={"columns": {**base.columns, **maps}})


def _coverage_lines(result: Any) -> list[str]:
    cov = result.coverage()
    parts = [f"{m} {c['with_event']} of {c['tickets']} tickets" for m, c in cov.items()]
    line = "events: " + ", ".join(parts)
    missing = result.not_measured()
    if missing:
        line += f"; not measured: {', '.join(missing)}"
    return [line]


def run(args: argparse.Namespace) -> int:
    from workbench.importing.core import ImportFailed
    from workbench.importing.presets import PresetError, broken_presets, check_preset_name, save_preset
    from workbench.importing.records import RecordsResult
    from workbench.importing.workspace import Rejected, import_into_workspace

    if args.list_presets:
        return _list_presets(args.json)
    if args.list_fields:
        return _list_fields(args.json)
    if not args.workspace or not args.file:
        raise CommandError("import needs WORKSPACE and FILE (or --list-presets, --list-fields)")
    preset = preset_from_args(args)
    if args.save_preset:
        try:
            check_preset_name(args.save_preset)
        except PresetError as exc:
            raise CommandError(f"--save-preset: {exc}") from exc
    for problem in broken_presets():
        print(f"sla-workbench import: warning: {problem} (skipped)", file=sys.stderr)
    try:
        result = import_into_workspace(
            args.workspace, args.file, preset=preset, tz=args.tz, date_order=args.date_order,
            status_log=args.status_log, strict=args.strict, source=args.source, sheet=args.sheet,
            default_priority=args.default_priority,
        )
    except Rejected as exc:
        if args.json:
            out = exc.result.to_json()
            out.update({"tickets": 0, "status_rows": 0, "imported": False})
            out.pop("coverage", None)
            print(json.dumps(out, indent=2, ensure_ascii=False))
        else:
            for r in exc.result.rejected:
                print(f"rejected: {r}", file=sys.stderr)
        raise CommandError(str(exc)) from exc
    except (ImportFailed, PresetError) as exc:
        keep = "--map FIELD=COLUMN" in str(exc)
        hint = "; --save-preset NAME keeps the mapping for next time" if keep else ""
        raise CommandError(str(exc) + hint) from exc
    saved = None
    if args.save_preset and not isinstance(result, RecordsResult):
        try:
            saved = save_preset(result.preset.model_copy(update={"name": args.save_preset}), "yaml")
        except PresetError as exc:
            raise CommandError(f"imported, but the preset was not saved: {exc}") from exc
    if args.json:
        out = result.to_json()
        if saved is not None:
            out["saved_preset"] = str(saved)
        print(json.dumps(out, indent=2, ensure_ascii=False))
    elif isinstance(result, RecordsResult):
        print(f"{args.file}: {len(result.records)} {result.kind.replace('_', ' ')} imported into "
              f"{args.workspace}; {len(result.rejected)} row(s) rejected")
        for r in result.rejected:
            print(f"rejected: {r}")
    else:
        print(f"{args.file}: preset {result.preset.name}: {len(result.tickets)} tickets, "
              f"{len(result.status_log)} status rows imported into {args.workspace}; "
              f"{len(result.rejected)} row(s) rejected")
        for line in _coverage_lines(result):
            print(line)
        for note in result.notes:
            print(f"note: {note}")
        for r in result.rejected:
            print(f"rejected: {r}")
        if saved is not None:
            print(f"preset {args.save_preset!r} saved to {saved} (use it with --preset {args.save_preset})")
    return 0
