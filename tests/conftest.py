"""Test set-up: Qt runs offscreen; shared data is found beside the checkout; the GUI
tests' main window (the ``window`` fixture and mark)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from models.contract import Contract

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from ui.main_window import MainWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(autouse=True)
def _limits_as_shipped() -> Iterator[None]:
    """Every test runs with the input limits as shipped and refusals naming ``--limit``: a
    main window applies its Preferences' limits (and their words) to the whole process."""
    from models import limits

    limits.use((), limits.RAISE_WITH_OPTION)
    yield
    limits.use((), limits.RAISE_WITH_OPTION)


@pytest.fixture
def isolated_settings(tmp_path: Path) -> None:
    """The GUI's QSettings (window layout, recent files, preferences) in the test's own
    folder, never the user's.  GUI test modules use it with
    ``pytest.mark.usefixtures("isolated_settings")``; Qt is imported only then."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def window(request: pytest.FixtureRequest, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """A quiet main window for the GUI tests, set up by the test's (or its module's)
    ``window`` mark; its database worker is stopped afterwards.

    ``pytest.mark.window(contracts, tickets=0, view=None, workspace=False)``: the
    contracts are loaded as versions 1, 2, … with a generated history of ``tickets``
    tickets, then ``view`` is shown; with ``workspace=True`` they are stored in a new
    workspace file that the window opens instead.  No mark: an empty window.  Qt is
    imported here, not at the top, so that Qt-free test runs never load it."""
    from tests.test_ui_support import make_history
    from ui.main_window import MainWindow
    from ui.state import Version

    mark = request.node.get_closest_marker("window")
    setup = WindowSetup(*mark.args, **mark.kwargs) if mark else WindowSetup()
    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    if setup.workspace:
        from models.store import Workspace

        path = tmp_path / "ws.slawb"
        ws = Workspace.create(str(path))
        for contract in setup.contracts:
            ws.add_contract_version(contract)
        ws.close()
        w.open_workspace(str(path))
        qtbot.waitUntil(lambda: w.state.is_open and not w.loading, timeout=20_000)
    elif setup.contracts:
        versions = [Version(i, c) for i, c in enumerate(setup.contracts, start=1)]
        w.state.load(None, versions, make_history(setup.tickets))
    if setup.view:
        w.show_view(setup.view)
    yield w
    w.db.shutdown()


@dataclass(frozen=True)
class WindowSetup:
    """What the ``window`` mark asks of the shared ``window`` fixture."""

    contracts: Sequence[Contract] = ()
    tickets: int = 0
    view: str | None = None
    workspace: bool = False
