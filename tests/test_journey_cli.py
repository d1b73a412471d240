"""A new engagement on the command line, as a user would run it (issue 13's journey):
a workspace from the client's ServiceNow export, their published SLA added with one term
corrected, the provider's proposal added, then simulate, compare and redline on the
stored versions.  Runs the installed ``sla-workbench`` program, no private shortcuts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXPORT = SHARED / "data" / "servicenow-uci" / "incident_event_log_sample400.csv"
SLA = SHARED / "data" / "sla-texts" / "dxw_service_level_agreement.md"
PROPOSAL = ROOT / "resources" / "demo" / "northwind-2026-q4-proposal.yaml"
PROGRAM = Path(sys.executable).with_name("sla-workbench")

pytestmark = pytest.mark.skipif(not EXPORT.is_file(), reason="../shared is not beside this checkout")


def sw(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(PROGRAM), *map(str, args)], capture_output=True, text=True, timeout=300)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def test_own_engagement_from_export_to_redline(tmp_path: Path) -> None:
    assert PROGRAM.is_file(), "the project installs the sla-workbench program"
    ws = tmp_path / "client.slawb"

    imported = json.loads(sw("import", ws, EXPORT, "--tz", "UTC", "--json").stdout)
    assert imported["preset"] == "servicenow-event-log" and imported["tickets"] > 300

    signed = json.loads(sw("contract", "add", ws, SLA, "--status", "signed", "--label", "2018",
                           "--set", "targets.P1.resolution=4h", "--json").stdout)
    assert signed["extracted"] is True and signed["status"] == "signed"
    terms = {t["path"]: t for t in signed["terms"]}
    assert terms["targets.P1.response"]["value"] == "1h" and terms["targets.P1.response"]["clause"]
    assert signed["confirmed"] == {"targets.P1.resolution": "4h"}
    assert "targets.P1.resolution" not in signed["missing"]

    proposal = json.loads(sw("contract", "add", ws, PROPOSAL, "--json").stdout)
    assert (proposal["status"], proposal["version"], proposal["extracted"]) == (
        "proposal", "2026-Q4 proposal", False
    )

    listed = json.loads(sw("contract", "list", ws, "--json").stdout)["versions"]
    assert [(v["id"], v["version"], v["source"]) for v in listed] == [
        (signed["version_id"], "2018", SLA.name), (proposal["version_id"], "2026-Q4 proposal", PROPOSAL.name)
    ]

    sim = json.loads(sw("simulate", "--workspace", ws, "--version", "2018", "--json").stdout)
    assert sum(p["tickets"] for p in sim["by_priority"].values()) == imported["tickets"]
    assert "unconfirmed_terms" not in sim  # stored versions were confirmed when added
    p1 = sim["by_priority"]["P1"]["response"]
    assert p1["met"] + p1["breached"] + p1["pending"] == sim["by_priority"]["P1"]["tickets"]
    text = sw("simulate", "--workspace", ws, "--version", str(proposal["version_id"])).stdout
    assert "2026-Q4 proposal" in text.splitlines()[0]

    compared = json.loads(sw("compare", "2018", "2026-Q4 proposal", "--workspace", ws, "--json").stdout)
    assert [v["version"] for v in compared["versions"]] == ["2018", "2026-Q4 proposal"]

    pdf = tmp_path / "review.pdf"
    sw("redline", "2018", "2026-Q4 proposal", "--workspace", ws, "-o", pdf)
    pages = [p.extract_text() or "" for p in PdfReader(pdf).pages]
    words = " ".join(" ".join(pages).split())
    assert len(pages) >= 3
    assert "2026-Q4 proposal" in words and "2018" in words

    again = sw("contract", "add", ws, PROPOSAL, ok=False)
    assert again.returncode == 2 and f"equals version {proposal['version_id']}" in again.stderr
    refused = sw("contract", "remove", ws, "2018", ok=False)
    assert refused.returncode == 2 and "immutable" in refused.stderr
