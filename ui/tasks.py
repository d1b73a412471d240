"""Background work for the GUI: the GUI thread never waits on a long call or the database.

Two tools:

* :func:`run_in_background` / :func:`run_with_progress` run one ``workbench`` long call
  (``fn(..., progress=cb)``, see :mod:`workbench.progress`) on the global
  ``QThreadPool``.  With a progress dialog, its Cancel button makes the callback
  return ``False`` so the call raises :class:`~workbench.progress.Cancelled`.
  Results come back to the GUI thread by queued signals.
* :class:`DbWorker` is the single database thread (the "taskman" of Anki): it owns the
  open workspace object and runs every job that touches it, one at a time, in the
  order submitted.  Jobs are ``fn(workspace, progress)`` callables; ``on_done`` /
  ``on_error`` run on the GUI thread.
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from workbench.progress import Cancelled
from workbench.sandbox import cancel_scope

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


def guard(owner: QObject, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` that does nothing once ``owner`` (a QObject) has been deleted: a result that
    arrives after its window closed is dropped, not delivered to a dead object."""
    from shiboken6 import isValid

    def call(*args: Any) -> Any:
        if isValid(owner):
            return fn(*args)
        return None

    return call


class _TaskSignals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Task(QRunnable):
    """One call run on a pool thread.  ``fn`` gets ``progress=`` when ``pass_progress``."""

    def __init__(self, fn: Callable[..., Any], *args: Any, pass_progress: bool = True, **kwargs: Any):
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.pass_progress = pass_progress
        self.signals = _TaskSignals()
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self.done = threading.Event()
        self.dialog: QProgressDialog | None = None  # the progress dialog of run_with_progress

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, fraction: float, message: str) -> bool:
        now = time.monotonic()
        if now - self._last_emit >= 0.03:  # throttle: the GUI needs ~30 updates a second
            self._last_emit = now
            self._emit(self.signals.progress, float(fraction), str(message))
        return not self._cancel.is_set()

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the receiver side was torn down (application quitting)
            pass

    def run(self) -> None:
        try:
            with cancel_scope(self._cancel.is_set):  # Cancel kills a sandboxed parse at once
                if self.pass_progress:
                    result = self.fn(*self.args, progress=self._progress, **self.kwargs)
                else:
                    result = self.fn(*self.args, **self.kwargs)
        except Cancelled:
            self._emit(self.signals.cancelled)
        except BaseException as exc:  # delivered to the GUI, never lost on a thread
            if self._cancel.is_set():  # the failure of a call stopped by Cancel (its parse killed)
                self._emit(self.signals.cancelled)
                return
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._emit(self.signals.failed, exc)
        else:
            if self._cancel.is_set():
                self._emit(self.signals.cancelled)
            else:
                self._emit(self.signals.finished, result)
        finally:
            self.done.set()


GIL_SWITCH_S = 0.0005  # the longest a thread waiting for the GIL waits while another runs Python


def share_the_gil() -> None:
    """Let the GUI thread have the GIL back within half a millisecond while a pool or
    database thread runs Python (a chart laid out and drawn, records read): with the
    interpreter's 5 ms the GUI thread waits up to 5 ms each time it enters Python — every
    slot, paint of a chart, model ``data()`` call — so that one first paint of the What-if
    view (a few milliseconds of its own work) took 50-200 ms beside a chart render on the
    pool, 20-36 ms with this interval.  A thread running alone is not interrupted (the switch is asked
    for only by a thread waiting for the GIL), so background work keeps its speed when
    the GUI is idle."""
    if sys.getswitchinterval() > GIL_SWITCH_S:
        sys.setswitchinterval(GIL_SWITCH_S)


_live: set[Task] = set()  # keep Python wrappers alive until their signals are delivered


def cancel_all() -> None:
    """Ask every running pool task to stop (at its next progress report)."""
    for task in list(_live):
        task.cancel()


def run_in_background(
    fn: Callable[..., Any],
    *args: Any,
    on_done: Done | None = None,
    on_error: Failed | None = None,
    on_cancel: Callable[[], None] | None = None,
    pass_progress: bool = False,
    pool: QThreadPool | None = None,
    **kwargs: Any,
) -> Task:
    """Run ``fn(*args, **kwargs)`` on a pool thread; callbacks run on the GUI thread."""
    task = Task(fn, *args, pass_progress=pass_progress, **kwargs)
    _live.add(task)

    def release(*_: Any) -> None:
        _live.discard(task)

    if on_done is not None:
        task.signals.finished.connect(on_done)
    if on_error is not None:
        task.signals.failed.connect(on_error)
    if on_cancel is not None:
        task.signals.cancelled.connect(on_cancel)
    for sig in (task.signals.finished, task.signals.failed, task.signals.cancelled):
        sig.connect(release)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def progress_dialog(parent: QWidget | None, title: str) -> QProgressDialog:
    dlg = QProgressDialog(title, "Cancel", 0, 1000, parent)
    dlg.setWindowTitle(title)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(300)
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)
    dlg.setValue(0)
    return dlg


def run_with_progress(
    parent: QWidget | None,
    title: str,
    fn: Callable[..., Any],
    *args: Any,
    on_done: Done | None = None,
    on_error: Failed | None = None,
    on_cancel: Callable[[], None] | None = None,
    **kwargs: Any,
) -> Task:
    """Run a ``workbench`` long call with a progress dialog whose Cancel stops it."""
    dlg = progress_dialog(parent, title)
    task = Task(fn, *args, pass_progress=True, **kwargs)
    _live.add(task)
    dlg.canceled.connect(task.cancel)

    def on_progress(fraction: float, message: str) -> None:
        dlg.setValue(int(fraction * 1000))
        if message:
            dlg.setLabelText(message)

    def finish(*_: Any) -> None:
        _live.discard(task)
        dlg.canceled.disconnect(task.cancel)
        dlg.close()
        dlg.deleteLater()

    task.signals.progress.connect(on_progress)
    for sig in (task.signals.finished, task.signals.failed, task.signals.cancelled):
        sig.connect(finish)
    if on_done is not None:
        task.signals.finished.connect(on_done)
    if on_error is not None:
        task.signals.failed.connect(on_error)
    if on_cancel is not None:
        task.signals.cancelled.connect(on_cancel)
    task.dialog = dlg
    QThreadPool.globalInstance().start(task)
    return task


class Debouncer(QObject):
    """Coalesce bursts of requests: run ``fn`` ``delay_ms`` after the last ``trigger``."""

    def __init__(self, delay_ms: int, fn: Callable[[], None], parent: QObject | None = None):
        from PySide6.QtCore import QTimer

        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(fn)

    def trigger(self) -> None:
        self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._timer.timeout.emit()

    def pending(self) -> bool:
        return self._timer.isActive()


# ---------------------------------------------------------------------------- database


@dataclass
class _Job:
    id: int
    fn: Callable[[Any, Callable[[float, str], bool]], Any]
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None
    dialog: QProgressDialog | None = None  # the progress dialog of submit_with_progress


class _DbExecutor(QObject):
    """Lives on the database thread; holds the workspace."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int)
    progress = Signal(int, float, str)

    def __init__(self) -> None:
        super().__init__()
        self.workspace: Any = None

    @Slot(object)
    def run(self, job: _Job) -> None:
        def progress(fraction: float, message: str) -> bool:
            self.progress.emit(job.id, float(fraction), str(message))
            return not job.cancel.is_set()

        try:
            with cancel_scope(job.cancel.is_set):
                job.result = job.fn(self.workspace, progress)
        except Cancelled:
            job.done.set()
            self.cancelled.emit(job.id)
            return
        except BaseException as exc:
            if job.cancel.is_set():  # the failure of a job stopped by Cancel (its parse killed)
                job.done.set()
                self.cancelled.emit(job.id)
                return
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            job.error = exc
            job.done.set()
            self.failed.emit(job.id, exc)
            return
        job.done.set()
        self.finished.emit(job.id, job.result)


@dataclass
class _Callbacks:
    on_done: Done | None
    on_error: Failed | None
    on_cancel: Callable[[], None] | None
    on_progress: Callable[[float, str], None] | None


class DbWorker(QObject):
    """The one thread that touches the workspace database.

    ``submit(fn)`` queues ``fn(workspace, progress)``; jobs run one at a time in order.
    ``open(opener)`` runs ``opener()`` on the thread and keeps its result as the
    workspace given to later jobs (closing the previous one).
    """

    _submit = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("sla-workbench-db")
        self._exec = _DbExecutor()
        self._exec.moveToThread(self._thread)
        self._submit.connect(self._exec.run, Qt.ConnectionType.QueuedConnection)
        self._exec.finished.connect(self._on_finished)
        self._exec.failed.connect(self._on_failed)
        self._exec.cancelled.connect(self._on_cancelled)
        self._exec.progress.connect(self._on_progress)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, _Callbacks] = {}
        self._jobs: dict[int, _Job] = {}
        self._thread.start()

    # -- submitting
    def submit(
        self,
        fn: Callable[[Any, Callable[[float, str], bool]], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
    ) -> _Job:
        job = _Job(next(self._ids), fn)
        self._callbacks[job.id] = _Callbacks(on_done, on_error, on_cancel, on_progress)
        self._jobs[job.id] = job
        self._submit.emit(job)
        return job

    def call(
        self,
        fn: Callable[[Any], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> _Job:
        """Queue ``fn(workspace)`` (no progress)."""
        return self.submit(lambda ws, _p: fn(ws), on_done, on_error)

    def open(
        self,
        opener: Callable[[], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> _Job:
        executor = self._exec

        def job(ws: Any, _p: Callable[[float, str], bool]) -> Any:
            new = opener()  # a failure leaves the current workspace open
            if ws is not None and hasattr(ws, "close"):
                ws.close()
            executor.workspace = new
            return new

        return self.submit(job, on_done, on_error)

    def close_workspace(self, on_done: Done | None = None) -> _Job:
        executor = self._exec

        def job(ws: Any, _p: Callable[[float, str], bool]) -> None:
            executor.workspace = None
            if ws is not None and hasattr(ws, "close"):
                ws.close()

        return self.submit(job, on_done)

    def wait(self, job: _Job, timeout: float = 30.0) -> Any:
        """Block until ``job`` ran (only for shutdown paths and tests); re-raise its error."""
        if not job.done.wait(timeout):
            raise TimeoutError("the database worker did not finish in time")
        if job.error is not None:
            raise job.error
        return job.result

    def busy(self) -> bool:
        return bool(self._jobs)

    def running(self) -> bool:
        """Whether the worker thread still takes jobs (False after ``shutdown``)."""
        return bool(self._thread.isRunning())

    def shutdown(self, timeout: float = 30.0) -> None:
        """Close the workspace and stop the thread (waits for queued jobs)."""
        if not self._thread.isRunning():
            return
        job = self.close_workspace()
        job.done.wait(timeout)
        self._thread.quit()
        self._thread.wait(int(timeout * 1000))

    # -- delivery on the GUI thread
    def _take(self, job_id: int) -> _Callbacks | None:
        self._jobs.pop(job_id, None)
        return self._callbacks.pop(job_id, None)

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: Any) -> None:
        cb = self._take(job_id)
        if cb and cb.on_done:
            cb.on_done(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: BaseException) -> None:
        cb = self._take(job_id)
        if cb and cb.on_error:
            cb.on_error(exc)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        cb = self._take(job_id)
        if cb and cb.on_cancel:
            cb.on_cancel()

    @Slot(int, float, str)
    def _on_progress(self, job_id: int, fraction: float, message: str) -> None:
        cb = self._callbacks.get(job_id)
        if cb and cb.on_progress:
            cb.on_progress(fraction, message)

    def cancel(self, job: _Job) -> None:
        job.cancel.set()

    def submit_with_progress(
        self,
        parent: QWidget | None,
        title: str,
        fn: Callable[[Any, Callable[[float, str], bool]], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> _Job:
        """A database job with a progress dialog whose Cancel asks the job to stop."""
        dlg = progress_dialog(parent, title)
        holder: dict[str, _Job] = {}

        def close_dialog() -> None:
            dlg.close()
            dlg.deleteLater()

        def done(result: Any) -> None:
            close_dialog()
            if on_done:
                on_done(result)

        def failed(exc: BaseException) -> None:
            close_dialog()
            if on_error:
                on_error(exc)

        def cancelled() -> None:
            close_dialog()
            if on_cancel:
                on_cancel()

        def progress(fraction: float, message: str) -> None:
            dlg.setValue(int(fraction * 1000))
            if message:
                dlg.setLabelText(message)

        job = self.submit(fn, done, failed, cancelled, progress)
        holder["job"] = job
        dlg.canceled.connect(lambda: job.cancel.set())
        job.dialog = dlg
        return job
