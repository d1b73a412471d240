"""Compare view: versions ticked, weights moved, scores/terms/compliance/credits and charts."""

from __future__ import annotations

import pytest

from models.contract import contract_from_data
from tests.test_ui_support import make_contract, make_history, view_of
from ui.main_window import MainWindow
from ui.state import Version
from ui.views.compare import CompareView, GridModel


def _cheap(version: str) -> Version:
    data = make_contract(version, status="proposal", p1_resolution="2h").to_data()
    data.update(provider="Harbourline IT", monthly_fee=9000)
    return Version(3, contract_from_data(data))


pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window(
        [
            make_contract("2025 signed"),
            make_contract("2026 proposal", status="proposal", p1_resolution="1h"),
            _cheap("2026 Harbourline").contract,
        ],
        tickets=400,
        view="compare",
    ),
]


def _ready(qtbot, view) -> None:
    qtbot.waitUntil(lambda: view.comparison is not None and view.idle(), timeout=30_000)


def test_compare_three_versions_and_reweight(qtbot, qtmodeltester, window) -> None:
    view = window.views["compare"]
    assert view.stack.currentIndex() == 1
    _ready(qtbot, view)
    cmp = view.comparison
    assert len(cmp.versions) == 3 and view.score_model.rowCount() == 3
    scores = [float(view.score_model.data(view.score_model.index(r, 1))) for r in range(3)]
    assert scores == sorted(scores, reverse=True)  # ranked, best first
    # the P1 resolution term differs and is marked
    terms = view.terms_model
    rows = [i for i, r in enumerate(terms.rows) if "P1" in r[0] and "resol" in r[0].lower()]
    assert rows and any(i in terms.marked for i in rows)
    # compliance per priority differs where the P1 resolution target differs
    perf = view.perf_model
    p1 = next(r for r in perf.rows if r[0] == "P1" and r[1] == "resolution compliance")
    assert p1[2] != p1[3]
    assert any(r[1] == "credits" for r in perf.rows) and perf.rows[-1][0] == "All"
    assert view.score_canvas.figure.axes and view.compliance_canvas.figure.axes
    for m in (view.score_model, view.terms_model, view.perf_model, view.warn_model, GridModel()):
        qtmodeltester.check(m)

    # weights only re-score: all on cost -> the cheapest proposal wins, no new replay
    before = view.comparison
    for c, spin in view.spins.items():
        spin.setValue(100 if c == "cost" else 0)
    assert view.comparison is before and view.task is None
    best = view.comparison.ranking()[0]
    assert best.proposal.contract.provider == "Harbourline IT" and best.score == 100.0
    assert view.score_model.data(view.score_model.index(0, 0)) == best.proposal.label
    assert view.sliders["cost"].value() == 100
    view.reset_weights()
    assert view.spins["compliance"].value() == 30


def test_unticking_to_one_version_clears_the_results(qtbot, window) -> None:
    view = window.views["compare"]
    _ready(qtbot, view)
    view.set_selected(window.state.versions[:1])
    qtbot.waitUntil(lambda: view.comparison is None and view.idle(), timeout=5_000)
    assert view.score_model.rowCount() == 0 and "two or more" in view.status.text()
    view.set_selected(window.state.versions[:2])
    _ready(qtbot, view)
    assert len(view.comparison.versions) == 2


def test_compare_without_history_says_what_to_do(qtbot) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    try:
        w.state.load(None, [Version(1, make_contract()), Version(2, make_contract("b"))], make_history(0))
        view = view_of(w, "compare", CompareView)
        assert view.stack.currentIndex() == 0 and "Import" in view.empty.text.text()
    finally:
        w.db.shutdown()


def test_columns_and_rows_fit_their_texts_without_qt_measuring_every_cell(qtbot, window, monkeypatch) -> None:
    """Widths and heights come from font metrics of the texts (the Qt resize-to-contents
    calls ask the model for every role of every cell on the GUI thread)."""
    from PySide6.QtWidgets import QTableView


    def refuse(*_a):
        raise AssertionError("sized by Qt measuring every cell")

    monkeypatch.setattr(QTableView, "resizeColumnsToContents", refuse)
    monkeypatch.setattr(QTableView, "resizeRowsToContents", refuse)
    view = window.views["compare"]
    _ready(qtbot, view)
    table, model = view.warn_table, view.warn_model  # its columns are sized from their texts
    header, fm = table.horizontalHeader(), table.fontMetrics()
    widths = [header.sectionSize(c) for c in range(len(model.headers))]
    for c, title in enumerate(model.headers[:-1]):  # the last one takes the rest
        words = max(fm.horizontalAdvance(w) for w in title.split())  # a title wraps at its words
        need = max([words] + [fm.horizontalAdvance(r[c]) for r in model.rows])
        assert min(need, 150 - 24) <= widths[c] <= 150  # at most the table's own cap
    # the terms' version columns share the table's width; a row is as tall as its most wrapped cell
    table, model = view.terms_table, view.terms_model
    widths = [table.horizontalHeader().sectionSize(c) for c in range(len(model.headers))]
    one_line = min(table.rowHeight(r) for r in range(len(model.rows)))
    wrapped = [r for r, row in enumerate(model.rows) if r not in model.spans
               and any(fm.horizontalAdvance(t) > widths[c] + 30 for c, t in enumerate(row))]
    assert wrapped and all(table.rowHeight(r) > one_line for r in wrapped)
