"""The what-if months chart keeps its y-axis labels ("breached tickets", "% of fee") and
their tick labels inside the canvas after the canvas is resized: the margins (in pixels)
are fitted again at every draw.  They were fitted only when the chart was laid out, so a
chart laid out wide and then shown narrower (the window going from 1920x1080 to
1366x768, a splitter dragged) kept the wide canvas's margins as fractions and cut the
y-axis label at the canvas's left edge."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from workbench.reports.whatif_charts import MonthlyBreachesChart

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]


class _Result:
    """What the chart reads of a simulation result: breaches and credits per month."""

    def __init__(self, top: int, credited: bool) -> None:
        self.top = top
        metric = "response" if credited else "uptime"
        self.contract = SimpleNamespace(service_credits=[SimpleNamespace(metric=metric)])

    def breaches_per_month(self) -> dict[str, Any]:
        return {m: {"P1": {"response": self.top * (i + 1) // len(MONTHS)}} for i, m in enumerate(MONTHS)}

    def credits(self) -> dict[str, Any]:
        return {m: {"percent": 12.5 * (i % 3)} for i, m in enumerate(MONTHS)}


def _drawn(top: int, credited: bool, laid_out: tuple[int, int], shown: tuple[int, int]
           ) -> tuple[MonthlyBreachesChart, Any]:
    """A chart laid out at ``laid_out`` pixels and drawn at ``shown`` (a Qt canvas's
    resize sets the figure's size and draws; it does not lay the chart out again)."""
    fig = Figure(figsize=(laid_out[0] / 100, laid_out[1] / 100), dpi=100)
    canvas = FigureCanvasAgg(fig)
    chart = MonthlyBreachesChart(fig)
    chart.update(_Result(top // 10, credited), _Result(top, credited))
    chart.fit(*laid_out)
    fig.set_size_inches(shown[0] / 100, shown[1] / 100)
    canvas.draw()
    return chart, canvas.get_renderer()


def _label_x0(chart: MonthlyBreachesChart, renderer: Any) -> list[float]:
    axes = [a for a in (chart.ax, chart.ax2) if a is not None]
    return [float(a.yaxis.label.get_window_extent(renderer).x0) for a in axes]


@pytest.mark.parametrize("credited", [True, False])
@pytest.mark.parametrize("top", [9, 1_400, 25_000, 900_000, 2_500_000])
@pytest.mark.parametrize(("laid_out", "shown"), [
    ((420, 610), (420, 610)),  # the canvas at 1366x768
    ((900, 880), (420, 610)),  # laid out at 1920x1080, then shown at 1366x768
    ((900, 880), (300, 400)),  # a splitter dragged
    ((300, 400), (900, 880)),  # and back wider
])
def test_axis_labels_stay_inside_the_canvas(credited: bool, top: int, laid_out: tuple[int, int],
                                            shown: tuple[int, int]) -> None:
    chart, renderer = _drawn(top, credited, laid_out, shown)
    axes = [a for a in (chart.ax, chart.ax2) if a is not None]
    assert [a.get_ylabel() for a in axes] == ["breached tickets", "% of fee"][:len(axes)]
    for ax in axes:
        label = ax.yaxis.label.get_window_extent(renderer)
        assert label.x0 >= 0, (ax.get_ylabel(), label.x0)
        for tick in ax.get_yticklabels():
            if tick.get_text():
                box = tick.get_window_extent(renderer)
                assert box.x0 > label.x1, (tick.get_text(), box.x0, label.x1)  # label left of ticks
    # the same margins as a chart laid out at the size it is shown at
    direct, direct_renderer = _drawn(top, credited, shown, shown)
    assert _label_x0(chart, renderer) == pytest.approx(_label_x0(direct, direct_renderer), abs=0.5)
