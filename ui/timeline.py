"""One ticket's clock audit as a timeline bar: covered, out of hours, paused, holiday."""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from models.contract import PRIORITIES, format_duration
from ui.state import AppState
from workbench.app.localtime import format_instant

KIND_COLORS = {
    "covered": QColor("#2f81f7"),
    "paused": QColor("#d4a72c"),
    "out_of_hours": QColor("#d0d7de"),
    "holiday": QColor("#a371f7"),
}
KIND_LABELS = {
    "covered": "Covered (counts)",
    "paused": "Paused",
    "out_of_hours": "Out of hours",
    "holiday": "Holiday",
}


def _hms(seconds: int) -> str:
    h, rem = divmod(int(seconds), 3600)
    return f"{h}h {rem // 60:02d}m"


class TimelineBar(QWidget):
    """Paints segments (objects with start, end, kind) proportionally along the bar,
    with the budget as a marker where the counted time reaches it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments: list[Any] = []
        self.budget_at: int | None = None
        self.setMinimumHeight(28)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(400, 28)

    def set_segments(self, segments: list[Any], budget_at: int | None = None, zone: tzinfo = UTC) -> None:
        self.segments = list(segments)
        self.budget_at = budget_at
        tips = [
            f"{KIND_LABELS.get(s.kind, s.kind)}: "
            f"{format_instant(s.start, zone)} → {format_instant(s.end, zone, with_zone=True)} "
            f"({_hms(s.end - s.start)})"
            for s in self.segments[:30]
        ]
        self.setToolTip("\n".join(tips))
        self.update()

    def paintEvent(self, _event: Any) -> None:
        p = QPainter(self)
        rect = QRectF(self.rect()).adjusted(1, 4, -1, -4)
        if not self.segments:
            p.setPen(self.palette().mid().color())
            p.drawRect(rect)
            return
        t0, t1 = self.segments[0].start, self.segments[-1].end
        span = max(t1 - t0, 1)
        for s in self.segments:
            x0 = rect.left() + rect.width() * (s.start - t0) / span
            x1 = rect.left() + rect.width() * (s.end - t0) / span
            p.fillRect(
                QRectF(x0, rect.top(), max(x1 - x0, 1.0), rect.height()),
                KIND_COLORS.get(s.kind, Qt.GlobalColor.gray),
            )
        if self.budget_at is not None and t0 <= self.budget_at <= t1:
            x = rect.left() + rect.width() * (self.budget_at - t0) / span
            p.setPen(QPen(QColor("#b42318"), 2))
            p.drawLine(int(x), int(rect.top()) - 3, int(x), int(rect.bottom()) + 3)
        p.end()


class _MetricRow(QWidget):
    def __init__(self, title: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        self.title = QLabel(title)
        self.bar = TimelineBar()
        self.detail = QLabel()
        self.detail.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)


class AuditPanel(QWidget):
    """The clock audit of the selected ticket under the baseline contract."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        self.heading = QLabel("Select a ticket to see how its SLA clock ran.")
        layout.addWidget(self.heading)
        self.rows = {m: _MetricRow(m.capitalize()) for m in ("response", "resolution")}
        for row in self.rows.values():
            layout.addWidget(row)
            row.hide()
        legend = QHBoxLayout()
        for kind, color in KIND_COLORS.items():
            swatch = QLabel("  ")
            swatch.setStyleSheet(f"background: {color.name()}; border: 1px solid #888;")
            swatch.setFixedSize(14, 14)
            legend.addWidget(swatch)
            legend.addWidget(QLabel(KIND_LABELS[kind]))
            legend.addSpacing(10)
        legend.addStretch(1)
        layout.addLayout(legend)
        layout.addStretch(1)
        self.current: int | None = None
        state.zone_changed.connect(self._refresh)  # the baseline, or the zone times are shown in

    def _refresh(self) -> None:
        self.show_ticket(self.current)

    def show_ticket(self, i: int | None) -> None:
        self.current = i
        baseline = self.state.baseline
        if i is None:
            return
        tickets = self.state.history.tickets
        if not (0 <= i < len(tickets)):
            return
        prio = PRIORITIES[int(tickets.priority[i])] if int(tickets.priority[i]) >= 0 else "?"
        if baseline is None:
            self.heading.setText(f"{tickets.ids[i]} ({prio}): no contract version to measure against.")
            for row in self.rows.values():
                row.hide()
            return
        self.heading.setText(f"{tickets.ids[i]} ({prio}) under {baseline.contract.name} — {baseline.label}")
        from workbench.engine.ticketquery import audit_ticket

        as_of = self.state.as_of() or int(tickets.opened[i])
        for metric, row in self.rows.items():
            row.show()
            try:
                audit = audit_ticket(
                    baseline.contract, tickets, self.state.history.status_log, i, metric, as_of
                )
            except Exception as exc:  # show why, never crash the view
                row.bar.set_segments([])
                row.detail.setText(f"Cannot audit: {exc}")
                continue
            budget_at = None
            if audit.target is not None:
                from models.contract import parse_target

                kind, seconds = parse_target(audit.target)
                if seconds is not None:
                    acc = 0
                    for s in audit.segments:
                        if s.kind == "covered":
                            if acc + s.seconds >= seconds:
                                budget_at = s.start + (seconds - acc)
                                break
                            acc += s.seconds
            row.bar.set_segments(list(audit.segments), budget_at, self.state.display_zone())
            counted = audit.seconds("covered")
            parts = [f"counted {_hms(counted)}"]
            for kind in ("paused", "out_of_hours", "holiday"):
                if audit.seconds(kind):
                    parts.append(f"{KIND_LABELS[kind].lower()} {_hms(audit.seconds(kind))}")
            target = audit.target or "no target"
            if audit.target and parse_target_seconds(audit.target):
                target = format_duration(parse_target_seconds(audit.target) or 0)
            end = "event" if audit.ended_by_event else "as-of (no event yet)"
            row.title.setText(
                f"{metric.capitalize()} — target {target} on calendar {audit.calendar}, until {end}"
            )
            row.detail.setText(", ".join(parts))


def parse_target_seconds(target: str) -> int | None:
    from models.contract import parse_target

    try:
        return parse_target(target)[1]
    except ValueError:
        return None
