"""The reading pane's article: which one is open, loading it with the search's marks, and
following the index when a sync changes or deletes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices

from reader.core.corpus import original_file
from reader.gui.operations import articles as article_ops
from reader.gui.operations.articles import LoadedArticle
from reader.gui.tasks.library import Library
from reader.gui.views.reading_pane import ReadingPane
from reader.gui.window.history import History, Visit
from reader.gui.window.search_controller import SearchController

if TYPE_CHECKING:
    from reader.core.index import SyncReport

DELETED = "This article was deleted from the folder."


class ArticleController(QObject):
    """Loads articles into the pane on the reader lane.

    Signals:
        loaded(LoadedArticle loaded): the pane shows this article now.
        message(str text): something to say in the status bar.
    """

    loaded = Signal(object)
    message = Signal(str)

    def __init__(self, pane: ReadingPane, search: SearchController, parent: QObject) -> None:
        super().__init__(parent)
        self.pane = pane
        self.search = search
        self.library: Library | None = None
        self._pending_offset: tuple[str, int] | None = None  # scroll there once it is shown
        self.history = History()  # Back / Forward over the articles opened
        self._walking = False  # the article on its way was asked for by Back or Forward
        self._after_results: tuple[str, int] | None = None  # open once the search has answered
        search.results_shown.connect(self._on_search_results_shown)
        search.scope_requested.connect(self._on_search_scope_requested)

    def set_library(self, library: Library) -> None:
        self.library = library
        self.history.clear()
        self.pane.show_placeholder("Select an article to read it.")

    def back(self) -> None:
        """Open the article opened before this one, where it was left."""
        self._walk(self.history.back)

    def forward(self) -> None:
        """Open the article Back left, where it was left."""
        self._walk(self.history.forward)

    def _walk(self, step: Callable[[], Visit | None]) -> None:
        if self.library is None:
            return
        if self.pane.article is not None:
            self.history.remember_position(self.pane.reading_position())
        visit = step()
        if visit is None:
            return
        self._walking = True
        self.open(visit.path, visit.position)

    def open(self, path: str, offset: int = -1) -> None:
        """Open the article ``path``, scrolled to ``offset`` in its plain text (-1: the top)."""
        if self.library is None:
            return
        self.search.select_quietly(path)
        self._pending_offset = (path, offset) if offset >= 0 else None
        self.load(path)

    def open_after_results(self, path: str, offset: int) -> None:
        """Open ``path`` at ``offset`` as soon as the search under way has answered, so that it
        is selected in the list and marked for that search (the session restored at start)."""
        self._after_results = (path, offset)

    def load(self, path: str) -> None:
        """Show the article ``path`` of the corpus, marked for the current search."""
        if self.library is None:
            return
        article = self.pane.article
        if article is not None and article.path != path:
            self.history.remember_position(self.pane.reading_position())
        self.library.watcher.follow(str(self.library.corpus / path))  # an edit shows at once
        article_ops.load(self.library.tasks, path, self.search.terms, self._on_loaded).failure(
            lambda exc: self._on_failed(path, exc)
        ).run()

    def load_file(self, path: Path, article_id: str) -> None:
        """Show the article file at ``path``, named ``article_id`` (see ``OpenFiles``)."""
        if self.library is not None:
            article_ops.load_file(self.library.tasks, path, article_id, self._on_loaded).failure(
                lambda exc: self._on_failed(article_id, exc)
            ).run()

    def open_original(self) -> None:
        """Open the open article's file (a saved page, a feed, a mail folder) in the application
        the desktop has for it (xdg-open on Linux)."""
        article = self.pane.article
        if article is None or self.library is None:
            self.message.emit("Open an article first.")
            return
        path = original_file(self.library.corpus, article.path)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message.emit(f"No application to open {path}")

    def follow_sync(self, report: SyncReport) -> None:
        """A sync changed the folder: reload the open article if it changed, follow it if it
        was renamed or moved, say so if it went."""
        article = self.pane.article
        if article is not None and article.path in report.updated_paths:
            self.open(article.path, self.pane.reading_position())
        elif article is not None and (moved := report.moved_to(article.path)) is not None:
            self.open(moved, self.pane.reading_position())
            self.message.emit(f"{article.path} was renamed to {moved}")
        elif article is not None and article.path in report.removed_paths:
            reason = dict(report.problems).get(article.path)
            self.pane.show_placeholder(
                DELETED if reason is None else f"This article can no longer be read: {reason}."
            )

    def _on_loaded(self, loaded: LoadedArticle) -> None:
        if loaded.problem:
            self.message.emit(loaded.problem)
        self.pane.show_article(loaded.article, loaded.marks, loaded.highlights, loaded.language)
        walking, self._walking = self._walking, False
        if not loaded.outside and not walking:
            self.history.visit(loaded.article.path)
        self.loaded.emit(loaded)
        pending, self._pending_offset = self._pending_offset, None
        # A search hit at the offset (a concordance row) becomes the current hit.
        if (
            pending is not None
            and pending[0] == loaded.article.path
            and not self.pane.go_to_hit_at(pending[1])
        ):
            self.pane.scroll_to_offset(pending[1], third=True)

    def _on_failed(self, path: str, exc: Exception) -> None:
        self.pane.show_placeholder(f"Cannot show {path}: {exc}.")

    @Slot(str)
    def _on_search_scope_requested(self, _text: str) -> None:
        self.pane.clear_query_marks()  # an ``in:highlights`` search marks no article

    @Slot()
    def _on_search_results_shown(self) -> None:
        """The marks and the hit counter belong to the current search: the open article is
        marked again for it, or, when it is not among its results (or there is no search),
        keeps no marks."""
        pending, self._after_results = self._after_results, None
        if pending is not None:
            self.open(*pending)
            return
        article = self.pane.article
        if article is None:
            return
        if self.search.terms and self.search.model.row_of(article.path) >= 0:
            self.load(article.path)  # marked again for the new query
        else:
            self.pane.clear_query_marks()
