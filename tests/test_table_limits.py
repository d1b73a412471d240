"""The budget of a ticket, status or record export (models.limits: TABLE_FILE_BYTES,
TABLE_COLUMNS, TABLE_ROWS, FIELD_CHARS): a table outside it is refused in one line naming the
file, the limit and the value, before anything is imported or replayed, by both readers (the
import's ``read_table`` for CSV and XLSX, the canonical reader of ``--tickets``); the workspace
is unchanged, and the ``--limit`` option the line names lets the same file through."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from models import limits
from tests import fuzz_corpus as fc
from workbench.cli import main

OLD = fc.DEMO / "northwind-2025.yaml"
HEADER = "id,priority,opened_at,first_response_at,resolved_at"
ROW = "T{i},P2,2026-03-02T10:00:00Z,2026-03-02T10:30:00Z,2026-03-02T12:00:00Z"


def _rows(n: int) -> list[str]:
    return [ROW.format(i=i) for i in range(n)]


def _csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _many_columns(d: Path) -> Path:
    extra = ",".join(f"c{i}" for i in range(limits.TABLE_COLUMNS - 4))  # 5 + 996 = 1,001 columns
    rows = [r + "," * (limits.TABLE_COLUMNS - 4) for r in _rows(2)]
    return _csv(d / "wide.csv", HEADER + "," + extra, rows)


def _long_field(d: Path) -> Path:
    rows = [r + ",network" for r in _rows(3)]
    rows[1] = rows[1].replace(",network", ',"n' + "x" * limits.FIELD_CHARS + '"')  # 100,001 characters
    return _csv(d / "long.csv", HEADER + ",category", rows)


def _five_rows(d: Path) -> Path:
    return _csv(d / "five.csv", HEADER, _rows(5))


def _xlsx_many_columns(d: Path) -> Path:
    head = HEADER.split(",") + [f"c{i}" for i in range(limits.TABLE_COLUMNS - 4)]
    p = d / "wide.xlsx"
    p.write_bytes(fc.make_xlsx([head, *[r.split(",") for r in _rows(2)]]))
    return p



# (id, file builder, --limit lowering the limit to what the small file passes ("" for none),
#  words the line must hold, the --limit that lets the file through)
CASES: list[tuple[str, Callable[[Path], Path], str, list[str], str]] = [
    ("columns", _many_columns, "", ["wide.csv", "columns: 1,001 columns; the limit is 1,000"],
     "table-columns=1001"),
    ("field", _long_field, "",
     ["long.csv", "line 3, field category: 100,001 characters; the limit is 100,000"], "field-chars=200000"),
    ("rows", _five_rows, "table-rows=4", ["five.csv", "rows: 5 rows; the limit is 4"], "table-rows=5"),
    ("size", _five_rows, "table-size=100", ["five.csv", "file size:", "the limit is 100 bytes"],
     "table-size=1MB"),
]
XLSX_CASES: list[tuple[str, Callable[[Path], Path], str, list[str], str]] = [
    ("xlsx-columns", _xlsx_many_columns, "", ["wide.xlsx", "columns: 1,001 columns; the limit is 1,000"],
     "table-columns=1001"),
]  # (an XLSX cell holds at most 32,767 characters: openpyxl reads no more, Excel writes no more)


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str], advice: str) -> None:
    rc = main(argv)
    err = capsys.readouterr().err.strip()
    assert rc == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for w in words:
        assert w in err, err
    m = re.search(r"\(raise it with --limit ([a-z-]+)=N\)$", err)
    assert m is not None and advice.startswith(m.group(1) + "="), err


def _limit(lowered: str) -> list[str]:
    return ["--limit", lowered] if lowered else []


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws.slawb"
    t = _csv(tmp_path / "base.csv", HEADER, _rows(3))
    assert main(["import", str(ws), str(t), "--json"]) == 0
    return ws


@pytest.mark.parametrize(("build", "lowered", "words", "advice"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES + XLSX_CASES])
def test_import_refuses_a_table_outside_the_budget(
    build: Callable[[Path], Path], lowered: str, words: list[str], advice: str, tmp_path: Path,
    workspace: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    f = build(tmp_path)
    before = workspace.read_bytes()
    _refused(capsys, ["import", str(workspace), str(f), "--json", *_limit(lowered)], words, advice)
    assert workspace.read_bytes() == before
    assert main(["import", str(workspace), str(f), "--json", *_limit(lowered), "--limit", advice]) == 0, \
        capsys.readouterr().err


@pytest.mark.parametrize(("build", "lowered", "words", "advice"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_simulate_tickets_refuses_a_table_outside_the_budget(
    build: Callable[[Path], Path], lowered: str, words: list[str], advice: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    f = build(tmp_path)
    argv = ["simulate", "--contract", str(OLD), "--tickets", str(f), "--json", *_limit(lowered)]
    _refused(capsys, argv, words, advice)
    assert main([*argv, "--limit", advice]) == 0, capsys.readouterr().err


def test_a_status_log_outside_the_budget_is_refused(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    t = _csv(tmp_path / "three.csv", HEADER, _rows(3))
    s = _csv(tmp_path / "status.csv", "ticket_id,at,status",
             [f"T{i % 3},2026-03-02T1{i}:00:00Z,New" for i in range(5)])
    argv = ["simulate", "--contract", str(OLD), "--tickets", str(t), "--status-log", str(s), "--json"]
    _refused(capsys, [*argv, "--limit", "table-rows=4"], ["status.csv", "rows: 5 rows"], "table-rows=5")


def test_a_table_at_the_limits_is_read(tmp_path: Path) -> None:
    """Exactly at each limit is inside it (the limits are the most allowed, not the first refused)."""
    from workbench.importing.read import read_table

    extra = ",".join(f"c{i}" for i in range(limits.TABLE_COLUMNS - 5))
    rows = [r + "," * (limits.TABLE_COLUMNS - 5) for r in _rows(2)]
    rows[0] = rows[0].replace("T0,", "T" + "z" * (limits.FIELD_CHARS - 1) + ",", 1)
    table = read_table(_csv(tmp_path / "edge.csv", HEADER + "," + extra, rows))
    assert len(table.headers) == limits.TABLE_COLUMNS and table.n_rows == 2
    assert len(table.columns["id"][0].as_py()) == limits.FIELD_CHARS
