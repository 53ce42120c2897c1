"""The reading pane: a highlight's note on hover, highlights of whole words, colour swatches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QToolTip
from pytestqt.qtbot import QtBot

import reader.gui.views.annotation_controller as controller_module
from reader.core.annotation_io import COLOR_CSS
from tests.gui.harness import App
from tests.helpers import SEED


def select(app: App, start: int, end: int) -> None:
    view = app.window.pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def hover(app: App, qtbot: QtBot, offset: int) -> str:
    """Send the tool tip event Qt sends when the pointer rests over ``offset``; the tip shown."""
    view = app.window.pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(offset)
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""


# The offscreen platform cannot raise the tool tip's window: its warning, not ours.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_hovering_a_highlight_shows_its_note(app: App, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    app.open(SEED)
    text = app.pane_text()
    start = text.index("OSCE Minsk group")
    monkeypatch.setattr(controller_module, "ask_note", lambda *_args: "the mediators")
    select(app, start, start + 16)
    app.window.pane.highlight_selection("green", with_note=True)
    qtbot.waitUntil(lambda: app.window.pane.highlight_texts() == ["OSCE Minsk group"])
    qtbot.waitUntil(lambda: app.window.pane.highlights[0].note == "the mediators")
    assert hover(app, qtbot, start + 5) == "the mediators"
    # Off the highlight: no tip.
    outside = text.index(" ", start + 30)
    assert hover(app, qtbot, outside + 1) == ""


def test_a_selection_is_highlighted_as_whole_words(app: App, qtbot: QtBot) -> None:
    app.open(SEED)
    text = app.pane_text()
    start = text.index("OSCE Minsk group")
    select(app, start + 2, start + 12)  # "CE Minsk g"
    app.window.pane.view.setFocus()
    qtbot.keyClick(app.window.pane.view, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: app.window.pane.highlight_texts() == ["OSCE Minsk group"])


def test_colour_menus_show_swatches(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    app.open(SEED)
    start = app.pane_text().index("OSCE Minsk group")
    select(app, start, start + 4)
    shown: list[QMenu] = []
    monkeypatch.setattr(app.window.pane, "exec_menu", lambda menu, _pos: shown.append(menu))
    view = app.window.pane.view
    app.window.pane._on_view_context_menu_requested(view.cursorRect().center())
    (menu,) = shown
    highlight = next(a.menu() for a in menu.actions() if a.text() == "Highlight")
    swatches = {}
    for action in highlight.actions():
        image = action.icon().pixmap(16, 16).toImage()
        swatches[action.text()] = image.pixelColor(8, 8).name()
    assert swatches == {name.title(): QColor(css).name() for name, css in COLOR_CSS.items()}
