"""The what-if months chart's title row: the title and the legend at its right end
never overlap; a scenario without service credits says so inside the axes."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from models.contract import contract_from_data
from tests.test_ui_support import make_contract, make_history
from workbench.engine.simulate import simulate
from workbench.reports.whatif_charts import MonthlyBreachesChart


def _chart(credits: bool, width_px: float) -> MonthlyBreachesChart:
    data = make_contract("2025 signed").to_data()
    if not credits:
        data["service_credits"] = []
    contract = contract_from_data(data)
    h = make_history(300)
    result = simulate(contract, h.tickets, h.status_log)
    fig = Figure(figsize=(width_px / 100, 3.0), dpi=100)
    FigureCanvasAgg(fig)
    chart = MonthlyBreachesChart(fig)
    chart.update(result, result)
    fig.canvas.draw()
    return chart


@pytest.mark.parametrize("credits", [True, False])
@pytest.mark.parametrize("width_px", [480, 640])
def test_the_title_and_the_legend_share_their_row_without_overlapping(credits: bool, width_px: float) -> None:
    chart = _chart(credits, width_px)
    ax = chart.ax
    canvas = chart.fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    renderer = canvas.get_renderer()
    assert ax.get_title(loc="left") == "Breaches per month"
    [title] = [t for t in ax.get_children() if isinstance(t, Text) and t.get_text() == "Breaches per month"]
    legend = ax.get_legend()
    assert legend is not None
    assert not title.get_window_extent(renderer).overlaps(legend.get_window_extent(renderer))
    notes = [t.get_text() for t in ax.texts]
    assert notes == ([] if credits else ["no service credits in these terms"])
    assert (chart.ax2 is not None) is credits
