"""The page template both PDFs share (the redline review and the quarter's review).

:class:`ReportDocTemplate` is a reportlab ``BaseDocTemplate`` with a cover page and
body pages: the cover's band carries the preparer's (or the provider's) name and logo,
the body pages a running header; every page a footer with "page x of y" (the total is
a form XObject filled in once the last page is known: one pass).  Headings become the
document's outline (:class:`Heading`).  Header and footer lines never get cut: a line
too long for its room is set smaller, then wrapped (:func:`fit_lines`).

Paper: Letter or A4 (:func:`page_size`), chosen by the caller, by the client's country
(Canada and the US use Letter) or, when the contract names no country, by the locale.
The document's dates are the as-of date, never the clock, so the same inputs give the
same bytes.
"""

from __future__ import annotations

import io
import locale
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from workbench.reports.pdf.fonts import BOLD, FONT

NAVY = colors.HexColor("#14213D")
GREY = colors.HexColor("#5F6368")
RULE = colors.HexColor("#C9CDD3")

MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
BAND_H = 34 * mm  # the cover's coloured band
COVER_TOP = 50 * mm  # the cover's frame starts this far below the top edge
TOTAL_FORM = "reportPageTotal"

PAGE_SIZES = {"a4": A4, "letter": LETTER}
LETTER_COUNTRIES = frozenset({"CA", "US"})
# Territories whose paper is Letter (the locale's country when the contract names none).
LETTER_TERRITORIES = frozenset({"CA", "US", "MX", "CL", "CO", "VE", "PH", "GT", "CR", "PR", "DO", "PA"})


def page_size(
    choice: str = "", country: str | None = None, locale_name: str | None = None
) -> tuple[float, float]:
    """Letter or A4: ``choice`` ("letter", "a4") when given; else Letter for a client in
    Canada or the US, A4 for one elsewhere; else the locale's paper (``locale_name``,
    default the process's LC_PAPER/LC_ALL/LANG: "en_CA.UTF-8" is Letter)."""
    if choice:
        try:
            return PAGE_SIZES[choice.lower()]
        except KeyError:
            raise ValueError(f"page size {choice!r}: letter or a4") from None
    if country:
        return LETTER if country.upper() in LETTER_COUNTRIES else A4
    name = locale_name if locale_name is not None else _process_locale()
    territory = name.split(".")[0].split("@")[0].partition("_")[2].upper()
    return LETTER if territory in LETTER_TERRITORIES else A4


def _process_locale() -> str:
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value
    try:
        return locale.getlocale()[0] or ""
    except ValueError:
        return ""


def contract_country(contract: Any) -> str | None:
    """The country of a contract's holiday calendars (the client's, as the contract keeps
    its holidays), or None when none names one."""
    if contract is None:
        return None
    for cal in contract.calendars.values():
        if cal.holidays is not None and cal.holidays.country:
            return str(cal.holidays.country)
    return None


def page_size_for(contract: Any, choice: str = "") -> tuple[float, float]:
    """The paper of a document about ``contract``: ``choice`` when given, else by the
    client's country, else by the locale (:func:`page_size`)."""
    return page_size(choice, contract_country(contract))


def default_paper(contract: Any) -> tuple[str, str]:
    """The paper a document about ``contract`` gets when none is chosen (the rule of
    :func:`page_size_for`), as the key a choice takes ("letter", "a4") and why, in words:
    "the client's country, CA" or "the computer's locale"."""
    country = contract_country(contract)
    size = page_size_for(contract)
    key = next(k for k, v in PAGE_SIZES.items() if v == size)
    return key, f"the client's country, {country}" if country else "the computer's locale"


@dataclass(frozen=True)
class Cover:
    """Who the document comes from, shown on the cover's band: a name (the preparer's firm,
    else the provider) and a logo (PNG or JPEG bytes), and the person who prepared it."""

    brand: str = ""
    logo: bytes | None = None
    prepared_by: str = ""


def fit_lines(
    text: str, font: str, size: float, width: float, min_size: float = 6.0, max_lines: int = 3
) -> tuple[float, list[str]]:
    """A line of ``text`` for ``width`` points: at ``size`` when it fits, else smaller down to
    ``min_size``, else wrapped at ``min_size`` on as few lines as it takes (at most
    ``max_lines``, the size shrinking further if even those are too few).  No text is lost."""
    s = size
    while s > min_size and stringWidth(text, font, s) > width:
        s = max(min_size, s - 0.25)
    if stringWidth(text, font, s) <= width:
        return s, [text]
    while True:
        lines = simpleSplit(text, font, s, width)
        if (len(lines) <= max_lines and all(stringWidth(x, font, s) <= width for x in lines)) or s <= 3:
            return s, lines
        s -= 0.25


class Heading(Paragraph):
    """A paragraph that also becomes an outline entry (bookmark).

    A heading too long for the rest of a page splits like any paragraph: reportlab builds
    the parts through this class with its own keywords, and only the first part keeps the
    outline entry."""

    def __init__(
        self, text: str | None, style: ParagraphStyle, level: int = 0, key: str = "", outline: str = "",
        **kw: Any,
    ) -> None:
        super().__init__(text, style, **kw)
        self.outline_level = level
        self.outline_key = key
        self.outline_text = outline

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = list(super().split(availWidth, availHeight))
        if parts and isinstance(parts[0], Heading):
            parts[0].outline_level, parts[0].outline_text = self.outline_level, self.outline_text
        return parts


def date_epoch(d: date) -> int:
    """Midnight UTC of a date (the PDF's creation and modification dates)."""
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


class ReportDocTemplate(BaseDocTemplate):
    """Cover and body page templates; cover band, running header, footer with page x of
    y; an outline from the :class:`Heading` flowables; dated ``dated`` (midnight UTC).

    ``body_width``: the width of the text (default: the page less its side margins); a
    layout drawn for one width on both papers passes it and the page centres it."""

    def __init__(
        self,
        buf: io.BytesIO,
        *,
        pagesize: tuple[float, float],
        header: str,
        footer: str,
        band_subtitle: str,
        cover: Cover | None = None,
        status: str = "",
        dated: date | None = None,
        body_width: float | None = None,
        cover_inset: float = 0.0,
        **meta: Any,
    ) -> None:
        meta.setdefault("creator", "SLA Workbench")
        meta.setdefault("producer", "SLA Workbench (reportlab)")
        w, h = pagesize
        self.body_width = body_width if body_width is not None else w - 2 * MARGIN_X
        self.margin_x = (w - self.body_width) / 2
        super().__init__(
            buf,
            pagesize=pagesize,
            leftMargin=self.margin_x,
            rightMargin=self.margin_x,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            invariant=1,
            **meta,
        )
        self.header_text, self.footer_text, self.status_text = header, footer, status
        self.band_subtitle = band_subtitle
        self.cover_info = cover = cover or Cover()
        self.date_epoch = None if dated is None else date_epoch(dated)
        self.body_height = h - MARGIN_TOP - MARGIN_BOTTOM
        self.cover_height = h - COVER_TOP - MARGIN_BOTTOM
        self.cover_inset = cover_inset
        self.page_total = 0
        self._outline_seq = 0
        self._logo = ImageReader(io.BytesIO(cover.logo)) if cover.logo else None
        pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
        body = Frame(self.margin_x, MARGIN_BOTTOM, self.body_width, self.body_height, id="body", **pad)
        cover_frame = Frame(
            self.margin_x + cover_inset,
            MARGIN_BOTTOM,
            self.body_width - 2 * cover_inset,
            self.cover_height,
            id="cover",
            **pad,
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[cover_frame], onPage=self._cover_page),
                PageTemplate(id="body", frames=[body], onPage=self._body_page),
            ]
        )

    # dates ----------------------------------------------------------------------
    def beforeDocument(self) -> None:
        if self.date_epoch is None:
            return
        # invariant mode would date the document 2000-01-01: it is dated by the as-of date
        ts = self.canv._doc._timeStamp
        ts.t = self.date_epoch
        ts.lt = time.gmtime(self.date_epoch)
        ts.YMDhms = tuple(ts.lt)[:6]
        ts.dhh = ts.dmm = 0

    # page decorations -----------------------------------------------------------
    def _lines(self, canv: Any, x: float, y: float, text: str, font: str, size: float, width: float,
               up: bool = True, right: bool = False) -> None:
        """``text`` fitted to ``width`` (smaller, then wrapped); the first line at ``y``,
        the others above it (``up``) or below."""
        s, lines = fit_lines(text, font, size, width)
        canv.setFont(font, s)
        step = s * 1.15
        order = list(reversed(lines)) if up else lines
        for k, line in enumerate(order):
            yy = y + k * step if up else y - k * step
            if right:
                canv.drawRightString(x, yy, line)
            else:
                canv.drawString(x, yy, line)

    def _footer(self, canv: Any) -> None:
        w = self.pagesize[0]
        x0, x1 = self.margin_x, w - self.margin_x
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(x0, MARGIN_BOTTOM - 6 * mm, x1, MARGIN_BOTTOM - 6 * mm)
        canv.setFillColor(GREY)
        y = MARGIN_BOTTOM - 10 * mm
        self._lines(canv, x0, y, self.footer_text, FONT, 7.5, self.body_width - 40 * mm, up=False)
        # right-aligned "Page x of y": y's width is unknown yet, so room is kept for it
        canv.setFont(FONT, 7.5)
        x = x1 - 12
        canv.drawRightString(x, y, f"Page {canv.getPageNumber()} of ")
        canv.translate(x, y)
        canv.doForm(TOTAL_FORM)
        canv.restoreState()
        self.page_total = max(self.page_total, canv.getPageNumber())

    def _cover_page(self, canv: Any, doc: Any) -> None:
        w, h = self.pagesize
        x0 = self.margin_x + self.cover_inset
        x1 = w - self.margin_x - self.cover_inset
        canv.saveState()
        canv.setFillColor(NAVY)
        canv.rect(0, h - BAND_H, w, BAND_H, stroke=0, fill=1)
        status_w = 0.0
        if self.status_text:
            canv.setFillColor(colors.white)
            canv.setFont(BOLD, 11)
            canv.drawRightString(x1, h - 18 * mm, self.status_text)
            status_w = stringWidth(self.status_text, BOLD, 11) + 6 * mm
        x = x0
        if self._logo is not None:  # on a white plate: a logo is drawn for a light background
            iw, ih = self._logo.getSize()
            lh = 20 * mm
            lw = min(lh * iw / max(ih, 1), 60 * mm)
            lh = lw * ih / max(iw, 1)
            pad = 2 * mm
            top = h - (BAND_H - lh) / 2
            canv.setFillColor(colors.white)
            canv.roundRect(x - pad, top - lh - pad, lw + 2 * pad, lh + 2 * pad, 1.5 * mm, stroke=0, fill=1)
            canv.drawImage(self._logo, x, top - lh, lw, lh, mask="auto")
            x += lw + 2 * pad + 5 * mm
        room = x1 - status_w - x
        canv.setFillColor(colors.white)
        if self.cover_info.brand:
            self._lines(canv, x, h - 18 * mm, self.cover_info.brand, BOLD, 11, room)
        canv.setFillColor(colors.HexColor("#D6DCE8"))
        self._lines(canv, x, h - 24 * mm, self.band_subtitle, FONT, 9, room, up=False)
        canv.restoreState()
        self._footer(canv)

    def _body_page(self, canv: Any, doc: Any) -> None:
        w, h = self.pagesize
        x0, x1 = self.margin_x, w - self.margin_x
        canv.saveState()
        canv.setFillColor(GREY)
        top = h - MARGIN_TOP + 8 * mm
        status_w = 0.0
        if self.status_text:
            canv.setFont(BOLD, 7.5)
            canv.drawRightString(x1, top, self.status_text)
            status_w = stringWidth(self.status_text, BOLD, 7.5) + 6 * mm
        self._lines(canv, x0, top, self.header_text, FONT, 7.5, self.body_width - status_w)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(x0, top - 2.5 * mm, x1, top - 2.5 * mm)
        canv.restoreState()
        self._footer(canv)

    # outline --------------------------------------------------------------------
    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading) and flowable.outline_text:
            key = f"h{self._outline_seq}"
            self._outline_seq += 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, level=flowable.outline_level, closed=True)

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


def cover_rows(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The cover's rows without the empty ones (a field nobody gave is left out, never
    printed as "not stated")."""
    return [(k, v) for k, v in rows if v and v.strip()]


LOGO_MAX_BYTES = 2_000_000
LOGO_FORMATS = ("PNG", "JPEG")


def read_logo(path: str | os.PathLike[str]) -> bytes:
    """A logo file's bytes, checked to be a PNG or JPEG picture of at most 2 MB; a
    ValueError in one line otherwise (the file's name, what is wrong)."""
    from pathlib import Path

    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise ValueError(f"{p.name}: not a file")
        if size > LOGO_MAX_BYTES:
            raise ValueError(f"{p.name}: a logo is at most 2 MB ({size:,} bytes)")
        data = p.read_bytes()
    except OSError as exc:
        raise ValueError(f"{p.name}: cannot read the logo: {exc.strerror or exc}") from None
    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValueError(f"{p.name}: not a PNG or JPEG picture") from None
    if fmt not in LOGO_FORMATS:
        raise ValueError(f"{p.name}: a {fmt} picture; the logo must be PNG or JPEG")
    return data
