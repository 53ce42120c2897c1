"""The Saved tab: saving the query, new matches after a sync, opening a saved search."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.core.saved_searches import SavedSearchCount
from reader.gui.views import saved_searches_view
from reader.gui.views.saved_searches_view import SavedSearchModel
from tests.gui.harness import App, StartApp
from tests.helpers import write_article


def _item(app: App) -> SavedSearchCount | None:
    return app.window.saved.model.item(0)


def test_save_then_new_matches_after_a_sync_then_open_marks_them_seen(
    app: App, qtbot: QtBot, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = app.window
    saved = window.saved
    tab = window.tabs.indexOf(saved.panel)
    assert window.tabs.tabText(tab) == "Saved"
    assert tab == window.tabs.indexOf(window.annotations.bookmarks) + 1
    assert not saved.save_action.isEnabled()  # nothing to save without a search
    window.search("warehouse")
    qtbot.waitUntil(lambda: app.header() == "1 result for “warehouse”")
    monkeypatch.setattr(saved_searches_view, "ask_name", lambda _parent, query: f"Storage {query}")
    saved.save_action.trigger()
    qtbot.waitUntil(lambda: (item := _item(app)) is not None and item.total == 1)
    assert saved.model.index(0).data() == "Storage warehouse\n1 article · 1 unread"

    write_article(corpus, "w2.txt", "Warehouse sold", "2021-05-01", "The burned warehouse was sold.")
    write_article(corpus, "w3.txt", "Warehouse rebuilt", "2021-06-01", "A new warehouse stands.")
    library = window.library
    assert library is not None
    with qtbot.waitSignal(library.sync_finished, timeout=10000):
        library.sync()
    qtbot.waitUntil(lambda: (item := _item(app)) is not None and item.new == 2)
    assert saved.model.index(0).data() == "Storage warehouse\n3 articles · 2 new · 3 unread"
    assert window.tabs.tabText(tab) == "Saved (2 new)"

    window.search("")
    window.tabs.setCurrentIndex(tab)
    view = saved.panel.view
    row = view.visualRect(saved.model.index(0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert window.search_edit.text() == "warehouse"
    qtbot.waitUntil(lambda: app.header() == "3 results for “warehouse”")
    qtbot.waitUntil(lambda: (item := _item(app)) is not None and item.new == 0 and item.total == 3)
    assert window.tabs.tabText(tab) == "Saved"


def test_saved_searches_survive_a_new_window_and_can_be_deleted(
    start_app: StartApp, qtbot: QtBot, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saved_searches_view, "ask_name", lambda _parent, _query: "Harbour news")
    first = start_app(corpus)
    first.window.search("harbour")
    qtbot.waitUntil(lambda: first.header().endswith("for “harbour”"))
    first.window.saved.save_action.trigger()
    qtbot.waitUntil(lambda: first.window.saved.model.rowCount() == 1)
    first.close()
    second = start_app(corpus)
    saved = second.window.saved
    qtbot.waitUntil(lambda: saved.model.rowCount() == 1)
    assert saved.model.index(0).data(Qt.ItemDataRole.ToolTipRole) == "harbour"
    saved.panel.view.setCurrentIndex(saved.model.index(0))
    qtbot.mouseClick(saved.panel.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: saved.model.rowCount() == 0)
    assert saved.panel.empty_label.isVisibleTo(saved.panel)


def test_saved_search_model_passes_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from reader.core.saved_searches import SavedSearch

    model = SavedSearchModel()
    search = SavedSearch(1, "/c", "Fires", "fire", "2020-01-01", None, frozenset())
    model.set_items([SavedSearchCount(search, 3, 1), SavedSearchCount(search, 0, 0)])
    qtmodeltester.check(model)
