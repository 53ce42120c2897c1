"""Start-up over an existing index: answers come first, the sync after."""

from __future__ import annotations

import linecache
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from whoosh.reading import SegmentReader

import reader.core.index as index_module
import reader.core.timeline as timeline_module
from reader.core.catalog import ArticleRow
from reader.core.index import open_index
from reader.core.locations import Locations
from reader.gui.operations import search as search_ops
from tests.gui.harness import StartApp
from tests.helpers import write_article


def index_before_launch(corpus: Path, data_dir: Path) -> None:
    """The index a window started with ``--data-dir data_dir`` finds: built and synced earlier."""
    locations = Locations.resolve(data_dir)
    built = open_index(corpus.resolve(), locations.index_dir(corpus.resolve()))
    built.sync()
    built.close()


def test_an_existing_index_answers_before_its_sync_starts(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    index_before_launch(corpus, tmp_path / "data")

    app = start_app(corpus, wait=False, sync_delay_ms=60_000)
    qtbot.waitUntil(lambda: app.library.ready)
    app.window.search("Minsk group")
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk group”")
    assert app.library.syncing  # the sync is still waiting its turn


def test_a_new_index_is_built_at_once(start_app: StartApp, qtbot: QtBot, corpus: Path) -> None:
    app = start_app(corpus, wait=False, sync_delay_ms=60_000)
    # Built now, not after the 60 s a synced index would wait.
    qtbot.waitUntil(lambda: app.header() == "5 articles", timeout=20_000)
    qtbot.waitUntil(lambda: not app.library.syncing, timeout=20_000)


def test_the_window_answers_while_the_start_up_walk_runs(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_before_launch(corpus, tmp_path / "data")
    walking, done = threading.Event(), threading.Event()
    real_plan = index_module.plan_sync

    def slow_walk(*args: object, **kwargs: object) -> object:
        """The walk over a big corpus: it takes until the test has had its answer."""
        walking.set()
        done.wait(20)
        return real_plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module, "plan_sync", slow_walk)
    app = start_app(corpus, wait=False, sync_delay_ms=0)
    qtbot.waitUntil(walking.is_set, timeout=10_000)
    app.window.search("Minsk group")
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk group”", timeout=10_000)
    assert app.library.syncing and not done.is_set()  # answered from the index, mid-walk
    done.set()
    qtbot.waitUntil(lambda: not app.library.syncing, timeout=20_000)


def test_a_search_typed_while_the_listing_runs_is_answered_without_waiting_for_it(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_before_launch(corpus, tmp_path / "data")
    listing, typed = threading.Event(), threading.Event()
    listed: list[str] = []
    real_row = search_ops.row_from_article

    def slow_row(article: ArticleRow) -> search_ops.Row:
        """The listing of a big corpus: its first row comes, the rest only after the search."""
        listed.append(article.path)
        if len(listed) == 1:
            listing.set()
            typed.wait(20)
        return real_row(article)

    monkeypatch.setattr(search_ops, "row_from_article", slow_row)
    monkeypatch.setattr(search_ops, "LIST_STEP", 1)
    app = start_app(corpus, wait=False, sync_delay_ms=60_000)
    qtbot.waitUntil(listing.is_set, timeout=10_000)  # the start-up listing is running
    app.window.search("Minsk group")
    typed.set()
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk group”", timeout=10_000)
    assert len(app.paths()) == 2
    assert len(listed) < 5  # the listing of the 5 articles stopped for it


def test_a_search_typed_while_the_corpus_is_counted_stops_the_count(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole corpus's source and language counts follow the start-up listing; a search typed
    meanwhile asks for counts of its own, and the old count stops at its next step instead of
    reading the rest of the corpus first (at 100,000 articles: seconds before the answer)."""
    for i in range(40):
        write_article(corpus, f"extra/{i:02d}.txt", f"Extra {i}", "2020-05-01", "Filler words.")
    index_before_launch(corpus, tmp_path / "data")
    counting, typed = threading.Event(), threading.Event()
    read: list[int] = []
    real_stored = SegmentReader.stored_fields

    def slow_stored(self: SegmentReader, docnum: int) -> dict[str, object]:
        """A big corpus's count: its first article read, the rest only after the search."""
        if threading.current_thread() is not threading.main_thread():
            read.append(docnum)
            if len(read) == 1:
                counting.set()
                typed.wait(20)
        return real_stored(self, docnum)  # type: ignore[no-any-return]

    monkeypatch.setattr(timeline_module, "STOP_STEP", 1)
    monkeypatch.setattr(SegmentReader, "stored_fields", slow_stored)
    app = start_app(corpus, wait=False, sync_delay_ms=60_000)
    qtbot.waitUntil(counting.is_set, timeout=10_000)  # the whole corpus's count is running
    app.window.search("Minsk group")
    typed.set()
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk group”", timeout=10_000)
    qtbot.waitUntil(lambda: app.window.facets.have_counts and app.window.facets.query == "Minsk group")
    qtbot.waitUntil(lambda: sum(n for _, n in app.window.facets.facets.years) == 2)
    assert len(read) < 20  # not the 45 articles of the old count: it stopped


def test_the_window_does_not_keep_the_source_lines_its_imports_read(
    start_app: StartApp, qtbot: QtBot, corpus: Path
) -> None:
    # PySide6's import hook reads each new module's source through linecache, which keeps it;
    # the session drops those lines when the index opens and after each sync.
    kept = "/nowhere/imported_module.py"
    linecache.cache[kept] = (12, None, ["x = 1\n"], kept)
    app = start_app(corpus, wait=False)
    qtbot.waitUntil(lambda: app.library.ready, timeout=20000)
    assert kept not in linecache.cache
    linecache.cache[kept] = (12, None, ["x = 1\n"], kept)
    with qtbot.waitSignal(app.library.sync_finished, timeout=20000):
        app.library.sync()
    assert kept not in linecache.cache
