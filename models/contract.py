"""The contract model: one contract version, as a validated, immutable pydantic value.

The fixed part (calendars, targets, pause statuses) follows shared/spec/interfaces.md
and shared/spec/sla-clock.md exactly.  Everything else models the seed document's
2026-ready SLA: scope, cybersecurity, backup and recovery, reporting, escalation
matrix (NOC/SOC boundaries), client obligations, compliance mandates, service
credits, uptime and the numbered clause text.

All models are frozen: a contract version is an immutable snapshot.  Editing makes a
new version (``model_copy(update=...)`` re-validated through :func:`revalidate`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
METRICS: tuple[str, ...] = ("response", "resolution")
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LITERAL_24X7 = "24x7"
DAY_TARGETS: tuple[str, ...] = ("same_business_day", "next_business_day")
# The day targets as a contract says them ("next business day"), for every text that names one.
DAY_TARGET_WORDS: dict[str, str] = {"same_business_day": "same business day",
                                    "next_business_day": "next business day"}

Priority = Literal["P1", "P2", "P3", "P4"]
Metric = Literal["response", "resolution"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_WINDOW_RE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class FieldError:
    """One reason a contract is invalid: the field's dotted path from the contract's top
    (``targets.P1.response``, ``calendars.business.weekly.mon``, ``service_credits.1``;
    empty for the file as a whole) and what is wrong with it."""

    path: str
    message: str


class ContractError(ValueError):
    """A contract file could not be read; the message names the file and field.

    ``errors`` holds the same reasons structured, one :class:`FieldError` each; an error
    made from a message alone has that message as its one, path-less reason."""

    def __init__(self, message: str, errors: Iterable[FieldError] = ()) -> None:
        super().__init__(message)
        self.errors: tuple[FieldError, ...] = tuple(errors) or (FieldError("", message),)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.errors))


class _FieldCheckError(ValueError):
    """A validator's error that names a field below the one it checks (``path``, dotted,
    relative to the validated value); its text is ``path: message`` as it always was."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def parse_duration(text: str) -> int:
    """``"30m"``, ``"1h"``, ``"1.5h"``, ``"2d"`` -> whole seconds.  Raises ValueError."""
    m = _DURATION_RE.match(str(text))
    if not m:
        raise ValueError(
            f"bad duration {text!r}: write a number and a unit, e.g. 30m, 1h, 1.5h, 2d"
        )
    seconds = float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
    if seconds <= 0:
        raise ValueError(f"bad duration {text!r}: must be greater than zero")
    if seconds != int(seconds):
        raise ValueError(f"bad duration {text!r}: must be a whole number of seconds")
    return int(seconds)


def format_duration(seconds: int) -> str:
    """The shortest canonical spelling of a duration (inverse of parse_duration)."""
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"


def parse_window(text: str) -> tuple[int, int]:
    """``"08:00-17:00"`` -> (28800, 61200) seconds after local midnight, half-open.

    An end of ``24:00`` means the next midnight.  A window may not cross midnight.
    """
    m = _WINDOW_RE.match(str(text).strip())
    if not m:
        raise ValueError(f"bad window {text!r}: write HH:MM-HH:MM, e.g. 08:00-17:00")
    h0, m0, h1, m1 = (int(g) for g in m.groups())
    if h0 > 23 or m0 > 59 or m1 > 59 or h1 > 24 or (h1 == 24 and m1 != 0):
        raise ValueError(f"bad window {text!r}: hours 00-24, minutes 00-59")
    start, end = h0 * 3600 + m0 * 60, h1 * 3600 + m1 * 60
    if end <= start:
        raise ValueError(
            f"window {text!r} crosses midnight or is empty: split it, "
            "e.g. 22:00-24:00 and 00:00-06:00 on the next day"
        )
    return start, end


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


@functools.cache
def supported_holiday_countries() -> dict[str, tuple[str, ...]]:
    """Country code -> subdivision codes known to the ``holidays`` package (cached)."""
    import holidays

    return {k: tuple(v) for k, v in holidays.list_supported_countries().items()}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """The maps inside a contract (calendars, targets, weekly windows, breach roles): a
    ``dict`` for every reader (equality, JSON, YAML) that refuses any change after
    validation, so that a validated version stays valid and a shared one unchanged.
    Equal maps hash alike; copies and pickles stay frozen."""

    __slots__ = ()

    def _refuse(self, *_a: Any, **_k: Any) -> NoReturn:
        raise TypeError(
            "a contract's maps are immutable: make a new version (model_copy(update=...) + revalidate)"
        )

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))


def _freeze(v: dict[K, V]) -> FrozenDict[K, V]:
    return v if isinstance(v, FrozenDict) else FrozenDict(v)


FrozenMap = Annotated[dict[K, V], AfterValidator(_freeze)]


# --------------------------------------------------------------------------- calendars


def _supported_date(v: date) -> date:
    from models.limits import EARLIEST_DATE, EARLIEST_YEAR, LATEST_DATE, LATEST_YEAR

    if not EARLIEST_DATE <= v <= LATEST_DATE:
        raise ValueError(f"date {v.isoformat()} is outside the supported range {EARLIEST_YEAR}-{LATEST_YEAR}")
    return v


SupportedDate = Annotated[date, AfterValidator(_supported_date)]


class HolidaySpec(Frozen):
    country: str | None = None
    subdivision: str | None = None
    add: tuple[SupportedDate, ...] = ()
    remove: tuple[SupportedDate, ...] = ()

    @field_validator("country")
    @classmethod
    def _country_known(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if v.upper() not in supported_holiday_countries():
            raise ValueError(f"unknown holiday country {v!r}")
        return v.upper()

    @model_validator(mode="after")
    def _subdivision_known(self) -> HolidaySpec:
        if self.subdivision is not None:
            if self.country is None:
                raise ValueError("subdivision given without country")
            subdivs = supported_holiday_countries().get(self.country, ())
            if self.subdivision.upper() not in subdivs:
                raise ValueError(
                    f"unknown subdivision {self.subdivision!r} of {self.country}"
                )
        return self


class CalendarSpec(Frozen):
    """A coverage calendar: IANA zone, weekly local windows, holidays."""

    timezone: str
    weekly: FrozenMap[Weekday, tuple[str, ...]] = Field(default_factory=FrozenDict, validate_default=True)
    holidays: HolidaySpec | None = None

    @field_validator("timezone")
    @classmethod
    def _zone_known(cls, v: str) -> str:
        if v not in _known_zones():  # first: ZoneInfo fails on a tzdata folder or a long name
            raise ValueError(f"unknown time zone {v!r}")
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown time zone {v!r}") from None
        return v

    @field_validator("weekly")
    @classmethod
    def _windows_valid(
        cls, v: dict[str, tuple[str, ...]]
    ) -> dict[str, tuple[str, ...]]:
        for day, windows in v.items():
            spans = []
            for w in windows:
                try:
                    spans.append((*parse_window(w), w))
                except ValueError as exc:
                    raise _FieldCheckError(day, str(exc)) from None
            spans.sort()
            for (_s0, e0, w0), (s1, _e1, w1) in zip(spans, spans[1:], strict=False):
                if s1 < e0:
                    raise _FieldCheckError(day, f"windows {w0} and {w1} overlap")
        if not any(v.values()):
            raise ValueError(
                "no coverage windows: a calendar must cover some time each week "
                "(write the literal 24x7 calendar for round-the-clock coverage)"
            )
        return v

    def windows(self, day: str) -> list[tuple[int, int]]:
        """Sorted (start, end) seconds after local midnight for a weekday name."""
        return sorted(parse_window(w) for w in self.weekly.get(day, ()))  # type: ignore[call-overload]


# ----------------------------------------------------------------------------- targets


def parse_target(value: str) -> tuple[str, int | None]:
    """-> ("duration", seconds) or ("same_business_day", None) / ("next_business_day", None)."""
    if value in DAY_TARGETS:
        return value, None
    return "duration", parse_duration(value)


class PriorityTargets(Frozen):
    response: str | None = None
    resolution: str | None = None
    calendar: str = LITERAL_24X7
    response_calendar: str | None = None
    resolution_calendar: str | None = None
    # Committed share of tickets meeting the target (e.g. 0.95 for "95% within 2h").
    compliance_target: float | None = Field(default=None, ge=0, le=1)

    @field_validator("response", "resolution", mode="before")
    @classmethod
    def _target_valid(cls, v: Any) -> Any:
        if v is None:
            return v
        v = str(v).strip()
        parse_target(v)
        return v

    def calendar_for(self, metric: str) -> str:
        override = self.response_calendar if metric == "response" else self.resolution_calendar
        return override or self.calendar

    def target_for(self, metric: str) -> str | None:
        return self.response if metric == "response" else self.resolution


# ----------------------------------------------------------------- the rest of the seed


class ServiceScope(Frozen):
    helpdesk_hours: str | None = None  # e.g. "8x5", "24x7"
    helpdesk_calendar: str | None = None  # names an entry of calendars
    monitoring_servers: bool = False
    monitoring_endpoints: bool = False
    monitoring_network: bool = False
    patch_management: bool = False
    vendor_support: bool = False
    notes: str = ""


class LogMonitoring(Frozen):
    frequency: str | None = None  # e.g. "24/7", "business hours", "daily"
    tooling: tuple[str, ...] = ()  # e.g. SIEM product


class EndpointCoverage(Frozen):
    product: str  # EDR, XDR, MDR
    included: bool = True
    licence_excluded: bool = False
    notes: str = ""


class SecurityTerms(Frozen):
    soc_services: tuple[str, ...] = ()  # incident detection, threat hunting …
    log_monitoring: LogMonitoring = LogMonitoring()
    endpoint_coverage: tuple[EndpointCoverage, ...] = ()
    licence_exclusions: tuple[str, ...] = ()
    incident_escalation: tuple[str, ...] = ()  # ordered workflow steps
    breach_roles: FrozenMap[str, str] = Field(default_factory=FrozenDict)  # role -> owner


class BackupSystem(Frozen):
    name: str
    tier: int = Field(default=2, ge=1, le=4)
    rpo: str
    rto: str
    location: Literal["cloud", "on-prem", "hybrid"] = "on-prem"

    @field_validator("rpo", "rto")
    @classmethod
    def _dur(cls, v: str) -> str:
        parse_duration(v)
        return v


RESTORE_CADENCE_DAYS = {"monthly": 31, "quarterly": 92, "semiannual": 183, "annual": 366}


class BackupTerms(Frozen):
    systems: tuple[BackupSystem, ...] = ()
    restore_test_cadence: str | None = None  # monthly, quarterly, or a duration like 30d
    cloud_backup_monitoring: bool | None = None
    onprem_backup_monitoring: bool | None = None

    @field_validator("restore_test_cadence")
    @classmethod
    def _cadence(cls, v: str | None) -> str | None:
        if v is not None and v not in RESTORE_CADENCE_DAYS:
            parse_duration(v)
        return v

    def cadence_seconds(self) -> int | None:
        if self.restore_test_cadence is None:
            return None
        if self.restore_test_cadence in RESTORE_CADENCE_DAYS:
            return RESTORE_CADENCE_DAYS[self.restore_test_cadence] * 86400
        return parse_duration(self.restore_test_cadence)


class Reporting(Frozen):
    cadence: tuple[str, ...] = ()  # "monthly report", "quarterly business review"
    kpis: tuple[str, ...] = ()  # MTTR, patch compliance, threat resolution …


Team = Literal["Helpdesk", "NOC", "SOC"]
Owner = Literal["MSP", "MSSP"]


class EscalationRule(Frozen):
    incident_type: str
    owner: Owner
    team: Team
    action: str = ""


SEED_ESCALATION_MATRIX: tuple[EscalationRule, ...] = (
    EscalationRule(incident_type="antivirus alert", owner="MSP", team="NOC", action="MSP triage"),
    EscalationRule(
        incident_type="lateral movement", owner="MSSP", team="SOC", action="MSSP escalation"
    ),
    EscalationRule(
        incident_type="credential theft", owner="MSSP", team="SOC", action="MSSP escalation"
    ),
    EscalationRule(
        incident_type="SIEM log anomaly", owner="MSSP", team="SOC", action="SOC analyst"
    ),
    EscalationRule(
        incident_type="user lockout", owner="MSP", team="Helpdesk", action="Helpdesk ticket"
    ),
)


class ClientObligation(Frozen):
    kind: Literal[
        "change_approval",
        "escalation_contacts",
        "severity_matrix",
        "licence_coverage",
        "other",
    ]
    text: str
    within: str | None = None  # e.g. change approval within "2d"

    @field_validator("within")
    @classmethod
    def _dur(cls, v: str | None) -> str | None:
        if v is not None:
            parse_duration(v)
        return v


class ServiceCredit(Frozen):
    """A remedy tied to a missed target.

    ``per_breach``: ``percent_of_fee`` for each breached ticket of the metric/priority
    in a month.  ``compliance_below``: ``percent_of_fee`` once in a month whose
    compliance is below ``threshold``.  ``cap_percent`` caps this credit per month.
    """

    metric: Literal["response", "resolution", "uptime"]
    priority: Priority | None = None
    percent_of_fee: float = Field(gt=0, le=100)
    trigger: Literal["per_breach", "compliance_below"] = "per_breach"
    threshold: float | None = Field(default=None, ge=0, le=1)
    cap_percent: float | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _threshold(self) -> ServiceCredit:
        if self.trigger == "compliance_below" and self.threshold is None:
            raise ValueError("trigger compliance_below needs a threshold")
        return self


class UptimeCommitment(Frozen):
    service: str
    target_percent: float = Field(gt=0, le=100)
    calendar: str = LITERAL_24X7
    maintenance_excluded: bool = True


class Clause(Frozen):
    number: str
    heading: str = ""
    text: str = ""


ContractStatus = Literal["signed", "draft", "proposal"]


class Contract(Frozen):
    """One contract version."""

    name: str
    version: str
    provider: str = ""
    client: str = ""
    status: ContractStatus = "draft"
    effective_date: SupportedDate | None = None
    last_reviewed: SupportedDate | None = None
    monthly_fee: float | None = Field(default=None, ge=0)
    currency: str = "CAD"
    scope: ServiceScope = ServiceScope()
    calendars: FrozenMap[str, CalendarSpec] = Field(default_factory=FrozenDict)
    targets: FrozenMap[Priority, PriorityTargets] = Field(default_factory=FrozenDict)
    pause_statuses: tuple[str, ...] = ()
    pause_applies_to: tuple[Metric, ...] = ("resolution",)
    security: SecurityTerms = SecurityTerms()
    backup: BackupTerms = BackupTerms()
    reporting: Reporting = Reporting()
    escalation_matrix: tuple[EscalationRule, ...] = SEED_ESCALATION_MATRIX
    client_obligations: tuple[ClientObligation, ...] = ()
    compliance_mandates: tuple[str, ...] = ()
    service_credits: tuple[ServiceCredit, ...] = ()
    credits_cap_percent: float | None = Field(default=None, gt=0, le=100)
    uptime: tuple[UptimeCommitment, ...] = ()
    clauses: tuple[Clause, ...] = ()

    @field_validator("calendars")
    @classmethod
    def _no_literal_name(cls, v: dict[str, CalendarSpec]) -> dict[str, CalendarSpec]:
        if LITERAL_24X7 in v:
            raise ValueError(f"{LITERAL_24X7!r} is reserved for the literal round-the-clock calendar")
        return v

    @model_validator(mode="after")
    def _cross_checks(self) -> Contract:
        def known(name: str | None, where: str) -> None:
            if name is not None and name != LITERAL_24X7 and name not in self.calendars:
                raise _FieldCheckError(where, f"unknown calendar {name!r}")

        for prio, t in self.targets.items():
            for metric in METRICS:
                cal = t.calendar_for(metric)
                known(cal, f"targets.{prio}.{metric}")
                tv = t.target_for(metric)
                if tv in DAY_TARGETS and cal == LITERAL_24X7:
                    raise _FieldCheckError(
                        f"targets.{prio}.{metric}",
                        f"{tv} needs a calendar with a time zone, "
                        f"not the literal {LITERAL_24X7} (write 00:00-24:00 on all seven days)",
                    )
        for i, u in enumerate(self.uptime):
            known(u.calendar, f"uptime.{i}.calendar")
        known(self.scope.helpdesk_calendar, "scope.helpdesk_calendar")
        return self

    # -------------------------------------------------------------------- helpers

    def target(self, priority: str, metric: str) -> str | None:
        t = self.targets.get(priority)  # type: ignore[call-overload]
        return None if t is None else t.target_for(metric)

    def calendar_name(self, priority: str, metric: str) -> str | None:
        t = self.targets.get(priority)  # type: ignore[call-overload]
        return None if t is None else t.calendar_for(metric)

    def pauses(self, metric: str) -> bool:
        return metric in self.pause_applies_to

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON, without defaults' noise but lossless."""
        return self.model_dump(mode="json", exclude_defaults=True)


# ----------------------------------------------------------------------- file I/O


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _YamlLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader where only true/false are booleans (YAML 1.2): ``ON`` (Ontario) and
    ``NO`` (Norway) stay strings."""


_YamlLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def yaml_load(text: str) -> Any:
    return yaml.load(text, Loader=_YamlLoader)


def _contract_error(exc: ValidationError, source: str) -> ContractError:
    """pydantic's errors as a ContractError: one ``source: loc: message`` line each, and
    each as a FieldError whose path goes down to the field a check names."""
    lines, fields = [], []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        if err["type"] == "literal_error" and "Priority" not in msg and loc.startswith("targets"):
            msg = f"unknown priority: {msg}"
        lines.append(f"{source}: {loc or '(top level)'}: {msg}")
        cause = err.get("ctx", {}).get("error")
        if isinstance(cause, _FieldCheckError):
            fields.append(FieldError(".".join(p for p in (loc, cause.path) if p), cause.message))
        else:
            fields.append(FieldError(loc, msg))
    return ContractError("\n".join(lines), fields)


def contract_from_data(data: Any, source: str = "<data>") -> Contract:
    from models.limits import LimitExceeded, check_contract_data

    if not isinstance(data, dict):
        what = "a contract file must hold a mapping at top level"
        raise ContractError(f"{source}: {what}", [FieldError("", what)])
    try:
        check_contract_data(data, source)
    except LimitExceeded as exc:
        what = f"{exc.value}; the limit is {exc.limit}"
        where = "" if exc.what == "(top level)" else exc.what
        raise ContractError(str(exc), [FieldError(where, what)]) from None
    targets = data.get("targets")
    if isinstance(targets, dict):
        for key in targets:
            if str(key) not in PRIORITIES:
                path, what = f"targets.{key}", f"unknown priority {key!r} (use P1, P2, P3, P4)"
                raise ContractError(f"{source}: {path}: {what}", [FieldError(path, what)])
    try:
        return Contract.model_validate(data)
    except ValidationError as exc:
        raise _contract_error(exc, source) from None


def read_contract_data(path: str | Path) -> Any:
    """The parsed, not yet validated content of a YAML or JSON contract file; a file that
    cannot be read or parsed is a ContractError naming it."""
    from models.limits import CONTRACT_FILE_BYTES, LimitExceeded, check_file_size

    p = Path(path)
    try:
        check_file_size(p, CONTRACT_FILE_BYTES, raise_with="CONTRACT_FILE_BYTES")
        text = p.read_text(encoding="utf-8-sig")
    except LimitExceeded as exc:
        raise ContractError(str(exc)) from None
    except OSError as exc:
        raise ContractError(f"{p}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ContractError(
            f"{p}: not a contract file: a contract is YAML or JSON text, and this file is not "
            f"UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    kind = "JSON" if p.suffix.lower() == ".json" else "YAML"
    try:
        return json.loads(text) if kind == "JSON" else yaml_load(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ContractError(f"{p}: {where}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        from models.limits import NESTING_DEPTH

        raise ContractError(f"{p}: nesting: lists or mappings nested too deep to read; the limit is "
                            f"{NESTING_DEPTH} levels") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        what = exc.problem or exc.context or "syntax error"
        raise ContractError(f"{p}: {where}not valid YAML: {what}") from None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: impossible YAML dates
        raise ContractError(f"{p}: not valid {kind}: {exc}") from None


def load_contract(path: str | Path) -> Contract:
    """Read a contract version from a YAML or JSON file; errors name the file, the field
    and the line it is on."""
    p = Path(path)
    data = read_contract_data(p)
    try:
        return contract_from_data(data, str(p))
    except ContractError as exc:
        raise _with_lines(exc, p) from None


def _with_lines(exc: ContractError, path: Path) -> ContractError:
    """``exc`` with each reason's line in the file appended (`` (line 7)``)."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=_YamlLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return exc
    lines = str(exc).split("\n")
    if root is None or len(lines) != len(exc.errors):
        return exc
    out = []
    for text, err in zip(lines, exc.errors, strict=True):
        line = yaml_line(root, err.path)
        out.append(f"{text} (line {line})" if line is not None else text)
    return ContractError("\n".join(out), exc.errors)


def yaml_line(root: yaml.Node, path: str) -> int | None:
    """The 1-based line of the YAML node at dotted ``path`` (``targets.P1.response``,
    ``service_credits.0.metric``), or of its nearest stated ancestor; None for the top."""
    node: yaml.Node = root
    found: yaml.Node | None = None
    for part in [x for x in path.split(".") if x]:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    nxt = value
                    break
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            nxt = node.value[int(part)]
        if nxt is None:
            break
        node = found = nxt
    return None if found is None else found.start_mark.line + 1


def dump_contract_yaml(contract: Contract) -> str:
    return yaml.safe_dump(
        contract.to_data(), sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )


def save_contract(contract: Contract, path: str | Path) -> None:
    """Write YAML or JSON (by suffix) atomically."""
    from models.atomic import atomic_write_text

    p = Path(path)
    if p.suffix.lower() == ".json":
        text = json.dumps(contract.to_data(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = dump_contract_yaml(contract)
    atomic_write_text(p, text)


def contract_json_schema() -> dict[str, Any]:
    return Contract.model_json_schema()

