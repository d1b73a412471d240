"""``import --list-fields``: the fields a mapping names, each with the words the import
wizard shows for it (one mapping, workbench/app/import_fields.py) and where it is required."""

from __future__ import annotations

import json

import pytest

from workbench.app.import_fields import field_words
from workbench.cli import main
from workbench.importing.presets import ALL_FIELDS


def test_list_fields_names_each_field_with_its_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--list-fields"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(dict.fromkeys(ALL_FIELDS))
    by_field = {line.split()[0]: line for line in lines}
    assert "Provider says SLA breached" in by_field["provider_sla_breached"]
    assert by_field["opened_at"].endswith("required for tickets")
    assert "required" not in by_field["team"]


def test_list_fields_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--list-fields", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["fields"]
    assert {r["field"]: r["words"] for r in rows} == {f: field_words(f) for f in ALL_FIELDS}
    assert next(r for r in rows if r["field"] == "id")["required_for"] == ["tickets", "event_log"]
