"""The main window: workspace navigator, the views, menus, status bar, autosave."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSpinBox,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.history import History
from ui import heap
from ui.limit_prefs import apply_limits
from ui.state import AppState, Version
from ui.tasks import DbWorker, guard, run_in_background, run_with_progress, share_the_gil
from ui.widgets import EmptyState
from workbench.app.localtime import CONTRACT_ZONE, UTC_ZONE, format_instant, zone_choices
from workbench.app.workspace import discard_draft, save_draft, start_draft

if TYPE_CHECKING:
    from models.store import Workspace
    from ui.contract_files import ReviewDialog
    from ui.import_wizard import ImportWizard
    from workbench.app.contracts import Status

MAX_RECENT = 8
GROUPS = (("signed", "Signed"), ("draft", "Drafts"), ("proposal", "Proposals"))


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "SLA Workbench", "SLA Workbench")


def _create_workspace(path: Path) -> Workspace:
    """A new workspace at ``path``; the store (sqlalchemy, alembic, …) is imported on the
    database thread that calls this, not on the GUI thread."""
    from models.store import Workspace

    return Workspace.create(str(path))


def _as_list(value: object) -> list[str]:
    """QSettings returns a str for a one-item list, None for an empty one."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[attr-defined]


class Navigator(QTreeWidget):
    """Client -> contract versions (signed / drafts / proposals); data sources."""

    def __init__(self, state: AppState, window: MainWindow) -> None:
        super().__init__()
        self.app_state = state
        self.window_ = window
        self.setHeaderHidden(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.itemActivated.connect(self._activated)
        # one rebuild in the next event-loop turn however many of these fire together
        # (a load emits five of them in one turn)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.rebuild)
        self.rebuilds = 0  # rebuilds done (tests)
        for signal in (state.versions_changed, state.history_changed, state.records_changed,
                       state.baseline_changed, state.workspace_changed):
            signal.connect(self._later.start)
        self.rebuild()

    def pending(self) -> bool:
        """A rebuild is due in the next event-loop turn."""
        return self._later.isActive()

    def rebuild(self) -> None:
        self._later.stop()
        self.rebuilds += 1
        self.clear()
        st = self.app_state
        if not st.is_open:
            item = QTreeWidgetItem(["No workspace open"])
            item.setDisabled(True)
            self.addTopLevelItem(item)
            return
        clients = sorted({v.contract.client or v.contract.name for v in st.versions}) or ["(no contract yet)"]
        for client in clients:
            top = QTreeWidgetItem([client])
            self.addTopLevelItem(top)
            for status, title in GROUPS:
                versions = [
                    v
                    for v in st.versions
                    if v.status == status and (v.contract.client or v.contract.name) == client
                ]
                group = QTreeWidgetItem([f"{title} ({len(versions)})"])
                top.addChild(group)
                for v in versions:
                    text = v.label + ("  ◀ baseline" if v is st.baseline else "")
                    if v is st.draft:
                        text += "  ✎"
                    child = QTreeWidgetItem([text])
                    child.setData(0, Qt.ItemDataRole.UserRole, v)
                    child.setToolTip(0, f"{v.contract.name}\n{v.contract.version} ({v.status})")
                    group.addChild(child)
            top.setExpanded(True)
            for i in range(top.childCount()):
                group_item = top.child(i)
                if group_item is not None:
                    group_item.setExpanded(True)
        data = QTreeWidgetItem(["Data sources"])
        self.addTopLevelItem(data)
        h = st.history
        later = "reading…" if st.records_pending else None
        rows = [
            f"Tickets: {len(h.tickets):,}",
            f"Status changes: {len(h.status_log):,}",
            f"Backup jobs: {later or format(len(h.backups), ',')}",
            f"Restore tests: {later or format(len(h.restore_tests), ',')}",
            f"Outages: {later or format(len(h.outages), ',')}",
            f"KPI months: {later or format(len(h.kpis), ',')}",
        ]
        for r in rows:
            child = QTreeWidgetItem([r])
            child.setData(0, Qt.ItemDataRole.UserRole, "tickets" if r.startswith("Tickets") else None)
            data.addChild(child)
        data.setExpanded(True)

    def _activated(self, item: QTreeWidgetItem, _col: int) -> None:
        v = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(v, Version):
            if v.status == "signed":
                self.app_state.set_baseline(v)
                self.window_.show_view("whatif")
            else:
                self.app_state.set_draft(v, dirty=self.app_state.dirty_draft)
                self.window_.show_view("editor")
        elif v == "tickets":
            self.window_.show_view("tickets")

    def _open_editor(self, v: Version) -> None:
        self.app_state.set_draft(v, dirty=False)
        self.window_.show_view("editor")

    def _explore(self, v: Version) -> None:
        self.app_state.set_scenario(v.contract)
        self.window_.show_view("whatif")

    def _menu(self, pos: Any) -> None:
        item = self.itemAt(pos)
        v = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if not isinstance(v, Version):
            return
        self.context_menu(v).exec(self.viewport().mapToGlobal(pos))

    def context_menu(self, v: Version) -> QMenu:
        from ui import contract_files

        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        menu.addAction("Use as baseline", lambda: self.app_state.set_baseline(v))
        menu.addAction("Open in contract editor", lambda: self._open_editor(v))
        menu.addAction("Explore in what-if", lambda: self._explore(v))
        menu.addSeparator()
        menu.addAction("Export as YAML…", lambda: contract_files.export_version(self.window_, v))
        remove = menu.addAction("Remove…", lambda: contract_files.remove_from_workspace(self.window_, v))
        if v.status == "signed" and v.draft_key is None:
            remove.setText("Remove… (signed versions are immutable)")
            remove.setEnabled(False)
            remove.setToolTip("Signed versions are immutable: they cannot be removed")
        return menu


class LazyViews(Mapping[str, QWidget]):
    """The central views, each built the first time it is asked for (shown, or used by
    another view): the window appears without importing or laying out views it does not
    show yet.  ``key in views`` does not build; ``views[key]`` / ``views.get(key)`` do."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._keys = [key for key, _title in window.VIEWS]
        self._built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        view = self._built.get(key)
        if view is None:
            if key not in self._keys:
                raise KeyError(key)
            view = self._built[key] = self._window._build_view(key)
        return view

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def is_built(self, key: str) -> bool:
        return key in self._built

    def built(self) -> dict[str, QWidget]:
        return dict(self._built)


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        s = settings()
        # two tabs, so that the dialog fits a laptop's screen at 125% scaling: the everyday
        # choices, and the input limits (15 rows) apart
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs)
        general = QWidget()
        form = QFormLayout(general)
        self.tabs.addTab(general, "General")
        self.autosave = QSpinBox()
        self.autosave.setRange(5, 600)
        self.autosave.setSuffix(" s")
        self.autosave.setValue(int(str(s.value("autosave_seconds", 30))))
        form.addRow("Autosave drafts every", self.autosave)
        self.zone = QComboBox()
        self.zone.setEditable(False)
        for choice in zone_choices():
            label = {CONTRACT_ZONE: "The contract's time zone", UTC_ZONE: "UTC"}.get(choice, choice)
            self.zone.addItem(label, choice)
        current = self.zone.findData(str(s.value("display_zone", CONTRACT_ZONE)))
        self.zone.setCurrentIndex(max(current, 0))
        self.zone.setToolTip("Times of tickets, clocks and the as-of date are shown in this zone; "
                             "the contract's is the zone its business calendar runs in.")
        form.addRow("Show times in", self.zone)
        self.reopen = QCheckBox("Reopen the last workspace at start")
        self.reopen.setChecked(s.value("reopen_last", "true") in (True, "true"))
        form.addRow(self.reopen)
        from ui.cover_prefs import CoverPreferences

        self.cover = CoverPreferences(form, s, self)  # who prepares the documents
        from ui.limit_prefs import LimitPreferences

        self.limits = LimitPreferences(s, self)  # the input limits a user may raise
        self.tabs.addTab(self.limits, "Input limits")
        self.setMinimumWidth(560)  # room for the cover's hints
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def accept(self) -> None:
        if not self.limits.check():
            self.tabs.setCurrentWidget(self.limits)
            return  # a limit that is no value is said in the group; the dialog stays
        s = settings()
        self.limits.save(s)
        s.setValue("autosave_seconds", self.autosave.value())
        s.setValue("reopen_last", self.reopen.isChecked())
        s.setValue("display_zone", self.zone.currentData())
        self.cover.save(s)
        super().accept()


class MainWindow(QMainWindow):
    VIEWS = (
        ("overview", "Overview"),
        ("whatif", "What-if"),
        ("tickets", "Tickets"),
        ("editor", "Contract"),
        ("warnings", "Warnings"),
        ("compare", "Compare"),
        ("start", "Start"),
    )

    def __init__(self, db: DbWorker | None = None) -> None:
        super().__init__()
        share_the_gil()  # the GUI thread waits less for Python run on the pool and database threads
        self.setObjectName("MainWindow")
        self.setWindowTitle("SLA Workbench")
        self.resize(1400, 880)
        self.state = AppState(self)
        self.db = db or DbWorker(self)
        self.errors: list[str] = []  # last error messages (also shown to the user)
        self.quiet = False  # True: errors go to the status bar and ``errors`` only (tests, smoke start)
        self.loading = False
        self.contract_dialog: ReviewDialog | None = None  # the last Add contract version review page
        self.import_wizard: ImportWizard | None = None  # the last import wizard opened for a dropped file
        self.guide_dialog: Any = None  # Help ▸ User guide, made on first use
        self.setAcceptDrops(True)  # exports, contract files and documents (ui.contract_files)

        from ui.simulation import SimulationService

        self.simulation = SimulationService(self.state, parent=self)
        self.views = LazyViews(self)
        self._warm: Any = None  # the pool task importing the views' modules (warm_up)
        self._preloaded = False
        self._load_token = 0  # bumps with every open: late results of an older open are dropped
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._build_views()
        self._build_navigator()
        self._build_actions()
        self._build_status_bar()

        self.state.workspace_changed.connect(self._workspace_changed)
        self.state.history_changed.connect(self._update_status)
        self.state.zone_changed.connect(self._update_status)
        self.state.zone_preference = str(settings().value("display_zone", CONTRACT_ZONE))
        apply_limits(settings())  # the input limits raised in Preferences
        self.state.message.connect(self._show_message)
        self.state.draft_discarded.connect(self._discard_draft)
        self.state.undo_stack.cleanChanged.connect(self._update_title)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start(int(str(settings().value("autosave_seconds", 30))) * 1000)

        self._restore_layout()
        self._workspace_changed()

    # ------------------------------------------------------------------ building
    def _build_views(self) -> None:
        """The pages that need no view: welcome and loading.  Views come on demand
        (:class:`LazyViews`)."""
        self.welcome = EmptyState(
            "No workspace open",
            "A workspace holds one client's contract versions and ticket history. "
            "Open the demo to look around, open a workspace, or create a new one and import "
            "a ticket export.",
        )
        self.welcome.add_action("Open demo workspace", self.open_demo)
        self.welcome.add_action("Open workspace…", self.choose_workspace)
        self.welcome.add_action("New workspace…", self.new_workspace)
        self.stack.addWidget(self.welcome)
        self.loading_page = EmptyState("Opening the workspace…", "")
        self.stack.addWidget(self.loading_page)

    def _build_view(self, key: str) -> QWidget:
        from ui import exports
        from ui.views import build_view

        view = build_view(key, self.state, self)
        view.setObjectName(f"view_{key}")
        self.stack.addWidget(view)
        exports.install(view)  # every table and chart: copy, save as CSV/XLSX, PNG/SVG
        return view

    def _build_navigator(self) -> None:
        self.navigator = Navigator(self.state, self)
        self.navigator.setMinimumWidth(230)
        dock = QDockWidget("Workspace", self)
        dock.setObjectName("navigator_dock")
        dock.setWidget(self.navigator)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.navigator_dock = dock
        self.resizeDocks([dock], [260], Qt.Orientation.Horizontal)

    def _build_actions(self) -> None:
        mb = self.menuBar()
        file = mb.addMenu("&File")
        self.act_new = file.addAction("&New workspace…", self.new_workspace)
        self.act_new.setShortcut(QKeySequence.StandardKey.New)
        self.act_open = file.addAction("&Open workspace…", self.choose_workspace)
        self.act_open.setShortcut(QKeySequence.StandardKey.Open)
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addAction("Open &demo workspace", self.open_demo)
        file.addSeparator()
        self.act_add_contract = file.addAction("&Add contract version…", self.add_contract_version)
        self.act_add_contract.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.act_template = file.addAction("New contract from &template", self.new_contract_from_template)
        self.act_import = file.addAction("&Import tickets…", self.import_tickets)
        self.act_import.setShortcut(QKeySequence("Ctrl+I"))
        self.act_import_records = file.addAction("Import &backups, outages or KPIs…", self.import_records)
        self.act_export = file.addAction("&Export redline…", self.export_redline)
        self.act_export.setShortcut(QKeySequence("Ctrl+E"))
        self.act_export_qbr = file.addAction("Export &QBR report…", self.export_qbr)
        file.addSeparator()
        self.act_save = file.addAction("&Save draft now", self.autosave)
        self.act_save.setShortcut(QKeySequence.StandardKey.Save)
        self.act_save_as = file.addAction("Save workspace &as…", self.save_workspace_as)
        self.act_save_as.setShortcut(QKeySequence.StandardKey.SaveAs)
        self.act_close_ws = file.addAction("&Close workspace", self.close_workspace)
        self.act_close_ws.setShortcut(QKeySequence.StandardKey.Close)
        file.addSeparator()
        act_quit = file.addAction("&Quit", self.close)
        act_quit.setShortcut(QKeySequence.StandardKey.Quit)

        edit = mb.addMenu("&Edit")
        self.act_undo = self.state.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.state.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addAction(self.act_undo)
        edit.addAction(self.act_redo)
        edit.addSeparator()
        prefs = edit.addAction("&Preferences…", self.preferences)
        prefs.setShortcut(QKeySequence.StandardKey.Preferences)

        view_menu = mb.addMenu("&View")
        self.view_bar = QToolBar("Views")
        self.view_bar.setObjectName("views_toolbar")
        self.view_bar.setMovable(False)
        self.view_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.view_bar)
        self.view_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        for n, (key, title) in enumerate(self.VIEWS, start=1):
            act = QAction(title, self)
            act.setCheckable(True)
            act.setShortcut(QKeySequence(f"Ctrl+{n}"))
            act.triggered.connect(lambda _checked=False, k=key: self.show_view(k))
            group.addAction(act)
            self.view_bar.addAction(act)
            view_menu.addAction(act)
            self.view_actions[key] = act
        view_menu.addSeparator()
        view_menu.addAction(self.navigator_dock.toggleViewAction())
        view_menu.addSeparator()
        self.act_present = view_menu.addAction("&Present the quarter…", self.present)
        self.act_present.setShortcut(QKeySequence("F5"))

        help_menu = mb.addMenu("&Help")
        self.act_guide = help_menu.addAction("&User guide", self.open_guide)
        self.act_guide.setShortcut(QKeySequence("Shift+F1"))
        self.act_shortcuts = help_menu.addAction("&Keyboard shortcuts", self.show_shortcuts)
        self.act_shortcuts.setShortcut(QKeySequence("F1"))
        help_menu.addAction("&About SLA Workbench", self._about)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.sb_workspace = QLabel()
        self.sb_tickets = QLabel()
        self.sb_asof = QLabel()
        for w in (self.sb_workspace, self.sb_tickets, self.sb_asof):
            w.setContentsMargins(8, 0, 8, 0)
            sb.addPermanentWidget(w)
        self._update_status()

    # ------------------------------------------------------------------ views
    def show_view(self, key: str) -> None:
        if key not in self.views:
            return
        self.current_view = key
        self.view_actions[key].setChecked(True)
        title = dict(self.VIEWS)[key]
        warming = self._warm is not None and not self._preloaded
        if self.state.is_open and not self.views.is_built(key) and warming and key != "start":
            # its modules are still being imported on a pool thread: shown when they are in
            # (the start page imports nothing heavy: it never waits)
            self.loading_page.set_text(f"Preparing {title}…", "Loading charts and the simulation engine.")
            self.stack.setCurrentWidget(self.loading_page)
            return
        if not self.state.is_open:
            if self.loading:
                self.loading_page.set_text(
                    "Opening the workspace…",
                    f"Reading the contract versions and the ticket history. {title} shows as soon as "
                    "they are in; backups, outages and KPIs follow.",
                )
                self.stack.setCurrentWidget(self.loading_page)
            else:
                self.stack.setCurrentWidget(self.welcome)
        else:
            self.stack.setCurrentWidget(self.views[key])

    def _workspace_changed(self) -> None:
        self.show_view(getattr(self, "current_view", "overview"))
        self._update_status()
        self._update_title()

    def _show_message(self, message: str) -> None:
        self.statusBar().showMessage(message, 5000)

    def _update_title(self, *_: Any) -> None:
        name = self.state.path.name if self.state.path else "no workspace"
        dirty = "*" if self.state.dirty_draft else ""
        self.setWindowTitle(f"SLA Workbench — {name}{dirty}")

    def _update_status(self) -> None:
        st = self.state
        self.sb_workspace.setText(f"Workspace: {st.path.name}" if st.path else "No workspace")
        self.sb_tickets.setText(f"{st.ticket_count:,} tickets")
        as_of = st.as_of()
        if as_of is None:
            self.sb_asof.setText("As of: —")
        else:

            self.sb_asof.setText(f"As of: {format_instant(as_of, st.display_zone(), with_zone=True)}")

    # ------------------------------------------------------------------ workspaces
    def open_demo(self, path: str | None = None) -> None:
        """Open the demo workspace (``path``, default: the user data folder), building it
        first when it is not there.  ``workbench.demo.generator`` is imported on the database
        thread (it pulls in the store): the GUI thread does not wait for it."""
        self.statusBar().showMessage("Preparing the demo workspace…")
        self.loading = True
        self._workspace_changed()

        def locate(_ws: Any) -> tuple[Path, bool, str]:
            from workbench.demo import generator as demo

            target = Path(path) if path is not None else demo.default_demo_workspace_path()
            return target, target.exists(), demo.DEMO_MARKER

        def located(found: tuple[Path, bool, str]) -> None:
            target, built, marker = found
            if built:
                # open it once, its demo marker checked in that open (ensure_demo_workspace
                # would open it a second time just to check)
                self.open_workspace(str(target), demo_marker=marker)
                return
            from workbench.demo import generator as demo

            run_with_progress(
                self,
                "Preparing the demo workspace",
                demo.ensure_demo_workspace,
                path,
                on_done=lambda built_path: self.open_workspace(str(built_path)),
                on_error=self._failed("Could not prepare the demo workspace"),
                on_cancel=self._load_cancelled,
            )

        self.db.call(locate, on_done=located, on_error=self._failed("The demo workspace is not available"))

    def _load_cancelled(self) -> None:
        self.loading = False
        self.statusBar().showMessage("Cancelled", 5000)
        self._workspace_changed()

    def open_workspace(self, path: str, demo_marker: str | None = None) -> None:
        """Open ``path`` in two steps on the database thread: the contract versions and
        the tickets first (the views show them), then the backups, restore tests,
        outages and KPIs (:meth:`AppState.set_records`).  Returns at once.
        ``demo_marker``: the workspace must be the demo (its ``demo`` meta entry)."""
        self.loading = True
        self._load_token += 1
        token = self._load_token
        if self.state.is_open:
            heap.release()  # the workspace open now is replaced: its objects may go
        heap.hold()  # no full collection while it is read (settled once its records are in)
        self.statusBar().showMessage(f"Opening {path}…")
        p = Path(path)
        self._workspace_changed()

        def load_first(ws: Any) -> tuple[list[Version], History]:
            from workbench.app.workspace import open_contents

            contents = open_contents(ws, demo_marker)
            return list(contents.versions), contents.history

        def load_records(ws: Any) -> Any:
            from workbench.app.workspace import load_records as records

            return records(ws)

        def opened(_ws: Any) -> None:
            self.db.call(
                load_first,
                on_done=lambda r: self._loaded(token, p, r),
                on_error=self._failed(f"Could not read {p}"),
            )
            self.db.call(
                load_records,
                on_done=lambda h: self._records_loaded(token, h),
                on_error=self._failed(f"Could not read the backups, outages and KPIs of {p}"),
            )

        def open_it() -> Any:  # the store (sqlalchemy, alembic, …) is imported on the database thread
            from models.store import Workspace

            return Workspace.open(str(p))

        self.autosave()
        self.db.open(open_it, on_done=opened, on_error=self._failed(f"Could not open {p}"))

    def _loaded(self, token: int, path: Path, result: tuple[list[Version], History]) -> None:
        if token != self._load_token:
            return
        versions, history = result
        self.loading = False
        self.state.load(path, versions, history, records_pending=True)
        self._open_on_start_if_empty()
        self._add_recent(str(path))
        self.statusBar().showMessage(f"Opened {path}; reading backups, outages and KPIs…", 5000)

    def _records_loaded(self, token: int, records: Any) -> None:
        st = self.state
        if token != self._load_token or not st.records_pending:
            return
        st.take_records(records)
        heap.settle()  # the workspace is in: its history lives until it is closed
        self.statusBar().showMessage(f"Opened {st.path}", 5000)

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New workspace", "", "SLA Workbench workspace (*.slawb)")
        if not path:
            return
        if not path.endswith(".slawb"):
            path += ".slawb"
        p = Path(path)
        self.autosave()
        self.db.open(
            lambda: _create_workspace(p),
            on_done=lambda _ws: self._created(p),
            on_error=self._failed(f"Could not create {p}"),
        )

    def warm_up(self) -> None:
        """Once, when the window first shows: import what the views need (matplotlib, the
        engines, the view modules) on a pool thread.  Until that is done a view not built
        yet waits on the loading page instead of importing on the GUI thread."""
        if self._warm is not None:
            return
        from ui.views import preload

        heap.settle()  # what the window is made of (Qt, the store, its own modules): long-lived
        heap.hold()  # no full collection while the modules come in (settled when they are)

        self._warm = run_in_background(
            preload, on_done=guard(self, self._warmed_up), on_error=guard(self, self._warmed_up)
        )

    def _warmed_up(self, *_: Any) -> None:
        self._preloaded = True
        heap.settle()  # the modules the views need are in: long-lived from here on
        self.show_view(getattr(self, "current_view", "overview"))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.warm_up)

    def _created(self, path: Path) -> None:
        self._load_token += 1
        self.loading = False
        self.state.load(path, [], History())
        self._open_on_start_if_empty()
        self._add_recent(str(path))
        self.statusBar().showMessage(f"Opened {path}", 5000)

    def _open_on_start_if_empty(self) -> None:
        """A new or empty workspace (no signed contract or no tickets yet) opens on the start page."""
        from workbench.app.engagement import engagement_steps, needs_start

        st = self.state
        if needs_start(engagement_steps(st.versions, st.history, records_pending=st.records_pending)):
            self.show_view("start")

    def choose_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", "", "SLA Workbench workspace (*.slawb);;All files (*)"
        )
        if path:
            self.open_workspace(path)

    def _add_recent(self, path: str) -> None:
        s = settings()
        recent = [p for p in _as_list(s.value("recent", [])) if p != path]
        s.setValue("recent", [path, *recent][:MAX_RECENT])
        s.setValue("last_workspace", path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = _as_list(settings().value("recent", []))
        for p in recent:
            self.recent_menu.addAction(p, lambda p=p: self.open_workspace(p))  # type: ignore[misc]
        if not recent:
            a = self.recent_menu.addAction("(none yet)")
            a.setEnabled(False)

    # ------------------------------------------------------------------ commands
    def add_contract_version(self, path: str | None = None, status: Status | None = None) -> Any:
        """File ▸ Add contract version…; ``status`` is the one the review page proposes."""
        from ui.contract_files import add_contract_version

        return add_contract_version(self, path, status=status)

    def new_contract_from_template(self) -> Any:
        from ui.contract_files import new_contract_from_template

        return new_contract_from_template(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from ui.contract_files import can_take

        if can_take(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        from ui.contract_files import dropped_paths, open_dropped

        paths = dropped_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        open_dropped(self, paths)

    def import_tickets(self) -> None:
        self._import(records=False)

    def import_records(self) -> None:
        """Backups, restore tests, outages or KPI snapshots (the wizard tells them from the header)."""
        self._import(records=True)

    def _import(self, records: bool) -> None:
        from ui.import_wizard import ImportWizard  # on first use: not needed to open the window

        if not self.state.is_open:
            self._error("Open or create a workspace first: imported files go into a workspace.")
            return
        ImportWizard(self, records=records).exec()

    def export_redline(self) -> None:
        from ui.export_dialog import ExportDialog  # on first use: not needed to open the window

        if len(self.state.versions) < 1:
            self._error("There is no contract version to export yet.")
            return
        ExportDialog(self).exec()

    def export_qbr(self) -> None:
        """File ▸ Export QBR report…: the quarter's review as a PDF or a slide deck."""
        from ui.qbr_export_dialog import QbrExportDialog  # on first use: not needed to open the window

        st = self.state
        if not st.versions or not len(st.history.tickets):
            self._error("The quarter's review needs a contract version and a ticket history.")
            return
        QbrExportDialog(self).exec()

    def preferences(self) -> None:
        dlg = PreferencesDialog(self)
        if dlg.exec():
            self.autosave_timer.start(dlg.autosave.value() * 1000)
            self.state.set_zone_preference(str(dlg.zone.currentData()))
            apply_limits(settings())

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(menu, command, keys) of every menu command with a shortcut, read from the menus
        themselves so the list never falls behind them."""
        rows: list[tuple[str, str, str]] = []

        def walk(menu: QMenu, path: str) -> None:
            for action in menu.actions():
                sub = action.menu()
                if isinstance(sub, QMenu):
                    walk(sub, f"{path} ▸ {action.text().replace('&', '')}")
                    continue
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys:
                    rows.append((path, action.text().replace("&", "").rstrip("…"), keys))

        for top in self.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                walk(menu, top.text().replace("&", ""))
        return rows

    def show_shortcuts(self) -> QDialog:
        from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QVBoxLayout

        dlg = QDialog(self)
        dlg.setWindowTitle("Keyboard shortcuts")
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rows = self.shortcut_rows()
        table = QTableWidget(len(rows), 3, dlg)
        table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dlg.close)
        layout = QVBoxLayout(dlg)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dlg.resize(520, 420)
        dlg.table = table  # type: ignore[attr-defined]
        dlg.show()
        return dlg

    def open_guide(self, anchor: str = "contents") -> Any:
        """Help ▸ User guide, at ``anchor`` (a view's page, a KPI, a warning code; see
        workbench.app.guide); the dialog is kept and raised when open."""
        from ui.guide import open_guide

        return open_guide(self, anchor)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "SLA Workbench",
            "Review and negotiate MSP service level agreements against the client's own ticket history.",
        )

    # ------------------------------------------------------------------ autosave
    def autosave(self) -> Any:
        """Save every working draft with unsaved edits to the workspace (the store's save_draft)."""
        st = self.state
        if not st.dirty_draft or st.draft is None:
            return None
        version = st.draft
        if version.draft_key is None:
            # the first edit of a stored version: it becomes a working draft of its own
            keyed = start_draft(version)
            st.replace_version(version, keyed)
            version = keyed

        def save(ws: Any) -> bool:
            if ws is None:
                return False
            save_draft(ws, version)
            return True

        def saved(ok: bool) -> None:
            if ok and st.draft is version:
                st.dirty_draft = False
                self.statusBar().showMessage("Draft saved", 3000)
            self._update_title()

        return self.db.call(save, on_done=saved, on_error=self._failed("Could not save the draft"))

    def present(self, quarter: Any = None, proposal: Any = None) -> Any:
        """QBR mode: the quarter's review full screen, one message at a time (Esc ends)."""
        from ui.present import PresentSetup, PresentWindow, quarters_of
        from workbench.analytics.kpis import report_zone

        st = self.state
        if st.baseline is None or not len(st.history.tickets):
            self.statusBar().showMessage("Present needs a contract version and a ticket history.", 5000)
            return None
        contract = st.baseline.contract
        if quarter is None:
            quarters = quarters_of(st.history, st.as_of(), report_zone(contract))
            proposals = [v for v in st.versions if v.status == "proposal"]
            dlg = PresentSetup(quarters, proposals, self)
            if not dlg.exec():
                return None
            quarter, proposal = dlg.quarter.currentData(), dlg.proposal.currentData()
        from workbench.reports.qbr import build_qbr

        def shown(report: Any) -> None:
            self.presenting = PresentWindow(report, self)
            if self.quiet:
                self.presenting.show()
            else:
                self.presenting.showFullScreen()

        return run_with_progress(
            self, "Preparing the quarter's review", build_qbr, st.history, contract, quarter,
            proposal=proposal.contract if proposal is not None else None,
            proposal_label=proposal.label if proposal is not None else "",
            on_done=shown, on_error=self._failed("Could not prepare the review"),
        )

    def save_workspace_as(self, path: str | None = None) -> Any:
        """Copy the open workspace (drafts saved first) to a new file and go on in the copy."""
        if not self.state.is_open or self.state.path is None:
            self.statusBar().showMessage("Open a workspace first.", 5000)
            return None
        if path is None:
            suggested = str(self.state.path.with_name(self.state.path.stem + " copy.slawb"))
            path, _ = QFileDialog.getSaveFileName(
                self, "Save workspace as", suggested, "SLA Workbench workspace (*.slawb)"
            )
            if not path:
                return None
        target = path if path.lower().endswith(".slawb") else path + ".slawb"
        self.autosave()

        def copy(ws: Any) -> Any:
            from workbench.app.workspace import save_workspace_as

            return save_workspace_as(ws, target)

        def copied(dest: Any) -> None:
            self.statusBar().showMessage(f"Saved a copy as {dest}; it is open now", 5000)
            self.open_workspace(str(dest))

        return self.db.call(copy, on_done=copied, on_error=self._failed("Could not save the workspace"))

    def close_workspace(self) -> Any:
        """Save the drafts, close the workspace and show the welcome page."""
        if not self.state.is_open:
            return None
        self.autosave()

        def closed(_: Any) -> None:
            self._load_token += 1  # a load still in flight no longer applies
            self.state.load(None, [], History())
            heap.release()  # the closed workspace's objects may be collected
            self.show_view("overview")
            self.statusBar().showMessage("Workspace closed", 5000)

        return self.db.close_workspace(on_done=closed)

    def _discard_draft(self, key: str) -> Any:
        """A working draft was undone: remove its autosaved copy from the workspace."""

        def delete(ws: Any) -> None:
            if ws is not None:
                discard_draft(ws, key)

        return self.db.call(delete, on_error=self._failed("Could not remove the undone draft"))

    def closeEvent(self, event: QCloseEvent) -> None:
        heap.release()  # the window's objects may be collected once it is gone
        if not self.db.running():
            # closed before (the database worker is stopped and the drafts were saved then):
            # nothing can be saved now, and waiting for a stopped worker would hang
            super().closeEvent(event)
            return
        job = self.autosave()
        if job is not None:
            try:
                self.db.wait(job, timeout=15)
            except Exception as exc:  # never lose a draft silently
                answer = QMessageBox.question(
                    self, "Draft not saved", f"The draft could not be saved: {exc}\nQuit anyway?"
                )
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
        s = settings()
        s.setValue("geometry", self.saveGeometry())
        s.setValue("window_state", self.saveState())
        s.setValue("view", getattr(self, "current_view", "overview"))
        self.db.shutdown()
        super().closeEvent(event)

    def fits_screen(self) -> bool:
        """Size the window to its screen when it is larger than the screen's free area (the
        first start on a 1366x768 laptop: the default 1400x880 ran off the screen's right
        and bottom edges, status bar and all; or a size saved on a larger monitor).  Returns
        whether it already fitted; when not, the caller shows it maximised."""
        screen = self.screen()
        if screen is None:
            return True
        free = screen.availableGeometry()
        if self.width() <= free.width() and self.height() <= free.height():
            return True
        self.resize(min(self.width(), free.width()), min(self.height(), free.height()))
        self.move(free.topLeft())
        return False

    def _restore_layout(self) -> None:
        s = settings()
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)
        state = s.value("window_state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(state)
        view = s.value("view")
        if isinstance(view, str) and view in self.views:
            self.current_view = view

    # ------------------------------------------------------------------ errors
    def _failed(self, what: str) -> Any:
        def handler(exc: BaseException) -> None:
            heap.resume()  # a load that failed holds no collection back
            self.loading = False
            self.state.records_pending = False
            self._workspace_changed()
            self._error(f"{what}: {exc}")

        return handler

    def _error(self, message: str) -> None:
        self.errors.append(message)
        self.statusBar().showMessage(message, 10000)
        if not self.quiet:
            box = QMessageBox(QMessageBox.Icon.Warning, "SLA Workbench", message, parent=self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # window-modal but not blocking: work on other threads goes on
