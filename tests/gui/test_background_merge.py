"""Segments left by syncs are merged in the background once the writer is idle: searches keep
answering the same, a sync stops a merge at once, quick writes go through while it runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core import merging
from reader.core.index import CorpusIndex
from tests.gui.harness import App, StartApp
from tests.helpers import write_article

#: Syncs only when the test asks (the folder watcher would start one on its own).
QUIET = {"debounce_ms": 600_000, "poll_ms": 600_000}


@pytest.fixture
def no_commit_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sync's commit leaves its segment; four segments of one article make a merge."""
    monkeypatch.setattr(merging, "TIER_BASE", 2)
    monkeypatch.setattr(merging, "CHEAP_DOCS", 0)
    monkeypatch.setattr(merging, "MAX_SEGMENTS", 100)


def segment_count(app: App) -> int:
    index = app.library.tasks.writer.context.index
    assert index is not None
    return len(index.ix._segments())


def add_and_sync(app: App, qtbot: QtBot, n: int) -> None:
    assert app.corpus is not None
    write_article(
        app.corpus, f"added/{n}.txt", f"Added story {n}", "2024-01-02", f"Zanzibarite news, item {n}."
    )
    with qtbot.waitSignal(app.library.sync_finished, timeout=20_000):
        app.library.sync()


def test_segments_are_merged_when_the_writer_is_idle(
    no_commit_merges: None, start_app: StartApp, qtbot: QtBot, corpus: Path
) -> None:
    app = start_app(corpus, **QUIET)
    first = segment_count(app)
    merged: list[int] = []
    app.library.segments_merged.connect(lambda: merged.append(segment_count(app)))
    for n in range(4):
        add_and_sync(app, qtbot, n)
    qtbot.waitUntil(lambda: bool(merged) and not app.library.merging, timeout=20_000)
    # four one-article segments, one for each sync, became one
    assert segment_count(app) == first + 1
    index = app.library.tasks.writer.context.index
    assert index is not None and merging.next_merge(index.ix._segments()) == []
    app.window.search("zanzibarite")
    qtbot.waitUntil(lambda: app.header().startswith("4 results"), timeout=10_000)
    assert {f"added/{n}.txt" for n in range(4)} <= set(app.paths())


def test_a_sync_stops_a_merge_and_quick_writes_pass(
    no_commit_merges: None, start_app: StartApp, qtbot: QtBot, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, stopped = threading.Event(), threading.Event()
    real_merge = CorpusIndex.merge

    def endless_merge(
        self: CorpusIndex, stop: threading.Event | None = None, between: Callable[[], None] | None = None
    ) -> bool:
        """A merge that would go on until told to stop, letting quick writes through."""
        running.set()
        assert stop is not None and between is not None
        while not stop.wait(0.01):
            between()
        stopped.set()
        raise merging.MergeStopped

    app = start_app(corpus, **QUIET)
    monkeypatch.setattr(CorpusIndex, "merge", endless_merge)
    add_and_sync(app, qtbot, 0)  # a merge starts after it
    qtbot.waitUntil(running.is_set, timeout=10_000)
    assert app.library.merging
    # a bookmark saved meanwhile is written while the merge runs
    app.open("undated.txt")
    app.window.annotations.toggle_bookmark()
    qtbot.waitUntil(lambda: app.window.annotations.bookmarks.count() == 1, timeout=10_000)
    assert not stopped.is_set()
    # a sync makes it give way, and runs
    monkeypatch.setattr(CorpusIndex, "merge", real_merge)
    add_and_sync(app, qtbot, 1)
    assert stopped.is_set()
    app.window.search("zanzibarite")
    qtbot.waitUntil(lambda: app.header().startswith("2 results"), timeout=10_000)
