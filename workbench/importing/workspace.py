"""Import an export into a workspace, all or nothing.

Default: the valid rows are imported and every rejected row is listed.
``strict=True``: nothing is imported when any row is rejected.  An export from which
no ticket can be imported fails (nothing is written) with the first rejected row.  Re-importing the
same export updates the tickets it holds (same ``source`` and ticket id) and
replaces their status rows, never duplicates (``Workspace.upsert_tickets``).  A
failure or a cancel leaves the workspace as it was; a workspace created by the
import is removed again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.importing.core import ImportFailed, ImportResult, attach_status_log, import_file
from workbench.importing.dates import DateOrder
from workbench.importing.presets import Preset
from workbench.importing.records import RecordsResult, merge_records, read_records, sniff_kind
from workbench.progress import Cancelled, ProgressCallback, report, scaled

if TYPE_CHECKING:
    from models.store import Workspace


class Rejected(ImportFailed):
    """``strict`` import refused because rows were rejected; nothing was written."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        first = result.rejected[0]
        super().__init__(
            f"{len(result.rejected)} row(s) rejected, nothing imported (strict); first: {first}"
        )


def read_export(
    file: str | Path,
    *,
    preset: str | Preset | None = None,
    tz: str | None = None,
    date_order: DateOrder | None = None,
    status_log: str | Path | None = None,
    progress: ProgressCallback | None = None,
    sheet: str | None = None,
    default_priority: str | None = None,
) -> ImportResult:
    """Read a ticket export (and optionally a separate status-log file) without writing anything."""
    result = import_file(file, preset, tz, date_order, scaled(progress, 0.0, 0.8 if status_log else 1.0),
                         sheet=sheet, default_priority=default_priority)
    if result.preset.kind == "status_log":
        raise ImportFailed(f"{file}: this is a status log ({result.preset.name}); import it with "
                           "--status-log beside its ticket file")
    if status_log is not None:
        st = import_file(status_log, "canonical-status-log" if preset is None else None, tz, date_order,
                         scaled(progress, 0.8, 1.0))
        if st.preset.kind != "status_log":
            raise ImportFailed(f"{status_log}: not a status log (ticket_id, at, status)")
        result = attach_status_log(result, st)
    return result


def import_into_workspace(
    workspace: str | Path,
    file: str | Path,
    *,
    preset: str | Preset | None = None,
    tz: str | None = None,
    date_order: DateOrder | None = None,
    status_log: str | Path | None = None,
    strict: bool = False,
    source: str = "default",
    progress: ProgressCallback | None = None,
    sheet: str | None = None,
    default_priority: str | None = None,
) -> ImportResult | RecordsResult:
    """Read, validate and upsert into ``workspace`` (created if missing)."""
    from models.store import Workspace, WorkspaceError

    if status_log is None and preset is None and sniff_kind(file) is not None:
        return import_records_into_workspace(workspace, file, tz=tz, strict=strict, source=source,
                                             progress=progress)
    result = read_export(file, preset=preset, tz=tz, date_order=date_order, status_log=status_log,
                         progress=scaled(progress, 0.0, 0.5), sheet=sheet, default_priority=default_priority)
    if strict and result.rejected:
        raise Rejected(result)
    check_not_empty(result, file)
    ws_path = Path(workspace)
    try:
        ws = Workspace.open(ws_path, create=True)
    except WorkspaceError as exc:
        raise ImportFailed(str(exc)) from exc
    created = ws.created  # only a workspace this import made is removed again on failure
    ok = False
    try:
        report(progress, 0.5, "saving tickets")
        try:
            save_ticket_import(ws, result, Path(file).name, source,
                               scaled(_no_cancel_at_end(progress), 0.5, 0.98))
        except ValueError as exc:
            raise ImportFailed(f"{file}: {exc}") from exc
        ok = True
    except Cancelled:
        raise
    finally:
        ws.close()
        if not ok and created:
            for leftover in (ws_path, ws_path.with_name(ws_path.name + "-journal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
    if progress is not None:
        progress(1.0, "imported")  # committed: a cancel now could no longer undo anything
    return result


def import_records_into_workspace(
    workspace: str | Path,
    file: str | Path,
    *,
    tz: str | None = None,
    strict: bool = False,
    source: str = "default",
    progress: ProgressCallback | None = None,
) -> RecordsResult:
    """Backups, restore tests, outages or KPIs: replace that kind of record in ``source``, all or nothing."""
    from models.store import Workspace, WorkspaceError

    report(progress, 0.0, f"reading {Path(file).name}")
    result = read_records(file, tz)
    if strict and result.rejected:
        first = result.rejected[0]
        raise ImportFailed(
            f"{len(result.rejected)} row(s) rejected, nothing imported (strict); first: {first}"
        )
    ws_path = Path(workspace)
    try:
        ws = Workspace.open(ws_path, create=True)
    except WorkspaceError as exc:
        raise ImportFailed(str(exc)) from exc
    created = ws.created  # only a workspace this import made is removed again on failure
    ok = False
    try:
        store_records(ws, result, source=source, progress=scaled(progress, 0.1, 1.0))
        ok = True
    finally:
        ws.close()
        if not ok and created:
            for leftover in (ws_path, ws_path.with_name(ws_path.name + "-journal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
    if progress is not None:
        progress(1.0, "imported")
    return result


class NothingImported(Rejected):
    """Every row of the export was rejected (or it holds none): nothing is written."""

    def __init__(self, result: ImportResult, file: str | Path) -> None:
        self.result = result
        if result.rejected:
            why = (f"no ticket can be imported: {len(result.rejected)} row(s) rejected, nothing stored; "
                   f"first: {result.rejected[0]}")
        else:
            why = "no ticket can be imported: the file holds no data rows, nothing stored"
        ImportFailed.__init__(self, f"{file}: {why}" if not result.rejected else why)


def check_not_empty(result: ImportResult, file: str | Path) -> None:
    """Refuse an import that would store no ticket."""
    if len(result.tickets) == 0:
        raise NothingImported(result, file)


def save_ticket_import(
    ws: Workspace, result: ImportResult, file_name: str, source: str = "default",
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Store an export's valid tickets and status rows in ``ws`` together with where they
    came from, in one transaction (the command line and the import wizard both call this)."""
    from models.store import NewDataSource

    check_not_empty(result, file_name)
    details = {"stats": result.stats, "notes": result.notes, "coverage": result.coverage(),
               "not_measured": result.not_measured()}
    if result.timezone:
        details["timezone"] = result.timezone
    entry = NewDataSource(
        file_name, result.preset.name, tickets=len(result.tickets), status_rows=len(result.status_log),
        rejected=len(result.rejected), details=details,
    )
    return ws.upsert_tickets(result.tickets, result.status_log, source=source, progress=progress,
                             data_source=entry)


def store_records(
    ws: Workspace,
    result: RecordsResult,
    *,
    source: str = "default",
    progress: ProgressCallback | None = None,
) -> None:
    """Write the records read from a file into the open workspace ``ws``: they replace the
    records of their kind in ``source`` (its tickets and the other kinds are kept), in one
    transaction together with the file listed among the data sources.  A cancel before the commit
    changes nothing."""
    from models.store import NewDataSource

    history = ws.load_history(source)
    report(progress, 0.25, "saving records")
    entry = NewDataSource(result.file.name, f"canonical-{result.kind}", rejected=len(result.rejected),
                          details={"records": len(result.records)})
    ws.save_history(merge_records(history, result), source=source,
                    progress=scaled(_no_cancel_at_end(progress), 0.25, 0.98), data_source=entry)


def _no_cancel_at_end(progress: ProgressCallback | None) -> ProgressCallback | None:
    """The store reports 1.0 after its commit: a cancel asked then must not claim nothing changed."""
    if progress is None:
        return None

    def guarded(fraction: float, message: str) -> bool | None:
        answer = progress(fraction, message)
        return None if fraction >= 1.0 else answer

    return guarded
