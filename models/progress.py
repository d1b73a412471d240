"""The plain progress/cancel callback that every long call in ``models/`` and ``workbench/`` takes.

A long call accepts ``progress: ProgressCallback | None``.  It calls
``progress(fraction, message)`` now and then (``fraction`` in 0..1); the callback
returns ``False`` to ask for cancellation, and the call then raises
:class:`Cancelled` after undoing anything it had started (a cancelled import
changes nothing).  ``ui/`` runs such calls on a worker thread and wires the
callback to a progress dialog with a Cancel button.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[float, str], bool | None]


class Cancelled(Exception):
    """The user cancelled a long operation; nothing was changed."""


def report(progress: ProgressCallback | None, fraction: float, message: str = "") -> None:
    """Report progress; raise Cancelled when the callback asks to stop."""
    if progress is None:
        return
    if progress(min(max(fraction, 0.0), 1.0), message) is False:
        raise Cancelled(message or "cancelled")


def scaled(
    progress: ProgressCallback | None, start: float, end: float
) -> ProgressCallback | None:
    """A callback for a sub-step that maps its 0..1 onto ``start..end`` of the parent."""
    if progress is None:
        return None

    def sub(fraction: float, message: str) -> bool | None:
        return progress(start + (end - start) * fraction, message)

    return sub
