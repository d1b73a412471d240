"""The workspace operations both front ends call, each one named, typed function whose
work is one atomic call on the store, returning what changed.

The GUI runs them on its database worker and applies the returned :class:`Changes` to
what the window shows; the command line calls the same functions and prints them.
Versions are :class:`Version` values: a stored contract version (``id``), or a working
draft (``draft_key``, with the stored version it was made from as ``parent_id``, read
from the store and never parsed out of the key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from models.contract import Contract, contract_from_data
from models.history import History
from workbench.app.drafts import new_draft_key

if TYPE_CHECKING:
    from models.store import Records, Workspace
    from workbench.app.contracts import ContractFile

__all__ = [
    "Changes",
    "Contents",
    "Version",
    "add_version",
    "apply_changes",
    "discard_draft",
    "load_records",
    "open_contents",
    "promote_version",
    "remove_version",
    "save_draft",
    "save_draft_as_version",
    "save_workspace_as",
    "start_draft",
]


@dataclass(frozen=True)
class Version:
    """One contract version as the front ends show it: stored (``id``) or a working
    draft (``draft_key``; ``parent_id`` the stored version it started from)."""

    id: int | None
    contract: Contract
    draft_key: str | None = None
    parent_id: int | None = None

    @property
    def status(self) -> str:
        return self.contract.status

    @property
    def label(self) -> str:
        c = self.contract
        if c.status == "proposal" and c.provider:
            return f"{c.version} — {c.provider}"
        return c.version


@dataclass(frozen=True)
class Changes:
    """What an operation changed: versions added (stored or drafts), versions replaced
    (old -> new, e.g. a draft that became a stored version), stored versions and drafts
    removed."""

    added: tuple[Version, ...] = ()
    replaced: tuple[tuple[Version, Version], ...] = ()
    removed_ids: tuple[int, ...] = ()
    removed_drafts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contents:
    """What opening a workspace shows first: its versions (stored, then drafts) and its
    tickets with their status log (the backups, outages and KPIs come with
    :func:`load_records`)."""

    versions: tuple[Version, ...]
    history: History


def open_contents(ws: Workspace, demo_marker: str | None = None) -> Contents:
    """The versions, drafts and tickets of ``ws``.  ``demo_marker``: the workspace must
    be the demo (its ``demo`` meta entry), else :class:`models.store.WorkspaceError`."""
    if demo_marker is not None and ws.meta().get("demo") != demo_marker:
        from models.store import WorkspaceError

        raise WorkspaceError(f"{ws.label}: is a workspace but not the demo; choose another path")
    versions = [Version(i, c) for i, c in ws.contract_versions()]
    for draft in ws.draft_records():
        contract = contract_from_data(draft.data, f"draft {draft.key}")
        versions.append(Version(None, contract, draft.key, draft.parent_version_id))
    tickets, log = ws.load_tickets()
    return Contents(tuple(versions), History(tickets=tickets, status_log=log))


def load_records(ws: Workspace) -> Records:
    """The backups, restore tests, outages and KPIs of ``ws`` (without the tickets)."""
    return ws.load_records()


def start_draft(version: Version, contract: Contract | None = None) -> Version:
    """The working draft that the first edit of ``version`` starts (a new key; its
    parent is the stored version).  A draft stays itself."""
    if version.draft_key is not None:
        return version if contract is None else Version(None, contract, version.draft_key, version.parent_id)
    return Version(None, contract or version.contract, new_draft_key(version.id), version.id)


def save_draft(ws: Workspace, draft: Version) -> Changes:
    """Autosave a working draft (one write; saving again replaces it)."""
    if draft.draft_key is None:
        raise ValueError("save_draft: a stored version is not a draft; start_draft first")
    ws.save_draft(draft.draft_key, draft.contract.to_data(), parent_version_id=draft.parent_id)
    return Changes()


def discard_draft(ws: Workspace, key: str) -> Changes:
    """Remove a working draft's autosaved copy."""
    ws.delete_draft(key)
    return Changes(removed_drafts=(key,))


def save_draft_as_version(ws: Workspace, draft: Version) -> Changes:
    """Store a working draft as an immutable version and drop the draft, in one transaction."""
    if draft.draft_key is None:
        raise ValueError("save_draft_as_version: not a working draft")
    vid = ws.save_draft_as_version(draft.draft_key, draft.contract, parent_id=draft.parent_id)
    stored = Version(int(vid), draft.contract, None, draft.parent_id)
    return Changes(replaced=((draft, stored),), removed_drafts=(draft.draft_key,))


def add_version(ws: Workspace, read: ContractFile, parent_id: int | None = None) -> Changes:
    """Store a contract file or confirmed document as a new version (one transaction;
    a version equal to a stored one is refused, naming it)."""
    from workbench.app.contracts import add_contract_version  # the document reader loads on use

    vid = add_contract_version(ws, read, parent_id=parent_id)
    return Changes(added=(Version(vid, read.contract, None, parent_id),))


def remove_version(ws: Workspace, version: Version) -> Changes:
    """Remove a stored draft or proposal and the working drafts made from it, in one
    transaction (a signed version is immutable: :class:`models.store.WorkspaceError`)."""
    if version.id is None:
        raise ValueError("remove_version: a working draft is discarded, not removed")
    drafts = ws.remove_contract_version(version.id)
    return Changes(removed_ids=(version.id,), removed_drafts=tuple(drafts))


def promote_version(ws: Workspace, version: Version, status: str) -> Changes:
    """Store ``version`` again with ``status`` (a proposal the client signed, a draft put
    forward as a proposal) as a new version made from it; stored versions never change."""
    if status == version.status:
        raise ValueError(f"version {version.label!r} is already {status}")
    promoted = version.contract.model_copy(update={"status": status})
    if version.draft_key is not None:
        return save_draft_as_version(ws, Version(None, promoted, version.draft_key, version.parent_id))
    vid = ws.add_contract_version(promoted, parent_id=version.id)
    return Changes(added=(Version(int(vid), promoted, None, version.id),))


def save_workspace_as(ws: Workspace, target: str | Path) -> Path:
    """A copy of the whole workspace (versions, drafts, history, records) at ``target``;
    the open workspace is left as it is (the front end then opens the copy)."""
    return ws.save_copy(target)


def apply_changes(versions: Sequence[Version], changes: Changes) -> list[Version]:
    """``versions`` after ``changes`` (what a front end shows next)."""
    def replacement(v: Version) -> Version | None:
        return next((new for old, new in changes.replaced if old == v), None)

    out: list[Version] = []
    for v in versions:
        new = replacement(v)
        if new is not None:
            out.append(new)
        elif v.id not in changes.removed_ids and v.draft_key not in changes.removed_drafts:
            out.append(v)
    return out + [v for v in changes.added if v not in out]
