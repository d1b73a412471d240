"""Screenshots of a new engagement after the journey of tests/test_ui_journey.py, as a
person sees the screen: ``xvfb-run -a -s "-screen 0 1366x768x24" python -m ui.screenshots_journey [OUTDIR]``
(with a window manager, e.g. openbox, to frame the dialogs).

A new workspace with the client's ServiceNow export (time zone UTC), their published SLA
(dxw) on the review page with P1 response corrected and the template's P1 resolution
taken, signed; the provider's 2026-Q4 proposal; then the start page with the steps done,
the Overview, What-if with the P3 response target moved, Compare, the Warnings and the
redline export.  The PNGs (``gui-journey-<name>-<width>x<height>.png``, the whole screen)
go to OUTDIR (default ``docs/screenshots``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ui.screenshots import _settle, _wait
from ui.screenshots_contracts import (
    centred,
    finish,
    new_workspace,
    review_page,
    screen_shooter,
    window_on_screen,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EXPORT = SHARED / "servicenow-uci" / "incident_event_log_sample400.csv"
SLA = SHARED / "sla-texts" / "dxw_service_level_agreement.md"
PROPOSAL = ROOT / "resources" / "demo" / "northwind-2026-q4-proposal.yaml"


def main(argv: list[str] | None = None) -> int:
    app, out, path = new_workspace(argv, "sla-journey-", "fabrikam.slawb")
    from ui.export_dialog import ExportDialog
    from workbench.importing.workspace import import_into_workspace

    import_into_workspace(path, EXPORT, tz="UTC")
    w, screen, suffix = window_on_screen(app, path)

    shot = screen_shooter(app, screen, out, "gui-journey-", suffix, settle=_settle)

    def review(file: Path, status: Any) -> Any:
        return review_page(app, w, file, status)

    def store(dlg: Any) -> None:
        dlg.accept()
        _wait(app, lambda: dlg.stored is not None or bool(w.errors), 60)

    dlg = review(SLA, "signed")
    dlg.set_value("targets.P1.response", "30m")
    dlg.use_default("targets.P1.resolution")
    dlg.label.setText("dxw 2018")
    dlg.terms.selectRow(0)
    shot("review")
    store(dlg)
    store(review(PROPOSAL, "proposal"))

    w.show_view("start")
    shot("start")

    overview: Any = w.views["overview"]
    w.show_view("overview")
    _wait(app, lambda: overview.report is not None, 120)
    shot("overview")

    whatif: Any = w.views["whatif"]
    w.show_view("whatif")
    _wait(app, lambda: w.simulation.whatif is not None and w.simulation.idle(), 120)
    control = whatif.controls[("P3", "response")]
    control.slider.setValue(control.slider.value() - 10)  # a page down: 8h -> 5.5h
    _wait(app, lambda: w.simulation.idle() and w.simulation.whatif is not None
          and w.simulation.whatif.scenario_contract is w.state.scenario, 120)
    shot("whatif")

    compare: Any = w.views["compare"]
    w.show_view("compare")
    _wait(app, lambda: compare.comparison is not None and compare.idle(), 120)
    shot("compare")
    compare.tabs.setCurrentIndex(2)
    shot("compare-compliance")
    compare.tabs.setCurrentIndex(0)

    warnings_view: Any = w.views["warnings"]
    w.show_view("warnings")
    _wait(app, lambda: warnings_view.model.rowCount() > 0, 60)
    warnings_view.table.selectRow(0)
    shot("warnings")

    export = ExportDialog(w)
    export.show()
    centred(export)
    item = export.changes.item(0, 2)
    if item is not None:
        item.setText("Agreed at the kick-off meeting.")
    export.prepared_by.setText("Account manager")
    shot("export")
    export.close()
    return finish(w)


if __name__ == "__main__":
    sys.exit(main())
