"""Benchmark: export of a ~40-page redline with charts (target: <= 3 s).

Two synthetic contract versions with a few hundred clauses (one in three edited, some
added, removed and moved, numbers with units changed) and a full set of structured
term changes are diffed and laid out with charts (compliance per priority and the
sensitivity curves).  The simulation itself is the engine's and has its own benchmark;
here a fixed result object stands in for it so that only the export is timed.

Baseline, measured in the same run: a plain reportlab ``SimpleDocTemplate`` with the
same clause paragraphs, unstyled (no redline markup, tables, charts, outline or page
x of y).  Prints both times and the ratio.

    .venv/bin/python benchmarks/bench_pdf.py
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
        simulate=lambda c, *a: FixedResult(0.0 if c.version == "2025" else 0.15),
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


def main() -> int:
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
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
