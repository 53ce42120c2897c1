"""View ▸ Theme: System, Light, Dark; the choice is remembered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui.harness import StartApp


@pytest.fixture
def original_palette(qapp: QApplication) -> Iterator[QPalette]:
    palette = QPalette(qapp.palette())
    yield palette
    qapp.setPalette(palette)  # the next tests see the system palette again


def window_lightness(widget_palette: QPalette) -> int:
    return widget_palette.color(QPalette.ColorRole.Window).lightness()


def theme_actions(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    view = next(a.menu() for a in app.window.menuBar().actions() if a.text() == "&View")
    theme = next(a.menu() for a in view.actions() if a.text() == "&Theme")
    return {a.text().replace("&", ""): a for a in theme.actions()}


def test_dark_and_light_apply_and_are_remembered(
    start_app: StartApp, corpus: Path, qtbot: QtBot, qapp: QApplication, original_palette: QPalette
) -> None:
    app = start_app(corpus)
    actions = theme_actions(app)
    assert list(actions) == ["System", "Light", "Dark"] and actions["System"].isChecked()
    actions["Dark"].trigger()
    assert window_lightness(qapp.palette()) < 80
    qtbot.waitUntil(lambda: window_lightness(app.window.pane.view.palette()) < 80)
    text = app.window.pane.view.palette().color(QPalette.ColorRole.Text)
    assert text.lightness() > 180  # readable on the dark base
    app.close()

    again = start_app(corpus)
    assert theme_actions(again)["Dark"].isChecked() and window_lightness(qapp.palette()) < 80
    theme_actions(again)["Light"].trigger()
    assert window_lightness(qapp.palette()) > 200
    theme_actions(again)["System"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window) == original_palette.color(
        QPalette.ColorRole.Window
    )
    assert again.settings.value("view/theme") == "system"
