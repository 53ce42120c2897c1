"""The list's snippets are made for the rows in view only, on the reader lane: a search answers
with the first screen's, and rows scrolled into view get theirs as they come."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core.search import SearchService
from reader.gui.views.article_list import SnippetRole
from tests.gui.harness import StartApp
from tests.helpers import write_article


@pytest.fixture
def many(tmp_path: Path) -> Path:
    folder = tmp_path / "many"
    words = [
        "ship",
        "crane",
        "cargo",
        "tide",
        "pier",
        "ferry",
        "grain",
        "coal",
        "steel",
        "union",
        "strike",
        "fog",
        "storm",
        "quay",
    ]
    for i in range(120):
        rng = random.Random(i)  # articles unlike each other: no two make one story
        text = " ".join(rng.choice(words) for _ in range(60))
        write_article(
            folder,
            f"port-{i:03d}.txt",
            f"Port report {i}",
            f"{1 + i % 28} March 2021",
            f"{text} outside the harbour {rng.randrange(10**6)}.",
            " ".join(rng.choice(words) for _ in range(40)),
        )
    return folder


def test_rows_get_snippets_as_they_come_into_view_made_off_the_gui_thread(
    start_app: StartApp, many: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    made_in: list[threading.Thread] = []
    original = SearchService.with_snippets

    def recording(self: SearchService, hits, terms):  # type: ignore[no-untyped-def]
        made_in.append(threading.current_thread())
        return original(self, hits, terms)

    monkeypatch.setattr(SearchService, "with_snippets", recording)
    app = start_app(many)
    window = app.window
    window.resize(900, 600)
    view, model = window.list_view, window.model
    window.search("harbour")
    qtbot.waitUntil(lambda: app.header() == "120 results for “harbour”")

    def snippet(row: int) -> str:
        return str(model.index(row).data(SnippetRole) or "")

    def rows_in_view() -> range:
        first = view.indexAt(view.viewport().rect().topLeft()).row()
        last = view.indexAt(view.viewport().rect().bottomLeft()).row()
        return range(first, (last if last >= 0 else model.rowCount() - 1) + 1)

    qtbot.waitUntil(lambda: all("<b>harbour</b>" in snippet(r) for r in rows_in_view()))
    shown = rows_in_view()
    assert len(shown) < 30 and model.rowCount() == 50
    assert snippet(45) == ""  # not made: never shown
    assert made_in and all(t is not threading.main_thread() for t in made_in)

    # Scrolled to the end of the first page: those rows get theirs (and the next page comes).
    view.scrollTo(model.index(45))
    qtbot.waitUntil(lambda: 45 in rows_in_view())
    qtbot.waitUntil(lambda: all("<b>harbour</b>" in snippet(r) for r in rows_in_view()))
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 50)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: all("<b>harbour</b>" in snippet(r) for r in rows_in_view()))
    assert all(t is not threading.main_thread() for t in made_in)
    # Rows never shown still have none.
    assert snippet(shown.stop + 5) == ""
