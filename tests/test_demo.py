"""The bundled demo: contract files, generated history, determinism, CLI."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from models.contract import (
    PRIORITIES,
    SEED_ESCALATION_MATRIX,
    Contract,
    dump_contract_yaml,
    load_contract,
    parse_target,
    yaml_load,
)
from models.history import MISSING, History
from workbench.cli import main
from workbench.demo import generator as demo

TZ = ZoneInfo(demo.TZ_NAME)
SEED_CATEGORIES = (
    "antivirus alert", "lateral movement", "credential theft", "SIEM log anomaly", "user lockout"
)
# The vague commitments of warning sign W01 (shared/spec/warning-signs.md), plus their close kin.
VAGUE = re.compile(
    r"as soon as (?:possible|practicable)|prompt|reasonabl|best (?:efforts?|endeavou?rs?)|"
    r"as quickly as possible|timely|every reasonable effort|\basap\b",
    re.IGNORECASE,
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.fixture(scope="module")
def contracts() -> dict[str, Contract]:
    return demo.load_demo_contracts()


@pytest.fixture(scope="module")
def history() -> History:
    return demo.load_demo_history()


# ------------------------------------------------------------------ contracts


def test_contract_files_in_order() -> None:
    paths = demo.demo_contract_paths()
    assert list(paths) == [
        "northwind-2024", "northwind-2025", "northwind-2026-q4-proposal",
        "competitor-bluepeak", "competitor-harbourline",
    ]
    for p in paths.values():
        assert p.is_file(), p
        assert p.parent == demo.demo_dir()


@pytest.mark.parametrize("name", demo.CONTRACT_FILES)
def test_contract_round_trips_byte_for_byte(name: str) -> None:
    path = demo.demo_contract_paths()[name]
    text = path.read_text(encoding="utf-8")
    contract = load_contract(path)
    assert dump_contract_yaml(contract) == text


def test_contracts_validate_against_the_cli_schema(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema  # dev extra: a missing one is a failure, not a skip
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    validator = jsonschema.Draft202012Validator(schema)
    for name, path in demo.demo_contract_paths().items():
        data = json.loads(json.dumps(yaml_load(path.read_text(encoding="utf-8")), default=str))
        errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], f"{name}: {errors}"
    # the validator does reject a broken contract (the check above can fail)
    text = demo.demo_contract_paths()["northwind-2025"].read_text(encoding="utf-8")
    bad = json.loads(json.dumps(yaml_load(text), default=str))
    bad["targets"]["P1"]["compliance_target"] = 3
    assert list(validator.iter_errors(bad))


def test_statuses_fees_and_parties(contracts: dict[str, Contract]) -> None:
    assert [c.status for c in contracts.values()] == ["signed", "signed", "proposal", "proposal", "proposal"]
    assert all(c.currency == "CAD" and c.client == demo.CLIENT for c in contracts.values())
    fees = {n: c.monthly_fee for n, c in contracts.items() if c.monthly_fee is not None}
    assert len(fees) == len(contracts)
    assert fees["competitor-bluepeak"] < fees["northwind-2026-q4-proposal"] < fees["competitor-harbourline"]
    assert {c.provider for n, c in contracts.items() if n.startswith("northwind")} == {demo.PROVIDER}


def test_2024_template_is_generic(contracts: dict[str, Contract]) -> None:
    c = contracts["northwind-2024"]
    assert c.targets == {}
    assert c.security.soc_services == () and c.escalation_matrix == ()
    assert c.reporting.cadence == () and c.service_credits == () and c.backup.systems == ()
    text = " ".join(cl.text for cl in c.clauses)
    assert "as soon as possible" in text and "reasonable" in text


def test_2025_revision_is_weaker_than_reference(contracts: dict[str, Contract]) -> None:
    c = contracts["northwind-2025"]
    assert (c.target("P1", "response"), c.target("P1", "resolution")) == ("2h", "8h")
    assert c.target("P2", "resolution") == "next_business_day"
    assert {c.calendar_name(p, m) for p in PRIORITIES for m in ("response", "resolution")} == {"business"}
    assert set(c.pause_statuses) == {"Awaiting User Info", "Pending client approval"}
    assert c.security.log_monitoring.frequency == "business hours"
    assert {(s.rpo, s.rto) for s in c.backup.systems} == {("24h", "8h")}
    assert c.backup.restore_test_cadence == "semiannual"
    assert c.service_credits and c.reporting.cadence == ("monthly report",)


def _reference_met(c: Contract) -> bool:
    def seconds(p: str, m: str) -> int | None:
        kind, sec = parse_target(c.target(p, m) or "")
        return sec if kind == "duration" else None

    p1r, p1x, p2r = seconds("P1", "response"), seconds("P1", "resolution"), seconds("P2", "response")
    return (
        p1r is not None and p1r <= 3600 and p1x is not None and p1x <= 4 * 3600
        and p2r is not None and p2r <= 2 * 3600
        and c.target("P2", "resolution") in ("same_business_day", *(f"{h}h" for h in range(1, 9)))
        and c.calendar_name("P1", "response") == "24x7"
    )


def test_proposal_is_well_specified(contracts: dict[str, Contract]) -> None:
    c = contracts["northwind-2026-q4-proposal"]
    # W02 / W07: a full matrix meeting the seed's reference
    assert all(c.target(p, m) for p in ("P1", "P2", "P3") for m in ("response", "resolution"))
    assert _reference_met(c)
    assert c.target("P3", "resolution") == "next_business_day"
    # W03: SOC scope, MSP/MSSP boundary, escalation path; the seed's boundaries first
    assert c.security.soc_services and c.security.incident_escalation
    assert c.escalation_matrix[:5] == SEED_ESCALATION_MATRIX
    assert {r.owner for r in c.escalation_matrix} == {"MSP", "MSSP"}
    assert c.security.log_monitoring.frequency == "24/7"
    assert any("SIEM" in t for t in c.security.log_monitoring.tooling)
    cover = {e.product: e for e in c.security.endpoint_coverage}
    assert {"EDR", "XDR"} <= set(cover) and not any(e.licence_excluded for e in cover.values())
    assert {"containment", "vendor", "auditor", "regulator"} <= set(c.security.breach_roles)
    # W04 / W05 / W06
    assert "quarterly business review (QBR)" in c.reporting.cadence
    assert {"MTTR", "patch compliance", "threat resolution"} <= set(c.reporting.kpis)
    assert c.service_credits and all(s.cap_percent for s in c.service_credits if s.trigger == "per_breach")
    assert len(c.backup.systems) == 4 and c.backup.restore_test_cadence == "quarterly"
    assert c.backup.cloud_backup_monitoring and c.backup.onprem_backup_monitoring
    kinds = {o.kind for o in c.client_obligations}
    assert kinds >= {"change_approval", "escalation_contacts", "severity_matrix"}
    assert any("C-26" in m for m in c.compliance_mandates) and any("CPPA" in m for m in c.compliance_mandates)
    assert {u.target_percent for u in c.uptime} == {99.9}
    # W01: no vague word anywhere in the contract's text
    vague = [s for s in _strings(c.to_data()) if VAGUE.search(s)]
    assert vague == []


def test_vague_pattern_catches_the_template(contracts: dict[str, Contract]) -> None:
    hits = [s for s in _strings(contracts["northwind-2024"].to_data()) if VAGUE.search(s)]
    assert len(hits) >= 4


def test_competitors(contracts: dict[str, Contract]) -> None:
    blue, harbour = contracts["competitor-bluepeak"], contracts["competitor-harbourline"]
    blue_text = " ".join(cl.text for cl in blue.clauses)
    assert "Severity 1" in blue_text and "P1" not in blue_text
    assert blue.target("P1", "resolution") == "8h" and not _reference_met(blue)
    assert any(e.product == "XDR" and e.licence_excluded for e in blue.security.endpoint_coverage)
    assert blue.security.log_monitoring.frequency == "business hours"
    assert {harbour.calendar_name(p, m) for p in PRIORITIES for m in ("response", "resolution")} == {"24x7"}
    assert len(harbour.service_credits) > len(blue.service_credits)


def test_proposal_has_no_w01_to_w07_findings(contracts: dict[str, Contract]) -> None:
    from workbench import warnings
    early = {f"W0{i}" for i in range(1, 8)}
    found = {f.code for f in warnings.lint(contracts["northwind-2026-q4-proposal"])}
    assert found & early == set(), found
    # while the old template trips most of them (so the lint does look)
    old = {f.code for f in warnings.lint(contracts["northwind-2024"])}
    assert {"W01", "W02", "W03", "W04", "W05", "W06"} <= old


# ------------------------------------------------------------------ history


def test_history_counts_and_priority_mix(history: History) -> None:
    t = history.tickets
    assert len(t) == demo.N_TICKETS
    share = np.bincount(t.priority, minlength=4) / len(t)
    assert np.allclose(share, demo.PRIORITY_MIX, atol=0.01), share
    assert len(np.unique(t.ids)) == len(t)


def test_history_spans_two_years_in_order(history: History) -> None:
    t = history.tickets
    first = datetime.fromtimestamp(int(t.opened.min()), TZ).date()
    last = datetime.fromtimestamp(int(t.opened.max()), TZ).date()
    assert first <= date(2024, 11, 3) and last >= date(2026, 10, 28)
    as_of = demo.demo_as_of()
    has_r, has_x, has_c = (t.first_response != MISSING), (t.resolved != MISSING), (t.closed != MISSING)
    assert np.all(t.first_response[has_r] > t.opened[has_r])
    assert np.all(t.resolved[has_x] >= t.first_response[has_x]) and np.all(has_r[has_x])
    assert np.all(t.closed[has_c] >= t.resolved[has_c]) and np.all(has_x[has_c])
    for col in (t.first_response, t.resolved, t.closed):
        assert int(col[col != MISSING].max()) < as_of
    assert 0 < int((~has_x).sum()) < 500  # a few tickets still open at the end
    assert int(has_c.sum()) > 0.95 * len(t)


def test_arrivals_mostly_business_hours_with_out_of_hours_p1(history: History) -> None:
    t = history.tickets
    local = [datetime.fromtimestamp(int(x), TZ) for x in t.opened]
    business = np.array([d.weekday() < 5 and 8 <= d.hour < 17 for d in local])
    assert 0.6 < business.mean() < 0.9
    p1 = t.priority == 0
    assert int((p1 & ~business).sum()) >= 50
    weekend = np.array([d.weekday() >= 5 for d in local])
    assert 0.02 < weekend.mean() < 0.2


def test_categories_teams_and_misrouting(history: History) -> None:
    t = history.tickets
    cats = np.array(t.category_names, dtype=object)[t.category]
    teams = np.array(t.team_names, dtype=object)[t.team]
    assert set(SEED_CATEGORIES) <= set(cats)
    assert {"password reset", "printer", "email", "server down", "network outage", "patch failure",
            "backup failure", "phishing report"} <= set(cats)
    assert set(teams) == {"Helpdesk", "NOC", "SOC"}
    home = {name: team for name, team, _w in demo.CATEGORIES}
    wrong = np.array([home[c] != tm for c, tm in zip(cats, teams, strict=True)])
    assert 0.005 < wrong.mean() < 0.08
    assert int(((cats == "credential theft") & (teams == "Helpdesk")).sum()) >= 1
    for cat in SEED_CATEGORIES:  # most of each seed category is worked by its own team
        sel = cats == cat
        assert Counter(teams[sel]).most_common(1)[0][0] == home[cat]


def test_status_log_waits_and_provider_flags(history: History) -> None:
    log, t = history.status_log, history.tickets
    names = Counter(np.array(log.status_names, dtype=object)[log.status])
    assert set(names) == {"New", "In Progress", "Awaiting User Info", "Pending client approval",
                          "Resolved", "Closed"}
    assert names["New"] == len(t)
    waits = names["Awaiting User Info"] + names["Pending client approval"]
    assert 0.1 * len(t) < waits < 0.4 * len(t)
    assert np.all(np.diff(log.ticket) >= 0)
    flags = Counter(t.provider_sla_met.tolist())
    assert flags[1] > flags[0] > 0 and flags[-1] > 0
    since = datetime(2025, 6, 1, tzinfo=TZ).timestamp()
    assert np.all(t.provider_sla_met[t.opened < since] == -1)


def test_backups_restores_outages_kpis(history: History) -> None:
    systems = {name for name, _loc, _h in demo.BACKUP_SYSTEMS}
    assert {b.system for b in history.backups} == systems
    assert 0.95 < np.mean([b.success for b in history.backups]) < 1.0
    by_system: dict[str, list[Any]] = {}
    for r in history.restore_tests:
        by_system.setdefault(r.system, []).append(r)
    assert set(by_system) == systems
    assert sum(not r.success for r in history.restore_tests) == 1
    gaps = [
        (b.started_at - a.started_at).days
        for tests in by_system.values() for a, b in zip(tests, tests[1:], strict=False)
    ]
    assert max(gaps) > 183 and sorted(gaps)[len(gaps) // 2] < 110  # one overdue gap, quarterly otherwise
    planned = [o for o in history.outages if o.maintenance]
    unplanned = [o for o in history.outages if not o.maintenance]
    assert len(planned) >= 24 and 5 <= len(unplanned) <= 20
    assert all(o.end > o.start for o in history.outages)
    assert [k.month for k in history.kpis][:2] == [date(2024, 11, 1), date(2024, 12, 1)]
    assert len(history.kpis) == 24
    assert all(0 <= (k.threats_resolved or 0) <= (k.threats_detected or 0) for k in history.kpis)
    assert history.kpis[-1].patch_compliance > history.kpis[0].patch_compliance  # type: ignore[operator]


# ------------------------------------------------------------------ determinism and files


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    demo.generate(out)
    return out


def _content(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def test_generation_reproduces_bundled_files(regenerated: Path) -> None:
    bundled = demo.demo_dir()
    made = sorted(p.name for p in regenerated.iterdir())
    shipped = sorted(p.name for p in bundled.iterdir() if p.suffix in (".yaml", ".csv", ".gz"))
    assert made == shipped
    for name in made:
        # gzip streams are compared by content: zlib builds may pack the same bytes differently
        assert _content(regenerated / name) == _content(bundled / name), name


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    demo.generate(out, seed=7, n_tickets=300)
    return out


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_seed_changes_history_not_contracts(small: Path) -> None:
    other = demo.generate_files(seed=8, n_tickets=300)
    assert other["tickets.csv"] != (small / "tickets.csv").read_bytes()
    assert all(other[f"{n}.yaml"] == (small / f"{n}.yaml").read_bytes() for n in demo.CONTRACT_FILES)
    assert other["tickets.csv"].count(b"\n") == 301


def test_small_generated_history_loads(small: Path) -> None:
    h = demo.load_demo_history(small)
    assert len(h.tickets) == 300 and len(h.status_log) >= 4 * 290


def test_gzipped_csv_read_transparently(small: Path, tmp_path: Path) -> None:
    plain = demo.load_demo_history(small)
    tmp_path = _copy(small, tmp_path / "d")
    for name in ("tickets.csv", "status_log.csv", "backups.csv"):
        p = tmp_path / name
        (tmp_path / (name + ".gz")).write_bytes(gzip.compress(p.read_bytes()))
        p.unlink()
    packed = demo.load_demo_history(tmp_path)
    assert np.array_equal(packed.tickets.resolved, plain.tickets.resolved)
    assert np.array_equal(packed.status_log.at, plain.status_log.at)
    assert packed.backups == plain.backups


def test_bad_csv_names_file_line_and_field(small: Path, tmp_path: Path) -> None:
    tmp_path = _copy(small, tmp_path / "d")
    p = tmp_path / "tickets.csv"
    lines = p.read_text().splitlines()
    fields = lines[3].split(",")
    fields[2] = "yesterday"
    lines[3] = ",".join(fields)
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"tickets\.csv.*line 4.*opened_at"):
        demo.load_demo_history(tmp_path)
    shutil.copy(small / "tickets.csv", p)  # good tickets again
    r = tmp_path / "restore_tests.csv"
    r.write_text(r.read_text().replace(",true", ",maybe", 1))
    with pytest.raises(ValueError, match=r"restore_tests\.csv: line 2: success"):
        demo.load_demo_history(tmp_path)


# ------------------------------------------------------------------ command line


def test_cli_demo_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "d"), "--seed", "3", "--tickets", "200"]) == 0
    printed = capsys.readouterr().out.split()
    assert {Path(p).name for p in printed} >= {"tickets.csv", "northwind-2025.yaml"}
    assert (tmp_path / "d" / "tickets.csv").read_text().count("\n") == 201


@pytest.mark.parametrize("argv", [["demo", "--seed", "3"], ["demo", "--out", "x", "--tickets", "0"]])
def test_cli_demo_bad_arguments(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("sla-workbench demo: error:") and err.count("\n") == 1
