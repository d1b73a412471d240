"""The What-if view's Recovery panel driven through its real widgets: the demo's 2025
contract on the demo's backups, restore tests and outages (a small generated ticket
history beside them).  Every figure checked is computed again here by the Qt-free
replay (workbench.engine.recovery_replay), not read back from the panel."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from models.contract import load_contract
from models.history import History
from tests.test_ui_start import _modal_opened_by
from tests.test_ui_support import SupersededCall, make_contract, make_history, view_of
from ui.main_window import MainWindow
from ui.views.whatif import WhatIfView
from ui.views.whatif_recovery import RecoveryPanel, stop_of
from workbench.app.recovery_whatif import recovery_terms_key
from workbench.engine.recovery_replay import RecoveryReplay

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = load_contract(ROOT / "resources" / "demo" / "northwind-2025.yaml")
SYSTEM = "Dentrix practice management DB"
H = 3600

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture(scope="module")
def records() -> History:
    from workbench.demo.generator import load_demo_history

    return load_demo_history()


def _with_records(window: MainWindow, records: History) -> History:
    history = replace(window.state.history, backups=records.backups, restore_tests=records.restore_tests,
                      outages=records.outages)
    window.state.set_records(history)
    return history


def _panel(qtbot, window: MainWindow) -> RecoveryPanel:
    panel = view_of(window, "whatif", WhatIfView).recovery
    panel.side_tabs.setCurrentWidget(panel)
    _settled(qtbot, window)
    return panel


def _settled(qtbot, window: MainWindow) -> None:
    panel = view_of(window, "whatif", WhatIfView).recovery
    def current() -> bool:  # the shown result is for the scenario's recovery terms
        result, scenario = panel.service.result, window.state.scenario
        return (result is not None and scenario is not None
                and recovery_terms_key(result.scenario_contract) == recovery_terms_key(scenario))

    qtbot.waitUntil(lambda: panel.service.idle() and current(), timeout=15_000)


def _row(panel: RecoveryPanel, subject: str, measure: str) -> tuple[str, str]:
    for r in panel.model.rows():
        if r.subject == subject and r.measure == measure:
            return r.baseline.text, r.scenario.text
    raise AssertionError(f"no row {subject!r} / {measure!r}")


def _shown(panel: RecoveryPanel, subject: str, measure: str) -> tuple[str, str]:
    """The row's baseline and scenario cells as the table displays them."""
    m = panel.model
    for i, item in enumerate(m.items):
        if not isinstance(item, str) and item.subject == subject and item.measure == measure:
            return m.data(m.index(i, 1)), m.data(m.index(i, 2))
    raise AssertionError(f"no row {subject!r} / {measure!r}")


def _gap_flips(panel: RecoveryPanel) -> dict[int, int]:
    return {f.start: f.seconds for f in panel.flips_model.items if f.kind == "gap" and f.subject == SYSTEM}


@pytest.mark.window([CONTRACT], tickets=300, view="whatif")
def test_moving_an_rpo_slider_shows_the_replay_figures_and_undo_restores(qtbot, window, records) -> None:
    history = _with_records(window, records)
    panel = _panel(qtbot, window)
    replay = RecoveryReplay.from_history(history, CONTRACT)
    base = replay.rpo(SYSTEM, 24 * H)
    assert _row(panel, SYSTEM, "Backup gaps over the RPO") == (f"{base.breaches:,} of {base.gaps:,}",) * 2
    assert panel.rpo[SYSTEM].box.text() == "24 hours" and panel.flips_model.rowCount() == 0
    # the inverse questions: the smallest RPO the records met, the RTO the restore tests met
    from workbench.app.recovery_whatif import duration_up

    met = " · ".join(duration_up(replay.smallest_rpo(SYSTEM, p) or 0) for p in (90, 100))
    assert _shown(panel, SYSTEM, "RPO met on 90% · all days") == (met, met)
    took = " · ".join(duration_up(replay.supported_rto(SYSTEM, p) or 0) for p in (90, 100))
    assert _shown(panel, SYSTEM, "RTO met by 90% · all tests") == (took, took)

    ctl = panel.rpo[SYSTEM]
    for hours in (12, 8, 4, 2):  # a drag down to 2 hours: one undo step
        ctl.slider.setValue(stop_of(hours * H))
    _settled(qtbot, window)
    assert ctl.box.text() == "2 hours"
    assert [s.rpo for s in window.state.scenario.backup.systems] == ["2h", "24h", "24h", "24h"]
    now = replay.rpo(SYSTEM, 2 * H)
    assert now.breaches > base.breaches  # the demo's hourly backups miss 2 hours now and then
    assert _shown(panel, SYSTEM, "Backup gaps over the RPO") == (f"{base.breaches:,} of {base.gaps:,}",
                                                                  f"{now.breaches:,} of {now.gaps:,}")
    assert _shown(panel, SYSTEM, "Days over the RPO")[1] == f"{now.days - now.days_met:,} of {now.days:,}"
    # the flips: the gaps longer than 2 hours and at most 24, each with its length
    expected = {int(s): int(e - s) for s, e in zip(now.breach_start, now.breach_end, strict=True)
                if e - s <= 24 * H}
    assert _gap_flips(panel) == expected and len(expected) == now.breaches - base.breaches
    flip = next(f for f in panel.flips_model.items if f.kind == "gap")
    assert flip.breached_now and flip.scenario.startswith("over 2 hours by ")
    assert flip.baseline == "within 24 hours"
    assert panel.flips_model.headerData(1, Qt.Orientation.Horizontal) == "Start (Toronto time)"
    tab = view_of(window, "whatif", WhatIfView).tabs
    assert tab.tabText(tab.indexOf(panel.flips)) == f"Backups && tests that flip ({len(expected)})"

    window.act_undo.trigger()
    _settled(qtbot, window)
    assert ctl.box.text() == "24 hours" and ctl.slider.value() == stop_of(24 * H)
    assert _row(panel, SYSTEM, "Backup gaps over the RPO")[1] == f"{base.breaches:,} of {base.gaps:,}"
    assert panel.flips_model.rowCount() == 0
    window.act_redo.trigger()
    _settled(qtbot, window)
    assert ctl.box.text() == "2 hours" and _gap_flips(panel) == expected


@pytest.mark.window([CONTRACT], tickets=300, view="whatif")
def test_the_left_end_is_no_target_and_typing_words_sets_a_duration(qtbot, window, records) -> None:
    history = _with_records(window, records)
    panel = _panel(qtbot, window)
    replay = RecoveryReplay.from_history(history, CONTRACT)
    base = replay.rpo(SYSTEM, 24 * H)
    base_rto = replay.rto(SYSTEM, 8 * H)
    panel.rpo[SYSTEM].slider.setValue(0)
    _settled(qtbot, window)
    assert panel.rpo[SYSTEM].box.text() == "no target" and panel.rto[SYSTEM].box.text() == "no target"
    assert SYSTEM not in {s.name for s in window.state.scenario.backup.systems}
    assert _row(panel, SYSTEM, "Backup gaps over the RPO") == (f"{base.breaches:,} of {base.gaps:,}",
                                                                "no target")
    assert _row(panel, SYSTEM, "RPO, RTO") == ("24 hours, 8 hours", "no target")
    gaps = [f for f in panel.flips_model.items if f.subject == SYSTEM and f.kind == "gap"]
    assert {f.start for f in gaps} == set(base.breach_start.tolist())  # every breach: no longer judged
    assert all(f.scenario == "no target" and not f.breached_now for f in gaps)

    # the RTO field in words: the system comes back with the baseline's RPO
    box = panel.rto[SYSTEM].box
    box.lineEdit().setText("1 hour 30 minutes")
    box.interpretText()
    _settled(qtbot, window)
    back = {s.name: s for s in window.state.scenario.backup.systems}[SYSTEM]
    assert (back.rpo, back.rto, back.tier) == ("24h", "90m", 1)
    rto = replay.rto(SYSTEM, 90 * 60)
    assert _row(panel, SYSTEM, "Restore tests over the RTO") == (f"{base_rto.over} of {base_rto.tests}",
                                                                  f"{rto.over} of {rto.tests}")
    tests = {f.start for f in panel.flips_model.items if f.kind == "restore"}
    assert tests == set(rto.over_started.tolist()) - set(base_rto.over_started.tolist())
    assert tests  # some of the demo's restores took longer than 90 minutes
    window.act_undo.trigger()
    _settled(qtbot, window)
    assert panel.rpo[SYSTEM].box.text() == "no target"


@pytest.mark.window([CONTRACT], tickets=300, view="whatif")
def test_cadence_and_uptime_and_the_saved_draft_keeps_them(qtbot, window, records, tmp_path) -> None:
    from models.store import Workspace
    from workbench.app.workspace import open_contents, save_draft, save_draft_as_version

    history = _with_records(window, records)
    panel = _panel(qtbot, window)
    replay = RecoveryReplay.from_history(history, CONTRACT)
    panel.rpo[SYSTEM].box.setValue(4 * H)
    panel.cadence.setCurrentIndex(panel.cadence.findData("quarterly"))
    panel.cadence.activated.emit(panel.cadence.currentIndex())
    panel.uptime["Dentrix practice management"].setValue(99.95)
    _settled(qtbot, window)
    quarterly = replay.cadence(SYSTEM, 92 * 86400)
    assert _row(panel, SYSTEM, "Tests missing (cadence)")[1] == f"{quarterly.missing} (quarterly)"
    scen = replay.run(replay.run().scenario.with_rpo(SYSTEM, 4 * H).with_cadence(None, 92 * 86400)
                      .with_uptime("Dentrix practice management", 99.95))
    a = scen.availability["Dentrix practice management"]
    assert _row(panel, "Dentrix practice management", "Availability; months")[1].endswith(
        f"; {a.breached_months} of {len(a.labels)} below 99.95%")

    version = window.views["whatif"].save_as_draft()
    assert version is not None and version.status == "draft"
    ws = Workspace.create(str(tmp_path / "ws.slawb"))
    base_id = ws.add_contract_version(CONTRACT)
    version = replace(version, parent_id=base_id)
    save_draft(ws, version)
    save_draft_as_version(ws, version)
    stored = [v.contract for v in open_contents(ws).versions if v.contract.status == "draft"]
    ws.close()
    assert len(stored) == 1
    c = stored[0]
    assert {s.name: s.rpo for s in c.backup.systems}[SYSTEM] == "4h"
    assert c.backup.restore_test_cadence == "quarterly"
    assert [(u.service, u.target_percent) for u in c.uptime] == [("Dentrix practice management", 99.95)]


@pytest.mark.window([CONTRACT], tickets=300, view="whatif")
def test_a_change_during_a_replay_cancels_it_through_its_progress_callback(qtbot, window, records) -> None:
    _with_records(window, records)
    panel = _panel(qtbot, window)
    engine = panel.service.engine
    assert engine is not None
    slow = SupersededCall(engine.run)
    engine.run = slow  # type: ignore[method-assign,assignment]
    panel.rpo[SYSTEM].box.setValue(6 * H)
    qtbot.waitUntil(lambda: slow.first.get("running", False), timeout=5000)
    assert slow.first["got_progress"] and not panel.service.idle()
    panel.rpo[SYSTEM].box.setValue(3 * H)  # the running replay is stale: stopped, then run again
    qtbot.waitUntil(lambda: slow.first["cancelled"], timeout=3000)
    _settled(qtbot, window)
    assert slow.calls == 2
    result = panel.service.result
    assert result is not None and result.scenario.rpo[SYSTEM].rpo_seconds == 3 * H


@pytest.mark.window([make_contract("2025 signed")], tickets=300, view="whatif")
def test_without_backups_the_panel_offers_the_records_import(qtbot, window, records) -> None:
    panel = view_of(window, "whatif", WhatIfView).recovery
    panel.side_tabs.setCurrentWidget(panel)
    assert panel.stack.currentWidget() is panel.empty
    buttons = panel.empty.action_buttons()
    assert [b.property("step") for b in buttons] == ["records"]
    assert "import backups" in _modal_opened_by(qtbot, buttons[0]).lower()
    assert not window.state.history.backups and panel.service.result is None
    # records arrive: the panel shows the systems the records name (the contract lists none)
    window.state.set_records(replace(make_history(300), backups=records.backups))
    qtbot.waitUntil(lambda: panel.service.idle() and panel.service.result is not None, timeout=15_000)
    assert panel.stack.currentIndex() == 1 and SYSTEM in panel.rpo
    assert _row(panel, SYSTEM, "Backup gaps over the RPO") == ("no target", "no target")
    assert _row(panel, SYSTEM, "Restore tests over the RTO") == ("not measured", "not measured")



@pytest.mark.window([CONTRACT], tickets=300, view="whatif")
def test_the_panel_fits_a_1366x768_laptop(qtbot, window, records) -> None:
    """At 1366x768 (the window 1364x742) the panel scrolls down, never sideways, its
    table shows every column whole and no label of it is cut."""
    from PySide6.QtWidgets import QLabel

    _with_records(window, records)
    window.show()
    window.resize(1364, 742)
    panel = _panel(qtbot, window)
    qtbot.waitUntil(lambda: panel.isVisible() and panel.model.rowCount() > 0, timeout=5000)
    qtbot.wait(50)
    assert not panel.body_scroll.horizontalScrollBar().isVisible()
    header = panel.table.horizontalHeader()
    assert header.length() <= panel.table.viewport().width()
    fm = panel.table.fontMetrics()
    for c in range(panel.model.columnCount()):  # every measure and figure as wide as its text
        widest = max(fm.horizontalAdvance(str(panel.model.data(panel.model.index(r, c)) or ""))
                     for r in range(panel.model.rowCount()) if not isinstance(panel.model.items[r], str))
        assert header.sectionSize(c) >= widest, panel.model.HEADERS[c]
    for label in panel.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), label.text()


@pytest.mark.window([CONTRACT], tickets=300, view="whatif")
def test_a_ticket_target_change_does_not_replay_recovery(qtbot, window, records) -> None:
    """Moving a P1 slider changes nothing the recovery replay reads: no replay and no new
    month chart on the pool (they held the GIL the GUI thread needs); a recovery change
    after it replays again."""
    _with_records(window, records)
    panel = _panel(qtbot, window)
    engine = panel.service.engine
    assert engine is not None
    calls: list[object] = []
    run = engine.run

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return run(*args, **kwargs)

    engine.run = counted  # type: ignore[method-assign]
    before = panel.service.result
    slider = view_of(window, "whatif", WhatIfView).controls[("P1", "resolution")].slider
    slider.setValue(slider.value() - 3)
    _settled(qtbot, window)
    assert window.state.scenario is not None and calls == []
    assert panel.service.result is before
    panel.rpo[SYSTEM].box.setValue(6 * H)
    _settled(qtbot, window)
    assert len(calls) == 1
    result = panel.service.result
    assert result is not None and result.scenario.rpo[SYSTEM].rpo_seconds == 6 * H


@pytest.mark.window([CONTRACT], tickets=300, view="whatif")
def test_recovery_work_waits_for_its_tab(qtbot, window, records) -> None:
    """The What-if view opens on its ticket targets without preparing or replaying the
    backups; the Recovery tab, once shown, does both."""
    _with_records(window, records)
    panel = view_of(window, "whatif", WhatIfView).recovery
    qtbot.wait(200)
    assert panel.service.engine is None and panel.service.result is None and panel.service.idle()
    _panel(qtbot, window)  # shows the Recovery tab
    assert panel.service.engine is not None and panel.service.result is not None


class _CountedRecords(tuple):  # type: ignore[type-arg]
    """Records that count the passes over them on the GUI thread (the pool's work, the
    Overview's warnings, reads them too)."""

    passes = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread():
            type(self).passes += 1
        return super().__iter__()


@pytest.mark.window([CONTRACT], tickets=300, view="whatif")
def test_a_scenario_change_does_not_read_every_record_again(qtbot, window, records) -> None:
    """The panel's systems and services come from the records once its tab is shown and
    then once per set of records (a pass over tens of thousands of backups on the GUI
    thread), not at every slider move; new records are read again."""
    _CountedRecords.passes = 0
    backups = _CountedRecords(records.backups)
    history = replace(window.state.history, backups=backups, restore_tests=records.restore_tests,
                      outages=records.outages)
    window.state.set_records(history)
    panel = view_of(window, "whatif", WhatIfView).recovery
    assert _CountedRecords.passes == 0 and not panel.rpo  # not read while the ticket targets show
    panel.side_tabs.setCurrentWidget(panel)
    read = _CountedRecords.passes
    assert read >= 1 and SYSTEM in panel.rpo
    slider = view_of(window, "whatif", WhatIfView).controls[("P1", "resolution")].slider
    for step in (3, 2, 1):
        slider.setValue(slider.value() - step)
    qtbot.waitUntil(lambda: window.simulation.idle(), timeout=15_000)
    assert _CountedRecords.passes == read  # the panel's controls synced without a pass over the records
    window.state.set_records(replace(history, backups=_CountedRecords(records.backups[:10])))
    assert _CountedRecords.passes > read
