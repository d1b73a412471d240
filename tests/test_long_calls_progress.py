"""Long calls of workbench/ take the progress/cancel callback all the way through: every
phase reports, and a cancel at any reported step raises Cancelled and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_compare import loose, strict
from tests.test_kpis import AS_OF, history
from workbench.analytics import compare as compare_mod
from workbench.analytics.compare import compare
from workbench.progress import Cancelled


class Recorder:
    def __init__(self, stop_when: str | None = None) -> None:
        self.calls: list[tuple[float, str]] = []
        self.stop_when = stop_when

    def __call__(self, fraction: float, message: str) -> bool:
        self.calls.append((fraction, message))
        return not (self.stop_when is not None and self.stop_when in message)


# ------------------------------------------------------------------------ compare


def test_compare_reports_through_the_warning_signs_of_each_proposal() -> None:
    h = history()
    rec = Recorder()
    result = compare([loose(), strict()], h.tickets, h.status_log, as_of=AS_OF, history=h, progress=rec)
    fractions = [f for f, _ in rec.calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    lint_steps = [(f, m) for f, m in rec.calls if m.startswith("checking W09")]
    assert len(lint_steps) == 2, rec.calls  # one lint per proposal, history checks included
    assert all(f < 1.0 for f, _ in lint_steps)
    assert all(v.warnings is not None for v in result.versions)


def test_compare_cancelled_while_checking_warning_signs() -> None:
    h = history()
    rec = Recorder("checking W09")
    with pytest.raises(Cancelled):
        compare([loose(), strict()], h.tickets, h.status_log, as_of=AS_OF, history=h, progress=rec)
    assert "checking W09" in rec.calls[-1][1]


def test_compare_does_not_hide_a_failing_lint(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TypeError inside the lint is a bug to see, not a reason to lint again without the
    history (which gave findings silently missing every history check)."""
    import workbench.warnings as warnings

    def broken(contract: Any, history: Any = None, as_of: Any = None, **kw: Any) -> list[Any]:
        if history is not None:
            raise TypeError("a bug in a history check")
        return []

    monkeypatch.setattr(warnings, "lint", broken)
    monkeypatch.setattr(warnings, "lint_contract", broken)
    h = history()
    with pytest.raises(TypeError, match="a bug in a history check"):
        compare_mod.warning_signs(loose(), h, AS_OF)


# ------------------------------------------------------------------------ redline


def _redline_args() -> tuple[Any, Any, Any, Any]:
    from models.history import History
    from tests.test_pdf_redline import OPTS, _tickets, contracts
    from workbench.documents.diff import version_from_contract

    o, n = contracts()
    return version_from_contract(o), version_from_contract(n), OPTS, History(tickets=_tickets())


def test_redline_reports_through_the_replay_and_the_lint() -> None:
    from workbench.reports.pdf import build_redline

    old, new, opts, hist = _redline_args()
    rec = Recorder()
    data = build_redline(old, new, opts, history=hist, progress=rec)
    assert data.startswith(b"%PDF")
    fractions = [f for f, _ in rec.calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    messages = [m for _, m in rec.calls]
    # the effects' replay (the SLA engine preparing the history) and the warning signs
    # (history checks included) both report
    assert "checking tickets" in messages, messages
    assert any(m.startswith("checking W09") for m in messages), messages


@pytest.mark.parametrize("stop_when", ["checking tickets", "checking W09"])
def test_redline_cancelled_in_any_phase_writes_nothing(stop_when: str, tmp_path: Any) -> None:
    from workbench.reports.pdf import write_redline

    old, new, opts, hist = _redline_args()
    out = tmp_path / "r.pdf"
    out.write_bytes(b"previous")
    rec = Recorder(stop_when)
    with pytest.raises(Cancelled):
        write_redline(out, old, new, opts, history=hist, progress=rec)
    assert stop_when in rec.calls[-1][1]
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


# -------------------------------------------------------------------- audit, KPIs


def _audit_tickets() -> Any:
    from models.history import TicketTable
    from tests.test_audit import tk

    rows = [tk(f"A{i}", "P1" if i % 2 else "P2", 0.5 + i % 4, 2 + i % 9, i % 3 != 0) for i in range(40)]
    return TicketTable.from_tickets(rows)


def test_audit_reports_and_cancels_at_every_step() -> None:
    from tests.test_audit import CONTRACT
    from workbench.engine.audit import audit

    tickets = _audit_tickets()
    rec = Recorder()
    full = audit(tickets, None, CONTRACT, progress=rec)
    fractions = [f for f, _ in rec.calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    steps = sorted({m for _, m in rec.calls})
    assert len(steps) > 5
    for step in steps:
        stop = Recorder(step)
        with pytest.raises(Cancelled):
            audit(tickets, None, CONTRACT, progress=stop)
        assert stop.calls[-1][1] == step
    assert audit(tickets, None, CONTRACT) == full  # nothing cached from the cancelled runs


def test_monthly_trend_reports_and_cancels() -> None:
    from tests.test_kpis import contract
    from workbench.analytics.trends import monthly_trend

    h = history()
    rec = Recorder()
    monthly_trend(contract(), h, as_of=AS_OF, progress=rec)
    fractions = [f for f, _ in rec.calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    stop = Recorder("P2 resolution")
    with pytest.raises(Cancelled):
        monthly_trend(contract(), h, as_of=AS_OF, progress=stop)
    assert stop.calls[-1][1] == "P2 resolution"
