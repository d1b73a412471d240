"""The service-credit rule (workbench.engine.credits): hand-computed cases, a plain
month-by-month reading of the contract's definition on random counts, and the callers
(engine result, compare, KPIs, redline effects) agreeing with it."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from models.contract import METRICS, PRIORITIES, Contract, contract_from_data
from models.history import MISSING, History, TicketTable
from workbench.engine.credits import monthly_credits, outcome_counts, ticket_rules

P = {p: i for i, p in enumerate(PRIORITIES)}
M = {m: i for i, m in enumerate(METRICS)}


def contract(credits: list[dict[str, Any]], cap: float | None = None, fee: float | None = 1000) -> Contract:
    data: dict[str, Any] = {
        "name": "Credits",
        "version": "1",
        "targets": {p: {"response": f"{i + 1}h", "resolution": f"{4 * (i + 1)}h"}
                    for i, p in enumerate(PRIORITIES)},
        "service_credits": credits,
    }
    if cap is not None:
        data["credits_cap_percent"] = cap
    if fee is not None:
        data["monthly_fee"] = fee
    return contract_from_data(data)


def counts(months: int, cells: dict[tuple[int, str, str], tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(met, breached) arrays from {(month, priority, metric): (met, breached)}."""
    met = np.zeros((months, len(PRIORITIES), len(METRICS)), np.int64)
    br = np.zeros_like(met)
    for (j, p, m), (a, b) in cells.items():
        met[j, P[p], M[m]], br[j, P[p], M[m]] = a, b
    return met, br


PER_BREACH_P1 = {"metric": "resolution", "priority": "P1", "percent_of_fee": 5}
BELOW_90 = {"metric": "response", "percent_of_fee": 2, "trigger": "compliance_below", "threshold": 0.9}

# (name, credit rules, monthly cap, {(month, priority, metric): (met, breached)}, months,
#  expected per-rule percent per month, expected monthly percent)
CASES: list[tuple[str, list[dict[str, Any]], float | None, dict[Any, tuple[int, int]], int,
                  list[list[float]], list[float]]] = [
    ("per breach counts breaches of its priority only", [PER_BREACH_P1], None,
     {(0, "P1", "resolution"): (7, 3), (0, "P2", "resolution"): (0, 9), (0, "P1", "response"): (0, 4)}, 1,
     [[15.0]], [15.0]),
    ("per breach without a priority counts every priority", [{**PER_BREACH_P1, "priority": None}], None,
     {(0, "P1", "resolution"): (7, 3), (0, "P4", "resolution"): (1, 2)}, 1, [[25.0]], [25.0]),
    ("per breach capped per rule and month", [{**PER_BREACH_P1, "cap_percent": 12}], None,
     {(0, "P1", "resolution"): (0, 3), (1, "P1", "resolution"): (0, 2)}, 2, [[12.0, 10.0]], [12.0, 10.0]),
    ("compliance below the threshold earns once", [BELOW_90], None,
     {(0, "P2", "response"): (8, 2), (1, "P3", "response"): (89, 11)}, 2, [[2.0, 2.0]], [2.0, 2.0]),
    ("compliance exactly at the threshold earns nothing", [BELOW_90], None,
     {(0, "P2", "response"): (9, 1), (1, "P2", "response"): (95, 5)}, 2, [[0.0, 0.0]], [0.0, 0.0]),
    ("a month with nothing done earns nothing", [BELOW_90, {**BELOW_90, "threshold": 1.0}], None,
     {(1, "P1", "response"): (1, 0)}, 2, [[0.0, 0.0], [0.0, 0.0]], [0.0, 0.0]),
    ("compliance of the rule's priority only", [{**BELOW_90, "priority": "P1"}], None,
     {(0, "P1", "response"): (10, 0), (0, "P2", "response"): (0, 10)}, 1, [[0.0]], [0.0]),
    ("the monthly cap applies to the total after the rules' caps",
     [{**PER_BREACH_P1, "cap_percent": 10}, {"metric": "response", "percent_of_fee": 4}], 12,
     {(0, "P1", "resolution"): (0, 3), (0, "P1", "response"): (0, 3),
      (1, "P1", "resolution"): (1, 1), (1, "P1", "response"): (1, 1)}, 2,
     [[10.0, 5.0], [12.0, 4.0]], [12.0, 9.0]),
    ("uptime credits are not measured on tickets",
     [{"metric": "uptime", "percent_of_fee": 10}, PER_BREACH_P1], None,
     {(0, "P1", "resolution"): (0, 1)}, 1, [[5.0]], [5.0]),
    ("no credit terms: zero every month", [], 10, {(0, "P1", "resolution"): (0, 5)}, 1, [], [0.0]),
]


@pytest.mark.parametrize(("rules", "cap", "cells", "months", "per_rule", "percent"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_by_hand(rules: list[dict[str, Any]], cap: float | None, cells: dict[Any, tuple[int, int]],
                      months: int, per_rule: list[list[float]], percent: list[float]) -> None:
    c = contract(rules, cap)
    met, br = counts(months, cells)
    got = monthly_credits(c, met, br)
    assert got.rules == ticket_rules(c)
    assert got.per_rule.shape == (len(got.rules), months)
    assert got.per_rule.tolist() == per_rule
    assert got.percent.tolist() == percent
    assert got.amounts() == [round(p * 10, 2) for p in percent]  # fee 1000


def test_money_and_totals() -> None:
    c = contract([{"metric": "resolution", "percent_of_fee": 0.333}], fee=1234.5)
    met, br = counts(3, {(0, "P3", "resolution"): (0, 1), (1, "P3", "resolution"): (0, 2),
                         (2, "P1", "resolution"): (0, 1)})
    got = monthly_credits(c, met, br)
    # 0.333% of 1234.50 = 4.110885 -> 4.11; twice 8.22177 -> 8.22: cents per month
    assert got.amounts() == [4.11, 8.22, 4.11]
    assert got.total_amount() == 16.44
    assert got.total_percent() == pytest.approx(1.332)
    assert got.total_percent() == round(got.total_percent(), 4)
    no_fee = monthly_credits(contract(c.to_data()["service_credits"], fee=None), met, br)
    assert no_fee.amounts() is None and no_fee.total_amount() is None  # not measurable, not 0
    assert no_fee.total_percent() == got.total_percent()
    nothing = monthly_credits(contract([]), met[:0], br[:0])
    assert (nothing.total_percent(), nothing.total_amount(), nothing.amounts()) == (0.0, 0.0, [])


def test_one_priority_on_its_own() -> None:
    rules = [{"metric": "resolution", "percent_of_fee": 3}, {**PER_BREACH_P1, "percent_of_fee": 1}]
    c = contract(rules, cap=5)
    met, br = counts(1, {(0, "P1", "resolution"): (0, 2), (0, "P2", "resolution"): (0, 2)})
    assert monthly_credits(c, met, br).percent.tolist() == [5.0]  # 6 + 2 capped
    assert monthly_credits(c, met, br, priorities=("P1",)).per_rule.tolist() == [[6.0], [2.0]]
    assert monthly_credits(c, met, br, priorities=("P1",)).percent.tolist() == [5.0]
    assert monthly_credits(c, met, br, priorities=("P2",)).per_rule.tolist() == [[6.0], [0.0]]
    assert monthly_credits(c, met, br, priorities=("P3",)).percent.tolist() == [0.0]


def test_shapes_must_agree() -> None:
    met, br = counts(2, {})
    with pytest.raises(ValueError, match="differ in shape"):
        monthly_credits(contract([PER_BREACH_P1]), met, br[:1])


def _plain_rule(c: Contract, met: np.ndarray, br: np.ndarray) -> list[tuple[list[float], float]]:
    """The definition read month by month, rule by rule, in plain Python."""
    out = []
    for j in range(met.shape[0]):
        rules = []
        for r in c.service_credits:
            if r.metric == "uptime":
                continue
            prios = [P[r.priority]] if r.priority else list(P.values())
            a = sum(int(met[j, p, M[r.metric]]) for p in prios)
            b = sum(int(br[j, p, M[r.metric]]) for p in prios)
            if r.trigger == "per_breach":
                pct = r.percent_of_fee * b
            else:
                pct = r.percent_of_fee if a + b and a / (a + b) < r.threshold else 0.0  # type: ignore[operator]
            rules.append(pct if r.cap_percent is None else min(pct, r.cap_percent))
        total = sum(rules, 0.0)
        out.append((rules, total if c.credits_cap_percent is None else min(total, c.credits_cap_percent)))
    return out


def _random_rules(rng: random.Random) -> tuple[list[dict[str, Any]], float | None]:
    rules: list[dict[str, Any]] = []
    for _ in range(rng.randint(0, 9)):
        r: dict[str, Any] = {"metric": rng.choice(["response", "resolution", "uptime"]),
                             "priority": rng.choice([None, *PRIORITIES]),
                             "percent_of_fee": rng.choice([0.1, 0.7, 1, 2.5, 5, 15])}
        if rng.random() < 0.4:
            r.update(trigger="compliance_below", threshold=rng.choice([0.0, 0.5, 0.9, 0.95, 1.0]))
        if rng.random() < 0.4:
            r["cap_percent"] = rng.choice([0.3, 5, 10])
        rules.append(r)
    return rules, rng.choice([None, 4.5, 10, 100])


def test_agrees_with_the_plain_reading_on_random_counts() -> None:
    rng = random.Random(20261203)
    for _ in range(300):
        rules, cap = _random_rules(rng)
        c = contract(rules, cap)
        months = rng.randint(0, 14)
        met = np.array([rng.choice([0, 0, 1, 3, 40]) for _ in range(months * 8)], np.int64)
        br = np.array([rng.choice([0, 0, 1, 2, 9]) for _ in range(months * 8)], np.int64)
        met, br = met.reshape(months, 4, 2), br.reshape(months, 4, 2)
        got = monthly_credits(c, met, br)
        want = _plain_rule(c, met, br)
        assert got.per_rule.T.tolist() == [w[0] for w in want]
        assert got.percent.tolist() == [w[1] for w in want]


def test_outcome_counts() -> None:
    from workbench.engine.clock import BREACHED, EXCLUDED, MET, NOT_APPLICABLE, PENDING

    outcome = {"response": np.array([MET, BREACHED, PENDING, MET, EXCLUDED], np.int8),
               "resolution": np.array([BREACHED, BREACHED, NOT_APPLICABLE, MET, MET], np.int8)}
    first, met, br = outcome_counts(outcome, np.array([0, 0, 3, 1, -1], np.int8), np.array([5, 5, 5, 7, 7]))
    assert first == 5 and met.shape == br.shape == (3, 4, 2)
    assert met[0, P["P1"]].tolist() == [1, 0] and br[0, P["P1"]].tolist() == [1, 2]
    assert met[1].sum() == 0 and br[1].sum() == 0  # month 6: nothing opened
    assert met[2, P["P2"]].tolist() == [1, 1] and met[2].sum() == 2  # the unknown priority counts nowhere
    assert outcome_counts(outcome, np.zeros(0), np.zeros(0))[1].shape == (0, 4, 2)


# --------------------------------------------------------------------- the callers


def _history(seed: int = 7, n: int = 1500) -> History:
    rng = np.random.default_rng(seed)
    t0 = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    opened = t0 + np.sort(rng.integers(0, 400 * 86400, n))
    resp = opened + rng.integers(0, 6 * 3600, n)
    res = resp + rng.integers(0, 40 * 3600, n)
    res[rng.random(n) < 0.05] = MISSING
    table = TicketTable(np.array([f"T{i}" for i in range(n)], dtype=object),
                        rng.integers(0, 4, n).astype(np.int8), opened, resp, res, np.full(n, MISSING))
    return History(tickets=table)


CALLER_CONTRACTS = [
    ([{"metric": "resolution", "priority": "P1", "percent_of_fee": 0.7, "cap_percent": 6},
      {"metric": "response", "percent_of_fee": 2.5, "trigger": "compliance_below", "threshold": 0.8},
      {"metric": "resolution", "percent_of_fee": 0.1},
      {"metric": "uptime", "percent_of_fee": 5}], 12.5, 2345.67),
    ([{"metric": "response", "priority": "P2", "percent_of_fee": 1}], None, None),
    ([], None, 1000),
]


def _counts_of(c: Contract, h: History, as_of: int) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """The engine's per-month credits, and counts built independently of its monthly
    bincount: from its per-ticket outcomes and the UTC months of opening."""
    from workbench.engine.simulate import simulate

    sim = simulate(c, h.tickets, as_of=as_of)
    valid = sim.engine.valid
    month = h.tickets.opened.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    _first, met, br = outcome_counts({m: sim.metric(m).outcome[valid] for m in METRICS},
                                     h.tickets.priority[valid], month[valid])
    return sim.credits(), met, br


@pytest.mark.parametrize(("rules", "cap", "fee"), CALLER_CONTRACTS)
def test_callers_agree_with_the_rule(
    rules: list[dict[str, Any]], cap: float | None, fee: float | None
) -> None:
    from workbench.analytics.compare import compare
    from workbench.analytics.kpis import KpiContext, Period
    from workbench.reports.pdf.effects import credits_by_rule

    h = _history()
    c = contract(rules, cap, fee)
    as_of = int(h.tickets.opened.max()) + 86400
    engine_credits, met, br = _counts_of(c, h, as_of)
    want = monthly_credits(c, met, br)
    busy = np.flatnonzero(want.per_rule.any(axis=0) if len(want.rules) else [])
    if rules:
        assert len(busy) > 3, "the fixture should earn credits in several months"
    # the engine's per-month dict: every month with tickets, the rule's figures
    assert len(engine_credits) == want.percent.shape[0] == 14
    amounts = want.amounts()
    for j, (month, got) in enumerate(engine_credits.items()):
        assert got["rules"] == want.per_rule[:, j].tolist(), month
        assert got["percent"] == round(float(want.percent[j]), 6)
        assert got["amount"] == (None if amounts is None else amounts[j])
    # compare: totals and each priority on its own
    other = contract([], None, fee)
    v = compare([c, other], h.tickets, as_of=as_of, with_warnings=False).versions[0]
    assert (v.credits_percent, v.credits) == (want.total_percent(), want.total_amount())
    for p in PRIORITIES:
        assert v.credits_by_priority[p] == monthly_credits(c, met, br, (p,)).total_amount()
    # KPIs over the whole history: the same percentage; money from the summed percentage
    k = KpiContext(c, h, as_of=as_of).kpis(Period.of(int(h.tickets.opened.min()), as_of))
    assert k.credits_percent == want.total_percent()
    assert k.credits == (None if fee is None else round(float(want.percent.sum()) / 100 * fee, 2))
    if fee is not None:
        assert k.credits == pytest.approx(want.total_amount(), abs=0.01 * len(want.percent))
    # the redline's per-rule totals come from the engine's months
    by_rule = credits_by_rule(c, _Sim(engine_credits))
    assert by_rule["total"] == pytest.approx(float(want.percent.sum()))
    for i, r in enumerate(want.rules):
        key = f"{r.priority or 'all'} {r.metric}"
        same_key = [k2 for k2, r2 in enumerate(want.rules) if f"{r2.priority or 'all'} {r2.metric}" == key]
        assert by_rule[key] == pytest.approx(float(want.per_rule[same_key].sum())), i


class _Sim:
    def __init__(self, credits: dict[str, Any]) -> None:
        self._credits = credits

    def credits(self) -> dict[str, Any]:
        return self._credits


def test_not_measured_is_not_zero() -> None:
    from workbench.analytics.kpis import KpiContext, Period

    empty = History(tickets=TicketTable.from_tickets([]))
    c = contract([PER_BREACH_P1])
    k = KpiContext(c, empty, as_of=0).kpis(Period.of(0, 86400))
    assert k.credits is None and k.credits_percent is None  # no outcomes: not measured
    h = _history(n=50)
    as_of = int(h.tickets.opened.max())
    whole = Period.of(int(h.tickets.opened.min()), as_of)
    k0 = KpiContext(contract([]), h, as_of=as_of).kpis(whole)
    assert (k0.credits_percent, k0.credits) == (0.0, 0.0)  # measured, no credit terms
    kn = KpiContext(contract([], fee=None), h, as_of=as_of).kpis(whole)
    assert (kn.credits_percent, kn.credits) == (0.0, None)  # no fee: no amount
