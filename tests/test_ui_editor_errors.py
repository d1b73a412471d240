"""The contract editor marks an invalid value at its own cell or field, with the error in
words beside it (offscreen), and its headers keep their words at 1366x768."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.test_ui_support import make_contract
from workbench.app.field_errors import error_words, field_words, plain_message

pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window([make_contract("2025 signed")], tickets=50, view="editor"),
]


def _col(model, key: str) -> int:
    return [c.key for c in model.columns].index(key)


def _notes(ed) -> list[QLabel]:
    """The error lines shown beside fields."""
    return [n for n in ed._notes.values() if not n.isHidden()]


def _type(edit, text: str) -> None:
    edit.setText(text)
    edit.setModified(True)
    edit.editingFinished.emit()


def test_a_bad_cell_marks_that_cell_with_words_beside_the_table(window) -> None:
    ed = window.views["editor"]
    window.resize(1366, 768)
    ed.sections.setCurrentRow(1)
    targets = ed._models["targets"]
    bad = targets.index(1, _col(targets, "response"))
    targets.setData(bad, "soon")
    view = ed._fields["targets"]
    assert view.styleSheet() == ""  # the table keeps its frame
    assert targets.data(bad, Qt.ItemDataRole.BackgroundRole) is not None
    ok = targets.index(0, _col(targets, "response"))
    assert targets.data(ok, Qt.ItemDataRole.BackgroundRole) is None  # only that cell
    notes = _notes(ed)
    assert [n.text() for n in notes] == [
        "P2 response target: bad duration 'soon': write a number and a unit, e.g. 30m, 1h, 1.5h, 2d"
    ]
    assert ed.targets.isAncestorOf(notes[0])  # beside the table, on its page
    assert "targets.P2" not in ed.error_label.text() and "P2 response target" in ed.error_label.text()
    assert "⚠" in ed.sections.item(1).text()
    targets.setData(bad, "2h")
    assert not ed.errors and not _notes(ed) and "⚠" not in ed.sections.item(1).text()


def test_a_bad_field_gets_its_frame_and_its_own_line(window) -> None:
    ed = window.views["editor"]
    _type(ed.general.fee, "-5")
    assert "border" in ed.general.fee.styleSheet()
    assert [n.text() for n in _notes(ed)] == ["Monthly fee: must be 0 or more"]
    assert ed.general.isAncestorOf(_notes(ed)[0])
    # a calendar's day: the line sits beside that day's box
    _type(ed.general.fee, "12000")
    assert not _notes(ed)
    _type(ed.calendars.days["sun"], "25:00-26:00")
    notes = _notes(ed)
    assert len(notes) == 1 and notes[0].text().startswith("Business hours, Sunday: ")
    assert ed.calendars.isAncestorOf(notes[0])
    assert "calendars.business" not in ed.error_label.text()


def test_the_severity_matrix_headers_are_not_cut_at_1366x768(qtbot, window) -> None:
    ed = window.views["editor"]
    window.resize(1366, 768)
    window.show()
    ed.sections.setCurrentRow(1)
    view = ed._fields["targets"]
    qtbot.waitUntil(lambda: view.isVisible() and view.width() > 300)
    header = view.horizontalHeader()
    model = view.model()
    for c in range(model.columnCount()):
        title = model.headerData(c, Qt.Orientation.Horizontal)
        widest = max(header.fontMetrics().horizontalAdvance(line) for line in title.split("\n"))
        assert header.sectionSize(c) >= widest + 8, title
        lines = title.count("\n") + 1
        assert header.height() >= lines * header.fontMetrics().lineSpacing(), title


def test_paths_and_messages_in_words() -> None:
    assert field_words("targets.P1.response") == "P1 response target"
    assert field_words("targets.P3.resolution_calendar") == "P3 resolution calendar"
    assert field_words("calendars.business.weekly.sun") == "Business hours, Sunday"
    assert field_words("calendars.office.timezone") == "“office” calendar, time zone"
    assert field_words("backup.systems.0.rto", {"rto": "RTO"}) == "Backup RPO and RTO per system, row 1, RTO"
    assert field_words("service_credits.1") == "Service credits for missed targets, row 2"
    assert plain_message("Input should be greater than or equal to 0") == "must be 0 or more"
    assert plain_message("Value error, bad duration 'x'") == "bad duration 'x'"
    assert error_words("", "no calendar named 'x'") == "no calendar named 'x'"
    assert error_words("monthly_fee", "Input should be a valid number, unable to parse") == (
        "Monthly fee: must be a number"
    )
