"""Reading article files for the index in worker processes: a pool started with ``spawn``.

A big sync (a first index, a rebuild, thousands of changed files) spends much of its time
reading and extracting files (trafilatura on a saved page costs 10-70 ms), detecting each
article's language and analysing its text into postings. ``prepare_file`` does all of that for
one file, from its path to the articles ready for the index: a pure function of the file's
bytes, run by ``ReaderPool``'s worker processes for a big sync (a small one does the same steps
itself). For a sync the workers also write the articles, each a Whoosh segment of a contiguous
slice of the files (``ReaderPool.slices``, ``segments.py``); the parent (the sync, the index's
one committer) keeps the catalog, deletes the old versions, and lists the segments in the order
of the files, so the index is the same either way.

The workers are started with ``multiprocessing.get_context("spawn")``, never forked (forking the
window's process would copy Qt's threads and locks); they import ``reader.core`` only. Each has
its own pipe and at most ``IN_FLIGHT`` chunks of files queued, so memory stays bounded. A
worker that dies (a crash in a C library, the kernel's out-of-memory killer) costs the file it
was reading, which becomes a problem with a reason; the files queued behind it go to a new
worker. ``close`` stops the workers at once (a cancelled sync, a closing window) and reaps them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from reader.core.corpus import Article, ArticleError, corpus_file, extract_articles, read_bytes, read_limit
from reader.core.formats import handles
from reader.core.language import article_language
from reader.core.postings import POSTINGS_KEY, Postings, analyse
from reader.core.schema import document_for
from reader.core.segments import Segment, SegmentBuilder, SliceEnd
from reader.core.spelling import words_of

#: The environment variable that sets how many worker processes a big sync uses (0: none).
WORKERS_ENV = "CORPUS_READER_WORKERS"
#: The environment variable that sets from how many files to read a sync uses the pool.
POOL_MIN_ENV = "CORPUS_READER_POOL_MIN_FILES"
#: Below this much work (in text files; see ``work_of``), a sync reads the files itself: starting
#: the workers costs about a second (an interpreter each, the imports, the language model),
#: which a few hundred text files do not win back: the writer saves 1.3 ms a text file.
POOL_MIN_FILES = 1000
#: A saved page, feed, mail or EPUB file counts as this many text files (trafilatura alone takes
#: 10-70 ms a page, against about 2 ms to read and prepare a text file).
OTHER_FORMAT_WEIGHT = 20
#: Chunks of files queued per worker: one being read, one waiting, so a worker never idles
#: while the parent writes.
IN_FLIGHT = 2
#: A chunk holds at most this many files or this many bytes of them.
CHUNK_FILES = 16
CHUNK_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Prepared:
    """One article of a file, ready for the index: its language, digest and suggestion words,
    and (read by a worker) the postings of its text fields (``postings.analyse``)."""

    article: Article
    language: str | None
    digest: str
    words: frozenset[str]
    postings: dict[str, Postings] | None = None


@dataclass
class FileResult:
    """What reading one file gave: a problem, "unchanged" (the same bytes as last time), or its
    digest and articles (with ``note``, a problem worth listing although it was read)."""

    path: str
    digest: str = ""
    articles: list[Prepared] = field(default_factory=list)
    note: str = ""
    problem: str | None = None
    unchanged: bool = False
    #: Written by a worker into its slice's segment: how many documents (None: not written).
    segment_docs: int | None = None


def digest_of(article: Article) -> str:
    """A digest of everything the index and catalog keep of an article."""
    parts = (
        article.title,
        str(article.date),
        article.source,
        article.url,
        article.language,
        article.plain_text,
    )
    return hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def prepare(article: Article, before: dict[str, str] | None = None, postings: bool = False) -> Prepared:
    """An article made ready for the index (with ``postings``, its text fields analysed too);
    one whose digest is ``before``'s (unchanged since the last sync) is not analysed, since it
    will not be written."""
    digest = digest_of(article)
    if before is not None and before.get(article.path) == digest:
        return Prepared(article, None, digest, frozenset())
    language = article_language(article)
    analysed = analyse(document_for(article, language)) if postings else None
    return Prepared(article, language, digest, frozenset(words_of(article.lines)), analysed)


def prepare_file(corpus: Path, rel_path: str, old_digest: str | None = None) -> FileResult:
    """Read, extract and prepare the articles of one file of the corpus, their postings
    included (what a worker does for each new or changed file). A file whose bytes still have
    ``old_digest`` is ``unchanged`` and not extracted."""
    try:
        data, truncated = read_bytes(corpus_file(corpus, rel_path), read_limit(rel_path))
        digest = file_digest(data)
        if digest == old_digest:
            return FileResult(rel_path, digest, unchanged=True)
        extracted = extract_articles(rel_path, data, truncated)
        del data
    except ArticleError as exc:
        return FileResult(rel_path, problem=str(exc))
    return FileResult(
        rel_path, digest, [prepare(a, postings=True) for a in extracted.articles], extracted.note
    )


# --- the pool --------------------------------------------------------------------------------


def worker_count() -> int:
    """Worker processes for a big sync: ``CORPUS_READER_WORKERS`` if set, else one per CPU this
    process may run on (its affinity, not the machine's count), and none on a single CPU."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value:
        with contextlib.suppress(ValueError):
            return max(0, int(value))
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus if cpus >= 2 else 0


def work_of(paths: Sequence[str]) -> int:
    """How much reading ``paths`` is, in text files (for the ``POOL_MIN_FILES`` threshold)."""
    return sum(OTHER_FORMAT_WEIGHT if handles(path) else 1 for path in paths)


def pool_min_files() -> int:
    value = os.environ.get(POOL_MIN_ENV, "").strip()
    if value:
        with contextlib.suppress(ValueError):
            return max(1, int(value))
    return POOL_MIN_FILES


#: A task: (sequence number, file path, digest the file had when last indexed or None); a
#: task of a sync whose workers write segments also carries the digests of the file's articles
#: when last indexed (the unchanged ones are not written again).
Task = tuple[Any, ...]


def plan_slices(weights: Sequence[int], first: float, growth: float, workers: int) -> list[tuple[int, int]]:
    """Cut the files (with their ``work_of`` weights) into contiguous slices, (start, end)
    each: batches of ``first`` units of work, each ``growth`` times the one before, a batch
    cut into one slice per worker of about equal work."""
    slices: list[tuple[int, int]] = []
    start, size, n = 0, first, len(weights)
    while start < n:
        end, work = start, 0.0
        while end < n and (end == start or work < size):
            work += weights[end]
            end += 1
        share, cut = work / max(1, workers), start
        for k in range(workers):
            if cut >= end:
                break
            stop, done = cut, 0.0
            while stop < end and (stop == cut or done < share or k == workers - 1):
                done += weights[stop]
                stop += 1
            slices.append((cut, stop))
            cut = stop
        start, size = end, size * growth
    return slices


#: What a worker runs for each task (a file, or an article id): ``prepare_file`` for a sync,
#: ``wordstore.analysed_article`` for the word store (tests give module-level stand-ins).
FileReader = Callable[[Path, str, "str | None"], Any]


def _worker_main(conn: Connection, corpus: str, reader: FileReader, staging: str | None = None) -> None:
    """A worker process: read chunks of files from ``conn`` until None, one result a file.
    With ``staging``, it also writes their articles into a segment, finished (and sent) when
    the parent sends the number of a slice."""
    root = Path(corpus)
    builder = SegmentBuilder(Path(staging)) if staging is not None else None
    conn.send(("ready", os.getpid()))
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if chunk is None:
            return
        try:
            if isinstance(chunk, int):  # the end of a slice
                assert builder is not None
                conn.send(("segment", chunk, builder.finish(), builder.take_words()))
                continue
            for seq, rel_path, old_digest, *before in chunk:
                try:
                    result = reader(root, rel_path, old_digest)
                except Exception as exc:  # a reader's bug must not stop the sync: a problem
                    result = FileResult(rel_path, problem=f"cannot read: {type(exc).__name__}: {exc}"[:300])
                if builder is not None:
                    result = write_articles(builder, result, before[0] if before else {})
                conn.send((seq, result))
        except (EOFError, OSError, BrokenPipeError):
            raise
        except Exception as exc:  # writing the segment failed (a full disk): the sync decides
            conn.send(("failed", f"{type(exc).__name__}: {exc}"[:300]))
            return


def write_articles(builder: SegmentBuilder, result: FileResult, before: dict[str, str]) -> FileResult:
    """Add the articles of ``result`` that the sync writes (``CorpusIndex._index_file`` picks
    the same: new or changed, once per id) to the worker's segment; the result goes back to the
    parent without their text and postings (it keeps the catalog, for which it needs neither)."""
    if result.problem is not None or result.unchanged:
        return result
    seen: set[str] = set()
    written = 0
    for prepared in result.articles:
        path = prepared.article.path
        if path in seen:
            continue
        seen.add(path)
        if before.get(path) == prepared.digest:
            continue
        doc = document_for(prepared.article, prepared.language)
        if prepared.postings is not None:
            doc[POSTINGS_KEY] = prepared.postings
        builder.add(doc, prepared.words)
        written += 1
    # (Their words go with the slice's segment, counted: a set per article waiting in the
    # parent for the slice before it took 28 MB at 1% of 100,000.)
    light = [
        dataclasses.replace(
            p, article=dataclasses.replace(p.article, blocks=(), credits=()), postings=None, words=frozenset()
        )
        for p in result.articles
    ]
    return dataclasses.replace(result, articles=light, segment_docs=written)


class _Worker:
    def __init__(self, ctx: Any, corpus: Path, reader: FileReader, staging: Path | None = None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        args = (child, str(corpus), reader, None if staging is None else str(staging))
        self.process = ctx.Process(target=_worker_main, args=args, name="corpus-reader-reader", daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        #: Tasks sent and not answered yet, in the order the worker reads them.
        self.pending: deque[Task] = deque()
        #: The last task of each chunk sent and not wholly answered.
        self._chunk_ends: deque[int] = deque()
        #: Writing segments: the slices this worker writes (the first being sent), the next
        #: task of that slice to send, and the slices ended whose segment has not come yet.
        self.slices: deque[int] = deque()
        self.cursor = 0
        self.awaiting: deque[int] = deque()

    @property
    def chunks(self) -> int:
        return len(self._chunk_ends)

    def send(self, chunk: list[Task]) -> None:
        self.pending.extend(chunk)
        self._chunk_ends.append(chunk[-1][0])
        # A worker that died meanwhile: its sentinel says so, and its queue goes to a new one.
        with contextlib.suppress(OSError):
            self.conn.send(chunk)

    def answered(self, seq: int) -> None:
        # A worker answers its tasks in the order they were sent.
        while self.pending and self.pending[0][0] != seq:
            self.pending.popleft()
        if self.pending:
            self.pending.popleft()
        while self._chunk_ends and self._chunk_ends[0] <= seq:
            self._chunk_ends.popleft()

    def stop(self, at_once: bool) -> None:
        if not at_once and self.process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        with contextlib.suppress(OSError):
            self.conn.close()
        self.process.close()


class PoolFailed(Exception):
    """The workers could not be started (the sync then reads the files itself)."""


class ReaderPool:
    """Worker processes that run ``prepare_file`` for the files of one sync.

    ``results`` yields one FileResult per task, in the order given, whichever worker read it.
    Use it as a context manager: leaving it (normally, by an exception or a cancelled sync)
    stops every worker.
    """

    def __init__(
        self, corpus: Path, workers: int, reader: FileReader = prepare_file, staging: Path | None = None
    ) -> None:
        self.corpus = corpus
        self._reader = reader
        self._staging = staging
        self._ctx = multiprocessing.get_context("spawn")
        self._workers = [_Worker(self._ctx, corpus, reader, staging) for _ in range(max(1, workers))]
        self._restarts = 0
        self._closed = False
        self._cancel = threading.Event()
        # Writing segments (``slices``):
        self._plan: list[tuple[int, int]] = []
        self._tasks: list[Task] = []
        self._sizes: Sequence[int] = ()
        #: Each slice's segment (None: no article written) and its articles' word counts.
        self._segments: dict[int, tuple[tuple[Segment, list[str]] | None, Mapping[str, int]]] = {}
        self._skip: set[int] = set()
        self._blind: dict[int, int] = {}

    @property
    def count(self) -> int:
        return len(self._workers)

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        busy = any(w.pending or w.awaiting for w in self._workers)
        self.close(at_once=exc[0] is not None or busy)

    def results(
        self,
        tasks: Sequence[tuple[str, str | None]],
        sizes: Sequence[int],
        cancel: threading.Event | None = None,
    ) -> Iterator[FileResult]:
        """Read ``tasks`` ((path, old digest or None) each, with the files' sizes for chunking);
        yield their results in order. Stops early (yielding no more) once ``cancel`` is set."""
        todo: deque[Task] = deque((i, path, digest) for i, (path, digest) in enumerate(tasks))
        size_of = dict(enumerate(sizes))
        done: dict[int, FileResult] = {}
        following = 0
        self._watch(cancel)
        while following < len(tasks):
            if cancel is not None and cancel.is_set():
                break
            self._dispatch(todo, size_of)
            while following in done:
                yield done.pop(following)
                following += 1
            if following >= len(tasks) or (cancel is not None and cancel.is_set()):
                break
            self._receive(done, todo)

    def _watch(self, cancel: threading.Event | None) -> None:
        if cancel is not None:
            self._cancel = cancel
            # The workers are stopped the moment ``cancel`` is set, even while the sync is busy
            # writing (a commit can take seconds): a closing window does not wait for them.
            self._watcher = threading.Thread(target=self._stop_on_cancel, name="pool-cancel", daemon=True)
            self._watcher.start()

    def slices(
        self,
        tasks: Sequence[tuple[str, str | None, dict[str, str]]],
        sizes: Sequence[int],
        plan: list[tuple[int, int]],
        cancel: threading.Event | None = None,
    ) -> Iterator[FileResult | SliceEnd]:
        """Read ``tasks`` ((path, old digest or None, old article digests) each) and write
        their articles as segments, one per slice of ``plan`` (``plan_slices``), slice ``i``
        by worker ``i % workers``. Yields each file's result in order and, after the last of
        each slice, its ``SliceEnd`` once the segment is written. A file that kills its worker
        is a problem; a new worker writes that slice again without it (the results already
        given are given again by then, and dropped). Stops early once ``cancel`` is set."""
        assert self._staging is not None
        self._plan, self._sizes = plan, sizes
        self._tasks = [(i, path, digest, before) for i, (path, digest, before) in enumerate(tasks)]
        for i in range(len(plan)):
            self._workers[i % len(self._workers)].slices.append(i)
        for worker in self._workers:
            if worker.slices:
                worker.cursor = plan[worker.slices[0]][0]
        done: dict[int, FileResult] = {}
        following = 0
        self._watch(cancel)
        for sid, (_start, end) in enumerate(plan):
            # A worker sends its slice's segment after the results of its files.
            while following < end or sid not in self._segments:
                if cancel is not None and cancel.is_set():
                    return
                while following < end and following in done:
                    yield done.pop(following)
                    following += 1
                if following >= end and sid in self._segments:
                    break
                if cancel is not None and cancel.is_set():
                    return
                self._send_slices()
                self._receive(done, deque(), following)
            segment, words = self._segments.pop(sid)
            yield SliceEnd(segment, words=words)

    def _send_slices(self) -> None:
        for worker in self._workers:
            while worker.slices and worker.chunks < IN_FLIGHT:
                sid = worker.slices[0]
                end = self._plan[sid][1]
                chunk: list[Task] = []
                size = 0
                while worker.cursor < end and len(chunk) < CHUNK_FILES and (not chunk or size < CHUNK_BYTES):
                    if worker.cursor not in self._skip:  # it killed a worker: a problem already
                        chunk.append(self._tasks[worker.cursor])
                        size += self._sizes[worker.cursor]
                    worker.cursor += 1
                if chunk:
                    worker.send(chunk)
                if worker.cursor >= end:
                    with contextlib.suppress(OSError):
                        worker.conn.send(sid)
                    worker.awaiting.append(worker.slices.popleft())
                    if worker.slices:
                        worker.cursor = self._plan[worker.slices[0]][0]

    def _replace_writer(self, dead: _Worker, done: dict[int, FileResult]) -> None:
        """A worker that writes segments died: the slices it had not finished are written
        again by a new one, without the file it was reading (a problem) if it was reading."""
        code = dead.process.exitcode
        lost = [*dead.awaiting, *dead.slices]
        first = self._plan[lost[0]] if lost else (0, 0)
        # Died reading a file of its first unfinished slice (not writing that slice's segment
        # with the next slice's files already queued).
        if dead.pending and first[0] <= dead.pending[0][0] < first[1]:
            seq, path = dead.pending[0][0], dead.pending[0][1]
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            done[seq] = FileResult(path, problem=f"reading it stopped the reader process ({how})")
            self._skip.add(seq)
        elif lost:  # it died writing a segment: once more, then the sync reads them itself
            self._blind[lost[0]] = self._blind.get(lost[0], 0) + 1
            if self._blind[lost[0]] > 1:
                dead.stop(at_once=True)
                self._workers.remove(dead)
                raise PoolFailed(f"a worker process stopped writing a segment twice (exit code {code})")
        dead.stop(at_once=True)
        index = self._workers.index(dead)
        self._restarts += 1
        worker = _Worker(self._ctx, self.corpus, self._reader, self._staging)
        worker.slices = deque(lost)
        if lost:
            worker.cursor = self._plan[lost[0]][0]
        self._workers[index] = worker

    def _dispatch(self, todo: deque[Task], size_of: dict[int, int]) -> None:
        for worker in self._workers:
            while todo and worker.chunks < IN_FLIGHT:
                chunk: list[Task] = []
                size = 0
                while todo and len(chunk) < CHUNK_FILES and (not chunk or size < CHUNK_BYTES):
                    task = todo.popleft()
                    chunk.append(task)
                    size += size_of.get(task[0], 0)
                worker.send(chunk)

    def _receive(self, done: dict[int, FileResult], todo: deque[Task], following: int = 0) -> None:
        by_conn = {w.conn: w for w in self._workers}
        by_sentinel = {w.process.sentinel: w for w in self._workers}
        # A timeout, so that a cancelled sync stops while a worker reads a big file.
        for ready in wait([*by_conn, *by_sentinel], timeout=0.2):
            worker = by_conn.get(ready)
            if worker is not None:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    continue  # it died: its sentinel says so
                if message[0] == "ready":
                    worker.ready = True
                    continue
                if message[0] == "segment":
                    self._segments[message[1]] = (message[2], message[3])
                    worker.awaiting.popleft()
                    continue
                if message[0] == "failed":
                    raise PoolFailed(f"a worker process could not write its segment ({message[1]})")
                seq, result = message
                worker.answered(seq)
                if seq >= following and seq not in done:  # (a slice written again: given already)
                    done[seq] = result
                continue
            dead = by_sentinel.get(ready)
            if dead is not None and not dead.process.is_alive():
                if self._cancel.is_set():
                    return  # stopped by the cancel: nothing more is read
                self._replace(dead, done, todo)

    def _stop_on_cancel(self) -> None:
        while not self._closed:
            if self._cancel.wait(0.2):
                workers = list(self._workers)
                for worker in workers:
                    with contextlib.suppress(Exception):
                        worker.process.terminate()
                for worker in workers:  # reaped now, not when the writer is done with its commit
                    with contextlib.suppress(Exception):
                        worker.process.join(timeout=2)
                return

    def _replace(self, dead: _Worker, done: dict[int, FileResult], todo: deque[Task]) -> None:
        """A worker died: the file it was reading is a problem; the rest of its queue is read by
        a new worker."""
        # Results it sent before dying are still in the pipe.
        with contextlib.suppress(EOFError, OSError):
            while dead.conn.poll():
                message = dead.conn.recv()
                if message[0] == "segment":
                    self._segments[message[1]] = (message[2], message[3])
                    dead.awaiting.popleft()
                elif message[0] == "failed":
                    raise PoolFailed(f"a worker process could not write its segment ({message[1]})")
                elif message[0] != "ready":
                    dead.answered(message[0])
                    done[message[0]] = message[1]
        code = dead.process.exitcode
        if not dead.ready:
            dead.stop(at_once=True)
            self._workers.remove(dead)
            raise PoolFailed(f"a worker process failed to start (exit code {code})")
        if self._staging is not None:
            self._replace_writer(dead, done)
            return
        pending = list(dead.pending)
        if pending:
            seq, path, _digest = pending[0]
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            done[seq] = FileResult(path, problem=f"reading it stopped the reader process ({how})")
            todo.extendleft(reversed(pending[1:]))
        dead.stop(at_once=True)
        index = self._workers.index(dead)
        self._restarts += 1
        self._workers[index] = _Worker(self._ctx, self.corpus, self._reader)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def close(self, at_once: bool = False) -> None:
        """Stop the workers (``at_once``: without letting them finish their chunk) and reap them."""
        if self._closed:
            return
        self._closed = True
        watcher = getattr(self, "_watcher", None)
        if watcher is not None:  # it may be reaping the workers: two threads must not wait on one
            watcher.join()
        for worker in self._workers:
            worker.stop(at_once)
