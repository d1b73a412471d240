"""The demo workspace: YAML -> model -> workspace -> YAML, history saved, reuse, safety."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import pytest

from models import store
from models.contract import dump_contract_yaml
from workbench.cli import main
from workbench.demo import generator as demo
from workbench.progress import Cancelled


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seen: list[float] = []
    path = demo.build_demo_workspace(tmp_path_factory.mktemp("ws") / "demo.slawb",
                                     progress=lambda f, _m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    return path


@pytest.mark.slow
def test_contracts_round_trip_through_the_workspace(built: Path) -> None:
    with store.Workspace.open(built) as ws:
        versions = ws.contract_versions()
        info = {v.id: v for v in ws.contract_history()}
    assert len(versions) == len(demo.CONTRACT_FILES)
    for (vid, contract), (name, path) in zip(versions, demo.demo_contract_paths().items(), strict=True):
        assert dump_contract_yaml(contract) == path.read_text(encoding="utf-8"), name
        expect_parent = name.startswith("northwind-") and name != "northwind-2024"
        assert (info[vid].parent_id is not None) == expect_parent, name


@pytest.mark.slow
def test_history_saved_whole(built: Path) -> None:
    tickets, log = demo.read_demo_tickets()
    with store.Workspace.open(built) as ws:
        assert ws.ticket_count() == demo.N_TICKETS
        saved = ws.load_history()
    order = np.argsort(saved.tickets.ids.astype(str))
    ref = np.argsort(tickets.ids.astype(str))
    for col in ("priority", "opened", "first_response", "resolved", "closed", "provider_sla_met"):
        assert np.array_equal(getattr(saved.tickets, col)[order], getattr(tickets, col)[ref]), col
    assert len(saved.status_log) == len(log)

    def rows(name: str) -> int:
        return (demo.demo_dir() / name).read_text(encoding="utf-8").count("\n") - 1

    assert len(saved.backups) == rows("backups.csv")
    assert len(saved.restore_tests) == rows("restore_tests.csv") and not all(
        r.success for r in saved.restore_tests)
    assert len(saved.outages) == rows("outages.csv") and len(saved.kpis) == rows("kpis.csv")


@pytest.mark.slow
def test_existing_demo_workspace_is_reused(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(built)
    assert demo.ensure_demo_workspace(built) == built
    assert main(["demo", "--workspace", str(built)]) == 0
    assert capsys.readouterr().out.strip() == str(built)
    assert _digest(built) == before


def test_other_files_are_refused_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "client.slawb"
    store.Workspace.create(other).close()
    junk = tmp_path / "notes.slawb"
    junk.write_text("not a workspace\n")
    for path in (other, junk):
        before = _digest(path)
        with pytest.raises(store.WorkspaceError, match=str(path.name)):
            demo.ensure_demo_workspace(path)
        assert main(["demo", "--workspace", str(path)]) == 2
        assert capsys.readouterr().err.startswith("sla-workbench demo: error:")
        assert _digest(path) == before


@pytest.mark.slow
def test_cancelled_build_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "demo.slawb"
    seen: list[float] = []

    def cancel_once_saving(f: float, _m: str) -> bool:
        seen.append(f)
        return f <= 0.35  # the first report from inside the store's transaction cancels

    with pytest.raises(Cancelled):
        demo.ensure_demo_workspace(target, progress=cancel_once_saving)
    assert 0.35 < seen[-1] < 1.0
    assert list(tmp_path.iterdir()) == []


def test_default_location_is_the_user_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG_DATA_HOME is the Linux convention")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    path = demo.default_demo_workspace_path()
    assert tmp_path in path.parents and path.suffix == ".slawb"
    assert path.name == f"lakeshore-dental-demo-{demo.demo_fingerprint()}.slawb"


def test_fingerprint_follows_the_demo_files(tmp_path: Path) -> None:
    for p in demo.demo_dir().iterdir():
        if p.suffix in (".yaml", ".csv", ".gz"):
            (tmp_path / p.name).write_bytes(p.read_bytes())
    assert demo.demo_fingerprint(tmp_path) == demo.demo_fingerprint()
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(kpis.read_text().replace("0.", "0,", 1))
    assert demo.demo_fingerprint(tmp_path) != demo.demo_fingerprint()
