"""The What-if's recovery chart (matplotlib Figure, Agg; no pyplot, no Qt): per month of
the history, the backup gaps longer than the RPO and the restore tests over the RTO or
missing for the cadence, baseline against scenario, as two small multiples sharing the
months.  Built from :class:`workbench.app.recovery_whatif.RecoveryMonths`; the GUI embeds
the figure."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from workbench.app.recovery_whatif import RecoveryMonths
from workbench.reports.charts import BASELINE_COLOUR, PROPOSED_COLOUR

PANELS = (
    ("gaps", "Backup gaps longer than the RPO"),
    ("tests", "Restore tests over the RTO, failed or missing"),
)


def recovery_months_figure(months: RecoveryMonths, size: tuple[float, float] = (6.4, 3.6)) -> Figure:
    """Two bar charts over the months (baseline grey, scenario blue), one y axis each."""
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    labels = list(months.labels)
    axes = fig.subplots(2, 1, sharex=True)
    x = np.arange(len(labels))
    width = 0.4
    for ax, (key, title) in zip(axes, PANELS, strict=True):
        series = getattr(months, key)
        base, scen = series.get("baseline", []), series.get("scenario", [])
        ax.set_title(title, fontsize=9, loc="left")
        ax.grid(True, axis="y", linewidth=0.3, alpha=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=7)
        if not labels:
            ax.text(0.5, 0.5, "no records", ha="center", va="center", transform=ax.transAxes, fontsize=8)
            continue
        ax.bar(x - width / 2, base, width, color=BASELINE_COLOUR, label="baseline")
        ax.bar(x + width / 2, scen, width, color=PROPOSED_COLOUR, label="scenario")
        top = max([*base, *scen, 1])
        ax.set_ylim(0, top * 1.15 + 0.5)
        ax.yaxis.get_major_locator().set_params(integer=True)
    axes[0].legend(fontsize=7, frameon=False, loc="upper right", ncols=2, bbox_to_anchor=(1.0, 1.25))
    step = max(1, round(len(labels) / 12))
    axes[-1].set_xticks(x[::step], labels[::step], rotation=45, ha="right")
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.2, top=0.9, hspace=0.45)
    return fig
