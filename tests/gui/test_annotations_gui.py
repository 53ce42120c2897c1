"""Highlights and bookmarks in the window: made, painted, kept across restarts, edited, undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

import reader.gui.views.annotation_controller as controller_module
from tests.gui.harness import App, StartApp
from tests.helpers import SEED


def select(app: App, needle: str) -> tuple[int, int]:
    view = app.window.pane.view
    start = view.toPlainText().index(needle)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    return start, start + len(needle)


def open_seed(app: App) -> None:
    app.open_row(app.paths().index(SEED))


def highlights_listed(app: App) -> int:
    return app.window.annotations.highlights.count()


def test_highlight_is_painted_and_still_there_after_a_restart(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    first = start_app(corpus)
    open_seed(first)
    select(first, "OSCE Minsk group")
    first.window.pane.view.setFocus()
    qtbot.keyClick(first.window.pane.view, Qt.Key.Key_H)
    assert first.window.pane.highlight_texts() == ["OSCE Minsk group"]
    qtbot.waitUntil(lambda: highlights_listed(first) == 1)
    first.close()

    second = start_app(corpus)
    open_seed(second)
    qtbot.waitUntil(lambda: second.window.pane.highlight_texts() == ["OSCE Minsk group"])
    assert second.window.pane.highlights[0].color == "yellow"
    tabs = second.window.tabs
    assert tabs.tabText(tabs.indexOf(second.window.annotations.highlights)) == "Highlights (1)"


def test_note_edit_colour_change_delete_and_undo(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = start_app(corpus)
    open_seed(app)
    monkeypatch.setattr(controller_module, "ask_note", lambda *_args: "the mediators")
    select(app, "Transcaucasus")
    app.window.pane.highlight_selection("green", with_note=True)
    qtbot.waitUntil(lambda: highlights_listed(app) == 1)
    (h,) = app.window.pane.highlights
    assert (h.exact, h.color, h.note) == ("Transcaucasus", "green", "the mediators")

    monkeypatch.setattr(controller_module, "ask_note", lambda *_args: "edited note")
    app.window.pane.highlight_action_requested.emit(h, "note")
    qtbot.waitUntil(
        lambda: app.window.pane.highlights and app.window.pane.highlights[0].note == "edited note"
    )
    app.window.pane.highlight_action_requested.emit(app.window.pane.highlights[0], "pink")
    qtbot.waitUntil(lambda: app.window.pane.highlights[0].color == "pink")

    app.window.pane.highlight_action_requested.emit(app.window.pane.highlights[0], "delete")
    qtbot.waitUntil(lambda: highlights_listed(app) == 0 and app.window.pane.highlights == [])
    assert "Ctrl+Z" in app.window.statusBar().currentMessage()
    qtbot.keyClick(app.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: highlights_listed(app) == 1)
    restored = app.window.pane.highlights[0]
    assert (restored.id, restored.note, restored.color) == (h.id, "edited note", "pink")


def test_highlights_panel_click_opens_and_scrolls_to_the_passage(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    app = start_app(corpus)
    app.window.resize(700, 400)
    open_seed(app)
    select(app, "OSCE Minsk group")  # near the end of the article
    app.window.pane.highlight_selection("blue")
    qtbot.waitUntil(lambda: highlights_listed(app) == 1)
    app.open_row(app.paths().index("markets/fire.md"))
    panel = app.window.annotations.highlights
    app.window.tabs.setCurrentWidget(panel)
    panel.view.clicked.emit(panel.proxy.index(0, 0))
    qtbot.waitUntil(lambda: app.window.pane.article is not None and app.window.pane.article.path == SEED)
    bar = app.window.pane.view.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() > 0  # scrolled down to the passage
    cursor = QTextCursor(app.window.pane.view.document())
    cursor.setPosition(app.window.pane.highlights[0].start)
    rect = app.window.pane.view.cursorRect(cursor)
    assert 0 <= rect.top() < app.window.pane.view.viewport().height()


def test_highlights_filter_and_in_highlights_scope(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    app = start_app(corpus)
    open_seed(app)
    for needle, colour in (("OSCE Minsk group", "yellow"), ("diplomatic negotiations", "green")):
        select(app, needle)
        app.window.pane.highlight_selection(colour)
    qtbot.waitUntil(lambda: highlights_listed(app) == 2)
    app.window.search("in:highlights negotiation")
    panel = app.window.annotations.highlights
    assert app.window.tabs.currentWidget() is panel
    assert panel.filter_edit is not None and panel.filter_edit.text() == "negotiation", (
        panel.filter_edit.text()
    )
    assert [panel.annotation_at(i).exact for i in range(panel.count())] == ["diplomatic negotiations"], [
        (panel.annotation_at(i).exact, panel.annotation_at(i).note, panel.proxy._words)
        for i in range(panel.count())
    ]  # type: ignore[union-attr]
    panel.set_filter("")
    assert panel.color_combo is not None
    panel.color_combo.setCurrentIndex(panel.color_combo.findData("yellow"))
    assert panel.count() == 1 and panel.annotation_at(0).color == "yellow"  # type: ignore[union-attr]


def test_bookmark_toggles_and_returns_to_the_reading_position(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    app = start_app(corpus)
    app.window.resize(700, 400)
    open_seed(app)
    app.window.pane.scroll_to_offset(app.window.pane.view.toPlainText().index("According to him"))
    position = app.window.pane.reading_position()
    assert position > 0
    qtbot.keyClick(app.window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    panel = app.window.annotations.bookmarks
    qtbot.waitUntil(lambda: panel.count() == 1)
    assert app.window.annotations.bookmark_action.isChecked()
    assert panel.annotation_at(0).start == position  # type: ignore[union-attr]

    app.open_row(app.paths().index("markets/fire.md"))
    assert not app.window.annotations.bookmark_action.isChecked()
    panel.view.clicked.emit(panel.proxy.index(0, 0))
    qtbot.waitUntil(lambda: app.window.pane.article is not None and app.window.pane.article.path == SEED)
    assert abs(app.window.pane.reading_position() - position) < 200

    qtbot.keyClick(app.window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.count() == 0)


def test_edited_file_orphans_a_highlight_and_it_can_be_reattached(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    app = start_app(corpus)
    open_seed(app)
    select(app, "Transcaucasus")
    app.window.pane.highlight_selection("purple")
    qtbot.waitUntil(lambda: highlights_listed(app) == 1)
    seed = corpus / SEED
    seed.write_text(seed.read_text("utf-8").replace("the Transcaucasus", "the South Caucasus"), "utf-8")
    assert app.session.library is not None
    with qtbot.waitSignal(app.session.library.sync_finished, timeout=10000) as blocker:
        app.session.library.sync()  # what F5 does; the open article is reloaded after the sync
    assert blocker.args[0].updated_paths == [SEED], app.window.statusBar().currentMessage()
    orphans = app.window.annotations.orphans
    qtbot.waitUntil(lambda: orphans.count() == 1, timeout=10000)
    tabs = app.window.tabs
    assert tabs.tabText(tabs.indexOf(app.window.annotations.orphans)) == "Orphaned (1)"
    qtbot.waitUntil(lambda: "South Caucasus" in app.window.pane.view.toPlainText())
    assert app.window.pane.highlight_texts() == []
    orphans.view.setCurrentIndex(orphans.proxy.index(0, 0))
    select(app, "South Caucasus")
    app.window.annotations.reattach_selected_orphan()
    qtbot.waitUntil(lambda: orphans.count() == 0 and highlights_listed(app) == 1)
    assert app.window.pane.highlight_texts() == ["South Caucasus"]


def test_export_and_import_from_the_window(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    app = start_app(corpus)
    open_seed(app)
    select(app, "OSCE Minsk group")
    app.window.pane.highlight_selection("green")
    qtbot.waitUntil(lambda: highlights_listed(app) == 1)
    controller = app.window.annotations
    markdown, w3c = tmp_path / "out.md", tmp_path / "out.jsonld"
    controller.export_to("markdown", markdown)
    controller.export_to("w3c", w3c)
    qtbot.waitUntil(lambda: w3c.exists())
    assert "> OSCE Minsk group" in markdown.read_text("utf-8")
    (h,) = app.window.pane.highlights
    controller.delete(h.id)
    qtbot.waitUntil(lambda: highlights_listed(app) == 0)
    controller.import_from(w3c)
    qtbot.waitUntil(lambda: highlights_listed(app) == 1)
    assert app.window.pane.highlights[0].id == h.id
    assert "Imported 1 annotations" in app.window.statusBar().currentMessage()


def test_damaged_annotations_database_is_set_aside_and_the_user_told(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "annotations.sqlite3").write_bytes(b"garbage" * 1000)
    app = start_app(corpus)
    from PySide6.QtWidgets import QMessageBox

    def told() -> bool:
        boxes = app.window.findChildren(QMessageBox)
        return any("damaged" in box.text() and "annotations.sqlite3.damaged-" in box.text() for box in boxes)

    qtbot.waitUntil(told)
    assert list(data.glob("annotations.sqlite3.damaged-*"))
    open_seed(app)
    select(app, "Transcaucasus")
    app.window.pane.highlight_selection("yellow")
    qtbot.waitUntil(lambda: highlights_listed(app) == 1)


def test_clicking_a_highlight_offers_colour_note_and_delete(
    start_app: StartApp, qtbot: QtBot, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMenu

    app = start_app(corpus)
    open_seed(app)
    start_offset, _ = select(app, "Transcaucasus")
    app.window.pane.highlight_selection("yellow")
    qtbot.waitUntil(lambda: highlights_listed(app) == 1)
    offered: list[str] = []

    def fake_exec(menu: QMenu, _pos: object) -> None:
        for action in menu.actions():
            offered.append(action.text())
            if action.menu() is not None:
                offered.extend(sub.text() for sub in action.menu().actions())
        next(a for a in menu.actions() if a.text() == "Delete Highlight").trigger()

    monkeypatch.setattr(app.window.pane, "exec_menu", fake_exec)
    view = app.window.pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(start_offset + 3)
    view.setTextCursor(cursor)  # no selection
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert {"Highlight Colour", "Green", "Edit Note…", "Delete Highlight"} <= set(offered)
    qtbot.waitUntil(lambda: highlights_listed(app) == 0)


def test_at_the_default_size_the_tabs_show_their_names_and_counts_whole(
    start_app: StartApp, qtbot: QtBot, corpus: Path
) -> None:
    app = start_app(corpus)
    open_seed(app)
    app.window.annotations.bookmark_action.trigger()
    for words in ("OSCE Minsk group", "Transcaucasus"):
        select(app, words)
        app.window.pane.highlight_selection("yellow")
    qtbot.waitUntil(lambda: highlights_listed(app) == 2)
    seed = corpus / SEED  # one highlight loses its words: bookmarks, highlights, orphans counted
    seed.write_text(seed.read_text("utf-8").replace("the Transcaucasus", "the South Caucasus"), "utf-8")
    assert app.session.library is not None
    app.session.library.sync()
    tabs = app.window.tabs
    names = {"Bookmarks (1)", "Highlights (1)", "Orphaned (1)"}
    qtbot.waitUntil(lambda: names <= {tabs.tabText(i) for i in range(tabs.count())}, timeout=10000)
    bar = tabs.tabBar()
    for i in range(bar.count()):  # none elided
        assert bar.tabRect(i).width() >= bar.tabSizeHint(i).width(), bar.tabText(i)
    assert tabs.tabToolTip(tabs.indexOf(app.window.annotations.orphans)) == "Orphaned: 1"


def test_an_in_highlights_search_leaves_no_marks_of_the_search_before(app: App, qtbot: QtBot) -> None:
    app.window.search("Minsk")
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk”")
    open_seed(app)
    qtbot.waitUntil(lambda: app.window.pane.hit_count > 0)
    app.window.search("in:highlights negotiation")
    qtbot.waitUntil(lambda: app.window.pane.hit_count == 0)
    assert app.window.pane.hit_label.text() == ""
    app.open_row(app.paths().index(SEED))  # opened again: still the marks of no search
    qtbot.waitUntil(lambda: app.pane_path() == SEED)
    assert app.window.pane.hit_count == 0
