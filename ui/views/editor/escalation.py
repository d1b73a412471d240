"""The Escalation & obligations section: who handles which incident (the NOC / SOC
boundaries) and what the client must do."""

from __future__ import annotations

from typing import Any

from models.contract import Contract
from ui.records import Column
from ui.views.editor.form import EditorHost, Section


class EscalationSection(Section):
    TITLE = "Escalation & obligations"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        self.matrix = self.records(
            "escalation_matrix",
            [
                Column("incident_type", "Incident type"),
                Column("owner", "Owner", "choice", ("MSP", "MSSP")),
                Column("team", "Team", "choice", ("Helpdesk", "NOC", "SOC")),
                Column("action", "Action"),
            ],
            {"incident_type": "", "owner": "MSP", "team": "Helpdesk", "action": ""},
            "Escalation matrix (NOC / SOC boundaries)",
        )
        self.obligations = self.records(
            "client_obligations",
            [
                Column(
                    "kind",
                    "Kind",
                    "choice",
                    (
                        "change_approval",
                        "escalation_contacts",
                        "severity_matrix",
                        "licence_coverage",
                        "other",
                    ),
                ),
                Column("text", "Obligation"),
                Column("within", "Within", tip="optional duration, e.g. 2d"),
            ],
            {"kind": "other", "text": "", "within": ""},
            "Client obligations",
        )
        self.set_page(self.scroll_page(self.matrix, self.obligations, stretch=False))

    def fill(self, c: Contract) -> None:
        self.matrix.model.set_rows([e.model_dump() for e in c.escalation_matrix])
        self.obligations.model.set_rows([o.model_dump() for o in c.client_obligations])

    def collect(self, data: dict[str, Any]) -> None:
        data["escalation_matrix"] = self.rows(self.matrix)
        data["client_obligations"] = self.rows(self.obligations)
