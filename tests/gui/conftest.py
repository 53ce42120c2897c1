"""Fixtures for the window tests: the App harness, started and always closed, and the check
that no test leaves a thread running."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui.harness import App, StartApp


@pytest.fixture(autouse=True)
def _no_dangling_qthreads(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a GUI test that leaves a QThread running (after its own fixtures closed what they
    opened). Model: napari's ``_dangling_qthreads`` fixture."""
    started: list[QThread] = []
    start = QThread.start

    def recording_start(thread: QThread, *args: object) -> None:
        started.append(thread)
        start(thread, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    running = [t.objectName() or repr(t) for t in started if shiboken6.isValid(t) and t.isRunning()]
    assert not running, f"QThreads still running after the test: {running}"


@pytest.fixture
def start_app(qtbot: QtBot, tmp_path: Path) -> Iterator[StartApp]:
    """Start ``App``s (by default on ``tmp_path / "data"``); each is closed at the end."""
    apps: list[App] = []

    def start(corpus: Path | None = None, data_dir: Path | None = None, **options: object) -> App:
        app = App(qtbot, data_dir or tmp_path / "data", corpus, **options)  # type: ignore[arg-type]
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.close()


@pytest.fixture
def app(start_app: StartApp, corpus: Path) -> App:
    """The window over the ``corpus`` fixture, synced and listed."""
    return start_app(corpus)
