"""The window, driven as a user would: type a query, open the top hit, walk the marks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from reader.gui.launch import make_settings
from reader.gui.views.article_list import ArticleListModel, Row
from tests.gui.harness import App, StartApp
from tests.helpers import SEED


def test_window_lists_every_article_at_start(app: App) -> None:
    assert app.header() == "5 articles"
    assert app.paths()[0] == "scattered.txt"  # newest first
    assert app.paths()[-1] == "undated.txt"
    assert app.window.windowTitle() == "corpus (5 unread) — Corpus Reader"


def test_typing_minsk_group_finds_the_seed_first_with_the_phrase_marked(app: App, qtbot: QtBot) -> None:
    qtbot.keyClicks(app.window.search_edit, "Minsk group")
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk group”")
    assert app.paths() == [SEED, "scattered.txt"]
    app.open_row(0)
    pane = app.window.pane
    assert pane.marked_texts() == ["Minsk group"]
    assert pane.current_hit == 1
    assert app.window.pane.hit_label.text() == "1 / 1"


def test_f3_walks_the_hits_and_shift_f3_walks_back(app: App, qtbot: QtBot) -> None:
    app.window.search("Armenian")
    qtbot.waitUntil(lambda: app.header().startswith("1 result for"))
    app.open_row(0)
    pane = app.window.pane
    assert pane.hit_count == 5 and all(t.lower().startswith("armenian") for t in pane.marked_texts())
    assert pane.current_hit == 1
    qtbot.keyClick(app.window, Qt.Key.Key_F3)
    assert pane.current_hit == 2
    qtbot.keyClick(app.window, Qt.Key.Key_F3)
    assert pane.current_hit == 3
    qtbot.keyClick(app.window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert pane.current_hit == 2
    assert app.window.pane.hit_label.text() == "2 / 5"
    # The text cursor sits on the current hit.
    assert pane.view.textCursor().position() == pane._marks[1][0]


def test_stemmed_forms_are_marked(app: App, qtbot: QtBot) -> None:
    app.window.search("negotiation")
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    app.open_row(app.paths().index(SEED))
    assert {t.lower() for t in app.window.pane.marked_texts()} == {"negotiations"}


def test_escape_clears_the_search(app: App, qtbot: QtBot) -> None:
    app.window.search("harbour")
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    app.window.search_edit.setFocus()
    qtbot.keyClick(app.window.search_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: app.header() == "5 articles")


def test_zero_hits_offers_did_you_mean_and_the_link_searches_it(app: App, qtbot: QtBot) -> None:
    app.window.search("Karabah")
    qtbot.waitUntil(lambda: app.header() == "0 results for “Karabah”")
    note = app.window.note_label
    assert note.isVisible() and "No articles match." in note.text() and "Karabakh" in note.text()
    note.linkActivated.emit("suggest:Karabakh")
    qtbot.waitUntil(lambda: app.header() == "1 result for “Karabakh”")


def test_malformed_query_shows_a_note_not_an_error(app: App, qtbot: QtBot) -> None:
    app.window.search('"Minsk group')
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    assert "Unclosed quote ignored." in app.window.note_label.text()


def test_article_text_is_shown_literally_never_as_markup(app: App, qtbot: QtBot) -> None:
    app.window.search("dividend")
    qtbot.waitUntil(lambda: app.header().startswith("1 result"))
    app.open_row(0)
    text = app.window.pane.view.toPlainText()
    assert text.startswith("SIERRA RESOURCES <SRD> SETS DIVIDEND\n")
    app.window.clear_search()
    qtbot.waitUntil(lambda: app.header() == "5 articles")
    app.open_row(app.paths().index(SEED))
    assert "diplomatic negotiations <...>." in app.window.pane.view.toPlainText()
    # Offsets in the pane are offsets in the article's plain text (highlights rely on it).
    assert app.window.pane.view.toPlainText() == app.window.pane.article.plain_text


def test_sorting_by_oldest_first(app: App, qtbot: QtBot) -> None:
    app.window.sort_combo.setCurrentIndex(2)
    qtbot.waitUntil(lambda: app.paths()[0] == "markets/fire.md")
    assert app.paths()[-1] == "undated.txt"


def test_ctrl_f_finds_in_the_article(app: App, qtbot: QtBot) -> None:
    app.open_row(app.paths().index(SEED))
    qtbot.keyClick(app.window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert app.window.pane.find_bar.isVisible()
    qtbot.keyClicks(app.window.pane.find_edit, "baku")
    assert app.window.pane.hit_count == 3
    assert app.window.pane.marked_texts()[0] == "Baku"


def test_zoom_geometry_and_splitter_are_remembered(start_app: StartApp, qtbot: QtBot, corpus: Path) -> None:
    first = start_app(corpus)
    qtbot.keyClick(first.window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(first.window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert first.window.pane.zoom == 2
    first.window.resize(700, 500)  # the offscreen screen is 800 x 600
    first.window.splitter.setSizes([250, 450])
    sizes = first.window.splitter.sizes()
    first.close()
    second = start_app(corpus)
    assert second.window.pane.zoom == 2
    assert second.window.size().width() == 700
    assert second.window.splitter.sizes() == sizes


def test_the_corpus_is_remembered(start_app: StartApp, corpus: Path) -> None:
    from reader.gui.launch import choose_corpus

    first = start_app(corpus)
    first.close()
    assert choose_corpus(None, make_settings(first.locations)) == corpus


def test_list_model_passes_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ArticleListModel()
    requested: list[int] = []
    model.more_requested.connect(requested.append)
    model.set_rows([Row(f"a{i}.txt", f"Title {i}", "1 May 2020") for i in range(5)], total=12)
    qtmodeltester.check(model)
    # The tester fetched more: the model asked for the rows after the 5 it has, once.
    assert requested == [5]
    assert not model.canFetchMore(QModelIndex())
    model.append_rows([Row("b.txt", "More", "")])
    assert model.rowCount() == 6 and model.total == 12
    assert model.canFetchMore(QModelIndex())  # the page arrived: more can be asked for again
    qtmodeltester.check(model)
