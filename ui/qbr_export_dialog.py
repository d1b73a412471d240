"""File ▸ Export QBR report…: the quarter's review as a PDF or a slide deck.

Choose the quarter (from the quarters the workspace's history reaches), the contract
version reviewed, a proposal to replay the quarter under (optional), the form and the
paper, then export on a worker with progress and Cancel.  The work is
:func:`workbench.app.report.write_report`, the operation ``sla-workbench report``
runs; the cover's preparer, firm and logo come from Preferences.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

from ui.export_dialog import ExportOutcome, documents_folder
from ui.tasks import Task, run_with_progress
from workbench.app.report import report_file_name

FORMS = (("PDF document", ".pdf"), ("Slide deck (PowerPoint, Impress)", ".pptx"))


class QbrExportDialog(ExportOutcome, QDialog):
    what = "quarter's review"

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        from ui.cover_prefs import cover_from_settings
        from ui.main_window import settings
        from ui.present import quarters_of
        from workbench.analytics.kpis import report_zone

        self.window_ = window
        self.state = window.state
        self.setWindowTitle("Export QBR report")
        self.task: Task | None = None
        self.written: Path | None = None
        self.cover, problem = cover_from_settings(settings())
        st = self.state
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.version = QComboBox()
        signed = [v for v in st.versions if v.status == "signed"] or list(st.versions)
        for v in signed:
            self.version.addItem(f"{v.label} ({v.status})", v)
        if st.baseline in signed:
            self.version.setCurrentIndex(signed.index(st.baseline))
        form.addRow("Contract version reviewed", self.version)
        self.quarter = QComboBox()
        base = st.baseline or (signed[0] if signed else None)
        zone = report_zone(base.contract) if base is not None else None
        for q in quarters_of(st.history, st.as_of(), zone):
            self.quarter.addItem(q.label, q)
        form.addRow("Quarter", self.quarter)
        self.proposal = QComboBox()
        self.proposal.addItem("None", None)
        for v in st.versions:
            if v.status == "proposal":
                self.proposal.addItem(v.label, v)
        form.addRow("Proposal to replay it under", self.proposal)
        self.form = QComboBox()
        for label, suffix in FORMS:
            self.form.addItem(label, suffix)
        form.addRow("Form", self.form)
        self._paper_row(form, "Paper (PDF)")
        self._version_paper()
        who = [x for x in (self.cover.prepared_by and f"prepared by {self.cover.prepared_by}",
                           self.cover.brand and f"cover name {self.cover.brand}",
                           self.cover.logo and "with the logo") if x]
        self.cover_note = QLabel(
            ("Cover: " + ", ".join(who) if who else "Cover: the provider's name; no preparer named")
            + " (set in Edit ▸ Preferences)."
            + (f"<br><span style='color:#b42318'>{html.escape(problem)}</span>" if problem else "")
        )
        self.cover_note.setWordWrap(True)
        form.addRow("", self.cover_note)
        self._save_and_buttons(layout, form, "Save to", "Open the file")
        self.resize(640, self.sizeHint().height())

        self._named = ""  # the file name this dialog proposed (replaced while the user has not typed one)
        for box in (self.quarter, self.form, self.version):
            box.currentIndexChanged.connect(self._propose_path)
        self.version.currentIndexChanged.connect(self._version_paper)
        self.form.currentIndexChanged.connect(self._form_changed)
        self._propose_path()
        if not self.quarter.count():
            self.export_button.setEnabled(False)
            self.status.setText("The ticket history reaches no quarter yet: import tickets first.")

    # ------------------------------------------------------------------ content
    def _client(self) -> str:
        v = self.version.currentData()
        c = v.contract if v is not None else None
        return (c.client or c.name) if c is not None else ""

    def _version_paper(self, *_: Any) -> None:
        """The default paper named for the version reviewed (its client's country)."""
        v = self.version.currentData()
        if v is not None:
            self._default_paper(v.contract)

    def _propose_path(self, *_: Any) -> None:
        q = self.quarter.currentData()
        if q is None:
            return
        current = self.path.text().strip()
        if current and Path(current).name != self._named:
            # the user's own name: only its suffix follows the form
            return
        self._named = report_file_name(self._client(), q.label, self.form.currentData())
        folder = Path(current).parent if current else documents_folder()
        self.path.setText(str(folder / self._named))

    def _form_changed(self, *_: Any) -> None:
        pdf = self.form.currentData() == ".pdf"
        self.paper.setEnabled(pdf)
        text = self.path.text().strip()
        if text and Path(text).name != self._named:
            self.path.setText(str(Path(text).with_suffix(self.form.currentData())))

    def _browse(self) -> None:
        suffix = self.form.currentData()
        kind = "PDF (*.pdf)" if suffix == ".pdf" else "Slide deck (*.pptx)"
        path, _ = QFileDialog.getSaveFileName(self, "Save the quarter's review", self.path.text(), kind)
        if path:
            self.path.setText(path if path.lower().endswith(suffix) else path + suffix)

    # ------------------------------------------------------------------ export
    def export(self) -> Task | None:
        from workbench.app.report import write_report

        out = Path(self.path.text().strip())
        suffix = self.form.currentData()
        if not out.name or out.is_dir():
            self.status.setText(f"Give a file name, e.g. report{suffix}.")
            return None
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        if not out.parent.is_dir():
            self.status.setText(f"{out.parent}: no such folder.")
            return None
        version, proposal = self.version.currentData(), self.proposal.currentData()
        self.export_button.setEnabled(False)
        self.open_button.hide()
        self.status.setText("Exporting…")
        self.task = run_with_progress(
            self,
            "Exporting the quarter's review",
            write_report,
            out,
            self.state.history,
            version.contract,
            self.quarter.currentData(),
            proposal=proposal.contract if proposal is not None else None,
            proposal_label=proposal.label if proposal is not None else "",
            as_of=self.state.as_of(),
            cover=self.cover,
            paper=self.paper.currentData() if suffix == ".pdf" else "",
            on_done=self._written,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        return self.task
