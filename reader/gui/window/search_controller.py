"""The search bar and the article list: what is typed becomes a listing or a search (debounced),
its answer fills the list, the header and the note under it; a refresh keeps the selection."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QTimer, Signal, Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QListView

from reader.gui.operations import search as search_ops
from reader.gui.tasks.library import Library
from reader.gui.views.article_list import ArticleDelegate, ArticleListModel, PathRole, Row, row_from_hit

if TYPE_CHECKING:
    from reader.core.search import Hit, SearchResult
    from reader.core.similar import SimilarResult

SEARCH_DELAY_MS = 250
# "Best match" lists all articles newest first when there is no query.
SORTS = (("Best match", "relevance"), ("Newest first", "date"), ("Oldest first", "date-asc"))
_SCOPE = re.compile(r"in:(highlights|notes)\b\s*", re.I)


class SearchController(QObject):
    """Runs the query of the search bar and shows its answer in the article list.

    Signals:
        query_run(str query): a listing (empty query) or search was asked for: the other views
            follow it.
        scope_requested(str text): an ``in:highlights`` query: the highlights are searched instead.
        submitted(str query): Enter was pressed in the search bar (the query is worth offering
            again).
        results_shown(): the list shows a new search's hits (``terms``: the words it marks), or
            every article (no terms).
        listed(list[Row] rows): the list shows every article.
        searched(SearchResult result): the list shows the first page of a search.
        user_searched(str query): the user asked for a search or listing (typed, Enter, a saved
            search, a facet, the timeline): its results must come into view. Not emitted for a
            refresh after the index changed.
        similar_shown(SimilarResult result): the list shows the articles like one (More Like This).
    """

    query_run = Signal(str)
    user_searched = Signal(str)
    similar_shown = Signal(object)
    scope_requested = Signal(str)
    submitted = Signal(str)
    results_shown = Signal()
    listed = Signal(object)
    searched = Signal(object)

    def __init__(
        self,
        edit: QLineEdit,
        sort_combo: QComboBox,
        collapse: QCheckBox,
        view: QListView,
        model: ArticleListModel,
        delegate: ArticleDelegate,
        header: QLabel,
        note: QLabel,
    ) -> None:
        super().__init__(edit)
        self.edit, self.sort_combo, self.collapse, self.view, self.model = (
            edit,
            sort_combo,
            collapse,
            view,
            model,
        )
        self.delegate, self.header, self.note = delegate, header, note
        self.library: Library | None = None
        self.query = ""
        #: The words of the current search, as marked in the article and its snippets.
        self.terms: dict[str, set[str]] = {}
        self._refreshing = False  # the answer on its way re-runs the query: keep the selection
        self._pending_select: str | None = None
        #: Hits of the current search whose rows have no snippet yet, by path: the rows asked
        #: for theirs as they come into view (on the reader lane) and are taken out of here.
        self._unfilled: dict[str, Hit] = {}
        self._fill = QTimer(self)
        self._fill.setSingleShot(True)
        self._fill.setInterval(0)
        self._fill.timeout.connect(self._fill_rows_in_view)
        for label, value in SORTS:
            sort_combo.addItem(label, value)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.run)
        edit.textEdited.connect(self._on_edit_text_edited)
        edit.returnPressed.connect(self._on_edit_return_pressed)
        sort_combo.currentIndexChanged.connect(self._on_sort_combo_changed)
        collapse.toggled.connect(self._on_collapse_toggled)
        note.linkActivated.connect(self._on_note_link_activated)
        model.more_requested.connect(self._on_model_more_requested)
        view.verticalScrollBar().valueChanged.connect(self._on_view_scrolled)
        view.verticalScrollBar().rangeChanged.connect(self._on_view_scrolled)

    def set_library(self, library: Library) -> None:
        self.library = library
        self.model.set_rows([])
        self.header.setText("Opening the index…")

    def search(self, text: str) -> None:
        """Search for ``text`` now (as if typed and Enter pressed)."""
        self.edit.setText(text)
        self.run_now()

    def run_now(self) -> None:
        """Run what the search bar says now, without waiting for the typing to pause."""
        self._debounce.stop()
        self.run()

    def sort(self) -> str:
        return str(self.sort_combo.currentData())

    @Slot()
    def run(self, user: bool = True, open_top: bool = False) -> None:
        """Ask for the listing or search the search bar says. ``user``: the user asked for it
        (not a refresh); ``open_top``: when *its* results arrive, open the top hit."""
        if self.library is None or not self.library.ready:
            return
        self.query = self.edit.text().strip()
        self._refreshing = False
        scope = _SCOPE.match(self.query)
        if scope:
            self.terms = {}  # the highlights are searched: no article keeps the last search's marks
            self.scope_requested.emit(self.query[scope.end() :])
            return
        self.query_run.emit(self.query)
        if user:
            self.user_searched.emit(self.query)
        tasks = self.library.tasks
        if self.query:
            # The callback belongs to this search: a newer one supersedes it (the runner drops its
            # answer), so Enter never opens a hit of an earlier search.
            search_ops.search(
                tasks,
                self.query,
                self.sort(),
                self.collapse.isChecked(),
                lambda result: self._on_searched(result, open_top),
                snippets=self.rows_in_view(),
            ).run()
        else:
            self.terms = {}
            sort = self.sort() if self.sort() != "relevance" else "date"
            search_ops.list_articles(tasks, sort, self._on_listed).run()

    def refresh(self) -> None:
        """Run the current listing or search again, keeping the selected article selected."""
        self._pending_select = self.selected_path()
        self.run(user=False)
        self._refreshing = True

    def more_like(self, path: str, title: str) -> None:
        """List the articles most like ``path`` in place of the results."""
        if self.library is None:
            return
        self.header.setText(f"Finding articles like “{title}”…")
        self._refreshing = False
        search_ops.more_like(self.library.tasks, path, self._on_similar_found).run()

    def rows_in_view(self) -> int:
        """How many search rows the list shows at once (a row more for one cut at the bottom)."""
        line = QFontMetrics(self.view.font()).lineSpacing()
        return max(4, self.view.viewport().height() // (line * 4 + 14) + 2)

    def _fill_rows_in_view(self) -> None:
        """Ask for the snippets of the rows in view that have none yet (once each)."""
        if self.library is None or not self._unfilled:
            return
        viewport = self.view.viewport()
        first = self.view.indexAt(QPoint(1, 1)).row()
        last = self.view.indexAt(QPoint(1, viewport.height() - 2)).row()
        if first < 0:
            return
        if last < 0:
            last = self.model.rowCount() - 1
        hits = []
        for row in range(first, last + 2):  # and the next row, half in view after a scroll
            path = self.model.path_at(row)
            hit = self._unfilled.pop(path, None) if path is not None else None
            if hit is not None:
                hits.append(hit)
        if hits:
            search_ops.fill_snippets(self.library.tasks, hits, self.terms, self.model.set_snippets).run()

    def selected_path(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(PathRole) if index.isValid() else None

    def select_quietly(self, path: str) -> bool:
        """Select ``path`` in the list, if it is there, without loading it again."""
        row = self.model.row_of(path)
        if row < 0:
            return False
        self.view.selectionModel().blockSignals(True)
        self.view.setCurrentIndex(self.model.index(row))
        self.view.selectionModel().blockSignals(False)
        self.view.scrollTo(self.model.index(row))
        return True

    def _keep_selection(self) -> None:
        """Before a refresh's rows replace the list: reselect what is selected now, if it is among
        them (the user may have picked an article while the refresh was on its way)."""
        if self._refreshing and self._pending_select is None:
            self._pending_select = self.selected_path()

    def _reselect(self) -> None:
        path, self._pending_select = self._pending_select, None
        if path is not None:
            self.select_quietly(path)

    # --- answers -----------------------------------------------------------------------

    def _on_listed(self, rows: list[Row]) -> None:
        self._unfilled = {}
        self._keep_selection()
        self.delegate.show_snippets = False
        self.model.set_rows(rows)
        n = len(rows)
        self.header.setText(f"{n:,} article{'s' if n != 1 else ''}")
        self.note.hide()
        self._reselect()
        self.listed.emit(rows)
        self.results_shown.emit()

    def _on_searched(self, result: SearchResult, open_top: bool = False) -> None:
        rows = [row_from_hit(h) for h in result.hits]
        if result.offset > 0:
            self._unfilled.update((h.path, h) for h in result.hits if not h.snippet)
            self.model.append_rows(rows)
            self._fill.start()
            return
        self.terms = result.terms
        self._unfilled = {h.path: h for h in result.hits if not h.snippet}
        self._fill.start()
        self._keep_selection()
        self.delegate.show_snippets = True
        # Collapsed, the list has a row per story.
        self.model.set_rows(rows, result.total if result.stories is None else result.stories)
        self.view.scrollToTop()
        n = result.total
        if result.stories is not None and result.stories != n:
            s = result.stories
            self.header.setText(
                f"{s:,} stor{'ies' if s != 1 else 'y'}, {n:,} articles for {quoted(result.query)}"
            )
        else:
            self.header.setText(f"{n:,} result{'s' if n != 1 else ''} for {quoted(result.query)}")
        notes = [_escape(note) for note in result.notes]
        if n == 0:
            notes.insert(0, "No articles match.")
        if result.suggestion:
            suggestion = _escape(result.suggestion)
            notes.append(f'Did you mean <a href="suggest:{suggestion}">{suggestion}</a>?')
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))
        self._reselect()
        self.searched.emit(result)
        self.results_shown.emit()
        if open_top and self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0))  # opens it
            self.view.setFocus()

    def _on_similar_found(self, result: SimilarResult) -> None:
        self._unfilled = {}
        self._keep_selection()
        self.delegate.show_snippets = True
        self.model.set_rows([row_from_hit(h) for h in result.hits], len(result.hits))
        self.view.scrollToTop()
        n = len(result.hits)
        self.header.setText(f"{n:,} article{'s' if n != 1 else ''} like “{result.title}”")
        terms = ", ".join(result.key_terms) if result.key_terms else "none found"
        self.note.setText(_escape(f"Its key terms: {terms}. Search again to return to the results."))
        self.note.show()
        self.terms = {}  # the list is no search's: the open article keeps no marks of the last one
        self.similar_shown.emit(result)

    # --- slots -------------------------------------------------------------------------

    @Slot(str)
    def _on_edit_text_edited(self, _text: str) -> None:
        self._debounce.start()

    @Slot()
    def _on_edit_return_pressed(self) -> None:
        # Search now; the top hit of *this* search opens when its results arrive (the rows in the
        # list may still be an earlier search's: focusing them now would open one of those).
        self._debounce.stop()
        self.run(open_top=True)
        self.submitted.emit(self.query)

    @Slot(int)
    def _on_sort_combo_changed(self, _i: int) -> None:
        self.refresh()

    @Slot(bool)
    def _on_collapse_toggled(self, _on: bool) -> None:
        if self.query:
            self.run()

    def expand_current(self, expanded: bool) -> None:
        """Right shows the versions under the current story's row, Left hides them."""
        self.model.set_expanded(self.view.currentIndex().row(), expanded)

    @Slot(str)
    def _on_note_link_activated(self, link: str) -> None:
        if link.startswith("suggest:"):
            self.search(link.removeprefix("suggest:"))

    @Slot()
    def _on_view_scrolled(self) -> None:
        if self._unfilled:
            self._fill.start()

    @Slot(int)
    def _on_model_more_requested(self, loaded: int) -> None:
        if self.library is not None and self.query:
            collapse = self.collapse.isChecked()
            search_ops.next_page(
                self.library.tasks, self.query, self.sort(), collapse, loaded, self._on_searched
            ).run()


def quoted(query: str) -> str:
    """The query in curly quotes, unless it has quotes of its own (no “"Prime Minister"”)."""
    return query if '"' in query else f"“{query}”"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


__all__ = ["SORTS", "SearchController"]
