"""Warning signs (shared/spec/warning-signs.md) as a registry of small checks.

Each code W01-W17 is one module here (``w01_vague.py`` …) that registers its check
with :func:`~workbench.warnings.base.check`; modules are discovered with ``pkgutil``,
so adding a warning sign is adding a file.  ``W18`` (escalation routing against
history) is an extension beyond the published catalogue, marked as such in the
registry (``CheckInfo.extension``).

    lint(contract_or_document, history=None, as_of=None, reference=None) -> list[Finding]
    lint_path(path, ...)  # a contract file (.yaml/.yml/.json) or a document (.txt/.md/.docx/.pdf)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.clock import Clock, utc_now
from models.contract import Contract, load_contract
from models.history import History
from workbench.documents.reader import Document, load_document
from workbench.progress import ProgressCallback, report, scaled
from workbench.warnings.base import (
    REFERENCE_MATRIX,
    REGISTRY,
    CheckInfo,
    Finding,
    LintContext,
    check,
    discover,
    make_context,
    run_checks,
)

if TYPE_CHECKING:
    from workbench.engine.simulate import Engine

__all__ = [
    "CONTRACT_SUFFIXES",
    "REFERENCE_MATRIX",
    "REGISTRY",
    "CheckInfo",
    "Finding",
    "LintContext",
    "catalogue",
    "check",
    "discover",
    "lint",
    "lint_contract",
    "lint_path",
    "load_target",
]

CONTRACT_SUFFIXES = (".yaml", ".yml", ".json")


def lint(
    target: Contract | Document,
    history: History | None = None,
    as_of: Any = None,
    reference: Mapping[str, Mapping[str, str]] | None = None,
    *,
    mandates: Iterable[str] = (),
    codes: Iterable[str] | None = None,
    clock: Clock = utc_now,
    progress: ProgressCallback | None = None,
    engine: Engine | None = None,
) -> list[Finding]:
    """Check a contract version or a contract document against the catalogue.

    ``history`` enables the history checks (W08, W09, W16, W18); ``as_of`` (date,
    aware datetime, ISO string or epoch seconds) defaults to the latest instant of
    the history; ``reference`` replaces the W07 reference matrix
    (``{"P1": {"response": "1h", "resolution": "4h"}, …}``); ``mandates`` are the
    client's compliance mandates (W13); ``clock`` (an aware datetime) gives today's
    date when there is neither an ``as_of`` nor a history (W10's review age).
    ``progress`` is the progress/cancel callback of long calls (:mod:`workbench.progress`):
    the history checks replay the history through the SLA engine and report through it;
    a cancelled lint raises ``Cancelled`` and has changed nothing.  ``engine`` is the SLA
    engine already prepared on ``history`` at the same as-of
    (:class:`workbench.engine.simulate.Engine`), for a caller that has replayed the history
    itself: the history checks reuse its replays instead of replaying again.
    """
    report(progress, 0.0, "reading the terms")
    ctx = make_context(target, history, as_of, reference, mandates, clock, engine)
    return run_checks(ctx, codes, scaled(progress, 0.02, 1.0))


lint_contract = lint


def load_target(path: str | Path) -> Contract | Document:
    """A contract file (YAML/JSON) as a Contract, anything else as a Document."""
    p = Path(path)
    if p.suffix.lower() in CONTRACT_SUFFIXES:
        return load_contract(p)
    return load_document(p)


def lint_path(
    path: str | Path,
    history: History | None = None,
    as_of: Any = None,
    reference: Mapping[str, Mapping[str, str]] | None = None,
    **kw: Any,
) -> list[Finding]:
    return lint(load_target(path), history, as_of, reference, **kw)


def catalogue() -> dict[str, CheckInfo]:
    """Every registered check, by code."""
    return discover()
