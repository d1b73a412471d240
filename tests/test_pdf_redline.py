"""The redline PDF, read back with pdfplumber: strike/underline and colours of every
changed word, the change summary, escaping, Unicode, page numbers, outline,
reproducibility, effects from the engine, atomic writing."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from models.contract import Contract, contract_from_data
from models.history import History, Ticket, TicketTable
from workbench.app.redline import ADMINISTRATIVE
from workbench.documents.diff import (
    ContractDiff,
    diff_versions,
    load_version,
    tokenize,
    version_from_contract,
    word_diff,
)
from workbench.progress import Cancelled
from workbench.reports.pdf import RedlineOptions, build_redline, write_redline

RED = (0.752941, 0.0, 0.0)
BLUE = (0.121569, 0.309804, 0.815686)

BUSINESS = {
    "timezone": "America/Toronto",
    "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": {"country": "CA", "subdivision": "ON"},
}
BASE: dict[str, Any] = {
    "name": "Northwind MSP — Managed Services SLA",
    "provider": "Northwind MSP",
    "client": "Société Québécoise de Gestion",
    "monthly_fee": 12000,
    "calendars": {"business": BUSINESS},
}
OLD = dict(
    BASE,
    version="2025",
    status="signed",
    scope={"helpdesk_hours": "8x5", "helpdesk_calendar": "business"},
    targets={
        "P1": {"response": "1h", "resolution": "8h", "calendar": "business"},
        "P2": {"response": "4h", "resolution": "next_business_day", "calendar": "business"},
    },
    backup={"systems": [{"name": "ERP", "rpo": "24h", "rto": "8h"}], "restore_test_cadence": "annual"},
    service_credits=[{"metric": "resolution", "priority": "P1", "percent_of_fee": 5, "cap_percent": 20}],
    compliance_mandates=["CPPA"],
    clauses=[
        {"number": "1", "heading": "Scope", "text": "Helpdesk support is provided 8x5, Monday to Friday."},
        {
            "number": "2",
            "heading": "Response times",
            "text": "Critical (P1) incidents are resolved within 8 hours of business time and answered "
            "within 1 hour.",
        },
        {
            "number": "3",
            "heading": "Confidentiality",
            "text": "Each party keeps the other's information secret.",
        },
        {
            "number": "4",
            "heading": "Service credits",
            "text": "A credit of 5% of the monthly fee, capped at $2,400 a month, applies to each "
            "breached P1 ticket.",
        },
        {
            "number": "5",
            "heading": "Backups",
            "text": "The ERP is backed up with an RPO of 24 hours, tested yearly.",
        },
    ],
)
NEW = dict(
    BASE,
    version="2026-Q4 proposal",
    status="proposal",
    scope={"helpdesk_hours": "24x7"},
    targets={
        "P1": {"response": "1h", "resolution": "4h", "calendar": "24x7"},
        "P2": {"response": "2h", "resolution": "same_business_day", "calendar": "business"},
    },
    backup={"systems": [{"name": "ERP", "rpo": "4h", "rto": "8h"}], "restore_test_cadence": "quarterly"},
    compliance_mandates=["CPPA", "Bill C-26"],
    clauses=[
        {
            "number": "1",
            "heading": "Scope",
            "text": "Helpdesk support is provided 24x7, every day of the year.",
        },
        {
            "number": "2",
            "heading": "Response times",
            "text": "Critical (P1) incidents are resolved within 4 hours, round the clock, and answered "
            "within 1 hour.",
        },
        {
            "number": "4",
            "heading": "Backups",
            "text": "The ERP is backed up with an RPO of 4 hours, tested quarterly.",
        },
        {
            "number": "5",
            "heading": "Security operations",
            "text": 'Alerts go to the SOC <b>24x7</b> & are escalated per <font color="red"> the matrix.',
        },
        {
            "number": "6",
            "heading": "Confidentiality",
            "text": "Each party keeps the other's information secret.",
        },
    ],
)
OPTS = RedlineOptions(
    as_of=date(2026, 11, 1),
    prepared_on=date(2026, 11, 2),
    prepared_by="Ana Lavoie — Société Québécoise",
    rationale={
        "targets.P1.resolution": "Four-hour restoration is the market norm for clinics.",
        "clause:4 Service credits": "Credits <replaced> by a 95% & monthly review",
    },
)


def contracts() -> tuple[Contract, Contract]:
    return contract_from_data(OLD), contract_from_data(NEW)


def no_lint(*_a: Any, **_k: Any) -> list[Any]:
    return []


@pytest.fixture(scope="module")
def redline() -> tuple[ContractDiff, bytes]:
    o, n = contracts()
    vo, vn = version_from_contract(o), version_from_contract(n)
    return diff_versions(vo, vn), build_redline(vo, vn, OPTS, lint=no_lint)


def _pages(data: bytes) -> list[Any]:
    return list(pdfplumber.open(io.BytesIO(data)).pages)


def _section(pages: list[Any], start: str, end: str) -> list[Any]:
    """Pages from the one whose text has ``start`` (after the cover) to before ``end``."""
    out, inside = [], False
    for pg in pages[1:]:
        text = pg.extract_text() or ""
        if start in text:
            inside = True
        if inside and end in text and start not in text:
            break
        if inside:
            out.append(pg)
    return out


def _close(c: Any, rgb: tuple[float, float, float]) -> bool:
    return (
        isinstance(c, (tuple, list))
        and len(c) == 3
        and all(abs(a - b) < 0.01 for a, b in zip(c, rgb, strict=True))
    )


def _expected(diff: ContractDiff, op: str) -> str:
    """The deleted (or inserted) clause text in document order, whitespace removed."""
    out: list[str] = []

    def add(tokens: Iterable[Any]) -> None:
        out.extend(t.text for t in tokens)

    whole = "delete" if op == "delete" else "insert"
    for cc in diff.clauses:
        o, n = cc.old, cc.new
        title = lambda c: " ".join(x for x in (c.number, c.heading) if x)  # noqa: E731
        if o and n:
            if title(o) != title(n):
                for s in word_diff(title(o), title(n)):
                    if s.op == op:
                        add(s.tokens)
            for s in cc.segments:
                if s.op == op:
                    add(s.tokens)
        elif (cc.kind == "removed" and whole == "delete" and o) or (
            cc.kind == "added" and whole == "insert" and n
        ):
            c = o or n
            assert c is not None
            add(tokenize(title(c)))
            add(tokenize(c.text))
    return "".join("".join(out).split())


def _marked(pages: list[Any], rgb: tuple[float, float, float], kind: str) -> str:
    """Concatenated characters in colour ``rgb``; asserts each is struck (kind
    'strike': a line of that colour crossing the middle of its box) or underlined
    ('under': a line of that colour at its baseline)."""
    text = []
    for pg in pages:
        lines = [ln for ln in pg.lines if _close(ln.get("stroking_color"), rgb)]
        for ch in pg.chars:
            if not _close(ch.get("non_stroking_color"), rgb) or not ch["text"].strip():
                continue
            cx = (ch["x0"] + ch["x1"]) / 2
            h = ch["bottom"] - ch["top"]
            if kind == "strike":
                ok = any(
                    ln["x0"] - 0.5 <= cx <= ln["x1"] + 0.5
                    and ch["top"] + 0.25 * h <= ln["top"] <= ch["bottom"] - 0.25 * h
                    for ln in lines
                )
            else:
                ok = any(
                    ln["x0"] - 0.5 <= cx <= ln["x1"] + 0.5
                    and ch["bottom"] - 0.25 * h <= ln["top"] <= ch["bottom"] + 2.5
                    for ln in lines
                )
            assert ok, (
                f"{ch['text']!r} at ({ch['x0']:.0f}, {ch['top']:.0f}) on page {pg.page_number} not {kind}"
            )
            text.append(ch["text"])
    return "".join(text)


def test_every_deleted_word_is_red_and_struck(redline: tuple[ContractDiff, bytes]) -> None:
    diff, data = redline
    pages = _section(_pages(data), "2 Redlined clauses", "3 Warning signs")
    assert pages
    expected = _expected(diff, "delete")
    assert "8hours" in expected and "ServicecreditsAcreditof5%" in expected  # the fixture deletes these
    assert _marked(pages, RED, "strike") == expected


def test_every_inserted_word_is_blue_and_underlined(redline: tuple[ContractDiff, bytes]) -> None:
    diff, data = redline
    pages = _section(_pages(data), "2 Redlined clauses", "3 Warning signs")
    expected = _expected(diff, "insert")
    assert "4hours" in expected and "5Securityoperations" in expected
    assert _marked(pages, BLUE, "under") == expected


def _norm(s: str) -> str:
    return " ".join(s.split())


def _column(pages: list[Any], col: int) -> str:
    """The text of one column of the change summary table (cells wrap, so a whole-page
    extraction would interleave the columns)."""
    from workbench.reports.pdf.document import MARGIN_X, summary_column_widths

    w = summary_column_widths()
    x0 = MARGIN_X + sum(w[:col])
    parts = []
    for pg in pages:
        parts.append(pg.crop((x0 + 0.5, 0, x0 + w[col] - 0.5, pg.height)).extract_text())
    return _norm(" ".join(parts))


def test_summary_lists_every_structured_change_with_rationale(redline: tuple[ContractDiff, bytes]) -> None:
    diff, data = redline
    pages = _section(_pages(data), "1 Summary of changes", "2 Redlined clauses")
    text = _column(pages, 1)
    assert len(diff.terms) >= 10
    # the agreement's own bookkeeping is one line above the table, not numbered changes
    admin_line = _norm(" ".join(pg.extract_text() for pg in pages)).split("Administrative changes:")[1]
    for t in diff.terms:
        where = admin_line if t.key in ADMINISTRATIVE else text
        assert _norm(t.label) in where, t.label
        for v in (t.old, t.new):
            if v:
                assert _norm(v) in where, v
    assert "P1 resolution target: 8 hours → 4 hours" in text
    assert "Service credits (all dropped): removed — 5% of the monthly fee per breached P1 resolution" in text
    rationale = _column(pages, 2)
    assert "Four-hour restoration is the market norm for clinics." in rationale
    assert "Credits <replaced> by a 95% & monthly review" in rationale  # escaped, printed literally
    for cc in diff.clause_changes:
        assert _norm(cc.title) in text


def test_user_text_is_escaped(redline: tuple[ContractDiff, bytes]) -> None:
    _diff, data = redline
    text = "".join(pg.extract_text() for pg in _pages(data))
    assert '<b>24x7</b> & are escalated per <font color="red"> the matrix.' in _norm(text)


def test_unicode_font_page_numbers_and_outline(redline: tuple[ContractDiff, bytes]) -> None:
    _diff, data = redline
    pages = _pages(data)
    n = len(pages)
    first = pages[0].extract_text()
    assert "Société Québécoise de Gestion" in first and "Northwind MSP — Managed Services SLA" in first
    for i, pg in enumerate(pages, 1):
        assert f"Page {i} of {n}" in pg.extract_text()
    fonts = {ch["fontname"].split("+")[-1] for pg in pages for ch in pg.chars}
    assert fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}, fonts
    from pypdf import PdfReader

    outline = PdfReader(io.BytesIO(data)).outline
    titles = [o.title for o in outline if not isinstance(o, list)]
    assert titles[:3] == ["Cover", "Executive summary", "1 Summary of changes"]
    assert {"2 Redlined clauses", "3 Warning signs of the proposed version", "6 Signatures"} <= set(titles)


def test_same_inputs_give_identical_bytes(redline: tuple[ContractDiff, bytes]) -> None:
    _diff, data = redline
    o, n = contracts()
    again = build_redline(version_from_contract(o), version_from_contract(n), OPTS, lint=no_lint)
    assert again == data
    other = build_redline(
        version_from_contract(o),
        version_from_contract(n),
        RedlineOptions(as_of=OPTS.as_of, prepared_on=date(2026, 11, 3)),
        lint=no_lint,
    )
    assert other != data  # the injected date is what is printed


def test_long_summary_repeats_its_header_on_every_page() -> None:
    o, n = contracts()
    many = n.model_copy(update={"pause_statuses": tuple(f"Waiting on vendor number {i}" for i in range(90))})
    data = build_redline(version_from_contract(o), version_from_contract(many), OPTS, lint=no_lint)
    pages = _section(_pages(data), "1 Summary of changes", "2 Redlined clauses")
    assert len(pages) >= 2
    for pg in pages:
        assert "Change Rationale Effect on the history" in _norm(pg.extract_text())
    text = _column(pages, 1)
    assert all(f"Waiting on vendor number {i}" in text for i in range(90))


def test_warning_findings_are_listed() -> None:
    from workbench.warnings import Finding

    o, n = contracts()

    def lint(target: Any, history: Any, as_of: Any) -> list[Finding]:
        assert target is n
        return [Finding("W05", "high", "missing", "no credits <none>", "Add a credit & cap")]

    data = build_redline(version_from_contract(o), version_from_contract(n), OPTS, lint=lint)
    pages = _section(_pages(data), "3 Warning signs", "4 Effect on the ticket history")
    text = _norm(" ".join(pg.extract_text() for pg in pages))
    assert "W05 high missing no credits <none> Add a credit & cap" in text


# ------------------------------------------------------------------ effects


class StubResult:
    """What a simulator returns, fixed by the test (not a shipped result)."""

    def __init__(self, p1_resolution: float, credits_percent: float) -> None:
        self.comp = p1_resolution
        self.pct = credits_percent

    def to_json(self, per_ticket: bool = False) -> dict[str, Any]:
        return {
            "by_priority": {
                "P1": {
                    "tickets": 100,
                    "response": {"met": 90, "breached": 10, "pending": 0, "compliance": 0.9},
                    "resolution": {
                        "met": round(100 * self.comp),
                        "breached": 100 - round(100 * self.comp),
                        "pending": 0,
                        "compliance": self.comp,
                    },
                }
            }
        }

    def credits(self) -> dict[str, dict[str, Any]]:
        return {"2025-10": {"percent": self.pct, "rules": [self.pct] if self.pct else []}}

    def compliance_curve(self, p: str, m: str, budgets: Any) -> tuple[Any, Any]:
        import numpy as np

        b = np.asarray(budgets, dtype=float)
        return budgets, np.minimum(1.0, b / (b.max() or 1.0) * self.comp * 1.2)


def _tickets() -> TicketTable:
    t0 = datetime(2025, 10, 6, 9, tzinfo=UTC)
    t1 = datetime(2026, 9, 14, 9, tzinfo=UTC)
    return TicketTable.from_tickets(
        [
            Ticket(id="A", priority="P1", opened_at=t0, first_response_at=t0, resolved_at=t0),
            Ticket(id="B", priority="P1", opened_at=t1, first_response_at=t1, resolved_at=t1),
        ]
    )


def test_effects_come_from_the_simulator() -> None:
    o, n = contracts()
    calls: list[str] = []

    def simulate(contract: Contract, tickets: Any, log: Any, as_of: Any) -> StubResult:
        calls.append(contract.version)
        assert as_of == int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())
        # the stub's figures follow the terms: the 4-hour P1 resolution, the credit rule
        return StubResult(
            0.88 if contract.target("P1", "resolution") == "4h" else 0.71,
            20.0 if contract.service_credits else 0.0,
        )

    from workbench.reports.pdf.effects import measure_effects

    diff = diff_versions(version_from_contract(o), version_from_contract(n))
    m = measure_effects(diff, _tickets(), None, int(datetime(2026, 11, 1, tzinfo=UTC).timestamp()), simulate)
    # both versions, then each change alone applied to the current terms
    assert calls[:2] == ["2025", "2026-Q4 proposal"] and set(calls[2:]) == {"2025"}
    # the 4-hour target alone moves compliance; the credits go with the dropped rule
    assert m.effects["targets.P1.resolution"] == (
        "P1 resolution compliance 71% → 88% on the 100 P1 tickets opened 2025-10..2026-09"
    )
    assert "credits owed CAD 2,400.00 → CAD 0.00 (−CAD 2,400.00)" in m.effects["service_credits"]
    assert (
        "P1 resolution compliance 71% → 88%; credits owed for P1 resolution CAD 2,400.00 → CAD 0.00 "
        "(−CAD 2,400.00) on the 100 P1 tickets opened 2025-10..2026-09"
    ) in m.combined  # all the changes together
    assert "scope.helpdesk_hours" not in m.effects  # no clock effect: nothing invented

    data = build_redline(
        version_from_contract(o),
        version_from_contract(n),
        OPTS,
        history=History(tickets=_tickets()),
        simulate=simulate,
        lint=no_lint,
    )
    pages = _section(_pages(data), "1 Summary of changes", "2 Redlined clauses")
    assert m.effects["targets.P1.resolution"] in _column(pages, 3)
    charts = _section(_pages(data), "4 Effect on the ticket history", "5 Key figures")
    assert sum(len(pg.images) for pg in charts) == 4  # compliance x2, sensitivity x2
    again = build_redline(
        version_from_contract(o),
        version_from_contract(n),
        OPTS,
        history=History(tickets=_tickets()),
        simulate=simulate,
        lint=no_lint,
    )
    assert again == data  # charts included, still byte-identical


def test_effects_with_the_real_engine_match_simulate() -> None:
    from workbench.engine.simulate import simulate
    from workbench.reports.pdf.effects import measure_effects

    o, n = contracts()
    tickets = []
    base = datetime(2026, 3, 2, 14, tzinfo=UTC)  # a Monday, 09:00 Toronto
    for k in range(12):
        opened = base.replace(day=2 + (k % 5))
        tickets.append(
            Ticket(
                id=f"T{k}",
                priority="P1",
                opened_at=opened,
                first_response_at=opened.replace(minute=30),
                resolved_at=opened.replace(hour=14 + k % 8),
            )
        )
    table = TicketTable.from_tickets(tickets)
    as_of = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp())
    diff = diff_versions(version_from_contract(o), version_from_contract(n))
    m = measure_effects(diff, table, None, as_of)
    want_old = simulate(o, table, None, as_of).by_priority["P1"].resolution.compliance
    want_new = simulate(n, table, None, as_of).by_priority["P1"].resolution.compliance
    assert want_old is not None and want_new is not None
    assert m.baseline["P1"]["resolution"].compliance == pytest.approx(want_old, abs=1e-4)
    assert m.proposed["P1"]["resolution"].compliance == pytest.approx(want_new, abs=1e-4)
    assert m.effects["targets.P1.resolution"].startswith(
        f"P1 resolution compliance {100 * want_old:.0f}% → {100 * want_new:.0f}%"
    )


# ------------------------------------------------------------ documents, files


def test_woomberg_redline_shows_the_dropped_credits(shared_dir: Path) -> None:
    d = shared_dir / "data" / "sla-texts"
    data = build_redline(
        d / "woomberg_managed_wp_hosting_sla_2020_with_credits.md",
        d / "woomberg_managed_wp_hosting_sla_latest_no_credits.md",
        OPTS,
        lint=no_lint,
    )
    pages = _section(_pages(data), "1 Summary of changes", "2 Redlined clauses")
    text = _column(pages, 1)
    assert "How to receive SLA Credits?: clause removed" in text
    old = load_version(d / "woomberg_managed_wp_hosting_sla_2020_with_credits.md")
    if old.contract is not None:  # the extractor read the terms: the structured change too
        assert "Service credits (all dropped)" in text


def test_write_is_atomic_and_reports_progress(tmp_path: Path) -> None:
    o, n = contracts()
    out = tmp_path / "r.pdf"
    out.write_bytes(b"previous")
    seen: list[float] = []

    def stop_midway(f: float, msg: str) -> bool:
        seen.append(f)
        return f < 0.5

    with pytest.raises(Cancelled):
        write_redline(
            out, version_from_contract(o), version_from_contract(n), OPTS, lint=no_lint, progress=stop_midway
        )
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]  # no temporary left behind

    seen.clear()
    write_redline(
        out,
        version_from_contract(o),
        version_from_contract(n),
        OPTS,
        lint=no_lint,
        progress=lambda f, m: seen.append(f),
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_cli(tmp_path: Path) -> None:
    import yaml

    from workbench.cli import main

    o, n = tmp_path / "old.yaml", tmp_path / "new.yaml"
    o.write_text(yaml.safe_dump(OLD, allow_unicode=True), encoding="utf-8")
    n.write_text(yaml.safe_dump(NEW, allow_unicode=True), encoding="utf-8")
    why = tmp_path / "why.yaml"
    why.write_text("targets.P1.resolution: Clinics cannot wait a day\n", encoding="utf-8")
    out = tmp_path / "out.pdf"
    assert (
        main(
            [
                "redline",
                str(o),
                str(n),
                "-o",
                str(out),
                "--rationale",
                str(why),
                "--as-of",
                "2026-11-01",
                "--prepared-by",
                "Ana",
            ]
        )
        == 0
    )
    text = _norm(" ".join(pg.extract_text() for pg in _pages(out.read_bytes())))
    assert "2026-11-01" in text
    assert "Clinics cannot wait a day" in _column(
        _section(_pages(out.read_bytes()), "1 Summary", "2 Redlined"), 2
    )

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: y\ntargets: {P9: {response: 1h}}\n", encoding="utf-8")
    out2 = tmp_path / "out2.pdf"
    assert main(["redline", str(o), str(bad), "-o", str(out2)]) == 2
    assert not out2.exists()
    assert main(["redline", str(o), str(n), "-o", str(out2), "--as-of", "yesterday"]) == 2
    assert not out2.exists()


def test_cover_says_when_no_ticket_history_was_given(redline: tuple[ContractDiff, bytes]) -> None:
    """Without a history the as-of date measures nothing: the cover and the footer say that
    no ticket history was given instead of showing a date (QA: it showed the file's date)."""
    _, data = redline
    pages = _pages(data)
    cover = _norm(pages[0].extract_text())
    assert "History as of no ticket history given" in cover
    assert "2026-11-01" not in cover
    assert "no ticket history given" in _norm(pages[-1].extract_text())  # footer
    o, n = contracts()
    with_history = build_redline(version_from_contract(o), version_from_contract(n), OPTS,
                                 history=History(tickets=_tickets()), simulate=None, lint=no_lint)
    cover = _norm(_pages(with_history)[0].extract_text())
    assert "History as of 2026-11-01" in cover and "no ticket history given" not in cover


def test_as_of_instant_is_used_and_shown() -> None:
    from dataclasses import replace

    from workbench.reports.pdf.redline import as_of_instant

    at = int(datetime(2026, 11, 1, 9, 30, tzinfo=UTC).timestamp())
    opts = replace(OPTS, as_of_instant=at)
    assert as_of_instant(opts) == at and as_of_instant(OPTS) == at - 9 * 3600 - 1800
    assert opts.as_of_text() == "2026-11-01 09:30 UTC" and OPTS.as_of_text() == "2026-11-01"


def test_a_long_table_measured_once_lays_out_as_reportlab_lays_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The redline's tables keep the row heights they measured the first time (a summary of
    thousands of changed clauses was measured again on every page); the pages are the same
    bytes as with reportlab measuring every row each time."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from workbench.reports.pdf import document as d

    def build() -> bytes:
        d.register_fonts()
        st = d._styles()
        rows: list[list[Any]] = [[d._p(x, st["cellb"]) for x in ("#", "Change", "Rationale", "Effect")]]
        for i in range(400):
            if i % 90 == 0:
                rows.append([d._p(f"<b>Group {i}</b>", st["cell"]), "", "", ""])
            rows.append([d._p(str(i), st["cell"]), d._p("changed clause " * (1 + i % 7), st["cell"]),
                         d._p("", st["cell"]), d._p("why " * (i % 3), st["cell"])])
        t = d._table(rows, d.summary_column_widths())
        buf = io.BytesIO()
        SimpleDocTemplate(buf, invariant=1).build([Paragraph("Summary", st["base"]), t])
        return buf.getvalue()

    kept = build()
    monkeypatch.setattr(d.SplittingTable, "_calc_height", Table._calc_height)
    assert build() == kept
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(kept)).pages) >= 5  # the table was split, page after page
