"""Triage in the window: unread rows, marking read after a moment, keys, Mark All Listed as Read
with undo, multi-select with labels and undo, chips, and rules run after a sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

import reader.gui.views.annotation_controller as controller_module
import reader.gui.views.saved_searches_view as saved_searches_view
from reader.core import marks
from reader.core.annotations import AnnotationStore
from reader.core.saved_searches import save_search, saved_searches
from reader.gui.views.article_list import LabelsRole, ReadRole
from tests.gui.harness import App, StartApp
from tests.helpers import write_article

SEED = "000_a48a5c26eb42239f.txt"


def stored_read(app: App) -> set[str]:
    """What the annotations database holds (another connection, as a later launch would see)."""
    store = AnnotationStore(app.locations.annotations_db)
    try:
        return marks.read_paths(store, str(app.library.corpus))
    finally:
        store.close()


def stored_labels(app: App, name: str) -> set[str]:
    store = AnnotationStore(app.locations.annotations_db)
    try:
        return marks.paths_with_label(store, str(app.library.corpus), name)
    finally:
        store.close()


def read_rows(app: App) -> list[bool]:
    model = app.window.model
    return [bool(model.index(i).data(ReadRole)) for i in range(model.rowCount())]


def label_names(app: App, row: int) -> list[str]:
    return [label.name for label in app.window.model.index(row).data(LabelsRole)]


def start(start_app: StartApp, corpus: Path, delay_ms: int = -1) -> App:
    app = start_app(corpus)
    app.settings.setValue("triage/mark_read_ms", delay_ms)
    app.qtbot.waitUntil(lambda: app.library.triage.loaded)
    return app


def test_an_article_shown_for_a_moment_is_read_and_no_longer_bold(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    app = start(start_app, corpus, delay_ms=200)
    assert read_rows(app) == [False] * 5
    assert app.window.triage.unread_label.text() == "5 unread"
    assert app.window.windowTitle() == "corpus (5 unread) — Corpus Reader"
    app.open(SEED)
    assert not read_rows(app)[app.paths().index(SEED)]  # not at once: after the delay
    qtbot.waitUntil(lambda: read_rows(app)[app.paths().index(SEED)])
    assert app.window.triage.unread_label.text() == "4 unread"
    assert app.window.windowTitle() == "corpus (4 unread) — Corpus Reader"
    qtbot.waitUntil(lambda: stored_read(app) == {SEED})
    # Another article shown only briefly stays unread.
    app.settings.setValue("triage/mark_read_ms", 60_000)
    app.open("markets/fire.md")
    app.open("markets/wire.txt")
    assert sum(read_rows(app)) == 1


def test_keys_toggle_read_and_walk_the_unread_articles(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    app = start(start_app, corpus)
    window = app.window
    app.open_row(0)
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: read_rows(app)[0])
    qtbot.keyClick(window.list_view, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: not read_rows(app)[0])
    # Rows 1 and 2 read: N skips them.
    window.triage.triage.set_read([app.paths()[1], app.paths()[2]])  # type: ignore[union-attr]
    qtbot.keyClick(window.list_view, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: app.pane_path() == app.paths()[3])
    qtbot.keyClick(window.list_view, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: app.pane_path() == app.paths()[0])
    # Space at the end of an article marks it read and opens the next unread one.
    qtbot.keyClick(window.list_view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: app.pane_path() == app.paths()[3])
    assert read_rows(app)[0]
    qtbot.waitUntil(lambda: app.paths()[0] in stored_read(app))


def test_space_scrolls_a_long_article_before_going_on(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    write_article(
        corpus,
        "long.txt",
        "A long report",
        "2030-01-01",
        *[f"Paragraph {n} of the report." for n in range(300)],
    )
    app = start(start_app, corpus)
    app.open("long.txt")
    bar = app.window.pane.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    view = app.window.list_view
    view.setFocus()
    presses = 0
    while bar.value() < bar.maximum() and presses < 500:
        qtbot.keyClick(view, Qt.Key.Key_Space)
        presses += 1
        assert app.pane_path() == "long.txt"
    assert 1 < presses < 500
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: app.pane_path() is not None and app.pane_path() != "long.txt")
    assert read_rows(app)[app.paths().index("long.txt")]


def test_mark_all_listed_as_read_is_undone_by_ctrl_z(start_app: StartApp, corpus: Path, qtbot: QtBot) -> None:
    app = start(start_app, corpus)
    window = app.window
    window.triage.triage.set_read([SEED])  # type: ignore[union-attr]
    window.triage.mark_all_action.trigger()
    qtbot.waitUntil(lambda: all(read_rows(app)))
    assert not window.triage.unread_label.isVisible() or window.triage.unread_label.text() == ""
    assert window.windowTitle() == "corpus — Corpus Reader"
    qtbot.waitUntil(lambda: len(stored_read(app)) == 5)
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # Only what the action marked becomes unread again.
    qtbot.waitUntil(lambda: stored_read(app) == {SEED})
    assert sum(read_rows(app)) == 1
    assert window.triage.unread_label.text() == "4 unread"


def test_mark_all_listed_read_covers_every_match_of_a_search(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    app = start(start_app, corpus)
    app.window.search("Minsk")
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    assert app.window.triage.unread_label.text() == "2 unread"
    app.window.triage.mark_all_listed_read()
    qtbot.waitUntil(lambda: stored_read(app) == {SEED, "scattered.txt"})
    qtbot.waitUntil(lambda: all(read_rows(app)))
    assert app.window.triage.unread_label.text() == ""
    app.window.search("is:unread")
    qtbot.waitUntil(lambda: app.header().startswith("3 results"))
    app.window.annotations.undo_action.trigger()
    qtbot.waitUntil(lambda: stored_read(app) == set())


def test_several_selected_articles_get_a_label_and_ctrl_z_takes_it_off(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    app = start(start_app, corpus)
    window, view = app.window, app.window.list_view
    app.open_row(0)
    # Ctrl-click adds a row to the selection, Shift-click a range.
    for row, modifier in ((2, Qt.KeyboardModifier.ControlModifier), (3, Qt.KeyboardModifier.ShiftModifier)):
        rect = view.visualRect(window.model.index(row))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert sorted(i.row() for i in view.selectionModel().selectedRows()) == [0, 2, 3]
    chosen = [app.paths()[r] for r in (0, 2, 3)]
    assert window.triage.selected_paths() == chosen
    assert window.triage.apply_label("conflict") == chosen
    assert [label_names(app, r) for r in range(5)] == [["conflict"], [], ["conflict"], ["conflict"], []]
    qtbot.waitUntil(lambda: stored_labels(app, "conflict") == set(chosen))
    # The label menu shows it checked for this selection; the pane's header shows the chip.
    menu = window.triage.label_menu(view)
    assert any(a.text() == "conflict" and a.isChecked() for a in menu.actions())
    assert "conflict" in window.pane.labels_bar.text() and window.pane.labels_bar.isVisible()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: stored_labels(app, "conflict") == set())
    assert all(label_names(app, r) == [] for r in range(5))
    # Ctrl+A selects every row.
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selectionModel().selectedRows()) == 5
    window.triage.apply_label("everything")
    qtbot.waitUntil(lambda: len(stored_labels(app, "everything")) == 5)
    app.window.search("label:everything is:unread Minsk")
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))


def test_read_state_and_labels_come_back_in_a_later_session(
    start_app: StartApp, corpus: Path, qtbot: QtBot, tmp_path: Path
) -> None:
    first = start(start_app, corpus)
    first.window.list_view.selectionModel().select(
        first.window.model.index(1), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    first.window.triage.apply_label("kept")
    first.window.triage.toggle_read()
    path = first.paths()[1]
    qtbot.waitUntil(lambda: stored_read(first) == {path} and stored_labels(first, "kept") == {path})
    first.close()
    second = start(start_app, corpus)
    row = second.paths().index(path)
    qtbot.waitUntil(lambda: read_rows(second)[row] and label_names(second, row) == ["kept"])


def test_a_rule_labels_a_file_added_after_the_rule_was_made(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    app = start(start_app, corpus)
    store = AnnotationStore(app.locations.annotations_db)
    saved = save_search(store, str(app.library.corpus), "Harbour", "harbour OR Artsakh", set())
    store.close()
    app.window.triage.triage.make_rule(saved.id, "port")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: len(stored_labels(app, "port")) == 2)
    write_article(corpus, "later/artsakh.txt", "Artsakh", "2021-03-03", "News from Artsakh today.")
    app.library.sync()
    qtbot.waitUntil(lambda: "later/artsakh.txt" in app.paths(), timeout=10000)
    qtbot.waitUntil(lambda: "later/artsakh.txt" in stored_labels(app, "port"))
    row = app.paths().index("later/artsakh.txt")
    qtbot.waitUntil(lambda: label_names(app, row) == ["port"])
    assert not read_rows(app)[row]  # new arrivals are unread
    assert any(re.search(r"Rules put .port. on 1 article", m) for m in app.messages)
    store = AnnotationStore(app.locations.annotations_db)
    assert [s.label_id is not None for s in saved_searches(store, str(app.library.corpus))] == [True]
    store.close()


def test_highlight_tags_filter_the_highlights_panel_and_in_highlights_label(
    start_app: StartApp, corpus: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = start(start_app, corpus)
    app.open(SEED)
    view = app.window.pane.view
    for needle, color in (("Transcaucasus", "yellow"), ("restraint", "green")):
        start_at = view.toPlainText().index(needle)
        cursor = QTextCursor(view.document())
        cursor.setPosition(start_at)
        cursor.setPosition(start_at + len(needle), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        app.window.pane.highlight_selection(color)
    panel = app.window.annotations.highlights
    qtbot.waitUntil(lambda: panel.count() == 2)
    first = next(h for h in app.window.pane.highlights if h.exact == "Transcaucasus")
    monkeypatch.setattr(controller_module, "ask_tags", lambda *_args: ["Geography", "caucasus"])
    app.window.pane.highlight_action_requested.emit(first, "tags")
    qtbot.waitUntil(
        lambda: any(h.tags == ("caucasus", "Geography") for h in app.window.annotations.model._items)
    )
    assert panel.tag_combo is not None
    assert {panel.tag_combo.itemText(i) for i in range(panel.tag_combo.count())} >= {
        "#caucasus",
        "#Geography",
    }
    app.window.search("in:highlights label:geography")
    qtbot.waitUntil(lambda: panel.count() == 1)
    assert panel.annotation_at(0).exact == "Transcaucasus"  # type: ignore[union-attr]
    app.window.search("in:highlights")  # the tag filter goes with the label: term
    qtbot.waitUntil(lambda: panel.count() == 2)
    app.window.search("in:highlights label:nosuch")
    qtbot.waitUntil(lambda: panel.count() == 0)
    # The tag is a label: the Labels count of the CLI sees it on one highlight.
    store = AnnotationStore(app.locations.annotations_db)
    counts = {c.label.name: c.highlights for c in marks.label_counts(store, str(app.library.corpus))}
    store.close()
    assert counts == {"caucasus": 1, "Geography": 1}


def test_the_labels_facet_counts_and_filters(start_app: StartApp, corpus: Path, qtbot: QtBot) -> None:
    app = start(start_app, corpus)
    app.window.triage.apply_label("conflict", [SEED, "scattered.txt"])
    app.window.triage.apply_label("markets", ["markets/wire.txt"])
    facets = app.window.facets
    qtbot.waitUntil(lambda: dict(facets.facets.labels) == {"conflict": 2, "markets": 1}, timeout=10000)
    act = next(a for a in facets.label_menu.actions() if a.text().startswith("conflict"))
    assert act.text() == "conflict (2)"
    act.trigger()
    assert app.window.search_edit.text() == "label:conflict"
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    assert facets.label_button.text() == "Label: conflict"


def test_a_label_on_a_deleted_article_waits_in_the_orphaned_tab(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    app = start(start_app, corpus)
    app.window.triage.apply_label("harbour", ["markets/fire.md"])
    qtbot.waitUntil(lambda: stored_labels(app, "harbour") == {"markets/fire.md"})
    (corpus / "markets" / "fire.md").unlink()
    app.library.sync()
    orphans = app.window.triage.orphan_list
    qtbot.waitUntil(lambda: orphans.count() == 1, timeout=10000)
    assert "harbour" in orphans.item(0).text() and "markets/fire.md" in orphans.item(0).text()
    assert stored_labels(app, "harbour") == {"markets/fire.md"}  # kept
    orphans.setCurrentRow(0)
    app.window.triage.remove_selected_orphan_label()
    qtbot.waitUntil(lambda: stored_labels(app, "harbour") == set())
    qtbot.waitUntil(lambda: orphans.count() == 0)


def test_label_matches_in_the_saved_tab_makes_a_rule(
    start_app: StartApp, corpus: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = start(start_app, corpus)
    monkeypatch.setattr(saved_searches_view, "ask_name", lambda *_args: "Minsk")
    monkeypatch.setattr(saved_searches_view, "ask_rule_label", lambda *_args: "conflict")
    app.window.search("Minsk")
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    saved = app.window.saved
    saved.save_action.trigger()
    qtbot.waitUntil(lambda: saved.model.rowCount() == 1)
    saved.panel.view.setCurrentIndex(saved.model.index(0))
    saved.panel.rule_button.click()
    qtbot.waitUntil(lambda: stored_labels(app, "conflict") == {SEED, "scattered.txt"})
    qtbot.waitUntil(lambda: "→ conflict" in saved.model.index(0).data())
    assert "2 unread" in saved.model.index(0).data()
    assert saved.panel.rule_button.text() == "Stop Labelling"
    saved.panel.rule_button.click()
    qtbot.waitUntil(lambda: "→" not in saved.model.index(0).data())
    assert stored_labels(app, "conflict") == {SEED, "scattered.txt"}  # the labels given stay
