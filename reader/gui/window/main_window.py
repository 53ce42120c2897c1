"""The main window: search bar, article list and reading pane over one corpus folder.

The window only composes: each part is built by one ``_init_*`` step, and the behaviour lives
in controllers that get the widgets they work on (never the window): ``SearchController`` (the
search bar and the list), ``SyncStatus`` (the status bar), ``OpenFiles`` (files opened with the
app) and the feature controllers of ``reader/gui/views/``. What is left here is the reading pane's
article: which one is open, and reloading it when the index changes it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.gui.operations import export as export_ops
from reader.gui.tasks.library import Library
from reader.gui.views.annotation_controller import AnnotationController
from reader.gui.views.article_list import ArticleDelegate, ArticleListModel, PathRole, make_article_view
from reader.gui.views.concordance_view import ConcordanceController
from reader.gui.views.elided_label import ElidedLabel
from reader.gui.views.facet_view import FacetController
from reader.gui.views.insights_view import InsightsController
from reader.gui.views.label_manager import LabelManager
from reader.gui.views.reading_pane import ReadingPane
from reader.gui.views.saved_searches_view import SavedSearchController
from reader.gui.views.search_completer import SearchCompleter
from reader.gui.views.theme import ThemeController
from reader.gui.views.timeline_view import TimelineController
from reader.gui.views.triage_controller import TriageController
from reader.gui.views.versions_view import VersionsController
from reader.gui.window.article_controller import ArticleController
from reader.gui.window.help import show_about, show_query_help
from reader.gui.window.open_files import OpenFiles
from reader.gui.window.search_controller import SearchController
from reader.gui.window.sync_status import SyncStatus
from reader.resources import corpus_title

if TYPE_CHECKING:
    from reader.core.index import SyncReport
    from reader.core.similar import SimilarResult
    from reader.gui.operations.articles import LoadedArticle


def ask_export_target(parent: QWidget, title: str, name: str) -> tuple[Path, str] | None:
    """Ask where to export and as what: ``(file, "csv" or "json")``, or None (tests replace this)."""
    start = str(Path.home() / f"{name}.csv")
    chosen, selected = QFileDialog.getSaveFileName(parent, title, start, "CSV (*.csv);;JSON (*.json)")
    if not chosen:
        return None
    path = Path(chosen)
    fmt = (
        "json"
        if path.suffix.lower() == ".json" or (not path.suffix and "json" in selected.lower())
        else "csv"
    )
    if not path.suffix:
        path = path.with_suffix(f".{fmt}")
    return path, fmt


#: Below this width (px) the window keeps the search box usable by showing fewer buttons.
NARROW_WIDTH = 1100


class MainWindow(QMainWindow):
    """The app's one window.

    Signals:
        corpus_change_requested(Path folder): the user chose another corpus folder.
        first_painted(): the window painted itself for the first time (its frame shows; the
            session starts the corpus's background work then, see ``Session``).
    """

    corpus_change_requested = Signal(Path)
    first_painted = Signal()

    def __init__(self, settings: QSettings, icon: QIcon | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.library: Library | None = None
        #: Whether the window has painted itself yet (``first_painted``).
        self.painted = False
        self.setWindowTitle("Corpus Reader")
        self.setObjectName("CorpusReaderMainWindow")
        if icon is not None:
            self.setWindowIcon(icon)
        self._init_search_bar()
        self._init_list_side()
        self._init_reading_side()
        self._init_tabs()
        self._init_toolbar_buttons()
        self._init_layout()
        self._init_status_bar()
        self._init_open_files()
        self._init_connections()
        self.theme = ThemeController(settings, self)
        self._init_menus()
        self._restore_state()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # the mouse's back / forward buttons (eventFilter)

    # --- setup -------------------------------------------------------------------------

    def _init_search_bar(self) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(
            'Search articles   (e.g. Minsk group, "exact phrase", title:fire)'
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        self.search_edit.setAccessibleName("Search")
        self.completions = SearchCompleter(self.search_edit, self.settings)
        self.sort_combo = QComboBox(self)
        self.sort_combo.setAccessibleName("Sort")
        self.top = QWidget(self)
        # Not the sum of every button: in a narrow window some give way (resizeEvent).
        self.top.setMinimumWidth(400)
        self.top_layout = QHBoxLayout(self.top)
        self.top_layout.setContentsMargins(8, 8, 8, 4)
        self.top_layout.addWidget(self.search_edit, 1)
        self.top_layout.addWidget(self.sort_combo)
        self.collapse_box = QCheckBox("One row per story", self)
        self.collapse_box.setToolTip(
            "Show copies and versions of an article as one row (click “▸ N versions” to see them)"
        )
        self.collapse_box.setChecked(bool(self.settings.value("search/collapse_versions", True, type=bool)))
        self.top_layout.addWidget(self.collapse_box)

    def _init_list_side(self) -> None:
        self.header_label = ElidedLabel("Opening…", self)
        self.header_label.setObjectName("listHeader")
        self.note_label = QLabel("", self)
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.RichText)
        self.note_label.setOpenExternalLinks(False)
        self.note_label.hide()
        self.model = ArticleListModel(self)
        self.delegate = ArticleDelegate(self)
        self.list_view = make_article_view(self.model, self.delegate, self)
        self.search_controller = SearchController(
            self.search_edit,
            self.sort_combo,
            self.collapse_box,
            self.list_view,
            self.model,
            self.delegate,
            self.header_label,
            self.note_label,
        )
        self.list_side = QWidget(self)
        left_layout = QVBoxLayout(self.list_side)
        left_layout.setContentsMargins(8, 0, 0, 0)
        left_layout.setSpacing(4)
        self.facets = FacetController(self)
        # Ignored: a long header beside the facet menus must not widen the list side.
        self.header_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header_row = QHBoxLayout()
        header_row.setContentsMargins(0, 0, 0, 0)
        header_row.addWidget(self.header_label, 1)
        header_row.addWidget(self.facets.widget)
        self._header_row = header_row
        left_layout.addLayout(header_row)
        left_layout.addWidget(self.note_label)
        self.timeline = TimelineController(self)
        left_layout.addWidget(self.timeline.widget)
        left_layout.addWidget(self.list_view, 1)

    def _init_reading_side(self) -> None:
        self.pane = ReadingPane(self)
        self.pane.hit_label.setParent(self)
        self.articles = ArticleController(self.pane, self.search_controller, self)
        self.pane.original_requested.connect(self.articles.open_original)

    def _init_tabs(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        # Every tab stays reachable in a narrow window: names shorten, no scroll arrows.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.tabBar().setExpanding(False)
        self.tabs.addTab(self.list_side, "Articles")
        self.annotations = AnnotationController(self, self.pane, self.tabs)
        self.triage = TriageController(
            self, self.list_view, self.model, self.pane, self.settings, self.annotations.push_undo
        )
        self._header_row.insertWidget(1, self.triage.unread_label)
        self.labels = LabelManager(self, self.annotations.push_undo, self.annotations.undo_action)
        self.triage.attach_orphans(self.annotations.orphans)
        self.saved = SavedSearchController(self, self.tabs, self.annotations.bookmarks)
        self.concordance = ConcordanceController(self)
        self.versions = VersionsController(self.tabs, self)
        self.insights = InsightsController(self.tabs, self)

    def _init_toolbar_buttons(self) -> None:
        self.bookmark_button = QToolButton(self)
        self.bookmark_button.setDefaultAction(self.annotations.bookmark_action)
        self.top_layout.addWidget(self.bookmark_button)
        self.more_like_action = QAction("More &Like This", self)
        self.more_like_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.more_like_action.setToolTip("List the articles most like the open one (Ctrl+Shift+L)")
        self.more_like_action.setEnabled(False)
        self.more_like_action.triggered.connect(self.show_more_like)
        self.more_like_button = QToolButton(self)
        self.more_like_button.setDefaultAction(self.more_like_action)
        self.top_layout.addWidget(self.more_like_button)
        self.save_search_button = QToolButton(self)
        self.save_search_button.setDefaultAction(self.saved.save_action)
        self.top_layout.addWidget(self.save_search_button)
        self.concordance_button = QToolButton(self)
        self.concordance_button.setDefaultAction(self.concordance.toggle_action)
        self.top_layout.addWidget(self.concordance_button)

    def _init_layout(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.top)
        # The concordance is wide by nature: a panel across the window, under list and article.
        self.vsplitter = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplitter.addWidget(self.splitter)
        self.vsplitter.addWidget(self.concordance.panel)
        self.vsplitter.setStretchFactor(0, 3)
        self.vsplitter.setStretchFactor(1, 2)
        self.vsplitter.setChildrenCollapsible(False)
        central_layout.addWidget(self.vsplitter, 1)
        self.setCentralWidget(central)

    def _init_status_bar(self) -> None:
        """Sync progress and the skipped files (SyncStatus), the hit counter."""
        self.sync_status = SyncStatus(self, self.statusBar(), self.header_label)
        self.sync_status.add_to(self.statusBar(), self.pane.hit_label)
        self.progress_bar = self.sync_status.progress_bar
        self.problems_button = self.sync_status.problems_button

    def _init_open_files(self) -> None:
        self.open_files = OpenFiles(
            self, self.list_view, self.model, self.statusBar(), self.articles.load_file
        )
        self.open_files.corpus_title = self._corpus_title

    def _init_connections(self) -> None:
        search = self.search_controller
        search.query_run.connect(self._on_search_query_run)
        search.scope_requested.connect(self.annotations.show_highlights)
        search.submitted.connect(self.completions.record)
        self.articles.loaded.connect(self._on_articles_loaded)
        self.articles.message.connect(self.statusBar().showMessage)
        search.user_searched.connect(self._on_search_user_searched)
        search.similar_shown.connect(self._on_search_similar_shown)
        self.pane.article_cleared.connect(self._on_pane_article_cleared)
        search.listed.connect(lambda _rows: self.triage.listed("", None))
        search.searched.connect(lambda result: self.triage.listed(result.query, result.unread))
        self.triage.counts_changed.connect(self._update_title)
        self.triage.message.connect(self.statusBar().showMessage)
        self.labels.message.connect(self.statusBar().showMessage)
        self.facets.manage_labels_requested.connect(self.labels.show_dialog)
        self.facets.label_menu_requested.connect(
            lambda name, pos: self.labels.menu_for(name, self).popup(pos)
        )
        for edited in (
            self.completions.completion_chosen,
            self.facets.query_edited,
            self.timeline.query_edited,
        ):
            edited.connect(self.search)
        self.saved.search_requested.connect(self.search)
        self.saved.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.annotations.message.connect(self.statusBar().showMessage)
        self.annotations.open_requested.connect(self.open_article)
        self.concordance.open_requested.connect(self.open_article)
        self.versions.open_requested.connect(self.open_article)
        self.insights.search_requested.connect(self.search)
        self.collapse_box.toggled.connect(lambda on: self.settings.setValue("search/collapse_versions", on))
        for keys, expanded in (("Right", True), ("Left", False)):
            shortcut = QShortcut(QKeySequence(keys), self.list_view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(
                lambda expanded=expanded: self.search_controller.expand_current(expanded)
            )
        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.list_view.activated.connect(lambda _index: self.pane.view.setFocus())
        self.pane.zoom_changed.connect(lambda steps: self.settings.setValue("reader/zoom", steps))

    def _init_menus(self) -> None:
        def action(
            menu_name: str,
            text: str,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
            slot: Callable[[], object],
        ) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            menus[menu_name].addAction(act)
            return act

        bar = self.menuBar()
        menus = {name: bar.addMenu(name) for name in ("&File", "&View", "&Annotations", "&Go", "&Help")}
        self.annotations.build_menu(menus["&Annotations"])
        action("&File", "&Open Folder…", QKeySequence.StandardKey.Open, self.choose_corpus)
        action("&File", "&Re-scan Folder", "F5", self.sync_status.rescan)
        self.open_original_action = action(
            "&File", "Open the &Original File", "Ctrl+Shift+O", self.articles.open_original
        )
        menus["&File"].addSeparator()
        action("&File", "&Export Results…", None, self.export_results)
        action("&File", "Export &Concordance…", None, self.export_concordance)
        menus["&File"].addSeparator()
        action("&File", "&Quit", QKeySequence.StandardKey.Quit, self.close)
        action("&View", "Zoom &In", QKeySequence.StandardKey.ZoomIn, self.pane.zoom_in)
        self.addAction(self._shortcut("Ctrl+=", self.pane.zoom_in))
        action("&View", "Zoom &Out", QKeySequence.StandardKey.ZoomOut, self.pane.zoom_out)
        action("&View", "&Actual Size", "Ctrl+0", self.pane.zoom_reset)
        menus["&View"].addSeparator()
        self.theme.build_menu(menus["&View"])
        menus["&View"].addSeparator()
        action("&View", "&Find in Article…", QKeySequence.StandardKey.Find, self.pane.open_find)
        self.back_action = action("&Go", "&Back", "Alt+Left", self.articles.back)
        self.forward_action = action("&Go", "&Forward", "Alt+Right", self.articles.forward)
        menus["&Go"].addSeparator()
        action("&Go", "&Search", "Ctrl+L", self.focus_search)
        action("&Go", "&Next Hit", "F3", self.pane.next_hit)
        action("&Go", "&Previous Hit", "Shift+F3", self.pane.previous_hit)
        action("&Go", "&Clear Search", None, self.clear_search)
        menus["&Go"].addAction(self.saved.save_action)
        menus["&Go"].addAction(self.more_like_action)
        self.triage.build_menu(menus["&Go"])
        self.manage_labels_action = action("&Go", "&Manage Labels…", None, self.labels.show_dialog)
        menus["&View"].addSeparator()
        menus["&View"].addAction(self.concordance.toggle_action)
        action(
            "&Help", "&Search Syntax", QKeySequence.StandardKey.HelpContents, lambda: show_query_help(self)
        )
        action("&Help", "&About Corpus Reader", None, lambda: show_about(self))
        self.addAction(self._shortcut("Esc", self._on_escape))

    def _shortcut(self, keys: str, slot: Callable[[], None]) -> QAction:
        act = QAction(self)
        act.setShortcut(QKeySequence(keys))
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        return act

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([620, 660])  # room for all the tabs' names with their counts
        vsplitter = self.settings.value("window/vsplitter")
        if isinstance(vsplitter, QByteArray) and not vsplitter.isEmpty():
            self.vsplitter.restoreState(vsplitter)
        else:
            self.vsplitter.setSizes([500, 300])
        self.concordance.panel.setVisible(self.concordance.shown)
        stored = self.settings.value("reader/zoom", 0)
        try:
            zoom = int(stored) if isinstance(stored, (int, str)) else 0
        except ValueError:
            zoom = 0
        self.pane.apply_zoom(zoom)
        self.theme.restore()

    # --- corpus ------------------------------------------------------------------------

    def set_library(self, library: Library) -> None:
        """Show the corpus behind ``library`` (the window does not own it)."""
        self.library = library
        library.index_opened.connect(self._on_library_index_opened)
        library.batch_committed.connect(self.search_controller.refresh)
        library.sync_finished.connect(self._on_library_sync_finished)
        self.sync_status.set_library(library)
        self.search_controller.set_library(library)
        self.annotations.set_library(library)
        self.concordance.set_library(library)
        self.versions.set_lane(library.analysis)
        self.insights.set_lane(library.analysis)
        self.saved.set_library(library)
        self.completions.set_library(library)
        self.facets.set_library(library)
        self.timeline.set_library(library)
        self.triage.set_library(library)
        self.labels.set_triage(library.triage)
        self.open_files.set_corpus(library.corpus)
        self.open_files.outside = False
        self._update_title()
        self.articles.set_library(library)
        self.more_like_action.setEnabled(False)

    def _corpus_title(self) -> str:
        """The corpus and how many of the listed articles are unread."""
        name = corpus_title(self.library.corpus) if self.library is not None else "Corpus Reader"
        n = self.triage.unread
        return f"{name} ({n:,} unread) — Corpus Reader" if n else f"{name} — Corpus Reader"

    @Slot()
    def _update_title(self) -> None:
        if self.library is not None and not self.open_files.outside:
            self.setWindowTitle(self._corpus_title())

    def open_article(self, path: str, offset: int = -1) -> None:
        """Open the article ``path``, scrolled to ``offset`` in its plain text (-1: the top)."""
        self.articles.open(path, offset)

    def choose_corpus(self) -> None:
        start = str(self.library.corpus) if self.library else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of articles", start)
        if folder:
            self.corpus_change_requested.emit(Path(folder))

    def show_file(self, path: Path) -> str | None:
        """Show the article file at ``path`` (see ``OpenFiles.show``): its id in the corpus, or
        None when it is read on its own."""
        return self.open_files.show(path)

    def bring_to_front(self) -> None:
        """Show the window un-minimised, raised and active (a later launch asked for it)."""
        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.show()
        self.raise_()
        self.activateWindow()

    # --- searching ---------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def search(self, text: str) -> None:
        """Search for ``text`` now (as if typed and Enter pressed)."""
        self.search_controller.search(text)
        self.completions.record(text)

    def show_more_like(self) -> None:
        """List the articles most like the open one (in place of the results)."""
        article = self.pane.article
        if self.library is None or article is None or not self.more_like_action.isEnabled():
            return
        self.tabs.setCurrentIndex(0)
        self.search_controller.more_like(article.path, article.title)

    def export_results(self) -> None:
        """File ▸ Export Results…: every hit of the current search (or every article) as CSV or JSON."""
        if self.library is None:
            return
        target = ask_export_target(self, "Export results", "results")
        if target is None:
            return
        path, fmt = target
        query = self.search_controller.query
        export_ops.export_results(
            self.library.tasks,
            query,
            self.search_controller.sort(),
            fmt,
            path,
            lambda n: self.statusBar().showMessage(f"Exported {n:,} rows to {path}", 10000),
        ).run()

    def export_concordance(self) -> None:
        """File ▸ Export Concordance…: the concordance's occurrences, as sorted, as CSV or JSON."""
        run = self.concordance.run
        if self.library is None or run is None or not self.concordance.model.rowCount():
            self.statusBar().showMessage("Show a concordance first (View ▸ Concordance).", 6000)
            return
        target = ask_export_target(self, "Export concordance", "concordance")
        if target is None:
            return
        path, fmt = target
        model = self.concordance.model
        rows = [o for o in (model.occurrence(i) for i in range(model.rowCount())) if o is not None]
        export_ops.export_concordance(
            self.library.tasks,
            run,
            rows,
            fmt,
            path,
            lambda n: self.statusBar().showMessage(f"Exported {n:,} occurrences to {path}", 10000),
        ).run()

    def clear_search(self) -> None:
        self.search_edit.clear()
        self.search_controller.run_now()

    # --- the open article --------------------------------------------------------------

    @Slot(object)
    def _on_articles_loaded(self, loaded: LoadedArticle) -> None:
        self.more_like_action.setEnabled(not loaded.outside)
        self.open_original_action.setEnabled(True)
        self.versions.show_article(None if loaded.outside else loaded.article.path)
        self.annotations.article_shown(loaded)
        self.triage.article_shown(None if loaded.outside else loaded.article.path)

    # --- slots -------------------------------------------------------------------------

    @Slot(str)
    def _on_search_query_run(self, query: str) -> None:
        for view in (self.concordance, self.insights, self.saved, self.facets, self.timeline):
            view.set_query(query)

    @Slot(str)
    def _on_search_user_searched(self, _query: str) -> None:
        # A search always brings its results into view, whichever panel was showing.
        self.tabs.setCurrentWidget(self.list_side)

    @Slot(object)
    def _on_search_similar_shown(self, result: SimilarResult) -> None:
        """More Like This: the timeline and the facets count what the list shows."""
        self.timeline.show_articles([h.date for h in result.hits])
        self.facets.show_articles([(h.source, h.date) for h in result.hits])
        self.pane.clear_query_marks()

    @Slot()
    def _on_pane_article_cleared(self) -> None:
        self.more_like_action.setEnabled(False)
        self.open_original_action.setEnabled(False)

    def _on_escape(self) -> None:
        if self.pane.find_bar.isVisible():
            self.pane.close_find()
        else:
            self.clear_search()
            self.search_edit.setFocus()

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.library is None or not current.isValid():
            return
        self.articles.load(current.data(PathRole))
        self.completions.record(self.search_controller.query)  # a search read from is worth offering

    @Slot()
    def _on_library_index_opened(self) -> None:
        restored = self._restore_session()
        if restored is not None:
            self.articles.open_after_results(*restored)
        self.search_controller.run(user=False)
        if self.library is not None and self.library.rebuilding:
            self.sync_status.show_rebuilding()

    @Slot(object)
    def _on_library_sync_finished(self, report: SyncReport) -> None:
        if not (report.changed or report.rebuilt):
            return
        self.versions.refresh()
        self.insights.corpus_changed()
        self.search_controller.refresh()
        self.articles.follow_sync(report)

    # --- Qt overrides ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Overrides QWidget.paintEvent: the first paint tells ``first_painted``."""
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            self.first_painted.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Overrides QWidget.resizeEvent: in a narrow window the buttons whose actions are also
        in the menus (Go, View) give the search box its room."""
        super().resizeEvent(event)
        narrow = self.width() < NARROW_WIDTH
        for button in (self.more_like_button, self.save_search_button, self.concordance_button):
            button.setVisible(not narrow)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Overrides QObject.eventFilter (on the application): the mouse's back and forward
        buttons walk the articles opened, wherever in the window they are pressed."""
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and isinstance(watched, QWidget)
            and watched.window() is self
        ):
            if event.button() == Qt.MouseButton.BackButton:
                self.articles.back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.articles.forward()
                return True
        return super().eventFilter(watched, event)

    def _restore_session(self) -> tuple[str, int] | None:
        """Where the user left off in this corpus last time: the search (into the search bar),
        the sidebar tab, and the article and reading position to open (returned). Once."""
        if self.library is None or getattr(self, "_session_restored", False):
            return None
        self._session_restored = True  # only at start: a refresh or another folder does not jump
        if self.settings.value("session/corpus") != str(self.library.corpus):
            return None
        query = self.settings.value("session/query", "")
        if isinstance(query, str) and query and not self.search_edit.text():
            self.search_edit.setText(query)
        tab = self.settings.value("session/tab", 0)
        if isinstance(tab, (int, str)) and str(tab).isdigit() and int(tab) < self.tabs.count():
            self.tabs.setCurrentIndex(int(tab))
        article = self.settings.value("session/article", "")
        position = self.settings.value("session/position", 0)
        if isinstance(article, str) and article:
            return article, int(str(position)) if str(position).isdigit() else 0
        return None

    def _save_session(self) -> None:
        if self.library is None:
            return
        article = self.pane.article
        self.settings.setValue("session/corpus", str(self.library.corpus))
        self.settings.setValue("session/query", self.search_edit.text().strip())
        self.settings.setValue("session/tab", self.tabs.currentIndex())
        self.settings.setValue("session/article", article.path if article is not None else "")
        self.settings.setValue("session/position", self.pane.reading_position() if article is not None else 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Overrides QWidget.closeEvent: remembers geometry, splitter and zoom, and where the
        user left off (the search, the sidebar tab, the article and its reading position)."""
        self._save_session()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/vsplitter", self.vsplitter.saveState())
        self.settings.setValue("reader/zoom", self.pane.zoom)
        self.settings.sync()
        super().closeEvent(event)
