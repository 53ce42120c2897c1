"""The window during a first index read by the worker pool: searchable after the first batch
while the workers read the rest, and closing it mid-sync leaves no worker process behind."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.core.index import SyncReport
from reader.core.index_sync import Batches
from tests.gui.harness import StartApp
from tests.helpers import write_article


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "corpus"
    for i in range(1500):
        word = "lighthouse" if i % 3 == 0 else "harbour"
        write_article(
            root, f"{i // 100:02d}/a-{i:04d}.txt", f"Report {i}", "1 March 2021", f"The {word} {i}. " * 30
        )
    monkeypatch.setenv("CORPUS_READER_WORKERS", "2")
    monkeypatch.setenv("CORPUS_READER_POOL_MIN_FILES", "1")
    return root


def test_the_window_answers_searches_while_the_workers_read(
    start_app: StartApp, qtbot: QtBot, big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sync holds after its first batch until the search is answered (or 60 s pass), so the
    # search is sure to run while the workers still have files to read.
    searched = threading.Event()
    commit = Batches.commit
    commits = [0]

    def holding_commit(self: Batches) -> None:
        commit(self)
        commits[0] += 1
        if commits[0] == 1:
            searched.wait(60)

    monkeypatch.setattr(Batches, "commit", holding_commit)
    app = start_app(big, wait=False)
    library = app.library
    events: list[str] = []
    reports: list[SyncReport] = []
    library.batch_committed.connect(lambda: events.append("batch"))
    library.sync_finished.connect(lambda report: (events.append("finished"), reports.append(report)))
    qtbot.waitUntil(lambda: "batch" in events, timeout=60000)
    window = app.window
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_edit, "lighthouse")
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.header().endswith(" for “lighthouse”"), timeout=20000)
    assert not app.header().startswith("0 ")
    answered_during_sync = "finished" not in events and bool(multiprocessing.active_children())
    searched.set()
    qtbot.waitUntil(lambda: bool(reports), timeout=120000)
    assert reports[0].workers == 2 and reports[0].added == 1500
    assert answered_during_sync  # searched while the rest was still being read
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=10000)


def test_closing_the_window_mid_sync_stops_the_workers(start_app: StartApp, qtbot: QtBot, big: Path) -> None:
    app = start_app(big, wait=False)
    library = app.library
    seen: list[int] = []
    library.sync_progress.connect(lambda done, total: seen.append(done))
    qtbot.waitUntil(lambda: bool(seen) and bool(multiprocessing.active_children()), timeout=60000)
    app.close()
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=10000)
