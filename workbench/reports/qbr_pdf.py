"""The quarter's review as a PDF (reportlab): a cover, then one section per message of
:class:`workbench.reports.qbr.QbrReport`, each with its tables, charts and the
definitions of its figures.

User text (names, clauses, evidence) passes :func:`esc` before reportlab markup.  The
bytes are reproducible: invariant mode, the document dates are the as-of date, the
charts are deterministic PNGs.  The pages are
:class:`workbench.reports.pdf.template.ReportDocTemplate`'s (shared with the redline):
Letter or A4, by choice, by the client's country or by the locale.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from models.contract import Contract
from workbench.progress import ProgressCallback, report
from workbench.reports.pdf.document import _image, esc
from workbench.reports.pdf.fonts import BOLD, FONT, ITALIC, register_fonts
from workbench.reports.pdf.template import (
    Cover,
    Heading,
    ReportDocTemplate,
    cover_rows,
    page_size_for,
)
from workbench.reports.qbr import QbrReport, QbrSection, QbrTable

NAVY = colors.HexColor("#14213D")
GREY = colors.HexColor("#5F6368")
RULE = colors.HexColor("#C9CDD3")
HEAD_BG = colors.HexColor("#E8ECF2")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("qbase", fontName=FONT, fontSize=9.5, leading=12.6, spaceAfter=3)
    return {
        "base": base,
        "cell": ParagraphStyle("qcell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cellb": ParagraphStyle("qcellb", parent=base, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0),
        "h1": ParagraphStyle(
            "qh1",
            parent=base,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=6,
            spaceAfter=4,
            textColor=NAVY,
        ),
        "message": ParagraphStyle(
            "qmsg",
            parent=base,
            fontName=BOLD,
            fontSize=10.5,
            leading=14,
            spaceAfter=8,
            textColor=colors.HexColor("#1F4FD0"),
        ),
        "bullet": ParagraphStyle("qbullet", parent=base, leftIndent=10, bulletIndent=0, spaceAfter=2),
        "defs_h": ParagraphStyle(
            "qdefh",
            parent=base,
            fontName=BOLD,
            fontSize=8,
            leading=10,
            textColor=GREY,
            spaceBefore=6,
            spaceAfter=1,
        ),
        "defs": ParagraphStyle("qdefs", parent=base, fontSize=7.5, leading=9.6, textColor=GREY, spaceAfter=1),
        "caption": ParagraphStyle(
            "qcap", parent=base, fontName=ITALIC, fontSize=8, leading=10, textColor=GREY, spaceAfter=8
        ),
        "cover_title": ParagraphStyle(
            "qct", parent=base, fontName=BOLD, fontSize=24, leading=30, spaceAfter=6, textColor=NAVY
        ),
        "cover_sub": ParagraphStyle(
            "qcs", parent=base, fontSize=12.5, leading=17, textColor=GREY, spaceAfter=14
        ),
    }


def _table(tb: QbrTable, width: float, st: dict[str, ParagraphStyle]) -> Table:
    n = len(tb.header)
    rel = list(tb.widths) if len(tb.widths) == n else [1.0] * n
    widths = [width * r / sum(rel) for r in rel]
    rows = [[Paragraph(esc(h), st["cellb"]) for h in tb.header]]
    rows += [[Paragraph(esc(c), st["cell"]) for c in row] for row in tb.rows]
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#8A8F98")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return t


def _section(s: QbrSection, width: float, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    head = Heading(esc(s.title), st["h1"], 0, s.key, s.title)
    story: list[Flowable] = [
        CondPageBreak(70 * mm),
        KeepTogether([head, Paragraph(esc(s.message), st["message"])]),
    ]
    for b in s.bullets:
        story.append(Paragraph(esc(b), st["bullet"], bulletText="•"))
    for tb in s.tables:
        story += [Spacer(1, 2 * mm), _table(tb, width, st), Spacer(1, 3 * mm)]
    for ch in s.charts:
        story.append(KeepTogether([_image(ch.png, width * 0.92), Paragraph(esc(ch.caption), st["caption"])]))
    if s.definitions:  # the heading stays with the first definition; the rest may run on
        first, *rest = s.definitions
        story.append(
            KeepTogether(
                [Paragraph("How these figures are measured", st["defs_h"]), Paragraph(esc(first), st["defs"])]
            )
        )
        story += [Paragraph(esc(d), st["defs"]) for d in rest]
    return story


def _cover(r: QbrReport, st: dict[str, ParagraphStyle], width: float, prepared_by: str) -> list[Flowable]:
    rows = cover_rows(  # a field nobody gave is left out
        [
            ("Client", r.client),
            ("Provider", r.provider),
            ("Contract", f"{r.contract_name} — {r.contract_version}"),
            ("Quarter", r.period_text + (" (to date)" if r.partial else "")),
            ("Tickets in the quarter", f"{r.tickets:,}"),
            ("History as of", r.as_of.isoformat()),
            ("Proposal compared", r.proposal_label),
            ("Prepared by", prepared_by),
        ]
    )
    cells = [[Paragraph(esc(k), st["cellb"]), Paragraph(esc(v), st["cell"])] for k, v in rows]
    t = Table(cells, colWidths=[45 * mm, width - 45 * mm], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    contents = [Paragraph("Contents", st["defs_h"])]
    contents += [Paragraph(f"{i}. {esc(s.title)}", st["base"]) for i, s in enumerate(r.sections, 1)]
    return [
        Spacer(1, 8 * mm),
        Paragraph(esc(r.title), st["cover_title"]),
        Paragraph(esc(r.client or r.contract_name), st["cover_sub"]),
        t,
        Spacer(1, 10 * mm),
        *contents,
    ]


def render_qbr_pdf(
    r: QbrReport,
    contract: Contract | None = None,
    progress: ProgressCallback | None = None,
    paper: str = "",
    cover: Cover | None = None,
) -> bytes:
    """The review's PDF bytes (the same report gives the same bytes).  ``paper``: "letter"
    or "a4"; empty: Letter for a client in Canada or the US, A4 elsewhere, else the
    locale's.  ``cover``: the preparer's name and logo on the band (default: the
    provider's name) and "Prepared by"."""
    register_fonts()
    st = _styles()
    cover = cover or Cover()
    buf = io.BytesIO()
    doc = ReportDocTemplate(
        buf,
        pagesize=page_size_for(contract, paper),
        header=f"{r.client or r.contract_name} — quarterly service review, {r.quarter.label}",
        footer=f"{r.contract_name} — {r.contract_version} · history as of {r.as_of.isoformat()}",
        band_subtitle="Quarterly service review",
        cover=Cover(brand=cover.brand or r.provider, logo=cover.logo, prepared_by=cover.prepared_by),
        dated=r.as_of,
        title=f"Quarterly service review {r.quarter.label}: {r.client or r.contract_name}",
        author=cover.prepared_by or r.provider,
        subject=f"{r.contract_name} — {r.contract_version}",
    )
    story: list[Flowable] = _cover(r, st, doc.body_width, cover.prepared_by)
    story += [NextPageTemplate("body"), PageBreak()]
    for s in r.sections:
        story += _section(s, doc.body_width, st)
    report(progress, 0.2, "writing the PDF")
    doc.build(story)
    report(progress, 1.0, "PDF written")
    return buf.getvalue()
