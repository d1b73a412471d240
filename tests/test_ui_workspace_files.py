"""File > Save workspace as… copies the whole workspace and goes on in the copy;
File > Close workspace saves the drafts and shows the welcome page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract
from models.store import Workspace, WorkspaceError

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
CONTRACTS = tuple(load_contract(DEMO / f"{n}.yaml") for n in ("northwind-2025", "northwind-2026-q4-proposal"))

pytestmark = [pytest.mark.gui, pytest.mark.window(CONTRACTS, workspace=True)]


def test_save_as_then_close(window, qtbot: QtBot, tmp_path: Path) -> None:
    original = window.state.path
    target = tmp_path / "copy" / "client 2026"
    target.parent.mkdir()
    window.save_workspace_as(str(target))
    copy = target.with_suffix(".slawb")
    qtbot.waitUntil(lambda: window.state.path == copy and not window.loading, timeout=20_000)
    assert [v.contract.version for v in window.state.versions] == ["2025", "2026-Q4 proposal"]
    with Workspace.open(copy) as a, Workspace.open(original) as b:
        assert a.contract_versions() == b.contract_versions()
    assert not list(copy.parent.glob("*.tmp")), "no temporary file left"

    window.act_close_ws.trigger()
    qtbot.waitUntil(lambda: not window.state.is_open, timeout=20_000)
    assert window.stack.currentWidget() is window.welcome
    assert window.state.versions == [] and len(window.state.history.tickets) == 0


def test_a_copy_onto_itself_or_into_no_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.slawb"
    with Workspace.create(path) as ws:
        with pytest.raises(WorkspaceError, match="this workspace itself"):
            ws.save_copy(path)
        with pytest.raises(WorkspaceError, match="does not exist"):
            ws.save_copy(tmp_path / "nowhere" / "x.slawb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.slawb"]
