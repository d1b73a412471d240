"""DOCX automatic numbering: Word numbers clauses with list numbering (``w:numPr`` ->
numbering.xml), which is not in the paragraph's text.  The documents here are built with
python-docx plus a numbering definition written as XML, like the ones Word writes: outline
numbered Heading 1/2 ("1", "1.1"), legal-style body clauses ("2.3"), lettered sub-items
("(a)"), the template's "List Number" style, and a restarted list (startOverride).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.documents.extract import extract
from workbench.documents.reader import _format_number, load_document
from workbench.warnings import lint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# abstractNum 90: outline numbering "1." / "1.1" / "(a)" / "(i)"
OUTLINE = f"""
<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>
</w:abstractNum>
"""
NUM = f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
# a second instance of the template's "List Number" list (numId 5), restarted at 1
RESTART = (f'<w:num xmlns:w="{W}" w:numId="91"><w:abstractNumId w:val="{{abstract}}"/>'
           f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')


def _num_pr(paragraph: Any, num_id: int, ilvl: int | None) -> None:
    from docx.oxml import parse_xml

    lvl = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr xmlns:w="{W}">{lvl}<w:numId w:val="{num_id}"/></w:numPr>'))


def _style_num(style: Any, num_id: int, ilvl: int) -> None:
    from docx.oxml import parse_xml

    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def build(path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    first_num = numbering.find(f"{{{W}}}num")
    first_num.addprevious(parse_xml(OUTLINE))  # abstractNums come before the nums
    numbering.append(parse_xml(NUM))
    list_number = next(
        n for n in numbering.iterchildren(f"{{{W}}}num") if n.get(f"{{{W}}}numId") == "5"
    ).find(f"{{{W}}}abstractNumId").get(f"{{{W}}}val")
    numbering.append(parse_xml(RESTART.format(abstract=list_number)))
    _style_num(d.styles["Heading 1"], 90, 0)  # outline numbered headings, as Word's "1 / 1.1 / 1.1.1"
    _style_num(d.styles["Heading 2"], 90, 1)

    d.add_paragraph("Managed Services Agreement", style="Title")
    d.add_heading("Definitions", level=1)  # 1.
    d.add_paragraph("Business Day means Monday to Friday, 08:00-18:00 Eastern Time.")
    d.add_heading("Service levels", level=1)  # 2.
    d.add_heading("Response times", level=2)  # 2.1
    d.add_paragraph("The Provider responds to incidents by priority:")
    for text in ("P1 incidents: 1 hour response and 4 hours resolution;",  # (a)
                 "P2 incidents: 2 hours response and 8 hours resolution;"):  # (b)
        _num_pr(d.add_paragraph(text), 90, 2)
    _num_pr(d.add_paragraph("which apply 24x7 for P1."), 90, 3)  # (i)
    d.add_heading("Other requests", level=2)  # 2.2
    d.add_paragraph("The Provider will attend to other requests as soon as possible.")
    d.add_heading("Reporting", level=1)  # 3.
    p = d.add_paragraph("A monthly service report is delivered to the Client.")
    _num_pr(p, 90, 1)  # 3.1 (a body paragraph at the second outline level)
    d.add_paragraph("The Client will:")
    for text in ("name escalation contacts;", "approve changes within two business days."):
        d.add_paragraph(text, style="List Number")  # 1. 2. (template list, numId 5)
    d.add_heading("Term", level=1)  # 4.
    p = d.add_paragraph("This agreement is reviewed every quarter.")
    _num_pr(p, 91, 0)  # a new list on the same definition, restarted: 1.
    d.save(str(path))
    return path


def test_numbers_come_out_as_word_shows_them(tmp_path: Path) -> None:
    doc = load_document(build(tmp_path / "numbered.docx"))
    # the "List Number" items under 3 and the restarted list under 4 are lists inside numbered
    # sections: their 1., 2. are list items, not clauses 1 and 2 again
    assert doc.refs() == ["Managed Services Agreement", "1", "2", "2.1", "2.2", "3", "3.1", "4"]
    assert "- 1. name escalation contacts;" in doc.clause("3.1").text
    assert "- 2. approve changes" in doc.clause("3.1").text
    assert "- 1. This agreement is reviewed every quarter." in doc.clause("4").text
    assert doc.clause("2").heading == "Service levels" and doc.clause("2.1").heading == "Response times"
    c21 = doc.clause("2.1").text
    assert "(a)\tP1 incidents" in c21 and "(b)\tP2 incidents" in c21 and "(i)\twhich apply" in c21
    assert "monthly service report" in doc.clause("3.1").text
    for c in doc.clauses:
        assert doc.text[c.span[0] : c.span[1]] == c.text


def test_lint_and_extraction_name_the_numbered_clauses(tmp_path: Path) -> None:
    doc = load_document(build(tmp_path / "numbered.docx"))
    ex = extract(doc)
    got = {e.field: (e.value, e.clause) for e in ex.items if e.field.startswith("targets.")}
    assert got["targets.P1.response"] == ("1h", "2.1") and got["targets.P2.resolution"] == ("8h", "2.1")
    vague = [f for f in lint(doc, as_of="2026-11-01") if f.code == "W01"]
    assert [f.clause for f in vague] == ["2.2"]


def test_number_formats() -> None:
    assert [_format_number(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert _format_number(4, "upperRoman") == "IV" and _format_number(9, "lowerRoman") == "ix"
    assert _format_number(3, "decimalZero") == "03" and _format_number(12, "decimal") == "12"


# abstractNum 92 defines the numbering style "ClauseList" (w:styleLink); abstractNum 93 only points
# at it (w:numStyleLink), as Word writes a list made from a numbering style
STYLE_DEF = f"""
<w:abstractNum xmlns:w="{W}" w:abstractNumId="92">
  <w:styleLink w:val="ClauseList"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
"""
STYLE_USE = f"""
<w:abstractNum xmlns:w="{W}" w:abstractNumId="93"><w:numStyleLink w:val="ClauseList"/></w:abstractNum>
"""


def _numbering(d: Any, *xml: str) -> None:
    from docx.oxml import parse_xml

    numbering = d.part.numbering_part.element
    first_num = numbering.find(f"{{{W}}}num")
    for x in xml:
        el = parse_xml(x)
        (first_num.addprevious if el.tag.endswith("abstractNum") else numbering.append)(el)


def test_lists_in_cells_and_numbering_styles(tmp_path: Path) -> None:
    """Body clauses numbered through a numbering style (numStyleLink) under unnumbered headings are
    the document's clause numbers; numbered paragraphs in a table cell are the cell's list items and
    advance the list they belong to."""
    import docx

    d = docx.Document()
    use = f'<w:num xmlns:w="{W}" w:numId="93"><w:abstractNumId w:val="93"/></w:num>'
    _numbering(d, STYLE_DEF, STYLE_USE, use)
    d.add_heading("Service levels", level=1)  # not numbered: the body numbers its clauses
    _num_pr(d.add_paragraph("Support hours are 08:00-18:00 Monday to Friday."), 93, 0)  # 1.
    _num_pr(d.add_paragraph("Incidents are answered by priority."), 93, 1)  # 1.1
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Priority", "Response"
    table.cell(1, 0).text = "P1"
    cell = table.cell(1, 1)
    cell.paragraphs[0].text = "within 1 hour"
    _num_pr(cell.paragraphs[0], 93, 1)  # 1.2, in the cell
    _num_pr(d.add_paragraph("Credits are 5% of the monthly fee per breach."), 93, 1)  # 1.3
    path = tmp_path / "styled.docx"
    d.save(str(path))
    doc = load_document(path)
    assert doc.refs() == ["Service levels", "1", "1.1", "1.3"]
    assert "| P1 | 1.2 within 1 hour |" in doc.clause("1.1").text
    assert "Credits are 5%" in doc.clause("1.3").text
