"""The import wizard's Mapping page in the GUI's words: a required time zone, Enter in
the zone box, the file's own values beside each field, field names in words (offscreen,
on the exports in tests/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.test_ui_support import make_contract, table_item
from ui.import_wizard import MAPPING, PREVIEW, ImportWizard
from workbench.app.import_fields import field_words, gui_advice, naive_time_example, sample_values

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
NAIVE = EXPORTS / "servicenow-list.csv"  # "2026-03-02 08:15:00": no zone
WITH_OFFSETS = EXPORTS / "it-event-log.csv"  # "2026-03-02T08:00:00Z"

pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window([make_contract("2025 signed")], workspace=True),
]


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SLA_WORKBENCH_CONFIG", str(tmp_path / "config"))


def _to_mapping(qtbot, window, path: Path) -> ImportWizard:
    wiz = ImportWizard(window)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.file_page.path.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preset_page.isComplete(), timeout=10_000)
    wiz.next()
    assert wiz.currentId() == MAPPING
    return wiz


def _next_enabled(wiz: ImportWizard) -> bool:
    return wiz.button(QWizard.WizardButton.NextButton).isEnabled()


def test_mapping_cannot_be_left_without_the_zone_naive_times_need(qtbot, window) -> None:
    wiz = _to_mapping(qtbot, window, NAIVE)
    page = wiz.mapping_page
    assert page.tz.currentText() == ""
    assert not page.isComplete() and not _next_enabled(wiz)
    # the reason is on the page, in words, with one of the file's own values
    assert "time zone" in page.error.text() and "Opened at" in page.error.text()
    assert "2026-03-02 08:15:00" in page.error.text()
    wiz.next()  # even pressed from code, the page does not let go
    assert wiz.currentId() == MAPPING
    page.tz.setCurrentText("Nowhere/Atlantis")
    assert not page.isComplete() and "unknown time zone" in page.error.text()
    page.tz.setCurrentText("America/Toronto")
    assert page.isComplete() and _next_enabled(wiz) and page.error.text() == ""
    wiz.next()
    assert wiz.currentId() == PREVIEW
    qtbot.waitUntil(lambda: wiz.preview_page.isComplete(), timeout=20_000)
    assert "--tz" not in wiz.preview_page.status.text()
    assert wiz.result.timezone == "America/Toronto"


def test_a_file_whose_times_carry_their_offset_needs_no_zone(qtbot, window) -> None:
    wiz = _to_mapping(qtbot, window, WITH_OFFSETS)
    page = wiz.mapping_page
    assert page.tz.currentText() == "" and page.zone_needed() is None
    assert page.isComplete() and _next_enabled(wiz)


def test_enter_in_the_zone_box_stays_on_the_mapping_page(qtbot, window) -> None:
    wiz = _to_mapping(qtbot, window, NAIVE)
    page = wiz.mapping_page
    line = page.tz.lineEdit()
    assert line is not None
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "UTC")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.keyClick(line, Qt.Key.Key_Enter)
    assert wiz.currentId() == MAPPING
    assert page.tz.currentText() == "UTC" and page.isComplete()  # the typed zone is taken


def test_fields_are_named_in_words_with_the_files_values_beside_them(qtbot, window) -> None:
    wiz = _to_mapping(qtbot, window, NAIVE)
    page = wiz.mapping_page
    names = [table_item(page.fields, r, 0).text() for r in range(page.fields.rowCount())]
    assert "Provider says SLA met" in names and "Opened at *" in names
    assert not any("_" in n for n in names)
    row = names.index("Opened at *")
    assert page.combos["opened_at"].currentText() == "opened_at"
    assert table_item(page.fields, row, 2).text().startswith("2026-03-02 08:15:00 · 2026-03-02 09:30:00")
    priority = names.index("Priority")
    assert "1 - Critical" in table_item(page.fields, priority, 2).text()
    # another column mapped: its values follow
    page.combos["opened_at"].setCurrentText("caller_id")
    assert table_item(page.fields, row, 2).text().startswith("Fred Luddy")
    page.combos["opened_at"].setCurrentText("opened_at")
    # an unmapped field shows nothing beside it
    page.combos["team"].setCurrentIndex(0)
    assert table_item(page.fields, names.index("Team"), 2).text() == ""


def test_preview_speaks_of_the_mapping_page_not_of_command_line_options(qtbot, window) -> None:
    from workbench.importing.workspace import read_export

    with pytest.raises(Exception) as caught:
        read_export(NAIVE)
    told = gui_advice(str(caught.value))
    assert "--tz" in str(caught.value) and "--tz" not in told and "ZONE" not in told
    assert "Mapping" in told and "time zone" in told
    wiz = _to_mapping(qtbot, window, NAIVE)
    wiz.preview_page._failed(caught.value)
    assert "--tz" not in wiz.preview_page.status.text()
    assert "Mapping" in wiz.preview_page.status.text()


def test_import_fields_vocabulary_and_samples() -> None:
    assert field_words("provider_sla_breached") == "Provider says SLA breached"
    assert field_words("first_response_minutes") == "Minutes to the first response"
    assert field_words("some_new_field") == "Some new field"
    col = pa.array(["", "?", "a", "b", "a", "c", "d"])
    assert sample_values(col, ("", "?")) == ["a", "b", "c"]
    cols = {"o": pa.array(["2026-03-02T08:00:00Z", "2026-03-02 09:00"]), "z": pa.array(["2026-03-02T08:00Z"])}
    assert naive_time_example(cols, {"opened_at": "o"}) == ("opened_at", "2026-03-02 09:00")
    assert naive_time_example(cols, {"opened_at": "z"}) is None
    assert naive_time_example(cols, {"category": "o"}) is None  # not a time field
    # numeric dates, day-first only, without a zone
    days = {"d": pa.array(["25/03/2026 10:00", "", "26/03/2026 11:00"])}
    assert naive_time_example(days, {"closed_at": "d"}) == ("closed_at", "25/03/2026 10:00")
