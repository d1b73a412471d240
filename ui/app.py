"""Start the desktop application."""

from __future__ import annotations

import sys


def run_gui(workspace: str | None = None, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("SLA Workbench")
    app.setOrganizationName("SLA Workbench")
    from ui.main_window import settings

    window = MainWindow()
    prefs = settings()
    last = prefs.value("last_workspace")
    if demo:
        window.open_demo()
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
    return app.exec()
