"""The bundled demo: Lakeshore Dental Group and its managed service providers.

The client is *Lakeshore Dental Group*, a 120-person dental group with nine clinics
along Lake Ontario (America/Toronto, Ontario holidays).  Its managed service
provider is *Northwind Managed Services*, which runs the helpdesk and the NOC and
subcontracts the SOC to the MSSP *Aegis Cyber Defence*.  Its history in
``resources/demo/`` is drawn by :func:`generate`, which also copies the contracts
there, and can be rebuilt with ``sla-workbench demo --out DIR``; a test regenerates it
and compares the bytes.

Contracts: the YAML files in ``resources/demo/`` are their only source (edit them
there).  Each is kept in the form :func:`models.contract.dump_contract_yaml` writes, so
it round-trips YAML -> model -> YAML byte for byte (tests/test_demo.py checks):

* ``northwind-2024.yaml``: the signed, superseded generic template: vague clauses,
  no priority matrix, no security scope, reporting, credits or RPO/RTO.
* ``northwind-2025.yaml``: the signed current revision: a matrix weaker than the
  seed's reference (P1 2h/8h, everything on 8x5 business hours), pause statuses,
  a few credits, monthly reporting, SOC through the MSSP with business-hours log
  monitoring, RPO 24h / RTO 8h, semiannual restore tests, last reviewed 2025-05.
* ``northwind-2026-q4-proposal.yaml``: the proposal that meets the reference
  matrix (P1 1h/4h 24x7, P2 2h/same business day, P3 next business day), 24/7
  SIEM log monitoring, EDR/XDR/MDR, escalation workflow, breach roles, QBRs and
  KPIs, capped credits, client obligations, mandates, per-system RPO/RTO, quarterly
  restore tests.  Its text holds no vague commitment (no W01-W07 finding).
* ``competitor-bluepeak.yaml`` (cheaper, "Severity 1-4" wording, P1 resolution 8h,
  XDR excluded by licence, business-hours log monitoring) and
  ``competitor-harbourline.yaml`` (pricier, 24x7 everything, generous credits).

History, drawn by ``numpy.random.default_rng(seed)`` (default seed
:data:`DEMO_SEED`), over :data:`HISTORY_START` .. :data:`HISTORY_END` (local dates,
inclusive; ``as_of`` is the local midnight after the end):

* ``tickets.csv`` / ``status_log.csv``: about :data:`N_TICKETS` tickets in the
  canonical format (shared/spec/interfaces.md), timestamps in local time with
  their offset.  Priority mix :data:`PRIORITY_MIX` (P1..P4).  Arrival: a day is
  drawn with weekday weights (:data:`DAY_WEIGHTS`, P1s flatter), holidays at a
  fifth of the volume, volume growing ~15 % over the two years; the local hour
  from an hourly profile (business-day, Saturday or Sunday/holiday), P1s mixed
  45 % with a flat profile so that out-of-hours P1s occur.  Category by priority
  (:data:`CATEGORIES`, helpdesk, NOC and SOC ones including the seed's antivirus
  alert, lateral movement, credential theft, SIEM log anomaly, user lockout);
  team from the category, with a share routed to the wrong team
  (:data:`MISROUTE_START` falling to :data:`MISROUTE_END`; security tickets then
  mostly land at the Helpdesk).  Response and resolution are drawn as lognormal
  effort in business time of the provider's 8x5 desk (Mon-Fri 08:00-17:00, ON
  holidays); P1s and a quarter of out-of-hours P2s reach the on-call engineer and
  run in wall time.  Medians shrink by ~30 % over the two years.  A share of P2-P4
  tickets waits on the client ("Awaiting User Info" or, for change-like work,
  "Pending client approval") in the middle of the work.  Status rows: New, In
  Progress, [waiting status, In Progress], Resolved, Closed (closed on user
  confirmation or auto-closed 72 h after resolution).  Anything after ``as_of`` is
  absent (still open).  ``provider_sla_met`` is the provider tool's verdict for
  tickets opened from 2025-06-01 (when the 2025 contract took effect): it checks
  first response only, against the 2025 targets on the 8x5 calendar.
* ``backups.csv``: scheduled jobs for four systems (Dentrix hourly, PACS every
  2 h, Microsoft 365 and the file server every 4 h), ~1 % random failures and two
  longer failure streaks.
* ``restore_tests.csv``: roughly quarterly per system, after hours; one failed
  test and one skipped quarter (an overdue gap).
* ``outages.csv``: unplanned outages tied to P1 "server down"/"network outage"
  tickets, plus monthly planned maintenance windows (second Sunday 01:00-04:00).
* ``kpis.csv``: monthly patch compliance, threats detected/resolved (SOC tickets
  plus automatically remediated alerts) and endpoints managed.

CSV files larger than :data:`GZIP_ABOVE` bytes are written gzipped
(``name.csv.gz``, fixed mtime so bytes are stable); the readers here take either.

The demo workspace (:func:`ensure_demo_workspace`) is built from these files on
first use in the user data folder, under a name carrying :func:`demo_fingerprint`,
and reused afterwards: client, the five contract versions (the provider's three
chained as parent -> child) and the whole history.

This module is Qt-free.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from models.contract import (
    Contract,
    load_contract,
)
from models.history import (
    MISSING,
    BackupJob,
    History,
    KpiSnapshot,
    Outage,
    RestoreTest,
    StatusLog,
    TicketTable,
)
from workbench.progress import ProgressCallback, report

# ------------------------------------------------------------------ parameters

DEMO_SEED = 20261101
CLIENT = "Lakeshore Dental Group"
PROVIDER = "Northwind Managed Services Inc."
TZ_NAME = "America/Toronto"
HISTORY_START = date(2024, 11, 1)
HISTORY_END = date(2026, 10, 31)  # inclusive local date
N_TICKETS = 20_000
PRIORITY_MIX = (0.02, 0.10, 0.55, 0.33)
# Relative ticket volume Mon..Sun (P2-P4; P1s are flatter).
DAY_WEIGHTS = (1.15, 1.05, 1.0, 1.0, 0.9, 0.35, 0.12)
DAY_WEIGHTS_P1 = (1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.65)
HOLIDAY_FACTOR = 0.2
MISROUTE_START = 0.06
MISROUTE_END = 0.015
GZIP_ABOVE = 3_000_000
WORKSPACE_NAME = "lakeshore-dental-demo.slawb"

CONTRACT_FILES: tuple[str, ...] = (
    "northwind-2024",
    "northwind-2025",
    "northwind-2026-q4-proposal",
    "competitor-bluepeak",
    "competitor-harbourline",
)
CSV_FILES: tuple[str, ...] = (
    "tickets.csv",
    "status_log.csv",
    "backups.csv",
    "restore_tests.csv",
    "outages.csv",
    "kpis.csv",
)

# name, team, weights for P1..P4 (normalised per priority)
CATEGORIES: tuple[tuple[str, str, tuple[float, float, float, float]], ...] = (
    ("password reset", "Helpdesk", (0, 0, 0.13, 0.09)),
    ("user lockout", "Helpdesk", (0, 0.03, 0.08, 0.02)),
    ("printer", "Helpdesk", (0, 0.01, 0.09, 0.09)),
    ("email", "Helpdesk", (0.04, 0.09, 0.11, 0.06)),
    ("workstation issue", "Helpdesk", (0, 0.05, 0.16, 0.10)),
    ("practice software", "Helpdesk", (0, 0.08, 0.07, 0.04)),
    ("software request", "Helpdesk", (0, 0, 0.04, 0.20)),
    ("new user setup", "Helpdesk", (0, 0, 0.04, 0.16)),
    ("server down", "NOC", (0.30, 0.08, 0, 0)),
    ("network outage", "NOC", (0.26, 0.10, 0.02, 0)),
    ("patch failure", "NOC", (0, 0.05, 0.05, 0.10)),
    ("backup failure", "NOC", (0.08, 0.08, 0.03, 0)),
    ("antivirus alert", "NOC", (0, 0.10, 0.06, 0)),
    ("phishing report", "SOC", (0, 0.07, 0.07, 0.04)),
    ("SIEM log anomaly", "SOC", (0.04, 0.09, 0.04, 0)),
    ("credential theft", "SOC", (0.19, 0.09, 0, 0)),
    ("lateral movement", "SOC", (0.09, 0.02, 0, 0)),
)
CHANGE_LIKE = frozenset({"software request", "new user setup", "patch failure", "practice software"})

# Lognormal effort: (median minutes, sigma) per priority.
RESPONSE_EFFORT = ((25, 0.9), (70, 0.95), (150, 1.0), (240, 1.0))
RESOLUTION_EFFORT = ((150, 0.8), (240, 0.9), (420, 1.0), (600, 1.0))
PAUSE_SHARE = (0.0, 0.15, 0.28, 0.25)
ONCALL_P1 = (0.75, 0.92)  # share of out-of-hours P1s answered by on-call, start -> end
ONCALL_P2 = 0.25

BACKUP_SYSTEMS: tuple[tuple[str, str, int], ...] = (  # name, location, interval hours
    ("Dentrix practice management DB", "on-prem", 1),
    ("Imaging server (PACS)", "on-prem", 2),
    ("Microsoft 365", "cloud", 4),
    ("File server", "hybrid", 4),
)
SOC_CATEGORIES = frozenset(
    {"antivirus alert", "phishing report", "SIEM log anomaly", "credential theft", "lateral movement"}
)


# ------------------------------------------------------------------ locations


def demo_dir() -> Path:
    """The folder of the bundled demo files (works from a checkout, installed or frozen)."""
    from importlib.resources import files

    return Path(str(files("resources") / "demo"))


def demo_contract_paths() -> dict[str, Path]:
    """Contract files by name: the provider's three versions, then the competitors."""
    d = demo_dir()
    return {name: d / f"{name}.yaml" for name in CONTRACT_FILES}


def load_demo_contracts() -> dict[str, Contract]:
    return {name: load_contract(p) for name, p in demo_contract_paths().items()}


# ================================================================== history


class _BusinessClock:
    """The provider's 8x5 desk (Mon-Fri 08:00-17:00 local, Ontario holidays) as sorted
    windows, for vectorised business-time arithmetic while drawing the history.

    One window per business day, so a window index is also a business-day index.
    This is the generator's own simple clock; verdicts belong to the engine.
    """

    def __init__(self, first: date, last: date, tz: ZoneInfo) -> None:
        import holidays

        hol = holidays.country_holidays("CA", subdiv="ON", years=range(first.year, last.year + 2))
        starts, ends = [], []
        d = first
        while d <= last:
            if d.weekday() < 5 and d not in hol:
                starts.append(_local_epoch(d, 8 * 3600, tz))
                ends.append(_local_epoch(d, 17 * 3600, tz))
            d += timedelta(days=1)
        self.ws = np.array(starts, dtype=np.int64)
        self.we = np.array(ends, dtype=np.int64)
        length = self.we - self.ws
        self.cum = np.concatenate(([0], np.cumsum(length)[:-1])).astype(np.int64)
        self.length = length

    def pos(self, t: np.ndarray) -> np.ndarray:
        """Business seconds from the first window to each instant."""
        k = np.searchsorted(self.ws, t, side="right") - 1
        kk = np.maximum(k, 0)
        inside = np.clip(t - self.ws[kk], 0, self.length[kk])
        return np.where(k < 0, 0, self.cum[kk] + inside)

    def at(self, p: np.ndarray) -> np.ndarray:
        """The first instant at which the business position ``p`` is reached."""
        k = np.searchsorted(self.cum, p, side="right") - 1
        return self.ws[k] + (p - self.cum[k])

    def add(self, t: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        return self.at(self.pos(t) + seconds)

    def covered(self, t: np.ndarray) -> np.ndarray:
        k = np.maximum(np.searchsorted(self.ws, t, side="right") - 1, 0)
        return (t >= self.ws[k]) & (t < self.we[k])

    def day_end(self, t: np.ndarray, days_after: int) -> np.ndarray:
        """End of the business day ``days_after`` days after the start day of ``t``."""
        k0 = np.searchsorted(self.we, t, side="right")
        return self.we[k0 + days_after]


def _local_epoch(d: date, seconds: int, tz: ZoneInfo) -> int:
    h, rem = divmod(int(seconds), 3600)
    m, s = divmod(rem, 60)
    return int(datetime(d.year, d.month, d.day, h, m, s, tzinfo=tz).timestamp())


def _iso(epoch: int, tz: ZoneInfo) -> str:
    if epoch == MISSING:
        return ""
    return datetime.fromtimestamp(int(epoch), tz=tz).isoformat()


def _hour_profiles() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    weekday = np.array([0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 3, 9, 11, 10, 9,
                        6, 8, 9, 8, 6, 3, 1.5, 1.2, 1, 0.7, 0.5, 0.3])
    saturday = np.array([0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 2, 5, 6, 6, 5,
                         4, 4, 3, 2, 1, 0.6, 0.5, 0.4, 0.3, 0.3, 0.2, 0.2])
    quiet = np.array([0.6] * 7 + [1.5] * 13 + [0.8] * 4)
    return weekday / weekday.sum(), saturday / saturday.sum(), quiet / quiet.sum()


def _lognormal(rng: np.random.Generator, median_min: float, sigma: float, n: int) -> np.ndarray:
    return rng.lognormal(np.log(median_min * 60.0), sigma, n)


def _draw_tickets(rng: np.random.Generator, n_tickets: int, tz: ZoneInfo) -> dict[str, Any]:
    """Draw the tickets and their status rows (epoch seconds; MISSING for absent)."""
    import holidays

    days = [HISTORY_START + timedelta(days=i) for i in range((HISTORY_END - HISTORY_START).days + 1)]
    ndays = len(days)
    hol = holidays.country_holidays("CA", subdiv="ON", years=range(HISTORY_START.year, HISTORY_END.year + 1))
    weekday = np.array([d.weekday() for d in days])
    is_hol = np.array([d in hol for d in days])
    growth = np.linspace(0.92, 1.08, ndays)
    end_t = _local_epoch(HISTORY_END + timedelta(days=1), 0, tz)
    clock = _BusinessClock(HISTORY_START - timedelta(days=7), HISTORY_END + timedelta(days=60), tz)
    prof_wd, prof_sat, prof_quiet = _hour_profiles()
    flat = np.full(24, 1 / 24)

    counts = rng.multinomial(n_tickets, PRIORITY_MIX)
    prio_l, open_l = [], []
    for p, n in enumerate(counts):
        dw = np.array(DAY_WEIGHTS_P1 if p == 0 else DAY_WEIGHTS)[weekday] * growth
        dw = dw * np.where(is_hol, 0.7 if p == 0 else HOLIDAY_FACTOR, 1.0)
        day_idx = rng.choice(ndays, size=n, p=dw / dw.sum())
        kind = np.where(is_hol[day_idx] | (weekday[day_idx] == 6), 2, np.where(weekday[day_idx] == 5, 1, 0))
        hours = np.empty(n, dtype=np.int64)
        for k, prof in enumerate((prof_wd, prof_sat, prof_quiet)):
            sel = kind == k
            pr = 0.55 * prof + 0.45 * flat if p == 0 else prof
            hours[sel] = rng.choice(24, size=int(sel.sum()), p=pr)
        secs = hours * 3600 + rng.integers(0, 3600, n)
        open_l.append([_local_epoch(days[int(di)], int(s), tz) for di, s in zip(day_idx, secs, strict=True)])
        prio_l.append(np.full(n, p, dtype=np.int8))
    opened = np.array([t for chunk in open_l for t in chunk], dtype=np.int64)
    prio = np.concatenate(prio_l)
    order = np.argsort(opened, kind="stable")
    opened, prio = opened[order], prio[order]
    n = len(opened)
    frac = (opened - opened.min()) / max(1, int(opened.max() - opened.min()))
    improve = 1.15 - 0.35 * frac  # effort medians shrink over the two years

    # categories and teams
    cat_names = tuple(c[0] for c in CATEGORIES)
    cat = np.empty(n, dtype=np.int64)
    for p in range(4):
        w = np.array([c[2][p] for c in CATEGORIES], dtype=float)
        sel = prio == p
        cat[sel] = rng.choice(len(CATEGORIES), size=int(sel.sum()), p=w / w.sum())
    home_team = np.array([c[1] for c in CATEGORIES], dtype=object)[cat]
    team = home_team.copy()
    misroute = rng.random(n) < MISROUTE_START + (MISROUTE_END - MISROUTE_START) * frac
    wrong_for = {"SOC": ("Helpdesk", "Helpdesk", "NOC"), "NOC": ("Helpdesk",), "Helpdesk": ("NOC",)}
    for i in np.flatnonzero(misroute):
        options = wrong_for[str(home_team[i])]
        team[i] = options[int(rng.integers(0, len(options)))]

    # first response
    resp_eff = np.empty(n)
    for p in range(4):
        sel = prio == p
        med, sig = RESPONSE_EFFORT[p]
        resp_eff[sel] = _lognormal(rng, med, sig, int(sel.sum())) * improve[sel]
    resp_eff = np.maximum(resp_eff, 60).astype(np.int64)
    in_hours = clock.covered(opened)
    oncall_p1 = rng.random(n) < ONCALL_P1[0] + (ONCALL_P1[1] - ONCALL_P1[0]) * frac
    oncall = ~in_hours & (((prio == 0) & oncall_p1) | ((prio == 1) & (rng.random(n) < ONCALL_P2)))
    wall = (prio == 0) & in_hours | oncall
    response = np.where(wall, opened + resp_eff, clock.add(opened, resp_eff))

    # resolution effort, with an optional wait on the client in the middle
    res_eff = np.empty(n)
    for p in range(4):
        sel = prio == p
        med, sig = RESOLUTION_EFFORT[p]
        res_eff[sel] = _lognormal(rng, med, sig, int(sel.sum())) * improve[sel]
    res_eff = np.maximum(res_eff, 300).astype(np.int64)
    paused = rng.random(n) < np.array(PAUSE_SHARE)[prio]
    split = (res_eff * rng.uniform(0.2, 0.8, n)).astype(np.int64)
    wait = np.clip(_lognormal(rng, 18 * 60, 1.0, n), 600, 14 * 86400).astype(np.int64)
    change_like = np.array([cat_names[c] in CHANGE_LIKE for c in cat])
    wait_status = np.where(
        change_like,
        np.where(rng.random(n) < 0.7, "Pending client approval", "Awaiting User Info"),
        np.where(rng.random(n) < 0.85, "Awaiting User Info", "Pending client approval"),
    )
    p1 = prio == 0
    pause_start = np.where(paused, clock.add(response, split), MISSING)
    pause_end = np.where(paused, pause_start + wait, MISSING)
    resolved = np.where(
        p1 | oncall,
        response + res_eff,
        np.where(paused, clock.add(np.where(paused, pause_end, response), res_eff - split),
                 clock.add(response, res_eff)),
    )
    confirm = rng.random(n) < 0.4
    closed = resolved + np.where(confirm, np.maximum(_lognormal(rng, 240, 1.0, n), 60).astype(np.int64),
                                 72 * 3600)

    def cut(col: np.ndarray) -> np.ndarray:
        return np.where(col < end_t, col, MISSING)

    response, resolved, closed = cut(response), cut(resolved), cut(closed)
    resolved = np.where(response == MISSING, MISSING, resolved)
    closed = np.where(resolved == MISSING, MISSING, closed)
    pause_start = np.where(response == MISSING, MISSING, cut(pause_start))
    pause_end = np.where(pause_start == MISSING, MISSING, cut(pause_end))

    # the provider tool's verdict: first response only, 2025 targets, 8x5 calendar
    b_resp = clock.pos(response) - clock.pos(opened)
    budget = np.select(
        [prio == 0, prio == 1],
        [7200, 14400],
        clock.pos(clock.day_end(opened, 1)) - clock.pos(opened),
    )
    flagged = (opened >= _local_epoch(date(2025, 6, 1), 0, tz)) & (response != MISSING)
    provider_flag = np.where(flagged, (b_resp <= budget).astype(np.int8), -1).astype(np.int8)

    return {
        "opened": opened, "priority": prio, "category": cat, "team": team, "response": response,
        "resolved": resolved, "closed": closed, "pause_start": pause_start, "pause_end": pause_end,
        "wait_status": wait_status, "provider_flag": provider_flag, "end_t": end_t,
    }


def _ticket_ids(n: int) -> list[str]:
    return [f"NW-{100001 + i}" for i in range(n)]


def _tickets_csv(t: dict[str, Any], tz: ZoneInfo) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "priority", "opened_at", "first_response_at", "resolved_at", "closed_at",
                "category", "team", "provider_sla_met"])
    cat_names = [c[0] for c in CATEGORIES]
    for i, tid in enumerate(_ticket_ids(len(t["opened"]))):
        flag = int(t["provider_flag"][i])
        w.writerow([
            tid, f"P{int(t['priority'][i]) + 1}", _iso(t["opened"][i], tz), _iso(t["response"][i], tz),
            _iso(t["resolved"][i], tz), _iso(t["closed"][i], tz), cat_names[int(t["category"][i])],
            t["team"][i], "" if flag < 0 else ("true" if flag else "false"),
        ])
    return buf.getvalue()


def _status_csv(t: dict[str, Any], tz: ZoneInfo) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ticket_id", "at", "status"])
    for i, tid in enumerate(_ticket_ids(len(t["opened"]))):
        rows = [(t["opened"][i], "New"), (t["response"][i], "In Progress"),
                (t["pause_start"][i], str(t["wait_status"][i])), (t["pause_end"][i], "In Progress"),
                (t["resolved"][i], "Resolved"), (t["closed"][i], "Closed")]
        for at, status in rows:
            if at != MISSING:
                w.writerow([tid, _iso(at, tz), status])
    return buf.getvalue()


def _draw_backups(rng: np.random.Generator, tz: ZoneInfo, end_t: int) -> tuple[str, str]:
    start_t = _local_epoch(HISTORY_START, 0, tz)
    # (system index, local start, hours) of longer failure streaks
    streaks = [(0, _local_epoch(date(2025, 2, 11), 22 * 3600, tz), 30),
               (2, _local_epoch(date(2026, 3, 3), 9 * 3600, tz), 52)]
    b = io.StringIO()
    w = csv.writer(b, lineterminator="\n")
    w.writerow(["system", "finished_at", "success", "location"])
    rows: list[tuple[int, int, str, str]] = []
    for si, (name, _location, every_h) in enumerate(BACKUP_SYSTEMS):
        slots = np.arange(start_t + 15 * 60 + si * 600, end_t, every_h * 3600, dtype=np.int64)
        duration = rng.integers(3 * 60, (10 + 10 * si) * 60, len(slots))
        finished = slots + duration
        ok = rng.random(len(slots)) >= 0.01
        for s, t0, hours in streaks:
            if s == si:
                ok &= ~((slots >= t0) & (slots < t0 + hours * 3600))
        for f, o in zip(finished, ok, strict=True):
            if f < end_t:
                rows.append((int(f), si, name, "true" if o else "false"))
    rows.sort(key=lambda r: (r[0], r[1]))
    for f, si, name, ok_s in rows:
        w.writerow([name, _iso(f, tz), ok_s, BACKUP_SYSTEMS[si][1]])

    # restore tests: every 80-100 days per system, 18:00 local on a Tuesday-ish evening
    r = io.StringIO()
    rw = csv.writer(r, lineterminator="\n")
    rw.writerow(["system", "started_at", "finished_at", "success"])
    hours_range = ((1.5, 3.2), (2.5, 4.6), (0.5, 2.0), (1.0, 3.0))
    tests: list[tuple[int, int, int, bool]] = []
    for si, _sys in enumerate(BACKUP_SYSTEMS):
        d = HISTORY_START + timedelta(days=int(rng.integers(10, 60)))
        k = 0
        while d <= HISTORY_END - timedelta(days=5):
            d += timedelta(days=(1 - d.weekday()) % 7)  # the next Tuesday
            start = _local_epoch(d, 18 * 3600, tz)
            lo, hi = hours_range[si]
            dur = int(rng.uniform(lo, hi) * 3600)
            if d.month == 12 and d.day >= 20:
                d += timedelta(days=14)  # not in the holiday weeks
                start = _local_epoch(d, 18 * 3600, tz)
            failed = si == 1 and k == 3  # the imaging server's fourth test fails
            skipped = si == 3 and k in (2, 3)  # the file server misses two quarters: one long gap
            if not skipped and start + dur < end_t:
                tests.append((start, start + dur, si, not failed))
            d += timedelta(days=int(rng.integers(80, 100)))
            k += 1
    tests.sort(key=lambda x: (x[0], x[2]))
    for s0, s1, si, passed in tests:
        rw.writerow([BACKUP_SYSTEMS[si][0], _iso(s0, tz), _iso(s1, tz), "true" if passed else "false"])
    return b.getvalue(), r.getvalue()


def _draw_outages(rng: np.random.Generator, t: dict[str, Any], tz: ZoneInfo) -> str:
    cat_names = [c[0] for c in CATEGORIES]
    rows: list[tuple[int, int, str, bool]] = []
    candidates = [
        i for i in range(len(t["opened"]))
        if t["priority"][i] == 0 and cat_names[int(t["category"][i])] in ("server down", "network outage")
        and t["resolved"][i] != MISSING
    ]
    picked = sorted(rng.choice(candidates, size=min(14, len(candidates)), replace=False).tolist())
    servers = ("Dentrix practice management", "Imaging (PACS)", "File server")
    for i in picked:
        category = cat_names[int(t["category"][i])]
        service = "Clinic network" if category == "network outage" else servers[int(rng.integers(0, 3))]
        start = int(t["opened"][i]) - int(rng.integers(120, 900))
        end = int(t["resolved"][i])
        if any(svc == service and start < e and s < end for s, e, svc, _m in rows):
            continue  # one outage per service at a time
        rows.append((start, end, service, False))
    d = date(HISTORY_START.year, HISTORY_START.month, 1)
    while d <= HISTORY_END:
        second_sunday = d + timedelta(days=(6 - d.weekday()) % 7 + 7)
        for service in ("Dentrix practice management", "File server"):
            rows.append((_local_epoch(second_sunday, 3600, tz), _local_epoch(second_sunday, 4 * 3600, tz),
                         service, True))
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    rows.sort(key=lambda r: (r[0], r[2]))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["service", "start", "end", "maintenance"])
    for s0, s1, service, maint in rows:
        w.writerow([service, _iso(s0, tz), _iso(s1, tz), "true" if maint else "false"])
    return buf.getvalue()


def _draw_kpis(rng: np.random.Generator, t: dict[str, Any], tz: ZoneInfo) -> str:
    cat_names = [c[0] for c in CATEGORIES]
    months: list[date] = []
    d = date(HISTORY_START.year, HISTORY_START.month, 1)
    while d <= HISTORY_END:
        months.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    month_key = np.array(
        [(dt.year, dt.month) for dt in (datetime.fromtimestamp(int(x), tz) for x in t["opened"])]
    )
    soc = np.array([cat_names[int(c)] in SOC_CATEGORIES for c in t["category"]])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["month", "patch_compliance", "threats_detected", "threats_resolved", "endpoints_managed"])
    for k, m in enumerate(months):
        f = k / max(1, len(months) - 1)
        sel = (month_key[:, 0] == m.year) & (month_key[:, 1] == m.month)
        detected = int((soc & sel).sum()) + int(rng.poisson(25))
        resolved = detected - int(rng.binomial(detected, 0.04 - 0.03 * f))
        patch = float(np.clip(0.84 + 0.12 * f + rng.normal(0, 0.015), 0.5, 0.995))
        endpoints = 158 + (14 if m >= date(2025, 9, 1) else 0) + round(8 * f)
        w.writerow([m.isoformat(), f"{patch:.3f}", detected, resolved, endpoints])
    return buf.getvalue()


def generate_files(seed: int = DEMO_SEED, n_tickets: int = N_TICKETS,
                   progress: ProgressCallback | None = None) -> dict[str, bytes]:
    """All demo files as bytes, by file name (CSV files above GZIP_ABOVE gzipped)."""
    tz = ZoneInfo(TZ_NAME)
    rng = np.random.default_rng(seed)
    files: dict[str, bytes] = {}
    report(progress, 0.0, "Reading contracts")
    for path in demo_contract_paths().values():  # the YAML files are the contracts' source
        files[path.name] = path.read_bytes()
    report(progress, 0.05, "Drawing tickets")
    t = _draw_tickets(rng, n_tickets, tz)
    report(progress, 0.35, "Formatting tickets")
    texts = {"tickets.csv": _tickets_csv(t, tz)}
    report(progress, 0.5, "Formatting the status log")
    texts["status_log.csv"] = _status_csv(t, tz)
    report(progress, 0.75, "Drawing backups and restore tests")
    texts["backups.csv"], texts["restore_tests.csv"] = _draw_backups(rng, tz, int(t["end_t"]))
    texts["outages.csv"] = _draw_outages(rng, t, tz)
    texts["kpis.csv"] = _draw_kpis(rng, t, tz)
    for name, text in texts.items():
        data = text.encode("utf-8")
        if len(data) > GZIP_ABOVE:
            files[name + ".gz"] = gzip.compress(data, compresslevel=9, mtime=0)
        else:
            files[name] = data
    report(progress, 0.95, "Done drawing")
    return files


def generate(out_dir: str | Path, seed: int = DEMO_SEED, n_tickets: int = N_TICKETS,
             progress: ProgressCallback | None = None) -> list[Path]:
    """Write the demo files into ``out_dir`` (created if missing); returns the paths.

    Everything is drawn in memory first, so a failure or cancellation writes nothing;
    each file is then replaced atomically.  A stale plain/gzipped twin of a written
    CSV is removed so readers never see two versions.
    """
    from models.atomic import atomic_write_bytes

    files = generate_files(seed, n_tickets, progress)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    written = []
    for name, data in files.items():
        atomic_write_bytes(out / name, data)
        os.chmod(out / name, 0o666 & ~umask)  # ordinary data files, not private temporaries
        twin = out / (name[:-3] if name.endswith(".gz") else name + ".gz")
        if twin.name.endswith((".csv", ".csv.gz")) and twin.exists():
            twin.unlink()
        written.append(out / name)
    report(progress, 1.0, "Demo files written")
    return written


# ================================================================== reading


def _demo_file(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, or ``name.gz`` when only that exists."""
    plain, packed = folder / name, folder / (name + ".gz")
    return packed if not plain.exists() and packed.exists() else plain


def _csv_text(folder: Path, name: str) -> tuple[str, str]:
    """(source name, text) of ``name`` or, failing that, of ``name.gz``."""
    path = _demo_file(folder, name)
    if not path.exists():
        raise FileNotFoundError(f"{path}: missing (nor {path.name}.gz)")
    if path.suffix == ".gz":
        return str(path), gzip.decompress(path.read_bytes()).decode("utf-8")
    return str(path), path.read_text(encoding="utf-8")


class _Table:
    """A CSV file as rows of strings, with the index of each wanted column."""

    def __init__(self, folder: Path, name: str, columns: tuple[str, ...]) -> None:
        self.source, text = _csv_text(folder, name)
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        missing = [c for c in columns if c not in header]
        if missing:
            raise ValueError(f"{self.source}: missing column(s) {', '.join(missing)}")
        self.col = {c: header.index(c) for c in columns}
        self.rows = list(reader)

    def where(self, k: int, column: str) -> str:
        return f"{self.source}: line {k + 2}: {column}"

    def column(self, column: str) -> list[str]:
        c = self.col[column]
        return [r[c] if c < len(r) else "" for r in self.rows]

    def instants(self, column: str, required: bool = False) -> np.ndarray:
        out = np.empty(len(self.rows), dtype=np.int64)
        for k, text in enumerate(self.column(column)):
            if not text:
                if required:
                    raise ValueError(f"{self.where(k, column)}: a timestamp is required")
                out[k] = MISSING
                continue
            try:
                dt = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{self.where(k, column)}: bad timestamp {text!r}") from None
            if dt.tzinfo is None:
                raise ValueError(f"{self.where(k, column)}: timestamp {text!r} has no offset")
            out[k] = int(dt.timestamp())
        return out

    def flags(self, column: str, required: bool = False) -> np.ndarray:
        out = np.empty(len(self.rows), dtype=np.int8)
        for k, text in enumerate(self.column(column)):
            t = text.strip().lower()
            if t in ("true", "false"):
                out[k] = t == "true"
            elif t == "" and not required:
                out[k] = -1
            else:
                raise ValueError(f"{self.where(k, column)}: expected true or false, not {text!r}")
        return out


def _utc(sec: int) -> datetime:
    return datetime.fromtimestamp(int(sec), tz=UTC)


def read_demo_tickets(folder: str | Path | None = None) -> tuple[TicketTable, StatusLog]:
    """``tickets.csv`` and ``status_log.csv`` (plain or gzipped) as columnar tables,
    through the engine's canonical reader (errors name the file, line and field)."""
    from workbench.importing.canonical_csv import read_tickets_csv

    d = demo_dir() if folder is None else Path(folder)
    return read_tickets_csv(_demo_file(d, "tickets.csv"), _demo_file(d, "status_log.csv"))


def load_demo_history(folder: str | Path | None = None) -> History:
    """The whole demo history (tickets, status log, backups, restore tests, outages, KPIs)."""
    d = demo_dir() if folder is None else Path(folder)
    tickets, log = read_demo_tickets(d)

    b = _Table(d, "backups.csv", ("system", "finished_at", "success", "location"))
    b_fin, b_ok = b.instants("finished_at", required=True), b.flags("success", required=True)
    backups = tuple(
        BackupJob(system=sysname, finished_at=_utc(f), success=bool(ok), location=loc)  # type: ignore[arg-type]
        for sysname, f, ok, loc in zip(b.column("system"), b_fin, b_ok, b.column("location"), strict=True)
    )
    r = _Table(d, "restore_tests.csv", ("system", "started_at", "finished_at", "success"))
    restores = tuple(
        RestoreTest(system=sysname, started_at=_utc(s0), finished_at=_utc(s1), success=bool(ok))
        for sysname, s0, s1, ok in zip(r.column("system"), r.instants("started_at", required=True),
                                       r.instants("finished_at", required=True),
                                       r.flags("success", required=True), strict=True)
    )
    o = _Table(d, "outages.csv", ("service", "start", "end", "maintenance"))
    outages = tuple(
        Outage(service=svc, start=_utc(s0), end=_utc(s1), maintenance=bool(m))
        for svc, s0, s1, m in zip(o.column("service"), o.instants("start", required=True),
                                  o.instants("end", required=True), o.flags("maintenance", required=True),
                                  strict=True)
    )
    kcols = ("month", "patch_compliance", "threats_detected", "threats_resolved", "endpoints_managed")
    kt = _Table(d, "kpis.csv", kcols)

    def num(text: str, cast: Callable[[str], Any]) -> Any:
        return cast(text) if text else None

    kpis = tuple(
        KpiSnapshot(month=date.fromisoformat(row[kt.col["month"]]),
                    patch_compliance=num(row[kt.col["patch_compliance"]], float),
                    threats_detected=num(row[kt.col["threats_detected"]], int),
                    threats_resolved=num(row[kt.col["threats_resolved"]], int),
                    endpoints_managed=num(row[kt.col["endpoints_managed"]], int))
        for row in kt.rows
    )
    return History(tickets=tickets, status_log=log, backups=backups, restore_tests=restores,
                   outages=outages, kpis=kpis)


def demo_as_of() -> int:
    """The demo's ``as_of``: local midnight after :data:`HISTORY_END`, as epoch seconds."""
    return _local_epoch(HISTORY_END + timedelta(days=1), 0, ZoneInfo(TZ_NAME))


# ================================================================== workspace

DEMO_MARKER = "lakeshore-dental"


def demo_fingerprint(folder: str | Path | None = None) -> str:
    """A short digest of the demo files: a release with other demo data gets a new
    default workspace instead of reusing one built from the old files."""
    import hashlib

    d = demo_dir() if folder is None else Path(folder)
    h = hashlib.sha256()
    for p in sorted(d.iterdir()):
        if p.suffix in (".yaml", ".csv", ".gz"):
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:10]


def default_demo_workspace_path() -> Path:
    """Where the demo workspace lives: the platform's user data folder, under a name
    that carries :func:`demo_fingerprint`."""
    from platformdirs import user_data_dir

    stem = WORKSPACE_NAME.removesuffix(".slawb")
    return Path(user_data_dir("sla-workbench", appauthor=False)) / f"{stem}-{demo_fingerprint()}.slawb"


def build_demo_workspace(path: str | Path, folder: str | Path | None = None,
                         progress: ProgressCallback | None = None) -> Path:
    """Build a new demo workspace at ``path`` (which must not exist) from the demo files.

    It is built beside ``path`` under a temporary name and moved into place at the end,
    so an interrupted build never leaves a half-filled workspace at ``path``.
    """
    from models.store import Workspace, WorkspaceError
    from workbench.progress import scaled

    target = Path(path)
    if target.exists():
        raise WorkspaceError(f"{target}: already exists; open it instead of building the demo there")
    d = demo_dir() if folder is None else Path(folder)
    report(progress, 0.0, "Reading the demo files")
    contracts = {name: load_contract(d / f"{name}.yaml") for name in CONTRACT_FILES}
    history = load_demo_history(d)
    report(progress, 0.3, "Creating the workspace")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".building", dir=target.parent))
    tmp = tmp_dir / target.name
    try:
        ws = Workspace.create(tmp)
        try:
            client_id = ws.add_client(CLIENT, "Demo client: 9 clinics in Ontario, about 120 staff.")
            parent: int | None = None
            for name, contract in contracts.items():
                own = name.startswith("northwind-")
                vid = ws.add_contract_version(contract, parent_id=parent if own else None,
                                              client_id=client_id)
                if own:
                    parent = vid
            report(progress, 0.35, "Saving the ticket history")
            ws.save_history(history, progress=scaled(progress, 0.35, 0.98))
            ws.set_meta("demo", DEMO_MARKER)
            ws.set_meta("demo_seed", str(DEMO_SEED))
            ws.set_meta("demo_fingerprint", demo_fingerprint(d))
        finally:
            ws.close()
        os.replace(tmp, target)
    finally:
        for leftover in tmp_dir.iterdir():
            leftover.unlink()
        tmp_dir.rmdir()
    report(progress, 1.0, "Demo workspace ready")
    return target


def is_demo_workspace(path: str | Path) -> bool:
    """True when ``path`` opens as a workspace built by :func:`build_demo_workspace`.

    Raises :class:`models.store.WorkspaceError` for a file that is not a workspace,
    is damaged or has a newer schema.
    """
    from models.store import Workspace

    with Workspace.open(path) as ws:
        return ws.meta().get("demo") == DEMO_MARKER


def ensure_demo_workspace(path: str | Path | None = None,
                          progress: ProgressCallback | None = None) -> Path:
    """The demo workspace: built on first use (default: the user data folder), reused after.

    An existing file at ``path`` is reused when it is a demo workspace; anything else
    there (another workspace, a damaged or foreign file) raises
    :class:`models.store.WorkspaceError` and is left untouched.
    """
    from models.store import WorkspaceError

    target = default_demo_workspace_path() if path is None else Path(path)
    if target.exists():
        if not is_demo_workspace(target):
            raise WorkspaceError(f"{target}: is a workspace but not the demo; choose another path")
        report(progress, 1.0, "Demo workspace ready")
        return target
    return build_demo_workspace(target, progress=progress)
