"""One ticket's clock audit as timeline bars over a time axis (covered, out of hours,
paused, holiday), and its status history: each status with its local time, how long
it lasted and whether the SLA clock ran."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, tzinfo
from typing import Any

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from models.contract import PRIORITIES, parse_target
from ui.state import AppState
from workbench.app.localtime import format_instant, zone_label
from workbench.app.ticket_time import FINAL, ONGOING, duration_words, status_history
from workbench.app.words import calendar_words

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
MARGIN = 1  # px left and right of the bars and the axis, so that their x positions agree

# tick steps of the time axis, in seconds: the first that leaves room for each label is used
TICK_STEPS = (
    60 * 15, 60 * 30, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600,
    86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400,
)


def time_ticks(t0: int, t1: int, zone: tzinfo, max_ticks: int) -> list[tuple[int, str, str]]:
    """Ticks of ``[t0, t1]`` on round local times of ``zone``: (instant, time label, date
    label).  The step is the smallest of :data:`TICK_STEPS` giving at most ``max_ticks``
    ticks; day steps fall on local midnights.  The date label is set on the first tick
    and wherever the local date changes, the time label is empty for day steps."""
    if t1 <= t0 or max_ticks < 1:
        return []
    step = next((s for s in TICK_STEPS if (t1 - t0) / s <= max_ticks), TICK_STEPS[-1])
    start = dt.datetime.fromtimestamp(t0, zone)
    if step >= 86400:  # local midnights (a day is not always 86400 s: walk by dates)
        days = step // 86400
        d = start.date() + dt.timedelta(days=1) if start.time() != dt.time() else start.date()
        instants = []
        while True:
            t = int(dt.datetime.combine(d, dt.time(), zone).timestamp())
            if t > t1:
                break
            instants.append(t)
            d += dt.timedelta(days=days)
    else:  # round local clock times; local midnight is the reference, so 06:00 not 05:37
        midnight = int(dt.datetime.combine(start.date(), dt.time(), zone).timestamp())
        first = midnight + -(-(t0 - midnight) // step) * step
        instants = list(range(first, t1 + 1, step))
    out: list[tuple[int, str, str]] = []
    last_date = None
    for t in instants:
        local = dt.datetime.fromtimestamp(t, zone)
        date = local.date()
        date_label = f"{local:%a} {local:%b} {local.day}" if date != last_date else ""
        last_date = date
        out.append((t, "" if step >= 86400 else f"{local:%H:%M}", date_label))
    return out


def segment_words(s: Any, zone: tzinfo) -> str:
    """One segment as its tooltip says it: ``Covered (counts): 2026-10-14 07:10 → 08:24 EDT (1 h 14 min)``."""
    start, end = format_instant(s.start, zone), format_instant(s.end, zone, with_zone=True)
    if start[:10] == end[:10]:
        end = end[11:]
    return f"{KIND_LABELS.get(s.kind, s.kind)}: {start} → {end} ({duration_words(s.end - s.start)})"


class TimelineBar(QWidget):
    """Paints segments (objects with start, end, kind) proportionally along the bar over
    the span it is given (shared with the time axis below it), with the budget as a
    marker where the counted time reaches it.  Hovering shows the one segment under the
    pointer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments: list[Any] = []
        self.budget_at: int | None = None
        self.span: tuple[int, int] | None = None
        self.zone: tzinfo = UTC
        self.setMinimumHeight(22)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(400, 22)

    def set_segments(
        self,
        segments: list[Any],
        budget_at: int | None = None,
        zone: tzinfo = UTC,
        span: tuple[int, int] | None = None,
    ) -> None:
        self.segments = list(segments)
        self.budget_at = budget_at
        self.zone = zone
        if span is None and self.segments:
            span = (self.segments[0].start, self.segments[-1].end)
        self.span = span
        self.update()

    def _x(self, t: int) -> float:
        assert self.span is not None
        t0, t1 = self.span
        width = self.width() - 2 * MARGIN
        return MARGIN + width * (t - t0) / max(t1 - t0, 1)

    def segment_at(self, x: float) -> Any:
        """The segment drawn under ``x`` (widget pixels), or None."""
        if not self.segments or self.span is None:
            return None
        for s in self.segments:
            x0, x1 = self._x(s.start), self._x(s.end)
            if x0 <= x < max(x1, x0 + 1.0):
                return s
        return None

    def tooltip_at(self, x: float) -> str:
        s = self.segment_at(x)
        return "" if s is None else segment_words(s, self.zone)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            text = self.tooltip_at(e.pos().x())
            if text:
                QToolTip.showText(e.globalPos(), text, self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def paintEvent(self, _event: Any) -> None:
        p = QPainter(self)
        rect = QRectF(self.rect()).adjusted(MARGIN, 3, -MARGIN, -3)
        if not self.segments or self.span is None:
            p.setPen(self.palette().mid().color())
            p.drawRect(rect)
            p.end()
            return
        for s in self.segments:
            x0, x1 = self._x(s.start), self._x(s.end)
            p.fillRect(
                QRectF(x0, rect.top(), max(x1 - x0, 1.0), rect.height()),
                KIND_COLORS.get(s.kind, Qt.GlobalColor.gray),
            )
        t0, t1 = self.span
        if self.budget_at is not None and t0 <= self.budget_at <= t1:
            x = self._x(self.budget_at)
            p.setPen(QPen(QColor("#b42318"), 2))
            p.drawLine(int(x), int(rect.top()) - 3, int(x), int(rect.bottom()) + 3)
        p.end()


class TimeAxis(QWidget):
    """The time axis under the timeline bars: ticks on round local times, the time of
    day and, where the date changes, the date; the zone named at the right end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.span: tuple[int, int] | None = None
        self.zone: tzinfo = UTC
        self.ticks: list[tuple[int, str, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(6 + 2 * self.fontMetrics().height())

    def set_span(self, span: tuple[int, int] | None, zone: tzinfo) -> None:
        self.span, self.zone = span, zone
        self._layout_ticks()
        self.update()

    def resizeEvent(self, event: Any) -> None:
        self._layout_ticks()
        super().resizeEvent(event)

    def _layout_ticks(self) -> None:
        if self.span is None:
            self.ticks = []
            return
        label = self.fontMetrics().horizontalAdvance("Wed Sep 30") + 16  # room for each label
        room = self.width() - 2 * MARGIN - self.fontMetrics().horizontalAdvance(self.zone_text()) - 8
        self.ticks = time_ticks(self.span[0], self.span[1], self.zone, max(1, room // label))

    def zone_text(self) -> str:
        return zone_label(self.zone)

    def x_of(self, t: int) -> float:
        assert self.span is not None
        t0, t1 = self.span
        return MARGIN + (self.width() - 2 * MARGIN) * (t - t0) / max(t1 - t0, 1)

    def paintEvent(self, _event: Any) -> None:
        if self.span is None:
            return
        p = QPainter(self)
        fm = self.fontMetrics()
        mid = self.palette().mid().color()
        text = self.palette().windowText().color()
        p.setPen(mid)
        p.drawLine(MARGIN, 0, self.width() - MARGIN, 0)
        zone = self.zone_text()
        zone_x = self.width() - MARGIN - fm.horizontalAdvance(zone)
        for t, time_label, date_label in self.ticks:
            x = int(self.x_of(t))
            p.setPen(mid)
            p.drawLine(x, 0, x, 4)
            p.setPen(text)
            for k, label in enumerate(lab for lab in (time_label, date_label) if lab):
                w = fm.horizontalAdvance(label)
                lx = min(max(x - w // 2, 0), zone_x - w - 6)
                p.drawText(lx, 4 + fm.ascent() + k * fm.height(), label)
        p.setPen(mid)
        p.drawText(zone_x, 4 + fm.ascent() + fm.height(), zone)
        p.end()


class _MetricRow(QWidget):
    def __init__(self, title: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(1)
        self.title = QLabel(title)
        self.bar = TimelineBar()
        self.detail = QLabel()
        self.detail.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)


HISTORY_HEADERS = ("Status", "From", "Lasted", "Response\nclock", "Resolution\nclock")
CLOCK_TIPS = {
    "ran": "The clock counted this much covered time while the ticket was in this status",
    "paused": "A pause status of the contract: the clock stops while the client is waited for",
    "out": "Outside the calendar's covered hours: the clock did not count",
    "holiday": "A public holiday of the calendar: the clock did not count",
    "after": "The clock had already stopped (its event had happened)",
}


class StatusHistory(QTableWidget):
    """The selected ticket's status changes: each with its local time, how long it lasted
    and how the response and resolution clocks ran meanwhile."""

    def __init__(self) -> None:
        super().__init__(0, len(HISTORY_HEADERS))
        self.setHorizontalHeaderLabels(list(HISTORY_HEADERS))
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(22)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        for col in range(len(HISTORY_HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.spans: list[Any] = []

    def set_spans(self, spans: list[Any], zone: tzinfo) -> None:
        self.spans = spans
        self.setHorizontalHeaderItem(1, QTableWidgetItem(f"From ({zone_label(zone)})"))
        self.setRowCount(len(spans))
        for r, s in enumerate(spans):
            lasted = {FINAL: "final status", ONGOING: f"{duration_words(s.seconds)} so far"}.get(
                s.state, duration_words(s.seconds)
            )
            local = dt.datetime.fromtimestamp(s.start, zone)
            cells = (s.status, f"{local:%b} {local.day} {local:%H:%M}", lasted,
                     s.clock.get("response", ""), s.clock.get("resolution", ""))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 1:
                    item.setToolTip(format_instant(s.start, zone, with_zone=True))
                if c >= 3:
                    item.setToolTip(CLOCK_TIPS.get(text.split(" ")[0], ""))
                if c >= 3 and text.startswith("paused"):
                    item.setForeground(KIND_COLORS["paused"].darker(150))
                self.setItem(r, c, item)


class AuditPanel(QWidget):
    """The clock audit of the selected ticket under the baseline contract: the response
    and resolution bars on one time axis, and the ticket's status history beside them."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(split)
        clock = QWidget()
        layout = QVBoxLayout(clock)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        self.heading = QLabel("Select a ticket to see how its SLA clock ran.")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.rows = {m: _MetricRow(m.capitalize()) for m in ("response", "resolution")}
        for row in self.rows.values():
            layout.addWidget(row)
            row.hide()
        self.axis = TimeAxis()
        self.axis.hide()
        layout.addWidget(self.axis)
        legend = QHBoxLayout()
        for kind, color in KIND_COLORS.items():
            swatch = QLabel("  ")
            swatch.setStyleSheet(f"background: {color.name()}; border: 1px solid #888;")
            swatch.setFixedSize(14, 14)
            legend.addWidget(swatch)
            legend.addWidget(QLabel(KIND_LABELS[kind]))
            legend.addSpacing(10)
        budget = QLabel("│ target reached")
        budget.setStyleSheet("color: #b42318;")
        legend.addWidget(budget)
        legend.addStretch(1)
        layout.addLayout(legend)
        layout.addStretch(1)
        split.addWidget(clock)
        history = QWidget()
        hl = QVBoxLayout(history)
        hl.setContentsMargins(4, 4, 0, 0)
        hl.setSpacing(2)
        hl.addWidget(QLabel("<b>Status history</b>"))
        self.history = StatusHistory()
        hl.addWidget(self.history, 1)
        split.addWidget(history)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.split = split
        self._split_set = False
        self.current: int | None = None
        state.zone_changed.connect(self._refresh)  # the baseline, or the zone times are shown in

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if not self._split_set and self.width() > 200:  # the first real size: clock 52 %, history 48 %
            self._split_set = True
            self.split.setSizes([self.width() * 52 // 100, self.width() * 48 // 100])

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
        code = int(tickets.priority[i])
        prio = PRIORITIES[code] if 0 <= code < len(PRIORITIES) else "?"
        zone = self.state.display_zone()
        as_of = self.state.as_of() or int(tickets.opened[i])
        contract = baseline.contract if baseline is not None else None
        self.history.set_spans(
            status_history(contract, tickets, self.state.history.status_log, i, as_of), zone
        )
        if baseline is None or prio == "?":
            why = "no contract version to measure against" if baseline is None else "unknown priority"
            self.heading.setText(f"{tickets.ids[i]} ({prio}): {why}.")
            for row in self.rows.values():
                row.hide()
            self.axis.hide()
            return
        self.heading.setText(f"{tickets.ids[i]} ({prio}) under {baseline.contract.name} — {baseline.label}")
        from workbench.engine.ticketquery import audit_ticket

        audits: dict[str, Any] = {}
        for metric, row in self.rows.items():
            row.show()
            try:
                audits[metric] = audit_ticket(
                    baseline.contract, tickets, self.state.history.status_log, i, metric, as_of
                )
            except Exception as exc:  # show why, never crash the view
                row.bar.set_segments([])
                row.detail.setText(f"Cannot audit: {exc}")
        ends = [a.end for a in audits.values()]
        span = (int(tickets.opened[i]), max(ends)) if ends and max(ends) > int(tickets.opened[i]) else None
        self.axis.setVisible(span is not None)
        self.axis.set_span(span, zone)
        for metric, audit in audits.items():
            self._show_audit(self.rows[metric], metric, audit, span, zone, baseline.contract)

    @staticmethod
    def _show_audit(row: _MetricRow, metric: str, audit: Any, span: Any, zone: tzinfo, contract: Any) -> None:
        seconds = _target_seconds(audit.target)
        budget_at = None
        if seconds is not None:
            acc = 0
            for s in audit.segments:
                if s.kind == "covered":
                    if acc + s.seconds >= seconds:
                        budget_at = s.start + (seconds - acc)
                        break
                    acc += s.seconds
        row.bar.set_segments(list(audit.segments), budget_at, zone, span)
        parts = [f"counted {duration_words(audit.seconds('covered'))}"]
        for kind in ("paused", "out_of_hours", "holiday"):
            if audit.seconds(kind):
                parts.append(f"{KIND_LABELS[kind].lower()} {duration_words(audit.seconds(kind))}")
        if audit.target is None:
            target = "no target"
        elif seconds is not None:
            target = f"target {duration_words(seconds)}"
        else:
            target = f"target {audit.target.replace('_', ' ')}"
        end = ("until the first response" if metric == "response" else "until resolved") \
            if audit.ended_by_event else "still running at the as-of date"
        # the title says the terms, the line under the bar what the clock did: two short
        # lines that fit beside the status history at laptop sizes
        row.title.setText(f"{metric.capitalize()}: {target}, {calendar_words(audit.calendar)}")
        row.title.setToolTip(_calendar_detail(audit.calendar, contract))
        row.detail.setText(f"{end[0].upper()}{end[1:]}: {', '.join(parts)}")


def _target_seconds(target: str | None) -> int | None:
    if not target:
        return None
    try:
        return parse_target(target)[1]
    except ValueError:
        return None


def _calendar_detail(name: str, contract: Any) -> str:
    from workbench.documents.diff import human_calendar

    return human_calendar(name, dict(contract.calendars)) or ""
