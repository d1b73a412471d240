"""Worker threads of the GUI: long calls with progress/cancel, and the one DB thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QPushButton

from ui.tasks import DbWorker, Debouncer, run_in_background, run_with_progress
from workbench.progress import report


def _long_call(n: int, progress=None) -> int:
    total = 0
    for i in range(n):
        report(progress, i / n, f"step {i}")
        total += i
        time.sleep(0.002)
    return total


def test_background_call_delivers_result_on_gui_thread(qtbot) -> None:
    seen: dict[str, object] = {}
    gui_thread = QThread.currentThread()

    def done(result: object) -> None:
        seen["result"] = result
        seen["thread"] = QThread.currentThread()

    def work() -> str:
        seen["worker"] = threading.current_thread().name
        return "ok"

    run_in_background(work, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == "ok"
    assert seen["thread"] is gui_thread
    assert seen["worker"] != threading.main_thread().name


def test_errors_are_delivered_not_lost(qtbot) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("bad row 3")

    run_in_background(boom, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError) and "bad row 3" in str(errors[0])


def test_progress_dialog_cancel_stops_the_call(qtbot) -> None:
    outcome: list[str] = []
    task = run_with_progress(
        None,
        "Working",
        _long_call,
        5000,
        on_done=lambda r: outcome.append("done"),
        on_cancel=lambda: outcome.append("cancelled"),
    )
    dialog = task.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=5000)
    button = dialog.findChild(QPushButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the user presses Cancel
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == ["cancelled"]


def test_progress_dialog_completes(qtbot) -> None:
    results: list[int] = []
    run_with_progress(None, "Working", _long_call, 20, on_done=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [sum(range(20))]


class _FakeWorkspace:
    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False
        self.threads: set[str] = set()

    def touch(self) -> str:
        self.threads.add(threading.current_thread().name)
        return self.name

    def close(self) -> None:
        self.closed = True


def test_db_worker_owns_the_workspace_on_one_thread(qtbot) -> None:
    worker = DbWorker()
    try:
        first = _FakeWorkspace("a")
        opened: list[object] = []
        worker.open(lambda: first, on_done=opened.append)
        results: list[str] = []
        for _ in range(5):
            worker.call(lambda ws: ws.touch(), on_done=results.append)
        qtbot.waitUntil(lambda: len(results) == 5, timeout=5000)
        assert opened == [first] and results == ["a"] * 5
        assert len(first.threads) == 1
        assert threading.main_thread().name not in first.threads

        second = _FakeWorkspace("b")
        worker.open(lambda: second)
        job = worker.call(lambda ws: ws.touch())
        assert worker.wait(job) == "b"
        assert first.closed
    finally:
        worker.shutdown()
    assert second.closed


def test_db_worker_failed_open_keeps_current_workspace(qtbot) -> None:
    worker = DbWorker()
    try:
        worker.open(lambda: _FakeWorkspace("kept"))
        errors: list[BaseException] = []

        def bad_open() -> _FakeWorkspace:
            raise OSError("not a workspace")

        worker.open(bad_open, on_error=errors.append)
        job = worker.call(lambda ws: ws.touch())
        assert worker.wait(job) == "kept"
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
        assert "not a workspace" in str(errors[0])
    finally:
        worker.shutdown()


def test_db_worker_jobs_run_in_submission_order(qtbot) -> None:
    worker = DbWorker()
    order: list[int] = []
    try:
        for i in range(20):

            def job(ws: object, i: int = i) -> None:
                order.append(i)

            worker.call(job)
        worker.wait(worker.call(lambda ws: None))
        assert order == list(range(20))
    finally:
        worker.shutdown()


def test_debouncer_coalesces_a_burst(qtbot) -> None:
    calls: list[int] = []
    deb = Debouncer(30, lambda: calls.append(1))
    for _ in range(10):
        deb.trigger()
    qtbot.waitUntil(lambda: bool(calls), timeout=2000)
    qtbot.wait(80)
    assert calls == [1]


def test_gui_tests_do_not_skip_a_broken_qt() -> None:
    """PySide6 is a hard dependency: a GUI test module imports it plainly, so a broken
    Qt install fails the run instead of skipping every GUI test."""
    from pathlib import Path

    here = Path(__file__).parent
    skipping = [
        p.name
        for p in sorted(here.glob("test_ui*.py"))
        if "importorskip(" + '"PySide6"' in p.read_text() or "importorskip(" + "'PySide6'" in p.read_text()
    ]
    assert skipping == []
