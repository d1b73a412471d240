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
    # the window first: it shows (navigator, status bar, a loading page) while the
    # workspace is read on the database thread
    if window.fits_screen():
        window.show()
    else:
        window.showMaximized()  # a small screen: the window takes it whole
    prefs = settings()
    last = prefs.value("last_workspace")
    if demo:
        window.open_demo()  # built in the user data folder (workbench.demo.generator), never in the program's
    elif workspace:
        window.open_workspace(workspace)
    elif not prefs.value("first_run_done"):
        prefs.setValue("first_run_done", True)
        window.open_demo()  # first run: show the product on the bundled demo
    elif isinstance(last, str) and prefs.value("reopen_last", "true") in (True, "true"):
        from pathlib import Path

        if Path(last).exists():
            window.open_workspace(last)
    if smoke:
        _smoke_exit_when_loaded(app, window)
    code = int(app.exec())
    _stop_background_work()
    return code


def _stop_background_work(timeout_s: float = 30.0) -> None:
    """Cancel pool tasks and wait for them: no worker thread may run Python code while
    the interpreter shuts down (a task finishing then crashed the process)."""
    from PySide6.QtCore import QThreadPool

    from ui.tasks import cancel_all

    cancel_all()
    QThreadPool.globalInstance().waitForDone(int(timeout_s * 1000))


def _smoke_exit_when_loaded(app: Any, window: Any) -> None:
    """``SLA_WORKBENCH_SMOKE_TEST=1``: prints ``window usable`` once the window is shown
    and the event loop runs (navigator, status bar, the loading page), ``tickets shown``
    once the contracts and tickets are in the views, and ``window shown`` once the whole
    workspace has loaded (backups, outages, KPIs too), then quits with 0; a failed load
    quits with 1."""
    from PySide6.QtCore import QTimer

    start = time.monotonic()
    timer = QTimer(window)
    said: set[str] = set()

    def say(line: str) -> None:
        if line not in said:
            said.add(line)
            print(line, flush=True)

    def quit_with(code: int) -> None:
        timer.stop()
        window.db.shutdown()
        _stop_background_work()
        app.exit(code)

    def check() -> None:
        if window.errors:
            print("\n".join(window.errors), file=sys.stderr, flush=True)
            quit_with(1)
            return
        if window.isVisible():
            say("window usable")
        if window.isVisible() and window.state.is_open and not window.loading:
            say("tickets shown")
            if not window.state.records_pending:
                say("window shown")
                quit_with(0)
                return
        if time.monotonic() - start > SMOKE_TIMEOUT_S:
            print("the workspace did not load in time", file=sys.stderr, flush=True)
            quit_with(1)

    timer.timeout.connect(check)
    timer.start(10)
