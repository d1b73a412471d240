"""PyInstaller entry point of the frozen application: the same as ``sla-workbench`` (ui.launcher)."""

import multiprocessing
import sys

from ui.launcher import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
