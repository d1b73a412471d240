"""``sla-workbench compare``: two or more contract versions or proposals on one history.

    sla-workbench compare A B [C …] (--tickets T [--status-log S] | --workspace W)
                          [--weights FILE] [--as-of DATE|ISO] [--json]

``--json`` prints exactly ``{"versions": [{"name", "version", "by_priority",
"credits", "score"}]}`` in the order given (shared/spec/interfaces.md); without it,
a readable report: priority-name mappings, compliance per priority, credits
exposure, the score with its breakdown, and the warning signs of each proposal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from models.contract import METRICS, PRIORITIES
from workbench.app.asof import AS_OF_HELP, parse_as_of
from workbench.cli import CommandError
from workbench.commands._common import UNCONFIRMED, contract_or_version, load_history


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "compare",
        help="replay two or more contract versions or proposals on the same history and score them",
        description="Replay two or more contract versions or proposals on the same ticket history: "
        "compliance and credits exposure per priority, and a score from weights.",
    )
    p.add_argument("contracts", nargs="+", metavar="CONTRACT",
                   help="2 or more: contract files (YAML or JSON), documents "
                   "(txt/md/html/adoc/docx/pdf: their extracted terms, unconfirmed) or, with --workspace, "
                   "stored versions (id or label)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--tickets", help="canonical tickets.csv")
    src.add_argument("--workspace", help="workspace (.slawb file or database URL)")
    p.add_argument("--status-log", help="canonical status_log.csv (with --tickets)")
    p.add_argument("--weights", help="YAML/JSON mapping of score components to weights "
                   "(compliance, coverage, security, recovery, accountability, cost)")
    p.add_argument("--as-of", help=AS_OF_HELP + " (default: latest instant in the data)")
    p.add_argument("--json", action="store_true", help="print JSON (interfaces.md)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.analytics.compare import CompareError, compare, load_proposal, load_weights

    if len(args.contracts) < 2:
        raise CommandError("give two or more contract files to compare")
    proposals, unconfirmed = [], []
    for ref in args.contracts:
        proposal, extracted = _proposal(ref, args.workspace, load_proposal)
        proposals.append(proposal)
        if extracted:
            unconfirmed.append(ref)
    try:
        weights = load_weights(args.weights) if args.weights else None
    except CompareError as exc:
        raise CommandError(str(exc)) from None
    as_of = parse_as_of(args.as_of) if args.as_of else None
    history = load_history(args)
    assert history is not None  # --tickets or --workspace is required
    try:
        result = compare(
            proposals, history.tickets, history.status_log, weights=weights, as_of=as_of,
            history=history, with_warnings=not args.json,
        )
    except CompareError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        out = result.to_json()
        if unconfirmed:
            out["unconfirmed_terms"] = unconfirmed
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for ref in unconfirmed:
        print(UNCONFIRMED.format(file=ref))
    print(render(result))
    return 0


def _proposal(ref: str, workspace: str | None, load_proposal: Any) -> tuple[Any, bool]:
    """A positional CONTRACT: a contract file (non-P1-P4 priority names mapped), a
    document (its extracted terms), or with --workspace a stored version's id or label."""
    from workbench.analytics.compare import Proposal
    from workbench.app.contracts import CONTRACT_SUFFIXES

    if Path(ref).suffix.lower() in CONTRACT_SUFFIXES and (Path(ref).exists() or not workspace):
        return load_proposal(ref), False
    contract, extracted = contract_or_version(ref, workspace)
    return Proposal(contract, source=ref), extracted


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def _money(v: float | None, currency: str) -> str:
    return "no fee stated" if v is None else f"{v:,.2f} {currency}"


def render(result) -> str:  # type: ignore[no-untyped-def]
    from workbench.analytics.compare import COMPONENTS

    lines: list[str] = []
    for i, v in enumerate(result.versions, 1):
        c = v.proposal.contract
        lines.append(f"[{i}] {c.name} — {c.version}   score {v.score:.1f}")
        if v.proposal.priority_mapping is not None and not v.proposal.priority_mapping.is_identity():
            lines.append("    priority names mapped:")
            lines.extend("      " + row for row in v.proposal.priority_mapping.describe().splitlines())
        for p in PRIORITIES:
            bp = v.by_priority.get(p)
            if bp is None:
                continue
            cells = "  ".join(
                f"{m} not measured" if bp[m].get("measured") is False
                else f"{m} {_pct(bp[m]['compliance']):>6} ({bp[m]['breached']} breached)" for m in METRICS
            )
            credit = v.credits_by_priority.get(p)
            lines.append(f"    {p} {bp['tickets']:>7} tickets  {cells}  credits {_money(credit, c.currency)}")
        lines.append(f"    credits exposure: {_money(v.credits, c.currency)} "
                     f"({v.credits_percent:g}% of a monthly fee, summed over months)")
        per_priority = [x for x in v.credits_by_priority.values() if x is not None]
        if v.credits is not None and sum(per_priority) > v.credits + 0.005:
            lines.append("      (each priority's credits are counted alone; together they exceed the "
                         "monthly cap, so they add up to more than the total)")
        parts = ", ".join(
            f"{k} not measured" if v.breakdown[k]["value"] is None else
            f"{k} {v.breakdown[k]['value']:.2f}x{v.breakdown[k]['weight']:.2f}={v.breakdown[k]['points']:.1f}"
            for k in COMPONENTS
        )
        lines.append(f"    score breakdown: {parts}")
        if v.warnings is not None:
            lines.append(f"    warning signs: {warning_summary(v.warnings)}")
        lines.append("")
    best = result.ranking()[0]
    lines.append(f"Highest score: {best.name} — {best.version} ({best.score:.1f})")
    return "\n".join(lines)


def warning_summary(warnings: list[dict[str, str]]) -> str:
    """``W01 (medium), W09 ×11 (4 high, 4 medium, 3 low)``: one entry per code, in code order,
    with how many findings of each severity."""
    by_code: dict[str, dict[str, int]] = {}
    for w in warnings:
        sev = by_code.setdefault(w["code"], {})
        sev[w["severity"]] = sev.get(w["severity"], 0) + 1
    parts = []
    for code in sorted(by_code):
        sev = by_code[code]
        n = sum(sev.values())
        known = ("high", "medium", "low")
        order = [s for s in known if s in sev] + sorted(set(sev) - set(known))
        if n == 1:
            parts.append(f"{code} ({order[0]})")
        else:
            parts.append(f"{code} ×{n} (" + ", ".join(f"{sev[s]} {s}" for s in order) + ")")
    return ", ".join(parts) or "none"
