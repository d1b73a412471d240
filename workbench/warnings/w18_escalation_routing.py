"""W18 Escalation routing (EXTENSION, beyond the published catalogue W01-W17).

Tickets whose category the escalation matrix sends to one team but which were handled
by another: e.g. credential theft worked as a Helpdesk ticket when the matrix sends it
to the MSSP's SOC.  A category matches a rule when the rule's incident type appears in
it (case-insensitive, ignoring punctuation); the ticket team ``MSSP`` counts as SOC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from workbench.warnings.base import Finding, LintContext, check

EXAMPLES = 5


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s.lower()).split())


def _team(s: str) -> str:
    n = _norm(s)
    if n in ("mssp", "soc", "security", "security operations"):
        return "SOC"
    if n in ("noc", "network operations", "msp"):
        return "NOC"
    if n in ("helpdesk", "help desk", "service desk", "servicedesk"):
        return "Helpdesk"
    return s


@check(
    "W18", "Escalation routing (extension)", "history", extension=True,
    means=(
        "Tickets whose category the escalation matrix sends to one team were handled by another: "
        "credential theft worked as a Helpdesk ticket when the matrix sends it to the SOC, say."
    ),
    why=(
        "A security incident handled by the wrong team is handled late, by people without the tools for"
        " it; the matrix helps only when it is followed."
    ),
    ask=(
        "The misrouted tickets reviewed with the provider, the routing rules set in the ticketing tool,"
        " and the routing share in every monthly report."
    ),
)
def routing(ctx: LintContext) -> Iterator[Finding]:
    h = ctx.history
    if h is None or len(h.tickets) == 0:
        return
    rules = [e.value for e in ctx.terms.all("security.escalation_rule")]
    if not rules:
        return
    tt = h.tickets
    for r in rules:
        itype = _norm(str(r["incident_type"]))
        cats = [i for i, name in enumerate(tt.category_names) if itype and itype in _norm(name)]
        if not cats:
            continue
        idx = np.flatnonzero(np.isin(tt.category, cats) & (tt.team >= 0))
        # a team name's routing once per name, not once per ticket (1M tickets: 1 s less)
        off = np.array([_team(name) != r["team"] for name in tt.team_names], dtype=bool)
        wrong = idx[off[tt.team[idx]]].tolist() if len(off) else []
        if not wrong:
            continue
        handled = sorted({tt.team_names[int(tt.team[i])] for i in wrong})
        ids = ", ".join(str(tt.ids[i]) for i in wrong[:EXAMPLES])
        security = r["team"] == "SOC"
        yield Finding(
            "W18",
            "high" if security else "medium",
            ctx.where("security.escalation_rule"),
            f"{len(wrong)} of {len(idx)} “{r['incident_type']}” tickets were handled by "
            f"{', '.join(handled)} although the escalation matrix sends them to the {r['owner']} "
            f"{r['team']} (e.g. {ids})",
            f"Enforce the matrix: “{_sentence_case(r['incident_type'])} is escalated to the {r['owner']} "
            f"({r['team']}) within 15 minutes of detection; tickets opened elsewhere are re-routed and the "
            "re-routing is reported monthly.”",
            tickets=tuple(str(tt.ids[i]) for i in wrong),
        )


def _sentence_case(text: str) -> str:
    """First letter up, the rest as written ("SIEM log anomaly" stays SIEM, not "Siem")."""
    return text[:1].upper() + text[1:]
