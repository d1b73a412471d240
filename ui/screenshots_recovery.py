"""Screenshots of the What-if view's Recovery panel on the demo workspace:
``xvfb-run -a -s "-screen 0 1920x1080x24" python -m ui.screenshots_recovery [OUTDIR]``.

The Dentrix database's RPO moved from 24 hours to 2 hours and the restore tests to
quarterly; at 1366x768 and 1920x1080 the panel with its month chart, then with the backup
gaps and restore tests that flip.  The PNGs (``gui-whatif-recovery-<what>-<width>x<height>.png``)
go to OUTDIR (default ``docs/screenshots``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ui.screenshots import _application, _settle, _wait, demo_window

SIZES = ((1366, 768), (1920, 1080))
SYSTEM = "Dentrix practice management DB"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app, tmp = _application("sla-recovery-")
    w = demo_window(app, tmp, SIZES[0], records=True)
    if w is None:
        return 1
    whatif: Any = w.views["whatif"]
    w.show_view("whatif")
    panel = whatif.recovery
    panel.side_tabs.setCurrentWidget(panel)
    _wait(app, lambda: panel.service.result is not None and panel.idle(), 120)
    panel.rpo[SYSTEM].box.setValue(2 * 3600)
    panel.cadence.setCurrentIndex(panel.cadence.findData("quarterly"))
    panel.cadence.activated.emit(panel.cadence.currentIndex())
    _wait(app, lambda: panel.idle() and panel.service.result is not None
          and panel.service.result.scenario_contract is w.state.scenario, 120)
    for width, height in SIZES:
        w.resize(width, height)
        for what, tab in (("chart", panel.chart_page), ("flips", panel.flips)):
            whatif.tabs.setCurrentWidget(tab)
            _settle(app)
            _wait(app, panel.idle, 60)
            _settle(app)
            target = out / f"gui-whatif-recovery-{what}-{width}x{height}.png"
            w.grab().save(str(target))
            print(target)
        if height < 1000:  # the panel scrolls at 1366x768: its end (the services and credits)
            bar = panel.body_scroll.verticalScrollBar()
            bar.setValue(bar.maximum())
            _settle(app)
            target = out / f"gui-whatif-recovery-end-{width}x{height}.png"
            w.grab().save(str(target))
            print(target)
            bar.setValue(0)
    w.db.shutdown()
    w.close()
    return empty_state(app, out)


def empty_state(app: Any, out: Path) -> int:
    """The panel on a history of tickets without backups, restore tests or outages."""
    from models.contract import load_contract
    from models.history import History
    from ui.main_window import MainWindow
    from ui.state import Version
    from workbench.demo.generator import demo_dir, read_demo_tickets

    w = MainWindow()
    w.quiet = True
    w.resize(*SIZES[0])
    w.show()
    tickets, log = read_demo_tickets()
    contract = load_contract(demo_dir() / "northwind-2025.yaml")
    w.state.load(None, [Version(1, contract)], History(tickets=tickets, status_log=log))
    whatif: Any = w.views["whatif"]
    w.show_view("whatif")
    whatif.recovery.side_tabs.setCurrentWidget(whatif.recovery)
    _settle(app)
    width, height = SIZES[0]
    target = out / f"gui-whatif-recovery-empty-{width}x{height}.png"
    w.grab().save(str(target))
    print(target)
    w.db.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
