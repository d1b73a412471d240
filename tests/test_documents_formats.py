"""Documents in: DOCX and PDF built by the tests, with a priority matrix as a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.documents.extract import extract
from workbench.documents.reader import DocumentError, load_document, segment
from workbench.warnings import lint

MATRIX = [["Priority", "Response", "Resolution"], ["P1", "1 hour", "4 hours"],
          ["P2", "2 hours", "8 hours"], ["P3", "8 hours", "3 business days"]]


def _docx(path: Path, p1_resolution: str = "4 hours") -> Path:
    import docx

    d = docx.Document()
    d.add_heading("Managed Services Agreement", level=1)
    d.add_heading("4 Service levels", level=2)
    d.add_paragraph("4.1 The Provider will respond as soon as possible to all requests.")
    d.add_paragraph("4.2 Targets by priority are set out in the table below.")
    t = d.add_table(rows=0, cols=3)
    for row in MATRIX:
        cells = t.add_row().cells
        for i, v in enumerate(row):
            cells[i].text = p1_resolution if (row[0] == "P1" and i == 2) else v
    d.add_heading("5 Reporting", level=2)
    d.add_paragraph("5.1 A monthly service report is delivered to the Client.")
    d.save(str(path))
    return path


def test_docx_headings_clauses_and_table_in_order(tmp_path: Path) -> None:
    doc = load_document(_docx(tmp_path / "msa.docx"))
    refs = doc.refs()
    assert refs[:4] == ["Managed Services Agreement", "4", "4.1", "4.2"]
    assert doc.clause("4").heading == "Service levels"
    c42 = doc.clause("4.2")
    assert "P1 | 1 hour | 4 hours" in c42.text  # the table rows stay in clause 4.2, in order
    assert c42.text.index("P1 |") < c42.text.index("P2 |") < c42.text.index("P3 |")
    assert refs.index("4.2") < refs.index("5")
    ex = extract(doc)
    got = {e.field: (e.value, e.clause) for e in ex.items if e.field.startswith("targets.")}
    assert got["targets.P1.response"] == ("1h", "4.2") and got["targets.P1.resolution"] == ("4h", "4.2")
    assert got["targets.P2.resolution"] == ("8h", "4.2")
    assert got["targets.P3.resolution"][0] == "24h"  # 3 business days of 8 h
    e = ex.first("targets.P1.resolution")
    assert e is not None and doc.text[e.span[0] : e.span[1]] == "4 hours"


def test_docx_lint_finds_vague_clause_and_weak_matrix_row(tmp_path: Path) -> None:
    findings = lint(load_document(_docx(tmp_path / "msa.docx", p1_resolution="24 hours")), as_of="2026-11-01")
    codes = {f.code: f for f in findings}
    assert codes["W01"].clause == "4.1"
    assert codes["W07"].clause == "4.2" and "P1 resolution" in codes["W07"].evidence
    assert "W02" not in codes and "W04" not in codes
    ok = {f.code for f in lint(load_document(_docx(tmp_path / "ok.docx")), as_of="2026-11-01")}
    assert "W07" not in ok


def _pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    story = [
        Paragraph("Schedule 2: Service Levels", styles["Heading1"]),
        Paragraph("2.1 Severity levels and targets are as follows.", styles["Normal"]),
        Table([["Severity 1", "15 minutes", "4 hours"], ["Severity 2", "1 hour", "same business day"]],
              style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")])),
        Spacer(1, 12),
        Paragraph("2.2 Response and resolution columns above apply 24/7 for Severity 1.", styles["Normal"]),
        Paragraph("2.3 Backups are monitored daily for cloud and on-premises servers.", styles["Normal"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_pdf_text_and_table(tmp_path: Path) -> None:
    doc = load_document(_pdf(tmp_path / "sla.pdf"))
    assert doc.refs()[:2] == ["Schedule 2", "2.1"]
    assert doc.clause("Schedule 2").heading == "Service Levels"
    c = doc.clause("2.1")
    assert "Severity 1 | 15 minutes | 4 hours" in c.text
    assert "Severity 2 | 1 hour | same business day" in c.text
    # no header row: the table's times still belong to the severity, and the metric is unknown
    # without a column header -> only values with a metric word nearby are extracted
    ex = extract(doc)
    assert ex.priority_map["Severity 1"] == "P1" and ex.priority_map["Severity 2"] == "P2"
    assert ex.first("backup.monitoring").value == "cloud+on-prem"  # type: ignore[union-attr]


def test_bad_files_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DocumentError, match=r"broken\.docx"):
        load_document(bad)
    badpdf = tmp_path / "broken.pdf"
    badpdf.write_bytes(b"%PDF-1.4 nonsense")
    with pytest.raises(DocumentError, match=r"broken\.pdf"):
        load_document(badpdf)
    with pytest.raises(DocumentError, match="no such file"):
        load_document(tmp_path / "absent.md")


def test_segmentation_numbering_styles() -> None:
    text = (
        "Preamble line.\n\n# 1 Scope\n\n1.1 First clause.\n\n   (a) lettered item stays in 1.1\n\n"
        "Section 3 Support\n\nSchedule 2\n\n## Service credits\n\nCredits apply.\n\n"
        "1. Item\n    1. Nested item\n        1. Deeper\n2. Next\n\nShort Title\n-----------\nBody.\n"
    )
    doc = segment(text)
    assert doc.refs() == ["preamble", "1", "1.1", "Section 3", "Schedule 2", "Service credits",
                          "1", "1.1", "1.1.1", "2", "Short Title"]
    assert "(a) lettered item" in doc.clause("1.1").text
    for c in doc.clauses:
        assert doc.text[c.span[0] : c.span[1]] == c.text
