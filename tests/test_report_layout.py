"""Layout of the two PDFs, measured on what was laid out (pdfplumber's characters, images
and rules; the charts' drawn artists): no text runs into other text or past the page's
sides (a cell too narrow wraps or shrinks, never overflows), no page is less than half
full unless a section starts on the next one, bar labels never sit on the committed-level
line, and the sensitivity curves cover every priority on one range of targets."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import numpy as np
import pdfplumber
import pytest
from pypdf import PdfReader

from workbench.cli import main
from workbench.reports.pdf.template import MARGIN_BOTTOM, MARGIN_TOP

HALF = 0.5


def page_fill(pdf: Any) -> list[float]:
    """Each page's filled share of the body frame: from the frame's top to the lowest
    character, picture or rule drawn inside it (the running header and the footer are
    outside it)."""
    out = []
    for pg in pdf.pages:
        top, bottom = MARGIN_TOP, pg.height - MARGIN_BOTTOM
        inside = [o for o in (*pg.chars, *pg.images, *pg.rects, *pg.lines)
                  if o["top"] >= top - 1 and o["bottom"] <= bottom + 1]
        low = max((o["bottom"] for o in inside), default=top)
        out.append((low - top) / (bottom - top))
    return out


def section_pages(data: bytes) -> set[int]:
    """Pages (1-based) on which a top-level outline entry (a section) starts."""
    r = PdfReader(io.BytesIO(data))
    return {int(r.get_destination_page_number(o) or 0) + 1 for o in r.outline if not isinstance(o, list)}


def underfilled(data: bytes) -> list[tuple[int, float]]:
    """Pages less than half full that are neither the last nor followed by a section."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        fill = page_fill(pdf)
    starts = section_pages(data)
    last = len(fill)
    return [(n, round(f, 2)) for n, f in enumerate(fill, 1) if f < HALF and n < last and n + 1 not in starts]


def collisions(data: bytes) -> list[tuple[int, str]]:
    """Characters drawn over another on the same line, or past the page's side margins
    less 8 mm (text a cell could not hold)."""
    bad: list[tuple[int, str]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n, pg in enumerate(pdf.pages, 1):
            lines: dict[tuple[float, float], list[dict[str, Any]]] = {}
            for c in pg.chars:
                if c["x0"] < 10 * 72 / 25.4 or c["x1"] > pg.width - 10 * 72 / 25.4:
                    bad.append((n, f"{c['text']!r} past the side at x={c['x0']:.0f}"))
                if not c["text"].isspace():
                    lines.setdefault((round(c["top"], 1), round(c["size"], 1)), []).append(c)
            for cs in lines.values():
                cs.sort(key=lambda c: c["x0"])
                for a, b in zip(cs, cs[1:], strict=False):
                    if b["x0"] < a["x1"] - 0.6:
                        bad.append((n, f"{a['text']!r} and {b['text']!r} overlap at x={a['x0']:.0f}"))
    return bad


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("layout")
    ws = folder / "demo.slawb"
    assert main(["demo", "--workspace", str(ws)]) == 0
    out = {}
    for name, argv in (
        ("redline", ["redline", "2", "3", "--workspace", str(ws)]),
        ("redline-a4", ["redline", "2", "3", "--workspace", str(ws), "--page-size", "a4"]),
        ("qbr", ["report", "--workspace", str(ws), "--quarter", "2026Q3", "--proposal", "3"]),
        ("qbr-a4", ["report", "--workspace", str(ws), "--quarter", "2026Q3", "--page-size", "a4"]),
    ):
        path = folder / f"{name}.pdf"
        assert main([*argv, "-o", str(path)]) == 0
        out[name] = path.read_bytes()
    return out


def test_no_page_is_less_than_half_full_except_before_a_section(documents: dict[str, bytes]) -> None:
    for name, data in documents.items():
        assert underfilled(data) == [], name


def test_the_measure_finds_a_half_empty_page() -> None:
    """The check above can fail: a page broken after two lines, with no section after it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph

    from workbench.reports.pdf.fonts import FONT, register_fonts
    from workbench.reports.pdf.template import Heading, ReportDocTemplate

    register_fonts()
    st = ParagraphStyle("p", fontName=FONT, fontSize=10, leading=13)
    buf = io.BytesIO()
    doc = ReportDocTemplate(buf, pagesize=A4, header="h", footer="f", band_subtitle="s")
    doc.build([NextPageTemplate("body"), Paragraph("cover", st), PageBreak(),
               Heading("One", st, 0, "a", "One"), Paragraph("text " * 40, st), PageBreak(),
               Paragraph("more " * 40, st), PageBreak(), Heading("Two", st, 0, "b", "Two"),
               Paragraph("end", st)])
    data = buf.getvalue()
    gaps = underfilled(data)
    assert [n for n, _ in gaps] == [2], gaps  # pages 1 and 3 are before a section: allowed


def test_no_text_runs_into_other_text_or_off_the_page(documents: dict[str, bytes]) -> None:
    for name, data in documents.items():
        assert collisions(data) == [], name


def test_a_cell_too_narrow_for_its_word_wraps_it() -> None:
    """A 60-character ticket list without a space in a narrow column of the review's table:
    split inside the cell, not drawn over its neighbour."""
    from reportlab.platypus import SimpleDocTemplate

    from workbench.reports.pdf.fonts import register_fonts
    from workbench.reports.qbr import QbrTable
    from workbench.reports.qbr_pdf import _styles, _table

    register_fonts()
    word = ",".join(f"NW-{100000 + i}" for i in range(8))
    tb = QbrTable(("Code", "Tickets", "Fix"), (("W18", word, "Enforce the matrix"),), (1, 1, 3))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1).build([_table(tb, 300, _styles())])
    assert collisions(buf.getvalue()) == []


def _label_boxes_and_lines(fig: Any) -> tuple[list[Any], list[tuple[float, float, float]]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection

    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().endswith("%")]
    lines = []
    for coll in ax.collections:
        if isinstance(coll, LineCollection):
            for seg in coll.get_segments():
                (x0, y0), (x1, _y1) = ax.transData.transform(seg)
                lines.append((x0, x1, y0))
    return boxes, lines


def _crossed(boxes: list[Any], lines: list[tuple[float, float, float]]) -> list[str]:
    return [
        f"label at y {b.y0:.0f}-{b.y1:.0f} crossed by the line at {y:.0f}"
        for b in boxes
        for x0, x1, y in lines
        if b.x0 < x1 and b.x1 > x0 and b.y0 - 0.5 <= y <= b.y1 + 0.5
    ]


# shares just above, at and just below the committed levels, where labels used to sit on the line
NEAR = {"P1": (0.92, 0.905), "P2": (0.905, 0.99), "P3": (0.89, 0.95), "P4": (0.10, 0.12)}
LEVELS = {"P1": 0.90, "P2": 0.90, "P3": 0.95, "P4": 0.10}


def test_bar_labels_keep_off_the_committed_level_in_the_redline_chart() -> None:
    from workbench.reports.charts import compliance_chart

    base = {p: {"resolution": a} for p, (a, _b) in NEAR.items()}
    prop = {p: {"resolution": b} for p, (_a, b) in NEAR.items()}
    boxes, lines = _label_boxes_and_lines(compliance_chart(base, prop, "resolution", targets=LEVELS))
    assert len(boxes) == 8 and len(lines) == 4
    assert _crossed(boxes, lines) == []


def test_bar_labels_keep_off_the_committed_level_in_the_review_chart() -> None:
    from workbench.reports.qbr_charts import compliance_quarters_figure

    def kset(i: int) -> Any:
        return SimpleNamespace(compliance={p: {"resolution": {"compliance": v[i]}} for p, v in NEAR.items()})

    fig = compliance_quarters_figure([("Q3 2025", kset(0)), ("Q2 2026", kset(1)), ("Q3 2026", kset(0))],
                                     "resolution", LEVELS)
    boxes, lines = _label_boxes_and_lines(fig)
    assert len(boxes) == 12 and len(lines) == 4
    assert _crossed(boxes, lines) == []


def test_sensitivity_curves_cover_every_priority_on_one_range() -> None:
    from models.contract import contract_from_data
    from workbench.reports.charts import sensitivity_chart
    from workbench.reports.pdf.effects import _curves

    contract = contract_from_data({
        "name": "S", "version": "1",
        "targets": {"P1": {"response": "30m", "resolution": "4h"},
                    "P2": {"response": "2h", "resolution": "8h"},
                    "P3": {"response": "4h", "resolution": "16h"},
                    "P4": {"response": "8h", "resolution": "40h"}},
    })

    class Result:
        def compliance_curve(self, p: str, m: str, budgets: Any) -> tuple[Any, Any]:
            b = np.asarray(budgets, dtype=float)
            return budgets, 1 - np.exp(-b / (3600 * (1 + int(p[1]))))

    curves = _curves(contract, Result())
    for metric in ("response", "resolution"):
        assert sorted(curves[metric]) == ["P1", "P2", "P3", "P4"], metric
        ranges = {(float(h[0]), float(h[-1]), len(h)) for h, _c, _t in curves[metric].values()}
        assert len(ranges) == 1, (metric, ranges)
    assert next(iter(curves["response"].values()))[0][-1] == pytest.approx(20.0)  # 2.5 x the longest, 8 h
    assert next(iter(curves["resolution"].values()))[0][-1] == pytest.approx(100.0)
    fig = sensitivity_chart({f"{p} response": v for p, v in curves["response"].items()})
    assert fig.axes[0].get_xlim() == pytest.approx((0.0, 20.0))
