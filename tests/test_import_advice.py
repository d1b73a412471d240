"""Every piece of advice the import prints can be followed with the import command itself:
each option a message names exists, and doing what it says imports the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.cli import build_parser, main

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def _import_options() -> set[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    parser = sub.choices["import"]  # type: ignore[index]
    return {o for a in parser._actions for o in a.option_strings}


def _advice(err: str) -> set[str]:
    """The options a message tells the user to pass (a whole command it names, such as
    "sla-workbench import --list-presets", is run as it stands and not counted)."""
    return set(re.findall(r"(--[a-z][a-z-]+)", re.sub(r"sla-workbench \w+ --[a-z-]+", "", err)))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse errors
        rc = int(exc.code or 0)
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SLA_WORKBENCH_CONFIG", str(tmp_path / "cfg"))
    return tmp_path


def test_no_preset_advice_followed(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = cfg / "ours.csv"
    f.write_text("Ref,Logged,Level\nA1,2026-03-02T09:00:00Z,P2\nA2,2026-03-02T10:00:00Z,P1\n")
    rc, _, err = _run(["import", str(cfg / "w.slawb"), str(f)], capsys)
    assert rc != 0 and "no import preset matches" in err
    assert _advice(err) <= _import_options()
    assert {"--preset", "--map", "--mapping", "--save-preset"} <= _advice(err)
    assert "sla-workbench import --list-presets" in err
    rc, out, _ = _run(["import", "--list-presets"], capsys)
    assert rc == 0 and "osticket" in out and "glpi" in out
    maps = ["--map", "id=Ref", "--map", "opened_at=Logged", "--map", "priority=Level"]
    rc, out, err = _run(["import", str(cfg / "w.slawb"), str(f), *maps, "--save-preset", "ours"], capsys)
    assert rc == 0, err
    saved = cfg / "cfg" / "presets" / "ours.yaml"
    assert f"saved to {saved}" in out and saved.is_file()
    rc, out, _ = _run(["import", "--list-presets"], capsys)
    assert re.search(r"^ours\s+tickets\s+saved", out, re.M)
    rc, out, err = _run(["import", str(cfg / "w2.slawb"), str(f), "--preset", "ours"], capsys)
    assert rc == 0 and "preset ours: 2 tickets" in out, err
    # the same mapping as a file given with --mapping
    m = cfg / "mapping.yaml"
    m.write_text("id: Ref\nopened_at: Logged\npriority: Level\n")
    rc, out, err = _run(["import", str(cfg / "w3.slawb"), str(f), "--mapping", str(m)], capsys)
    assert rc == 0 and "2 tickets" in out, err


def test_timezone_and_date_order_advice_followed(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = FIXTURES / "connectwise-uk-dates.csv"
    rc, _, err = _run(["import", str(cfg / "w.slawb"), str(f)], capsys)
    assert rc != 0 and "--tz" in _advice(err) and _advice(err) <= _import_options()
    rc, _, err = _run(
        ["import", str(cfg / "w.slawb"), str(f), "--tz", "Europe/London", "--date-order", "mdy"], capsys
    )
    assert rc != 0 and ":4:" in err and _advice(err) <= _import_options()
    order = re.search(r"pass --date-order (dmy|mdy)", err)
    assert order is not None
    rc, out, err = _run(
        ["import", str(cfg / "w.slawb"), str(f), "--tz", "Europe/London", "--date-order", order.group(1)],
        capsys,
    )
    assert rc == 0 and "3 tickets" in out, err


def test_priority_and_sheet_advice_followed(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _run(["import", str(cfg / "w.slawb"), str(FIXTURES / "no-priority.csv")], capsys)
    assert rc == 0 and "every ticket imported as P3" in out
    notes = [line for line in out.splitlines() if line.startswith("note:")]
    assert all(_advice(n) <= _import_options() for n in notes) and "--default-priority" in out
    rc, out, err = _run(
        ["import", str(cfg / "w.slawb"), str(FIXTURES / "no-priority.csv"), "--default-priority", "P2"],
        capsys,
    )
    assert rc == 0 and "as given by --default-priority" in out
    xlsx = FIXTURES / "autotask-two-sheets.xlsx"
    rc, out, err = _run(["import", str(cfg / "x.slawb"), str(xlsx), "--tz", "UTC"], capsys)
    assert rc == 0 and "read worksheet 'Tickets'" in out and "--sheet" in out
    rc, out, err = _run(
        ["import", str(cfg / "x.slawb"), str(xlsx), "--tz", "UTC", "--sheet", "Report"], capsys
    )
    assert rc != 0 and "no import preset matches" in err  # the cover sheet holds no tickets
    rc, out, err = _run(["import", str(cfg / "x.slawb"), str(xlsx), "--tz", "UTC", "--sheet", "2"], capsys)
    assert rc == 0 and "4 tickets" in out, err


def test_import_of_nothing_fails_and_stores_nothing(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = cfg / "w.slawb"
    rc, _, err = _run(["import", str(ws), str(FIXTURES / "zendesk-all-rejected.csv"), "--tz", "UTC"], capsys)
    assert rc != 0 and "no ticket can be imported: 3 row(s) rejected, nothing stored" in err
    assert not ws.exists()
    assert _advice(err) <= _import_options()
    rc, _, err = _run(
        [
            "import",
            str(ws),
            str(FIXTURES / "zendesk-all-rejected.csv"),
            "--tz",
            "UTC",
            "--default-priority",
            "P3",
        ],
        capsys,
    )
    assert rc != 0 and "missing opened_at" in err  # the priority was not the only problem
    assert not ws.exists()


def test_audit_of_an_export_follows_the_same_advice(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = cfg / "ours.csv"
    f.write_text(
        "Ref,Logged,Level,Fixed,Met\nA1,2026-03-02T09:00:00Z,P2,2026-03-02T12:00:00Z,yes\n"
        "A2,2026-03-02T10:00:00Z,P2,2026-03-03T10:00:00Z,no\n"
    )
    rc, _, err = _run(["audit", "--tickets", str(f)], capsys)
    assert rc != 0 and "no import preset matches" in err
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    audit_options = {o for a in sub.choices["audit"]._actions for o in a.option_strings}  # type: ignore[index]
    assert _advice(err) <= audit_options and "--map" in _advice(err)  # what audit says, audit accepts
    maps = [
        "--map",
        "id=Ref",
        "--map",
        "opened_at=Logged",
        "--map",
        "priority=Level",
        "--map",
        "resolved_at=Fixed",
        "--map",
        "provider_sla_met=Met",
    ]
    rc, out, err = _run(["audit", "--tickets", str(f), *maps], capsys)
    assert rc == 0 and "tickets with the provider's verdict: 2 (1 met)" in out, err
