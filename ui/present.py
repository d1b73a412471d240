"""QBR mode (View ▸ Present, F5): the quarter's review told one message at a time, full
screen, in large type.  The content is the review the PDF and the slide deck are made
of (:func:`workbench.reports.qbr.build_qbr`); this window only shows it.

Right, Space or Page Down: next; Left or Page Up: back; Home/End: first/last; Esc:
back to the workbench.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.app.quarters import Quarter, last_full_quarter


def quarters_of(history: Any, as_of: int | None, zone: Any) -> list[Quarter]:
    """The calendar quarters the history reaches, newest first (the running one last
    among them only when nothing else is there)."""
    if not len(history.tickets) or as_of is None:
        return []
    from datetime import UTC, datetime

    first = Quarter.of(datetime.fromtimestamp(int(history.tickets.opened.min()), zone or UTC).date())
    last = last_full_quarter(int(as_of), zone)
    out: list[Quarter] = []
    q = last
    while (q.year, q.number) >= (first.year, first.number) and len(out) < 40:
        out.append(q)
        q = q.previous()
    return out or [Quarter.of(datetime.fromtimestamp(int(as_of), zone or UTC).date())]


class PresentSetup(QDialog):
    """Which quarter to present, and the proposal to show beside it (optional)."""

    def __init__(self, quarters: list[Quarter], proposals: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Present the quarter")
        form = QFormLayout(self)
        self.quarter = QComboBox()
        for q in quarters:
            self.quarter.addItem(q.label, q)
        form.addRow("Quarter", self.quarter)
        self.proposal = QComboBox()
        self.proposal.addItem("None", None)
        for v in proposals:
            self.proposal.addItem(v.label, v)
        form.addRow("Proposal to show", self.proposal)
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok | cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Present")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class PresentWindow(QWidget):
    """The review's sections as full-screen slides: a cover, then one message each."""

    def __init__(self, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{report.title} — presenting")
        self.report = report
        self.slides = self._slides(report)
        self.index = 0
        self.setStyleSheet("background: white; color: #17202a;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 30)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.footer = QLabel()
        self.footer.setStyleSheet("color: #57606a;")
        for w in (self.title, self.message, self.image, self.body, self.footer):
            layout.addWidget(w)
        layout.setStretch(2, 1)
        self._scale_fonts()
        self.show_slide(0)

    @staticmethod
    def _slides(report: Any) -> list[dict[str, Any]]:
        cover = {
            "title": report.title,
            "message": report.period_text,
            "bullets": [x for x in (report.client and f"Client: {report.client}",
                                    report.provider and f"Provider: {report.provider}",
                                    f"Contract: {report.contract_name} ({report.contract_version})") if x],
            "png": None,
        }
        out = [cover]
        for s in report.sections:
            rows = []
            for t in s.tables[:1]:  # the first table: the figures behind the message
                rows = [t.header, *t.rows[:8]]
            out.append({"title": s.title, "message": s.message, "bullets": list(s.bullets[:6]),
                        "png": s.charts[0].png if s.charts else None, "table": rows})
        return out

    def _scale_fonts(self) -> None:
        base = max(14, self.height() // 40) if self.height() > 0 else 18
        self.title.setStyleSheet(f"font-size: {int(base * 2.2)}px; font-weight: bold;")
        self.message.setStyleSheet(f"font-size: {int(base * 1.4)}px;")
        self.body.setStyleSheet(f"font-size: {base}px;")
        self.footer.setStyleSheet(f"font-size: {int(base * 0.8)}px; color: #57606a;")

    def show_slide(self, index: int) -> None:
        self.index = max(0, min(index, len(self.slides) - 1))
        s = self.slides[self.index]
        self.title.setText(s["title"])
        self.message.setText(s["message"])
        parts = []
        if s.get("bullets"):
            parts.append("<ul>" + "".join(f"<li>{html.escape(b)}</li>" for b in s["bullets"]) + "</ul>")
        if s.get("table") and s.get("png") is None:
            head, *rows = s["table"]
            cells = "".join(f"<th align='left'>{html.escape(str(c))}&nbsp;&nbsp;</th>" for c in head)
            def line(r: Any) -> str:
                return "<tr>" + "".join(f"<td>{html.escape(str(c))}&nbsp;&nbsp;</td>" for c in r) + "</tr>"

            body = "".join(line(r) for r in rows)
            parts.append(f"<table cellspacing='4'><tr>{cells}</tr>{body}</table>")
        self.body.setText("".join(parts))
        self._pixmap = QPixmap()
        if s.get("png"):
            self._pixmap.loadFromData(s["png"], "PNG")
        self._fit_image()
        self.footer.setText(f"{self.index + 1} / {len(self.slides)}   ·   → next   ← back   Esc ends")

    def _fit_image(self) -> None:
        if self._pixmap.isNull():
            self.image.clear()
            self.image.hide()
            return
        self.image.show()
        size = self.image.size()
        if size.width() > 10 and size.height() > 10:
            self.image.setPixmap(self._pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                                     Qt.TransformationMode.SmoothTransformation))
        else:
            self.image.setPixmap(self._pixmap)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._scale_fonts()
        self._fit_image()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Down):
            self.show_slide(self.index + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Backspace):
            self.show_slide(self.index - 1)
        elif key == Qt.Key.Key_Home:
            self.show_slide(0)
        elif key == Qt.Key.Key_End:
            self.show_slide(len(self.slides) - 1)
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
