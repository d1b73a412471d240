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
"""

from __future__ import annotations

import gc


def settle() -> None:
    """The objects alive now are long-lived: later collections leave them out."""
    gc.freeze()


def release() -> None:
    """Objects settled before may now be garbage (the workspace was closed or replaced):
    the collector sees them again."""
    gc.unfreeze()


def settled() -> int:
    """How many objects the collector leaves out (tests)."""
    return gc.get_freeze_count()
