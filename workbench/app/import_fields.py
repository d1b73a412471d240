"""What the import wizard says about a ticket export's fields, in words: each field's
name as a person reads it (``provider_sla_breached`` -> "Provider says SLA breached"),
a preset by its title (``servicenow-incident`` -> "ServiceNow incident list export") and
how well it matches a file's header, a few of the file's own values beside a field,
whether its times need a time zone, and the reading errors told in the wizard's terms
rather than the command line's options."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from workbench.importing.core import DATE_FIELDS

if TYPE_CHECKING:
    from workbench.importing.presets import Preset

__all__ = [
    "FIELD_WORDS",
    "TIME_FIELDS",
    "PresetMatch",
    "field_words",
    "gui_advice",
    "naive_time_example",
    "preset_match",
    "preset_words",
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
    "close_code": "Close code",
    "ticket_id": "Ticket number",
    "at": "Changed at",
    # backups, restore tests, outages and KPI months (spelled out unless named here)
    "success": "Succeeded",
    "maintenance": "Planned maintenance",
    "month": "Month",
}
ROW_FIELD = "(row)"  # a rejected row as a whole (it could not be read), not one of its fields

TIME_FIELDS = DATE_FIELDS  # the fields that hold a date and time (the importer's own list)


def field_words(field: str) -> str:
    """The words for an import field; a field without its own words is spelled out."""
    if field == ROW_FIELD:
        return "The whole row"
    known = FIELD_WORDS.get(field)
    if known is not None:
        return known
    text = field.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def preset_words(preset: Preset) -> str:
    """A preset as a person reads it: its title, or (a saved preset without one) its
    name spelled out (``my-jira_export`` -> "My jira export")."""
    if preset.title.strip():
        return preset.title.strip()
    text = re.sub(r"[-_.]+", " ", preset.name).strip()
    return text[:1].upper() + text[1:] if text else preset.name


@dataclass(frozen=True)
class PresetMatch:
    """How a preset fits a file's header: the share of its columns found (0 to 1, the
    required ones counting twice; 0 while a required one is missing), the fields whose
    column was found and the required fields whose column was not."""

    share: float
    found: tuple[str, ...]
    missing: tuple[str, ...]

    def share_words(self) -> str:
        """``85% match``."""
        return f"{self.share:.0%} match"

    def why(self, columns: int) -> str:
        """Why the preset scores so, in field words (``columns``: how many it maps)."""
        if self.missing:
            return f"no column for {', '.join(field_words(f) for f in self.missing)} (required)"
        found = ", ".join(field_words(f) for f in self.found)
        return f"{len(self.found)} of {columns} columns found ({found})"


def preset_match(preset: Preset, headers: list[str]) -> PresetMatch:
    """How ``preset`` fits ``headers`` (the detection's own share, without its tie-breaker)."""
    from workbench.importing.presets import match_share, norm_header

    have = {norm_header(h) for h in headers}
    found = tuple(f for f, c in preset.columns.items() if norm_header(c) in have)
    missing = tuple(f for f in preset.required() if norm_header(preset.columns.get(f, "")) not in have)
    share, _count = match_share(preset, headers)
    return PresetMatch(share, found, missing)


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
