"""The window, driven as a user would: type a query, open the top hit, walk the marks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from reader.core.locations import Locations
from reader.gui.article_list import ArticleListModel, PathRole, Row
from reader.gui.launch import Session, make_settings
from reader.gui.main_window import MainWindow

SEED = "000_a48a5c26eb42239f.txt"


class App:
    def __init__(self, qtbot: QtBot, corpus: Path, data_dir: Path) -> None:
        self.qtbot = qtbot
        self.locations = Locations.resolve(data_dir)
        self.settings = make_settings(self.locations)
        self.window = MainWindow(self.settings)
        qtbot.addWidget(self.window)
        self.session = Session(self.window, self.settings, self.locations)
        self.window.show()
        # Shortcuts (F3, H, Ctrl+Z, Esc…) fire only in the active window; the offscreen platform
        # activates it asynchronously, so wait for it rather than race it.
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)
        self.session.open_corpus(corpus)
        library = self.session.library
        assert library is not None
        qtbot.waitUntil(lambda: library.ready and not library.syncing, timeout=20000)
        qtbot.waitUntil(lambda: self.window.model.rowCount() > 0, timeout=10000)

    def close(self) -> None:
        library = self.session.library
        self.window.close()
        self.session.shutdown()
        # No thread is left running after the window closes.
        assert library is not None
        assert library._index_thread.isFinished() and library._search_thread.isFinished()

    def header(self) -> str:
        return self.window.header_label.text()

    def paths(self) -> list[str]:
        model = self.window.model
        return [model.index(i).data(PathRole) for i in range(model.rowCount())]

    def open_row(self, row: int) -> None:
        path = self.paths()[row]
        self.window.list_view.setCurrentIndex(self.window.model.index(row))
        self.qtbot.waitUntil(
            lambda: self.window.pane.article is not None and self.window.pane.article.path == path
        )


@pytest.fixture
def app(qtbot: QtBot, corpus: Path, tmp_path: Path) -> Iterator[App]:
    app = App(qtbot, corpus, tmp_path / "data")
    yield app
    app.close()


def test_window_lists_every_article_at_start(app: App) -> None:
    assert app.header() == "5 articles"
    assert app.paths()[0] == "scattered.txt"  # newest first
    assert app.paths()[-1] == "undated.txt"
    assert app.window.windowTitle() == "corpus — Corpus Reader"


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


@pytest.fixture
def two_runs(qtbot: QtBot, corpus: Path, tmp_path: Path) -> Iterator[list[App]]:
    """Apps started one after another on the same data dir; all closed at the end."""
    apps: list[App] = []
    yield apps
    for app in apps:
        if app.session.library is not None:
            app.close()


def test_zoom_geometry_and_splitter_are_remembered(
    two_runs: list[App], qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    two_runs.append(App(qtbot, corpus, tmp_path / "data"))
    first = two_runs[0]
    qtbot.keyClick(first.window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(first.window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    first.window.resize(700, 500)  # the offscreen screen is 800 x 600
    first.window.splitter.setSizes([250, 450])
    sizes = first.window.splitter.sizes()
    first.close()
    two_runs.append(App(qtbot, corpus, tmp_path / "data"))
    second = two_runs[1]
    assert second.window.pane.zoom == 2
    assert second.window.size().width() == 700
    assert second.window.splitter.sizes() == sizes


def test_the_corpus_is_remembered(two_runs: list[App], qtbot: QtBot, corpus: Path, tmp_path: Path) -> None:
    from reader.gui.launch import choose_corpus

    two_runs.append(App(qtbot, corpus, tmp_path / "data"))
    two_runs[0].close()
    assert choose_corpus(None, make_settings(two_runs[0].locations)) == corpus


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
