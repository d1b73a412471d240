"""The What-if of the recovery terms, Qt-free: the baseline and the scenario contract's
RPO, RTO, restore-test cadence and uptime targets replayed on the backups, restore tests
and outages of the history (:mod:`workbench.engine.recovery_replay`), and what the
What-if view shows of the two: a table per system and service, the months, and the
backup gaps, restore tests and uptime months that flip.

:class:`RecoveryWhatIfEngine` prepares the history once; a replay is prepared once per
*frame* of a contract (the zone of its days and months, its calendars and its uptime
credit terms), so moving an RPO, RTO, cadence or uptime target only runs the prepared
replay (a few milliseconds).  Both front ends can call it; the GUI calls it on a worker.

A system without any backup job in the history is "not measured" for its RPO, one
without a restore test for its RTO, and the cadence and availability are "not measured"
when the history holds no restore test or no outage at all.  A system or service the
contract does not list has "no target".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np

from models.contract import RESTORE_CADENCE_DAYS, Contract
from models.history import History
from workbench.app.localtime import format_instant
from workbench.engine.recovery import history_as_of
from workbench.engine.recovery_replay import (
    RecoveryColumns,
    RecoveryReplay,
    RecoveryResult,
    RecoveryScenario,
)
from workbench.progress import ProgressCallback, report, scaled

__all__ = [
    "CADENCE_CHOICES",
    "DURATION_STEPS",
    "NOT_MEASURED",
    "NO_TARGET",
    "RecoveryCell",
    "RecoveryFlip",
    "RecoveryMonths",
    "RecoveryRow",
    "RecoveryWhatIf",
    "RecoveryWhatIfEngine",
    "cadence_words",
    "duration_exact",
    "duration_up",
    "duration_words",
    "parse_duration_words",
]

NO_TARGET = "no target"
NOT_MEASURED = "not measured"
MAX_FLIPS = 5000
RPO_SHARES = (90.0, 100.0)  # the inverse questions: the smallest RPO met on these % of days
RTO_SHARES = (90.0, 100.0)  # and the RTO these % of the successful restore tests support

# the stops of an RPO/RTO slider (seconds): minutes to a week, denser where terms are written
DURATION_STEPS: tuple[int, ...] = tuple(
    m * 60 for m in (5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1440, 2160, 2880,
                     4320, 5760, 7200, 10080)
)

# the restore-test cadences the What-if offers (None: the contract states none)
CADENCE_CHOICES: tuple[tuple[str | None, str], ...] = (
    (None, "No cadence"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("semiannual", "Semi-annual"),
    ("annual", "Annual"),
)

_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def duration_words(seconds: int | None) -> str:
    """``900`` -> "15 minutes", ``5400`` -> "1 hour 30 minutes", ``86400`` -> "24 hours",
    ``183600`` -> "2 days 3 hours" (days from two days on; two units at most, rounded down
    to the second one); None -> "no target"."""
    if seconds is None:
        return NO_TARGET
    s = int(seconds)
    if s < 0:
        return "-" + duration_words(-s)
    parts: list[str] = []
    for name, size in _UNITS[0 if s >= 2 * 86400 else 1:]:  # "36 hours", "2 days"
        n, s = divmod(s, size)
        if n:
            parts.append(f"{n} {name}" + ("" if n == 1 else "s"))
        elif parts:
            break
        if len(parts) == 2:
            break
    return " ".join(parts) if parts else "0 seconds"


def duration_exact(seconds: int) -> str:
    """To the second, compact: ``7243`` -> "2 h 43 s", ``94210`` -> "26 h 10 min 10 s"
    (hours past a day: gap lengths are compared with RPOs written in hours)."""
    s = int(seconds)
    if s < 0:
        return "-" + duration_exact(-s)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    parts = [f"{n} {u}" for n, u in ((h, "h"), (m, "min"), (sec, "s")) if n]
    return " ".join(parts) if parts else "0 s"


_WORD_UNITS = {
    "d": 86400, "day": 86400, "days": 86400,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "w": 604800, "week": 604800, "weeks": 604800,
}
_WORD_RE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")


def parse_duration_words(text: str) -> int | None:
    """"15 minutes", "1 hour 30 minutes", "1.5h", "2 days", "4" (hours) -> seconds;
    "no target" (or blank) -> None.  Raises ValueError with a sentence otherwise."""
    t = text.strip().lower()
    if not t or t == NO_TARGET:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        seconds = float(t) * 3600
    else:
        rest = _WORD_RE.sub("", t).replace(",", "").replace("and", "").strip()
        found = _WORD_RE.findall(t)
        if not found or rest or any(u not in _WORD_UNITS for _, u in found):
            raise ValueError(f"{text!r} is not a duration: write e.g. 15 minutes, 4 hours, 1 day 6 hours")
        seconds = sum(float(n) * _WORD_UNITS[u] for n, u in found)
    if seconds <= 0:
        raise ValueError("a duration must be longer than zero (or 'no target')")
    return round(seconds)


def duration_up(seconds: int) -> str:
    """Compact, rounded up to the minute (an RPO or RTO the records support must not be
    written shorter than it is): ``7223`` -> "2 h 1 min", ``111627`` -> "31 h 1 min"."""
    return duration_exact(-(-int(seconds) // 60) * 60)


def _shares(percents: tuple[float, ...]) -> str:
    return " · ".join("all" if p == 100 else f"{p:g}%" for p in percents)


def cadence_words(cadence: str | None) -> str:
    """How the contract's restore-test cadence reads: "quarterly", "every 30 days", "no cadence"."""
    for key, label in CADENCE_CHOICES:
        if key == cadence:
            return label.lower()
    if cadence in RESTORE_CADENCE_DAYS:
        return cadence
    from models.contract import parse_duration

    return f"every {duration_words(parse_duration(str(cadence)))}"


# ------------------------------------------------------------------------ results


@dataclass(frozen=True)
class RecoveryCell:
    """One figure of the table: its words, and the count it stands for (None: no target or
    not measured) — what the change column and its colour compare."""

    text: str
    count: float | None = None


@dataclass(frozen=True)
class RecoveryRow:
    subject: str  # a backup system, a service, or "All services"
    measure: str
    baseline: RecoveryCell
    scenario: RecoveryCell

    @property
    def change(self) -> float | None:
        b, s = self.baseline.count, self.scenario.count
        return None if b is None or s is None else s - b


@dataclass(frozen=True)
class RecoveryFlip:
    """A backup gap, restore test or uptime month judged otherwise under the scenario."""

    kind: str  # "gap" (between successful backups), "restore" (test), "month" (of uptime)
    subject: str
    when: str  # its start (a month for an uptime month), in the contract's zone
    length: str  # the gap's or test's length in words, the month's availability
    baseline: str
    scenario: str
    breached_now: bool  # the scenario breaches it (the baseline did not)
    start: int  # instant (epoch seconds) of its start, for sorting and tests
    seconds: int | None = None  # the gap's or test's length


@dataclass(frozen=True)
class RecoveryMonths:
    """Per month of the history, summed over the systems: gaps over the RPO, restore
    tests over the RTO (or failed) and tests missing for the cadence, both sides."""

    labels: tuple[str, ...]
    gaps: dict[str, list[int]] = field(default_factory=dict)  # "baseline"/"scenario" -> per month
    tests: dict[str, list[int]] = field(default_factory=dict)  # over the RTO + missing


@dataclass(frozen=True)
class Measured:
    """Which records the history holds."""

    backup_systems: frozenset[str]
    test_systems: frozenset[str]
    outage_services: frozenset[str]

    @property
    def any(self) -> bool:
        return bool(self.backup_systems or self.test_systems or self.outage_services)


def _pct(v: float) -> str:
    return f"{100 * v:.2f}%"


class RecoveryWhatIf:
    """The baseline's and the scenario's recovery replays on one history, and what the
    What-if view shows of them."""

    def __init__(self, baseline: RecoveryResult, scenario: RecoveryResult, baseline_contract: Contract,
                 scenario_contract: Contract, measured: Measured,
                 replays: tuple[RecoveryReplay, RecoveryReplay] | None = None) -> None:
        self.baseline, self.scenario = baseline, scenario
        self.replays = replays  # the two sides' prepared replays: the inverse questions' rows
        self.baseline_contract, self.scenario_contract = baseline_contract, scenario_contract
        self.measured = measured
        self.zone = baseline.zone
        names: dict[str, None] = {}
        for c in (baseline_contract, scenario_contract):
            names.update({s.name: None for s in c.backup.systems})
        names.update({s: None for s in sorted(measured.backup_systems | measured.test_systems)})
        self.systems: tuple[str, ...] = tuple(names)
        services: dict[str, None] = {}
        for c in (baseline_contract, scenario_contract):
            services.update({u.service: None for u in c.uptime})
        services.update({s: None for s in sorted(measured.outage_services)})
        self.services: tuple[str, ...] = tuple(services)
        self._flips: tuple[list[RecoveryFlip], int] | None = None
        self._flip_count = 0
        self._rows: list[RecoveryRow] | None = None
        self._months: RecoveryMonths | None = None

    # ---------------------------------------------------------------- the table

    def _rpo_cell(self, r: RecoveryResult, name: str) -> tuple[RecoveryCell, RecoveryCell]:
        if name not in self.measured.backup_systems:
            return RecoveryCell(NOT_MEASURED), RecoveryCell(NOT_MEASURED)
        x = r.rpo.get(name)
        if x is None:
            return RecoveryCell(NO_TARGET), RecoveryCell(NO_TARGET)
        if x.successful_backups == 0:
            return RecoveryCell("no successful backup", 1), RecoveryCell(f"all {x.days}", x.days)
        missed = x.days - x.days_met
        return (RecoveryCell(f"{x.breaches:,} of {x.gaps:,}", x.breaches),
                RecoveryCell(f"{missed:,} of {x.days:,}", missed))

    @staticmethod
    def _terms_cell(contract: Contract, name: str) -> RecoveryCell:
        for s in contract.backup.systems:
            if s.name == name:
                from models.contract import parse_duration

                return RecoveryCell(f"{duration_words(parse_duration(s.rpo))}, "
                                    f"{duration_words(parse_duration(s.rto))}")
        return RecoveryCell(NO_TARGET)

    def _rto_cell(self, r: RecoveryResult, name: str) -> RecoveryCell:
        if name not in self.measured.test_systems:
            return RecoveryCell(NOT_MEASURED)
        x = r.rto.get(name)
        if x is None:
            return RecoveryCell(NO_TARGET)
        failed = f" ({x.failed} failed)" if x.failed else ""
        return RecoveryCell(f"{x.over} of {x.tests}{failed}", x.over)

    def _cadence_cell(self, r: RecoveryResult, contract: Contract, name: str) -> RecoveryCell:
        if not self.measured.test_systems:
            return RecoveryCell(NOT_MEASURED)
        x = r.cadence.get(name)
        if x is None:
            return RecoveryCell(NO_TARGET)
        if x.cadence_seconds is None:
            return RecoveryCell("no cadence")
        return RecoveryCell(f"{x.missing} ({cadence_words(contract.backup.restore_test_cadence)})", x.missing)

    def _availability_cell(self, r: RecoveryResult, service: str) -> RecoveryCell:
        if not self.measured.outage_services:
            return RecoveryCell(NOT_MEASURED)
        a = r.availability.get(service)
        if a is None:
            return RecoveryCell(NO_TARGET)
        total = int(a.total.sum())
        if total == 0:
            return RecoveryCell(NOT_MEASURED)
        overall = 1.0 - int(a.down.sum()) / total
        n = sum(o is not None for o in a.outcome)
        return RecoveryCell(f"{_pct(overall)}; {a.breached_months} of {n} below {100 * a.target:g}%",
                            a.breached_months)

    def _credits_cell(self, r: RecoveryResult, contract: Contract) -> RecoveryCell:
        if not any(c.metric == "uptime" for c in contract.service_credits):
            return RecoveryCell("no uptime credits")
        if not self.measured.outage_services:
            return RecoveryCell(NOT_MEASURED)
        pct = r.credits.total_percent()
        amount = r.credits.total_amount()
        money = "" if amount is None else f" ({amount:,.0f} {contract.currency})"
        return RecoveryCell(f"{pct:g}% of fee{money}", amount if amount is not None else pct)

    @staticmethod
    def _inverse_cell(measured: bool, got: list[int | None], none: str) -> RecoveryCell:
        """The answers of an inverse question at each share, rounded up to the minute."""
        if not measured:
            return RecoveryCell(NOT_MEASURED)
        if any(x is None for x in got):
            return RecoveryCell(none)
        return RecoveryCell(" · ".join(duration_up(x) for x in got if x is not None))

    def _smallest_rpo_cell(self, replay: RecoveryReplay, name: str) -> RecoveryCell:
        """The smallest RPO the records met on 90 % and on all of the system's days."""
        return self._inverse_cell(name in self.measured.backup_systems,
                                  [replay.smallest_rpo(name, p) for p in RPO_SHARES], "no successful backup")

    def _supported_rto_cell(self, replay: RecoveryReplay, name: str) -> RecoveryCell:
        """The smallest RTO that 90 % and all of the system's successful restore tests met
        (a failed test meets none: the row above counts it)."""
        return self._inverse_cell(name in self.measured.test_systems,
                                  [replay.supported_rto(name, p) for p in RTO_SHARES], "no successful test")

    def rows(self) -> list[RecoveryRow]:
        if self._rows is None:
            self._rows = self._table()
        return self._rows

    def _table(self) -> list[RecoveryRow]:
        b, s = self.baseline, self.scenario
        out: list[RecoveryRow] = []
        for name in self.systems:
            (bg, bd), (sg, sd) = self._rpo_cell(b, name), self._rpo_cell(s, name)
            out.append(RecoveryRow(name, "RPO, RTO", self._terms_cell(self.baseline_contract, name),
                                   self._terms_cell(self.scenario_contract, name)))
            out.append(RecoveryRow(name, "Backup gaps over the RPO", bg, sg))
            out.append(RecoveryRow(name, "Days over the RPO", bd, sd))
            if self.replays is not None:
                rb, rs = self.replays
                out.append(RecoveryRow(name, f"RPO met on {_shares(RPO_SHARES)} days",
                                       self._smallest_rpo_cell(rb, name), self._smallest_rpo_cell(rs, name)))
            out.append(RecoveryRow(name, "Restore tests over the RTO", self._rto_cell(b, name),
                                   self._rto_cell(s, name)))
            if self.replays is not None:
                rb, rs = self.replays
                out.append(RecoveryRow(name, f"RTO met by {_shares(RTO_SHARES)} tests",
                                       self._supported_rto_cell(rb, name),
                                       self._supported_rto_cell(rs, name)))
            out.append(RecoveryRow(name, "Tests missing (cadence)",
                                   self._cadence_cell(b, self.baseline_contract, name),
                                   self._cadence_cell(s, self.scenario_contract, name)))
        for service in self.services:
            out.append(RecoveryRow(service, "Availability; months", self._availability_cell(b, service),
                                   self._availability_cell(s, service)))
        if self.services:
            out.append(RecoveryRow("All services", "Uptime credits",
                                   self._credits_cell(b, self.baseline_contract),
                                   self._credits_cell(s, self.scenario_contract)))
        return out

    # ---------------------------------------------------------------- the months

    def months(self) -> RecoveryMonths:
        if self._months is None:
            self._months = self._month_series()
        return self._months

    def _month_series(self) -> RecoveryMonths:
        labels = self.scenario.months
        gaps: dict[str, list[int]] = {}
        tests: dict[str, list[int]] = {}
        for side, r in (("baseline", self.baseline), ("scenario", self.scenario)):
            n = len(r.months)
            g = np.zeros(n, np.int64)
            t = np.zeros(n, np.int64)
            for name, x in r.rpo.items():
                if name in self.measured.backup_systems:
                    g += np.bincount(x.breach_month, minlength=n)[:n]
            for name, y in r.rto.items():
                if name in self.measured.test_systems:
                    t += np.bincount(y.over_month, minlength=n)[:n]
            if self.measured.test_systems:
                for c in r.cadence.values():
                    t += np.bincount(c.missing_month[(c.missing_month >= 0) & (c.missing_month < n)],
                                     minlength=n)[:n]
            at = {m: i for i, m in enumerate(r.months)}
            gaps[side] = [int(g[at[m]]) if m in at else 0 for m in labels]
            tests[side] = [int(t[at[m]]) if m in at else 0 for m in labels]
        return RecoveryMonths(labels, gaps, tests)

    # ---------------------------------------------------------------- the flips

    def flips(self) -> tuple[list[RecoveryFlip], int]:
        """The backup gaps, restore tests and uptime months that flip, in time order
        (at most :data:`MAX_FLIPS`), and how many flip in all."""
        if self._flips is None:
            self._flip_count = 0  # every flip, counted on the arrays; only the earliest are listed
            found = [*self._gap_flips(), *self._test_flips(), *self._month_flips()]
            found.sort(key=lambda f: (f.start, f.subject, f.kind))
            self._flips = (found[:MAX_FLIPS], self._flip_count)
        return self._flips

    def _earliest(self, mask: np.ndarray) -> np.ndarray:
        """The indices of ``mask`` (in time order) listed: the first :data:`MAX_FLIPS`."""
        idx = np.flatnonzero(mask)
        self._flip_count += len(idx)
        return idx[:MAX_FLIPS]

    def _when(self, t: int) -> str:
        return format_instant(t, ZoneInfo(self.zone))

    @staticmethod
    def _against(length: int, limit: int | None, term: str) -> str:
        if limit is None:
            return NO_TARGET
        if length > limit:
            return f"over {duration_words(limit)} by {duration_exact(length - limit)}"
        return f"within {duration_words(limit)}"  # the length column says by how much

    def _gap_flips(self) -> Iterable[RecoveryFlip]:
        for name in self.systems:
            if name not in self.measured.backup_systems:
                continue
            a, b = self.baseline.rpo.get(name), self.scenario.rpo.get(name)
            if a is None and b is None:
                continue
            starts_a = a.breach_start if a is not None else np.empty(0, np.int64)
            starts_b = b.breach_start if b is not None else np.empty(0, np.int64)
            if a is not None and b is not None and a.rpo_seconds == b.rpo_seconds:
                continue
            flip_a = ~np.isin(starts_a, starts_b)  # breached before, not now
            flip_b = ~np.isin(starts_b, starts_a)  # breached now, not before
            rpo_a = a.rpo_seconds if a is not None else None
            rpo_b = b.rpo_seconds if b is not None else None
            for side, x, mask in ((False, a, flip_a), (True, b, flip_b)):
                if x is None:
                    continue
                idx = self._earliest(mask)
                for s, e, o in zip(x.breach_start[idx].tolist(), x.breach_end[idx].tolist(),
                                   x.breach_open[idx].tolist(), strict=True):
                    n = e - s
                    length = duration_exact(n) + (" (still open)" if o else "")
                    yield RecoveryFlip("gap", name, self._when(s), length,
                                       self._against(n, rpo_a, "RPO"), self._against(n, rpo_b, "RPO"),
                                       side, s, n)

    def _test_flips(self) -> Iterable[RecoveryFlip]:
        for name in self.systems:
            if name not in self.measured.test_systems:
                continue
            a, b = self.baseline.rto.get(name), self.scenario.rto.get(name)
            if a is None and b is None:
                continue
            if a is not None and b is not None and a.rto_seconds == b.rto_seconds:
                continue
            rto_a = a.rto_seconds if a is not None else None
            rto_b = b.rto_seconds if b is not None else None
            e0 = np.empty(0, np.int64)
            starts_a = a.over_started if a is not None else e0
            starts_b = b.over_started if b is not None else e0
            for side, x, other in ((False, a, starts_b), (True, b, starts_a)):
                if x is None:
                    continue
                idx = self._earliest(~np.isin(x.over_started, other))
                for s, d, ok in zip(x.over_started[idx].tolist(), x.over_duration[idx].tolist(),
                                    x.over_success[idx].tolist(), strict=True):
                    def judged(limit: int | None, d: int = d, ok: bool = ok) -> str:
                        if limit is not None and not ok:
                            return "failed"
                        return self._against(d, limit, "RTO")

                    yield RecoveryFlip("restore", name, self._when(s),
                                       duration_exact(d) + ("" if ok else " (failed)"),
                                       judged(rto_a), judged(rto_b), side, s, d)

    def _month_flips(self) -> Iterable[RecoveryFlip]:
        for service in self.services:
            a, b = self.baseline.availability.get(service), self.scenario.availability.get(service)
            if a is None or b is None or a.target == b.target:
                continue
            for i, label in enumerate(b.labels):
                oa, ob = a.outcome[i], b.outcome[i]
                if oa == ob or oa is None or "pending" in (oa, ob):
                    continue
                self._flip_count += 1
                av = float(b.availability[i])
                year, month = (int(x) for x in label.split("-"))
                start = int(dt.datetime(year, month, 1, tzinfo=ZoneInfo(self.zone)).timestamp())
                yield RecoveryFlip("month", service, label, _pct(av),
                                   f"{oa} ({100 * a.target:g}% target)", f"{ob} ({100 * b.target:g}% target)",
                                   ob == "breached", start)


# -------------------------------------------------------------------------- engine


# What a prepared replay depends on besides the history: the zone of its days and months
# (the first calendar's), the calendars uptime is measured on, the credit terms.
_FRAME_FIELDS = frozenset({"calendars", "service_credits", "credits_cap_percent", "monthly_fee",
                           "currency"})


def _frame_key(contract: Contract) -> str:
    """The key of the replay prepared for ``contract`` (its :data:`_FRAME_FIELDS`)."""
    return contract.model_dump_json(include=set(_FRAME_FIELDS))


def recovery_terms_key(contract: Contract) -> str:
    """Everything a recovery What-if reads of a contract (its frame, backup terms, uptime
    commitments): two contracts with the same key give the same recovery result, so a
    change of ticket targets or pause rules needs no recovery replay."""
    return contract.model_dump_json(include=set(_FRAME_FIELDS | {"backup", "uptime"}))


class RecoveryWhatIfEngine:
    """A history's backups, restore tests and outages prepared for recovery What-ifs."""

    KEEP = 4  # prepared frames kept (a baseline, its scenario's coverage choices)

    def __init__(self, history: History, as_of: int | None = None,
                 progress: ProgressCallback | None = None) -> None:
        report(progress, 0.0, "reading backups and restore tests")
        self.columns = RecoveryColumns.from_history(history)
        self.as_of = int(as_of if as_of is not None else history_as_of(history))
        self.measured = Measured(frozenset(b.system for b in history.backups),
                                 frozenset(r.system for r in history.restore_tests),
                                 frozenset(o.service for o in history.outages))
        self._replays: dict[str, RecoveryReplay] = {}
        report(progress, 1.0, "ready")

    def replay(self, contract: Contract, progress: ProgressCallback | None = None) -> RecoveryReplay:
        """The replay prepared for ``contract``'s frame (prepared now if new)."""
        key = _frame_key(contract)
        got = self._replays.get(key)
        if got is None:
            got = RecoveryReplay(self.columns, contract, self.as_of, progress)
            while len(self._replays) >= self.KEEP:
                self._replays.pop(next(iter(self._replays)))
            self._replays[key] = got
        return got

    def run(self, baseline: Contract, scenario: Contract,
            progress: ProgressCallback | None = None) -> RecoveryWhatIf:
        """Replay both contracts' recovery terms (each on its own frame's replay)."""
        report(progress, 0.0, "replaying the baseline's recovery terms")
        base_replay = self.replay(baseline, scaled(progress, 0.0, 0.3))
        base = base_replay.run(RecoveryScenario.from_contract(baseline), scaled(progress, 0.3, 0.5))
        if scenario is baseline:
            scen, scen_replay = base, base_replay
        else:
            scen_replay = self.replay(scenario, scaled(progress, 0.5, 0.8))
            scen = scen_replay.run(RecoveryScenario.from_contract(scenario), scaled(progress, 0.8, 1.0))
        report(progress, 1.0, "done")
        return RecoveryWhatIf(base, scen, baseline, scenario, self.measured, (base_replay, scen_replay))
