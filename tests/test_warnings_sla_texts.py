"""Each published SLA in shared/data/sla-texts, read by a person, against the catalogue.

For every text the codes that MUST fire and the codes that MUST NOT fire are listed
with the human reading behind each (the reason strings).  History checks (W08, W09,
W16, W18) cannot fire without history and are asserted absent.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import pytest

from workbench.documents.reader import load_document
from workbench.warnings import Finding, lint

AS_OF = date(2026, 11, 1)
HISTORY_CODES = ("W08", "W09", "W16", "W18")

# code -> reason, for codes that must fire / must not fire
EXPECTED: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "dxw_service_level_agreement.md": (
        {
            "W01": "1.2: 'make best endeavours to respond to all issues as quickly as possible' - no number",
            "W02": "only first-reply times (3.2, 4.3, 5.2, 6.2); no resolution time for any priority",
            "W03": "nothing on SOC services, NOC/SOC boundary or security escalation (3.1.2 only makes a "
                   "suspected compromise an Urgent ticket)",
            "W04": "no report and no review meeting anywhere",
            "W05": "no credit or other remedy when a reply target is missed",
            "W06": "backups are not mentioned at all",
            "W10": "dated 23 May 2018, far more than a quarter before the as-of date",
            "W11": "priority criteria exist (3-6) but no change-approval time or escalation contacts",
            "W12": "EDR/XDR/MDR coverage is not stated",
            "W13": "no compliance regime is referenced",
            "W15": "no containment owner or vendor/auditor/regulator roles",
            "W17": "no reporting, so MTTR, patch compliance, threat resolution are not reported",
        },
        {
            "W07": "the stated reply times meet the reference: Urgent 1 h (any time), High 1 working hour, "
                   "Normal 8 working hours (within next business day on a 10:00-18:00 day); Low has no "
                   "reference; missing resolution times are W02's finding, not W07's",
            "W14": "no SOC or log monitoring service is claimed, so there is no log monitoring gap",
        },
    ),
    "dxw_govpress_managed_hosting_terms.md": (
        {
            "W01": "5.2/5.5 'every reasonable effort', 6.1 'as soon as is practical', "
                   "7.2 'reasonable efforts "
                   "to respond'",
            "W02": "the terms defer response times to a separate SLA document; no matrix here",
            "W03": "4.3.1 monitors logs for indicators of compromise, but no NOC/SOC boundary and no "
                   "security escalation path",
            "W06": "4.1.2 'Backups and backup restoration' with no RPO, RTO, test cadence or "
                   "monitoring scope",
            "W10": "dated 21 May 2018",
            "W11": "client duties are about required materials, not change approval/escalation contacts/"
                   "severity matrix",
            "W12": "EDR/XDR/MDR coverage is not stated",
            "W14": "4.3.1 claims log monitoring for indicators of compromise but never says how often/24x7",
            "W15": "20.2 covers regulator cooperation and breach notification, but no containment owner",
            "W17": "no report carries MTTR, patch compliance or threat resolution",
        },
        {
            "W04": "4.3.3 commits to quarterly review meetings (Managed Plus)",
            "W05": "5.3 refunds or waives infrastructure fees for unavailability longer than one hour",
            "W07": "no response/resolution times are stated in these terms, so none can be weaker",
            "W13": "20.2.10 references GDPR (and EU transfer rules): a compliance regime is addressed",
        },
    ),
    "accordproject_servicelevelagreement_sample.md": (
        {
            "W02": "the Annex gives Priority 1 only percentage levels (99.8%, 98.0%); no response or "
                   "resolution time for any priority",
            "W03": "no security content at all",
            "W06": "no backup terms",
            "W10": "no date and no review cadence (2.2 lets levels change 'at any time')",
            "W11": "4.1.1 mentions the Customer's obligations but names none of the three duties",
            "W12": "EDR/XDR/MDR coverage not stated",
            "W13": "no compliance regime referenced",
            "W15": "no incident roles",
            "W17": "the monthly report (5.1) shows 'performance against the Service Levels' only",
        },
        {
            "W01": "every time promise has a number ('within 30 days', 'within ten Business Days'); "
                   "'acting reasonably' in 5.2 describes the Customer, not a time promise",
            "W04": "5.1 a monthly report within ten Business Days after each month",
            "W05": "3 Service credits, capped at 10% (3.3), with the Annex's credit column",
            "W07": "no time targets stated, nothing to be weaker than the reference",
            "W14": "no SOC services claimed",
        },
    ),
    "woomberg_managed_wp_hosting_sla_2020_with_credits.md": (
        {
            "W01": "'responded to in a reasonable amount of time'",
            "W02": "no priorities at all; only 'one business day' (Flat plan) and 'up to 24 hours' for "
                   "non-emergency requests",
            "W03": "malware clean-up is a request type, not SOC scope; no boundary or security escalation",
            "W04": "no reporting or review cadence",
            "W06": "'nightly backup ... retention 14 days' but no RPO/RTO/restore tests/monitoring scope",
            "W07": "the only times, one business day and 24 hours, apply to P1/P2 work and exceed the "
                   "1 h / 2 h reference responses",
            "W10": "undated and no review cadence",
            "W11": "no client duties of the three kinds",
            "W12": "EDR/XDR/MDR coverage not stated",
            "W13": "no compliance regime referenced",
            "W15": "no incident roles",
            "W17": "no KPIs reported",
        },
        {
            "W05": "'a credit of five percent (5%) of Customer's monthly fee for each hour' of missed "
                   "availability (How to receive SLA Credits?)",
            "W14": "no SOC or log monitoring service claimed",
        },
    ),
    "woomberg_managed_wp_hosting_sla_latest_no_credits.md": (
        {
            "W01": "'respond to issues ... promptly' and 'a reasonable amount of time'",
            "W02": "no priorities, no resolution times",
            "W03": "no SOC scope, boundary or escalation",
            "W04": "no reporting or review cadence",
            "W05": "the credits section is gone: 'This SLA represents Woomberg's sole obligation and your "
                   "exclusive remedy' with no remedy defined",
            "W06": "nightly backups only",
            "W07": "one business day / 24 hours response exceed the reference",
            "W10": "undated; 'Right to Modify' lets it change without notice, no review cadence",
            "W11": "no client duties of the three kinds",
            "W12": "EDR/XDR/MDR coverage not stated",
            "W13": "no compliance regime referenced",
            "W15": "no incident roles",
            "W17": "no KPIs reported",
        },
        {
            "W14": "no SOC or log monitoring service claimed",
        },
    ),
}


@functools.cache
def _findings(shared_dir: Path, name: str) -> list[Finding]:
    return lint(load_document(shared_dir / "data" / "sla-texts" / name), as_of=AS_OF)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_codes_that_must_fire(shared_dir: Path, name: str) -> None:
    fired = {f.code for f in _findings(shared_dir, name)}
    must, _ = EXPECTED[name]
    missing = {code: why for code, why in must.items() if code not in fired}
    assert not missing, f"{name}: expected codes did not fire: {missing}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_codes_that_must_not_fire(shared_dir: Path, name: str) -> None:
    fired = {f.code for f in _findings(shared_dir, name)}
    _, must_not = EXPECTED[name]
    wrong = {code: why for code, why in must_not.items() if code in fired}
    assert not wrong, f"{name}: codes fired against the reading: {wrong}"
    assert not fired & set(HISTORY_CODES), "history checks need history"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_catalogue_code_has_a_reading(name: str) -> None:
    must, must_not = EXPECTED[name]
    # W08, W09, W16 need history; every other catalogue code is decided for each text
    decided = set(must) | set(must_not)
    undecided = {f"W{i:02d}" for i in range(1, 18)} - decided - {"W08", "W09", "W16"}
    assert not undecided, f"{name}: no reading recorded for {sorted(undecided)}"
    assert not set(must) & set(must_not)


def test_woomberg_later_version_gains_w05_because_credits_were_dropped(shared_dir: Path) -> None:
    old = {f.code for f in _findings(shared_dir, "woomberg_managed_wp_hosting_sla_2020_with_credits.md")}
    new = _findings(shared_dir, "woomberg_managed_wp_hosting_sla_latest_no_credits.md")
    assert "W05" not in old  # 2020: 5% of the monthly fee per hour of missed availability
    w05 = [f for f in new if f.code == "W05"]
    assert w05 and w05[0].severity == "high" and w05[0].clause == "missing"
    assert {f.code for f in new} - old == {"W05"}, "dropping the credits is the change the catalogue sees"


def test_findings_cite_the_clause_and_quote(shared_dir: Path) -> None:
    f = {x.code: x for x in _findings(shared_dir, "dxw_service_level_agreement.md")}
    assert f["W01"].clause == "1.2" and "as quickly as possible" in f["W01"].evidence
    assert f["W10"].evidence.startswith("dated 2018-05-23")
    g = [x for x in _findings(shared_dir, "dxw_govpress_managed_hosting_terms.md") if x.code == "W01"]
    assert {"5.2", "6.1", "7.2"} <= {x.clause for x in g}
    w14 = next(x for x in _findings(shared_dir, "dxw_govpress_managed_hosting_terms.md") if x.code == "W14")
    assert w14.clause == "4.3.1"


def test_w13_with_client_mandates(shared_dir: Path) -> None:
    doc = load_document(shared_dir / "data" / "sla-texts" / "dxw_govpress_managed_hosting_terms.md")
    # GDPR is referenced, but a Canadian client's Bill C-26 / CPPA are not
    found = [f for f in lint(doc, as_of=AS_OF, mandates=["Bill C-26", "CPPA"]) if f.code == "W13"]
    assert found and "Bill C-26" in found[0].evidence and found[0].severity == "high"
    assert not [f for f in lint(doc, as_of=AS_OF, mandates=["GDPR"]) if f.code == "W13"]
