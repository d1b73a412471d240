"""Charts hold at laptop sizes: the window goes through common sizes (a maximised
window on a 1366x768 laptop is 1364x742) and every chart on screen must show its axes.
A chart rendered on the worker thread was thrown away at some sizes (its key of float
pixels, 466.99999999999994 high, did not match the whole pixels the paint asks for), and
the canvas painted a blank renderer in its place, silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
CONTRACTS = tuple(load_contract(DEMO / f"{n}.yaml") for n in ("northwind-2025", "northwind-2026-q4-proposal"))
SIZES = [(1280, 720), (1364, 742), (1366, 768), (1400, 768), (1400, 880), (1920, 1080)]

pytestmark = [
    pytest.mark.gui,
    pytest.mark.window(
        CONTRACTS,
        tickets=3000,
    ),
]


def _ink(widget: object) -> int:
    """Pixels of the widget as painted that are not near-white."""
    import numpy as np

    image = widget.grab().toImage()  # type: ignore[attr-defined]
    w, h = image.width(), image.height()
    ptr = image.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes()).reshape(h, image.bytesPerLine())
    rgb = arr[:, : w * 4].reshape(h, w, 4)[..., :3]
    return int((rgb < 200).any(axis=2).sum())


@pytest.mark.parametrize("view", ["overview", "whatif"])
def test_every_chart_shows_its_axes_at_every_size(window, qtbot: QtBot, view: str) -> None:
    window.show()
    window.show_view(view)
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        canvases = [c for c in window.findChildren(object) if hasattr(c, "hidden_while_rendering")]
        shown = [c for c in canvases if c.isVisible() and c.width() > 50 and c.height() > 50]

        def settled() -> bool:
            # drawn, and with the view's figure (not the empty one it starts with)
            return all(not c.rendering and c.renders > 0 and c.figure.axes for c in shown)  # noqa: B023

        qtbot.waitUntil(settled, timeout=30_000)
        qtbot.wait(50)
        qtbot.waitUntil(settled, timeout=30_000)
        assert shown, f"{view} shows no chart at {width}x{height}"
        for c in shown:
            assert c.figure.axes, f"{view} at {width}x{height}: a chart without axes"
            ink = _ink(c)
            area = c.width() * c.height()
            assert ink > 0.01 * area, f"{view} at {width}x{height}: the chart is blank ({ink} px of ink)"


def test_a_window_larger_than_its_screen_is_fitted_to_it(qtbot) -> None:
    """The first start on a laptop: the default size (or one saved on a larger monitor) is
    cut to the screen's free area and the window put at its corner (then shown maximised);
    a window that fits keeps its size."""
    from ui.main_window import MainWindow

    w = MainWindow()
    w.quiet = True
    qtbot.addWidget(w)
    screen = w.screen()
    assert screen is not None
    free = screen.availableGeometry()
    w.resize(free.width() + 300, free.height() + 200)
    assert not w.fits_screen()
    assert (w.width(), w.height()) == (free.width(), free.height())
    assert (w.x(), w.y()) == (free.x(), free.y())
    w.resize(free.width() - 100, free.height() - 100)
    assert w.fits_screen() and (w.width(), w.height()) == (free.width() - 100, free.height() - 100)
    w.db.shutdown()
