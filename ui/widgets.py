"""Small shared widgets: empty states, KPI cards, an embedded matplotlib canvas."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


class EmptyState(QWidget):
    """A view with nothing to show says why, and what to do next."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(title)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setStyleSheet("color: palette(mid);")
        self.text.setMaximumWidth(560)
        self.text.setMinimumWidth(420)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.text)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        layout.addStretch(2)

    def set_text(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.text.setText(text)

    def add_action(self, label: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(label)
        button.clicked.connect(slot)
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button


class KpiCard(QFrame):
    """A figure with its label and the change against the previous period."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        self.label = QLabel(label)
        self.label.setStyleSheet("color: palette(mid);")
        self.value = QLabel("—")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value.setFont(font)
        self.delta = QLabel("")
        layout.addWidget(self.label)
        layout.addWidget(self.value)
        layout.addWidget(self.delta)

    def set(self, value: str, delta: str = "", good: bool | None = None) -> None:
        self.value.setText(value)
        self.delta.setText(delta)
        color = {True: "#1a7f37", False: "#b42318", None: "palette(mid)"}[good]
        self.delta.setStyleSheet(f"color: {color};")


def figure_canvas(figure):  # type: ignore[no-untyped-def]
    """Embed a matplotlib Figure built in ``workbench/`` (ui/ only embeds)."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    canvas = FigureCanvasQTAgg(figure)
    canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    canvas.setMinimumHeight(180)
    return canvas
