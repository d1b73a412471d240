"""The tickets behind a figure (workbench.analytics.drill), Qt-free: each KPI's and each
bar's set holds exactly the figure's own count, checked on the figure itself."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from models.contract import METRICS, PRIORITIES, load_contract
from models.history import History
from tests.test_ui_support import make_history
from workbench.analytics.drill import CURRENT, KPI_RULES, PREVIOUS, bar_tickets, figure_bars, kpi_tickets
from workbench.analytics.kpis import (
    BREACHED,
    MET,
    TEAM_GROUPS,
    KpiContext,
    Period,
    headline_rows,
)
from workbench.reports.analytics_charts import kpi_period_figure

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
TORONTO = ZoneInfo("America/Toronto")


def _epoch(y: int, m: int) -> int:
    return int(datetime(y, m, 1, tzinfo=TORONTO).timestamp())


@pytest.fixture(scope="module")
def setup() -> tuple[KpiContext, object, History]:
    contract = load_contract(DEMO / "northwind-2025.yaml")
    history = make_history(900)
    t = history.tickets
    cats = ("credential theft", "lateral movement", "password reset")  # two in the escalation matrix
    rng = np.random.default_rng(5)
    history = dataclasses.replace(
        history,
        tickets=dataclasses.replace(t, category=rng.integers(-1, 3, len(t)).astype(np.int32),
                                    category_names=cats),
    )
    ctx = KpiContext(contract, history)
    report = ctx.report(_epoch(2026, 4), _epoch(2026, 7), previous=(_epoch(2026, 1), _epoch(2026, 4)))
    return ctx, report, history


def test_each_bar_of_the_period_chart_holds_its_own_count(setup) -> None:
    ctx, report, history = setup
    fig = kpi_period_figure(report)
    bars = figure_bars(fig)
    charts = {b.chart for b in bars}
    assert charts == {"Response compliance", "Resolution compliance", "Tickets per team"}
    assert {b.series for b in bars} == {CURRENT, PREVIOUS}
    index = {str(x): i for i, x in enumerate(history.tickets.ids)}
    outcomes = ctx.outcomes
    assert outcomes is not None
    seen = 0
    for bar in bars:
        got = bar_tickets(ctx, report, bar)
        assert got is not None, bar
        k = report.current if bar.series == CURRENT else report.previous
        rows = np.array([index[i] for i in got.ids], dtype=np.int64)
        assert all(k.start <= history.tickets.opened[r] < k.end for r in rows)  # the bar's period
        if bar.chart == "Tickets per team":
            assert len(got) == bar.patch.get_width() == k.tickets_by_team[bar.key]
        else:
            metric = bar.chart.split()[0].lower()
            counts = k.compliance[bar.key][metric]
            assert len(got) == counts["met"] + counts["breached"]
            codes = outcomes.outcome[metric][rows]
            assert set(codes.tolist()) <= {MET, BREACHED}
            assert set(history.tickets.priority[rows].tolist()) == {PRIORITIES.index(bar.key)}
            height = bar.patch.get_height()  # the bar is met / (met + breached) of exactly these
            assert not math.isnan(height) and height == pytest.approx(np.mean(codes == MET), abs=1e-4)
        seen += 1
    assert seen == 2 * (4 + 4) + 2 * len([g for g in TEAM_GROUPS if report.current.tickets_by_team.get(g)
                                          or report.previous.tickets_by_team.get(g)])


def test_each_kpi_with_tickets_lists_the_tickets_its_figure_counts(setup) -> None:
    ctx, report, _history = setup
    period = Period(report.current.start, report.current.end)
    k = report.current
    rows = {r.label: r for r in headline_rows(report.current, report.previous)}
    expected = {
        "Tickets": k.tickets,
        "MTTR (wall clock)": k.resolved,
        "Resolution p90": k.resolved,
        "Client-caused waiting": k.client_wait_tickets,
        "Escalation routing": k.escalation_matched,
        **{f"{p} tickets": k.tickets_by_priority[p] for p in PRIORITIES},
        **{f"{g} tickets": k.tickets_by_team[g] for g in TEAM_GROUPS},
        **{f"{m.capitalize()} compliance": sum(v[m]["met"] + v[m]["breached"] for v in k.compliance.values())
           for m in METRICS},
    }
    assert k.escalation_matched > 0 and k.client_wait_tickets > 0  # the rules are exercised
    for label, count in expected.items():
        got = kpi_tickets(ctx, period, label)
        assert got is not None and len(got) == count, label
    # the compliance figure is met / (met + breached) of the listed tickets
    got = kpi_tickets(ctx, period, "Resolution compliance")
    assert got is not None
    idx = np.isin(ctx.tickets.ids, list(got.ids))
    assert ctx.outcomes is not None
    share = float(np.mean(ctx.outcomes.outcome["resolution"][idx] == MET))
    assert share == pytest.approx(rows["Resolution compliance"].current)
    # breaches count metrics, the list tickets: each breached metric is one of a listed ticket
    got = kpi_tickets(ctx, period, "Breaches")
    assert got is not None
    idx = np.isin(ctx.tickets.ids, list(got.ids))
    assert sum(int((ctx.outcomes.outcome[m][idx] == BREACHED).sum()) for m in METRICS) == k.breaches
    # a response p90 over the responded tickets, a business MTTR over the ones the engine measured
    responded = kpi_tickets(ctx, period, "Response p90")
    assert responded is not None and 0 < len(responded) <= k.tickets
    for label in ("Patch compliance", "Threats detected", "Restore tests passed", "Credits owed"):
        assert kpi_tickets(ctx, period, label) is None  # no tickets behind these
    assert set(rows) >= set(KPI_RULES) - {f"{g} tickets" for g in TEAM_GROUPS[3:]}
