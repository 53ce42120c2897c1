"""Start-up over an existing index: answers come first, the sync after."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.core.index import open_index
from reader.core.locations import Locations
from tests.gui.harness import StartApp


def test_an_existing_index_answers_before_its_sync_starts(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    locations = Locations.resolve(tmp_path / "data")
    built = open_index(corpus.resolve(), locations.index_dir(corpus.resolve()))
    built.sync()
    built.close()

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
