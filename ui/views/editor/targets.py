"""The Severity matrix section: response and resolution targets per priority, their
calendars and committed compliance shares."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from models.contract import LITERAL_24X7, PRIORITIES, Contract
from ui.records import Column, cell_text
from ui.views.editor.form import EditorHost, Section


class TargetsSection(Section):
    TITLE = "Severity matrix"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        cols = [
            Column("priority", "Priority", editable=False),
            Column(
                "response", "Response", tip="e.g. 30m, 1h, 1.5h, 2d, same_business_day, next_business_day"
            ),
            Column("resolution", "Resolution", tip="e.g. 4h, 2d, same_business_day, next_business_day"),
            Column("calendar", "Calendar", tip="24x7 or the name of a calendar (Calendars section)"),
            # two-line titles: the headers keep their words in a narrow window
            Column("response_calendar", "Response\ncalendar", tip="optional: overrides the calendar"),
            Column("resolution_calendar", "Resolution\ncalendar", tip="optional: overrides the calendar"),
            Column(
                "compliance_target", "Compliance\ntarget %", tip="committed share meeting the target, e.g. 95"
            ),
        ]
        self.table = self.records("targets", cols, None, "Severity matrix (P1–P4)")
        self.table.view.setMaximumHeight(230)
        note = QLabel(
            "Durations: 30m, 1h, 1.5h, 2d — or same_business_day / next_business_day (needs a named "
            "calendar). Business time counts only inside the target's calendar. Leave a cell empty for "
            "no target."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        self.set_page(self.scroll_page(self.table, note))

    def fill(self, c: Contract) -> None:
        rows = []
        for p in PRIORITIES:
            t = c.targets.get(p)  # type: ignore[call-overload]
            ct = None if t is None or t.compliance_target is None else round(100 * t.compliance_target, 4)
            rows.append(
                {
                    "priority": p,
                    "response": t.response if t else None,
                    "resolution": t.resolution if t else None,
                    "calendar": t.calendar if t else LITERAL_24X7,
                    "response_calendar": t.response_calendar if t else None,
                    "resolution_calendar": t.resolution_calendar if t else None,
                    "compliance_target": ct,
                }
            )
        self.table.model.set_rows(rows)

    def collect(self, data: dict[str, Any]) -> None:
        targets: dict[str, Any] = {}
        for r in self.table.model.rows:
            entry: dict[str, Any] = {}
            for key in ("response", "resolution", "response_calendar", "resolution_calendar"):
                if r.get(key):
                    entry[key] = cell_text(r[key])
            entry["calendar"] = cell_text(r.get("calendar")) or LITERAL_24X7
            ct = r.get("compliance_target")
            if ct not in (None, ""):
                try:
                    entry["compliance_target"] = round(float(str(ct).rstrip("% ")) / 100, 6)
                except ValueError:
                    entry["compliance_target"] = ct  # the model names the bad value
            if set(entry) != {"calendar"} or entry["calendar"] != LITERAL_24X7:
                targets[r["priority"]] = entry
        data["targets"] = targets
