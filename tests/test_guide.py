"""Help ▸ User guide: an entry per view, per KPI the Overview shows (the card's own
definition) and per registered warning code (the registry's own words); every link
resolves; the guide opens from the Help menu and from a KPI card's "?"; it ships with
the package and the frozen build."""

from __future__ import annotations

import fnmatch
import html
import tomllib
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.contract import load_contract
from workbench.analytics.kpis import KpiSet, headline_rows, kpi_definition
from workbench.app import guide
from workbench.app.words import code_title
from workbench.warnings.base import discover

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"


def _text(fragment: str) -> str:
    return " ".join(html.unescape(fragment).split())


def test_every_kpi_the_overview_can_show_has_its_definition_as_entry() -> None:
    period = KpiSet(0, 0, availability={"Dentrix": 0.99, "Microsoft 365": None})
    rows = headline_rows(period, period)
    assert len(rows) > 20
    for row in rows:
        e = guide.entry(guide.kpi_anchor(row.label))
        assert e is not None, f"no guide entry for the KPI {row.label!r}"
        assert e.section == guide.KPI_SECTION
        definition = row.definition
        if row.label.startswith("Availability "):  # the family's entry: any service
            definition = definition.replace(row.label.removeprefix("Availability "), "a service")
        assert definition and _text(definition) in _text(e.text), row.label
    # one entry per label: distinct labels never share an anchor (but the services' availability)
    anchors = {guide.kpi_anchor(r.label) for r in rows if not r.label.startswith("Availability ")}
    assert len(anchors) == len([r for r in rows if not r.label.startswith("Availability ")])


def test_every_registered_warning_code_has_its_registry_words_as_entry() -> None:
    codes = discover()
    assert {f"W{n:02d}" for n in range(1, 18)} <= set(codes)
    for code, info in codes.items():
        assert info.means and info.why and info.ask, f"{code} lacks what it means / why / what to ask"
        e = guide.entry(guide.warning_anchor(code))
        assert e is not None, f"no guide entry for {code}"
        assert e.title == code_title(code) and info.title in e.title
        text = _text(e.text)
        for words in (info.means, info.why, info.ask):
            assert _text(words) in text, code
        for heading in ("What it means", "Why it matters", "What to ask for"):
            assert heading in text


def test_every_view_has_a_page() -> None:
    from ui.main_window import MainWindow

    for key, _title in MainWindow.VIEWS:
        anchor = guide.VIEW_ANCHORS[key]
        assert guide.entry(anchor) is not None, key
    titles = {e.title for e in guide.guide_entries() if e.section == guide.VIEWS_SECTION}
    assert {"Start", "Overview", "What-if", "Tickets", "Contract editor", "Warnings", "Compare",
            "Import wizard", "Export", "QBR mode (F5)"} <= titles
    for e in guide.guide_entries():
        assert len(_text(e.text)) > 60, f"{e.anchor} is nearly empty"
        assert "{" not in e.body, f"{e.anchor} holds an unfilled placeholder"


def test_every_link_resolves_and_every_entry_is_reachable_from_the_contents() -> None:
    entries = guide.guide_entries()
    assert len({e.anchor for e in entries}) == len(entries), "two entries share an anchor"
    for e in entries:
        for target in guide.links(e):
            assert guide.entry(target) is not None, f"{e.anchor} links to the missing #{target}"
    seen, todo = set(), [guide.CONTENTS]
    while todo:
        anchor = todo.pop()
        if anchor in seen:
            continue
        seen.add(anchor)
        found = guide.entry(anchor)
        assert found is not None
        todo.extend(guide.links(found))
    assert seen == {e.anchor for e in entries}


def test_search_finds_entries_by_their_words() -> None:
    found = [e.anchor for e in guide.search("restore test")]
    assert "warning-W06" in found and "kpi-restore-tests-passed" in found
    assert found[0] == "kpi-restore-tests-passed"  # the title holds the words: first
    assert guide.search("zzqx nothing") == []


def test_the_guide_ships_with_the_package_and_the_frozen_build() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["*"]
    pages = [p for p in (ROOT / "resources" / "guide").iterdir() if p.suffix != ".py" and p.is_file()]
    assert {f for _, _, f in guide.VIEW_PAGES} <= {p.name for p in pages}
    for page in pages:
        assert any(fnmatch.fnmatch(page.name, pat) for pat in patterns), f"{page.name} not in package data"
    assert (ROOT / "resources" / "guide" / "__init__.py").is_file()  # a package: its data is installed
    spec = (ROOT / "packaging" / "sla-workbench.spec").read_text()
    assert 'collect_data_files("resources", include_py_files=False)' in spec  # every non-.py file


@pytest.mark.gui
def test_the_guide_opens_from_the_help_menu_and_follows_links(window, qtbot: QtBot) -> None:
    from PySide6.QtCore import QUrl

    assert window.act_shortcuts.shortcut().toString() == "F1"  # F1 stays the shortcuts list
    assert window.act_guide.shortcut().toString() == "Shift+F1"
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.act_guide in help_menu.actions() and window.act_shortcuts in help_menu.actions()
    window.show()
    window.act_guide.trigger()
    dlg = window.guide_dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.current == guide.CONTENTS
    assert "SLA Workbench user guide" in dlg.browser.toPlainText()
    dlg.browser.anchorClicked.emit(QUrl("#view-whatif"))
    assert dlg.current == "view-whatif" and "Scenario targets" in dlg.browser.toPlainText()
    dlg.browser.anchorClicked.emit(QUrl("#kpi-response-compliance"))
    assert kpi_definition("Response compliance") in dlg.browser.toPlainText()
    dlg.go_back()
    assert dlg.current == "view-whatif"
    # the contents list opens an entry
    item = dlg.items["warning-W07"]
    dlg.contents.setCurrentItem(item)
    assert dlg.current == "warning-W07" and "Why it matters" in dlg.browser.toPlainText()
    # search narrows the contents list; Enter opens the first match
    dlg.search_box.setText("log monitoring")
    shown = dlg.matches()
    assert "warning-W14" in shown and "kpi-breaches" not in shown
    dlg.search_box.returnPressed.emit()
    assert dlg.current == guide.search("log monitoring")[0].anchor
    dlg.search_box.clear()
    assert "kpi-breaches" in dlg.matches()
    # opened again at an entry: the same dialog, raised
    assert window.open_guide(guide.warning_anchor("W09")) is dlg and dlg.current == "warning-W09"
    # the shortcuts list stays reachable from the guide
    dlg.shortcuts.click()
    shortcut_dialogs = [w for w in window.findChildren(object) if getattr(w, "windowTitle", None)
                        and w.windowTitle() == "Keyboard shortcuts"]
    assert shortcut_dialogs


@pytest.mark.gui
@pytest.mark.window(
    tuple(load_contract(DEMO / f"{n}.yaml") for n in ("northwind-2025",)), tickets=3000, view="overview"
)
def test_each_kpi_card_has_a_question_mark_that_opens_its_entry(window, qtbot: QtBot) -> None:
    window.show()
    window.show_view("overview")
    overview = window.views["overview"]
    qtbot.waitUntil(lambda: overview.report is not None, timeout=60_000)
    cards = [c for c in overview.cards if not c.isHidden()]
    assert cards
    for card in cards:
        label = card.label.text()
        assert card.help_button.isVisible(), label
        card.help_button.click()
        dlg = window.guide_dialog
        assert dlg.isVisible() and dlg.current == guide.kpi_anchor(label), label
        shown = _text(dlg.browser.toPlainText())
        definition = kpi_definition(label)
        if label.startswith("Availability "):
            definition = definition.replace(label.removeprefix("Availability "), "a service")
        assert _text(definition) in shown, label
        # the tooltip says the same words
        assert html.escape(kpi_definition(label)) in card.toolTip()


def test_the_preferences_page_lists_every_input_limit_with_its_default() -> None:
    """Preferences' page: each limit a user may raise in its words, its default as the
    dialog shows it and its command-line name (made from models.limits, so a new limit
    appears without editing the page); the Export page names the QBR report and links it."""
    from models import limits

    e = guide.entry("preferences")
    assert e is not None and e.section == guide.VIEWS_SECTION
    text = _text(e.text)
    assert "{limit_list}" not in e.body
    for name, default in limits.DEFAULTS.items():
        words = limits.RAISABLE[name].words
        assert f"{words} {limits.limit_text(name, default)}" in text, name
        assert name in text
    export = guide.entry("view-export")
    assert export is not None and "Export QBR report" in _text(export.text)
    assert "preferences" in guide.links(export)
