"""The Saved tab: saved searches with their number of matches, of matches new since last opened
and of unread matches; a saved search can label its matches (a rule, see ``core/rules.py``).

Counting runs on the library's search worker (after each index sync, and after saving, opening
or deleting a search); this module only shows the counts and turns clicks into searches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader.gui.operations import saved_searches as saved_ops
from reader.gui.tasks.library import Library
from reader.gui.tasks.triage import Triage

if TYPE_CHECKING:
    from reader.core.index import SyncReport
    from reader.core.saved_searches import SavedSearch, SavedSearchCount

#: How long read state must rest before the unread counts are brought up to date.
RECOUNT_AFTER_MS = 2000


def ask_rule_label(parent: QWidget, name: str) -> str | None:
    """Ask which label a saved search gives its matches; None when cancelled. (Tests replace it.)"""
    text, ok = QInputDialog.getText(
        parent, "Label Matches", f"Label every article “{name}” finds, now and later, as:"
    )
    return text if ok and text.strip() else None


SavedRole = Qt.ItemDataRole.UserRole + 1


def ask_name(parent: QWidget, query: str) -> str | None:
    """Ask for the name of a saved search; None when cancelled. (Tests replace this function.)"""
    text, ok = QInputDialog.getText(
        parent, "Save Search", f"Save “{query}” as:", QLineEdit.EchoMode.Normal, query
    )
    return text if ok else None


def describe(item: SavedSearchCount, rule: str | None = None) -> str:
    articles = f"{item.total:,} article{'s' if item.total != 1 else ''}"
    if item.new:
        articles += f" · {item.new:,} new"
    if item.unread:
        articles += f" · {item.unread:,} unread"
    name = f"{item.search.name}  → {rule}" if rule else item.search.name
    return f"{name}\n{articles}"


class SavedSearchModel(QAbstractListModel):
    """The saved searches with their counts, one row each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[SavedSearchCount] = []
        self.rules: dict[int, str] = {}  # saved search id -> the label it gives

    def set_rules(self, rules: dict[int, str]) -> None:
        if rules != self.rules:
            self.rules = dict(rules)
            if self._items:
                self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))

    def set_items(self, items: list[SavedSearchCount]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> SavedSearchCount | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def total_new(self) -> int:
        return sum(i.new for i in self._items)

    # Qt overrides ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount."""
        return 0 if parent.isValid() else len(self._items)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Overrides QAbstractItemModel.data: name and counts; the query as tool tip; bold when new."""
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return describe(item, self.rules.get(item.search.id))
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.search.query
        if role == Qt.ItemDataRole.FontRole and item.new:
            font = QFont()
            font.setBold(True)
            return font
        if role == SavedRole:
            return item
        return None


class SavedSearchPanel(QWidget):
    """The list of saved searches, a note when there are none, and a Delete button.

    Signals:
        search_activated(SavedSearchCount): the user clicked or pressed Enter on a saved search.
    """

    search_activated = Signal(object)

    def __init__(self, model: SavedSearchModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QListView(self)
        self.view.setModel(model)
        self.view.setUniformItemSizes(True)
        self.view.setSpacing(3)
        self.view.setAccessibleName("Saved searches")
        self.empty_label = QLabel(
            "No saved searches yet.\nSearch, then Go ▸ Save Search… (Ctrl+Shift+S).", self
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.delete_button = QPushButton("Delete", self)
        self.rule_button = QPushButton("Label Matches…", self)
        self.rule_button.setToolTip(
            "Give every article this search matches a label, now and after every sync (a rule)"
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.rule_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self.view.clicked.connect(self._on_view_activated)
        self.view.activated.connect(self._on_view_activated)
        model.modelReset.connect(self._update_empty)
        self._update_empty()

    def current(self) -> SavedSearchCount | None:
        index = self.view.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.delete_button.setEnabled(not empty)
        self.rule_button.setEnabled(not empty)

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        item = self.model.item(index.row())
        if item is not None:
            self.search_activated.emit(item)


class SavedSearchController(QObject):
    """Owns the Saved tab and the Save Search action of one window.

    Signals:
        search_requested(str text): a saved search was opened: search for its query.
        message(str text): something to say in the status bar.
    """

    search_requested = Signal(str)
    message = Signal(str)

    def __init__(self, window: QWidget, tabs: QTabWidget, after: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.tabs = tabs
        self.library: Library | None = None
        self.query = ""
        self.model = SavedSearchModel(self)
        self.panel = SavedSearchPanel(self.model)
        tabs.insertTab(tabs.indexOf(after) + 1, self.panel, "Saved")
        self.save_action = QAction("Save &Search…", window)
        self.save_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_action.setToolTip("Save the current search under a name (Ctrl+Shift+S)")
        self.save_action.setEnabled(False)
        self.save_action.triggered.connect(self.save_current)
        self.panel.search_activated.connect(self._on_panel_search_activated)
        self.panel.delete_button.clicked.connect(self.delete_selected)
        self.panel.rule_button.clicked.connect(self.toggle_rule)
        self.panel.view.selectionModel().currentChanged.connect(self._update_rule_button)
        self.triage: Triage | None = None
        # Read state changes often (an article read every few seconds): recount when it settles.
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(RECOUNT_AFTER_MS)
        self._recount_timer.timeout.connect(self.recount)
        self._stale = False
        tabs.currentChanged.connect(self._on_tabs_current_changed)

    def set_library(self, library: Library) -> None:
        self.library = library
        self.model.set_items([])
        self._update_tab()
        library.index_opened.connect(self.recount)
        library.sync_finished.connect(self._on_library_sync_finished)
        self.triage = library.triage
        self.triage.changed.connect(self._on_triage_changed)
        self.triage.rules_ran.connect(lambda _given: self.recount())

    def set_query(self, text: str) -> None:
        """The window searched for ``text`` (what Save Search saves)."""
        self.query = text
        self.save_action.setEnabled(bool(text.strip()))

    @Slot()
    def recount(self) -> None:
        if self.library is not None and self.library.ready:
            saved_ops.count(self.library.tasks, self._on_saved_searches_counted).run()

    @Slot()
    def save_current(self) -> None:
        if self.library is None or not self.query.strip():
            return
        name = ask_name(self.window, self.query)
        if name is None or not name.strip():
            return
        saved_ops.save(self.library.tasks, name, self.query, self._on_search_saved).run()

    @Slot()
    def delete_selected(self) -> None:
        item = self.panel.current()
        if item is not None and self.library is not None:
            saved_ops.delete(self.library.tasks, item.search.id, lambda _none: self.recount()).run()

    @Slot()
    def toggle_rule(self) -> None:
        """Make the selected saved search label its matches (asks the label), or stop it."""
        item = self.panel.current()
        if item is None or self.triage is None:
            return
        if item.search.id in self.model.rules:
            self.triage.make_rule(item.search.id, "")  # the labels it gave stay
            return
        name = ask_rule_label(self.window, item.search.name)
        if name:
            self.triage.make_rule(item.search.id, name)

    def _update_rule_button(self, *_args: object) -> None:
        item = self.panel.current()
        ruled = item is not None and item.search.id in self.model.rules
        self.panel.rule_button.setText("Stop Labelling" if ruled else "Label Matches…")

    @Slot()
    def _on_triage_changed(self) -> None:
        if self.triage is not None:
            self.model.set_rules(self.triage.state.rules)
            self._update_rule_button()
        # Counting every saved search takes the search lane a while on a large corpus: only for
        # a Saved tab in view; one out of view is counted when it is shown.
        if self.panel.isVisible():
            self._recount_timer.start()
        else:
            self._stale = True

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        if self._stale and self.tabs.currentWidget() is self.panel:
            self._stale = False
            self.recount()

    def open(self, item: SavedSearchCount) -> None:
        """Search for the saved query and mark its matches seen."""
        if self.library is None:
            return
        self.search_requested.emit(item.search.query)
        saved_ops.mark_seen(self.library.tasks, item.search.id, lambda _seen: self.recount()).run()

    def _update_tab(self) -> None:
        new = self.model.total_new()
        index = self.tabs.indexOf(self.panel)
        self.tabs.setTabText(index, f"Saved ({new:,} new)" if new else "Saved")

    @Slot(object)
    def _on_panel_search_activated(self, item: SavedSearchCount) -> None:
        self.open(item)

    @Slot(object)
    def _on_library_sync_finished(self, _report: SyncReport) -> None:
        self.recount()

    def _on_search_saved(self, saved: SavedSearch) -> None:
        self.message.emit(f"Saved the search “{saved.query}” as “{saved.name}”")
        self.recount()

    def _on_saved_searches_counted(self, items: list[SavedSearchCount]) -> None:
        current = self.panel.current()
        self.model.set_items(items)
        self._update_tab()
        if current is not None:
            for row in range(self.model.rowCount()):
                found = self.model.item(row)
                if found is not None and found.search.id == current.search.id:
                    self.panel.view.setCurrentIndex(self.model.index(row))
