"""The keys a rationale file takes: ``redline --list-changes`` lists them, every key
the README names applies to the demo's changes, a group key covers the changes below
it and a change's own key wins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.documents.diff import change_keys, diff_versions, expand_rationale, group_keys, load_version

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"
OLD, NEW = DEMO / "northwind-2025.yaml", DEMO / "northwind-2026-q4-proposal.yaml"


@pytest.fixture(scope="module")
def diff():  # type: ignore[no-untyped-def]
    return diff_versions(load_version(OLD), load_version(NEW))


def readme_keys() -> list[str]:
    """The rationale keys the README's redline section names."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Redline review PDF") :]
    section = section[: section.index("\n### ", 5)]
    return re.findall(r"`((?:targets|service_credits|clause:)[^`]*)`", section)


def test_list_changes_prints_every_key_with_its_label(
    diff,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    assert main(["redline", str(OLD), str(NEW), "--list-changes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for key, label in change_keys(diff):
        assert any(line.startswith(key + " ") and line.rstrip().endswith(label) for line in lines), key
    assert any(re.fullmatch(r"service_credits +7 changes", line) for line in lines)
    assert any(re.fullmatch(r"clause:6 Service credits +changed clause", line) for line in lines)
    assert list(tmp_path.iterdir()) == []


def test_every_key_the_readme_names_applies(diff) -> None:  # type: ignore[no-untyped-def]
    keys = readme_keys()
    assert {"targets.P1.resolution", "service_credits", "targets.P1", "clause:6 Service credits"} <= set(keys)
    expanded, unmatched = expand_rationale(diff, {k: f"why {k}" for k in keys})
    assert unmatched == []
    for k in keys:
        assert f"why {k}" in expanded.values(), k


def test_a_group_key_covers_the_changes_below_it_and_an_own_key_wins(diff) -> None:  # type: ignore[no-untyped-def]
    credits = group_keys(diff)["service_credits"]
    assert len(credits) == 7 and all(k.startswith("service_credits[") for k in credits)
    expanded, unmatched = expand_rationale(
        diff,
        {
            "service_credits": "credits follow the new targets",
            "service_credits[P1 resolution per_breach]": "doubled for P1",
            "targets.P1": "clinics cannot wait",
            "targets": "market norm",
            "nothing.here": "x",
        },
    )
    assert unmatched == ["nothing.here"]
    assert expanded["service_credits[P1 resolution per_breach]"] == "doubled for P1"
    assert all(
        expanded[k] == "credits follow the new targets"
        for k in credits[1:]
        if k != "service_credits[P1 resolution per_breach]"
    )
    assert expanded["targets.P1.resolution"] == "clinics cannot wait"  # the nearest group
    assert expanded["targets.P2.resolution"] == "market norm"
    assert "monthly_fee" not in expanded


def test_readme_keys_give_no_warning_and_reach_the_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    why = tmp_path / "why.yaml"
    why.write_text("service_credits: Credits now follow every priority.\n", encoding="utf-8")
    out = tmp_path / "r.pdf"
    assert main(["redline", str(OLD), str(NEW), "-o", str(out), "--rationale", str(why)]) == 0
    assert "matches no change" not in capsys.readouterr().err
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())  # wrapped cells joined
    assert text.count("Credits now follow every priority.") == 7


def test_redline_without_output_says_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redline", str(OLD), str(NEW)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "-o OUT.pdf is required" in err


def test_a_rationale_for_an_administrative_key_is_printed_on_the_administrative_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Version, status and dates are not numbered changes, but a reason given for one is the
    user's text for the client: it is printed after that change on the summary's
    administrative line, and only there."""
    from pypdf import PdfReader

    why = tmp_path / "why.yaml"
    why.write_text(
        "effective_date: |\n  The renewal starts with the clinics'\n  fiscal year.\n"
        "status: Sent for signature.\ntargets.P1.resolution: Four hours is the norm.\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.pdf"
    assert main(["redline", str(OLD), str(NEW), "-o", str(out), "--rationale", str(why)]) == 0
    assert "warning" not in capsys.readouterr().err
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages]
    summary = next(p for p in pages if "1 Summary of changes" in p and "Administrative changes:" in p)
    line = summary.split("Administrative changes:")[1]
    assert "Status signed → proposal (why: Sent for signature.)" in line
    assert "→ 2027-01-01 (why: The renewal starts with the clinics' fiscal year.)" in line
    text = " ".join(pages)
    assert text.count("fiscal year.") == 1 and text.count("Sent for signature.") == 1
    assert "Four hours is the norm." in text
