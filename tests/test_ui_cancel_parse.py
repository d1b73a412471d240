"""The progress dialog's Cancel stops a sandboxed parse at once: a worker's Cancel reaches the
child process reading a DOCX (workbench.sandbox.cancel_scope), which is killed; the call ends
as cancelled, not failed, within about a second, and what it would have written is not."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.tasks import DbWorker, run_with_progress
from workbench.documents import reader


def _hang(path: Path) -> str:
    time.sleep(120)
    return "never"


def _slow_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    doc = tmp_path / "slow.docx"
    doc.write_bytes(b"PK\x03\x04 not really")
    monkeypatch.setattr(reader, "_docx_text", _hang)  # the forked child runs this parser
    return doc


def _read_then_write(doc: Path, out: Path) -> str:
    text = reader.read_text(doc)
    out.write_text(text)
    return text


def _child_started(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: bool(multiprocessing.active_children()), timeout=10_000)


def test_cancel_of_a_progress_task_kills_the_parse(qtbot: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    doc, out = _slow_docx(tmp_path, monkeypatch), tmp_path / "written.txt"
    seen: dict[str, Any] = {}
    task = run_with_progress(
        None, "Reading", lambda progress: _read_then_write(doc, out),
        on_done=lambda r: seen.setdefault("done", r), on_error=lambda e: seen.setdefault("error", e),
        on_cancel=lambda: seen.setdefault("cancelled", time.monotonic()),
    )
    _child_started(qtbot)
    assert task.dialog is not None
    t0 = time.monotonic()
    qtbot.mouseClick(task.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert "cancelled" in seen, seen
    assert seen["cancelled"] - t0 < 1.0
    assert task.done.wait(2)
    assert not multiprocessing.active_children()
    assert not out.exists()


def test_cancel_of_a_database_job_kills_the_parse(qtbot: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    doc, out = _slow_docx(tmp_path, monkeypatch), tmp_path / "written.txt"
    db = DbWorker()
    seen: dict[str, Any] = {}
    try:
        job = db.submit_with_progress(
            None, "Reading", lambda ws, progress: _read_then_write(doc, out),
            on_done=lambda r: seen.setdefault("done", r), on_error=lambda e: seen.setdefault("error", e),
            on_cancel=lambda: seen.setdefault("cancelled", time.monotonic()),
        )
        _child_started(qtbot)
        assert job.dialog is not None
        t0 = time.monotonic()
        qtbot.mouseClick(job.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
        assert "cancelled" in seen, seen
        assert seen["cancelled"] - t0 < 1.0
        assert not multiprocessing.active_children()
        assert not out.exists()
    finally:
        db.shutdown()


def test_without_cancel_the_parse_error_is_delivered(qtbot: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The scope changes nothing for a call that is not cancelled: the reader's refusal arrives."""
    monkeypatch.setattr(reader, "_docx_text", _hang)
    from models import limits

    monkeypatch.setattr(limits, "PARSE_SECONDS", 1)
    doc = tmp_path / "slow.docx"
    doc.write_bytes(b"PK\x03\x04 not really")
    seen: dict[str, Any] = {}
    run_with_progress(None, "Reading", lambda progress: reader.read_text(doc),
                      on_error=lambda e: seen.setdefault("error", e),
                      on_cancel=lambda: seen.setdefault("cancelled", True))
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert isinstance(seen.get("error"), reader.DocumentError), seen
    assert "could not be read within 1 s" in str(seen["error"])
