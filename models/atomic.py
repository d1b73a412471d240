"""Atomic file writes: a crash mid-write leaves the previous file intact."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(p, ".tmp")
    fd, tmp = tempfile.mkstemp(prefix=temporary_prefix(p), suffix=".tmp", dir=p.parent)
    try:
        # mkstemp makes 0600 files: give the result the mode a plain open() would
        # (the replaced file's mode, else 0666 less the umask).
        os.fchmod(fd, _target_mode(p))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(p.parent)


def temporary_prefix(path: Path) -> str:
    """The name a temporary file for ``path`` starts with: hidden, the target's name and the
    writing process's id (``.review.pdf.4711.``), so that the next write can tell the leftovers
    of a killed writer from the file of one still at work."""
    return f".{path.name}.{os.getpid()}."


def remove_stale_temporaries(path: Path, suffix: str) -> list[Path]:
    """Remove the temporary files (``suffix``: ``.tmp``, ``.creating``) that writers of ``path``
    left behind when they were killed: those whose process is gone.  Returns what was removed."""
    removed: list[Path] = []
    prefix = f".{path.name}."
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix):]
        pid_text, _, tail = rest.partition(".")
        if not pid_text.isdigit() or not (tail.endswith(suffix) or tail.endswith(suffix + "-journal")):
            continue
        if _alive(int(pid_text)):
            continue
        leftover = path.parent / name
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # (Windows' os.kill would end the process)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or no way to tell: leave its file alone
    return True


def _target_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
