"""The workspace operations of the application layer on a real workspace file: each
does its work in one store call and says what changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.contract import load_contract
from models.store import Workspace, WorkspaceError
from workbench.app.contracts import read_contract_file
from workbench.app.workspace import (
    Changes,
    Version,
    add_version,
    apply_changes,
    discard_draft,
    open_contents,
    promote_version,
    remove_version,
    save_draft,
    save_draft_as_version,
    start_draft,
)

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = Workspace.create(tmp_path / "w.slawb")
    yield w
    w.close()


def test_open_contents_gives_versions_then_drafts_with_their_parents(ws: Workspace) -> None:
    signed = add_version(ws, read_contract_file(DEMO / "northwind-2025.yaml")).added[0]
    draft = start_draft(signed)
    assert draft.parent_id == signed.id and draft.draft_key and draft.id is None
    edited = start_draft(draft, draft.contract.model_copy(update={"version": "2025 edited"}))
    assert edited.draft_key == draft.draft_key
    assert save_draft(ws, edited) == Changes()
    contents = open_contents(ws)
    assert [(v.id, v.draft_key, v.parent_id, v.contract.version) for v in contents.versions] == [
        (signed.id, None, None, "2025"), (None, draft.draft_key, signed.id, "2025 edited")
    ]
    assert len(contents.history.tickets) == 0
    with pytest.raises(WorkspaceError, match="not the demo"):
        open_contents(ws, demo_marker="demo-1")


def test_a_draft_becomes_a_version_and_leaves_no_draft(ws: Workspace) -> None:
    signed = add_version(ws, read_contract_file(DEMO / "northwind-2025.yaml")).added[0]
    renamed = signed.contract.model_copy(update={"version": "2026 draft", "status": "draft"})
    draft = start_draft(signed, renamed)
    save_draft(ws, draft)
    changes = save_draft_as_version(ws, draft)
    ((old, stored),) = changes.replaced
    assert old == draft and stored.id is not None and stored.parent_id == signed.id
    assert changes.removed_drafts == (draft.draft_key,)
    assert ws.draft_records() == [] and ws.contract(stored.id).version == "2026 draft"
    shown = apply_changes([signed, draft], changes)
    assert shown == [signed, stored]


def test_remove_and_promote(ws: Workspace) -> None:
    signed = add_version(ws, read_contract_file(DEMO / "northwind-2025.yaml")).added[0]
    proposal = add_version(ws, read_contract_file(DEMO / "northwind-2026-q4-proposal.yaml")).added[0]
    with pytest.raises(WorkspaceError, match="immutable"):
        remove_version(ws, signed)
    promoted = promote_version(ws, proposal, "signed").added[0]
    assert promoted.status == "signed" and promoted.parent_id == proposal.id
    assert proposal.id is not None
    assert ws.contract(proposal.id).status == "proposal", "a stored version never changes"
    with pytest.raises(ValueError, match="already signed"):
        promote_version(ws, promoted, "signed")
    other = add_version(
        ws, read_contract_file(DEMO / "competitor-bluepeak.yaml")
    ).added[0]
    draft = start_draft(other)
    save_draft(ws, draft)
    changes = remove_version(ws, other)
    assert changes.removed_ids == (other.id,) and changes.removed_drafts == (draft.draft_key,)
    assert apply_changes([signed, proposal, promoted, other, draft], changes) == [signed, proposal, promoted]
    assert discard_draft(ws, "nothing") == Changes(removed_drafts=("nothing",))


def test_a_working_draft_is_promoted_by_storing_it(ws: Workspace) -> None:
    signed = add_version(ws, read_contract_file(DEMO / "northwind-2025.yaml")).added[0]
    draft = start_draft(signed, signed.contract.model_copy(update={"version": "next", "status": "draft"}))
    save_draft(ws, draft)
    changes = promote_version(ws, draft, "proposal")
    ((_, stored),) = changes.replaced
    assert stored.id is not None
    assert stored.status == "proposal" and ws.contract(stored.id).status == "proposal"
    assert ws.draft_records() == []


def test_version_labels() -> None:
    c = load_contract(DEMO / "competitor-bluepeak.yaml")
    assert Version(1, c).label == f"{c.version} — {c.provider}"
    assert Version(1, c.model_copy(update={"status": "signed"})).label == c.version
