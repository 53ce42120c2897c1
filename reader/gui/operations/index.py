"""Opening, syncing and rebuilding the index: the writer lane's long jobs (driven by Library).

The index's modules (Whoosh among them) are imported here on the writer lane, when the index is
first opened, not by the window before it shows."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.corpus import corpus_folders
from reader.gui.tasks.lanes import WriterContext
from reader.gui.tasks.watcher import MAX_WATCHED_FILES, MAX_WATCHED_FOLDERS

if TYPE_CHECKING:
    from reader.core.index import CorpusIndex, SyncReport

#: A progress report every this many files: one per file would flood the GUI thread.
PROGRESS_EVERY = 25


class SyncFailed(Exception):
    """The sync could not run; the message is for the user."""


@dataclass(frozen=True)
class Synced:
    report: SyncReport
    watch: list[str]  # folders and files to watch
    damaged: bool = False  # it failed on a damaged index: rebuild


def open_corpus_index(ctx: WriterContext, on_wait: Callable[[], None]) -> CorpusIndex:
    """Open (or create) the index; it waits while another Corpus Reader writes it."""
    from reader.core.index import open_index

    try:
        ctx.index = open_index(ctx.corpus, ctx.index_dir, on_wait=on_wait)
    except Exception as exc:
        raise SyncFailed(f"Cannot open the index: {exc}") from exc
    return ctx.index


def rebuild(ctx: WriterContext) -> CorpusIndex:
    """Start the index again (damage found after opening); a sync fills it."""
    assert ctx.index is not None
    try:
        ctx.index.rebuild()
    except Exception as exc:
        raise SyncFailed(f"Cannot rebuild the index: {exc}") from exc
    return ctx.index


def sync(
    ctx: WriterContext, progress: Callable[[int, int], None], on_batch: Callable[[], None]
) -> Synced | None:
    """Bring the index up to date with the folder, then keep the highlights of changed articles
    attached. None when there is no index (it failed to open)."""
    from reader.core.annotation_sync import reconcile
    from reader.core.index import IndexError_, SyncReport

    index = ctx.index
    if index is None:
        return None
    last = [0]

    def report_progress(done: int, total: int) -> None:
        ctx.interleave()  # a highlight saved meanwhile is written now, not after the sync
        if done == total or done - last[0] >= PROGRESS_EVERY:
            last[0] = done
            progress(done, total)

    try:
        report = index.sync(progress=report_progress, on_batch=on_batch, cancel=ctx.cancel)
    except IndexError_ as exc:  # read-only or full: searching what exists still works
        raise SyncFailed(f"The index is not updated: {exc}") from exc
    except Exception as exc:
        if index.damaged(thorough=True):
            return Synced(SyncReport(), [], damaged=True)
        raise SyncFailed(f"Indexing stopped: {exc}") from exc
    if report.pool_note:
        ctx.notify(report.pool_note[:1].upper() + report.pool_note[1:])
    if report.changed:
        try:
            reconcile(ctx.annotations(), ctx.corpus, report)
        except Exception as exc:  # the index is synced all the same
            ctx.notify(f"Cannot check annotations: {exc}")
    if report.changed or not ctx.stories_checked:
        update_stories_of(ctx)
    return Synced(report, watch_targets(ctx))


def merge(ctx: WriterContext, stop: threading.Event) -> bool:
    """One merge of index segments (``merging.merge_step``), letting quick writes through as it
    goes; False when there was none to make or ``stop`` was set (a sync or a quit came)."""
    from reader.core.merging import MergeStopped

    index = ctx.index
    if index is None or stop.is_set():
        return False
    try:
        return index.merge(stop, ctx.interleave)
    except MergeStopped:
        return False


def update_stories_of(ctx: WriterContext) -> None:
    """Stories and the words insights read, for what the sync changed (and, once a session,
    whatever an interrupted run left behind)."""
    index = ctx.index
    if index is None or index.read_only is not None:
        return
    from reader.core.stories import update_stories

    catalog = index.catalog()
    try:
        changes = update_stories(index.dir, index.corpus, catalog, cancel=ctx.cancel)
        ctx.stories_checked = not changes.cancelled
    except Exception as exc:  # stories are a cache: the rest works without them
        ctx.notify(f"Stories are not updated: {exc}")
    finally:
        catalog.close()


def watch_targets(ctx: WriterContext) -> list[str]:
    """The folders, and the files if there are not too many, for the folder watcher."""
    folders = corpus_folders(ctx.corpus, MAX_WATCHED_FOLDERS) or [ctx.corpus]
    paths = [str(f) for f in folders]
    if ctx.index is None:
        return paths
    try:
        catalog = ctx.index.catalog()
        try:
            if catalog.count() + len(catalog.problem_states()) <= MAX_WATCHED_FILES:
                names = [*catalog.file_states(), *catalog.problem_states()]
                # Not broken links or loops: the OS cannot watch them (and Qt would warn).
                files = (str(ctx.corpus / name) for name in names)
                paths.extend(f for f in files if os.path.isfile(f))
        finally:
            catalog.close()
    except sqlite3.Error:
        pass  # folders alone; the poll sees edits
    return paths
