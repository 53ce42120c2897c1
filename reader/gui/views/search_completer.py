"""Completions in the search bar: the user's recent searches, then the corpus's own words.

Offered on request (↓ or Ctrl+Space in the search bar), not popped up while typing: the search
runs as you type, and a popup that takes Esc, Enter and F3 while results arrive gets in the way.

Recent searches are kept in the window's QSettings (``search/history``, most recent first,
bounded). The corpus words come from the catalog's ``words`` table, looked up on the library's
search worker when the word being typed changes; a completion keeps the text before that word.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QSettings, QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit

from reader.gui.operations.search import complete_word
from reader.gui.tasks.library import Library

HISTORY_KEY = "search/history"
MAX_HISTORY = 50
MIN_PREFIX = 2
_LAST_WORD = re.compile(r"(?<![\w:*~\"-])([^\W\d_][\w'-]*)$")


def load_history(settings: QSettings) -> list[str]:
    value = settings.value(HISTORY_KEY, [])
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else []
    return [str(v) for v in items if str(v).strip()][:MAX_HISTORY]


class SearchCompleter(QObject):
    """Owns the search bar's QCompleter and the history behind it.

    Signals:
        completion_chosen(str text): the user picked a completion (now in the search bar).
    """

    completion_chosen = Signal(str)

    def __init__(self, edit: QLineEdit, settings: QSettings) -> None:
        super().__init__(edit)
        self.edit = edit
        self.settings = settings
        self.library: Library | None = None
        self.history = load_history(settings)
        self.model = QStringListModel(self.history, self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(edit)
        self.completer.activated.connect(self._on_completer_activated)
        edit.installEventFilter(self)
        self._prefix = ""  # the word whose completions the model holds
        edit.textEdited.connect(self._on_edit_text_edited)

    def set_library(self, library: Library) -> None:
        self.library = library
        self._prefix = ""

    def show_popup(self) -> bool:
        """Offer the completions of the search bar's text; False when there are none."""
        self.completer.setCompletionPrefix(self.edit.text())
        if self.completer.completionCount() == 0:
            return False
        self.completer.complete()
        return True

    def record(self, query: str) -> None:
        """Remember ``query`` as the most recent search (saved at once)."""
        query = query.strip()
        if not query:
            return
        self.history = [query, *(h for h in self.history if h != query)][:MAX_HISTORY]
        self.settings.setValue(HISTORY_KEY, self.history)
        self._set_completions([])

    def _set_completions(self, words: list[str]) -> None:
        text = self.edit.text()
        m = _LAST_WORD.search(text)
        head = text[: m.start(1)] if m else text
        extra = [head + w for w in words if (head + w) not in self.history]
        self.model.setStringList([*self.history, *extra])

    @Slot(str)
    def _on_edit_text_edited(self, text: str) -> None:
        m = _LAST_WORD.search(text)
        prefix = m[1].lower() if m and len(m[1]) >= MIN_PREFIX else ""
        if prefix == self._prefix:
            return
        self._prefix = prefix
        if not prefix or self.library is None or not self.library.ready:
            self._set_completions([])
            return
        complete_word(self.library.tasks, prefix, self._on_words_completed).run()

    def _on_words_completed(self, answer: tuple[str, list[str]]) -> None:
        prefix, words = answer
        if prefix != self._prefix:
            return
        self._set_completions(words)

    @Slot(str)
    def _on_completer_activated(self, text: str) -> None:
        self.edit.setText(text)
        self.completion_chosen.emit(text)

    # Qt overrides ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Overrides QObject.eventFilter: ↓ or Ctrl+Space in the search bar opens the popup."""
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key, mods = event.key(), event.modifiers()
            down = key == Qt.Key.Key_Down and mods == Qt.KeyboardModifier.NoModifier
            space = key == Qt.Key.Key_Space and mods == Qt.KeyboardModifier.ControlModifier
            popup = self.completer.popup()
            if (down or space) and popup is not None and not popup.isVisible():
                return self.show_popup() or space
        return super().eventFilter(watched, event)
