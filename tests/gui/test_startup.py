"""Start-up over an existing index: answers come first, the sync after."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.core.index import open_index
from reader.core.locations import Locations
from reader.gui.launch import Session, make_settings
from reader.gui.main_window import MainWindow


def test_an_existing_index_answers_before_its_sync_starts(qtbot: QtBot, corpus: Path, tmp_path: Path) -> None:
    locations = Locations.resolve(tmp_path / "data")
    built = open_index(corpus.resolve(), locations.index_dir(corpus.resolve()))
    built.sync()
    built.close()

    settings = make_settings(locations)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    session = Session(window, settings, locations, sync_delay_ms=60_000)
    window.show()
    session.open_corpus(corpus)
    library = session.library
    assert library is not None
    try:
        qtbot.waitUntil(lambda: library.ready)
        window.search("Minsk group")
        qtbot.waitUntil(lambda: window.header_label.text() == "2 results for “Minsk group”")
        assert library.syncing  # the sync is still waiting its turn
    finally:
        window.close()
        session.shutdown()


def test_a_new_index_is_built_at_once(qtbot: QtBot, corpus: Path, tmp_path: Path) -> None:
    locations = Locations.resolve(tmp_path / "data")
    settings = make_settings(locations)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    session = Session(window, settings, locations, sync_delay_ms=60_000)
    window.show()
    session.open_corpus(corpus)
    library = session.library
    assert library is not None
    try:
        # Built now, not after the 60 s a synced index would wait.
        qtbot.waitUntil(lambda: window.header_label.text() == "5 articles", timeout=20_000)
        qtbot.waitUntil(lambda: not library.syncing, timeout=20_000)
    finally:
        window.close()
        session.shutdown()
