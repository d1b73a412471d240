"""Compare on the demo's five contract versions: the 2024 template (no priority targets)
is not ticked by default, and the scores are those the command line gives for the same
versions on the same history."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract
from workbench.analytics.compare import compare

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NAMES = ("northwind-2024", "northwind-2025", "northwind-2026-q4-proposal", "competitor-bluepeak",
         "competitor-harbourline")
CONTRACTS = tuple(load_contract(DEMO / f"{n}.yaml") for n in NAMES)

pytestmark = [pytest.mark.gui, pytest.mark.window(CONTRACTS, tickets=500, view="compare")]


def test_templates_unticked_and_scores_as_on_the_command_line(window, qtbot: QtBot) -> None:
    view = window.views["compare"]
    qtbot.waitUntil(lambda: view.comparison is not None and view.idle(), timeout=60_000)
    ticked = [v.contract.version for v in view.selected()]
    assert "2024" not in ticked and len(ticked) == 4
    h = window.state.history
    cli = compare([v.contract for v in view.selected()], h.tickets, h.status_log, history=h,
                  with_warnings=False)
    gui = {v.proposal.label: round(v.score, 6) for v in view.comparison.versions}
    assert gui == {v.proposal.label: round(v.score, 6) for v in cli.versions}
