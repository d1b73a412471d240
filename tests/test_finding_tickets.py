"""History warnings carry the tickets behind them (a drill-down opens exactly those),
and the ticket filter selects an exact set."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from models.contract import PRIORITIES, load_contract
from tests.test_ui_support import make_history
from workbench.engine import ticketquery
from workbench.engine.clock import BREACHED
from workbench.engine.simulate import simulate
from workbench.warnings import lint

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NORTHWIND = load_contract(DEMO / "northwind-2025.yaml")


def test_missed_commitments_name_their_breached_tickets() -> None:
    h = make_history(600)
    findings = [f for f in lint(NORTHWIND, h, codes=["W09"]) if f.code == "W09"]
    assert findings
    result = simulate(NORTHWIND, h.tickets, h.status_log)
    for f in findings:
        m = re.search(r"(P[1-4]) (response|resolution)", f.evidence)
        assert m, f.evidence
        p, metric = m.groups()
        mask = (result.metric(metric).outcome == BREACHED) & (h.tickets.priority == PRIORITIES.index(p))
        assert set(f.tickets) == {str(i) for i in h.tickets.ids[mask]}
        n = re.search(r"(\d+) breached|(\d+) \S+ \S+ breaches", f.evidence)
        assert n and len(f.tickets) == int(next(g for g in n.groups() if g))
        assert "tickets" not in f.to_dict()  # the lint JSON is unchanged


def test_coverage_mismatch_names_the_tickets_opened_outside() -> None:
    h = make_history(600)
    findings = [f for f in lint(NORTHWIND, h, codes=["W08"]) if f.code == "W08"]
    assert findings
    for f in findings:
        outside = int(f.evidence.split(" of ")[0])
        assert len(f.tickets) == outside


def test_the_filter_selects_an_exact_set() -> None:
    h = make_history(50)
    ids = frozenset(str(i) for i in h.tickets.ids[[3, 7, 11]])
    rows = ticketquery.select(h.tickets, ticketquery.TicketFilter(ids=ids))
    assert {str(h.tickets.ids[i]) for i in rows} == ids
    assert len(ticketquery.select(h.tickets, ticketquery.TicketFilter(ids=frozenset()))) == 0
    assert np.array_equal(ticketquery.select(h.tickets, ticketquery.TicketFilter()), np.arange(50))
