"""The Credits & uptime section: service credits, their overall cap, uptime commitments."""

from __future__ import annotations

from typing import Any

from models.contract import LITERAL_24X7, PRIORITIES, Contract
from ui.records import Column, cell_text
from ui.views.editor.form import EditorHost, Section, opt_text
from ui.views.editor.targets import calendar_choices
from workbench.app.words import calendar_words, trigger_words


class CreditsSection(Section):
    TITLE = "Credits & uptime"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        self.credits = self.records(
            "service_credits",
            [
                Column("metric", "Metric", "choice", ("resolution", "response", "uptime")),
                Column("priority", "Priority", "choice", ("", *PRIORITIES)),
                Column("percent_of_fee", "% of fee"),
                Column(
                    "trigger", "Due for", "choice", ("per_breach", "compliance_below"), words=trigger_words
                ),
                Column(
                    "threshold",
                    "Threshold (0–1)",
                    tip=f"{trigger_words('compliance_below').capitalize()}: the compliance share, e.g. 0.95",
                ),
                Column("cap_percent", "Cap % / month"),
            ],
            {"metric": "resolution", "priority": "P1", "percent_of_fee": 2, "trigger": "per_breach"},
            "Service credits",
        )
        f = self.form()
        self.cap = self.line(f, "credits_cap_percent", "All credits capped at (% of fee / month)", "no cap")
        self.uptime = self.records(
            "uptime",
            [
                Column("service", "Service"),
                Column("target_percent", "Target %"),
                Column(
                    "calendar", "Calendar", "choice", tip="24x7 or one of the contract's calendars",
                    words=calendar_words,
                ),
                Column("maintenance_excluded", "Maintenance excluded", "bool"),
            ],
            {"service": "", "target_percent": 99.9, "calendar": LITERAL_24X7, "maintenance_excluded": True},
            "Uptime commitments",
        )
        self.set_page(self.scroll_page(self.credits, f, self.uptime, stretch=False))

    def fill(self, c: Contract) -> None:
        self.cap.setText(cell_text(c.credits_cap_percent))
        self.cap.setModified(False)
        self.credits.model.set_rows([cr.model_dump() for cr in c.service_credits])
        self.uptime.model.set_choices("calendar", calendar_choices(c))
        self.uptime.model.set_rows([u.model_dump() for u in c.uptime])

    def collect(self, data: dict[str, Any]) -> None:
        data["credits_cap_percent"] = opt_text(self.cap.text())
        data["service_credits"] = self.rows(self.credits)
        data["uptime"] = self.rows(self.uptime)
