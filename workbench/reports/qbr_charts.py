"""The quarter's review charts (matplotlib figures, no pyplot), in the print style of
:mod:`workbench.reports.analytics_charts`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from models.contract import PRIORITIES
from workbench.reports.analytics_charts import (
    _PERCENT,
    _figure,
    _no_data,
    _style,
)
from workbench.reports.charts import label_height, label_place

QUARTER_SHADES = ("#C8CCD2", "#8A8F98", "#0072B2")  # same quarter last year, previous, this quarter


def _ink(shade: int) -> str:
    """Label colour inside a bar: white on the dark shades, dark on the light one."""
    return "#222222" if QUARTER_SHADES[shade % len(QUARTER_SHADES)] == QUARTER_SHADES[0] else "white"


def _compliance(k: Any, p: str, metric: str) -> float | None:
    if k is None:
        return None
    v = k.compliance.get(p, {}).get(metric, {})
    return None if not v else v.get("compliance")


def compliance_quarters_figure(
    columns: Sequence[tuple[str, Any]], metric: str = "resolution", targets: Mapping[str, float] | None = None
) -> Figure:
    """Grouped bars per priority, one bar per quarter (``columns``: (label, KpiSet or None
    when the history does not reach it), oldest first); a dashed tick marks the
    committed level; "not measured" where a quarter measured nothing."""
    fig = _figure(7.2, 3.2)
    ax = fig.subplots()
    title = f"{metric.capitalize()} compliance per priority, quarter by quarter"
    prios = [p for p in PRIORITIES if any(_compliance(k, p, metric) is not None for _, k in columns)]
    if not prios:
        _no_data(ax, title)
        return fig
    _style(ax, title, "met / (met + breached)")
    n = len(columns)
    w = 0.8 / n
    x = np.arange(len(prios))
    label_h = label_height(fig, ax, 6.5, (0, 1.12))
    for j, (label, k) in enumerate(columns):
        vals = [_compliance(k, p, metric) for p in prios]
        xs = x - 0.4 + w * (j + 0.5)
        heights = [np.nan if v is None else v for v in vals]
        ax.bar(xs, heights, w * 0.92, color=QUARTER_SHADES[(j - n) % len(QUARTER_SHADES)], label=label)
        for i, (xi, v) in enumerate(zip(xs, vals, strict=True)):
            if v is None:
                ax.text(xi, 0.02, "not\nmeasured", ha="center", va="bottom", fontsize=6, color="#555555")
                continue
            y, va, inside = label_place(v, (targets or {}).get(prios[i]), label_h, 0.015)
            ink = _ink(j - n) if inside else "#222222"
            ax.text(xi, y, f"{100 * v:.0f}%", ha="center", va=va, fontsize=6.5, color=ink)
    if targets:
        for i, p in enumerate(prios):
            if p in targets:
                ax.hlines(targets[p], i - 0.45, i + 0.45, colors="#D55E00", linestyles="dashed", linewidth=1)
        ax.plot([], [], color="#D55E00", linestyle="dashed", linewidth=1, label="committed level")
    ax.set_xticks(x, prios)
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylim(0, 1.12)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.legend(fontsize=7.5, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig
