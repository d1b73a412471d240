"""Untrusted files parsed apart: a DOCX, PDF or XLSX parser runs in a child process with a
time limit and a memory limit (``models.limits.PARSE_SECONDS`` / ``PARSE_MEMORY_BYTES``).

A parser that loops on a self-referencing PDF or swells on a decompression bomb is
stopped, and the caller gets one line: ``FILE: could not be read within 30 s (the file may
be damaged)``.  The parent never runs the parser itself, so nothing it does can hang or
crash the program (or the GUI's worker: its Cancel stops the child at once).

On Linux the child is a fork (no start-up cost; it only parses, never touches the GUI),
elsewhere a fresh interpreter; the memory limit is ``resource.setrlimit(RLIMIT_AS)`` (Linux) and
``RLIMIT_DATA`` elsewhere on POSIX, added to what the child already maps; on Windows the
time limit holds and memory is watched by the parent (no resource module).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from models import limits

T = TypeVar("T")

_POLL = 0.05  # seconds between looks at the child, the deadline and the cancel callback


_scope = threading.local()  # the cancel check of the long call running on this thread


@contextlib.contextmanager
def cancel_scope(cancelled: Callable[[], bool]) -> Iterator[None]:
    """Within the block, every :func:`run_isolated` on this thread that is given no ``cancel``
    of its own also stops its child when ``cancelled()`` turns true: a GUI worker's Cancel
    reaches a parse deep inside the call it runs, without the callback passed down to it."""
    previous = getattr(_scope, "cancelled", None)
    _scope.cancelled = cancelled
    try:
        yield
    finally:
        _scope.cancelled = previous


class ParseStopped(Exception):
    """The child was stopped: too long, too much memory, cancelled or crashed (``message``
    is the one line for the user)."""


def _mapped_bytes() -> int:
    """The address space this process maps now (Linux: /proc/self/statm), 0 when unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _limit_memory(extra: int) -> None:
    if sys.platform == "win32":  # no resource module: the parent watches the memory
        return
    import resource
    kind = resource.RLIMIT_AS if sys.platform.startswith("linux") else resource.RLIMIT_DATA
    want = _mapped_bytes() + extra
    _soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    try:
        resource.setrlimit(kind, (want, hard))
    except (ValueError, OSError):
        pass


def _quiet() -> None:
    """The child says nothing on the terminal: a parser's warnings and a crash's dump stay
    out of the one line the user gets."""
    import faulthandler

    faulthandler.disable()
    import logging

    logging.disable(logging.CRITICAL)  # parsers log warnings (pdfminer's "MediaBox missing")
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (the child's whole life)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _limit_cpu(seconds: float) -> None:
    """A backstop: the child also stops itself past its time in CPU, should the parent that
    watches it be killed."""
    if sys.platform == "win32":  # no resource module: the parent's time limit holds
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    want = int(seconds) + 5
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (want, hard))
    except (ValueError, OSError):
        pass


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], memory: int, seconds: float) -> None:
    _quiet()
    _limit_memory(memory)
    _limit_cpu(seconds)
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # every failure goes back to the parent, which decides
        result = ("error", exc)
    try:
        conn.send(result)
    except Exception as exc:  # an exception that does not pickle: send its words
        try:
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        except Exception:
            pass
    finally:
        conn.close()


def _context() -> Any:
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _picklable(*values: object) -> bool:
    import pickle

    try:
        pickle.dumps(values)
    except Exception:
        return False
    return True


def run_isolated(
    fn: Callable[..., T],
    path: str | os.PathLike[str],
    *args: Any,
    seconds: float | None = None,
    memory: int | None = None,
    cancel: Callable[[], bool] | None = None,
    error: Callable[[str], Exception] = ParseStopped,
    passes: tuple[type[BaseException], ...] = (BaseException,),
) -> T:
    """``fn(path, *args)`` run in a child process and its result returned; an exception it
    raises is raised here as it was.  Past ``seconds`` of wall time, past ``memory`` bytes, on a
    crash of the child or when ``cancel()`` turns true the child is killed and
    :class:`ParseStopped` (or ``error``) says which in one line naming the file.  Where the
    child is a fresh interpreter (not Linux) ``fn`` and its arguments must pickle; when they do
    not, ``fn`` runs here.  An exception of ``fn`` of a type in ``passes`` is raised as it was,
    any other becomes ``error``'s one line (a parser's internal failure on a damaged file)."""
    if os.environ.get("SLA_WORKBENCH_PARSE_IN_PROCESS") == "1":  # debugging a parser
        return fn(path, *args)
    # the option that raises a limit is named only when the limit is the user's to raise
    more_time = limits.option_for("PARSE_SECONDS") if seconds is None else ""
    more_memory = limits.option_for("PARSE_MEMORY_BYTES") if memory is None else ""
    seconds = limits.PARSE_SECONDS if seconds is None else seconds
    memory = limits.PARSE_MEMORY_BYTES if memory is None else memory
    if cancel is None:
        cancel = getattr(_scope, "cancelled", None)
    name = Path(path)
    ctx = _context()
    if ctx.get_start_method() != "fork" and not _picklable(fn, path, args):
        return fn(path, *args)  # a fresh interpreter cannot be handed a closure: read here
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, (path, *args), memory, seconds), daemon=True)
    proc.start()
    child.close()
    deadline = time.monotonic() + seconds
    try:
        while True:
            if parent.poll(_POLL):
                try:
                    status, value = parent.recv()
                except (EOFError, OSError):
                    status, value = "crash", None
                break
            if not proc.is_alive():
                status, value = ("crash", None) if not parent.poll(_POLL) else parent.recv()
                break
            if cancel is not None and cancel():
                raise error(f"{name}: reading was cancelled")
            if time.monotonic() > deadline:
                raise error(f"{name}: could not be read within {seconds:g} s (the file may be damaged)"
                            + more_time)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status == "ok":
        return value  # type: ignore[no-any-return]
    if status == "error":
        if isinstance(value, passes):
            raise value
        raise error(f"{name}: cannot be read, the file may be damaged ({type(value).__name__}: "
                    f"{' '.join(str(value).split())[:200]})")
    if status == "memory":
        raise error(f"{name}: could not be read within {limits.size_text(memory)} of memory "
                    "(the file may be damaged)" + more_memory)
    code = proc.exitcode
    raise error(f"{name}: the reader stopped unexpectedly (exit {code}; the file may be damaged)")


def read_document_isolated(
    fn: Callable[[Path], str], path: Path, error: Callable[[str], Exception],
    cancel: Callable[[], bool] | None = None,
) -> str:
    """The text a DOCX/PDF reader ``fn`` gets out of ``path``: the file checked against the
    budget first (size; a DOCX's parts, unpacked size and paragraphs), then parsed in a child process
    within the time and memory limits.  Every refusal is ``error(one line)``."""
    try:
        limits.check_file_size(path, limits.DOCUMENT_FILE_BYTES, raise_with="DOCUMENT_FILE_BYTES")
        if path.suffix.lower() == ".docx":
            limits.check_zip(path, "document")
            limits.check_docx_paragraphs(path)
    except limits.LimitExceeded as exc:
        raise error(str(exc)) from None
    passes = (error,) if isinstance(error, type) else (BaseException,)
    return run_isolated(fn, path, cancel=cancel, error=error, passes=passes)
