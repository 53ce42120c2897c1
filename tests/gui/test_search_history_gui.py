"""Search-bar completions: recent searches (kept across windows) and the corpus's own words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.gui.views.search_completer import MAX_HISTORY
from tests.gui.harness import App, StartApp


def _completions(app: App) -> list[str]:
    return app.window.completions.model.stringList()


def test_a_search_is_offered_again_in_a_new_window_on_the_same_data_dir(
    start_app: StartApp, corpus: Path
) -> None:
    first = start_app(corpus)
    first.window.search("harbour")
    first.window.search("Minsk group")
    first.window.search("harbour")  # again: moves to the front, not listed twice
    assert _completions(first)[:2] == ["harbour", "Minsk group"]
    first.close()
    second = start_app(corpus)
    assert _completions(second)[:2] == ["harbour", "Minsk group"]
    for i in range(MAX_HISTORY + 5):
        second.window.completions.record(f"query {i}")
    assert len(second.window.completions.history) == MAX_HISTORY


# The offscreen platform says so when the completion popup opens; it is not our warning.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_down_offers_corpus_words_after_the_text_before_it_and_picking_one_searches(
    app: App, qtbot: QtBot
) -> None:
    window = app.window
    edit = window.search_edit
    qtbot.keyClicks(edit, "fire harb")
    qtbot.waitUntil(lambda: "fire harbour" in _completions(app))
    popup = window.completions.completer.popup()
    assert not popup.isVisible()  # typing never pops it up
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().index(0, 0).data() == "fire harbour"
    row = popup.visualRect(popup.model().index(0, 0)).center()
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert edit.text() == "fire harbour"
    qtbot.waitUntil(lambda: app.header() == "1 result for “fire harbour”")
    assert _completions(app)[0] == "fire harbour"  # now a recent search
