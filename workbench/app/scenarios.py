"""What-if scenario edits, written once: each takes the scenario contract (and the
baseline it started from) and returns a :class:`ScenarioEdit` — the new contract, the
words an undo menu shows, and a key under which consecutive edits of the same control
merge into one undo step.  The edits go through :meth:`workbench.engine.simulate.Scenario.apply`,
the engine's own way of overriding a contract's targets, calendars, pause rules, backup
terms and uptime commitments.  The recovery edits (:func:`with_rpo`, :func:`with_rto`,
:func:`with_cadence`, :func:`with_uptime`) are replayed by
:class:`workbench.engine.recovery_replay.RecoveryReplay` on
``RecoveryScenario.from_contract(edit.contract)``.

Both front ends call these: the What-if view pushes the edit on its undo stack; a
script or the command line applies it directly.  An edit that would make an invalid
contract raises :class:`models.contract.ContractError`; one that cannot apply raises
:class:`ScenarioError`, with a sentence for the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from models.contract import DAY_TARGETS, LITERAL_24X7, CalendarSpec, Contract, format_duration
from workbench.app.coverage import PRESETS, CoveragePreset
from workbench.engine.simulate import Scenario

__all__ = [
    "ScenarioEdit",
    "ScenarioError",
    "coverage_choice",
    "draft_from_scenario",
    "with_backup_system",
    "with_cadence",
    "with_coverage",
    "with_pauses",
    "with_rpo",
    "with_rto",
    "with_target",
    "with_uptime",
    "without_backup_system",
    "without_uptime",
]

NAME = "what-if"


class ScenarioError(ValueError):
    """An edit that cannot apply to this scenario (the message says why, in words)."""


@dataclass(frozen=True)
class ScenarioEdit:
    """The scenario after one edit, the edit's words, and its undo merge key ("" never merges)."""

    contract: Contract
    text: str
    key: str = ""


def with_target(scenario: Contract, baseline: Contract, prio: str, metric: str, hours: float) -> ScenarioEdit:
    """Set ``prio``'s ``metric`` target to ``hours`` of its calendar's time.  ``hours <= 0``
    means "as the baseline has it" for a day target (same/next business day), else no
    target at all."""
    entry = dict(scenario.to_data().get("targets", {}).get(prio, {"calendar": LITERAL_24X7}))
    if hours <= 0:
        original = baseline.target(prio, metric)
        if original in DAY_TARGETS:
            entry[metric] = original
        else:
            entry.pop(metric, None)
    else:
        entry[metric] = format_duration(round(hours * 3600))
    new = Scenario(NAME, targets={prio: entry}).apply(scenario)
    return ScenarioEdit(new, f"{prio} {metric} target {entry.get(metric, 'none')}", f"target:{prio}:{metric}")


AS_IN_CONTRACT = "As in the contract"


def with_coverage(scenario: Contract, baseline: Contract, preset: CoveragePreset | None) -> ScenarioEdit:
    """Every calendar of the scenario on ``preset``'s weekly hours (keeping each
    calendar's zone and holidays); ``None``: the baseline's calendars again."""
    if preset is None:
        calendars: dict[str, Any] = dict(baseline.calendars)
        label = AS_IN_CONTRACT
    else:
        if not scenario.calendars:
            raise ScenarioError("This contract has no named calendar: every target runs 24x7.")
        calendars = {
            name: CalendarSpec(timezone=spec.timezone, weekly=preset.weekly(), holidays=spec.holidays)
            for name, spec in scenario.calendars.items()
        }
        label = preset.label
    new = Scenario(NAME, calendars=calendars).apply(scenario)
    return ScenarioEdit(new, f"Coverage {label}")


def coverage_choice(scenario: Contract, baseline: Contract | None) -> CoveragePreset | str | None:
    """Which coverage choice the scenario shows: ``None`` when its calendars are the
    baseline's, a preset when its one calendar has that preset's hours, else
    ``"other"`` (hours only the editor can show)."""
    if baseline is not None and scenario.calendars == baseline.calendars:
        return None
    if len(scenario.calendars) == 1:
        weekly = dict(next(iter(scenario.calendars.values())).weekly)
        for preset in PRESETS:
            if weekly == preset.weekly():
                return preset
    return "other"


def with_pauses(scenario: Contract, applies_to: Iterable[str], statuses: Iterable[str]) -> ScenarioEdit:
    """The clock pauses on ``statuses`` (blank names dropped) for the metrics in ``applies_to``."""
    new = Scenario(
        NAME,
        pause_statuses=tuple(s.strip() for s in statuses if s.strip()),
        pause_applies_to=tuple(applies_to),
    ).apply(scenario)
    return ScenarioEdit(new, "Pause rules")


# ------------------------------------------------------------------------ recovery


def _backup_terms(scenario: Contract, which: str | int, term: str, hours: float) -> ScenarioEdit:
    """``term`` (rpo or rto) of the system named ``which``, or of every system of tier
    ``which`` (an int), set to ``hours``."""
    if hours <= 0:
        raise ScenarioError(f"An {term.upper()} must be longer than zero.")
    backup = scenario.to_data().get("backup", {})
    systems = [dict(s) for s in backup.get("systems", [])]
    by_name = isinstance(which, str)
    hit = [s for s in systems if (s["name"] if by_name else s.get("tier", 2)) == which]
    if not hit:
        what = f"system {which!r}" if by_name else f"system of tier {which}"
        raise ScenarioError(f"This contract has no backup {what}.")
    value = format_duration(round(hours * 3600))
    for s in hit:
        s[term] = value
    new = Scenario(NAME, backup={**backup, "systems": systems}).apply(scenario)
    label = which if by_name else f"tier {which} systems"
    return ScenarioEdit(new, f"{term.upper()} {value} for {label}", f"{term}:{which}")


def with_rpo(scenario: Contract, which: str | int, hours: float) -> ScenarioEdit:
    """The RPO of the backup system ``which`` (a name), or of every system of a tier (an
    int), set to ``hours``."""
    return _backup_terms(scenario, which, "rpo", hours)


def with_rto(scenario: Contract, which: str | int, hours: float) -> ScenarioEdit:
    """The RTO of the backup system ``which`` (a name), or of every system of a tier (an
    int), set to ``hours``."""
    return _backup_terms(scenario, which, "rto", hours)


def with_cadence(scenario: Contract, cadence: str | None) -> ScenarioEdit:
    """The restore-test cadence (``monthly``, ``quarterly``, ``semiannual``, ``annual`` or a
    duration such as ``30d``; None: no cadence).  A contract states one cadence for all
    its systems."""
    backup = dict(scenario.to_data().get("backup", {}))
    if cadence is None:
        backup.pop("restore_test_cadence", None)
    else:
        backup["restore_test_cadence"] = cadence
    new = Scenario(NAME, backup=backup).apply(scenario)
    return ScenarioEdit(new, f"Restore tests {cadence or 'without a cadence'}", "cadence")


def with_uptime(scenario: Contract, service: str, percent: float) -> ScenarioEdit:
    """``service``'s uptime target set to ``percent``; a service the contract does not
    commit to is added (measured 24x7, maintenance excluded)."""
    uptime = [dict(u) for u in scenario.to_data().get("uptime", [])]
    mine = [u for u in uptime if u["service"] == service]
    if mine:
        for u in mine:
            u["target_percent"] = percent
    else:
        uptime.append({"service": service, "target_percent": percent})
    new = Scenario(NAME, uptime=tuple(uptime)).apply(scenario)
    return ScenarioEdit(new, f"Uptime {percent:g}% for {service}", f"uptime:{service}")


def draft_from_scenario(scenario: Contract, baseline: Contract, number: int) -> Contract:
    """The scenario as a draft version to keep: named after its baseline (``2025 — what-if
    draft 2``); a draft is not a review, so the baseline's review date stays."""
    return scenario.model_copy(
        update={
            "status": "draft",
            "version": f"{baseline.version} — what-if draft {number}",
            "last_reviewed": baseline.last_reviewed,
        }
    )


def without_backup_system(scenario: Contract, name: str) -> ScenarioEdit:
    """The system ``name`` taken out of the scenario's backup terms: neither an RPO nor an
    RTO applies to it ("no target")."""
    backup = scenario.to_data().get("backup", {})
    systems = [dict(s) for s in backup.get("systems", []) if s["name"] != name]
    new = Scenario(NAME, backup={**backup, "systems": systems}).apply(scenario)
    return ScenarioEdit(new, f"No RPO or RTO target for {name}", f"backup:{name}")


def with_backup_system(scenario: Contract, baseline: Contract, name: str, rpo_hours: float,
                       rto_hours: float) -> ScenarioEdit:
    """The system ``name``, which the scenario does not list, added with these RPO and RTO
    (its tier and location as the baseline has them, else tier 2 on-prem)."""
    if min(rpo_hours, rto_hours) <= 0:
        raise ScenarioError("An RPO and an RTO must be longer than zero.")
    backup = scenario.to_data().get("backup", {})
    systems = [dict(s) for s in backup.get("systems", [])]
    if any(s["name"] == name for s in systems):
        raise ScenarioError(f"The scenario already lists the backup system {name!r}.")
    entry: dict[str, Any] = {"name": name, "tier": 2}
    for s in baseline.to_data().get("backup", {}).get("systems", []):
        if s["name"] == name:
            entry = {k: v for k, v in s.items() if k not in ("rpo", "rto")}
    rpo, rto = format_duration(round(rpo_hours * 3600)), format_duration(round(rto_hours * 3600))
    systems.append({**entry, "rpo": rpo, "rto": rto})
    new = Scenario(NAME, backup={**backup, "systems": systems}).apply(scenario)
    return ScenarioEdit(new, f"RPO {rpo}, RTO {rto} for {name}", f"backup:{name}")


def without_uptime(scenario: Contract, service: str) -> ScenarioEdit:
    """``service``'s uptime commitment taken out of the scenario ("no target")."""
    uptime = tuple(dict(u) for u in scenario.to_data().get("uptime", []) if u["service"] != service)
    new = Scenario(NAME, uptime=uptime).apply(scenario)
    return ScenarioEdit(new, f"No uptime target for {service}", f"uptime:{service}")
