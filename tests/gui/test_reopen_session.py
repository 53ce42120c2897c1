"""Reopen where I left off: the search, the sidebar tab, the article and its reading position."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.gui.harness import StartApp
from tests.helpers import write_article


def test_the_next_start_reopens_where_the_user_left_off(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    long_text = " ".join(
        f"Sentence {i} about the harbour and the long history of the docks." for i in range(300)
    )
    write_article(corpus, "long.txt", "A long harbour story", "2020-02-02", long_text)
    first = start_app(corpus)
    first.window.search("harbour")
    qtbot.waitUntil(lambda: first.header().startswith("3 results"))
    first.open("long.txt")
    pane = first.window.pane
    pane.scroll_to_offset(len(long_text) // 2)
    position = pane.reading_position()
    assert position > 1000
    first.window.tabs.setCurrentWidget(first.window.annotations.bookmarks)
    first.close()

    second = start_app(corpus)
    window = second.window
    qtbot.waitUntil(lambda: second.pane_path() == "long.txt")
    assert window.search_edit.text() == "harbour"
    qtbot.waitUntil(lambda: second.header().startswith("3 results"))
    assert window.tabs.currentWidget() is window.annotations.bookmarks
    qtbot.waitUntil(lambda: abs(window.pane.reading_position() - position) < 400)
    # The article is the search's again: selected in the list and marked, with its hit counter.
    assert second.selected() == "long.txt"
    qtbot.waitUntil(lambda: window.pane.hit_count > 0)
    assert window.pane.hit_label.text().endswith(f"/ {window.pane.hit_count}")
