"""Screenshots of adding a client's own contracts, on a new workspace, as a person
sees the screen: ``xvfb-run -a -s "-screen 0 1366x768x24" python -m ui.screenshots_contracts [OUTDIR]``.

The review page of a published SLA (one term corrected, two defaults taken), the page
of a contract file, the 2026 template opened as a draft, and the navigator's menu of a
signed version.  The PNGs (``gui-<name>-<width>x<height>.png``, the whole screen) go to
OUTDIR (default ``docs/screenshots``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ui.screenshots import _application, _wait

ROOT = Path(__file__).resolve().parents[1]
SLA = ROOT.parent / "shared" / "data" / "sla-texts" / "dxw_service_level_agreement.md"
PROPOSAL = ROOT / "resources" / "demo" / "northwind-2026-q4-proposal.yaml"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app, tmp = _application("sla-contracts-")
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    from models.store import Workspace
    from ui.main_window import MainWindow

    screen = QApplication.primaryScreen()
    size = screen.geometry()
    suffix = f"{size.width()}x{size.height()}"
    path = tmp / "client.slawb"
    Workspace.create(str(path)).close()
    w = MainWindow()
    w.quiet = True
    w.setGeometry(screen.availableGeometry())
    w.show()
    w.open_workspace(str(path))
    _wait(app, lambda: (w.state.is_open and not w.loading) or bool(w.errors), 120)

    def shot(name: str) -> None:
        _wait(app, lambda: False, 0.6)
        target = out / f"gui-{name}-{suffix}.png"
        screen.grabWindow(0).save(str(target))
        print(target)

    def review(file: Path) -> Any:
        w.contract_dialog = None
        w.add_contract_version(str(file))
        def shown() -> bool:
            return bool(w.errors) or (w.contract_dialog is not None and w.contract_dialog.isVisible())

        _wait(app, shown, 120)
        dlg = w.contract_dialog
        if dlg is None:
            raise SystemExit("\n".join(w.errors))
        frame = dlg.frameGeometry()
        dlg.move((size.width() - frame.width()) // 2, max(0, (size.height() - frame.height()) // 2))
        return dlg

    dlg = review(SLA)
    dlg.set_value("targets.P2.response", "2h")
    dlg.use_default("targets.P1.resolution")
    dlg.use_default("backup.systems")
    dlg.status.setCurrentIndex(dlg.status.findData("signed"))
    dlg.label.setText("dxw SLA 2018")
    shot("add-contract-review")
    dlg.accept()
    _wait(app, lambda: dlg.stored is not None or bool(w.errors), 60)

    dlg = review(PROPOSAL)
    shot("add-contract-file")
    dlg.accept()
    _wait(app, lambda: dlg.stored is not None or bool(w.errors), 60)

    w.new_contract_from_template()
    shot("template-draft")

    signed = next(v for v in w.state.versions if v.status == "signed")
    menu = w.navigator.context_menu(signed)
    menu.popup(w.navigator.mapToGlobal(QPoint(60, 60)))
    shot("navigator-menu")
    menu.close()
    w.db.shutdown()
    if w.errors:
        print("\n".join(w.errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
