"""The window's door to the core: index sync and searches on worker threads, results by signal.

Two threads: the index thread opens the index and syncs it (the only writer); the search thread
answers listings, searches and article loads. The GUI thread only sends requests and receives
signals, so it never waits on disk, the index or SQLite.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sqlite3
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from reader.core.annotation_io import dumps_w3c, from_w3c, to_markdown, with_article_info
from reader.core.annotation_sync import reconcile
from reader.core.annotations import Annotation, AnnotationError, AnnotationStore
from reader.core.catalog import ArticleRow, Catalog
from reader.core.concordance import Concordance, Occurrence, start_concordance
from reader.core.corpus import (
    Article,
    ArticleError,
    corpus_folders,
    extract_articles,
    load_article,
    read_bytes,
    read_limit,
)
from reader.core.facets import facet_counts
from reader.core.index import CorpusIndex, IndexError_, SyncReport, open_index
from reader.core.saved_searches import count_all, delete_search, get, mark_opened, matching_paths, save_search
from reader.core.search import SearchResult, SearchService, find_marks
from reader.core.similar import more_like_this
from reader.core.timeline import timeline_for
from reader.gui.tasks.analysis import AnalysisLane
from reader.gui.tasks.watcher import (
    DEBOUNCE_MS,
    MAX_WATCHED_FILES,
    MAX_WATCHED_FOLDERS,
    POLL_MS,
    CorpusWatcher,
)
from reader.gui.views.article_list import row_from_article

_T = TypeVar("_T")

#: How long after start-up an existing index is synced (see _IndexWorker.open_and_sync).
STARTUP_SYNC_DELAY_MS = 1500
PAGE_SIZE = 50  # hits with snippets a search answers with; scrolling asks for more


@dataclass(frozen=True)
class LoadedArticle:
    article: Article
    marks: list[tuple[int, int]]
    highlights: list[Annotation] = field(default_factory=list)
    bookmark: Annotation | None = None
    outside: bool = False  # read on its own, not an article of the corpus: no annotations


class _IndexWorker(QObject):
    """Lives on the index thread. Signals: see Library."""

    opened = Signal(object)  # CorpusIndex
    progress = Signal(int, int)
    batch_committed = Signal()
    synced = Signal(object)  # SyncReport
    watch_listed = Signal(object)  # list[str]: folders and files to watch
    waiting = Signal()
    notice = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        corpus: Path,
        index_dir: Path,
        annotations_db: Path,
        cancel: threading.Event,
        sync_delay_ms: int = 0,
    ) -> None:
        super().__init__()
        self._sync_delay_ms = sync_delay_ms
        self._corpus = corpus
        self._index_dir = index_dir
        self._annotations_db = annotations_db
        self._cancel = cancel
        self._index: CorpusIndex | None = None
        self._stories_checked = False

    @Slot()
    def open_and_sync(self) -> None:
        try:
            self._index = open_index(self._corpus, self._index_dir, on_wait=self.waiting.emit)
        except Exception as exc:
            self.failed.emit(f"Cannot open the index: {exc}")
            return
        self.opened.emit(self._index)
        if self._sync_delay_ms and not self._index.rebuilt and not self._index.ix.is_empty():
            # The index from last time answers at once; the sync (a walk over every file, which
            # competes for the interpreter) starts once the first listing and search are served.
            QTimer.singleShot(self._sync_delay_ms, self.sync)
        else:
            self.sync()

    @Slot()
    def rebuild(self) -> None:
        """Start the index again (damage found after opening) and fill it."""
        if self._index is None:
            return
        try:
            self._index.rebuild()
        except Exception as exc:
            self.failed.emit(f"Cannot rebuild the index: {exc}")
            return
        self.opened.emit(self._index)  # the search thread opens the new index
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
        except IndexError_ as exc:  # read-only or full: searching what exists still works
            self.failed.emit(f"The index is not updated: {exc}")
            return
        except Exception as exc:
            if self._index.damaged(thorough=True):
                self.rebuild()
                return
            self.failed.emit(f"Indexing stopped: {exc}")
            return
        if report.changed:
            self._reconcile(report)
        if report.changed or not self._stories_checked:
            self._update_stories()
        self.synced.emit(report)
        self._list_watch_targets()

    def _update_stories(self) -> None:
        """Stories and the words insights read, for what the sync changed (and, once a session,
        whatever an interrupted run left behind)."""
        if self._index is None or self._index.read_only is not None:
            return
        from reader.core.stories import update_stories

        catalog = self._index.catalog()
        try:
            changes = update_stories(self._index.dir, self._index.corpus, catalog, cancel=self._cancel)
            self._stories_checked = not changes.cancelled
        except Exception as exc:  # stories are a cache: the rest works without them
            self.failed.emit(f"Stories are not updated: {exc}")
        finally:
            catalog.close()

    def _list_watch_targets(self) -> None:
        if self._index is None:
            return
        folders = corpus_folders(self._corpus, MAX_WATCHED_FOLDERS) or [self._corpus]
        paths = [str(f) for f in folders]
        try:
            catalog = self._index.catalog()
            try:
                if catalog.count() + len(catalog.problem_states()) <= MAX_WATCHED_FILES:
                    names = [*catalog.file_states(), *catalog.problem_states()]
                    # Not broken links or loops: the OS cannot watch them (and Qt would warn).
                    files = (str(self._corpus / name) for name in names)
                    paths.extend(f for f in files if os.path.isfile(f))
            finally:
                catalog.close()
        except sqlite3.Error:
            pass  # folders alone; the poll sees edits
        self.watch_listed.emit(paths)

    def _reconcile(self, report: SyncReport) -> None:
        """Keep highlights attached to the articles that changed (or list them as orphans)."""
        try:
            store = AnnotationStore(self._annotations_db)
        except (OSError, AnnotationError) as exc:
            self.failed.emit(f"Cannot check annotations: {exc}")
            return
        if store.notice:
            self.notice.emit(store.notice)
        try:
            reconcile(store, self._corpus, report)
        except Exception as exc:
            self.failed.emit(f"Cannot check annotations: {exc}")
        finally:
            store.close()

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
    annotations_listed = Signal(object)  # list[Annotation]
    annotation_saved = Signal(object)  # Annotation
    annotation_deleted = Signal(object)  # Annotation
    damage_found = Signal()
    notice = Signal(str)
    failed = Signal(str)
    concordance_started = Signal(int, object)  # generation, Concordance (no rows yet)
    concordance_rows_found = Signal(int, object)  # generation, list[Occurrence]
    concordance_finished = Signal(int, object)  # generation, Concordance
    _concordance_chunk_due = Signal()  # to itself, queued: other requests go between two chunks
    timeline_counted = Signal(int, object)  # generation, Timeline
    saved_searches_counted = Signal(int, object)  # generation, list[SavedSearchCount]
    facets_counted = Signal(int, object)  # generation, Facets
    similar_found = Signal(int, object)  # generation, SimilarResult
    words_completed = Signal(int, str, object)  # generation, prefix, list[str]

    def __init__(self, library: Library, annotations_db: Path) -> None:
        super().__init__()
        self._library = library
        self._annotations_db = annotations_db
        self._index: CorpusIndex | None = None
        self._service: SearchService | None = None
        self._catalog: Catalog | None = None
        self._store: AnnotationStore | None = None
        self._concordance: tuple[int, Concordance, Iterator[list[Occurrence]]] | None = None
        self._concordance_chunk_due.connect(self._next_concordance_chunk, Qt.ConnectionType.QueuedConnection)

    def _annotations(self) -> AnnotationStore:
        if self._store is None:
            self._store = AnnotationStore(self._annotations_db)
            if self._store.notice:
                self.notice.emit(self._store.notice)
        return self._store

    @Slot(object)
    def set_index(self, index: CorpusIndex) -> None:
        # Again after a rebuild: the old catalog file and searcher belong to the removed index.
        if self._service is not None:
            self._service.close()
        if self._catalog is not None:
            self._catalog.close()
        self._index = index
        self._service = SearchService(index)
        self._catalog = index.catalog()
        self._concordance = None

    @Slot(int, str)
    def list_articles(self, generation: int, sort: str) -> None:
        if self._catalog is None or generation < self._library.latest_query:
            return
        try:
            articles = self._catalog.articles("date-asc" if sort == "date-asc" else "date")
        except Exception as exc:
            self.failed.emit(f"Cannot list articles: {exc}")
            return
        # The list's rows are built here, not on the GUI thread: 100,000 of them take a while.
        self.listed.emit(generation, [row_from_article(a) for a in articles])

    def _read_index(self, read: Callable[[], _T], what: str) -> _T | None:
        """Run one read of the index; None when it failed (and the user was told, or the
        damaged index is being rebuilt)."""
        assert self._index is not None
        # A segment file cut short under a searcher's memory map would crash the process: check.
        if self._index.damaged():
            self._on_damage()
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # Whoosh leaves a damaged file open
            try:
                return read()
            except Exception as exc:
                damaged = self._index.damaged(thorough=True)
                if not damaged:
                    self.failed.emit(f"{what}: {exc}")
                    logging.getLogger("corpus-reader").exception(what)
                del exc
                gc.collect()
                if damaged:
                    self._on_damage()
                return None

    @Slot(int, str, int, str, bool)
    def search(self, generation: int, text: str, offset: int, sort: str, collapse: bool) -> None:
        if self._service is None or self._index is None or generation < self._library.latest_query:
            return
        service = self._service
        result = self._read_index(
            lambda: service.search(text, limit=PAGE_SIZE, offset=offset, sort=sort, collapse=collapse),
            "Search failed",
        )
        if result is not None:
            self.searched.emit(generation, result)

    @Slot(int, str)
    def count_timeline(self, generation: int, text: str) -> None:
        if self._service is None or self._index is None or generation < self._library.latest_timeline:
            return
        service = self._service
        timeline = self._read_index(
            lambda: timeline_for(service.searcher(), text), "Cannot count the timeline"
        )
        if timeline is not None:
            self.timeline_counted.emit(generation, timeline)

    @Slot(int, str)
    def complete_word(self, generation: int, prefix: str) -> None:
        if self._catalog is None or generation < self._library.latest_completion:
            return
        try:
            words = self._catalog.words_with_prefix(prefix.lower())
        except sqlite3.Error:
            return  # completions are a nicety: the search itself reports what is wrong
        self.words_completed.emit(generation, prefix, words)

    @Slot(int, str)
    def more_like(self, generation: int, path: str) -> None:
        if self._service is None or self._index is None or generation < self._library.latest_query:
            return
        service, corpus = self._service, self._index.corpus
        result = self._read_index(
            lambda: more_like_this(service.searcher(), corpus, path), "Cannot find similar articles"
        )
        if result is not None:
            self.similar_found.emit(generation, result)

    @Slot(int, str)
    def count_facets(self, generation: int, text: str) -> None:
        if self._service is None or self._index is None or generation < self._library.latest_facets:
            return
        service = self._service
        facets = self._read_index(
            lambda: facet_counts(service.searcher(), text), "Cannot count sources and years"
        )
        if facets is not None:
            self.facets_counted.emit(generation, facets)

    @Slot(int)
    def count_saved_searches(self, generation: int) -> None:
        if self._service is None or self._index is None or generation < self._library.latest_saved:
            return
        service, corpus = self._service, str(self._index.corpus)
        counts = self._read_index(
            lambda: count_all(self._annotations(), corpus, service.searcher()),
            "Cannot count the saved searches",
        )
        if counts is not None:
            self.saved_searches_counted.emit(generation, counts)

    @Slot(str, str)
    def save_search(self, name: str, text: str) -> None:
        if self._service is None or self._index is None:
            return
        try:
            matches = matching_paths(self._service.searcher(), text)
            saved = save_search(self._annotations(), str(self._index.corpus), name, text, matches)
        except (AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Search not saved: {exc}")
            return
        self.notice.emit(f"Saved the search “{saved.query}” as “{saved.name}”")
        self.count_saved_searches(self._library.latest_saved)

    @Slot(int)
    def open_saved_search(self, search_id: int) -> None:
        """Mark a saved search seen: the articles matching it now are no longer new."""
        if self._service is None or self._index is None:
            return
        try:
            store = self._annotations()
            saved = get(store, search_id)
            if saved is not None and not store.read_only:
                mark_opened(store, search_id, matching_paths(self._service.searcher(), saved.query))
        except (AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Cannot update the saved search: {exc}")
            return
        self.count_saved_searches(self._library.latest_saved)

    @Slot(int)
    def delete_saved_search(self, search_id: int) -> None:
        try:
            delete_search(self._annotations(), search_id)
        except (AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Not deleted: {exc}")
            return
        self.count_saved_searches(self._library.latest_saved)

    @Slot(int, str, int)
    def concordance(self, generation: int, text: str, width: int) -> None:
        """Start a concordance; its rows follow a chunk of articles at a time (see Library)."""
        if self._service is None or self._index is None or generation < self._library.latest_concordance:
            return
        index, service = self._index, self._service
        run = self._read_index(
            lambda: start_concordance(index, text, searcher=service.searcher()), "Concordance failed"
        )
        if run is None:
            return
        self._concordance = (generation, run, run.chunks(self._index, width))
        self.concordance_started.emit(generation, run)
        self._concordance_chunk_due.emit()

    @Slot()
    def _next_concordance_chunk(self) -> None:
        if self._concordance is None:
            return
        generation, run, chunks = self._concordance
        if generation < self._library.latest_concordance:
            self._concordance = None  # a newer query (or a cancel) made it stale
            return
        try:
            rows = next(chunks)
        except StopIteration:
            self._concordance = None
            self.concordance_finished.emit(generation, run)
            return
        except Exception as exc:
            self._concordance = None
            self.failed.emit(f"Concordance failed: {exc}")
            return
        if rows:
            self.concordance_rows_found.emit(generation, rows)
        self._concordance_chunk_due.emit()

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
        corpus = str(self._index.corpus)
        try:
            store = self._annotations()
            # The file may have changed since the last sync: check the anchors against this text.
            store.reanchor_article(corpus, path, article.plain_text)
            highlights = [a for a in store.for_article(corpus, path) if a.kind == "highlight"]
            bookmark = store.bookmark_for(corpus, path)
        except (AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Cannot read annotations: {exc}")
            highlights, bookmark = [], None
        self.article_loaded.emit(generation, LoadedArticle(article, marks, highlights, bookmark))

    @Slot(int, str, str)
    def load_file(self, generation: int, path: str, article_id: str) -> None:
        # Needs no index: a file given on the command line shows before the index is open.
        if generation < self._library.latest_article:
            return
        try:
            data, truncated = read_bytes(Path(path), read_limit(path))
            articles = extract_articles(article_id, data, truncated).articles
            if not articles:
                raise ArticleError("no article in this file")
            article = articles[0]  # a feed or mbox opened on its own: its first article
        except ArticleError as exc:
            self.article_failed.emit(generation, article_id, str(exc))
            return
        outside = Path(article_id).is_absolute()
        self.article_loaded.emit(generation, LoadedArticle(article, [], outside=outside))

    def _on_damage(self) -> None:
        if self._service is not None:
            self._service.close()  # its searcher must not touch the damaged files again
        self.damage_found.emit()

    @Slot()
    def list_annotations(self) -> None:
        if self._index is None:
            return
        try:
            items = self._annotations_with_titles()
        except (AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Cannot read annotations: {exc}")
            return
        self.annotations_listed.emit(items)

    def _annotations_with_titles(self) -> list[Annotation]:
        """The corpus's annotations, with their articles' current titles and dates."""
        assert self._index is not None
        items = self._annotations().for_corpus(str(self._index.corpus))
        if self._catalog is None:
            self._catalog = self._index.catalog()
        return with_article_info(items, self._catalog.rows_for({a.path for a in items}))

    @Slot(object)
    def save_annotation(self, annotation: Annotation) -> None:
        try:
            self._annotations().put(annotation)
        except (AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Not saved: {exc}")
            return
        self.annotation_saved.emit(annotation)
        self.list_annotations()

    @Slot(str, object)
    def update_annotation(self, annotation_id: str, changes: dict[str, object]) -> None:
        try:
            changed = self._annotations().update(annotation_id, **changes)
        except (AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Not saved: {exc}")
            return
        self.annotation_saved.emit(changed)
        self.list_annotations()

    @Slot(str)
    def delete_annotation(self, annotation_id: str) -> None:
        try:
            deleted = self._annotations().delete(annotation_id)
        except (AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Not deleted: {exc}")
            return
        if deleted is not None:
            self.annotation_deleted.emit(deleted)
        self.list_annotations()

    @Slot(str, str)
    def export_annotations(self, fmt: str, target: str) -> None:
        if self._index is None:
            return
        try:
            items = self._annotations_with_titles()
            text = dumps_w3c(items, str(self._index.corpus)) if fmt == "w3c" else to_markdown(items)
            Path(target).write_text(text, encoding="utf-8")
        except (OSError, AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Export failed: {exc}")
            return
        self.notice.emit(f"Exported {len(items):,} annotations to {target}")

    @Slot(str)
    def import_annotations(self, source: str) -> None:
        if self._index is None:
            return
        corpus = self._index.corpus

        def text_for(path: str) -> str | None:
            try:
                return load_article(corpus, path).plain_text
            except ArticleError:
                return None

        notes: list[str] = []
        try:
            data = json.loads(Path(source).read_text("utf-8"))
            items = from_w3c(data, str(corpus), text_for, notes)
            self._annotations().put_many(items)
        except (OSError, ValueError, AnnotationError, sqlite3.Error) as exc:
            self.failed.emit(f"Import failed, nothing was imported: {exc}")
            return
        outside = f"; {len(notes):,} named files outside the corpus folder (orphaned)" if notes else ""
        self.notice.emit(f"Imported {len(items):,} annotations from {source}{outside}")
        self.list_annotations()

    @Slot()
    def close(self) -> None:
        if self._service is not None:
            self._service.close()
        if self._catalog is not None:
            self._catalog.close()
        if self._store is not None:
            self._store.close()
        self._service = self._catalog = self._index = self._store = None
        self._concordance = None


class Library(QObject):
    """Owns the worker threads for one corpus folder.

    Signals:
        index_opened(): the index is open; listings and searches can be answered. Again after
            a rebuild (``rebuilding`` is then True until the next ``sync_finished``).
        rebuild_started(): the index was found damaged while open and is being rebuilt.
        waiting_for_writer(): another Corpus Reader is indexing this folder; this one waits.
        sync_progress(int done, int total): files read so far during a sync.
        batch_committed(): new documents became searchable during a sync.
        sync_finished(SyncReport): a sync ended (``cancelled`` tells if it was stopped).
        articles_listed(int generation, list[Row]): answer to ``list_articles``, as list rows.
        search_finished(int generation, SearchResult): answer to ``search``.
        article_loaded(int generation, LoadedArticle): answer to ``load_article`` or ``load_file``.
        article_failed(int generation, str path, str reason): the article could not be read.
        annotations_listed(list[Annotation]): every annotation of the corpus, after any change.
        annotation_saved(Annotation): an annotation was created or changed (and committed).
        annotation_deleted(Annotation): an annotation was deleted (kept here for undo).
        timeline_counted(int generation, Timeline): answer to ``count_timeline``.
        saved_searches_counted(int generation, list[SavedSearchCount]): the saved searches with
            their counts, answering ``count_saved_searches`` and after saving, opening or deleting one.
        facets_counted(int generation, Facets): answer to ``count_facets``.
        words_completed(int generation, str prefix, list[str] words): answer to ``complete_word``.
        similar_found(int generation, SimilarResult): answer to ``more_like`` (its generation is
            a query generation: a later search makes it stale, and it makes a search stale).
        concordance_started(int generation, Concordance run): a concordance found its articles
            (``run.articles``, ``run.notes``); its rows follow.
        concordance_rows_found(int generation, list[Occurrence]): the next batch of rows, a chunk
            of articles read.
        concordance_finished(int generation, Concordance run): no more rows (``run.total``,
            ``run.capped``: the cap stopped it).
        notice(str message): something the user should know that is not an error.
        error_occurred(str message): a one-line message for the user.
    """

    index_opened = Signal()
    rebuild_started = Signal()
    waiting_for_writer = Signal()
    sync_progress = Signal(int, int)
    batch_committed = Signal()
    sync_finished = Signal(object)
    articles_listed = Signal(int, object)
    search_finished = Signal(int, object)
    article_loaded = Signal(int, object)
    article_failed = Signal(int, str, str)
    annotations_listed = Signal(object)
    annotation_saved = Signal(object)
    annotation_deleted = Signal(object)
    concordance_started = Signal(int, object)
    concordance_rows_found = Signal(int, object)
    concordance_finished = Signal(int, object)
    timeline_counted = Signal(int, object)
    saved_searches_counted = Signal(int, object)
    facets_counted = Signal(int, object)
    similar_found = Signal(int, object)
    words_completed = Signal(int, str, object)
    notice = Signal(str)
    error_occurred = Signal(str)

    # Requests, queued to the worker threads.
    _open_requested = Signal()
    _sync_requested = Signal()
    _rebuild_requested = Signal()
    _list_requested = Signal(int, str)
    _search_requested = Signal(int, str, int, str, bool)
    _article_requested = Signal(int, str, object)
    _close_requested = Signal()
    _annotations_requested = Signal()
    _save_requested = Signal(object)
    _update_requested = Signal(str, object)
    _delete_requested = Signal(str)
    _export_requested = Signal(str, str)
    _import_requested = Signal(str)
    _file_requested = Signal(int, str, str)
    _concordance_requested = Signal(int, str, int)
    _timeline_requested = Signal(int, str)
    _saved_count_requested = Signal(int)
    _facets_requested = Signal(int, str)
    _similar_requested = Signal(int, str)
    _completion_requested = Signal(int, str)
    _saved_save_requested = Signal(str, str)
    _saved_open_requested = Signal(int)
    _saved_delete_requested = Signal(int)

    def __init__(
        self,
        corpus: Path,
        index_dir: Path,
        annotations_db: Path,
        parent: QObject | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        poll_ms: int = POLL_MS,
        sync_delay_ms: int = 0,
    ) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self.latest_query = 0
        self.latest_article = 0
        self.latest_concordance = 0
        self.latest_timeline = 0
        self.latest_saved = 0
        self.latest_facets = 0
        self.latest_completion = 0
        self.ready = False
        self.syncing = False
        self.rebuilding = False
        self._sync_again = False
        self._cancel = threading.Event()
        # Changes in the folder while the window is open: a sync soon after.
        self.watcher = CorpusWatcher(debounce_ms, poll_ms, self)
        self.watcher.changed.connect(self.sync)

        self._index_thread = QThread()
        self._index_thread.setObjectName("corpus-reader-index")
        self._index_worker = _IndexWorker(corpus, index_dir, annotations_db, self._cancel, sync_delay_ms)
        self._index_worker.moveToThread(self._index_thread)
        self._search_thread = QThread()
        self._search_thread.setObjectName("corpus-reader-search")
        self._search_worker = _SearchWorker(self, annotations_db)
        self._search_worker.moveToThread(self._search_thread)

        self._open_requested.connect(self._index_worker.open_and_sync)
        self._sync_requested.connect(self._index_worker.sync)
        self._rebuild_requested.connect(self._index_worker.rebuild)
        self._list_requested.connect(self._search_worker.list_articles)
        self._search_requested.connect(self._search_worker.search)
        self._article_requested.connect(self._search_worker.load_article)
        self._close_requested.connect(self._index_worker.close)
        self._close_requested.connect(self._search_worker.close)
        self._annotations_requested.connect(self._search_worker.list_annotations)
        self._save_requested.connect(self._search_worker.save_annotation)
        self._update_requested.connect(self._search_worker.update_annotation)
        self._delete_requested.connect(self._search_worker.delete_annotation)
        self._export_requested.connect(self._search_worker.export_annotations)
        self._import_requested.connect(self._search_worker.import_annotations)
        self._file_requested.connect(self._search_worker.load_file)
        self._concordance_requested.connect(self._search_worker.concordance)
        self._timeline_requested.connect(self._search_worker.count_timeline)
        self._saved_count_requested.connect(self._search_worker.count_saved_searches)
        self._facets_requested.connect(self._search_worker.count_facets)
        self._similar_requested.connect(self._search_worker.more_like)
        self._completion_requested.connect(self._search_worker.complete_word)
        self._saved_save_requested.connect(self._search_worker.save_search)
        self._saved_open_requested.connect(self._search_worker.open_saved_search)
        self._saved_delete_requested.connect(self._search_worker.delete_saved_search)

        self._index_worker.opened.connect(self._search_worker.set_index)
        self._index_worker.opened.connect(self._on_index_worker_opened)
        self._index_worker.progress.connect(self.sync_progress)
        self._index_worker.batch_committed.connect(self.batch_committed)
        self._index_worker.synced.connect(self._on_index_worker_synced)
        self._index_worker.failed.connect(self._on_worker_failed)
        self._index_worker.watch_listed.connect(self.watcher.watch)
        self._index_worker.waiting.connect(self.waiting_for_writer)
        self._index_worker.notice.connect(self.notice)
        self._search_worker.damage_found.connect(self._on_search_worker_damage_found)
        self._search_worker.listed.connect(self.articles_listed)
        self._search_worker.searched.connect(self.search_finished)
        self._search_worker.article_loaded.connect(self.article_loaded)
        self._search_worker.article_failed.connect(self.article_failed)
        self._search_worker.failed.connect(self.error_occurred)
        self._search_worker.annotations_listed.connect(self.annotations_listed)
        self._search_worker.annotation_saved.connect(self.annotation_saved)
        self._search_worker.annotation_deleted.connect(self.annotation_deleted)
        self._search_worker.notice.connect(self.notice)
        self._search_worker.concordance_started.connect(self.concordance_started)
        self._search_worker.concordance_rows_found.connect(self.concordance_rows_found)
        self._search_worker.concordance_finished.connect(self.concordance_finished)
        self._search_worker.timeline_counted.connect(self.timeline_counted)
        self._search_worker.saved_searches_counted.connect(self.saved_searches_counted)
        self._search_worker.facets_counted.connect(self.facets_counted)
        self._search_worker.similar_found.connect(self.similar_found)
        self._search_worker.words_completed.connect(self.words_completed)

        #: The Versions and Insights panels' reads (stories, the word store, article files).
        self.analysis = AnalysisLane(self)

        self._index_thread.start()
        self._search_thread.start()

    def start(self) -> None:
        """Open the index and sync it in the background; then watch the folder for changes."""
        self.syncing = True
        self._open_requested.emit()
        self.watcher.start()

    def sync(self) -> None:
        """Sync again; asked while a sync runs, another follows it (changes may have come in)."""
        if not self.ready:
            return
        if self.syncing:
            self._sync_again = True
            return
        self.syncing = True
        self._sync_requested.emit()

    def list_articles(self, sort: str = "date") -> int:
        self.latest_query += 1
        self._list_requested.emit(self.latest_query, sort)
        return self.latest_query

    def search(self, text: str, sort: str = "relevance", offset: int = 0, collapse: bool = False) -> int:
        """Ask for a page of hits; a request with ``offset`` > 0 continues the latest query. With
        ``collapse``, one hit per story, its other matching versions attached."""
        if offset == 0:
            self.latest_query += 1
        self._search_requested.emit(self.latest_query, text, offset, sort, collapse)
        return self.latest_query

    def load_article(self, path: str, terms: dict[str, set[str]] | None = None) -> int:
        self.watcher.follow(str(self.corpus / path))  # an edit shows at once, however big the corpus
        self.latest_article += 1
        self._article_requested.emit(self.latest_article, path, terms or {})
        return self.latest_article

    def list_annotations(self) -> None:
        self._annotations_requested.emit()

    def concordance(self, text: str, width: int = 40) -> int:
        """Start a concordance of ``text``; a running one stops (answered by ``concordance_*``)."""
        self.latest_concordance += 1
        self._concordance_requested.emit(self.latest_concordance, text, width)
        return self.latest_concordance

    def count_timeline(self, text: str) -> int:
        """Count the articles matching ``text`` per date bucket (answered by ``timeline_counted``)."""
        self.latest_timeline += 1
        self._timeline_requested.emit(self.latest_timeline, text)
        return self.latest_timeline

    def complete_word(self, prefix: str) -> int:
        """Look up corpus words beginning with ``prefix`` (answered by ``words_completed``)."""
        self.latest_completion += 1
        self._completion_requested.emit(self.latest_completion, prefix)
        return self.latest_completion

    def more_like(self, path: str) -> int:
        """Find the articles most like ``path`` (answered by ``similar_found``); replaces the
        latest search or listing."""
        self.latest_query += 1
        self._similar_requested.emit(self.latest_query, path)
        return self.latest_query

    def count_facets(self, text: str) -> int:
        """Count the articles matching ``text`` per source and year (answered by ``facets_counted``)."""
        self.latest_facets += 1
        self._facets_requested.emit(self.latest_facets, text)
        return self.latest_facets

    def count_saved_searches(self) -> int:
        """Count every saved search again (answered by ``saved_searches_counted``)."""
        self.latest_saved += 1
        self._saved_count_requested.emit(self.latest_saved)
        return self.latest_saved

    def save_search(self, name: str, text: str) -> None:
        """Save the query ``text`` as ``name``; what matches it now counts as seen."""
        self._saved_save_requested.emit(name, text)

    def open_saved_search(self, search_id: int) -> None:
        """The user opened a saved search: its matches now count as seen."""
        self._saved_open_requested.emit(search_id)

    def delete_saved_search(self, search_id: int) -> None:
        self._saved_delete_requested.emit(search_id)

    def cancel_concordance(self) -> None:
        """Stop the running concordance at its next chunk."""
        self.latest_concordance += 1

    def save_annotation(self, annotation: Annotation) -> None:
        """Create or replace an annotation; committed on the worker, then announced."""
        self._save_requested.emit(annotation)

    def update_annotation(self, annotation_id: str, **changes: object) -> None:
        self._update_requested.emit(annotation_id, changes)

    def delete_annotation(self, annotation_id: str) -> None:
        self._delete_requested.emit(annotation_id)

    def export_annotations(self, fmt: str, target: Path) -> None:
        self._export_requested.emit(fmt, str(target))

    def import_annotations(self, source: Path) -> None:
        self._import_requested.emit(str(source))

    def load_file(self, path: Path, article_id: str | None = None) -> int:
        """Read the article file at ``path``, in the corpus or not (answered by ``article_loaded``
        or ``article_failed``); ``article_id`` names the article, by default its absolute path."""
        self.latest_article += 1
        self._file_requested.emit(self.latest_article, str(path), article_id or str(path))
        return self.latest_article

    def shutdown(self) -> None:
        """Stop a running sync at the next file, close the index and end both threads."""
        self.watcher.stop()
        self._cancel.set()
        self._close_requested.emit()
        self.analysis.shutdown()
        for thread in (self._index_thread, self._search_thread):
            thread.quit()
            thread.wait()

    @Slot(object)
    def _on_index_worker_opened(self, index: CorpusIndex) -> None:
        self.analysis.set_index(index)
        self.ready = True
        self.rebuilding = self.rebuilding or index.rebuilt
        self.index_opened.emit()

    @Slot()
    def _on_search_worker_damage_found(self) -> None:
        if self.rebuilding:
            return  # already on it
        self.rebuilding = True
        self.syncing = True
        self.rebuild_started.emit()
        self._rebuild_requested.emit()

    @Slot(object)
    def _on_index_worker_synced(self, report: SyncReport) -> None:
        self.syncing = False
        if not report.cancelled:
            self.rebuilding = False
        self.sync_finished.emit(report)
        if self._sync_again and not report.cancelled:
            self._sync_again = False
            self.sync()

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.syncing = False
        self.rebuilding = False
        self.error_occurred.emit(message)


__all__ = ["PAGE_SIZE", "ArticleRow", "Library", "LoadedArticle", "SearchResult"]
