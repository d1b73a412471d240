"""The store's one exception: a workspace cannot be opened, created or used."""

from __future__ import annotations


class WorkspaceError(Exception):
    """A workspace cannot be opened, created or used; the message names the file."""
