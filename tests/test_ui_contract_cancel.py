"""Adding a contract version from a document that takes long to parse: the reading runs
under a progress dialog whose Cancel kills the document's parser (a child process) at once;
the workspace is left byte-identical, the dialog closes and the status bar says it was
cancelled.  The application layer's reading takes the plain progress/cancel callback and
raises Cancelled when it asks to stop."""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from tests.test_ui_cancel_parse import _slow_docx  # a DOCX whose parse (in the child) hangs
from ui.main_window import MainWindow
from workbench.app.contracts import read_contract_file
from workbench.progress import Cancelled


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


def _workspace_bytes(path: Path) -> dict[str, str]:
    """The workspace file and any journal or temporary file beside it, by digest."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.parent.glob(path.name + "*")) if p.is_file()}


def test_the_reading_stops_when_the_callback_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _slow_docx(tmp_path, monkeypatch)
    t0 = time.monotonic()
    seen: list[str] = []

    def progress(fraction: float, message: str) -> bool:
        seen.append(message)
        return time.monotonic() - t0 < 1.0 or not multiprocessing.active_children()

    with pytest.raises(Cancelled, match=r"slow\.docx: reading was cancelled"):
        read_contract_file(doc, progress=progress)
    assert time.monotonic() - t0 < 3.0
    assert not multiprocessing.active_children()
    assert seen[0] == "Reading slow.docx…"


def test_a_callback_that_goes_on_changes_nothing(shared_dir: Path) -> None:
    doc = shared_dir / "data" / "sla-texts" / "dxw_service_level_agreement.md"
    fractions: list[float] = []

    def progress(fraction: float, message: str) -> bool:
        fractions.append(fraction)
        return True

    read = read_contract_file(doc, progress=progress)
    assert read == read_contract_file(doc)
    assert fractions == sorted(fractions) and fractions[0] == 0.0


@pytest.mark.gui
@pytest.mark.window(workspace=True)
def test_cancel_during_a_slow_parse(qtbot: Any, window: MainWindow, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _slow_docx(tmp_path, monkeypatch)
    ws_path = window.state.path
    assert ws_path is not None
    before = _workspace_bytes(ws_path)
    versions = list(window.state.versions)
    window.contract_dialog = None

    task = window.add_contract_version(str(doc))
    assert task is not None and task.dialog is not None
    qtbot.waitUntil(lambda: bool(multiprocessing.active_children()), timeout=10_000)
    qtbot.waitUntil(task.dialog.isVisible, timeout=5_000)  # the progress dialog shows, with Cancel
    assert task.dialog.windowTitle() == "Reading slow.docx"
    cancel = task.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"

    t0 = time.monotonic()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Cancelled" in window.statusBar().currentMessage(), timeout=5_000)
    assert time.monotonic() - t0 < 1.0
    assert window.statusBar().currentMessage() == "Cancelled: slow.docx was not read; nothing was added."
    assert task.done.wait(2)
    assert not multiprocessing.active_children()  # the parser was killed, not left to run
    qtbot.waitUntil(lambda: not [d for d in window.findChildren(QProgressDialog) if d.isVisible()],
                    timeout=2_000)  # the progress dialog closed
    assert window.contract_dialog is None  # no review page
    assert window.errors == []  # a cancel is no failure
    job = window.db.call(lambda ws: list(ws.contract_versions()))
    assert window.db.wait(job, timeout=20) == []
    assert window.state.versions == versions
    assert _workspace_bytes(ws_path) == before
