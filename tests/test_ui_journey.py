"""A new engagement in the GUI, as a user would go through it (issue 13's journey): from
an empty profile, File ▸ New workspace, the client's ServiceNow export through the import
wizard, their published SLA through the review page of File ▸ Add contract version… (one
term corrected, one default taken, status signed), the provider's proposal, What-if with
a slider moved, Compare, and File ▸ Export redline….  Only what a user touches is
driven: menu actions, the start page's buttons, the dialogs' fields and buttons; the
system's file dialogs are answered by monkeypatching ``QFileDialog`` (they are native
windows no test can click).  Every step is checked on what the views show.  The command
line's journey is tests/test_journey_cli.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QTableWidget,
    QTreeWidget,
    QWizard,
)

from tests.test_ui_support import table_item, view_of
from ui.contract_files import ReviewDialog
from ui.export_dialog import ExportDialog
from ui.import_wizard import ImportWizard
from ui.main_window import MainWindow
from ui.views.compare import CompareView
from ui.views.overview import OverviewView
from ui.views.start import StartView
from ui.views.whatif import WhatIfView

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXPORT = SHARED / "data" / "servicenow-uci" / "incident_event_log_sample400.csv"
SLA = SHARED / "data" / "sla-texts" / "dxw_service_level_agreement.md"
PROPOSAL = ROOT / "resources" / "demo" / "northwind-2026-q4-proposal.yaml"

pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.skipif(not EXPORT.is_file(), reason="../shared is not beside this checkout"),
]


@pytest.fixture(autouse=True)
def _no_user_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty profile: no import presets of the user's own either."""
    monkeypatch.setenv("SLA_WORKBENCH_CONFIG", str(tmp_path / "config"))


# ---------------------------------------------------------------------- reading the screen


def _nav_texts(tree: QTreeWidget) -> list[str]:
    out: list[str] = []

    def walk(item: Any, depth: int) -> None:
        out.append("  " * depth + item.text(0))
        for i in range(item.childCount()):
            walk(item.child(i), depth + 1)

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i), 0)
    return out


def _navigator(qtbot: Any, w: MainWindow) -> list[str]:
    qtbot.waitUntil(lambda: not w.navigator.pending(), timeout=5_000)
    return [t.strip() for t in _nav_texts(w.navigator)]


def _cells(view: QAbstractItemView) -> list[list[str]]:
    """Every row of a table view as its cells' texts."""
    model = view.model()
    return [
        [str(model.data(model.index(r, c, QModelIndex())) or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _rows(table: QTableWidget) -> dict[str, list[str]]:
    """A QTableWidget's rows by their first cell."""
    columns = range(1, table.columnCount())
    return {
        table_item(table, r, 0).text(): [table_item(table, r, c).text() for c in columns]
        for r in range(table.rowCount())
    }


def _row_of(table: QTableWidget, first: str) -> int:
    return [table_item(table, r, 0).text() for r in range(table.rowCount())].index(first)


# ---------------------------------------------------------------------- what a user does


def _type(qtbot: Any, field: QLineEdit, text: str) -> None:
    """Select what the field holds and type ``text`` over it."""
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def _click(qtbot: Any, button: Any) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _edit_cell(qtbot: Any, table: QTableWidget, row: int, column: int, text: str) -> None:
    """Double-click a cell, type ``text`` over its value, press Enter."""
    item = table_item(table, row, column)
    table.scrollToItem(item)
    centre = table.visualItemRect(item).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "a double-click opens the cell's editor"
    _type(qtbot, editors[0], text)
    qtbot.keyClick(editors[0], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: item.text() == text, timeout=5_000)


def _tick(qtbot: Any, table: QTableWidget, row: int, column: int) -> None:
    """Click a cell's check box (the space bar on the current cell toggles it)."""
    item = table_item(table, row, column)
    table.setCurrentItem(item)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert item.checkState() == Qt.CheckState.Checked


def _in_modal(qtbot: Any, start: Callable[[], object], kind: type[QDialog],
              drive: Callable[[Any], None]) -> None:
    """``start()`` opens a modal dialog of ``kind`` that blocks in its own event loop
    (``exec``): ``drive`` works it from inside that loop and ends by closing it.  A
    failure in ``drive`` closes the dialog and is raised here."""
    failures: list[BaseException] = []
    seen: list[QDialog] = []

    def find(tries: int = 0) -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, kind):
            if tries < 500:
                QTimer.singleShot(20, lambda: find(tries + 1))
            return
        seen.append(modal)
        try:
            drive(modal)
        except BaseException as exc:  # the dialog must close, or exec never returns
            failures.append(exc)
            modal.reject()

    QTimer.singleShot(0, find)
    start()
    if failures:
        raise failures[0]
    assert seen, f"no {kind.__name__} opened"
    assert not seen[0].isVisible()


def _review_page(qtbot: Any) -> ReviewDialog:
    """The review page of Add contract version, once the file is read and it shows."""
    def shown() -> ReviewDialog | None:
        pages = [w for w in QApplication.topLevelWidgets() if isinstance(w, ReviewDialog) and w.isVisible()]
        return pages[0] if len(pages) == 1 else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=20_000)
    page = shown()
    assert page is not None
    return page


def _confirm(qtbot: Any, page: ReviewDialog) -> None:
    """Press "Add version"; the page closes (and is deleted) once the version is stored."""
    with qtbot.waitSignal(page.finished, timeout=20_000) as closed:
        _click(qtbot, page.confirm_button)
    assert closed.args == [QDialog.DialogCode.Accepted.value]


def _answer_file_dialogs(monkeypatch: pytest.MonkeyPatch, *, save: Path | None = None,
                         open_: Path | None = None) -> None:
    if save is not None:
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(save), ""))
    if open_ is not None:
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(open_), ""))


# ---------------------------------------------------------------------- the journey


def test_a_new_engagement_from_export_to_redline(qtbot: Any, window: MainWindow, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    w = window
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    assert w.stack.currentWidget() is w.welcome and w.welcome.title.text() == "No workspace open"
    assert _navigator(qtbot, w) == ["No workspace open"]
    assert w.sb_workspace.text() == "No workspace"

    # 1. File ▸ New workspace…: it opens on the start page, every step to do
    ws_path = tmp_path / "client" / "fabrikam.slawb"
    ws_path.parent.mkdir()
    _answer_file_dialogs(monkeypatch, save=ws_path.with_suffix(""))  # the suffix is added
    w.act_new.trigger()
    qtbot.waitUntil(lambda: w.state.path == ws_path, timeout=20_000)
    assert ws_path.is_file()
    start = view_of(w, "start", StartView)
    assert w.current_view == "start" and w.stack.currentWidget() is start
    assert start.heading.text() == "Start of the engagement — fabrikam"
    assert [(c.key, c.state_label.text()) for c in start.cards.values()] == [
        ("contract", "To do"), ("tickets", "To do"), ("records", "Optional"), ("proposals", "Optional")
    ]
    assert start.next_text.text().startswith("0 of 4 steps done")
    assert not start.open_overview.isVisible()
    assert _navigator(qtbot, w) == [
        "(no contract yet)", "Signed (0)", "Drafts (0)", "Proposals (0)", "Data sources", "Tickets: 0",
        "Status changes: 0", "Backup jobs: 0", "Restore tests: 0", "Outages: 0", "KPI months: 0",
    ]
    assert w.windowTitle() == "SLA Workbench — fabrikam.slawb"
    assert w.sb_workspace.text() == "Workspace: fabrikam.slawb" and w.sb_tickets.text() == "0 tickets"

    # 2. File ▸ Import tickets…: the ServiceNow export, page by page, the time zone UTC
    imported: dict[str, int] = {}

    def import_export(wiz: ImportWizard) -> None:
        assert wiz.windowTitle() == "Import tickets"
        _type(qtbot, wiz.file_page.path, str(EXPORT))
        assert "ticket export" in wiz.file_page.detected.text()
        _click(qtbot, wiz.button(QWizard.WizardButton.NextButton))
        qtbot.waitUntil(wiz.preset_page.isComplete, timeout=20_000)
        assert wiz.currentPage() is wiz.preset_page
        assert wiz.preset_page.combo.currentText().startswith("ServiceNow incident audit/event log")
        _click(qtbot, wiz.button(QWizard.WizardButton.NextButton))
        assert wiz.currentPage() is wiz.mapping_page
        assert wiz.mapping_page.combos["id"].currentText() == "number"
        wiz.mapping_page.tz.setCurrentText("UTC")
        _click(qtbot, wiz.button(QWizard.WizardButton.NextButton))
        qtbot.waitUntil(wiz.preview_page.isComplete, timeout=30_000)
        preview = wiz.preview_page.table
        assert preview.rowCount() > 0 and table_item(preview, 0, 0).text().startswith("INC")
        assert table_item(preview, 0, 2).text().endswith("UTC")
        _click(qtbot, wiz.button(QWizard.WizardButton.NextButton))
        assert wiz.currentPage() is wiz.validation_page
        imported["valid"] = wiz.valid_count()
        imported["rejected"] = wiz.validation_page.model.rowCount()
        _click(qtbot, wiz.button(QWizard.WizardButton.FinishButton))
        qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=60_000)

    _in_modal(qtbot, w.act_import.trigger, ImportWizard, import_export)
    n = imported["valid"]
    assert n > 300 and not w.errors
    assert w.current_view == "start"
    assert start.cards["tickets"].state_label.text() == "Done"
    assert start.cards["tickets"].detail.text().startswith(f"{n:,} tickets")
    assert start.cards["tickets"].button.text() == "Import more tickets…"
    assert start.next_text.text().startswith("1 of 4 steps done")
    assert w.sb_tickets.text() == f"{n:,} tickets"
    assert f"Tickets: {n:,}" in _navigator(qtbot, w)

    # 3. File ▸ Add contract version…: the published SLA on its review page
    _answer_file_dialogs(monkeypatch, open_=SLA)
    w.act_add_contract.trigger()
    page = _review_page(qtbot)
    assert page.windowTitle() == f"Add contract version — {SLA.name}"
    terms = _rows(page.terms)
    assert terms["P1 response target"][:2] == ["1h", "3.2"]  # value, clause
    assert terms["P2 response target"] == ["1h", "4.3", "1 working hour"]  # … and quote
    assert len(terms) == 8
    missing = _rows(page.missing)
    assert missing["P1 resolution target"] == ["Use default", "4h"]  # the template's value offered
    assert "Backup RPO and RTO per system" in missing
    assert page.status.currentData() == "draft"  # a document's own, until chosen
    # correct P1 response (a double-click on its value), take the template's P1
    # resolution, choose signed and a label
    _edit_cell(qtbot, page.terms, _row_of(page.terms, "P1 response target"), 1, "30m")
    _tick(qtbot, page.missing, _row_of(page.missing, "P1 resolution target"), 1)
    page.status.setCurrentIndex(page.status.findData("signed"))
    _type(qtbot, page.label, "dxw 2018")
    _confirm(qtbot, page)
    assert not w.errors
    assert start.cards["contract"].state_label.text() == "Done"
    assert start.cards["contract"].detail.text() == "1 signed contract version"
    assert start.next_text.text().startswith("2 of 4 steps done")
    assert start.open_overview.isVisible() and start.open_whatif.isVisible()
    nav = _navigator(qtbot, w)
    assert nav[:4] == ["Service Level Agreement", "Signed (1)", "dxw 2018  ◀ baseline", "Drafts (0)"]
    assert w.statusBar().currentMessage().startswith(f"Added “dxw 2018” (signed) from {SLA.name}")

    # 4. the start page's "Add a proposal…": the demo's 2026-Q4 proposal, a contract file
    _answer_file_dialogs(monkeypatch, open_=PROPOSAL)
    _click(qtbot, start.cards["proposals"].button)
    page = _review_page(qtbot)
    assert page.status.currentData() == "proposal" and page.label.text() == "2026-Q4 proposal"
    assert not page.terms.isVisibleTo(page)  # a contract file has no terms to review
    _confirm(qtbot, page)
    assert not w.errors
    assert start.cards["proposals"].state_label.text() == "Done"
    assert start.cards["proposals"].detail.text() == "1 proposal"
    assert start.next_text.text().startswith("3 of 4 steps done")
    nav = _navigator(qtbot, w)
    # grouped by client: the proposal names one, the published SLA none (its name stands for it)
    assert nav[:10] == [
        "Lakeshore Dental Group", "Signed (0)", "Drafts (0)", "Proposals (1)",
        "2026-Q4 proposal — Northwind Managed Services Inc.",
        "Service Level Agreement", "Signed (1)", "dxw 2018  ◀ baseline", "Drafts (0)", "Proposals (0)",
    ]

    # 5. the start page's "Open the Overview": the QBR dashboard of the signed SLA on the tickets
    _click(qtbot, start.open_overview)
    overview = view_of(w, "overview", OverviewView)
    assert w.stack.currentWidget() is overview and overview.stack.currentIndex() == 1
    qtbot.waitUntil(lambda: overview.report is not None, timeout=30_000)
    # the last full quarter that holds tickets (the export's tickets were all opened in
    # February and March 2016, updated until December: Q3 2016 would be empty), named by
    # the contract, which states no client
    assert overview.title.text() == (
        "Service Level Agreement — Q1 2016 (Jan 1 – Mar 31, 2016) against Q4 2015, under dxw 2018"
    )
    cards = [c for c in overview.cards if c.isVisibleTo(overview)]
    assert [c.label.text() for c in cards[:2]] == ["Response compliance", "Resolution compliance"]
    assert cards[0].value.text().endswith("%"), "the quarter's figures, not an empty quarter's"
    signs = [overview.warnings.item(i).text() for i in range(overview.warnings.count())]  # type: ignore[union-attr]
    # measured on the tickets under the terms as confirmed: P1 response 30m, P1 resolution 4h
    assert any(s.startswith("Medium · W09 Missed commitments · P1 response target: 4 P1 response breaches "
                            "of 30m") for s in signs), signs
    assert any("P1 resolution breaches of 4h" in s for s in signs)
    assert any(s.startswith("High · W06 No backup and recovery commitments") for s in signs)

    # 6. View ▸ What-if: the signed SLA against a scenario whose P3 response slider is moved
    w.view_actions["whatif"].trigger()
    whatif = view_of(w, "whatif", WhatIfView)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is whatif and whatif.stack.currentIndex() == 1,
                    timeout=20_000)
    qtbot.waitUntil(lambda: w.simulation.whatif is not None and w.simulation.idle(), timeout=30_000)
    assert whatif.baseline_combo.currentText().startswith("dxw 2018")
    before = {r[0]: r for r in _cells(whatif.compliance)}
    assert set(before) <= {"P1", "P2", "P3", "P4"} and "P1" in before
    assert sum(int(r[1].replace(",", "")) for r in before.values()) == n  # every ticket replayed
    p1 = before["P1"]
    assert p1[5] == p1[6] and p1[7] == "+0.0 pts"  # the scenario starts as the baseline
    assert p1[2] == p1[3] and p1[4] == "+0.0 pts"
    assert whatif.controls[("P1", "resolution")].spin.text() == "4.00 h"  # the default taken
    assert whatif.controls[("P1", "response")].spin.text() == "0.50 h"  # the term corrected
    # P3 response (most of the tickets): the slider moved down a page, 8h -> 5.5h
    control = whatif.controls[("P3", "response")]
    assert control.spin.text() == "8.00 h"
    qtbot.keyClick(control.slider, Qt.Key.Key_PageDown)
    assert control.slider.value() == 22 and control.spin.text() == "5.50 h"
    qtbot.waitUntil(lambda: _cells(whatif.compliance)[2] != before["P3"], timeout=30_000)
    qtbot.waitUntil(w.simulation.idle, timeout=30_000)
    after = {r[0]: r for r in _cells(whatif.compliance)}
    p3, now = before["P3"], after["P3"]
    assert now[2] == p3[2] and now[5:] == p3[5:]  # the baseline is the signed SLA still
    assert now[3] != p3[3] and now[4].startswith("-")  # fewer P3 responses within 5.5 h
    assert float(now[4].split()[0]) == pytest.approx(float(now[3][:-1]) - float(p3[3][:-1]), abs=0.11)
    assert {k: r for k, r in after.items() if k != "P3"} == {k: r for k, r in before.items() if k != "P3"}
    # the tickets that flip, and what it costs: the SLA grants no credits, nor does the scenario
    qtbot.waitUntil(lambda: whatif.summary.text().endswith(
        "No service credits: neither the baseline nor the scenario grants any."), timeout=30_000)
    flips = whatif.flips.model().rowCount()
    assert flips > 0 and whatif.tabs.tabText(2) == f"Tickets that flip ({flips:,})"
    assert whatif.summary.text().startswith(f"0 ticket metrics become met and {flips:,} become breached")
    assert w.act_undo.isEnabled() and w.act_undo.text().startswith("&Undo P3 response target")

    # 7. View ▸ Compare: both versions replayed on the tickets, ranked with their scores
    w.view_actions["compare"].trigger()
    compare = view_of(w, "compare", CompareView)
    assert w.stack.currentWidget() is compare and compare.stack.currentIndex() == 1
    listed = [compare.version_list.item(i) for i in range(compare.version_list.count())]
    assert [(i.text(), i.checkState()) for i in listed if i is not None] == [
        ("Service dxw 2018 (signed)", Qt.CheckState.Checked),
        ("Northwind 2026-Q4 proposal (proposal)", Qt.CheckState.Checked),
    ]
    qtbot.waitUntil(lambda: compare.comparison is not None and compare.idle(), timeout=30_000)
    ranked = _cells(compare.score_table)
    assert sorted(r[0] for r in ranked) == ["Northwind 2026-Q4 proposal", "Service dxw 2018"]
    scores = [float(r[1]) for r in ranked]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    assert compare.status.text() == (f"Best on these weights: <b>{ranked[0][0]}</b> "
                                     f"({scores[0]:.1f} points).")
    perf = _cells(compare.perf_table)
    p1_resolution = next(r for r in perf if r[:2] == ["P1", "resolution compliance"])
    assert p1_resolution[2].endswith("%") and p1_resolution[3].endswith("%")
    terms_side = _cells(compare.terms_table)
    side = {r[0]: r[1:] for r in terms_side}
    assert side["P1 response"] == ["30 min, 24x7", "1 h, 24x7"]  # the corrected term against the offer
    assert side["Status"] == ["signed", "proposal"]

    # 8. File ▸ Export redline…: the signed SLA against the proposal, written to a PDF
    pdf = tmp_path / "client" / "review.pdf"
    written: list[str] = []

    def export(dlg: ExportDialog) -> None:
        assert dlg.old.currentText() == "dxw 2018 (signed)"
        assert dlg.new.currentText() == "2026-Q4 proposal — Northwind Managed Services Inc. (proposal)"
        changes = dlg.changes.rowCount()
        assert changes > 1 and dlg.status.text().startswith(f"{changes:,} changes")
        assert "dxw 2018 → 2026-Q4 proposal" in dlg.preview.toPlainText()
        _edit_cell(qtbot, dlg.changes, 0, 2, "Agreed at the kick-off meeting.")
        assert "Why: Agreed at the kick-off meeting." in dlg.preview.toPlainText()
        _type(qtbot, dlg.prepared_by, "Account manager")
        _type(qtbot, dlg.path, str(pdf))
        _click(qtbot, dlg.export_button)
        qtbot.waitUntil(lambda: dlg.open_button.isVisible() or "Nothing" in dlg.status.text(),
                        timeout=60_000)
        written.append(dlg.status.text())
        close = next(b for b in dlg.findChildren(type(dlg.export_button)) if b.text() == "Close")
        _click(qtbot, close)

    _in_modal(qtbot, w.act_export.trigger, ExportDialog, export)
    assert written == [f"Wrote {pdf}"] and pdf.is_file()
    pages = [p.extract_text() or "" for p in PdfReader(pdf).pages]
    words = " ".join(" ".join(pages).split())
    assert len(pages) >= 3
    assert "dxw 2018" in words and "2026-Q4 proposal" in words
    assert "Agreed at the kick-off meeting." in words and "Account manager" in words
    assert not w.errors
