"""The Whoosh index of one corpus folder: schema, opening (and rebuilding), incremental sync.

The index lives in its own folder under the user's cache (see ``Locations.index_dir``), next to
the catalog (``catalog.py``). Sync reads only files whose size or mtime changed, and re-indexes
only those whose content hash changed.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import shutil
import sqlite3
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, Schema
from whoosh.writing import SegmentWriter

from reader.core.catalog import ArticleRow, Catalog, FileState
from reader.core.corpus import (
    MAX_ARTICLE_BYTES,
    Article,
    ArticleError,
    FileStat,
    article_from_bytes,
    read_bytes,
    walk_corpus,
)

#: Bump when the schema or the way documents are built changes: the index is then rebuilt.
SCHEMA_VERSION = 1

TEXT_FIELDS = ("title", "body", "source")
INDEX_NAME = "articles"


def make_analyzer() -> StemmingAnalyzer:
    # No stop list: with stop words dropped, "Minsk the group" would match the phrase
    # "Minsk group"; single letters stay searchable too ("Plan B").
    return StemmingAnalyzer(stoplist=None, minsize=1)


def make_schema() -> Schema:
    analyzer = make_analyzer()
    return Schema(
        path=ID(unique=True, stored=True),
        title=TEXT(analyzer=analyzer, field_boost=2.0, stored=True, spelling=True),
        body=TEXT(analyzer=analyzer, spelling=True),
        # Indexed: the source line and photo credits; stored: the source line alone.
        source=TEXT(analyzer=analyzer, stored=True, spelling=True),
        date=DATETIME(stored=True, sortable=True),
        # 1 for dated articles: sorting by date puts undated articles last in both directions.
        dated=NUMERIC(sortable=True),
    )


@dataclass
class SyncReport:
    """What one sync did; ``problems`` lists every file currently skipped, with its reason."""

    added_paths: list[str] = field(default_factory=list)
    updated_paths: list[str] = field(default_factory=list)
    removed_paths: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: bool = False
    cancelled: bool = False
    seconds: float = 0.0

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


ProgressFn = Callable[[int, int], None]  # (done, total) of files to read
BatchFn = Callable[[], None]  # after each commit: new documents are searchable


class IndexError_(Exception):
    """The index cannot be opened or written; the message is for the user."""


class CorpusIndex:
    """The index and catalog of one corpus folder.

    Opening never fails on a damaged or outdated index: it is moved out of the way and rebuilt
    (``rebuilt`` tells). Whoosh allows one writer at a time; ``sync`` waits for the lock.
    """

    def __init__(self, corpus: Path, index_dir: Path) -> None:
        self.corpus = corpus
        self.dir = index_dir
        self.rebuilt = False
        self.dir.mkdir(parents=True, exist_ok=True)
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
            if self.rebuilt:
                gc.collect()
        return ix if ix is not None else self._create(whoosh_dir)

    def _try_open(self, whoosh_dir: Path) -> whoosh_index.FileIndex | None:
        try:
            meta = json.loads(self._meta_path.read_text("utf-8"))
            if meta.get("schema") != SCHEMA_VERSION:
                raise ValueError("schema changed")
            ix = whoosh_index.open_dir(str(whoosh_dir), indexname=INDEX_NAME)
            with ix.reader() as r:  # touches every segment's files: detects damage early
                r.doc_count()
            Catalog(self.catalog_path).close()
            return ix
        except FileNotFoundError:
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

    @property
    def catalog_path(self) -> Path:
        return self.dir / "catalog.sqlite3"

    def catalog(self) -> Catalog:
        """A new catalog connection for the calling thread (close it when done)."""
        return Catalog(self.catalog_path)

    # --- sync ----------------------------------------------------------------------------

    def sync(
        self,
        progress: ProgressFn | None = None,
        on_batch: BatchFn | None = None,
        cancel: threading.Event | None = None,
        batch_size: int = 2000,
        batch_seconds: float = 3.0,
    ) -> SyncReport:
        """Bring the index up to date with the corpus folder: new, changed, deleted files only."""
        started = time.monotonic()
        report = SyncReport(rebuilt=self.rebuilt)
        catalog = self.catalog()
        try:
            self._sync(catalog, report, progress, on_batch, cancel, batch_size, batch_seconds)
            report.problems = catalog.problems()
        finally:
            catalog.close()
        report.seconds = time.monotonic() - started
        return report

    def _sync(
        self,
        catalog: Catalog,
        report: SyncReport,
        progress: ProgressFn | None,
        on_batch: BatchFn | None,
        cancel: threading.Event | None,
        batch_size: int,
        batch_seconds: float,
    ) -> None:
        if not self.corpus.is_dir():
            raise IndexError_(f"corpus folder not found: {self.corpus}")
        known = catalog.file_states()
        known_problems = catalog.problem_states()
        on_disk: dict[str, FileStat] = {}
        walk_problems: dict[str, str] = {}
        for item in walk_corpus(self.corpus):
            if isinstance(item, FileStat):
                on_disk[item.path] = item
            else:
                walk_problems[item[0]] = item[1]

        to_read = []
        for path, st in on_disk.items():
            state = known.get(path)
            if state is not None and state.size == st.size and state.mtime_ns == st.mtime_ns:
                report.unchanged += 1
                continue
            old_problem = known_problems.get(path)
            if old_problem is not None and old_problem[:2] == (st.size, st.mtime_ns):
                continue  # the same unreadable file as last time
            to_read.append(st)
        gone = [p for p in known if p not in on_disk]
        gone_problems = [p for p in known_problems if p not in on_disk and p not in walk_problems]

        if not to_read and not gone and not gone_problems and not walk_problems:
            return

        fresh = not known and self.ix.is_empty()
        writer: SegmentWriter | None = None
        pending = 0
        batch_started = time.monotonic()

        def commit() -> None:
            nonlocal writer, pending, batch_started
            if writer is not None:
                writer.commit()
                writer = None
            # The catalog commits after Whoosh, so it can lag behind the index but never lead.
            catalog.transaction_commit()
            pending = 0
            batch_started = time.monotonic()
            if on_batch is not None:
                on_batch()

        def get_writer() -> SegmentWriter:
            nonlocal writer
            if writer is None:
                writer = self.ix.writer(timeout=60.0, limitmb=128)
            return writer

        catalog.transaction_begin()
        try:
            for path in gone:
                get_writer().delete_by_term("path", path)
                catalog.remove(path)
                report.removed_paths.append(path)
            for path in gone_problems:
                catalog.clear_problem(path)
            for path, reason in walk_problems.items():
                catalog.put_problem(path, reason, None, None)
                if path in known:
                    get_writer().delete_by_term("path", path)
                    report.removed_paths.append(path)

            total = len(to_read)
            for done, st in enumerate(to_read, start=1):
                if cancel is not None and cancel.is_set():
                    report.cancelled = True
                    break
                self._index_one(st, known, catalog, get_writer, fresh, report)
                pending += 1
                if progress is not None:
                    progress(done, total)
                if pending >= batch_size or time.monotonic() - batch_started > batch_seconds:
                    commit()
                    catalog.transaction_begin()
            commit()
        except BaseException:
            if writer is not None:
                writer.cancel()
            catalog.transaction_rollback()
            raise

    def _index_one(
        self,
        st: FileStat,
        known: dict[str, FileState],
        catalog: Catalog,
        get_writer: Callable[[], SegmentWriter],
        fresh: bool,
        report: SyncReport,
    ) -> None:
        old = known.get(st.path)
        try:
            data, truncated = read_bytes(self.corpus / st.path)
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if old is not None and old.digest == digest:
                catalog.touch(st.path, st.size, st.mtime_ns)
                report.unchanged += 1
                return
            article = article_from_bytes(st.path, data, truncated)
        except ArticleError as exc:
            catalog.put_problem(st.path, str(exc), st.size, st.mtime_ns)
            if old is not None:
                get_writer().delete_by_term("path", st.path)
                report.removed_paths.append(st.path)
            return
        writer = get_writer()
        doc = document_for(article)
        if fresh:
            writer.add_document(**doc)
        else:
            writer.update_document(**doc)
        catalog.put_article(
            ArticleRow(st.path, article.title, article.date, article.source),
            FileState(st.size, st.mtime_ns, digest),
        )
        if truncated:
            catalog.put_problem_note(
                st.path,
                f"larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB: only the leading part is indexed",
                st.size,
                st.mtime_ns,
            )
        if old is None:
            report.added_paths.append(st.path)
        else:
            report.updated_paths.append(st.path)

    def close(self) -> None:
        self.ix.close()


def document_for(article: Article) -> dict[str, object]:
    """The Whoosh fields of one article."""
    doc: dict[str, object] = {
        "path": article.path,
        "title": article.title,
        "body": article.body,
        "source": "\n".join([article.source, *article.credits]),
        "_stored_source": article.source,
    }
    if article.date is not None:
        doc["date"] = dt.datetime.combine(article.date, dt.time())
    doc["dated"] = int(article.date is not None)
    return doc


def open_index(corpus: Path, index_dir: Path) -> CorpusIndex:
    """Open (creating or rebuilding as needed) the index of ``corpus``."""
    try:
        return CorpusIndex(corpus, index_dir)
    except (OSError, sqlite3.Error) as exc:
        raise IndexError_(f"cannot open the index in {index_dir}: {exc}") from exc
