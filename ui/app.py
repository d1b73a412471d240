"""Start the desktop application."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

SMOKE_ENV = "SLA_WORKBENCH_SMOKE_TEST"
SMOKE_TIMEOUT_S = 240.0


def run_gui(workspace: str | None = None, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app: Any = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("SLA Workbench")
    app.setOrganizationName("SLA Workbench")
    from ui.main_window import settings

    smoke = os.environ.get(SMOKE_ENV) == "1"
    window = MainWindow()
    window.quiet = smoke  # no message boxes in an unattended start
    prefs = settings()
    last = prefs.value("last_workspace")
    if demo:
        window.open_demo()  # built in the user data folder (workbench.demo), never in the program's
    elif workspace:
        window.open_workspace(workspace)
    elif not prefs.value("first_run_done"):
        prefs.setValue("first_run_done", True)
        window.open_demo()  # first run: show the product on the bundled demo
    elif isinstance(last, str) and prefs.value("reopen_last", "true") in (True, "true"):
        from pathlib import Path

        if Path(last).exists():
            window.open_workspace(last)
    window.show()
    if smoke:
        _smoke_exit_when_loaded(app, window)
    code = int(app.exec())
    return code


def _smoke_exit_when_loaded(app: Any, window: Any) -> None:
    """``SLA_WORKBENCH_SMOKE_TEST=1``: once the window is shown and the workspace has
    loaded, print ``window shown`` and quit with 0; a failed load quits with 1."""
    from PySide6.QtCore import QTimer

    start = time.monotonic()
    timer = QTimer(window)

    def check() -> None:
        if window.errors:
            timer.stop()
            print("\n".join(window.errors), file=sys.stderr, flush=True)
            window.db.shutdown()
            app.exit(1)
        elif not window.loading and window.isVisible():
            timer.stop()
            print("window shown", flush=True)
            window.db.shutdown()
            app.exit(0)
        elif time.monotonic() - start > SMOKE_TIMEOUT_S:
            timer.stop()
            print("the workspace did not load in time", file=sys.stderr, flush=True)
            window.db.shutdown()
            app.exit(1)

    timer.timeout.connect(check)
    timer.start(50)
