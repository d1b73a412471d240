"""Input limits a user may raise, set in Preferences: the app's counterpart of the command
line's ``--limit NAME=VALUE``.  One field per limit of ``models.limits.RAISABLE``, in words
and units ("Largest contract document: 100 MB"), with its default and a Reset button.

The values are stored with the other preferences (``limits/NAME``, only those that differ
from the default) and applied by ``models.limits.use`` when the window starts and when
Preferences is confirmed: the same limits, checked by the same code as on the command line;
a refusal then says to raise the limit here instead of naming the option.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import limits

KEY = "limits/{name}"


def limits_from_settings(s: QSettings) -> list[tuple[str, int]]:
    """The raised limits stored in Preferences as (NAME, value); a stored value that is not
    one (a hand-edited file) is left out: that limit keeps its default."""
    out: list[tuple[str, int]] = []
    for name in limits.RAISABLE:
        raw = s.value(KEY.format(name=name))
        if raw in (None, ""):
            continue
        try:
            out.append((name, limits.check_value(name, int(str(raw)))))
        except ValueError:
            continue
    return out


def apply_limits(s: QSettings) -> None:
    """The limits of Preferences in force for the app's work from now on."""
    limits.use(limits_from_settings(s), limits.RAISE_IN_PREFERENCES)


class LimitPreferences(QGroupBox):
    """Preferences' "Input limits" group: per limit its words, its value (as ``--limit``
    takes it: ``500 MB``, ``120 s``, ``200,000``), its default and Reset."""

    def __init__(self, s: QSettings, parent: QWidget | None = None) -> None:
        super().__init__("Input limits", parent)
        self.setObjectName("input_limits")
        box = QVBoxLayout(self)
        note = QLabel("A file past a limit is refused before it is read. Raise one for a larger "
                      "file you trust: reading it may take longer and more memory.")
        note.setWordWrap(True)
        box.addWidget(note)
        grid = QGridLayout()
        grid.setVerticalSpacing(3)
        box.addLayout(grid)
        stored = dict(limits_from_settings(s))
        self.fields: dict[str, QLineEdit] = {}
        self.resets: dict[str, QPushButton] = {}
        for row, (name, default) in enumerate(limits.DEFAULTS.items(), start=1):
            words, counts = limits.RAISABLE[name].words, limits.RAISABLE[name].counts
            label = QLabel(words)
            label.setToolTip(f"--limit {name}=… on the command line")
            field = QLineEdit(limits.limit_text(name, stored.get(name, default)))
            field.setObjectName(f"limit_{name}")
            field.setAlignment(Qt.AlignmentFlag.AlignRight)
            field.setMaximumWidth(120)
            field.setToolTip(_hint(name))
            label.setBuddy(field)
            shown = limits.limit_text(name, default)
            default_label = QLabel(f"{counts} (default {shown})" if counts else f"(default {shown})")
            reset = QPushButton("Reset")
            reset.setToolTip(f"Back to the default, {shown}")
            reset.clicked.connect(lambda _=False, n=name: self.reset(n))
            field.textChanged.connect(lambda _t, n=name: self._mark(n))
            grid.addWidget(label, row, 0)
            grid.addWidget(field, row, 1)
            grid.addWidget(default_label, row, 2)
            grid.addWidget(reset, row, 3)
            self.fields[name], self.resets[name] = field, reset
            self._mark(name)
        grid.setColumnStretch(2, 1)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b42318;")
        self.error.hide()
        box.addWidget(self.error)

    def reset(self, name: str) -> None:
        self.fields[name].setText(limits.limit_text(name, limits.DEFAULTS[name]))

    def _mark(self, name: str) -> None:
        """Reset is offered only while the value is not the default."""
        try:
            value = self._value(name)
        except ValueError:
            value = None
        self.resets[name].setEnabled(value != limits.DEFAULTS[name])

    def _value(self, name: str) -> int:
        return limits.parse_limit(f"{name}={self.fields[name].text()}")[1]

    def values(self) -> dict[str, int]:
        """Every limit's value on the page; a ValueError names the one that is no value."""
        out: dict[str, int] = {}
        for name, field in self.fields.items():
            try:
                out[name] = self._value(name)
            except ValueError:
                words = limits.RAISABLE[name].words
                raise ValueError(f"{words}: “{field.text().strip()}” is not {_hint(name)}") from None
        return out

    def check(self) -> bool:
        """True when every field holds a value; else the first wrong one is said and focused."""
        try:
            self.values()
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.show()
            for name in self.fields:
                try:
                    self._value(name)
                except ValueError:
                    self.fields[name].setFocus()
                    break
            return False
        self.error.hide()
        return True

    def save(self, s: QSettings) -> None:
        """Store the values that differ from the defaults (a default one is removed)."""
        for name, value in self.values().items():
            key = KEY.format(name=name)
            if value == limits.DEFAULTS[name]:
                s.remove(key)
            else:
                s.setValue(key, value)


def _hint(name: str) -> str:
    unit = limits.RAISABLE[name].unit
    if unit == "bytes":
        return "a size above 0, such as 500 MB or 4 GB"
    if unit == "seconds":
        return "a number of seconds above 0, such as 120 s"
    return "a whole number above 0, such as 200,000"
