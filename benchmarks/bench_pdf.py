"""Benchmark: export of a ~40-page redline with charts (target: <= 3 s), and of the
quarter's review (QBR) at 1M tickets as a PDF (target: <= 3 s) and as a slide deck
(target: <= 5 s).

Two synthetic contract versions with a few hundred clauses (one in three edited, some
added, removed and moved, numbers with units changed) and a full set of structured
term changes are diffed and laid out with charts (compliance per priority and the
sensitivity curves).  The simulation itself is the engine's and has its own benchmark;
here a fixed result object stands in for it so that only the export is timed.

Baseline, measured in the same run: a plain reportlab ``SimpleDocTemplate`` with the
same clause paragraphs, unstyled (no redline markup, tables, charts, outline or page
x of y).  Prints both times and the ratio.

The quarter's review: the demo's history (its tickets, status log, backups, restore
tests, outages and KPI months) with its tickets repeated until there are 1M (each copy
one second after the last, so every quarter keeps its shape), reviewed for Q3 2026 under
the signed 2025 contract, end to end as File ▸ Export QBR report… and ``sla-workbench
report`` run it from a loaded history (``workbench.app.report.write_report``: the
figures, the warning signs, the charts, the layout, the file).  Baseline, measured in
the same run: one ``simulate()`` of the same contract over the same 1M tickets, the
single replay of the SLA clock no review can do without.  Prints each time and its ratio
to the baseline.

    .venv/bin/python benchmarks/bench_pdf.py [--qbr-tickets 1000000]
"""

from __future__ import annotations

import io
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from models.contract import contract_from_data
from workbench.documents.diff import diff_versions, version_from_contract
from workbench.reports.pdf import RedlineOptions
from workbench.reports.pdf.document import RenderInput, render_redline
from workbench.reports.pdf.effects import measure_effects
from workbench.reports.pdf.redline import _chart_pngs, _kpi_rows

TARGET_SECONDS = 3.0
QBR_PDF_SECONDS = 3.0
QBR_DECK_SECONDS = 5.0
WORDS = (  # noqa: SIM905
    "the provider shall respond to each incident within the agreed target and keep the client informed "
    "of progress through the service portal while the ticket remains open including weekends where the "
    "coverage calendar applies and holidays are excluded unless stated otherwise in this schedule"
).split()
UNITS = [
    "4 hours",
    "2 hours",
    "24x7",
    "8x5",
    "99.9%",
    "99.5%",
    "$2,400",
    "$1,200",
    "30 minutes",
    "2026-10-01",
]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words.insert(rng.randrange(len(words)), rng.choice(UNITS))
    return " ".join(words).capitalize() + "."


def _clauses(rng: random.Random, n: int) -> list[dict[str, str]]:
    return [
        {
            "number": f"{i // 10 + 1}.{i % 10 + 1}",
            "heading": f"Clause heading {i}",
            "text": " ".join(_sentence(rng, rng.randint(14, 30)) for _ in range(rng.randint(2, 4))),
        }
        for i in range(n)
    ]


def _edit(rng: random.Random, clauses: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for i, c in enumerate(clauses):
        r = rng.random()
        if r < 0.06:
            continue  # removed
        c = dict(c)
        if r < 0.40:
            words = c["text"].split(" ")
            for _ in range(rng.randint(1, 6)):
                k = rng.randrange(len(words))
                words[k] = rng.choice(WORDS + UNITS)
            c["text"] = " ".join(words)
        out.append(c)
        if rng.random() < 0.05:
            out.append({"number": f"new.{i}", "heading": f"Added clause {i}", "text": _sentence(rng, 25)})
    # move a few
    for _ in range(4):
        a = out.pop(rng.randrange(len(out)))
        out.insert(rng.randrange(len(out)), a)
    return out


def contracts() -> tuple[Any, Any]:
    rng = random.Random(7)
    cal = {
        "timezone": "America/Toronto",
        "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": {"country": "CA", "subdivision": "ON"},
    }
    old_clauses = _clauses(rng, 190)
    old = contract_from_data(
        {
            "name": "Northwind — Société Québécoise SLA",
            "version": "2025",
            "provider": "Northwind MSP",
            "client": "Société Québécoise",
            "monthly_fee": 12000,
            "calendars": {"business": cal},
            "targets": {
                "P1": {"response": "1h", "resolution": "8h", "calendar": "business"},
                "P2": {"response": "4h", "resolution": "next_business_day", "calendar": "business"},
                "P3": {"response": "next_business_day", "calendar": "business"},
            },
            "service_credits": [{"metric": "resolution", "priority": "P1", "percent_of_fee": 5}],
            "pause_statuses": [f"Waiting {i}" for i in range(10)],
            "clauses": old_clauses,
        }
    )
    new = contract_from_data(
        {
            "name": "Northwind — Société Québécoise SLA",
            "version": "2026",
            "provider": "Northwind MSP",
            "client": "Société Québécoise",
            "monthly_fee": 13500,
            "calendars": {"business": cal},
            "targets": {
                "P1": {"response": "1h", "resolution": "4h", "calendar": "24x7"},
                "P2": {"response": "2h", "resolution": "same_business_day", "calendar": "business"},
                "P3": {"response": "next_business_day", "calendar": "business"},
            },
            "pause_statuses": [f"Waiting {i}" for i in range(5, 25)],
            "compliance_mandates": ["CPPA", "Bill C-26"],
            "clauses": _edit(rng, old_clauses),
        }
    )
    return old, new


class FixedResult:
    """A stand-in for the engine's SimulationResult (only the export is timed here)."""

    def __init__(self, shift: float) -> None:
        self.shift = shift

    def to_json(self, per_ticket: bool = False) -> dict[str, Any]:
        bp = {}
        for k, p in enumerate(("P1", "P2", "P3", "P4")):
            c = min(0.99, 0.7 + 0.05 * k + self.shift)
            bp[p] = {
                "tickets": 1000,
                **{
                    m: {"met": int(1000 * c), "breached": 1000 - int(1000 * c), "pending": 0, "compliance": c}
                    for m in ("response", "resolution")
                },
            }
        return {"by_priority": bp}

    def credits(self) -> dict[str, dict[str, Any]]:
        return {
            f"2026-{m:02d}": {"percent": 10.0 - 10 * self.shift, "rules": [10.0 - 10 * self.shift]}
            for m in range(1, 10)
        }

    def compliance_curve(self, p: str, m: str, budgets: Any) -> tuple[Any, Any]:
        b = np.asarray(budgets, dtype=float)
        return budgets, 1 - np.exp(-b / (3600 * (2 + len(p)) * (1 - self.shift)))


def _shift(old: Any, c: Any) -> float:
    """The stand-in's compliance shift for a contract: 0 for the old terms, 0.15 for the new
    ones, and in between for the old terms with one change applied (the redline replays each
    change alone), so every row carries an effect as it would with the engine."""
    if c.version != "2025":
        return 0.15
    moved = sum(c.targets.get(p) != t for p, t in old.targets.items())
    moved += len(set(c.pause_statuses) ^ set(old.pause_statuses))
    moved += int(c.service_credits != old.service_credits) + int(c.monthly_fee != old.monthly_fee)
    return min(0.15, 0.01 * moved)


def redline_export() -> tuple[bytes, float]:
    old, new = contracts()
    t0 = time.perf_counter()
    diff = diff_versions(version_from_contract(old), version_from_contract(new))
    from models.history import TicketTable

    m = measure_effects(
        diff,
        TicketTable.empty(),
        None,
        0,
        simulate=lambda c, *a: FixedResult(_shift(old, c)),
    )
    inp = RenderInput(
        diff=diff,
        options=RedlineOptions(as_of=date(2026, 11, 1), prepared_on=date(2026, 11, 2), prepared_by="Bench"),
        effects=m.effects,
        effect_note="benchmark",
        findings=[],
        charts=_chart_pngs(m, new),
        chart_note="benchmark",
        kpi_rows=_kpi_rows(m),
        kpi_note="benchmark",
    )
    data = render_redline(inp)
    return data, time.perf_counter() - t0


def baseline_export() -> tuple[bytes, float]:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    old, new = contracts()
    t0 = time.perf_counter()
    st = getSampleStyleSheet()["Normal"]
    story = []
    for c in list(old.clauses) + list(new.clauses):
        story.append(Paragraph(escape(f"{c.number} {c.heading}"), st))
        story.append(Paragraph(escape(c.text), st))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, invariant=1).build(story)
    return buf.getvalue(), time.perf_counter() - t0


def _pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def qbr_history(n: int, folder: Path) -> tuple[Any, Any]:
    """The demo's history with its tickets repeated until there are at least ``n`` (copy k
    shifted k seconds), and the demo's signed 2025 contract."""
    from models.history import MISSING, History, StatusLog, TicketTable
    from models.store import Workspace
    from workbench.demo.generator import build_demo_workspace

    path = folder / "demo.slawb"
    build_demo_workspace(path)
    ws = Workspace.open(str(path))
    try:
        h = ws.load_history()
        contract = next(c for _vid, c in ws.contract_versions() if c.version == "2025")
    finally:
        ws.close()
    t, log = h.tickets, h.status_log
    k = -(-n // len(t))
    step = np.repeat(np.arange(k, dtype=np.int64), len(t))

    def rep(a: Any) -> Any:
        return np.concatenate([a] * k)

    def shift(a: Any) -> Any:
        a = rep(a)
        return np.where(a != MISSING, a + step, a)

    ids = np.concatenate([np.char.add(f"x{j}-", t.ids.astype(str)).astype(object) for j in range(k)])
    tickets = TicketTable(
        ids, rep(t.priority), shift(t.opened), shift(t.first_response), shift(t.resolved), shift(t.closed),
        category=rep(t.category), category_names=t.category_names, team=rep(t.team),
        team_names=t.team_names, provider_sla_met=rep(t.provider_sla_met),
    )
    lstep = np.repeat(np.arange(k, dtype=np.int64), len(log))
    status = StatusLog(
        rep(log.ticket) + lstep * len(t), rep(log.at) + lstep, rep(log.status), log.status_names
    )
    big = History(tickets, status, h.backups, h.restore_tests, h.outages, h.kpis)
    return big, contract


def qbr_bench(n: int) -> bool:
    import tempfile

    from workbench.app.quarters import Quarter
    from workbench.app.report import write_report
    from workbench.engine.simulate import simulate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        history, contract = qbr_history(n, folder)
        quarter = Quarter.parse("2026Q3")
        print(f"QBR: {len(history.tickets):,} tickets, {len(history.status_log):,} status rows; Q3 2026, "
              f"contract {contract.version}")

        def export(form: str) -> tuple[float, float]:
            c0, t0 = time.process_time(), time.perf_counter()
            write_report(folder / f"qbr{form}", history, contract, quarter)
            return time.perf_counter() - t0, time.process_time() - c0

        def baseline() -> tuple[float, float]:
            c0, t0 = time.process_time(), time.perf_counter()
            simulate(contract, history.tickets, history.status_log)
            return time.perf_counter() - t0, time.process_time() - c0

        export(".pdf")  # warm-up: imports, fonts, the calendars' compile cache
        export(".pptx")
        pdf = min(export(".pdf") for _ in range(2))
        deck = min(export(".pptx") for _ in range(2))
        base = min(baseline() for _ in range(2))
        pages = _pages((folder / "qbr.pdf").read_bytes())
    import os

    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"baseline, one simulate() on the same tickets: {base[0]:.2f} s wall, {base[1]:.2f} s CPU")
    for name, (wall, cpu), target in ((f"QBR PDF ({pages} pages)", pdf, QBR_PDF_SECONDS),
                                      ("QBR deck", deck, QBR_DECK_SECONDS)):
        print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU (target <= {target:.0f} s) "
              f"= {wall / base[0]:.2f}x the baseline")
    return pdf[0] <= QBR_PDF_SECONDS and deck[0] <= QBR_DECK_SECONDS


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--qbr-tickets", type=int, default=1_000_000)
    args = ap.parse_args()
    redline_export()  # warm-up: font loading, imports
    baseline_export()
    runs = [redline_export() for _ in range(3)]
    base = [baseline_export() for _ in range(3)]
    t = min(r[1] for r in runs)
    tb = min(b[1] for b in base)
    pages, bpages = _pages(runs[0][0]), _pages(base[0][0])
    print(f"redline export: {pages} pages with charts in {t:.2f} s (target <= {TARGET_SECONDS:.1f} s)")
    print(
        f"baseline (plain SimpleDocTemplate, same clause paragraphs unstyled): {bpages} pages in {tb:.2f} s"
    )
    per, bper = 1000 * t / pages, 1000 * tb / bpages
    print(f"ratio redline / baseline: {t / tb:.2f}x; per page {per:.0f} ms vs {bper:.0f} ms")
    ok = t <= TARGET_SECONDS and pages >= 40
    print("redline:", "PASS" if ok else "FAIL")
    qbr_ok = qbr_bench(args.qbr_tickets)
    print("QBR:", "PASS" if qbr_ok else "FAIL")
    ok = ok and qbr_ok
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
