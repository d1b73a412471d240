"""The redline's executive summary (issue 16, item 1) and each change's own effect
(item 2): the ranking by effect size, the page after the cover, the demo's 2025 →
2026-Q4 redline with no effect text on two rows and the effect of all the changes once."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from models import store
from models.contract import contract_from_data, load_contract
from models.history import History
from workbench.demo import generator as demo
from workbench.documents.diff import TermChange, diff_versions, load_version
from workbench.engine.simulate import simulate
from workbench.reports.pdf import RedlineOptions, build_redline
from workbench.reports.pdf.effects import ChangeEffect, apply_alone, measure_effects
from workbench.reports.pdf.summary import (
    MAX_ITEMS,
    build_summary,
    change_phrase,
    effect_size,
    rank_changes,
)
from workbench.warnings import Finding, catalogue

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
OLD, NEW = DEMO / "northwind-2025.yaml", DEMO / "northwind-2026-q4-proposal.yaml"
OPTS = RedlineOptions(as_of=date(2026, 12, 1), prepared_on=date(2026, 12, 1))


def tc(key: str) -> TermChange:
    return TermChange(key, key, "a", "b", "changed")


# ------------------------------------------------------------------ ranking


def test_effect_size_is_the_largest_of_points_money_and_recovery() -> None:
    assert effect_size(None) == 0.0
    assert effect_size(ChangeEffect("t", points=12.5, credits=3.0)) == 12.5
    assert effect_size(ChangeEffect("t", points=2.0, credits=18.2)) == 18.2  # a fee up 18.2 %
    assert effect_size(ChangeEffect("t", recovery=37.5)) == 37.5  # 3 of 8 restore tests turned


def test_ranking_by_size_administrative_left_out_at_most_seven() -> None:
    terms = [tc("version"), tc("status")] + [tc(f"k{i}") for i in range(10)]
    sizes = {"version": 99.0, "k0": 1.0, "k1": 0.0, "k2": 30.0, "k3": 5.0, "k4": 5.0, "k5": 12.0,
             "k6": 2.0, "k7": 40.0, "k8": 3.0, "k9": 0.5}
    effects = {k: ChangeEffect(k, points=v) for k, v in sizes.items()}
    ranked = [t.key for t in rank_changes(terms, effects)]
    # largest first; equal sizes (k3, k4) keep the agreement's order; never 'version'
    assert ranked == ["k7", "k2", "k5", "k3", "k4", "k8", "k6"]
    assert len(ranked) == MAX_ITEMS
    # only changes with an effect: k1 (0) is never ranked, even with room left
    assert [t.key for t in rank_changes(terms, effects, limit=20)][-1] == "k9"
    # no effect measured at all: the agreement's order, administrative ones left out
    assert [t.key for t in rank_changes(terms, {})] == [f"k{i}" for i in range(7)]


def test_warning_signs_by_name_and_the_registrys_advice() -> None:
    cat = catalogue()
    code = next(c for c in sorted(cat) if cat[c].ask)
    findings = [Finding(code, "low", "missing", "e", "s"), Finding(code, "high", "2.1", "e", "s")]
    o, n = load_version(OLD), load_version(NEW)
    es = build_summary(diff_versions(o, n), {}, [], findings, measured=False)
    assert es.warnings == (f"{cat[code].title} (high)",)  # its name and worst severity, not the code
    assert es.asks == ((cat[code].title, cat[code].ask),)
    assert es.administrative.startswith("Version 2025 → 2026-Q4 proposal; Status signed → proposal")


# -------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    path = demo.build_demo_workspace(tmp_path_factory.mktemp("ws") / "demo.slawb")
    with store.Workspace.open(path) as ws:
        return ws.load_history()


@pytest.fixture(scope="module")
def measured(history: History) -> Any:
    diff = diff_versions(load_version(OLD), load_version(NEW))
    as_of = int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())  # as the PDF's OPTS
    return measure_effects(diff, history.tickets, history.status_log, as_of, records=history)


def test_no_effect_text_repeats_on_two_rows(measured: Any) -> None:
    e = measured.effects
    texts = list(e.values())
    assert len(texts) == len(set(texts)), [t for t in texts if texts.count(t) > 1]
    assert e["targets.P1.response"] != e["targets.P1.response_calendar"]
    assert e["targets.P1.resolution"] != e["targets.P1.resolution_calendar"]
    # the fee row says the fee, not the credit rules' change
    total = "credits owed CAD 3,528.00 → CAD 142,920.00"
    assert total not in e["monthly_fee"] and e["monthly_fee"].startswith("+CAD 3,050.00 a month (+18.2%)")
    assert sum(total in t for t in texts) == 0
    assert sum(line.startswith(total) for line in measured.combined) == 1  # all together, once


def test_each_effect_is_that_change_alone(history: History, measured: Any) -> None:
    old, new = load_contract(OLD), load_contract(NEW)
    data = old.model_dump(mode="json")
    data["targets"]["P1"]["response"] = "1h"  # only the P1 response target, on the business clock
    as_of = int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())
    by_hand = simulate(contract_from_data(data), history.tickets, history.status_log, as_of)
    base = simulate(old, history.tickets, history.status_log, as_of)
    was = base.by_priority["P1"].response.compliance
    now = by_hand.by_priority["P1"].response.compliance
    assert was is not None and now is not None and now < was
    assert measured.effects["targets.P1.response"].startswith(
        f"P1 response compliance {100 * was:.0f}% → {100 * now:.0f}%")
    # all the changes together move P1 response further than the target alone
    together = measured.proposed["P1"]["response"].compliance
    assert together < now
    assert apply_alone(old, new, "targets.P1.response") == contract_from_data(data)
    assert apply_alone(old, new, "security.log_monitoring.frequency") is None  # not replayed


def _text(pdf: bytes, page: int | None = None) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    chosen = pages if page is None else [pages[page]]
    return " ".join(" ".join((p.extract_text() or "") for p in chosen).split())


def test_the_summary_is_the_page_after_the_cover(history: History, measured: Any) -> None:
    pdf = build_redline(OLD, NEW, OPTS, history=history)
    page = _text(pdf, 1)
    assert "Executive summary" not in _text(pdf, 0)  # the cover
    assert "Executive summary" in page and "The material changes" in page
    diff = diff_versions(load_version(OLD), load_version(NEW))
    ranked = rank_changes(diff.terms, measured.change_effects)
    sizes = [effect_size(measured.change_effects[t.key]) for t in ranked]
    assert len(ranked) == MAX_ITEMS and sizes == sorted(sizes, reverse=True)
    listed = page.split("The material changes")[1].split("All the changes together")[0]
    where = [listed.find(f"{k} {' '.join(change_phrase(t, diff).split())}") for k, t in enumerate(ranked, 1)]
    assert -1 not in where and where == sorted(where), where  # numbered 1..7 in the ranking's order
    assert "P2 resolution target next business day → same business day: 48% of the 1,969 P2 tickets " \
        "opened 2024-11..2026-11 would have met it, against 90%" in page
    assert "Monthly fee CAD 16,800.00 → CAD 19,850.00: +3,050 CAD a month (+18.2%)" in page
    assert "All the changes together" in page
    assert "credits owed CAD 3,528.00 → CAD 142,920.00 (+CAD 139,392.00)" in page
    assert "Administrative changes: Version 2025 → 2026-Q4 proposal; Status signed → proposal" in page
    assert "Warning signs left in the proposed version" in page and not re.search(r"\bW\d\d\b", page)
    assert "What to ask for" in page
    # section 1: the administrative changes in one line, not numbered rows
    body = _text(pdf)
    assert "1 Version: 2025" not in body
    assert "Administrative changes:" in body.split("1 Summary of changes")[1]
    assert build_redline(OLD, NEW, OPTS, history=history) == pdf


def test_without_a_history_the_summary_says_so() -> None:
    pdf = build_redline(OLD, NEW, OPTS, lint=lambda *a, **k: [])
    page = _text(pdf, 1)
    assert "Executive summary" in page
    assert "No ticket history was supplied, so the changes are stated without their effect" in page
    assert "would have met" not in page and "All the changes together" not in page
    assert "Warning signs left in the proposed version None." in page
