"""A reader lane for the Versions and Insights panels: their reads of the index, the word store
and article files run here, never on the GUI thread.

``submit(key, work, done)`` runs ``work(context)`` on the lane's thread and calls ``done(result)``
back on the GUI thread, unless a newer job of the same ``key`` was submitted meanwhile (its
result is then dropped). ``cancel(key)`` makes the jobs of ``key`` stale and sets the stop flag
they watch (``AnalysisContext.stop``), so a long job (insights over 10,000 articles) ends at its
next batch. A job that yields partial results sends them with ``context.partial(result)``.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.annotations import AnnotationStore

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from reader.core.index import CorpusIndex
    from reader.core.mark_filter import MarkSource
    from reader.core.stories import Stories
    from reader.core.wordstore import WordStore

log = logging.getLogger("corpus-reader")


class AnalysisContext:
    """What a job works with, on the lane's thread only."""

    def __init__(self, annotations_db: Path | None = None) -> None:
        self.index: CorpusIndex | None = None
        self.stop = threading.Event()
        self._annotations_db = annotations_db
        self._searcher: Searcher | None = None
        self._marks: MarkSource | None = None
        self._send: Callable[[object], None] = lambda _: None

    def searcher(self) -> Searcher:
        if self.index is None:
            raise RuntimeError("the index is not open yet")
        if self._searcher is None or not self._searcher.up_to_date():
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self.index.ix.searcher()
        return self._searcher

    def marks(self) -> MarkSource | None:
        """What answers is:/label: terms here, as on the search lane: this lane's own connection
        to the annotations database, opened on first use (None before there is a database)."""
        if self.index is None or self._annotations_db is None:
            return None
        if self._marks is None:
            from reader.core.mark_filter import MarkSource

            db = self._annotations_db
            self._marks = MarkSource(
                str(self.index.corpus), lambda: AnnotationStore(db) if db.exists() else None
            )
        return self._marks

    def words(self) -> WordStore:
        """A new connection to the word store (close it when done)."""
        if self.index is None:
            raise RuntimeError("the index is not open yet")
        from reader.core.wordstore import WordStore, store_path

        return WordStore(store_path(self.index.dir), readonly=self.index.read_only is not None)

    def stories(self) -> Stories:
        if self.index is None:
            raise RuntimeError("the index is not open yet")
        from reader.core.stories import Stories

        return Stories(self.index.dir, readonly=self.index.read_only is not None)

    def partial(self, result: object) -> None:
        """Send a partial result to the job's ``partial`` callback on the GUI thread."""
        self._send(result)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._marks is not None:
            self._marks.close()
            self._marks = None


@dataclass(eq=False)
class _Job:
    key: str
    generation: int
    work: Callable[[AnalysisContext], object]
    done: Callable[[Any], None]
    partial: Callable[[Any], None] | None
    failed: Callable[[str], None] | None
    stop: threading.Event


class _Lane(QThread):
    def __init__(self, owner: AnalysisLane, annotations_db: Path | None) -> None:
        super().__init__()
        self.setObjectName("corpus-reader-analysis")
        self.owner = owner
        self.context = AnalysisContext(annotations_db)
        self._jobs: deque[_Job | CorpusIndex | None] = deque()
        self._ready = threading.Condition()
        self._stopping = False

    def submit(self, item: _Job | CorpusIndex | None) -> None:
        with self._ready:
            self._jobs.append(item)
            self._ready.notify()

    def stop(self) -> None:
        with self._ready:
            self._stopping = True
            self.context.stop.set()
            self._ready.notify()

    def _send_partial(self, job: _Job, result: object) -> None:
        self.owner._partial.emit(job, result)

    def run(self) -> None:
        """Overrides QThread.run: the lane's loop."""
        while True:
            with self._ready:
                while not self._jobs and not self._stopping:
                    self._ready.wait()
                if self._stopping:
                    break
                item = self._jobs.popleft()
            if not isinstance(item, _Job):  # a new index (or none: it was closed)
                self.context.close()
                self.context.index = item
                continue
            if not self.owner.is_current(item):
                continue
            index = self.context.index
            if index is not None and index.damaged():
                # A segment cut short under a searcher's memory map would kill the process; the
                # search lane finds the damage and the library rebuilds the index.
                self.context.close()
                self.owner._delivered.emit(item, False, "the index is damaged and being rebuilt")
                continue
            self.context.stop = item.stop
            self.context._send = functools.partial(self._send_partial, item)
            try:
                result = item.work(self.context)
            except Exception as exc:
                log.warning("analysis job %s failed: %s", item.key, exc)
                self.owner._delivered.emit(item, False, str(exc))
            else:
                self.owner._delivered.emit(item, True, result)
        self.context.close()


class AnalysisLane(QObject):
    """The Versions and Insights panels' background reads (see the module docstring)."""

    _delivered = Signal(object, bool, object)
    _partial = Signal(object, object)

    def __init__(self, annotations_db: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._latest: dict[str, int] = {}
        self._stops: dict[str, threading.Event] = {}
        self._lane = _Lane(self, annotations_db)
        self._delivered.connect(self._on_delivered)
        self._partial.connect(self._on_partial)
        self._lane.start()

    def set_index(self, index: CorpusIndex | None) -> None:
        """Read ``index`` from now on (None: the index is being rebuilt or closed)."""
        self._lane.submit(index)

    def submit(
        self,
        key: str,
        work: Callable[[AnalysisContext], object],
        done: Callable[[Any], None],
        partial: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
    ) -> None:
        stop = threading.Event()
        with self._lock:
            generation = self._latest.get(key, 0) + 1
            self._latest[key] = generation
            older = self._stops.get(key)
            self._stops[key] = stop
        if older is not None:
            older.set()  # a running job of the same key yields to the new request
        self._lane.submit(_Job(key, generation, work, done, partial, failed, stop))

    def cancel(self, key: str) -> None:
        """Drop the pending and running jobs of ``key``."""
        with self._lock:
            self._latest[key] = self._latest.get(key, 0) + 1
            older = self._stops.pop(key, None)
        if older is not None:
            older.set()

    def is_current(self, job: _Job) -> bool:
        with self._lock:
            return self._latest.get(job.key, 0) == job.generation

    def shutdown(self) -> None:
        """Stop the lane's thread and wait for it (the window is closing)."""
        self._lane.stop()
        self._lane.wait()

    @Slot(object, bool, object)
    def _on_delivered(self, job: _Job, ok: bool, result: object) -> None:
        if not self.is_current(job):
            return
        if ok:
            job.done(result)
        elif job.failed is not None:
            job.failed(str(result))

    @Slot(object, object)
    def _on_partial(self, job: _Job, result: object) -> None:
        if job.partial is not None and self.is_current(job):
            job.partial(result)


class LaneClient(QObject):
    """A controller that reads through the analysis lane once the library hands it one (jobs
    submitted before that are dropped: there is no corpus to read yet)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane: AnalysisLane | None = None

    def set_lane(self, lane: AnalysisLane) -> None:
        """Read through ``lane`` (the library's analysis lane) from now on."""
        self.lane = lane

    def _submit(self, key: str, work: Any, done: Any, **kwargs: Any) -> None:
        if self.lane is not None:
            self.lane.submit(key, work, done, **kwargs)

    def _cancel(self, key: str) -> None:
        if self.lane is not None:
            self.lane.cancel(key)
