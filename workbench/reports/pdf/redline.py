"""The redline PDF from two versions: diff, effects, warning signs, charts, layout.

``build_redline(old, new, options, tickets=…)`` returns the PDF bytes;
``write_redline(out, …)`` writes them atomically (a failure leaves no file behind and
an existing file untouched).  Both take a progress callback (``workbench.progress``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models.atomic import atomic_write_bytes
from models.contract import PRIORITIES
from models.history import History
from workbench.documents.diff import ContractDiff, Version, diff_versions, load_version
from workbench.progress import Cancelled, ProgressCallback, report, scaled
from workbench.reports.pdf.document import Finding, RedlineOptions, RenderInput, render_redline
from workbench.reports.pdf.effects import (
    ChangeEffect,
    EffectsUnavailable,
    Measurement,
    SimulateFn,
    measure_effects,
)
from workbench.reports.pdf.summary import build_summary
from workbench.warnings import lint as default_lint

LintFn = Callable[..., Sequence[Any]]

# The history was made under the current terms: say so wherever it is replayed under others.
HISTORY_CAVEAT = (
    "The history was produced under the current terms, which the provider worked to: the "
    "proposed terms' figures show how the same past would score under them, not how the provider "
    "will perform once it works to them."
)


def _as_version(v: Version | str | Path) -> Version:
    return v if isinstance(v, Version) else load_version(v)


def as_of_instant(options: RedlineOptions) -> int:
    """The as-of instant: the one given, else the as-of date's midnight UTC (a half-open end of
    the history)."""
    if options.as_of_instant is not None:
        return options.as_of_instant
    return int(datetime(options.as_of.year, options.as_of.month, options.as_of.day, tzinfo=UTC).timestamp())


def _findings(
    diff: ContractDiff,
    history: History | None,
    options: RedlineOptions,
    lint: LintFn | None,
    progress: ProgressCallback | None = None,
) -> tuple[list[Finding] | None, str]:
    """The warning signs of the proposed version: of its contract model, or of the
    document it was read from when its terms are only extracted.  ``lint`` (a caller's
    own, called as ``lint(target, history, as_of)``) replaces the warning-sign lint,
    which reports and cancels through ``progress``."""
    if lint is not None:
        fn: LintFn = lint
    else:

        def fn(target: Any, hist: History | None, as_of: int) -> Sequence[Finding]:
            return default_lint(target, hist, as_of, progress=progress)

    new = diff.new
    target: Any = new.contract
    if target is None or new.extracted:
        target = new.document
    if target is None:
        return None, "Warning signs not checked: the proposed version has neither terms nor a document"
    try:
        hist = history if history is not None and len(history.tickets) else None
        return list(fn(target, hist, as_of_instant(options))), ""
    except Cancelled:
        raise
    except Exception as exc:
        return None, f"Warning signs not checked: {exc}"


def _kpi_rows(m: Measurement) -> list[list[str]]:
    def cell(s: Any) -> tuple[str, str]:
        if s is None:
            return "—", "n/a"
        if not s.measured:
            return "—", "not measured"
        comp = "n/a" if s.compliance is None else f"{100 * s.compliance:.1f}%"
        return f"{s.met} / {s.breached} / {s.pending}", comp

    rows = []
    for p in PRIORITIES:
        for metric in ("response", "resolution"):
            b = m.baseline.get(p, {}).get(metric)
            n = m.proposed.get(p, {}).get(metric)
            if b is None and n is None:
                continue
            if (b is None or (b.met + b.breached + b.pending == 0 and b.measured)) and (
                n is None or (n.met + n.breached + n.pending == 0 and n.measured)
            ):
                continue
            rows.append([p, metric, *cell(b), *cell(n)])
    return rows


def _chart_pngs(m: Measurement, new: Any = None) -> list[tuple[str, bytes]]:
    from workbench.reports.charts import compliance_chart, figure_png, sensitivity_chart

    committed = {p: t.compliance_target for p, t in new.targets.items()} if new is not None else None

    out: list[tuple[str, bytes]] = []
    base, prop = m.compliance("baseline"), m.compliance("proposed")
    for metric in ("response", "resolution"):
        if any(
            base.get(p, {}).get(metric) is not None or prop.get(p, {}).get(metric) is not None
            for p in PRIORITIES
        ):
            fig = compliance_chart(base, prop, metric, targets=committed)
            out.append(
                (
                    f"{metric.capitalize()} compliance per priority on the {m.tickets:,} tickets opened "
                    f"{m.period}: current terms (grey) vs proposed terms (blue); dashed: committed level.",
                    figure_png(fig),
                )
            )
    for metric in ("response", "resolution"):
        curves = {f"{p} {metric}": v for p, v in m.curves.get(metric, {}).items()}
        if curves:
            fig = sensitivity_chart(curves, title=f"{metric.capitalize()}: compliance if the target were…")
            out.append(
                (
                    f"Sensitivity of {metric} compliance to the target under the proposed clock, on the "
                    f"{m.tickets:,} tickets opened {m.period}; dotted lines mark the proposed targets.",
                    figure_png(fig),
                )
            )
    return out


def _check_length(old: Version, new: Version) -> None:
    """Refuse a redline of more clause text than ``limits.REDLINE_CHARS`` (the two versions
    together) before the diff and the layout, whose work grows with it: the redline of a
    document repeating one line 20,000 times ran for a minute."""
    from models import limits

    chars = sum(len(c.heading) + len(c.text) for v in (old, new) for c in v.clauses)
    limits.check_count(new.source or old.source, "clause text of the two versions", chars,
                       limits.REDLINE_CHARS, "characters", "REDLINE_CHARS")


def build_redline(
    old: Version | str | Path,
    new: Version | str | Path,
    options: RedlineOptions,
    history: History | None = None,
    simulate: SimulateFn | None = None,
    lint: LintFn | None = None,
    progress: ProgressCallback | None = None,
) -> bytes:
    """The redline PDF of NEW against OLD, as bytes.  ``history`` (the client's tickets,
    status log and KPI snapshots) gives the simulated effects and the history warning
    signs.  The document names no file: the history is told by its tickets and period."""
    report(progress, 0.0, "reading the two versions")
    old_v, new_v = _as_version(old), _as_version(new)
    _check_length(old_v, new_v)
    diff = diff_versions(old_v, new_v)
    report(progress, 0.1, "comparing")
    effects: dict[str, str] = {}
    change_effects: dict[str, ChangeEffect] = {}
    combined: list[str] = []
    charts: list[tuple[str, bytes]] = []
    kpi_rows: list[list[str]] | None = None
    summary_note = ""
    if history is None or len(history.tickets) == 0:
        note = "No ticket history was supplied, so the effect of the changes was not measured."
        hist_note = "none supplied"
        kpi_note = note
    else:
        hist_note = f"{len(history.tickets):,} tickets"
        try:
            m = measure_effects(
                diff,
                history.tickets,
                history.status_log,
                as_of_instant(options),
                simulate=simulate,
                progress=scaled(progress, 0.1, 0.35),
                records=history,
            )
        except EffectsUnavailable as exc:
            note = f"Effects not measured: {exc}."
            kpi_note = note
        else:
            effects, change_effects, combined = m.effects, m.change_effects, m.combined
            note = (
                f"Effects simulated with the SLA clock on {m.tickets:,} tickets opened {m.period} "
                f"(history as of {options.as_of_text()}), current terms vs proposed terms; each row's "
                "effect is that change alone applied to the current terms, the effect of all of them "
                "together is in the executive summary. "
                + HISTORY_CAVEAT
            )
            summary_note = (
                f"Simulated with the SLA clock on the {m.tickets:,} tickets opened {m.period} (history as of "
                f"{options.as_of_text()}). Each change's effect is that change alone applied to the current "
                "terms, ranked by size; the effect of all of them together follows. " + HISTORY_CAVEAT
            )
            charts = _chart_pngs(m, diff.new.contract)
            kpi_rows = _kpi_rows(m)
            total = m.credits_text("total")
            kpi_note = (
                f"Credits owed on the {m.tickets:,} tickets opened {m.period} under the response/resolution "
                "credit rules: "
                + (total if total else "none under either version")
                + "."
            )
            hist_note += f", opened {m.period}"
    report(progress, 0.35, "checking warning signs")  # with a history the lint replays it too
    findings, findings_note = _findings(diff, history, options, lint, scaled(progress, 0.35, 0.55))
    measured = bool(change_effects or combined)
    summary = build_summary(diff, change_effects, combined, findings, measured=measured, note=summary_note)
    inp = RenderInput(
        diff=diff,
        summary=summary,
        options=options,
        effects=effects,
        effect_note=note,
        history_note=hist_note,
        history_given=history is not None and len(history.tickets) > 0,
        findings=findings,
        findings_note=findings_note,
        charts=charts,
        chart_note=note,
        kpi_rows=kpi_rows,
        kpi_note=kpi_note,
        kpi_snapshots=history.kpis if history is not None else (),
    )
    return render_redline(inp, progress=scaled(progress, 0.55, 1.0))


def write_redline(out: str | Path, *args: Any, **kw: Any) -> Path:
    """Build the PDF, then write it atomically; nothing is written if anything fails."""
    data = build_redline(*args, **kw)
    p = Path(out)
    atomic_write_bytes(p, data)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(p, 0o666 & ~umask)  # a document to hand over, not the private temporary's 0600
    return p
