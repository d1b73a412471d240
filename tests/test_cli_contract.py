"""``sla-workbench contract add|list|export|remove`` and ``--workspace W --version V`` on
the other commands, run as a user would on the demo's contract files and on the
published SLA documents in shared/data/sla-texts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from models.contract import load_contract
from models.store import Workspace
from workbench.app.contracts import value_at
from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"
SIGNED = DEMO / "northwind-2025.yaml"
PROPOSAL = DEMO / "northwind-2026-q4-proposal.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def add_json(capsys: pytest.CaptureFixture[str], ws: Path, file: Path, *extra: str) -> dict:
    rc, out, err = run(capsys, "contract", "add", ws, file, "--json", *extra)
    assert rc == 0, err
    return json.loads(out)


def md5(p: Path) -> str:
    return hashlib.md5(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.glob("*.yaml")))
def test_a_contract_file_gives_a_version_equal_to_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    ws = tmp_path / "w.slawb"
    out = add_json(capsys, ws, DEMO / name)
    expected = load_contract(DEMO / name)
    assert out["extracted"] is False and out["terms"] == []
    assert (out["name"], out["version"], out["status"], out["source"]) == (
        expected.name, expected.version, expected.status, name
    )
    with Workspace.open(ws) as w:
        assert w.contract(out["version_id"]) == expected


def test_export_is_a_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first, second = tmp_path / "a.slawb", tmp_path / "b.slawb"
    vid = add_json(capsys, first, PROPOSAL)["version_id"]
    exported = tmp_path / "out.yaml"
    rc, _, err = run(capsys, "contract", "export", first, "2026-Q4 proposal", "-o", exported)
    assert rc == 0, err
    again = add_json(capsys, second, exported)
    with Workspace.open(first) as a, Workspace.open(second) as b:
        assert b.contract(again["version_id"]) == a.contract(vid) == load_contract(PROPOSAL)


def test_list_and_remove(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ws = tmp_path / "w.slawb"
    signed = add_json(capsys, ws, SIGNED)["version_id"]
    proposal = add_json(capsys, ws, PROPOSAL)["version_id"]
    rc, out, _ = run(capsys, "contract", "list", ws, "--json")
    listed = json.loads(out)["versions"]
    assert [(v["id"], v["status"], v["source"]) for v in listed] == [
        (signed, "signed", SIGNED.name), (proposal, "proposal", PROPOSAL.name)
    ]
    assert set(listed[0]) == {"id", "name", "version", "status", "source"}
    before = md5(ws)
    rc, _, err = run(capsys, "contract", "remove", ws, str(signed))
    assert rc == 2 and "signed" in err and "immutable" in err
    assert md5(ws) == before
    rc, out, err = run(capsys, "contract", "remove", ws, "2026-Q4 proposal")
    assert rc == 0, err
    with Workspace.open(ws) as w:
        assert [vid for vid, _ in w.contract_versions()] == [signed]
    rc, _, err = run(capsys, "contract", "export", ws, "nonesuch", "-o", tmp_path / "x.yaml")
    assert rc == 2 and "no contract version 'nonesuch'" in err and f"{signed}: 2025" in err


def test_adding_the_same_file_twice_names_the_version_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = tmp_path / "w.slawb"
    vid = add_json(capsys, ws, SIGNED)["version_id"]
    before = md5(ws)
    rc, _, err = run(capsys, "contract", "add", ws, SIGNED)
    assert rc == 2 and f"equals version {vid} (2025)" in err
    assert md5(ws) == before


def test_a_yaml_error_names_the_line_and_field_and_adds_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = tmp_path / "w.slawb"
    add_json(capsys, ws, SIGNED)
    before = md5(ws)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: Northwind\nversion: typo\ntargets:\n  P2: {response: 2h}\n  P1:\n"
        "    resolution: 4h\n    response: 1 hour please\n",
        encoding="utf-8",
    )
    rc, _, err = run(capsys, "contract", "add", ws, bad)
    assert rc == 2
    assert "bad.yaml: targets.P1.response: bad duration '1 hour please'" in err
    assert "(line 7)" in err
    assert md5(ws) == before


SLA_TEXTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "sla-texts"
LICENCES = ("dxw_LICENCE.md", "woomberg_LICENSE_CC-BY-SA-4.0_header.txt")


def _published_slas() -> list[str]:
    return sorted(p.name for p in SLA_TEXTS.glob("*") if p.name not in LICENCES)


@pytest.mark.parametrize("name", _published_slas())
def test_a_published_sla_gives_its_stated_terms_each_with_its_clause(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    ws = tmp_path / "w.slawb"
    out = add_json(capsys, ws, SLA_TEXTS / name, "--status", "signed", "--label", "published")
    assert out["extracted"] is True and out["status"] == "signed" and out["version"] == "published"
    assert out["terms"], "a published SLA states some terms"
    doc_text = (SLA_TEXTS / name).read_text(encoding="utf-8")
    stated = {t["path"] for t in out["terms"]}
    for t in out["terms"]:
        assert t["clause"], t
        assert t["quote"] and " ".join(t["quote"].split()) in " ".join(doc_text.split()), t
    assert not stated & set(out["missing"])
    with Workspace.open(ws) as w:
        stored = w.contract(out["version_id"]).to_data()
        kept = w.contract_source_text(out["version_id"])
    assert kept is not None and out["terms"][0]["quote"] in kept
    for path in stated:  # each stated term is in the stored version, with the printed value
        node = stored
        for part in path.split("."):
            node = node[part]
        value = next(t["value"] for t in out["terms"] if t["path"] == path)
        assert json.loads(json.dumps(node, default=str)) == value
    for path in out["missing"]:
        head = path.split(".")[0]
        assert path.startswith("calendars.") or head not in stored or not value_at(stored, path)
    assert stored.get("clauses"), "the version keeps the document's clauses for the redline"


def test_the_dxw_sla_reads_its_priority_matrix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = add_json(capsys, tmp_path / "w.slawb", SLA_TEXTS / "dxw_service_level_agreement.md")
    terms = {t["path"]: t for t in out["terms"]}
    assert terms["targets.P1.response"]["value"] == "1h"
    assert terms["targets.P1.response"]["clause"] == "3.2"
    assert "targets.P1.resolution" in out["missing"]


@pytest.mark.parametrize("name", LICENCES)
def test_a_file_that_is_no_sla_adds_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    ws = tmp_path / "w.slawb"
    add_json(capsys, ws, SIGNED)
    before = md5(ws)
    rc, _, err = run(capsys, "contract", "add", ws, SLA_TEXTS / name)
    assert rc == 2
    assert f"{name}: no SLA terms found (no priority targets, no service hours)" in err
    assert md5(ws) == before


def test_a_spreadsheet_and_an_empty_pdf_are_no_sla(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from reportlab.pdfgen import canvas

    empty = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(empty))
    c.showPage()
    c.save()
    from openpyxl import Workbook

    sheet = tmp_path / "tickets.xlsx"
    book = Workbook()
    book.active.append(["number", "priority", "opened_at"])
    book.active.append(["INC1", "1 - Critical", "2026-01-05 09:00"])
    book.save(sheet)
    ws = tmp_path / "w.slawb"
    for f in (empty, sheet):
        rc, _, err = run(capsys, "contract", "add", ws, f)
        assert rc == 2 and "no SLA terms found (no priority targets, no service hours)" in err, err
    assert not ws.exists(), "a failed add creates no workspace"


def test_commands_take_a_stored_version(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ws = tmp_path / "demo.slawb"
    assert main(["demo", "--workspace", str(ws)]) == 0
    capsys.readouterr()
    with Workspace.open(ws) as w:
        versions = {c.version: vid for vid, c in w.contract_versions()}
    vid = versions["2025"]

    rc, by_file, _ = run(capsys, "simulate", "--workspace", ws, "--contract", SIGNED, "--json",
                         "--as-of", "2026-11-01")
    for ref in (str(vid), "2025"):
        rc, by_version, err = run(capsys, "simulate", "--workspace", ws, "--version", ref, "--json",
                                  "--as-of", "2026-11-01")
        assert rc == 0, err
        assert by_version == by_file

    rc, lint_file, _ = run(capsys, "lint", SIGNED, "--workspace", ws, "--json")
    rc, lint_version, err = run(capsys, "lint", "--workspace", ws, "--version", "2025", "--json")
    assert rc == 0, err
    assert json.loads(lint_version) == json.loads(lint_file)

    rc, cmp_files, _ = run(capsys, "compare", SIGNED, PROPOSAL, "--workspace", ws, "--json")
    rc, cmp_versions, err = run(capsys, "compare", "2025", "2026-Q4 proposal", "--workspace", ws, "--json")
    assert rc == 0, err
    assert cmp_versions == cmp_files

    rc, audit_file, _ = run(capsys, "audit", "--workspace", ws, "--contract", SIGNED, "--json")
    rc, audit_version, err = run(capsys, "audit", "--workspace", ws, "--version", "2025", "--json")
    assert rc == 0, err
    assert audit_version == audit_file

    pdf = tmp_path / "r.pdf"
    rc, _, err = run(capsys, "redline", "2025", "2026-Q4 proposal", "--workspace", ws, "-o", pdf)
    assert rc == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")

    rc, _, err = run(capsys, "simulate", "--tickets", DEMO / "tickets.csv", "--version", "2025")
    assert rc == 2 and "give --workspace" in err


def test_a_document_as_contract_is_marked_unconfirmed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = tmp_path / "demo.slawb"
    assert main(["demo", "--workspace", str(ws)]) == 0
    capsys.readouterr()
    doc = SLA_TEXTS / "dxw_service_level_agreement.md"
    rc, out, err = run(capsys, "simulate", "--workspace", ws, "--contract", doc, "--json")
    assert rc == 0, err
    assert json.loads(out)["unconfirmed_terms"] is True
    rc, out, err = run(capsys, "simulate", "--workspace", ws, "--contract", doc)
    assert rc == 0 and "unconfirmed" in out.splitlines()[0]
    rc, out, err = run(capsys, "compare", SIGNED, doc, "--workspace", ws, "--json")
    assert rc == 0, err
    assert json.loads(out)["unconfirmed_terms"] == [str(doc)]
    rc, out, _ = run(capsys, "simulate", "--workspace", ws, "--contract", SIGNED, "--json")
    assert "unconfirmed_terms" not in json.loads(out)


def test_terms_corrected_and_defaulted_before_they_are_stored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = tmp_path / "w.slawb"
    doc = SLA_TEXTS / "dxw_service_level_agreement.md"
    out = add_json(capsys, ws, doc, "--set", "targets.P2.response=2h", "--set", "last_reviewed=",
                   "--default", "targets.P3.resolution")
    assert out["confirmed"]["targets.P2.response"] == "2h" and out["confirmed"]["last_reviewed"] is None
    with Workspace.open(ws) as w:
        stored = w.contract(out["version_id"])
    assert stored.target("P2", "response") == "2h" and stored.last_reviewed is None
    assert stored.target("P3", "resolution") is not None
    assert stored.target("P1", "response") == "1h", "the terms not corrected stay as read"
    everything = add_json(capsys, tmp_path / "all.slawb", doc, "--default", "missing")
    assert everything["missing"] == []
    before = md5(ws)
    for bad, words in (("targets.P1.response", "PATH=VALUE"), ("targets.P1.response=soon", "bad duration")):
        rc, _, err = run(capsys, "contract", "add", ws, doc, "--set", bad)
        assert rc == 2 and words in err, err
    assert md5(ws) == before
