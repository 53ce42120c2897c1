"""Small things seen on screen (issue 12): menus, rows, titles, the header, the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from reader.core.annotations import new_bookmark, new_highlight
from reader.gui.views.annotation_panels import row_meta, row_title
from tests.gui.harness import App, StartApp
from tests.helpers import write_article


def entries(menu: QMenu) -> dict[str, QAction]:
    return {a.text(): a for a in menu.actions() if not a.isSeparator()}


def menu_named(app: App, name: str) -> QMenu:
    menu = next(a.menu() for a in app.window.menuBar().actions() if a.text() == name)
    assert isinstance(menu, QMenu)
    return menu


def test_a_corpus_without_sources_says_so_in_the_source_menu(
    start_app: StartApp, tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "plain"
    write_article(folder, "a.txt", "Dock strike", "2020-01-02", "Dockers strike again.")
    app = start_app(folder)
    app.window.search("strike")
    facets = app.window.facets
    qtbot.waitUntil(lambda: "2020 (1)" in entries(facets.year_menu))
    assert "No sources" in entries(facets.source_menu) and "No dates" not in entries(facets.year_menu)
    assert not entries(facets.source_menu)["No sources"].isEnabled()


def test_the_bookmark_menu_item_has_no_check_box_beside_a_star(app: App) -> None:
    item = next(a for a in menu_named(app, "&Annotations").actions() if "Bookmark" in a.text())
    assert not item.isCheckable()
    assert "★" not in item.text() and "☆" not in item.text()
    assert item.text() == "&Bookmark Article"


def test_annotation_rows_name_the_file_once() -> None:
    text = "Talks resume\nThe envoys met in Vienna."
    h = new_highlight("/c", "news/talks.txt", text, 13, 23, "yellow", title="Talks resume", date="2020-07-30")
    b = new_bookmark("/c", "news/talks.txt", 0, "Talks resume", "2020-07-30")
    untitled = new_highlight("/c", "news/x.txt", text, 13, 23, "green")
    for a in (h, b):
        assert row_title(a) == "Talks resume" and row_meta(a) == "2020-07-30"
        assert "talks.txt" not in row_title(a) + row_meta(a)
    assert (row_title(untitled), row_meta(untitled)) == ("news/x.txt", "no date")


def test_at_800_by_500_every_tab_is_reachable_and_the_search_box_usable(app: App, qtbot: QtBot) -> None:
    window = app.window
    window.resize(800, 500)
    qtbot.waitUntil(lambda: window.width() <= 820)
    bar = window.tabs.tabBar()
    qtbot.waitUntil(lambda: bar.width() > 0)
    for i in range(bar.count()):
        rect = bar.tabRect(i)
        assert rect.left() >= 0 and rect.right() <= bar.width(), (bar.tabText(i), rect, bar.width())
    assert window.search_edit.width() >= 250
    # The buttons that went are still in the menus.
    go = menu_named(app, "&Go")
    assert window.more_like_action in go.actions() and window.saved.save_action in go.actions()


def test_the_window_title_names_the_folder_and_the_status_bar_settles(app: App, qtbot: QtBot) -> None:
    # The folder, and how many of the listed articles are unread (issue 15).
    name = app.corpus.name  # type: ignore[union-attr]
    assert app.window.windowTitle() == f"{name} (5 unread) — Corpus Reader"
    state = app.window.sync_status.state_label
    qtbot.waitUntil(lambda: state.text() == "5 articles · index up to date")
    qtbot.waitUntil(lambda: app.window.statusBar().currentMessage() == "", timeout=15000)
    assert state.isVisible()


def test_the_bundled_corpus_is_not_named_by_its_internal_folder() -> None:
    from reader.resources import bundled_corpus, corpus_title

    assert corpus_title(bundled_corpus()) == "Bundled articles"
    assert corpus_title(Path("/home/me/news")) == "news"


def test_the_note_dialog_wraps_a_long_note_instead_of_scrolling_sideways(qtbot: QtBot) -> None:
    from reader.gui.views.note_dialog import NoteDialog

    dialog = NoteDialog(None, "Note", "word " * 400)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.editor.verticalScrollBar().maximum() > 0)  # lines go down
    assert dialog.editor.horizontalScrollBar().maximum() == 0  # not sideways
    assert dialog.text() == "word " * 400


def test_a_long_query_in_the_list_header_ends_in_an_ellipsis_and_is_whole_in_its_tooltip(
    app: App, qtbot: QtBot
) -> None:
    query = "Minsk " + " ".join(f"OR nosuchword{i}" for i in range(40))
    app.window.search(query)
    header = app.window.header_label
    qtbot.waitUntil(lambda: app.header().startswith("2 results for"))
    assert query in app.header()  # text() stays whole
    assert header.elided().endswith("…") and header.fontMetrics().horizontalAdvance(header.elided()) <= (
        header.contentsRect().width()
    )
    assert header.toolTip() == app.header()
    app.window.search("Minsk")
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk”")
    assert header.elided() == app.header() and header.toolTip() == ""
