"""The GUI on the real demo workspace (built once, into a temporary folder)."""

from __future__ import annotations

import pytest

from tests.test_ui_support import view_of
from ui.main_window import MainWindow
from ui.views.whatif import WhatIfView

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.mark.slow
def test_demo_workspace_opens_and_the_whatif_reacts(qtbot, tmp_path) -> None:
    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    try:
        w.open_demo(str(tmp_path / "demo.slawb"))
        qtbot.waitUntil(lambda: w.state.is_open or bool(w.errors), timeout=120_000)
        assert not w.errors
        assert w.state.ticket_count > 1000
        assert w.state.baseline is not None and w.state.baseline.status == "signed"
        statuses = {v.status for v in w.state.versions}
        assert {"signed", "proposal"} <= statuses
        assert w.sb_tickets.text() == f"{w.state.ticket_count:,} tickets"

        qtbot.waitUntil(lambda: w.simulation.whatif is not None and w.simulation.idle(), timeout=60_000)
        view = view_of(w, "whatif", WhatIfView)
        w.show_view("whatif")
        m = view.compliance_model
        p1_before = m.data(m.index(0, 6))
        spin = view.controls[("P1", "resolution")].spin
        spin.setValue(max(spin.value() / 4, 0.25))
        qtbot.waitUntil(lambda: m.data(m.index(0, 6)) != p1_before, timeout=30_000)
        assert m.data(m.index(0, 7)).startswith("-")
        w.act_undo.trigger()
        qtbot.waitUntil(lambda: m.data(m.index(0, 6)) == p1_before, timeout=30_000)

        # edits saved as a draft survive a reopen (autosave into the workspace)
        version = view.save_as_draft()
        assert version is not None
        job = w.autosave()
        w.db.wait(job)
        path = str(w.state.path)
        w.state.clear()
        w.open_workspace(path)
        qtbot.waitUntil(lambda: w.state.is_open, timeout=60_000)
        drafts = [v for v in w.state.versions if v.status == "draft"]
        assert [d.contract.version for d in drafts] == [version.contract.version]
    finally:
        w.db.shutdown()
