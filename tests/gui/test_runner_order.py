"""The task runner's order: what the user waits for (an urgent job, the list's search) runs
before the index reads queued ahead of it, but never before the index is attached."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.gui.tasks.lanes import ReaderContext, WriterContext
from reader.gui.tasks.runner import ReadOp, TaskRunner


class Opened:
    """An index that is open and sound (what the reads' damage guard asks)."""

    def damaged(self, thorough: bool = False) -> bool:
        return False


def test_an_urgent_read_goes_before_the_reads_queued_ahead_of_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    db = tmp_path / "annotations.sqlite3"
    tasks = TaskRunner(
        ReaderContext(corpus, db, print),
        WriterContext(corpus, tmp_path / "index", db, threading.Event(), print),
    )
    try:
        monkeypatch.setattr(tasks.reader.context, "index", Opened())
        busy, ran = threading.Event(), []
        ReadOp(tasks, lambda ctx: busy.wait(10), needs_index=False).run()  # the lane is busy
        for name in ("facets", "timeline"):
            ReadOp(tasks, lambda ctx, name=name: ran.append(name)).run()
        ReadOp(tasks, lambda ctx: ran.append("attach"), needs_index=False).run()  # never passed
        ReadOp(tasks, lambda ctx: ran.append("counts")).run()
        ReadOp(tasks, lambda ctx: ran.append("search")).urgent().run()
        ReadOp(tasks, lambda ctx: ran.append("page")).urgent().run()
        busy.set()
        qtbot.waitUntil(lambda: len(ran) == 6)
        assert ran == ["facets", "timeline", "attach", "search", "page", "counts"]
    finally:
        tasks.shutdown()
