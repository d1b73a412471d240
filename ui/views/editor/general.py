"""The General section: the contract's identity, dates, fee, clock pauses and mandates."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from models.contract import Contract
from ui.records import cell_text
from ui.views.editor.form import EditorHost, Section, opt_text, split_list


class GeneralSection(Section):
    TITLE = "General"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        f = self.form()
        self.name = self.line(f, "name", "Name")
        self.version = self.line(f, "version", "Version label")
        self.provider = self.line(f, "provider", "Provider")
        self.client = self.line(f, "client", "Client")
        self.status = self.combo(f, "status", "Status", ("draft", "proposal", "signed"))
        self.effective = self.line(f, "effective_date", "Effective date", "YYYY-MM-DD")
        self.reviewed = self.line(f, "last_reviewed", "Last reviewed", "YYYY-MM-DD")
        self.fee = self.line(f, "monthly_fee", "Monthly fee", "e.g. 12000")
        self.currency = self.line(f, "currency", "Currency", "e.g. CAD")
        self.pause = self.line(
            f, "pause_statuses", "Statuses that pause the clock", "comma separated, e.g. Awaiting User Info"
        )
        row = QHBoxLayout()
        self.pause_response = QCheckBox("response")
        self.pause_resolution = QCheckBox("resolution")
        for box in (self.pause_response, self.pause_resolution):
            box.toggled.connect(lambda _on: self.host.commit("Edit pause rules"))
            row.addWidget(box)
        row.addStretch(1)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        f.addRow("Pauses apply to", self.register("pause_applies_to", holder))
        self.mandates = self.lines(
            f, "compliance_mandates", "Compliance mandates", "one per line, e.g. PIPEDA"
        )
        self.set_page(self.scroll_page(f))

    def fill(self, c: Contract) -> None:
        for edit, value in (
            (self.name, c.name),
            (self.version, c.version),
            (self.provider, c.provider),
            (self.client, c.client),
            (self.effective, c.effective_date),
            (self.reviewed, c.last_reviewed),
            (self.fee, c.monthly_fee),
            (self.currency, c.currency),
            (self.pause, ", ".join(c.pause_statuses)),
        ):
            edit.setText(cell_text(value))
            edit.setModified(False)
        self.status.setCurrentText(c.status)
        for box, metric in ((self.pause_response, "response"), (self.pause_resolution, "resolution")):
            box.setChecked(c.pauses(metric))
        self.mandates.set_lines(c.compliance_mandates)

    def collect(self, data: dict[str, Any]) -> None:
        for key, edit in (
            ("name", self.name),
            ("version", self.version),
            ("provider", self.provider),
            ("client", self.client),
            ("currency", self.currency),
        ):
            data[key] = edit.text().strip()
        data["status"] = self.status.currentText()
        for key, edit in (
            ("effective_date", self.effective),
            ("last_reviewed", self.reviewed),
            ("monthly_fee", self.fee),
        ):
            data[key] = opt_text(edit.text())
        data["pause_statuses"] = split_list(self.pause.text())
        data["pause_applies_to"] = [
            m
            for m, b in (("response", self.pause_response), ("resolution", self.pause_resolution))
            if b.isChecked()
        ]
        data["compliance_mandates"] = self.mandates.lines()
