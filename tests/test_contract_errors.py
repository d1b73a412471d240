"""ContractError's structured reasons: one FieldError (dotted path, message) per problem,
with the path going down to the field a check names; the text stays one
``source: location: message`` line per problem."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from models.contract import ContractError, FieldError, contract_from_data


def _base() -> dict[str, Any]:
    return {
        "name": "SLA",
        "version": "v1",
        "status": "signed",
        "monthly_fee": 1000,
        "calendars": {
            "business": {
                "timezone": "America/Toronto",
                "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
            }
        },
        "targets": {"P1": {"response": "1h", "resolution": "4h", "calendar": "business"}},
    }


def _error(data: Any, source: str = "contract") -> ContractError:
    with pytest.raises(ContractError) as info:
        contract_from_data(data, source)
    return info.value


def test_a_cross_field_check_names_the_target_cell_not_the_top_level() -> None:
    data = _base()
    data["targets"]["P1"]["calendar"] = "x"
    err = _error(data)
    assert err.errors == (FieldError("targets.P1.response", "unknown calendar 'x'"),)
    assert str(err) == "contract: (top level): targets.P1.response: unknown calendar 'x'"


def test_a_bad_weekly_window_names_its_weekday() -> None:
    data = _base()
    data["calendars"]["business"]["weekly"]["mon"] = ["25:00-26:00"]
    err = _error(data)
    msg = "bad window '25:00-26:00': hours 00-24, minutes 00-59"
    assert err.errors == (FieldError("calendars.business.weekly.mon", msg),)
    assert str(err) == f"contract: calendars.business.weekly: mon: {msg}"


def test_overlapping_windows_and_a_calendar_without_hours() -> None:
    data = _base()
    data["calendars"]["business"]["weekly"]["tue"] = ["08:00-12:00", "11:00-13:00"]
    (fe,) = _error(data).errors
    assert fe == FieldError("calendars.business.weekly.tue", "windows 08:00-12:00 and 11:00-13:00 overlap")
    data["calendars"]["business"]["weekly"] = {}
    (fe,) = _error(data).errors
    assert fe.path == "calendars.business.weekly" and fe.message.startswith("no coverage windows")


def test_a_day_target_on_the_literal_24x7_names_the_cell() -> None:
    data = _base()
    data["targets"]["P2"] = {"resolution": "next_business_day", "calendar": "24x7"}
    (fe,) = _error(data).errors
    assert fe.path == "targets.P2.resolution"
    assert fe.message.startswith("next_business_day needs a calendar with a time zone")


def test_uptime_and_helpdesk_calendar_checks_name_their_fields() -> None:
    data = _base()
    data["uptime"] = [{"service": "portal", "target_percent": 99.9, "calendar": "nights"}]
    assert _error(data).errors == (FieldError("uptime.0.calendar", "unknown calendar 'nights'"),)
    data = _base()
    data["scope"] = {"helpdesk_calendar": "nights"}
    assert _error(data).errors == (FieldError("scope.helpdesk_calendar", "unknown calendar 'nights'"),)


def test_several_field_errors_keep_pydantic_locations_in_order() -> None:
    data = _base()
    data["monthly_fee"] = -5
    data["colour"] = "red"
    data["service_credits"] = [
        {"metric": "resolution", "percent_of_fee": 2},
        {"metric": "resolution", "percent_of_fee": 2, "trigger": "compliance_below"},
    ]
    err = _error(data, "c.yaml")
    paths = [e.path for e in err.errors]
    assert paths == ["monthly_fee", "service_credits.1", "colour"]
    by_path = {e.path: e.message for e in err.errors}
    assert by_path["colour"] == "unknown field"
    assert by_path["service_credits.1"] == "trigger compliance_below needs a threshold"
    assert "greater than or equal to 0" in by_path["monthly_fee"]
    # the text: one line per reason, in the same order, each naming the source
    lines = str(err).splitlines()
    assert lines == [f"c.yaml: {e.path}: {e.message}" for e in err.errors]


def test_an_unknown_priority_and_a_non_mapping() -> None:
    data = _base()
    data["targets"]["P9"] = {"response": "1h"}
    err = _error(data)
    assert err.errors == (FieldError("targets.P9", "unknown priority 'P9' (use P1, P2, P3, P4)"),)
    assert str(err) == "contract: targets.P9: unknown priority 'P9' (use P1, P2, P3, P4)"
    err = _error(["not", "a", "mapping"], "f.yaml")
    assert err.errors == (FieldError("", "a contract file must hold a mapping at top level"),)
    assert str(err) == "f.yaml: a contract file must hold a mapping at top level"


def test_an_error_from_text_alone_has_that_text_as_its_one_reason() -> None:
    err = ContractError("f.yaml: cannot read: No such file")
    assert err.errors == (FieldError("", "f.yaml: cannot read: No such file"),)


def test_a_contract_error_survives_pickling_with_its_reasons() -> None:
    data = _base()
    data["targets"]["P1"]["calendar"] = "x"
    err = _error(data)
    copy = pickle.loads(pickle.dumps(err))
    assert isinstance(copy, ContractError)
    assert str(copy) == str(err) and copy.errors == err.errors
