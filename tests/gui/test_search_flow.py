"""The search flow (issue 12, items 1-3 and 5): Enter opens *its* top hit, results come into view,
marks and the counter belong to the current search, More Like This moves the timeline and facets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import reader.gui.views.saved_searches_view as saved_searches_view
from tests.gui.harness import App, StartApp
from tests.helpers import SEED, write_article


def enter(app: App, qtbot: QtBot, query: str) -> None:
    """Ctrl+L, type ``query``, Enter: as a person does, at once."""
    window = app.window
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_edit, query)
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)


def test_enter_opens_the_top_hit_of_its_own_search(app: App, qtbot: QtBot) -> None:
    enter(app, qtbot, "Minsk")
    enter(app, qtbot, "harbour")  # at once: the Minsk results may still be in the list
    qtbot.waitUntil(lambda: app.header() == "2 results for “harbour”")
    qtbot.waitUntil(lambda: app.pane_path() == app.paths()[0])
    pane = app.window.pane
    qtbot.waitUntil(lambda: pane.hit_count > 0)
    assert all("harbour" in text.lower() for text in pane.marked_texts())
    assert app.selected() == app.paths()[0]


def test_enter_on_a_slow_first_search_never_opens_it_after_the_second(app: App, qtbot: QtBot) -> None:
    enter(app, qtbot, "Minsk")
    qtbot.waitUntil(lambda: app.pane_path() is not None)
    enter(app, qtbot, "warehouse")
    qtbot.waitUntil(lambda: app.header() == "1 result for “warehouse”")
    qtbot.waitUntil(lambda: app.pane_path() == "markets/fire.md")
    assert {t.lower() for t in app.window.pane.marked_texts()} == {"warehouse"}


def test_a_search_brings_its_results_into_view(
    app: App, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = app.window
    monkeypatch.setattr(saved_searches_view, "ask_name", lambda _parent, query: query)
    window.tabs.setCurrentWidget(window.annotations.highlights)
    enter(app, qtbot, "harbour")
    qtbot.waitUntil(lambda: app.header() == "2 results for “harbour”")
    assert window.tabs.currentWidget() is window.list_side
    # Clicking a saved search too.
    window.saved.save_action.trigger()
    qtbot.waitUntil(lambda: window.saved.model.rowCount() == 1)
    window.tabs.setCurrentWidget(window.saved.panel)
    window.search_edit.clear()
    view = window.saved.panel.view
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(window.saved.model.index(0)).center()
    )
    qtbot.waitUntil(lambda: window.search_edit.text() == "harbour")
    assert window.tabs.currentWidget() is window.list_side
    # A refresh after the index changed does not pull the user away.
    window.tabs.setCurrentWidget(window.annotations.bookmarks)
    window.search_controller.refresh()
    qtbot.waitUntil(lambda: app.header() == "2 results for “harbour”")
    assert window.tabs.currentWidget() is window.annotations.bookmarks


def test_marks_and_the_counter_belong_to_the_current_search(app: App, qtbot: QtBot) -> None:
    window = app.window
    pane = window.pane
    window.search("Minsk")
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk”")
    app.open(SEED)
    qtbot.waitUntil(lambda: pane.hit_count == 1)
    pane.next_hit()
    assert pane.hit_label.text() == "1 / 1"
    # The open article is not among the new results: no marks, no counter.
    window.search("warehouse")
    qtbot.waitUntil(lambda: app.header() == "1 result for “warehouse”")
    qtbot.waitUntil(lambda: pane.hit_count == 0)
    assert pane.hit_label.text() == "" and app.pane_path() == SEED
    # No hits at all.
    window.search("Minsk")
    qtbot.waitUntil(lambda: pane.hit_count == 1)
    window.search("zzzyxxq")
    qtbot.waitUntil(lambda: app.header().startswith("0 results"))
    qtbot.waitUntil(lambda: pane.hit_count == 0)
    # No search.
    window.search("Minsk")
    qtbot.waitUntil(lambda: pane.hit_count == 1)
    window.clear_search()
    qtbot.waitUntil(lambda: app.header().endswith("articles"))
    qtbot.waitUntil(lambda: pane.hit_count == 0)
    assert pane.hit_label.text() == ""


def test_more_like_this_moves_the_timeline_and_the_facets(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    text = "The glacier retreated past the moraine. Meltwater flooded the fjord near the station."
    write_article(corpus, "g1.txt", "Glacier retreats", "2020-01-01", text)
    write_article(corpus, "g2.txt", "Glacier retreat confirmed", "2020-01-03", text, "Officials agreed.")
    app = start_app(corpus)
    window = app.window
    window.collapse_box.setChecked(False)
    window.search("moraine")
    qtbot.waitUntil(lambda: app.header() == "2 results for “moraine”")
    app.open("g1.txt")
    window.clear_search()  # the timeline and facets count every article
    qtbot.waitUntil(lambda: window.timeline.chart.timeline.total == 7)
    window.more_like_action.trigger()
    qtbot.waitUntil(lambda: app.header().endswith("like “Glacier retreats”"))
    shown = app.paths()
    qtbot.waitUntil(lambda: window.timeline.chart.timeline.total == len(shown))
    facets = window.facets.facets
    assert sum(n for _, n in facets.years) + facets.undated == len(shown)
