"""The simulated effect of each change on the client's own ticket history.

Everything goes through one function, :func:`measure_effects`: it runs the clock
engine (``workbench.engine.simulate.simulate``) on the old and the new contract over
the same tickets and turns the two results into per-change sentences such as
"P1 resolution compliance 71% → 88%; credits owed for P1 resolution CAD 4,800.00 →
CAD 2,400.00 (−CAD 2,400.00) on the 412 P1 tickets opened 2025-10..2026-09": every
figure names the tickets it is measured on (how many, opened when).

The engine is reached through ``SimulationResult.to_json()`` (the ``simulate --json``
shape), ``credits()`` and ``compliance_curve()``, so a test may inject another
``simulate`` callable; nothing here ever invents a figure.

With backups, restore tests or outages (``records``), the recovery changes (a system's
RPO or RTO, the restore-test cadence, an uptime target, uptime credits) are measured
by :mod:`workbench.engine.recovery_replay` under both versions: "RPO 24 hours → 15
minutes for the practice database: 212 of 365 days had a longer gap between successful
backups (2 under 24 hours)".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from models.contract import PRIORITIES, Contract, parse_duration
from models.history import History, StatusLog, TicketTable
from workbench.documents.diff import ContractDiff, human_duration
from workbench.engine.credits import ticket_rules
from workbench.progress import ProgressCallback, report, scaled

METRICS = ("response", "resolution")
SimulateFn = Callable[..., Any]


class EffectsUnavailable(RuntimeError):
    """The clock engine could not be used; the PDF says so instead of guessing."""


@dataclass(frozen=True)
class Stats:
    met: int = 0
    breached: int = 0
    pending: int = 0
    compliance: float | None = None
    measured: bool = True  # False: the history carries none of the metric's events


@dataclass
class Measurement:
    as_of: int | None
    period: str
    tickets: int
    baseline: dict[str, dict[str, Stats]]
    proposed: dict[str, dict[str, Stats]]
    # credits owed in percent of the monthly fee, per "P1 resolution" (and "total")
    credits_old: dict[str, float]
    credits_new: dict[str, float]
    fee_old: float | None
    fee_new: float | None
    currency: str
    curves: dict[str, dict[str, tuple[np.ndarray, np.ndarray, float | None]]] = field(default_factory=dict)
    effects: dict[str, str] = field(default_factory=dict)
    # the recovery replay under both versions (None without backups, restore tests, outages)
    recovery_old: Any = None
    recovery_new: Any = None
    tickets_by_priority: dict[str, int] = field(default_factory=dict)  # as the engine counted them

    def on(self, priority: str | None = None) -> str:
        """' on the 412 P1 tickets opened 2025-10..2026-09': what a figure is measured on."""
        n = self.tickets_by_priority.get(priority) if priority else None
        if priority and n is not None:
            return f" on the {n:,} {priority} ticket{'s' if n != 1 else ''} opened {self.period}"
        return f" on the {self.tickets:,} ticket{'s' if self.tickets != 1 else ''} opened {self.period}"

    def compliance(self, which: str) -> dict[str, dict[str, float | None]]:
        src = self.baseline if which == "baseline" else self.proposed
        return {p: {m: s.compliance for m, s in d.items()} for p, d in src.items()}

    def money_old(self, key: str = "total") -> float | None:
        return None if self.fee_old is None else self.credits_old.get(key, 0.0) * self.fee_old / 100

    def money_new(self, key: str = "total") -> float | None:
        return None if self.fee_new is None else self.credits_new.get(key, 0.0) * self.fee_new / 100

    def credits_text(self, key: str = "total") -> str | None:
        """'CAD 4,800.00 → CAD 2,400.00 (−CAD 2,400.00)' or in % of fee without a fee."""
        o, n = self.credits_old.get(key, 0.0), self.credits_new.get(key, 0.0)
        if o == 0 and n == 0:
            return None
        mo, mn = self.money_old(key), self.money_new(key)
        if mo is not None and mn is not None:
            d = mn - mo
            sign = "+" if d > 0 else "−" if d < 0 else "±"
            return f"{_m(mo, self.currency)} → {_m(mn, self.currency)} ({sign}{_m(abs(d), self.currency)})"
        return f"{o:g}% → {n:g}% of the monthly fee"


def _m(v: float, cur: str) -> str:
    return f"{cur} {v:,.2f}"


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.0f}%"


def _default_runner(
    old: Contract,
    new: Contract,
    tickets: TicketTable,
    log: StatusLog | None,
    as_of: int | None,
    progress: ProgressCallback | None = None,
) -> tuple[Any, Any]:
    """The engine's simulator: one prepared history, run under both contracts (reporting
    and cancelling through ``progress``)."""
    from workbench.engine.simulate import Engine

    eng = Engine(tickets, log, as_of, scaled(progress, 0.0, 0.5))
    return eng.run(old, scaled(progress, 0.5, 0.75)), eng.run(new, scaled(progress, 0.75, 1.0))


def _stats(js: Mapping[str, Any]) -> dict[str, dict[str, Stats]]:
    out: dict[str, dict[str, Stats]] = {}
    for p, d in (js.get("by_priority") or {}).items():
        out[p] = {}
        for m in METRICS:
            s = d.get(m) or {}
            out[p][m] = Stats(
                int(s.get("met", 0)), int(s.get("breached", 0)), int(s.get("pending", 0)),
                s.get("compliance"), s.get("measured", True) is not False,
            )
    return out


def credits_by_rule(contract: Contract, result: Any) -> dict[str, float]:
    """Credits owed over the whole history, in percent of the monthly fee, per
    "P1 resolution"-style key and "total", from the engine's ``credits()`` per month
    (the rule and its caps: :mod:`workbench.engine.credits`; each month's ``rules`` are
    the contract's :func:`~workbench.engine.credits.ticket_rules`).  Empty when the
    result offers no credits."""
    if not hasattr(result, "credits"):
        return {}
    rules = ticket_rules(contract)
    out: dict[str, float] = {"total": 0.0}
    for month in result.credits().values():
        out["total"] += float(month.get("percent", 0.0))
        for r, pct in zip(rules, month.get("rules", []), strict=False):
            key = f"{r.priority or 'all'} {r.metric}"
            out[key] = out.get(key, 0.0) + float(pct)
    return out


def _period(tickets: TicketTable) -> str:
    if len(tickets) == 0:
        return "no tickets"
    lo = datetime.fromtimestamp(int(tickets.opened.min()), tz=UTC).strftime("%Y-%m")
    hi = datetime.fromtimestamp(int(tickets.opened.max()), tz=UTC).strftime("%Y-%m")
    return lo if lo == hi else f"{lo}..{hi}"


def _curves(
    contract: Contract, result: Any
) -> dict[str, dict[str, tuple[np.ndarray, np.ndarray, float | None]]]:
    """Compliance-vs-target curves (P1..P3) from the engine's ``compliance_curve``."""
    out: dict[str, dict[str, tuple[np.ndarray, np.ndarray, float | None]]] = {m: {} for m in METRICS}
    if not hasattr(result, "compliance_curve"):
        return out
    for m in METRICS:
        for p in ("P1", "P2", "P3"):
            target = contract.target(p, m)
            if target is None:
                continue
            try:
                current: float | None = parse_duration(target) / 3600
            except ValueError:
                current = None  # day targets: no single hour figure
            top = max(8.0, 2.5 * current) if current else 24.0
            budgets = np.linspace(0.0, top * 3600, 97).astype(np.int64)
            b, comp = result.compliance_curve(p, m, budgets)
            comp = np.asarray(comp, dtype=float)
            if np.all(np.isnan(comp)):
                continue
            out[m][p] = (np.asarray(b, dtype=float) / 3600, comp, current)
    return out


RunFn = Callable[[Contract, Contract, TicketTable, StatusLog | None, int | None], tuple[Any, Any]]


def measure_effects(
    diff: ContractDiff,
    tickets: TicketTable,
    status_log: StatusLog | None = None,
    as_of: int | None = None,
    simulate: SimulateFn | None = None,
    progress: ProgressCallback | None = None,
    records: History | None = None,
) -> Measurement:
    """Simulate the old and the new contract on the same history and describe the
    effect of each structured change.  ``simulate`` (default: the engine's) is called as
    ``simulate(contract, tickets, status_log, as_of)`` and must return an object with
    ``to_json()`` (the ``simulate --json`` shape) and, optionally, ``credits()`` and
    ``compliance_curve()`` as the engine's SimulationResult.  ``records`` (a History with
    backups, restore tests, outages) gives the recovery changes' effects.  Raises
    EffectsUnavailable when there is no engine or either side has no contract model."""
    old, new = diff.old.contract, diff.new.contract
    if old is None or new is None:
        raise EffectsUnavailable("the documents' terms could not be read, so nothing can be simulated")
    report(progress, 0.0, "simulating the current and the proposed terms")
    if simulate is not None:
        res_old = simulate(old, tickets, status_log, as_of)
        res_new = simulate(new, tickets, status_log, as_of)
    else:
        res_old, res_new = _default_runner(old, new, tickets, status_log, as_of, scaled(progress, 0.0, 0.8))
    report(progress, 0.8, "measuring each change")
    js_old, js_new = dict(res_old.to_json()), dict(res_new.to_json())
    meas = Measurement(
        as_of=as_of,
        period=_period(tickets),
        tickets=len(tickets),
        baseline=_stats(js_old),
        proposed=_stats(js_new),
        credits_old=credits_by_rule(old, res_old),
        credits_new=credits_by_rule(new, res_new),
        fee_old=old.monthly_fee,
        fee_new=new.monthly_fee,
        currency=new.currency,
        curves=_curves(new, res_new),
        tickets_by_priority={
            p: int(d.get("tickets", 0)) for p, d in (js_old.get("by_priority") or {}).items()
        },
    )
    if records is not None and (records.backups or records.restore_tests or records.outages):
        from workbench.engine.recovery import history_as_of
        from workbench.engine.recovery_replay import RecoveryColumns, RecoveryReplay

        columns = RecoveryColumns.from_history(records)
        at = as_of if as_of is not None else history_as_of(records)
        meas.recovery_old = RecoveryReplay(columns, old, at).run()
        meas.recovery_new = RecoveryReplay(columns, new, at).run()
    for tc in diff.terms:
        text = _effect_for(tc.path, meas, old, new)
        if text:
            meas.effects[tc.path] = text
    report(progress, 1.0, "effects measured")
    return meas


def _metric_line(meas: Measurement, p: str, m: str) -> str | None:
    b = meas.baseline.get(p, {}).get(m)
    n = meas.proposed.get(p, {}).get(m)
    if b is None and n is None:
        return None
    if (b is None or not b.measured) and (n is None or not n.measured):
        return f"{p} {m} compliance not measured (no ticket carries the event)"
    bc = b.compliance if b else None
    nc = n.compliance if n else None
    line = f"{p} {m} compliance {_pct(bc)} → {_pct(nc)}"
    credit = meas.credits_text(f"{p} {m}")
    if credit:
        line += f"; credits owed for {p} {m} {credit}"
    return line


def _changed_lines(meas: Measurement, pairs: list[tuple[str, str]]) -> list[str]:
    lines = []
    for p, m in pairs:
        b = meas.baseline.get(p, {}).get(m)
        n = meas.proposed.get(p, {}).get(m)
        if (b.compliance if b else None) != (n.compliance if n else None):
            line = _metric_line(meas, p, m)
            if line:
                lines.append(line)
    return lines


def _system_term(path: str) -> tuple[str, str] | None:
    """``backup.systems[NAME].rpo`` -> (NAME, "rpo"); None for other paths."""
    head = "backup.systems["
    if not path.startswith(head) or not path.endswith(("].rpo", "].rto")):
        return None
    return path[len(head):-5], path[-3:]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _recovery_effect(path: str, meas: Measurement, old: Contract, new: Contract) -> str | None:
    """The effect of a recovery change on the backups, restore tests and outages."""
    ro, rn = meas.recovery_old, meas.recovery_new
    if ro is None or rn is None:
        return None
    months = rn.months
    on = f" ({months[0]}..{months[-1]} records)" if months else ""
    term = _system_term(path)
    if term is not None:
        name, which = term
        o_sys = {s.name: s for s in old.backup.systems}
        n_sys = {s.name: s for s in new.backup.systems}
        if name not in o_sys or name not in n_sys:
            return None
        was, now = human_duration(getattr(o_sys[name], which)), human_duration(getattr(n_sys[name], which))
        if which == "rpo":
            a, b = ro.rpo[name], rn.rpo[name]
            if b.successful_backups == 0:
                return f"RPO {was} → {now} for {name}: no successful backup of it in the history{on}"
            return (f"RPO {was} → {now} for {name}: {b.days - b.days_met} of {b.days} days had a longer "
                    f"gap between successful backups ({a.days - a.days_met} under {was}); "
                    f"{_count(b.breaches, 'gap')} longer than the RPO ({a.breaches} before){on}")
        t_old, t_new = ro.rto[name], rn.rto[name]
        if t_new.tests == 0:
            return f"RTO {was} → {now} for {name}: no restore test of it in the history{on}"
        longest = "" if t_new.supported_rto_seconds is None else \
            f"; the longest successful test took {t_new.supported_rto_seconds / 3600:.1f} hours"
        return (f"RTO {was} → {now} for {name}: {t_new.over} of {t_new.tests} restore tests took longer "
                f"or failed ({t_old.over} before){longest}{on}")
    if path == "backup.restore_test_cadence":
        missing_old = sum(c.missing for c in ro.cadence.values())
        missing_new = sum(c.missing for c in rn.cadence.values())
        met = sum(bool(c.met) for c in rn.cadence.values())
        return (f"restore tests {old.backup.restore_test_cadence or 'unstated'} → "
                f"{new.backup.restore_test_cadence or 'unstated'}: {missing_new} tests missing across "
                f"the systems ({missing_old} before); {met} of {len(rn.cadence)} systems kept the "
                f"cadence{on}")
    if path.startswith("uptime[") and path.endswith("]"):
        service = path[len("uptime["):-1]
        a_new, a_old = rn.availability.get(service), ro.availability.get(service)
        if a_new is None:
            return None
        before = "" if a_old is None else f" ({a_old.breached_months} under {100 * a_old.target:g}%)"
        return (f"{a_new.breached_months} of {len(a_new.labels)} months of {service} below "
                f"{100 * a_new.target:g}%{before}{on}")
    if path.startswith("service_credits[") and path[len("service_credits["):-1].rsplit(" ", 1)[0] \
            .split(" ", 1)[-1] == "uptime":
        return _uptime_credits(meas, old, new) or f"no uptime credits owed under either version{on}"
    return None


def _uptime_credits(meas: Measurement, old: Contract, new: Contract) -> str | None:
    """The uptime credits of both versions on the outages, or None when neither owes any
    (or there are no records)."""
    ro, rn = meas.recovery_old, meas.recovery_new
    if ro is None or rn is None:
        return None
    po, pn = ro.credits.total_percent(), rn.credits.total_percent()
    if po == 0 and pn == 0:
        return None
    mo, mn = ro.credits.total_amount(), rn.credits.total_amount()
    money = "" if mo is None or mn is None else f" ({_m(mo, old.currency)} → {_m(mn, new.currency)})"
    months = rn.months
    on = f" ({months[0]}..{months[-1]} records)" if months else ""
    return f"uptime credits owed, summed over the months: {po:g}% → {pn:g}% of the monthly fee{money}{on}"


def _effect_for(path: str, meas: Measurement, old: Contract, new: Contract) -> str | None:
    recovery = _recovery_effect(path, meas, old, new)
    if recovery is not None:
        return recovery
    on = meas.on()
    if path.startswith("targets."):
        _t, p, rest = path.split(".", 2)
        on = meas.on(p)
        m = "response" if rest.startswith("response") else "resolution"
        if rest == "compliance_target":
            lines = [x for x in (_metric_line(meas, p, mm) for mm in METRICS) if x]
            return "; ".join(lines) + on if lines else None
        line = _metric_line(meas, p, m)
        return line + on if line else None
    if path.startswith("calendars."):
        name = path.split(".", 1)[1]
        pairs = [
            (p, m)
            for p in PRIORITIES
            for m in METRICS
            if name in (old.calendar_name(p, m), new.calendar_name(p, m))
        ]
        lines = _changed_lines(meas, pairs)
        return (
            "; ".join(lines) + on if lines else (f"no change in measured compliance{on}" if pairs else None)
        )
    if path.startswith(("pause_statuses", "pause_applies_to")):
        lines = _changed_lines(meas, [(p, m) for p in PRIORITIES for m in METRICS])
        return "; ".join(lines) + on if lines else f"no change in measured compliance{on}"
    if path.startswith("service_credits["):
        # one rule: "service_credits[P1 resolution per_breach]" -> its own credits
        key = path[len("service_credits[") : -1].rsplit(" ", 1)[0]
        if key.split(" ", 1)[-1] not in METRICS:
            return None  # uptime credits need outages, not tickets
        credit = meas.credits_text(key)
        prio = key.split(" ", 1)[0]
        on = meas.on(prio if prio in PRIORITIES else None)
        return f"credits owed for {key} {credit}{on}" if credit else f"no credits owed for {key}{on}"
    if path.startswith(("service_credits", "credits_cap_percent", "monthly_fee")):
        credit = meas.credits_text("total")
        text = f"credits owed {credit}{on}" if credit else f"no credits owed under either version{on}"
        uptime = _uptime_credits(meas, old, new)
        return text if uptime is None else f"{text}; {uptime}"
    return None
