"""PDF clause headings: a PDF has no '#' marks, only type.  The published SLAs in
shared/data/sla-texts are rendered to PDF here (reportlab) the way a word processor
prints them: headings as larger or bold paragraphs without numbers (Woomberg), ordered
list numbers as list markers with nested lists indented (dxw).  The findings of ``lint``
must name the same clauses as for the Markdown (QA: every Woomberg finding said
"preamble" for the PDF).
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from workbench.documents.reader import load_document
from workbench.warnings import lint

TEXTS = Path("/work/shared/data/sla-texts")
AS_OF = "2026-11-01"

_SETEXT = re.compile(r"^(=+|-+)\s*$")
_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_LIST_HEADING = re.compile(r"^(\d+)\.\s+(#{1,6})\s*(.*)$")  # dxw: "1. ### Introduction"
_ITEM = re.compile(r"^(\s*)(\d+\.|[-*+])\s+(.*)$")
_TABBED = re.compile(r"^(\d+(?:\.\d+)*)\t(.*)$")  # accordproject: "2.1<TAB>The Supplier ..."
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _inline(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"[*_`]{1,2}([^*_`]+)[*_`]{1,2}", r"\1", text)
    return escape(text)


def markdown_to_pdf(md: str, out: Path) -> Path:
    """A small Markdown renderer: headings (ATX and Setext) as Heading1-4 paragraphs (larger
    and/or bold, no '#'), ordered and bulleted list items as indented paragraphs with their
    marker, everything else as Normal paragraphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    ss = getSampleStyleSheet()
    body = ss["Normal"]
    story: list[Paragraph] = []
    para: list[str] = []
    item: tuple[int, str, list[str]] | None = None  # (indent, marker, words)

    def flush() -> None:
        nonlocal item
        if para:
            story.append(Paragraph(_inline(" ".join(para)), body))
            para.clear()
        if item is not None:
            indent, marker, words = item
            left = 18 + indent * 4.5
            style = ParagraphStyle("item", parent=body, leftIndent=left, bulletIndent=left - 16)
            story.append(Paragraph(_inline(" ".join(words)), style, bulletText=marker))
            item = None

    def heading(level: int, text: str) -> None:
        flush()
        if text.strip():
            story.append(Paragraph(_inline(text), ss[f"Heading{min(level, 4)}"]))

    lines = md.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and _SETEXT.match(nxt) and not _ITEM.match(line):
            heading(1 if nxt.strip().startswith("=") else 2, line.strip())
            i += 2
            continue
        m = _LIST_HEADING.match(line)
        if m:
            heading(len(m.group(2)), f"{m.group(1)}. {m.group(3)}")
        elif (m := _HEADING.match(line)) is not None:
            heading(len(m.group(1)), m.group(2))
        elif (m := _TABBED.match(line)) is not None:  # number at the margin, text at a tab stop
            flush()
            hanging = ParagraphStyle("tabbed", parent=body, leftIndent=42, bulletIndent=0)
            story.append(Paragraph(_inline(m.group(2)), hanging, bulletText=m.group(1)))
        elif (m := _ITEM.match(line)) is not None:
            flush()
            marker = m.group(2) if m.group(2)[0].isdigit() else "•"
            item = (len(m.group(1).expandtabs(4)), marker, [m.group(3).strip()])
        elif not line.strip():
            flush()
        elif item is not None:
            item[2].append(line.strip().lstrip(":").strip())
        else:
            para.append(line.strip().lstrip(":").strip())
        i += 1
    flush()
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    return out


def _refs(path: Path) -> list[tuple[str, str]]:
    return sorted((f.code, f.clause) for f in lint(load_document(path), as_of=AS_OF))


@pytest.mark.parametrize(
    "name",
    [
        "woomberg_managed_wp_hosting_sla_2020_with_credits.md",
        "woomberg_managed_wp_hosting_sla_latest_no_credits.md",
        "dxw_service_level_agreement.md",
        "dxw_govpress_managed_hosting_terms.md",
        "accordproject_servicelevelagreement_sample.md",
    ],
)
def test_pdf_findings_name_the_same_clauses_as_the_markdown(name: str, tmp_path: Path) -> None:
    md = TEXTS / name
    pdf = markdown_to_pdf(md.read_text(encoding="utf-8"), tmp_path / (md.stem + ".pdf"))
    from_md, from_pdf = _refs(md), _refs(pdf)
    assert any(clause != "preamble" and clause != "missing" for _, clause in from_md)
    assert from_pdf == from_md


def test_woomberg_pdf_headings_become_clauses(tmp_path: Path) -> None:
    md = TEXTS / "woomberg_managed_wp_hosting_sla_2020_with_credits.md"
    doc = load_document(markdown_to_pdf(md.read_text(encoding="utf-8"), tmp_path / "w.pdf"))
    refs = doc.refs()
    for heading in ("Description of Service", "Backups", "Uptime Guarantee", "How to receive SLA Credits?",
                    "Excused Downtime"):
        assert heading in refs
    assert "Woomberg will use commercially reasonable efforts" not in refs  # body text stays body text
    assert refs == load_document(md).refs()


def test_number_at_a_tab_stop_keeps_its_clause(tmp_path: Path) -> None:
    """accordproject numbers its clauses "2<TAB>Service levels"; printed, the number sits at
    the margin and the text at the tab stop, and the clauses are the Markdown's."""
    md = TEXTS / "accordproject_servicelevelagreement_sample.md"
    doc = load_document(markdown_to_pdf(md.read_text(encoding="utf-8"), tmp_path / "a.pdf"))
    assert doc.refs() == load_document(md).refs()
    assert doc.clause("2").heading == "Service levels"


def test_bold_or_larger_line_rules(tmp_path: Path) -> None:
    """A heading is larger or bold, short, and does not end with a full stop; a bold sentence
    and a larger-than-body long line stay body text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    ss = getSampleStyleSheet()
    big = ParagraphStyle("big", parent=ss["Normal"], fontSize=14, leading=17)
    story = [
        Paragraph("Service Levels", big),
        Paragraph("The provider answers every request within one business day.", ss["Normal"]),
        Paragraph("<b>Support hours</b>", ss["Normal"]),
        Paragraph("Support is available 08:00-18:00 on business days.", ss["Normal"]),
        Paragraph("<b>This bold sentence is a statement.</b>", ss["Normal"]),
        Paragraph("Body text carries on here.", ss["Normal"]),
    ]
    out = tmp_path / "rules.pdf"
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    doc = load_document(out)
    assert doc.refs() == ["Service Levels", "Support hours"]
    assert "This bold sentence is a statement." in doc.clause("Support hours").text


def test_a_pdf_set_all_in_bold_has_no_bold_headings(tmp_path: Path) -> None:
    """When the body itself is bold, bold marks nothing: short bold lines stay body text and
    only larger lines are headings."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    ss = getSampleStyleSheet()
    bold = ParagraphStyle("bold", parent=ss["Normal"], fontName="Helvetica-Bold")
    big = ParagraphStyle("big", parent=bold, fontSize=14, leading=17)
    story = [Paragraph("Service Levels", big)]
    for line in ("Support hours", "Support is available 08:00-18:00 on business days.", "Priority one",
                 "Responses come within one hour for outages."):
        story.append(Paragraph(line, bold))
    out = tmp_path / "bold.pdf"
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    assert load_document(out).refs() == ["Service Levels"]
