"""PyInstaller entry point of the frozen application: the same CLI as ``sla-workbench``."""

import multiprocessing
import sys

from workbench.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
