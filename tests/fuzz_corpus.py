"""A generator of malformed input files of every kind the program reads, and the
subcommands to run on each (used by tests/test_fuzz_corpus.py and benchmarks/fuzz.py).

Everything is made at run time from the demo's own files and a seeded random source (no
binary fixtures): contract files (YAML, JSON), ticket and status-log CSVs (plain and
gzipped), record CSVs, XLSX workbooks, DOCX and PDF documents, Markdown/text documents,
rationale and weights files.  Each file is a valid one damaged in one way: cut short,
bytes flipped or spliced, a field set to a hostile value, structure nested or repeated past
the budget of ``models.limits``, archives that are bombs or broken, PDFs whose objects
refer to themselves.
"""

from __future__ import annotations

import copy
import gzip
import io
import json
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"
DOCS = ROOT / "tests" / "fixtures" / "documents"

DOCX_PARAGRAPHS = 2_000  # the most paragraphs a generated DOCX gets (the benchmark raises it)
KINDS = ("contract_yaml", "contract_json", "tickets_csv", "tickets_gz", "status_csv", "records_csv",
         "xlsx", "docx", "pdf", "text", "rationale", "weights")


@dataclass(frozen=True)
class Case:
    kind: str
    path: Path
    how: str  # what was done to the file, for the failure message


# ------------------------------------------------------------------ valid bases


def base_contract() -> dict[str, Any]:
    return dict(yaml.safe_load((DEMO / "northwind-2025.yaml").read_text(encoding="utf-8")))


def base_tickets(rows: int = 40) -> bytes:
    lines = (DEMO / "tickets.csv").read_bytes().split(b"\n")
    return b"\n".join(lines[: rows + 1]) + b"\n"


def base_status(tickets: bytes) -> bytes:
    ids = [ln.split(b",", 1)[0] for ln in tickets.split(b"\n")[1:] if ln]
    opened = [ln.split(b",")[2] for ln in tickets.split(b"\n")[1:] if ln]
    out = [b"ticket_id,at,status"]
    for i, (tid, at) in enumerate(zip(ids, opened, strict=True)):
        out.append(tid + b"," + at + b",New")
        if i % 3 == 0:
            out.append(tid + b"," + at.replace(b":", b":", 1) + b",Awaiting User Info")
    return b"\n".join(out) + b"\n"


def base_records() -> dict[str, bytes]:
    return {name: b"\n".join((DEMO / name).read_bytes().split(b"\n")[:12]) + b"\n"
            for name in ("kpis.csv", "backups.csv", "outages.csv", "restore_tests.csv")}


def base_text() -> str:
    return (DOCS / "01-md-table-msp.md").read_text(encoding="utf-8")


def make_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    return _saved(wb)


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    return _saved(d)


def _saved(doc: Any) -> bytes:
    """The bytes of an openpyxl workbook or python-docx document."""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def make_pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = 800
    for ln in lines:
        c.drawString(40, y, ln[:120])
        y -= 14
        if y < 40:
            c.showPage()
            y = 800
    c.save()
    return buf.getvalue()


# ------------------------------------------------------------------ byte-level damage


def _cut(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    n = rng.randrange(0, max(len(data), 1))
    return data[:n], f"cut at byte {n} of {len(data)}"


def _flip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    b = bytearray(data)
    k = rng.choice((1, 3, 20, 200))
    for _ in range(k):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b), f"{k} bytes set at random"


def _splice(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    junk = rng.choice((b"\x00" * 50, b"\xff\xfe\x00\x00", b'"', b"\r", b"\n" * 1000, bytes(range(256)),
                       b"<![CDATA[", b"${jndi:x}", b"\xed\xa0\x80", "\u202e\u0000".encode()))
    at = rng.randrange(0, max(len(data), 1))
    return data[:at] + junk + data[at:], f"{len(junk)} odd bytes spliced in at {at}"


def _repeat(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if len(data) < 4:
        return data * 1000, "repeated 1000 times"
    a = rng.randrange(0, len(data) - 2)
    b = min(len(data), a + rng.randrange(1, 200))
    times = rng.choice((10, 1000, 20_000))
    return data[:b] + data[a:b] * times + data[b:], f"bytes {a}-{b} repeated {times} times"


def _drop(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if len(data) < 2:
        return b"", "emptied"
    a = rng.randrange(0, len(data) - 1)
    b = min(len(data), a + rng.randrange(1, max(2, len(data) // 4)))
    return data[:a] + data[b:], f"bytes {a}-{b} removed"


def _empty(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    return rng.choice((b"", b" ", b"\n", b"\xef\xbb\xbf", b"\x00")), "empty or one odd byte"


def _binary(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    return rng.randbytes(rng.choice((16, 4096, 100_000))), "random bytes"


def _recode(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    text = data.decode("utf-8", errors="replace")
    enc = rng.choice(("utf-16", "utf-16-le", "utf-32", "utf-32-be", "cp1252", "latin-1"))
    return text.encode(enc, errors="replace"), f"re-encoded as {enc}"


BYTE_DAMAGE: tuple[Callable[[random.Random, bytes], tuple[bytes, str]], ...] = (
    _cut, _flip, _splice, _repeat, _drop, _empty, _binary, _recode)


# ------------------------------------------------------------------ structured damage


def _deep(depth: int) -> Any:
    v: Any = "x"
    for _ in range(depth):
        v = [v]
    return v


HOSTILE_VALUES: tuple[Any, ...] = (
    None, "", " ", 0, -1, 10**400, 1e308, float("inf"), "nan", True, [], {}, [[[]]], "0001-01-01",
    "9999-12-31", "10000-01-01", "1969-12-31", "2026-02-30", "25:00-26:00", "08:00-08:00", "-3h", "1e9h",
    "x" * 300_000, "Ω≈ç√∫" * 1000, "<b>&amp;</font><para>", "${jndi:ldap://x}", "\x00\x01",
    "'; DROP TABLE x; --",
    "America", "Europe/", "A" * 300, "P0", "P1 ", 3.5, _deep(60), ["08:00-17:00"] * 200, list(range(20_000)),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


def _delete(data: Any, path: tuple[Any, ...]) -> None:
    for p in path[:-1]:
        data = data[p]
    del data[path[-1]]


def damaged_contract(rng: random.Random) -> tuple[dict[str, Any] | Any, str]:
    c = base_contract()
    paths = _paths(c)
    what = rng.randrange(10)
    if what < 5:
        path = rng.choice(paths)
        value = copy.deepcopy(rng.choice(HOSTILE_VALUES))
        _set(c, path, value)
        return c, f"{'.'.join(map(str, path))} set to {str(value)[:40]!r}"
    if what == 5:
        path = rng.choice(paths)
        _delete(c, path)
        return c, f"{'.'.join(map(str, path))} removed"
    if what == 6:
        c[rng.choice(("zzz", "targets", "calendars", "clauses"))] = {"unknown": {"nested": 1}}
        return c, "a field replaced by an unknown mapping"
    if what == 7:
        n = rng.choice((3_000, 6_000, 60_000))
        c["clauses"] = [{"number": str(i), "heading": "H", "text": "P1 response within 1 hour."}
                        for i in range(n)]
        return c, f"{n} clauses"
    if what == 8:
        n = rng.choice((2_500, 100_000))
        c["pause_statuses"] = [f"Status {i}" for i in range(n)]
        return c, f"{n} pause statuses"
    return rng.choice(([], "just text", 42, None, [c])), "not a mapping at top level"


def billion_laughs() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, (prev, cur) in enumerate(zip("abcdefgh", "bcdefghi", strict=True)):
        lines.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
        del i
    lines.append("name: *i\nversion: '1'\n")
    return "\n".join(lines).encode()


def damaged_csv(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = data.split(b"\n")
    header, rows = lines[0], [r for r in lines[1:] if r]
    what = rng.randrange(12)
    if what == 0:
        return b"\n".join(rows) + b"\n", "no header row"
    if what == 1:
        return data.replace(b",", rng.choice((b";", b"\t", b"|", b",,"))), "another delimiter"
    if what == 2:
        cols = header.split(b",")
        rng.shuffle(cols)
        return b",".join(cols) + b"\n" + b"\n".join(rows) + b"\n", "header columns shuffled"
    if what == 3:
        extra = b",".join(b"c%d" % i for i in range(rng.choice((50, 2_000))))
        return header + b"," + extra + b"\n" + b"\n".join(rows) + b"\n", "many more columns"
    if what == 4:
        r = rng.randrange(len(rows))
        rows[r] = rows[r] + b"," + b"x" * rng.choice((1_000, 300_000))
        return header + b"\n" + b"\n".join(rows) + b"\n", "a very long field"
    if what == 5:
        r = rng.randrange(len(rows))
        rows[r] = b'"' + rows[r]
        return header + b"\n" + b"\n".join(rows) + b"\n", "an unbalanced quote"
    if what == 6:
        year = rng.choice((b"0000", b"0001", b"1900", b"1969", b"2101", b"9999", b"10000"))
        return data.replace(b"2024-", year + b"-", rng.randrange(1, 5)), f"years set to {year.decode()}"
    if what == 7:
        return data.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n"))), "other line endings"
    if what == 8:
        again = rows[: rng.randrange(1, len(rows) + 1)]
        return header + b"\n" + b"\n".join(rows + again) + b"\n", "rows twice"
    if what == 9:
        return data.replace(b"-04:00", b"").replace(b"-05:00", b""), "times without offset"
    if what == 10:
        return data.replace(b"P", rng.choice((b"", b"Q", b"P0", b"\x00"))), "priorities damaged"
    return header + b"\n" + rows[0] * rng.choice((200, 20_000)) + b"\n", "one row repeated without newlines"


def damaged_zip(rng: random.Random, data: bytes, inner: str) -> tuple[bytes, str]:
    """An XLSX or DOCX (a zip) damaged in its container or in its main XML part."""
    what = rng.randrange(6)
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == inner:
                if what == 0:
                    continue  # the main part missing
                if what == 1:
                    body = body[: len(body) // 2]
                elif what == 2:
                    body = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">'
                            b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' + body.split(b"?>", 1)[-1]
                            .replace(b">", b">&c;&e;", 3))
                elif what == 3:
                    body = body.replace(b"<", b"<<", 5)
            dst.writestr(info, body)
        if what == 4:
            dst.writestr("xl/media/bomb.bin" if inner.startswith("xl") else "word/media/bomb.bin",
                         b"\0" * (80 << 20))
    out = buf.getvalue()
    if what == 5:
        return _cut(rng, data)
    return out, ("main part missing", "main part cut in half", "entities in the main part",
                 "broken XML", "an 80 MB part that packs to kilobytes")[what]


def damaged_pdf(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    what = rng.randrange(5)
    if what == 0:
        return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                b"2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n"
                b"3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n"
                b"4 0 obj << /Length 4 0 R >> stream\nBT /F1 9 Tf (P1 response 1 hour) Tj ET\n"
                b"endstream endobj\n"
                b"trailer << /Root 1 0 R /Size 5 >>\n%%EOF\n"), "objects that refer to themselves"
    if what == 1:
        return data.replace(b"/Length", b"/Length 99999999 0 R %", 2), "lengths that refer to nothing"
    if what == 2:
        return data.replace(b"stream", b"stream\n" + rng.randbytes(300), 1), "garbage in a stream"
    if what == 3:
        return data.replace(b"xref", b"xrefxref"), "a broken cross-reference table"
    return _cut(rng, data)


def damaged_text(rng: random.Random, text: str) -> tuple[str, str]:
    what = rng.randrange(7)
    if what == 0:
        return text + "\n" + "1. " + "x" * rng.choice((10_000, 300_000)) + "\n", "a very long line"
    if what == 1:
        return "\n".join("  " * i + "- item" for i in range(rng.choice((200, 3_000)))), "a deeply nested list"
    if what == 2:
        return "\n".join(f"{i}. Clause {i}\nP1 response within {i % 9 + 1} hours." for i in range(
            rng.choice((2_000, 30_000)))), "thousands of numbered clauses"
    if what == 3:
        return ("P1 " + "response within " * 2_000 + "1 hour\n") * 3, "a phrase repeated thousands of times"
    if what == 4:
        return "|" + "|".join(["a"] * 5_000) + "|\n" + ("|" + "---|" * 5_000 + "\n") * 2, "a table 5,000 wide"
    if what == 5:
        return "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(20_000)), "random characters"
    return text.replace(" ", "\u00a0" * 3).replace("hour", "h" * 500), "odd spacing and long words"


# ------------------------------------------------------------------ the corpus


def generate(folder: Path, count: int, seed: int = 0) -> list[Case]:
    """``count`` damaged files in ``folder``, as many of each kind (seeded: the same files each
    run)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    tickets = base_tickets()
    status = base_status(tickets)
    records = base_records()
    text = base_text()
    xlsx = make_xlsx([ln.decode().split(",") for ln in tickets.split(b"\n") if ln])
    docx = make_docx(text.splitlines())
    pdf = make_pdf(text.splitlines())
    cases: list[Case] = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        r = random.Random(rng.random())
        byte_level = r.random() < 0.35
        name = f"{i:04d}-{kind}"
        if kind in ("contract_yaml", "contract_json"):
            suffix = ".yaml" if kind == "contract_yaml" else ".json"
            if not byte_level and kind == "contract_yaml" and r.random() < 0.08:
                data, how = billion_laughs(), "aliases that expand to a billion values"
            else:
                c, how = damaged_contract(r)
                if suffix == ".yaml":
                    dump = yaml.safe_dump(c, allow_unicode=True)
                else:
                    dump = json.dumps(c, default=str)
                data = dump.encode()
                if byte_level:
                    data, how2 = r.choice(BYTE_DAMAGE)(r, (DEMO / "northwind-2025.yaml").read_bytes()
                                                     if suffix == ".yaml" else data)
                    how = how2
        elif kind in ("tickets_csv", "tickets_gz", "status_csv", "records_csv"):
            src = {"tickets_csv": tickets, "tickets_gz": tickets, "status_csv": status}.get(kind) or \
                records[r.choice(sorted(records))]
            data, how = r.choice(BYTE_DAMAGE)(r, src) if byte_level else damaged_csv(r, src)
            suffix = ".csv"
            if kind == "tickets_gz":
                suffix = ".csv.gz"
                if r.random() < 0.5:
                    data, how = gzip.compress(data), how + ", gzipped"
                else:
                    packed = gzip.compress(data)
                    data, how = r.choice(BYTE_DAMAGE)(r, packed)
                    how = "gzip " + how
        elif kind == "xlsx":
            sheet = "xl/worksheets/sheet1.xml"
            data, how = r.choice(BYTE_DAMAGE)(r, xlsx) if byte_level else damaged_zip(r, xlsx, sheet)
            suffix = ".xlsx"
        elif kind == "docx":
            if byte_level:
                data, how = r.choice(BYTE_DAMAGE)(r, docx)
            elif r.random() < 0.3:
                t, how = damaged_text(r, text)
                data = make_docx(t.splitlines()[:DOCX_PARAGRAPHS])
                how = "DOCX of " + how
            else:
                data, how = damaged_zip(r, docx, "word/document.xml")
            suffix = ".docx"
        elif kind == "pdf":
            data, how = r.choice(BYTE_DAMAGE)(r, pdf) if byte_level else damaged_pdf(r, pdf)
            suffix = ".pdf"
        elif kind == "text":
            if byte_level:
                data, how = r.choice(BYTE_DAMAGE)(r, text.encode())
            else:
                t, how = damaged_text(r, text)
                data = t.encode()
            suffix = r.choice((".md", ".txt"))
        else:  # rationale, weights
            good: dict[str, Any] = {"compliance": 0.4, "cost": 0.2}
            if kind == "rationale":
                good = {"targets.P1.resolution": "The clinics asked for it."}
            if byte_level:
                data, how = r.choice(BYTE_DAMAGE)(r, yaml.safe_dump(good).encode())
            else:
                key = r.choice(sorted(good))
                value = copy.deepcopy(r.choice(HOSTILE_VALUES))
                good[key] = value
                data = yaml.safe_dump(good, allow_unicode=True).encode()
                how = f"{key} set to {str(value)[:40]!r}"
            suffix = ".yaml"
        path = folder / (name + suffix)
        path.write_bytes(data)
        cases.append(Case(kind, path, how))
    return cases


def commands(case: Case, old: Path, tickets: Path, ws: Path, out: Path) -> list[list[str]]:
    """The subcommands to run on a case's file (``ws`` a workspace copy, ``out`` an output path
    that must not exist afterwards unless the command succeeded)."""
    f = str(case.path)
    k = case.kind
    if k in ("contract_yaml", "contract_json"):
        return [["lint", f, "--json"], ["simulate", "--contract", f, "--tickets", str(tickets), "--json"],
                ["contract", "add", str(ws), f, "--json"], ["redline", str(old), f, "-o", str(out)]]
    if k in ("tickets_csv", "tickets_gz", "xlsx"):
        cmds = [["import", str(ws), f, "--json"]]
        if k != "xlsx":
            cmds.append(["simulate", "--contract", str(old), "--tickets", f, "--json"])
        return cmds
    if k == "status_csv":
        return [["simulate", "--contract", str(old), "--tickets", str(tickets), "--status-log", f, "--json"],
                ["import", str(ws), str(tickets), "--status-log", f, "--json"]]
    if k == "records_csv":
        return [["import", str(ws), f, "--json"]]
    if k in ("docx", "pdf", "text"):
        return [["lint", f, "--json"], ["contract", "add", str(ws), f, "--json"],
                ["redline", str(old), f, "-o", str(out)]]
    if k == "rationale":
        return [["redline", str(old), str(DEMO / "northwind-2026-q4-proposal.yaml"), "-o", str(out),
                 "--rationale", f]]
    return [["compare", str(old), str(DEMO / "northwind-2026-q4-proposal.yaml"), "--tickets", str(tickets),
             "--weights", f, "--json"]]


def problems_of(label: str, rc: int, stderr: str, output_left: bool, workspace_changed: bool) -> list[str]:
    """What is wrong with one finished run: a traceback; on failure an exit code other than 1
    or 2, more than one line (exit 2), an output file left behind, a changed workspace."""
    problems = []
    if "Traceback" in stderr:
        problems.append(f"{label}: traceback on stderr")
    if rc == 0:
        return problems
    lines = stderr.strip().splitlines()
    if rc not in (1, 2):
        problems.append(f"{label}: exit {rc}")
    if rc == 2 and len(lines) != 1:
        problems.append(f"{label}: {len(lines)} lines on stderr: {stderr[:300]!r}")
    if output_left:
        problems.append(f"{label}: output file left after a failure")
    if rc == 2 and workspace_changed:
        problems.append(f"{label}: workspace changed by a failed run")
    return problems
