"""The progress/cancel callback convention, for ``workbench/`` callers.

It lives in :mod:`models.progress` (the store uses it too, and ``models/`` does not
import from ``workbench/``); these are the same objects under their usual names.
"""

from __future__ import annotations

from models.progress import Cancelled, ProgressCallback, report, scaled

__all__ = ["Cancelled", "ProgressCallback", "report", "scaled"]
