"""The central views.  Each is a QWidget built from the shared AppState."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtWidgets import QWidget

from ui.state import AppState

_MODULES = {
    "overview": ("ui.views.overview", "OverviewView"),
    "whatif": ("ui.views.whatif", "WhatIfView"),
    "tickets": ("ui.views.tickets", "TicketsView"),
    "editor": ("ui.views.editor", "ContractEditorView"),
    "warnings": ("ui.views.warnings", "WarningsView"),
    "compare": ("ui.views.compare", "CompareView"),
    "start": ("ui.views.start", "StartView"),
}


def build_view(key: str, state: AppState, window: Any) -> QWidget:
    """The view ``key``, its module imported on first use (the window opens without the views)."""
    module_name, cls_name = _MODULES[key]
    view = getattr(importlib.import_module(module_name), cls_name)(state, window=window)
    if not isinstance(view, QWidget):
        raise TypeError(f"{module_name}.{cls_name} is not a view")
    return view


PRELOAD = (
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_qtagg",
    "workbench.engine.simulate",
    "workbench.reports.whatif_charts",
    "workbench.reports.analytics_charts",
    "workbench.analytics.kpis",
    "workbench.warnings",
    "workbench.analytics.compare",
    "workbench.engine.ticketquery",
    *(module for module, _cls in _MODULES.values()),
)


def preload() -> list[str]:
    """Import the modules the views need (matplotlib, the workbench engines, the view
    modules) — run on a pool thread once the window is up, so that showing a view later
    does not stop the GUI thread for its imports (nor the contract editor for the list of
    time zones).  A module that fails to import raises
    (it ships with the app: a broken one is an error, not a missing feature)."""
    for name in PRELOAD:
        importlib.import_module(name)
    from workbench.app.localtime import zone_names

    zone_names()  # the zone database walked here, not when the contract editor lists the zones
    return list(PRELOAD)
