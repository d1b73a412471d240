"""Screenshots of every view on the demo workspace: ``python -m ui.screenshots [OUTDIR]``;
of the start page of a new engagement: ``python -m ui.screenshots --start [OUTDIR]``.

Run offscreen (``QT_QPA_PLATFORM=offscreen``) or under xvfb.  The demo workspace is
built in a temporary folder; the PNGs go to OUTDIR (default ``docs/screenshots``).
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


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app, tmp = _application("sla-shots-")
    from ui.export_dialog import ExportDialog
    from ui.import_wizard import ImportWizard
    from ui.main_window import MainWindow

    w = MainWindow()
    w.quiet = True
    w.resize(1440, 900)
    w.show()
    w.open_demo(str(tmp / "demo.slawb"))
    _wait(app, lambda: (w.state.is_open and not w.loading) or bool(w.errors), 600)
    if w.errors:
        print("\n".join(w.errors), file=sys.stderr)
        return 1
    _wait(app, lambda: w.simulation.whatif is not None and w.simulation.idle())
    def shot(name: str, widget: Any = None) -> None:
        _settle(app)
        (widget or w).grab().save(str(out / f"gui-{name}.png"))
        print(out / f"gui-{name}.png")

    # the QBR dashboard once its KPIs, chart and warning signs are in
    overview: Any = w.views["overview"]
    w.show_view("overview")
    _wait(app, lambda: overview.report is not None)
    shot("overview")

    # the what-if simulator with P1 resolution tightened from the signed target
    whatif: Any = w.views["whatif"]
    w.show_view("whatif")
    control = whatif.controls[("P1", "resolution")]
    control.spin.setValue(max(control.spin.value() / 2, 0.25))
    _wait(app, lambda: w.simulation.idle() and w.simulation.whatif is not None
          and w.simulation.whatif.comparison is not None
          and w.simulation.whatif.scenario_contract is w.state.scenario)
    shot("whatif")
    whatif.tabs.setCurrentIndex(1)
    # the sensitivity figure is built on a pool thread
    _wait(app, lambda: whatif.charts_idle() and bool(whatif.sens_canvas.figure.axes), 60)
    shot("whatif-sensitivity")
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
    shot("compare")
    compare.tabs.setCurrentIndex(2)
    shot("compare-compliance")
    compare.tabs.setCurrentIndex(0)
    w.show_view("overview")

    sample = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "servicenow-uci"
    sample_file = sample / "incident_event_log_sample400.csv"
    if sample_file.is_file():
        wiz = ImportWizard(w)
        wiz.show()
        wiz.file_page.path.setText(str(sample_file))
        wiz.next()
        _wait(app, wiz.preset_page.isComplete)
        shot("import-format", wiz)
        wiz.next()
        wiz.mapping_page.tz.setCurrentText("UTC")
        shot("import-mapping", wiz)
        wiz.next()
        _wait(app, wiz.preview_page.isComplete)
        shot("import-preview", wiz)
        wiz.next()
        shot("import-rejected", wiz)
        wiz.close()

    dlg = ExportDialog(w)
    dlg.show()
    for r in range(min(2, dlg.changes.rowCount())):
        item = dlg.changes.item(r, 2)
        if item is not None:
            item.setText("Agreed at the Q3 review: the clinics' hours changed.")
    dlg.prepared_by.setText("Account manager")
    shot("export", dlg)
    dlg.close()
    w.db.shutdown()
    return 0


START_SIZES = ((1366, 768), (1920, 1080))


def start_pages(out: Path) -> int:
    """The start page of a new engagement, empty and half done (the demo's tickets and
    backups imported, no contract or proposal yet), at each of ``START_SIZES``."""
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
        for width, height in START_SIZES:
            w.resize(width, height)
            _settle(app)
            target = out / f"gui-start-{name}-{width}x{height}.png"
            w.grab().save(str(target))
            print(target)
        if name == "half-done":  # the records' own preview in the import wizard
            from ui.import_wizard import ImportWizard

            wiz = ImportWizard(w, records=True)
            wiz.show()
            wiz.file_page.path.setText(str(demo_dir() / "outages.csv"))
            wiz.next()
            _wait(app, wiz.records_page.isComplete, 60)
            _settle(app)
            wiz.grab().save(str(out / "gui-import-records.png"))
            print(out / "gui-import-records.png")
            wiz.close()
        w.db.shutdown()
        w.close()
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--start"]:
        sys.exit(start_pages(Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")))
    sys.exit(main())
