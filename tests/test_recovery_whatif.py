"""The recovery What-if, Qt-free (workbench.app.recovery_whatif): durations in words, the
table's figures and "not measured", the flips against a plain loop over the gaps and
tests, the months, the new scenario edits and the month chart's figure."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from models.contract import load_contract
from models.history import History
from workbench.app.recovery_whatif import (
    NO_TARGET,
    NOT_MEASURED,
    RecoveryWhatIfEngine,
    duration_exact,
    duration_words,
    parse_duration_words,
)
from workbench.app.scenarios import (
    ScenarioError,
    with_backup_system,
    with_rpo,
    with_rto,
    with_uptime,
    without_backup_system,
    without_uptime,
)
from workbench.engine.recovery import history_as_of

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = load_contract(ROOT / "resources" / "demo" / "northwind-2025.yaml")
SYSTEM = "Dentrix practice management DB"
H = 3600


@pytest.fixture(scope="module")
def history() -> History:
    from workbench.demo.generator import load_demo_history

    h = load_demo_history()
    return History(backups=h.backups, restore_tests=h.restore_tests, outages=h.outages)


@pytest.fixture(scope="module")
def engine(history: History) -> RecoveryWhatIfEngine:
    return RecoveryWhatIfEngine(history)


@pytest.mark.parametrize(("seconds", "words"), [
    (None, NO_TARGET), (59, "59 seconds"), (60, "1 minute"), (900, "15 minutes"), (5400, "1 hour 30 minutes"),
    (86400, "24 hours"), (129600, "36 hours"), (172800, "2 days"), (183600, "2 days 3 hours"),
    (7 * 86400, "7 days"), (3661, "1 hour 1 minute"),
])
def test_duration_words(seconds, words) -> None:
    assert duration_words(seconds) == words
    if seconds is not None and seconds % 60 == 0:
        assert parse_duration_words(words) == seconds


def test_parse_duration_words_and_exact() -> None:
    assert parse_duration_words("4") == 4 * H  # a bare number is hours, as the ticket targets
    assert parse_duration_words("1.5h") == parse_duration_words("90 min") == 5400
    assert parse_duration_words("1 day, 6 hours") == 30 * H
    assert parse_duration_words(" No target ") is None and parse_duration_words("") is None
    for bad in ("soon", "4 parsecs", "0 minutes", "hours"):
        with pytest.raises(ValueError):
            parse_duration_words(bad)
    assert duration_exact(7243) == "2 h 43 s" and duration_exact(94210) == "26 h 10 min 10 s"
    assert duration_exact(0) == "0 s"


def _rows(w) -> dict[tuple[str, str], tuple[str, str, float | None]]:
    return {(r.subject, r.measure): (r.baseline.text, r.scenario.text, r.change) for r in w.rows()}


def test_rows_and_gap_flips_agree_with_a_plain_loop(history: History, engine: RecoveryWhatIfEngine) -> None:
    scenario = with_rpo(CONTRACT, SYSTEM, 2).contract
    w = engine.run(CONTRACT, scenario)
    # the plain loop: successful backups of the system in time order, gaps to as_of
    as_of = history_as_of(history)
    times = sorted(int(b.finished_at.timestamp()) for b in history.backups
                   if b.system == SYSTEM and b.success and b.finished_at.timestamp() <= as_of)
    gaps = [(a, b - a) for a, b in zip(times, [*times[1:], as_of], strict=True)]
    over_24 = [g for g in gaps if g[1] > 24 * H]
    over_2 = [g for g in gaps if g[1] > 2 * H]
    rows = _rows(w)
    assert rows[(SYSTEM, "Backup gaps over the RPO")] == (f"{len(over_24)} of {len(gaps):,}",
                                                         f"{len(over_2)} of {len(gaps):,}",
                                                         len(over_2) - len(over_24))
    assert rows[(SYSTEM, "RPO, RTO")][:2] == ("24 hours, 8 hours", "2 hours, 8 hours")
    flips, total = w.flips()
    got = sorted((f.start, f.seconds) for f in flips if f.kind == "gap")
    assert got == sorted(g for g in over_2 if g[1] <= 24 * H) and total == len(got)
    first = next(f for f in flips if f.kind == "gap")
    assert first.seconds is not None
    assert first.scenario == f"over 2 hours by {duration_exact(first.seconds - 2 * H)}"
    assert first.baseline == "within 24 hours"
    # the month chart's series: the RPO breaches per month, summed over the systems
    months = w.months()
    assert sum(months.gaps["scenario"]) == sum(r.breaches for r in w.scenario.rpo.values())
    assert sum(months.gaps["scenario"]) - sum(months.gaps["baseline"]) == len(got)
    assert engine.run(CONTRACT, CONTRACT).flips() == ([], 0)


def test_restore_tests_flip_and_a_system_without_target(history: History,
                                                        engine: RecoveryWhatIfEngine) -> None:
    scenario = with_rto(CONTRACT, SYSTEM, 1.5).contract
    w = engine.run(CONTRACT, scenario)
    mine = [t for t in history.restore_tests if t.system == SYSTEM]
    slow = {int(t.started_at.timestamp()) for t in mine
            if t.success and 90 * 60 < (t.finished_at - t.started_at).total_seconds() <= 8 * H}
    flips = {f.start for f in w.flips()[0] if f.kind == "restore"}
    assert flips == slow and slow
    none = engine.run(CONTRACT, without_backup_system(CONTRACT, SYSTEM).contract)
    rows = _rows(none)
    assert rows[(SYSTEM, "Backup gaps over the RPO")][1] == NO_TARGET
    assert rows[(SYSTEM, "Restore tests over the RTO")][1:] == (NO_TARGET, None)
    assert all(f.scenario == NO_TARGET for f in none.flips()[0])


def test_not_measured_where_the_history_has_no_such_records(history: History) -> None:
    only_backups = RecoveryWhatIfEngine(History(backups=history.backups))
    rows = _rows(only_backups.run(CONTRACT, CONTRACT))
    assert rows[(SYSTEM, "Restore tests over the RTO")][:2] == (NOT_MEASURED, NOT_MEASURED)
    assert rows[(SYSTEM, "Tests missing (cadence)")][:2] == (NOT_MEASURED, NOT_MEASURED)
    assert rows[("Dentrix practice management", "Availability; months")][:2] == (NOT_MEASURED, NOT_MEASURED)
    assert rows[(SYSTEM, "Backup gaps over the RPO")][0].endswith(" of 17,317")
    no_pacs = RecoveryWhatIfEngine(replace(history, backups=tuple(
        b for b in history.backups if b.system != "Imaging server (PACS)")))
    rows = _rows(no_pacs.run(CONTRACT, CONTRACT))
    assert rows[("Imaging server (PACS)", "Backup gaps over the RPO")][:2] == (NOT_MEASURED, NOT_MEASURED)
    assert rows[("Imaging server (PACS)", "Restore tests over the RTO")][0] == "1 of 8 (1 failed)"


def test_uptime_months_flip(engine: RecoveryWhatIfEngine) -> None:
    w = engine.run(CONTRACT, with_uptime(CONTRACT, "Dentrix practice management", 99).contract)  # 99.1% met
    a, b = w.baseline.availability["Dentrix practice management"], w.scenario.availability[
        "Dentrix practice management"]
    changed = [m for m, x, y in zip(a.labels, a.outcome, b.outcome, strict=True)
               if x != y and "pending" not in (x, y) and x is not None]
    months = [f.when for f in w.flips()[0] if f.kind == "month"]
    assert months == changed and len(changed) == 1  # the 99.12% month: met under 99%
    gone = engine.run(CONTRACT, without_uptime(CONTRACT, "Dentrix practice management").contract)
    assert _rows(gone)[("Dentrix practice management", "Availability; months")][1] == NO_TARGET


def test_adding_a_system_the_scenario_does_not_list() -> None:
    bare = without_backup_system(CONTRACT, SYSTEM)
    assert bare.key == f"backup:{SYSTEM}" and SYSTEM not in {s.name for s in bare.contract.backup.systems}
    back = with_backup_system(bare.contract, CONTRACT, SYSTEM, 2, 4).contract
    s = {x.name: x for x in back.backup.systems}[SYSTEM]
    assert (s.rpo, s.rto, s.tier, s.location) == ("2h", "4h", 1, "on-prem")
    new = with_backup_system(CONTRACT, CONTRACT, "NAS", 0.5, 6).contract
    assert {x.name: (x.rpo, x.tier) for x in new.backup.systems}["NAS"] == ("30m", 2)
    with pytest.raises(ScenarioError):
        with_backup_system(CONTRACT, CONTRACT, SYSTEM, 1, 1)
    with pytest.raises(ScenarioError):
        with_backup_system(bare.contract, CONTRACT, SYSTEM, 0, 1)


def test_month_chart_figure(engine: RecoveryWhatIfEngine) -> None:
    from matplotlib.text import Text

    from workbench.reports.whatif_recovery_charts import recovery_months_figure

    w = engine.run(CONTRACT, with_rpo(CONTRACT, SYSTEM, 2).contract)
    fig = recovery_months_figure(w.months())
    top = fig.axes[0]
    assert top.get_title(loc="left") == "Backup gaps longer than the RPO"
    heights = [round(p.get_height()) for p in top.patches]  # type: ignore[attr-defined]
    n = len(w.months().labels)
    assert heights == w.months().gaps["baseline"] + w.months().gaps["scenario"] and len(heights) == 2 * n
    fig.canvas.draw()  # lays out and renders with Agg
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    legend = top.get_legend()
    assert legend is not None
    title = next(t for t in top.get_children()
                 if isinstance(t, Text) and t.get_text() == "Backup gaps longer than the RPO")
    assert not legend.get_window_extent(renderer).overlaps(title.get_window_extent(renderer))


def test_flips_list_the_earliest_and_count_them_all(engine: RecoveryWhatIfEngine, monkeypatch) -> None:
    import workbench.app.recovery_whatif as rw

    every, total = engine.run(CONTRACT, with_rpo(CONTRACT, SYSTEM, 2).contract).flips()
    assert total == len(every) > 10
    monkeypatch.setattr(rw, "MAX_FLIPS", 10)
    listed, counted = engine.run(CONTRACT, with_rpo(CONTRACT, SYSTEM, 2).contract).flips()
    assert counted == total and listed == every[:10]


def _up(seconds: int) -> str:
    """Rounded up to the minute, written as the table writes durations."""
    return duration_exact(((seconds + 59) // 60) * 60)


def test_the_inverse_questions_rows_agree_with_plain_loops(history: History,
                                                           engine: RecoveryWhatIfEngine) -> None:
    """The smallest RPO the records met on 90 % and on all of a system's local days, and
    the smallest RTO that 90 % and all of its successful restore tests met, per system."""
    import datetime as dt
    import math
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("America/Toronto")  # the demo contract's first calendar
    as_of = history_as_of(history)
    rows = _rows(engine.run(CONTRACT, with_rpo(CONTRACT, SYSTEM, 2).contract))
    for name in ("Dentrix practice management DB", "Imaging server (PACS)", "Microsoft 365"):
        times = sorted(int(b.finished_at.timestamp()) for b in history.backups
                       if b.system == name and b.success and b.finished_at.timestamp() <= as_of)
        # each local day's exposure: the longest time since the last successful backup reached on it
        exposure: dict[dt.date, int] = {}
        for s, e in zip(times, [*times[1:], as_of], strict=True):
            day = dt.datetime.fromtimestamp(s, tz).date()
            while True:
                nxt = day + dt.timedelta(days=1)
                end = int(dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).timestamp())
                exposure[day] = max(exposure.get(day, 0), min(e, end) - s)
                if e <= end:
                    break
                day = nxt
        ranked = sorted(exposure.values())
        want = " · ".join(_up(ranked[max(1, math.ceil(p * len(ranked) / 100)) - 1]) for p in (90, 100))
        measure = "RPO met on 90% · all days"
        assert rows[(name, measure)][:2] == (want, want), name
        tests = [t for t in history.restore_tests if t.system == name]
        took = sorted(int((t.finished_at - t.started_at).total_seconds()) for t in tests
                      if t.success and t.finished_at.timestamp() <= as_of)
        want = " · ".join(_up(took[max(1, math.ceil(p * len(took) / 100)) - 1]) for p in (90, 100))
        assert rows[(name, "RTO met by 90% · all tests")][:2] == (want, want), name
    # without restore tests or backups in the records: not measured
    only_backups = _rows(RecoveryWhatIfEngine(History(backups=history.backups)).run(CONTRACT, CONTRACT))
    assert only_backups[(SYSTEM, "RTO met by 90% · all tests")][:2] == (NOT_MEASURED,) * 2
    assert only_backups[(SYSTEM, "RPO met on 90% · all days")][0].count(" · ") == 1
    tests_only = RecoveryWhatIfEngine(History(restore_tests=history.restore_tests))
    only_tests = _rows(tests_only.run(CONTRACT, CONTRACT))
    assert only_tests[(SYSTEM, "RPO met on 90% · all days")][:2] == (NOT_MEASURED,) * 2
