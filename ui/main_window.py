"""The main window (first version: a shell that the full GUI issue fills in)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("SLA Workbench")
        self.resize(1280, 800)
        self._label = QLabel("No workspace open. File ▸ Open, or open the demo workspace.")
        self.setCentralWidget(self._label)
        self.statusBar().showMessage("No workspace")

    def open_demo(self) -> None:
        self._label.setText("Demo workspace")

    def open_workspace(self, path: str) -> None:
        self._label.setText(path)
