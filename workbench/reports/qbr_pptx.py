"""The quarter's review as a slide deck (python-pptx): one message per slide.

Each section of :class:`workbench.reports.qbr.QbrReport` becomes a slide whose title
is its message; a long table continues on further slides, each chart gets a slide of
its own, and the notes of every slide carry the definitions of its figures.  Charts
are the report's PNG images.  The deck's core properties and its package members carry
the as-of date, not the time it was written, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from workbench.progress import ProgressCallback, report
from workbench.reports.pdf.template import Cover, cover_rows
from workbench.reports.qbr import QbrChart, QbrReport, QbrSection, QbrTable

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.5
BODY_TOP_IN = 1.55
NAVY = (0x14, 0x21, 0x3D)
BLUE = (0x1F, 0x4F, 0xD0)
GREY = (0x5F, 0x63, 0x68)
HEAD_BG = (0xE8, 0xEC, 0xF2)
TABLE_HEIGHT_IN = 4.9  # the room for a table on one slide
ROW_IN, LINE_IN, MIN_ROW_IN = 0.08, 0.165, 0.25  # a row's padding, one line of 10 pt text, a row at least
SAFETY = 1.15
CHARS_PER_INCH = 14  # 10 pt text


def _rgb(c: tuple[int, int, int]) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor(*c)


def _lines(text: str, width_in: float) -> int:
    per_line = max(int(width_in * CHARS_PER_INCH), 4)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n")) or 1


def _row_in(cells: Sequence[str], widths: Sequence[float]) -> float:
    return max(MIN_ROW_IN, ROW_IN + LINE_IN * max(_lines(c, w) for c, w in zip(cells, widths, strict=True)))


def _height_in(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> float:
    """A table's estimated height, with a margin for a renderer that wraps sooner."""
    return SAFETY * (_row_in(header, widths) + sum(_row_in(r, widths) for r in rows))


def table_pages(
    tb: QbrTable, width_in: float, budget: float = TABLE_HEIGHT_IN
) -> list[tuple[tuple[str, ...], ...]]:
    """The rows of ``tb`` cut into slides of at most ``budget`` inches of estimated
    height (the header repeats on each)."""
    widths = _widths(tb, width_in)
    head = _row_in(tb.header, widths)
    pages: list[tuple[tuple[str, ...], ...]] = []
    page: list[tuple[str, ...]] = []
    used = head
    for row in tb.rows:
        n = _row_in(row, widths)
        if page and used + n > budget:
            pages.append(tuple(page))
            page, used = [], head
        page.append(row)
        used += n
    if page or not pages:
        pages.append(tuple(page))
    return pages


def _widths(tb: QbrTable, width_in: float) -> list[float]:
    n = len(tb.header)
    rel = list(tb.widths) if len(tb.widths) == n else [1.0] * n
    return [width_in * r / sum(rel) for r in rel]


class _Deck:
    def __init__(self, r: QbrReport, cover: Cover | None = None) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.r = r
        self.cover_info = cover or Cover()
        self.prs = Presentation()
        self.prs.slide_width = Inches(SLIDE_W_IN)
        self.prs.slide_height = Inches(SLIDE_H_IN)
        self.blank = self.prs.slide_layouts[6]
        self.number = 0

    def _text(
        self,
        slide: Any,
        text: str,
        left: float,
        top: float,
        width: float,
        height: float,
        size: float,
        bold: bool = False,
        colour: tuple[int, int, int] = NAVY,
    ) -> Any:
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        tf = box.text_frame
        tf.word_wrap = True
        p = tf.paragraphs[0]
        run = p.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
        return box

    def slide(self, kicker: str, message: str, notes: Sequence[str]) -> Any:
        s = self.prs.slides.add_slide(self.blank)
        self.number += 1
        w = SLIDE_W_IN - 2 * MARGIN_IN
        self._text(s, kicker.upper(), MARGIN_IN, 0.3, w, 0.3, 11, bold=True, colour=GREY)
        self._text(
            s, message, MARGIN_IN, 0.6, w, 0.9, 20 if len(message) <= 100 else 16, bold=True, colour=NAVY
        )
        foot = (
            f"{self.r.client or self.r.contract_name} · {self.r.quarter.label} · history as of "
            f"{self.r.as_of.isoformat()} · {self.number}"
        )
        self._text(s, foot, MARGIN_IN, SLIDE_H_IN - 0.4, w, 0.3, 9, colour=GREY)
        s.notes_slide.notes_text_frame.text = "\n".join(notes)
        return s

    def bullets(self, slide: Any, items: Sequence[str], top: float, height: float) -> None:
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(
            Inches(MARGIN_IN), Inches(top), Inches(SLIDE_W_IN - 2 * MARGIN_IN), Inches(height)
        )
        tf = box.text_frame
        tf.word_wrap = True
        for i, item in enumerate(items):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = p.add_run()
            run.text = "• " + item
            run.font.size = Pt(14)
            run.font.color.rgb = _rgb((0x22, 0x22, 0x22))
            p.space_after = Pt(6)

    def table(
        self,
        slide: Any,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        top: float,
        widths: Sequence[float],
    ) -> None:
        from pptx.util import Inches, Pt

        shape = slide.shapes.add_table(
            len(rows) + 1,
            len(header),
            Inches(MARGIN_IN),
            Inches(top),
            Inches(sum(widths)),
            Inches(0.3 * (len(rows) + 1)),
        )
        t = shape.table
        for j, w in enumerate(widths):
            t.columns[j].width = Inches(w)
        for i, row in enumerate([header, *rows]):
            t.rows[i].height = Inches(0.25)
            for j, text in enumerate(row):
                cell = t.cell(i, j)
                cell.text = text
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                para = cell.text_frame.paragraphs[0]
                for run in para.runs:
                    run.font.size = Pt(10)
                    run.font.bold = i == 0
                    run.font.color.rgb = _rgb(NAVY if i == 0 else (0x22, 0x22, 0x22))
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(HEAD_BG if i == 0 else (0xFF, 0xFF, 0xFF))

    def picture(self, slide: Any, ch: QbrChart, top: float) -> None:
        from PIL import Image
        from pptx.util import Inches

        with Image.open(io.BytesIO(ch.png)) as im:
            iw, ih = im.size
        max_w, max_h = SLIDE_W_IN - 2 * MARGIN_IN, SLIDE_H_IN - top - 0.9
        w = min(max_w, max_h * iw / ih)
        left = (SLIDE_W_IN - w) / 2
        slide.shapes.add_picture(io.BytesIO(ch.png), Inches(left), Inches(top), width=Inches(w))
        self._text(
            slide, ch.caption, MARGIN_IN, SLIDE_H_IN - 0.85, SLIDE_W_IN - 2 * MARGIN_IN, 0.4, 10, colour=GREY
        )

    def section(self, sec: QbrSection) -> None:
        """The section's slides: its tables one under the other while they fit (a long one
        continues on further slides), its bullets under them or on a slide of their own,
        then one slide per chart."""
        notes = list(sec.definitions)
        width = SLIDE_W_IN - 2 * MARGIN_IN
        bottom = BODY_TOP_IN + 0.1 + TABLE_HEIGHT_IN
        slide, y = None, bottom  # the open slide and where its next block goes
        for tb in sec.tables:
            widths = _widths(tb, width)
            height = _height_in(tb.header, tb.rows, widths)
            if slide is not None and y + 0.25 + height <= bottom:
                self.table(slide, tb.header, tb.rows, y + 0.25, widths)
                y += 0.25 + height
                continue
            pages = table_pages(tb, width)
            for k, rows in enumerate(pages):
                title = sec.title + (f" ({k + 1}/{len(pages)})" if len(pages) > 1 else "")
                slide = self.slide(title, sec.message, notes)
                self.table(slide, tb.header, rows, BODY_TOP_IN + 0.1, widths)
                y = BODY_TOP_IN + 0.1 + _height_in(tb.header, rows, widths)
        if sec.bullets:
            room = SLIDE_H_IN - 0.6 - (y + 0.3)
            if slide is None or room < 0.45 * len(sec.bullets):
                slide, y = self.slide(sec.title, sec.message, notes), BODY_TOP_IN - 0.2
            self.bullets(slide, sec.bullets, y + 0.3, SLIDE_H_IN - 0.6 - (y + 0.3))
        elif slide is None and not sec.charts:
            self.slide(sec.title, sec.message, notes)
        for ch in sec.charts:
            s = self.slide(sec.title, ch.title, [ch.caption, *notes])
            self.picture(s, ch, BODY_TOP_IN)

    def cover(self) -> None:
        r = self.r
        s = self.prs.slides.add_slide(self.blank)
        self.number += 1
        w = SLIDE_W_IN - 2 * MARGIN_IN
        c = self.cover_info
        x = MARGIN_IN
        if c.logo:  # the preparer's logo, 0.8 in high, beside its name
            from pptx.util import Inches

            pic = s.shapes.add_picture(io.BytesIO(c.logo), Inches(MARGIN_IN), Inches(0.5), height=Inches(0.8))
            if pic.width > Inches(3):  # a wide logo: at most 3 in wide
                pic.height = int(pic.height * Inches(3) / pic.width)
                pic.width = Inches(3)
            x = MARGIN_IN + pic.width / 914400 + 0.25
        brand = c.brand or r.provider
        if brand:
            self._text(s, brand, x, 0.65, SLIDE_W_IN - MARGIN_IN - x, 0.5, 18, bold=True, colour=GREY)
        self._text(s, "QUARTERLY SERVICE REVIEW", MARGIN_IN, 1.6, w, 0.4, 14, bold=True, colour=GREY)
        self._text(
            s, f"{r.client or r.contract_name} — {r.quarter.label}", MARGIN_IN, 2.1, w, 1.0, 36, bold=True
        )
        lines = [  # a field nobody gave is left out
            f"{k}: {v}" if k else v
            for k, v in cover_rows(
                [
                    ("Provider", r.provider),
                    ("Contract", f"{r.contract_name} — {r.contract_version}"),
                    ("Quarter", r.period_text + (" (to date)" if r.partial else "")),
                    ("", f"{r.tickets:,} tickets opened in the quarter; history as of {r.as_of.isoformat()}"),
                    ("Proposal compared", r.proposal_label),
                    ("Prepared by", c.prepared_by),
                ]
            )
        ]
        self._text(s, "\n".join(lines), MARGIN_IN, 3.5, w, 2.4, 16, colour=(0x22, 0x22, 0x22))
        s.notes_slide.notes_text_frame.text = (
            "Every figure names its quarter and the number of tickets it is measured on; "
            "'not measured' means the data holds no such figure."
        )

    def save(self) -> bytes:
        r = self.r
        props = self.prs.core_properties
        stamp = datetime(r.as_of.year, r.as_of.month, r.as_of.day, tzinfo=UTC).replace(tzinfo=None)
        props.title = r.title
        props.author = self.cover_info.prepared_by or r.provider
        props.subject = f"{r.contract_name} — {r.contract_version}"
        props.created = props.modified = stamp
        props.last_modified_by = r.provider
        props.revision = 1
        buf = io.BytesIO()
        self.prs.save(buf)
        return _stamped(buf.getvalue(), (r.as_of.year, r.as_of.month, r.as_of.day, 0, 0, 0))


def _stamped(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The package with every member dated ``date_time`` (the zip writer dates them with
    the clock): the same report gives the same bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def render_qbr_pptx(
    r: QbrReport, progress: ProgressCallback | None = None, cover: Cover | None = None
) -> bytes:
    """The review's slide deck as .pptx bytes; ``cover``: the preparer's name and logo on
    the first slide (default: the provider's name) and "Prepared by"."""
    deck = _Deck(r, cover)
    deck.cover()
    for i, sec in enumerate(r.sections):
        report(progress, i / max(len(r.sections), 1), "writing the slides")
        deck.section(sec)
    data = deck.save()
    report(progress, 1.0, "slides written")
    return data
