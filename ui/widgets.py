"""Small shared widgets: empty states, KPI cards, an embedded matplotlib canvas."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def heading(text: str = "", scale: float = 1.3) -> QLabel:
    """A bold label, ``scale`` times the normal font size."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class EmptyState(QWidget):
    """A view with nothing to show says why, and what to do next."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = heading(title, 1.5)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
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
        return self.add_button(button)

    def add_button(self, button: QPushButton) -> QPushButton:
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    def action_buttons(self) -> list[QPushButton]:
        """The buttons, in order."""
        items = (self.buttons.itemAt(i) for i in range(self.buttons.count()))
        found = (item.widget() for item in items if item is not None)
        return [w for w in found if isinstance(w, QPushButton)]

    def clear_actions(self) -> None:
        for button in self.action_buttons():
            self.buttons.removeWidget(button)
            button.hide()
            button.deleteLater()


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


_RENDER_LOCK = threading.Lock()  # one figure rendered at a time (matplotlib's font cache is shared)


def _canvas_class() -> type:
    """:class:`FigureCanvasQTAgg` whose ``draw_idle`` renders on a pool thread.

    The figure is rendered into a new Agg renderer off the GUI thread, which then only
    swaps it in and repaints: a full draw of a chart (100-500 ms) never stops the GUI.
    Meanwhile the canvas keeps painting its previous picture.  While a render is in
    flight the owner must not change the figure (:attr:`rendering`; ``on_rendered``
    callbacks run after each render).  ``draw_idle(prepare)`` runs ``prepare()`` on the
    same pool thread just before the render: a chart laid out again (axes, bars, legend:
    50-150 ms) is laid out there too, not on the GUI thread.  In-place updates
    (blitting with ``restore_region``/``draw_artist``) stay on the GUI thread and draw
    no text.  ``hidden_while_rendering`` (a list of artists, or a callable giving them
    after ``prepare``) are left out of the render.
    """
    global _CANVAS
    if _CANVAS is not None:
        return _CANVAS
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    from ui.tasks import guard, run_in_background

    class WorkerCanvas(FigureCanvasQTAgg):  # type: ignore[misc]
        def __init__(self, figure: Any) -> None:
            super().__init__(figure)
            self.rendering = False
            self._again = False
            self.on_rendered: list[Callable[[], None]] = []
            # artists left out of the render, or a callable giving them (after ``prepare``)
            self.hidden_while_rendering: list[Any] | Callable[[], list[Any]] = []
            self._prepare: list[Callable[[], None]] = []  # run on the pool thread before the render
            self.renders = 0  # renders swapped in (tests)

        def draw_idle(self, prepare: Callable[[], None] | None = None) -> None:
            if prepare is not None:
                self._prepare.append(prepare)
            if self.rendering:
                self._again = True
                return
            if self.figure is None or self.width() <= 0 or self.height() <= 0:
                return
            fig = self.figure
            self._fit(fig)
            # the key and size matplotlib's get_renderer uses (whole physical pixels): a
            # render keyed on the float bbox (466.99999999999994 high) would not be
            # reused, and the paint would make a blank renderer in its place
            w, h = self.get_width_height(physical=True)
            key = (w, h, fig.dpi)
            prepares, self._prepare = self._prepare, []
            hidden_of = self.hidden_while_rendering
            self.rendering = True

            def render() -> Any:
                with _RENDER_LOCK:
                    for step in prepares:
                        step()
                    hidden = list(hidden_of() if callable(hidden_of) else hidden_of)
                    renderer = RendererAgg(w, h, fig.dpi)
                    for artist in hidden:
                        artist.set_visible(False)
                    try:
                        fig.draw(renderer)
                    finally:
                        for artist in hidden:
                            artist.set_visible(True)
                    return renderer

            def start() -> None:
                run_in_background(
                    render,
                    on_done=guard(self, lambda r: self._rendered(fig, key, r)),
                    on_error=guard(self, lambda _e: self._rendered(fig, key, None)),
                )

            # started once the GUI thread has painted what this turn changed: the render
            # (Python on a pool thread) does not compete with that paint for the GIL
            QTimer.singleShot(0, self, start)

        def _fit(self, fig: Any) -> None:
            """The figure at the widget's size in its physical pixels: at a device pixel
            ratio of 1.5 (150 % scaling) a figure swapped in keeps the dpi it was made
            with and, sized from the widget's logical pixels, would fill two thirds of
            the canvas; matplotlib scales only the dpi of the figure it started with."""
            ratio = self.devicePixelRatioF() or 1.0
            dpi = fig._original_dpi * ratio
            if fig.dpi != dpi:
                fig._set_dpi(dpi, forward=False)
            fig.set_size_inches(self.width() * ratio / dpi, self.height() * ratio / dpi, forward=False)

        def _rendered(self, fig: Any, key: Any, renderer: Any) -> None:
            self.rendering = False
            current = (
                (*self.get_width_height(physical=True), self.figure.dpi) if self.figure is not None else None
            )
            fresh = renderer is not None and fig is self.figure and key == current
            if fresh:
                self.renderer = renderer
                self._lastKey = key
                self.renders += 1
            if fresh and not self._again:
                for callback in list(self.on_rendered):
                    callback()
                self.update()
                return
            self._again = False
            self.draw_idle()  # the figure or its size changed meanwhile: render again

    _CANVAS = WorkerCanvas
    return _CANVAS


_CANVAS: type | None = None


def figure_canvas(figure):  # type: ignore[no-untyped-def]
    """Embed a matplotlib Figure built in ``workbench/`` (ui/ only embeds); it is
    rendered on a pool thread (see :func:`_canvas_class`)."""
    canvas = _canvas_class()(figure)
    canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    canvas.setMinimumHeight(180)
    return canvas
