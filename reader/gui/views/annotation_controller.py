"""Bookmarks and highlights in the window: panels, actions, undo, export and import.

The controller turns what the user does (select and press H, click a highlight, Ctrl+D, a panel
row) into annotation changes, sends them to the library's worker, where each is committed at
once, and shows the result. It never touches SQLite itself.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QTabWidget, QWidget

from reader.core.anchoring import quote_at, text_hash
from reader.core.annotations import Annotation, new_bookmark, new_highlight, now
from reader.gui.tasks.library import Library, LoadedArticle
from reader.gui.views.annotation_panels import AnnotationListModel, AnnotationPanel
from reader.gui.views.reading_pane import HIGHLIGHT_LABELS, ReadingPane

if TYPE_CHECKING:
    from reader.gui.window.main_window import MainWindow


def ask_note(parent: QWidget, title: str, initial: str = "") -> str | None:
    """Ask for a note; None when cancelled. (Tests replace this function.)"""
    text, ok = QInputDialog.getMultiLineText(parent, title, "Note:", initial)
    return text if ok else None


class AnnotationController(QObject):
    """Owns the annotation panels and actions of one window.

    Signals:
        open_requested(str path, int offset): open this article scrolled to ``offset``.
    """

    open_requested = Signal(str, int)

    def __init__(self, window: MainWindow, pane: ReadingPane, tabs: QTabWidget) -> None:
        super().__init__(window)
        self.window = window
        self.pane = pane
        self.tabs = tabs
        self.library: Library | None = None
        self.model = AnnotationListModel(self)
        self.undo_stack: list[Annotation] = []
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

        self.bookmark_action = QAction("&Bookmark", window)
        self.bookmark_action.setCheckable(True)
        self.bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
        self.bookmark_action.setToolTip("Bookmark the open article (Ctrl+D)")
        self.bookmark_action.setEnabled(False)
        self.bookmark_action.triggered.connect(self.toggle_bookmark)
        self.bookmark_action.toggled.connect(
            lambda on: self.bookmark_action.setText("★ Bookmarked" if on else "☆ Bookmark")
        )
        self.bookmark_action.setText("☆ Bookmark")
        self.undo_action = QAction("&Undo Delete", window)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)

    def build_menu(self, menu: QMenu) -> None:
        # The menu's own item: a plain command (the star button beside the search bar shows the
        # state; a menu item with both a check box and a star said it twice).
        self.bookmark_menu_action = QAction("&Bookmark Article", self.window)
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

    def set_library(self, library: Library) -> None:
        self.library = library
        self.undo_stack.clear()
        self.undo_action.setEnabled(False)
        self.model.set_annotations([])
        library.annotations_listed.connect(self._on_library_annotations_listed)
        library.annotation_saved.connect(self._on_library_annotation_saved)
        library.annotation_deleted.connect(self._on_library_annotation_deleted)
        library.notice.connect(self._on_library_notice)

    # --- what the user does ----------------------------------------------------------

    def toggle_bookmark(self) -> None:
        article = self.pane.article
        if self.library is None or article is None:
            return
        existing = self.bookmark_for(article.path)
        if existing is not None:
            self.library.delete_annotation(existing.id)
        else:
            date = article.date.isoformat() if article.date else None
            self.library.save_annotation(
                new_bookmark(
                    str(self.library.corpus), article.path, self.pane.reading_position(), article.title, date
                )
            )

    def bookmark_for(self, path: str) -> Annotation | None:
        return next((a for a in self._annotations if a.kind == "bookmark" and a.path == path), None)

    def undo_delete(self) -> None:
        if self.library is not None and self.undo_stack:
            self.library.save_annotation(self.undo_stack.pop())
            self.undo_action.setEnabled(bool(self.undo_stack))
            self.window.statusBar().showMessage("Restored.", 4000)

    def reattach_selected_orphan(self) -> None:
        orphan = self.orphans.current()
        span = self.pane.selected_span()
        article = self.pane.article
        if self.library is None or orphan is None:
            return
        if span is None or article is None:
            self.window.statusBar().showMessage(
                "Select the passage in an article first, then re-attach.", 6000
            )
            return
        text = article.plain_text
        q = quote_at(text, *span)
        date = article.date.isoformat() if article.date else None
        self.library.save_annotation(
            replace(
                orphan,
                path=article.path,
                exact=q.exact,
                prefix=q.prefix,
                suffix=q.suffix,
                start=span[0],
                end=span[1],
                text_hash=text_hash(text),
                state="anchored",
                title=article.title,
                date=date,
                modified=now(),
            )
        )

    def delete_selected_orphan(self) -> None:
        orphan = self.orphans.current()
        if self.library is not None and orphan is not None:
            self.library.delete_annotation(orphan.id)

    def export(self, fmt: str) -> None:
        if self.library is None:
            return
        suffix, kind = (
            (".jsonld", "W3C Web Annotations (*.jsonld *.json)")
            if fmt == "w3c"
            else (".md", "Markdown (*.md)")
        )
        start = str(Path.home() / f"annotations{suffix}")
        target, _ = QFileDialog.getSaveFileName(self.window, "Export annotations", start, kind)
        if target:
            self.library.export_annotations(fmt, Path(target))

    def import_file(self) -> None:
        if self.library is None:
            return
        source, _ = QFileDialog.getOpenFileName(
            self.window, "Import annotations", str(Path.home()), "W3C Web Annotations (*.jsonld *.json)"
        )
        if source:
            self.library.import_annotations(Path(source))

    def show_highlights(self, text: str) -> None:
        """The ``in:highlights`` search scope: the Highlights panel, filtered."""
        self.tabs.setCurrentWidget(self.highlights)
        self.highlights.set_filter(text)

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
            self.tabs.setTabText(self.tabs.indexOf(panel), f"{label} ({n})" if n else label)

    # --- slots -----------------------------------------------------------------------

    @Slot(int, int, str, bool)
    def _on_pane_highlight_requested(self, start: int, end: int, color: str, with_note: bool) -> None:
        article = self.pane.article
        if self.library is None or article is None:
            return
        if self._outside:
            self.window.statusBar().showMessage(
                "This file is not in the corpus: open its folder to highlight it.", 6000
            )
            return
        note = ""
        if with_note:
            answer = ask_note(self.window, "Highlight with note")
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
        self.library.save_annotation(highlight)

    @Slot(object, str)
    def _on_pane_highlight_action_requested(self, highlight: Annotation, action: str) -> None:
        if self.library is None:
            return
        if action == "delete":
            self.library.delete_annotation(highlight.id)
        elif action == "note":
            answer = ask_note(self.window, "Edit note", highlight.note)
            if answer is not None:
                self.library.update_annotation(highlight.id, note=answer)
        else:
            self.library.update_annotation(highlight.id, color=action)

    @Slot(object)
    def _on_panel_annotation_activated(self, annotation: Annotation) -> None:
        if annotation.state == "orphaned":
            self.window.statusBar().showMessage(
                "This passage is no longer in its article; select it again and use Re-attach.", 8000
            )
        self.open_requested.emit(annotation.path, annotation.start)

    @Slot(object)
    def _on_library_annotations_listed(self, items: list[Annotation]) -> None:
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
    def _on_library_annotation_saved(self, annotation: Annotation) -> None:
        if annotation.kind == "bookmark":
            self.window.statusBar().showMessage("Bookmarked.", 3000)

    @Slot(object)
    def _on_library_annotation_deleted(self, annotation: Annotation) -> None:
        self.undo_stack.append(annotation)
        self.undo_action.setEnabled(True)
        what = "Bookmark removed" if annotation.kind == "bookmark" else "Highlight deleted"
        self.window.statusBar().showMessage(f"{what}. Ctrl+Z undoes it.", 8000)

    @Slot(str)
    def _on_library_notice(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10000)
        if "database" in message:
            box = QMessageBox(QMessageBox.Icon.Warning, "Corpus Reader", message, parent=self.window)
            box.open()
