"""The recovery replay: hand-computed gaps, restore tests, cadence and availability
(DST days and month boundaries in America/Toronto), a brute-force reference over random
histories that must agree exactly, and the What-if recovery edits."""

from __future__ import annotations

import datetime as dt
import math
import random
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from models.contract import Contract, contract_from_data, load_contract
from models.history import BackupJob, History, Outage, RestoreTest, to_epoch
from models.progress import Cancelled
from workbench.app.scenarios import ScenarioError, with_cadence, with_rpo, with_rto, with_uptime
from workbench.engine.recovery import cadence_check, monthly_availability, rpo_check, rto_checks
from workbench.engine.recovery_replay import RecoveryColumns, RecoveryReplay, RecoveryScenario

UTC = dt.UTC
TOR = ZoneInfo("America/Toronto")
H = 3600
DAY = 86400


def z(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=UTC)


def t(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> int:
    return to_epoch(z(y, mo, d, h, mi))


def contract(**extra: object) -> Contract:
    data = {
        "name": "R", "version": "1", "monthly_fee": 1000.0, "credits_cap_percent": 10.0,
        "calendars": {"biz": {"timezone": "America/Toronto",
                              "weekly": {x: ["08:00-17:00"] for x in ("mon", "tue", "wed", "thu", "fri")}}},
        "backup": {"systems": [{"name": "db", "tier": 1, "rpo": "6h", "rto": "2h"},
                               {"name": "files", "tier": 2, "rpo": "24h", "rto": "4h"}],
                   "restore_test_cadence": "monthly"},
        "uptime": [{"service": "erp", "target_percent": 99.9},
                   {"service": "portal", "target_percent": 99.0, "calendar": "biz"}],
        "service_credits": [
            {"metric": "uptime", "percent_of_fee": 5.0, "cap_percent": 8.0},
            {"metric": "uptime", "percent_of_fee": 3.0, "trigger": "compliance_below", "threshold": 0.995},
        ],
    }
    data.update(extra)
    return contract_from_data(data)


C = contract()


def ok(system: str, at: dt.datetime, success: bool = True) -> BackupJob:
    return BackupJob(system=system, finished_at=at, success=success)


# ----------------------------------------------------------------- hand-computed: RPO


def test_rpo_gaps_over_the_spring_dst_day() -> None:
    """Toronto, Sunday 2025-03-09 has 23 hours (05:00Z to 04:00Z next day)."""
    backups = [
        ok("db", z(2025, 3, 9, 3)),   # Sat 22:00 EST
        ok("db", z(2025, 3, 9, 8)),   # Sun 04:00 EDT: 5 real hours later (6 on the wall clock)
        ok("db", z(2025, 3, 9, 12), success=False),  # failed: no reset
        ok("db", z(2025, 3, 9, 22)),  # Sun 18:00 EDT: a 14 h gap
        ok("db", z(2025, 3, 10, 5)),  # Mon 01:00 EDT: a 7 h gap
    ]
    replay = RecoveryReplay.from_history(History(backups=tuple(backups)), C, as_of=t(2025, 3, 10, 7))
    r = replay.rpo("db", 6 * H)
    assert r.successful_backups == 4 and r.gaps == 4  # the open gap to as_of is one
    assert list(zip(r.breach_start.tolist(), r.breach_end.tolist(), strict=True)) == [
        (t(2025, 3, 9, 8), t(2025, 3, 9, 22)), (t(2025, 3, 9, 22), t(2025, 3, 10, 5))]
    assert r.worst_gap_seconds == 14 * H and not r.met
    # exposure per local day: Sat 2 h (to midnight), Sun 14 h, Mon 7 h (to as_of 03:00 EDT)
    assert r.days == 3 and r.days_met == 1
    assert [replay.smallest_rpo("db", p) for p in (33.3, 66, 66.7, 100)] == [2 * H, 7 * H, 14 * H, 14 * H]
    assert replay.rpo("db", 5 * H).breaches == 2  # the 5 real hours meet a 5 h RPO
    assert replay.rpo("db", 5 * H - 1).breaches == 3
    assert replay.rpo("db", 14 * H).met and replay.rpo("db", 14 * H).days_met == 3
    res = replay.run()
    assert res.months == ("2025-03",)
    assert res.breaches_by_month("db").tolist() == [2]
    assert res.rpo["files"].successful_backups == 0 and not res.rpo["files"].met
    assert replay.smallest_rpo("files") is None


def test_rpo_breach_counted_in_the_month_it_exceeded_the_rpo() -> None:
    """A gap from Friday 2025-10-31 20:00 EDT to Sunday 2025-11-02 20:00 EST (a 25-hour
    day) is 49 h; a 24 h RPO is exceeded on 2025-11-01 20:00 EDT, in November."""
    backups = [ok("files", z(2025, 11, 1, 0)), ok("files", z(2025, 11, 3, 1)), ok("files", z(2025, 11, 4, 1))]
    replay = RecoveryReplay.from_history(History(backups=tuple(backups)), C, as_of=t(2025, 11, 4, 2))
    r = replay.rpo("files", 24 * H)
    assert replay.months == ("2025-10", "2025-11")
    assert r.breaches == 1 and r.breach_month.tolist() == [1] and r.worst_gap_seconds == 49 * H
    assert r.breach_open.tolist() == [False]
    # days: Oct 31 4 h, Nov 1 28 h, Nov 2 (25 h long) 49 h, Nov 3 24 h
    assert r.days == 4 and r.days_met == 2
    assert r.days_missed_by_month.tolist() == [0, 2]
    assert replay.smallest_rpo("files", 50) == 24 * H
    assert replay.smallest_rpo("files", 75) == 28 * H
    assert replay.smallest_rpo("files", 100) == 49 * H
    # the open gap to as_of (25 h from Nov 4 01:00Z) breaches too
    late = RecoveryReplay.from_history(History(backups=tuple(backups)), C, as_of=t(2025, 11, 5, 2))
    r = late.rpo("files", 24 * H)
    assert r.breach_open.tolist() == [False, True] and r.breach_end.tolist()[-1] == t(2025, 11, 5, 2)
    assert late.rpo("files", 25 * H).breach_open.tolist() == [False]


# ---------------------------------------------------------------- hand-computed: RTO, cadence


TESTS = (
    RestoreTest(system="db", started_at=z(2025, 1, 1), finished_at=z(2025, 1, 1, 2), success=True),
    RestoreTest(system="db", started_at=z(2025, 3, 15),
                finished_at=z(2025, 3, 15, 2, 0) + dt.timedelta(seconds=1), success=True),
    RestoreTest(system="db", started_at=z(2025, 4, 1), finished_at=z(2025, 4, 1, 0, 10), success=False),
    RestoreTest(system="db", started_at=z(2025, 4, 14, 23), finished_at=z(2025, 4, 15, 1), success=True),
)
AS_OF = t(2025, 4, 15)


def test_rto_over_and_supported() -> None:
    replay = RecoveryReplay.from_history(History(restore_tests=TESTS), C, as_of=AS_OF)
    r = replay.rto("db", 2 * H)
    assert r.tests == 3 and r.failed == 1  # the test still running at as_of is not judged
    assert r.over_started.tolist() == [t(2025, 3, 15), t(2025, 4, 1)]
    assert r.over_duration.tolist() == [2 * H + 1, 600]
    assert r.supported_rto_seconds == 2 * H + 1 and not r.met
    assert replay.supported_rto("db") == 2 * H + 1 and replay.supported_rto("db", 50) == 2 * H
    assert replay.rto("db", 2 * H + 1).over == 1  # a failed test breaches any RTO
    assert replay.supported_rto("files") is None


def test_cadence_missing_tests_and_their_months() -> None:
    """Monthly = 31 days.  Jan 1 -> Mar 15 is 73 days: tests were due Feb 1 00:00Z (still
    Jan 31 in Toronto) and Mar 4; Apr 1 -> Apr 14 23:00 and on to as_of are short."""
    replay = RecoveryReplay.from_history(History(restore_tests=TESTS), C, as_of=AS_OF)
    c = replay.cadence("db", 31 * DAY)
    assert c.tests == 4 and c.longest_interval_seconds == 73 * DAY and c.met is False
    assert c.missing_due.tolist() == [t(2025, 2, 1), t(2025, 3, 4)]
    assert replay.months == ("2024-12", "2025-01", "2025-02", "2025-03", "2025-04")
    assert c.missing_month.tolist() == [1, 3]
    assert replay.cadence("db", 73 * DAY).missing == 0 and replay.cadence("db", 73 * DAY).met
    assert replay.cadence("db", None).met is None
    # no test at all: the tests due from the history's start are missing
    none = replay.cadence("files", 31 * DAY)
    assert none.tests == 0 and none.met is False
    assert none.missing_due.tolist() == [t(2025, 1, 1) + k * 31 * DAY for k in (1, 2, 3)]


# ----------------------------------------------------------- hand-computed: availability


OUTAGES = (
    Outage(service="erp", start=z(2025, 1, 31, 23), end=z(2025, 2, 1, 1)),  # across the UTC month edge
    Outage(service="erp", start=z(2025, 3, 5, 1), end=z(2025, 3, 5, 3), maintenance=True),
    Outage(service="erp", start=z(2025, 3, 5, 2), end=z(2025, 3, 5, 3, 30)),  # half inside maintenance
    Outage(service="portal", start=z(2025, 3, 10, 16), end=z(2025, 3, 11, 0)),  # 12:00-20:00 EDT
)


def test_availability_months_and_uptime_credits() -> None:
    replay = RecoveryReplay.from_history(History(restore_tests=TESTS, outages=OUTAGES), C, as_of=AS_OF)
    res = replay.run()
    erp = res.availability["erp"]
    assert erp.labels == ("2025-01", "2025-02", "2025-03", "2025-04")  # 24x7: UTC months
    assert erp.down.tolist() == [H, H, 1800, 0]
    assert erp.total.tolist() == [31 * DAY, 28 * DAY, 31 * DAY, 30 * DAY]
    assert erp.outcome == ("breached", "breached", "met", "pending")
    portal = res.availability["portal"]
    assert portal.labels == ("2024-12", "2025-01", "2025-02", "2025-03", "2025-04")  # Toronto months
    assert portal.down.tolist()[3] == 5 * H and portal.total.tolist()[3] == 21 * 9 * H  # 21 weekdays
    assert portal.outcome[3] == "breached" and portal.availability[3] == pytest.approx(1 - 5 / 189)
    # credits: Jan and Feb 5 % (erp breached, above 99.5 %); Mar 5 % + 3 % (portal below 99.5 %)
    assert res.credit_months == ("2024-12", "2025-01", "2025-02", "2025-03", "2025-04")
    assert res.credits.percent.tolist() == [0, 5, 5, 8, 0]
    assert res.credits.total_amount() == 180.0
    base = RecoveryScenario.from_contract(C)
    stricter = replay.run(base.with_uptime("erp", 99.99).with_uptime("portal", 98))
    assert stricter.availability["erp"].outcome == ("breached", "breached", "breached", "pending")
    assert stricter.availability["portal"].outcome[3] == "breached"
    assert stricter.credits.percent.tolist() == [0, 5, 5, 10, 0]  # 5 + 5 capped at 8, + 3, cap 10
    added = replay.run(RecoveryScenario.from_contract(C).with_uptime("mail", 99.0))
    assert added.availability["mail"].down.tolist() == [0, 0, 0, 0]


def test_json_document_and_progress_cancel() -> None:
    backups = (ok("db", z(2025, 1, 1)), ok("db", z(2025, 1, 2)))
    h = History(backups=backups, restore_tests=TESTS, outages=OUTAGES)
    replay = RecoveryReplay.from_history(h, C, as_of=AS_OF)
    doc = replay.run().to_json()
    assert set(doc) == {"as_of", "zone", "systems", "availability", "uptime_credits"}
    assert set(doc["systems"]) == {"db", "files"}
    assert set(doc["systems"]["db"]) == {"rpo", "rto", "cadence"}
    assert doc["systems"]["db"]["rpo"]["longest_breach_gaps"][0]["open"] is True
    assert doc["availability"]["erp"]["breached_months"] == 2
    assert doc["uptime_credits"]["total_percent"] == 18.0
    calls: list[float] = []

    def record(fraction: float, message: str) -> bool:
        calls.append(fraction)
        return True

    replay.run(progress=record)
    assert calls[-1] == 1.0
    with pytest.raises(Cancelled):
        replay.run(progress=lambda f, m: False)
    with pytest.raises(Cancelled):
        RecoveryReplay.from_history(h, C, progress=lambda f, m: f < 0.5)


# ------------------------------------------------------------------------- brute force


def local_day(sec: int) -> dt.date:
    return dt.datetime.fromtimestamp(sec, TOR).date()


def midnight(d: dt.date) -> int:
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=TOR).timestamp())


def month_label(sec: int, tz: ZoneInfo = TOR) -> str:
    x = dt.datetime.fromtimestamp(sec, tz)
    return f"{x.year:04d}-{x.month:02d}"


def brute_rpo(times: list[int], as_of: int, rpo: int) -> dict[str, object]:
    """Plain loops: gaps, breaches (with the month the RPO was exceeded), day exposures."""
    gaps = []
    for i, s in enumerate(times):
        e = times[i + 1] if i + 1 < len(times) else as_of
        gaps.append((s, e))
    breaches = [(s, e, month_label(s + rpo)) for s, e in gaps if e - s > rpo]
    exposures = []
    missed: dict[str, int] = {}
    day = local_day(times[0])
    while midnight(day) < as_of:
        d0 = max(midnight(day), times[0])
        d1 = min(midnight(day + dt.timedelta(days=1)), as_of)
        worst = 0
        for s, e in gaps:
            if s < d1 and e > d0:
                worst = max(worst, min(e, d1) - s)
        exposures.append(worst)
        if worst > rpo:
            missed[month_label(midnight(day))] = missed.get(month_label(midnight(day)), 0) + 1
        day += dt.timedelta(days=1)
    return {"breaches": breaches, "exposures": exposures, "missed": missed,
            "worst": max(e - s for s, e in gaps)}


def brute_smallest(exposures: list[int], percent: float) -> int:
    for r in sorted(set(exposures)):
        if Fraction(sum(x <= r for x in exposures), len(exposures)) >= Fraction(str(percent)) / 100:
            return r
    raise AssertionError


def random_history(rng: random.Random) -> tuple[History, int]:
    start = t(2025, 10, 20) + rng.randrange(0, 20 * DAY)  # around the Nov 2 change
    as_of = start + rng.randrange(5 * DAY, 40 * DAY)
    backups, tests, outages = [], [], []
    for name in ("db", "files", "mail"):
        if rng.random() < 0.1:
            continue
        at = start + rng.randrange(0, DAY)
        while at < as_of + DAY:
            backups.append(BackupJob(system=name, finished_at=dt.datetime.fromtimestamp(at, UTC),
                                     success=rng.random() < 0.85))
            at += rng.choice([0, 60, 900, H, 4 * H, 6 * H, 6 * H + 1, DAY, rng.randrange(1, 3 * DAY)])
        for _ in range(rng.randrange(0, 6)):
            a = rng.randrange(start, as_of + 2 * DAY)
            tests.append(RestoreTest(system=name, started_at=dt.datetime.fromtimestamp(a, UTC),
                                     finished_at=dt.datetime.fromtimestamp(a + rng.randrange(0, 6 * H), UTC),
                                     success=rng.random() < 0.8))
    for service in ("erp", "portal"):
        for _ in range(rng.randrange(0, 8)):
            a = rng.randrange(start, as_of + DAY)
            outages.append(Outage(service=service, start=dt.datetime.fromtimestamp(a, UTC),
                                  end=dt.datetime.fromtimestamp(a + rng.randrange(0, 2 * DAY), UTC),
                                  maintenance=rng.random() < 0.3))
    rng.shuffle(backups)
    return History(backups=tuple(backups), restore_tests=tuple(tests), outages=tuple(outages)), as_of


@pytest.mark.parametrize("seed", range(40))
def test_replay_agrees_with_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    h, as_of = random_history(rng)
    replay = RecoveryReplay.from_history(h, C, as_of=as_of)
    months = replay.months
    first = min([to_epoch(b.finished_at) for b in h.backups]
                + [to_epoch(r.started_at) for r in h.restore_tests] + [to_epoch(o.start) for o in h.outages])
    for name in ("db", "files", "mail"):
        times = sorted(to_epoch(b.finished_at) for b in h.backups
                       if b.system == name and b.success and to_epoch(b.finished_at) <= as_of)
        for rpo in (rng.randrange(60, 2 * DAY), 6 * H, DAY):
            got = replay.rpo(name, rpo)
            assert got.met == rpo_check(name, rpo, h.backups, as_of).met
            if not times:
                assert got.successful_backups == 0 and got.breaches == 0 and got.days == 0
                continue
            want = brute_rpo(times, as_of, rpo)
            assert [(int(a), int(b), months[m]) for a, b, m in zip(
                got.breach_start, got.breach_end, got.breach_month, strict=True)] == want["breaches"]
            one_version = rpo_check(name, rpo, h.backups, as_of)
            assert got.worst_gap_seconds == want["worst"] == one_version.worst_gap_seconds
            exposures = want["exposures"]
            assert isinstance(exposures, list)
            assert got.days == len(exposures) and got.days_met == sum(x <= rpo for x in exposures)
            assert {months[i]: int(n) for i, n in enumerate(got.days_missed_by_month) if n} == want["missed"]
            for p in (50, 90, 99.5, 100):
                assert replay.smallest_rpo(name, p) == brute_smallest(exposures, p)
        # RTO against the one-version check
        rto = rng.randrange(H, 5 * H)
        mine = [x for x in rto_checks(C, h.restore_tests, as_of) if x.system == name]
        over = [x for x in mine if not x.success or x.duration_seconds > rto]
        got_rto = replay.rto(name, rto)
        assert got_rto.tests == len(mine)
        assert got_rto.over_started.tolist() == [x.started_at for x in over]
        assert [months[m] for m in got_rto.over_month] == [month_label(x.started_at) for x in over]
        durations = [x.duration_seconds for x in mine if x.success]
        assert replay.supported_rto(name) == (max(durations) if durations else None)
        # cadence against the one-version check, and the missing tests by loop
        cadence = rng.choice([7 * DAY, 10 * DAY, 31 * DAY])
        want_c = cadence_check(name, cadence, h.restore_tests, as_of)
        got_c = replay.cadence(name, cadence)
        assert (got_c.tests, got_c.longest_interval_seconds, got_c.met) == (
            want_c.tests, want_c.longest_interval_seconds, want_c.met)
        starts = sorted(to_epoch(x.started_at) for x in h.restore_tests
                        if x.system == name and to_epoch(x.started_at) <= as_of)
        due = []
        for a, b in zip(starts or [first], [*starts[1:], as_of] if starts else [as_of], strict=True):
            k = 1
            while a + k * cadence < b:
                due.append(a + k * cadence)
                k += 1
        assert got_c.missing_due.tolist() == due
        assert [months[m] for m in got_c.missing_month] == [month_label(x) for x in due]
    # availability against the one-version monthly check, credits by loops
    res = replay.run()
    want_av = monthly_availability(C, h.outages, first, as_of)
    for service, rows in want_av.items():
        got_av = res.availability[service]
        assert got_av.labels == tuple(rows)
        for i, (label, row) in enumerate(rows.items()):
            assert (int(got_av.down[i]), int(got_av.total[i]), got_av.outcome[i]) == (
                row["outage_seconds"], row["calendar_seconds"], row["outcome"]), label
    for j, label in enumerate(res.credit_months):
        cells = [want_av[s][label] for s in want_av if label in want_av[s]]
        per_breach = min(5.0 * sum(c["outcome"] == "breached" for c in cells), 8.0)
        low = [c for c in cells if c["availability"] is not None and c["availability"] < 0.995]
        below = 3.0 if low else 0.0
        assert res.credits.percent[j] == min(per_breach + below, 10.0), label


def test_columns_in_any_row_order_give_the_same_replay() -> None:
    """Columns built directly (as the benchmark does), rows in another order."""
    rng = random.Random(7)
    h, as_of = random_history(rng)
    cols = RecoveryColumns.from_history(h)
    p = np.random.default_rng(1).permutation(len(cols.backup_finished))
    q = np.random.default_rng(2).permutation(len(cols.test_started))
    again = RecoveryColumns(cols.system_names, cols.backup_system[p], cols.backup_finished[p],
                            cols.backup_success[p], cols.test_system[q], cols.test_started[q],
                            cols.test_finished[q], cols.test_success[q])
    a = RecoveryReplay(cols, C, as_of).run().to_json()
    b = RecoveryReplay(again, C, as_of).run().to_json()
    assert a["systems"] == b["systems"] and a["systems"]["db"]["rpo"]["breaches"] > 0


# ---------------------------------------------------------------- scenario edits


def test_recovery_edits_return_scenario_edits_the_replay_reads() -> None:
    demo = load_contract("resources/demo/northwind-2025.yaml")
    e = with_rpo(demo, "Dentrix practice management DB", 0.25)
    assert e.key == "rpo:Dentrix practice management DB" and "15m" in e.text
    assert [s.rpo for s in e.contract.backup.systems] == ["15m", "24h", "24h", "24h"]
    e2 = with_rto(e.contract, 1, 4)  # every tier-1 system
    assert [s.rto for s in e2.contract.backup.systems] == ["4h", "4h", "8h", "8h"]
    e3 = with_cadence(e2.contract, "quarterly")
    assert e3.contract.backup.restore_test_cadence == "quarterly" and e3.key == "cadence"
    assert e3.contract.backup.cloud_backup_monitoring is True  # the rest of the section stays
    e4 = with_uptime(e3.contract, "Dentrix practice management", 99.9)
    assert e4.contract.uptime[0].target_percent == 99.9 and e4.contract.uptime[0].calendar == "business"
    sc = RecoveryScenario.from_contract(e4.contract)
    assert sc.system("Dentrix practice management DB").rpo_seconds == 900
    assert sc.system("Imaging server (PACS)").rto_seconds == 4 * H
    assert {s.cadence_seconds for s in sc.systems} == {92 * DAY}
    assert sc == RecoveryScenario.from_contract(demo).with_rpo("Dentrix practice management DB", 900) \
        .with_rto(1, 4 * H).with_cadence(None, 92 * DAY).with_uptime("Dentrix practice management", 99.9)
    assert demo.backup.systems[0].rpo == "24h"  # the baseline is unchanged
    with pytest.raises(ScenarioError):
        with_rpo(demo, 3, 1)
    with pytest.raises(ScenarioError):
        with_rto(demo, "No such system", 1)
    with pytest.raises(ScenarioError):
        with_rpo(demo, 1, 0)
    with pytest.raises(KeyError):
        RecoveryScenario.from_contract(demo).with_rpo("nope", 60)


def test_scenario_change_only_reads_prepared_arrays() -> None:
    """Changing terms does not touch the prepared history: the replay of one scenario
    gives the same result before and after others."""
    rng = random.Random(3)
    h, as_of = random_history(rng)
    replay = RecoveryReplay.from_history(h, C, as_of=as_of)
    base = replay.run().to_json()
    sc = RecoveryScenario.from_contract(C)
    for r in (60, H, 2 * DAY):
        replay.run(sc.with_rpo(1, r).with_rto("files", r).with_cadence(None, 3 * DAY))
    assert replay.run().to_json() == base
    assert math.isclose(float(np.sum(replay.run().credits.percent)), base["uptime_credits"]["total_percent"])
