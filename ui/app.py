"""Start the desktop application."""

from __future__ import annotations

import sys


def run_gui(workspace: str | None = None, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("SLA Workbench")
    app.setOrganizationName("SLA Workbench")
    window = MainWindow()
    if demo:
        window.open_demo()
    elif workspace:
        window.open_workspace(workspace)
    window.show()
    return app.exec()
