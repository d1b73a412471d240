"""The program's entry point, ``sla-workbench``.

No arguments (or only ``--workspace FILE`` / ``--demo``): open the desktop window.
Anything else is a subcommand, handed to the Qt-free command line
(:func:`workbench.cli.main`), which never imports Qt.  This module sits in ``ui/``
because opening the window is the one thing the command line cannot do without Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

# Imported first: it installs the start-up Ctrl-C handler while the rest loads.
from workbench import cli

GUI_FLAGS = ("--workspace", "--demo")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in GUI_FLAGS:
        return cli.main(args)
    gui = argparse.ArgumentParser(prog="sla-workbench", description="Open the SLA Workbench window.")
    gui.add_argument("--workspace", help="open this .slawb workspace")
    gui.add_argument("--demo", action="store_true", help="open the bundled demo workspace")
    gargs = gui.parse_args(args)
    from ui.app import run_gui  # Qt is loaded only when the window opens

    return run_gui(workspace=gargs.workspace, demo=gargs.demo)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
