"""Inputs large enough to make a parser, a diff or the layout do work beyond their size: a
DOCX of many paragraphs, a text repeating one span thousands of times, two documents of
thousands of clauses.  Each is now read in time linear in its size or refused before the work
in one line naming the file, the limit, the value and the ``--limit`` option that raises it;
the advice in that line is run and works."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from models import limits
from tests import fuzz_corpus as fc
from tests.test_hostile_inputs import _no_alarm_past
from workbench.cli import main
from workbench.documents import diff, reader

OLD = fc.DEMO / "northwind-2025.yaml"


def _within(seconds: int) -> Any:
    return _no_alarm_past(seconds)


def _docx(path: Path, paragraphs: int) -> Path:
    """A DOCX of ``paragraphs`` paragraphs, built by repeating one in document.xml (python-docx's
    add_paragraph is too slow for 100,000)."""
    base = fc.make_docx(["The provider answers P1 tickets within 1 hour."])
    zin = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode()
                m = re.search(r"<w:p[ >].*?</w:p>", text, re.S)
                assert m is not None
                text = text[: m.start()] + m.group(0) * paragraphs + text[m.end():]
                data = text.encode()
            zout.writestr(info, data)
    return path


def _one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    rc = main(argv)
    err = capsys.readouterr().err.strip()
    assert rc == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def _advice(line: str) -> tuple[str, str]:
    m = re.search(r"raise it with --limit ([a-z-]+)=N\)$", line)
    assert m is not None, line
    return "--limit", f"{m.group(1)}="


# ------------------------------------------------------------------ DOCX paragraphs


def test_docx_styles_are_looked_up_once_per_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx finds a paragraph's style by scanning every style of the document; the reader
    did that twice a paragraph (2,000 paragraphs took 8 s, 20,000 past the 30 s limit).  It now
    asks once per style id, so the work per paragraph does not grow with the styles."""
    from docx.parts.document import DocumentPart

    calls = []
    real = DocumentPart.get_style

    def counted(self: DocumentPart, *args: Any) -> Any:
        calls.append(args)
        return real(self, *args)

    monkeypatch.setattr(DocumentPart, "get_style", counted)
    path = _docx(tmp_path / "many.docx", 3_000)
    text = reader._docx_text(path)
    assert text.count("The provider answers P1 tickets within 1 hour.") == 3_000
    assert 1 <= len(calls) <= 3, len(calls)


def test_a_docx_over_the_paragraph_limit_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _docx(tmp_path / "huge.docx", limits.DOCUMENT_PARAGRAPHS + 1)

    def parsed(_p: Path) -> str:
        raise AssertionError("the DOCX was parsed")

    monkeypatch.setattr(reader, "_docx_text", parsed)
    with _within(20):
        line = _one_line(capsys, ["lint", str(path), "--json"])
    assert str(path) in line
    assert f"paragraphs in the document: more than {limits.DOCUMENT_PARAGRAPHS:,}" in line
    assert f"the limit is {limits.DOCUMENT_PARAGRAPHS:,}" in line
    assert line.endswith("(raise it with --limit document-paragraphs=N)")


def test_the_paragraph_count_finds_tags_across_read_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count reads document.xml a piece at a time; a tag cut by a piece's end counts once."""
    path = _docx(tmp_path / "p.docx", 500)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml")
    expected = len(re.findall(rb"<w:p[ >/]", xml))
    assert expected >= 500
    for piece in (7, 41, 1000, 1 << 20):
        monkeypatch.setattr(limits, "_READ", piece)
        with limits.raised([("document-paragraphs", expected)]):
            limits.check_docx_paragraphs(path)
        with limits.raised([("document-paragraphs", expected - 1)]), pytest.raises(limits.LimitExceeded):
            limits.check_docx_paragraphs(path)


def test_the_docx_refusal_advice_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The option the refusal names, given a larger value, reads the file; the limit is back to
    its default after the command."""
    path = _docx(tmp_path / "doc.docx", 300)
    line = _one_line(capsys, ["lint", str(path), "--json", "--limit", "document-paragraphs=200"])
    flag, name = _advice(line)
    assert main(["lint", str(path), "--json", flag, name + "1000"]) in (0, 1)
    out = capsys.readouterr()
    assert "Traceback" not in out.err and out.out.startswith("{"), out.err
    assert limits.DOCUMENT_PARAGRAPHS == 100_000


# ------------------------------------------------------------------ redline of repeated text


def test_a_redline_of_a_span_repeated_20000_times_is_refused_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It ran past 30 s (the layout wrapped one huge paragraph again for every page); the
    clause text a redline lays out is bounded and this one is refused before the diff."""
    data = fc.base_text().encode()
    path = tmp_path / "rep.md"
    path.write_bytes(data[:340] + data[300:340] * 20_000 + data[340:])
    out = tmp_path / "r.pdf"
    with _within(25):
        line = _one_line(capsys, ["redline", str(OLD), str(path), "-o", str(out)])
    assert str(path) in line and "clause text of the two versions" in line
    assert f"the limit is {limits.REDLINE_CHARS:,}" in line
    assert line.endswith("(raise it with --limit redline-chars=N)")
    assert not out.exists()


def test_the_redline_refusal_advice_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doc.md"
    path.write_text(fc.base_text(), encoding="utf-8")
    out = tmp_path / "r.pdf"
    line = _one_line(capsys, ["redline", str(OLD), str(path), "-o", str(out),
                              "--limit", "redline-chars=1000"])
    assert not out.exists()
    flag, name = _advice(line)
    assert main(["redline", str(OLD), str(path), "-o", str(out), flag, name + "1000000"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_a_long_clause_is_laid_out_in_pieces_that_keep_every_line() -> None:
    """A clause body longer than BODY_PIECE is cut at its line breaks into paragraphs (one
    paragraph split across pages costs the square of its length)."""
    from workbench.reports.pdf import document as pdf

    style = pdf._styles()["clause"]
    markup = "<br/>".join(f"line {i} of the clause" for i in range(5_000))
    parts = pdf._body(markup, style, None)
    assert len(parts) > 5
    texts = [p.text for p in parts]
    assert "<br/>".join(texts) == markup
    assert all(len(t) <= pdf.BODY_PIECE + 40 for t in texts)
    assert parts[0].style.spaceBefore == style.spaceBefore and parts[0].style.spaceAfter == 0
    assert parts[-1].style.spaceAfter == style.spaceAfter and parts[-1].style.spaceBefore == 0
    assert pdf._body("short<br/>text", style, None)[0].style is style


# ------------------------------------------------------------------ the diff's own bounds


def test_word_diff_of_repeated_text_is_bounded() -> None:
    """difflib's matcher works in the product of the lengths when tokens repeat: 3,500 repeats
    against a copy with one insertion took 33 s.  Past DIFF_PAIRS the common start and end are
    matched first; the insertion is still found exactly."""
    span = " public holidays in the United States.\n\n"
    a = "Intro.\n" + span * 3_500 + "end"
    b = "Intro.\n" + span * 1_750 + " extra words" + span * 1_750 + "end"
    with _within(15):
        segs = diff.word_diff(a, b)
        sim = diff.similarity(a, b)
    assert [s.op for s in segs] == ["equal", "insert", "equal"]
    assert segs[1].words == ["extra", "words"]
    assert "".join(s.text for s in segs if s.op != "delete") == b
    assert sim > 0.99


def test_word_diff_of_unrelated_long_texts_is_bounded() -> None:
    import random

    r = random.Random(1)
    words = [f"w{i}" for i in range(150)]  # each under 1%: difflib's popular-token rule misses them
    a = " ".join(r.choice(words) for _ in range(40_000))
    b = " ".join(r.choice(words) for _ in range(40_000))
    with _within(15):
        segs = diff.word_diff(a, b)
    assert "".join(s.text for s in segs if s.op != "insert").split() == a.split()
    assert "".join(s.text for s in segs if s.op != "delete").split() == b.split()


def test_small_texts_are_diffed_exactly_as_difflib_does() -> None:
    import difflib

    a, b = "P1 response within 1 hour, resolution 4 hours", "P1 response within 30 minutes, resolution 4h"
    ka = [diff._key(t) for t in diff.tokenize(a)]
    kb = [diff._key(t) for t in diff.tokenize(b)]
    assert diff._opcodes(ka, kb) == difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes()


def test_clause_alignment_of_thousands_of_clauses_is_bounded(tmp_path: Path) -> None:
    """Every unpaired old clause was compared with every unpaired new one (500 a side took
    21 s, 2,000 would take hours); past CLAUSE_PAIRS each is compared with those nearest its place."""
    n = 2_000
    old = "".join(f"## Heading {i % 7}\n\nThe provider answers tickets of kind {i} within {i % 9} hours.\n\n"
                  for i in range(n))
    new = "".join(f"## Heading {i % 5}\n\nThe provider answers tickets of sort {i} within {i % 8} hours.\n\n"
                  for i in range(n))
    (tmp_path / "a.md").write_text(old)
    (tmp_path / "b.md").write_text(new)
    va, vb = diff.load_version(tmp_path / "a.md"), diff.load_version(tmp_path / "b.md")
    with _within(20):
        d = diff.diff_versions(va, vb)
    paired = [c for c in d.clauses if c.old is not None and c.new is not None]
    assert len(paired) > n // 2
    assert sum(len(diff._candidates(k, n, list(range(n)))) for k in range(n)) <= 2 * diff.CLAUSE_PAIRS


# ------------------------------------------------------------------ the option itself


def test_limit_values_are_checked() -> None:
    assert limits.parse_limit("document-size=500MB") == ("document-size", 500 << 20)
    assert limits.parse_limit("parse-seconds=120") == ("parse-seconds", 120)
    assert limits.parse_limit("parse-seconds=120s") == ("parse-seconds", 120)
    assert limits.parse_limit("redline-chars=1,000,000") == ("redline-chars", 1_000_000)
    for bad in ("nesting=100", "parse-seconds", "parse-seconds=0", "redline-chars=5MB", "document-size=lots"):
        with pytest.raises(ValueError, match=re.escape(repr(bad))):
            limits.parse_limit(bad)
    with limits.raised([("parse-seconds", 5)]):
        assert limits.PARSE_SECONDS == 5
    assert limits.PARSE_SECONDS == 30


def test_an_unknown_limit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["lint", str(OLD), "--limit", "nesting=100"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "'nesting=100': expected NAME=VALUE" in err and "Traceback" not in err
