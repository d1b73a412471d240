"""Start: the steps of a new engagement (the signed contract, the ticket history, the
backups/outages/KPIs, the proposals), each with what the workspace holds of it and a
button that starts it.  A new or empty workspace opens here.  What each step holds is
``workbench.app.engagement``'s; this view only shows it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.state import AppState
from ui.steps import AGAIN, LABELS, step_button
from ui.widgets import heading
from workbench.app.engagement import Step, engagement_steps, needs_start

DONE_COLOR = "#1a7f37"
TODO_COLOR = "#57606a"


class StepCard(QFrame):
    """One step: its number (a tick when done), title, state, what it holds, and its button."""

    def __init__(self, number: int, step: Step, window: Any) -> None:
        super().__init__()
        self.key = step.key
        self.number = number
        self.setObjectName(f"step_{step.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 12, 14, 12)
        row.setSpacing(14)
        self.badge = QLabel()
        self.badge.setFixedSize(34, 34)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(4)
        head = QHBoxLayout()
        self.title = heading(step.title, 1.15)
        head.addWidget(self.title)
        self.state_label = QLabel()
        head.addWidget(self.state_label)
        head.addStretch(1)
        text.addLayout(head)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.addWidget(self.detail)
        row.addLayout(text, 1)
        self.button: QPushButton = step_button(window, step.key)
        self.button.setMinimumWidth(230)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.show_step(step)

    def show_step(self, step: Step) -> None:
        self.step = step
        color = DONE_COLOR if step.done else TODO_COLOR
        self.badge.setText("✓" if step.done else str(self.number))
        if step.done:
            fill = f"background: {color}; color: white;"
        else:
            fill = f"border: 2px solid {color}; color: {color};"
        self.badge.setStyleSheet(f"border-radius: 17px; font-weight: bold; font-size: 15px; {fill}")
        state = "Done" if step.done else ("Optional" if step.optional else "To do")
        self.state_label.setText(state)
        self.state_label.setStyleSheet(
            f"color: {color}; border: 1px solid {color}; border-radius: 8px; padding: 1px 8px;"
        )
        self.detail.setText(step.detail)
        self.detail.setStyleSheet("" if step.done else f"color: {TODO_COLOR};")
        self.button.setText(AGAIN[step.key] if step.done else LABELS[step.key])
        self.button.setDefault(False)


class StartView(QWidget):
    """The start page of an engagement (see the module docstring)."""

    def __init__(self, state: AppState, window: Any = None) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        page = QHBoxLayout(body)
        content = QWidget()
        content.setMaximumWidth(1040)  # lines stay readable on a wide screen
        column = QVBoxLayout(content)
        column.setSpacing(12)
        column.setContentsMargins(24, 24, 24, 24)
        page.addStretch(1)
        page.addWidget(content, 20)
        page.addStretch(1)
        self.heading = heading(scale=1.6)
        column.addWidget(self.heading)
        self.intro = QLabel(
            "A workspace holds one client's contract versions, ticket history and records. Put the client's "
            "own files in, step by step: each step can be done again later, and each file is checked before "
            "anything is stored."
        )
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet(f"color: {TODO_COLOR};")
        column.addWidget(self.intro)
        column.addSpacing(6)
        steps = self._steps()
        self.cards = {s.key: StepCard(n, s, window) for n, s in enumerate(steps, start=1)}
        for card in self.cards.values():
            column.addWidget(card)
        column.addSpacing(6)
        self.next_text = QLabel()
        self.next_text.setWordWrap(True)
        column.addWidget(self.next_text)
        self.next_buttons = QHBoxLayout()
        self.open_overview = QPushButton("Open the Overview")
        self.open_overview.clicked.connect(lambda: self._show("overview"))
        self.open_whatif = QPushButton("Explore in What-if")
        self.open_whatif.clicked.connect(lambda: self._show("whatif"))
        self.next_buttons.addWidget(self.open_overview)
        self.next_buttons.addWidget(self.open_whatif)
        self.next_buttons.addStretch(1)
        column.addLayout(self.next_buttons)
        column.addStretch(1)
        for signal in (state.workspace_changed, state.versions_changed, state.history_changed,
                       state.records_changed):
            signal.connect(self.refresh)
        self.refresh()

    def _steps(self) -> list[Step]:
        st = self.state
        return engagement_steps(st.versions, st.history, records_pending=st.records_pending)

    def _show(self, key: str) -> None:
        if self.window_ is not None:
            self.window_.show_view(key)

    def refresh(self) -> None:
        st = self.state
        steps = self._steps()
        for step in steps:
            self.cards[step.key].show_step(step)
        name = st.path.stem if st.path is not None else None
        self.heading.setText(f"Start of the engagement — {name}" if name else "Start of the engagement")
        waiting = needs_start(steps)
        done = sum(s.done for s in steps)
        if waiting:
            self.next_text.setText(
                f"{done} of {len(steps)} steps done. Overview, What-if, Warnings and Compare fill in once "
                "the signed contract and the ticket history are in."
            )
        else:
            self.next_text.setText(
                f"{done} of {len(steps)} steps done: the contract and the ticket history are in, the views "
                "have what they need."
            )
        self.open_overview.setVisible(not waiting)
        self.open_whatif.setVisible(not waiting)

    def steps(self) -> list[Step]:
        """The steps as shown (tests)."""
        return [card.step for card in self.cards.values()]
