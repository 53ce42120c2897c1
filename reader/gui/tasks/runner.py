"""One task runner for the window's background work: a writer lane and a reader lane.

The GUI thread never waits on disk, the index or SQLite. It describes work as an operation
(``ReadOp`` or ``WriteOp``): a function run on a lane's thread with that lane's context, and a
``success`` callback run back on the GUI thread with its result::

    ReadOp(tasks, lambda ctx: facet_counts(ctx.searcher(), text), self._show_facets)
        .supersedes("facets").described("Cannot count sources and years").run()

- **Two lanes, one owner each.** The writer lane (``WriterContext``) owns the index writer and
  its own connection to the annotations database: index sync and rebuild, annotation and saved
  search writes. The reader lane (``ReaderContext``) owns the searcher, the catalog and its own
  connection: listings, searches, article loads, counts. Each runs its jobs in order.
- **Newer supersedes older.** ``supersedes(key)`` takes the next generation of ``key`` (a
  thread-safe counter); a job whose generation is no longer the latest is skipped before it
  runs and its result dropped when it arrives. Workers never read GUI objects to find out.
- **One way to fail.** An exception in an operation goes to its ``failure`` callback, or else
  becomes the runner's ``failed(message)`` signal (``"<described>: <error>"``) and the log.
  Reader jobs run inside the index guard: a damaged index is reported once by
  ``damage_found`` (the library rebuilds it) instead of as an error.
- **Short jobs go first.** A long job (a sync, a rule run; on the reader lane, filling the path
  table) calls ``context.interleave()`` between its steps, which runs the quick jobs queued
  meanwhile: saving a highlight never waits for a sync, a search never waits for the path table.
- **The answer first.** An ``urgent()`` job (the list's search or listing) runs before the
  queued jobs that are not (the facet and timeline counts that follow it).
- **Cancellation.** ``tasks.generations.advance(key)`` makes the jobs of ``key`` stale; a job
  that takes a while checks its op's ``still_current()`` (Spyder's stop flag under a mutex)
  between its batches (the listing of every article stops for a search typed meanwhile).

Model: Anki's ``qt/aqt/taskman.py`` and ``qt/aqt/operations/`` (``QueryOp``).
"""

from __future__ import annotations

import gc
import logging
import threading
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.gui.tasks.lanes import ReaderContext, WriterContext

T = TypeVar("T")
C = TypeVar("C", ReaderContext, WriterContext)
OpT = TypeVar("OpT", bound="_Op[Any, Any]")

log = logging.getLogger("corpus-reader")


class Generations:
    """Request counters shared by the GUI thread and the lanes, under one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, int] = {}

    def advance(self, key: str) -> int:
        """A new request of ``key``: every older one is now stale. Returns its generation."""
        with self._lock:
            self._latest[key] = self._latest.get(key, 0) + 1
            return self._latest[key]

    def latest(self, key: str) -> int:
        with self._lock:
            return self._latest.get(key, 0)

    def is_current(self, key: str, generation: int) -> bool:
        with self._lock:
            return self._latest.get(key, 0) == generation


@dataclass(eq=False)
class Job:
    """One unit of work for a lane (built by ``ReadOp`` / ``WriteOp``)."""

    work: Callable[[Any], object]
    success: Callable[[Any], None] | None
    failure: Callable[[Exception], None] | None
    what: str
    key: str | None = None
    generation: int = 0
    quick: bool = True  # may run between the steps of a long job (the files of a sync)
    guarded: bool = False  # reads the index: run inside the damage guard
    urgent: bool = False  # what the user waits for (the list's answer): goes before the others

    def current(self, generations: Generations) -> bool:
        return self.key is None or generations.is_current(self.key, self.generation)


class _Delivery(Protocol):
    def deliver(self, job: Job, ok: bool, outcome: object) -> None: ...


def _in_turn(jobs: list[Job]) -> list[Job]:
    """``jobs`` in the order to run them: an urgent one before the index reads queued ahead of
    it, never before another kind of job (attaching the index, a write), which the reads after
    it may need."""
    out: list[Job] = []
    held: list[Job] = []
    for job in jobs:
        if job.urgent:
            out.append(job)
        elif job.guarded:
            held.append(job)
        else:
            out.extend(held)
            held.clear()
            out.append(job)
    return out + held


class Lane(QThread):
    """A worker thread running jobs in submission order against one context."""

    def __init__(self, name: str, context: ReaderContext | WriterContext, runner: TaskRunner) -> None:
        super().__init__()
        self.setObjectName(f"corpus-reader-{name}")
        self.context = context
        self._runner = runner
        self._jobs: deque[Job] = deque()
        self._ready = threading.Condition()
        self._stopping = False
        context.interleave = self.interleave
        context.stopping = self.stopping

    def submit(self, job: Job) -> None:
        with self._ready:
            self._jobs.append(job)
            self._ready.notify()

    def stop(self) -> None:
        """Finish: writer jobs still queued run (nothing the user made is dropped), reads do not."""
        with self._ready:
            self._stopping = True
            self._ready.notify()

    def stopping(self) -> bool:
        """Whether the lane is shutting down (a long job stops at its next step)."""
        with self._ready:
            return self._stopping

    def interleave(self) -> None:
        """Run the quick jobs queued so far (called by a long job between its steps)."""
        with self._ready:
            quick = _in_turn([job for job in self._jobs if job.quick])
            for job in quick:
                self._jobs.remove(job)
        for job in quick:
            self._execute(job)

    def run(self) -> None:
        """Overrides QThread.run: the lane's loop."""
        while True:
            with self._ready:
                while not self._jobs and not self._stopping:
                    self._ready.wait()
                if self._stopping:
                    keep = [j for j in self._jobs if isinstance(self.context, WriterContext)]
                    self._jobs.clear()
                    break
                job = _in_turn(list(self._jobs))[0]
                self._jobs.remove(job)
            self._execute(job)
        for job in keep:
            self._execute(job)
        self.context.close()

    def _execute(self, job: Job) -> None:
        if not job.current(self._runner.generations):
            return  # a newer request made it stale before it ran
        try:
            if job.guarded:
                assert isinstance(self.context, ReaderContext)
                result = self._guarded(job)
                if result is _DAMAGED:
                    return
            else:
                result = job.work(self.context)
        except Exception as exc:
            self._runner.deliver(job, False, exc)
        else:
            self._runner.deliver(job, True, result)

    def _guarded(self, job: Job) -> object:
        """Run a read of the index; a damaged index is rebuilt, not reported as an error."""
        context = self.context
        assert isinstance(context, ReaderContext)
        # A segment file cut short under a searcher's memory map would crash the process: check.
        if context.index is None:
            return _DAMAGED  # not open yet (or being rebuilt): the view asks again when it opens
        if context.index.damaged():
            self._on_damage(context)
            return _DAMAGED
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # Whoosh leaves a damaged file open
            try:
                return job.work(context)
            except Exception as exc:
                if not context.index.damaged(thorough=True):
                    raise
                del exc
                gc.collect()
                self._on_damage(context)
                return _DAMAGED

    def _on_damage(self, context: ReaderContext) -> None:
        context.detach()  # its searcher must not touch the damaged files again
        self._runner.damage_found.emit()


_DAMAGED = object()


class TaskRunner(QObject):
    """The two lanes of one corpus, and results marshalled back to the GUI thread.

    Signals:
        failed(str message): an operation without a ``failure`` callback failed (one line).
        damage_found(): a reader job found the index damaged (the library rebuilds it).
    """

    failed = Signal(str)
    damage_found = Signal()
    _delivered = Signal(object, bool, object)  # job, ok, result or exception; queued to the GUI

    def __init__(self, reader: ReaderContext, writer: WriterContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generations = Generations()
        self._closed = False
        self.reader = Lane("reader", reader, self)
        self.writer = Lane("writer", writer, self)
        self._delivered.connect(self._on_delivered)
        self.reader.start()
        self.writer.start()

    def deliver(self, job: Job, ok: bool, outcome: object) -> None:
        """From a lane: hand the job's outcome to the GUI thread."""
        self._delivered.emit(job, ok, outcome)

    def shutdown(self) -> None:
        """Stop both lanes (queued writes still run) and wait for their threads to end; what they
        deliver after this is dropped (the views may show another corpus by then)."""
        self._closed = True
        for lane in (self.reader, self.writer):
            lane.stop()
        for lane in (self.reader, self.writer):
            lane.wait()

    @Slot(object, bool, object)
    def _on_delivered(self, job: Job, ok: bool, outcome: object) -> None:
        if self._closed or not job.current(self.generations):
            return  # a newer request came while it ran
        if ok:
            if job.success is not None and _alive(job.success):
                job.success(outcome)
            return
        assert isinstance(outcome, Exception)
        if job.failure is not None:
            if _alive(job.failure):
                job.failure(outcome)
            return
        log.error("%s", job.what, exc_info=outcome)
        self.failed.emit(f"{job.what}: {outcome}")


def _alive(callback: Callable[..., object]) -> bool:
    """False when the callback is a method of a Qt object that was deleted meanwhile."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class _Op(Generic[C, T]):
    """An operation being described; ``run()`` submits it. See the module docstring."""

    _lane = "reader"

    def __init__(
        self, tasks: TaskRunner, work: Callable[[C], T], success: Callable[[T], None] | None = None
    ) -> None:
        self._tasks = tasks
        self._job = Job(work, success, None, "Background work failed")

    def failure(self: OpT, callback: Callable[[Exception], None]) -> OpT:
        """Handle a failure here instead of the runner's ``failed`` message."""
        self._job.failure = callback
        return self

    def described(self: OpT, what: str) -> OpT:
        """How a failure is worded: ``"<what>: <error>"``."""
        self._job.what = what
        return self

    def supersedes(self: OpT, key: str) -> OpT:
        """A newer operation with the same ``key`` makes this one stale (and this the older)."""
        self._job.key = key
        self._job.generation = self._tasks.generations.advance(key)
        return self

    def continues(self: OpT, key: str, generation: int) -> OpT:
        """Part of the request ``generation`` of ``key`` (a next page, a next batch)."""
        self._job.key = key
        self._job.generation = generation
        return self

    def long(self: OpT) -> OpT:
        """A long job (a sync, a rule run, filling the path table): it calls
        ``context.interleave()`` between its steps, and is never run inside another's."""
        self._job.quick = False
        return self

    @property
    def generation(self) -> int:
        """Its generation of its key (0 without a key)."""
        return self._job.generation

    def still_current(self) -> bool:
        """Whether no newer operation of its key was asked for since (any thread): a job that
        takes a while checks it between its batches and stops early, as its answer would be
        dropped anyway."""
        return self._job.current(self._tasks.generations)

    def urgent(self: OpT) -> OpT:
        """Run it before the jobs queued that are not (the counts and panels that follow a
        search wait for its answer: at 100,000 articles a start-up's facet count took seconds)."""
        self._job.urgent = True
        return self

    def run(self) -> int:
        """Submit it; returns its generation (0 without a key)."""
        lane = self._tasks.reader if self._lane == "reader" else self._tasks.writer
        lane.submit(self._job)
        return self._job.generation


class ReadOp(_Op[ReaderContext, T]):
    """An operation on the reader lane, inside the index guard (see the module docstring)."""

    def __init__(
        self,
        tasks: TaskRunner,
        work: Callable[[ReaderContext], T],
        success: Callable[[T], None] | None = None,
        *,
        needs_index: bool = True,
    ) -> None:
        super().__init__(tasks, work, success)
        self._job.guarded = needs_index


class WriteOp(_Op[WriterContext, T]):
    """An operation on the writer lane. ``long()`` ones (a sync) let quick writes go between."""

    _lane = "writer"


__all__ = ["Generations", "ReadOp", "TaskRunner", "WriteOp"]
