"""Confirming the terms read from a document (Qt-free): a person's corrections, the
template's defaults for what the document does not state, status and label."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.contract import Contract
from models.store import Workspace
from workbench.app.contracts import (
    ESSENTIAL_TERMS,
    ContractFile,
    ContractFileError,
    add_contract_version,
    confirm_terms,
    parse_term_value,
    read_contract_file,
    term_text,
)
from workbench.app.templates import load_template, template_default, template_path
from workbench.app.term_labels import TERM_LABELS, term_label
from workbench.warnings import lint


@pytest.fixture
def dxw(shared_dir: Path) -> ContractFile:
    return read_contract_file(shared_dir / "data" / "sla-texts" / "dxw_service_level_agreement.md")


def _values(read: ContractFile) -> dict[str, object]:
    return {t.path: t.value for t in read.terms}


def test_a_corrected_term_is_stored_with_the_other_extracted_values(
    dxw: ContractFile, tmp_path: Path
) -> None:
    before = _values(dxw)
    assert before["targets.P2.response"] == "1h"  # what the document's clause 4.3 gives
    confirmed = confirm_terms(dxw, {"targets.P2.response": "2h"}, status="signed", label="dxw 2018")
    after = _values(confirmed)
    assert after["targets.P2.response"] == "2h"
    assert {k: v for k, v in after.items() if k != "targets.P2.response"} == {
        k: v for k, v in before.items() if k != "targets.P2.response"
    }
    # each term keeps the clause and words it was read from
    assert [(t.path, t.clause, t.quote) for t in confirmed.terms] == [
        (t.path, t.clause, t.quote) for t in dxw.terms
    ]
    c = confirmed.contract
    assert (c.status, c.version) == ("signed", "dxw 2018")
    assert c.targets["P2"].response == "2h"
    assert c.targets["P2"].calendar == dxw.contract.targets["P2"].calendar
    assert c.clauses == dxw.contract.clauses
    ws = Workspace.create(str(tmp_path / "ws.slawb"))
    try:
        vid = add_contract_version(ws, confirmed)
        assert ws.contract(vid) == c
        with pytest.raises(ContractFileError, match=f"equals version {vid}"):
            add_contract_version(ws, confirm_terms(dxw, {"targets.P2.response": "2h"}, status="signed",
                                                   label="dxw 2018"))
    finally:
        ws.close()


def test_no_change_gives_the_version_as_read(dxw: ContractFile) -> None:
    assert confirm_terms(dxw).contract == dxw.contract
    assert confirm_terms(dxw).missing == dxw.missing


def test_defaults_fill_missing_terms_from_the_template(dxw: ContractFile) -> None:
    wanted = ("targets.P1.resolution", "targets.P3.resolution", "backup.systems", "service_credits")
    assert set(wanted) <= set(dxw.missing)
    confirmed = confirm_terms(dxw, use_defaults=wanted)
    c, template = confirmed.contract, load_template()
    assert c.targets["P1"].resolution == template.targets["P1"].resolution == "4h"
    assert c.targets["P1"].response == "1h"  # stated by the document: unchanged
    # a business-day target of the template is measured in business hours
    assert c.targets["P3"].resolution == "next_business_day"
    assert "business" in {c.targets["P3"].calendar, c.targets["P3"].resolution_calendar}
    assert c.backup.systems == template.backup.systems
    assert c.service_credits == template.service_credits
    assert not set(wanted) & set(confirmed.missing)
    assert set(confirmed.missing) == set(dxw.missing) - set(wanted)
    assert confirmed.terms == dxw.terms  # defaults are not terms the document states


def test_an_emptied_term_is_dropped_and_listed_as_missing(dxw: ContractFile) -> None:
    confirmed = confirm_terms(dxw, {"targets.P4.response": None})
    assert confirmed.contract.targets.get("P4") is None
    assert "targets.P4.response" not in _values(confirmed)
    assert "targets.P4.response" in confirmed.missing


def test_a_wrong_value_names_the_file_and_the_term(dxw: ContractFile) -> None:
    with pytest.raises(ContractFileError) as info:
        confirm_terms(dxw, {"targets.P2.response": "soon"})
    message = str(info.value)
    assert message.startswith("dxw_service_level_agreement.md: ")
    assert "P2 response target" in message and "'soon'" in message
    with pytest.raises(ContractFileError, match=r"Business hours \(calendars\.business\.weekly"):
        confirm_terms(dxw, {"calendars.business.weekly": {"mon": ["18:00-09:00x"]}})


def test_term_text_reads_back_as_the_same_value(shared_dir: Path) -> None:
    for path in sorted((shared_dir / "data" / "sla-texts").glob("*.md")):
        try:
            read = read_contract_file(path)
        except ContractFileError:
            continue
        for t in read.terms:
            text = term_text(t.value)
            assert "\n" not in text
            assert parse_term_value(t.path, text) == t.value, (path.name, t.path, text)
    assert term_text("1h") == "1h"
    assert parse_term_value("targets.P1.response", "  ") is None
    with pytest.raises(ValueError, match="P1 response target"):
        parse_term_value("targets.P1.response", "{mon: [")


def test_every_term_shown_has_words(shared_dir: Path) -> None:
    paths = set(ESSENTIAL_TERMS)
    for path in (shared_dir / "data" / "sla-texts").glob("*.md"):
        try:
            paths |= {t.path for t in read_contract_file(path).terms}
        except ContractFileError:
            pass
    assert not paths - set(TERM_LABELS)
    assert term_label("targets.P1.response") == "P1 response target"
    assert term_label("backup.foo_bar") == "Backup: foo bar"


def test_the_2026_template_is_a_contract_file_with_every_term_and_no_warning_sign() -> None:
    assert template_path().is_file()
    read = read_contract_file(template_path())
    assert isinstance(read.contract, Contract)
    assert read.contract.status == "draft"
    assert read.missing == ()
    assert lint(read.contract) == []
    for path in ESSENTIAL_TERMS:
        assert template_default(path) is not None, path
    assert template_default("no.such.term") is None


def test_dropped_files_are_routed_by_kind(tmp_path: Path) -> None:
    from workbench.app.contracts import dropped_file_route

    expected = {
        "tickets.csv": "import", "status_log.CSV.GZ": "import", "export.xlsx": "import", "log.tsv": "import",
        "sla.pdf": "contract", "sla.DOCX": "contract", "sla.md": "contract", "sla.txt": "contract",
        "contract.yaml": "contract", "contract.json": "contract", "logo.png": None, "archive.gz": None,
    }
    for name, route in expected.items():
        (tmp_path / name).write_bytes(b"x")
        assert dropped_file_route(tmp_path / name) == route, name
    assert dropped_file_route(tmp_path) is None  # a folder
