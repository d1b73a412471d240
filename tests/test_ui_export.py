"""The redline export dialog: versions, rationale per change, preview, export on a worker."""

from __future__ import annotations

import pytest

from tests.test_ui_support import make_contract, make_history, table_item
from ui.export_dialog import ExportDialog
from ui.main_window import MainWindow
from ui.state import Version

pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window(
        [make_contract("2025 signed"), make_contract("2026 proposal", status="proposal", p1_resolution="2h")],
        tickets=120,
    ),
]


def test_export_a_redline_with_rationale(qtbot, window, tmp_path) -> None:
    from pypdf import PdfReader

    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    old, new = dlg.versions()
    assert old.contract.version == "2025 signed" and new.contract.version == "2026 proposal"
    keys = [table_item(dlg.changes, r, 2).data(256) for r in range(dlg.changes.rowCount())]
    assert "targets.P1.resolution" in keys
    row = keys.index("targets.P1.resolution")
    label = table_item(dlg.changes, row, 0).text()
    assert "4" in label and "2" in label
    dlg.set_rationale("targets.P1.resolution", "Clinics cannot chart without the EHR for four hours.")
    assert dlg.rationale == {"targets.P1.resolution": "Clinics cannot chart without the EHR for four hours."}
    assert "Clinics cannot chart" in dlg.preview.toPlainText()
    dlg.prepared_by.setText("Dana Reviewer")
    out = tmp_path / "out" / "redline.pdf"
    dlg.path.setText(str(out))
    assert dlg.export() is None and "no such folder" in dlg.status.text()  # nothing attempted
    out.parent.mkdir()
    assert dlg.export() is not None
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60_000)
    assert dlg.written == out and out.is_file(), dlg.status.text()
    assert dlg.open_button.isVisibleTo(dlg)
    text = "".join(p.extract_text() or "" for p in PdfReader(str(out)).pages)
    assert "Clinics cannot chart" in text and "Dana Reviewer" in text and "DRAFT" in text


def test_same_version_on_both_sides_cannot_export(qtbot, window) -> None:
    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    dlg.new.setCurrentIndex(dlg.old.currentIndex())
    assert not dlg.export_button.isEnabled() and dlg.changes.rowCount() == 0
    assert "No differences" in dlg.preview.toPlainText()


def test_file_menu_export_opens_the_dialog(qtbot, window, monkeypatch) -> None:
    opened: list[ExportDialog] = []

    def fake_exec(self: ExportDialog) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(ExportDialog, "exec", fake_exec)
    window.act_export.trigger()
    assert opened and isinstance(opened[0], ExportDialog)


def test_the_dialog_takes_its_as_of_from_the_injected_clock(qtbot) -> None:
    from datetime import UTC, datetime

    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    try:
        old = Version(1, make_contract("2025 signed"))
        new = Version(2, make_contract("2026 proposal", status="proposal", p1_resolution="2h"))
        w.state.load(None, [old, new], make_history(0))
        dlg = ExportDialog(w, clock=lambda: datetime(2027, 2, 3, 1, 0, tzinfo=UTC))
        qtbot.addWidget(dlg)
        assert dlg.as_of.date().toString("yyyy-MM-dd") == "2027-02-03"
    finally:
        w.db.shutdown()


def test_rationale_only_for_material_changes_and_a_clean_default_file(qtbot, window) -> None:
    from pathlib import Path

    from workbench.app.redline import ADMINISTRATIVE, redline_file_name

    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    keys = [table_item(dlg.changes, r, 2).data(256) for r in range(dlg.changes.rowCount())]
    assert not ADMINISTRATIVE & set(keys), "no rationale asked for version, status or dates"
    assert any(t.key == "version" for t in dlg.diff.terms) and "also version" in dlg.status.text()
    path = Path(dlg.path.text())
    assert path.name == "Redline 2025 signed to 2026 proposal.pdf"
    from ui.export_dialog import documents_folder

    assert path.parent == documents_folder()  # not the workspace's (for the demo: a hidden data folder)
    assert redline_file_name("2025/26: a*b", "  ") == "Redline 2025-26- a-b to version.pdf"


def _page_size(path) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    box = PdfReader(str(path)).pages[0].mediabox
    return float(box.width), float(box.height)


def test_paper_defaults_by_the_clients_country_and_reaches_the_pdf(qtbot, window, tmp_path) -> None:
    from reportlab.lib.pagesizes import A4, LETTER

    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    # the contracts' holidays are Canadian: Letter, as the redline and report commands choose it
    assert dlg.paper.currentData() == "letter"
    assert dlg.paper.currentText() == "Letter (the default: the client's country, CA)"
    assert [dlg.paper.itemText(i) for i in range(dlg.paper.count())][1] == "A4"
    a4 = dlg.paper.findData("a4")
    dlg.paper.setCurrentIndex(a4)
    dlg.paper.activated.emit(a4)  # as a click on the item does
    dlg.refresh()  # the versions change: the user's choice stays
    assert dlg.paper.currentData() == "a4"
    for key, size in (("a4", A4), ("letter", LETTER)):
        dlg.paper.setCurrentIndex(dlg.paper.findData(key))
        out = tmp_path / f"redline-{key}.pdf"
        dlg.path.setText(str(out))
        assert dlg.export() is not None
        qtbot.waitUntil(lambda: dlg.task is None, timeout=60_000)
        assert dlg.written == out, dlg.status.text()
        assert _page_size(out) == pytest.approx(size, abs=0.01)
