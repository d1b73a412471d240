"""Contract documents in: plain text, Markdown, DOCX and PDF, segmented into clauses.

A :class:`Document` is the document's text (for DOCX and PDF: the text read out of
the file, tables written as ``cell | cell | cell`` lines in document order) and the
list of its clauses.  Each :class:`Clause` keeps the document's own numbering and
heading ("4.2", "3.6.1", "Section 3", "Schedule 2", "Annex 1", a Markdown heading such
as "Service credits") and the half-open ``span`` of its text in ``Document.text``, so
everything extracted later can point back at the exact words.

Segmentation rules (in order, line by line):

* a Markdown heading (``## 4.2 Service credits``, ``#### Backups``) or a Setext
  heading (a line underlined with ``===`` / ``---``) starts a clause; a number at the
  front of the heading becomes the clause number, the rest its heading;
* a keyword heading line (``Section 3``, ``Schedule 2: Service levels``,
  ``Annex 1—Service levels``, ``Appendix A``, ``Article 5``, ``Clause 7``, ``Part 2``);
* a numbered line: an explicit dotted number (``1.1``, ``3.6.1``), a number with a
  dot (``1.`` Markdown list style, nested by indentation: an item indented under
  item 3 is ``3.1``), or a bare number followed by a tab (``1<TAB>Definitions``); a
  short title-like text after a top-level number is the clause's heading;
* in a section under a numbered Markdown heading (``## 3. Service levels``), a ``1. text``
  list item at the heading's level is a list item (the heading numbers the clause), not a
  clause; indented items still nest under the heading (``3.1``);
* anything else continues the current clause.  Text before the first clause is the
  ``preamble``.

DOCX automatic numbering (``w:numPr`` on the paragraph or its style, numbering.xml's
``w:lvlText``/``w:start``/``w:numFmt``, a list made from a numbering style through
``w:numStyleLink``) is counted through the document and written in front of the paragraph
as Word shows it ("2.1<TAB>…", "(a)<TAB>…"); Heading 1-6 become Markdown headings, so
outline-numbered headings are numbered clauses.  In a section whose heading is numbered
(by a list or typed), a paragraph numbered by another list is a list item of the clause
("- 1. …"), not a clause of that number; numbered paragraphs in table cells are the cell's
list items ("1.2 within 1 hour") and count in their list.

PDF text carries no Markdown, so the reader writes what the type shows: a short line set
larger or bold than the body (not ending with a full stop) becomes a Markdown heading,
lines keep their indentation (nested numbered lists nest), and a clause number standing
apart from its text at a tab stop keeps the tab.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

DOCUMENT_SUFFIXES: tuple[str, ...] = (
    ".txt", ".md", ".markdown", ".text", ".html", ".htm", ".adoc", ".asciidoc", ".docx", ".pdf"
)

MONTHS: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


class DocumentError(ValueError):
    """A document could not be read; the message names the file."""


@dataclass(frozen=True)
class Clause:
    """One clause: the document's own number and heading, its text and where it is."""

    number: str
    heading: str
    text: str
    span: tuple[int, int]  # half-open offsets into Document.text

    @property
    def ref(self) -> str:
        """How findings name the clause: its number, else its heading, else "preamble"."""
        return self.number or self.heading or "preamble"

    @property
    def title(self) -> str:
        return " ".join(p for p in (self.number, self.heading) if p)


@dataclass(frozen=True)
class Document:
    source: str
    clauses: list[Clause] = field(default_factory=list)
    text: str = ""

    def clause(self, ref: str) -> Clause:
        for c in self.clauses:
            if c.ref == ref or c.number == ref:
                return c
        raise KeyError(ref)

    def clause_at(self, offset: int) -> Clause | None:
        """The clause whose span holds ``offset``."""
        for c in self.clauses:
            if c.span[0] <= offset < c.span[1]:
                return c
        return None

    def refs(self) -> list[str]:
        return [c.ref for c in self.clauses]


# --------------------------------------------------------------------- segmentation

_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]*(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_KEYWORD = re.compile(
    r"^\s*(?P<num>(?:Section|Schedule|Annex|Appendix|Article|Clause|Part|Exhibit)\s+"
    r"(?:[0-9]+(?:\.[0-9]+)*|[A-Z]|[IVX]+))\b\s*[:.\-—–]?\s*(?P<rest>.*)$"
)
# explicit dotted number, "N." list item, or bare number + tab
_NUMBERED = re.compile(
    r"^(?P<indent>[ \t]*)(?P<num>\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|\d{1,3}(?=\t))[ \t]+(?P<rest>\S.*)$"
)
_LIST_HEADING = re.compile(r"^#{1,6}\s*(.*?)[ \t#]*$")
_HEADING_NUMBER = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)\.?[ \t]+(?P<rest>\S.*)$")
_DATE_LIKE = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\b", re.I)


def _indent_width(s: str) -> int:
    return len(s.expandtabs(4))


def _is_title(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 70 or t[-1] in ".;:,":
        return False
    words = t.split()
    return len(words) <= 8 and t[0].isupper()


def _split_heading(text: str) -> tuple[str, str]:
    """'4.2 Service credits' -> ('4.2', 'Service credits'); 'Section 3 Support' keyword too."""
    t = text.strip()
    if _DATE_LIKE.match(t):
        return "", t
    m = _KEYWORD.match(t)
    if m:
        return m.group("num"), m.group("rest").strip()
    m = _HEADING_NUMBER.match(t)
    if m:
        return m.group("num"), m.group("rest").strip()
    return "", t


@dataclass
class _Open:
    number: str
    heading: str
    start: int
    end: int


def segment(text: str, source: str = "<text>") -> Document:
    """Split text into clauses (see the module docstring for the rules)."""
    lines = text.splitlines(keepends=True)
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    opened: list[_Open] = []
    stack: list[tuple[int, str]] = []  # (indent, full number) of list items
    # inside a section under a numbered heading ("## 3. Service levels") the heading numbers
    # the clause: a "1." list at the heading's own level is a list, not a clause
    numbered_section = False
    current: _Open | None = None

    def start(number: str, heading: str, at: int) -> _Open:
        nonlocal current
        current = _Open(number, heading, at, at)
        opened.append(current)
        return current

    def extend(end: int) -> None:
        nonlocal current
        if current is None:
            current = start("", "", 0)
        current.end = end

    i = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.rstrip("\r\n")
        at, end = offsets[i], offsets[i] + len(line)
        nxt = lines[i + 1].rstrip("\r\n") if i + 1 < len(lines) else ""
        m_md = _MD_HEADING.match(line)
        if m_md and not line.lstrip().startswith("#" * 7):
            num, head = _split_heading(m_md.group(2))
            start(num, head, at).end = end
            stack = [] if not num else [(0, num)]
            numbered_section = bool(num)
            i += 1
            continue
        if (
            line.strip()
            and not line.lstrip().startswith(("|", "-", "*", "+"))
            and _SETEXT.match(nxt)
            and len(line.strip()) <= 80
            and (nxt.strip().startswith("=") or len(nxt.strip()) >= 3)
        ):
            num, head = _split_heading(line)
            c = start(num, head, at)
            c.end = offsets[i + 1] + len(nxt)
            stack = []
            numbered_section = bool(num)
            i += 2
            continue
        m_kw = _KEYWORD.match(line)
        if m_kw and (_is_title(m_kw.group("rest")) or not m_kw.group("rest")):
            start(m_kw.group("num"), m_kw.group("rest").strip(), at).end = end
            stack = []
            numbered_section = False
            i += 1
            continue
        m_num = _NUMBERED.match(line)
        if (
            m_num
            and numbered_section
            and not m_num.group("indent")
            and re.fullmatch(r"\d{1,3}\.", m_num.group("num"))
            and line[m_num.end("num")] == " "  # a Markdown list; DOCX list numbers keep their tab
        ):
            m_num = None
        if m_num:
            indent = _indent_width(m_num.group("indent"))
            tok = m_num.group("num").rstrip(".")
            rest = m_num.group("rest")
            if "." in tok:  # explicit dotted number: absolute
                full = tok
                stack = [(indent, full)]
            else:
                while stack and stack[-1][0] >= indent:
                    stack.pop()
                full = f"{stack[-1][1]}.{tok}" if stack else tok
                stack.append((indent, full))
            heading = ""
            m_lh = _LIST_HEADING.match(rest)
            if m_lh:
                heading = m_lh.group(1).strip()
            elif "." not in full and _is_title(rest):
                heading = rest.strip()
            start(full, heading, at).end = end
            i += 1
            continue
        if line.strip():
            extend(end)
        i += 1

    clauses: list[Clause] = []
    for c in opened:
        body = text[c.start : c.end]
        if not body.strip():
            continue
        if not c.number and not c.heading and c is not opened[0]:
            continue
        clauses.append(Clause(c.number, c.heading, body, (c.start, c.end)))
    return Document(source=source, clauses=clauses, text=text)


# ------------------------------------------------------------------------- readers


def _table_lines(rows: Sequence[Sequence[str | None]]) -> list[str]:
    """Table rows as Markdown rows (``| a | b |``): an empty cell keeps its column, so a
    header whose top-left cell is empty does not shift the others."""
    out = []
    for row in rows:
        cells = [" ".join((c or "").replace("|", "/").split()) for c in row]
        if any(cells):
            out.append("| " + " | ".join(cells) + " |")
    return out


_HTML_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "head", "form", "button"}
_HTML_BLOCK = {"p", "div", "li", "dt", "dd", "blockquote", "pre", "section", "article", "main", "br", "tr",
               "caption", "figcaption", "address", "body", "ul", "ol", "dl"}


def _html_text(path: Path) -> str:
    """An HTML page's text: headings as Markdown headings, tables as Markdown rows, each block
    on its own line; navigation, headers, footers, scripts and styles are left out."""
    import lxml.html

    data = path.read_bytes()
    try:
        data.decode("utf-8")
        parser = lxml.html.HTMLParser(encoding="utf-8")
    except UnicodeDecodeError:  # the page's own <meta charset>, else lxml's guess
        parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.fromstring(data, parser=parser)
    except Exception as exc:  # lxml raises several types for bad input
        raise DocumentError(f"{path}: not a readable HTML file ({exc})") from None
    out: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(line).split())
        if text:
            out.append(text)
        line.clear()

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _HTML_SKIP:
            if el.tail:
                line.append(el.tail)
            return
        m = re.fullmatch(r"h([1-6])", tag)
        if m:
            flush()
            out.extend(["", "#" * int(m.group(1)) + " " + " ".join(el.text_content().split()), ""])
        elif tag == "table":
            flush()
            rows = [[c.text_content() for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
                    for tr in el.iter("tr")]
            out.extend(["", *_table_lines([r for r in rows if r]), ""])
        else:
            if tag in _HTML_BLOCK:
                flush()
            if tag == "li":
                line.append("-")
            if el.text:
                line.append(el.text)
            for child in el:
                walk(child)
            if tag in _HTML_BLOCK:
                flush()
        if el.tail:
            line.append(el.tail)

    walk(root)
    flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n") + "\n"


_ADOC_TITLE = re.compile(r"^(=+)\s+(.*)$")
_ADOC_COLS = re.compile(r"""cols\s*=\s*["']?([^"'\]]+)""")


def _adoc_col_count(spec: str) -> int:
    """Columns of an AsciiDoc ``cols`` attribute: "1,3,1,1" -> 4, "3*" -> 3."""
    n = 0
    for part in spec.split(","):
        m = re.match(r"\s*(\d+)\*", part)
        n += int(m.group(1)) if m else 1
    return n


def _adoc_text(text: str) -> str:
    """AsciiDoc as the Markdown-like text the segmenter reads: section titles (``== 2. Targets``)
    as Markdown headings, ``|===`` tables as Markdown rows (cells one per line or several per
    line; the row width from ``cols`` or the first row), attribute and block lines dropped."""
    out: list[str] = []
    cols = 0
    in_table = False
    cells: list[str] = []
    width = 0
    for raw in text.splitlines():
        line = raw.rstrip()
        if in_table:
            if line.strip() == "|===":
                if cells:
                    out.extend(_table_lines([cells]))
                in_table, cells = False, []
                out.append("")
                continue
            if not line.strip():
                if cells and not width:
                    width = len(cells)
                    out.extend(_table_lines([cells]))
                    cells = []
                continue
            if line.lstrip().startswith("|"):
                parts = [c.strip() for c in line.strip()[1:].split("|")]
                cells.extend(parts)
                if not width and len(parts) > 1 and not cols:
                    width = len(parts)
            elif cells:
                cells[-1] = (cells[-1] + " " + line.strip()).strip()
            w = width or cols
            while w and len(cells) >= w:
                out.extend(_table_lines([cells[:w]]))
                cells = cells[w:]
                width = w
            continue
        if line.strip() == "|===":
            in_table, cells, width = True, [], cols
            continue
        m = _ADOC_TITLE.match(line)
        if m:
            out.extend(["#" * min(len(m.group(1)), 6) + " " + m.group(2).strip(), ""])
            continue
        mc = _ADOC_COLS.search(line) if line.startswith("[") else None
        if line.startswith("[") and line.endswith("]"):
            cols = _adoc_col_count(mc.group(1)) if mc else 0
            continue
        if re.match(r"^:[\w-]+:", line) or re.match(r"^\.[A-Za-z]", line):
            continue
        cols = 0 if line.strip() else cols
        out.append(line)
    return "\n".join(out) + "\n"


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def _format_number(n: int, fmt: str) -> str:
    """A counter in a Word number format (w:numFmt)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and n > 0:
        r = _roman(n)
        return r.upper() if fmt == "upperRoman" else r
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False  # w:isLgl: the levels in this level's text are shown as decimals


class _DocxNumbering:
    """Word's automatic numbering (numbering.xml), counted through the document in order: a
    paragraph's ``w:numPr`` (or its style's, for headings with outline numbering) gives the
    list and level; the level's ``w:lvlText`` ("%1.%2", "(%3)") with ``w:start`` and
    ``w:numFmt`` gives the number Word displays ("2.1", "(a)")."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.levels: dict[str, dict[int, _Level]] = {}  # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.seen: set[str] = set()
        self.alias: dict[str, str] = {}  # abstractNumId -> the one holding its levels (numStyleLink)
        # a paragraph's style by its style id: (name, the w:pPr of it and its base styles);
        # python-docx looks a style up by scanning every style, twice for a paragraph
        # without one, which made a 20,000-paragraph document take 30 s
        self._styles: dict[str | None, tuple[str, tuple[Any, ...]]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered
            return
        val = qn("w:val")
        links: dict[str, str] = {}  # abstractNumId -> the numbering style it takes its levels from
        styles: dict[str, str] = {}  # numbering style -> abstractNumId defining it (w:styleLink)
        for a in root.iterchildren(qn("w:abstractNum")):
            aid = a.get(qn("w:abstractNumId"), "")
            link = a.find(qn("w:numStyleLink"))
            if link is not None and link.get(val):
                links[aid] = link.get(val)
            own = a.find(qn("w:styleLink"))
            if own is not None and own.get(val):
                styles[own.get(val)] = aid
            levels: dict[int, _Level] = {}
            for lvl in a.iterchildren(qn("w:lvl")):
                lv = _Level()
                for child in lvl.iterchildren():
                    tag = child.tag
                    v = child.get(val)
                    if tag == qn("w:start") and v is not None and v.lstrip("-").isdigit():
                        lv.start = int(v)
                    elif tag == qn("w:numFmt") and v:
                        lv.fmt = v
                    elif tag == qn("w:lvlText") and v is not None:
                        lv.text = v
                    elif tag == qn("w:isLgl"):
                        lv.legal = v not in ("0", "false", "off")
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = lv
            self.levels[a.get(qn("w:abstractNumId"), "")] = levels
        for n in root.iterchildren(qn("w:num")):
            ref = n.find(qn("w:abstractNumId"))
            overrides: dict[int, int] = {}
            for o in n.iterchildren(qn("w:lvlOverride")):
                so = o.find(qn("w:startOverride"))
                if so is not None and (so.get(val) or "").isdigit():
                    overrides[int(o.get(qn("w:ilvl"), "0"))] = int(so.get(val))
            self.nums[n.get(qn("w:numId"), "")] = (ref.get(val, "") if ref is not None else "", overrides)
        # a list defined through a numbering style (w:numStyleLink) counts and shows as that style's
        # definition (w:styleLink), whose levels it shares
        for aid, style in links.items():
            target = styles.get(style)
            if target is not None and target != aid:
                self.alias[aid] = target

    def _style(self, p: Any) -> tuple[str, tuple[Any, ...]]:
        key = p._p.style
        found = self._styles.get(key)
        if found is None:
            style = p.style
            name = (style.name if style is not None else "") or ""
            chain: list[Any] = []
            depth = 0
            while style is not None and depth < 20:
                chain.append(style.element.pPr)
                style = style.base_style
                depth += 1
            found = self._styles[key] = (name, tuple(chain))
        return found

    def style_name(self, p: Any) -> str:
        """The name of the paragraph's style ("" when none)."""
        return self._style(p)[0]

    def _num_pr(self, p: Any) -> tuple[str | None, int | None]:
        qn = self._qn
        num_id: str | None = None
        ilvl: int | None = None
        for ppr in (p._p.pPr, *self._style(p)[1]):
            if ppr is None:
                continue
            npr = ppr.find(qn("w:numPr"))
            if npr is None:
                continue
            if num_id is None:
                el = npr.find(qn("w:numId"))
                if el is not None:
                    num_id = el.get(qn("w:val"))
            if ilvl is None:
                el = npr.find(qn("w:ilvl"))
                if el is not None and (el.get(qn("w:val")) or "").isdigit():
                    ilvl = int(el.get(qn("w:val")))
            if num_id is not None and ilvl is not None:
                break
        return num_id, ilvl

    def label(self, p: Any) -> tuple[str, int, str]:
        """(the number Word shows before the paragraph, or "", its level, the list it belongs to)."""
        num_id, ilvl = self._num_pr(p)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return "", 0, ""
        level = ilvl or 0
        abstract, overrides = self.nums[num_id]
        abstract = self.alias.get(abstract, abstract)
        levels = self.levels.get(abstract, {})
        if level not in levels:
            return "", level, abstract
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.seen:
            self.seen.add(num_id)
            for lv_no, start in overrides.items():
                counters[lv_no] = start - 1
        current = counters.get(level)
        counters[level] = (current + 1) if current is not None else levels[level].start
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        lv = levels[level]
        if lv.fmt == "bullet":
            return "", level, abstract

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            other = levels.get(k, _Level())
            value = counters.get(k, other.start)
            return _format_number(value, "decimal" if lv.legal and k != level else other.fmt)

        return re.sub(r"%([1-9])", sub, lv.text).strip(), level, abstract


def _docx_text(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for bad files
        raise DocumentError(f"{path}: not a readable DOCX file ({exc})") from None
    numbering = _DocxNumbering(d)
    out: list[str] = []
    # the list that numbers the current section's heading ("" when its number is typed), None when
    # the heading is not numbered: then the section's own numbered paragraphs are its clauses
    heading_list: str | None = None
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, d)
            text = p.text.strip()
            label, level, in_list = numbering.label(p)
            if not text:
                out.append("")
                continue
            style = numbering.style_name(p)
            m = re.match(r"Heading\s*(\d)", style)
            heading = "#" * min(int(m.group(1)), 6) if m else "#" if style == "Title" else ""
            if heading:
                typed = bool(_HEADING_NUMBER.match(text) or _KEYWORD.match(text))
                heading_list = in_list if label else "" if typed else None
            if label and not heading and heading_list is not None and in_list != heading_list:
                # a list inside a numbered section: its numbers are list items, not clause numbers
                out.append(f"- {label} {text}")
                continue
            if label:
                text = f"{label}\t{text}"
            if heading:
                out.append(f"{heading} {text}")
            else:
                out.append("    " * level + text if label else text)
        elif tag == "tbl":
            t = Table(child, d)
            out.extend(_table_lines([[_cell_text(cell, numbering) for cell in row.cells] for row in t.rows]))
            out.append("")
    return "\n".join(out) + "\n"


def _cell_text(cell: Any, numbering: _DocxNumbering) -> str:
    """A table cell's paragraphs with the numbers Word shows before them ("1. …", "(a) …"): list
    items of the cell, never clause numbers (they also advance their list's count)."""
    parts = []
    for p in cell.paragraphs:
        label = numbering.label(p)[0]
        text = p.text.strip()
        if text:
            parts.append(f"{label} {text}" if label else text)
    return "\n".join(parts)


_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)


@dataclass
class _PdfLine:
    top: float
    x0: float
    text: str
    size: float  # median size of its visible characters
    bold: bool  # (nearly) all its visible characters are in a bold face


def _pdf_line(ln: dict) -> _PdfLine | None:  # type: ignore[type-arg]
    chars = [c for c in ln.get("chars", ()) if str(c.get("text", "")).strip()]
    text = str(ln.get("text", "")).rstrip()
    if not chars or not text.strip():
        return None
    text = _pdf_number_tab(chars, text.strip())
    sizes = sorted(float(c.get("size", 0.0)) for c in chars)
    bold = sum(1 for c in chars if _BOLD_FONT.search(str(c.get("fontname", "")))) >= 0.9 * len(chars)
    return _PdfLine(float(ln["top"]), float(chars[0].get("x0", ln.get("x0", 0.0))), text,
                    sizes[len(sizes) // 2], bold)


_NUMBER_TOKEN = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def _pdf_number_tab(chars: list, text: str) -> str:  # type: ignore[type-arg]
    """A clause number set apart from its text by a wide gap (a tab stop or hanging indent in
    the source: ``1<TAB>Definitions``) keeps a tab, as in the source's plain text."""
    first = text.split(None, 1)
    if len(first) < 2 or not _NUMBER_TOKEN.match(first[0]):
        return text
    n = len(first[0])
    if len(chars) <= n:
        return text
    gap = float(chars[n].get("x0", 0.0)) - float(chars[n - 1].get("x1", 0.0))
    if gap >= float(chars[n - 1].get("size", 10.0)) * 1.2:
        return first[0] + "\t" + first[1]
    return text


def _median(values: list[float]) -> float:
    v = sorted(values)
    return v[len(v) // 2] if v else 0.0


def _pdf_heading_levels(lines: list[_PdfLine], body: float) -> dict[float, int]:
    """Heading font size -> Markdown level: the largest size is level 1; bold text at the body
    size comes after every larger size."""
    sizes = sorted({round(ln.size * 2) / 2 for ln in lines if ln.size > body * 1.08}, reverse=True)
    return {s: min(i + 1, 6) for i, s in enumerate(sizes)}


def _pdf_is_heading(ln: _PdfLine, body: float, bold_body: bool = False) -> bool:
    """Larger or bold than the body (bold counts only when the body is not bold), short, and
    not ending like a sentence."""
    t = ln.text
    if not (ln.size > body * 1.08 or (ln.bold and not bold_body and ln.size >= body * 0.95)):
        return False
    if len(t) > 100 or len(t.split()) > 14 or t[-1] in ".;,:" or t.startswith(("•", "-", "*", "|")):
        return False
    return any(ch.isalpha() for ch in t)


def _pdf_text(path: Path) -> str:
    """The PDF's text; a line set larger or bolder than the body (short, no full stop at the
    end) becomes a Markdown heading ("## Backups"), so unnumbered headings start clauses;
    lines keep their indentation from the left margin (spaces), so nested numbered lists
    nest as in a Markdown or text document."""
    import pdfplumber  # on first PDF only: a heavy import most reads never need
    pages: list[list[tuple[float, _PdfLine | list[str]]]] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]

                def outside(obj: dict, boxes: list = boxes) -> bool:  # type: ignore[type-arg]
                    x0, top = obj.get("x0", 0), obj.get("top", 0)
                    return not any(b[0] - 1 <= x0 <= b[2] + 1 and b[1] - 1 <= top <= b[3] + 1 for b in boxes)

                items: list[tuple[float, _PdfLine | list[str]]] = []
                for raw in page.filter(outside).extract_text_lines(keep_blank_chars=True):
                    ln = _pdf_line(raw)
                    if ln is not None:
                        items.append((ln.top, ln))
                for t in tables:
                    items.append((float(t.bbox[1]), [*_table_lines(t.extract()), ""]))
                items.sort(key=lambda it: it[0])
                pages.append(items)
    except Exception as exc:
        raise DocumentError(f"{path}: not a readable PDF file ({exc})") from None
    lines = [it for page_items in pages for _, it in page_items if isinstance(it, _PdfLine)]
    # the body size: the size most of the text is set in (weighted by characters)
    weighted: list[float] = []
    for ln in lines:
        weighted.extend([ln.size] * len(ln.text))
    body = _median(weighted)
    left = min((ln.x0 for ln in lines), default=0.0)
    space = max(body * 0.5, 1.0)
    bold_chars = sum(len(ln.text) for ln in lines if ln.bold)
    bold_body = bold_chars * 2 > len(weighted)  # a document set all in bold: bold marks nothing
    levels = _pdf_heading_levels([ln for ln in lines if _pdf_is_heading(ln, body, bold_body)], body)
    bold_level = min(len(levels) + 1, 6)
    out: list[str] = []
    for page_items in pages:
        for _, it in page_items:
            if isinstance(it, list):
                out.extend(it)
            elif _pdf_is_heading(it, body, bold_body):
                level = levels.get(round(it.size * 2) / 2, bold_level)
                out.extend(["", "#" * level + " " + it.text, ""])
            else:
                indent = round((it.x0 - left) / space) if it.x0 - left > 2 else 0
                out.append(" " * indent + it.text)
        out.append("")
    return "\n".join(out) + "\n"


def read_text(path: str | Path, cancel: Callable[[], bool] | None = None) -> str:
    """The text of a document file (tables as ``| a | b | c |`` lines, in document order).
    ``cancel()`` turning true while a DOCX or PDF is parsed stops its child process at once."""
    p = Path(path)
    suffix = p.suffix.lower()
    if p.is_dir():
        raise DocumentError(f"{p}: is a folder, not a document file")
    if not p.is_file():
        raise DocumentError(f"{p}: no such file")
    if suffix and suffix not in DOCUMENT_SUFFIXES:
        raise DocumentError(
            f"{p}: not a contract document ({suffix}); documents are "
            f"{', '.join(DOCUMENT_SUFFIXES)}, contract files .yaml, .yml or .json"
        )
    if suffix in (".docx", ".pdf"):  # parsed in a child process within time and memory limits
        from workbench.sandbox import read_document_isolated

        return read_document_isolated(_docx_text if suffix == ".docx" else _pdf_text, p, DocumentError,
                                      cancel=cancel)
    _check_budget(p, None)
    if suffix in (".html", ".htm"):
        return _html_text(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = p.read_text(encoding="cp1252", errors="replace")
    except OSError as exc:
        raise DocumentError(f"{p}: cannot read: {exc.strerror}") from None
    return _adoc_text(text) if suffix in (".adoc", ".asciidoc") else text


def _check_budget(p: Path, text: str | None) -> None:
    """The file's size (``text`` None) or its text against ``models.limits``, as a DocumentError."""
    from models import limits

    try:
        if text is None:
            limits.check_file_size(p, limits.DOCUMENT_FILE_BYTES, raise_with="DOCUMENT_FILE_BYTES")
        else:
            limits.check_document_text(p, text)
    except limits.LimitExceeded as exc:
        raise DocumentError(str(exc)) from None


def load_document(path: str | Path, cancel: Callable[[], bool] | None = None) -> Document:
    """Read and segment a plain-text, Markdown, DOCX or PDF contract document (``cancel`` as
    :func:`read_text` takes it)."""
    p = Path(path)
    text = read_text(p, cancel)
    _check_budget(p, text)
    if not text.strip():
        raise DocumentError(f"{p}: the document holds no text (a scanned PDF needs OCR first)")
    return segment(text, source=str(p))


def document_from_clauses(clauses: list[tuple[str, str, str]], source: str = "<contract>") -> Document:
    """A Document from (number, heading, text) triples, e.g. a Contract's clauses."""
    parts: list[str] = []
    out: list[Clause] = []
    pos = 0
    for number, heading, body in clauses:
        title = " ".join(x for x in (number, heading) if x)
        chunk = (title + "\n" if title else "") + body.strip() + "\n\n"
        out.append(Clause(number, heading, chunk.rstrip("\n"), (pos, pos + len(chunk.rstrip("\n")))))
        parts.append(chunk)
        pos += len(chunk)
    return Document(source=source, clauses=out, text="".join(parts))


def document_date(doc: Document) -> tuple[date, Clause] | None:
    """A date standing alone as a heading or first lines ("## 23 May 2018"), if any."""
    rx = re.compile(r"^\W*(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\W*$", re.I)
    for c in doc.clauses[:4]:
        for line in c.text.splitlines()[:3]:
            m = rx.match(line.strip().lstrip("#").strip())
            if m:
                try:
                    d = date(int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
                except ValueError:
                    continue
                return d, c
    return None
