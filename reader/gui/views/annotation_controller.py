"""Bookmarks and highlights in the window: panels, actions, undo, export and import.

The controller turns what the user does (select and press H, click a highlight, Ctrl+D, a panel
row) into annotation changes, sends them to the library's worker, where each is committed at
once, and shows the result. It never touches SQLite itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMenu, QMessageBox, QTabWidget, QWidget

from reader.core.annotations import Annotation, new_bookmark, new_highlight, now
from reader.gui.operations import annotations as annotation_ops
from reader.gui.operations.annotations import Changed
from reader.gui.operations.articles import LoadedArticle
from reader.gui.tasks.library import Library
from reader.gui.views.annotation_panels import AnnotationListModel, AnnotationPanel
from reader.gui.views.note_dialog import NoteDialog
from reader.gui.views.reading_pane import HIGHLIGHT_LABELS, ReadingPane

if TYPE_CHECKING:
    from reader.core.index import SyncReport


def ask_note(parent: QWidget, title: str, initial: str = "") -> str | None:
    """Ask for a note; None when cancelled. (Tests replace this function.)"""
    dialog = NoteDialog(parent, title, initial)
    return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_tags(parent: QWidget, current: tuple[str, ...]) -> list[str] | None:
    """Ask for a highlight's tags, separated by commas; None when cancelled. (Tests replace it.)"""
    text, ok = QInputDialog.getText(
        parent, "Tags", "Tags (labels), separated by commas:", text=", ".join(current)
    )
    if not ok:
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


class AnnotationController(QObject):
    """Owns the annotation panels and actions of one window.

    Signals:
        open_requested(str path, int offset): open this article scrolled to ``offset``.
        message(str text, int ms): something to say in the status bar for ``ms`` milliseconds.
    """

    open_requested = Signal(str, int)
    message = Signal(str, int)

    def __init__(self, parent: QWidget, pane: ReadingPane, tabs: QTabWidget) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.pane = pane
        self.tabs = tabs
        self.library: Library | None = None
        self.model = AnnotationListModel(self)
        # Deleted annotations to restore, or (what was done, how to undo it) from other parts.
        self.undo_stack: list[Annotation | tuple[str, Callable[[], None]]] = []
        self._annotations: list[Annotation] = []
        self._outside = False  # the pane shows a file that is not in the corpus

        self.bookmarks = AnnotationPanel(
            self.model, "bookmark", None, "No bookmarks yet.\nCtrl+D bookmarks the open article."
        )
        self.highlights = AnnotationPanel(
            self.model,
            "highlight",
            "anchored",
            "No highlights yet.\nSelect text in an article and press H.",
            with_filter=True,
        )
        self.orphans = AnnotationPanel(
            self.model,
            "highlight",
            "orphaned",
            "No orphaned highlights.\n"
            "Highlights whose passage left its article are listed here, never dropped.",
        )
        self.reattach_button = self.orphans.add_button(
            "Re-attach to Selection", self.reattach_selected_orphan
        )
        self.orphans.add_button("Delete", self.delete_selected_orphan)
        for panel in (self.bookmarks, self.highlights, self.orphans):
            panel.annotation_activated.connect(self._on_panel_annotation_activated)
        tabs.addTab(self.bookmarks, "Bookmarks")
        tabs.addTab(self.highlights, "Highlights")
        tabs.addTab(self.orphans, "Orphaned")

        pane.highlight_requested.connect(self._on_pane_highlight_requested)
        pane.highlight_action_requested.connect(self._on_pane_highlight_action_requested)

        self.bookmark_action = QAction("&Bookmark", parent)
        self.bookmark_action.setCheckable(True)
        self.bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
        self.bookmark_action.setToolTip("Bookmark the open article (Ctrl+D)")
        self.bookmark_action.setEnabled(False)
        self.bookmark_action.triggered.connect(self.toggle_bookmark)
        self.bookmark_action.toggled.connect(
            lambda on: self.bookmark_action.setText("★ Bookmarked" if on else "☆ Bookmark")
        )
        self.bookmark_action.setText("☆ Bookmark")
        pane.article_cleared.connect(self.article_cleared)
        self.undo_action = QAction("&Undo", parent)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)

    def build_menu(self, menu: QMenu) -> None:
        # The menu's own item: a plain command (the star button beside the search bar shows the
        # state; a menu item with both a check box and a star said it twice).
        self.bookmark_menu_action = QAction("&Bookmark Article", self.parent_widget)
        self.bookmark_menu_action.setEnabled(self.bookmark_action.isEnabled())
        self.bookmark_menu_action.triggered.connect(self.bookmark_action.trigger)
        self.bookmark_action.enabledChanged.connect(self.bookmark_menu_action.setEnabled)
        self.bookmark_action.toggled.connect(
            lambda on: self.bookmark_menu_action.setText("Remove &Bookmark" if on else "&Bookmark Article")
        )
        self.bookmark_menu_action.setShortcut(self.bookmark_action.shortcut())
        self.bookmark_menu_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # shown, not bound
        menu.addAction(self.bookmark_menu_action)
        highlight = menu.addMenu("&Highlight Selection")
        for name, label in HIGHLIGHT_LABELS.items():
            act = highlight.addAction(label, self.pane.highlighter(name))
            if name == "yellow":
                act.setShortcut(QKeySequence("H"))
                act.setShortcutVisibleInContextMenu(True)
        menu.addAction(
            "Highlight with &Note…", lambda: self.pane.highlight_selection("yellow", with_note=True)
        )
        menu.addAction(self.undo_action)
        menu.addSeparator()
        menu.addAction("Export as &W3C Web Annotations…", lambda: self.export("w3c"))
        menu.addAction("Export as &Markdown…", lambda: self.export("markdown"))
        menu.addAction("&Import W3C Web Annotations…", self.import_file)

    def article_cleared(self) -> None:
        """Nothing is open (another folder, a deleted article): nothing to bookmark."""
        self.bookmark_action.setChecked(False)
        self.bookmark_action.setEnabled(False)

    def set_library(self, library: Library) -> None:
        self.library = library
        self.article_cleared()
        self._annotations = []
        self.undo_stack.clear()
        self.undo_action.setEnabled(False)
        self.model.set_annotations([])
        library.triage.tags_saved.connect(self.refresh)
        library.notice.connect(self._on_library_notice)
        library.index_opened.connect(self.refresh)
        library.sync_finished.connect(self._on_library_sync_finished)

    def refresh(self) -> None:
        """List the corpus's annotations again (after the index opened, or a sync changed any)."""
        if self.library is not None:
            annotation_ops.list_all(self.library.tasks, self._on_annotations_changed).run()

    def save(self, annotation: Annotation) -> None:
        """Create or replace an annotation; committed on the writer lane, then shown."""
        if self.library is not None:
            annotation_ops.save(self.library.tasks, annotation, self._on_annotations_changed).run()

    def update(self, annotation_id: str, **changes: object) -> None:
        if self.library is not None:
            annotation_ops.update(
                self.library.tasks, annotation_id, changes, self._on_annotations_changed
            ).run()

    def delete(self, annotation_id: str) -> None:
        if self.library is not None:
            annotation_ops.delete(self.library.tasks, annotation_id, self._on_annotations_changed).run()

    def export_to(self, fmt: str, target: Path) -> None:
        """Write the annotations to ``target`` ("w3c" or "markdown")."""
        if self.library is not None:
            annotation_ops.export(self.library.tasks, fmt, target, self._on_annotations_changed).run()

    def import_from(self, source: Path) -> None:
        """Add the W3C Web Annotations in ``source`` (all or nothing)."""
        if self.library is not None:
            annotation_ops.import_file(self.library.tasks, source, self._on_annotations_changed).run()

    # --- what the user does ----------------------------------------------------------

    def toggle_bookmark(self) -> None:
        article = self.pane.article
        # The star says what is saved, not what was clicked: it changes when the database has it
        # (the listing that follows a save or a delete).
        self.bookmark_action.setChecked(article is not None and self.bookmark_for(article.path) is not None)
        if self.library is None or article is None:
            return
        existing = self.bookmark_for(article.path)
        if existing is not None:
            self.delete(existing.id)
        else:
            date = article.date.isoformat() if article.date else None
            self.save(
                new_bookmark(
                    str(self.library.corpus), article.path, self.pane.reading_position(), article.title, date
                )
            )

    def bookmark_for(self, path: str) -> Annotation | None:
        return next((a for a in self._annotations if a.kind == "bookmark" and a.path == path), None)

    def push_undo(self, what: str, undo: Callable[[], None]) -> None:
        """Make ``undo`` the next thing Ctrl+Z does (``what`` was just done)."""
        self.undo_stack.append((what, undo))
        self.undo_action.setEnabled(True)
        self.message.emit(f"{what}. Ctrl+Z undoes it.", 8000)

    def undo_delete(self) -> None:
        """Ctrl+Z: bring back the last deleted annotation, or undo the last triage action."""
        if self.library is not None and self.undo_stack:
            item = self.undo_stack.pop()
            if isinstance(item, tuple):
                item[1]()
                message = f"Undone: {item[0]}."
            else:
                self.save(item)
                message = "Restored."
            self.undo_action.setEnabled(bool(self.undo_stack))
            self.message.emit(message, 4000)

    def reattach_selected_orphan(self) -> None:
        orphan = self.orphans.current()
        span = self.pane.selected_span()
        article = self.pane.article
        if self.library is None or orphan is None:
            return
        if span is None or article is None:
            self.message.emit("Select the passage in an article first, then re-attach.", 6000)
            return
        date = article.date.isoformat() if article.date else None
        self.save(
            orphan.attached(
                article.plain_text, *span, path=article.path, title=article.title, date=date, modified=now()
            )
        )

    def delete_selected_orphan(self) -> None:
        orphan = self.orphans.current()
        if self.library is not None and orphan is not None:
            self.delete(orphan.id)

    def export(self, fmt: str) -> None:
        if self.library is None:
            return
        suffix, kind = (
            (".jsonld", "W3C Web Annotations (*.jsonld *.json)")
            if fmt == "w3c"
            else (".md", "Markdown (*.md)")
        )
        start = str(Path.home() / f"annotations{suffix}")
        target, _ = QFileDialog.getSaveFileName(self.parent_widget, "Export annotations", start, kind)
        if target:
            self.export_to(fmt, Path(target))

    def import_file(self) -> None:
        if self.library is None:
            return
        source, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            "Import annotations",
            str(Path.home()),
            "W3C Web Annotations (*.jsonld *.json)",
        )
        if source:
            self.import_from(Path(source))

    def show_highlights(self, text: str) -> None:
        """The ``in:highlights`` search scope: the Highlights panel, filtered by words and by
        ``label:TAG`` (``label:"two words"``)."""
        self.tabs.setCurrentWidget(self.highlights)
        tag = re.search(r'(?<![\w:])label:(?:"([^"]*)"|(\S+))', text, re.I)
        if tag is None:
            self.highlights.set_filter(text, "")
            return
        words = (text[: tag.start()] + " " + text[tag.end() :]).strip()
        self.highlights.set_filter(words, tag[1] if tag[1] is not None else tag[2])

    # --- showing ---------------------------------------------------------------------

    def article_shown(self, loaded: LoadedArticle) -> None:
        self._outside = loaded.outside
        self.bookmark_action.setEnabled(not loaded.outside)
        self.bookmark_action.setChecked(loaded.bookmark is not None)

    def _update_tabs(self) -> None:
        counts = {"bookmark": 0, "anchored": 0, "orphaned": 0}
        for a in self._annotations:
            counts["bookmark" if a.kind == "bookmark" else a.state] += 1
        for panel, label, n in (
            (self.bookmarks, "Bookmarks", counts["bookmark"]),
            (self.highlights, "Highlights", counts["anchored"]),
            (self.orphans, "Orphaned", counts["orphaned"]),
        ):
            index = self.tabs.indexOf(panel)
            self.tabs.setTabText(index, f"{label} ({n})" if n else label)
            self.tabs.setTabToolTip(index, f"{label}: {n}")  # whole, when a narrow window elides

    # --- slots -----------------------------------------------------------------------

    @Slot(int, int, str, bool)
    def _on_pane_highlight_requested(self, start: int, end: int, color: str, with_note: bool) -> None:
        article = self.pane.article
        if self.library is None or article is None:
            return
        if self._outside:
            self.message.emit("This file is not in the corpus: open its folder to highlight it.", 6000)
            return
        note = ""
        if with_note:
            answer = ask_note(self.parent_widget, "Highlight with note")
            if answer is None:
                return
            note = answer
        date = article.date.isoformat() if article.date else None
        highlight = new_highlight(
            str(self.library.corpus),
            article.path,
            article.plain_text,
            start,
            end,
            color,
            note,
            article.title,
            date,
        )
        self.pane.set_highlights([*self.pane.highlights, highlight])
        self.save(highlight)

    @Slot(object, str)
    def _on_pane_highlight_action_requested(self, highlight: Annotation, action: str) -> None:
        if self.library is None:
            return
        if action == "delete":
            self.delete(highlight.id)
        elif action == "note":
            answer = ask_note(self.parent_widget, "Edit note", highlight.note)
            if answer is not None:
                self.update(highlight.id, note=answer)
        elif action == "tags":
            tags = ask_tags(self.parent_widget, highlight.tags)
            if tags is not None and self.library is not None:
                self.library.triage.set_tags(highlight.id, tags)
        else:
            self.update(highlight.id, color=action)

    @Slot(object)
    def _on_panel_annotation_activated(self, annotation: Annotation) -> None:
        if annotation.state == "orphaned":
            self.message.emit(
                "This passage is no longer in its article; select it again and use Re-attach.", 8000
            )
        self.open_requested.emit(annotation.path, annotation.start)

    def _on_annotations_changed(self, changed: Changed) -> None:
        if changed.saved is not None and changed.saved.kind == "bookmark":
            self.message.emit("Bookmarked.", 3000)
        if changed.deleted is not None:
            self.undo_stack.append(changed.deleted)
            self.undo_action.setEnabled(True)
            what = "Bookmark removed" if changed.deleted.kind == "bookmark" else "Highlight deleted"
            self.message.emit(f"{what}. Ctrl+Z undoes it.", 8000)
        if changed.message:
            self.message.emit(changed.message, 10000)
        items = changed.annotations
        self._annotations = list(items)
        self.model.set_annotations(items)
        self._update_tabs()
        article = self.pane.article
        if article is not None:
            self.bookmark_action.setChecked(self.bookmark_for(article.path) is not None)
            self.pane.set_highlights(
                [
                    a
                    for a in items
                    if a.kind == "highlight" and a.state == "anchored" and a.path == article.path
                ]
            )

    @Slot(object)
    def _on_library_sync_finished(self, report: SyncReport) -> None:
        if report.changed or report.rebuilt:
            self.refresh()  # re-anchored or orphaned by the sync

    @Slot(str)
    def _on_library_notice(self, message: str) -> None:
        self.message.emit(message, 10000)
        if "database" in message:
            box = QMessageBox(QMessageBox.Icon.Warning, "Corpus Reader", message, parent=self.parent_widget)
            box.open()
