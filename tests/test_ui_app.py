"""run_gui's unattended start (SLA_WORKBENCH_SMOKE_TEST=1), used by the packaging test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

import workbench.demo.generator
from models.store import Workspace
from tests.test_ui_support import make_contract
from ui.app import run_gui


@pytest.fixture(autouse=True)
def _smoke(tmp_path, monkeypatch) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    monkeypatch.setenv("SLA_WORKBENCH_SMOKE_TEST", "1")


def _workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws.slawb"
    ws = Workspace.create(str(path))
    ws.add_contract_version(make_contract())
    ws.close()
    return path


def test_smoke_start_prints_window_shown_after_the_workspace_loaded(qapp, tmp_path, capfd) -> None:
    assert run_gui(workspace=str(_workspace(tmp_path))) == 0
    assert "window shown" in capfd.readouterr().out


def test_smoke_start_fails_when_the_workspace_cannot_open(qapp, tmp_path, capfd) -> None:
    bad = tmp_path / "notes.slawb"
    bad.write_text("not a database")
    assert run_gui(workspace=str(bad)) == 1
    out = capfd.readouterr()
    assert "window shown" not in out.out and str(bad) in out.err
    assert bad.read_text() == "not a database"  # left untouched


def _own_user_data(monkeypatch, tmp_path: Path) -> Path:
    """The platform's user data folder under ``tmp_path`` (no demo built there yet)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return workbench.demo.generator.default_demo_workspace_path()


def test_demo_start_uses_the_default_demo_location(qapp, tmp_path, monkeypatch, capfd) -> None:
    asked: list[object] = []
    ws = _workspace(tmp_path)
    assert not _own_user_data(monkeypatch, tmp_path).exists()

    def fake_demo(path=None, progress=None):  # the real build is covered by test_ui_demo (slow)
        asked.append(path)
        return ws

    monkeypatch.setattr(workbench.demo.generator, "ensure_demo_workspace", fake_demo)
    assert run_gui(demo=True) == 0
    assert asked == [None]  # no path from the GUI: the demo's default, the user data folder
    assert "window shown" in capfd.readouterr().out


def _mark_demo(path: Path) -> Path:
    ws = Workspace.open(str(path))
    ws.set_meta("demo", workbench.demo.generator.DEMO_MARKER)
    ws.close()
    return path


def test_demo_start_opens_a_built_demo_once_without_ensuring_it(qapp, tmp_path, monkeypatch, capfd) -> None:
    """A demo already built at the default location is opened straight away, its demo
    marker checked in that one open (``ensure_demo_workspace`` would open it twice)."""
    target = _own_user_data(monkeypatch, tmp_path)
    target.parent.mkdir(parents=True)
    _mark_demo(_workspace(tmp_path)).rename(target)
    asked: list[object] = []
    opens: list[str] = []
    real_open = Workspace.open

    def counting_open(path, *args, **kwargs):
        opens.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(workbench.demo.generator, "ensure_demo_workspace", lambda *a, **k: asked.append(a))
    monkeypatch.setattr(Workspace, "open", counting_open)
    assert run_gui(demo=True) == 0
    out = capfd.readouterr().out
    assert asked == [] and opens == [str(target)]
    assert out.splitlines()[-3:] == ["window usable", "tickets shown", "window shown"]


def test_demo_start_refuses_a_workspace_that_is_not_the_demo(qapp, tmp_path, monkeypatch, capfd) -> None:
    target = _own_user_data(monkeypatch, tmp_path)
    target.parent.mkdir(parents=True)
    _workspace(tmp_path).rename(target)  # a workspace, but no demo marker
    before = target.read_bytes()
    assert run_gui(demo=True) == 1
    out = capfd.readouterr()
    assert "window shown" not in out.out and "not the demo" in out.err
    assert target.read_bytes() == before


def test_default_demo_workspace_is_in_the_user_data_folder(monkeypatch, tmp_path) -> None:
    from platformdirs import user_data_dir

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = workbench.demo.generator.default_demo_workspace_path()
    assert path.is_relative_to(Path(user_data_dir("sla-workbench", appauthor=False)))
    assert path.is_relative_to(tmp_path / "data")
    assert not path.is_relative_to(Path(workbench.demo.generator.__file__).resolve().parents[1])
