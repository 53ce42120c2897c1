"""The ``is:`` and ``label:`` query terms: filters that come from the annotations database.

``query.parse`` turns each such term into a ``MarkQuery`` leaf, so it combines with everything
else (``is:unread Karabakh date:2020``, ``-label:done``, ``(label:a OR label:b)``). A leaf
matches the document numbers a ``MarkSource`` gives it: the source maps the article paths that
SQLite knows (read, bookmarked, highlighted, labelled) to the searcher's document numbers.

Speed: "unread" is every live document minus the read ones, so only the read set is stored and
looked up. Paths are mapped to document numbers through a per-segment table read from the
``path`` field's terms (segments never change, so a sync only adds small new tables); the
resulting sets are cached per searcher and annotations generation (``marks.generation``).
"""

from __future__ import annotations

import sqlite3
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

if TYPE_CHECKING:
    from reader.core.annotations import AnnotationStore
    from reader.core.search import Hit

H = TypeVar("H", bound="Hit")
#: Up to this many documents, reading the path table takes under a tenth of a second.
QUICK_TABLE_DOCS = 5000
KINDS = ("unread", "read", "bookmarked", "highlighted", "label")


class MarkQuery(wq.Query):  # type: ignore[misc]  # Whoosh is untyped
    """A query leaf matching the articles in one read state or with one label (``kind``/``value``)."""

    def __init__(self, kind: str, value: str = "", source: MarkSource | None = None) -> None:
        self.kind = kind
        self.value = value
        self.source = source
        self.boost = 1.0

    def __repr__(self) -> str:
        return f"MarkQuery({self.kind!r}, {self.value!r})"

    def __str__(self) -> str:
        return f"label:{self.value}" if self.kind == "label" else f"is:{self.kind}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MarkQuery) and (self.kind, self.value) == (other.kind, other.value)

    def __hash__(self) -> int:
        return hash((MarkQuery, self.kind, self.value))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: IndexReader) -> int:
        return int(ixreader.doc_count())

    def local_ids(self, searcher: Searcher) -> list[int]:
        """The matching documents of ``searcher`` (the prepared one or one of its segments)."""
        return self.source.local_docnums(searcher, self.kind, self.value) if self.source is not None else []

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        ids = self.local_ids(searcher)
        return ListMatcher(ids) if ids else NullMatcher()


def bind(q: wq.Query, source: MarkSource | None) -> wq.Query:
    """Give every ``MarkQuery`` leaf of ``q`` its source (``None``: they match nothing)."""

    def give(node: wq.Query) -> wq.Query:
        if isinstance(node, MarkQuery):
            return MarkQuery(node.kind, node.value, source)
        return node

    return q.accept(give)


def has_marks(q: wq.Query) -> bool:
    return any(isinstance(leaf, MarkQuery) for leaf in q.leaves()) or isinstance(q, MarkQuery)


#: Path terms read between two steps of ``PathTable.fill`` (a few milliseconds' work).
FILL_BATCH = 2000


class PathTable:
    """Article path -> document number, per index segment, kept across searchers (and shared by
    threads; the window fills it ahead on its reader lane, between searches: ``fill``)."""

    def __init__(self) -> None:
        self._segments: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(reader: IndexReader) -> str:
        segment = reader.segment() if hasattr(reader, "segment") else None
        return str(segment.segid) if segment is not None else f"reader-{id(reader)}"

    def ready(self, searcher: Searcher) -> bool:
        """Whether every segment of ``searcher`` has its table (mapping costs nothing more)."""
        with self._lock:
            return all(self._key(sub.reader()) in self._segments for sub, _ in _leaves(searcher))

    def fill(
        self,
        searcher: Searcher,
        step: Callable[[], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> bool:
        """Read the table of every segment of ``searcher`` that has none yet, ``FILL_BATCH``
        paths at a time, calling ``step()`` between batches (other work goes first); segments
        read before are not read again, so after a sync only its new segments are. Returns
        whether every segment has its table (False when ``stop()`` said to stop)."""
        leaves = _leaves(searcher)
        with self._lock:
            live = {self._key(sub.reader()) for sub, _ in leaves}
            for gone in [key for key in self._segments if key not in live]:
                del self._segments[gone]  # merged away (or an index rebuilt): not needed again
        for sub, _offset in leaves:
            reader = sub.reader()
            key = self._key(reader)
            with self._lock:
                if key in self._segments:
                    continue
            table: dict[str, int] = {}
            terms = reader.iter_field("path")
            while True:
                batch = list(islice(terms, FILL_BATCH))
                for text, info in batch:
                    _add_path(table, reader, text, info)
                if len(batch) < FILL_BATCH:
                    break
                if step is not None:
                    step()
                if stop is not None and stop():
                    return False
            with self._lock:
                self._segments.setdefault(key, table)
        return True

    def for_searcher(self, searcher: Searcher) -> dict[str, int]:
        """Every live document's path and (global) number in ``searcher``."""
        out: dict[str, int] = {}
        live: set[str] = set()
        for sub, offset in _leaves(searcher):
            reader = sub.reader()
            key = self._key(reader)
            live.add(key)
            with self._lock:
                table = self._segments.get(key)
            if table is None:
                table = _segment_table(reader)  # about 2 s per 100,000 articles
                with self._lock:
                    self._segments[key] = table
            deleted = reader.has_deletions()
            for path, local in table.items():
                if deleted and reader.is_deleted(local):
                    continue
                out[path] = local + offset
        with self._lock:
            for key in list(self._segments):
                if key not in live:  # merged away
                    del self._segments[key]
        return out


def _leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return list(searcher.leaf_searchers())


def _segment_table(reader: IndexReader) -> dict[str, int]:
    table: dict[str, int] = {}
    for text, info in reader.iter_field("path"):
        _add_path(table, reader, text, info)
    return table


def _add_path(table: dict[str, int], reader: IndexReader, text: bytes | str, info: Any) -> None:
    path = text.decode("utf-8") if isinstance(text, bytes) else str(text)
    if info.doc_frequency() == 1:
        table[path] = info.min_id()
    else:  # updated within one segment: the live copy is the last one
        ids = [d for d in reader.postings("path", text).all_ids() if not reader.is_deleted(d)]
        if ids:
            table[path] = ids[-1]


# (A string: the annotations modules are imported only where a store exists, see MarkSource.store.)
StoreOpener = Callable[[], "AnnotationStore | None"]


class MarkSource:
    """Answers ``MarkQuery`` leaves for one corpus from one thread's annotations connection.

    ``open_store`` gives the connection (or None while there is no database: nothing is read,
    nothing labelled); ``close`` closes it only if ``owns_store``. Use one MarkSource per
    thread, like the searcher it serves.
    """

    def __init__(
        self,
        corpus: str,
        open_store: StoreOpener,
        owns_store: bool = True,
        paths: PathTable | None = None,
        quick_docs: int = QUICK_TABLE_DOCS,
    ) -> None:
        self.corpus = corpus
        #: Up to this many documents, a plain search reads the path table itself (to count
        #: unread); above, it counts once the table is filled (``PathTable.fill``).
        self.quick_docs = quick_docs
        self._open_store = open_store
        self._owns_store = owns_store
        self._store: AnnotationStore | None = None
        self._paths = paths if paths is not None else PathTable()
        self._mapped = False
        self._searcher: Searcher | None = None
        self._path_map: dict[str, int] = {}
        self._all: list[int] = []
        self._dates: tuple[list[int], list[int]] | None = None  # documents newest, oldest first
        self._sets: dict[str, set[int]] = {}
        self._offsets: dict[int, int] = {}
        self._cache: dict[tuple[str, str], list[int]] = {}
        self._cache_key: tuple[int, int] = (-1, -1)

    def close(self) -> None:
        if self._store is not None and self._owns_store:
            self._store.close()
        self._store = None

    def store(self) -> AnnotationStore | None:
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def generation(self) -> int:
        """The annotations generation: part of every cache key of a filtered search."""
        store = self.store()
        if store is None:
            return 0
        from reader.core import marks  # (in each method: no store, no annotations code imported)

        return marks.generation(store, self.corpus)

    def prepare(self, searcher: Searcher) -> None:
        """Serve ``searcher`` (the top-level one a query runs on) from now on."""
        generation = self.generation()
        if searcher is not self._searcher:
            self._searcher = searcher
            self._mapped = False  # mapped when first needed: a plain search does not wait for it
            self._path_map, self._all = {}, []
            self._dates = None
            self._offsets = {id(sub): offset for sub, offset in _leaves(searcher)}
            self._cache_key = (-1, -1)
        key = (id(searcher), generation)
        if key != self._cache_key:
            self._cache = {}
            self._sets = {}
            self._cache_key = key

    def ready(self) -> bool:
        """Whether answering is cheap: the path table is at hand, or quick to read (a small index)."""
        searcher = self._searcher
        if searcher is None:
            return False
        return self._mapped or searcher.doc_count_all() <= self.quick_docs or self._paths.ready(searcher)

    def _ensure_mapped(self) -> None:
        if not self._mapped and self._searcher is not None:
            self._path_map = self._paths.for_searcher(self._searcher)
            self._all = sorted(self._path_map.values())
            self._mapped = True

    def docnums(self, kind: str, value: str = "") -> list[int]:
        """The sorted global document numbers of the prepared searcher in that state."""
        self._ensure_mapped()
        cached = self._cache.get((kind, value))
        if cached is not None:
            return cached
        if kind == "unread":
            read = self._read_set()
            found = [d for d in self._all if d not in read] if read else self._all
        else:
            paths = self._paths_for(kind, value)
            found = sorted(d for d in (self._path_map.get(p) for p in paths) if d is not None)
        self._cache[(kind, value)] = found
        return found

    def only_marks(self, q: wq.Query) -> set[int] | None:
        """The documents a query made only of is:/label: terms (with AND, OR, NOT) matches, by set
        arithmetic; None when it has other parts (words, dates: Whoosh answers those)."""
        if isinstance(q, MarkQuery):
            return set(self.docnums(q.kind, q.value))
        if isinstance(q, wq.Not):
            inner = self.only_marks(q.query)
            return None if inner is None else set(self._all) - inner
        if isinstance(q, wq.AndNot):
            a, b = self.only_marks(q.a), self.only_marks(q.b)
            return None if a is None or b is None else a - b
        if isinstance(q, (wq.And, wq.Or)):
            parts = [self.only_marks(child) for child in q.subqueries]
            if not parts or any(part is None for part in parts):
                return None
            sets = [part for part in parts if part is not None]
            return set.intersection(*sets) if isinstance(q, wq.And) else set.union(*sets)
        return None

    def ordered(self, q: wq.Query, searcher: Searcher, sort: str) -> list[int] | None:
        """Every document of a query made only of is:/label: terms, in order, without Whoosh's
        per-hit scoring (90,000 matches: a set difference and a walk): all score alike, so by
        relevance they come in index order, as Whoosh orders ties; by date, newest or oldest
        first, undated last. None for any other query."""
        if isinstance(q, MarkQuery) and sort not in ("date", "date-asc"):
            return self.docnums(q.kind, q.value)  # sorted already
        found = self.only_marks(q)
        if found is None:
            return None
        if sort not in ("date", "date-asc"):
            return sorted(found)
        return [d for d in self._date_order(searcher, sort) if d in found]

    def ranking(self, q: wq.Query, searcher: Searcher, sort: str) -> list[tuple[float, int]] | None:
        """``ordered`` as ``(score, docnum)``: 1.0 by relevance, 0.0 by date (as Whoosh gives)."""
        found = self.ordered(q, searcher, sort)
        score = 0.0 if sort in ("date", "date-asc") else 1.0
        return None if found is None else [(score, d) for d in found]

    def _date_order(self, searcher: Searcher, sort: str) -> list[int]:
        """Every live document by date (``date``: newest first; ``date-asc``: oldest first),
        undated last, ties in index order: sorted once per searcher."""
        self._ensure_mapped()
        if self._dates is None:
            reader = searcher.reader()
            live = self._all
            if reader.has_column("dated") and reader.has_column("date"):
                # By number, not by iterating: a segment without the column has none to iterate.
                dated_column = reader.column_reader("dated", translate=False)
                date_column = reader.column_reader("date", translate=False)
                dated = {d: int(dated_column[d] or 0) for d in live}
                date = {d: int(date_column[d] or 0) for d in live}
                newest = sorted(live, key=lambda d: (-dated[d], -date[d], d))
                oldest = sorted(live, key=lambda d: (-dated[d], date[d], d))
            else:
                newest = oldest = list(live)
            self._dates = (newest, oldest)
        return self._dates[0] if sort == "date" else self._dates[1]

    def count_unread(self, docnums: Iterable[int]) -> int:
        """How many of ``docnums`` (of the prepared searcher) are unread."""
        read = self._read_set()
        if not read:
            return sum(1 for _ in docnums)
        return sum(1 for d in docnums if d not in read)

    def _read_set(self) -> set[int]:
        cached = self._sets.get("read")
        if cached is None:
            cached = self._sets["read"] = set(self.docnums("read"))
        return cached

    def label_names(self) -> list[str]:
        """Every label of the corpus, by name."""
        store = self.store()
        if store is None:
            return []
        from reader.core import marks

        return [label.name for label in marks.labels(store, self.corpus)]

    def docnums_of(self, paths: Iterable[str]) -> set[int]:
        """The document numbers of ``paths`` in the prepared searcher (missing ones left out)."""
        self._ensure_mapped()
        found = (self._path_map.get(p) for p in paths)
        return {d for d in found if d is not None}

    def local_docnums(self, searcher: Searcher, kind: str, value: str) -> list[int]:
        """The document numbers of ``searcher`` (the prepared one or one of its segments)."""
        if self._searcher is None:
            return []
        offset = 0 if searcher is self._searcher else self._offsets.get(id(searcher))
        if offset is None:
            return []
        found = self.docnums(kind, value)
        if searcher is self._searcher:
            return found
        lo = bisect_left(found, offset)
        hi = bisect_left(found, offset + searcher.doc_count_all())
        return [d - offset for d in found[lo:hi]]

    def _paths_for(self, kind: str, value: str) -> set[str]:
        store = self.store()
        if store is None:
            return set()
        from reader.core import marks

        if kind == "read":
            return marks.read_paths(store, self.corpus)
        if kind == "label":
            return marks.paths_with_label(store, self.corpus, value)
        what = "bookmark" if kind == "bookmarked" else "highlight"
        try:
            rows = store.db.execute(
                "SELECT DISTINCT path FROM annotations WHERE corpus = ? AND kind = ? AND state = 'anchored'",
                (self.corpus, what),
            )
        except sqlite3.OperationalError:
            return set()
        return {row[0] for row in rows}

    def annotate(self, hits: list[H]) -> list[H]:
        """The hits with their read state and label names."""
        store = self.store()
        if store is None or not hits:
            return hits
        from reader.core import marks

        paths = [h.path for h in hits]
        read = marks.read_among(store, self.corpus, paths)
        labelled = marks.labels_by_path(store, self.corpus, paths)
        return [
            replace(h, read=h.path in read, labels=tuple(label.name for label in labelled.get(h.path, ())))
            for h in hits
        ]
