"""The document corpus (tests/fixtures/documents): every SLA document there, in the forms real
SLAs are written in, is read as a person reads it (the YAML beside each): each target's
priority, metric, value, calendar and clause, the compliance levels, the working week and zone,
and the W02 codes that must or must not fire.  The published SLAs in shared/data/sla-texts
join the corpus.  docs/documents-coverage.md holds the report this corpus gives.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "fixtures" / "documents"
sys.path.insert(0, str(CORPUS))
import corpus  # noqa: E402

FIXTURES = corpus.fixtures()


@pytest.fixture(scope="module")
def results() -> list[corpus.Result]:
    return corpus.score_all()


def test_the_corpus_has_25_documents_of_its_own_each_with_a_reading() -> None:
    own = [(n, p, r) for n, p, r in FIXTURES if not n.startswith("sla-texts/")]
    assert len(own) >= 25
    assert {p.suffix for _, p, _ in own} >= {".md", ".txt", ".html", ".adoc", ".docx", ".pdf"}
    for name, _, reading in own:
        assert reading.get("form") and reading.get("modelled_on"), name
        assert "targets" in reading, name


@pytest.mark.parametrize(("name", "path", "reading"), FIXTURES, ids=[n for n, _, _ in FIXTURES])
def test_document_is_read_as_a_person_reads_it(name: str, path: Path, reading: dict) -> None:  # type: ignore[type-arg]
    result = corpus.score(name, path, reading)
    assert result.checks or not reading.get("targets"), name
    assert result.ok, "\n".join(result.failures())


def test_each_target_quotes_the_words_it_came_from_inside_its_clause() -> None:
    from workbench.documents.extract import extract
    from workbench.documents.reader import load_document

    for name, path, _ in FIXTURES:
        doc = load_document(path)
        for e in extract(doc).items:
            if not e.field.startswith("targets."):
                continue
            words = doc.text[e.span[0] : e.span[1]]
            assert words.strip() and " ".join(words.split()) == e.quote, (name, e)
            clause = next(c for c in doc.clauses if c.ref == e.clause)
            assert clause.span[0] <= e.span[0] and e.span[1] <= clause.span[1], (name, e)


def test_precision_and_recall_per_field_and_code_are_at_least_0_9(results: list[corpus.Result]) -> None:
    text = corpus.report(results)
    rows = [ln.split("|")[1:-1] for ln in text.splitlines() if ln.startswith("| ") and "---" not in ln]
    fields = [r for r in rows if r[0].strip() in corpus.KINDS]
    codes = [r for r in rows if r[0].strip().startswith("W")]
    assert fields and codes
    for r in fields:
        assert float(r[3]) >= 0.9 and float(r[4]) >= 0.9, r
    for r in codes:
        assert float(r[5]) >= 0.9 and float(r[6]) >= 0.9, r


def test_the_coverage_document_reports_what_the_corpus_gives(results: list[corpus.Result]) -> None:
    if not corpus.SHARED_TEXTS.is_dir():
        pytest.skip("../shared is not beside this checkout: the report counts the published SLAs too")
    assert corpus.current_report() == corpus.report(results), (
        "docs/documents-coverage.md is out of date: run tests/fixtures/documents/corpus.py --write"
    )


def test_a_range_takes_its_upper_bound_and_says_so() -> None:
    from workbench.documents.extract import extract
    from workbench.documents.reader import load_document

    ex = extract(load_document(CORPUS / "07-cell-phrasing.md"))
    e = ex.first("targets.P2.resolution")
    assert e is not None and e.quote == "1 to 3 business days" and e.value == "1710m"  # 3 x 9.5 h
    assert "upper bound" in e.detail["note"]
    assert ex.first("targets.P4.response") is None, "ASAP states no time"


def test_priority_names_of_every_form_are_mapped_and_shown() -> None:
    from workbench.documents.extract import extract
    from workbench.documents.reader import load_document

    cases = {
        "06-bare-numbers.md": {"Severity 1": "P1", "Severity 4": "P4"},
        "14-sev-short.md": {"Sev1": "P1", "Sev4": "P4"},
        "09-working-days.md": {"Urgent": "P1", "Normal": "P3"},
        "12-mondays-to-fridays.md": {"Emergency": "P1", "Medium": "P3"},
        "20-compliance-column.md": {"Priority 1": "P1"},
    }
    for name, want in cases.items():
        ex = extract(load_document(CORPUS / name))
        for k, v in want.items():
            assert ex.priority_map.get(k) == v and ex.priority_reasons.get(k), (name, k, ex.priority_map)


def test_lint_says_a_document_is_no_sla_instead_of_listing_signs(capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    rc = main(["lint", str(CORPUS / "23-not-an-sla.md"), "--json"])
    out, err = capsys.readouterr()
    assert rc != 0 and not out
    assert "23-not-an-sla.md: not an SLA" in err
    # a support policy that commits to nothing is still an SLA document: W02 says so
    rc = main(["lint", str(CORPUS / "18-best-effort.md"), "--json", "--as-of", "2026-11-01"])
    out, _ = capsys.readouterr()
    assert rc == 0 and '"code": "W02"' in out
