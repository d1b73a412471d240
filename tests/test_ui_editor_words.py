"""The contract editor says targets and calendars in words ("next business day",
"clinic hours") while the contract keeps its own values (``next_business_day``,
``clinic_hours``); its combo boxes offer the words and store the values (offscreen)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

from models.contract import contract_from_data
from tests.test_ui_support import make_contract
from ui.records import ChoiceDelegate, RecordsModel
from ui.views.editor.form import RecordsTable


def clinic_contract():
    """A signed contract with a calendar whose key has an underscore, a day target on it,
    an override calendar and a credit due below a compliance share."""
    data = make_contract().to_data()
    data["calendars"]["clinic_hours"] = {
        "timezone": "America/Toronto",
        "weekly": {d: ["07:00-19:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
    }
    data["targets"]["P3"] = {
        "response": "1.5h", "resolution": "next_business_day", "calendar": "clinic_hours",
        "response_calendar": "24x7",
    }
    data["service_credits"].append(
        {"metric": "response", "priority": "P2", "percent_of_fee": 1, "trigger": "compliance_below",
         "threshold": 0.9}
    )
    data["uptime"] = [{"service": "Dentrix", "target_percent": 99.5, "calendar": "clinic_hours"}]
    return contract_from_data(data)


pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window([clinic_contract()], tickets=20, view="editor"),
]

RAW = re.compile(r"\w+_\w+")  # a key with an underscore: next_business_day, clinic_hours


def _col(model: RecordsModel, key: str) -> int:
    return [c.key for c in model.columns].index(key)


def _table(ed, path: str) -> RecordsTable:
    view = ed._fields[path]
    table = view.parentWidget()
    assert isinstance(table, RecordsTable)
    return table


def _shown(model: RecordsModel) -> list[list[str]]:
    return [
        [str(model.data(model.index(r, c)) or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _editor(table: RecordsTable, row: int, key: str) -> tuple[QComboBox, ChoiceDelegate, QModelIndex]:
    """The combo box the table's delegate opens on a cell, filled from it."""
    model = table.model
    index = model.index(row, _col(model, key))
    delegate = table.view.itemDelegate()
    assert isinstance(delegate, ChoiceDelegate)
    box = delegate.createEditor(table.view.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(box, QComboBox)
    delegate.setEditorData(box, index)
    return box, delegate, index


def test_the_matrix_shows_targets_and_calendars_in_words(window) -> None:
    ed = window.views["editor"]
    targets = ed._models["targets"]
    rows = {r[0]: dict(zip([c.key for c in targets.columns], r, strict=True)) for r in _shown(targets)}
    assert rows["P1"]["resolution"] == "4 h" and rows["P1"]["calendar"] == "24x7"
    assert rows["P2"]["resolution"] == "same business day" and rows["P2"]["calendar"] == "business hours"
    assert rows["P3"]["resolution"] == "next business day" and rows["P3"]["calendar"] == "clinic hours"
    assert rows["P3"]["response"] == "1 h 30 min" and rows["P3"]["response_calendar"] == "24x7"
    assert rows["P4"]["resolution"] == "5 d"
    shown = [cell for row in _shown(targets) for cell in row]
    assert not [cell for cell in shown if RAW.search(cell)], shown
    assert "business" not in shown  # the calendar's key alone is never a cell
    headers = [str(targets.headerData(c, Qt.Orientation.Horizontal)) for c in range(targets.columnCount())]
    assert not [h for h in headers if "_" in h] and "Response\ntarget" in headers
    tips = [str(targets.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) or "")
            for c in range(targets.columnCount())]
    assert not [t for t in tips if RAW.search(t)], tips
    # the rows keep the contract's own values
    p3 = targets.rows[2]
    assert (p3["resolution"], p3["calendar"]) == ("next_business_day", "clinic_hours")


def test_a_target_typed_or_picked_in_words_stores_the_contracts_value(window) -> None:
    st, ed = window.state, window.views["editor"]
    table = _table(ed, "targets")
    box, delegate, index = _editor(table, 2, "resolution")
    assert box.isEditable() and box.currentText() == "next business day"
    assert [box.itemText(i) for i in range(box.count())] == ["same business day", "next business day"]
    delegate.setModelData(box, table.model, index)  # left as shown: nothing changes
    assert st.draft is None and st.undo_stack.count() == 0

    box.setEditText("2 h 30 min")  # a duration typed in the words the table shows
    delegate.setModelData(box, table.model, index)
    assert st.draft is not None and st.draft.contract.target("P3", "resolution") == "150m"
    assert table.model.data(index) == "2 h 30 min"

    box, delegate, index = _editor(table, 2, "resolution")
    assert box.currentText() == "2 h 30 min"
    box.setCurrentIndex(box.findText("same business day"))  # picked from the list
    delegate.setModelData(box, table.model, index)
    assert st.draft.contract.target("P3", "resolution") == "same_business_day"

    box, delegate, index = _editor(table, 0, "response")
    box.setEditText("45m")  # as a contract file writes it
    delegate.setModelData(box, table.model, index)
    assert st.draft.contract.target("P1", "response") == "45m"
    assert table.model.data(index) == "45 min"

    window.act_undo.trigger()
    assert st.draft.contract.target("P1", "response") == "1h"
    window.act_undo.trigger()
    assert st.draft.contract.target("P3", "resolution") == "150m"
    window.act_undo.trigger()
    assert st.draft is None and ed.version().contract.target("P3", "resolution") == "next_business_day"
    targets = ed._models["targets"]
    assert targets.data(targets.index(2, _col(targets, "resolution"))) == "next business day"
    window.act_redo.trigger()
    assert st.draft.contract.target("P3", "resolution") == "150m"


def test_a_calendar_is_picked_by_its_words_and_stored_by_its_key(window) -> None:
    st, ed = window.state, window.views["editor"]
    table = _table(ed, "targets")
    box, delegate, index = _editor(table, 0, "calendar")
    assert not box.isEditable()
    assert [box.itemText(i) for i in range(box.count())] == ["24x7", "business hours", "clinic hours"]
    assert box.currentText() == "24x7"
    box.setCurrentIndex(box.findText("clinic hours"))
    delegate.setModelData(box, table.model, index)
    assert st.draft is not None and st.draft.contract.targets["P1"].calendar == "clinic_hours"
    assert ed._models["targets"].data(index) == "clinic hours"

    box, delegate, index = _editor(table, 2, "response_calendar")
    labels = [box.itemText(i) for i in range(box.count())]
    assert labels[0] == "(the row's calendar)" and box.currentText() == "24x7"
    box.setCurrentIndex(0)
    delegate.setModelData(box, table.model, index)
    assert st.draft.contract.targets["P3"].response_calendar is None

    window.act_undo.trigger()
    assert st.draft.contract.targets["P3"].response_calendar == "24x7"
    window.act_undo.trigger()
    assert st.draft is None and ed.version().contract.targets["P1"].calendar == "24x7"


def test_a_calendar_added_in_the_calendars_section_is_offered_in_the_matrix(window) -> None:
    ed = window.views["editor"]
    ed.calendars.add_calendar("night_shift")
    box, _delegate, _index = _editor(_table(ed, "targets"), 0, "calendar")
    assert "night shift hours" in [box.itemText(i) for i in range(box.count())]


def test_credits_and_uptime_say_when_a_credit_is_due_and_the_calendar_in_words(window) -> None:
    st, ed = window.state, window.views["editor"]
    credits, uptime = ed._models["service_credits"], ed._models["uptime"]
    shown = [cell for row in _shown(credits) + _shown(uptime) for cell in row]
    assert "each breached ticket" in shown and "compliance below the threshold" in shown
    assert "clinic hours" in shown
    assert not [cell for cell in shown if RAW.search(cell)], shown
    table = _table(ed, "service_credits")
    box, delegate, index = _editor(table, 0, "trigger")
    assert [box.itemText(i) for i in range(box.count())] == [
        "each breached ticket", "compliance below the threshold"
    ]
    box, delegate, index = _editor(table, 0, "priority")
    assert box.itemText(0) == "(any)"
    box, delegate, index = _editor(_table(ed, "uptime"), 0, "calendar")
    box.setCurrentIndex(box.findText("business hours"))
    delegate.setModelData(box, ed._models["uptime"], index)
    assert st.draft is not None and st.draft.contract.uptime[0].calendar == "business"


def test_the_calendars_are_listed_in_words_and_picked_by_their_key(window) -> None:
    ed = window.views["editor"]
    names = ed.calendars.names
    shown = [names.item(i).text() for i in range(names.count())]
    assert shown == ["Business hours", "Clinic hours"]
    names.setCurrentRow(1)
    assert ed.calendars.current == "clinic_hours"
    assert ed.calendars.days["sat"].text() == "07:00-19:00"
    assert ed.calendars.rename_calendar("clinic_hours", "dental_clinic")
    assert "Dental clinic hours" in [names.item(i).text() for i in range(names.count())]
    assert window.state.draft.contract.targets["P3"].calendar == "dental_clinic"


def test_the_help_desk_calendar_is_chosen_in_words(window) -> None:
    st, ed = window.state, window.views["editor"]
    box = ed.scope.helpdesk_calendar
    labels = [box.itemText(i) for i in range(box.count())]
    assert labels == ["(not named)", "24x7", "business hours", "clinic hours"]
    assert box.currentData() is None
    box.setCurrentIndex(box.findText("clinic hours"))
    box.activated.emit(box.currentIndex())
    assert st.draft is not None and st.draft.contract.scope.helpdesk_calendar == "clinic_hours"
    assert ed.scope.helpdesk_calendar.currentText() == "clinic hours"
    window.act_undo.trigger()
    assert st.draft is None and ed.scope.helpdesk_calendar.currentData() is None
