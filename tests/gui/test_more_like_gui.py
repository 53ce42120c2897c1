"""More Like This: from the open article, the list shows the most similar articles and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.gui.views.article_list import SnippetRole
from tests.gui.harness import App, StartApp
from tests.helpers import write_article

GLACIER = "The glacier retreated past the moraine. Meltwater flooded the fjord near the research station."


@pytest.fixture
def app(start_app: StartApp, corpus: Path) -> App:
    write_article(corpus, "g1.txt", "Glacier retreats", "2020-01-01", GLACIER)
    write_article(corpus, "g2.txt", "Glacier retreat confirmed", "2020-01-03", GLACIER, "Officials agreed.")
    return start_app(corpus)


def test_more_like_this_lists_the_near_duplicate_with_shared_terms(app: App, qtbot: QtBot) -> None:
    window = app.window
    # g2 is a version of g1: one row per story would list them as one (tests/gui/test_stories_gui.py).
    window.collapse_box.setChecked(False)
    assert not window.more_like_action.isEnabled()  # no article open
    window.search("moraine")
    qtbot.waitUntil(lambda: app.header() == "2 results for “moraine”")
    row = app.paths().index("g1.txt")
    app.open_row(row)
    qtbot.waitUntil(window.more_like_action.isEnabled)
    window.more_like_action.trigger()
    qtbot.waitUntil(lambda: app.header().endswith("like “Glacier retreats”"))
    assert app.paths()[0] == "g2.txt" and "g1.txt" not in app.paths()
    snippet = window.model.index(0).data(SnippetRole)
    assert snippet.startswith("Shared: ") and "moraine" in snippet
    assert "Its key terms:" in window.note_label.text() and "glacier" in window.note_label.text()

    # A search afterwards replaces the list again.
    window.search("moraine")
    qtbot.waitUntil(lambda: app.header() == "2 results for “moraine”")
