"""The Severity matrix section: response and resolution targets per priority, their
calendars and committed compliance shares, each shown in words ("next business day",
"business hours") while the contract keeps its own values (``next_business_day``,
``business``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from models.contract import DAY_TARGET_WORDS, LITERAL_24X7, PRIORITIES, Contract
from ui.records import Column, cell_text
from ui.views.editor.form import EditorHost, Section
from workbench.app.words import calendar_words, target_value, target_words

TARGET_TIP = "a duration (30 min, 1 h, 1.5h, 2 d) or {}".format(" / ".join(DAY_TARGET_WORDS.values()))
CALENDAR_COLUMNS = ("calendar", "response_calendar", "resolution_calendar")


def override_words(name: str) -> str:
    """An override calendar's choice: empty means the priority's own calendar."""
    return calendar_words(name) if name else "(the row's calendar)"


def calendar_choices(c: Contract, optional: bool = False) -> tuple[str, ...]:
    """The calendars a target may run on: 24x7 and the contract's own (empty first for
    an optional override)."""
    names = (LITERAL_24X7, *sorted(n for n in c.calendars if n != LITERAL_24X7))
    return ("", *names) if optional else names


class TargetsSection(Section):
    TITLE = "Severity matrix"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        cols = [
            Column("priority", "Priority", editable=False),
            Column(
                "response", "Response\ntarget", "suggest", tuple(DAY_TARGET_WORDS), tip=f"The time to the "
                f"first response: {TARGET_TIP}", words=target_words, parse=target_value,
            ),
            Column(
                "resolution", "Resolution\ntarget", "suggest", tuple(DAY_TARGET_WORDS), tip=f"The time to "
                f"resolve: {TARGET_TIP}", words=target_words, parse=target_value,
            ),
            Column(
                "calendar", "Calendar", "choice", tip="24x7 or one of the contract's calendars (Calendars "
                "section)", words=calendar_words,
            ),
            # two-line titles: the headers keep their words in a narrow window
            Column(
                "response_calendar", "Response\ncalendar", "choice", tip="optional: overrides the calendar "
                "for the response target", words=override_words,
            ),
            Column(
                "resolution_calendar", "Resolution\ncalendar", "choice", tip="optional: overrides the "
                "calendar for the resolution target", words=override_words,
            ),
            Column(
                "compliance_target", "Compliance\ntarget %", tip="committed share meeting the target, e.g. 95"
            ),
        ]
        self.table = self.records("targets", cols, None, "Severity matrix (P1–P4)")
        self.table.view.setMaximumHeight(230)
        note = QLabel(
            "Targets: a duration (30 min, 1 h, 1.5h, 2 d) — or same business day / next business day "
            "(needs a calendar other than 24x7). Business time counts only inside the target's calendar. "
            "Leave a cell empty for no target."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        self.set_page(self.scroll_page(self.table, note))

    def fill(self, c: Contract) -> None:
        model = self.table.model
        for key in CALENDAR_COLUMNS:
            model.set_choices(key, calendar_choices(c, optional=key != "calendar"))
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
