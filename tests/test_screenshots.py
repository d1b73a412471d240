"""``python -m ui.screenshots`` needs nothing outside the repository (its import-wizard
shots read an export from the tests' fixtures, with rows the wizard rejects), takes every
view at both sizes, and every screenshot the docs link to is there."""

from __future__ import annotations

import re
from pathlib import Path

from ui import screenshots
from workbench.importing.core import import_file

ROOT = Path(__file__).resolve().parents[1]


def test_the_wizard_shots_read_a_fixture_with_rejected_rows(tmp_path: Path) -> None:
    export = screenshots.sample_export(tmp_path)
    assert screenshots.EXPORT.is_relative_to(ROOT) and screenshots.EXPORT.is_file()
    result = import_file(export, tz="America/Toronto")
    assert result.preset.name == "servicenow-incident"
    assert len(result.tickets) == 5 and len(result.rejected) == len(screenshots.BAD_ROWS.splitlines()) == 2


def test_the_screenshots_read_nothing_outside_the_repository() -> None:
    source = (ROOT / "ui" / "screenshots.py").read_text()
    assert '"shared"' not in source and "parents[1].parent" not in source
    assert screenshots.SIZES == ((1366, 768), (1920, 1080))
    for view in ("overview", "whatif", "tickets", "warnings", "editor", "compare", "start"):
        assert f'w.show_view("{view}")' in source, view


def test_every_screenshot_the_docs_link_to_exists() -> None:
    linked = 0
    for doc in (ROOT / "README.md", ROOT / "docs" / "GUI.md"):
        for target in re.findall(r"\]\(((?:docs/)?screenshots/[^)]+\.png)\)", doc.read_text()):
            path = (doc.parent / target).resolve()
            assert path.is_file(), f"{doc.name} links to the missing {target}"
            linked += 1
    assert linked > 40
    gui = (ROOT / "docs" / "GUI.md").read_text()
    for width, height in screenshots.SIZES:  # every view at both sizes
        for name in ("overview", "whatif", "tickets", "warnings", "editor", "compare", "start",
                     "import-format", "import-mapping", "import-preview", "import-rejected", "export",
                     "guide", "present"):
            assert f"screenshots/gui-{name}-{width}x{height}.png" in gui, (name, width)
