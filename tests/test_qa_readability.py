"""What a reader of ``sla-workbench lint`` / the redline PDF sees: plain words, not model
identifiers or Markdown markers (found by using the commands on the demo and the sla-texts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbench.demo.generator import load_demo_contracts, load_demo_history
from workbench.warnings import lint, load_target

SLA_TEXTS = "sla-texts"


@pytest.fixture(scope="module")
def proposal_findings() -> list:  # type: ignore[type-arg]
    contracts = load_demo_contracts()
    proposal = next(c for c in contracts.values() if "2026-Q4" in c.version)
    return lint(proposal, load_demo_history())


def test_w18_keeps_acronyms_in_its_suggestion(proposal_findings: list) -> None:  # type: ignore[type-arg]
    siem = [f for f in proposal_findings if f.code == "W18" and "SIEM log anomaly" in f.evidence]
    assert siem, "the demo history routes some SIEM log anomalies to the wrong team"
    assert all("“SIEM log anomaly is escalated" in f.suggestion for f in siem)
    assert not any("Siem" in f.suggestion for f in proposal_findings)


def test_w09_names_day_targets_in_words(proposal_findings: list) -> None:  # type: ignore[type-arg]
    w09 = [f.evidence for f in proposal_findings if f.code == "W09"]
    assert any("within the same business day" in e for e in w09)
    assert any("the next business day" in e for e in w09)
    assert not any("_business_day" in e for e in w09)


def test_w16_durations_in_hours_and_minutes(proposal_findings: list) -> None:  # type: ignore[type-arg]
    import re

    w16 = " ".join(f.evidence for f in proposal_findings if f.code == "W16")
    assert w16, "the demo's backups and restore tests fall short somewhere"
    assert not re.search(r"\b\d{3,}m\b", w16), w16  # not "354m" for almost six hours
    assert re.search(r"\b\d+h\d\dm\b", w16), w16


def test_w06_quotes_a_heading_without_markdown_markers(shared_dir: Path) -> None:
    doc = load_target(shared_dir / "data" / SLA_TEXTS / "woomberg_managed_wp_hosting_sla_latest_no_credits.md"
                      )
    w06 = [f for f in lint(doc, None, "2026-01-01") if f.code == "W06"]
    assert len(w06) == 1
    assert "mentioned only as “Backups”" in w06[0].evidence
    assert "#" not in w06[0].evidence


def test_redline_footer_without_a_preparer_says_prepared_on(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from workbench.reports.pdf import RedlineOptions, write_redline

    demo = Path(__file__).resolve().parents[1] / "resources" / "demo"
    out = tmp_path / "r.pdf"
    day = dt.date(2026, 11, 1)
    write_redline(out, str(demo / "northwind-2024.yaml"), str(demo / "northwind-2025.yaml"),
                  RedlineOptions(as_of=day, prepared_on=day))
    text = PdfReader(str(out)).pages[1].extract_text()
    assert "Prepared on 2026-11-01" in text
    assert "not stated on" not in text


def test_compare_groups_warning_signs_by_code() -> None:
    from workbench.commands.compare import warning_summary

    ws = [{"code": c, "severity": s} for c, s in
          [("W09", "low"), ("W01", "medium"), ("W09", "high"), ("W09", "high"), ("W16", "medium")]]
    assert warning_summary(ws) == "W01 (medium), W09 ×3 (2 high, 1 low), W16 (medium)"
    assert warning_summary([]) == "none"


def test_compare_report_explains_per_priority_credits_above_the_capped_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from workbench.cli import main

    demo = Path(__file__).resolve().parents[1] / "resources" / "demo"
    rc = main(["compare", str(demo / "northwind-2025.yaml"), str(demo / "northwind-2026-q4-proposal.yaml"),
               "--tickets", str(demo / "tickets.csv"), "--status-log", str(demo / "status_log.csv.gz")])
    assert rc == 0
    blocks = capsys.readouterr().out.split("\n\n")
    current, proposal = blocks[0], blocks[1]
    # the proposal's monthly cap binds on the demo history, the 2025 terms' does not
    assert "exceed the monthly cap" in proposal
    assert "exceed the monthly cap" not in current
    assert proposal.count("W09") == 1  # one grouped entry, not one per finding


def test_audit_without_a_contract_says_how_to_measure_agreement(
    shared_dir: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from workbench.cli import main

    sample = shared_dir / "data" / "servicenow-uci" / "incident_event_log_sample400.csv"
    assert main(["audit", "--tickets", str(sample), "--tz", "UTC"]) == 0
    out = capsys.readouterr().out
    assert "agreement under a contract: not measured (pass --contract C)" in out
    assert "best explanation:" in out


def test_redline_suggests_the_change_key_a_rationale_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from workbench.cli import main

    demo = Path(__file__).resolve().parents[1] / "resources" / "demo"
    why = tmp_path / "why.yaml"
    why.write_text("clause:3.1: SOC added\ntargets.P1.resolutoin: typo\nno.such.thing: x\n", encoding="utf-8")
    rc = main(["redline", str(demo / "northwind-2025.yaml"), str(demo / "northwind-2026-q4-proposal.yaml"),
               "-o", str(tmp_path / "r.pdf"), "--rationale", str(why)])
    assert rc == 0
    err = capsys.readouterr().err.splitlines()
    assert any("'clause:3.1'" in e and "did you mean 'clause:3.1 NOC and SOC boundary'?" in e for e in err)
    assert any("did you mean 'targets.P1.resolution'?" in e for e in err)
    assert any("'no.such.thing' matches no change" in e and "did you mean" not in e for e in err)
