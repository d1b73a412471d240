"""Untrusted parsing in a child process (workbench.sandbox): a parser that hangs, swells
or crashes is stopped with one line naming the file; results and the parser's own errors
come back as they were; the document reader goes through it for DOCX and PDF."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from workbench import sandbox
from workbench.documents import reader


def _text(path: Path) -> str:
    return f"read {path.name}"


def _refuse(path: Path) -> str:
    raise reader.DocumentError(f"{path}: not a DOCX file")


def _hang(path: Path) -> str:
    time.sleep(120)
    return "never"


def _swell(path: Path) -> str:
    chunks = [bytearray(64 << 20) for _ in range(64)]  # 4 GB, far past the limit
    return str(len(chunks))


def _abort(path: Path) -> str:
    os.abort()


def test_the_result_and_the_parsers_own_error_come_back(tmp_path: Path) -> None:
    f = tmp_path / "a.docx"
    assert sandbox.run_isolated(_text, f) == "read a.docx"
    with pytest.raises(reader.DocumentError, match=r"a\.docx: not a DOCX file$"):
        sandbox.run_isolated(_refuse, f)


def test_a_parser_past_its_time_is_stopped(tmp_path: Path) -> None:
    t0 = time.monotonic()
    with pytest.raises(sandbox.ParseStopped,
                       match=r"^.*h\.pdf: could not be read within 1 s \(the file may be damaged\)$"):
        sandbox.run_isolated(_hang, tmp_path / "h.pdf", seconds=1)
    assert time.monotonic() - t0 < 10


def test_a_parser_past_its_memory_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(sandbox.ParseStopped, match=r"m\.docx: could not be read within 256 MB of memory"):
        sandbox.run_isolated(_swell, tmp_path / "m.docx", memory=256 << 20, seconds=60)


def test_a_crashing_parser_and_a_cancel(tmp_path: Path) -> None:
    with pytest.raises(sandbox.ParseStopped, match=r"c\.pdf: the reader stopped unexpectedly"):
        sandbox.run_isolated(_abort, tmp_path / "c.pdf")
    t0 = time.monotonic()
    with pytest.raises(sandbox.ParseStopped, match=r"x\.pdf: reading was cancelled"):
        sandbox.run_isolated(_hang, tmp_path / "x.pdf", cancel=lambda: time.monotonic() - t0 > 0.3)
    assert time.monotonic() - t0 < 10


def test_the_reader_parses_docx_and_pdf_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A DOCX whose parser would hang ends as a DocumentError in the set time (the parent
    never runs the parser: the child does, and is stopped)."""
    doc = tmp_path / "slow.docx"
    doc.write_bytes(b"PK\x03\x04 not really")
    monkeypatch.setattr(reader, "_docx_text", _hang)
    monkeypatch.setattr(sandbox.limits, "PARSE_SECONDS", 1)
    with pytest.raises(reader.DocumentError, match=r"slow\.docx: could not be read within 1 s"):
        reader.load_document(doc)


def test_document_budget(tmp_path: Path) -> None:
    long_line = tmp_path / "line.txt"
    long_line.write_text("SLA " + "x" * 300_000 + "\n", encoding="utf-8")
    with pytest.raises(reader.DocumentError,
                       match=r"line\.txt: line 1: 300,004 characters; the limit is 200,000"):
        reader.load_document(long_line)
    many = tmp_path / "many.md"
    many.write_text("1. Clause\n" * 60_000, encoding="utf-8")
    with pytest.raises(reader.DocumentError, match=r"many\.md: lines: 60,001 lines; the limit is 50,000"):
        reader.load_document(many)
