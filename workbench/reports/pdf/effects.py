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

Each change's effect is its own: the history is replayed with that change alone applied
to the current terms (:func:`apply_alone`), so two changes never carry the same figures
(the P1 response target and the P1 response clock each move compliance by their own
share; the monthly fee does not carry the credit rules' change).  The effect of all the
changes together is stated once, in :attr:`Measurement.combined`.
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


@dataclass(frozen=True)
class ChangeEffect:
    """One change's own effect (replayed with that change alone): the row's ``text``, the
    plain ``sentence`` the executive summary uses, and its size in three measures (see
    :func:`workbench.reports.pdf.summary.effect_size`)."""

    text: str
    sentence: str = ""
    points: float = 0.0  # compliance percentage points moved, the largest of any priority/metric
    credits: float = 0.0  # change in credits owed over the history, in % of one year's fee
    recovery: float = 0.0  # share of days / tests / months whose outcome changed, in points
    money: float | None = None  # change in credits owed over the history, in the currency


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
    change_effects: dict[str, ChangeEffect] = field(default_factory=dict)  # per change, that change alone
    combined: list[str] = field(default_factory=list)  # the effect of all the changes together

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
        return _credit_text(o, n, self.fee_old, self.fee_new, self.currency)


def _m(v: float, cur: str) -> str:
    return f"{cur} {v:,.2f}"


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.0f}%"


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
    """Compliance-vs-target curves of every priority with a target, from the engine's
    ``compliance_curve``; a metric's curves share one range of targets (up to 2.5 times
    the longest hour target, at least 8 h; at least 24 h with a day target), so that they
    read against each other."""
    out: dict[str, dict[str, tuple[np.ndarray, np.ndarray, float | None]]] = {m: {} for m in METRICS}
    if not hasattr(result, "compliance_curve"):
        return out
    for m in METRICS:
        targets: list[tuple[str, float | None]] = []
        for p in PRIORITIES:
            target = contract.target(p, m)
            if target is None:
                continue
            try:
                current: float | None = parse_duration(target) / 3600
            except ValueError:
                current = None  # day targets: no single hour figure
            targets.append((p, current))
        hours = [c for _, c in targets if c]
        top = max(8.0, 2.5 * max(hours)) if hours else 24.0
        if any(not c for _, c in targets):
            top = max(top, 24.0)  # a day target's curve needs at least a day
        budgets = np.linspace(0.0, top * 3600, 97).astype(np.int64)
        for p, current in targets:
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
    effect of each structured change, replayed with that change alone applied to the old
    terms (:func:`apply_alone`), and of all of them together (``combined``).
    ``simulate`` (default: the engine's) is called as ``simulate(contract, tickets,
    status_log, as_of)`` and must return an object with ``to_json()`` (the ``simulate
    --json`` shape) and, optionally, ``credits()`` and ``compliance_curve()`` as the
    engine's SimulationResult.  ``records`` (a History with backups, restore tests,
    outages) gives the recovery changes' effects.  Raises EffectsUnavailable when there is
    no engine or either side has no contract model."""
    old, new = diff.old.contract, diff.new.contract
    if old is None or new is None:
        raise EffectsUnavailable("the documents' terms could not be read, so nothing can be simulated")
    report(progress, 0.0, "simulating the current and the proposed terms")
    if simulate is not None:
        sim = simulate

        def run(contract: Contract, prog: ProgressCallback | None = None) -> Any:
            return sim(contract, tickets, status_log, as_of)
    else:
        from workbench.engine.simulate import Engine

        eng = Engine(tickets, status_log, as_of, scaled(progress, 0.0, 0.3))

        def run(contract: Contract, prog: ProgressCallback | None = None) -> Any:
            return eng.run(contract, prog)

    res_old = run(old, scaled(progress, 0.3, 0.45))
    res_new = run(new, scaled(progress, 0.45, 0.6))
    report(progress, 0.6, "measuring each change")
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
    replay_records: Callable[[Contract], Any] | None = None
    if records is not None and (records.backups or records.restore_tests or records.outages):
        from workbench.engine.recovery import history_as_of
        from workbench.engine.recovery_replay import RecoveryColumns, RecoveryReplay

        columns = RecoveryColumns.from_history(records)
        at = as_of if as_of is not None else history_as_of(records)

        def replay_records(contract: Contract) -> Any:
            return RecoveryReplay(columns, contract, at).run()

        meas.recovery_old = replay_records(old)
        meas.recovery_new = replay_records(new)
    alone = _Alone(meas, old, new, run, replay_records)
    terms = list(diff.terms)
    for k, tc in enumerate(terms):
        report(progress, 0.6 + 0.4 * k / max(len(terms), 1), "measuring each change on its own")
        eff = alone.effect(tc.path)
        if eff is not None:
            meas.change_effects[tc.path] = eff
            meas.effects[tc.path] = eff.text
    meas.combined = combined_lines(meas, old, new)
    report(progress, 1.0, "effects measured")
    return meas


# ------------------------------------------------------------- one change alone


_TICKET_TERMS = ("targets.", "calendars.", "pause_statuses", "pause_applies_to", "service_credits",
                 "credits_cap_percent")


def _credit_key(rule: Mapping[str, Any]) -> str:
    return f"{rule.get('priority') or 'all'} {rule['metric']} {rule.get('trigger') or 'per_breach'}"


def apply_alone(old: Contract, new: Contract, path: str) -> Contract | None:
    """The old terms with the one change at ``path`` (a :class:`TermChange` key) taken from
    the new version, and nothing else: what that change alone would do.  A clock change
    brings the calendar it names when the old terms lack it.  None for a term the replay
    does not read (scope, security, reporting …) or a change that cannot stand alone (it
    makes invalid terms, e.g. a day target on the round-the-clock calendar)."""
    from models.contract import ContractError, contract_from_data

    od: dict[str, Any] = old.model_dump(mode="json")
    nd: dict[str, Any] = new.model_dump(mode="json")

    def bring_calendar(name: str | None) -> None:
        if name and name in nd["calendars"] and name not in od["calendars"]:
            od["calendars"][name] = nd["calendars"][name]

    def inner(prefix: str) -> str:
        return path[len(prefix):-1]

    if path in ("monthly_fee", "credits_cap_percent", "pause_applies_to", "service_credits"):
        od[path] = nd[path]
    elif path == "backup.restore_test_cadence":
        od["backup"]["restore_test_cadence"] = nd["backup"]["restore_test_cadence"]
    elif path.startswith("pause_statuses["):
        x = inner("pause_statuses[")
        od["pause_statuses"] = [y for y in od["pause_statuses"] if y != x]
        if x in nd["pause_statuses"]:
            od["pause_statuses"].append(x)
    elif path.startswith("service_credits["):
        key = inner("service_credits[")
        od["service_credits"] = [r for r in od["service_credits"] if _credit_key(r) != key]
        od["service_credits"] += [r for r in nd["service_credits"] if _credit_key(r) == key]
    elif path.startswith("calendars."):
        name = path.split(".", 1)[1]
        if name in nd["calendars"]:
            od["calendars"][name] = nd["calendars"][name]
        else:
            od["calendars"].pop(name, None)
    elif path.startswith("targets."):
        _t, prio, field_ = path.split(".", 2)
        nt = nd["targets"].get(prio)
        if prio not in od["targets"] or nt is None:
            return None  # a priority added or dropped: no old clock to change alone
        ot = od["targets"][prio]
        if field_ in METRICS or field_ == "compliance_target":
            ot[field_] = nt[field_]
        elif field_ in ("response_calendar", "resolution_calendar"):
            metric = field_.split("_", 1)[0]
            clock = new.calendar_name(prio, metric)
            ot[field_] = clock
            bring_calendar(clock)
        else:
            return None
    elif path.startswith("backup.systems[") and path.endswith(("].rpo", "].rto")):
        name, which = path[len("backup.systems["):-5], path[-3:]
        ns = [x for x in nd["backup"]["systems"] if x["name"] == name]
        os_ = [x for x in od["backup"]["systems"] if x["name"] == name]
        if not ns or not os_:
            return None
        os_[0][which] = ns[0][which]
    elif path.startswith("uptime["):
        service = inner("uptime[")
        od["uptime"] = [u for u in od["uptime"] if u["service"] != service]
        for u in nd["uptime"]:
            if u["service"] == service:
                od["uptime"].append(u)
                bring_calendar(u.get("calendar"))
    else:
        return None
    try:
        return contract_from_data(od)
    except (ContractError, ValueError):
        return None


def _is_recovery(path: str) -> bool:
    return path.startswith(("backup.", "uptime[")) or _is_uptime_rule(path)


def _is_uptime_rule(path: str) -> bool:
    return path.startswith("service_credits[") and path[len("service_credits["):-1].rsplit(" ", 1)[0] \
        .split(" ", 1)[-1] == "uptime"


def _money_words(delta: float, currency: str) -> str:
    """'+110,121 CAD' / '−2,400 CAD': a change in money as the summary says it."""
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return f"{sign}{abs(delta):,.0f} {currency}"


class _Alone:
    """Each change's own effect: the history replayed under the old terms with that change
    alone applied, against the old terms."""

    def __init__(
        self, meas: Measurement, old: Contract, new: Contract, run: Callable[..., Any],
        replay_records: Callable[[Contract], Any] | None,
    ) -> None:
        self.meas, self.old, self.new, self.run, self.replay_records = meas, old, new, run, replay_records

    def effect(self, path: str) -> ChangeEffect | None:
        meas, old, new = self.meas, self.old, self.new
        if path == "monthly_fee":
            return self._fee()
        if _is_recovery(path):
            if self.replay_records is None or meas.recovery_old is None:
                return None
            c = apply_alone(old, new, path)
            if c is None:
                return None
            return _recovery_effect(path, meas.recovery_old, self.replay_records(c), old, c)
        if not path.startswith(_TICKET_TERMS):
            return None
        c = apply_alone(old, new, path)
        if c is None:
            return None
        if path.endswith(".compliance_target"):
            return self._commitment(path, c)
        res = self.run(c)
        stats = _stats(dict(res.to_json()))
        cr = credits_by_rule(c, res)
        if path in ("service_credits", "credits_cap_percent"):
            return self._credits(c, cr)
        return self._ticket_effect(path, c, stats, cr)

    def _credits(self, c: Contract, cr: Mapping[str, float]) -> ChangeEffect:
        """The credit rules as a whole, or the monthly cap: the credits owed in all, on the
        tickets and (with outage records) for uptime."""
        meas = self.meas
        o, n = meas.credits_old.get("total", 0.0), cr.get("total", 0.0)
        on = meas.on()
        if o or n:
            text = f"credits owed {_credit_text(o, n, meas.fee_old, c.monthly_fee, meas.currency)}{on}"
        else:
            text = f"no credits owed under either version{on}"
        _lines, share, money = self._credits_delta(cr, c.monthly_fee)
        bits = [f"service credits {_money_words(money, meas.currency)}"] if money else []
        if self.replay_records is not None and meas.recovery_old is not None:
            rn = self.replay_records(c)
            uptime = _uptime_credits(meas.recovery_old, rn, self.old.currency, c.currency)
            if uptime:
                text += f"; {uptime}"
                bits.append(uptime)
                mo, mn = meas.recovery_old.credits.total_amount(), rn.credits.total_amount()
                if mo is not None and mn is not None and self.old.monthly_fee:
                    money = (money or 0.0) + mn - mo
                    share += 100 * abs(mn - mo) / (12 * self.old.monthly_fee)
        return ChangeEffect(text, "; ".join(bits) or text, 0.0, share, 0.0, money)

    # ------------------------------------------------------------------- texts
    def _pairs_moved(self, stats: Mapping[str, Mapping[str, Stats]]) -> list[tuple[str, str, Stats, Stats]]:
        out = []
        for p in PRIORITIES:
            for m in METRICS:
                b, n = self.meas.baseline.get(p, {}).get(m), stats.get(p, {}).get(m)
                if b is None or n is None or not (b.measured or n.measured):
                    continue
                if b.compliance != n.compliance:
                    out.append((p, m, b, n))
        return out

    def _credits_delta(
        self, cr: Mapping[str, float], fee: float | None
    ) -> tuple[list[str], float, float | None]:
        """Lines of the credit keys whose credits changed, the change in % of a year's fee,
        and in money (None without a fee)."""
        meas = self.meas
        lines = []
        for key in sorted((set(meas.credits_old) | set(cr)) - {"total"}, key=_credit_order):
            o, n = meas.credits_old.get(key, 0.0), cr.get(key, 0.0)
            if o != n:
                lines.append(f"credits owed for {key} {_credit_text(o, n, meas.fee_old, fee, meas.currency)}")
        o, n = meas.credits_old.get("total", 0.0), cr.get("total", 0.0)
        keyed = sum(cr.get(k, 0.0) - meas.credits_old.get(k, 0.0) for k in set(cr) | set(meas.credits_old)
                    if k != "total")
        if lines and abs(keyed - (n - o)) > 1e-9:  # the caps took some of it back
            lines.append(f"in all, after the caps, {_credit_text(o, n, meas.fee_old, fee, meas.currency)}")
        if meas.fee_old is not None and fee is not None:
            money = n * fee / 100 - o * meas.fee_old / 100
            share = 100 * abs(money) / (12 * meas.fee_old) if meas.fee_old else abs(n - o) / 12
            return lines, share, money
        return lines, abs(n - o) / 12, None

    def _ticket_effect(
        self, path: str, c: Contract, stats: Mapping[str, Mapping[str, Stats]], cr: Mapping[str, float]
    ) -> ChangeEffect:
        meas = self.meas
        moved = self._pairs_moved(stats)
        credit_lines, share, money = self._credits_delta(cr, c.monthly_fee)
        prios = {p for p, *_ in moved}
        own = path.split(".")[1] if path.startswith("targets.") else None
        if path.startswith("service_credits["):
            prios = {path[len("service_credits["):].split(" ", 1)[0]}
        elif credit_lines:
            prios |= {line.split(" ")[3] for line in credit_lines if line.startswith("credits owed for ")}
        only = next(iter(prios)) if len(prios) == 1 else None
        in_all = any(line.startswith("in all") for line in credit_lines)
        on = meas.on(None if in_all else own or (only if only in PRIORITIES else None))
        parts = [f"{p} {m} compliance {_pct(b.compliance)} → {_pct(n.compliance)}" for p, m, b, n in moved]
        parts += credit_lines
        if not parts:
            text = f"no change in measured compliance or credits on its own{on}"
            if own is not None:
                m = "response" if path.split(".", 2)[2].startswith("response") else "resolution"
                b, n = meas.baseline.get(own, {}).get(m), stats.get(own, {}).get(m)
                if (b is None or not b.measured) and (n is None or not n.measured):
                    text = f"{own} {m} compliance not measured (no ticket carries the event){on}"
            if path.startswith("calendars."):
                users = _calendar_users(self.new, path.split(".", 1)[1])
                if users:
                    text = (f"no change on its own: the calendar takes effect through the clocks that use it "
                            f"({', '.join(users)}){on}")
            return ChangeEffect(text, text)
        points = max([100 * abs((n.compliance or 0) - (b.compliance or 0)) for *_x, b, n in moved] + [0.0])
        text = "; ".join(parts) + on
        return ChangeEffect(text, self._sentence(path, moved, money, cr), points, share, 0.0, money)

    def _sentence(
        self, path: str, moved: list[tuple[str, str, Stats, Stats]], money: float | None,
        cr: Mapping[str, float],
    ) -> str:
        meas = self.meas
        own = tuple(path.split(".")[1:3]) if path.startswith("targets.") else ()
        bits = []
        for p, m, b, n in moved:
            count = meas.tickets_by_priority.get(p)
            whom = f"the {count:,} {p} tickets" if count is not None else f"the {p} tickets"
            what = "it" if own and own[0] == p and own[1].startswith(m) else f"the {p} {m} target"
            bits.append(f"{_pct(n.compliance)} of {whom} opened {meas.period} would have met {what}, "
                        f"against {_pct(b.compliance)}")
        if money is not None and abs(money) >= 0.5:
            bits.append(f"service credits {_money_words(money, meas.currency)}")
        elif money is None and cr.get("total", 0.0) != meas.credits_old.get("total", 0.0):
            d = cr.get("total", 0.0) - meas.credits_old.get("total", 0.0)
            bits.append(f"service credits {'+' if d > 0 else '−'}{abs(d):g}% of the monthly fee")
        return "; ".join(bits)

    def _commitment(self, path: str, c: Contract) -> ChangeEffect | None:
        """A committed compliance level moves no clock: how the history measures against it."""
        meas = self.meas
        prio = path.split(".")[1]
        level = c.targets[prio].compliance_target  # type: ignore[index]
        if level is None:
            return None
        figs = []
        for m in METRICS:
            b = meas.baseline.get(prio, {}).get(m)
            if b is not None and b.measured and b.compliance is not None:
                figs.append((m, b.compliance))
        if not figs:
            return None
        short = [m for m, v in figs if v < level]
        said = " and ".join(f"{m} {_pct_near(v, level)}" for m, v in figs)
        verdict = (f"{' and '.join(short)} below the committed {_pct(level)}" if short
                   else f"at or above the committed {_pct(level)}")
        text = f"{prio} {said} under the current terms: {verdict}{meas.on(prio)}"
        sentence = f"the current terms measure {prio} {said}{meas.on(prio)}: " + (
            f"{' and '.join(short)} would fall short of it" if short else "both meet it")
        return ChangeEffect(text, sentence)

    def _fee(self) -> ChangeEffect | None:
        meas = self.meas
        fo, fn = meas.fee_old, meas.fee_new
        if fo is None or fn is None:
            return None
        d = fn - fo
        sign = "+" if d > 0 else "−" if d < 0 else "±"
        rel = f" ({sign}{100 * abs(d) / fo:.1f}%)" if fo else ""
        cur = meas.currency
        head = f"{sign}{_m(abs(d), cur)} a month{rel}, {sign}{_m(12 * abs(d), cur)} a year"
        pct = meas.credits_old.get("total", 0.0)
        if pct:
            tail = (f"; the credits owed under the current rules, a share of the fee, "
                    f"{_m(pct * fo / 100, cur)} → {_m(pct * fn / 100, cur)}")
        else:
            tail = "; no credits owed under the current rules"
        text = head + tail + meas.on()
        sentence = f"{sign}{abs(d):,.0f} {cur} a month{rel}, {sign}{12 * abs(d):,.0f} {cur} a year"
        return ChangeEffect(text, sentence, 0.0, 100 * abs(d) / fo if fo else 0.0, 0.0, 12 * d)


def _pct_near(v: float, level: float) -> str:
    """A share beside a level, with a decimal when whole percent would hide which side it is on."""
    whole = _pct(v)
    if (v < level) != (round(100 * v) < round(100 * level)):
        return f"{100 * v:.1f}%"
    return whole


def _calendar_users(contract: Contract, name: str) -> list[str]:
    return [f"{p} {m} clock" for p in PRIORITIES for m in METRICS if contract.calendar_name(p, m) == name
            and contract.target(p, m) is not None]


def _credit_order(key: str) -> tuple[int, str]:
    prio = key.split(" ", 1)[0]
    return (PRIORITIES.index(prio) if prio in PRIORITIES else len(PRIORITIES), key)  # type: ignore[arg-type]


def _credit_text(o: float, n: float, fee_o: float | None, fee_n: float | None, cur: str) -> str:
    """'CAD 4,800.00 → CAD 2,400.00 (−CAD 2,400.00)', or in % of the fee without a fee."""
    if fee_o is not None and fee_n is not None:
        mo, mn = o * fee_o / 100, n * fee_n / 100
        d = mn - mo
        sign = "+" if d > 0 else "−" if d < 0 else "±"
        return f"{_m(mo, cur)} → {_m(mn, cur)} ({sign}{_m(abs(d), cur)})"
    return f"{o:g}% → {n:g}% of the monthly fee"


# ------------------------------------------------------------------ all together


def _metric_line(meas: Measurement, p: str, m: str) -> str | None:
    """'P1 resolution compliance 98% → 63%; credits owed for P1 resolution …' under all the
    changes; 'not measured' when no ticket carries the metric's event."""
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


def combined_lines(meas: Measurement, old: Contract, new: Contract) -> list[str]:
    """The effect of all the changes together, once: compliance per priority and metric
    that moved, the credits owed, and the recovery records' outcomes."""
    out = []
    for p in PRIORITIES:
        for m in METRICS:
            b, n = meas.baseline.get(p, {}).get(m), meas.proposed.get(p, {}).get(m)
            if b is None or n is None or b.compliance == n.compliance:
                continue
            out.append(f"{_metric_line(meas, p, m)}{meas.on(p)}")
    credit = meas.credits_text("total")
    out.append(f"credits owed {credit}{meas.on()}" if credit
               else f"no credits owed under either version{meas.on()}")
    ro, rn = meas.recovery_old, meas.recovery_new
    if ro is not None and rn is not None:
        months = rn.months
        on = f" ({months[0]}..{months[-1]} records)" if months else ""
        days = sum(r.days for r in rn.rpo.values())
        if days:
            miss_o = sum(r.days - r.days_met for r in ro.rpo.values())
            miss_n = sum(r.days - r.days_met for r in rn.rpo.values())
            out.append(f"{miss_n:,} of {days:,} system-days with a longer gap between successful "
                       f"backups than the RPO ({miss_o:,} before){on}")
        tests = sum(t.tests for t in rn.rto.values())
        if tests:
            over_n, over_o = sum(t.over for t in rn.rto.values()), sum(t.over for t in ro.rto.values())
            out.append(f"{over_n:,} of {tests:,} restore tests over the RTO or failed ({over_o} before){on}")
        avail = list(rn.availability.values())
        if avail:
            below = sum(a.breached_months for a in avail)
            before = sum(a.breached_months for a in ro.availability.values())
            out.append(f"{below} service-months below their uptime target ({before} before){on}")
        uptime = _uptime_credits(ro, rn, old.currency, new.currency)
        if uptime:
            out.append(uptime)
    return out


# --------------------------------------------------------------------- recovery


def _system_term(path: str) -> tuple[str, str] | None:
    """``backup.systems[NAME].rpo`` -> (NAME, "rpo"); None for other paths."""
    head = "backup.systems["
    if not path.startswith(head) or not path.endswith(("].rpo", "].rto")):
        return None
    return path[len(head):-5], path[-3:]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _recovery_effect(path: str, ro: Any, rn: Any, old: Contract, new: Contract) -> ChangeEffect | None:
    """The effect of a recovery change on the backups, restore tests and outages: ``rn``
    is the replay of ``new`` (the old terms with this change alone), ``ro`` of ``old``."""
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
                return _said(f"RPO {was} → {now} for {name}: ",
                             f"no successful backup of it in the history{on}")
            moved = abs((b.days - b.days_met) - (a.days - a.days_met))
            return _said(f"RPO {was} → {now} for {name}: ",
                         f"{b.days - b.days_met:,} of {b.days:,} days had a longer "
                         f"gap between successful backups ({a.days - a.days_met} under {was}); "
                         f"{_count(b.breaches, 'gap')} longer than the RPO ({a.breaches} before){on}",
                         100 * moved / b.days if b.days else 0.0)
        t_old, t_new = ro.rto[name], rn.rto[name]
        if t_new.tests == 0:
            return _said(f"RTO {was} → {now} for {name}: ", f"no restore test of it in the history{on}")
        longest = "" if t_new.supported_rto_seconds is None else \
            f"; the longest successful test took {t_new.supported_rto_seconds / 3600:.1f} hours"
        return _said(f"RTO {was} → {now} for {name}: ",
                     f"{t_new.over} of {t_new.tests} restore tests took longer "
                     f"or failed ({t_old.over} before){longest}{on}",
                     100 * abs(t_new.over - t_old.over) / t_new.tests)
    if path == "backup.restore_test_cadence":
        missing_old = sum(c.missing for c in ro.cadence.values())
        missing_new = sum(c.missing for c in rn.cadence.values())
        met = sum(bool(c.met) for c in rn.cadence.values())
        met_old = sum(bool(c.met) for c in ro.cadence.values())
        n = len(rn.cadence)
        return _said(f"restore tests {old.backup.restore_test_cadence or 'unstated'} → "
                     f"{new.backup.restore_test_cadence or 'unstated'}: ",
                     f"{missing_new} tests missing across "
                     f"the systems ({missing_old} before); {met} of {n} systems kept the "
                     f"cadence{on}", 100 * abs(met - met_old) / n if n else 0.0)
    if path.startswith("uptime[") and path.endswith("]"):
        service = path[len("uptime["):-1]
        a_new, a_old = rn.availability.get(service), ro.availability.get(service)
        if a_new is None:
            return None
        before = "" if a_old is None else f" ({a_old.breached_months} under {100 * a_old.target:g}%)"
        moved = a_new.breached_months - (a_old.breached_months if a_old is not None else 0)
        text = (f"{a_new.breached_months} of {len(a_new.labels)} months of {service} below "
                f"{100 * a_new.target:g}%{before}{on}")
        share = 100 * abs(moved) / len(a_new.labels) if a_new.labels else 0.0
        return ChangeEffect(text, text, recovery=share)
    if _is_uptime_rule(path):
        text = _uptime_credits(ro, rn, old.currency, new.currency) or \
            f"no uptime credits owed under the current uptime targets with this rule{on}"
        po, pn = ro.credits.total_percent(), rn.credits.total_percent()
        mo, mn = ro.credits.total_amount(), rn.credits.total_amount()
        fee = old.monthly_fee
        money = None if mo is None or mn is None else mn - mo
        share = 100 * abs(money) / (12 * fee) if money is not None and fee else abs(pn - po) / 12
        sentence = text if money is None else f"uptime credits {_money_words(money, new.currency)}{on}"
        return ChangeEffect(text, sentence, credits=share, money=money)
    return None


def _said(head: str, rest: str, recovery: float = 0.0) -> ChangeEffect:
    """A recovery effect: the row says the change and its effect, the summary the effect."""
    return ChangeEffect(head + rest, rest, recovery=recovery)


def _uptime_credits(ro: Any, rn: Any, cur_old: str, cur_new: str) -> str | None:
    """The uptime credits of both replays on the outages, or None when neither owes any."""
    po, pn = ro.credits.total_percent(), rn.credits.total_percent()
    if po == 0 and pn == 0:
        return None
    mo, mn = ro.credits.total_amount(), rn.credits.total_amount()
    money = "" if mo is None or mn is None else f" ({_m(mo, cur_old)} → {_m(mn, cur_new)})"
    months = rn.months
    on = f" ({months[0]}..{months[-1]} records)" if months else ""
    return f"uptime credits owed, summed over the months: {po:g}% → {pn:g}% of the monthly fee{money}{on}"
