"""The Calendars section: the named coverage calendars (add, rename, remove), and for the
one picked its time zone, weekly windows (with the coverage presets) and holidays."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.contract import WEEKDAYS, Contract
from ui.views.editor.form import EditorHost, Section, split_list
from workbench.app.coverage import BY_KEY, PRESETS
from workbench.app.words import calendar_words

NAME = Qt.ItemDataRole.UserRole  # a calendar item's key (its text is the calendar in words)

DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


class CalendarsSection(Section):
    TITLE = "Calendars"

    def __init__(self, host: EditorHost) -> None:
        super().__init__(host)
        self.current: str | None = None  # the calendar shown
        page = QWidget()
        layout = QHBoxLayout(page)
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Calendars</b>"))
        self.names = QListWidget()
        self.names.setMaximumWidth(200)
        self.names.currentItemChanged.connect(
            lambda item, _old: self._picked(str(item.data(NAME)) if item is not None else "")
        )
        self.register("calendars", self.names)
        left.addWidget(self.names, 1)
        for label, slot in (
            ("Add…", self._ask_add),
            ("Rename…", self._ask_rename),
            ("Remove", lambda: self.remove_calendar(self.current or "")),
        ):
            b = QPushButton(label)
            b.clicked.connect(slot)
            left.addWidget(b)
        layout.addLayout(left)

        right = QVBoxLayout()
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        tzrow = QFormLayout()
        self.tz = QComboBox()
        self.tz.setEditable(True)
        from workbench.app.localtime import zone_names

        self.tz.addItems(list(zone_names()))
        self.tz.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tz.activated.connect(lambda _i: self.host.commit("Edit time zone"))
        line = self.tz.lineEdit()
        if line is not None:
            line.editingFinished.connect(self._tz_typed)
        tzrow.addRow("Time zone", self.tz)
        body.addLayout(tzrow)

        week = QGroupBox("Weekly coverage (local time windows, comma separated; empty = not covered)")
        grid = QGridLayout(week)
        self.days: dict[str, QLineEdit] = {}
        for r, day in enumerate(WEEKDAYS):
            grid.addWidget(QLabel(DAY_NAMES[day]), r, 0)
            edit = QLineEdit()
            edit.setPlaceholderText("not covered")
            edit.editingFinished.connect(lambda e=edit, d=day: self.edited(e, f"Edit {DAY_NAMES[d]} hours"))
            self.days[day] = edit
            grid.addWidget(edit, r, 1)
        presets = QHBoxLayout()
        presets.addWidget(QLabel("Fill with:"))
        for preset in PRESETS:
            b = QPushButton(preset.key)
            b.setToolTip(preset.label)
            b.clicked.connect(lambda _c=False, n=preset.key: self.apply_week_preset(n))
            presets.addWidget(b)
        presets.addStretch(1)
        grid.addLayout(presets, len(WEEKDAYS), 0, 1, 2)
        body.addWidget(week)
        self.week_box = week

        hol = QGroupBox("Holidays (not covered)")
        hl = QGridLayout(hol)
        import holidays
        from holidays import registry

        names = {v[1]: v[0] for v in registry.COUNTRIES.values()}
        self.country = QComboBox()
        self.country.addItem("(no public holidays)", None)
        for code in sorted(holidays.list_supported_countries()):
            label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", names.get(code, code))
            self.country.addItem(f"{label} ({code})", code)
        self.country.activated.connect(self._country_picked)
        self.subdivision = QComboBox()
        self.subdivision.activated.connect(lambda _i: self.host.commit("Edit holiday subdivision"))
        hl.addWidget(QLabel("Country"), 0, 0)
        hl.addWidget(self.country, 0, 1, 1, 3)
        hl.addWidget(QLabel("Subdivision"), 1, 0)
        hl.addWidget(self.subdivision, 1, 1, 1, 3)
        self.added = QListWidget()
        self.removed = QListWidget()
        for col, (title, lst) in enumerate(
            (
                ("Extra holidays (added)", self.added),
                ("Working days (public holidays removed)", self.removed),
            )
        ):
            box = QVBoxLayout()
            box.addWidget(QLabel(title))
            lst.setMaximumHeight(110)
            box.addWidget(lst)
            row = QHBoxLayout()
            when = QDateEdit()
            when.setCalendarPopup(True)
            when.setDisplayFormat("yyyy-MM-dd")
            when.setDate(QDate.currentDate())
            add = QPushButton("Add")
            rem = QPushButton("Remove")
            key = "add" if col == 0 else "remove"
            add.clicked.connect(lambda _c=False, k=key, w=when: self.add_holiday_date(k, w.date().toPython()))
            rem.clicked.connect(lambda _c=False, k=key, lw=lst: self.remove_selected_dates(k, lw))
            row.addWidget(when, 1)
            row.addWidget(add)
            row.addWidget(rem)
            box.addLayout(row)
            hl.addLayout(box, 2, col * 2, 1, 2)
        body.addWidget(hol)
        self.holiday_box = hol
        body.addStretch(1)
        right.addWidget(self.body)
        self.none_label = QLabel("No named calendar: every target runs on the literal 24x7 clock. Add one.")
        self.none_label.setStyleSheet("color: palette(mid);")
        right.addWidget(self.none_label)
        layout.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.set_page(scroll)

    # ------------------------------------------------------------------ contract -> fields
    def fill(self, c: Contract) -> None:
        names = list(c.calendars)
        keep = self.current if self.current in names else (names[0] if names else None)
        self.names.blockSignals(True)
        self.names.clear()
        for key in names:
            item = QListWidgetItem(calendar_words(key).capitalize())
            item.setData(NAME, key)
            item.setToolTip(f"Named “{key}” in the contract file")
            self.names.addItem(item)
        if keep is not None:
            self.names.setCurrentRow(names.index(keep))
        self.names.blockSignals(False)
        self.current = keep
        self._fill_calendar(c)

    def _fill_calendar(self, c: Contract) -> None:
        spec = c.calendars.get(self.current) if self.current else None
        self.body.setVisible(spec is not None)
        self.none_label.setVisible(spec is None)
        name = self.current or ""
        self.host.forget("calendars.")
        self.register(f"calendars.{name}.timezone", self.tz)
        self.register(f"calendars.{name}.weekly", self.week_box)
        self.register(f"calendars.{name}.holidays", self.holiday_box)
        self.register(f"calendars.{name}.holidays.country", self.country)
        self.register(f"calendars.{name}.holidays.subdivision", self.subdivision)
        for day, edit in self.days.items():
            self.register(f"calendars.{name}.weekly.{day}", edit)
        if spec is None:
            return
        self.tz.setCurrentText(spec.timezone)
        for day, edit in self.days.items():
            edit.setText(", ".join(spec.weekly.get(day, ())))  # type: ignore[call-overload]
            edit.setModified(False)
        h = spec.holidays
        i = self.country.findData(h.country if h else None)
        self.country.setCurrentIndex(max(i, 0))
        self._fill_subdivisions(h.subdivision if h else None)
        self.added.clear()
        self.added.addItems([d.isoformat() for d in (h.add if h else ())])
        self.removed.clear()
        self.removed.addItems([d.isoformat() for d in (h.remove if h else ())])

    def _fill_subdivisions(self, current: str | None) -> None:
        import holidays

        country = self.country.currentData()
        self.subdivision.clear()
        self.subdivision.addItem("(whole country)", None)
        for s in holidays.list_supported_countries().get(country, []) if country else []:
            self.subdivision.addItem(s, s)
        self.subdivision.setEnabled(self.subdivision.count() > 1)
        i = self.subdivision.findData(current)
        self.subdivision.setCurrentIndex(max(i, 0))

    # ------------------------------------------------------------------ fields -> data
    def collect(self, data: dict[str, Any]) -> None:
        cals = {k: dict(v) for k, v in data.get("calendars", {}).items()}
        data["calendars"] = cals
        name = self.current
        if name is None or name not in cals:
            return
        spec: dict[str, Any] = {"timezone": self.tz.currentText().strip()}
        weekly = {d: split_list(e.text()) for d, e in self.days.items() if split_list(e.text())}
        if weekly:
            spec["weekly"] = weekly
        hol: dict[str, Any] = {}
        if self.country.currentData():
            hol["country"] = self.country.currentData()
            if self.subdivision.currentData():
                hol["subdivision"] = self.subdivision.currentData()
        adds = [self.added.item(i).text() for i in range(self.added.count())]
        removes = [self.removed.item(i).text() for i in range(self.removed.count())]
        if adds:
            hol["add"] = adds
        if removes:
            hol["remove"] = removes
        if hol:
            spec["holidays"] = hol
        cals[name] = spec

    # ------------------------------------------------------------------ actions
    def _picked(self, name: str) -> None:
        if self.host.loading or not name:
            return
        self.current = name
        v = self.host.version()
        if v is not None:
            with self.host.filling():
                self._fill_calendar(v.contract)

    def _tz_typed(self) -> None:
        v = self.host.version()
        if v is None or self.current is None:
            return
        spec = v.contract.calendars.get(self.current)
        if spec is not None and spec.timezone != self.tz.currentText().strip():
            self.host.commit("Edit time zone")

    def _country_picked(self, _index: int) -> None:
        self._fill_subdivisions(None)
        self.host.commit("Edit holiday country")

    def apply_week_preset(self, name: str) -> None:
        weekly = BY_KEY[name].weekly()
        for day, edit in self.days.items():
            edit.setText(", ".join(weekly.get(day, ())))
        self.host.commit(f"Coverage {name}")

    def add_holiday_date(self, which: str, when: date) -> None:
        lst = self.added if which == "add" else self.removed
        if lst.findItems(when.isoformat(), Qt.MatchFlag.MatchExactly):
            return
        lst.addItem(when.isoformat())
        lst.sortItems()
        if not self.host.commit("Add holiday" if which == "add" else "Add working day"):
            lst.takeItem(lst.row(lst.findItems(when.isoformat(), Qt.MatchFlag.MatchExactly)[0]))

    def remove_selected_dates(self, which: str, lst: QListWidget) -> None:
        for item in lst.selectedItems():
            lst.takeItem(lst.row(item))
        self.host.commit("Remove holiday date" if which == "add" else "Remove working day")

    def _data(self) -> dict[str, Any] | None:
        return self.host.collect() if self.host.version() is not None else None

    def add_calendar(self, name: str) -> bool:
        data = self._data()
        name = name.strip()
        if data is None or not name:
            return False
        if name in data.get("calendars", {}):
            self.host.show_errors([("calendars", f"there is already a calendar named {name!r}")])
            return False
        base = data.get("calendars", {}).get(self.current or "", {})
        data.setdefault("calendars", {})[name] = {
            "timezone": base.get("timezone", "UTC"),
            "weekly": {d: list(w) for d, w in BY_KEY["8x5"].weekly().items()},
        }
        self.current = name
        return self.host.commit_data(data, f"Add calendar {name}")

    def remove_calendar(self, name: str) -> bool:
        data = self._data()
        if data is None or name not in data.get("calendars", {}):
            return False
        del data["calendars"][name]
        return self.host.commit_data(data, f"Remove calendar {name}")

    def rename_calendar(self, old: str, new: str) -> bool:
        data = self._data()
        new = new.strip()
        if data is None or old not in data.get("calendars", {}) or not new or new == old:
            return False
        cals = data["calendars"]
        data["calendars"] = {(new if k == old else k): v for k, v in cals.items()}
        for t in data.get("targets", {}).values():
            for key in ("calendar", "response_calendar", "resolution_calendar"):
                if t.get(key) == old:
                    t[key] = new
        for u in data.get("uptime", []):
            if u.get("calendar") == old:
                u["calendar"] = new
        if data.get("scope", {}).get("helpdesk_calendar") == old:
            data["scope"]["helpdesk_calendar"] = new
        self.current = new
        return self.host.commit_data(data, f"Rename calendar {old} to {new}")

    def _ask_add(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Add calendar", "Name of the new calendar (e.g. business, clinic_hours):"
        )
        if ok:
            self.add_calendar(name)

    def _ask_rename(self) -> None:
        if self.current is None:
            return
        name, ok = QInputDialog.getText(self, "Rename calendar", "New name:", text=self.current)
        if ok:
            self.rename_calendar(self.current, name)
