"""Help ▸ User guide: the guide of :mod:`workbench.app.guide` in a dialog — a contents
list with a search box beside the entry, links between entries, offline.

``open_guide(window, anchor)`` opens (or raises) the window's guide at an entry; a view
puts a "?" beside a figure with :func:`add_help`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.app.guide import (
    CONTENTS,
    KPI_SECTION,
    KPIS_ANCHOR,
    VIEWS_SECTION,
    WARNINGS_ANCHOR,
    WARNINGS_SECTION,
    Entry,
    entry,
    guide_entries,
    search,
)

ANCHOR_ROLE = 256  # Qt.ItemDataRole.UserRole
SECTION_INDEX = {KPI_SECTION: KPIS_ANCHOR, WARNINGS_SECTION: WARNINGS_ANCHOR}


class GuideDialog(QDialog):
    """The user guide: contents and search on the left, the entry on the right."""

    def __init__(self, parent: QWidget | None = None, shortcuts: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("SLA Workbench — User guide")
        self.current = CONTENTS
        self.back_stack: list[str] = []
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search the guide…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._filter)
        self.search_box.returnPressed.connect(self._open_first_match)
        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.currentItemChanged.connect(self._picked)
        self.items: dict[str, QTreeWidgetItem] = {}
        sections: dict[str, QTreeWidgetItem] = {}
        for e in guide_entries():
            item = QTreeWidgetItem([e.title])
            item.setToolTip(0, e.title)
            item.setData(0, ANCHOR_ROLE, e.anchor)
            self.items[e.anchor] = item
            if not e.section:
                self.contents.addTopLevelItem(item)
            elif e.anchor in SECTION_INDEX.values():  # the section's own page: its heading
                self.contents.addTopLevelItem(item)
                sections[e.section] = item
            else:
                if e.section not in sections:  # a section without a page of its own
                    heading = QTreeWidgetItem([e.section])
                    heading.setData(0, ANCHOR_ROLE, CONTENTS)
                    self.contents.addTopLevelItem(heading)
                    sections[e.section] = heading
                sections[e.section].addChild(item)
        for item in sections.values():
            item.setExpanded(item.text(0) == VIEWS_SECTION)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # every link is an entry: opened here, never outside
        self.browser.anchorClicked.connect(self._link)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.contents, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([310, 640])
        self.back = QPushButton("Back")
        self.back.setEnabled(False)
        self.back.clicked.connect(self.go_back)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.back)
        self.shortcuts = QPushButton("Keyboard shortcuts (F1)")
        self.shortcuts.setVisible(shortcuts is not None)
        if shortcuts is not None:
            self.shortcuts.clicked.connect(shortcuts)
        row.addWidget(self.shortcuts)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        self.resize(960, 640)
        self.show_entry(CONTENTS, remember=False)

    def show_entry(self, anchor: str = CONTENTS, remember: bool = True) -> Entry:
        """Show the entry at ``anchor`` (an unknown anchor shows the contents)."""
        e = entry(anchor) or entry(CONTENTS)
        assert e is not None
        if remember and e.anchor != self.current:
            self.back_stack.append(self.current)
        self.current = e.anchor
        self.back.setEnabled(bool(self.back_stack))
        self.browser.setHtml(e.html)
        item = self.items.get(e.anchor)
        if item is not None and self.contents.currentItem() is not item:
            self.contents.blockSignals(True)
            self.contents.setCurrentItem(item)
            self.contents.blockSignals(False)
        words = self.search_box.text().split()
        if words:  # the first place the search's first word is in, selected
            self.browser.find(words[0])
        return e

    def go_back(self) -> None:
        if self.back_stack:
            self.show_entry(self.back_stack.pop(), remember=False)
            self.back.setEnabled(bool(self.back_stack))

    def _link(self, url: QUrl) -> None:
        self.show_entry(url.fragment() or url.toString().lstrip("#"))

    def _picked(self, item: QTreeWidgetItem | None, _previous: Any = None) -> None:
        if item is not None:
            self.show_entry(str(item.data(0, ANCHOR_ROLE)))

    def matches(self) -> list[str]:
        """The anchors the contents list shows (all, or the search's matches)."""
        return [a for a, item in self.items.items() if not item.isHidden()]

    def _filter(self, text: str) -> None:
        """Show only the entries holding every word of ``text`` (and their sections)."""
        found = {e.anchor for e in search(text)}
        for i in range(self.contents.topLevelItemCount()):
            top = self.contents.topLevelItem(i)
            if top is None:
                continue
            children = [c for c in (top.child(j) for j in range(top.childCount())) if c is not None]
            for child in children:
                child.setHidden(child.data(0, ANCHOR_ROLE) not in found)
            anchor = top.data(0, ANCHOR_ROLE)
            own = anchor in found and self.items.get(anchor) is top
            shown = own or any(not c.isHidden() for c in children)
            top.setHidden(not shown)
            if text.strip() and shown and children:
                top.setExpanded(True)

    def _open_first_match(self) -> None:
        found = search(self.search_box.text())
        if found:
            self.show_entry(found[0].anchor)


def open_guide(window: Any, anchor: str = CONTENTS) -> GuideDialog:
    """The window's guide (made once, kept), shown at ``anchor`` and raised."""
    dlg = getattr(window, "guide_dialog", None)
    if not isinstance(dlg, GuideDialog):
        shortcuts = getattr(window, "show_shortcuts", None)
        dlg = GuideDialog(window if isinstance(window, QWidget) else None, shortcuts=shortcuts)
        if window is not None:
            window.guide_dialog = dlg
    dlg.show_entry(anchor)
    dlg.show()
    dlg.raise_()
    dlg.activateWindow()
    return dlg


def add_help(widget: QWidget, anchor: str, window: Any) -> QToolButton:
    """A "?" at the top right of ``widget`` (a KPI card: beside its label) that opens the
    guide at ``anchor``; called again, it points the same button at the new anchor."""
    button = getattr(widget, "help_button", None)
    if not isinstance(button, QToolButton):
        button = QToolButton(widget)
        button.setText("?")
        button.setAutoRaise(True)
        button.clicked.connect(lambda: open_guide(window, getattr(widget, "help_anchor", CONTENTS)))
        layout = widget.layout()
        label = getattr(widget, "label", None)
        if isinstance(layout, QVBoxLayout) and isinstance(label, QWidget) and layout.indexOf(label) >= 0:
            index = layout.indexOf(label)
            layout.removeWidget(label)
            row = QHBoxLayout()
            row.addWidget(label, 1)
            row.addWidget(button)
            layout.insertLayout(index, row)
        elif layout is not None:
            layout.addWidget(button)
        button.show()  # at once: a child added to a shown widget would show a turn later
        widget.help_button = button  # type: ignore[attr-defined]
    widget.help_anchor = anchor  # type: ignore[attr-defined]
    button.setToolTip("What this figure is: open its entry in the user guide")
    return button
