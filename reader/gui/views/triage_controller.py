"""Triage in the window: unread rows in bold, label chips, the unread count, the keys and menus
for read state and labels, and marking an article read once it has been shown for a moment.

The state and its writes live in ``Library.triage`` (``triage.py``); this controller only turns
what the user does into its calls and keeps the list, header and title in step with it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPoint, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.annotations import AnnotationError
from reader.core.marks import Label, clean_name
from reader.gui.operations.triage import count_unread
from reader.gui.tasks.triage import Triage
from reader.gui.views.article_list import ArticleListModel, PathRole
from reader.gui.views.reading_pane import ReadingPane

if TYPE_CHECKING:
    from reader.gui.tasks.library import Library

#: How long an article is shown before it counts as read, by default (a setting: triage/mark_read_ms).
MARK_READ_MS = 1000
MARK_READ_CHOICES = (
    (0, "At Once"),
    (1000, "After 1 Second"),
    (3000, "After 3 Seconds"),
    (-1, "Never (M Marks It)"),
)

UndoPush = Callable[[str, Callable[[], None]], None]  # (what was done, how to undo it)


def ask_label(parent: QWidget, title: str = "New Label") -> str | None:
    """Ask for a label name; None when cancelled. (Tests replace this function.)"""
    text, ok = QInputDialog.getText(parent, title, "Label name:", QLineEdit.EchoMode.Normal, "")
    return text if ok and text.strip() else None


def chips_html(labels: list[Label]) -> str:
    """Labels as coloured chips, for rich-text labels (the reading pane's header)."""
    return " ".join(
        f'<span style="background-color:{label.css}; color:#ffffff;">'
        f"&nbsp;{html.escape(label.name)}&nbsp;</span>"
        for label in labels
    )


class TriageController(QObject):
    """Read state and labels for the list and the reading pane.

    Signals:
        counts_changed(): the unread count of what is listed changed (``unread`` holds it).
        message(str text, int ms): something to say in the status bar for ``ms`` milliseconds.
    """

    counts_changed = Signal()
    message = Signal(str, int)

    def __init__(
        self,
        window: QWidget,
        list_view: QListView,
        model: ArticleListModel,
        pane: ReadingPane,
        settings: QSettings,
        push_undo: UndoPush,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.list_view = list_view
        self.model = model
        self.pane = pane
        self.settings = settings
        self.push_undo = push_undo
        self.triage: Triage | None = None
        self.library: Library | None = None
        self.unread: int | None = None  # of what is listed (all of it, not just loaded rows)
        self._query = ""
        self._shown: str | None = None  # the article waiting to count as read
        self._counted_by_delta = False

        self.unread_label = QLabel("", window)
        self.unread_label.setObjectName("unreadCount")
        self.unread_label.setAccessibleName("Unread articles listed")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

        def make(text: str, keys: str | None, slot: Callable[[], object], tip: str = "") -> QAction:
            act = QAction(text, window)
            if keys:
                act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if tip:
                act.setToolTip(tip)
            act.triggered.connect(slot)
            window.addAction(act)
            return act

        self.toggle_read_action = make("Toggle &Read", "M", self.toggle_read, "Mark read or unread (M)")
        self.next_unread_action = make("&Next Unread", "N", lambda: self.go_to_unread(1))
        self.previous_unread_action = make("Pre&vious Unread", "Shift+N", lambda: self.go_to_unread(-1))
        self.space_action = make("Scroll or Next Unread", "Space", self.space)
        self.mark_all_action = make("Mark &All Listed as Read", "Shift+A", self.mark_all_listed_read)
        self.label_action = make("&Label Selection…", "L", self.popup_label_menu)
        list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        list_view.customContextMenuRequested.connect(self._on_list_context_menu_requested)

    def build_menu(self, go: QMenu) -> None:
        """The triage entries of the Go menu."""
        go.addSeparator()
        for act in (self.next_unread_action, self.previous_unread_action, self.toggle_read_action):
            go.addAction(act)
        go.addAction(self.mark_all_action)
        go.addAction(self.label_action)
        when = go.addMenu("Mark Read &When Shown")
        group = QActionGroup(when)
        current = self.mark_read_ms()
        for ms, text in MARK_READ_CHOICES:
            act = when.addAction(text)
            act.setCheckable(True)
            act.setChecked(ms == current)
            act.triggered.connect(
                lambda _checked=False, value=ms: self.settings.setValue("triage/mark_read_ms", value)
            )
            group.addAction(act)

    def attach_orphans(self, panel: QWidget) -> None:
        """Below the orphaned highlights: labels kept on articles that were deleted, to remove."""
        self.orphans_box = QWidget(panel)
        box = QVBoxLayout(self.orphans_box)
        box.setContentsMargins(0, 8, 0, 0)
        box.addWidget(QLabel("Labels kept on deleted articles:", self.orphans_box))
        # Few rows (labels on articles that are gone): an item widget is enough here.
        self.orphan_list = QListWidget(self.orphans_box)
        self.orphan_list.setAccessibleName("Labels on deleted articles")
        self.orphan_list.setMaximumHeight(140)
        box.addWidget(self.orphan_list)
        remove = QPushButton("Remove Label", self.orphans_box)
        remove.clicked.connect(self.remove_selected_orphan_label)
        box.addWidget(remove)
        layout = panel.layout()
        if layout is not None:
            layout.addWidget(self.orphans_box)
        self.orphans_box.hide()

    def remove_selected_orphan_label(self) -> None:
        item = self.orphan_list.currentItem() if hasattr(self, "orphan_list") else None
        if item is None or self.triage is None:
            return
        name, path = item.data(Qt.ItemDataRole.UserRole)
        self.triage.remove_label(name, [path])
        self.triage.reload()

    def _fill_orphans(self) -> None:
        if not hasattr(self, "orphan_list") or self.triage is None:
            return
        orphans = self.triage.state.orphans
        self.orphan_list.clear()
        for o in orphans:
            item = QListWidgetItem(f"{o.label.name} — {o.title or o.path}  ({o.path})")
            item.setData(Qt.ItemDataRole.UserRole, (o.label.name, o.path))
            self.orphan_list.addItem(item)
        self.orphans_box.setVisible(bool(orphans))

    def mark_read_ms(self) -> int:
        try:
            return int(str(self.settings.value("triage/mark_read_ms", MARK_READ_MS)))
        except (TypeError, ValueError):
            return MARK_READ_MS

    def set_library(self, library: Library) -> None:
        self.library = library
        self.triage = library.triage
        self.triage.paths_ready.connect(self._on_triage_paths_ready)
        self.triage.changed.connect(self._on_triage_changed)
        self.triage.read_changed.connect(self._on_triage_read_changed)
        self.triage.bulk_done.connect(self._on_triage_bulk_done)
        self.triage.rules_ran.connect(self._on_triage_rules_ran)
        self.model.set_marks(self.triage)
        self.unread = None
        self._update_label()

    # --- what the window tells ---------------------------------------------------------------

    def listed(self, query: str, unread: int | None) -> None:
        """The list shows new rows: all articles (``unread`` None: counted here) or a search's
        first page (``unread`` of all its matches, counted by the search; None while the
        search could not count it yet: no count shown)."""
        self._query = query
        if unread is None and not query and self.triage is not None:
            unread = self.triage.unread_among(self.model.paths())
        self.unread = unread
        self._update_label()

    def article_shown(self, path: str | None) -> None:
        """An article of the corpus (``path``; None: nothing, or a file outside it) is shown."""
        self._timer.stop()
        self._shown = path
        self._show_chips()
        delay = self.mark_read_ms()
        if path is not None and delay >= 0 and self.triage is not None and not self.triage.is_read(path):
            self._timer.start(delay)

    # --- what the user does --------------------------------------------------------------------

    def selected_paths(self) -> list[str]:
        """The selected rows' articles in list order; else the open article."""
        rows = sorted(i.row() for i in self.list_view.selectionModel().selectedRows())
        paths = [p for p in (self.model.path_at(r) for r in rows) if p is not None]
        if not paths and self.pane.article is not None and self._shown is not None:
            paths = [self._shown]
        return paths

    def toggle_read(self) -> None:
        """Mark the selection (or the open article) read, or unread if all of it is read."""
        paths = self.selected_paths()
        if self.triage is None or not paths:
            return
        read = not all(self.triage.is_read(p) for p in paths)
        if not read and self._shown in paths:
            self._timer.stop()  # the user wants it unread: do not mark it read again
        changed = self.triage.set_read(paths, read)
        if len(changed) > 1:
            state = "read" if read else "unread"
            self.push_undo(
                f"{len(changed):,} articles marked {state}", lambda: self._set_read(changed, not read)
            )

    def _set_read(self, paths: list[str], read: bool) -> None:
        if self.triage is not None:
            self.triage.set_read(paths, read)

    def go_to_unread(self, step: int) -> bool:
        """Open the next (``step`` 1) or previous (-1) unread article of the list."""
        if self.triage is None:
            return False
        current = self.list_view.currentIndex().row()
        n = self.model.rowCount()
        row = current + step if current >= 0 else (0 if step > 0 else n - 1)
        while 0 <= row < n:
            path = self.model.path_at(row)
            if path is not None and not self.triage.is_read(path):
                index = self.model.index(row)
                self.list_view.setCurrentIndex(index)
                self.list_view.scrollTo(index)
                return True
            row += step
        if step > 0 and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
            self._say("Loading more of the list…")
        else:
            self._say("No more unread articles in the list.")
        return False

    def space(self) -> None:
        """Scroll the article a page; at its end, open the next unread article."""
        bar = self.pane.view.verticalScrollBar()
        if self.pane.article is not None and bar.value() < bar.maximum():
            bar.setValue(min(bar.maximum(), bar.value() + max(1, int(bar.pageStep() * 0.9))))
            return
        if self._shown is not None and self.triage is not None:
            self._timer.stop()
            self.triage.set_read([self._shown])
        self.go_to_unread(1)

    def mark_all_listed_read(self) -> None:
        """Go ▸ Mark All Listed as Read: every article listed (every match of the search, not
        only the rows loaded so far); Ctrl+Z marks them unread again."""
        if self.triage is None:
            return
        if self._query or not self.model.all_loaded():
            self.triage.set_query_read(self._query, True, "listed")
            return
        changed = self.triage.set_read(self.model.paths(), True)
        self._after_mark_all(changed)

    def _after_mark_all(self, changed: list[str]) -> None:
        if not changed:
            self._say("Everything listed was read already.")
            return
        self.push_undo(
            f"{len(changed):,} article{'s' if len(changed) != 1 else ''} marked read",
            lambda: self._set_read(changed, False),
        )

    def apply_label(self, name: str, paths: list[str] | None = None) -> list[str]:
        """Put the label ``name`` on the selection (Ctrl+Z takes it off again)."""
        if self.triage is None:
            return []
        paths = self.selected_paths() if paths is None else paths
        try:
            changed = self.triage.add_label(name, paths, self._info(paths))
        except AnnotationError as exc:
            self._say(f"Not labelled: {exc}")
            return []
        if changed:
            label = clean_name(name)
            self.push_undo(
                f"“{label}” put on {len(changed):,} article{'s' if len(changed) != 1 else ''}",
                lambda: self._remove(label, changed),
            )
        self._show_chips()
        return changed

    def remove_label(self, name: str, paths: list[str] | None = None) -> list[str]:
        """Take the label ``name`` off the selection (Ctrl+Z puts it back)."""
        if self.triage is None:
            return []
        paths = self.selected_paths() if paths is None else paths
        changed = self.triage.remove_label(name, paths)
        if changed:
            self.push_undo(
                f"“{name}” taken off {len(changed):,} article{'s' if len(changed) != 1 else ''}",
                lambda: self._add(name, changed),
            )
        self._show_chips()
        return changed

    def _add(self, name: str, paths: list[str]) -> None:
        if self.triage is not None:
            self.triage.add_label(name, paths, self._info(paths))
            self._show_chips()

    def _remove(self, name: str, paths: list[str]) -> None:
        if self.triage is not None:
            self.triage.remove_label(name, paths)
            self._show_chips()

    def _info(self, paths: list[str]) -> dict[str, tuple[str, str | None]]:
        """Titles of the labelled articles, kept in case an article is deleted later."""
        out: dict[str, tuple[str, str | None]] = {}
        for path in paths:
            row = self.model.row_of(path)
            if row >= 0:
                out[path] = (str(self.model.index(row).data() or ""), None)
        return out

    def label_menu(self, parent: QWidget) -> QMenu:
        """Labels for the selection: each label checked if every selected article has it."""
        menu = QMenu("&Labels", parent)
        paths = self.selected_paths()
        labels = self.triage.state.labels if self.triage is not None else []
        for label in labels:
            has = (
                [p for p in paths if any(x.name == label.name for x in self.triage.labels_of(p))]
                if self.triage
                else []
            )
            act = menu.addAction(label.name)
            act.setCheckable(True)
            act.setChecked(bool(paths) and len(has) == len(paths))
            if paths and len(has) == len(paths):
                act.triggered.connect(lambda _c=False, n=label.name: self.remove_label(n))
            else:
                act.triggered.connect(lambda _c=False, n=label.name: self.apply_label(n))
        if labels:
            menu.addSeparator()
        new = menu.addAction("&New Label…")
        new.triggered.connect(self._on_new_label_triggered)
        new.setEnabled(bool(paths))
        menu.addSeparator()
        read = menu.addAction("Mark &Read")
        read.triggered.connect(lambda: self._mark_selection(True))
        unread = menu.addAction("Mark &Unread")
        unread.triggered.connect(lambda: self._mark_selection(False))
        return menu

    def popup_label_menu(self) -> None:
        """L: the label menu at the current row."""
        index = self.list_view.currentIndex()
        rect = self.list_view.visualRect(index) if index.isValid() else self.list_view.rect()
        self.label_menu(self.list_view).popup(self.list_view.viewport().mapToGlobal(rect.center()))

    def _mark_selection(self, read: bool) -> None:
        if self.triage is None:
            return
        paths = self.selected_paths()
        if not read and self._shown in paths:
            self._timer.stop()
        changed = self.triage.set_read(paths, read)
        if len(changed) > 1:
            state = "read" if read else "unread"
            self.push_undo(
                f"{len(changed):,} articles marked {state}", lambda: self._set_read(changed, not read)
            )

    # --- showing -------------------------------------------------------------------------------

    def _show_chips(self) -> None:
        labels = self.triage.labels_of(self._shown) if self.triage is not None and self._shown else []
        self.pane.show_labels(chips_html(labels) if labels else "")

    def _update_label(self) -> None:
        n = self.unread
        self.unread_label.setText(f"{n:,} unread" if n else "")
        self.unread_label.setVisible(bool(n))
        self.counts_changed.emit()

    def _say(self, message: str) -> None:
        self.message.emit(message, 6000)

    # --- slots ---------------------------------------------------------------------------------

    @Slot()
    def _on_timer_timeout(self) -> None:
        article = self.pane.article
        if (
            self.triage is not None
            and self._shown is not None
            and article is not None
            and article.path == self._shown
        ):
            self.triage.set_read([self._shown])

    @Slot()
    def _on_triage_changed(self) -> None:
        self.model.marks_changed()
        self._fill_orphans()
        counted, self._counted_by_delta = self._counted_by_delta, False
        full = not self._query and self.model.all_loaded()
        if full and not counted and self.triage is not None:
            # A new snapshot (after a sync, say): count the whole list again.
            self.unread = self.triage.unread_among(self.model.paths())
            self._update_label()
        self._show_chips()

    @Slot(object, bool)
    def _on_triage_read_changed(self, paths: list[str], read: bool) -> None:
        if self.unread is None:
            return
        # Articles marked here are rows of the list (or of the search's matches): the count
        # moves by them, without walking 100,000 rows for every article read.
        self._counted_by_delta = True
        listed = sum(1 for p in paths if self.model.row_of(p) >= 0)
        self.unread = max(0, self.unread - listed if read else self.unread + listed)
        self._update_label()

    @Slot(str, object)
    def _on_triage_bulk_done(self, what: str, paths: list[str]) -> None:
        if what == "listed":
            if self.unread is not None and self._query:
                self.unread = max(0, self.unread - len(paths))
                self._update_label()
            self._after_mark_all(paths)

    @Slot()
    def _on_triage_paths_ready(self) -> None:
        # A large corpus: the search listed came before its unread count could be had cheaply.
        if self.library is not None and self._query and self.unread is None:
            query = self._query
            count_unread(self.library.tasks, query, lambda n: self._on_unread_counted(query, n)).run()

    def _on_unread_counted(self, query: str, unread: int | None) -> None:
        if query == self._query and self.unread is None and unread is not None:
            self.unread = unread
            self._update_label()

    @Slot(object)
    def _on_triage_rules_ran(self, given: dict[str, int]) -> None:
        done = [f"“{name}” on {n:,} article{'s' if n != 1 else ''}" for name, n in given.items() if n]
        self._say("Rules put " + ", ".join(done) + "." if done else "Rules: no new matches.")

    @Slot()
    def _on_new_label_triggered(self) -> None:
        name = ask_label(self.window)
        if name:
            self.apply_label(name)

    @Slot(QPoint)
    def _on_list_context_menu_requested(self, pos: QPoint) -> None:
        index = self.list_view.indexAt(pos)
        if index.isValid() and not self.list_view.selectionModel().isSelected(index):
            self.list_view.setCurrentIndex(index)
        self.label_menu(self.list_view).popup(self.list_view.viewport().mapToGlobal(pos))


__all__ = ["MARK_READ_MS", "PathRole", "TriageController", "ask_label", "chips_html"]
