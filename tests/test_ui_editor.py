"""Contract editor driven through its real widgets (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from PySide6.QtCore import Qt

from models.store import Workspace
from tests.test_ui_support import make_contract, view_of
from ui.main_window import MainWindow
from ui.records import Column, RecordsModel
from ui.state import AppState, Version
from ui.views.editor import ContractEditorView
from ui.views.whatif import WhatIfView

pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window([make_contract("2025 signed")], tickets=50, view="editor"),
]


@contextmanager
def _opened(qtbot, path) -> Iterator[MainWindow]:
    """A main window with the workspace at ``path`` open (its database worker stopped after)."""
    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    try:
        w.open_workspace(str(path))
        qtbot.waitUntil(lambda: w.state.is_open and not w.loading, timeout=20_000)
        yield w
    finally:
        w.db.shutdown()


def _draft(state: AppState) -> Version:
    """The working draft, which must be there."""
    draft = state.draft
    assert draft is not None, "no working draft"
    return draft


def _col(model: RecordsModel, key: str) -> int:
    return [c.key for c in model.columns].index(key)


def _type(edit, text: str) -> None:
    edit.setText(text)
    edit.setModified(True)
    edit.editingFinished.emit()


def test_editing_a_signed_version_starts_a_draft_and_undo_restores(window) -> None:
    st, ed = window.state, window.views["editor"]
    signed = st.baseline
    assert ed.stack.currentIndex() == 1 and "read-only" in ed.title.text()
    targets = ed._models["targets"]
    p1_resolution = targets.index(0, _col(targets, "resolution"))
    assert targets.data(p1_resolution) == "4 h"  # shown in words
    assert targets.data(p1_resolution, Qt.ItemDataRole.EditRole) == "4h"  # the contract's value
    assert targets.setData(targets.index(0, _col(targets, "resolution")), "2h")
    draft = st.draft
    assert draft is not signed and draft.draft_key is not None and draft.parent_id == 1
    assert draft.contract.status == "draft" and draft.contract.target("P1", "resolution") == "2h"
    assert signed.contract.target("P1", "resolution") == "4h"  # never edited in place
    assert [v.contract.version for v in st.versions] == ["2025 signed", "2025 signed — draft"]
    assert ed.save_button.isEnabled()

    # a second edit goes onto the same draft
    _type(ed.general.fee, "15000")
    assert st.draft.contract.monthly_fee == 15000 and len(st.versions) == 2
    window.act_undo.trigger()
    assert st.draft.contract.monthly_fee == 12000 and ed.general.fee.text() == "12000"
    window.act_undo.trigger()
    assert st.draft is None and ed.version() is signed and len(st.versions) == 1
    assert targets.data(targets.index(0, _col(targets, "resolution")), Qt.ItemDataRole.EditRole) == "4h"
    window.act_redo.trigger()
    assert _draft(st).contract.target("P1", "resolution") == "2h"


def test_invalid_input_is_shown_at_the_field_and_changes_nothing(window) -> None:
    st, ed = window.state, window.views["editor"]
    before = st.undo_stack.count()
    _type(ed.general.fee, "-5")
    assert st.undo_stack.count() == before and st.draft is None
    assert [p for p, _ in ed.errors] == ["monthly_fee"]
    assert (
        "border" in ed.general.fee.styleSheet() and "must be 0 or more" in ed.general.fee.toolTip()
    )
    assert "Monthly fee: must be 0 or more" in ed.error_label.text()
    assert "monthly_fee" not in ed.error_label.text()
    _type(ed.general.fee, "9000")  # fixed: the mark goes, the edit applies
    assert ed.errors == [] and ed.general.fee.styleSheet() == ""
    assert _draft(st).contract.monthly_fee == 9000

    targets = ed._models["targets"]
    bad = targets.index(1, _col(targets, "response"))
    targets.setData(bad, "soon")
    assert _draft(st).contract.target("P2", "response") == "2h"
    assert ed.errors and ed.errors[0][0] == "targets.P2.response"
    assert targets.data(bad, Qt.ItemDataRole.BackgroundRole) is not None
    assert "soon" in targets.data(bad, Qt.ItemDataRole.ToolTipRole)
    assert "border" not in ed._fields["targets"].styleSheet()  # the cell is marked, not the whole table
    # a target naming a calendar that does not exist (a cross-field check)
    targets.setData(bad, "2h")
    targets.setData(targets.index(3, _col(targets, "calendar")), "weekend")
    assert ed.errors[0][0] == "targets.P4.response" and "weekend" in ed.errors[0][1]


def test_calendar_editor_weekly_grid_zone_and_holidays(window) -> None:
    st, ed = window.state, window.views["editor"]
    assert ed.calendars.tz.currentText() == "America/Toronto"
    assert ed.calendars.country.currentData() == "CA" and ed.calendars.subdivision.currentData() == "ON"
    assert ed.calendars.days["mon"].text() == "08:00-17:00" and ed.calendars.days["sat"].text() == ""

    _type(ed.calendars.days["sat"], "09:00-12:00, 13:00-15:00")
    assert st.draft.contract.calendars["business"].weekly["sat"] == ("09:00-12:00", "13:00-15:00")
    _type(ed.calendars.days["sun"], "25:00-26:00")
    assert ed.errors[0][0] == "calendars.business.weekly.sun"
    assert "border" in ed.calendars.days["sun"].styleSheet()
    _type(ed.calendars.days["sun"], "")
    assert not ed.errors

    ed.calendars.tz.setCurrentText("Europe/London")
    ed.calendars.tz.activated.emit(0)
    assert st.draft.contract.calendars["business"].timezone == "Europe/London"

    i = ed.calendars.country.findData("GB")
    ed.calendars.country.setCurrentIndex(i)
    ed.calendars.country.activated.emit(i)
    hol = st.draft.contract.calendars["business"].holidays
    assert hol.country == "GB" and hol.subdivision is None
    assert ed.calendars.subdivision.findData("SCT") > 0  # the picker lists GB's subdivisions now
    ed.calendars.subdivision.setCurrentIndex(ed.calendars.subdivision.findData("SCT"))
    ed.calendars.subdivision.activated.emit(ed.calendars.subdivision.currentIndex())
    assert st.draft.contract.calendars["business"].holidays.subdivision == "SCT"

    ed.calendars.add_holiday_date("add", date(2026, 12, 24))
    ed.calendars.add_holiday_date("remove", date(2026, 12, 28))
    hol = st.draft.contract.calendars["business"].holidays
    assert hol.add == (date(2026, 12, 24),) and hol.remove == (date(2026, 12, 28),)
    ed.calendars.added.item(0).setSelected(True)
    ed.calendars.remove_selected_dates("add", ed.calendars.added)
    assert st.draft.contract.calendars["business"].holidays.add == ()

    ed.calendars.apply_week_preset("24x7")
    assert st.draft.contract.calendars["business"].weekly["sun"] == ("00:00-24:00",)


def test_calendars_add_rename_remove_keep_references(window) -> None:
    st, ed = window.state, window.views["editor"]
    assert ed.calendars.rename_calendar("business", "office")
    c = st.draft.contract
    assert list(c.calendars) == ["office"] and c.calendar_name("P2", "resolution") == "office"
    assert ed.calendars.add_calendar("weekend")
    assert set(st.draft.contract.calendars) == {"office", "weekend"}
    assert ed.calendars.names.count() == 2
    n = st.undo_stack.count()
    assert not ed.calendars.remove_calendar("office")  # still used by P2-P4: refused, nothing changes
    assert st.undo_stack.count() == n and "office" in st.draft.contract.calendars
    assert ed.errors and "office" in ed.errors[0][1]
    assert ed.calendars.remove_calendar("weekend")
    assert list(st.draft.contract.calendars) == ["office"]


def test_record_tables_scope_and_clause_text(window) -> None:
    st, ed = window.state, window.views["editor"]
    credits = ed._models["service_credits"]
    credits.add_row({"metric": "response", "priority": "P2", "percent_of_fee": 1, "trigger": "per_breach"})
    assert st.draft.contract.service_credits[-1].priority == "P2"
    credits.setData(credits.index(1, _col(credits, "trigger")), "compliance_below")
    assert ed.errors and ed.errors[0][0].startswith("service_credits.1")  # needs a threshold
    assert credits.data(credits.index(1, 0), Qt.ItemDataRole.BackgroundRole) is not None
    credits.setData(credits.index(1, _col(credits, "threshold")), "0.9")
    assert not ed.errors and st.draft.contract.service_credits[1].threshold == 0.9

    systems = ed._models["backup.systems"]
    systems.add_row({"name": "EHR", "tier": 1, "rpo": "15m", "rto": "4h", "location": "cloud"})
    assert st.draft.contract.backup.systems[0].rpo == "15m"
    systems.setData(systems.index(0, _col(systems, "rto")), "fast")
    assert ed.errors[0][0] == "backup.systems.0.rto"
    systems.remove_row(0)
    assert not ed.errors and st.draft.contract.backup.systems == ()

    matrix = ed._models["escalation_matrix"]
    matrix.setData(matrix.index(0, _col(matrix, "team")), "SOC")
    assert st.draft.contract.escalation_matrix[0].team == "SOC"
    ed.scope.checks["patch_management"].setChecked(True)
    assert st.draft.contract.scope.patch_management
    ed.scope.soc.set_lines(["incident detection", "threat hunting"])
    ed.scope.soc.committed.emit()
    assert st.draft.contract.security.soc_services == ("incident detection", "threat hunting")

    clauses = ed._models["clauses"]
    clauses.add_row({"number": "4.2", "heading": "Service credits", "text": ""})
    ed.clauses.table.view.setCurrentIndex(clauses.index(0, 0))
    ed.clauses.text.setPlainText("Credits are 2% of the monthly fee per breached P1 ticket.")
    ed.clauses.text_committed()
    assert st.draft.contract.clauses[0].text.startswith("Credits are 2%")
    assert ed.show_clause("Clause 4.2 (Service credits)")


def test_records_models_pass_qtmodeltester(qtmodeltester, window) -> None:
    ed = window.views["editor"]
    for model in ed._models.values():
        qtmodeltester.check(model)
    m = RecordsModel([Column("a", "A"), Column("b", "B", "bool")])
    m.set_rows([{"a": "x", "b": True}, {"a": None, "b": False}])
    qtmodeltester.check(m)


def test_save_as_new_version_stores_it_and_drops_the_working_draft(qtbot, tmp_path) -> None:
    path = tmp_path / "ws.slawb"
    ws = Workspace.create(str(path))
    ws.add_contract_version(make_contract("2025 signed"))
    ws.close()
    with _opened(qtbot, path) as w:
        ed = view_of(w, "editor", ContractEditorView)
        _type(ed.general.version, "2026 renewal")
        draft = _draft(w.state)
        assert draft.contract.version == "2026 renewal" and draft.contract.status == "draft"
        w.db.wait(w.autosave())
        ed.save_as_new_version()
        qtbot.waitUntil(lambda: w.state.draft is not None and w.state.draft.id is not None, timeout=10_000)
        assert not w.errors
        stored = w.state.draft
        assert stored is not None and stored.draft_key is None and stored.parent_id == 1
        assert not w.state.undo_stack.canUndo()
        assert "read-only" in ed.title.text()

        def check(ws):
            return [c.version for _, c in ws.contract_versions()], ws.load_drafts()

        versions, drafts = w.db.wait(w.db.call(check))
        assert versions == ["2025 signed", "2026 renewal"] and drafts == {}


def test_undoing_an_autosaved_scenario_draft_deletes_it(qtbot, tmp_path) -> None:
    path = tmp_path / "ws.slawb"
    ws = Workspace.create(str(path))
    ws.add_contract_version(make_contract("2025 signed"))
    ws.close()
    with _opened(qtbot, path) as w:
        version = view_of(w, "whatif", WhatIfView).save_as_draft()
        assert version is not None
        w.db.wait(w.autosave())
        stored = w.db.wait(w.db.call(lambda ws: ws.load_drafts()))
        assert list(stored) == [version.draft_key]
        w.act_undo.trigger()
        assert w.db.wait(w.db.call(lambda ws: ws.load_drafts())) == {}
        w.act_redo.trigger()  # back again: autosaved again
        w.db.wait(w.autosave())
        assert list(w.db.wait(w.db.call(lambda ws: ws.load_drafts()))) == [version.draft_key]


def test_reopened_drafts_take_their_parent_from_the_store_not_the_key(qtbot, tmp_path) -> None:
    path = tmp_path / "ws.slawb"
    ws = Workspace.create(str(path))
    ws.add_contract_version(make_contract("2024 signed"))
    v2 = ws.add_contract_version(make_contract("2025 signed"))
    ws.save_draft("renewal", make_contract("renewal", status="draft").to_data(), parent_version_id=v2)
    # a key that reads like a draft of version 1, stored as a draft of version 2
    ws.save_draft("draft:1:0000abcd", make_contract("B", status="draft").to_data(), parent_version_id=v2)
    ws.save_draft("draft:0:0000beef", make_contract("new", status="draft").to_data())
    ws.close()
    with _opened(qtbot, path) as w:
        drafts = {v.draft_key: v.parent_id for v in w.state.versions if v.draft_key is not None}
        assert drafts == {"renewal": v2, "draft:1:0000abcd": v2, "draft:0:0000beef": None}


def test_discard_draft_removes_it_and_its_autosave(qtbot, tmp_path) -> None:
    path = tmp_path / "ws.slawb"
    ws = Workspace.create(str(path))
    ws.add_contract_version(make_contract("2025 signed"))
    ws.close()
    with _opened(qtbot, path) as w:
        ed = view_of(w, "editor", ContractEditorView)
        assert not ed.discard_button.isEnabled()  # a stored version: nothing to discard
        _type(ed.general.version, "2026 renewal")
        draft = w.state.draft
        assert draft is not None and draft.draft_key is not None and ed.discard_button.isEnabled()
        w.db.wait(w.autosave())
        assert list(w.db.wait(w.db.call(lambda ws: ws.load_drafts()))) == [draft.draft_key]

        assert ed.discard_draft(confirm=False)
        assert all(v.draft_key is None for v in w.state.versions)
        assert w.state.draft is not None and w.state.draft.id == 1  # back on the signed version
        assert not w.state.dirty_draft and not w.state.undo_stack.canUndo()
        assert "read-only" in ed.title.text() and not ed.discard_button.isEnabled()
        assert w.db.wait(w.db.call(lambda ws: ws.load_drafts())) == {}
        assert w.autosave() is None  # nothing left to save


def test_the_preload_reads_the_zone_database_for_the_calendars_zone_list(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The contract editor's zone list comes from the list the preload (a pool thread) read:
    building the editor does not walk the zone database on the GUI thread."""
    import workbench.app.localtime as localtime
    from ui.views import preload

    localtime.zone_names.cache_clear()
    preload()
    assert localtime.zone_names.cache_info().currsize == 1
    import zoneinfo

    def walked() -> None:
        pytest.fail("the zone database walked again")

    monkeypatch.setattr(zoneinfo, "available_timezones", walked)
    monkeypatch.setattr(localtime, "available_timezones", walked)
    ed = ContractEditorView(window.state, window=window)
    qtbot.addWidget(ed)
    tz = ed.calendars.tz
    assert [tz.itemText(i) for i in range(tz.count())] == list(localtime.zone_names())
