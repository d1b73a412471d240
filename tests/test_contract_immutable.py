"""A contract version is an immutable snapshot all the way down: its calendars' weekly
windows, the calendars and targets maps and the breach roles cannot be changed after
validation (an overlapping window could otherwise slip in past the validator, and a
version cached by the store be changed under its other readers)."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from models.contract import Contract, contract_from_data, dump_contract_yaml, load_contract

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "northwind-2025.yaml"


def _contract() -> Contract:
    c = load_contract(DEMO)
    data = c.to_data()
    data["security"]["breach_roles"] = {"notify": "Provider CISO"}
    return contract_from_data(data)


MUTATIONS: dict[str, Callable[[Contract], Any]] = {
    "weekly item": lambda c: c.calendars["business"].weekly.__setitem__(
        "mon", ("08:00-12:00", "11:00-17:00")
    ),
    "weekly del": lambda c: c.calendars["business"].weekly.__delitem__("mon"),
    "weekly clear": lambda c: c.calendars["business"].weekly.clear(),
    "weekly update": lambda c: c.calendars["business"].weekly.update({"sun": ("00:00-24:00",)}),
    "weekly |=": lambda c: c.calendars["business"].weekly.__ior__({"sun": ("00:00-24:00",)}),
    "calendars item": lambda c: c.calendars.__setitem__("other", c.calendars["business"]),
    "calendars setdefault": lambda c: c.calendars.setdefault("other", c.calendars["business"]),
    "targets pop": lambda c: c.targets.pop("P1"),
    "targets popitem": lambda c: c.targets.popitem(),
    "breach roles": lambda c: c.security.breach_roles.__setitem__("notify", "nobody"),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_maps_inside_a_contract_cannot_be_changed(name: str) -> None:
    c = _contract()
    before = c.to_data()
    assert "business" in c.calendars and "P1" in c.targets
    with pytest.raises(TypeError, match="immutable"):
        MUTATIONS[name](c)
    assert c.to_data() == before


def test_defaults_are_immutable_too() -> None:
    c = contract_from_data({"name": "Bare", "version": "1"})
    for m in (c.calendars, c.targets, c.security.breach_roles):
        with pytest.raises(TypeError, match="immutable"):
            cast("dict[str, object]", m)["x"] = None  # the write its type forbids, tried anyway


def test_immutable_maps_still_read_serialise_and_copy_as_dicts() -> None:
    c = _contract()
    cal = c.calendars["business"]
    assert isinstance(cal.weekly, dict) and cal.weekly == dict(cal.weekly)
    dumped = json.loads(c.model_dump_json())
    assert dumped["calendars"]["business"]["weekly"]["mon"] == list(cal.weekly["mon"])
    assert load_contract(DEMO).to_data() == contract_from_data(load_contract(DEMO).to_data()).to_data()
    assert contract_from_data(c.to_data()) == c
    assert dump_contract_yaml(contract_from_data(c.to_data())) == dump_contract_yaml(c)
    for twin in (copy.deepcopy(c), pickle.loads(pickle.dumps(c)), c.model_copy(deep=True)):
        assert twin == c
        with pytest.raises(TypeError, match="immutable"):
            twin.calendars["business"].weekly["mon"] = ()  # type: ignore[index]
    # an immutable calendar is a value: equal calendars hash alike
    again = contract_from_data(c.to_data()).calendars["business"]
    assert again == cal and hash(again) == hash(cal)
