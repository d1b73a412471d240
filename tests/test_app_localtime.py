"""Times shown in the contract's own zone (Qt-free rules)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.contract import load_contract
from workbench.app.localtime import (
    contract_zone,
    display_zone,
    format_instant,
    zone_choices,
    zone_label,
    zone_name,
)

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NORTHWIND = load_contract(DEMO / "northwind-2025.yaml")


def test_the_contract_zone_is_its_business_calendar_zone() -> None:
    assert contract_zone(NORTHWIND) == "America/Toronto"
    assert contract_zone(None) is None
    assert contract_zone(NORTHWIND.model_copy(update={"calendars": {}})) is None


def test_display_zone_follows_the_preference() -> None:
    assert zone_name(display_zone(NORTHWIND)) == "America/Toronto"
    assert display_zone(NORTHWIND, "UTC") is dt.UTC
    assert zone_name(display_zone(NORTHWIND, "Europe/London")) == "Europe/London"
    assert zone_name(display_zone(NORTHWIND, "Mars/Olympus")) == "America/Toronto"
    assert display_zone(None) is dt.UTC


def test_instants_read_in_the_zone_with_its_name() -> None:
    # 2026-11-01 is the day DST ends in Toronto: 01:30 comes twice
    before = int(dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC).timestamp())  # 01:30 EDT
    after = int(dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC).timestamp())  # 01:30 EST
    zone = display_zone(NORTHWIND)
    assert format_instant(before, zone, with_zone=True) == "2026-11-01 01:30 EDT"
    assert format_instant(after, zone, with_zone=True) == "2026-11-01 01:30 EST"
    assert format_instant(after, dt.UTC) == "2026-11-01 06:30"
    assert zone_label(zone) == "Toronto time" and zone_label(dt.UTC) == "UTC"
    assert zone_label(display_zone(None, "America/St_Johns")) == "St Johns time"


def test_the_choices_start_with_the_contract_and_utc() -> None:
    choices = zone_choices()
    assert choices[:2] == ["contract", "UTC"] and "America/Toronto" in choices


def test_zone_names_are_every_known_zone_sorted_and_read_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from zoneinfo import available_timezones

    import workbench.app.localtime as localtime

    localtime.zone_names.cache_clear()
    names = localtime.zone_names()
    assert list(names) == sorted(available_timezones()) and "America/Toronto" in names
    monkeypatch.setattr(localtime, "available_timezones", lambda: pytest.fail("walked again"))
    assert localtime.zone_names() is names
    assert zone_choices()[2:] == [z for z in names if z != "UTC"]
