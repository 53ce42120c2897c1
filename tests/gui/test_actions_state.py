"""Actions are enabled only when they can act; the star never claims a bookmark not saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.harness import App, StartApp
from tests.helpers import SEED, write_article


def test_after_opening_another_folder_nothing_can_be_bookmarked(
    start_app: StartApp, corpus: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    app = start_app(corpus)
    app.open(SEED)
    window = app.window
    assert window.annotations.bookmark_action.isEnabled() and window.more_like_action.isEnabled()
    other = tmp_path / "other"
    write_article(other, "b.txt", "Other news", "2021-01-01", "Nothing much.")
    app.open_corpus(other)
    assert app.pane_path() is None
    assert not window.annotations.bookmark_action.isEnabled()
    assert not window.more_like_action.isEnabled()
    # Ctrl+D now: nothing is saved, and nothing says so.
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not window.annotations.bookmark_action.isChecked()
    assert "★" not in window.bookmark_button.text()


def test_the_star_follows_what_is_saved(app: App, qtbot: QtBot) -> None:
    app.open(SEED)
    action = app.window.annotations.bookmark_action
    action.trigger()
    qtbot.waitUntil(lambda: app.window.annotations.bookmark_for(SEED) is not None)
    qtbot.waitUntil(action.isChecked)
    action.trigger()
    qtbot.waitUntil(lambda: app.window.annotations.bookmark_for(SEED) is None)
    qtbot.waitUntil(lambda: not action.isChecked())
