"""Screenshots of every view on the demo workspace, the import wizard (on an export from
the tests' fixtures), the export dialog, the user guide and QBR mode, at 1366x768 and
1920x1080, then the start page of a new engagement: ``python -m ui.screenshots [OUTDIR]``;
the start pages only: ``python -m ui.screenshots --start [OUTDIR]``.

Run offscreen (``QT_QPA_PLATFORM=offscreen``) or under xvfb.  The demo workspace is
built in a temporary folder; the PNGs (``gui-<name>-<width>x<height>.png``) go to OUTDIR
(default ``docs/screenshots``).  Nothing outside the repository is read.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _wait(app: Any, cond: Any, timeout: float = 180.0) -> None:
    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _settle(app: Any, seconds: float = 0.6) -> None:
    _wait(app, lambda: False, seconds)
    # charts render on pool threads (ui.widgets.figure_canvas): wait for every one in
    _wait(app, lambda: not any(getattr(c, "rendering", False) for c in _canvases(app)), 60)
    _wait(app, lambda: False, 0.1)


def _canvases(app: Any) -> list[Any]:
    return [w for w in app.allWidgets() if hasattr(w, "hidden_while_rendering")]


def _application(prefix: str) -> tuple[Any, Path]:
    """The QApplication (made when there is none) and a new temporary folder that holds
    its settings, so that screenshots never read or change a person's own."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    return QApplication.instance() or QApplication(sys.argv[:1]), tmp


def demo_window(app: Any, tmp: Path, size: tuple[int, int], *, records: bool = False) -> Any:
    """A quiet main window of ``size`` with the demo workspace (built in ``tmp``) open, its
    backups, restore tests and outages read too when ``records``; None (the errors printed)
    when it failed to open."""
    from ui.main_window import MainWindow

    w = MainWindow()
    w.quiet = True
    w.resize(*size)
    w.show()
    w.open_demo(str(tmp / "demo.slawb"))
    _wait(app, lambda: (w.state.is_open and not w.loading
                        and not (records and w.state.records_pending)) or bool(w.errors), 600)
    if w.errors:
        print("\n".join(w.errors), file=sys.stderr)
        return None
    return w


SIZES = ((1366, 768), (1920, 1080))
ROOT = Path(__file__).resolve().parents[1]
# a ServiceNow incident list export from the tests' fixtures (times without a zone)
EXPORT = ROOT / "tests" / "fixtures" / "exports" / "servicenow-list.csv"
# rows the wizard rejects, added to a copy of it: a time that is no time, a ticket without a number
BAD_ROWS = (
    "INC0020098,next Tuesday,Printer offline,Abel Tuter,3 - Moderate,Closed,Hardware,Service Desk,"
    "Beth Anglin,2026-03-06 10:00:00,system,,2026-03-06 10:00:00,true\n"
    ",2026-03-06 09:00:00,VPN drops,Fred Luddy,2 - High,Closed,Network,Network,David Loo,"
    "2026-03-06 12:00:00,system,2026-03-06 11:00:00,2026-03-06 12:00:00,true\n"
)


def sample_export(folder: Path) -> Path:
    """The fixture export with :data:`BAD_ROWS` added, in ``folder``."""
    target = folder / "servicenow-incidents.csv"
    text = EXPORT.read_text(encoding="utf-8")
    target.write_text(text + ("" if text.endswith("\n") else "\n") + "".join(BAD_ROWS), encoding="utf-8")
    return target


def _fit_dialog(dlg: Any, width: int, height: int) -> None:
    """``dlg`` no larger than a screen of ``width`` x ``height`` holds (room for a title
    bar and a task bar)."""
    size = dlg.size()
    dlg.resize(min(size.width(), width - 40), min(size.height(), height - 80))


def main(argv: list[str] | None = None) -> int:
    """Every view of the demo workspace, the import wizard (on the fixture export), the
    export dialog, the user guide and QBR mode, at each of :data:`SIZES`:
    ``gui-<name>-<width>x<height>.png``."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app, tmp = _application("sla-shots-")
    w = demo_window(app, tmp, SIZES[0])
    if w is None:
        return 1
    _wait(app, lambda: w.simulation.whatif is not None and w.simulation.idle())

    # the what-if simulator with P1 resolution tightened from the signed target (once)
    whatif: Any = w.views["whatif"]
    w.show_view("whatif")
    control = whatif.controls[("P1", "resolution")]
    control.spin.setValue(max(control.spin.value() / 2, 0.25))
    _wait(app, lambda: w.simulation.idle() and w.simulation.whatif is not None
          and w.simulation.whatif.comparison is not None
          and w.simulation.whatif.scenario_contract is w.state.scenario)
    export = sample_export(tmp)
    for width, height in SIZES:
        w.resize(width, height)
        suffix = f"{width}x{height}"

        def shot(name: str, widget: Any = None, suffix: str = suffix) -> None:
            _settle(app)
            target = out / f"gui-{name}-{suffix}.png"
            (widget or w).grab().save(str(target))
            print(target)

        _views(app, w, shot)
        _dialogs(app, w, shot, export, width, height)
    w.show_view("overview")
    w.db.shutdown()
    return start_pages(out)


def _views(app: Any, w: Any, shot: Any) -> None:
    # the QBR dashboard once its KPIs, chart and warning signs are in
    overview: Any = w.views["overview"]
    w.show_view("overview")
    _wait(app, lambda: overview.report is not None)
    shot("overview")

    whatif: Any = w.views["whatif"]
    w.show_view("whatif")
    shot("whatif")
    whatif.tabs.setCurrentIndex(1)
    # the sensitivity figure is built on a pool thread
    _wait(app, lambda: whatif.charts_idle() and bool(whatif.sens_canvas.figure.axes), 60)
    shot("whatif-sensitivity")
    whatif.tabs.setCurrentIndex(2)
    shot("whatif-flips")
    whatif.tabs.setCurrentIndex(0)

    # the tickets, P1 only, one breached ticket's clock audit on the timeline
    tickets: Any = w.views["tickets"]
    w.show_view("tickets")
    tickets.priority_buttons["P1"].setChecked(True)
    breached = tickets.outcome.findData("breached")
    if breached >= 0:
        tickets.outcome.setCurrentIndex(breached)
    if tickets.model.rowCount():
        tickets.table.selectRow(0)
    shot("tickets")
    tickets.outcome.setCurrentIndex(0)
    tickets.priority_buttons["P1"].setChecked(False)

    warnings_view: Any = w.views["warnings"]
    w.show_view("warnings")
    _wait(app, lambda: warnings_view.model.rowCount() > 0, 60)
    if warnings_view.model.rowCount():
        warnings_view.table.selectRow(0)
    shot("warnings")

    # the contract editor on the signed version, severity matrix and calendar sections
    w.show_view("editor")
    editor: Any = w.views["editor"]
    editor.sections.setCurrentRow(1)
    shot("editor")
    editor.sections.setCurrentRow(2)
    shot("editor-calendar")
    editor.sections.setCurrentRow(0)

    w.show_view("compare")
    compare: Any = w.views["compare"]
    _wait(app, lambda: compare.comparison is not None and compare.idle())
    for index, name in enumerate(("compare", "compare-terms", "compare-compliance", "compare-warnings")):
        if index < compare.tabs.count():
            compare.tabs.setCurrentIndex(index)
            shot(name)
    compare.tabs.setCurrentIndex(0)

    w.show_view("start")
    shot("start")
    w.show_view("overview")


def _dialogs(app: Any, w: Any, shot: Any, export: Path, width: int, height: int) -> None:
    from ui.export_dialog import ExportDialog
    from ui.import_wizard import ImportWizard

    wiz = ImportWizard(w)
    _fit_dialog(wiz, width, height)
    wiz.show()
    wiz.file_page.path.setText(str(export))
    wiz.next()
    _wait(app, wiz.preset_page.isComplete)
    shot("import-format", wiz)
    wiz.next()
    shot("import-mapping-no-zone", wiz)  # Next waits for the time zone the file's times lack
    wiz.mapping_page.tz.setCurrentText("America/Toronto")
    shot("import-mapping", wiz)
    wiz.next()
    _wait(app, wiz.preview_page.isComplete)
    shot("import-preview", wiz)
    wiz.next()
    shot("import-rejected", wiz)
    wiz.close()

    # a backups/outages/KPIs file: told from its header, its own preview
    from workbench.demo.generator import demo_dir

    wiz = ImportWizard(w, records=True)
    _fit_dialog(wiz, width, height)
    wiz.show()
    wiz.file_page.path.setText(str(demo_dir() / "outages.csv"))
    wiz.next()
    _wait(app, wiz.records_page.isComplete, 60)
    shot("import-records", wiz)
    wiz.close()

    dlg = ExportDialog(w)
    _fit_dialog(dlg, width, height)
    dlg.show()
    for r in range(min(2, dlg.changes.rowCount())):
        item = dlg.changes.item(r, 2)
        if item is not None:
            item.setText("Agreed at the Q3 review: the clinics' hours changed.")
    dlg.prepared_by.setText("Account manager")
    shot("export", dlg)
    dlg.close()

    from ui.main_window import PreferencesDialog
    from ui.qbr_export_dialog import QbrExportDialog

    for name, dialog in (("export-qbr", QbrExportDialog(w)), ("preferences", PreferencesDialog(w))):
        dialog.show()
        if dialog.height() > height or dialog.width() > width:
            _fit_dialog(dialog, width, height)
        shot(name, dialog)
        dialog.close()

    guide = w.open_guide("kpi-response-compliance")
    _fit_dialog(guide, width, height)
    shot("guide", guide)
    guide.close()

    # QBR mode: the last full quarter beside the 2026-Q4 proposal, its cover and a slide
    from ui.present import quarters_of
    from workbench.analytics.kpis import report_zone

    st = w.state
    quarters = quarters_of(st.history, st.as_of(), report_zone(st.baseline.contract))
    proposal = next((v for v in st.versions if v.status == "proposal"), None)
    w.presenting = None
    w.present(quarters[0], proposal)
    _wait(app, lambda: getattr(w, "presenting", None) is not None, 120)
    show = w.presenting
    show.resize(width, height)
    shot("present", show)
    show.close()


def start_pages(out: Path) -> int:
    """The start page of a new engagement, empty and half done (the demo's tickets and
    backups imported, no contract or proposal yet), at each of :data:`SIZES`."""
    out.mkdir(parents=True, exist_ok=True)
    from models.store import Workspace
    from workbench.demo.generator import demo_dir
    from workbench.importing.workspace import import_into_workspace

    app, tmp = _application("sla-start-")
    from ui.main_window import MainWindow

    empty = tmp / "contoso-dental.slawb"
    Workspace.create(str(empty)).close()
    half = tmp / "fabrikam-clinics.slawb"
    import_into_workspace(half, demo_dir() / "tickets.csv")
    import_into_workspace(half, demo_dir() / "backups.csv")
    for name, path in (("empty", empty), ("half-done", half)):
        w = MainWindow()
        w.quiet = True
        w.show()
        w.open_workspace(str(path))
        _wait(app, lambda w=w: (w.state.is_open and not w.loading and not w.state.records_pending)
              or bool(w.errors), 120)
        if w.errors or w.current_view != "start":
            print("\n".join(w.errors) or f"{path} did not open on the start page", file=sys.stderr)
            return 1
        for width, height in SIZES:
            w.resize(width, height)
            _settle(app)
            target = out / f"gui-start-{name}-{width}x{height}.png"
            w.grab().save(str(target))
            print(target)
        w.db.shutdown()
        w.close()
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--start"]:
        sys.exit(start_pages(Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")))
    sys.exit(main())
