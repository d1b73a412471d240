"""The redline review PDF (reportlab).

The pages (cover band, running header, "page x of y" footer, outline, dates) are
:class:`workbench.reports.pdf.template.ReportDocTemplate`'s, shared with the quarter's
review.  :func:`render_redline` lays out the story: cover, change summary with the
user's rationale and the simulated effect, redlined clauses, warning signs, charts,
KPIs and a signature block.

All user text (clauses, names, rationale) passes :func:`esc` before it reaches
reportlab's paragraph markup.  The output is reproducible: invariant mode, no wall
clock (the dates are given), deterministic chart PNGs.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from workbench.app.redline import ADMINISTRATIVE
from workbench.documents.diff import ClauseChange, ContractDiff, Segment, TermChange, clause_title
from workbench.progress import ProgressCallback, report, scaled
from workbench.reports.pdf.fonts import BOLD, FONT, ITALIC, register_fonts
from workbench.reports.pdf.summary import ExecutiveSummary, administrative_line
from workbench.reports.pdf.template import (
    COVER_TOP,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    Cover,
    Heading,
    ReportDocTemplate,
    cover_rows,
    page_size_for,
)
from workbench.warnings.base import Finding

DEL_COLOUR = colors.HexColor("#C00000")
INS_COLOUR = colors.HexColor("#1F4FD0")
MOVE_COLOUR = colors.HexColor("#2E7D32")
GREY = colors.HexColor("#5F6368")
RULE = colors.HexColor("#C9CDD3")
HEAD_BG = colors.HexColor("#E8ECF2")
DEL_HEX, INS_HEX, MOVE_HEX = "#C00000", "#1F4FD0", "#2E7D32"

# One text width on both papers (A4's, centred on Letter); the heights are the shorter
# paper's (Letter's), so that a row that fits one page fits on either.
BODY_W = A4[0] - 2 * MARGIN_X
BODY_H = min(A4[1], LETTER[1]) - MARGIN_TOP - MARGIN_BOTTOM
COVER_H = min(A4[1], LETTER[1]) - COVER_TOP - MARGIN_BOTTOM


def esc(text: object) -> str:
    """User text made literal for reportlab markup (``<b>``, ``&``, ``<font`` print as is)."""
    return escape(str(text))


def esc_lines(text: str) -> str:
    return "<br/>".join(esc(line) for line in text.split("\n"))


@dataclass(frozen=True)
class RedlineOptions:
    """What the caller decides; no default reads the clock."""

    as_of: date
    prepared_on: date
    prepared_by: str = ""
    final: bool = False
    rationale: Mapping[str, str] = field(default_factory=dict)
    title: str = "Contract redline and change review"
    as_of_instant: int | None = None  # an exact as-of instant (epoch s); None: as_of's midnight UTC
    brand: str = ""  # the preparer's firm on the cover's band (default: the provider)
    logo: bytes | None = None  # PNG or JPEG shown on the cover's band
    page_size: str = ""  # "letter", "a4"; empty: by the client's country, else the locale

    def as_of_text(self) -> str:
        """The as-of as shown: the date, or the instant (UTC) when one was given."""
        if self.as_of_instant is None:
            return self.as_of.isoformat()
        at = datetime.fromtimestamp(self.as_of_instant, UTC)
        if (at.hour, at.minute, at.second) == (0, 0, 0):
            return at.date().isoformat()
        return at.strftime("%Y-%m-%d %H:%M:%S UTC") if at.second else at.strftime("%Y-%m-%d %H:%M UTC")


# ----------------------------------------------------------------------- styles


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.6, spaceAfter=3)
    s = {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.2, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0),
        "muted": ParagraphStyle("muted", parent=base, fontSize=8.5, leading=11, textColor=GREY),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=4,
            spaceAfter=8,
            textColor=colors.HexColor("#14213D"),
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            textColor=colors.HexColor("#14213D"),
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=9, spaceAfter=2
        ),
        "tag": ParagraphStyle(
            "tag", parent=base, fontName=BOLD, fontSize=7.5, leading=10, spaceAfter=2, textColor=GREY
        ),
        "clause": ParagraphStyle(
            "clause",
            parent=base,
            fontSize=9.5,
            leading=13,
            spaceAfter=2,
            strikeWidth=0.8,
            underlineWidth=0.7,
            underlineOffset="-0.15*F",
        ),
        "cover_title": ParagraphStyle(
            "cover_title",
            parent=base,
            fontName=BOLD,
            fontSize=24,
            leading=30,
            spaceAfter=6,
            textColor=colors.HexColor("#14213D"),
        ),
        "cover_sub": ParagraphStyle(
            "cover_sub", parent=base, fontSize=12.5, leading=17, textColor=GREY, spaceAfter=14
        ),
        "stamp": ParagraphStyle(
            "stamp",
            parent=base,
            fontName=BOLD,
            fontSize=13,
            leading=16,
            alignment=TA_CENTER,
            textColor=colors.white,
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName=ITALIC,
            fontSize=8,
            leading=10,
            textColor=GREY,
            alignment=TA_CENTER,
            spaceAfter=8,
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }
    return s


# -------------------------------------------------------------------- redline markup


def segments_markup(segments: Sequence[Segment], equal_colour: str | None = None) -> str:
    """Paragraph markup of a word diff: deletions red and struck, insertions blue and
    underlined; whitespace between a run and its neighbour stays unstyled."""
    out: list[str] = []
    prev_op = ""
    for seg in segments:
        toks = list(seg.tokens)
        # the run's leading whitespace goes outside the styling; a replacement that
        # has none (at the start of a text) still gets a space between old and new
        lead = toks[0].space if toks else ""
        if not lead and {prev_op, seg.op} == {"delete", "insert"}:
            lead = " "
        prev_op = seg.op
        body_parts = []
        for k, t in enumerate(toks):
            body_parts.append(("" if k == 0 else t.space) + t.text)
        body = "".join(body_parts)
        out.append(_ws(lead))
        if not body:
            continue
        lines = body.split("\n")
        for n, line in enumerate(lines):
            if n:
                out.append("<br/>")
            stripped = line.strip()
            if not stripped:
                continue
            pre = line[: len(line) - len(line.lstrip())]
            post = line[len(line.rstrip()) :]
            out.append(_ws(pre))
            text = esc(stripped)
            if seg.op == "delete":
                out.append(f'<font color="{DEL_HEX}"><strike>{text}</strike></font>')
            elif seg.op == "insert":
                out.append(f'<font color="{INS_HEX}"><u>{text}</u></font>')
            elif equal_colour:
                out.append(f'<font color="{equal_colour}">{text}</font>')
            else:
                out.append(text)
            out.append(_ws(post))
    return "".join(out)


def _ws(space: str) -> str:
    if not space:
        return ""
    if "\n" in space:
        return "<br/>" * min(space.count("\n"), 2)
    return " "


def _whole(text: str, op: str) -> str:
    from workbench.documents.diff import tokenize

    return segments_markup([Segment(op, tuple(tokenize(text)))])  # type: ignore[arg-type]


# ------------------------------------------------------------------------- story


class SplittingTable(Table):
    """A table whose rows move whole to the next page, except a row taller than a whole
    page (a long rationale, hundreds of holidays): that one is split inside, across as
    many pages as it needs, instead of failing the layout."""

    frame_height = BODY_H

    def _calc_height(self, availHeight: float, availWidth: float, H: Any = None, W: Any = None) -> None:
        """reportlab measures every row again on each wrap and split of a table whose row
        heights were not given (and finds each next row to measure by a scan from the top):
        a table of thousands of rows, one per changed clause, was measured three times over
        before its first page.  The columns have fixed widths, so a row's height does not
        change: once every row is measured, the heights and row positions are kept and not
        worked out again (the parts split off a long table are new tables, which reportlab
        gives the measured heights), and the layout is the same."""
        if getattr(self, "_measured", False):
            return
        super()._calc_height(availHeight, availWidth, H=H, W=W)
        fixed = all(isinstance(w, (int, float)) for w in self._argW)
        if fixed and None not in self._rowHeights and self._hmax == len(self._rowHeights):
            self._measured = True

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if not getattr(self, "splitInRow", 0):
            self._calc(availWidth, availHeight)
            rr = self.repeatRows
            head = rr if isinstance(rr, int) else max(rr, default=-1) + 1
            room = self.frame_height - sum(self._rowHeights[:head])
            if any(h > room for h in self._rowHeights[head:]):
                self.splitInRow = 1
        return list(super().split(availWidth, availHeight))


class GroupedTable(SplittingTable):
    """A table whose group heading rows (``keep_rows``) never end a page: the page
    break moves above such a row so it stays with the rows it introduces."""

    keep_rows: frozenset[int] = frozenset()
    _split_at = 0

    def _getFirstPossibleSplitRowPosition(self, availHeight: float, ignoreSpans: int = 0) -> int:
        n = int(super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=ignoreSpans))
        head = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        while n - 1 in self.keep_rows and n - 1 > head:
            n -= 1
        self._split_at = n
        return n

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and self.keep_rows:
            head = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
            rest = parts[1]
            if not isinstance(rest, GroupedTable):
                rest.__class__ = GroupedTable
            rest.keep_rows = frozenset(
                r - self._split_at + head for r in self.keep_rows if r >= self._split_at
            )
        return parts


def _table(rows: list[list[Any]], widths: list[float], header_rows: int = 1) -> Table:
    t = GroupedTable(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, colors.HexColor("#8A8F98")),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    t.setStyle(TableStyle(style))
    return t


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


@dataclass
class _Ctx:
    st: dict[str, ParagraphStyle]
    opts: RedlineOptions


def _cover(diff: ContractDiff, ctx: _Ctx, measured_note: str, history_given: bool = True) -> list[Flowable]:
    st, o = ctx.st, ctx.opts
    new, old = diff.new, diff.old
    ct = new.contract or old.contract
    name = ct.name if ct else new.title
    story: list[Flowable] = [
        Spacer(1, 8 * mm),
        Heading(esc(name), st["cover_title"], 0, "cover", "Cover"),
        _p(
            "Redline of the proposed version against the current one, with the reason and the measured "
            "effect of every change",
            st["cover_sub"],
        ),
    ]
    parties = list(new.parties or old.parties)
    # no file paths on the cover: the versions are named by their titles
    fields = cover_rows(
        [
            ("Parties", " — ".join(parties)),
            ("Current version", old.title),
            ("Proposed version", new.title),
            ("History as of", o.as_of_text() if history_given else "no ticket history given"),
            ("Ticket history", measured_note),
            ("Prepared by", o.prepared_by),
            ("Prepared on", o.prepared_on.isoformat()),
            ("Status", "FINAL" if o.final else "DRAFT — for discussion, not for signature"),
        ]
    )
    rows = [[_p(esc(k), st["cellb"]), _p(esc(v), st["cell"])] for k, v in fields]
    t = SplittingTable(rows, colWidths=[38 * mm, BODY_W - 12 * mm - 38 * mm], hAlign="LEFT")
    t.frame_height = COVER_H
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
    story.append(t)
    n_terms = len(diff.terms)
    counts: dict[str, int] = {}
    for c in diff.clauses:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    story.append(Spacer(1, 8 * mm))
    story.append(
        _p(
            f"<b>{n_terms}</b> structured term change{'s' if n_terms != 1 else ''}; clauses: "
            + ", ".join(
                f"<b>{counts.get(k, 0)}</b> {k}"
                for k in ("changed", "added", "removed", "moved", "unchanged")
            ),
            st["base"],
        )
    )
    legend = (
        f'How to read the redline: <font color="{DEL_HEX}"><strike>deleted text</strike></font> is struck '
        f'through in red, <font color="{INS_HEX}"><u>inserted text</u></font> is underlined in blue, '
        f'<font color="{MOVE_HEX}">moved clauses</font> are marked in green with their former place.'
    )
    story.append(_p(legend, ctx.st["muted"]))
    return story


def summary_column_widths() -> list[float]:
    """Widths of the change summary's columns (#, change, rationale, effect), from the left margin."""
    rest = BODY_W - 9 * mm
    return [9 * mm, 0.40 * rest, 0.27 * rest, 0.33 * rest]


def _summary(diff: ContractDiff, ctx: _Ctx, effects: Mapping[str, str], effect_note: str) -> list[Flowable]:
    st = ctx.st
    story: list[Flowable] = [Heading("1 Summary of changes", st["h1"], 0, "summary", "1 Summary of changes")]
    story.append(_p(esc(effect_note), st["muted"]))
    if diff.old.extracted or diff.new.extracted:
        story.append(
            _p(
                "The structured terms of a document were read out of its text by the extractor and "
                "have not been confirmed: check them against the redlined clauses.",
                st["muted"],
            )
        )
    admin = administrative_line(diff.terms, ctx.opts.rationale)
    if admin:  # the agreement's own bookkeeping: one line, not numbered changes, with any reason given
        story.append(_p("<b>Administrative changes:</b> " + esc(admin) + ".", st["base"]))
    head = [_p(x, st["cellb"]) for x in ("#", "Change", "Rationale", "Effect on the history")]
    rows: list[list[Any]] = [head]
    widths = summary_column_widths()
    n = 0
    section = None
    section_rows: list[int] = []
    for tc in (t for t in diff.terms if t.key not in ADMINISTRATIVE):
        if tc.section != section:
            section = tc.section
            rows.append([_p(f"<b>{esc(section)}</b>", st["cell"]), "", "", ""])
            section_rows.append(len(rows) - 1)
        n += 1
        rows.append(
            [
                _p(str(n), st["cell"]),
                _p(_term_markup(tc), st["cell"]),
                _p(esc_lines(ctx.opts.rationale.get(tc.key, "")), st["cell"]),
                _p(esc(effects.get(tc.key, "")), st["cell"]),
            ]
        )
    changed = [c for c in diff.clauses if c.kind != "unchanged"]
    if changed:
        rows.append([_p("<b>Clauses</b>", st["cell"]), "", "", ""])
        section_rows.append(len(rows) - 1)
    for cc in changed:
        n += 1
        rows.append(
            [
                _p(str(n), st["cell"]),
                _p(_clause_summary_markup(cc), st["cell"]),
                _p(esc_lines(ctx.opts.rationale.get(cc.key, "")), st["cell"]),
                _p("", st["cell"]),
            ]
        )
    if n == 0:
        story.append(_p("The two versions are identical." if not admin else
                        "No other change.", st["base"]))
        return story
    t = _table(rows, widths)
    assert isinstance(t, GroupedTable)
    t.keep_rows = frozenset(section_rows)
    extra = []
    for r in section_rows:
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F4F6F9"))]
    t.setStyle(TableStyle(extra))
    story.append(t)
    return story


def _numbered(n: int, markup: str, style: ParagraphStyle) -> Paragraph:
    hang = ParagraphStyle(f"{style.name}-hang", parent=style, leftIndent=14, firstLineIndent=-14)
    return _p(f"<b>{n}</b>&nbsp;&nbsp;{markup}", hang)


def _executive(es: ExecutiveSummary, ctx: _Ctx) -> list[Flowable]:
    """The executive summary page: the material changes ranked by their own effect, the
    effect of all of them together, the administrative changes in one line, the warning
    signs left in the proposed version and what to ask for."""
    st = ctx.st

    def section(title: str, key: str, body: list[Flowable]) -> KeepTogether:
        return KeepTogether([Heading(title, st["h2"], 1, key, title), *body[:2]])

    story: list[Flowable] = [Heading("Executive summary", st["h1"], 0, "executive", "Executive summary")]
    if es.measured:
        story.append(_p(esc(es.note), st["muted"]))
    else:
        story.append(_p("No ticket history was supplied, so the changes are stated without their effect: "
                        "they are listed in the agreement's order.", st["muted"]))
    body: list[Flowable] = [_numbered(k, esc(item), st["base"]) for k, item in enumerate(es.items, 1)]
    if not es.items:
        body.append(_p("None: the versions differ only in their administrative details.", st["base"]))
    if es.further > 0:
        if es.measured:
            tail = (f", {es.further_measured} of them with a smaller measured effect"
                    if es.further_measured else ", none of them with a measured effect on the history")
        else:
            tail = ""
        body.append(_p(f"{es.further} further change{'s' if es.further != 1 else ''} in section 1{tail}.",
                       st["muted"]))
    story += [section("The material changes", "executive-changes", body), *body[2:]]
    if es.combined:
        body = [_numbered(k, esc(line), st["small"]) for k, line in enumerate(es.combined, 1)]
        story += [section("All the changes together", "executive-combined", body), *body[2:]]
    if es.administrative:
        story.append(Spacer(1, 2 * mm))
        story.append(_p("<b>Administrative changes:</b> " + esc(es.administrative) + ".", st["small"]))
    if not es.warnings_checked:
        said = _p("Not checked (see section 3).", st["muted"])
    elif not es.warnings:
        said = _p("None.", st["base"])
    else:
        said = _p(esc(", ".join(es.warnings)) + ".", st["base"])
    story.append(section("Warning signs left in the proposed version", "executive-warnings", [said]))
    if es.asks:
        body = [_numbered(k, f"<b>{esc(name)}</b>: {esc(ask)}", st["small"])
                for k, (name, ask) in enumerate(es.asks, 1)]
        story += [section("What to ask for", "executive-asks", body), *body[2:]]
    story.append(PageBreak())
    return story


def _term_markup(tc: TermChange) -> str:
    label = f"<b>{esc(tc.label)}</b>"
    if tc.kind == "added":
        return f'{label}: added — <font color="{INS_HEX}"><u>{esc(tc.new)}</u></font>'
    if tc.kind == "removed":
        return f'{label}: removed — <font color="{DEL_HEX}"><strike>{esc(tc.old)}</strike></font>'
    return (
        f'{label}: <font color="{DEL_HEX}"><strike>{esc(tc.old)}</strike></font> → '
        f'<font color="{INS_HEX}"><u>{esc(tc.new)}</u></font>'
    )


def _clause_summary_markup(cc: ClauseChange) -> str:
    title = f"<b>{esc(cc.title)}</b>"
    if cc.kind == "added":
        return f"{title}: clause added"
    if cc.kind == "removed":
        return f"{title}: clause removed"
    if cc.kind == "moved":
        old_t = clause_title(cc.old) if cc.old else ""
        return f"{title}: clause moved (was {esc(old_t)}, position {(cc.old_index or 0) + 1})" + (
            ", and reworded" if cc.text_changed else ""
        )
    ins = sum(len(s.words) for s in cc.segments if s.op == "insert")
    dele = sum(len(s.words) for s in cc.segments if s.op == "delete")
    renum = ""
    if cc.old and cc.new and cc.old.number != cc.new.number:
        renum = f" (renumbered from {esc(cc.old.number or 'unnumbered')})"
    if not cc.segments:
        return f"{title}: heading or numbering changed{renum}"
    return f"{title}: reworded — {dele} token{'s' if dele != 1 else ''} deleted, {ins} inserted{renum}"


def _clauses(diff: ContractDiff, ctx: _Ctx, progress: ProgressCallback | None) -> list[Flowable]:
    st = ctx.st
    story: list[Flowable] = [
        PageBreak(),
        Heading("2 Redlined clauses", st["h1"], 0, "clauses", "2 Redlined clauses"),
        _p(
            "Every clause of the proposed version in its order, removed clauses where they stood; "
            "markings as in the legend on the cover.",
            st["muted"],
        ),
    ]
    total = max(len(diff.clauses), 1)
    for k, cc in enumerate(diff.clauses):
        if k % 25 == 0:
            report(progress, k / total, "laying out the clauses")
        story.extend(_clause_block(cc, ctx, k))
    if not diff.clauses:
        story.append(_p("Neither version has clause text.", st["base"]))
    return story


def _clause_block(cc: ClauseChange, ctx: _Ctx, k: int) -> list[Flowable]:
    st = ctx.st
    o, n = cc.old, cc.new
    # heading with its own redline
    if o and n:
        old_t, new_t = clause_title(o), clause_title(n)
        if old_t != new_t:
            from workbench.documents.diff import word_diff

            head = segments_markup(word_diff(old_t, new_t))
        else:
            head = esc(new_t)
    elif n:
        head = _whole(clause_title(n), "insert")
    else:
        assert o is not None
        head = _whole(clause_title(o), "delete")
    outline = (clause_title(n) if n else clause_title(o) if o else "")[:90]
    tag = {
        "added": "ADDED",
        "removed": "REMOVED",
        "changed": "CHANGED",
        "unchanged": "",
        "moved": f'<font color="{MOVE_HEX}">⇄ MOVED from position {(cc.old_index or 0) + 1}'
        + (f" (was {esc(clause_title(o))})" if o else "")
        + "</font>",
    }[cc.kind]
    flow: list[Flowable] = [
        CondPageBreak(28 * mm),
        Heading(
            head,
            st["h3"],
            1,
            f"c{k}",
            f"{cc.kind[0].upper()} · {outline}" if cc.kind != "unchanged" else outline,
        ),
    ]
    if tag:
        flow.append(_p(tag, st["tag"]))
    if cc.kind == "added" and n:
        body = _whole(n.text, "insert")
    elif cc.kind == "removed" and o:
        body = _whole(o.text, "delete")
    elif cc.kind == "moved" and n:
        body = segments_markup(cc.segments, MOVE_HEX) if cc.segments else esc_lines(n.text)
    elif n and cc.segments:
        body = segments_markup(cc.segments)
    elif n:
        body = esc_lines(n.text)
    else:
        body = ""
    if body.strip():
        colour = MOVE_HEX if cc.kind == "moved" and not cc.segments else None
        flow.extend(_body(body, st["clause"], colour))
    return flow


BODY_PIECE = 8_000  # characters of markup: a longer clause is laid out as several paragraphs


def _body(markup: str, style: ParagraphStyle, colour: str | None) -> list[Flowable]:
    """A clause's text as paragraphs.  One paragraph split across pages is wrapped again for
    every page it reaches (the work grows with the square of its length: a clause of 20,000
    repeated lines took minutes), so a long one is cut at its line breaks into pieces that sit
    flush under each other, which looks the same.  The markup holds ``<br/>`` only between
    lines, outside any tag, so every piece is whole markup."""
    pieces: list[str] = []
    start = 0
    while len(markup) - start > BODY_PIECE:
        cut = markup.find("<br/>", start + BODY_PIECE)
        if cut < 0:
            break
        pieces.append(markup[start:cut])
        start = cut + len("<br/>")
    pieces.append(markup[start:])
    if len(pieces) > 1:
        flush = ParagraphStyle(f"{style.name}_piece", parent=style, spaceBefore=0, spaceAfter=0)
        last = ParagraphStyle(f"{style.name}_last", parent=style, spaceBefore=0)
        styles = [ParagraphStyle(f"{style.name}_first", parent=style, spaceAfter=0)]
        styles += [flush] * (len(pieces) - 2) + [last]
    else:
        styles = [style]
    return [_p(_colour(piece, colour) if colour else piece, st)
            for piece, st in zip(pieces, styles, strict=True)]


def _colour(markup: str, hex_: str) -> str:
    return f'<font color="{hex_}">{markup}</font>'


def _warnings(findings: Sequence[Finding] | None, note: str, ctx: _Ctx) -> list[Flowable]:
    st = ctx.st
    story: list[Flowable] = [
        CondPageBreak(60 * mm),
        Heading(
            "3 Warning signs of the proposed version",
            st["h1"],
            0,
            "warnings",
            "3 Warning signs of the proposed version",
        ),
    ]
    if findings is None:
        story.append(_p(esc(note), st["muted"]))
        return story
    if not findings:
        story.append(_p("No warning sign fires on the proposed version.", st["base"]))
        return story
    rows: list[list[Any]] = [
        [_p(x, st["cellb"]) for x in ("Code", "Severity", "Clause", "Evidence", "Suggestion")]
    ]
    for f in findings:
        rows.append(
            [
                _p(esc(f.code), st["cell"]),
                _p(esc(f.severity), st["cell"]),
                _p(esc(f.clause), st["cell"]),
                _p(esc(f.evidence), st["cell"]),
                _p(esc(f.suggestion), st["cell"]),
            ]
        )
    w = BODY_W - 14 * mm - 16 * mm - 18 * mm
    story.append(_table(rows, [14 * mm, 16 * mm, 18 * mm, 0.45 * w, 0.55 * w]))
    return story


def _image(png: bytes, width: float) -> Image:
    img = Image(io.BytesIO(png))
    ratio = img.imageHeight / img.imageWidth
    img.drawWidth = width
    img.drawHeight = width * ratio
    return img


def _charts(charts: Sequence[tuple[str, bytes]], note: str, ctx: _Ctx) -> list[Flowable]:
    st = ctx.st
    story: list[Flowable] = [
        PageBreak(),
        Heading("4 Effect on the ticket history", st["h1"], 0, "charts", "4 Effect on the ticket history"),
        _p(esc(note), st["muted"]),
    ]
    for caption, png in charts:
        story.append(KeepTogether([_image(png, BODY_W * 0.92), _p(esc(caption), st["caption"])]))
    return story


def _kpis(inp: RenderInput, ctx: _Ctx) -> list[Flowable]:
    st = ctx.st
    story: list[Flowable] = [
        PageBreak(),
        Heading("5 Key figures", st["h1"], 0, "kpis", "5 Key figures"),
    ]
    if inp.kpi_rows:
        story.append(
            _p("Simulated SLA compliance per priority, current terms vs proposed terms.", st["muted"])
        )
        head = [
            "Priority",
            "Metric",
            "Current: met / breached / pending",
            "Current",
            "Proposed: met / breached / pending",
            "Proposed",
        ]
        rows: list[list[Any]] = [[_p(h, st["cellb"]) for h in head]]
        for r in inp.kpi_rows:
            rows.append([_p(esc(x), st["cell"]) for x in r])
        story.append(_table(rows, [16 * mm, 20 * mm, 44 * mm, 19 * mm, 44 * mm, BODY_W - 143 * mm]))
        story.append(Spacer(1, 3 * mm))
    story.append(_p(esc(inp.kpi_note), st["base"]))
    snaps = sorted(inp.kpi_snapshots, key=lambda k: k.month)[-12:]
    if snaps:
        story.append(
            Heading(
                "Operational KPIs reported by the provider", st["h2"], 1, "kpi-snapshots", "Operational KPIs"
            )
        )
        rows = [
            [
                _p(h, st["cellb"])
                for h in (
                    "Month",
                    "Patch compliance",
                    "Threats detected",
                    "Threats resolved",
                    "Endpoints managed",
                )
            ]
        ]

        def fmt(v: Any, pct: bool = False) -> str:
            if v is None:
                return "—"
            return f"{100 * v:.1f}%" if pct else f"{v:,}"

        for k in snaps:
            rows.append(
                [
                    _p(x, st["cell"])
                    for x in (
                        k.month.strftime("%Y-%m"),
                        fmt(k.patch_compliance, True),
                        fmt(k.threats_detected),
                        fmt(k.threats_resolved),
                        fmt(k.endpoints_managed),
                    )
                ]
            )
        story.append(_table(rows, [BODY_W / 5] * 5))
        story.append(_p("The last twelve monthly snapshots in the history.", st["muted"]))
    return story


def _signatures(diff: ContractDiff, ctx: _Ctx) -> list[Flowable]:
    st = ctx.st
    parties = list(diff.new.parties or diff.old.parties) or ["Provider", "Client"]
    while len(parties) < 2:
        parties.append("Client" if parties[0] != "Client" else "Provider")
    col = (BODY_W - 10 * mm) / 2
    line = "_" * 38
    cells = []
    for party in parties[:2]:
        cells.append(
            [
                _p(f"<b>For {esc(party)}</b>", st["base"]),
                Spacer(1, 10 * mm),
                _p(line, st["base"]),
                _p("Signature", st["small"]),
                Spacer(1, 4 * mm),
                _p("Name: " + line[:30], st["base"]),
                _p("Title: " + line[:30], st["base"]),
                _p("Date: " + line[:30], st["base"]),
            ]
        )
    t = SplittingTable([cells], colWidths=[col, col], hAlign="LEFT", spaceBefore=4)
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    status = (
        "The parties approve the proposed version as redlined above."
        if ctx.opts.final
        else "Draft for discussion: signatures confirm the review only, not the agreement."
    )
    return [
        CondPageBreak(85 * mm),
        Heading("6 Signatures", st["h1"], 0, "signatures", "6 Signatures"),
        KeepTogether([_p(status, st["base"]), Spacer(1, 4 * mm), t]),
    ]


@dataclass
class RenderInput:
    """Everything the layout needs, computed elsewhere (diff, effects, lint, charts)."""

    diff: ContractDiff
    options: RedlineOptions
    effects: Mapping[str, str] = field(default_factory=dict)
    effect_note: str = ""
    history_note: str = "no ticket history supplied"
    history_given: bool = False  # False: the cover says so instead of an as-of date nobody measured
    findings: Sequence[Finding] | None = None
    findings_note: str = "Warning signs not checked."
    charts: Sequence[tuple[str, bytes]] = ()
    chart_note: str = ""
    kpi_rows: Sequence[Sequence[str]] | None = None
    kpi_note: str = ""
    kpi_snapshots: Sequence[Any] = ()  # models.history.KpiSnapshot
    summary: ExecutiveSummary | None = None  # the executive summary page (None: left out)


def _version_label(v: Any) -> str:
    if v.contract is not None and not v.extracted:
        return str(v.contract.version)
    return Path(v.source).stem if v.source else str(v.title)


def render_redline(inp: RenderInput, progress: ProgressCallback | None = None) -> bytes:
    """Lay out the redline PDF; returns its bytes (identical inputs -> identical bytes)."""
    register_fonts()
    st = _styles()
    ctx = _Ctx(st, inp.options)
    diff, o = inp.diff, inp.options
    ct = diff.new.contract or diff.old.contract
    name = ct.name if ct else diff.new.title
    status = "FINAL" if o.final else "DRAFT"
    buf = io.BytesIO()
    doc = ReportDocTemplate(
        buf,
        pagesize=page_size_for(ct, o.page_size),
        body_width=BODY_W,
        cover_inset=6 * mm,
        header=f"{name} — redline: {_version_label(diff.old)} → {_version_label(diff.new)}",
        footer=(f"Prepared by {o.prepared_by} on " if o.prepared_by else "Prepared on ")
        + f"{o.prepared_on.isoformat()} · "
        + (f"history as of {o.as_of_text()}" if inp.history_given else "no ticket history given"),
        band_subtitle="Contract redline and change review",
        cover=Cover(brand=o.brand or (ct.provider if ct else ""), logo=o.logo, prepared_by=o.prepared_by),
        status=status,
        dated=o.as_of,
        title=f"Redline: {name}",
        author=o.prepared_by or "",
        subject=f"{diff.old.title} → {diff.new.title}",
    )
    report(progress, 0.0, "laying out the cover and summary")
    story: list[Flowable] = []
    story += _cover(diff, ctx, inp.history_note, inp.history_given)
    story += [NextPageTemplate("body"), PageBreak()]
    if inp.summary is not None:
        story += _executive(inp.summary, ctx)
    story += _summary(diff, ctx, inp.effects, inp.effect_note)
    story += _clauses(diff, ctx, scaled(progress, 0.02, 0.2))
    story += _warnings(inp.findings, inp.findings_note, ctx)
    story += _charts(inp.charts, inp.chart_note, ctx)
    story += _kpis(inp, ctx)
    story += _signatures(diff, ctx)
    report(progress, 0.2, "writing the PDF")
    size, done = [1], [0.0]

    def on_build(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            size[0] = max(int(value), 1)
        elif kind == "PROGRESS":
            done[0] = max(done[0], min(int(value) / size[0], 1.0))  # reportlab's estimate may step back
            report(progress, 0.2 + 0.79 * done[0], "writing the PDF")

    if progress is not None:
        doc.setProgressCallBack(on_build)
    doc.build(story)
    report(progress, 1.0, "PDF written")
    return buf.getvalue()
