"""What each lane's jobs work with. A context is used only on its lane's thread (one SQLite
connection per lane), except ``attach``, which the writer lane's open and rebuild hand over."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.annotations import AnnotationStore

if TYPE_CHECKING:
    from reader.core.catalog import Catalog
    from reader.core.index import CorpusIndex
    from reader.core.mark_filter import PathTable
    from reader.core.search import SearchService


def _no_interleave() -> None:
    pass


def _not_stopping() -> bool:
    return False


class _Context:
    def __init__(self, corpus: Path, annotations_db: Path, notice: Callable[[str], None]) -> None:
        self.corpus = corpus
        self._annotations_db = annotations_db
        #: Tell the user something that is not an error (the library's ``notice`` signal).
        self.notify = notice
        self._store: AnnotationStore | None = None
        #: Set by the lane: runs the quick jobs queued meanwhile (see runner.Lane.interleave).
        self.interleave: Callable[[], None] = _no_interleave
        #: Set by the lane: whether it is shutting down (a long job stops at its next step).
        self.stopping: Callable[[], bool] = _not_stopping

    def annotations(self) -> AnnotationStore:
        """This lane's connection to the annotations database, opened on first use."""
        if self._store is None:
            self._store = AnnotationStore(self._annotations_db)
            if self._store.notice:
                self.notify(self._store.notice)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class ReaderContext(_Context):
    """The reader lane's: the open index's searcher and catalog, and annotations to read."""

    def __init__(
        self,
        corpus: Path,
        annotations_db: Path,
        notice: Callable[[str], None],
        quick_table_docs: int | None = None,
    ) -> None:
        super().__init__(corpus, annotations_db, notice)
        #: Up to this many documents the path table is read when a search needs it; above, it
        #: is filled in the background (``fill_paths``) and searches count unread once it is.
        #: None: mark_filter's QUICK_TABLE_DOCS (set at ``attach``, on the lane: the window
        #: imports none of the index's modules before it shows).
        self.quick_table_docs = quick_table_docs
        self.index: CorpusIndex | None = None
        self._service: SearchService | None = None
        self._catalog: Catalog | None = None
        #: State an operation keeps between its jobs (a running concordance), by operation.
        self.state: dict[str, Any] = {}
        #: Article path -> document number per index segment (mark_filter.py), kept across
        #: searchers and rebuilds of the service (made at the first ``attach``).
        self.paths: PathTable | None = None

    def attach(self, index: CorpusIndex) -> None:
        """Read ``index`` from now on (again after a rebuild: the old searcher and catalog
        belong to the removed index)."""
        from reader.core.mark_filter import QUICK_TABLE_DOCS, MarkSource, PathTable
        from reader.core.search import SearchService

        self.detach()
        self.index = index
        if self.quick_table_docs is None:
            self.quick_table_docs = QUICK_TABLE_DOCS
        if self.paths is None:
            self.paths = PathTable()
        # is:/label: terms and the hits' read state and labels, from this lane's connection.
        marks = MarkSource(
            str(index.corpus),
            self.annotations,
            owns_store=False,
            paths=self.paths,
            quick_docs=self.quick_table_docs,
        )
        self._service = SearchService(index, marks)
        self._catalog = index.catalog()

    def detach(self) -> None:
        if self._service is not None:
            self._service.close()
        if self._catalog is not None:
            self._catalog.close()
        self._service = self._catalog = None
        self.state.clear()

    def fill_paths(self, stop: Callable[[], bool]) -> bool:
        """Read the path table of every segment that lacks one, in batches with the lane's other
        jobs going between (``interleave``). Whether it is complete (False: stopped, or a small
        index that needs none)."""
        if self.index is None or self.paths is None or self.quick_table_docs is None:
            return False
        with self.index.ix.searcher() as searcher:  # its own: the lane's searcher serves between
            if searcher.doc_count_all() <= self.quick_table_docs:
                return False
            return self.paths.fill(searcher, step=self.interleave, stop=stop)

    @property
    def service(self) -> SearchService:
        if self._service is None:
            raise RuntimeError("the index is not open")
        return self._service

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            raise RuntimeError("the index is not open")
        return self._catalog

    def searcher(self) -> Any:
        """The current Whoosh searcher (reopened by the service after index changes)."""
        return self.service.searcher()

    def close(self) -> None:
        self.detach()
        self.index = None
        super().close()


class WriterContext(_Context):
    """The writer lane's: the index it opens, syncs and rebuilds, and annotations to write."""

    def __init__(
        self,
        corpus: Path,
        index_dir: Path,
        annotations_db: Path,
        cancel: threading.Event,
        notice: Callable[[str], None],
    ) -> None:
        super().__init__(corpus, annotations_db, notice)
        self.index_dir = index_dir
        #: Set at shutdown: a running sync stops at the next file.
        self.cancel = cancel
        self.index: CorpusIndex | None = None
        #: Stories were brought up to date once this session (operations/index.py).
        self.stories_checked = False

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None
        super().close()
