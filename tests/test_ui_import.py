"""The import wizard driven page by page on the ServiceNow sample (offscreen)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QWizard

from tests.test_ui_support import make_contract, table_item
from ui.import_wizard import ImportWizard, RejectedModel
from ui.main_window import MainWindow

SAMPLE = "data/servicenow-uci/incident_event_log_sample400.csv"


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SLA_WORKBENCH_CONFIG", str(tmp_path / "config"))


pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window([make_contract("2025 signed")], workspace=True),  # a workspace file
]


def _capture_exec(monkeypatch: pytest.MonkeyPatch) -> list[ImportWizard]:
    """The wizards opened from now on, recorded instead of shown."""
    opened: list[ImportWizard] = []

    def fake_exec(self: ImportWizard) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(ImportWizard, "exec", fake_exec)
    return opened


def _count(w: MainWindow) -> int:
    return w.db.wait(w.db.call(lambda ws: ws.ticket_count()))


def _to_validation(qtbot, wiz: ImportWizard, sample: str, tz: str = "UTC") -> None:
    wiz.show()
    wiz.file_page.path.setText(sample)
    assert wiz.file_page.isComplete()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preset_page.isComplete(), timeout=10_000)
    assert wiz.preset.name == "servicenow-event-log"
    assert "% match" in wiz.preset_page.combo.currentText()
    assert "columns found" in table_item(wiz.preset_page.table, 0, 2).text()
    wiz.next()
    page = wiz.mapping_page
    assert page.combos["id"].currentText() == "number"
    prio_values = [table_item(page.prios, r, 0).text() for r in range(page.prios.rowCount())]
    assert any(v.startswith("1") for v in prio_values)
    page.tz.setCurrentText(tz)
    wiz.next()
    qtbot.waitUntil(
        lambda: wiz.preview_page.isComplete() or "color" in wiz.preview_page.status.text(), timeout=20_000
    )


def test_import_servicenow_sample_through_the_wizard(qtbot, qtmodeltester, window, shared_dir) -> None:
    sample = str(shared_dir / SAMPLE)
    wiz = ImportWizard(window)
    qtbot.addWidget(wiz)
    # without a time zone the naive timestamps cannot be read: Mapping says so and keeps the wizard
    wiz.show()
    wiz.file_page.path.setText(sample)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preset_page.isComplete(), timeout=10_000)
    wiz.next()
    wiz.mapping_page.tz.setCurrentText("")
    wiz.next()
    assert wiz.currentPage() is wiz.mapping_page and "time zone" in wiz.mapping_page.error.text()
    wiz.mapping_page.tz.setCurrentText("UTC")
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preview_page.isComplete(), timeout=20_000)
    preview = wiz.preview_page.table
    assert preview.rowCount() == 20 and table_item(preview, 0, 0).text().startswith("INC")
    assert table_item(preview, 0, 2).text().endswith("UTC")
    n_valid = len(wiz.result.tickets)
    assert n_valid > 100
    wiz.next()
    page = wiz.validation_page
    assert page.model.rowCount() == len(wiz.result.rejected)
    qtmodeltester.check(page.model)
    assert page.isComplete()
    assert _count(window) == 0
    wiz.accept()
    qtbot.waitUntil(lambda: wiz.imported is not None, timeout=30_000)
    assert window.state.ticket_count == n_valid == _count(window)
    assert window.sb_tickets.text() == f"{n_valid:,} tickets"
    # importing the same export again updates, never duplicates
    wiz2 = ImportWizard(window)
    qtbot.addWidget(wiz2)
    _to_validation(qtbot, wiz2, sample)
    wiz2.next()
    wiz2.accept()
    qtbot.waitUntil(lambda: wiz2.imported is not None, timeout=30_000)
    assert _count(window) == n_valid


def test_cancelled_import_changes_nothing(qtbot, window, shared_dir) -> None:
    wiz = ImportWizard(window)
    qtbot.addWidget(wiz)
    _to_validation(qtbot, wiz, str(shared_dir / SAMPLE))
    wiz.next()
    gate = threading.Event()
    window.db.call(lambda ws: gate.wait(10))  # hold the DB thread so the cancel comes first
    wiz.accept()
    assert not wiz.button(QWizard.WizardButton.FinishButton).isEnabled()
    wiz.job.dialog.canceled.emit()  # the Cancel button
    gate.set()
    qtbot.waitUntil(lambda: wiz.job is None, timeout=20_000)
    assert wiz.imported is None and "nothing was imported" in wiz.validation_page.status.text()
    assert _count(window) == 0 and window.state.ticket_count == 0


def test_mapping_without_a_required_column_cannot_go_on(qtbot, window, shared_dir) -> None:
    wiz = ImportWizard(window)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.file_page.path.setText(str(shared_dir / SAMPLE))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preset_page.isComplete(), timeout=10_000)
    wiz.next()
    page = wiz.mapping_page
    # an event log needs case id, status and update time (the opening may come from the first update)
    combo: QComboBox = page.combos["updated_at"]
    combo.setCurrentIndex(0)
    assert not page.isComplete() and "Updated at" in page.error.text()


def test_rejected_model_passes_qtmodeltester(qtmodeltester) -> None:
    from workbench.importing.core import Rejection

    m = RejectedModel()
    qtmodeltester.check(m)
    m.set_items([Rejection("/x/a.csv", 7, "INC1", "opened_at", "unparseable date '32/13/2016'")])
    qtmodeltester.check(m)
    assert m.data(m.index(0, 0)) == "a.csv" and m.data(m.index(0, 1)) == "7"


def test_file_menu_import_opens_the_wizard(qtbot, window, monkeypatch) -> None:
    opened = _capture_exec(monkeypatch)
    window.act_import.trigger()
    assert opened and isinstance(opened[0], ImportWizard)


def test_status_log_has_a_browse_button_and_must_exist(qtbot, window, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    tickets = tmp_path / "tickets.csv"
    tickets.write_text("ticket_id\n1\n")
    log = tmp_path / "status_log.csv"
    log.write_text("ticket_id,at,status\n")
    wiz = ImportWizard(window)
    qtbot.addWidget(wiz)
    page = wiz.file_page
    page.path.setText(str(tickets))
    assert page.isComplete()
    page.status_log.setText(str(tmp_path / "missing.csv"))
    assert not page.isComplete()  # a named status log that is not there stops the wizard
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(log), ""))
    page.browse_status_log.click()
    assert page.status_log.text() == str(log)
    assert page.isComplete()


BACKUPS = (
    "system,finished_at,success,location\n"
    "DB,2026-03-01 01:00,true,cloud\n"
    "DB,2026-03-02 01:00,maybe,cloud\n"
    "Files,2026-03-02 02:30,false,on-prem\n"
)


def _to_records_validation(qtbot, wiz: ImportWizard, path: str) -> None:
    wiz.show()
    wiz.file_page.path.setText(path)
    assert wiz.records_kind == "backups" and "backup jobs" in wiz.file_page.detected.text()
    assert not wiz.file_page.status_log.isEnabled()  # a status log belongs to tickets only
    wiz.next()
    assert wiz.currentPage() is wiz.records_page  # no format or mapping page for a records file
    page = wiz.records_page
    # naive timestamps: without a zone the page says so and cannot go on
    qtbot.waitUntil(lambda: "time zone" in page.status.text(), timeout=10_000)
    assert not page.isComplete() and "Choose the zone" in page.status.text()
    page.tz.setCurrentText("Europe/London")
    qtbot.waitUntil(page.isComplete, timeout=10_000)
    assert page.table.rowCount() == 2
    header_items = [page.table.horizontalHeaderItem(c) for c in range(page.table.columnCount())]
    headers = [h.text() for h in header_items if h is not None]
    assert headers == ["System", "Finished at", "Succeeded", "Location"]  # all four there, in words
    row = [table_item(page.table, 0, c).text() for c in range(4)]
    assert row == ["DB", "2026-03-01 01:00 GMT", "yes", "cloud"]  # shown in the zone chosen
    assert "times in Europe/London" in page.status.text()
    assert wiz.result.records[0].finished_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)  # London is on UTC
    assert "2 valid, 1 rows rejected" in page.status.text()
    wiz.next()
    assert wiz.currentPage() is wiz.validation_page


def test_backups_through_the_wizard_as_the_command_line_imports_them(qtbot, window, tmp_path) -> None:
    from workbench.importing.records import read_records
    from workbench.importing.workspace import import_into_workspace

    f = tmp_path / "backups.csv"
    f.write_text(BACKUPS)
    wiz = ImportWizard(window, records=True)
    qtbot.addWidget(wiz)
    assert "backups" in wiz.file_page.title()
    _to_records_validation(qtbot, wiz, str(f))
    page = wiz.validation_page
    assert page.model.rowCount() == 1
    r = page.model.items[0]
    assert (r.line, r.field, r.reason) == (3, "success", "not a true/false value 'maybe'")
    assert "Import the 2 valid backup jobs" in page.valid_only.text()
    page.nothing.setChecked(True)
    assert not page.isComplete()  # a rejected row and "import nothing": Finish stays off
    page.valid_only.setChecked(True)
    assert page.isComplete()
    wiz.accept()
    qtbot.waitUntil(lambda: wiz.imported is not None, timeout=20_000)
    assert wiz.imported == {"backups": 2}
    # the window's history has them (Overview and What-if read it), and so has the store
    assert [b.system for b in window.state.history.backups] == ["DB", "Files"]
    assert not window.state.records_pending
    stored = window.db.wait(window.db.call(lambda ws: ws.load_records()))
    assert stored.backups == window.state.history.backups
    qtbot.waitUntil(lambda: not window.navigator.pending(), timeout=5000)
    data = window.navigator.topLevelItem(window.navigator.topLevelItemCount() - 1)
    assert "Backup jobs: 2" in [data.child(i).text(0) for i in range(data.childCount())]
    # what the command line stores from the same file
    cli = tmp_path / "cli.slawb"
    import_into_workspace(cli, f, tz="Europe/London")
    from models.store import Workspace

    with Workspace.open(cli) as ws:
        assert ws.load_records().backups == stored.backups
    assert read_records(f, "Europe/London").records == list(stored.backups)


def test_cancelled_records_import_changes_nothing(qtbot, window, tmp_path) -> None:
    f = tmp_path / "backups.csv"
    f.write_text(BACKUPS)
    wiz = ImportWizard(window)
    qtbot.addWidget(wiz)
    _to_records_validation(qtbot, wiz, str(f))
    gate = threading.Event()
    window.db.call(lambda ws: gate.wait(10))  # hold the DB thread so the cancel comes first
    wiz.accept()
    assert not wiz.button(QWizard.WizardButton.FinishButton).isEnabled()
    wiz.job.dialog.canceled.emit()
    gate.set()
    qtbot.waitUntil(lambda: wiz.job is None, timeout=20_000)
    assert wiz.imported is None and "nothing was imported" in wiz.validation_page.status.text()
    stored = window.db.wait(window.db.call(lambda ws: ws.load_records()))
    assert stored.backups == () and window.state.history.backups == ()


def test_file_menu_imports_records_in_the_same_wizard(qtbot, window, monkeypatch) -> None:
    opened = _capture_exec(monkeypatch)
    window.act_import_records.trigger()
    assert opened and isinstance(opened[0], ImportWizard)
    assert "outages" in opened[0].file_page.title()


def test_a_dropped_backups_file_opens_the_wizard_on_its_records(qtbot, window, tmp_path) -> None:
    from ui.contract_files import open_dropped

    f = tmp_path / "backups.csv"
    f.write_text(BACKUPS)
    routes = open_dropped(window, [f])
    assert routes == [(f, "import")]
    wiz = window.import_wizard
    assert isinstance(wiz, ImportWizard)
    try:
        assert wiz.records_kind == "backups" and wiz.windowTitle() == "Import backup jobs"
        wiz.next()
        assert wiz.currentPage() is wiz.records_page
    finally:
        wiz.close()  # deletes itself on close


def test_workbook_sheets_listed_and_the_tickets_sheet_found(qtbot, window) -> None:
    xlsx = Path(__file__).parent / "fixtures" / "exports" / "autotask-two-sheets.xlsx"
    wiz = ImportWizard(window)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.file_page.path.setText(str(xlsx))
    wiz.next()
    page = wiz.preset_page
    qtbot.waitUntil(lambda: page.isComplete(), timeout=10_000)
    assert page.sheets.isVisible()
    assert [page.sheets.itemText(i) for i in range(page.sheets.count())] == ["Report", "Tickets"]
    assert page.sheets.currentText() == "Tickets" and wiz.sheet == "Tickets"
    assert wiz.preset.name == "autotask" and "Worksheet <b>Tickets</b> of 2" in page.status.text()
    page.sheets.setCurrentIndex(0)
    page.sheets.activated.emit(0)  # the user picks the cover sheet: read again
    qtbot.waitUntil(lambda: wiz.raw is not None and wiz.raw.sheet == "Report", timeout=10_000)
    assert wiz.sheet == "Report" and "No preset matches" in page.status.text()
