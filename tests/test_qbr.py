"""The quarter's review: contents from a small workspace whose figures are computed by
hand here, the PDF and the slide deck written and read back, the command's errors.

The fixture (UTC calendars, every target on the 24x7 clock):

* Q3 2026 (1 Jul - 30 Sep): six tickets.  Response: A, C, E, F met; B (2 h > 1 h) and
  D (5 h > 4 h) breached -> 4 of 6.  Resolution: A, C, D, F met; B (10 h > 4 h) and E
  (3 days > 2 days) breached -> 4 of 6.  Breaches: P1 2 (B twice), P3 2 (D, E).
  Credits: 5% of the fee per P1 resolution breach -> B in July: 5% of 1,000 = 50.00.
* Q2 2026: two tickets (G met both; H response 3 h > 2 h breached, resolution met).
* Q3 2025: before the history's first ticket -> not measured.
* Backups: ERP daily at 01:00 but none on 11 and 12 Aug (worst gap 3 days > RPO 1 day);
  Files daily (24 h, met).  Restore tests: ERP 2 h <= RTO 4 h met; Files 2 h > 1 h.
* Routing: antivirus alerts go to the NOC; A (NOC) followed it, B (Helpdesk) did not.
* No outage records and no monthly KPI records: availability and patch compliance are
  not measured.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from models.contract import contract_from_data
from models.history import BackupJob, History, RestoreTest, Ticket, TicketTable
from workbench.app.quarters import Quarter
from workbench.cli import main
from workbench.reports.qbr import NOT_MEASURED, QbrReport, build_qbr

H = 3600
D = 86400


def at(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def tk(
    id_: str,
    prio: str,
    opened: datetime,
    resp: int,
    res: int | None,
    team: str = "Helpdesk",
    category: str = "printer",
) -> Ticket:
    return Ticket(
        id=id_,
        priority=prio,
        opened_at=opened,
        first_response_at=opened + timedelta(seconds=resp),
        resolved_at=None if res is None else opened + timedelta(seconds=res),
        team=team,
        category=category,
    )


CONTRACT: dict[str, Any] = {
    "name": "Fixture MSP — Client SLA",
    "version": "2026",
    "status": "signed",
    "provider": "Fixture MSP",
    "client": "Fixture Client <&> Co",
    "monthly_fee": 1000,
    "currency": "CAD",
    "calendars": {
        "business": {
            "timezone": "UTC",
            "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        }
    },
    "targets": {
        "P1": {"response": "1h", "resolution": "4h", "calendar": "24x7", "compliance_target": 0.9},
        "P2": {"response": "2h", "resolution": "8h", "calendar": "24x7"},
        "P3": {"response": "4h", "resolution": "2d", "calendar": "24x7"},
        "P4": {"response": "8h", "resolution": "5d", "calendar": "24x7"},
    },
    "service_credits": [
        {"metric": "resolution", "priority": "P1", "percent_of_fee": 5.0, "cap_percent": 20.0}
    ],
    "backup": {
        "systems": [{"name": "ERP", "rpo": "1d", "rto": "4h"}, {"name": "Files", "rpo": "1d", "rto": "1h"}]
    },
    "uptime": [{"service": "ERP", "target_percent": 99.5}],
    "escalation_matrix": [
        {"incident_type": "antivirus alert", "owner": "MSP", "team": "NOC", "action": "triage"}
    ],
}

TICKETS = [
    tk("G", "P1", at(2026, 5, 5, 10), 30 * 60, 2 * H),
    tk("H", "P2", at(2026, 6, 1, 10), 3 * H, 6 * H),
    tk("A", "P1", at(2026, 7, 2, 10), 30 * 60, 3 * H, team="NOC", category="antivirus alert"),
    tk("B", "P1", at(2026, 7, 20, 10), 2 * H, 10 * H, team="Helpdesk", category="antivirus alert"),
    tk("C", "P2", at(2026, 8, 5, 10), H, 5 * H),
    tk("D", "P3", at(2026, 8, 10, 10), 5 * H, D),
    tk("E", "P3", at(2026, 9, 3, 10), H, 3 * D, team="SOC"),
    tk("F", "P4", at(2026, 9, 28, 10), H, D),
    tk("I", "P4", at(2026, 10, 15, 10), H, 2 * H),
]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


BACKUPS = [
    BackupJob(system=s, finished_at=datetime(d.year, d.month, d.day, 1, tzinfo=UTC), success=True)
    for s in ("ERP", "Files")
    for d in _days(date(2026, 5, 1), date(2026, 10, 15))
    if not (s == "ERP" and d in (date(2026, 8, 11), date(2026, 8, 12)))
]
TESTS = [
    RestoreTest(system="ERP", started_at=at(2026, 7, 15, 10), finished_at=at(2026, 7, 15, 12), success=True),
    RestoreTest(
        system="Files", started_at=at(2026, 8, 20, 10), finished_at=at(2026, 8, 20, 12), success=True
    ),
]


def history() -> History:
    return History(
        tickets=TicketTable.from_tickets(TICKETS), backups=tuple(BACKUPS), restore_tests=tuple(TESTS)
    )


def contract():  # type: ignore[no-untyped-def]
    return contract_from_data(CONTRACT)


def no_lint(contract, history, as_of):  # type: ignore[no-untyped-def]
    return []


@pytest.fixture(scope="module")
def qbr() -> QbrReport:
    return build_qbr(history(), contract(), Quarter(2026, 3), lint=no_lint)


def section(r: QbrReport, key: str):  # type: ignore[no-untyped-def]
    return next(s for s in r.sections if s.key == key)


def row(table, label: str) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return next(r for r in table.rows if r[0] == label)


def test_quarter_figures_by_hand(qbr: QbrReport) -> None:
    assert qbr.current.kpis.tickets == 6 and qbr.previous.kpis.tickets == 2
    assert qbr.current.covered and qbr.previous.covered and not qbr.last_year.covered
    assert qbr.current.kpis.breaches == 4
    assert qbr.current.credit_months == ("2026-07", "2026-08", "2026-09")
    assert qbr.current.credit_amounts == (50.0, 0.0, 0.0) and qbr.current.credits_total == 50.0
    assert qbr.previous.credits_total == 0.0 and qbr.last_year.credits_total is None
    assert qbr.period_text == "Q3 2026 (1 Jul – 30 Sep 2026, UTC)"
    assert not qbr.partial


def test_kpi_table_against_the_previous_quarter_and_last_year(qbr: QbrReport) -> None:
    t = section(qbr, "kpis").tables[0]
    assert t.header == (
        "Figure",
        "Q3 2026, 6 tickets",
        "Q2 2026, 2 tickets",
        "Q3 2025, no history",
        "Change vs previous",
    )
    assert row(t, "Tickets") == ("Tickets", "6", "2", NOT_MEASURED, "+4")
    assert row(t, "Response compliance")[1:4] == ("66.7%", "50.0%", NOT_MEASURED)
    assert row(t, "Resolution compliance")[1:] == ("66.7%", "100.0%", NOT_MEASURED, "-33.3 pts")
    assert row(t, "Breaches")[1:3] == ("4", "1")
    assert row(t, "Credits owed")[1:4] == ("50.00 CAD", "0.00 CAD", NOT_MEASURED)
    assert row(t, "Helpdesk tickets")[1] == "4" and row(t, "SOC/MSSP tickets")[1] == "1"
    assert row(t, "Restore tests passed")[1] == "2"
    # what the data cannot give is never a zero
    for label in ("Availability ERP", "Patch compliance", "Threats detected", "Client-caused waiting"):
        assert row(t, label)[1:4] == (NOT_MEASURED,) * 3, label
    assert "0%" not in " ".join(row(t, "Availability ERP"))


def test_compliance_per_priority(qbr: QbrReport) -> None:
    s = section(qbr, "compliance")
    t = s.tables[0]
    assert row(t, "P1") == ("P1", "2", "50.0% (1 of 2)", "50.0% (1 of 2)", "2", "0", NOT_MEASURED, "90.0%")
    assert row(t, "P3") == (
        "P3",
        "2",
        "50.0% (1 of 2)",
        "50.0% (1 of 2)",
        "2",
        "0",
        NOT_MEASURED,
        "not stated",
    )
    assert row(t, "P4")[2:5] == ("100.0% (1 of 1)", "100.0% (1 of 1)", "0")
    assert s.message == "4 breached targets (Q3 2026, 6 tickets); the weakest is P1 resolution at 50.0%."
    assert [c.png[:8] for c in s.charts] == [b"\x89PNG\r\n\x1a\n"] * 2


def test_credits_recovery_and_routing(qbr: QbrReport) -> None:
    c = section(qbr, "credits")
    assert c.message == "50.00 CAD of service credits are owed for Q3 2026, 6 tickets."
    assert row(c.tables[0], "2026-07") == ("2026-07", "5% of the fee", "50.00 CAD")
    r = section(qbr, "recovery")
    rpo, tests, uptime = r.tables
    assert row(rpo, "ERP") == ("ERP", "24.0 h", "90", "3.0 days", "breached")
    assert row(rpo, "Files") == ("Files", "24.0 h", "92", "24.0 h", "met")
    assert [x[-1] for x in tests.rows] == ["met", "breached"]
    assert uptime.rows == (("ERP", "Q3 2026", NOT_MEASURED, "99.5%", NOT_MEASURED),)
    assert r.message.startswith(
        "Q3 2026: RPO met for 1 of 2 systems; 2 restore tests in the quarter, 1 outside"
    )
    g = section(qbr, "routing")
    assert g.message == (
        "50.0% of the 2 tickets under the escalation matrix went to the team it names (Q3 2026, 6 tickets)."
    )
    assert g.bullets == ("antivirus alert: 1 ticket handled by another team than the matrix names",)


def test_every_message_names_its_period(qbr: QbrReport) -> None:
    for s in qbr.sections:
        if s.key != "warnings":
            assert "Q3 2026" in s.message, s.key


def test_proposal_adds_its_whatif_and_changes() -> None:
    tighter = dict(
        CONTRACT,
        version="2027 proposal",
        status="proposal",
        targets=dict(CONTRACT["targets"], P1={"response": "1h", "resolution": "2h", "calendar": "24x7"}),
    )
    r = build_qbr(history(), contract(), Quarter(2026, 3), proposal=contract_from_data(tighter), lint=no_lint)
    w = section(r, "whatif")
    # P1 resolution under 2 h: A (3 h) now breaches too -> 0 of 2; credits 2 x 5% in July
    assert row(w.tables[0], "P1")[3:] == ("50.0%", "0.0%")
    assert r.proposal is not None and r.proposal.credits_total == 100.0
    assert "2027 proposal" in w.message and "produced under 2026's terms" in w.bullets[0]
    red = section(r, "redline")
    assert any(x[1] == "P1 resolution target" for x in red.tables[0].rows)
    assert any(b.startswith("Administrative: Version: 2026 → 2027 proposal") for b in red.bullets)


def test_a_quarter_the_history_does_not_reach_is_refused() -> None:
    from workbench.reports.qbr import QbrError

    with pytest.raises(QbrError, match="2027Q1: the quarter starts after"):
        build_qbr(history(), contract(), Quarter(2027, 1), lint=no_lint)
    with pytest.raises(QbrError, match="2025Q4: the quarter ends before"):
        build_qbr(history(), contract(), Quarter(2025, 4), lint=no_lint)


# ------------------------------------------------------------------ files


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.store import Workspace

    p = tmp_path_factory.mktemp("qbr") / "client-secret-name.slawb"
    with Workspace.create(p) as ws:
        ws.add_contract_version(contract())
        ws.save_history(history())
    return p


def _report(workspace: Path, out: Path, *extra: str) -> int:
    return main(["report", "--workspace", str(workspace), "--quarter", "2026Q3", "-o", str(out), *extra])


def test_pdf_is_written_readable_reproducible_and_names_no_path(workspace: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert _report(workspace, a) == 0 and _report(workspace, b) == 0
    assert a.read_bytes() == b.read_bytes()
    pdf = PdfReader(a)
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Fixture Client <&> Co" in text  # escaped, not read as markup
    assert "Key figures of the quarter" in text and "Warning signs and their fixes" in text
    assert "50.00 CAD" in text and "not measured" in text
    assert str(tmp_path) not in text and "slawb" not in text and "/" + workspace.parent.name not in text
    assert pdf.metadata is not None and pdf.metadata.creation_date is not None
    assert pdf.metadata.creation_date.date() == date(2026, 10, 15)  # the as-of date, not 2000-01-01


def _deck_text(path: Path) -> tuple[int, str, str]:
    from pptx import Presentation

    prs = Presentation(str(path))
    body, notes = [], []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                body.append(shape.text_frame.text)
            if shape.has_table:
                body.extend(c.text for r in shape.table.rows for c in r.cells)
        notes.append(slide.notes_slide.notes_text_frame.text)
    return len(prs.slides), "\n".join(body), "\n".join(notes)


def test_deck_has_one_message_per_slide_with_definitions_in_the_notes(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "qbr.pptx"
    assert _report(workspace, out) == 0
    n, body, notes = _deck_text(out)
    assert n >= 9
    assert "50.00 CAD of service credits are owed for Q3 2026, 6 tickets." in body
    assert "Credits owed: the contract's credit rules applied month by month" in notes
    assert "a breach is a response or resolution past its target" in notes
    assert str(tmp_path) not in body + notes and "slawb" not in body + notes
    from pptx import Presentation

    prs = Presentation(str(out))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 2  # the two compliance charts, as images
    assert prs.core_properties.created == datetime(2026, 10, 15)
    again = tmp_path / "again.pptx"
    assert _report(workspace, again) == 0
    assert again.read_bytes() == out.read_bytes()  # the package's members are dated by the as-of too
    import zipfile

    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 10, 15, 0, 0, 0)}


def test_bad_quarter_is_a_one_line_error(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q.pdf"
    for bad in ("2026Q5", "Q3", "next quarter"):
        rc = main(["report", "--workspace", str(workspace), "--quarter", bad, "-o", str(out)])
        err = capsys.readouterr().err
        assert rc == 2 and err.count("\n") == 1 and "--quarter" in err and "2026Q3" in err, err
    assert _report(workspace, tmp_path / "q.docx") == 2
    assert "suffix" in capsys.readouterr().err
    assert main(["report", "--workspace", str(workspace), "--quarter", "2030Q1", "-o", str(out)]) == 2
    assert "starts after" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_version_and_proposal_are_resolved_by_id_or_label(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q.pdf"
    assert _report(workspace, out, "--version", "2026", "--proposal", "1") == 0
    assert _report(workspace, out, "--version", "nope") == 2
    assert "no contract version 'nope'" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_deck_opens_in_libreoffice_impress(workspace: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    deck = tmp_path / "qbr.pptx"
    assert _report(workspace, deck) == 0
    n, _, _ = _deck_text(deck)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = PdfReader(tmp_path / "qbr.pdf").pages
    assert len(pages) == n
    assert "Q3 2026" in pages[1].extract_text()


def test_headline_changes_take_every_section_in_turn() -> None:
    from workbench.documents.diff import TermChange
    from workbench.reports.qbr import headline_changes

    changes = [TermChange(f"t{i}", f"target {i}", "a", "b", "changed", "Targets") for i in range(5)]
    changes += [
        TermChange("fee", "Monthly fee", "1", "2", "changed", "Fees"),
        TermChange("scope", "Scope notes", "x", "y", "changed", "Scope"),
    ]
    assert [t.path for t in headline_changes(changes, 4)] == ["t0", "t1", "fee", "scope"]
    assert [t.path for t in headline_changes(changes, 10)] == [t.path for t in changes]


def test_a_quarter_not_over_is_reported_to_date() -> None:
    at = int(datetime(2026, 10, 20, tzinfo=UTC).timestamp())
    r = build_qbr(history(), contract(), Quarter(2026, 4), as_of=at, lint=no_lint)
    assert r.partial and r.current.kpis.tickets == 1  # I, opened 15 Oct
    summary = section(r, "summary")
    assert summary.message.startswith(
        "The quarter is not over at the as-of instant: its figures are to date."
    )
    assert r.as_of == date(2026, 10, 20)


def test_the_history_is_prepared_and_replayed_once_per_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures, the warning signs' history checks (W08, W09) and the proposal's what-if share
    one prepared engine: the history is prepared once and each contract replayed once, and the
    warning signs found so are those a lint of its own finds."""
    from workbench.engine import simulate as sim
    from workbench.warnings import lint

    prepared: list[int] = []
    runs: list[str] = []
    init, run = sim.Engine.__init__, sim.Engine.run

    def counting_init(self, *a, **kw):  # type: ignore[no-untyped-def]
        prepared.append(1)
        init(self, *a, **kw)

    def counting_run(self, contract, progress=None):  # type: ignore[no-untyped-def]
        runs.append(contract.version)
        return run(self, contract, progress)

    monkeypatch.setattr(sim.Engine, "__init__", counting_init)
    monkeypatch.setattr(sim.Engine, "run", counting_run)
    h, c = history(), contract()
    proposal = contract_from_data(dict(CONTRACT, version="2027 proposal", status="proposal"))
    r = build_qbr(h, c, Quarter(2026, 3), proposal=proposal)
    # the figures and W09 replay 2026 (W09's replay reuses the cached clock), the what-if the proposal
    assert prepared == [1] and runs == ["2026", "2026", "2027 proposal"]
    prepared.clear()
    alone = lint(c, h, r.as_of_instant)
    assert prepared == [1]  # a lint prepares its own, once for W08 and W09 together
    assert [f.to_dict() for f in r.findings] == [f.to_dict() for f in alone]
    assert {f.code for f in alone} >= {"W09"}


def test_lint_refuses_an_engine_of_another_history_or_as_of() -> None:
    from workbench.engine.simulate import Engine
    from workbench.warnings import lint

    h, c = history(), contract()
    at_ = int(h.latest_instant())
    with pytest.raises(ValueError, match="another history or as-of"):
        lint(c, h, at_, engine=Engine(h.tickets, None, at_ - D))
    with pytest.raises(ValueError, match="another history or as-of"):
        lint(c, history(), at_, engine=Engine(h.tickets, None, at_))
    assert lint(c, h, at_, engine=Engine(h.tickets, None, at_)) == lint(c, h, at_)
