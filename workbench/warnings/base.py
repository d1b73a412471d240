"""The warning-sign registry: findings, the check decorator and the lint context.

A check is a function ``check(ctx: LintContext) -> Iterable[Finding]`` registered with
:func:`check` under its code.  Each code lives in its own module of this package
(``w01_vague.py`` …) and is picked up by :func:`discover`: adding a warning sign is
adding a file.

Every check sees the same :class:`LintContext`:

* ``ctx.document`` - the text (a document, or a Contract's clause text);
* ``ctx.terms`` - an :class:`~workbench.documents.extract.Extraction` of the terms: extracted
  from the document, or, for a Contract, read from its structured fields (with the
  clause that states each, when a clause mentions it, else the field path);
* ``ctx.contract`` - a Contract (for a document: built by ``to_contract`` when the
  extracted terms make a valid one, else ``None``);
* ``ctx.history``, ``ctx.as_of`` (epoch seconds, or ``None``), ``ctx.today`` (the
  as-of date; without an as-of or a history, today's UTC date from the injected
  clock, never the wall clock read by a check), ``ctx.reference`` (the W07 matrix),
  ``ctx.mandates`` (the client's compliance mandates, for W13).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal

from models.clock import Clock, aware_utc, utc_now
from models.contract import LITERAL_24X7, Contract, ContractError
from models.history import MISSING, History
from workbench.app.asof import parse_as_of
from workbench.documents.extract import Extracted, Extraction, extract, to_contract
from workbench.documents.reader import Clause, Document, document_from_clauses
from workbench.progress import ProgressCallback, report, scaled

if TYPE_CHECKING:
    from workbench.engine.simulate import Engine, SimulationResult

Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
MISSING_CLAUSE = "missing"

# The seed's reference matrix (shared/seed): P1 1-hour response, 4-hour resolution;
# P2 2-hour response, same-day resolution; P3 next business day (response).
REFERENCE_MATRIX: dict[str, dict[str, str]] = {
    "P1": {"response": "1h", "resolution": "4h"},
    "P2": {"response": "2h", "resolution": "same_business_day"},
    "P3": {"response": "next_business_day"},
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    clause: str
    evidence: str
    suggestion: str
    # the tickets behind a history finding (ids), for a drill-down; not part of the JSON
    tickets: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"bad severity {self.severity!r}")

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity,
            "clause": self.clause,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
        }


Kind = Literal["text", "terms", "history"]
CheckFn = Callable[["LintContext"], Iterable[Finding]]


@dataclass(frozen=True)
class CheckInfo:
    code: str
    title: str
    kind: Kind
    fn: CheckFn
    extension: bool = False  # beyond the published catalogue (W01-W17)
    # in words, for the user guide: what the sign means, why it matters, what to ask for
    means: str = ""
    why: str = ""
    ask: str = ""


REGISTRY: dict[str, CheckInfo] = {}


def check(
    code: str, title: str, kind: Kind, *, extension: bool = False, means: str = "", why: str = "",
    ask: str = "",
) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``code`` (one module per code), with what it means, why it
    matters and what to ask for in words (the user guide's entry for the code)."""

    def deco(fn: CheckFn) -> CheckFn:
        if code in REGISTRY and REGISTRY[code].fn is not fn:
            raise ValueError(f"warning code {code} registered twice")
        REGISTRY[code] = CheckInfo(code, title, kind, fn, extension, means, why, ask)
        return fn

    return deco


_discovered = False


def discover() -> dict[str, CheckInfo]:
    """Import every ``wNN_*`` module of this package (each registers its check)."""
    global _discovered
    if not _discovered:
        import workbench.warnings as pkg

        for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if re.match(r"w\d+_", mod.name):
                importlib.import_module(f"workbench.warnings.{mod.name}")
        _discovered = True
    return dict(sorted(REGISTRY.items()))


# ------------------------------------------------------------------------- context


@dataclass
class LintContext:
    document: Document
    terms: Extraction
    contract: Contract | None
    history: History | None = None
    as_of: int | None = None
    today: date | None = None
    reference: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: REFERENCE_MATRIX)
    mandates: tuple[str, ...] = ()
    source_kind: Literal["contract", "document"] = "document"
    # the running check's share of the lint's progress/cancel callback (set by run_checks):
    # a check that replays the history passes it on to the SLA engine
    progress: ProgressCallback | None = None
    # the history prepared for the SLA engine, shared by the history checks (see :meth:`engine`);
    # a caller that has already prepared it for the same history and as-of hands it in
    prepared: Engine | None = None

    def engine(self) -> Engine:
        """The SLA engine on ``history`` at ``as_of``, prepared once for every history check
        (its calendars, pauses and replays are cached: W08 and W09 share them)."""
        if self.prepared is None:
            from workbench.engine.simulate import Engine

            assert self.history is not None
            self.prepared = Engine(self.history.tickets, self.history.status_log, self.as_of, self.progress)
        return self.prepared

    def simulate(self) -> SimulationResult:
        """``contract`` replayed on ``history`` (as :func:`workbench.engine.simulate.simulate`
        does it), on the shared :meth:`engine`."""
        assert self.contract is not None
        return self.engine().run(self.contract, self.progress)

    def where(self, name: str) -> str:
        """The clause that states a term, else ``missing``."""
        e = self.terms.first(name)
        return e.clause if e else MISSING_CLAUSE

    def find_clause(self, pattern: str) -> Clause | None:
        rx = re.compile(pattern, re.I)
        for c in self.document.clauses:
            if rx.search(c.text) or rx.search(c.heading):
                return c
        return None

    def business_day_hours(self) -> float:
        """Length of the longest business day of the contract's calendars (8 h if unknown)."""
        best = 0.0
        if self.contract is not None:
            for cal in self.contract.calendars.values():
                for day in cal.weekly:
                    best = max(best, sum(e - s for s, e in cal.windows(day)) / 3600)
        return best if 0 < best < 24 else 8.0


def quote(text: str, limit: int = 160) -> str:
    t = " ".join(text.split())
    return f"“{t if len(t) <= limit else t[: limit - 1] + '…'}”"


# --------------------------------------------------------- terms of a Contract


def _clause_mentioning(contract: Contract, pattern: str, fallback: str) -> tuple[str, tuple[int, int], str]:
    rx = re.compile(pattern, re.I)
    for c in contract.clauses:
        m = rx.search(c.text) or rx.search(c.heading)
        if m:
            return c.number or c.heading, (0, 0), " ".join(c.text.split())[:160]
    return fallback, (0, 0), ""


def contract_terms(contract: Contract, doc: Document) -> Extraction:
    """The terms of a structured Contract, in the field names of :mod:`workbench.documents.extract`."""
    items: list[Extracted] = []

    def add(name: str, value: Any, pattern: str | None = None, **detail: Any) -> None:
        clause, span, q = (name, (0, 0), "")
        if pattern:
            clause, span, q = _clause_mentioning(contract, pattern, name)
        items.append(Extracted(name, value, clause, span, q or f"{name}: {value}", dict(detail)))

    for p, t in contract.targets.items():
        for metric in ("response", "resolution"):
            v = t.target_for(metric)
            if v is not None:
                cal = t.calendar_for(metric)
                add(f"targets.{p}.{metric}", v, rf"\b{p}\b", calendar="24x7" if cal == LITERAL_24X7 else cal)
        if t.compliance_target is not None:
            add(f"targets.{p}.compliance_target", t.compliance_target, rf"\b{p}\b")
    if contract.scope.helpdesk_hours:
        add("coverage.hours", contract.scope.helpdesk_hours)
    for s in contract.backup.systems:
        add("backup.rpo", s.rpo, r"\bRPO\b|recovery point", system=s.name)
        add("backup.rto", s.rto, r"\bRTO\b|recovery time", system=s.name)
    if contract.backup.systems:
        add("backup.mentioned", ", ".join(s.name for s in contract.backup.systems), r"backup")
    if contract.backup.restore_test_cadence:
        add("backup.restore_test_cadence", contract.backup.restore_test_cadence, r"restore test|test restore")
    mon = [
        w
        for w, flag in (
            ("cloud", contract.backup.cloud_backup_monitoring),
            ("on-prem", contract.backup.onprem_backup_monitoring),
        )
        if flag is not None
    ]
    if mon:
        add("backup.monitoring", "+".join(mon), r"backup monitoring|monitor\w* backups")
    for cad in contract.reporting.cadence:
        kind = (
            "review.cadence" if re.search(r"review|QBR|roadmap|meeting", cad, re.I) else "reporting.cadence"
        )
        add(kind, cad, re.escape(cad.split()[0]) + r".{0,30}(report|review)")
    for k in contract.reporting.kpis:
        add("reporting.kpis", k, re.escape(k))
    for sc in contract.service_credits:
        add("service_credits", sc.percent_of_fee, r"credit", metric=sc.metric, priority=sc.priority)
    for u in contract.uptime:
        add("uptime", u.target_percent, r"uptime|availability")
    sec = contract.security
    for svc in sec.soc_services:
        add("security.soc_services", svc, r"\bSOC\b|security operations")
    if sec.log_monitoring.frequency or sec.log_monitoring.tooling:
        add("security.log_monitoring", sec.log_monitoring.frequency or "unstated", r"log monitoring|SIEM")
    for step in sec.incident_escalation:
        add("security.incident_escalation", step, r"escalat")
    for role, owner in sec.breach_roles.items():
        r = role.lower()
        canon = next(
            (k for k in ("containment", "regulator", "auditor", "vendor", "notification") if k[:5] in r), r
        )
        add(f"security.breach_roles.{canon}", owner, r"breach|incident")
    for ec in sec.endpoint_coverage:
        add(
            "security.endpoint_coverage",
            ec.product,
            rf"\b{re.escape(ec.product)}\b",
            excluded=ec.licence_excluded or not ec.included,
        )
        if ec.licence_excluded or not ec.included:
            add("security.licence_exclusions", ec.product, rf"\b{re.escape(ec.product)}\b")
    for x in sec.licence_exclusions:
        add("security.licence_exclusions", x, re.escape(x))
    teams = {rule.team for rule in contract.escalation_matrix}
    for rule in contract.escalation_matrix:
        add(
            "security.escalation_rule",
            {"incident_type": rule.incident_type, "team": rule.team, "owner": rule.owner,
             "action": rule.action},
            re.escape(rule.incident_type),
        )
    if "SOC" in teams and teams & {"NOC", "Helpdesk"}:
        add("security.noc_soc_boundary", "escalation matrix separates SOC from NOC/Helpdesk", r"\bSOC\b")
        if not sec.incident_escalation:
            add(
                "security.incident_escalation",
                "escalation matrix routes security incidents to the SOC",
                r"escalat",
            )
    for ob in contract.client_obligations:
        add(f"client_obligations.{ob.kind}", ob.within, re.escape(ob.text[:30]) if ob.text else None)
    for m in contract.compliance_mandates:
        add("compliance_mandates", m, re.escape(m))
    if contract.last_reviewed:
        add("last_reviewed", contract.last_reviewed)
    if contract.effective_date:
        add("effective_date", contract.effective_date)
    # terms the clause text states beyond the structured fields (e.g. mandates named in text)
    text_terms = extract(doc)
    for e in text_terms.items:
        if e.field == "compliance_mandates" and not any(i.value == e.value for i in items):
            items.append(e)
    return Extraction(doc, items, text_terms.priority_map, text_terms.priority_reasons)


# ---------------------------------------------------------------------- lint

def _as_of(as_of: Any, history: History | None) -> tuple[int | None, date | None]:
    if as_of is None:
        if history is not None:
            t = history.latest_instant()
            if t != MISSING:
                return int(t), datetime.fromtimestamp(int(t), tz=UTC).date()
        return None, None
    if isinstance(as_of, datetime):
        if as_of.tzinfo is None:
            raise ValueError("as_of needs a time zone offset")
        return int(as_of.timestamp()), as_of.astimezone(UTC).date()
    if isinstance(as_of, date):
        dt = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
        return int(dt.timestamp()), as_of
    if isinstance(as_of, int | float):
        return int(as_of), datetime.fromtimestamp(int(as_of), tz=UTC).date()
    if isinstance(as_of, str):
        return _as_of(parse_as_of(as_of, "as_of"), history)
    raise TypeError(f"as_of: unsupported type {type(as_of).__name__}")


def make_context(
    target: Contract | Document,
    history: History | None = None,
    as_of: Any = None,
    reference: Mapping[str, Mapping[str, str]] | None = None,
    mandates: Iterable[str] = (),
    clock: Clock = utc_now,
    engine: Engine | None = None,
) -> LintContext:
    """``clock`` gives today's date when neither ``as_of`` nor the history gives one;
    ``engine``, when given, is the SLA engine already prepared on ``history`` at the same
    as-of (the history checks replay on it instead of preparing their own)."""
    epoch, today = _as_of(as_of, history)
    if engine is not None and (
        history is None
        or engine.tickets is not history.tickets
        or (epoch is not None and engine.as_of != epoch)
    ):
        raise ValueError("lint: the engine handed in was prepared on another history or as-of")
    if today is None:
        today = aware_utc(clock()).date()
    if isinstance(target, Contract):
        doc = document_from_clauses(
            [(c.number, c.heading, c.text) for c in target.clauses], source=f"{target.name} {target.version}"
        )
        terms = contract_terms(target, doc)
        contract: Contract | None = target
        kind: Literal["contract", "document"] = "contract"
    elif isinstance(target, Document):
        doc = target
        terms = extract(doc)
        try:
            contract = to_contract(terms)
        except (ContractError, ValueError):
            contract = None
        kind = "document"
    else:
        raise TypeError(f"lint: expected a Contract or a Document, not {type(target).__name__}")
    return LintContext(
        doc,
        terms,
        contract,
        history,
        epoch,
        today,
        reference if reference is not None else REFERENCE_MATRIX,
        tuple(mandates),
        kind,
        prepared=engine,
    )


HISTORY_WEIGHT = 8  # a history check replays the history: it weighs as much as eight others


def run_checks(
    ctx: LintContext, codes: Iterable[str] | None = None, progress: ProgressCallback | None = None
) -> list[Finding]:
    """Run the checks (all, or ``codes``); ``progress`` is reported before each check and
    handed to it as ``ctx.progress`` for its share; it raises ``Cancelled`` when the
    callback returns ``False`` (nothing is changed: a check only reads)."""
    registry = discover()
    wanted = set(codes) if codes is not None else None
    selected = [
        (code, info)
        for code, info in registry.items()
        if (wanted is None or code in wanted) and not (info.kind == "history" and ctx.history is None)
    ]
    weights = [HISTORY_WEIGHT if info.kind == "history" else 1 for _, info in selected]
    total = max(sum(weights), 1)
    done = 0
    findings: list[Finding] = []
    previous = ctx.progress
    try:
        for (code, info), weight in zip(selected, weights, strict=True):
            lo, hi = done / total, (done + weight) / total
            report(progress, lo, f"checking {code} {info.title}")
            ctx.progress = scaled(progress, lo, hi)
            findings.extend(info.fn(ctx))
            done += weight
    finally:
        ctx.progress = previous
    report(progress, 1.0, "warning signs checked")
    return findings
