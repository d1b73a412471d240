"""What the import wizard says about a ticket export's fields, in words: each field's
name as a person reads it (``provider_sla_breached`` -> "Provider says SLA breached"),
a few of the file's own values beside it, whether its times need a time zone, and the
reading errors told in the wizard's terms rather than the command line's options."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from workbench.importing.core import DATE_FIELDS

__all__ = [
    "FIELD_WORDS",
    "TIME_FIELDS",
    "field_words",
    "gui_advice",
    "naive_time_example",
    "sample_values",
]

FIELD_WORDS: Mapping[str, str] = {
    "id": "Ticket number",
    "priority": "Priority",
    "opened_at": "Opened at",
    "first_response_at": "First response at",
    "first_response_minutes": "Minutes to the first response",
    "resolved_at": "Resolved at",
    "closed_at": "Closed at",
    "category": "Category",
    "team": "Team",
    "provider_sla_met": "Provider says SLA met",
    "provider_sla_breached": "Provider says SLA breached",
    "status": "Status",
    "updated_at": "Updated at",
    "sequence": "Order of the updates",
    "reopen_count": "Times reopened",
    "ticket_id": "Ticket number",
    "at": "Changed at",
}

TIME_FIELDS = DATE_FIELDS  # the fields that hold a date and time (the importer's own list)


def field_words(field: str) -> str:
    """The words for an import field; a field without its own words is spelled out."""
    known = FIELD_WORDS.get(field)
    if known is not None:
        return known
    text = field.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def sample_values(
    column: pa.Array, missing: Sequence[str] = ("",), n: int = 3, scan: int = 2000
) -> list[str]:
    """The first ``n`` distinct values of a column that are not empty or placeholders
    (among its first ``scan`` rows), in file order."""
    skip = {m.strip() for m in missing} | {""}
    out: list[str] = []
    for value in column.slice(0, scan).to_pylist():
        text = str(value).strip() if value is not None else ""
        if text in skip or text in out:
            continue
        out.append(text)
        if len(out) == n:
            break
    return out


def _naive(values: pa.Array, missing: pa.Array) -> bool:
    """Whether any value of the column is a date and time without a zone (read either
    way round for numeric dates: the check is the importer's own)."""
    import numpy as np

    from workbench.importing.dates import TimezoneError, parse_timestamps

    trimmed = pc.utf8_trim_whitespace(values)
    miss = np.asarray(pc.is_in(trimmed, value_set=missing).to_numpy(zero_copy_only=False), dtype=bool)
    for order in ("dmy", "mdy"):
        try:
            parse_timestamps(trimmed, miss, order, None)
        except TimezoneError:
            return True
    return False


def naive_time_example(
    columns: Mapping[str, pa.Array], mapped: Mapping[str, str], missing: Sequence[str] = ("",)
) -> tuple[str, str] | None:
    """``(field, value)`` of the first mapped time column whose timestamps carry no time
    zone (so the import needs to be told the zone the file was written in), or None when
    every mapped time column states its offset (or no time column is mapped)."""
    missing_set = pa.array([m.strip() for m in missing], pa.string())
    for field in TIME_FIELDS:
        header = mapped.get(field)
        if header is None or header not in columns:
            continue
        column = columns[header]
        if not _naive(column, missing_set):
            continue
        example = ""
        for value in sample_values(column, missing, n=50):
            if _naive(pa.array([value], pa.string()), missing_set):
                example = value
                break
        return field, example
    return None


_TZ_ADVICE = re.compile(r":? ?pass --tz ZONE \(the zone the export was written in[^)]*\)")
_ORDER_ADVICE = re.compile(r"pass --date-order dmy or mdy")


def gui_advice(message: str, zone_here: bool = False) -> str:
    """A reading error in the wizard's words: the command line's ``--tz`` and
    ``--date-order`` become the Mapping page's time zone and date order (``zone_here``:
    the zone box is on the page that shows the error)."""
    zone_words = (
        ". Choose the zone the file was written in above"
        if zone_here
        else ". Go Back to Mapping and choose the time zone the export was written in"
    )
    order_words = (
        "write the dates year first (2026-03-05) in the file"
        if zone_here
        else "go Back to Mapping and choose how numeric dates read"
    )
    return _ORDER_ADVICE.sub(order_words, _TZ_ADVICE.sub(zone_words, message))
