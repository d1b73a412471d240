"""QBR mode: the quarter's review as full-screen slides, stepped with the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
CONTRACTS = tuple(load_contract(DEMO / f"{n}.yaml") for n in ("northwind-2025", "northwind-2026-q4-proposal"))

pytestmark = [pytest.mark.gui, pytest.mark.window(CONTRACTS, tickets=800, view="overview")]


def test_present_steps_through_the_review_and_esc_ends(window, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    from ui.present import quarters_of
    from workbench.analytics.kpis import report_zone

    st = window.state
    quarters = quarters_of(st.history, st.as_of(), report_zone(st.baseline.contract))
    assert quarters and all(q.label.startswith("Q") for q in quarters)
    window.present(quarters[0], st.versions[1])
    qtbot.waitUntil(lambda: getattr(window, "presenting", None) is not None, timeout=60_000)
    show = window.presenting
    qtbot.addWidget(show)
    assert show.index == 0 and quarters[0].label in show.message.text()
    assert len(show.slides) == len(show.report.sections) + 1
    qtbot.keyClick(show, Qt.Key.Key_Right)
    assert show.index == 1 and show.title.text() == show.report.sections[0].title
    qtbot.keyClick(show, Qt.Key.Key_End)
    assert show.index == len(show.slides) - 1
    qtbot.keyClick(show, Qt.Key.Key_Left)
    assert show.index == len(show.slides) - 2
    assert "/" in show.footer.text()
    qtbot.keyClick(show, Qt.Key.Key_Escape)
    assert not show.isVisible()
