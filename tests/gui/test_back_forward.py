"""Back / Forward (Alt+Left / Alt+Right, the mouse's back and forward buttons) over the articles
opened, More Like This jumps included (issue 12, item 9)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.gui.harness import StartApp
from tests.helpers import SEED, write_article


def test_back_and_forward_walk_the_articles_opened(start_app: StartApp, corpus: Path, qtbot: QtBot) -> None:
    text = "The glacier retreated past the moraine. Meltwater flooded the fjord near the station."
    write_article(corpus, "g1.txt", "Glacier retreats", "2020-01-01", text)
    write_article(corpus, "g2.txt", "Glacier retreat confirmed", "2020-01-03", text, "Officials agreed.")
    app = start_app(corpus)
    window = app.window
    window.collapse_box.setChecked(False)
    app.open(SEED)
    app.open("markets/fire.md")
    app.open("g1.txt")
    # More Like This, then open its top row: a jump the history keeps too.
    window.more_like_action.trigger()
    qtbot.waitUntil(lambda: app.header().endswith("like “Glacier retreats”"))
    app.open_row(0)
    jumped = app.pane_path()
    assert jumped == "g2.txt"

    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: app.pane_path() == "g1.txt")
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: app.pane_path() == "markets/fire.md")
    # The mouse's back button, over the article.
    viewport = window.pane.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.BackButton, pos=QPoint(20, 20))
    qtbot.waitUntil(lambda: app.pane_path() == SEED)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # nothing before
    assert app.pane_path() == SEED
    qtbot.mouseClick(viewport, Qt.MouseButton.ForwardButton, pos=QPoint(20, 20))
    qtbot.waitUntil(lambda: app.pane_path() == "markets/fire.md")
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: app.pane_path() == jumped)
    # Opening another article from the middle drops what was ahead.
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: app.pane_path() == "g1.txt")
    assert [v.path for v in window.articles.history.visits] == [SEED, "markets/fire.md", "g1.txt", "g2.txt"]
