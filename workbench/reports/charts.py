"""Chart builders shared by the redline PDF and the GUI (matplotlib, no pyplot).

Each builder takes plain data and returns a :class:`matplotlib.figure.Figure`; the GUI
puts it in a canvas, the PDF calls :func:`figure_png` (deterministic bytes: no
timestamps or software tag in the PNG, so the same data gives the same file).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

BASELINE_COLOUR = "#8A8F98"
PROPOSED_COLOUR = "#1F4FD0"
CURVE_COLOURS = ("#1F4FD0", "#C0392B", "#2E7D32", "#8E44AD", "#D68910", "#17202A")

# priority -> metric -> compliance (0..1) or None when nothing was measured
Compliance = Mapping[str, Mapping[str, float | None]]


def compliance_chart(
    baseline: Compliance,
    proposed: Compliance,
    metric: str = "resolution",
    title: str | None = None,
    labels: tuple[str, str] = ("current terms", "proposed terms"),
    targets: Mapping[str, float | None] | None = None,
    size: tuple[float, float] = (6.4, 3.0),
) -> Figure:
    """Grouped bars: compliance per priority, baseline vs proposed, for one metric.
    ``targets`` (priority -> committed share) draws a tick at the committed level."""
    prios = [p for p in ("P1", "P2", "P3", "P4") if p in baseline or p in proposed]
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    x = np.arange(len(prios))
    w = 0.38

    def vals(d: Compliance) -> list[float]:
        out = []
        for p in prios:
            v = d.get(p, {}).get(metric)
            out.append(np.nan if v is None else 100.0 * v)
        return out

    b, n = vals(baseline), vals(proposed)
    bars_b = ax.bar(x - w / 2, b, w, label=labels[0], color=BASELINE_COLOUR)
    bars_n = ax.bar(x + w / 2, n, w, label=labels[1], color=PROPOSED_COLOUR)
    _margins(fig)
    label_h = label_height(fig, ax, 7, (0, 130))
    for bars, vs in ((bars_b, b), (bars_n, n)):
        for i, (rect, v) in enumerate(zip(bars, vs, strict=True)):
            cx = rect.get_x() + rect.get_width() / 2
            if np.isnan(v):
                ax.text(cx, 2, "n/a", ha="center", va="bottom", fontsize=7)
                continue
            t = (targets or {}).get(prios[i])
            y, va, inside = label_place(v, None if t is None else 100 * t, label_h, 1.5)
            ink = "white" if inside else "#222222"
            ax.text(cx, y, f"{v:.0f}%", ha="center", va=va, fontsize=7, color=ink)
    if targets:
        for i, p in enumerate(prios):
            t = targets.get(p)
            if t is not None:
                ax.hlines(100 * t, i - 0.45, i + 0.45, colors="#C0392B", linestyles="dashed", linewidth=1)
    ax.set_xticks(x, prios)
    ax.set_ylim(0, 130)  # headroom above 100% for the value labels and the legend
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.set_ylabel("% of tickets within target")
    ax.set_title(title or f"{metric.capitalize()} compliance by priority", fontsize=10)
    if targets and any(targets.get(p) is not None for p in prios):
        ax.plot([], [], color="#C0392B", linestyle="dashed", linewidth=1, label="committed level (proposed)")
    ax.legend(fontsize=7, loc="upper center", ncol=3, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    _margins(fig)
    return fig


def label_place(v: float, line: float | None, label_h: float, gap: float) -> tuple[float, str, bool]:
    """Where a bar's value label goes, in data units: (y, vertical alignment, inside the
    bar).  Inside the bar's top when it fits there, else above the bar; either way moved
    off the committed-level ``line`` (below it inside the bar, or above it) so that the
    dashed line never runs through the label.  ``label_h``: the label's height."""

    def hits(lo: float, hi: float) -> bool:
        return line is not None and lo - gap / 2 <= line <= hi + gap / 2

    if v - gap - label_h >= 0:  # inside, under the bar's top
        if not hits(v - gap - label_h, v - gap):
            return v - gap, "top", True
        assert line is not None
        if line - gap - label_h >= 0 and line < v:  # inside, under the line
            return line - gap, "top", True
    y = v + gap
    if hits(y, y + label_h):  # above the bar, and above the line too
        y = max(v, line or 0.0) + gap
    return y, "bottom", False


def label_height(fig: Figure, ax: Axes, fontsize: float, ylim: tuple[float, float]) -> float:
    """A label's height in data units (its line height, with a margin for the layout)."""
    axes_pt = fig.get_figheight() * 72 * ax.get_position().height
    return 1.35 * fontsize * (ylim[1] - ylim[0]) / max(axes_pt, 1.0)


def _margins(fig: Figure) -> None:
    """Fixed margins for the axis labels (cheaper than tight_layout, which draws twice)."""
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.16, top=0.9)


def sensitivity_chart(
    curves: Mapping[str, tuple[np.ndarray, np.ndarray, float | None]],
    title: str = "Compliance if the target were…",
    size: tuple[float, float] = (6.4, 3.0),
) -> Figure:
    """One line per series: name -> (hours, compliance 0..1, current target in hours)."""
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    right = 0.0
    for k, (name, (hours, comp, current)) in enumerate(curves.items()):
        colour = CURVE_COLOURS[k % len(CURVE_COLOURS)]
        ax.plot(hours, 100 * np.asarray(comp), color=colour, label=name, linewidth=1.5)
        if len(hours):
            right = max(right, float(np.max(hours)))
        if current is not None:
            ax.axvline(current, color=colour, linestyle=":", linewidth=1)
    if right > 0:
        ax.set_xlim(0, right)  # every curve on the whole range
    ax.set_xlabel("target (business hours of the clock)")
    ax.set_ylabel("% of tickets within target")
    ax.set_ylim(0, 105)
    ax.set_title(title, fontsize=10)
    if curves:
        ax.legend(fontsize=7, loc="lower right", frameon=False)
    ax.grid(True, linewidth=0.3, alpha=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    _margins(fig)
    return fig


def figure_png(fig: Figure, dpi: int = 130) -> bytes:
    """PNG bytes of a figure; identical data gives identical bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
