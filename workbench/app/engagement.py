"""The steps that start an engagement, and how far a workspace has come with each.

A new client's workspace is filled in four steps: the signed contract, the ticket
history, the backups/restore tests/outages/KPIs, and the proposals to weigh against
the contract.  :func:`engagement_steps` says for each whether it is done and what the
workspace holds of it ("2 signed contract versions", "4,213 tickets"), or what the
step brings when it is still to do.  Both front ends read the same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from models.history import History

CONTRACT = "contract"
TICKETS = "tickets"
RECORDS = "records"
PROPOSALS = "proposals"
STEP_KEYS = (CONTRACT, TICKETS, RECORDS, PROPOSALS)


class HasStatus(Protocol):
    """A contract version as the steps see it: only its status counts."""

    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class Step:
    key: str  # one of STEP_KEYS
    title: str
    done: bool
    detail: str  # what the workspace holds of it (done), or what the step brings (to do)
    optional: bool = False  # the engagement's views work without it


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _join(parts: Iterable[str]) -> str:
    items = list(parts)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def engagement_steps(
    versions: Sequence[HasStatus], history: History, *, records_pending: bool = False
) -> list[Step]:
    """The four steps in order, each done or to do, from the workspace's contract
    versions (signed, draft, proposal) and its history.  ``records_pending``: the
    backups, restore tests, outages and KPIs are still being read (the step is not
    judged yet)."""
    statuses = [v.status for v in versions]
    signed = statuses.count("signed")
    drafts = statuses.count("draft")
    proposals = statuses.count("proposal")
    h = history

    if signed:
        contract_detail = _count(signed, "signed contract version")
        if drafts:
            contract_detail += f", {_count(drafts, 'draft')}"
    elif drafts:
        contract_detail = (
            f"{_count(drafts, 'draft')} but no signed version yet: add the SLA in force, the baseline "
            "every view measures against"
        )
    else:
        contract_detail = (
            "The SLA in force (PDF, DOCX, text or a YAML/JSON contract): its terms are the baseline "
            "every view measures against"
        )

    tickets = len(h.tickets)
    if tickets:
        tickets_detail = _count(tickets, "ticket")
        if len(h.status_log):
            tickets_detail += f", {_count(len(h.status_log), 'status change')}"
    else:
        tickets_detail = (
            "The PSA/ITSM ticket export (ServiceNow, Jira, Zendesk, ConnectWise, Autotask, HaloPSA, "
            "osTicket or CSV): every figure is measured on it"
        )

    held = [
        (len(h.backups), "backup job"),
        (len(h.restore_tests), "restore test"),
        (len(h.outages), "outage"),
        (len(h.kpis), "KPI month"),
    ]
    records = sum(n for n, _ in held)
    if records_pending:
        records_detail = "reading…"
    elif records:
        records_detail = _join(_count(n, name) for n, name in held if n)
    else:
        records_detail = (
            "Backup and restore-test logs, outages and monthly KPI snapshots (CSV, detected from the "
            "header): RPO/RTO, availability and security KPIs"
        )

    if proposals:
        proposals_detail = _count(proposals, "proposal")
    else:
        proposals_detail = (
            "The provider's new proposal or a competitor's, to compare and redline against the "
            "signed contract"
        )

    return [
        Step(CONTRACT, "Add the signed contract", signed > 0, contract_detail),
        Step(TICKETS, "Import the ticket history", tickets > 0, tickets_detail),
        Step(RECORDS, "Add backups, restore tests, outages and KPIs", records > 0 and not records_pending,
             records_detail, optional=True),
        Step(PROPOSALS, "Add proposals", proposals > 0, proposals_detail, optional=True),
    ]


def needs_start(steps: Sequence[Step]) -> bool:
    """The workspace should open on the start page: a step the views cannot do without
    (the signed contract, the tickets) is still to do."""
    return any(not s.done and not s.optional for s in steps)


__all__ = ["CONTRACT", "PROPOSALS", "RECORDS", "STEP_KEYS", "TICKETS", "Step", "engagement_steps",
           "needs_start"]
