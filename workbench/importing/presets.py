"""Import presets: which column holds which field, how priorities and verdicts read.

A preset is a plain mapping that the user can adjust and save under a new name
(JSON or YAML in the user's config directory, see :func:`presets_dir`).  Built-in
presets cover the canonical format and the exports of ServiceNow (incident list
and the audit/event log), Jira Service Management, Zendesk, ConnectWise PSA,
Autotask, HaloPSA and osTicket.

Detection (:func:`detect`) scores every preset against a file's header: a preset
whose required columns are not all present scores 0; otherwise the score is the
weighted share of its columns found (required columns weigh 2, the others 1),
plus a small bonus per matched column so that the more specific of two complete
matches wins.  Header matching ignores case, surrounding spaces, a BOM, and every
character that is not a letter or digit (spaces, underscores, hyphens, dots, brackets):
``Ticket.Number`` (R's ``make.names``), ``ticket_number`` and ``Ticket Number`` are one header.

Only the ticket id and the opening time are required of a ticket export; a file without a
priority column imports every ticket under a default priority (P3 unless the import is told
otherwise), said in the import's notes.  An event log needs only case id, status and update
time: the opening is then the case's first update.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.contract import PRIORITIES

TICKET_FIELDS = (
    "id", "priority", "opened_at", "first_response_at", "first_response_minutes", "resolved_at",
    "closed_at", "category", "team", "provider_sla_met", "provider_sla_breached", "status", "close_code",
)
EVENT_FIELDS = ("updated_at", "sequence", "reopen_count")
STATUS_LOG_FIELDS = ("ticket_id", "at", "status")
ALL_FIELDS = TICKET_FIELDS + EVENT_FIELDS + STATUS_LOG_FIELDS

REQUIRED: dict[str, tuple[str, ...]] = {
    "tickets": ("id", "opened_at"),
    "event_log": ("id", "status", "updated_at"),
    "status_log": ("ticket_id", "at", "status"),
}

PriorityRule = Literal["last", "first", "highest"]

# true/false words in the languages exports are written in (any case); a value that is neither is
# left empty and counted, never a reason to reject the ticket
TRUE_WORDS = ("true", "yes", "y", "1", "t", "met", "within", "ja", "j", "oui", "si", "sí", "sim", "vrai",
              "wahr", "verdadero", "vero", "waar", "tak", "igen", "kyllä", "да", "erfüllt", "respecté")
FALSE_WORDS = ("false", "no", "n", "0", "f", "breached", "missed", "out", "nein", "non", "não", "nao", "faux",
               "falsch", "falso", "onwaar", "nee", "nej", "nie", "nem", "ei", "нет", "verletzt", "dépassé")


class PresetError(ValueError):
    """A preset that cannot be found, read or saved."""


class Preset(BaseModel):
    """How to read one tool's export.  ``columns`` maps our field -> the export's column header."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    title: str = ""
    kind: Literal["tickets", "event_log", "status_log"] = "tickets"
    columns: dict[str, str]
    signature: tuple[str, ...] = ()  # further columns typical of the export (detection only)
    priority_map: dict[str, str] = Field(default_factory=dict)  # export value (any case) -> P1..P4
    priority_rule: PriorityRule = "last"  # event logs: which of a ticket's priorities counts
    pause_statuses: tuple[str, ...] = ()  # the tool's "waiting on the client" states (a suggestion)
    new_statuses: tuple[str, ...] = ("New",)  # event logs: leaving these = first response
    resolved_statuses: tuple[str, ...] = ("Resolved", "Closed")  # event logs: entering these = resolution
    # ticket exports: a ticket closed in one of resolved_statuses (or with no status column) but
    # without a resolution time was resolved at the latest when it closed: resolved_at = closed_at
    closure_resolves: bool = False
    ignore_statuses: tuple[str, ...] = ()  # junk states (ServiceNow's "-100"): no status row
    # a ticket whose final status or close code is one of these (any case) was cancelled: left out
    # of SLA compliance and counted apart (ServiceNow cancels a task's running SLAs with it)
    cancelled_statuses: tuple[str, ...] = ()
    cancelled_close_codes: tuple[str, ...] = ()
    missing_values: tuple[str, ...] = ("", "?", "NULL", "null", "N/A", "n/a", "-")
    true_values: tuple[str, ...] = TRUE_WORDS
    false_values: tuple[str, ...] = FALSE_WORDS
    date_order: Literal["dmy", "mdy"] | None = None
    timezone: str | None = None

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, v: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(v) - set(ALL_FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; fields are {', '.join(ALL_FIELDS)}")
        return v

    @field_validator("priority_map")
    @classmethod
    def _priorities(cls, v: dict[str, str]) -> dict[str, str]:
        bad = sorted({p for p in v.values() if p not in PRIORITIES})
        if bad:
            raise ValueError(f"priority map targets must be P1..P4, not {', '.join(bad)}")
        return {k.strip().lower(): p for k, p in v.items()}

    def required(self) -> tuple[str, ...]:
        return REQUIRED[self.kind]

    def map_priority(self, value: str) -> str | None:
        v = value.strip().lower()
        if v in self.priority_map:
            return self.priority_map[v]
        if value.strip().upper() in PRIORITIES:
            return value.strip().upper()
        return None


def norm_header(h: str) -> str:
    return re.sub(r"[\W_]+", " ", h.replace("\ufeff", "").lower()).strip()


def _map(*pairs: tuple[str, str]) -> dict[str, str]:
    return dict(pairs)


_P_CRIT = {"critical": "P1", "high": "P2", "medium": "P3", "moderate": "P3", "low": "P4"}
# ServiceNow's stored priority values (REST/table API, sysparm_display_value=false): 1 = "1 - Critical",
# 2 = "2 - High", 3 = "3 - Moderate", 4 = "4 - Low", 5 = "5 - Planning" (read as P4, like its label)
_SN_PRIORITIES = {"1 - Critical": "P1", "2 - High": "P2", "3 - Moderate": "P3", "4 - Low": "P4",
                  "5 - Planning": "P4", "1": "P1", "2": "P2", "3": "P3", "4": "P4", "5": "P4", **_P_CRIT}

# ServiceNow's incident state Canceled (stored value 8: raised in error or withdrawn; its task SLAs
# are cancelled, not breached, and left out of SLA reports), in both spellings; a close code reading
# so is taken the same way
_SN_CANCELLED = ("Canceled", "Cancelled")

BUILTIN: tuple[Preset, ...] = (
    Preset(
        name="canonical",
        title="SLA Workbench canonical tickets.csv",
        columns={f: f for f in ("id", "priority", "opened_at", "first_response_at", "resolved_at",
                                "closed_at", "category", "team", "provider_sla_met")},
        missing_values=("",),
    ),
    Preset(
        name="canonical-status-log",
        title="SLA Workbench canonical status_log.csv",
        kind="status_log",
        columns={"ticket_id": "ticket_id", "at": "at", "status": "status"},
        missing_values=("",),
    ),
    Preset(
        name="servicenow-event-log",
        title="ServiceNow incident audit/event log (one row per update)",
        kind="event_log",
        columns=_map(("id", "number"), ("status", "incident_state"), ("updated_at", "sys_updated_at"),
                     ("sequence", "sys_mod_count"), ("opened_at", "opened_at"), ("priority", "priority"),
                     ("resolved_at", "resolved_at"), ("closed_at", "closed_at"),
                     ("provider_sla_met", "made_sla"), ("reopen_count", "reopen_count"),
                     ("category", "category"), ("close_code", "closed_code")),
        signature=("active", "reassignment_count", "sys_updated_by", "sys_created_at", "impact", "urgency",
                   "assignment_group"),
        priority_map=_SN_PRIORITIES,
        pause_statuses=("Awaiting User Info", "Awaiting Evidence"),
        new_statuses=("New",),
        resolved_statuses=("Resolved", "Closed"),
        ignore_statuses=("-100",),
        cancelled_statuses=_SN_CANCELLED,
        cancelled_close_codes=_SN_CANCELLED,
    ),
    Preset(
        name="servicenow-incident",
        title="ServiceNow incident list export",
        columns=_map(("id", "number"), ("priority", "priority"), ("opened_at", "opened_at"),
                     ("resolved_at", "resolved_at"), ("closed_at", "closed_at"), ("category", "category"),
                     ("provider_sla_met", "made_sla"), ("status", "state"), ("close_code", "close_code")),
        signature=("short_description", "assignment_group", "assigned_to", "caller_id", "sys_updated_on",
                   "impact", "urgency"),
        priority_map=_SN_PRIORITIES,
        pause_statuses=("On Hold", "Awaiting User Info", "Awaiting Caller"),
        # a list export leaves resolved_at empty on tickets closed without passing Resolved;
        # the REST export writes the stored states 6 (Resolved) and 7 (Closed)
        resolved_statuses=("Resolved", "Closed", "6", "7"),
        closure_resolves=True,
        cancelled_statuses=(*_SN_CANCELLED, "8"),  # 8: the stored value of Canceled
        cancelled_close_codes=_SN_CANCELLED,
    ),
    Preset(
        name="jira-service-management",
        title="Jira Service Management issue CSV export",
        columns=_map(("id", "Issue key"), ("priority", "Priority"), ("opened_at", "Created"),
                     ("resolved_at", "Resolved"), ("status", "Status"),
                     ("category", "Issue Type"), ("provider_sla_met", "Custom field (SLA met)")),
        signature=("Issue id", "Summary", "Assignee", "Reporter", "Updated", "Resolution",
                   "Custom field (Time to first response)", "Custom field (Time to resolution)",
                   "Custom field (Request Type)"),
        priority_map={"Highest": "P1", "High": "P2", "Medium": "P3", "Low": "P4", "Lowest": "P4",
                      "Blocker": "P1", "Critical": "P2", "Major": "P3", "Minor": "P4", "Trivial": "P4"},
        pause_statuses=("Waiting for customer", "Pending"),
    ),
    Preset(
        name="zendesk",
        title="Zendesk ticket export",
        columns=_map(("id", "Id"), ("priority", "Priority"), ("opened_at", "Created at"),
                     ("first_response_minutes", "First reply time in minutes"), ("resolved_at", "Solved at"),
                     ("status", "Status"), ("category", "Ticket type"), ("team", "Group"),
                     ("provider_sla_breached", "SLA breached")),
        signature=("Requester", "Assignee", "Subject", "Tags", "Via", "Updated at", "Assigned at", "Reopens",
                   "Replies", "Full resolution time in minutes", "Organization"),
        priority_map={"Urgent": "P1", "High": "P2", "Normal": "P3", "Low": "P4"},
        pause_statuses=("Pending", "On-hold"),
    ),
    Preset(
        name="connectwise-psa",
        title="ConnectWise PSA (Manage) service ticket export",
        columns=_map(("id", "Ticket #"), ("priority", "Priority"), ("opened_at", "Date Entered"),
                     ("first_response_at", "Date Responded"), ("resolved_at", "Date Resolved"),
                     ("closed_at", "Closed Date"), ("status", "Status"), ("category", "Type"),
                     ("team", "Board"), ("provider_sla_met", "SLA Met")),
        signature=("Company", "Contact", "Summary", "Resources", "Source", "SLA Status", "Sub Type", "Item"),
        priority_map={"Priority 1 - Emergency Response": "P1", "Priority 1 - Critical": "P1",
                      "Priority 2 - Quick Response": "P2", "Priority 2 - High": "P2",
                      "Priority 3 - Normal Response": "P3", "Priority 3 - Medium": "P3",
                      "Priority 4 - Schedule Maintenance": "P4", "Priority 4 - Low": "P4",
                      "Priority 5 - Next Time": "P4", "Do Not Respond": "P4", **_P_CRIT},
        pause_statuses=("Waiting Customer", "Customer Updated", "Scheduled"),
    ),
    Preset(
        name="autotask",
        title="Autotask PSA ticket export",
        columns=_map(("id", "Ticket Number"), ("priority", "Priority"), ("opened_at", "Created"),
                     ("first_response_at", "First Response"), ("resolved_at", "Resolved"),
                     ("closed_at", "Complete Date"), ("status", "Status"), ("category", "Issue Type"),
                     ("team", "Queue"), ("provider_sla_met", "Service Level Agreement Met")),
        signature=("Title", "Account", "Contact", "Primary Resource", "Ticket Type", "Source",
                   "Service Level Agreement", "Due Date", "Sub-Issue Type"),
        priority_map=_P_CRIT,
        pause_statuses=("Waiting Customer", "Customer Note Added", "Waiting Vendor"),
    ),
    Preset(
        name="halopsa",
        title="HaloPSA ticket export",
        columns=_map(("id", "Ticket ID"), ("priority", "Priority"), ("opened_at", "Date Logged"),
                     ("first_response_at", "Date Responded"), ("resolved_at", "Date Resolved"),
                     ("closed_at", "Date Closed"), ("status", "Status"), ("category", "Category"),
                     ("team", "Team"), ("provider_sla_met", "SLA Met")),
        signature=("Summary", "Client", "Site", "User", "Agent", "Ticket Type", "SLA", "Fix By Date",
                   "Response Target", "Resolution Target"),
        priority_map={"1 - Critical": "P1", "2 - High": "P2", "3 - Medium": "P3", "4 - Low": "P4",
                      "1": "P1", "2": "P2", "3": "P3", "4": "P4", **_P_CRIT},
        pause_statuses=("Waiting on User", "On Hold", "With Supplier"),
    ),
    Preset(
        name="osticket",
        title="osTicket ticket export",
        columns=_map(("id", "Ticket Number"), ("priority", "Priority"), ("opened_at", "Date Created"),
                     ("closed_at", "Closed Date"), ("status", "Current Status"),
                     ("category", "Help Topic"), ("team", "Department"),
                     ("provider_sla_breached", "Overdue")),
        signature=("Subject", "From", "From Email", "Source", "Last Updated", "Due Date", "Agent Assigned",
                   "Team Assigned", "Thread Count", "Reopen Count", "Answered"),
        priority_map={"Emergency": "P1", "High": "P2", "Normal": "P3", "Low": "P4"},
        pause_statuses=("On Hold", "Awaiting Customer"),
        # osTicket has no separate resolution time: closing (Resolved/Closed/Archived) is the resolution
        resolved_statuses=("Resolved", "Closed", "Archived"),
        closure_resolves=True,
    ),
    Preset(
        name="glpi",
        title="GLPI ticket search export (CSV)",
        columns=_map(("id", "ID"), ("priority", "Priority"), ("opened_at", "Opening date"),
                     ("resolved_at", "Resolution date"), ("closed_at", "Closing date"), ("status", "Status"),
                     ("category", "Category"), ("team", "Assigned to - Group"),
                     ("provider_sla_breached", "Time to resolve exceeded")),
        signature=("Title", "Entity", "Last update", "Requester - Requester", "Assigned to - Technician",
                   "Time to resolve", "Time to own", "Type"),
        priority_map={"Major": "P1", "Very high": "P1", "High": "P2", "Medium": "P3", "Low": "P4",
                      "Very low": "P4"},
        pause_statuses=("Pending",),
        resolved_statuses=("Solved", "Closed"),
        closure_resolves=True,
    ),
    Preset(
        name="it-event-log",
        title="IT incident event log (case id, activity/status, timestamp)",
        kind="event_log",
        columns=_map(("id", "Case ID"), ("status", "Activity"), ("updated_at", "Timestamp"),
                     ("priority", "Priority"), ("category", "Category")),
        signature=("Variant", "Lifecycle transition", "Resource"),
        priority_map={"Urgent": "P1", **_P_CRIT, "1": "P1", "2": "P2", "3": "P3", "4": "P4"},
        pause_statuses=("Pending", "Wait", "Waiting", "On Hold"),
        new_statuses=("New", "Open", "Opened", "Created", "Logged", "Registered", "Insert ticket"),
        resolved_statuses=("Resolved", "Closed", "Solved", "Resolve ticket"),
    ),
)


def presets_dir() -> Path:
    """Where user presets live: ``$SLA_WORKBENCH_CONFIG/presets`` or the platform config dir."""
    base = os.environ.get("SLA_WORKBENCH_CONFIG")
    if base:
        return Path(base) / "presets"
    import platformdirs

    return Path(platformdirs.user_config_dir("sla-workbench")) / "presets"


def user_presets() -> list[Preset]:
    """The user's presets that read; a broken file is skipped (:func:`broken_presets` says why),
    so it never blocks the other presets or the built-ins."""
    return _user_presets()[0]


def broken_presets() -> list[str]:
    """One line for each file in the user's preset folder that is not a valid preset."""
    return _user_presets()[1]


def _user_presets() -> tuple[list[Preset], list[str]]:
    d = presets_dir()
    if not d.is_dir():
        return [], []
    out, broken = [], []
    for p in sorted(d.iterdir()):
        if p.suffix.lower() in (".json", ".yaml", ".yml"):
            try:
                out.append(load_preset_file(p))
            except PresetError as exc:
                broken.append(" ".join(str(exc).split()))
    return out, broken


PRESET_FILE_BYTES = 1 << 20


def load_preset_file(path: Path) -> Preset:
    from models.limits import check_file_size

    try:
        check_file_size(path, PRESET_FILE_BYTES)
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        return Preset.model_validate(data)
    except (OSError, ValueError, yaml.YAMLError, RecursionError) as exc:
        raise PresetError(f"{path}: not a valid import preset: {exc}") from exc


def all_presets() -> list[Preset]:
    """User presets first (a user preset may shadow a built-in by name), then built-ins."""
    users = user_presets()
    names = {p.name for p in users}
    return users + [p for p in BUILTIN if p.name not in names]


def get_preset(name: str) -> Preset:
    for p in all_presets():
        if p.name == name:
            return p
    known = ", ".join(p.name for p in all_presets())
    raise PresetError(f"no import preset named {name!r}; known presets: {known}")


def check_preset_name(name: str) -> None:
    """A name a preset can be saved under (raises :class:`PresetError`)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise PresetError(f"preset name {name!r}: use letters, digits, '-', '_' and '.'")
    if any(p.name == name for p in BUILTIN):
        raise PresetError(f"{name!r} is a built-in preset: save the adjusted copy under a new name")


def save_preset(preset: Preset, fmt: Literal["json", "yaml"] = "json") -> Path:
    """Save a (usually adjusted) preset under its name in the user's presets dir."""
    check_preset_name(preset.name)
    from models.atomic import atomic_write_text

    d = presets_dir()
    d.mkdir(parents=True, exist_ok=True)
    data = preset.model_dump(mode="json")
    path = d / f"{preset.name}.{fmt}"
    text = json.dumps(data, indent=2, ensure_ascii=False) if fmt == "json" else yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True)
    atomic_write_text(path, text)
    return path


def match_share(preset: Preset, headers: list[str]) -> tuple[float, int]:
    """How well ``headers`` match the preset: the share of its columns and signature the
    header holds (a required column counting twice; 0 to 1, 0 when a required one is
    missing) and how many of them it holds."""
    have = {norm_header(h) for h in headers}
    required = set(preset.required())
    total = matched = 0.0
    count = 0
    for fld, col in preset.columns.items():
        w = 2.0 if fld in required else 1.0
        total += w
        if norm_header(col) in have:
            matched += w
            count += 1
        elif fld in required:
            return 0.0, 0
    for col in preset.signature:
        total += 1.0
        if norm_header(col) in have:
            matched += 1.0
            count += 1
    return matched / total, count


def score(preset: Preset, headers: list[str]) -> float:
    """The detection score: :func:`match_share`, with the number of columns found as a
    tie-breaker (so it may pass 1 a little; ranking only, not a share)."""
    share, count = match_share(preset, headers)
    return share + 0.001 * count


def detect(headers: list[str], presets: list[Preset] | None = None) -> tuple[Preset | None, float]:
    """The best-scoring preset for these headers (None when no preset's required columns match)."""
    best: Preset | None = None
    best_score = 0.0
    for p in presets if presets is not None else all_presets():
        s = score(p, headers)
        if s > best_score:
            best, best_score = p, s
    return best, best_score
