"""The Concordance panel: rows stream in for the query; clicking one opens the article there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.core import concordance as conc
from reader.core.concordance import Occurrence
from reader.gui.views.concordance_view import ARTICLE, DATE, LEFT, RIGHT, ConcordanceModel, OccurrenceRole
from tests.gui.harness import App


def show_concordance(app: App, qtbot: QtBot, query: str) -> None:
    window = app.window
    qtbot.keyClicks(window.search_edit, query)
    window.concordance.show_panel()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    controller = window.concordance
    qtbot.waitUntil(
        lambda: controller.finished and controller.run is not None and controller.run.query == query,
        timeout=10000,
    )
    # The article list's search is answered too (its terms mark the article a row opens).
    qtbot.waitUntil(lambda: window.header_label.text().endswith(f"for “{query}”"), timeout=10000)


def rows(app: App) -> list[Occurrence]:
    model = app.window.concordance.model
    return [model.index(i, 0).data(OccurrenceRole) for i in range(model.rowCount())]


def test_concordance_lists_every_occurrence_with_the_match_aligned(app: App, qtbot: QtBot) -> None:
    show_concordance(app, qtbot, "Minsk")
    found = rows(app)
    assert len(found) == 18  # 17 in scattered.txt, 1 in the seed
    assert all(o.match == "Minsk" for o in found)
    label = app.window.concordance.panel.header_label.text()
    assert label == "18 occurrences in 2 articles for “Minsk”"
    model = app.window.concordance.model
    assert model.index(0, LEFT).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_clicking_a_row_opens_the_article_at_that_occurrence(app: App, qtbot: QtBot) -> None:
    show_concordance(app, qtbot, "Minsk")
    table = app.window.concordance.panel.table
    target = next(i for i, o in enumerate(rows(app)) if o.path == "scattered.txt" and o.start > 300)
    occurrence = rows(app)[target]
    index = table.model().index(target, RIGHT)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    pane = app.window.pane
    qtbot.waitUntil(lambda: pane.article is not None and pane.article.path == "scattered.txt")
    # The current (orange) hit becomes the very occurrence clicked, not the first one in the
    # article (Enter opened the top hit, the same article, a moment before).
    qtbot.waitUntil(lambda: pane.current_hit > 0 and pane._marks[pane.current_hit - 1][0] == occurrence.start)
    assert pane.current_hit > 1
    assert pane.article.plain_text[occurrence.start : occurrence.end] == "Minsk"


def test_rows_stream_in_batches_and_a_new_query_replaces_them(
    app: App, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conc, "CHUNK_ARTICLES", 1)  # one signal per article
    with qtbot.waitSignals([app.window.concordance.rows_found] * 2, timeout=10000):
        show_concordance(app, qtbot, "Minsk")
    app.window.search_edit.clear()
    show_concordance(app, qtbot, "harbour")
    assert {o.match for o in rows(app)} == {"harbour"}
    assert app.window.concordance.panel.header_label.text().startswith("3 occurrences in 2 articles")


def test_sorting_by_date_and_by_the_word_on_the_right(app: App, qtbot: QtBot) -> None:
    show_concordance(app, qtbot, "Minsk OR harbour")
    table = app.window.concordance.panel.table
    table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
    dates = [o.date for o in rows(app)]
    assert dates[0] is None or dates[0] == max(d for d in dates if d)  # newest first
    table.sortByColumn(RIGHT, Qt.SortOrder.AscendingOrder)
    words = [o.right_word for o in rows(app)]
    assert words == sorted(words)


def test_concordance_model_passes_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    model = ConcordanceModel()
    model.append([Occurrence("a.txt", "A", dt.date(2020, 1, 1), 5, 9, "left ", "word", " right")])
    model.sort(RIGHT)
    model.append([Occurrence("b.txt", "B", None, 0, 4, "", "word", " again")])
    qtmodeltester.check(model)


def test_a_fresh_concordance_is_oldest_first_with_article_and_date_in_view(app: App, qtbot: QtBot) -> None:
    window = app.window
    window.resize(1280, 800)
    show_concordance(app, qtbot, "Minsk OR harbour")
    found = rows(app)
    assert found == sorted(found, key=conc.sort_key("date"))  # oldest article first, undated last
    header = window.concordance.panel.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (DATE, Qt.SortOrder.AscendingOrder)
    # The panel runs across the window: every column, Article and Date included, is in view.
    table = window.concordance.panel.table
    qtbot.waitUntil(lambda: table.viewport().width() > 900)
    for column in (ARTICLE, DATE):
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= table.viewport().width() + 1
        assert header.sectionSize(column) >= table.fontMetrics().horizontalAdvance("2020-07-30")
    # Closing it (✕) hides it; the toggle says so.
    qtbot.mouseClick(window.concordance.panel.close_button, Qt.MouseButton.LeftButton)
    assert not window.concordance.panel.isVisible() and not window.concordance.toggle_action.isChecked()
