"""Honest framing in the redline: the history was produced under the current terms
(the PDF says so beside every replayed figure), and each simulated effect names the
tickets it is measured on, how many and opened when."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from models.history import History, Ticket, TicketTable
from workbench.documents.diff import diff_versions, load_version
from workbench.reports.pdf import RedlineOptions, build_redline
from workbench.reports.pdf.effects import measure_effects
from workbench.reports.pdf.redline import HISTORY_CAVEAT

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
AS_OF = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp())


def tickets() -> TicketTable:
    """Three P1 and two P2 tickets opened in February and March 2026."""
    out = []
    for k, (prio, day) in enumerate([("P1", 2), ("P1", 9), ("P1", 16), ("P2", 3), ("P2", 10)]):
        month = 2 if k % 2 else 3
        opened = datetime(2026, month, day, 14, tzinfo=UTC)
        out.append(
            Ticket(
                id=f"T{k}",
                priority=prio,
                opened_at=opened,
                first_response_at=opened + timedelta(minutes=50),
                resolved_at=opened + timedelta(hours=5 + k),
            )
        )
    return TicketTable.from_tickets(out)


def test_every_effect_names_its_tickets_and_period() -> None:
    diff = diff_versions(
        load_version(DEMO / "northwind-2025.yaml"), load_version(DEMO / "northwind-2026-q4-proposal.yaml")
    )
    m = measure_effects(diff, tickets(), None, AS_OF)
    assert m.period == "2026-02..2026-03" and m.tickets_by_priority["P1"] == 3
    assert m.effects, "the demo's changes have effects on the history"
    tail = re.compile(r" on the [\d,]+ (P[1-4] )?tickets? opened 2026-02\.\.2026-03$")
    for key, text in m.effects.items():
        assert tail.search(text), (key, text)
    assert m.effects["targets.P1.resolution"].endswith(" on the 3 P1 tickets opened 2026-02..2026-03")
    assert m.effects["targets.P2.response"].endswith(" on the 2 P2 tickets opened 2026-02..2026-03")
    assert m.effects["monthly_fee"].endswith(" on the 5 tickets opened 2026-02..2026-03")


def test_the_pdf_says_the_history_was_produced_under_the_current_terms() -> None:
    import io

    from pypdf import PdfReader

    opts = RedlineOptions(as_of=date(2026, 4, 1), prepared_on=date(2026, 4, 1))
    data = build_redline(
        DEMO / "northwind-2025.yaml",
        DEMO / "northwind-2026-q4-proposal.yaml",
        opts,
        history=History(tickets=tickets()),
        lint=lambda *a, **k: [],
    )
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert " ".join(HISTORY_CAVEAT.split()) in text
    assert "on the 5 tickets opened 2026-02..2026-03: current terms (grey)" in text


def test_without_history_there_is_no_caveat_to_make() -> None:
    import io

    from pypdf import PdfReader

    opts = RedlineOptions(as_of=date(2026, 4, 1), prepared_on=date(2026, 4, 1))
    data = build_redline(
        DEMO / "northwind-2025.yaml", DEMO / "northwind-2026-q4-proposal.yaml", opts, lint=lambda *a, **k: []
    )
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "produced under the current terms" not in text
    assert "the effect of the changes was not measured" in text
