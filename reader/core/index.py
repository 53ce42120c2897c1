"""The Whoosh index of one corpus folder: schema, opening (and rebuilding), incremental sync.

The index lives in its own folder under the user's cache (see ``Locations.index_dir``), next to
the catalog (``catalog.py``). Sync reads only files whose size or mtime changed, and re-indexes
only those whose content hash changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import shutil
import sqlite3
import threading
import time
import warnings
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import FileLock
from whoosh.writing import SegmentWriter

from reader.core.catalog import CATALOG_NAME, ArticleRow, Catalog, FileState
from reader.core.corpus import (
    ArticleError,
    FileStat,
    corpus_file,
    extract_articles,
    read_bytes,
    read_limit,
)
from reader.core.formats import Extracted
from reader.core.index_sync import (
    Batches,
    BatchFn,
    ProgressFn,
    SyncPlan,
    SyncReport,
    _forget,
    _unwritable,
    _write_failure,
    plan_sync,
)
from reader.core.merging import merge_step
from reader.core.postings import POSTINGS_KEY
from reader.core.schema import (
    INDEX_NAME,
    SCHEMA_VERSION,
    TEXT_FIELDS,
    document_for,
    make_analyzer,
    make_schema,
)
from reader.core.segments import STAGING, SliceEnd, clear_staging
from reader.core.spelling import Vocabulary

if TYPE_CHECKING:  # index_pool (multiprocessing, the parsers' analysis) is imported by a sync that reads
    from reader.core.index_pool import FileResult

__all__ = [
    "SCHEMA_VERSION",
    "TEXT_FIELDS",
    "CorpusIndex",
    "SyncReport",
    "document_for",
    "make_analyzer",
    "open_index",
]

#: Formats whose files grow only at the end, so a grown file's new part can be read alone.
APPENDABLE = (".mbox",)


class IndexError_(Exception):
    """The index cannot be opened or written; the message is for the user."""


class CorpusIndex:
    """The index and catalog of one corpus folder.

    Opening never fails on a damaged or outdated index: it is moved out of the way and rebuilt
    (``rebuilt`` tells). One process at a time syncs or rebuilds (``write.lock`` in the index
    folder, an OS lock that dies with its process); another waits, calling ``on_wait`` once.
    When the folder cannot be written (read-only, no permission), the index opens read-only,
    ``read_only`` says why and ``sync`` raises IndexError_ with that reason.
    """

    def __init__(self, corpus: Path, index_dir: Path, on_wait: Callable[[], None] | None = None) -> None:
        self.corpus = corpus
        self.dir = index_dir
        self.rebuilt = False
        self.on_wait = on_wait
        self._segment_sizes: dict[str, int] = {}
        if not self.dir.is_dir():  # (a read-only file system refuses mkdir even when it exists)
            self.dir.mkdir(parents=True, exist_ok=True)
        #: Why the index cannot be updated, in words for the user; None when it can.
        self.read_only: str | None = _unwritable(self.dir)
        self.ix = self._open_or_create()

    # --- opening -------------------------------------------------------------------------

    @property
    def _meta_path(self) -> Path:
        return self.dir / "meta.json"

    def _open_or_create(self) -> whoosh_index.FileIndex:
        whoosh_dir = self.dir / "whoosh"
        # Whoosh leaves a damaged file open when it fails to read it; the handle is closed when
        # the exception is dropped, which must not surface as a ResourceWarning.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            ix = self._try_open(whoosh_dir)
            if ix is None and self.read_only is None:
                # Rebuilt by one process only: another may have done it while this one waited.
                with self._writing():
                    self.rebuilt = False
                    ix = self._try_open(whoosh_dir)
                    if ix is None:
                        ix = self._create(whoosh_dir)
            if self.rebuilt:
                gc.collect()
        if ix is None:
            what = "is damaged or outdated" if self.rebuilt else "does not exist yet"
            raise IndexError_(f"the index {what} and cannot be rebuilt: {self.read_only}")
        self._note_segments()
        return ix

    def _try_open(self, whoosh_dir: Path) -> whoosh_index.FileIndex | None:
        try:
            meta = json.loads(self._meta_path.read_text("utf-8"))
            if meta.get("schema") != SCHEMA_VERSION:
                raise ValueError("schema changed")
            storage = FileStorage(str(whoosh_dir), readonly=self.read_only is not None)
            ix = storage.open_index(INDEX_NAME)
            with ix.reader() as r:  # touches every segment's files: detects damage early
                r.doc_count()
            try:
                self.catalog().close()
            except sqlite3.OperationalError as exc:
                if self.read_only is not None:
                    raise
                # Not damage (that is a DatabaseError): a full disk or a folder SQLite cannot
                # write, found by SQLite's own files. Read what is there; do not rebuild.
                self.read_only = f"cannot write the catalog in {self.dir} ({exc})"
                self.catalog().close()
            return ix
        except FileNotFoundError:
            # meta.json is written last: with it, an index was complete and has lost a file.
            self.rebuilt = self._meta_path.exists()
            return None
        except Exception:
            self.rebuilt = True
            return None

    def _create(self, whoosh_dir: Path) -> whoosh_index.FileIndex:
        if whoosh_dir.exists():
            shutil.rmtree(whoosh_dir, ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.catalog_path) + suffix).unlink(missing_ok=True)
        whoosh_dir.mkdir(parents=True)
        ix = whoosh_index.create_in(str(whoosh_dir), make_schema(), indexname=INDEX_NAME)
        Catalog(self.catalog_path).close()
        self._meta_path.write_text(
            json.dumps({"schema": SCHEMA_VERSION, "corpus": str(self.corpus)}), "utf-8"
        )
        return ix

    @contextlib.contextmanager
    def _writing(self, cancel: threading.Event | None = None) -> Iterator[bool]:
        """Hold the lock that makes this process the index's only writer; yields False when
        ``cancel`` was set while waiting for another process to finish."""
        lock = FileLock(str(self.dir / "write.lock"))
        if not lock.acquire(blocking=False):
            if self.on_wait is not None:
                self.on_wait()
            while not lock.acquire(blocking=False):
                if cancel is not None and cancel.wait(0.1):
                    yield False
                    return
                if cancel is None:
                    time.sleep(0.1)
        try:
            yield True
        finally:
            lock.release()

    def rebuild(self) -> None:
        """Start again with an empty index (the next sync fills it): for damage found after
        opening. Every searcher of the old index must be closed first."""
        if self.read_only is not None:
            raise IndexError_(f"the index is damaged and cannot be rebuilt: {self.read_only}")
        with self._writing():
            self.ix.close()
            self.rebuilt = True
            self._segment_sizes.clear()
            self.ix = self._create(self.dir / "whoosh")

    def damaged(self, thorough: bool = False) -> bool:
        """Whether the index was damaged since it was opened.

        Always: a segment file that shrank (segments never change once written; reading a
        truncated one through its memory map would kill the process with SIGBUS, so a searcher
        must not touch it). With ``thorough``: also whether a fresh reader fails to open.
        """
        for name, size in list(self._segment_sizes.items()):  # the index thread may clear it
            try:
                if os.stat(self.dir / "whoosh" / name).st_size < size:
                    return True
            except FileNotFoundError:
                pass  # merged away by a commit
        self._note_segments()
        if thorough:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                try:
                    with self.ix.refresh().reader() as r:
                        r.doc_count()
                except Exception:
                    return True
        return False

    def _note_segments(self) -> None:
        with contextlib.suppress(OSError), os.scandir(self.dir / "whoosh") as entries:
            for entry in entries:
                if is_segment_file(entry.name) and entry.name not in self._segment_sizes:
                    self._segment_sizes[entry.name] = entry.stat().st_size

    @property
    def catalog_path(self) -> Path:
        return self.dir / CATALOG_NAME

    def catalog(self) -> Catalog:
        """A new catalog connection for the calling thread (close it when done)."""
        return Catalog(self.catalog_path, readonly=self.read_only is not None)

    # --- sync ----------------------------------------------------------------------------

    def sync(
        self,
        progress: ProgressFn | None = None,
        on_batch: BatchFn | None = None,
        cancel: threading.Event | None = None,
        batch_size: int = 1000,
        batch_seconds: float = 2.0,
        batch_growth: float = 2.0,
        workers: int | None = None,
    ) -> SyncReport:
        """Bring the index up to date with the corpus folder: new, changed, deleted files only.

        A sync with many files to read reads them in ``workers`` worker processes (None: as
        ``index_pool.worker_count`` says; 0: none), see ``index_pool``."""
        if self.read_only is not None:
            raise IndexError_(f"cannot update the index: {self.read_only}")
        started = time.monotonic()
        report = SyncReport(rebuilt=self.rebuilt)
        catalog = self.catalog()
        failure: str | None = None
        try:
            with self._writing(cancel) as may_write:
                if may_write:
                    self._sync(
                        catalog,
                        report,
                        progress,
                        on_batch,
                        cancel,
                        (batch_size, batch_seconds, batch_growth),
                        workers,
                    )
                report.cancelled = report.cancelled or not may_write
            report.problems = catalog.problems()
        except (OSError, sqlite3.OperationalError) as exc:
            failure = _write_failure(exc, self.dir)
            if failure is None:
                raise
            _forget(exc)
        finally:
            catalog.close()
        if failure is not None:
            raise IndexError_(f"cannot update the index: {failure}")
        if not report.cancelled:
            self.rebuilt = False  # reported once; later reports are about changes
        self._note_segments()  # the new segments' sizes, for damaged()
        report.seconds = time.monotonic() - started
        return report

    def _sync(
        self,
        catalog: Catalog,
        report: SyncReport,
        progress: ProgressFn | None,
        on_batch: BatchFn | None,
        cancel: threading.Event | None,
        batching: tuple[int, float, float],
        workers: int | None,
    ) -> None:
        if not self.corpus.is_dir():
            raise IndexError_(f"corpus folder not found: {self.corpus}")
        plan = plan_sync(self.corpus, catalog, report)
        if plan.nothing_to_do:
            return
        fresh = not plan.known and self.ix.is_empty()
        batches = Batches(self.ix, catalog, on_batch, *batching)
        committed = report.mark()
        catalog.transaction_begin()
        try:
            for path in plan.gone:
                self._remove_file(path, catalog, batches.writer, report)
            for path in plan.gone_problems:
                catalog.clear_problem(path)
            for path, reason in plan.walk_problems.items():
                self._remove_file(path, catalog, batches.writer, report)
                catalog.put_problem(path, reason, None, None)
            total = len(plan.to_read)
            done = done_committed = 0
            items = self._file_results(plan, report, cancel, workers, catalog, batching)
            with contextlib.closing(items) as results:
                for st, result in results:
                    if cancel is not None and cancel.is_set():
                        break
                    if isinstance(result, SliceEnd) and result.dropped:
                        batches.cancel()  # the files since the last commit come again
                        catalog.transaction_rollback()
                        report.restore(committed)
                        done = done_committed
                        catalog.transaction_begin()
                        continue
                    if isinstance(result, SliceEnd):  # a worker's segment: its files are read
                        batches.add_segment(result.segment, result.words)
                        batches.commit()
                        committed, done_committed = report.mark(), done
                        catalog.transaction_begin()
                        continue
                    assert st is not None
                    done += 1
                    written = self._index_file(
                        st, plan.known, catalog, batches.writer, fresh, report, batches.vocabulary, result
                    )
                    batches.wrote(written)
                    if result is not None:  # read (and written) by a worker: in its slice
                        batches.in_slice = True
                    if progress is not None:
                        progress(done, total)
                    if batches.due():
                        batches.commit()
                        committed, done_committed = report.mark(), done
                        catalog.transaction_begin()
            report.cancelled = done < total
            if batches.in_slice:
                # Cancelled while a worker wrote the segment of the files read since the last
                # commit: without it, they are dropped (the next sync reads them again).
                batches.cancel()
                catalog.transaction_rollback()
                report.restore(committed)
            else:
                batches.commit()
            report.settle_moves()
        except BaseException:
            batches.cancel()
            catalog.transaction_rollback()
            raise

    def _remove_file(
        self, path: str, catalog: Catalog, get_writer: Callable[[], SegmentWriter], report: SyncReport
    ) -> None:
        digests = catalog.article_digests(path)
        for article_path in catalog.remove_file(path):
            get_writer().delete_by_term("path", article_path)
            report.removed_paths.append(article_path)
            report.digests[article_path] = digests.get(article_path, "")
            report.removed_digests[article_path] = digests.get(article_path, "")

    def _file_results(
        self,
        plan: SyncPlan,
        report: SyncReport,
        cancel: threading.Event | None,
        workers: int | None,
        catalog: Catalog,
        batching: tuple[int, float, float],
    ) -> Generator[tuple[FileStat | None, FileResult | SliceEnd | None], None, None]:
        """Each file to read with its result from the worker pool, or None when the sync reads
        it itself: a small sync reads every file here (starting workers would cost more than
        they save), and so does a grown mbox, which is read from its new part alone (first).

        The workers also write the articles, each a segment of a slice of the files (see
        ``segments.py``): after the last file of each slice comes (None, its ``SliceEnd``).
        Slices come in batches that grow as the sync's commits do (twice the segments a batch,
        so they grow by the square), one slice per worker."""
        from reader.core import index_pool  # (tests stand in for index_pool.ReaderPool)
        from reader.core.index_pool import PoolFailed, plan_slices, pool_min_files, work_of, worker_count

        known = plan.known

        def pooled(st: FileStat) -> bool:
            return st.path not in known or not st.path.lower().endswith(APPENDABLE)

        count = worker_count() if workers is None else workers
        tasks = [st for st in plan.to_read if pooled(st)]
        if count < 1 or work_of([st.path for st in tasks]) < pool_min_files():
            yield from ((st, None) for st in plan.to_read)
            return
        yield from ((st, None) for st in plan.to_read if not pooled(st))
        clear_staging(self.dir)
        old = [
            (st.path, known[st.path].digest, catalog.article_digests(st.path))
            if st.path in known
            else (st.path, None, {})
            for st in tasks
        ]
        first, _seconds, growth = batching
        if known or not self.ix.is_empty():  # searchable already: no small first batch needed
            first = int(first * growth * growth)
        slices = plan_slices([work_of([st.path]) for st in tasks], first, growth * growth, count)
        following = begun = 0
        with index_pool.ReaderPool(self.corpus, count, staging=self.dir / STAGING) as pool:
            report.workers = count
            try:
                for item in pool.slices(old, [st.size for st in tasks], slices, cancel):
                    if isinstance(item, SliceEnd):
                        yield None, item
                        begun = following
                    else:
                        yield tasks[following], item
                        following += 1
            except PoolFailed as exc:  # they cannot start or write here: the rest in-process
                report.workers = 0
                report.pool_note = f"{exc}; the files are read in one process"
        if report.workers == 0:
            if following > begun:  # read into the catalog, but in no segment: again
                yield None, SliceEnd(None, dropped=True)
            yield from ((st, None) for st in tasks[begun:])

    def _read_file(self, st: FileStat, old: FileState | None, catalog: Catalog) -> tuple[FileResult, bool]:
        """Read one file in this process (what a worker does, plus the grown-mbox case); returns
        its result and whether its articles are only those appended since the last sync."""
        from reader.core.index_pool import FileResult, file_digest, prepare

        try:
            data, truncated = read_bytes(corpus_file(self.corpus, st.path), read_limit(st.path))
            digest = file_digest(data)
            if old is not None and old.digest == digest:
                return FileResult(st.path, digest, unchanged=True), False
            before = catalog.article_digests(st.path) if old is not None else {}
            appended = appended_articles(st.path, data, truncated, old, before)
            try:
                extracted = appended or extract_articles(st.path, data, truncated)
            except ArticleError:
                raise
            except Exception as exc:  # a reader's bug must not stop the sync: as in a worker
                raise ArticleError(f"cannot read: {type(exc).__name__}: {exc}"[:300]) from exc
            del data
        except ArticleError as exc:
            return FileResult(st.path, problem=str(exc)), False
        prepared = [prepare(article, before) for article in extracted.articles]
        return FileResult(st.path, digest, prepared, extracted.note), appended is not None

    def _index_file(
        self,
        st: FileStat,
        known: dict[str, FileState],
        catalog: Catalog,
        get_writer: Callable[[], SegmentWriter],
        fresh: bool,
        report: SyncReport,
        vocabulary: Vocabulary,
        result: FileResult | None = None,
    ) -> int:
        """Index the articles of one new or changed file (``result``: as a worker read it; None:
        read it here): of a file of several articles (a feed, an mbox) only those that are new
        or changed. Returns how many were written."""
        old = known.get(st.path)
        appended = False
        if result is None:
            result, appended = self._read_file(st, old, catalog)
        if result.problem is not None:
            self._remove_file(st.path, catalog, get_writer, report)
            catalog.put_problem(st.path, result.problem, st.size, st.mtime_ns)
            return 0
        if result.unchanged:
            catalog.touch(st.path, st.size, st.mtime_ns)
            report.unchanged += old.articles if old is not None else 0
            return 0
        before = catalog.article_digests(st.path) if old is not None else {}
        written = 0
        # Appended to: the articles read before are all still there, unread and unchanged.
        seen: set[str] = set(before) if appended else set()
        report.unchanged += len(before) if appended else 0
        for prepared in result.articles:
            article = prepared.article
            if article.path in seen:
                continue  # (keys are unique within a file; this is a guard, not a case)
            seen.add(article.path)
            article_digest = prepared.digest
            if before.get(article.path) == article_digest:
                report.unchanged += 1
                continue
            language = prepared.language
            if result.segment_docs is not None:  # written by a worker: its old version goes
                if not fresh:
                    get_writer().delete_by_term("path", article.path)
            else:
                doc = document_for(article, language)
                if prepared.postings is not None:
                    doc[POSTINGS_KEY] = prepared.postings  # analysed by a worker (PreparedWriter)
                if fresh:
                    get_writer().add_document(**doc)
                else:
                    get_writer().update_document(**doc)
            written += 1
            vocabulary.add(prepared.words)
            row = ArticleRow(article.path, article.title, article.date, article.source, article.url, language)
            catalog.put_article(row, st.path, article_digest)
            report.digests[article.path] = article_digest
            (report.updated_paths if article.path in before else report.added_paths).append(article.path)
        for path in before.keys() - seen:
            get_writer().delete_by_term("path", path)
            catalog.remove(path)
            report.removed_paths.append(path)
            report.digests[path] = before[path]
        catalog.put_file(st.path, FileState(st.size, st.mtime_ns, result.digest))
        if result.note:
            catalog.put_problem_note(st.path, result.note, st.size, st.mtime_ns)
        return written

    def merge(self, stop: threading.Event | None = None, between: Callable[[], None] | None = None) -> bool:
        """Make the next merge of segments a sync's commit left (``merging.merge_step``); False
        when there is none to make, when the index cannot be written, or when another process
        is writing it (a merge never waits). ``stop`` drops it (``merging.MergeStopped``)."""
        if self.read_only is not None:
            return False
        lock = FileLock(str(self.dir / "write.lock"))
        if not lock.acquire(blocking=False):
            return False
        try:
            merged = merge_step(self.ix, stop, between)
        finally:
            lock.release()
        self._note_segments()
        return merged

    def close(self) -> None:
        self.ix.close()


def is_segment_file(name: str) -> bool:
    """Whether ``name`` (in the Whoosh folder) holds part of a segment: terms, postings, columns
    (or a compound ``.seg`` written by an older version), not the table of contents or a lock."""
    return name.startswith(INDEX_NAME + "_") and "." in name and not name.endswith(".toc")


def segment_files(whoosh_dir: Path) -> list[Path]:
    return sorted(p for p in whoosh_dir.iterdir() if is_segment_file(p.name))


def appended_articles(
    path: str, data: bytes, truncated: bool, old: FileState | None, before: dict[str, str]
) -> Extracted | None:
    """The new articles of a file that only grew at its end (an mbox a mail program appended
    to), read from the new part alone; None when the file is not such a file or changed
    otherwise (then the whole file is read). Keys repeated from the older part get the same
    ``~2``, ``~3``… a whole read gives them."""
    if (
        old is None
        or truncated
        or not path.lower().endswith(APPENDABLE)
        or len(data) <= old.size
        or hashlib.blake2b(data[: old.size], digest_size=16).hexdigest() != old.digest
        or not data[old.size :].lstrip(b"\r\n").startswith(b"From ")
    ):
        return None
    try:
        tail = extract_articles(path, data[old.size :])
    except ArticleError:
        return None
    articles = []
    for article in tail.articles:
        article_id, n = article.path, 1
        while article_id in before:
            n += 1
            article_id = f"{article.path}~{n}"
        articles.append(dataclasses.replace(article, path=article_id))
    return Extracted(articles, tail.note)


def open_index(corpus: Path, index_dir: Path, on_wait: Callable[[], None] | None = None) -> CorpusIndex:
    """Open (creating or rebuilding as needed) the index of ``corpus``; ``on_wait`` is called
    when another process is rebuilding it and this one waits."""
    try:
        return CorpusIndex(corpus, index_dir, on_wait)
    except (OSError, sqlite3.Error) as exc:
        raise IndexError_(f"cannot open the index in {index_dir}: {exc}") from exc
