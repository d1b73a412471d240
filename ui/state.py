"""What the window shows: the open workspace, its contract versions, its history,
the scenario being explored and the draft being edited.  Views observe it.

All changes that a user can undo go through ``state.undo_stack`` as QUndoCommands
that call :meth:`AppState.set_scenario` / :meth:`AppState.set_draft`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models.contract import Contract
from models.history import History
from workbench.app.localtime import CONTRACT_ZONE, display_zone
from workbench.app.workspace import Changes, apply_changes
from workbench.app.workspace import Version as Version


class AppState(QObject):
    workspace_changed = Signal()  # path, versions and history replaced
    versions_changed = Signal()
    history_changed = Signal()  # the tickets (and everything else) replaced
    records_changed = Signal()  # backups, restore tests, outages and KPIs arrived (same tickets)
    scenario_changed = Signal()  # the what-if scenario contract changed
    draft_changed = Signal()  # the contract being edited changed
    baseline_changed = Signal()
    message = Signal(str)  # status-bar notes
    draft_discarded = Signal(str)  # a working draft was taken back (undo): delete its autosave
    zone_changed = Signal()  # times are shown in another zone (baseline or preference changed)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.versions: list[Version] = []
        self.history: History = History()
        self.baseline: Version | None = None
        self.scenario: Contract | None = None
        self.draft: Version | None = None  # the version open in the editor
        self.dirty_draft = False
        self.undo_stack = QUndoStack(self)
        self.workspace: Any = None  # only ever touched on the DB worker thread
        # True between a load of the contracts and tickets and the arrival of the other
        # records (backups, restore tests, outages, KPIs): views that need them wait
        self.records_pending = False
        self.zone_preference = CONTRACT_ZONE  # "contract", "UTC" or an IANA zone (Preferences)
        self.baseline_changed.connect(self.zone_changed)

    # ------------------------------------------------------------------ loading
    def load(
        self, path: Path | None, versions: list[Version], history: History, records_pending: bool = False
    ) -> None:
        """Show a workspace.  ``records_pending``: ``history`` has the tickets and status
        log only; :meth:`set_records` brings the rest later."""
        self.path = path
        self.records_pending = records_pending
        self.versions = list(versions)
        self.history = history
        self.undo_stack.clear()
        self.baseline = self.default_baseline()
        self.scenario = self.baseline.contract if self.baseline else None
        drafts = [v for v in self.versions if v.status == "draft"]
        self.draft = drafts[-1] if drafts else None
        self.dirty_draft = False
        self.workspace_changed.emit()
        self.versions_changed.emit()
        self.history_changed.emit()
        self.baseline_changed.emit()
        self.scenario_changed.emit()
        self.draft_changed.emit()

    def set_records(self, history: History) -> None:
        """The rest of the history arrived (its tickets are the ones already shown)."""
        self.history = history
        self.records_pending = False
        self.records_changed.emit()

    def take_records(self, records: Any) -> None:
        """:meth:`set_records` with the backups, restore tests, outages and KPIs of
        ``records`` (what the store's ``load_records`` gives) beside the tickets shown."""
        self.set_records(
            replace(
                self.history,
                backups=tuple(records.backups),
                restore_tests=tuple(records.restore_tests),
                outages=tuple(records.outages),
                kpis=tuple(records.kpis),
            )
        )

    def clear(self) -> None:
        self.load(None, [], History())

    def default_baseline(self) -> Version | None:
        signed = [v for v in self.versions if v.status == "signed"]
        if signed:
            return signed[-1]
        return self.versions[0] if self.versions else None

    @property
    def is_open(self) -> bool:
        return self.path is not None or bool(self.versions)

    @property
    def ticket_count(self) -> int:
        return len(self.history.tickets)

    def display_zone(self) -> tzinfo:
        """The zone times are shown in: the baseline contract's, or the preferred one."""
        return display_zone(self.baseline.contract if self.baseline else None, self.zone_preference)

    def set_zone_preference(self, preference: str) -> None:
        if preference != self.zone_preference:
            self.zone_preference = preference
            self.zone_changed.emit()

    def as_of(self) -> int | None:
        latest = self.history.latest_instant()
        from models.history import MISSING

        return None if latest == MISSING else int(latest)

    # ------------------------------------------------------------------ changes
    def set_baseline(self, version: Version) -> None:
        self.baseline = version
        self.baseline_changed.emit()

    def set_scenario(self, contract: Contract | None) -> None:
        self.scenario = contract
        self.scenario_changed.emit()

    def set_draft(self, version: Version | None, dirty: bool = True) -> None:
        self.draft = version
        self.dirty_draft = dirty
        self.draft_changed.emit()

    def add_version(self, version: Version) -> None:
        self.versions.append(version)
        self.versions_changed.emit()

    def remove_version(self, version: Version) -> None:
        self.versions = [v for v in self.versions if v is not version]
        self.versions_changed.emit()

    def apply_changes(self, changes: Changes) -> None:
        """Show what a workspace operation changed (versions added, replaced, removed); a
        removed baseline or draft gives way to the default one."""
        self.versions = apply_changes(self.versions, changes)
        if self.draft is not None and self.draft not in self.versions:
            self.draft = None
            self.dirty_draft = False
            self.undo_stack.clear()  # its edits have no draft left to apply to
            self.draft_changed.emit()
        self.versions_changed.emit()
        if self.baseline is None or self.baseline not in self.versions:
            old = self.baseline
            self.baseline = self.default_baseline()
            self.baseline_changed.emit()
            if self.scenario is None or (old is not None and self.scenario == old.contract):
                # the scenario started from no baseline or from the one removed
                self.set_scenario(self.baseline.contract if self.baseline is not None else None)

    def replace_version(self, old: Version, new: Version) -> None:
        self.versions = [new if v is old else v for v in self.versions]
        if self.draft is old:
            self.draft = new
        self.versions_changed.emit()


# -------------------------------------------------------------------- undo commands


class SetScenario(QUndoCommand):
    """Change the what-if scenario.  Consecutive changes of one control merge
    (a slider drag is one undo step)."""

    ID = 1001

    def __init__(self, state: AppState, new: Contract, text: str, key: str = "") -> None:
        super().__init__(text)
        self.state = state
        self.old = state.scenario
        self.new = new
        self.key = key

    def id(self) -> int:
        return self.ID if self.key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetScenario) or other.key != self.key or not self.key:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.state.set_scenario(self.new)

    def undo(self) -> None:
        self.state.set_scenario(self.old)


class EditDraft(QUndoCommand):
    """Replace the draft contract being edited (one field edit)."""

    ID = 1002

    def __init__(self, state: AppState, new: Contract, text: str, key: str = "") -> None:
        super().__init__(text)
        self.state = state
        assert state.draft is not None
        self.old = state.draft.contract
        self.new = new
        self.key = key

    def id(self) -> int:
        return self.ID if self.key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditDraft) or other.key != self.key or not self.key:
            return False
        self.new = other.new
        return True

    def _apply(self, contract: Contract) -> None:
        current = self.state.draft
        assert current is not None
        new_version = Version(current.id, contract, current.draft_key, current.parent_id)
        if current is not None:
            self.state.replace_version(current, new_version)
        self.state.set_draft(new_version, dirty=True)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class AddVersion(QUndoCommand):
    """Add a new contract version (e.g. "Save scenario as draft version")."""

    def __init__(self, state: AppState, version: Version, text: str) -> None:
        super().__init__(text)
        self.state = state
        self.version = version
        self.previous_draft = state.draft

    def redo(self) -> None:
        self.state.add_version(self.version)
        if self.version.status == "draft" or self.version.draft_key is not None:
            self.state.set_draft(self.version, dirty=True)

    def _current(self) -> Version:
        """The version as it is now (edits replace the Version object; the draft key stays)."""
        key = self.version.draft_key
        for v in self.state.versions:
            if v is self.version or (key is not None and v.draft_key == key):
                return v
        return self.version

    def undo(self) -> None:
        current = self._current()
        self.state.remove_version(current)
        if self.state.draft is current:
            self.state.set_draft(self.previous_draft, dirty=False)
        if self.version.draft_key is not None:
            # it may have been autosaved meanwhile: the stored copy goes too
            self.state.draft_discarded.emit(self.version.draft_key)
