"""Monthly KPI series (hand-computed on the KPI fixture) and the print charts."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from matplotlib.figure import Figure

from models.contract import contract_from_data
from models.history import History, KpiSnapshot, Ticket, TicketTable
from tests.test_kpis import AS_OF, H, contract, history
from workbench.analytics.kpis import KpiContext
from workbench.analytics.trends import SERIES, monthly_trend
from workbench.reports import analytics_charts as charts


@pytest.fixture(scope="module")
def trend():
    h = history()
    return monthly_trend(contract(), h, as_of=AS_OF)


def test_months_and_monthly_values(trend) -> None:
    # tickets open from 1 Sep to 25 Nov; as_of is 1 Dec 00:00, so December has not started
    assert trend.months == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert trend.named("tickets") == [1, 1, 5]
    # Sep: T7 resolved in 1 day; Oct: T6 in 2h; Nov: T1 3h, T2 10h, T3 5h
    assert trend.named("mttr_hours") == [24, 2, 6]
    assert trend.named("patch_compliance") == [0.7, 0.8, 0.9]
    assert trend.named("threat_resolution_rate") == [0.5, 1.0, 0.8]
    assert trend.named("client_wait_hours")[2] == 2 + 10 * 24
    assert trend.by_team()["SOC/MSSP"] == [0, 0, 2]
    # P1 response: Nov T1 met, T2 breached (1h target, 24x7)
    assert trend.compliance("P1", "response") == [None, None, 0.5]
    js = trend.to_json()
    assert js["months"] == ["2026-09", "2026-10", "2026-11"]
    assert js["series"]["tickets"] == [1, 1, 5]


def test_months_follow_the_contract_zone() -> None:
    # 2026-11-01 02:00 UTC is 31 October 22:00 in Toronto: an October ticket there
    t = Ticket(id="A", priority="P1", opened_at=datetime(2026, 11, 1, 2, tzinfo=UTC),
               first_response_at=datetime(2026, 11, 1, 3, tzinfo=UTC))
    u = Ticket(id="B", priority="P1", opened_at=datetime(2026, 11, 2, 12, tzinfo=UTC),
               first_response_at=datetime(2026, 11, 2, 12, 30, tzinfo=UTC))
    h = History(tickets=TicketTable.from_tickets([t, u]))
    toronto = contract_from_data({
        "name": "x", "version": "1",
        "calendars": {"b": {"timezone": "America/Toronto", "weekly": {"mon": ["08:00-17:00"]}}},
        "targets": {"P1": {"response": "1h", "calendar": "b"}},
    })
    tr = monthly_trend(toronto, h)
    assert tr.months == [date(2026, 10, 1), date(2026, 11, 1)]
    assert tr.named("tickets") == [1, 1]
    utc = monthly_trend(contract(), h)
    assert utc.months == [date(2026, 11, 1)] and utc.named("tickets") == [2]


def test_explicit_range_includes_empty_months() -> None:
    h = history()
    tr = monthly_trend(contract(), h, start=datetime(2026, 7, 1, tzinfo=UTC),
                       end=datetime(2027, 1, 1, tzinfo=UTC), as_of=AS_OF)
    assert len(tr.months) == 6
    assert tr.named("tickets") == [0, 0, 1, 1, 5, 0]
    assert tr.named("mttr_hours")[0] is None


def test_trend_reuses_a_context() -> None:
    h = history()
    ctx = KpiContext(contract(), h, as_of=AS_OF)
    tr = monthly_trend(contract(), h, context=ctx)
    counts = tr.named("tickets")
    assert all(n is not None for n in counts)
    assert sum(n for n in counts if n is not None) == len(h.tickets)
    assert tr.named("mttr_business_hours")[2] == (3 + 10 + 3) / 3  # T3's 2h pause is the client's


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_charts_render_with_titles_and_labels(trend) -> None:
    fig = charts.kpi_trend_figure(trend)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(charts.DEFAULT_TREND_SERIES)
    titles = {ax.get_title(loc="left") for ax in visible}
    assert {SERIES[n].title for n in charts.DEFAULT_TREND_SERIES} == titles
    drawn = [ax for ax in visible if ax.lines or ax.patches]
    assert all(ax.get_ylabel() for ax in drawn)
    assert _png(fig).startswith(b"\x89PNG")
    fig2 = charts.compliance_by_priority_figure(trend, "response", targets={"P1": 0.95})
    legend = fig2.axes[0].get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["P1", "P2", "P3", "P4"]
    assert _png(fig2).startswith(b"\x89PNG")
    fig3 = charts.tickets_by_team_figure(trend)
    legend = fig3.axes[0].get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert set(labels) == {"Helpdesk", "SOC/MSSP", "NOC", "Unassigned"}
    assert _png(fig3).startswith(b"\x89PNG")


def test_period_chart_and_empty_data() -> None:
    h = history()
    ctx = KpiContext(contract(), h, as_of=AS_OF)
    rep = ctx.report(datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    fig = charts.kpi_period_figure(rep)
    assert "2026-10-01 – 2026-11-30" in fig.get_suptitle()
    assert _png(fig).startswith(b"\x89PNG")
    empty = monthly_trend(contract(), History(tickets=TicketTable.from_tickets([]), kpis=(
        KpiSnapshot(month=date(2026, 11, 1)),)), start=datetime(2026, 11, 1, tzinfo=UTC),
        end=datetime(2026, 12, 1, tzinfo=UTC))
    fig = charts.kpi_trend_figure(empty)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "no data in this period" in texts
    assert _png(charts.tickets_by_team_figure(empty)).startswith(b"\x89PNG")


def test_month_ticks_thin_out() -> None:
    fig = Figure()
    ax = fig.subplots()
    months = [date(2024 + (m // 12), m % 12 + 1, 1) for m in range(10, 34)]  # Nov 2024 .. Oct 2026
    charts._month_axis(ax, months, max_ticks=5)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["Jan\n2025", "Jul", "Jan\n2026", "Jul"]
    assert H == 3600


def test_empty_history_gives_an_empty_trend() -> None:
    tr = monthly_trend(contract(), History())
    assert tr.months == [] and tr.kpis == []
    assert _png(charts.kpi_trend_figure(tr)).startswith(b"\x89PNG")
    assert _png(charts.compliance_by_priority_figure(tr)).startswith(b"\x89PNG")
