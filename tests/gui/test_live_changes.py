"""The folder changes while the window is open: files added, edited, renamed and deleted show up
within seconds (a file-system watcher, debounced; a poll for what it cannot see), the selection
stays, an open article that was deleted says so. Also: the problems button and dialog, markup
shown literally, and damage to the index found while the window is open."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

import reader.gui.operations.index as index_ops
import reader.gui.views.reading_pane as reading_pane
from reader.core.index import segment_files
from reader.gui.window.article_controller import DELETED
from tests import hostile_corpus
from tests.gui.harness import App, StartApp
from tests.helpers import write_article

WAIT_MS = 8000  # "within a few seconds"; the test debounce is 50 ms


#: Folder changes are picked up 50 ms after they stop; the poll stays out of the way.
LIVE = {"debounce_ms": 50, "poll_ms": 600_000, "watched": True}


@pytest.fixture
def app(start_app: StartApp, corpus: Path) -> App:
    return start_app(corpus, **LIVE)


def test_an_added_file_appears_and_the_selection_stays(app: App, qtbot: QtBot) -> None:
    app.open("undated.txt")
    write_article(
        app.corpus, "fresh.txt", "Freshly arrived", "2024-05-01", "Arrived while the window was open."
    )
    qtbot.waitUntil(lambda: "fresh.txt" in app.paths(), timeout=WAIT_MS)
    assert app.window.header_label.text() == "6 articles"
    assert app.selected() == "undated.txt"
    assert app.pane_path() == "undated.txt"


def test_a_new_subfolder_is_watched_too(app: App, qtbot: QtBot) -> None:
    (app.corpus / "later").mkdir()
    qtbot.waitUntil(lambda: str(app.corpus / "later") in app.library.watcher.watched(), timeout=WAIT_MS)
    write_article(app.corpus, "later/deep.txt", "Deep news", "2024-05-02", "In a folder made later.")
    qtbot.waitUntil(lambda: "later/deep.txt" in app.paths(), timeout=WAIT_MS)


def test_the_open_article_edited_in_place_is_reloaded(app: App, qtbot: QtBot) -> None:
    app.open("markets/fire.md")
    assert "warehouse near the harbour" in app.pane_text()
    with open(app.corpus / "markets" / "fire.md", "w", encoding="utf-8") as fh:  # in place
        fh.write("Warehouse fire in the harbour\n\n2019-01-05\n\nThe fire was put out by volunteers.\n")
    qtbot.waitUntil(lambda: "put out by volunteers" in app.pane_text(), timeout=WAIT_MS)
    assert app.selected() == "markets/fire.md"


def test_the_open_article_deleted_says_so(app: App, qtbot: QtBot) -> None:
    app.open("undated.txt")
    (app.corpus / "undated.txt").unlink()
    qtbot.waitUntil(lambda: app.pane_text() == DELETED, timeout=WAIT_MS)
    assert app.pane_path() is None
    qtbot.waitUntil(lambda: "undated.txt" not in app.paths(), timeout=WAIT_MS)
    assert app.window.header_label.text() == "4 articles"


def test_the_open_article_emptied_says_why_it_cannot_be_shown(app: App, qtbot: QtBot) -> None:
    app.open("undated.txt")
    (app.corpus / "undated.txt").write_bytes(b"")
    qtbot.waitUntil(
        lambda: app.pane_text() == "This article can no longer be read: empty file.", timeout=WAIT_MS
    )


def test_a_renamed_file_moves_in_the_list(app: App, qtbot: QtBot) -> None:
    os.rename(app.corpus / "scattered.txt", app.corpus / "markets" / "moved.txt")
    qtbot.waitUntil(
        lambda: "markets/moved.txt" in app.paths() and "scattered.txt" not in app.paths(), timeout=WAIT_MS
    )


def test_the_open_article_renamed_stays_open_under_its_new_name(app: App, qtbot: QtBot) -> None:
    app.open("scattered.txt")
    text = app.pane_text()
    os.rename(app.corpus / "scattered.txt", app.corpus / "markets" / "moved.txt")
    qtbot.waitUntil(lambda: app.pane_path() == "markets/moved.txt", timeout=WAIT_MS)
    assert app.pane_text() == text
    qtbot.waitUntil(lambda: app.selected() == "markets/moved.txt", timeout=WAIT_MS)


def test_the_search_results_follow_the_folder(app: App, qtbot: QtBot) -> None:
    app.window.search("volcano")
    qtbot.waitUntil(lambda: app.window.header_label.text() == "0 results for “volcano”")
    write_article(app.corpus, "volcano.txt", "Volcano erupts", "2022-05-01", "Lava reached the village.")
    qtbot.waitUntil(lambda: app.paths() == ["volcano.txt"], timeout=WAIT_MS)
    assert app.window.header_label.text() == "1 result for “volcano”"


def test_the_poll_sees_what_the_watcher_cannot(
    start_app: StartApp, qtbot: QtBot, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Too many files to watch (limit 0 here): an in-place edit of a file that is not open sends
    # the folder watcher nothing; the poll finds it.
    monkeypatch.setattr(index_ops, "MAX_WATCHED_FILES", 0)
    app = start_app(corpus, **{**LIVE, "poll_ms": 300})
    assert not any(p.endswith(".txt") for p in app.library.watcher.watched())
    with open(corpus / "scattered.txt", "a", encoding="utf-8") as fh:
        fh.write("\nA quokka was seen.\n")
    app.window.search("quokka")
    qtbot.waitUntil(lambda: app.paths() == ["scattered.txt"], timeout=WAIT_MS)


# --- problems, markup, damage -----------------------------------------------------------


def test_problems_button_opens_a_table_of_skipped_files_kept_up_to_date(
    start_app: StartApp, qtbot: QtBot, corpus: Path, qtmodeltester: object
) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 40)
    app = start_app(corpus, **LIVE)
    button = app.window.problems_button
    qtbot.waitUntil(button.isVisible)
    assert button.text() == "⚠ 2 files with problems"
    qtmodeltester.check(button.model)  # type: ignore[attr-defined]
    button.click()
    dialog = button.dialog
    assert dialog is not None and dialog.isVisible()
    table = dialog.table.model()
    rows = [(table.index(r, 0).data(), table.index(r, 1).data()) for r in range(table.rowCount())]
    assert rows == [("binary.txt", "binary data, not text"), ("empty.txt", "empty file")]
    assert str(corpus) in dialog.label.text()
    # Fixed while the dialog is open: the row goes, and with the last one the button.
    write_article(corpus, "empty.txt", "No longer empty", "2024-01-01", "Text at last.")
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=WAIT_MS)
    assert button.text() == "⚠ 1 file with a problem"
    (corpus / "binary.txt").unlink()
    qtbot.waitUntil(lambda: not button.isVisible(), timeout=WAIT_MS)


class RecordingView(reading_pane.ArticleView):
    """The article view, noting every resource (image, stylesheet) the document asks for."""

    requested: ClassVar[list[str]] = []

    def loadResource(self, kind: int, name: QUrl) -> object:
        """Overrides QTextBrowser.loadResource: records the request, fetches nothing."""
        RecordingView.requested.append(name.toString())
        return None


def test_markup_in_an_article_is_shown_literally_and_fetches_nothing(
    start_app: StartApp, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading_pane, "ArticleView", RecordingView)
    RecordingView.requested = []
    corpus = hostile_corpus.build(tmp_path / "corpus")
    app = start_app(corpus, **LIVE)
    app.open("markup.txt")
    assert app.pane_text() == f"{hostile_corpus.MARKUP_TITLE}\n{hostile_corpus.MARKUP_BODY}"
    app.window.pane.view.viewport().repaint()
    assert RecordingView.requested == []
    # The probe works: the same text given as HTML would have fetched the image.
    probe = RecordingView()
    qtbot.addWidget(probe)
    probe.setHtml(hostile_corpus.MARKUP_BODY)
    probe.show()
    probe.viewport().repaint()
    assert set(RecordingView.requested) == {"http://example.invalid/x.png"}


@pytest.mark.parametrize("searched_before", [True, False], ids=["searcher-open", "no-searcher-yet"])
def test_a_segment_cut_short_while_open_is_rebuilt_not_an_error(
    app: App, qtbot: QtBot, searched_before: bool
) -> None:
    if searched_before:
        # The searcher has the segment memory-mapped: touching the cut part would kill the app.
        app.window.search("harbour")
        qtbot.waitUntil(lambda: app.window.header_label.text() == "2 results for “harbour”")
        app.window.clear_search()
        qtbot.waitUntil(lambda: app.window.header_label.text() == "5 articles")
    segments = segment_files(app.index_dir() / "whoosh")
    assert segments
    for seg in segments:
        os.truncate(seg, seg.stat().st_size // 2)
    app.window.search("harbour")
    qtbot.waitUntil(lambda: app.window.header_label.text() == "2 results for “harbour”", timeout=WAIT_MS)
    assert "Rebuilding the index…" in app.messages
    assert not any(m.startswith("Search failed") for m in app.messages)
    qtbot.waitUntil(lambda: not app.library.syncing)
    assert app.window.statusBar().currentMessage().startswith("Index rebuilt")
