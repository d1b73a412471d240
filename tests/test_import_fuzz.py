"""Malformed files thrown at the importer: no crash, no partial import, one clear message each."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.importing.core import ImportFailed
from workbench.importing.workspace import import_into_workspace

HEADER = b"id,priority,opened_at,first_response_at,resolved_at,provider_sla_met\n"
GOOD = b"T1,P1,2026-01-05T10:00:00Z,2026-01-05T10:20:00Z,2026-01-05T12:00:00Z,true\n"

pieces = st.sampled_from([
    b"T2,P2,2026-01-05T10:00:00Z,,,\n",
    b"T3,P2\n",  # truncated row
    b"\xef\xbb\xbf",  # stray BOM
    "T4,P3,2026-01-05T10:00:00Z,,,false,Caf\u00e9\n".encode("cp1252"),
    b"T5,P3,2026-01-05T10:00:00Z,,,true\n",
    b'T6,P1,"2026-01-05\nT10:00:00Z",,,\n',  # embedded newline
    b"=cmd|' /C calc'!A0,P1,2026-01-05T10:00:00Z,,,\n",  # formula-looking cell
    b"T7,P1,05/01/2026 10:00,,,\n",
    b"\x00\xff\xfe\x01junk",
    b'"unterminated,P1,2026',
    b"\n\n",
    b"T8,P9,not a date,,,maybe\n",
])


_DIR = Path(tempfile.mkdtemp(prefix="fuzz-import-"))
_WS = _DIR / "w.slawb"


def _workspace() -> Path:
    if not _WS.exists():
        good = _DIR / "good.csv"
        good.write_bytes(HEADER + GOOD)
        import_into_workspace(_WS, good, strict=True)
    return _WS


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from([b"", HEADER, HEADER[:20], b"\xef\xbb\xbf" + HEADER]),
       body=st.lists(pieces, max_size=8), junk=st.binary(max_size=40))
def test_malformed_files(head: bytes, body: list[bytes], junk: bytes) -> None:
    ws = _workspace()
    before = ws.read_bytes()
    with tempfile.TemporaryDirectory() as tmp_s:
        bad = Path(tmp_s) / "bad.csv"
        bad.write_bytes(head + b"".join(body) + junk)
        try:
            res = import_into_workspace(ws, bad, tz="UTC", date_order="dmy", strict=True)
        except ImportFailed as exc:
            msg = str(exc)
            assert msg and "\n" not in msg
            assert str(bad) in msg or "rejected" in msg
            assert ws.read_bytes() == before  # nothing written
        else:
            assert not res.rejected


def test_zero_byte_xlsx_into_workspace(tmp_path: Path) -> None:
    f = tmp_path / "x.xlsx"
    f.write_bytes(b"")
    ws = tmp_path / "w.slawb"
    try:
        import_into_workspace(ws, f)
    except ImportFailed as exc:
        assert "0 bytes" in str(exc)
    else:
        raise AssertionError("a 0-byte XLSX must be refused")
    assert not ws.exists()


def test_damaged_xlsx(tmp_path: Path) -> None:
    f = tmp_path / "x.xlsx"
    f.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    try:
        import_into_workspace(tmp_path / "w.slawb", f)
    except ImportFailed as exc:
        assert "XLSX" in str(exc)
    else:
        raise AssertionError("a damaged XLSX must be refused")
