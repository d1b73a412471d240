"""The quarter's review as a PDF (reportlab): a cover, then one section per message of
:class:`workbench.reports.qbr.QbrReport`, each with its tables, charts and the
definitions of its figures.

User text (names, clauses, evidence) passes :func:`esc` before reportlab markup.  The
bytes are reproducible: invariant mode, the document dates are the as-of date, the
charts are deterministic PNGs.  Letter paper for a contract whose calendars keep
Canadian or US holidays, else A4.
"""

from __future__ import annotations

import io
import time
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from models.contract import Contract
from workbench.progress import ProgressCallback, report
from workbench.reports.pdf.document import _fit, _image, esc
from workbench.reports.pdf.fonts import BOLD, FONT, ITALIC, register_fonts
from workbench.reports.qbr import QbrReport, QbrSection, QbrTable

NAVY = colors.HexColor("#14213D")
GREY = colors.HexColor("#5F6368")
RULE = colors.HexColor("#C9CDD3")
HEAD_BG = colors.HexColor("#E8ECF2")
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
TOTAL_FORM = "qbrPageTotal"
LETTER_COUNTRIES = frozenset({"CA", "US"})


def page_size_for(contract: Contract) -> tuple[float, float]:
    """Letter when the contract's calendars keep Canadian or US holidays, else A4."""
    for cal in contract.calendars.values():
        if cal.holidays is not None and cal.holidays.country in LETTER_COUNTRIES:
            return LETTER
    return A4


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


class QbrDocTemplate(BaseDocTemplate):
    """A cover and body pages; a running header, a "page x of y" footer (the total is a
    form filled in once the last page is known) and an outline of the sections."""

    def __init__(
        self,
        buf: io.BytesIO,
        *,
        pagesize: tuple[float, float],
        header: str,
        footer: str,
        date_epoch: int,
        **kw: Any,
    ) -> None:
        super().__init__(
            buf,
            pagesize=pagesize,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            invariant=1,
            **kw,
        )
        self.header_text, self.footer_text = header, footer
        self.date_epoch = date_epoch
        self.page_total = 0
        self._outline_seq = 0
        w, h = pagesize
        self.body_width = w - 2 * MARGIN_X
        body = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            self.body_width,
            h - MARGIN_TOP - MARGIN_BOTTOM,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            self.body_width,
            h - 50 * mm - MARGIN_BOTTOM,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[cover], onPage=self._cover_page),
                PageTemplate(id="body", frames=[body], onPage=self._body_page),
            ]
        )

    def beforeDocument(self) -> None:
        # The document's dates are the as-of date (invariant mode would say 2000-01-01).
        ts = self.canv._doc._timeStamp
        ts.t = self.date_epoch
        ts.lt = time.gmtime(self.date_epoch)
        ts.YMDhms = tuple(ts.lt)[:6]
        ts.dhh = ts.dmm = 0

    def _footer(self, canv: Any) -> None:
        w = self.pagesize[0]
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, MARGIN_BOTTOM - 6 * mm, w - MARGIN_X, MARGIN_BOTTOM - 6 * mm)
        canv.setFont(FONT, 7.5)
        canv.setFillColor(GREY)
        canv.drawString(
            MARGIN_X, MARGIN_BOTTOM - 10 * mm, _fit(self.footer_text, FONT, 7.5, self.body_width - 40 * mm)
        )
        x = w - MARGIN_X - 12
        canv.drawRightString(x, MARGIN_BOTTOM - 10 * mm, f"Page {canv.getPageNumber()} of ")
        canv.translate(x, MARGIN_BOTTOM - 10 * mm)
        canv.doForm(TOTAL_FORM)
        canv.restoreState()
        self.page_total = max(self.page_total, canv.getPageNumber())

    def _cover_page(self, canv: Any, doc: Any) -> None:
        w, h = self.pagesize
        canv.saveState()
        canv.setFillColor(NAVY)
        canv.rect(0, h - 34 * mm, w, 34 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(BOLD, 11)
        canv.drawString(MARGIN_X, h - 18 * mm, _fit(self.header_text, BOLD, 11, self.body_width))
        canv.setFont(FONT, 9)
        canv.drawString(MARGIN_X, h - 24 * mm, "Quarterly service review")
        canv.restoreState()
        self._footer(canv)

    def _body_page(self, canv: Any, doc: Any) -> None:
        w, h = self.pagesize
        canv.saveState()
        canv.setFont(FONT, 7.5)
        canv.setFillColor(GREY)
        top = h - MARGIN_TOP + 8 * mm
        canv.drawString(MARGIN_X, top, _fit(self.header_text, FONT, 7.5, self.body_width))
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, top - 2.5 * mm, w - MARGIN_X, top - 2.5 * mm)
        canv.restoreState()
        self._footer(canv)

    def afterFlowable(self, flowable: Flowable) -> None:
        title = getattr(flowable, "qbr_outline", None)
        if title:
            key = f"s{self._outline_seq}"
            self._outline_seq += 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=0, closed=True)

    def _endBuild(self) -> None:
        self._doSave = 0
        super()._endBuild()
        c = self.canv
        c.beginForm(TOTAL_FORM)
        c.setFont(FONT, 7.5)
        c.setFillColor(GREY)
        c.drawString(0, 0, str(self.page_total))
        c.endForm()
        c.showOutline()
        c.save()


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
    head = Paragraph(esc(s.title), st["h1"])
    head.qbr_outline = s.title  # type: ignore[attr-defined]
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


def _cover(r: QbrReport, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    rows: list[tuple[str, str]] = [
        ("Client", r.client or "not stated"),
        ("Provider", r.provider or "not stated"),
        ("Contract", f"{r.contract_name} — {r.contract_version}"),
        ("Quarter", r.period_text + (" (to date)" if r.partial else "")),
        ("Tickets in the quarter", f"{r.tickets:,}"),
        ("History as of", r.as_of.isoformat()),
    ]
    if r.proposal_label:
        rows.append(("Proposal compared", r.proposal_label))
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
    pagesize: tuple[float, float] | None = None,
) -> bytes:
    """The review's PDF bytes (the same report gives the same bytes)."""
    register_fonts()
    st = _styles()
    size = pagesize or (page_size_for(contract) if contract is not None else A4)
    buf = io.BytesIO()
    from datetime import UTC, datetime

    doc = QbrDocTemplate(
        buf,
        pagesize=size,
        header=f"{r.client or r.contract_name} — quarterly service review, {r.quarter.label}",
        footer=f"{r.contract_name} — {r.contract_version} · history as of {r.as_of.isoformat()}",
        date_epoch=int(datetime(r.as_of.year, r.as_of.month, r.as_of.day, tzinfo=UTC).timestamp()),
        title=f"Quarterly service review {r.quarter.label}: {r.client or r.contract_name}",
        author=r.provider,
        subject=f"{r.contract_name} — {r.contract_version}",
        creator="SLA Workbench",
        producer="SLA Workbench (reportlab)",
    )
    story: list[Flowable] = _cover(r, st, doc.body_width)
    story += [NextPageTemplate("body"), PageBreak()]
    for s in r.sections:
        story += _section(s, doc.body_width, st)
    report(progress, 0.2, "writing the PDF")
    doc.build(story)
    report(progress, 1.0, "PDF written")
    return buf.getvalue()
