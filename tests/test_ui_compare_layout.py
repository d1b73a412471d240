"""Compare on the demo's five versions at 1366x768 (offscreen): headers wrap instead of
being cut, more than four rows of compliance in view without scrolling sideways, every
version's column side by side, a legend for the colours, the warning signs as a matrix
of codes by versions, and a compliance or breaches cell opens the tickets behind it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from models.contract import load_contract
from ui.views.compare import DIFFERS_BG, SEVERITY_BG, WrapHeader
from workbench.app.compare_cells import BREACHES, tickets_behind, warning_matrix

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NAMES = ("northwind-2024", "northwind-2025", "northwind-2026-q4-proposal", "competitor-bluepeak",
         "competitor-harbourline")
CONTRACTS = tuple(load_contract(DEMO / f"{n}.yaml") for n in NAMES)

pytestmark = [
    pytest.mark.gui,
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window(CONTRACTS, tickets=600, view="compare"),
]


def _all_five(window, qtbot: QtBot):
    """The compare view with every version ticked, laid out at 1366x768."""
    window.resize(1366, 768)
    window.show()
    view = window.views["compare"]
    qtbot.waitUntil(lambda: view.comparison is not None and view.idle(), timeout=60_000)
    view.set_selected(window.state.versions)
    qtbot.waitUntil(lambda: view.idle() and view.comparison is not None
                    and len(view.comparison.versions) == 5, timeout=60_000)
    return view


def _settle(qtbot: QtBot, table: QTableView) -> None:
    qtbot.waitUntil(lambda: table.isVisible() and table.viewport().width() > 200, timeout=5000)
    qtbot.wait(50)  # the shared widths and row heights follow on the next turn of the loop


def _headers_whole(table: QTableView) -> None:
    """No title is cut: each word fits its section, the wrapped title fits the header."""
    header = table.horizontalHeader()
    assert isinstance(header, WrapHeader)
    fm = header.fontMetrics()
    for c in range(header.count()):
        title = header.title(c)
        widest = max(fm.horizontalAdvance(w) for w in title.split())
        assert widest <= header.sectionSize(c) - 4, (title, header.sectionSize(c))
        assert header.height() >= header.wrapped_height(c), title


def test_every_table_keeps_whole_headers_at_1366x768(window, qtbot: QtBot) -> None:
    view = _all_five(window, qtbot)
    for i, table in enumerate((view.score_table, view.terms_table, view.perf_table, view.matrix_table)):
        view.tabs.setCurrentIndex(i)
        _settle(qtbot, table)
        _headers_whole(table)
    # a version's label is longer than its column: the header is two lines high, not cut
    header = view.perf_table.horizontalHeader()
    assert header.height() >= 2 * header.fontMetrics().lineSpacing()


def test_compliance_shows_more_than_four_rows_without_sideways_scrolling(window, qtbot: QtBot) -> None:
    view = _all_five(window, qtbot)
    view.tabs.setCurrentIndex(2)
    table = view.perf_table
    _settle(qtbot, table)
    bottom = table.viewport().height()
    tops = [table.rowViewportPosition(r) for r in range(table.model().rowCount())]
    shown = [r for r, top in enumerate(tops) if top >= 0 and top + table.rowHeight(r) <= bottom]
    assert len(shown) > 4
    assert not table.horizontalScrollBar().isVisible()


def test_terms_side_by_side_shows_all_five_versions(window, qtbot: QtBot) -> None:
    view = _all_five(window, qtbot)
    view.tabs.setCurrentIndex(1)
    table = view.terms_table
    _settle(qtbot, table)
    header = table.horizontalHeader()
    assert header.count() == 1 + 5
    assert header.length() <= table.viewport().width()  # every column in view
    assert not table.horizontalScrollBar().isVisible()
    assert all(header.sectionSize(c) >= 90 for c in range(1, 6))
    # the legend says what the yellow rows mean, in the same colour
    legend = view.terms_legend.text()
    assert DIFFERS_BG.name() in legend and "differ" in legend
    model = view.terms_model
    assert model.marked and all(r not in model.spans for r in model.marked)


def test_warning_signs_as_a_matrix_of_codes_by_versions(window, qtbot: QtBot) -> None:
    view = _all_five(window, qtbot)
    cmp = view.comparison
    model = view.matrix_model
    codes = sorted({f["code"] for v in cmp.versions for f in v.warnings or []})
    assert [r[0].split()[0] for r in model.rows] == codes
    assert all(len(r[0].split()) > 1 for r in model.rows)  # each code with its name
    assert model.headers[1:] == cmp.labels()
    for r, code in enumerate(codes):
        for k, v in enumerate(cmp.versions):
            mine = [f for f in v.warnings or [] if f["code"] == code]
            text = model.data(model.index(r, k + 1))
            assert text == "—" if not mine else text.startswith(f"{len(mine)}")
            bg = model.data(model.index(r, k + 1), Qt.ItemDataRole.BackgroundRole)
            if mine:
                worst = next(s for s in ("high", "medium", "low") if any(f["severity"] == s for f in mine))
                assert bg.color() == SEVERITY_BG[worst]
            else:
                assert bg is None
    # a cell selected: its findings below, of that code and version only
    r, k = next((r, k) for r, row in enumerate(view.warning_rows) for k, c in enumerate(row.cells) if c.count)
    view.matrix_table.setCurrentIndex(model.index(r, k + 1))
    details = view.warn_model.rows
    assert len(details) == view.warning_rows[r].cells[k].count
    assert {d[0] for d in details} == {cmp.versions[k].proposal.label}


def test_warning_matrix_counts_and_worst_severity() -> None:
    rows = warning_matrix([
        [{"code": "W09", "severity": "medium", "evidence": "a"}, {"code": "W09", "severity": "high"},
         {"code": "W01", "severity": "low"}],
        None,
        [{"code": "W09", "severity": "medium"}],
    ])
    assert [r.code for r in rows] == ["W01", "W09"]
    w09 = rows[1]
    assert [c.count for c in w09.cells] == [2, 0, 1]
    assert [c.severity for c in w09.cells] == ["high", "", "medium"]
    assert [c.text() for c in w09.cells] == ["2: 1 high, 1 medium", "—", "1 medium"]
    assert rows[0].title.startswith("W01 ") and len(rows[0].title) > 4


def test_a_compliance_cell_opens_the_tickets_behind_it(window, qtbot: QtBot) -> None:
    view = _all_five(window, qtbot)
    cmp = view.comparison
    tickets = window.views["tickets"]
    row = view.perf_keys.index(("P2", "resolution"))
    k = 2
    v = cmp.versions[k]
    counts = v.by_priority["P2"]["resolution"]
    assert view.open_cell(view.perf_model.index(row, k + 2))
    qtbot.waitUntil(lambda: tickets.drill is not None, timeout=30_000)
    assert window.current_view == "tickets"
    assert len(tickets.drill) == counts["met"] + counts["breached"] > 0
    assert "P2" in tickets.chip_label.text() and v.proposal.label in tickets.chip_label.text()
    assert tickets.model.rowCount() == len(tickets.drill)
    # the breaches cell: the P2 tickets breaching a target under that version
    window.show_view("compare")
    row = view.perf_keys.index(("P2", BREACHES))
    before = tickets.drill
    assert view.open_cell(view.perf_model.index(row, k + 2))
    qtbot.waitUntil(lambda: tickets.drill is not before, timeout=30_000)
    n = int(view.perf_model.rows[row][k + 2].replace(",", ""))
    assert 0 < len(tickets.drill) <= n  # a ticket breaching both targets is one ticket, two breaches
    # a credits cell leads nowhere
    credits = next(r for r, key in enumerate(view.perf_keys) if key is None)
    assert not view.open_cell(view.perf_model.index(credits, k + 2))


def test_tickets_behind_a_cell_add_up_to_its_counts(window) -> None:
    from workbench.engine.simulate import Engine

    h = window.state.history
    sim = Engine(h.tickets, h.status_log).run(CONTRACTS[3])
    by_p = sim.to_json()["by_priority"]
    for p in by_p:
        breached_any: set[str] = set()
        for metric in ("response", "resolution"):
            ids = tickets_behind(sim, p, metric)
            c = by_p[p][metric]
            assert len(ids) == c["met"] + c["breached"]
            breached = {i for i, o in zip(h.tickets.ids, sim.metric(metric).outcome, strict=True) if o == 1}
            breached_any |= breached & set(ids)
        both = tickets_behind(sim, p, BREACHES)
        assert set(both) == breached_any
        assert sum(by_p[p][m]["breached"] for m in ("response", "resolution")) >= len(both)
    with pytest.raises(ValueError):
        tickets_behind(sim, "P1", "credits")
