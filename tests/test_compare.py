"""Proposals replayed on one history: counts equal the engine's, terms, scores, CLI, demo."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
import yaml

from models.contract import Contract, contract_from_data
from tests.test_kpis import AS_OF, contract, history
from workbench.analytics.compare import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    CompareError,
    check_weights,
    compare,
    component_scores,
    contract_terms,
    load_weights,
    proposal_from_data,
    score,
    terms_side_by_side,
)
from workbench.cli import main
from workbench.engine.simulate import simulate

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo"
DEMO_NAMES = ("northwind-2024", "northwind-2025", "northwind-2026-q4-proposal",
              "competitor-bluepeak", "competitor-harbourline")


def strict() -> Contract:
    """Tighter response targets, more credits, a dearer fee."""
    return contract(
        version="strict",
        monthly_fee=1500,
        targets={
            "P1": {"response": "30m", "resolution": "2h", "calendar": "24x7"},
            "P2": {"response": "1h", "resolution": "4h", "calendar": "24x7"},
            "P3": {"response": "2h", "resolution": "1d", "calendar": "24x7"},
        },
        service_credits=[{"metric": "response", "percent_of_fee": 2},
                         {"metric": "resolution", "priority": "P1", "percent_of_fee": 10}],
        credits_cap_percent=15,
    )


def loose() -> Contract:
    return contract(version="loose", service_credits=[{"metric": "resolution", "percent_of_fee": 3}])


# --------------------------------------------------------------------- engine agreement


def test_counts_and_credits_equal_the_engine() -> None:
    h = history()
    props = [loose(), strict()]
    result = compare(props, h.tickets, h.status_log, as_of=AS_OF, with_warnings=False)
    assert [v.version for v in result.versions] == ["loose", "strict"]
    for c, v in zip(props, result.versions, strict=True):
        sim = simulate(c, h.tickets, h.status_log, as_of=AS_OF)
        assert v.by_priority == sim.to_json()["by_priority"]
        assert v.credits == round(sum(m["amount"] for m in sim.credits().values()), 2)
    strict_v = result.versions[1]
    assert "P4" in strict_v.by_priority  # tickets without targets still counted, as simulate
    assert strict_v.by_priority["P4"]["response"]["compliance"] is None


def test_credits_by_hand_and_per_priority() -> None:
    h = history()
    result = compare([loose(), strict()], h.tickets, h.status_log, as_of=AS_OF, with_warnings=False)
    lo, st = result.versions
    # loose: 3% per resolution breach: T2 (P1, 10h > 4h) and T5 (P4, open 5d16h > 5d), both November
    assert lo.credits == 60.0 and lo.credits_by_priority == {"P1": 30.0, "P2": 0.0, "P3": 0.0, "P4": 30.0}
    # strict, fee 1500: response breaches (30m/1h/2h): T2 2h>30m, T4 4h>2h (Nov); T6 1h = 1h met (Oct);
    # T7 2h = 2h met (Sep).  P1 resolution 2h: T1 3h and T2 10h breached (Nov).
    # Nov: 2 x 2% + 2 x 10% = 24% capped at 15% -> 225.00
    assert st.credits == 225.0 and st.credits_percent == 15.0
    # P1 alone: T2's response breach 2% + two P1 resolution breaches 20% = 22%, capped at 15%
    assert st.credits_by_priority["P1"] == 225.0
    # P3 alone: T4's response breach 2% -> 30.00; P2 has no breach
    assert (st.credits_by_priority["P2"], st.credits_by_priority["P3"]) == (0.0, 30.0)
    assert st.breaches_by_priority["P1"] == 3


# ------------------------------------------------------------------------- normalisation


def _data(c: Contract) -> dict:
    return c.to_data()


def test_severity_named_proposal_is_mapped_and_shown() -> None:
    data = _data(strict())
    data["targets"] = {f"Severity {i}": v for i, v in enumerate(data["targets"].values(), 1)}
    data["service_credits"][1]["priority"] = "Severity 1"
    prop = proposal_from_data(data, "bluepeak.yaml")
    assert prop.contract.targets["P1"].response == "30m"
    assert prop.contract.service_credits[1].priority == "P1"
    assert prop.priority_mapping is not None and dict(prop.priority_mapping) == {
        "Severity 1": "P1", "Severity 2": "P2", "Severity 3": "P3"}
    assert "Severity 1 -> P1" in prop.priority_mapping.describe()
    assert prop.contract == strict()


def test_unmappable_priority_names_name_the_file() -> None:
    data = _data(loose())
    data["targets"] = {"Gold": data["targets"]["P1"]}
    with pytest.raises(Exception, match=r"x\.yaml: targets: .*'Gold'"):
        proposal_from_data(data, "x.yaml")
    data = _data(loose())
    data["targets"] = {"Urgent": data["targets"]["P1"]}
    data["service_credits"][0]["priority"] = "Severity 3"
    with pytest.raises(Exception, match=r"service_credits\.0\.priority"):
        proposal_from_data(data, "x.yaml")


# --------------------------------------------------------------------------------- terms


def test_terms_side_by_side() -> None:
    rows = terms_side_by_side([loose(), strict()])
    by_key = {(r["section"], r["term"]): r for r in rows}
    assert by_key[("Matrix", "P1 response")]["values"] == ["1 h, 24x7", "30 min, 24x7"]
    assert by_key[("Matrix", "P1 response")]["differs"] is True
    assert by_key[("Matrix", "P4 response")]["values"] == ["8 h, 24x7", "none"]
    assert by_key[("Coverage", "Pause statuses")]["differs"] is False
    assert by_key[("General", "Monthly fee")]["values"] == ["1,000.00 CAD", "1,500.00 CAD"]
    assert by_key[("Credits", "Monthly cap")]["values"] == ["—", "15% of fee"]
    assert by_key[("Coverage", "Business hours")]["values"][0].startswith("Mon-Fri 08:00-17:00")
    assert by_key[("Escalation matrix", "credential theft")]["values"][0] == "MSSP / SOC (MSSP escalation)"
    sections = list(dict.fromkeys(r["section"] for r in rows))
    assert sections[:3] == ["General", "Matrix", "Coverage"]
    assert len(rows) == len({(r["section"], r["term"]) for r in rows})
    assert ("Security", "Log monitoring", "unstated") in contract_terms(loose())


# ------------------------------------------------------------------------------- scoring


FULL = {
    "name": "Full", "version": "1", "monthly_fee": 2000,
    "calendars": {"b": {"timezone": "UTC", "weekly": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed",
                                                                                   "thu", "fri")}}},
    "targets": {"P1": {"response": "1h", "resolution": "4h", "calendar": "24x7"},
                "P2": {"response": "2h", "resolution": "same_business_day", "calendar": "b"},
                "P3": {"response": "next_business_day", "calendar": "b"}},
    "security": {"soc_services": ["incident detection"], "log_monitoring": {"frequency": "24/7"},
                 "endpoint_coverage": [{"product": "XDR"}], "incident_escalation": ["triage", "contain"],
                 "breach_roles": {"containment": "MSSP"}},
    "backup": {"systems": [{"name": "ERP", "rpo": "1h", "rto": "4h"}], "restore_test_cadence": "monthly",
               "cloud_backup_monitoring": True},
    "reporting": {"cadence": ["monthly report"], "kpis": ["MTTR", "patch compliance"]},
    "service_credits": [{"metric": "resolution", "percent_of_fee": 5}],
}


def test_component_scores_by_hand() -> None:
    c = contract_from_data(FULL)
    counts = {"P1": {"response": {"met": 3, "breached": 1}, "resolution": {"met": 2, "breached": 2}},
              "P2": {"response": {"met": 4, "breached": 0}, "resolution": {"met": 0, "breached": 0}}}
    s = component_scores(c, counts, lowest_fee=1000)
    assert s["compliance"] == pytest.approx(9 / 12)
    # slots: P1 2 + P2 2 + P3 1 of 8; coverage of resolution/response calendars: P1 24x7 = 1,
    # P2 b = 45/168, P3 (response only) b = 45/168
    assert s["coverage"] == pytest.approx(0.5 * 5 / 8 + 0.5 * (1 + 2 * 45 / 168) / 3)
    assert s["security"] == pytest.approx(1.0)  # 6 of 6 (the seed matrix has SOC rules)
    assert s["recovery"] == pytest.approx(3 / 4)  # on-prem monitoring unstated
    assert s["accountability"] == pytest.approx((1 + 1 + 2 / 3 + 0) / 4)  # no threat KPI, no obligations
    assert s["cost"] == pytest.approx(0.5)
    bare = contract_from_data({"name": "Bare", "version": "0"})
    b = component_scores(bare, {}, lowest_fee=1000)
    # nothing judged: compliance is not measured (None), never 0
    assert b["compliance"] is None and b["coverage"] == 0 and b["cost"] == 0 and b["recovery"] == 0
    # the default seed escalation matrix still names an MSSP/SOC owner
    assert b["security"] == pytest.approx(1 / 6)


def test_score_is_the_weighted_mean_and_breakdown_adds_up() -> None:
    comps = {"compliance": 0.9, "coverage": 0.5, "security": 1.0, "recovery": 0.25,
             "accountability": 0.0, "cost": 0.8}
    total, breakdown = score(comps, DEFAULT_WEIGHTS)
    expected = 100 * sum(DEFAULT_WEIGHTS[c] * comps[c] for c in COMPONENTS) / sum(DEFAULT_WEIGHTS.values())
    assert total == pytest.approx(expected, abs=0.01)
    assert sum(b["points"] for b in breakdown.values()) == pytest.approx(total, abs=0.05)
    total2, bd2 = score(comps, {"cost": 2, "security": 2})  # only these two count, equally
    assert total2 == pytest.approx(90.0)
    assert bd2["compliance"]["weight"] == 0 and bd2["cost"]["weight"] == 0.5


def test_a_component_not_measured_is_left_out_of_the_score() -> None:
    comps: dict[str, float | None] = {"compliance": None, "coverage": 0.5, "security": 1.0,
                                      "recovery": 0.25, "accountability": 0.0, "cost": 0.8}
    total, breakdown = score(comps, DEFAULT_WEIGHTS)
    rest = {c: v for c in COMPONENTS if (v := comps[c]) is not None}
    weights = sum(DEFAULT_WEIGHTS[c] for c in rest)
    expected = 100 * sum(DEFAULT_WEIGHTS[c] * v for c, v in rest.items()) / weights
    assert total == pytest.approx(expected, abs=0.01)
    assert breakdown["compliance"] == {"value": None, "weight": 0.0, "points": 0.0, "measured": False}
    assert sum(b["points"] for b in breakdown.values()) == pytest.approx(total, abs=0.05)
    assert sum(b["weight"] for b in breakdown.values()) == pytest.approx(1.0, abs=0.001)
    with pytest.raises(CompareError, match="compliance"):  # only the unmeasured one is weighted
        score(comps, {"compliance": 1})


def test_weights_change_the_ranking() -> None:
    h = history()
    cheap, dear = loose(), contract_from_data({**FULL, "version": "full"})
    by_cost = compare([cheap, dear], h.tickets, h.status_log, as_of=AS_OF, with_warnings=False,
                      weights={"cost": 1})
    assert [v.version for v in by_cost.ranking()] == ["loose", "full"]
    assert [v.score for v in by_cost.versions] == [100.0, 50.0]
    by_security = compare([cheap, dear], h.tickets, h.status_log, as_of=AS_OF, with_warnings=False,
                          weights={"security": 1, "recovery": 1})
    assert [v.version for v in by_security.ranking()] == ["full", "loose"]


def test_weights_files(tmp_path: Path) -> None:
    f = tmp_path / "w.yaml"
    f.write_text("compliance: 3\ncost: 1\n")
    assert load_weights(f) == {"compliance": 3.0, "coverage": 0.0, "security": 0.0, "recovery": 0.0,
                               "accountability": 0.0, "cost": 1.0}
    for text, msg in (("speed: 1\n", "speed: unknown component"), ("cost: -1\n", "cost: weight must be"),
                      ("cost: 0\n", "at least one weight"), ("- 1\n", "must be a mapping")):
        f.write_text(text)
        with pytest.raises(CompareError, match=msg):
            load_weights(f)
    with pytest.raises(CompareError, match="cannot read"):
        load_weights(tmp_path / "missing.yaml")
    with pytest.raises(CompareError, match="weight must be"):
        check_weights({"cost": True})


def test_needs_two_proposals() -> None:
    h = history()
    with pytest.raises(CompareError, match="two or more"):
        compare([loose()], h.tickets, h.status_log)


def test_compare_charts() -> None:
    h = history()
    result = compare([loose(), strict()], h.tickets, h.status_log, as_of=AS_OF, with_warnings=False)
    fig = result.compliance_figure("response")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["Fixture loose", "Fixture strict"]
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue().startswith(b"\x89PNG")
    fig2 = result.score_figure()
    ax = fig2.axes[0]
    # best first, each bar's total written at its end
    totals = [float(t.get_text()) for t in ax.texts]
    assert totals == sorted((round(v.score, 1) for v in result.versions), reverse=True)


# ------------------------------------------------------------------------------------ CLI


def _write_inputs(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    h = history()
    t = tmp_path / "tickets.csv"
    rows = ["id,priority,opened_at,first_response_at,resolved_at,category,team"]
    for tk in h.tickets.tickets():
        def iso(d):
            return "" if d is None else d.isoformat()
        rows.append(f"{tk.id},{tk.priority},{iso(tk.opened_at)},{iso(tk.first_response_at)},"
                    f"{iso(tk.resolved_at)},{tk.category or ''},{tk.team or ''}")
    t.write_text("\n".join(rows) + "\n")
    s = tmp_path / "status_log.csv"
    s.write_text("ticket_id,at,status\nT3,2026-11-10T09:00:00Z,In Progress\n"
                 "T3,2026-11-10T10:00:00Z,Awaiting User Info\nT3,2026-11-10T12:00:00Z,In Progress\n"
                 "T4,2026-11-20T12:00:00Z,New\nT4,2026-11-21T00:00:00Z,Pending client approval\n")
    paths = []
    for c in (loose(), strict()):
        p = tmp_path / f"{c.version}.yaml"
        p.write_text(yaml.safe_dump(c.to_data(), allow_unicode=True))
        paths.append(p)
    # the strict one written with Severity names
    data = yaml.safe_load(paths[1].read_text())
    data["targets"] = {f"Sev {k[1]}": v for k, v in data["targets"].items()}
    data["service_credits"][1]["priority"] = "Sev 1"
    paths[1].write_text(yaml.safe_dump(data, allow_unicode=True))
    return t, s, paths


def test_cli_json_exact_shape_and_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t, s, paths = _write_inputs(tmp_path)
    rc = main(["compare", str(paths[1]), str(paths[0]), "--tickets", str(t), "--status-log", str(s),
               "--as-of", "2026-12-01T00:00:00Z", "--json"])
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["versions"]
    assert [v["version"] for v in doc["versions"]] == ["strict", "loose"]
    for v in doc["versions"]:
        assert list(v) == ["name", "version", "by_priority", "credits", "score"]
    h = history()
    sim = simulate(strict(), h.tickets, h.status_log, as_of=AS_OF).to_json()
    assert doc["versions"][0]["by_priority"] == sim["by_priority"]
    assert doc["versions"][0]["credits"] == 225.0


def test_cli_text_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t, s, paths = _write_inputs(tmp_path)
    assert main(["compare", str(paths[0]), str(paths[1]), "--tickets", str(t), "--status-log", str(s)]) == 0
    out = capsys.readouterr().out
    assert "Sev 1" in out and "-> P1" in out and "score breakdown" in out and "Highest score" in out
    assert main(["compare", str(paths[0]), "--tickets", str(t)]) == 2
    assert "two or more" in capsys.readouterr().err
    w = tmp_path / "w.yaml"
    w.write_text("speed: 1\n")
    assert main(["compare", str(paths[0]), str(paths[1]), "--tickets", str(t), "--weights", str(w)]) == 2
    err = capsys.readouterr().err
    assert "w.yaml" in err and "speed" in err and len(err.strip().splitlines()) == 1
    assert main(["compare", str(paths[0]), str(tmp_path / "nope.yaml"), "--tickets", str(t)]) == 2
    assert "nope.yaml" in capsys.readouterr().err


# ----------------------------------------------------------------------------------- demo


def test_demo_versions_and_competitors_in_one_call() -> None:
    from workbench.analytics.compare import load_proposal
    from workbench.demo.generator import load_demo_history

    h = load_demo_history()
    props = [load_proposal(DEMO / f"{n}.yaml") for n in DEMO_NAMES]
    result = compare(props, h.tickets, h.status_log, history=h)
    assert [v.proposal.source for v in result.versions] == [str(DEMO / f"{n}.yaml") for n in DEMO_NAMES]
    engine_as_of = result.as_of
    for p, v in zip(props, result.versions, strict=True):
        sim = simulate(p.contract, h.tickets, h.status_log, as_of=engine_as_of)
        assert v.by_priority == sim.to_json()["by_priority"]
        engine_credits = sim.credits().values()
        if p.contract.monthly_fee is not None:
            assert v.credits == round(sum(m["amount"] for m in engine_credits), 2)
        assert v.credits_percent == pytest.approx(sum(m["percent"] for m in engine_credits))
        assert 0 <= v.score <= 100
        assert v.warnings is not None
    # the proposal that meets the reference matrix beats the generic 2024 template
    scores = {v.version: v.score for v in result.versions}
    assert scores[props[2].contract.version] > scores[props[0].contract.version]


def test_cli_reads_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from models import store
    _t, _s, paths = _write_inputs(tmp_path)
    ws = store.Workspace.create(tmp_path / "w.slawb")
    try:
        ws.save_history(history())
    finally:
        ws.close()
    rc = main(["compare", str(paths[0]), str(paths[1]), "--workspace", str(tmp_path / "w.slawb"),
               "--as-of", "2026-12-01T00:00:00Z", "--json"])
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    h = history()
    sim = simulate(loose(), h.tickets, h.status_log, as_of=AS_OF).to_json()
    assert doc["versions"][0]["by_priority"] == sim["by_priority"]
    assert main(["compare", str(paths[0]), str(paths[1]), "--workspace", str(tmp_path / "none.slawb")]) == 2
    assert "none.slawb" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "words"), [
    ("compliance: 1\ncost: 1.0e+40\n", "cost: weight 1e+40 is above 1,000,000"),
    # YAML reads 1 followed by 400 zeros as an int that has no float: float() overflowed
    ("compliance: 1" + "0" * 400 + "\n", "compliance: weight 1e+400 is above 1,000,000"),
    ("compliance: 3" + "1" * 60 + "\n", "compliance: weight about 1e+60 is above 1,000,000"),
    ("compliance: 1000001\n", "compliance: weight 1000001 is above 1,000,000"),
    ("compliance: .inf\n", "compliance: weight inf is above 1,000,000"),
    ("compliance: -.inf\n", "compliance: weight must be a number >= 0, not -inf"),
    ("compliance: .nan\n", "compliance: weight must be a number >= 0, not nan"),
    ("compliance: '" + "x" * 300 + "'\n", "compliance: weight must be a number >= 0, not '" + "x" * 39 + "…"),
    ("'" + "y" * 300 + "': 1\n", "'" + "y" * 39 + "…: unknown component"),
    ("\"a\\nb\": 1\n", "'a\\nb': unknown component"),
])
def test_a_weight_that_cannot_be_scored_is_refused_in_one_line(tmp_path: Path, text: str, words: str) -> None:
    f = tmp_path / "w.yaml"
    f.write_text(text)
    with pytest.raises(CompareError) as exc:
        load_weights(f)
    assert str(exc.value).startswith(f"{f}: {words}"), str(exc.value)
    assert len(str(exc.value)) - len(str(f)) < 150 and "\n" not in str(exc.value)


def test_the_largest_weight_and_tiny_weights_score() -> None:
    assert check_weights({"compliance": 1_000_000, "cost": 1e-300})["compliance"] == 1_000_000.0
    assert check_weights({"compliance": 70, "cost": 30})["cost"] == 30.0
    h = history()
    result = compare([loose(), strict()], h.tickets, h.status_log, as_of=AS_OF, with_warnings=False,
                     weights={"compliance": 1_000_000, "cost": 5e-324})
    assert all(math.isfinite(v.score) and 0 <= v.score <= 100 for v in result.versions)
