"""Preferences ▸ Input limits: the limits the command line raises with ``--limit NAME=VALUE``,
one field each in words and units with its default and Reset, stored with the other
preferences and applied to the app's work by the same ``models.limits`` code; a refusal in
the app names the file, the limit and the value and says to raise it in Preferences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from models import limits
from ui.limit_prefs import KEY
from ui.main_window import MainWindow, PreferencesDialog

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


def _settings() -> QSettings:
    from ui.main_window import settings

    return settings()


def _through_preferences(qtbot: Any, window: MainWindow, fill: Any) -> None:
    """Edit ▸ Preferences… as a person uses it: the dialog opens, ``fill(dialog)`` types into
    it, OK is pressed."""
    seen: list[PreferencesDialog] = []

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, PreferencesDialog):
            QTimer.singleShot(20, drive)
            return
        seen.append(dlg)
        fill(dlg)
        dlg.accept()
        if dlg.isVisible():  # refused: close it so the test goes on, and fail below
            dlg.reject()

    QTimer.singleShot(0, drive)
    window.preferences()
    assert seen and seen[0].result() == PreferencesDialog.DialogCode.Accepted


def _long_document(shared_dir: Path, tmp_path: Path) -> Path:
    """A published SLA followed by 60,000 empty lines: past the 50,000 lines a document may have."""
    text = (shared_dir / "data" / "sla-texts" / "dxw_service_level_agreement.md").read_text(encoding="utf-8")
    path = tmp_path / "long-sla.md"
    path.write_text(text + "\n" * 60_000, encoding="utf-8")
    return path


def test_each_limit_in_words_with_its_default_and_reset(qtbot: Any, window: MainWindow) -> None:
    dlg = PreferencesDialog(window)
    qtbot.addWidget(dlg)
    group = dlg.limits
    assert list(group.fields) == list(limits.RAISABLE)  # one field per raisable limit
    size = group.fields["document-size"]
    assert size.text() == "100 MB" and group.fields["parse-seconds"].text() == "30 s"
    assert group.fields["document-lines"].text() == "50,000"
    texts = [label.text() for label in group.findChildren(QLabel)]
    assert "Largest contract document (DOCX, PDF, text)" in texts and "(default 100 MB)" in texts
    assert "lines (default 50,000)" in texts
    assert not group.resets["document-size"].isEnabled()  # nothing to reset at the default
    size.setText("500 MB")
    assert group.resets["document-size"].isEnabled()
    group.resets["document-size"].click()
    assert size.text() == "100 MB" and not group.resets["document-size"].isEnabled()

    size.setText("a lot")  # not a size: said in the group, the dialog stays, nothing stored
    dlg.show()
    assert dlg.tabs.currentIndex() == 0  # the limits have a tab of their own, after General
    dlg.accept()
    assert dlg.tabs.currentWidget() is group  # the limit in question is shown
    assert dlg.isVisible() and group.error.isVisible()
    assert group.error.text() == ("Largest contract document (DOCX, PDF, text): “a lot” is not a size "
                                  "above 0, such as 500 MB or 4 GB")
    assert _settings().value(KEY.format(name="document-size")) is None


@pytest.mark.window(workspace=True)
def test_a_raised_limit_lets_through_a_file_the_default_refuses(qtbot: Any, window: MainWindow,
                                                               shared_dir: Path, tmp_path: Path) -> None:
    doc = _long_document(shared_dir, tmp_path)

    # the default refuses it, in one message naming the file, the limit, the value and Preferences
    window.add_contract_version(str(doc))
    qtbot.waitUntil(lambda: bool(window.errors), timeout=20_000)
    assert window.errors[-1] == (
        f"{doc}: lines: 60,097 lines; the limit is 50,000 "
        "(raise it in Edit ▸ Preferences ▸ Input limits: Lines of a document's text)"
    )
    assert window.contract_dialog is None

    # raised in Preferences: stored with the other preferences, in force at once
    _through_preferences(qtbot, window, lambda dlg: dlg.limits.fields["document-lines"].setText("100,000"))
    assert int(str(_settings().value(KEY.format(name="document-lines")))) == 100_000
    assert _settings().value(KEY.format(name="document-size")) is None  # defaults are not stored
    assert limits.DOCUMENT_LINES == 100_000

    window.add_contract_version(str(doc))
    qtbot.waitUntil(lambda: window.contract_dialog is not None and window.contract_dialog.isVisible(),
                    timeout=20_000)
    review = window.contract_dialog
    assert review is not None
    assert review.read.source == "long-sla.md" and len(review.read.terms) == 8
    assert len(window.errors) == 1
    review.reject()

    # Reset puts the default back (its key removed) and the file is refused again
    _through_preferences(qtbot, window, lambda dlg: dlg.limits.resets["document-lines"].click())
    assert _settings().value(KEY.format(name="document-lines")) is None
    assert limits.DOCUMENT_LINES == limits.DEFAULTS["document-lines"] == 50_000
    window.add_contract_version(str(doc))
    qtbot.waitUntil(lambda: len(window.errors) == 2, timeout=20_000)
    assert "the limit is 50,000" in window.errors[-1]


def test_a_new_window_applies_the_stored_limits(qtbot: Any, tmp_path: Path) -> None:
    """The limits of Preferences are in force from the start; a stored value that is no value
    (a hand-edited file) leaves that limit at its default."""
    s = _settings()
    s.setValue(KEY.format(name="parse-seconds"), 120)
    s.setValue(KEY.format(name="document-size"), "lots")
    s.sync()
    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    try:
        assert limits.PARSE_SECONDS == 120
        assert limits.DOCUMENT_FILE_BYTES == 104_857_600  # the default, 100 MB
        assert limits.option_for("PARSE_SECONDS") == (
            " (raise it in Edit ▸ Preferences ▸ Input limits: Time to read a DOCX, PDF or XLSX)")
    finally:
        w.db.shutdown()
