"""Benchmark of the desktop GUI: cold start and a what-if slider move at 1M tickets.

Targets (issue 8): cold start to a usable window on the demo workspace <= 2 s; a slider
move to repainted results at 1M tickets <= 150 ms.

Prints, from one run on this machine:

* **start**: process start -> three milestones of ``sla-workbench --demo`` with
  ``SLA_WORKBENCH_SMOKE_TEST=1``: ``window usable`` (the window shown with its
  navigator, status bar and a loading page, the event loop running), ``tickets shown``
  (contracts and tickets in the views) and ``window shown`` (the whole workspace
  loaded), measured from outside in fresh subprocesses with their own user data and
  settings folders.  The 2 s target is on the usable window.  The first run builds the demo workspace; the
  following runs reuse it (the normal case).  Baseline in the same run: a bare
  ``QApplication`` + empty ``QMainWindow`` shown, in the same kind of subprocess.
* **slider**: 1M generated tickets in memory, the main window on them, the What-if view
  shown; the P1 resolution slider moves one step and the clock runs until the result
  has arrived, the compliance table has repainted and the breaches/credits chart has
  drawn.  Baseline in the same run: the bare engine work for the same target change
  (``Engine.run`` of the scenario + ``compare`` with the cached baseline result).

    .venv/bin/python benchmarks/bench_gui.py [--tickets 1000000] [--starts 3] [--moves 8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START_TARGET_S = 2.0
SLIDER_TARGET_MS = 150.0

BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.resize(1400, 880)
w.show()
app.processEvents()
print("window shown", flush=True)
"""


# ---------------------------------------------------------------------------- start


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(
        SLA_WORKBENCH_SMOKE_TEST="1",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


MILESTONES = ("window usable", "tickets shown", "window shown")


def time_to_shown(cmd: list[str], env: dict[str, str], timeout: float = 600.0) -> dict[str, float]:
    """Seconds from spawning ``cmd`` to each of its milestone lines (``window usable``,
    ``tickets shown``, ``window shown``; a bare window prints only the last)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    seen: dict[str, float] = {}
    for line in proc.stdout:
        text = line.strip()
        if text in MILESTONES and text not in seen:
            seen[text] = time.perf_counter() - t0
        if text == "window shown":
            break
    _out, err = proc.communicate(timeout=timeout)
    if "window shown" not in seen or proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return seen


def bench_start(starts: int) -> dict[str, Any]:
    py = sys.executable
    app_cmd = [py, "-m", "ui.launcher", "--demo"]
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as tmp:
        home = Path(tmp)
        env = _env(home)
        time_to_shown([py, "-c", BARE_WINDOW], env)  # warm the OS file cache for Qt
        first = time_to_shown(app_cmd, env)["window shown"]  # builds the demo workspace
        bare: list[float] = []
        again: dict[str, list[float]] = {m: [] for m in MILESTONES}
        for _ in range(starts):
            bare.append(time_to_shown([py, "-c", BARE_WINDOW], env)["window shown"])
            seen = time_to_shown(app_cmd, env)
            for m in MILESTONES:
                again[m].append(seen.get(m, seen["window shown"]))
    return {"first": first, "bare": statistics.median(bare),
            "again": {m: statistics.median(v) for m, v in again.items()}, "again_all": again}


# ---------------------------------------------------------------------------- slider


def make_history(n: int, seed: int = 11) -> Any:
    """``n`` tickets over two years with client-wait pauses on a quarter of them."""
    import numpy as np

    from models.history import MISSING, History, StatusLog, TicketTable

    rng = np.random.default_rng(seed)
    start = 1_700_000_000
    opened = np.sort(start + rng.integers(0, 730 * 86400, n)).astype(np.int64)
    prio = rng.choice(4, n, p=[0.03, 0.12, 0.55, 0.30]).astype(np.int8)
    resp = opened + rng.lognormal(np.log(2400), 1.0, n).astype(np.int64)
    res = opened + rng.lognormal(np.log(40000), 1.2, n).astype(np.int64)
    resp[rng.random(n) < 0.01] = MISSING
    res[rng.random(n) < 0.03] = MISSING
    n_p = n // 4
    who = np.sort(rng.choice(n, n_p, replace=False)).astype(np.int64)
    a = opened[who] + rng.integers(600, 4 * 3600, n_p)
    b = a + rng.integers(600, 2 * 86400, n_p)
    ticket = np.repeat(who, 2)
    at = np.empty(2 * n_p, np.int64)
    at[0::2], at[1::2] = a, b
    status = np.tile(np.array([0, 1], np.int32), n_p)
    ids = np.char.add("INC", np.arange(n).astype(str)).astype(object)
    team = rng.integers(0, 4, n).astype(np.int32)
    tickets = TicketTable(ids, prio, opened, resp, res, np.full(n, MISSING, np.int64),
                          team=team, team_names=("Service desk", "NOC", "SOC", "Field"))
    log = StatusLog(ticket, at, status, ("Awaiting Client", "In Progress"))
    return History(tickets=tickets, status_log=log)


def bench_slider(n: int, moves: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication

    from models.contract import load_contract
    from ui.main_window import MainWindow
    from ui.state import Version
    from workbench.engine.simulate import compare

    tmp = tempfile.mkdtemp(prefix="bench-gui-settings-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    t = time.perf_counter()
    history = make_history(n)
    gen_s = time.perf_counter() - t
    contract = load_contract(ROOT / "resources" / "demo" / "northwind-2025.yaml")

    w = MainWindow()
    w.quiet = True
    w.resize(1440, 900)
    w.show()

    def wait(cond: Any, timeout: float = 300.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise SystemExit(f"timed out waiting for the GUI ({seen})")
            app.processEvents()
            time.sleep(0.001)

    t = time.perf_counter()
    w.state.load(None, [Version(1, contract)], history)
    w.show_view("whatif")
    view: Any = w.views["whatif"]
    wait(lambda: w.simulation.whatif is not None and w.simulation.idle())
    first_result_s = time.perf_counter() - t

    seen = {"table": 0, "chart": 0, "result": 0}

    class Paints(QObject):
        """Counts paint events of a widget (the table's viewport, the chart's canvas)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint and seen["result"]:
                seen[self.key] += 1
            return super().eventFilter(obj, event)

    table_paints, chart_paints = Paints("table"), Paints("chart")
    view.compliance.viewport().installEventFilter(table_paints)
    view.months_canvas.installEventFilter(chart_paints)

    def on_result(_w: Any) -> None:
        seen["result"] += 1

    view.service.whatif_ready.connect(on_result)
    slider = view.controls[("P1", "resolution")].slider
    engine = w.simulation.engine
    base = w.simulation.baseline_result

    gui, bare = [], []
    for k in range(moves):
        value = slider.value() + (1 if k % 2 == 0 else -1) * (k + 1)
        app.processEvents()
        for key in seen:
            seen[key] = 0
        t = time.perf_counter()
        slider.setValue(value)
        wait(lambda: seen["result"] and seen["table"] and seen["chart"])
        gui.append(time.perf_counter() - t)
        scenario = w.state.scenario
        assert scenario is not None and view.service.whatif is not None
        assert view.service.whatif.scenario_contract is scenario  # the shown result is the newest
        # the bare engine: the same target change on the same engine and cached baseline
        t = time.perf_counter()
        scen = engine.run(scenario)
        compare(base, scen, max_flips=5000)
        bare.append(time.perf_counter() - t)
    w.db.shutdown()
    w.close()
    return {"gen": gen_s, "first": first_result_s, "gui": gui, "bare": bare}


# ---------------------------------------------------------------------------- heartbeat


def bench_heartbeat() -> list[tuple[str, float]]:
    """The largest gap between ticks of a 5 ms QTimer on the GUI thread while the demo
    workspace opens, every view shows, a slider moves and the tickets are filtered."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    from workbench.demo.generator import ensure_demo_workspace

    tmp = Path(tempfile.mkdtemp(prefix="bench-gui-heartbeat-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    path = ensure_demo_workspace(tmp / "demo.slawb")  # built before the clock runs
    w = MainWindow()
    w.quiet = True
    w.resize(1440, 900)
    w.show()
    last = [time.perf_counter()]
    worst = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)

    def settle(cond: Any = None, seconds: float = 0.5, timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        quiet_until = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)
            if time.monotonic() >= quiet_until and (cond is None or cond()):
                return
        raise SystemExit("timed out waiting for the GUI")

    results: list[tuple[str, float]] = []

    def step(name: str, action: Any, cond: Any = None) -> None:
        settle(seconds=0.1)
        last[0], worst[0] = time.perf_counter(), 0.0
        action()
        settle(cond)
        results.append((name, worst[0]))

    views: Any = w.views
    step("open the demo workspace", lambda: w.open_workspace(str(path)),
         lambda: w.state.is_open and not w.loading and w.simulation.idle()
         and w.simulation.whatif is not None
         and views.is_built("overview") and views["overview"].report is not None)
    for key, title in w.VIEWS:
        step(f"show {title}", lambda key=key: w.show_view(key),
             (lambda: views["compare"].idle()) if key == "compare" else None)
    w.show_view("whatif")
    slider = views["whatif"].controls[("P1", "resolution")].slider
    for k in range(4):
        step(f"what-if slider move {k + 1}", lambda k=k: slider.setValue(slider.value() - 2 * (k + 1)),
             lambda: w.simulation.idle())
    w.show_view("tickets")
    tickets = views["tickets"]
    step("tickets: P1 only", lambda: tickets.priority_buttons["P1"].setChecked(True))
    step("tickets: outcome breached",
         lambda: tickets.outcome.setCurrentIndex(max(tickets.outcome.findData("breached"), 0)))
    step("tickets: search an id", lambda: tickets.search.setText("NW-11"))
    step("tickets: select a ticket (clock audit)", lambda: tickets.table.selectRow(0))
    timer.stop()
    w.db.shutdown()
    w.close()
    return results


def heartbeat_runs(n: int) -> list[list[tuple[str, float]]]:
    """``n`` heartbeat runs, each in a fresh interpreter (imports, first builds and the
    demo's first read count as a user would see them); the machine is shared, so one
    run can be unlucky: the median per step is the figure."""
    import json

    if n <= 1:
        return [bench_heartbeat()]
    runs: list[list[tuple[str, float]]] = []
    for _ in range(n):
        out = subprocess.run([sys.executable, __file__, "--heartbeat", "--json"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        line = next(x for x in out.splitlines() if x.startswith("HEARTBEAT "))
        runs.append([(name, gap) for name, gap in json.loads(line[len("HEARTBEAT "):])])
    return runs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--moves", type=int, default=8)
    ap.add_argument("--skip-start", action="store_true")
    ap.add_argument("--skip-slider", action="store_true")
    ap.add_argument("--heartbeat", action="store_true", help="only the GUI-thread heartbeat on the demo")
    ap.add_argument("--repeat", type=int, default=1,
                    help="heartbeat: runs, each in a fresh process (median and worst per step)")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    ok = True
    if args.heartbeat and args.json:
        import json

        print("HEARTBEAT " + json.dumps(bench_heartbeat()), flush=True)
        return 0
    if args.heartbeat:
        hb_runs = heartbeat_runs(args.repeat)
        print("largest gap between 5 ms heartbeat ticks on the GUI thread (target < 100 ms)"
              + (f", median and worst of {len(hb_runs)} fresh processes:" if len(hb_runs) > 1 else ":"))
        for i, (name, _gap) in enumerate(hb_runs[0]):
            gaps = [run[i][1] for run in hb_runs]
            mid = statistics.median(gaps)
            flag = "" if mid < 0.1 else "  <- blocks"
            worst = f" (worst {1000 * max(gaps):4.0f} ms)" if len(hb_runs) > 1 else ""
            print(f"  {name:<40} {1000 * mid:6.0f} ms{worst}{flag}")
        return 0
    if not args.skip_start:
        s = bench_start(args.starts)
        usable, tickets, loaded = (s["again"][m] for m in MILESTONES)
        print("cold start on the demo workspace (already built unless said):")
        print(f"  baseline, bare QApplication + empty QMainWindow shown:  {s['bare']:.2f} s "
              f"(median of {args.starts})")
        print(f"  first run, to everything loaded (builds the demo):       {s['first']:.2f} s")
        for label, m in (("window usable (navigator, status bar, loading page)", "window usable"),
                         ("contracts and tickets shown in the views", "tickets shown"),
                         ("everything loaded (backups, outages, KPIs too)", "window shown")):
            runs = ", ".join(f"{x:.2f}" for x in s["again_all"][m])
            print(f"  {label + ':':<55} {s['again'][m]:.2f} s (median; {runs})")
        verdict = "met" if usable <= START_TARGET_S else "MISSED"
        print(f"  ratio usable window / bare window: {usable / s['bare']:.1f}x; "
              f"target usable window <= {START_TARGET_S:.1f} s: {verdict}")
        print(f"  (tickets shown {tickets / s['bare']:.1f}x, everything loaded {loaded / s['bare']:.1f}x "
              "the bare window)")
        ok &= usable <= START_TARGET_S
    if not args.skip_slider:
        r = bench_slider(args.tickets, args.moves)
        gui_ms = 1000 * statistics.median(r["gui"])
        bare_ms = 1000 * statistics.median(r["bare"])
        print(f"what-if slider at {args.tickets:,} tickets (generated in {r['gen']:.1f} s; engine and first "
              f"results {r['first']:.1f} s):")
        print(f"  baseline, bare engine target change (run + compare): {bare_ms:.0f} ms "
              f"(median of {args.moves})")
        print(f"  slider move -> result, table repainted, chart drawn:  {gui_ms:.0f} ms (median; max "
              f"{1000 * max(r['gui']):.0f} ms)")
        print(f"  ratio GUI / bare engine: {gui_ms / bare_ms:.1f}x; target <= {SLIDER_TARGET_MS:.0f} ms: "
              f"{'met' if gui_ms <= SLIDER_TARGET_MS else 'MISSED'}")
        ok &= gui_ms <= SLIDER_TARGET_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
