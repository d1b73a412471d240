"""The pages both PDFs share (workbench.reports.pdf.template): the cover for the preparer,
no file paths anywhere, Letter and A4, a running header that is never cut, the dates of
the as-of day.  On the demo workspace: its redline (2025 -> 2026-Q4) and its review of
Q3 2026, written through the commands as a person would."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth

from workbench.cli import main
from workbench.reports.pdf.fonts import FONT, register_fonts
from workbench.reports.pdf.template import fit_lines, page_size, read_logo

WS_NAME = "zz-lakeshore-engagement.slawb"
# a path as a document must never print: a slash-separated name ending in a file suffix,
# an absolute POSIX or Windows path, the demo's resource folder
PATH_LIKE = re.compile(
    r"[\w.-]+/[\w./-]*\.(?:ya?ml|json|csv|gz|slawb|pdf|pptx|docx|md|txt|png)\b"
    r"|(?<![\w)])/(?:tmp|home|usr|var|work|Users)/"
    r"|[A-Za-z]:\\"
    r"|resources/|\.slawb\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    ws = folder / WS_NAME
    assert main(["demo", "--workspace", str(ws)]) == 0
    from PIL import Image

    Image.new("RGB", (300, 90), "#1F4FD0").save(folder / "logo.png")
    return ws


@pytest.fixture(scope="module")
def plain(demo: Path) -> dict[str, Path]:
    """The demo's redline and review with no preparer, logo or paper given (made once)."""
    folder = demo.parent
    return {"redline": _redline(demo, folder / "redline.pdf"), "qbr": _qbr(demo, folder / "qbr.pdf")}


def _redline(ws: Path, out: Path, *extra: str) -> Path:
    assert main(["redline", "2", "3", "--workspace", str(ws), "-o", str(out), *extra]) == 0
    return out


def _qbr(ws: Path, out: Path, *extra: str) -> Path:
    assert main(["report", "--workspace", str(ws), "--quarter", "2026Q3", "-o", str(out), *extra]) == 0
    return out


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def test_the_path_pattern_catches_what_it_must() -> None:
    for bad in ("resources/demo/northwind-2025.yaml", "from /tmp/x/a.csv", "C:\\Users\\a", "w.slawb",
                "docs/tickets.csv"):
        assert PATH_LIKE.search(bad), bad
    for fine in ("America/Toronto", "met / breached / pending", "2025 → 2026-Q4", "P1/P2", "24/7"):
        assert not PATH_LIKE.search(fine), fine


def test_no_file_path_or_workspace_name_in_either_document(demo: Path, plain: dict[str, Path]) -> None:
    for out in plain.values():
        text = _text(out)
        assert "Northwind" in text  # the text was read
        assert not PATH_LIKE.findall(text), (out.name, PATH_LIKE.findall(text)[:5])
        for name in (WS_NAME, Path(WS_NAME).stem, str(demo.parent), "northwind-2025", "northwind-2026"):
            assert name not in text, (out.name, name)
        assert "SLA Workbench" not in text  # the cover is the preparer's, not the tool's


def test_cover_names_the_preparer_and_shows_the_logo(demo: Path, tmp_path: Path) -> None:
    logo = str(demo.parent / "logo.png")
    who = ("--brand", "Harbour Advisory", "--logo", logo, "--prepared-by", "Jane Roe")
    for out in (_redline(demo, tmp_path / "r.pdf", *who), _qbr(demo, tmp_path / "q.pdf", *who)):
        with pdfplumber.open(out) as pdf:
            cover = pdf.pages[0]
            text = cover.extract_text()
            assert "Harbour Advisory" in text.split("\n")[0], text
            assert re.search(r"Prepared by\s+Jane Roe", text), text
            assert len(cover.images) == 1  # the logo, on the band
            img = cover.images[0]
            assert img["top"] < 34 * 72 / 25.4  # inside the band
            assert all(not p.images for p in pdf.pages[1:2])  # not repeated on the body pages
            assert pdf.metadata["Author"] == "Jane Roe"


def test_prepared_by_is_left_out_when_nobody_is_named(plain: dict[str, Path]) -> None:
    for out in plain.values():
        with pdfplumber.open(out) as pdf:
            cover = pdf.pages[0].extract_text()
        assert "Prepared by" not in cover and "not stated" not in cover
        # the band names the provider, from the contract
        assert "Northwind Managed Services" in cover.split("\n")[0]


def test_the_deck_cover_names_the_preparer(demo: Path, tmp_path: Path) -> None:
    from pptx import Presentation

    logo = str(demo.parent / "logo.png")
    out = _qbr(demo, tmp_path / "q.pptx", "--logo", logo, "--prepared-by", "Jane Roe")
    first = Presentation(str(out)).slides[0]
    text = "\n".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
    assert "Prepared by: Jane Roe" in text and "not stated" not in text
    assert sum(1 for s in first.shapes if s.shape_type == 13) == 1  # the logo picture
    plain = _qbr(demo, tmp_path / "p.pptx")
    text = "\n".join(s.text_frame.text for s in Presentation(str(plain)).slides[0].shapes if s.has_text_frame)
    assert "Prepared by" not in text


def _box(path: Path) -> tuple[float, float]:
    from pypdf import PdfReader

    pages = PdfReader(path).pages
    boxes = {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in pages}
    assert len(boxes) == 1
    return boxes.pop()


def test_letter_and_a4_from_the_command_line(demo: Path, plain: dict[str, Path], tmp_path: Path) -> None:
    letter, a4 = (round(LETTER[0], 1), round(LETTER[1], 1)), (round(A4[0], 1), round(A4[1], 1))
    # the demo's client is in Ontario: Letter by default
    assert _box(plain["redline"]) == letter
    assert _box(plain["qbr"]) == letter
    assert _box(_redline(demo, tmp_path / "ra4.pdf", "--page-size", "a4")) == a4
    assert _box(_qbr(demo, tmp_path / "qa4.pdf", "--page-size", "A4")) == a4
    # A4's text width, centred on Letter: the body's left edge moves, the lines do not rewrap
    with pdfplumber.open(plain["redline"]) as a, pdfplumber.open(tmp_path / "ra4.pdf") as b:
        xa = min(c["x0"] for c in a.pages[1].chars)
        xb = min(c["x0"] for c in b.pages[1].chars)
        assert xa - xb == pytest.approx((LETTER[0] - A4[0]) / 2, abs=0.6)


def test_a_bad_page_size_or_logo_is_a_one_line_error(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--workspace", str(demo), "--quarter", "2026Q3", "-o", str(tmp_path / "q.pdf"),
              "--page-size", "legal"])
    bad = tmp_path / "logo.png"
    bad.write_text("not a picture")
    assert main(["redline", "2", "3", "--workspace", str(demo), "-o", str(tmp_path / "r.pdf"),
                 "--logo", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith("logo.png: not a PNG or JPEG picture")
    assert not (tmp_path / "r.pdf").exists()


def test_paper_default_from_the_country_then_the_locale() -> None:
    assert page_size("", "CA") == LETTER and page_size("", "US") == LETTER
    assert page_size("", "GB") == A4 and page_size("", "DE", "en_US.UTF-8") == A4  # the country wins
    assert page_size("", None, "en_CA.UTF-8") == LETTER and page_size("", None, "fr_CA") == LETTER
    assert page_size("", None, "en_GB.UTF-8") == A4 and page_size("", None, "C") == A4
    assert page_size("a4", "CA") == A4 and page_size("LETTER", "GB") == LETTER
    with pytest.raises(ValueError, match="letter or a4"):
        page_size("legal")


def test_a_contract_without_a_country_takes_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    from models.contract import contract_from_data
    from workbench.documents.diff import version_from_contract
    from workbench.reports.pdf import RedlineOptions
    from workbench.reports.pdf.redline import build_redline

    data: dict[str, Any] = {"name": "No-country SLA", "version": "1", "targets": {"P1": {"response": "1h"}}}
    old = contract_from_data(data)
    new = contract_from_data({**data, "version": "2", "targets": {"P1": {"response": "30m"}}})
    opts = RedlineOptions(as_of=date(2026, 3, 1), prepared_on=date(2026, 3, 1))
    for loc, size in (("en_US.UTF-8", LETTER), ("de_DE.UTF-8", A4)):
        monkeypatch.setenv("LC_ALL", loc)
        pdf = build_redline(version_from_contract(old), version_from_contract(new), opts, lint=lambda *a: [])
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            assert (doc.pages[0].width, doc.pages[0].height) == pytest.approx(size)


def test_fit_lines_shrinks_then_wraps_and_loses_nothing() -> None:
    register_fonts()
    short = "Lakeshore Dental Group — review"
    assert fit_lines(short, FONT, 7.5, 400) == (7.5, [short])
    longer = "Northwind Managed Services — Lakeshore Dental Group SLA — redline: 2025 → 2026-Q4 proposal"
    size, lines = fit_lines(longer, FONT, 7.5, 330)
    assert 6 <= size < 7.5 and lines == [longer]
    huge = " ".join(["Société Québécoise des services gérés"] * 8)
    size, lines = fit_lines(huge, FONT, 7.5, 330)
    assert len(lines) > 1 and all(stringWidth(x, FONT, size) <= 330 for x in lines)
    assert " ".join(lines) == huge


def test_running_header_is_never_cut(tmp_path: Path) -> None:
    """A contract name long enough to need two lines: every page's header holds the whole
    header text, inside the page, above the body."""
    from models.contract import contract_from_data
    from workbench.documents.diff import version_from_contract
    from workbench.reports.pdf import RedlineOptions
    from workbench.reports.pdf.redline import build_redline

    name = "Northwind Managed Services — Lakeshore Dental Group and its Affiliated Clinics of Ontario SLA"
    data: dict[str, Any] = {
        "name": name, "version": "2025 master agreement", "targets": {"P1": {"response": "1h"}},
        "clauses": [{"number": str(i), "heading": f"Clause {i}", "text": "The provider shall respond. " * 40}
                    for i in range(30)],
    }
    old = contract_from_data(data)
    new = contract_from_data(
        {**data, "version": "2026-Q4 proposal for renewal", "targets": {"P1": {"response": "30m"}}}
    )
    opts = RedlineOptions(as_of=date(2026, 3, 1), prepared_on=date(2026, 3, 1), page_size="a4")
    pdf = build_redline(version_from_contract(old), version_from_contract(new), opts, lint=lambda *a: [])
    header = f"{name} — redline: 2025 master agreement → 2026-Q4 proposal for renewal"
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) > 3
        for page in doc.pages[1:]:
            top = page.crop((0, 0, page.width, 22 * 72 / 25.4 - 6))  # above the body frame
            chars = top.chars
            assert chars and min(c["x0"] for c in chars) >= 0 and max(c["x1"] for c in chars) <= page.width
            words = top.extract_text().replace("DRAFT", " ").split()
            assert " ".join(words) == " ".join(header.split())


def test_documents_are_dated_by_the_as_of_day_and_reproducible(
    demo: Path, plain: dict[str, Path], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    for make, a in ((_redline, plain["redline"]), (_qbr, plain["qbr"])):
        b = make(demo, tmp_path / "b.pdf")
        assert a.read_bytes() == b.read_bytes()
        meta = PdfReader(a).metadata
        assert meta is not None and meta.creation_date is not None and meta.modification_date is not None
        assert meta.creation_date.date() == meta.modification_date.date() == date(2026, 11, 1)


def test_read_logo_refuses_what_is_not_a_picture(tmp_path: Path) -> None:
    gif = tmp_path / "a.gif"
    from PIL import Image

    Image.new("RGB", (4, 4)).save(gif)
    with pytest.raises(ValueError, match="GIF picture; the logo must be PNG or JPEG"):
        read_logo(gif)
    with pytest.raises(ValueError, match="cannot read the logo"):
        read_logo(tmp_path / "missing.png")
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG" + b"0" * 2_100_000)
    with pytest.raises(ValueError, match="at most 2 MB"):
        read_logo(big)


def test_default_paper_names_the_rule_the_documents_follow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialogs' default (key and why) is the paper a document gets when none is chosen."""
    from models.contract import contract_from_data
    from workbench.reports.pdf.template import default_paper, page_size_for

    base: dict[str, Any] = {"name": "SLA", "version": "1", "targets": {"P1": {"response": "1h"}}}
    cal = {"timezone": "UTC", "weekly": {"mon": ["08:00-17:00"]}}
    for country, key in (("CA", "letter"), ("US", "letter"), ("FR", "a4")):
        c = contract_from_data({**base, "calendars": {"b": {**cal, "holidays": {"country": country}}}})
        assert default_paper(c) == (key, f"the client's country, {country}")
        assert page_size_for(c) == page_size_for(c, key)
    bare = contract_from_data(base)
    for loc, key in (("en_US.UTF-8", "letter"), ("de_DE.UTF-8", "a4")):
        monkeypatch.setenv("LC_ALL", loc)
        assert default_paper(bare) == (key, "the computer's locale")
        assert page_size_for(bare) == page_size_for(bare, key)
