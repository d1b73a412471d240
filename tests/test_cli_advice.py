"""Every piece of advice that import, simulate and audit print, run as it says: the command it
names succeeds (tests/test_import_advice.py covers --preset, --map, --mapping, --save-preset,
--list-presets, --tz with --date-order, --default-priority and --sheet on the import itself)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_import_advice import _advice, _run

from workbench.cli import build_parser

DEMO = Path(__file__).parents[1] / "resources" / "demo"
CONTRACT = DEMO / "northwind-2025.yaml"
NAIVE = ("id,priority,opened_at,first_response_at,resolved_at,closed_at,provider_sla_met\n"
         "A1,P1,2026-03-02 09:00,2026-03-02 09:20,2026-03-02 11:00,2026-03-02 12:00,true\n"
         "A2,P2,2026-03-02 10:00,2026-03-02 13:00,2026-03-04 10:00,2026-03-04 11:00,false\n")


def _options(command: str) -> set[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return {o for a in sub.choices[command]._actions for o in a.option_strings}  # type: ignore[index]


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SLA_WORKBENCH_CONFIG", str(tmp_path / "cfg"))
    return tmp_path


def test_simulate_naive_times_advice_import_with_tz(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = cfg / "naive.csv"
    f.write_text(NAIVE)
    rc, _, err = _run(["simulate", "--tickets", str(f), "--contract", str(CONTRACT)], capsys)
    assert rc != 0 and "sla-workbench import --tz" in err
    ws = str(cfg / "w.slawb")
    rc, out, err = _run(["import", ws, str(f), "--tz", "Europe/London"], capsys)  # as advised
    assert rc == 0 and "2 tickets" in out, err
    rc, out, err = _run(["simulate", "--workspace", ws, "--contract", str(CONTRACT), "--json"], capsys)
    assert rc == 0 and '"P1"' in out, err


def test_status_log_given_as_the_ticket_file_advice(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(cfg / "w.slawb")
    rc, _, err = _run(["import", ws, str(DEMO / "status_log.csv.gz")], capsys)
    assert rc != 0 and "--status-log" in _advice(err) and _advice(err) <= _options("import")
    rc, out, err = _run(["import", ws, str(DEMO / "tickets.csv"), "--status-log",
                         str(DEMO / "status_log.csv.gz")], capsys)
    assert rc == 0 and "status rows imported" in out, err


def test_date_order_advice_on_ambiguous_dates(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = cfg / "ambiguous.csv"
    f.write_text("id,priority,opened_at\nB1,P2,03/04/2026 09:00\nB2,P3,05/06/2026 10:00\n")
    ws = str(cfg / "w.slawb")
    rc, _, err = _run(["import", ws, str(f), "--tz", "UTC"], capsys)
    assert rc != 0 and "pass --date-order dmy or mdy" in err and _advice(err) <= _options("import")
    rc, out, err = _run(["import", ws, str(f), "--tz", "UTC", "--date-order", "dmy"], capsys)
    assert rc == 0 and "2 tickets" in out, err


def test_audit_advice_contract_and_as_of(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = cfg / "flags.csv"
    text = NAIVE.replace("2026-03-02 ", "2026-03-02T").replace("2026-03-04 ", "2026-03-04T")
    text = re.sub(r"(T\d\d:\d\d)", r"\1:00Z", text)
    f.write_text(text)
    rc, out, err = _run(["audit", "--tickets", str(f)], capsys)
    line = next(x for x in out.splitlines() if "pass --contract C" in x)
    assert _advice(line) == {"--contract"} <= _options("audit")
    rc, out, err = _run(["audit", "--tickets", str(f), "--contract", str(CONTRACT)], capsys)  # as advised
    assert rc == 0 and "agreement under" in out, err
    # every ticket still open at --as-of: the advice is a later --as-of
    rc, _, err = _run(["audit", "--tickets", str(f), "--as-of", "2026-03-02T10:30:00Z"], capsys)
    assert rc != 0 and "pass --as-of a later instant" in err and _advice(err) <= _options("audit")
    rc, out, err = _run(["audit", "--tickets", str(f), "--as-of", "2026-03-05T00:00:00Z"], capsys)
    assert rc == 0 and "tickets with the provider's verdict: 2" in out, err


def test_csv_given_a_sheet_says_so(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = _run(["import", str(cfg / "w.slawb"), str(DEMO / "tickets.csv"), "--sheet", "2"], capsys)
    assert rc != 0 and "this is a CSV file" in err
    rc, _, err = _run(["import", str(cfg / "w.slawb"), str(DEMO / "tickets.csv")], capsys)  # without it
    assert rc == 0, err
