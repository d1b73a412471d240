"""Working drafts' keys, made in one place.

A working draft is stored under a key (the store's drafts table) together with the
version it was made from (``parent_version_id``).  The key only names the draft: it is
unique and readable (``draft:<parent id or 0>:<8 hex digits>``), and nothing takes it
apart again — the parent is read from the stored ``parent_version_id``
(:meth:`models.store.Workspace.draft_records`).
"""

from __future__ import annotations

import uuid


def new_draft_key(parent_id: int | None) -> str:
    """A fresh key for a working draft of version ``parent_id`` (None: of no stored version)."""
    return f"draft:{parent_id or 0}:{uuid.uuid4().hex[:8]}"
