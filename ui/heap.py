"""The garbage collector's share of the GUI thread's pauses.

CPython's full collection walks every tracked object: with the modules the views need
(matplotlib, numpy, pandas, the engines) and an open workspace that is some 300,000
objects, a 100-500 ms pause on whichever thread triggers it, and it holds the GIL the
whole time, so the GUI thread stops too.  Almost all of those objects live as long as
the window (modules, classes, the contract versions, the built views) or as long as
the workspace is open (its history and records).  :func:`settle` moves everything
alive at that moment out of the collector's reach (``gc.freeze``), so later
collections walk only what was made since; :func:`release` (a workspace closed or
replaced) hands everything back, so what the old workspace leaves in reference cycles
is collected like any other garbage (most of it, arrays and rows, goes by reference
counting at once), and the next :func:`settle` freezes what is alive then.

While something long-lived is being loaded (the views' modules imported on a pool
thread, a workspace read on the database thread) nearly every object made survives, so
a full collection then is a pause that finds nothing: :func:`hold` keeps the collector
to its young generations until the next :func:`settle` (or :func:`resume`, a load that
failed), which lets full collections run again over what was made after the freeze.
"""

from __future__ import annotations

import gc

_NO_FULL = 1_000_000  # young collections between two full ones: none while a load runs
_full_threshold: int | None = None  # the threshold to give back while held


def hold() -> None:
    """A load of long-lived objects begins: no full collection until :func:`settle`
    (or :func:`resume`); the young generations are collected as before."""
    global _full_threshold
    young, middle, full = gc.get_threshold()
    if _full_threshold is None:
        _full_threshold = full
    gc.set_threshold(young, middle, _NO_FULL)


def resume() -> None:
    """Full collections run again (a load ended or failed)."""
    global _full_threshold
    if _full_threshold is not None:
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, _full_threshold)
        _full_threshold = None


def held() -> bool:
    """Full collections are held back (tests)."""
    return _full_threshold is not None


def settle() -> None:
    """The objects alive now are long-lived: later collections leave them out (and full
    collections held back by :func:`hold` run again)."""
    gc.freeze()
    resume()


def release() -> None:
    """Objects settled before may now be garbage (the workspace was closed or replaced):
    the collector sees them again, full collections included (a load still held for is
    superseded)."""
    gc.unfreeze()
    resume()


def settled() -> int:
    """How many objects the collector leaves out (tests)."""
    return gc.get_freeze_count()
