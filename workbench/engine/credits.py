"""Service credits: the one place where a contract's credit terms are applied to counts.

The rule, as :class:`models.contract.ServiceCredit` defines it, month by month (a
ticket's outcome falls in the UTC month it was opened):

* only ``response`` and ``resolution`` credits are measured on tickets; ``uptime``
  credits need outages: :func:`uptime_credits` applies them to the months'
  availability (see :mod:`workbench.engine.recovery_replay`);
* a rule counts the tickets of its metric and of its priority (every priority when it
  names none); ``met`` and ``breached`` are the engine's outcomes (pending tickets
  count for neither);
* ``per_breach``: ``percent_of_fee`` for each breached ticket in the month;
* ``compliance_below``: ``percent_of_fee`` once in a month whose compliance
  ``met / (met + breached)`` is below ``threshold`` (strictly); a month with nothing
  done earns nothing;
* each rule is capped at its own ``cap_percent`` per month, then the month's total at
  the contract's ``credits_cap_percent``;
* money is the month's percentage of ``monthly_fee``, rounded to cents per month; a
  contract without a fee has no amount (``None``), which is not the same as 0.

:func:`monthly_credits` applies the rule to count arrays of shape
``(months, len(PRIORITIES), len(METRICS))``; :func:`outcome_counts` builds those arrays
from per-ticket outcome codes.

For ``uptime`` rules (a service-month is *breached* when its availability is below
the service's target; a pending month counts for neither, unless the outages known
already breach it):

* ``per_breach``: ``percent_of_fee`` for each breached service in the month;
* ``compliance_below``: ``percent_of_fee`` once in a month in which some service's
  availability is below ``threshold`` (strictly);
* the same caps, the contract's monthly cap over the uptime credits alone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.contract import METRICS, PRIORITIES, Contract, ServiceCredit
from workbench.engine.clock import BREACHED, MET

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def uptime_rules(contract: Contract) -> tuple[ServiceCredit, ...]:
    """The contract's ``uptime`` credit rules, in the contract's order."""
    return tuple(r for r in contract.service_credits if r.metric == "uptime")


def ticket_rules(contract: Contract) -> tuple[ServiceCredit, ...]:
    """The contract's credit rules that are measured on tickets (response, resolution),
    in the contract's order: the rows of :attr:`MonthlyCredits.per_rule`."""
    return tuple(r for r in contract.service_credits if r.metric in METRICS)


@dataclass(frozen=True)
class MonthlyCredits:
    """Credits per month, in percent of the monthly fee.

    ``per_rule[i, j]`` is rule ``rules[i]`` in month ``j`` after its own cap;
    ``percent[j]`` the month's total after the contract's monthly cap."""

    rules: tuple[ServiceCredit, ...]
    per_rule: F64  # (len(rules), months)
    percent: F64  # (months,)
    monthly_fee: float | None

    def amounts(self) -> list[float] | None:
        """Money per month (rounded to cents), or None without a fee."""
        fee = self.monthly_fee
        if fee is None:
            return None
        return [round(p / 100 * fee, 2) for p in self.percent.tolist()]

    def total_percent(self) -> float:
        """The monthly percentages summed over the months (month by month, rounded to
        4 places)."""
        total = 0.0
        for p in self.percent.tolist():
            total += p
        return round(total, 4)

    def total_amount(self) -> float | None:
        """The monthly amounts (each rounded to cents) summed, or None without a fee."""
        amounts = self.amounts()
        if amounts is None:
            return None
        total = 0.0
        for a in amounts:
            total += a
        return round(total, 2)


def monthly_credits(
    contract: Contract,
    met: npt.ArrayLike,
    breached: npt.ArrayLike,
    priorities: Collection[str] | None = None,
) -> MonthlyCredits:
    """Apply the contract's service-credit terms (module docstring) to monthly counts.

    ``met`` and ``breached``: integer counts of shape ``(months, len(PRIORITIES),
    len(METRICS))``, axes in the order of :data:`models.contract.PRIORITIES` and
    :data:`models.contract.METRICS`.  ``priorities``, when given, keeps only the tickets
    of those priorities (one priority's exposure on its own).  Vectorised over months;
    the loop is over the (few) rules.
    """
    shape = (-1, len(PRIORITIES), len(METRICS))
    met_a = np.asarray(met, dtype=np.int64).reshape(shape)
    br_a = np.asarray(breached, dtype=np.int64).reshape(shape)
    if met_a.shape != br_a.shape:
        raise ValueError(f"met {met_a.shape} and breached {br_a.shape} counts differ in shape")
    rules = ticket_rules(contract)
    months = met_a.shape[0]
    keep = np.array([priorities is None or p in priorities for p in PRIORITIES])
    per_rule = np.zeros((len(rules), months), dtype=np.float64)
    for i, r in enumerate(rules):
        sel = keep.copy()
        if r.priority is not None:
            sel &= np.array([p == r.priority for p in PRIORITIES])
        m = METRICS.index(r.metric)
        n_met = met_a[:, sel, m].sum(axis=1)
        n_br = br_a[:, sel, m].sum(axis=1)
        if r.trigger == "per_breach":
            pct = r.percent_of_fee * n_br.astype(np.float64)
        else:
            assert r.threshold is not None  # the model requires one for this trigger
            done = n_met + n_br
            comp = n_met / np.maximum(done, 1)
            pct = np.where((done > 0) & (comp < r.threshold), r.percent_of_fee, 0.0)
        per_rule[i] = pct
    return _capped(contract, rules, per_rule)


def _capped(contract: Contract, rules: tuple[ServiceCredit, ...], per_rule: F64) -> MonthlyCredits:
    """Each rule's row capped at its ``cap_percent``, then the month's total at the
    contract's ``credits_cap_percent``."""
    for i, r in enumerate(rules):
        if r.cap_percent is not None:
            per_rule[i] = np.minimum(per_rule[i], r.cap_percent)
    total = np.zeros(per_rule.shape[1], dtype=np.float64)
    for row in per_rule:  # rule by rule, in the contract's order
        total += row
    if contract.credits_cap_percent is not None:
        total = np.minimum(total, contract.credits_cap_percent)
    return MonthlyCredits(rules, per_rule, total, contract.monthly_fee)


def uptime_credits(
    contract: Contract, availability: npt.ArrayLike, breached: npt.ArrayLike
) -> MonthlyCredits:
    """Apply the contract's ``uptime`` credit terms (module docstring) to availability of
    shape ``(services, months)`` (NaN: not measured) and the breached service-months
    (same shape, bool)."""
    av = np.asarray(availability, dtype=np.float64)
    br = np.asarray(breached, dtype=bool)
    if av.ndim != 2 or av.shape != br.shape:
        raise ValueError(f"availability {av.shape} and breached {br.shape} must be (services, months)")
    rules = uptime_rules(contract)
    per_rule = np.zeros((len(rules), av.shape[1]), dtype=np.float64)
    for i, r in enumerate(rules):
        if r.trigger == "per_breach":
            per_rule[i] = r.percent_of_fee * br.sum(axis=0).astype(np.float64)
        else:
            assert r.threshold is not None  # the model requires one for this trigger
            with np.errstate(invalid="ignore"):
                below = (av < r.threshold).any(axis=0)
            per_rule[i] = np.where(below, r.percent_of_fee, 0.0)
    return _capped(contract, rules, per_rule)


def outcome_counts(
    outcome: Mapping[str, npt.ArrayLike], priority: npt.ArrayLike, month: npt.ArrayLike
) -> tuple[int, I64, I64]:
    """(first month, met, breached) from per-ticket outcome codes (``clock.MET`` …) of each
    metric, priority codes and month numbers: counts for every month from the first to
    the last one given, shaped for :func:`monthly_credits`.  No tickets: no months."""
    mon = np.asarray(month, dtype=np.int64)
    prio = np.asarray(priority, dtype=np.int64)
    n_p, n_m = len(PRIORITIES), len(METRICS)
    if len(mon) == 0:
        empty = np.zeros((0, n_p, n_m), dtype=np.int64)
        return 0, empty, empty.copy()
    first = int(mon.min())
    span = int(mon.max()) - first + 1
    ok = (prio >= 0) & (prio < n_p)
    cell = (mon - first) * n_p + prio
    met = np.zeros((span, n_p, n_m), dtype=np.int64)
    br = np.zeros((span, n_p, n_m), dtype=np.int64)
    for j, metric in enumerate(METRICS):
        codes = np.asarray(outcome[metric])
        for code, out in ((MET, met), (BREACHED, br)):
            hit = ok & (codes == code)
            out[:, :, j] = np.bincount(cell[hit], minlength=span * n_p).reshape(span, n_p)
    return first, met, br
