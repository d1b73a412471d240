"""Runs the engine's simulation off the GUI thread for every view that shows results.

One :class:`workbench.engine.simulate.Engine` per history (built in the background), one
baseline result per baseline contract, and the scenario result recomputed whenever
the scenario changes.  Requests are serialised and coalesced: while one run is in
flight only the newest request is kept, so dragging a slider never queues stale work.

A result arrives in two steps: ``whatif_ready`` as soon as both contracts ran (the
compliance figures, months and credits, computed on the worker), then ``flips_ready``
once the tickets that flip were listed (a pass over every ticket, kept off the path
from a slider move to the table and chart).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from models.contract import Contract
from ui.state import AppState
from ui.tasks import Debouncer, Task, guard, run_in_background


@dataclass(frozen=True)
class WhatIf:
    baseline: Any  # SimulationResult
    scenario: Any  # SimulationResult
    comparison: Any  # workbench.engine.simulate.Comparison (flips capped); None until flips_ready
    scenario_contract: Contract


MAX_FLIPS = 5000


def _build_engine(tickets: Any, status_log: Any, progress: Any) -> Any:
    """The engine for a history, built on a pool thread (where its module is imported too:
    the GUI thread neither imports it nor waits for the preload's import of it)."""
    from workbench.engine.simulate import Engine

    return Engine(tickets, status_log, progress=progress)


class SimulationService(QObject):
    engine_ready = Signal()
    baseline_ready = Signal(object)  # SimulationResult
    whatif_ready = Signal(object)  # WhatIf (comparison None: the flips follow)
    flips_ready = Signal(object)  # WhatIf with its comparison
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, state: AppState, debounce_ms: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.engine: Any = None
        self.baseline_result: Any = None
        self.whatif: WhatIf | None = None
        self._generation = 0  # bumps when the history changes: stale results are dropped
        self._in_flight = False
        self._pending = False
        self._flips_in_flight = 0
        self._engine_task: Task | None = None  # the engine build in flight
        self._debounce = Debouncer(debounce_ms, self._request, self)
        state.history_changed.connect(self._rebuild)
        state.baseline_changed.connect(self._baseline_changed)
        state.scenario_changed.connect(self._debounce.trigger)
        self._rebuild()

    # ------------------------------------------------------------------ engine
    def _rebuild(self) -> None:
        self._generation += 1
        self.engine = None
        self.baseline_result = None
        self.whatif = None
        superseded = self._engine_task
        if superseded is not None:  # a build for an older history: stop it at its next progress report
            superseded.cancel()
            self._engine_task = None
        tickets = self.state.history.tickets
        if not len(tickets):
            if superseded is not None:
                self._set_busy(False)
            return
        gen = self._generation
        self._set_busy(True)
        self._engine_task = run_in_background(
            _build_engine,
            tickets,
            self.state.history.status_log,
            on_done=guard(self, lambda eng: self._engine_built(gen, eng)),
            on_error=guard(self, lambda exc: self._engine_failed(gen, exc)),
            pass_progress=True,
        )

    def _engine_built(self, gen: int, engine: Any) -> None:
        if gen != self._generation:
            return
        self._engine_task = None
        self.engine = engine
        self._set_busy(False)
        self.engine_ready.emit()
        self._request()

    def _engine_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return  # a superseded build: the newer one reports for itself
        self._engine_task = None
        self._error(exc)

    def _baseline_changed(self) -> None:
        self.baseline_result = None
        self._request()

    # ------------------------------------------------------------------ runs
    def request_now(self) -> None:
        self._debounce.flush()

    def _request(self) -> None:
        if self.engine is None:
            return
        if self._in_flight:
            self._pending = True
            return
        baseline = self.state.baseline.contract if self.state.baseline else None
        scenario = self.state.scenario
        if baseline is None:
            return
        if scenario is None:
            scenario = baseline
        engine, gen = self.engine, self._generation
        cached = (
            self.baseline_result
            if self.baseline_result is not None and (self.baseline_result.contract is baseline)
            else None
        )

        def work() -> tuple[Any, Any]:
            base = cached if cached is not None else engine.run(baseline)
            scen = base if scenario is baseline else engine.run(scenario)
            for r in (base, scen):  # cached on the result: the GUI thread only reads them
                r.breaches_per_month()
                r.credits()
            return base, scen

        self._in_flight = True
        self._set_busy(True)
        run_in_background(
            work,
            on_done=guard(self, lambda r: self._done(gen, scenario, r)),
            on_error=guard(self, self._run_failed),
        )

    def _done(self, gen: int, scenario: Contract, result: tuple[Any, Any]) -> None:
        self._in_flight = False
        if gen == self._generation:
            base, scen = result
            new_baseline = self.baseline_result is not base
            self.baseline_result = base
            if new_baseline:
                self.baseline_ready.emit(base)
            self.whatif = WhatIf(base, scen, None, scenario)
            self.whatif_ready.emit(self.whatif)
            if not self._pending:
                self._list_flips(self.whatif)
        if self._pending or (gen == self._generation and scenario is not (self.state.scenario or scenario)):
            self._pending = False
            self._request()
        else:
            self._set_busy(False)

    def _list_flips(self, whatif: WhatIf) -> None:
        def work() -> Any:
            from workbench.engine.simulate import compare

            return compare(whatif.baseline, whatif.scenario, max_flips=MAX_FLIPS)

        def done(comparison: Any) -> None:
            self._flips_in_flight -= 1
            if self.whatif is whatif:  # still the newest result
                self.whatif = replace(whatif, comparison=comparison)
                self.flips_ready.emit(self.whatif)

        def failed(exc: BaseException) -> None:
            self._flips_in_flight -= 1
            self._error(exc)

        self._flips_in_flight += 1
        run_in_background(work, on_done=guard(self, done), on_error=guard(self, failed))

    def _run_failed(self, exc: BaseException) -> None:
        self._in_flight = False
        self._pending = False
        self._flips_in_flight = 0
        self._error(exc)

    def _error(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.failed.emit(str(exc))

    def _set_busy(self, busy: bool) -> None:
        self.busy_changed.emit(busy)

    def idle(self) -> bool:
        return (
            not self._in_flight
            and not self._flips_in_flight
            and not self._debounce.pending()
            and (self.engine is not None or not len(self.state.history.tickets))
        )
