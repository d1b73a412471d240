"""The one entry point, ``sla-workbench``.

No arguments: open the GUI.  Subcommands do headless work; each lives in
``workbench/commands/<name>.py`` with ``register(subparsers)`` and a ``run(args)``
that returns the exit code.  Errors print one clear line and exit non-zero.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from models.contract import ContractError
from workbench.errors import CommandError

__all__ = ["CommandError", "main"]

COMMANDS = ("schema", "simulate", "import", "audit", "lint", "redline", "compare", "demo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sla-workbench",
        description="Review and negotiate MSP service level agreements. "
        "Without a subcommand the desktop application opens.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"workbench.commands.{name.replace('import', 'import_')}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("workbench.commands."):
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sla-workbench")
    except PackageNotFoundError:
        return "0+unknown"


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    gui_flags = {"--workspace", "--demo"}
    if not args_list or args_list[0] in gui_flags:
        gui = argparse.ArgumentParser(prog="sla-workbench")
        gui.add_argument("--workspace", help="open this .slawb workspace")
        gui.add_argument("--demo", action="store_true", help="open the bundled demo workspace")
        gargs = gui.parse_args(args_list)
        from ui.app import run_gui  # imported here only: headless commands never load Qt

        return run_gui(workspace=gargs.workspace, demo=gargs.demo)
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return int(args.run(args) or 0)
    except (CommandError, ContractError) as exc:
        print(f"sla-workbench {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"sla-workbench {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
