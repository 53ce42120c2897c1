"""One corpus folder's background work: its task runner, its index's life and its folder watcher.

The index is opened, synced and rebuilt on the runner's writer lane (``operations/index.py``);
every other feature submits its own operations to ``library.tasks`` (see ``runner.py`` and
``reader/gui/operations/``). The Library keeps what the whole window needs to know about the
index: whether it is open (``ready``), syncing or being rebuilt, and the signals below.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from reader.gui.operations import index as index_ops
from reader.gui.tasks.analysis import AnalysisLane
from reader.gui.tasks.lanes import ReaderContext, WriterContext
from reader.gui.tasks.runner import ReadOp, TaskRunner, WriteOp
from reader.gui.tasks.triage import Triage
from reader.gui.tasks.watcher import DEBOUNCE_MS, POLL_MS, CorpusWatcher

if TYPE_CHECKING:
    from reader.core.index import CorpusIndex, SyncReport

log = logging.getLogger("corpus-reader")

#: How long after start-up an existing index is synced (the first listing and search go first).
STARTUP_SYNC_DELAY_MS = 1500


class Library(QObject):
    """Owns the task runner and the index of one corpus folder.

    Signals:
        index_opened(): the index is open; listings and searches can be answered. Again after
            a rebuild (``rebuilding`` is then True until the next ``sync_finished``).
        rebuild_started(): the index was found damaged while open and is being rebuilt.
        waiting_for_writer(): another Corpus Reader is indexing this folder; this one waits.
        sync_progress(int done, int total): files read so far during a sync.
        batch_committed(): new documents became searchable during a sync.
        sync_finished(SyncReport): a sync ended (``cancelled`` tells if it was stopped).
        segments_merged(): index segments were merged in the background (nothing a search finds
            changed).
        notice(str message): something the user should know that is not an error.
        error_occurred(str message): a one-line message for the user.
    """

    index_opened = Signal()
    rebuild_started = Signal()
    waiting_for_writer = Signal()
    sync_progress = Signal(int, int)
    batch_committed = Signal()
    sync_finished = Signal(object)
    segments_merged = Signal()
    notice = Signal(str)
    error_occurred = Signal(str)

    def __init__(
        self,
        corpus: Path,
        index_dir: Path,
        annotations_db: Path,
        parent: QObject | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        poll_ms: int = POLL_MS,
        sync_delay_ms: int = 0,
        quick_table_docs: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self.ready = False
        self.syncing = False
        self.rebuilding = False
        self._sync_again = False
        self._sync_delay_ms = sync_delay_ms
        self._closed = False
        self._cancel = threading.Event()
        #: Set when a sync or a quit needs the writer: a background merge stops at once.
        self._merge_stop = threading.Event()
        self.merging = False
        reader = ReaderContext(corpus, annotations_db, self.notice.emit, quick_table_docs)
        writer = WriterContext(corpus, index_dir, annotations_db, self._cancel, self.notice.emit)
        self.tasks = TaskRunner(reader, writer, self)
        self.tasks.failed.connect(self.error_occurred)
        self.tasks.damage_found.connect(self._on_tasks_damage_found)
        #: The Versions and Insights panels' reads (stories, the word store, article files).
        self.analysis = AnalysisLane(annotations_db, self)
        #: Read state and labels: a mirror here, written on the writer lane (triage.py).
        self.triage = Triage(self.tasks, self)
        # A large index's path table is read in the background once it opens (and after syncs).
        self.index_opened.connect(self.triage.fill_paths)
        # Changes in the folder while the window is open: a sync soon after.
        self.watcher = CorpusWatcher(debounce_ms, poll_ms, self)
        self.watcher.changed.connect(self.sync)

    def start(self) -> None:
        """Open the index and sync it in the background; then watch the folder for changes."""
        self.syncing = True
        self.triage.start()

        def open_index(ctx: WriterContext) -> tuple[CorpusIndex, bool]:
            index = index_ops.open_corpus_index(ctx, self.waiting_for_writer.emit)
            # The index from last time answers at once; the sync (a walk over every file, which
            # competes for the interpreter) starts once the first listing and search are served.
            return index, not index.rebuilt and not index.ix.is_empty()

        WriteOp(self.tasks, open_index, self._on_opened).failure(self._on_sync_failed).run()
        self.watcher.start()

    def sync(self) -> None:
        """Sync again; asked while a sync runs, another follows it (changes may have come in)."""
        if not self.ready:
            return
        if self.syncing:
            self._sync_again = True
            return
        self.syncing = True
        self._run_sync()

    def shutdown(self) -> None:
        """Stop a running sync at the next file, close the index and end both lanes."""
        self._closed = True
        self.watcher.stop()
        self._cancel.set()
        self._merge_stop.set()
        self.analysis.shutdown()
        self.tasks.shutdown()

    def _run_sync(self) -> None:
        self._merge_stop.set()  # a merge running gives way
        if self._closed:
            return
        WriteOp(
            self.tasks,
            lambda ctx: index_ops.sync(ctx, self.sync_progress.emit, self.batch_committed.emit),
            self._on_synced,
        ).long().failure(self._on_sync_failed).run()

    def _attach(self, index: CorpusIndex) -> None:
        """The reader lane reads ``index`` from now on; the views may ask."""
        ReadOp(self.tasks, lambda ctx: ctx.attach(index), needs_index=False).run()
        self.analysis.set_index(index)
        self.ready = True
        self.index_opened.emit()

    def _on_opened(self, opened: tuple[CorpusIndex, bool]) -> None:
        index, answer_first = opened
        self.rebuilding = self.rebuilding or index.rebuilt
        self._attach(index)
        if self._sync_delay_ms and answer_first:
            QTimer.singleShot(self._sync_delay_ms, self, self._run_sync)
        else:
            self._run_sync()

    def _on_rebuilt(self, index: CorpusIndex) -> None:
        self._attach(index)
        self._run_sync()

    def _on_synced(self, synced: index_ops.Synced | None) -> None:
        if synced is None:
            self.syncing = False
            return
        if synced.damaged:
            self.rebuilding = False
            self._on_tasks_damage_found()
            return
        report: SyncReport = synced.report
        self.syncing = False
        if not report.cancelled:
            self.rebuilding = False
        if report.changed:
            self.triage.after_sync([*report.added_paths, *report.updated_paths])
            self.triage.fill_paths()  # the new segments only
        self.sync_finished.emit(report)
        self.watcher.watch(synced.watch)
        if self._sync_again and not report.cancelled:
            self._sync_again = False
            self.sync()
        elif not report.cancelled:
            self._merge_when_idle()

    def _merge_when_idle(self) -> None:
        """Merge the segments the syncs' commits left, one merge a job, while no sync runs (a
        sync stops it: ``_merge_stop``); searches go on reading the segments as they were."""
        if self._closed or self.syncing or self.merging or not self.ready:
            return
        self.merging = True
        self._merge_stop.clear()
        stop = self._merge_stop
        WriteOp(self.tasks, lambda ctx: index_ops.merge(ctx, stop), self._on_merged).long().failure(
            self._on_merge_failed
        ).run()

    def _on_merged(self, merged: bool) -> None:
        self.merging = False
        if merged:
            self.segments_merged.emit()
            self._merge_when_idle()  # the next one, if any

    def _on_merge_failed(self, exc: Exception) -> None:
        # Not the user's concern: the index is as it was, and the next sync's commit merges.
        self.merging = False
        log.warning("Merging index segments failed: %s", exc)

    def _on_sync_failed(self, exc: Exception) -> None:
        self.syncing = False
        self.rebuilding = False
        message = str(exc) if isinstance(exc, index_ops.SyncFailed) else f"Indexing stopped: {exc}"
        self.error_occurred.emit(message)

    @Slot()
    def _on_tasks_damage_found(self) -> None:
        if self.rebuilding or self._closed:
            return  # already on it
        self.rebuilding = True
        self.syncing = True
        self._merge_stop.set()
        self.rebuild_started.emit()
        WriteOp(self.tasks, index_ops.rebuild, self._on_rebuilt).long().failure(self._on_sync_failed).run()


__all__ = ["STARTUP_SYNC_DELAY_MS", "Library"]
