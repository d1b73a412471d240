"""Contract files: the fixed part of interfaces.md, and field-naming rejections."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.contract import (
    Contract,
    ContractError,
    contract_from_data,
    dump_contract_yaml,
    load_contract,
    parse_duration,
    parse_window,
    save_contract,
    yaml_load,
)

SPEC_EXAMPLE = """
name: Northwind MSP — Managed Services SLA
version: 2026-Q4 proposal
calendars:
  business:
    timezone: America/Toronto
    weekly:
      mon: ["08:00-17:00"]
      tue: ["08:00-17:00"]
      wed: ["08:00-17:00"]
      thu: ["08:00-17:00"]
      fri: ["08:00-17:00"]
    holidays: {country: CA, subdivision: ON, add: [2026-12-24], remove: []}
targets:
  P1: {response: 1h, resolution: 4h, calendar: 24x7}
  P2: {response: 2h, resolution: same_business_day, calendar: business}
  P3: {response: next_business_day, calendar: business}
pause_statuses: [Awaiting User Info, Pending client approval]
pause_applies_to: [resolution]
"""


def example() -> dict:
    return yaml_load(SPEC_EXAMPLE)


def test_spec_example_loads() -> None:
    c = contract_from_data(example())
    hol = c.calendars["business"].holidays
    assert hol is not None and hol.subdivision == "ON"  # not YAML 1.1 "true"
    assert c.target("P2", "resolution") == "same_business_day"
    assert c.calendar_name("P1", "response") == "24x7"
    assert c.calendar_name("P3", "response") == "business"
    assert c.target("P3", "resolution") is None
    assert c.pauses("resolution") and not c.pauses("response")


def test_yaml_and_json_round_trip(tmp_path: Path) -> None:
    c = contract_from_data(example())
    for name in ("c.yaml", "c.json"):
        save_contract(c, tmp_path / name)
        assert load_contract(tmp_path / name) == c
    assert dump_contract_yaml(load_contract(tmp_path / "c.yaml")) == dump_contract_yaml(c)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["targets"].update(P5={"response": "1h"}), "targets.P5: unknown priority"),
        (
            lambda d: d["calendars"]["business"]["weekly"].update(mon=["08:00-12:00", "11:00-17:00"]),
            "calendars.business.weekly: mon: windows 08:00-12:00 and 11:00-17:00 overlap",
        ),
        (
            lambda d: d["calendars"]["business"]["weekly"].update(fri=["22:00-06:00"]),
            "calendars.business.weekly: fri: window '22:00-06:00' crosses midnight",
        ),
        (
            lambda d: d["calendars"]["business"].update(timezone="America/Totonto"),
            "calendars.business.timezone: unknown time zone 'America/Totonto'",
        ),
        (
            lambda d: d["targets"]["P1"].update(response="1 hour-ish"),
            "targets.P1.response: bad duration '1 hour-ish'",
        ),
        (
            lambda d: d["targets"]["P1"].update(resolution="next_business_day"),
            "targets.P1.resolution: next_business_day needs a calendar with a time zone",
        ),
        (
            lambda d: d["targets"]["P2"].update(calendar="weekend"),
            "targets.P2.response: unknown calendar 'weekend'",
        ),
        (
            lambda d: d["calendars"]["business"].update(weekly={"sat": []}),
            "calendars.business.weekly: no coverage windows",
        ),
        (
            lambda d: d["calendars"]["business"].pop("weekly"),
            "calendars.business.weekly: no coverage windows",
        ),
        (lambda d: d.update(colour="blue"), "colour: unknown field"),
        (lambda d: d.pop("name"), "name: Field required"),
    ],
)
def test_bad_contracts_name_the_field(mutate, expected: str, tmp_path: Path) -> None:
    data = example()
    mutate(data)
    path = tmp_path / "bad.yaml"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="cannot read"):
        load_contract(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContractError, match="not valid YAML"):
        load_contract(bad)
    bad.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ContractError, match="mapping at top level"):
        load_contract(bad)
    bad.write_text("name: x\nversion: y\neffective_date: 2026-13-45\n", encoding="utf-8")
    with pytest.raises(ContractError, match=r"bad\.yaml: not valid YAML: month must be in 1\.\.12"):
        load_contract(bad)
    bad.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(
        ContractError,
        match=r"bad\.yaml: not a contract file: a contract is YAML or JSON text, and this file is not UTF-8",
    ):
        load_contract(bad)
    broken = tmp_path / "bad.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ContractError, match=r"bad\.json: line 1, column 2: not valid JSON"):
        load_contract(broken)


@pytest.mark.parametrize(
    ("text", "seconds"), [("30m", 1800), ("1h", 3600), ("1.5h", 5400), ("2d", 172800), ("45s", 45)]
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "0h", "-1h", "1.0001m", "1 hour"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_windows_half_open_and_24() -> None:
    assert parse_window("08:00-17:00") == (8 * 3600, 17 * 3600)
    assert parse_window("22:00-24:00") == (22 * 3600, 86400)
    for bad in ("24:00-24:00", "08:00-08:00", "8:00-17:00", "08:60-17:00", "00:00-24:30"):
        with pytest.raises(ValueError):
            parse_window(bad)


def test_contract_is_immutable() -> None:
    c = contract_from_data(example())
    with pytest.raises(Exception):
        c.name = "other"  # type: ignore[misc]


def test_schema_command_prints_json_schema() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "schema"], capture_output=True, text=True, check=True
    ).stdout
    schema = json.loads(out)
    assert schema == Contract.model_json_schema()
    assert {"calendars", "targets", "pause_statuses", "service_credits"} <= set(schema["properties"])


def test_saved_files_get_ordinary_permissions(tmp_path: Path) -> None:
    import os
    import stat

    c = contract_from_data(example())
    old = os.umask(0o022)
    try:
        save_contract(c, tmp_path / "new.yaml")
        assert stat.S_IMODE(os.stat(tmp_path / "new.yaml").st_mode) == 0o644
        (tmp_path / "kept.yaml").write_text("x", encoding="utf-8")
        os.chmod(tmp_path / "kept.yaml", 0o640)
        save_contract(c, tmp_path / "kept.yaml")
        assert stat.S_IMODE(os.stat(tmp_path / "kept.yaml").st_mode) == 0o640
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("c.yaml", b"name: [unclosed\nversion: x\n", "line 2, column 8: not valid YAML"),
        ("c.json", b'{"name": 1,,}', "line 1, column 12: not valid JSON"),
        ("c.yaml", b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n", "not a contract file: a contract is YAML or JSON"),
        ("c.yaml", b"name: x\nversion: 2026-02-30\n", "not valid YAML: day is out of range"),
    ],
)
def test_unparseable_contract_files_say_where(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert str(info.value).startswith(f"{path}: ")
    assert expected in str(info.value)
    assert "\n" not in str(info.value)
