"""The import wizard speaks the GUI's language on every page: formats by their titles,
how well each matches as a share (never above 100%), fields in words, the preview's
times in the zone chosen (or the contract's) with the zone named (offscreen, on the
exports in tests/fixtures)."""

from __future__ import annotations

import re

import pytest

# the exports, the config folder of the test's own and the way to Mapping of the Mapping page's tests
from tests.test_ui_import_mapping import NAIVE, WITH_OFFSETS, _isolated_config, _to_mapping  # noqa: F401
from tests.test_ui_support import make_contract, table_item
from ui.import_wizard import ImportWizard
from workbench.app.import_fields import field_words, preset_match, preset_words
from workbench.importing.presets import ALL_FIELDS, BUILTIN, Preset, all_presets, save_preset, score

pytestmark = [
    pytest.mark.usefixtures("isolated_settings"),
    pytest.mark.window([make_contract("2025 signed")], workspace=True),
]
RAW_FIELDS = [f for f in ALL_FIELDS if "_" in f]  # opened_at, provider_sla_breached, …


def _cells(table) -> list[str]:
    return [
        table_item(table, r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c) is not None
    ]


def _raw_keys(texts: list[str], keys: list[str]) -> list[str]:
    """The texts that show one of ``keys`` as a word of its own."""
    return [t for t in texts if any(re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", t) for k in keys)]


def _preview(qtbot, wiz: ImportWizard, tz: str) -> None:
    wiz.mapping_page.tz.setCurrentText(tz)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preview_page.isComplete(), timeout=20_000)


def test_the_format_page_names_formats_by_their_titles_and_matches_as_a_share(qtbot, window) -> None:
    save_preset(Preset(name="my-jira_export", columns={"id": "Key", "opened_at": "Created"}))
    page = _to_mapping(qtbot, window, NAIVE).preset_page  # the format page as it was left
    names = [p.name for p in all_presets()]
    cells = _cells(page.table)
    combo = [page.combo.itemText(i) for i in range(page.combo.count())]
    labels = cells + combo + [page.status.text()]
    keys = [n for n in names if not n.isalpha()]  # "canonical" is also a word of its own title
    assert not _raw_keys(labels, keys) and not set(labels) & set(names), _raw_keys(labels, keys)
    assert not _raw_keys(labels, RAW_FIELDS), _raw_keys(labels, RAW_FIELDS)
    assert "My jira export" in cells  # a saved preset without a title: its name spelled out
    assert table_item(page.table, 0, 0).text() == "ServiceNow incident list export"
    assert "ServiceNow incident list export" in page.status.text()
    shares = [table_item(page.table, r, 1).text() for r in range(page.table.rowCount())]
    assert all(re.fullmatch(r"\d{1,3}%", s) and int(s[:-1]) <= 100 for s in shares), shares
    why = table_item(page.table, 0, 2).text()
    assert "Opened at" in why and "Provider says SLA met" in why
    assert any("no column for Ticket number" in c and "(required)" in c for c in cells)
    assert re.search(r"\b\d{1,3}% match\b", page.status.text()) and "score" not in page.status.text()
    assert "% match" in page.combo.currentText()


def test_the_preview_shows_times_in_the_zone_chosen_and_names_it(qtbot, window) -> None:
    wiz = _to_mapping(qtbot, window, NAIVE)
    _preview(qtbot, wiz, "America/Toronto")
    page = wiz.preview_page
    first = [table_item(page.table, 0, c).text() for c in range(page.table.columnCount())]
    assert first[0] == "INC0020001" and first[2] == "2026-03-02 08:15 EST"  # as the file says it
    assert "times in America/Toronto" in page.status.text() and "UTC" not in page.status.text()
    assert not [c for c in _cells(page.table) if "UTC" in c]
    assert "Read as <b>ServiceNow incident list export</b>" in page.status.text()
    assert not _raw_keys([page.status.text()], [p.name for p in all_presets()])
    assert wiz.result.tickets.opened[0] == 1772457300  # stored as the instant: 13:15 UTC


def test_times_that_carry_their_offset_show_in_the_contracts_zone(qtbot, window) -> None:
    wiz = _to_mapping(qtbot, window, WITH_OFFSETS)
    _preview(qtbot, wiz, "")  # no zone needed: the file's times say theirs
    page = wiz.preview_page
    assert table_item(page.table, 0, 2).text() == "2026-03-02 03:00 EST"  # 08:00Z in Toronto
    assert "times in America/Toronto" in page.status.text()
    assert "IT incident event log" in page.status.text()


def test_rejected_rows_name_their_field_in_words(qtbot, window, tmp_path) -> None:
    from ui.screenshots import sample_export

    wiz = _to_mapping(qtbot, window, sample_export(tmp_path))
    _preview(qtbot, wiz, "America/Toronto")
    wiz.next()
    model = wiz.validation_page.model
    fields = [model.data(model.index(r, 3)) for r in range(model.rowCount())]
    assert set(fields) == {field_words("opened_at"), field_words("id")} == {"Opened at", "Ticket number"}
    assert {r.field for r in model.items} == {"opened_at", "id"}  # the rows keep the importer's names


def test_a_presets_share_never_passes_one_where_its_score_does() -> None:
    for p in BUILTIN:
        header = [*p.columns.values(), *p.signature]
        match = preset_match(p, header)
        assert score(p, header) > 1 and match.share == 1.0, p.name
        assert match.share_words() == "100% match" and not match.missing
    p = next(p for p in BUILTIN if p.name == "servicenow-incident")
    partial = preset_match(p, ["number", "opened_at"])
    assert 0 < partial.share < 1 and partial.found == ("id", "opened_at")
    assert preset_match(p, ["opened_at"]).missing == ("id",) and preset_match(p, ["opened_at"]).share == 0
    assert preset_words(p) == p.title
    assert preset_words(Preset(name="acme.helpdesk-v2", columns={})) == "Acme helpdesk v2"
