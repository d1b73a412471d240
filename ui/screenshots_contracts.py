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


def window_on_screen(app: Any, path: Path) -> tuple[Any, Any, str]:
    """A quiet main window over the whole screen with the workspace at ``path`` open;
    with the screen and its size as PNG names carry it ("1366x768")."""
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    screen = QApplication.primaryScreen()
    size = screen.geometry()
    w = MainWindow()
    w.quiet = True
    w.setGeometry(screen.availableGeometry())
    w.show()
    w.open_workspace(str(path))
    _wait(app, lambda: (w.state.is_open and not w.loading and not w.state.records_pending)
          or bool(w.errors), 120)
    return w, screen, f"{size.width()}x{size.height()}"


def centred(dlg: Any) -> Any:
    """``dlg`` moved to the middle of its screen."""
    size = dlg.screen().geometry()
    frame = dlg.frameGeometry()
    dlg.move((size.width() - frame.width()) // 2, max(0, (size.height() - frame.height()) // 2))
    return dlg


def review_page(app: Any, w: Any, file: Path, status: Any = None) -> Any:
    """File ▸ Add contract version… on ``file``: its review page once it shows, centred."""
    w.contract_dialog = None
    w.add_contract_version(str(file), status=status)

    def shown() -> bool:
        return bool(w.errors) or (w.contract_dialog is not None and w.contract_dialog.isVisible())

    _wait(app, shown, 120)
    if w.contract_dialog is None:
        raise SystemExit("\n".join(w.errors))
    return centred(w.contract_dialog)


def screen_shooter(app: Any, screen: Any, out: Path, prefix: str, suffix: str,
                   settle: Any = None) -> Any:
    """A function that saves the whole screen as ``OUT/<prefix><name>-<suffix>.png``,
    after ``settle(app)`` (default: 0.6 s of events)."""

    def shot(name: str) -> None:
        if settle is None:
            _wait(app, lambda: False, 0.6)
        else:
            settle(app)
        target = out / f"{prefix}{name}-{suffix}.png"
        from PySide6.QtWidgets import QApplication

        (QApplication.primaryScreen() or screen).grabWindow(0).save(str(target))
        print(target)

    return shot


def finish(w: Any) -> int:
    """Stop the window's database worker; 1 (the errors printed) when anything failed."""
    w.db.shutdown()
    if w.errors:
        print("\n".join(w.errors), file=sys.stderr)
        return 1
    return 0


def new_workspace(argv: list[str] | None, prefix: str, name: str) -> tuple[Any, Path, Path]:
    """The application, the output folder (the first argument, default
    ``docs/screenshots``) and a new empty workspace ``name`` in a temporary folder."""
    from models.store import Workspace

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app, tmp = _application(prefix)
    path = tmp / name
    Workspace.create(str(path)).close()
    return app, out, path


def main(argv: list[str] | None = None) -> int:
    app, out, path = new_workspace(argv, "sla-contracts-", "client.slawb")
    from PySide6.QtCore import QPoint

    w, screen, suffix = window_on_screen(app, path)

    shot = screen_shooter(app, screen, out, "gui-", suffix)

    def review(file: Path) -> Any:
        return review_page(app, w, file)

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
    return finish(w)


if __name__ == "__main__":
    sys.exit(main())
