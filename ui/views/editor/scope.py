"""The Scope & security section: the services in scope, the help desk's hours, and the
security terms (SOC services, log monitoring, endpoint coverage, breach roles)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QGroupBox

from models.contract import Contract
from ui.records import Column, cell_text
from ui.views.editor.form import EditorHost, Section, opt_text
from ui.views.editor.targets import calendar_choices
from workbench.app.words import calendar_words


class ScopeSection(Section):
    TITLE = "Scope & security"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        scope = QGroupBox("Service scope")
        f = self.form()
        scope.setLayout(f)
        self.helpdesk_hours = self.line(f, "scope.helpdesk_hours", "Help desk hours", "e.g. 8x5, 24x7")
        self.helpdesk_calendar = QComboBox()  # the calendar in words, its key as the item's data
        self.helpdesk_calendar.setToolTip("The calendar of the help desk's hours (Calendars section)")
        self.helpdesk_calendar.activated.connect(lambda _i: self.host.commit("Edit help desk calendar"))
        f.addRow("Help desk calendar", self.register("scope.helpdesk_calendar", self.helpdesk_calendar))
        self.checks = {
            key: self.check(f, f"scope.{key}", label)
            for key, label in (
                ("monitoring_servers", "Server monitoring"),
                ("monitoring_endpoints", "Endpoint monitoring"),
                ("monitoring_network", "Network monitoring"),
                ("patch_management", "Patch management"),
                ("vendor_support", "Vendor support"),
            )
        }
        self.notes = self.line(f, "scope.notes", "Notes")
        sec = QGroupBox("Security")
        g = self.form()
        sec.setLayout(g)
        self.soc = self.lines(g, "security.soc_services", "SOC services", "one per line")
        self.log_frequency = self.line(g, "security.log_monitoring.frequency", "Log monitoring", "e.g. 24/7")
        self.log_tooling = self.lines(
            g, "security.log_monitoring.tooling", "Log tooling", "e.g. SIEM product"
        )
        self.endpoints = self.records(
            "security.endpoint_coverage",
            [
                Column("product", "Product (EDR/XDR/MDR)"),
                Column("included", "Included", "bool"),
                Column("licence_excluded", "Licence excluded", "bool"),
                Column("notes", "Notes"),
            ],
            {"product": "EDR", "included": True, "licence_excluded": False, "notes": ""},
            "Endpoint coverage",
        )
        g.addRow(self.endpoints)
        self.exclusions = self.lines(g, "security.licence_exclusions", "Licence exclusions", "one per line")
        self.escalation_steps = self.lines(
            g, "security.incident_escalation", "Incident escalation steps", "in order"
        )
        self.breach_roles = self.records(
            "security.breach_roles",
            [Column("role", "Role"), Column("owner", "Owner")],
            {"role": "", "owner": ""},
            "Breach roles",
        )
        g.addRow(self.breach_roles)
        self.set_page(self.scroll_page(scope, sec))

    def fill(self, c: Contract) -> None:
        for edit, value in (
            (self.helpdesk_hours, c.scope.helpdesk_hours),
            (self.notes, c.scope.notes),
            (self.log_frequency, c.security.log_monitoring.frequency),
        ):
            edit.setText(cell_text(value))
            edit.setModified(False)
        self._fill_helpdesk_calendar(c)
        for key, box in self.checks.items():
            box.setChecked(bool(getattr(c.scope, key)))
        sec = c.security
        self.soc.set_lines(sec.soc_services)
        self.log_tooling.set_lines(sec.log_monitoring.tooling)
        self.exclusions.set_lines(sec.licence_exclusions)
        self.escalation_steps.set_lines(sec.incident_escalation)
        self.endpoints.model.set_rows([e.model_dump() for e in sec.endpoint_coverage])
        self.breach_roles.model.set_rows([{"role": k, "owner": v} for k, v in sec.breach_roles.items()])

    def _fill_helpdesk_calendar(self, c: Contract) -> None:
        box, current = self.helpdesk_calendar, c.scope.helpdesk_calendar
        box.clear()
        box.addItem("(not named)", None)
        names = calendar_choices(c)
        for key in (*names, *([current] if current and current not in names else [])):
            box.addItem(calendar_words(key), key)
        box.setCurrentIndex(max(box.findData(current), 0) if current else 0)

    def collect(self, data: dict[str, Any]) -> None:
        scope = dict(data.get("scope", {}))
        scope["helpdesk_hours"] = opt_text(self.helpdesk_hours.text())
        scope["helpdesk_calendar"] = self.helpdesk_calendar.currentData()
        scope["notes"] = self.notes.text().strip()
        for key, box in self.checks.items():
            scope[key] = box.isChecked()
        data["scope"] = scope
        sec = dict(data.get("security", {}))
        sec["soc_services"] = self.soc.lines()
        sec["log_monitoring"] = {
            "frequency": opt_text(self.log_frequency.text()),
            "tooling": self.log_tooling.lines(),
        }
        sec["endpoint_coverage"] = self.rows(self.endpoints)
        sec["licence_exclusions"] = self.exclusions.lines()
        sec["incident_escalation"] = self.escalation_steps.lines()
        sec["breach_roles"] = {
            str(r.get("role", "")): str(r.get("owner", "")) for r in self.breach_roles.model.rows
        }
        data["security"] = sec
