"""The main window: search bar, article list and reading pane over one corpus folder."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader import __version__
from reader.core.corpus import ARTICLE_SUFFIXES, original_file
from reader.core.index import SyncReport
from reader.core.search import SearchResult
from reader.core.similar import SimilarResult
from reader.gui.tasks.library import Library, LoadedArticle
from reader.gui.views.annotation_controller import AnnotationController
from reader.gui.views.article_list import (
    ArticleDelegate,
    ArticleListModel,
    PathRole,
    Row,
    make_article_view,
    row_from_hit,
)
from reader.gui.views.concordance_view import ConcordanceController
from reader.gui.views.facet_view import FacetController
from reader.gui.views.insights_view import InsightsController
from reader.gui.views.problems_dialog import ProblemsButton
from reader.gui.views.reading_pane import ReadingPane
from reader.gui.views.saved_searches_view import SavedSearchController
from reader.gui.views.search_completer import SearchCompleter
from reader.gui.views.theme import ThemeController
from reader.gui.views.timeline_view import TimelineController
from reader.gui.views.versions_view import VersionsController

SEARCH_DELAY_MS = 250
DELETED = "This article was deleted from the folder."
# "Best match" lists all articles newest first when there is no query.
SORTS = (("Best match", "relevance"), ("Newest first", "date"), ("Oldest first", "date-asc"))

QUERY_HELP = """<h3>Search</h3>
<table cellpadding=3>
<tr><td><code>Minsk group</code></td><td>all words (stemmed: <i>negotiation</i> finds <i>negotiations</i>);
articles where they stand together rank first</td></tr>
<tr><td><code>"Minsk group"</code></td><td>the exact phrase</td></tr>
<tr><td><code>Baku OR Yerevan</code></td><td>either word</td></tr>
<tr><td><code>Armenia NOT Turkey</code>, <code>-Turkey</code></td><td>leave out articles with a word</td></tr>
<tr><td><code>(Baku OR Yerevan) border</code></td><td>grouping</td></tr>
<tr><td><code>title:</code> <code>body:</code> <code>source:</code></td>
<td>search one part of the article</td></tr>
<tr><td><code>date:2020-07</code>, <code>date:[2020-07-01 to 2020-07-31]</code></td>
<td>a month, a range</td></tr>
<tr><td><code>negotiat*</code>, <code>Karabah~</code></td><td>prefix, fuzzy (a typo away)</td></tr>
</table>
<p>F3 / Shift+F3 walk the hits in the article; Ctrl+F finds text in it; Esc clears the search.</p>"""


class MainWindow(QMainWindow):
    """The app's one window.

    Signals:
        corpus_change_requested(Path folder): the user chose another corpus folder.
    """

    corpus_change_requested = Signal(Path)

    def __init__(self, settings: QSettings, icon: QIcon | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.library: Library | None = None
        self._query = ""
        self._sort_in_browse = "date"
        self._generation = 0
        self._refresh_generation = -1
        self._article_generation = 0
        self._current_terms: dict[str, set[str]] = {}
        self._pending_select: str | None = None
        self._pending_offset: tuple[str, int] | None = None
        self._file_to_select: tuple[Path, str] | None = None  # (corpus, id): see show_file
        self.setWindowTitle("Corpus Reader")
        self.setObjectName("CorpusReaderMainWindow")
        if icon is not None:
            self.setWindowIcon(icon)

        # Search bar and sort.
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(
            'Search articles   (e.g. Minsk group, "exact phrase", title:fire)'
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search")
        self.completions = SearchCompleter(self.search_edit, settings)
        self.completions.completion_chosen.connect(self.search)
        self.sort_combo = QComboBox(self)
        for label, value in SORTS:
            self.sort_combo.addItem(label, value)
        self.sort_combo.setAccessibleName("Sort")
        top = QWidget(self)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(8, 8, 8, 4)
        top_layout.addWidget(self.search_edit, 1)
        top_layout.addWidget(self.sort_combo)
        self.collapse_box = QCheckBox("One row per story", self)
        self.collapse_box.setToolTip(
            "Show copies and versions of an article as one row (click “▸ N versions” to see them)"
        )
        self.collapse_box.setChecked(bool(settings.value("search/collapse_versions", True, type=bool)))
        top_layout.addWidget(self.collapse_box)

        # List side.
        self.header_label = QLabel("Opening…", self)
        self.header_label.setObjectName("listHeader")
        self.note_label = QLabel("", self)
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.RichText)
        self.note_label.setOpenExternalLinks(False)
        self.note_label.hide()
        self.model = ArticleListModel(self)
        self.delegate = ArticleDelegate(self)
        self.list_view = make_article_view(self.model, self.delegate, self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 0, 0, 0)
        left_layout.setSpacing(4)
        self.facets = FacetController(self)
        self.facets.query_edited.connect(self.search)
        # Ignored: a long header beside the facet menus must not widen the list side.
        self.header_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header_row = QHBoxLayout()
        header_row.setContentsMargins(0, 0, 0, 0)
        header_row.addWidget(self.header_label, 1)
        header_row.addWidget(self.facets.widget)
        left_layout.addLayout(header_row)
        left_layout.addWidget(self.note_label)
        self.timeline = TimelineController(self)
        self.timeline.query_edited.connect(self.search)
        left_layout.addWidget(self.timeline.widget)
        left_layout.addWidget(self.list_view, 1)

        # Reading side.
        self.pane = ReadingPane(self)
        self.pane.hit_label.setParent(self)
        self.pane.original_requested.connect(self._on_open_original_triggered)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(left, "Articles")
        self.annotations = AnnotationController(self, self.pane, self.tabs)
        self.annotations.open_requested.connect(self.open_article)
        self.saved = SavedSearchController(self, self.tabs, self.annotations.bookmarks)
        self.saved.search_requested.connect(self.search)
        self.concordance = ConcordanceController(self)
        self.concordance.open_requested.connect(self.open_article)
        self.versions = VersionsController(self.tabs, self)
        self.versions.open_requested.connect(self.open_article)
        self.insights = InsightsController(self.tabs, self)
        self.insights.search_requested.connect(self.search)
        self.bookmark_button = QToolButton(self)
        self.bookmark_button.setDefaultAction(self.annotations.bookmark_action)
        top_layout.addWidget(self.bookmark_button)
        self.more_like_action = QAction("More &Like This", self)
        self.more_like_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.more_like_action.setToolTip("List the articles most like the open one (Ctrl+Shift+L)")
        self.more_like_action.setEnabled(False)
        self.more_like_action.triggered.connect(self.show_more_like)
        self.more_like_button = QToolButton(self)
        self.more_like_button.setDefaultAction(self.more_like_action)
        top_layout.addWidget(self.more_like_button)
        self.save_search_button = QToolButton(self)
        self.save_search_button.setDefaultAction(self.saved.save_action)
        top_layout.addWidget(self.save_search_button)
        self.concordance_button = QToolButton(self)
        self.concordance_button.setDefaultAction(self.concordance.toggle_action)
        top_layout.addWidget(self.concordance_button)

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
        central_layout.addWidget(top)
        # The concordance is wide by nature: a panel across the window, under list and article.
        self.vsplitter = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplitter.addWidget(self.splitter)
        self.vsplitter.addWidget(self.concordance.panel)
        self.vsplitter.setStretchFactor(0, 3)
        self.vsplitter.setStretchFactor(1, 2)
        self.vsplitter.setChildrenCollapsible(False)
        central_layout.addWidget(self.vsplitter, 1)
        self.setCentralWidget(central)

        # Status bar: sync progress, hit counter.
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.problems_button = ProblemsButton(self)
        self.statusBar().addPermanentWidget(self.problems_button)
        self.statusBar().addPermanentWidget(self.pane.hit_label)
        self.statusBar().addPermanentWidget(self.progress_bar)
        self._announce_sync = True  # say "Index up to date" after the first sync and F5 only

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._run_search)

        self.search_edit.textEdited.connect(self._on_search_edit_text_edited)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.sort_combo.currentIndexChanged.connect(self._on_sort_combo_changed)
        self.collapse_box.toggled.connect(self._on_collapse_box_toggled)
        for keys, expanded in (("Right", True), ("Left", False)):
            shortcut = QShortcut(QKeySequence(keys), self.list_view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda expanded=expanded: self._expand_current(expanded))
        self.note_label.linkActivated.connect(self._on_note_label_link_activated)
        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.list_view.activated.connect(lambda _index: self.pane.view.setFocus())
        self.model.more_requested.connect(self._on_model_more_requested)
        self.pane.zoom_changed.connect(lambda steps: self.settings.setValue("reader/zoom", steps))

        self.theme = ThemeController(settings, self)
        self._build_menus()
        self._restore_state()

    # --- setup -------------------------------------------------------------------------

    def _build_menus(self) -> None:
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
        action("&File", "&Re-scan Folder", "F5", self._on_rescan_triggered)
        self.open_original_action = action(
            "&File", "Open the &Original File", "Ctrl+Shift+O", self._on_open_original_triggered
        )
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
        action("&Go", "&Search", "Ctrl+L", self.focus_search)
        action("&Go", "&Next Hit", "F3", self.pane.next_hit)
        action("&Go", "&Previous Hit", "Shift+F3", self.pane.previous_hit)
        action("&Go", "&Clear Search", None, self.clear_search)
        menus["&Go"].addAction(self.saved.save_action)
        menus["&Go"].addAction(self.more_like_action)
        menus["&View"].addSeparator()
        menus["&View"].addAction(self.concordance.toggle_action)
        action("&Help", "&Search Syntax", QKeySequence.StandardKey.HelpContents, self._on_help_triggered)
        action("&Help", "&About Corpus Reader", None, self._on_about_triggered)
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
            self.splitter.setSizes([560, 720])  # room for all the tabs
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
        library.rebuild_started.connect(self._on_library_rebuild_started)
        library.waiting_for_writer.connect(self._on_library_waiting_for_writer)
        library.sync_progress.connect(self._on_library_sync_progress)
        library.batch_committed.connect(self._on_library_batch_committed)
        library.sync_finished.connect(self._on_library_sync_finished)
        library.articles_listed.connect(self._on_library_articles_listed)
        library.search_finished.connect(self._on_library_search_finished)
        library.similar_found.connect(self._on_library_similar_found)
        library.article_loaded.connect(self._on_library_article_loaded)
        library.article_failed.connect(self._on_library_article_failed)
        library.error_occurred.connect(self._on_library_error_occurred)
        self.annotations.set_library(library)
        self.concordance.set_library(library)
        self.versions.set_lane(library.analysis)
        self.insights.set_lane(library.analysis)
        self.saved.set_library(library)
        self.completions.set_library(library)
        self.facets.set_library(library)
        self.timeline.set_library(library)
        self.setWindowTitle(f"{library.corpus.name} — Corpus Reader")
        self.model.set_rows([])
        self.header_label.setText("Opening the index…")
        self.pane.show_placeholder("Select an article to read it.")
        self.more_like_action.setEnabled(False)
        self.problems_button.set_problems(str(library.corpus), [])
        self._announce_sync = True
        self.statusBar().showMessage(f"Corpus: {library.corpus}")

    def open_article(self, path: str, offset: int = -1) -> None:
        """Open the article ``path``, scrolled to ``offset`` in its plain text (-1: the top)."""
        if self.library is None:
            return
        self._select_quietly(path)
        self._pending_offset = (path, offset) if offset >= 0 else None
        self._article_generation = self.library.load_article(path, self._current_terms)

    def choose_corpus(self) -> None:
        start = str(self.library.corpus) if self.library else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of articles", start)
        if folder:
            self.corpus_change_requested.emit(Path(folder))

    def show_file(self, path: Path) -> str | None:
        """Show the article file at ``path`` (opened with the app from a file manager or a command
        line). An article of the corpus is selected in the list and its id returned; any other file
        is read on its own, without changing the corpus, and None returned."""
        if self.library is None:
            return None
        corpus = self.library.corpus
        self.list_view.selectionModel().currentChanged.connect(
            self._on_list_current_changed_forget_file, Qt.ConnectionType.UniqueConnection
        )
        self.model.modelReset.connect(self._on_model_reset_select_file, Qt.ConnectionType.UniqueConnection)
        article_id = _article_id_in(corpus, path)
        if article_id is None:
            self._file_to_select = None
            self.list_view.setCurrentIndex(QModelIndex())
            self._article_generation = self.library.load_file(path.absolute())
            self.setWindowTitle(f"{path.name} (not in the corpus) — Corpus Reader")
            self.statusBar().showMessage(f"{_OUTSIDE}{path.absolute()}")
            return None
        self._forget_outside_file()
        row = self.model.row_of(article_id)
        if row >= 0:
            self.list_view.setCurrentIndex(self.model.index(row))
            self.list_view.scrollTo(self.model.index(row))
        else:
            self._article_generation = self.library.load_file(path, article_id)  # shown at once
        # Selected (again) when the list arrives: it may be loading, narrowed by a search, or about
        # to be replaced by a refresh that was asked for before this selection.
        self._file_to_select = (corpus, article_id)
        return article_id

    def bring_to_front(self) -> None:
        """Show the window un-minimised, raised and active (a later launch asked for it)."""
        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.show()
        self.raise_()
        self.activateWindow()

    @Slot()
    def _on_model_reset_select_file(self) -> None:
        if self._file_to_select is None or self.library is None:
            return
        corpus, article_id = self._file_to_select
        row = self.model.row_of(article_id) if corpus == self.library.corpus else -1
        if row >= 0:
            self._file_to_select = None
            self.list_view.setCurrentIndex(self.model.index(row))  # loads it again, with its highlights
            self.list_view.scrollTo(self.model.index(row))

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed_forget_file(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        if self._file_to_select is not None and current.data(PathRole) != self._file_to_select[1]:
            self._file_to_select = None  # the user went on to another article
        self._forget_outside_file()

    def _forget_outside_file(self) -> None:
        if self.library is not None:
            self.setWindowTitle(f"{self.library.corpus.name} — Corpus Reader")
        if self.statusBar().currentMessage().startswith(_OUTSIDE):
            self.statusBar().clearMessage()

    # --- searching ---------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def search(self, text: str) -> None:
        """Search for ``text`` now (as if typed and Enter pressed)."""
        self.search_edit.setText(text)
        self._debounce.stop()
        self._run_search()
        self.completions.record(text)

    def show_more_like(self) -> None:
        """List the articles most like the open one (in place of the results)."""
        article = self.pane.article
        if self.library is None or article is None or not self.more_like_action.isEnabled():
            return
        self.header_label.setText(f"Finding articles like “{article.title}”…")
        self.tabs.setCurrentIndex(0)
        self._generation = self.library.more_like(article.path)

    def clear_search(self) -> None:
        self.search_edit.clear()
        self._debounce.stop()
        self._run_search()

    def _sort(self) -> str:
        return str(self.sort_combo.currentData())

    def _collapse(self) -> bool:
        return self.collapse_box.isChecked()

    def _expand_current(self, expanded: bool) -> None:
        """Right shows the versions under the current story's row, Left hides them."""
        row = self.list_view.currentIndex().row()
        self.model.set_expanded(row, expanded)

    def _on_collapse_box_toggled(self, on: bool) -> None:
        self.settings.setValue("search/collapse_versions", on)
        if self._query:
            self._run_search()

    def _run_search(self) -> None:
        if self.library is None or not self.library.ready:
            return
        self._query = self.search_edit.text().strip()
        scope = re.match(r"in:(highlights|notes)\b\s*", self._query, re.I)
        if scope:
            self.annotations.show_highlights(self._query[scope.end() :])
            return
        self.concordance.set_query(self._query)
        self.insights.set_query(self._query)
        self.saved.set_query(self._query)
        self.facets.set_query(self._query)
        self.timeline.set_query(self._query)
        if self._query:
            self._generation = self.library.search(self._query, self._sort(), collapse=self._collapse())
        else:
            self._current_terms = {}
            sort = self._sort() if self._sort() != "relevance" else "date"
            self._generation = self.library.list_articles(sort)

    def _keep_selection(self, generation: int) -> None:
        """Before a refresh's rows replace the list: reselect what is selected now, if it is among
        them (the user may have picked an article while the refresh was on its way)."""
        if generation == self._refresh_generation and self._pending_select is None:
            self._pending_select = self._selected_path()

    def _refresh(self) -> None:
        """Re-run the current listing or search, keeping the selected article selected."""
        self._pending_select = self._selected_path()
        self._run_search()
        self._refresh_generation = self._generation

    def _selected_path(self) -> str | None:
        index = self.list_view.currentIndex()
        return index.data(PathRole) if index.isValid() else None

    def _reselect(self) -> None:
        path, self._pending_select = self._pending_select, None
        if path is not None:
            self._select_quietly(path)

    def _select_quietly(self, path: str) -> bool:
        """Select ``path`` in the list, if it is there, without loading it again."""
        row = self.model.row_of(path)
        if row < 0:
            return False
        self.list_view.selectionModel().blockSignals(True)
        self.list_view.setCurrentIndex(self.model.index(row))
        self.list_view.selectionModel().blockSignals(False)
        self.list_view.scrollTo(self.model.index(row))
        return True

    # --- slots -------------------------------------------------------------------------

    @Slot(str)
    def _on_search_edit_text_edited(self, _text: str) -> None:
        self._debounce.start()

    @Slot()
    def _on_search_edit_return_pressed(self) -> None:
        self._debounce.stop()
        self._run_search()
        self.completions.record(self._query)
        if self.model.rowCount() and not self.list_view.currentIndex().isValid():
            self.list_view.setFocus()

    @Slot(int)
    def _on_sort_combo_changed(self, _i: int) -> None:
        self._refresh()

    @Slot(str)
    def _on_note_label_link_activated(self, link: str) -> None:
        if link.startswith("suggest:"):
            self.search(link.removeprefix("suggest:"))

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
        self._article_generation = self.library.load_article(current.data(PathRole), self._current_terms)
        self.completions.record(self._query)  # a search the user read from is worth offering again

    @Slot(int)
    def _on_model_more_requested(self, loaded: int) -> None:
        if self.library is not None and self._query:
            self.library.search(self._query, self._sort(), offset=loaded, collapse=self._collapse())

    @Slot()
    def _on_library_index_opened(self) -> None:
        self._run_search()
        if self.library is not None:
            self.library.list_annotations()
            if self.library.rebuilding:
                self._on_library_rebuild_started()

    @Slot()
    def _on_library_rebuild_started(self) -> None:
        self.progress_bar.setMaximum(0)  # busy until the first file is read
        self.progress_bar.show()
        self.statusBar().showMessage("Rebuilding the index…")

    @Slot()
    def _on_library_waiting_for_writer(self) -> None:
        self.statusBar().showMessage("Waiting for another Corpus Reader to finish indexing…")

    @Slot(int, int)
    def _on_library_sync_progress(self, done: int, total: int) -> None:
        self.progress_bar.setMaximum(max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.show()
        what = "Rebuilding the index…" if self.library is not None and self.library.rebuilding else "Indexing"
        self.statusBar().showMessage(f"{what} {done:,} / {total:,}")

    @Slot()
    def _on_library_batch_committed(self) -> None:
        self._refresh()

    @Slot(object)
    def _on_library_sync_finished(self, report: SyncReport) -> None:
        self.progress_bar.hide()
        parts = []
        if report.rebuilt:
            parts.append("Index rebuilt")
        if report.changed:
            parts.append(f"{report.added:,} added, {report.updated:,} updated, {report.removed:,} removed")
        else:
            parts.append("Index up to date")
        if self.library is not None:
            self.problems_button.set_problems(str(self.library.corpus), report.problems)
        if report.changed or report.rebuilt or self._announce_sync:
            self.statusBar().showMessage(" · ".join(parts))
        self._announce_sync = False
        if report.changed or report.rebuilt:
            self.versions.refresh()
            self.insights.refresh(force=self.insights.visible)
            self._refresh()
            if self.library is not None:
                self.library.list_annotations()
            article = self.pane.article
            if article is not None and article.path in report.updated_paths:
                self.open_article(article.path, self.pane.reading_position())
            elif article is not None and article.path in report.removed_paths:
                reason = dict(report.problems).get(article.path)
                self.pane.show_placeholder(
                    DELETED if reason is None else f"This article can no longer be read: {reason}."
                )

    @Slot(int, object)
    def _on_library_articles_listed(self, generation: int, rows: list[Row]) -> None:
        if generation != self._generation:
            return
        self._keep_selection(generation)
        self.delegate.show_snippets = False
        self.model.set_rows(rows)
        n = len(rows)
        self.header_label.setText(f"{n:,} article{'s' if n != 1 else ''}")
        self.note_label.hide()
        self._reselect()

    @Slot(int, object)
    def _on_library_search_finished(self, generation: int, result: SearchResult) -> None:
        if generation != self._generation:
            return
        rows = [row_from_hit(h) for h in result.hits]
        if result.offset > 0:
            self.model.append_rows(rows)
            return
        self._current_terms = result.terms
        self._keep_selection(generation)
        self.delegate.show_snippets = True
        # Collapsed, the list has a row per story.
        self.model.set_rows(rows, result.total if result.stories is None else result.stories)
        self.list_view.scrollToTop()
        n = result.total
        if result.stories is not None and result.stories != n:
            s = result.stories
            self.header_label.setText(
                f"{s:,} stor{'ies' if s != 1 else 'y'}, {n:,} articles for “{result.query}”"
            )
        else:
            self.header_label.setText(f"{n:,} result{'s' if n != 1 else ''} for “{result.query}”")
        notes = [_escape(note) for note in result.notes]
        if n == 0:
            notes.insert(0, "No articles match.")
        if result.suggestion:
            suggestion = _escape(result.suggestion)
            notes.append(f'Did you mean <a href="suggest:{suggestion}">{suggestion}</a>?')
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))
        self._reselect()
        if self.pane.article is not None and self.model.row_of(self.pane.article.path) >= 0:
            # Re-mark the open article for the new query.
            self._article_generation = (
                self.library.load_article(self.pane.article.path, self._current_terms) if self.library else 0
            )

    @Slot(int, object)
    def _on_library_similar_found(self, generation: int, result: SimilarResult) -> None:
        if generation != self._generation:
            return
        self._keep_selection(generation)
        self.delegate.show_snippets = True
        self.model.set_rows([row_from_hit(h) for h in result.hits], len(result.hits))
        self.list_view.scrollToTop()
        n = len(result.hits)
        self.header_label.setText(f"{n:,} article{'s' if n != 1 else ''} like “{result.title}”")
        terms = ", ".join(result.key_terms) if result.key_terms else "none found"
        self.note_label.setText(_escape(f"Its key terms: {terms}. Search again to return to the results."))
        self.note_label.show()

    @Slot(int, object)
    def _on_library_article_loaded(self, generation: int, loaded: LoadedArticle) -> None:
        if self.library is None or generation != self.library.latest_article:
            return
        self.more_like_action.setEnabled(not loaded.outside)
        self.pane.show_article(loaded.article, loaded.marks, loaded.highlights)
        self.versions.show_article(None if loaded.outside else loaded.article.path)
        self.annotations.article_shown(loaded)
        pending, self._pending_offset = self._pending_offset, None
        # A search hit at the offset (a concordance row) becomes the current hit.
        if (
            pending is not None
            and pending[0] == loaded.article.path
            and not self.pane.go_to_hit_at(pending[1])
        ):
            self.pane.scroll_to_offset(pending[1], third=True)

    @Slot(int, str, str)
    def _on_library_article_failed(self, generation: int, path: str, reason: str) -> None:
        if self.library is None or generation != self.library.latest_article:
            return
        self.pane.show_placeholder(f"Cannot show {path}: {reason}.")

    @Slot(str)
    def _on_library_error_occurred(self, message: str) -> None:
        self.progress_bar.hide()
        self.statusBar().showMessage(message)
        if self.library is not None and not self.library.ready:
            self.header_label.setText("The index could not be opened.")
            QMessageBox.warning(self, "Corpus Reader", message)

    def _on_rescan_triggered(self) -> None:
        if self.library is not None:
            self._announce_sync = True
            self.library.sync()

    def _on_open_original_triggered(self) -> None:
        """Open the open article's file (a saved page, a feed, a mail folder) in the application
        the desktop has for it (xdg-open on Linux)."""
        article = self.pane.article
        if article is None or self.library is None:
            self.statusBar().showMessage("Open an article first.")
            return
        path = original_file(self.library.corpus, article.path)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.statusBar().showMessage(f"No application to open {path}")

    def _on_help_triggered(self) -> None:
        QMessageBox.information(self, "Search syntax", QUERY_HELP)

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About Corpus Reader",
            f"<h3>Corpus Reader {__version__}</h3><p>Read and search a folder of news articles.</p>",
        )

    # --- Qt overrides ------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Overrides QWidget.closeEvent: remembers geometry, splitter and zoom."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/vsplitter", self.vsplitter.saveState())
        self.settings.setValue("reader/zoom", self.pane.zoom)
        self.settings.sync()
        super().closeEvent(event)


_OUTSIDE = "A file outside the corpus: "


def _article_id_in(corpus: Path, path: Path) -> str | None:
    """The id of ``path`` as an article of ``corpus`` (as the index names it), else None."""
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        return None
    for candidate in (path.absolute(), path.resolve()):
        try:
            relative = candidate.relative_to(corpus)
        except ValueError:
            continue
        # The index skips hidden files and folders ("..": an unresolved path, the next candidate).
        if not any(part.startswith(".") for part in relative.parts):
            return relative.as_posix()
    return None


def _escape(text: str) -> str:
    return html.escape(text, quote=True)
