"""The redline's "effect on the history" for recovery changes (RPO, RTO, cadence, uptime,
uptime credits), measured on backups, restore tests and outages, hand-computed."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pdfplumber

from models.contract import contract_from_data
from models.history import History
from tests.test_compare_recovery import AS_OF, recovery_history, z
from workbench.documents.diff import diff_versions, version_from_contract
from workbench.reports.pdf.effects import measure_effects
from workbench.reports.pdf.redline import RedlineOptions, build_redline


def terms(rpo: str, rto: str, cadence: str, uptime: float, credit: float | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "R", "version": rpo, "monthly_fee": 1000.0,
        "calendars": {"biz": {"timezone": "America/Toronto", "weekly": {"mon": ["08:00-17:00"]}}},
        "targets": {"P1": {"response": "1h", "calendar": "24x7"}},
        "backup": {"systems": [{"name": "db", "rpo": rpo, "rto": rto}], "restore_test_cadence": cadence},
        "uptime": [{"service": "erp", "target_percent": uptime}],
    }
    if credit is not None:
        data["service_credits"] = [{"metric": "uptime", "percent_of_fee": credit}]
    return data


OLD = contract_from_data(terms("14h", "4h", "quarterly", 99.0, None))
NEW = contract_from_data(terms("6h", "2h", "monthly", 99.9, 5.0))
RECORDS = recovery_history(z(2025, 1, 1))
ON = " (2024-12..2025-03 records)"  # Toronto months: the first test is Dec 31 local


def measured(records: History | None) -> Any:
    diff = diff_versions(version_from_contract(OLD), version_from_contract(NEW))
    return measure_effects(diff, RECORDS.tickets, None, AS_OF, records=records)


def effects(records: History | None) -> dict[str, str]:
    return dict(measured(records).effects)


def test_recovery_effects_by_hand() -> None:
    e = effects(RECORDS)
    # Toronto days Mar 8 (2 h), Mar 9 (14 h, a 23-hour day), Mar 10 (7 h to as_of)
    assert e["backup.systems[db].rpo"] == (
        "RPO 14 hours → 6 hours for db: 2 of 3 days had a longer gap between successful backups "
        f"(0 under 14 hours); 2 gaps longer than the RPO (0 before){ON}")
    assert e["backup.systems[db].rto"] == (
        "RTO 4 hours → 2 hours for db: 1 of 2 restore tests took longer or failed (0 before); "
        f"the longest successful test took 3.0 hours{ON}")
    # Jan 1 -> Mar 5 is 63 days: monthly (31 d) misses 2, quarterly none; Mar 5 -> as_of is short
    assert e["backup.restore_test_cadence"] == (
        "restore tests quarterly → monthly: 2 tests missing across the systems (0 before); "
        f"0 of 1 systems kept the cadence{ON}")
    # January: 1 h down of 31 days = 99.87 %: below 99.9 %, above 99 %
    assert e["uptime[erp]"] == f"1 of 3 months of erp below 99.9% (0 under 99%){ON}"
    # the credits section alone, under the current 99 % target: January (99.87 %) is no breach
    assert e["service_credits"] == "no credits owed under either version on the 1 ticket opened 2025-03"
    # all the changes together: the tickets owe none, the January breach of 99.9 % 5 %
    assert (
        "uptime credits owed, summed over the months: 0% → 5% of the monthly fee (CAD 0.00 → CAD 50.00)"
        f"{ON}") in measured(RECORDS).combined
    # a changed uptime rule on its own
    rule = contract_from_data({**terms("6h", "2h", "monthly", 99.9, 10.0), "version": "x"})
    diff = diff_versions(version_from_contract(NEW), version_from_contract(rule))
    one = measure_effects(diff, RECORDS.tickets, None, AS_OF, records=RECORDS).effects
    assert one["service_credits[all uptime per_breach]"] == (
        "uptime credits owed, summed over the months: 5% → 10% of the monthly fee "
        f"(CAD 50.00 → CAD 100.00){ON}")


def test_no_recovery_effects_without_records() -> None:
    e = effects(None)
    assert not any(k.startswith(("backup.", "uptime")) for k in e)
    assert e["service_credits"] == "no credits owed under either version on the 1 ticket opened 2025-03"


def test_the_redline_pdf_states_them() -> None:
    vo, vn = version_from_contract(OLD), version_from_contract(NEW)
    opts = RedlineOptions(as_of=date(2025, 3, 10), prepared_on=date(2025, 3, 11))
    pdf = build_redline(vo, vn, opts, history=RECORDS, lint=lambda *a, **k: [])
    pages = pdfplumber.open(io.BytesIO(pdf)).pages
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pages))
    assert "days had a longer gap between successful backups" in text
    assert "restore tests took longer or failed" in text
