"""The user guide, offline: a page per view (``resources/guide/*.html``), an entry per KPI
the Overview shows and one per warning code.

The KPI entries are made from the KPI definitions the cards' tooltips show
(:func:`workbench.analytics.kpis.kpi_definition`), the warning entries from the warnings
registry (each check's name, what it means, why it matters and what to ask for): the guide
never says it in other words.  Entries link to each other with ``href="#anchor"``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.warnings.base import CheckInfo

CONTENTS = "contents"
VIEWS_SECTION, KPI_SECTION, WARNINGS_SECTION = "Views", "KPIs", "Warning signs"
KPIS_ANCHOR, WARNINGS_ANCHOR = "kpis", "warnings"

# (anchor, title, file under resources/guide) in the order of the contents
VIEW_PAGES: tuple[tuple[str, str, str], ...] = (
    ("view-start", "Start", "start.html"),
    ("view-overview", "Overview", "overview.html"),
    ("view-whatif", "What-if", "whatif.html"),
    ("view-tickets", "Tickets", "tickets.html"),
    ("view-editor", "Contract editor", "editor.html"),
    ("view-warnings", "Warnings", "warnings.html"),
    ("view-compare", "Compare", "compare.html"),
    ("view-import", "Import wizard", "import.html"),
    ("view-export", "Export", "export.html"),
    ("view-present", "QBR mode (F5)", "present.html"),
    ("preferences", "Preferences", "preferences.html"),
)
# the window's view keys (ui.main_window.MainWindow.VIEWS) and their pages
VIEW_ANCHORS = {
    "start": "view-start", "overview": "view-overview", "whatif": "view-whatif",
    "tickets": "view-tickets", "editor": "view-editor", "warnings": "view-warnings",
    "compare": "view-compare",
}
# the family entry of the KPIs named after a service: "Availability Dentrix"
AVAILABILITY = "Availability"
_SERVICE = "a service"

UNIT_WORDS = {
    "share": "Shown as a percentage; the change against the previous quarter in points.",
    "seconds": "Shown in hours.",
    "currency": "Shown in the contract's currency.",
    "count": "Shown as a count.",
}
KIND_WORDS = {
    "text": "Read from the contract's text.",
    "terms": "Read from the contract's terms.",
    "history": "Measured on the history: the tickets, backups, restore tests and outages.",
}


@dataclass(frozen=True)
class Entry:
    anchor: str
    title: str
    section: str  # "" for the contents page
    body: str  # HTML

    @property
    def html(self) -> str:
        return self.body

    @property
    def text(self) -> str:
        """The entry's words without markup (what the guide's search looks in)."""
        return html.unescape(re.sub(r"<[^>]+>", " ", f"{self.title} {self.body}"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def kpi_anchor(label: str) -> str:
    """The guide's anchor of the KPI named ``label`` (a KPI card's label)."""
    if label.startswith(f"{AVAILABILITY} "):
        return "kpi-availability"
    return f"kpi-{_slug(label)}"


def warning_anchor(code: str) -> str:
    """The guide's anchor of warning code ``code`` ("W07")."""
    return f"warning-{code}"


def kpi_rows() -> list[tuple[str, str, bool | None]]:
    """(label, unit, higher is better) of every KPI the Overview can show, in the order of
    the headline rows; the availability of a service once, as "Availability"."""
    from workbench.analytics.kpis import KpiSet, headline_rows

    empty = KpiSet(0, 0, availability={_SERVICE: None})
    rows = []
    for row in headline_rows(empty, empty):
        label = AVAILABILITY if row.label == f"{AVAILABILITY} {_SERVICE}" else row.label
        rows.append((label, row.unit, row.higher_is_better))
    return rows


def kpi_definition_of(label: str) -> str:
    """The definition a card of ``label`` shows (for "Availability": of any service)."""
    from workbench.analytics.kpis import kpi_definition

    return kpi_definition(f"{AVAILABILITY} {_SERVICE}" if label == AVAILABILITY else label)


def _kpi_entry(label: str, unit: str, better: bool | None) -> Entry:
    title = f"{AVAILABILITY} of a service" if label == AVAILABILITY else label
    parts = [f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(kpi_definition_of(label))}</p>"]
    words = UNIT_WORDS.get(unit, "")
    if better is not None:
        words += " A higher figure is better." if better else " A lower figure is better."
    parts.append(f"<p>{words.strip()}</p>")
    parts.append('<p>On the <a href="#view-overview">Overview</a>, for the quarter against the '
                 "previous one.</p>")
    return Entry(kpi_anchor(label), title, KPI_SECTION, "\n".join(parts))


def _warning_entry(info: CheckInfo) -> Entry:
    from workbench.app.words import code_title

    title = code_title(info.code)
    parts = [f"<h1>{html.escape(title)}</h1>"]
    for heading, text in (("What it means", info.means), ("Why it matters", info.why),
                          ("What to ask for", info.ask)):
        parts.append(f"<h2>{heading}</h2><p>{html.escape(text)}</p>")
    extra = " Beyond the published catalogue (W01–W17)." if info.extension else ""
    parts.append(f"<p>{KIND_WORDS.get(info.kind, '')}{extra} "
                 'See the <a href="#view-warnings">Warnings</a> view.</p>')
    return Entry(warning_anchor(info.code), title, WARNINGS_SECTION, "\n".join(parts))


def _read_page(name: str) -> str:
    return (files("resources") / "guide" / name).read_text(encoding="utf-8")


def limit_list() -> str:
    """The input limits a user may raise, as a table: what each limits, its default, and
    its name on the command line (the limits' own words and values, models.limits)."""
    from models import limits

    rows = "".join(
        f"<tr><td>{html.escape(r.words)}</td>"
        f"<td>{html.escape(limits.limit_text(name, limits.DEFAULTS[name]))}"
        f"{' ' + r.counts if r.counts else ''}</td>"
        f"<td><code>{html.escape(name)}</code></td></tr>"
        for name, r in limits.RAISABLE.items()
    )
    return ("<table><tr><th>Limit</th><th>Default</th><th>Command line</th></tr>"
            f"{rows}</table>")


def _link(anchor: str, title: str) -> str:
    return f'<a href="#{anchor}">{html.escape(title)}</a>'


@lru_cache(maxsize=1)
def guide_entries() -> tuple[Entry, ...]:
    """Every entry of the guide: the contents, the views, the KPIs, the warning codes."""
    from workbench.warnings.base import discover

    kpis = [_kpi_entry(*row) for row in kpi_rows()]
    warnings = [_warning_entry(info) for info in discover().values()]
    kpi_list = " · ".join(_link(e.anchor, e.title) for e in kpis)
    lists = {"{kpi_list}": kpi_list, "{limit_list}": limit_list()}
    views = []
    for anchor, title, name in VIEW_PAGES:
        page = _read_page(name)
        for key, text in lists.items():
            page = page.replace(key, text)
        views.append(Entry(anchor, title, VIEWS_SECTION, page))
    kpi_index = Entry(KPIS_ANCHOR, "KPIs", KPI_SECTION,
                      "<h1>KPIs</h1><p>The figures of the Overview's cards, each with its "
                      "definition (the card's tooltip says the same).</p>"
                      + "<ul>" + "".join(f"<li>{_link(e.anchor, e.title)}</li>" for e in kpis) + "</ul>")
    warning_index = Entry(WARNINGS_ANCHOR, "Warning signs", WARNINGS_SECTION,
                          "<h1>Warning signs</h1><p>The signs every contract version is checked "
                          "against: each finding names its code, a severity, the clause, the "
                          "evidence and a suggested fix.</p>"
                          + "<ul>" + "".join(f"<li>{_link(e.anchor, e.title)}</li>" for e in warnings)
                          + "</ul>")
    contents = Entry(
        CONTENTS, "Contents", "",
        "<h1>SLA Workbench user guide</h1><p>Review and negotiate the service level agreement "
        "between a business and its managed service provider, on the business's own ticket "
        "history. Everything works offline; the data stays on your machine.</p>"
        "<h2>Views</h2><ul>" + "".join(f"<li>{_link(a, t)}</li>" for a, t, _ in VIEW_PAGES) + "</ul>"
        f"<h2>Reference</h2><ul><li>{_link(KPIS_ANCHOR, 'KPIs')}</li>"
        f"<li>{_link(WARNINGS_ANCHOR, 'Warning signs')}</li></ul>",
    )
    return (contents, *views, kpi_index, *kpis, warning_index, *warnings)


def entry(anchor: str) -> Entry | None:
    """The entry at ``anchor`` (a leading ``#`` is ignored), or None."""
    key = anchor.lstrip("#")
    return next((e for e in guide_entries() if e.anchor == key), None)


def links(e: Entry) -> list[str]:
    """The anchors ``e`` links to."""
    return re.findall(r'href="#([^"]+)"', e.body)


def search(query: str) -> list[Entry]:
    """The entries holding every word of ``query`` (case-insensitive), titles first."""
    words = query.lower().split()
    if not words:
        return list(guide_entries())
    found = [e for e in guide_entries() if all(w in e.text.lower() for w in words)]
    return sorted(found, key=lambda e: not all(w in e.title.lower() for w in words))
