"""Two or more contract versions or proposals, replayed on the same history.

For each proposal: its terms side by side with the others', compliance and credits
exposure per priority from the SLA clock, its warning signs, and a score from
user-set weights with the breakdown that makes the ranking defensible.

Priority names
    A proposal file may name its levels ``Severity 1-4``, ``Urgent/High/Normal/Low``
    … in ``targets`` and ``service_credits``; :func:`load_proposal` maps them to
    P1-P4 with :func:`workbench.engine.priorities.normalise_priority_names` and keeps the
    mapping (with its reasons) on the :class:`Proposal` so it is shown.

Scoring formula
    Each proposal gets six component scores, each in ``[0, 1]``:

    ``compliance``
        replayed compliance over all priorities and both metrics:
        ``sum(met) / sum(met + breached)``; *not measured* (None) when no ticket was
        judged (the history lacks the events): never 0, it is left out of the score.
    ``coverage``
        the mean of (a) the share of the eight P1-P4 x response/resolution slots that
        carry a target and (b) for the priorities with a target, the mean share of the
        week their resolution calendar covers (``24x7`` = 1; 8x5 = 45/168).
    ``security``
        the share of six checks met: SOC services stated; log monitoring stated as
        24/7; EDR/XDR/MDR coverage stated with none excluded by licence; an incident
        escalation workflow; breach roles named; an escalation-matrix rule owned by the
        SOC/MSSP.
    ``recovery``
        the share of four checks met: every backup system has an RPO and RTO (at least
        one system); restore tests at least quarterly (cadence <= 92 days); cloud
        backup monitoring stated; on-prem backup monitoring stated.  When the history
        holds backups, restore tests or outages, the mean of that share and the share
        of the proposal's recovery terms the history met (:func:`recovery_met`, the
        replay of :mod:`workbench.engine.recovery_replay` as of the comparison's
        ``as_of``): the mean, over the parts the history measures, of the RPO part
        (per backup system the share of days that met its RPO, averaged over the
        systems), the RTO part (the share of the systems' restore tests within the RTO
        and successful), the cadence part (the share of systems that met the
        restore-test cadence) and the uptime part (the share of complete service-months
        that met their target); a part is 0 when the proposal states no such term.
    ``accountability``
        the share of four checks met: a service credit tied to a missed target;
        scheduled reporting (a monthly report or QBR); reported KPIs include MTTR,
        patch compliance and threat resolution (a third each); client obligations
        stated.
    ``cost``
        ``lowest monthly fee among the proposals / this proposal's fee``; 0 when the
        proposal states no fee (an unstated fee cannot be defended as cheap).

    With user weights ``w_c >= 0`` (default :data:`DEFAULT_WEIGHTS`; a weights file
    may set any subset, the others are 0 then), the score is::

        score = 100 * sum_c(w_c * s_c) / sum_c(w_c)

    over the components that were measured (a component not measured, ``s_c`` None, is
    left out and the others' weights share its part), and the breakdown lists, per
    component, the raw ``s_c``, the normalised weight ``w_c / sum(w)`` and the points
    ``100 * w_c * s_c / sum(w)``; the points add up to the score.  A component not
    measured has ``value`` None, weight 0 and ``measured: false``.  Warning signs are
    listed beside the score, not folded into it (they overlap the checks above and
    would be counted twice).

Credits exposure
    The service credits each proposal's own credit terms would owe on the history
    (month by month, with its caps: the rule of :mod:`workbench.engine.credits`),
    in total and per priority (each priority alone, so per-priority figures may add up to
    more than the capped total).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.contract import (
    LITERAL_24X7,
    METRICS,
    PRIORITIES,
    WEEKDAYS,
    CalendarSpec,
    Contract,
    ContractError,
    contract_from_data,
    parse_window,
    read_contract_data,
    yaml_load,
)
from models.history import History, StatusLog, TicketTable
from workbench.analytics.kpis import team_group
from workbench.app.words import calendar_words, target_words
from workbench.engine.priorities import PriorityMapping, PriorityNameError, normalise_priority_keys
from workbench.progress import ProgressCallback, report, scaled

COMPONENTS: tuple[str, ...] = ("compliance", "coverage", "security", "recovery", "accountability", "cost")
DEFAULT_WEIGHTS: dict[str, float] = {
    "compliance": 0.30,
    "coverage": 0.15,
    "security": 0.15,
    "recovery": 0.15,
    "accountability": 0.15,
    "cost": 0.10,
}


class CompareError(ValueError):
    """Bad input to a comparison; the message names the file and field."""


# --------------------------------------------------------------------- proposals


@dataclass(frozen=True)
class Proposal:
    contract: Contract
    source: str = ""
    priority_mapping: PriorityMapping | None = None  # None when already P1-P4

    @property
    def label(self) -> str:
        """Short, for charts: the provider's first word and the version
        (``Northwind 2026-Q4 proposal``); the contract name's first word without a provider."""
        who = (self.contract.provider or self.contract.name).split()
        return f"{who[0] if who else '?'} {self.contract.version}".strip()


def proposal_from_data(data: Any, source: str = "<data>") -> Proposal:
    """A contract from plain data, mapping non-P1-P4 priority names explicitly."""
    if not isinstance(data, dict):
        raise ContractError(f"{source}: a contract file must hold a mapping at top level")
    mapping: PriorityMapping | None = None
    targets = data.get("targets")
    if isinstance(targets, dict) and any(str(k) not in PRIORITIES for k in targets):
        try:
            new_targets, mapping = normalise_priority_keys({str(k): v for k, v in targets.items()})
        except PriorityNameError as exc:
            raise ContractError(f"{source}: targets: {exc}") from None
        data = {**data, "targets": new_targets}
        credits = data.get("service_credits")
        if isinstance(credits, list):
            fixed = []
            for i, c in enumerate(credits):
                if isinstance(c, dict) and c.get("priority") is not None and c["priority"] not in PRIORITIES:
                    name = str(c["priority"])
                    if name not in mapping:
                        raise ContractError(
                            f"{source}: service_credits.{i}.priority: {name!r} is not a priority of targets"
                        )
                    c = {**c, "priority": mapping[name]}
                fixed.append(c)
            data = {**data, "service_credits": fixed}
    return Proposal(contract_from_data(data, source), source, mapping)


def load_proposal(path: str | Path) -> Proposal:
    return proposal_from_data(read_contract_data(path), str(Path(path)))


def as_proposal(x: Proposal | Contract) -> Proposal:
    return x if isinstance(x, Proposal) else Proposal(x)


# ---------------------------------------------------------------- terms side by side


def weekly_hours(spec: CalendarSpec | None) -> float:
    """Covered hours of a week (``None`` = the literal 24x7: 168)."""
    if spec is None:
        return 168.0
    total = 0
    for d in WEEKDAYS:
        for w in spec.weekly.get(d, ()):  # type: ignore[call-overload]
            s, e = parse_window(w)
            total += e - s
    return total / 3600


def describe_calendar(c: Contract, name: str | None) -> str:
    if name is None:
        return "—"
    if name == LITERAL_24X7:
        return "24x7"
    spec = c.calendars[name]
    groups: list[tuple[list[str], tuple[str, ...]]] = []
    for d in WEEKDAYS:
        w = tuple(spec.weekly.get(d, ()))  # type: ignore[call-overload]
        if not w:
            continue
        if groups and groups[-1][1] == w and WEEKDAYS.index(groups[-1][0][-1]) == WEEKDAYS.index(d) - 1:
            groups[-1][0].append(d)
        else:
            groups.append(([d], w))
    parts = []
    for days, w in groups:
        dn = days[0].capitalize() if len(days) == 1 else f"{days[0].capitalize()}-{days[-1].capitalize()}"
        parts.append(f"{dn} {', '.join(w)}")
    text = "; ".join(parts) or "no hours"
    if spec.holidays and spec.holidays.country:
        sub = f"-{spec.holidays.subdivision}" if spec.holidays.subdivision else ""
        text += f" ({spec.holidays.country}{sub} holidays)"
    return f"{name}: {text}, {spec.timezone}"


def _yes(v: bool | None) -> str:
    return "—" if v is None else ("yes" if v else "no")


def _list(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "—"


def contract_terms(c: Contract) -> list[tuple[str, str, str]]:
    """``(section, term, value)`` rows describing one contract for side-by-side display."""
    rows: list[tuple[str, str, str]] = []

    def add(section: str, term: str, value: Any) -> None:
        rows.append((section, term, "—" if value in (None, "", ()) else str(value)))

    add("General", "Provider", c.provider)
    add("General", "Status", c.status)
    add("General", "Effective", c.effective_date)
    add("General", "Last reviewed", c.last_reviewed)
    add("General", "Monthly fee", None if c.monthly_fee is None else f"{c.monthly_fee:,.2f} {c.currency}")
    for p in PRIORITIES:
        t = c.targets.get(p)  # type: ignore[call-overload]
        for metric in METRICS:
            if t is None or t.target_for(metric) is None:
                add("Matrix", f"{p} {metric}", "none")
            else:
                add("Matrix", f"{p} {metric}",
                    f"{target_words(t.target_for(metric))}, {calendar_words(t.calendar_for(metric))}")
        if t is not None and t.compliance_target is not None:
            add("Matrix", f"{p} committed level", f"{t.compliance_target:.0%}")
    add("Coverage", "Helpdesk hours", c.scope.helpdesk_hours)
    for name in c.calendars:
        add("Coverage", calendar_words(name).capitalize(), describe_calendar(c, name).split(": ", 1)[1])
    add("Coverage", "Pause statuses", _list(c.pause_statuses))
    add("Coverage", "Pauses apply to", _list(c.pause_applies_to))
    monitored = (("servers", c.scope.monitoring_servers), ("endpoints", c.scope.monitoring_endpoints),
                 ("network", c.scope.monitoring_network))
    scope = [k for k, v in monitored if v]
    add("Coverage", "Monitoring", _list(scope))
    add("Coverage", "Patch management", _yes(c.scope.patch_management))
    for r in c.escalation_matrix:
        action = f" ({r.action})" if r.action else ""
        add("Escalation matrix", r.incident_type, f"{r.owner} / {r.team}{action}")
    s = c.security
    add("Security", "SOC services", _list(s.soc_services))
    add("Security", "Log monitoring", s.log_monitoring.frequency or "unstated")
    add("Security", "SIEM / tooling", _list(s.log_monitoring.tooling))
    for e in s.endpoint_coverage:
        state = "licence excluded" if e.licence_excluded else ("included" if e.included else "not included")
        add("Security", e.product, state)
    if not s.endpoint_coverage:
        add("Security", "EDR/XDR/MDR", "unstated")
    add("Security", "Licence exclusions", _list(s.licence_exclusions))
    add("Security", "Incident escalation", " → ".join(s.incident_escalation) or "—")
    add("Security", "Breach roles", _list([f"{k}: {v}" for k, v in s.breach_roles.items()]))
    for b in c.backup.systems:
        add("Recovery", b.name, f"RPO {b.rpo}, RTO {b.rto} ({b.location})")
    if not c.backup.systems:
        add("Recovery", "RPO / RTO", "none")
    add("Recovery", "Restore tests", c.backup.restore_test_cadence or "unstated")
    add("Recovery", "Cloud backup monitoring", _yes(c.backup.cloud_backup_monitoring))
    add("Recovery", "On-prem backup monitoring", _yes(c.backup.onprem_backup_monitoring))
    add("Reporting", "Cadence", _list(c.reporting.cadence))
    add("Reporting", "KPIs", _list(c.reporting.kpis))
    for i, cr in enumerate(c.service_credits, 1):
        scope_txt = f"{cr.metric}" + (f" {cr.priority}" if cr.priority else "")
        if cr.trigger == "per_breach":
            txt = f"{cr.percent_of_fee:g}% of fee per breach"
        else:
            txt = f"{cr.percent_of_fee:g}% of fee when compliance < {cr.threshold:.0%}"
        if cr.cap_percent:
            txt += f", cap {cr.cap_percent:g}%"
        add("Credits", f"Credit {i} ({scope_txt})", txt)
    if not c.service_credits:
        add("Credits", "Service credits", "none")
    cap = c.credits_cap_percent
    add("Credits", "Monthly cap", None if cap is None else f"{cap:g}% of fee")
    for u in c.uptime:
        add("Uptime", u.service, f"{u.target_percent:g}% on {u.calendar}")
    add("Obligations", "Client obligations", _list([o.kind for o in c.client_obligations]))
    add("Obligations", "Compliance mandates", _list(c.compliance_mandates))
    return rows


def terms_side_by_side(contracts: Sequence[Contract]) -> list[dict[str, Any]]:
    """Rows ``{"section", "term", "values": [one per contract], "differs": bool}``,
    in a stable order (sections as in :func:`contract_terms`, new terms appended)."""
    order: list[tuple[str, str]] = []
    table: dict[tuple[str, str], list[str]] = {}
    for i, c in enumerate(contracts):
        for section, term, value in contract_terms(c):
            key = (section, term)
            if key not in table:
                table[key] = ["—"] * len(contracts)
                order.append(key)
            table[key][i] = value
    section_rank = {s: i for i, s in enumerate(dict.fromkeys(s for s, _ in order))}
    order.sort(key=lambda k: section_rank[k[0]])
    return [
        {"section": s, "term": t, "values": table[(s, t)], "differs": len(set(table[(s, t)])) > 1}
        for s, t in order
    ]


# ------------------------------------------------------------------------- scoring


def load_weights(path: str | Path) -> dict[str, float]:
    """A YAML/JSON mapping ``component: weight``; unknown components, weights that are
    negative, not a number or above ``MAX_WEIGHT`` are errors naming the file and key."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml_load(text)
    except OSError as exc:
        raise CompareError(f"{p}: cannot read: {exc.strerror}") from None
    except Exception as exc:
        raise CompareError(f"{p}: not valid YAML/JSON: {exc}") from None
    return check_weights(data, str(p))


MAX_WEIGHT = 1_000_000  # weights are relative; a larger one is a typo, and 1e40 overflows the score


def _shown(v: Any) -> str:
    """A weight as the error line shows it: a huge integer (YAML reads ``1000…0`` of 400
    digits as one) by its size, anything else by its repr cut to 40 characters."""
    if isinstance(v, int) and not isinstance(v, bool) and v > 10**15:
        power = int(math.log10(v))
        return f"1e+{power}" if v == 10**power else f"about 1e+{power}"
    text = repr(v)
    return text if len(text) <= 40 else text[:40] + "…"


def check_weights(data: Any, source: str = "weights") -> dict[str, float]:
    if not isinstance(data, Mapping):
        raise CompareError(f"{source}: weights must be a mapping of component to number")
    out: dict[str, float] = {}
    for k, v in data.items():
        if k not in COMPONENTS:
            name = k if isinstance(k, str) and k.isprintable() and len(k) <= 40 else _shown(k)
            raise CompareError(f"{source}: {name}: unknown component (use {', '.join(COMPONENTS)})")
        if isinstance(v, bool) or not isinstance(v, int | float) or v != v or v < 0:
            raise CompareError(f"{source}: {k}: weight must be a number >= 0, not {_shown(v)}")
        if v > MAX_WEIGHT:  # compared before float(): an integer of 400 digits has no float
            raise CompareError(f"{source}: {k}: weight {_shown(v)} is above {MAX_WEIGHT:,} (weights are "
                               "relative: write 30 and 70, or 0.3 and 0.7)")
        out[k] = float(v)
    if sum(out.values()) <= 0:
        raise CompareError(f"{source}: at least one weight must be above 0")
    return {c: out.get(c, 0.0) for c in COMPONENTS}


def _share(checks: Sequence[float]) -> float:
    return float(sum(checks)) / len(checks)


def recovery_met(result: Any, history: History) -> float | None:
    """The share of a proposal's recovery terms the history met (module docstring, under
    ``recovery``) from its :class:`workbench.engine.recovery_replay.RecoveryResult`; None
    when the history holds no backup, restore test or outage."""
    parts = []
    systems = list(result.rpo)
    if history.backups:
        days = [r.days_met / r.days if r.days else 0.0 for r in result.rpo.values()]
        parts.append(sum(days) / len(days) if days else 0.0)
    if history.restore_tests:
        judged = sum(r.tests for r in result.rto.values())
        within = judged - sum(r.over for r in result.rto.values())
        parts.append(within / judged if judged else 0.0)
        parts.append(sum(bool(result.cadence[s].met) for s in systems) / len(systems) if systems else 0.0)
    if history.outages:
        outcomes = [o for a in result.availability.values()
                    for o, done in zip(a.outcome, a.complete, strict=True) if done and o is not None]
        parts.append(sum(o == "met" for o in outcomes) / len(outcomes) if outcomes else 0.0)
    return sum(parts) / len(parts) if parts else None


def component_scores(c: Contract, counts: Mapping[str, Any], lowest_fee: float | None,
                     recovery_history: float | None = None) -> dict[str, float | None]:
    """The six component scores in ``[0, 1]`` (see the module docstring); ``recovery_history``
    is :func:`recovery_met` of the proposal, None without recovery records."""
    met = sum(v[m]["met"] for v in counts.values() for m in METRICS)
    br = sum(v[m]["breached"] for v in counts.values() for m in METRICS)
    compliance = met / (met + br) if met + br else None  # nothing judged: not measured

    slots = sum(1 for p in PRIORITIES for m in METRICS if c.target(p, m) is not None) / 8
    cover = []
    for p in PRIORITIES:
        if c.target(p, "resolution") is None and c.target(p, "response") is None:
            continue
        metric = "resolution" if c.target(p, "resolution") is not None else "response"
        name = c.calendar_name(p, metric)
        cover.append(weekly_hours(None if name == LITERAL_24X7 else c.calendars[name]) / 168)  # type: ignore[index]
    coverage = 0.5 * slots + 0.5 * (sum(cover) / len(cover) if cover else 0.0)

    s = c.security
    endpoint_ok = bool(s.endpoint_coverage) and not any(
        e.licence_excluded or not e.included for e in s.endpoint_coverage
    ) and not s.licence_exclusions
    freq = (s.log_monitoring.frequency or "").replace(" ", "").lower()
    security = _share([
        bool(s.soc_services),
        freq in ("24/7", "24x7", "24/7/365", "continuous"),
        endpoint_ok,
        bool(s.incident_escalation),
        bool(s.breach_roles),
        any(team_group(r.team) == "SOC/MSSP" or r.owner == "MSSP" for r in c.escalation_matrix),
    ])

    b = c.backup
    cadence = b.cadence_seconds()
    recovery = _share([
        bool(b.systems),
        cadence is not None and cadence <= 92 * 86400,
        bool(b.cloud_backup_monitoring),
        bool(b.onprem_backup_monitoring),
    ])
    if recovery_history is not None:
        recovery = 0.5 * recovery + 0.5 * recovery_history

    kpis = " ".join(c.reporting.kpis).lower()
    cadence_txt = " ".join(c.reporting.cadence).lower()
    kpi_share = (("mttr" in kpis or "time to resolve" in kpis) + ("patch" in kpis)
                 + ("threat" in kpis)) / 3
    accountability = _share([
        bool(c.service_credits),
        any(w in cadence_txt for w in ("monthly", "quarterly", "qbr", "review")),
        kpi_share,
        bool(c.client_obligations),
    ])

    if c.monthly_fee is None or lowest_fee is None:
        cost = 0.0
    elif c.monthly_fee == 0:
        cost = 1.0
    else:
        cost = min(1.0, lowest_fee / c.monthly_fee)
    return {
        "compliance": compliance,
        "coverage": coverage,
        "security": security,
        "recovery": recovery,
        "accountability": accountability,
        "cost": cost,
    }


def score(components: Mapping[str, float | None],
          weights: Mapping[str, float]) -> tuple[float, dict[str, Any]]:
    """``(score, breakdown)``; ``breakdown[c] = {"value", "weight", "points"}``, and
    ``"measured": False`` for a component the history could not give (left out)."""
    if sum(weights.get(c, 0.0) for c in COMPONENTS) <= 0:
        raise CompareError("weights: at least one weight must be above 0")
    measured = [c for c in COMPONENTS if components[c] is not None]
    total_w = sum(weights.get(c, 0.0) for c in measured)
    if total_w <= 0:
        missing = ", ".join(c for c in COMPONENTS if components[c] is None and weights.get(c, 0.0) > 0)
        raise CompareError(f"weights: only components this history does not measure carry weight "
                           f"({missing}); give a measured component a weight above 0")
    breakdown: dict[str, Any] = {}
    for c in COMPONENTS:
        value = components[c]
        if value is None:
            breakdown[c] = {"value": None, "weight": 0.0, "points": 0.0, "measured": False}
            continue
        w = weights.get(c, 0.0) / total_w
        breakdown[c] = {"value": round(value, 4), "weight": round(w, 4), "points": round(100 * w * value, 2)}
    values = {c: v for c in measured if (v := components[c]) is not None}
    total = round(100 * sum(weights.get(c, 0.0) * v for c, v in values.items()) / total_w, 2)
    return total, breakdown


# ---------------------------------------------------------------------- warnings


def warning_signs(
    contract: Contract,
    history: History | None = None,
    as_of: int | None = None,
    progress: ProgressCallback | None = None,
) -> list[Any]:
    """The warning-sign lint's findings of ``contract`` (history checks included when given)."""
    from workbench import warnings

    return list(warnings.lint(contract, history, as_of, progress=progress))


def _finding_json(f: Any) -> dict[str, Any]:
    if isinstance(f, Mapping):
        return dict(f)
    if hasattr(f, "to_dict"):
        return dict(f.to_dict())
    return {k: getattr(f, k, None) for k in ("code", "severity", "clause", "evidence", "suggestion")}


# ----------------------------------------------------------------------- replay


def replay(
    contracts: Sequence[Contract],
    tickets: TicketTable,
    status_log: StatusLog | None = None,
    as_of: int | None = None,
    progress: ProgressCallback | None = None,
) -> list[Any]:
    """Each contract's :class:`workbench.engine.simulate.SimulationResult` on the same tickets.

    One :class:`workbench.engine.simulate.Engine` serves them all, so calendar lookups and
    elapsed business times are computed once per (calendar, pause rule) and shared by
    every proposal that uses them; only budgets and counts are per proposal.
    """
    from workbench.engine.simulate import Engine

    engine = Engine(tickets, status_log, as_of, scaled(progress, 0.0, 0.3))
    out = []
    n = len(contracts)
    for i, c in enumerate(contracts):
        out.append(engine.run(c, scaled(progress, 0.3 + 0.7 * i / n, 0.3 + 0.7 * (i + 1) / n)))
    return out


# ---------------------------------------------------------------------- compare


@dataclass
class VersionResult:
    proposal: Proposal
    by_priority: dict[str, Any]
    credits: float | None  # amount in the contract's currency (None without a fee)
    credits_percent: float  # sum of monthly percentages of the fee
    credits_by_priority: dict[str, float | None]
    breaches_by_priority: dict[str, int]
    components: dict[str, float | None]
    score: float
    breakdown: dict[str, Any]
    warnings: list[dict[str, Any]] | None = None

    @property
    def name(self) -> str:
        return self.proposal.contract.name

    @property
    def version(self) -> str:
        return self.proposal.contract.version

    def to_json(self, full: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "by_priority": self.by_priority,
            "credits": self.credits,
            "score": self.score,
        }
        if full:
            d.update(
                currency=self.proposal.contract.currency,
                credits_percent=self.credits_percent,
                credits_by_priority=self.credits_by_priority,
                breaches_by_priority=self.breaches_by_priority,
                breakdown=self.breakdown,
                warnings=self.warnings,
                priority_mapping=None if self.proposal.priority_mapping is None
                else self.proposal.priority_mapping.rows(),
            )
        return d


@dataclass
class Comparison:
    versions: list[VersionResult]
    weights: dict[str, float]
    terms: list[dict[str, Any]] = field(default_factory=list)
    as_of: int | None = None

    def to_json(self, full: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"versions": [v.to_json(full) for v in self.versions]}
        if full:
            d["weights"] = self.weights
            d["terms"] = self.terms
        return d

    def ranking(self) -> list[VersionResult]:
        return sorted(self.versions, key=lambda v: -v.score)

    def labels(self) -> list[str]:
        return [v.proposal.label for v in self.versions]

    def compliance_figure(self, metric: str = "resolution") -> Any:
        from workbench.reports.analytics_charts import compare_compliance_figure

        return compare_compliance_figure(self.labels(), [v.by_priority for v in self.versions], metric)

    def score_figure(self) -> Any:
        from workbench.reports.analytics_charts import score_breakdown_figure

        return score_breakdown_figure(
            self.labels(), [{c: b["points"] for c, b in v.breakdown.items()} for v in self.versions]
        )


def _recovery_on_history(
    contracts: Sequence[Contract], history: History | None, as_of: int
) -> list[float | None]:
    """:func:`recovery_met` of each contract (the records prepared once), or None each."""
    if history is None or not (history.backups or history.restore_tests or history.outages):
        return [None] * len(contracts)
    from workbench.engine.recovery_replay import RecoveryColumns, RecoveryReplay

    columns = RecoveryColumns.from_history(history)
    return [recovery_met(RecoveryReplay(columns, c, as_of).run(), history) for c in contracts]


def compare(
    proposals: Sequence[Proposal | Contract],
    tickets: TicketTable,
    status_log: StatusLog | None = None,
    *,
    weights: Mapping[str, float] | None = None,
    as_of: int | None = None,
    history: History | None = None,
    with_warnings: bool = True,
    progress: ProgressCallback | None = None,
) -> Comparison:
    """Replay every proposal on the same tickets and score them (order kept)."""
    props = [as_proposal(p) for p in proposals]
    if len(props) < 2:
        raise CompareError("compare needs two or more contract versions or proposals")
    w = check_weights(dict(weights) if weights is not None else DEFAULT_WEIGHTS)
    contracts = [p.contract for p in props]
    # the lint replays the history once per proposal (W08, W09): it outweighs the shared replay
    split = 0.3 if with_warnings and history is not None else 0.9
    sims = replay(contracts, tickets, status_log, as_of=as_of, progress=scaled(progress, 0, split))
    report(progress, split, "credits and scores")
    as_of = int(sims[0].as_of_epoch)
    fees = [c.monthly_fee for c in contracts if c.monthly_fee is not None]
    lowest = min(fees) if fees else None
    results = []
    step = (1.0 - split) / len(props)
    recovery = _recovery_on_history(contracts, history, as_of)
    for k, (prop, sim) in enumerate(zip(props, sims, strict=True)):
        c = prop.contract
        by_p = sim.to_json()["by_priority"]
        whole = sim.service_credits()
        pct, amount = whole.total_percent(), whole.total_amount()
        credits_p: dict[str, float | None] = {}
        breaches_p: dict[str, int] = {}
        for p in PRIORITIES:
            if p not in by_p:
                continue
            credits_p[p] = sim.service_credits(priorities=(p,)).total_amount()
            breaches_p[p] = sum(by_p[p][m]["breached"] for m in METRICS)
        comps = component_scores(c, by_p, lowest, recovery[k])
        total, breakdown = score(comps, w)
        warns = None
        if with_warnings:
            lo = split + k * step
            found = warning_signs(c, history, as_of, scaled(progress, lo, lo + step))
            warns = [_finding_json(f) for f in found]
        results.append(VersionResult(prop, by_p, amount, pct, credits_p, breaches_p, comps, total,
                                     breakdown, warns))
    report(progress, 1.0, "")
    return Comparison(results, w, terms_side_by_side(contracts), as_of)

