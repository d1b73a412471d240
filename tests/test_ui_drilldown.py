"""Drill-down: a warning about tickets opens the Tickets view on exactly those tickets,
with every other filter cleared and a chip that names the set and removes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NORTHWIND = load_contract(DEMO / "northwind-2025.yaml")

pytestmark = [pytest.mark.gui, pytest.mark.window((NORTHWIND,), tickets=600, view="warnings")]


def test_a_warning_opens_exactly_its_tickets_and_the_chip_takes_them_back(window, qtbot: QtBot) -> None:
    view = window.views["warnings"]
    qtbot.waitUntil(lambda: any(f.tickets for f in view.model.items), timeout=30_000)
    row = next(i for i, f in enumerate(view.model.items) if f.tickets and f.code == "W09")
    finding = view.model.items[row]
    tickets = window.views["tickets"]
    tickets.priority_buttons["P4"].setChecked(True)  # an earlier filter, to be cleared
    tickets.search.setText("NW-")
    view._activated(view.model.index(row, 0))
    assert window.stack.currentWidget() is tickets
    model = tickets.model
    shown = {model.tickets.ids[model.ticket_index(r)] for r in range(model.rowCount())}
    assert shown == set(finding.tickets)
    assert not any(b.isChecked() for b in tickets.priority_buttons.values()) and tickets.search.text() == ""
    assert tickets.chip.isVisibleTo(tickets)
    assert f"{len(finding.tickets):,} tickets" in tickets.chip_label.text()
    assert "W09" in tickets.chip_label.text()
    assert tickets.back.text() == "← Back to Warnings"
    tickets.back.click()
    assert window.stack.currentWidget() is view
    tickets.chip_clear.click()
    assert not tickets.chip.isVisibleTo(tickets)
    assert tickets.model.rowCount() == len(window.state.history.tickets)


def _shown(tickets) -> set[str]:
    model = tickets.model
    return {model.tickets.ids[model.ticket_index(r)] for r in range(model.rowCount())}


def _overview_ready(window, qtbot: QtBot):
    window.resize(1366, 768)
    window.show()
    view = window.views["overview"]
    qtbot.waitUntil(lambda: view.report is not None and view.kpi_context is not None, timeout=30_000)
    canvas = view.canvas
    qtbot.waitUntil(lambda: not canvas.rendering and canvas.renders > 0 and bool(canvas.figure.axes),
                    timeout=30_000)
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not canvas.rendering, timeout=30_000)
    return view


@pytest.mark.window((NORTHWIND,), tickets=600, view="overview")
def test_a_kpi_card_opens_exactly_the_tickets_it_counts_and_back(window, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    view = _overview_ready(window, qtbot)
    tickets = window.views["tickets"]
    tickets.priority_buttons["P2"].setChecked(True)  # an earlier filter, to be cleared
    card = next(c for c, row in view.card_rows.items() if row.label == "Resolution compliance")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is tickets
    k = view.report.current
    counted = sum(v["resolution"]["met"] + v["resolution"]["breached"] for v in k.compliance.values())
    shown = _shown(tickets)
    assert len(shown) == counted > 0
    table = tickets.model.tickets
    opened = {str(x): int(t) for x, t in zip(table.ids, table.opened, strict=True)}
    assert all(k.start <= opened[i] < k.end for i in shown)  # all of the quarter's
    assert not any(b.isChecked() for b in tickets.priority_buttons.values())
    chip = tickets.chip_label.text()
    assert chip.startswith(f"{counted:,} tickets: Resolution compliance, {view.quarter.label}")
    assert tickets.back.isVisibleTo(tickets) and tickets.back.text() == "← Back to Overview"
    tickets.back.click()
    assert window.stack.currentWidget() is view
    # a figure with no tickets behind it does not drill
    if any(row.label == "Patch compliance" for row in view.card_rows.values()):
        patch = next(c for c, row in view.card_rows.items() if row.label == "Patch compliance")
        assert view.open_card(patch) is False
    tickets.chip_clear.click()
    assert tickets.model.rowCount() == len(window.state.history.tickets)


@pytest.mark.window((NORTHWIND,), tickets=600, view="overview")
def test_a_click_on_a_chart_bar_opens_the_tickets_behind_it(window, qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, Qt

    from workbench.analytics.drill import CURRENT, PREVIOUS, figure_bars

    view = _overview_ready(window, qtbot)
    canvas, tickets = view.canvas, window.views["tickets"]
    bars = figure_bars(canvas.figure)
    ratio = canvas.device_pixel_ratio or 1.0

    def click(bar) -> None:  # the bar's centre, from matplotlib's display pixels to the widget's
        box = bar.patch.get_window_extent()
        x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        pos = QPoint(int(x / ratio), int((canvas.figure.bbox.height - y) / ratio))
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pos)

    team = next(b for b in bars if b.chart == "Tickets per team" and b.series == CURRENT)
    click(team)
    assert window.stack.currentWidget() is tickets
    count = view.report.current.tickets_by_team[team.key]
    assert len(_shown(tickets)) == int(team.patch.get_width()) == count
    assert f"{view.quarter.label} — tickets opened for {team.key}" in tickets.chip_label.text()
    tickets.back.click()
    assert window.stack.currentWidget() is view

    p1 = next(b for b in bars if b.chart == "Response compliance" and b.series == PREVIOUS and b.key == "P1")
    click(p1)
    counts = view.report.previous.compliance["P1"]["response"]
    assert len(_shown(tickets)) == counts["met"] + counts["breached"]
    assert f"{view.quarter.previous().label} — P1 tickets whose response" in tickets.chip_label.text()
    assert window.stack.currentWidget() is tickets
    # a click beside the bars opens nothing
    window.show_view("overview")
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert window.stack.currentWidget() is view


def _team_labels(fig) -> list[tuple[float, float]]:
    """The team chart's count labels as drawn: (left, right) in pixels, in order."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ax = next(a for a in fig.axes if a.get_title(loc="left") == "Tickets per team")
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering()
    lo, hi = ax.get_xlim()
    shown = [lab for t, lab in zip(ax.get_xticks(), ax.xaxis.get_ticklabels(), strict=True)
             if lo <= t <= hi and lab.get_text()]
    return sorted((b.x0, b.x1) for b in (lab.get_window_extent(renderer) for lab in shown))


@pytest.mark.window((NORTHWIND,), tickets=600, view="overview")
def test_the_team_axis_labels_never_run_together(window, qtbot: QtBot) -> None:
    """The team chart at the size the Overview gives it, with a client's thousands of tickets
    a quarter (1,900 for the Helpdesk as on the demo): its count labels keep apart."""
    import dataclasses

    from ui.views.overview import _legend_below, _team_axis_fits
    from workbench.reports.analytics_charts import kpi_period_figure

    view = _overview_ready(window, qtbot)
    report = view.report
    scale = 1900 / max(report.current.tickets_by_team.values())

    def scaled(k):
        teams = {t: round(n * scale) for t, n in k.tickets_by_team.items()}
        return dataclasses.replace(k, tickets_by_team=teams)

    big = dataclasses.replace(report, current=scaled(report.current), previous=scaled(report.previous))
    for width, height in ((1280, 720), (1366, 768), (1920, 1080)):
        window.resize(width, height)
        qtbot.wait(50)
        fig = kpi_period_figure(big)
        _legend_below(fig)
        _team_axis_fits(fig)
        fig.set_size_inches(view.canvas.width() / fig.dpi, view.canvas.height() / fig.dpi)
        spans = _team_labels(fig)
        assert len(spans) >= 2, f"{width}x{height}: {spans}"
        gap = 0.5 * 8 * fig.dpi / 72  # half a character at least between two labels
        for (_a0, a1), (b0, _b1) in zip(spans, spans[1:], strict=False):
            assert b0 - a1 >= gap, f"{width}x{height}: labels run together {spans}"


@pytest.mark.window((NORTHWIND,), tickets=600, view="overview")
def test_each_warning_sign_shows_its_name_and_whole_evidence_wrapped(window, qtbot: QtBot) -> None:
    import html

    from PySide6.QtCore import QRect, Qt

    from workbench.app.words import code_title, finding_heading

    view = _overview_ready(window, qtbot)
    lst = view.warnings
    assert lst.count() == len(view.shown_findings) > 0 and lst.wordWrap()
    wrapped = 0
    for row, f in enumerate(view.shown_findings):
        item = lst.item(row)
        heading = finding_heading(f)
        assert code_title(f.code) in heading and code_title(f.code) != f.code  # the name, not the code alone
        assert item.text().startswith(f"{heading}: ")
        shown = item.text().removeprefix(f"{heading}: ")
        assert shown.split() == f.evidence.split()  # the whole evidence, word for word, not cut at a length
        assert html.escape(f.evidence) in item.toolTip()  # the whole evidence
        rect = lst.visualItemRect(item)
        needed = lst.fontMetrics().boundingRect(
            QRect(0, 0, lst.viewport().width() - 8, 10_000), Qt.TextFlag.TextWordWrap, item.text()
        )
        assert rect.height() >= needed.height(), f"{item.text()!r} is cut"  # every wrapped line shown
        assert rect.right() <= lst.viewport().width()  # nothing past the right edge
        wrapped += needed.height() > lst.fontMetrics().height()
    assert wrapped > 0  # at 1366x768 long warnings take more than one line
