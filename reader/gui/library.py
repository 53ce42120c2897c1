"""The window's door to the core: index sync and searches on worker threads, results by signal.

Two threads: the index thread opens the index and syncs it (the only writer); the search thread
answers listings, searches and article loads. The GUI thread only sends requests and receives
signals, so it never waits on disk, the index or SQLite.
"""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.catalog import ArticleRow, Catalog
from reader.core.corpus import Article, ArticleError, load_article
from reader.core.index import CorpusIndex, SyncReport, open_index
from reader.core.search import SearchResult, SearchService, find_marks

PAGE_SIZE = 100


@dataclass(frozen=True)
class LoadedArticle:
    article: Article
    marks: list[tuple[int, int]]


class _IndexWorker(QObject):
    """Lives on the index thread. Signals: see Library."""

    opened = Signal(object)  # CorpusIndex
    progress = Signal(int, int)
    batch_committed = Signal()
    synced = Signal(object)  # SyncReport
    failed = Signal(str)

    def __init__(self, corpus: Path, index_dir: Path, cancel: threading.Event) -> None:
        super().__init__()
        self._corpus = corpus
        self._index_dir = index_dir
        self._cancel = cancel
        self._index: CorpusIndex | None = None

    @Slot()
    def open_and_sync(self) -> None:
        try:
            self._index = open_index(self._corpus, self._index_dir)
        except Exception as exc:
            self.failed.emit(f"Cannot open the index: {exc}")
            return
        self.opened.emit(self._index)
        self.sync()

    @Slot()
    def sync(self) -> None:
        if self._index is None or self._cancel.is_set():
            return
        last = [0]

        def progress(done: int, total: int) -> None:
            # Batched: a signal per file would flood the GUI thread on a large first build.
            if done == total or done - last[0] >= 25:
                last[0] = done
                self.progress.emit(done, total)

        try:
            report = self._index.sync(
                progress=progress, on_batch=self.batch_committed.emit, cancel=self._cancel
            )
        except Exception as exc:
            self.failed.emit(f"Indexing stopped: {exc}")
            return
        self.synced.emit(report)

    @Slot()
    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


class _SearchWorker(QObject):
    """Lives on the search thread; drops requests that a newer one has made stale."""

    listed = Signal(int, object)  # generation, list[ArticleRow]
    searched = Signal(int, object)  # generation, SearchResult
    article_loaded = Signal(int, object)  # generation, LoadedArticle
    article_failed = Signal(int, str, str)  # generation, path, reason
    failed = Signal(str)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self._library = library
        self._index: CorpusIndex | None = None
        self._service: SearchService | None = None
        self._catalog: Catalog | None = None

    @Slot(object)
    def set_index(self, index: CorpusIndex) -> None:
        self._index = index
        self._service = SearchService(index)
        self._catalog = index.catalog()

    @Slot(int, str)
    def list_articles(self, generation: int, sort: str) -> None:
        if self._catalog is None or generation < self._library.latest_query:
            return
        try:
            rows = self._catalog.articles("date-asc" if sort == "date-asc" else "date")
        except Exception as exc:
            self.failed.emit(f"Cannot list articles: {exc}")
            return
        self.listed.emit(generation, rows)

    @Slot(int, str, int, str)
    def search(self, generation: int, text: str, offset: int, sort: str) -> None:
        if self._service is None or generation < self._library.latest_query:
            return
        try:
            result = self._service.search(text, limit=PAGE_SIZE, offset=offset, sort=sort)
        except Exception as exc:
            self.failed.emit(f"Search failed: {exc}")
            traceback.print_exc()
            return
        self.searched.emit(generation, result)

    @Slot(int, str, object)
    def load_article(self, generation: int, path: str, terms: dict[str, set[str]]) -> None:
        if self._index is None or generation < self._library.latest_article:
            return
        try:
            article = load_article(self._index.corpus, path)
        except ArticleError as exc:
            self.article_failed.emit(generation, path, str(exc))
            return
        marks = find_marks(article, terms) if terms else []
        self.article_loaded.emit(generation, LoadedArticle(article, marks))

    @Slot()
    def close(self) -> None:
        if self._service is not None:
            self._service.close()
        if self._catalog is not None:
            self._catalog.close()
        self._service = self._catalog = self._index = None


class Library(QObject):
    """Owns the worker threads for one corpus folder.

    Signals:
        index_opened(): the index is open; listings and searches can be answered.
        sync_progress(int done, int total): files read so far during a sync.
        batch_committed(): new documents became searchable during a sync.
        sync_finished(SyncReport): a sync ended (``cancelled`` tells if it was stopped).
        articles_listed(int generation, list[ArticleRow]): answer to ``list_articles``.
        search_finished(int generation, SearchResult): answer to ``search``.
        article_loaded(int generation, LoadedArticle): answer to ``load_article``.
        article_failed(int generation, str path, str reason): the article could not be read.
        error_occurred(str message): a one-line message for the user.
    """

    index_opened = Signal()
    sync_progress = Signal(int, int)
    batch_committed = Signal()
    sync_finished = Signal(object)
    articles_listed = Signal(int, object)
    search_finished = Signal(int, object)
    article_loaded = Signal(int, object)
    article_failed = Signal(int, str, str)
    error_occurred = Signal(str)

    # Requests, queued to the worker threads.
    _open_requested = Signal()
    _sync_requested = Signal()
    _list_requested = Signal(int, str)
    _search_requested = Signal(int, str, int, str)
    _article_requested = Signal(int, str, object)
    _close_requested = Signal()

    def __init__(self, corpus: Path, index_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self.latest_query = 0
        self.latest_article = 0
        self.ready = False
        self.syncing = False
        self._cancel = threading.Event()

        self._index_thread = QThread()
        self._index_thread.setObjectName("corpus-reader-index")
        self._index_worker = _IndexWorker(corpus, index_dir, self._cancel)
        self._index_worker.moveToThread(self._index_thread)
        self._search_thread = QThread()
        self._search_thread.setObjectName("corpus-reader-search")
        self._search_worker = _SearchWorker(self)
        self._search_worker.moveToThread(self._search_thread)

        self._open_requested.connect(self._index_worker.open_and_sync)
        self._sync_requested.connect(self._index_worker.sync)
        self._list_requested.connect(self._search_worker.list_articles)
        self._search_requested.connect(self._search_worker.search)
        self._article_requested.connect(self._search_worker.load_article)
        self._close_requested.connect(self._index_worker.close)
        self._close_requested.connect(self._search_worker.close)

        self._index_worker.opened.connect(self._search_worker.set_index)
        self._index_worker.opened.connect(self._on_index_worker_opened)
        self._index_worker.progress.connect(self.sync_progress)
        self._index_worker.batch_committed.connect(self.batch_committed)
        self._index_worker.synced.connect(self._on_index_worker_synced)
        self._index_worker.failed.connect(self._on_worker_failed)
        self._search_worker.listed.connect(self.articles_listed)
        self._search_worker.searched.connect(self.search_finished)
        self._search_worker.article_loaded.connect(self.article_loaded)
        self._search_worker.article_failed.connect(self.article_failed)
        self._search_worker.failed.connect(self.error_occurred)

        self._index_thread.start()
        self._search_thread.start()

    def start(self) -> None:
        """Open the index and sync it in the background."""
        self.syncing = True
        self._open_requested.emit()

    def sync(self) -> None:
        if self.ready and not self.syncing:
            self.syncing = True
            self._sync_requested.emit()

    def list_articles(self, sort: str = "date") -> int:
        self.latest_query += 1
        self._list_requested.emit(self.latest_query, sort)
        return self.latest_query

    def search(self, text: str, sort: str = "relevance", offset: int = 0) -> int:
        """Ask for a page of hits; a request with ``offset`` > 0 continues the latest query."""
        if offset == 0:
            self.latest_query += 1
        self._search_requested.emit(self.latest_query, text, offset, sort)
        return self.latest_query

    def load_article(self, path: str, terms: dict[str, set[str]] | None = None) -> int:
        self.latest_article += 1
        self._article_requested.emit(self.latest_article, path, terms or {})
        return self.latest_article

    def shutdown(self) -> None:
        """Stop a running sync at the next file, close the index and end both threads."""
        self._cancel.set()
        self._close_requested.emit()
        for thread in (self._index_thread, self._search_thread):
            thread.quit()
            thread.wait()

    @Slot(object)
    def _on_index_worker_opened(self, _index: object) -> None:
        self.ready = True
        self.index_opened.emit()

    @Slot(object)
    def _on_index_worker_synced(self, report: SyncReport) -> None:
        self.syncing = False
        self.sync_finished.emit(report)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.syncing = False
        self.error_occurred.emit(message)


__all__ = ["PAGE_SIZE", "ArticleRow", "Library", "LoadedArticle", "SearchResult"]
