"""The one harness for driving the window in tests: a MainWindow with its Session over a data
dir, started and closed as the app does. Fixtures that build it live in ``conftest.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.core.locations import Locations
from reader.gui.launch import Session, make_settings
from reader.gui.tasks.library import Library
from reader.gui.views.article_list import PathRole
from reader.gui.window.main_window import MainWindow


class App:
    """The window over ``data_dir``; with ``corpus``, that folder opened and its index synced.

    ``session_options`` go to ``Session`` (``debounce_ms``, ``poll_ms``, ``sync_delay_ms``).
    Every status-bar message is kept in ``messages``.
    """

    def __init__(
        self,
        qtbot: QtBot,
        data_dir: Path,
        corpus: Path | None = None,
        *,
        wait: bool = True,
        watched: bool = False,
        **session_options: int,
    ) -> None:
        self.qtbot = qtbot
        self.locations = Locations.resolve(data_dir)
        self.settings = make_settings(self.locations)
        self.window = MainWindow(self.settings)
        qtbot.addWidget(self.window)
        self.messages: list[str] = []
        self.window.statusBar().messageChanged.connect(self.messages.append)
        self.session = Session(self.window, self.settings, self.locations, **session_options)
        self.closed = False
        self.window.show()
        # Shortcuts (F3, H, Ctrl+Z, Esc…) fire only in the active window; the offscreen platform
        # activates it asynchronously, so wait for it rather than race it.
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)
        self.corpus: Path | None = None
        if corpus is not None:
            self.open_corpus(corpus, wait=wait, watched=watched)

    @property
    def library(self) -> Library:
        library = self.session.library
        assert library is not None, "no corpus is open"
        return library

    def open_corpus(self, corpus: Path, wait: bool = True, watched: bool = False) -> None:
        """Open ``corpus``; with ``wait``, until its first sync is done and the list is filled;
        with ``watched``, also until the folder watcher is armed (after the first sync)."""
        self.corpus = corpus
        self.session.open_corpus(corpus)
        if not wait:
            return
        library = self.library
        self.qtbot.waitUntil(lambda: library.ready and not library.syncing, timeout=20000)
        self.qtbot.waitUntil(lambda: self.window.model.rowCount() > 0, timeout=10000)
        if watched:
            self.qtbot.waitUntil(lambda: str(corpus) in library.watcher.watched(), timeout=5000)

    def index_dir(self) -> Path:
        assert self.corpus is not None
        return self.locations.index_dir(self.corpus.resolve())

    def close(self) -> None:
        """Close the window and end the session (its threads); safe to call twice."""
        if self.closed:
            return
        self.closed = True
        self.window.close()
        self.session.shutdown()

    # --- what the user sees -------------------------------------------------------------

    def header(self) -> str:
        return self.window.header_label.text()

    def paths(self) -> list[str]:
        model = self.window.model
        return [model.index(i).data(PathRole) for i in range(model.rowCount())]

    def selected(self) -> str | None:
        index = self.window.list_view.currentIndex()
        return index.data(PathRole) if index.isValid() else None

    def pane_path(self) -> str | None:
        article = self.window.pane.article
        return None if article is None else article.path

    def pane_title(self) -> str | None:
        article = self.window.pane.article
        return None if article is None else article.title

    def pane_text(self) -> str:
        return self.window.pane.view.toPlainText()

    # --- what the user does -------------------------------------------------------------

    def open_row(self, row: int) -> None:
        """Select row ``row`` of the list and wait until the pane shows its article."""
        path = self.paths()[row]
        self.window.list_view.setCurrentIndex(self.window.model.index(row))
        self.qtbot.waitUntil(lambda: self.pane_path() == path)

    def open(self, path: str) -> None:
        """Select the article ``path`` in the list and wait until the pane shows it."""
        self.open_row(self.paths().index(path))


#: The ``start_app`` fixture: ``start_app(corpus=None, data_dir=None, **App options) -> App``.
StartApp = Callable[..., App]
