"""Add contract version (the review page), files put on the window, the navigator's
Export as YAML… and Remove…, New contract from template: real widgets on a real
workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidget, QTableWidgetItem

from models.contract import load_contract
from ui.contract_files import ReviewDialog
from ui.main_window import MainWindow
from ui.state import Version
from workbench.app.contracts import NO_TERMS, Status
from workbench.app.templates import load_template

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo"
SIGNED = load_contract(DEMO / "northwind-2025.yaml")
PROPOSAL = load_contract(DEMO / "northwind-2026-q4-proposal.yaml")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


def _stored(qtbot: Any, w: MainWindow) -> list[tuple[int, Any]]:
    """The versions the workspace holds, read on the database worker."""
    job = w.db.call(lambda ws: list(ws.contract_versions()))
    return list(w.db.wait(job, timeout=20))


def _review(qtbot: Any, w: MainWindow, path: Path, status: Status | None = None) -> ReviewDialog:
    """The review page of ``path``, once it shows."""
    w.contract_dialog = None
    w.add_contract_version(str(path), status=status)
    qtbot.waitUntil(lambda: w.contract_dialog is not None and w.contract_dialog.isVisible(), timeout=20_000)
    assert w.contract_dialog is not None
    return w.contract_dialog


def _at(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def _nav_texts(w: MainWindow) -> list[str]:
    out: list[str] = []

    def walk(item: Any) -> None:
        out.append(item.text(0))
        for i in range(item.childCount()):
            walk(item.child(i))

    for i in range(w.navigator.topLevelItemCount()):
        walk(w.navigator.topLevelItem(i))
    return out


@pytest.mark.window(workspace=True)
def test_review_page_corrects_a_term_and_stores_the_version(qtbot: Any, window: MainWindow,
                                                            shared_dir: Path) -> None:
    doc = shared_dir / "data" / "sla-texts" / "dxw_service_level_agreement.md"
    dlg = _review(qtbot, window, doc)
    assert _stored(qtbot, window) == []  # nothing stored while the page is open
    # every extracted term is listed in words with its value, clause and quote
    rows = {_at(dlg.terms, r, 0).text(): [_at(dlg.terms, r, c).text() for c in (1, 2, 3)]
            for r in range(dlg.terms.rowCount())}
    assert rows["P2 response target"] == ["1h", "4.3", "1 working hour"]
    assert rows["P1 response target"][:2] == ["1h", "3.2"]
    assert dlg.terms.rowCount() == len(dlg.read.terms) == 8
    missing = [_at(dlg.missing, r, 0).text() for r in range(dlg.missing.rowCount())]
    assert "P1 resolution target" in missing and "Backup RPO and RTO per system" in missing
    row = missing.index("P1 resolution target")
    assert _at(dlg.missing, row, 2).text() == "4h"  # the template's value offered
    assert _at(dlg.missing, row, 1).checkState() == Qt.CheckState.Unchecked

    # correct one term by editing its cell, take one default, choose status and label
    r = [_at(dlg.terms, i, 0).text() for i in range(dlg.terms.rowCount())].index("P2 response target")
    _at(dlg.terms, r, 1).setText("2h")
    _at(dlg.missing, row, 1).setCheckState(Qt.CheckState.Checked)
    dlg.status.setCurrentIndex(dlg.status.findData("signed"))
    dlg.label.setText("dxw 2018")
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.stored is not None, timeout=20_000)

    stored = _stored(qtbot, window)
    assert len(stored) == 1
    vid, c = stored[0]
    assert (c.status, c.version) == ("signed", "dxw 2018")
    assert c.targets["P2"].response == "2h"  # corrected
    assert c.targets["P1"].resolution == "4h"  # the default taken
    # the other extracted values as read
    assert [c.targets[p].response for p in ("P1", "P3", "P4")] == ["1h", "8h", "40h"]
    assert c.calendars["business"].weekly["mon"] == ("10:00-18:00",)
    assert c.calendars["business"].holidays is not None and c.calendars["business"].holidays.country == "GB"
    assert str(c.last_reviewed) == "2018-05-23"
    # the window knows the new version: navigator and baseline
    assert [v.id for v in window.state.versions] == [vid]
    assert window.state.baseline is not None and window.state.baseline.id == vid
    qtbot.waitUntil(lambda: not window.navigator.pending())
    assert any(t.startswith("dxw 2018") for t in _nav_texts(window))


@pytest.mark.window(workspace=True)
def test_cancel_stores_nothing(qtbot: Any, window: MainWindow, shared_dir: Path) -> None:
    dlg = _review(qtbot, window, shared_dir / "data" / "sla-texts" / "dxw_service_level_agreement.md")
    _at(dlg.terms, 0, 1).setText("2h")
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert _stored(qtbot, window) == []
    assert window.state.versions == []


@pytest.mark.window(workspace=True)
def test_a_wrong_value_is_shown_on_the_page_and_nothing_is_stored(qtbot: Any, window: MainWindow,
                                                                   shared_dir: Path) -> None:
    dlg = _review(qtbot, window, shared_dir / "data" / "sla-texts" / "dxw_service_level_agreement.md")
    dlg.set_value("targets.P2.response", "soon")
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert "P2 response target" in dlg.error.text() and "'soon'" in dlg.error.text()
    assert dlg.error.text().startswith("dxw_service_level_agreement.md: ")
    assert _stored(qtbot, window) == []


@pytest.mark.window(workspace=True)
def test_files_that_give_no_version_are_named_and_store_nothing(qtbot: Any, window: MainWindow,
                                                                 shared_dir: Path, tmp_path: Path) -> None:
    licence = shared_dir / "data" / "sla-texts" / "dxw_LICENCE.md"
    window.add_contract_version(str(licence))
    qtbot.waitUntil(lambda: bool(window.errors), timeout=20_000)
    assert str(licence) in window.errors[-1] and NO_TERMS in window.errors[-1]
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: x\nversion: v\ntargets:\n  P1: {response: 1h\n", encoding="utf-8")
    window.add_contract_version(str(bad))
    qtbot.waitUntil(lambda: len(window.errors) == 2, timeout=20_000)
    assert "broken.yaml" in window.errors[-1] and "line" in window.errors[-1]
    assert window.contract_dialog is None
    assert _stored(qtbot, window) == []

    # a contract file: status and label confirmed, stored; the same again is refused
    first = _review(qtbot, window, DEMO / "northwind-2026-q4-proposal.yaml")
    assert not first.terms.isVisibleTo(first)  # a contract file has no extracted terms
    assert first.status.currentData() == "proposal"
    qtbot.mouseClick(first.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.stored is not None, timeout=20_000)
    [(vid, stored)] = _stored(qtbot, window)
    assert stored == PROPOSAL
    again = _review(qtbot, window, DEMO / "northwind-2026-q4-proposal.yaml")
    qtbot.mouseClick(again.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.error.isVisibleTo(again), timeout=20_000)
    assert f"equals version {vid}" in again.error.text()
    assert "northwind-2026-q4-proposal.yaml" in window.errors[-1]
    assert len(_stored(qtbot, window)) == 1


def _drop(w: MainWindow, *paths: Path) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    w.dragEnterEvent(enter)
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    if enter.isAccepted():
        w.dropEvent(drop)
    return enter.isAccepted(), drop.isAccepted()


@pytest.mark.window(workspace=True)
def test_dropped_files_go_where_they_belong(qtbot: Any, window: MainWindow, shared_dir: Path,
                                            tmp_path: Path) -> None:
    tickets = shared_dir / "data" / "servicenow-uci" / "incident_event_log_sample400.csv"
    assert _drop(window, tickets) == (True, True)
    wizard = window.import_wizard
    assert wizard is not None and wizard.isVisible()
    assert wizard.file_page.path.text() == str(tickets)
    wizard.reject()

    for path, extracted in ((shared_dir / "data" / "sla-texts" / "dxw_service_level_agreement.md", True),
                            (DEMO / "northwind-2025.yaml", False)):
        window.contract_dialog = None
        assert _drop(window, path) == (True, True)
        qtbot.waitUntil(lambda: window.contract_dialog is not None and window.contract_dialog.isVisible(),
                        timeout=20_000)
        dlg = window.contract_dialog
        assert dlg is not None and dlg.read.extracted is extracted and dlg.path == path
        dlg.reject()

    picture = tmp_path / "logo.png"
    picture.write_bytes(b"\x89PNG\r\n")
    assert _drop(window, picture) == (False, False)  # not taken
    errors = len(window.errors)
    mime = _mime(picture)  # kept: the event does not own it
    window.dropEvent(QDropEvent(QPointF(1, 1), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert len(window.errors) == errors + 1 and "logo.png" in window.errors[-1]
    assert _stored(qtbot, window) == []


def _mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def _actions(menu: Any) -> dict[str, Any]:
    return {a.text(): a for a in menu.actions() if a.text()}


@pytest.mark.window([SIGNED, PROPOSAL], workspace=True)
def test_navigator_exports_and_removes_versions(qtbot: Any, window: MainWindow, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    signed, proposal = window.state.versions
    assert (signed.status, proposal.status) == ("signed", "proposal")
    menu = _actions(window.navigator.context_menu(signed))
    remove = menu["Remove… (signed versions are immutable)"]
    assert not remove.isEnabled()
    assert "immutable" in remove.toolTip()

    out = tmp_path / "exported"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    menu["Export as YAML…"].trigger()
    assert load_contract(tmp_path / "exported.yaml") == SIGNED

    asked: list[str] = []

    def no(*args: Any, **kw: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    menu = _actions(window.navigator.context_menu(proposal))
    assert menu["Remove…"].isEnabled()
    menu["Remove…"].trigger()
    assert "2026-Q4 proposal" in asked[-1]
    assert len(_stored(qtbot, window)) == 2  # answered No: still there

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    menu["Remove…"].trigger()
    qtbot.waitUntil(lambda: len(window.state.versions) == 1, timeout=20_000)
    assert [c for _, c in _stored(qtbot, window)] == [SIGNED]
    qtbot.waitUntil(lambda: not window.navigator.pending())
    assert not any("2026-Q4 proposal" in t for t in _nav_texts(window))


@pytest.mark.window(workspace=True)
def test_new_contract_from_template_opens_a_draft_in_the_editor(qtbot: Any, window: MainWindow) -> None:
    window.act_template.trigger()
    draft = window.state.draft
    assert isinstance(draft, Version) and draft.draft_key is not None and draft.id is None
    assert draft.contract == load_template()
    assert draft in window.state.versions
    assert window.current_view == "editor"
    assert window.stack.currentWidget() is window.views["editor"]
    assert window.act_add_contract.shortcut().toString() == "Ctrl+Shift+O"


@pytest.mark.window([PROPOSAL], workspace=True)
def test_removing_the_baseline_and_a_working_draft(qtbot: Any, window: MainWindow,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (proposal,) = window.state.versions
    assert window.state.baseline == proposal and window.state.scenario == PROPOSAL
    draft = window.new_contract_from_template()
    window.autosave()  # the draft is stored as a working draft
    qtbot.waitUntil(lambda: not window.state.dirty_draft, timeout=20_000)
    assert window.db.wait(window.db.call(lambda ws: [d.key for d in ws.draft_records()])) == [draft.draft_key]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _actions(window.navigator.context_menu(draft))["Remove…"].trigger()
    qtbot.waitUntil(lambda: draft not in window.state.versions, timeout=20_000)
    assert window.state.draft is None
    assert window.db.wait(window.db.call(lambda ws: list(ws.draft_records()))) == []

    _actions(window.navigator.context_menu(proposal))["Remove…"].trigger()
    qtbot.waitUntil(lambda: not window.state.versions, timeout=20_000)
    assert window.state.baseline is None and window.state.scenario is None
    assert _stored(qtbot, window) == []


@pytest.mark.window(workspace=True)
def test_a_step_proposes_its_status(qtbot: Any, window: MainWindow, shared_dir: Path) -> None:
    doc = shared_dir / "data" / "sla-texts" / "dxw_service_level_agreement.md"
    assert _review(qtbot, window, doc).status.currentData() == "draft"  # a document's own
    window.contract_dialog = None
    dlg = _review(qtbot, window, doc, status="signed")
    assert dlg.status.currentData() == "signed"
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.stored is not None, timeout=20_000)
    assert [c.status for _, c in _stored(qtbot, window)] == ["signed"]
