"""The Reporting section: the reporting cadence and the KPIs reported."""

from __future__ import annotations

from typing import Any

from models.contract import Contract
from ui.views.editor.form import EditorHost, Section


class ReportingSection(Section):
    TITLE = "Reporting"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        f = self.form()
        self.cadence = self.lines(
            f,
            "reporting.cadence",
            "Reporting cadence",
            "one per line, e.g. monthly report, quarterly business review",
        )
        self.kpis = self.lines(f, "reporting.kpis", "Reported KPIs", "one per line, e.g. MTTR")
        self.set_page(self.scroll_page(f))

    def fill(self, c: Contract) -> None:
        self.cadence.set_lines(c.reporting.cadence)
        self.kpis.set_lines(c.reporting.kpis)

    def collect(self, data: dict[str, Any]) -> None:
        data["reporting"] = {"cadence": self.cadence.lines(), "kpis": self.kpis.lines()}
