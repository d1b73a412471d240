"""File ▸ Export QBR report…: the dialog offers the history's quarters, the signed versions
and the proposals, names the file in the Documents folder, and writes the same bytes as
the operation ``sla-workbench report`` runs (workbench.app.report.write_report), on a
worker that Cancel stops; the cover's preparer and logo come from Preferences."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
CONTRACTS = tuple(load_contract(DEMO / f"{n}.yaml") for n in ("northwind-2025", "northwind-2026-q4-proposal"))

pytestmark = [
    pytest.mark.gui,
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window(CONTRACTS, tickets=800, view="overview"),
]


def _dialog(window, qtbot: QtBot):  # type: ignore[no-untyped-def]
    from ui.qbr_export_dialog import QbrExportDialog

    dlg = QbrExportDialog(window)
    qtbot.addWidget(dlg)
    return dlg


def test_the_dialog_offers_the_quarters_versions_and_a_clean_file_name(window, qtbot: QtBot) -> None:
    from ui.export_dialog import documents_folder
    from ui.present import quarters_of
    from workbench.analytics.kpis import report_zone

    dlg = _dialog(window, qtbot)
    st = window.state
    quarters = quarters_of(st.history, st.as_of(), report_zone(st.baseline.contract))
    assert [dlg.quarter.itemData(i) for i in range(dlg.quarter.count())] == quarters
    assert [dlg.version.itemData(i).status for i in range(dlg.version.count())] == ["signed"]
    assert [dlg.proposal.itemText(i) for i in range(dlg.proposal.count())] == ["None", st.versions[1].label]
    q = quarters[0]
    path = Path(dlg.path.text())
    assert path.parent == documents_folder()
    assert path.name == f"QBR {q.label} Lakeshore Dental Group.pdf"
    # the paper the report command would choose, named as the redline's dialog names it
    from workbench.reports.pdf.template import default_paper

    key, why = default_paper(st.baseline.contract)
    assert dlg.paper.currentData() == key
    assert dlg.paper.currentText() == f"{dict(letter='Letter', a4='A4')[key]} (the default: {why})"
    dlg.form.setCurrentIndex(1)  # the slide deck
    assert Path(dlg.path.text()).name == f"QBR {q.label} Lakeshore Dental Group.pptx"
    assert not dlg.paper.isEnabled()
    dlg.quarter.setCurrentIndex(1)
    assert Path(dlg.path.text()).name == f"QBR {quarters[1].label} Lakeshore Dental Group.pptx"
    dlg.path.setText(str(Path(dlg.path.text()).with_name("my review.pptx")))  # the user's own name
    dlg.form.setCurrentIndex(0)
    assert Path(dlg.path.text()).name == "my review.pdf"


def test_export_writes_what_the_report_command_writes(window, qtbot: QtBot, tmp_path: Path) -> None:
    import pdfplumber
    from PIL import Image

    from ui.cover_prefs import BRAND, LOGO, PREPARED_BY
    from ui.main_window import settings
    from workbench.app.report import write_report
    from workbench.reports.pdf.template import Cover, read_logo

    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 60), "#1F4FD0").save(logo)
    s = settings()
    s.setValue(PREPARED_BY, "Dana Reviewer")
    s.setValue(BRAND, "Harbour Advisory")
    s.setValue(LOGO, str(logo))
    dlg = _dialog(window, qtbot)
    assert "Dana Reviewer" in dlg.cover_note.text() and "logo" in dlg.cover_note.text()
    dlg.proposal.setCurrentIndex(1)
    out = tmp_path / "out" / "review.pdf"
    dlg.path.setText(str(out))
    assert dlg.export() is None and "no such folder" in dlg.status.text()  # nothing attempted
    out.parent.mkdir()
    assert dlg.export() is not None
    qtbot.waitUntil(lambda: dlg.task is None, timeout=90_000)
    assert dlg.written == out and out.is_file(), dlg.status.text()
    assert dlg.open_button.isVisibleTo(dlg)
    st = window.state
    same = write_report(
        tmp_path / "cli.pdf",
        st.history,
        st.versions[0].contract,
        dlg.quarter.currentData(),
        proposal=st.versions[1].contract,
        proposal_label=st.versions[1].label,
        as_of=st.as_of(),
        cover=Cover(brand="Harbour Advisory", logo=read_logo(logo), prepared_by="Dana Reviewer"),
    )
    assert out.read_bytes() == same.read_bytes()
    with pdfplumber.open(out) as pdf:
        cover = pdf.pages[0]
        assert "Harbour Advisory" in cover.extract_text() and "Dana Reviewer" in cover.extract_text()
        assert len(cover.images) == 1
        assert "Proposal" in cover.extract_text()


def test_export_the_deck_and_cancel(window, qtbot: QtBot, tmp_path: Path) -> None:
    from pptx import Presentation

    dlg = _dialog(window, qtbot)
    dlg.form.setCurrentIndex(1)
    out = tmp_path / "review.pptx"
    dlg.path.setText(str(out))
    task = dlg.export()
    assert task is not None
    task.cancel()  # at once: the worker stops at its first progress report
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60_000)
    assert "Cancelled: nothing was written." in dlg.status.text() and not out.exists()
    assert dlg.export() is not None
    qtbot.waitUntil(lambda: dlg.task is None, timeout=90_000)
    assert out.is_file(), dlg.status.text()
    slides = Presentation(str(out)).slides
    assert len(slides) > 5


def test_file_menu_opens_the_dialog(window, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.qbr_export_dialog import QbrExportDialog

    opened: list[QbrExportDialog] = []

    def fake_exec(self: QbrExportDialog) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(QbrExportDialog, "exec", fake_exec)
    assert window.act_export_qbr.text() == "Export &QBR report…"
    window.act_export_qbr.trigger()
    assert opened and isinstance(opened[0], QbrExportDialog)


def test_preferences_take_the_preparer_and_a_logo_once(window, qtbot: QtBot, tmp_path: Path) -> None:
    from PIL import Image

    from ui.cover_prefs import LOGO, PREPARED_BY, cover_from_settings
    from ui.main_window import PreferencesDialog, settings

    dlg = PreferencesDialog(window)
    qtbot.addWidget(dlg)
    bad = tmp_path / "logo.png"
    bad.write_text("not a picture")
    assert not dlg.cover.set_logo(str(bad)) and "not a PNG or JPEG" in dlg.cover.logo_label.text()
    good = tmp_path / "good.jpg"
    Image.new("RGB", (40, 20), "white").save(good)
    assert dlg.cover.set_logo(str(good)) and dlg.cover.logo_label.text() == "good.jpg"
    dlg.cover.prepared_by.setText("  Dana Reviewer ")
    dlg.accept()
    s = settings()
    assert s.value(PREPARED_BY) == "Dana Reviewer" and s.value(LOGO) == str(good)
    cover, problem = cover_from_settings(s)
    assert cover.prepared_by == "Dana Reviewer" and cover.logo == good.read_bytes() and not problem
    good.unlink()  # the file went away: the documents are made without it, and say so
    cover, problem = cover_from_settings(s)
    assert cover.logo is None and "left off" in problem
