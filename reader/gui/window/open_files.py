"""Showing an article file the app was opened with (a file manager's Open With, a command-line
FILE, a later launch): selected in the list when it lies in the corpus, else read on its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, Qt, Slot
from PySide6.QtWidgets import QListView, QStatusBar, QWidget

from reader.core.corpus import ARTICLE_SUFFIXES
from reader.gui.views.article_list import ArticleListModel, PathRole

OUTSIDE = "A file outside the corpus: "


class OpenFiles(QObject):
    """Selects or shows the files the window is asked to open.

    ``load_file(path, article_id)`` reads a file into the pane (the window's article loading).
    """

    def __init__(
        self,
        parent: QWidget,
        view: QListView,
        model: ArticleListModel,
        status: QStatusBar,
        load_file: Callable[[Path, str], None],
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.view, self.model, self.status = view, model, status
        self._load_file = load_file
        self.corpus: Path | None = None
        self._file_to_select: tuple[Path, str] | None = None  # (corpus, id): see show
        self._connected = False
        #: The window's title for the corpus (the window adds the unread count); the pane shows
        #: a file outside the corpus while ``outside``.
        self.corpus_title: Callable[[], str] = lambda: (
            f"{self.corpus.name if self.corpus else ''} — Corpus Reader"
        )
        self.outside = False

    def set_corpus(self, corpus: Path) -> None:
        self.corpus = corpus

    def show(self, path: Path) -> str | None:
        """Show the article file at ``path``. An article of the corpus is selected in the list and
        its id returned; any other file is read on its own, without changing the corpus, and None
        returned."""
        corpus = self.corpus
        if corpus is None:
            return None
        if not self._connected:
            self._connected = True
            self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
            self.model.modelReset.connect(self._on_model_reset, Qt.ConnectionType.UniqueConnection)
        article_id = article_id_in(corpus, path)
        if article_id is None:
            self._file_to_select = None
            self.view.setCurrentIndex(QModelIndex())
            self._load_file(path.absolute(), str(path.absolute()))
            self.outside = True
            self.parent_widget.setWindowTitle(f"{path.name} (not in the corpus) — Corpus Reader")
            self.status.showMessage(f"{OUTSIDE}{path.absolute()}")
            return None
        self.forget_outside_file()
        row = self.model.row_of(article_id)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
            self.view.scrollTo(self.model.index(row))
        else:
            self._load_file(path, article_id)  # shown at once
        # Selected (again) when the list arrives: it may be loading, narrowed by a search, or about
        # to be replaced by a refresh that was asked for before this selection.
        self._file_to_select = (corpus, article_id)
        return article_id

    def forget_outside_file(self) -> None:
        """The pane shows an article of the corpus again: the title and status say so."""
        self.outside = False
        if self.corpus is not None:
            self.parent_widget.setWindowTitle(self.corpus_title())
        if self.status.currentMessage().startswith(OUTSIDE):
            self.status.clearMessage()

    @Slot()
    def _on_model_reset(self) -> None:
        if self._file_to_select is None:
            return
        corpus, article_id = self._file_to_select
        row = self.model.row_of(article_id) if corpus == self.corpus else -1
        if row >= 0:
            self._file_to_select = None
            self.view.setCurrentIndex(self.model.index(row))  # loads it again, with its highlights
            self.view.scrollTo(self.model.index(row))

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        if self._file_to_select is not None and current.data(PathRole) != self._file_to_select[1]:
            self._file_to_select = None  # the user went on to another article
        self.forget_outside_file()


def article_id_in(corpus: Path, path: Path) -> str | None:
    """The id of ``path`` as an article of ``corpus`` (as the index names it), else None."""
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        return None
    for candidate in (path.absolute(), path.resolve()):
        try:
            relative = candidate.relative_to(corpus)
        except ValueError:
            continue
        # The index skips hidden files and folders ("..": an unresolved path, the next candidate).
        if not any(part.startswith(".") for part in relative.parts):
            return relative.as_posix()
    return None
