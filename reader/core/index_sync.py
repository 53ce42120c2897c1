"""The parts of an index sync: what it did (``SyncReport``), what it has to do (``plan_sync``:
the folder walked and compared with the catalog), the growing batches it commits in
(``Batches``), and why a write failed, in words for the user. ``index.py`` runs them."""

from __future__ import annotations

import errno
import functools
import gc
import os
import sqlite3
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from reader.core.catalog import Catalog, FileState
from reader.core.corpus import FileStat, walk_corpus
from reader.core.merging import commit_merges
from reader.core.postings import PreparedWriter
from reader.core.segments import Segment, adopt
from reader.core.spelling import Vocabulary

#: What a report said at one point: its lists' lengths, unchanged count and digests.
ReportMark = tuple[int, int, int, int, dict[str, str], dict[str, str]]


@dataclass
class SyncReport:
    """What one sync did; ``problems`` lists every file currently skipped, with its reason."""

    added_paths: list[str] = field(default_factory=list)
    updated_paths: list[str] = field(default_factory=list)
    removed_paths: list[str] = field(default_factory=list)
    #: Content digest of each added or updated article (new) and removed one (as it was): a
    #: removed article whose digest reappears under a new path was renamed or moved.
    digests: dict[str, str] = field(default_factory=dict)
    unchanged: int = 0
    #: The digest each removed article had (``digests`` holds the new one of an id that is
    #: removed and added in one sync: a maildir message whose file was renamed).
    removed_digests: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: bool = False
    cancelled: bool = False
    seconds: float = 0.0
    #: Worker processes that read the files (0: the sync read them itself).
    workers: int = 0
    #: Why the worker processes could not be used (the sync read the files itself), or "".
    pool_note: str = ""

    def moved_to(self, path: str) -> str | None:
        """Where the removed article ``path`` went, if an article with its content was added
        in the same sync (a rename or move); None if it was deleted or changed as well."""
        digest = self.digests.get(path)
        if digest is None or path not in self.removed_paths:
            return None
        return next((p for p in self.added_paths if self.digests.get(p) == digest), None)

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "problems": [{"path": p, "reason": r} for p, r in self.problems],
        }

    @property
    def added(self) -> int:
        return len(self.added_paths)

    @property
    def updated(self) -> int:
        return len(self.updated_paths)

    @property
    def removed(self) -> int:
        return len(self.removed_paths)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def mark(self) -> ReportMark:
        """What the report says now, for ``restore`` (a sync that drops what it did since)."""
        return (
            len(self.added_paths),
            len(self.updated_paths),
            len(self.removed_paths),
            self.unchanged,
            dict(self.digests),
            dict(self.removed_digests),
        )

    def restore(self, mark: ReportMark) -> None:
        added, updated, removed, unchanged, digests, removed_digests = mark
        del self.added_paths[added:]
        del self.updated_paths[updated:]
        del self.removed_paths[removed:]
        self.unchanged = unchanged
        self.digests = digests
        self.removed_digests = removed_digests

    def settle_moves(self) -> None:
        """An article removed with one file and added with another in the same sync (a maildir
        message renamed by its mail program: same id, new file name) was neither: it is
        updated when its content changed, else unchanged. Its annotations stay as they are."""
        moved = set(self.removed_paths) & set(self.added_paths)
        if not moved:
            return
        self.removed_paths = [p for p in self.removed_paths if p not in moved]
        self.added_paths = [p for p in self.added_paths if p not in moved]
        for path in sorted(moved):
            if self.removed_digests.get(path) == self.digests.get(path):
                self.unchanged += 1
            else:
                self.updated_paths.append(path)


ProgressFn = Callable[[int, int], None]  # (done, total) of files to read
BatchFn = Callable[[], None]  # after each commit: new documents are searchable


@dataclass
class SyncPlan:
    """The files a sync must read, forget and list as problems."""

    known: dict[str, FileState]
    to_read: list[FileStat] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    gone_problems: list[str] = field(default_factory=list)
    walk_problems: dict[str, str] = field(default_factory=dict)

    @property
    def nothing_to_do(self) -> bool:
        return not (self.to_read or self.gone or self.gone_problems or self.walk_problems)


def plan_sync(corpus: Path, catalog: Catalog, report: SyncReport) -> SyncPlan:
    """Walk ``corpus`` and compare it with the catalog: files whose size or mtime changed are
    read; an unchanged one counts its articles as ``report.unchanged``."""
    known = catalog.file_states()
    known_problems = catalog.problem_states()
    on_disk: dict[str, FileStat] = {}
    plan = SyncPlan(known)
    for item in walk_corpus(corpus):
        if isinstance(item, FileStat):
            on_disk[item.path] = item
        else:
            plan.walk_problems[item[0]] = item[1]
    for path, st in on_disk.items():
        state = known.get(path)
        if state is not None and state.size == st.size and state.mtime_ns == st.mtime_ns:
            report.unchanged += state.articles
            continue
        old_problem = known_problems.get(path)
        if old_problem is not None and old_problem[:2] == (st.size, st.mtime_ns):
            continue  # the same unreadable file as last time
        plan.to_read.append(st)
    plan.gone = [p for p in known if p not in on_disk]
    plan.gone_problems = [p for p in known_problems if p not in on_disk and p not in plan.walk_problems]
    return plan


class Batches:
    """The Whoosh writer of a sync, committed in batches that grow.

    The first batch is small so that a first build is searchable early; later batches grow,
    which keeps the number of segments (and so the cost of every search) low.
    """

    def __init__(
        self,
        ix: whoosh_index.FileIndex,
        catalog: Catalog,
        on_batch: BatchFn | None,
        batch_size: int,
        batch_seconds: float,
        batch_growth: float,
    ) -> None:
        self._ix = ix
        self._catalog = catalog
        self._on_batch = on_batch
        self._writer: SegmentWriter | None = None
        self.vocabulary = Vocabulary()
        self._pending = 0
        self._started = time.monotonic()
        self._limit, self._seconds = float(batch_size), batch_seconds
        self._growth = batch_growth
        #: Segments the workers wrote (``segments.py``), listed at the next commit.
        self._segments: list[tuple[Segment, list[str]]] = []
        #: Articles of the current slice read into the catalog (its segment is still being
        #: written): a cancel drops them (``in_slice``).
        self.in_slice = False

    def writer(self) -> SegmentWriter:
        if self._writer is None:
            # Not compound: Whoosh copies a compound segment wholly into memory when it opens
            # it (a 100,000-article index took 900 MB); separate files are read on demand.
            # A 48 MB posting pool: 128 MB indexed Reuters 10% faster but doubled the peak
            # memory (214 vs 94 MB at 32), which the window pays during every sync.
            # PreparedWriter: Whoosh's own, taking the postings a worker analysed as given.
            self._writer = PreparedWriter(self._ix, timeout=60.0, limitmb=48, compound=False)
        return self._writer

    def wrote(self, articles: int) -> None:
        """A file was handled (``articles`` written; a file counts as one at least)."""
        self._pending += max(1, articles)

    def due(self) -> bool:
        if self.in_slice:  # committed with the slice's segment
            return False
        return self._pending >= self._limit or time.monotonic() - self._started > self._seconds

    def add_segment(self, segment: tuple[Segment, list[str]] | None, words: Mapping[str, int]) -> None:
        """A slice's segment, written by a worker, with its articles' word counts: listed at
        the next commit (which follows)."""
        if segment is not None:
            self._segments.append(segment)
        self.vocabulary.counts.update(words)
        self.in_slice = False

    def commit(self) -> None:
        """Commit the batch: Whoosh first, then the catalog (which may lag but never lead)."""
        added = []
        for segment, files in self._segments:
            adopt(files, Path(self._ix.storage.folder))
            added.append(segment)
        self._segments.clear()
        if added:
            self.writer()  # the table of contents is written by the index's one writer
        searchable_changed = self._writer is not None
        if self._writer is not None:
            # Not Whoosh's MERGE_SMALL: it rewrote tens of thousands of unchanged articles into a
            # small sync's commit; larger merges wait for an idle writer (merging.py).
            self._writer.commit(mergetype=functools.partial(commit_merges, added=added))
            self._writer = None
        self._catalog.add_words(self.vocabulary.take())
        self._catalog.transaction_commit()
        self._pending = 0
        self._started = time.monotonic()
        self._limit *= self._growth
        self._seconds *= self._growth
        if self._on_batch is not None and searchable_changed:
            self._on_batch()

    def cancel(self) -> None:
        """Drop what was written since the last commit (the caller rolls the catalog back)."""
        self._segments.clear()
        self.in_slice = False
        self.vocabulary.take()
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None


def _unwritable(folder: Path) -> str | None:
    """Why nothing can be written into ``folder`` (in words for the user), or None."""
    probe = folder / f".write-test-{os.getpid()}"
    try:
        with open(probe, "wb") as fh:
            fh.write(b"x")
        probe.unlink()
    except OSError as exc:
        return _write_reason(exc, folder)
    return None


def _write_reason(exc: OSError, folder: Path) -> str:
    if exc.errno == errno.EROFS:
        return f"{folder} is on a read-only file system"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"no permission to write to {folder}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk holding {folder} is full"
    return f"cannot write to {folder}: {exc.strerror or exc}"


def _write_failure(exc: Exception, folder: Path) -> str | None:
    """Why a sync could not write (a full disk, a folder that became read-only), or None when
    ``exc`` is some other error."""
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):
            return _write_reason(exc, folder)
    elif isinstance(exc, sqlite3.OperationalError) and ("full" in str(exc) or "readonly" in str(exc)):
        return f"cannot write the catalog in {folder} ({exc})"
    return None


def _forget(exc: BaseException) -> None:
    """Free what a failed write held now: Whoosh leaves the files of a failed commit open."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        seen: BaseException | None = exc
        while seen is not None:  # the frames of the whole chain hold the writer
            seen.__traceback__ = None
            seen = seen.__cause__ or seen.__context__
        gc.collect()
