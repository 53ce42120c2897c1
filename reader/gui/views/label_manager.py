"""Managing labels in the window: rename (merging onto an existing name, after asking), recolour
and delete (after asking, undone by Ctrl+Z), from the Labels dialog (Go ▸ Manage Labels…) or
the context menu of a label in the Labels facet and the dialog.

The writes go through ``Library.triage`` (``tasks/triage.py``) to the writer lane; this module
only asks the user and says what was done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.marks import LABEL_COLORS, Label
from reader.gui.tasks.triage import Triage

if TYPE_CHECKING:
    from reader.core.label_changes import DeletedLabel, Renamed

UndoPush = Callable[[str, Callable[[], None]], None]


def ask_new_name(parent: QWidget, label: Label) -> str | None:
    """Ask for a label's new name; None when cancelled. (Tests replace this function.)"""
    text, ok = QInputDialog.getText(
        parent, "Rename Label", f"Rename “{label.name}” to:", QLineEdit.EchoMode.Normal, label.name
    )
    return text if ok and text.strip() else None


def ask_color(parent: QWidget, label: Label) -> str | None:
    """Ask for a colour (#rrggbb); None when cancelled. (Tests replace this function.)"""
    chosen = QColorDialog.getColor(QColor(label.css), parent, f"Colour of “{label.name}”")
    return chosen.name() if chosen.isValid() else None


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask the user to confirm ``text``. (Tests replace this function.)"""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def swatch(label: Label, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(label.css))
    return QIcon(pixmap)


class LabelManager(QObject):
    """Rename, recolour and delete labels: asks, then hands the change to ``Triage``.

    Signals:
        message(str text, int ms): what was done, for the status bar.
    """

    message = Signal(str, int)

    def __init__(self, window: QWidget, push_undo: UndoPush, undo_action: QAction | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.push_undo = push_undo
        self.undo_action = undo_action  # Ctrl+Z works in the Labels dialog too
        self.triage: Triage | None = None
        self.dialog: LabelsDialog | None = None

    def set_triage(self, triage: Triage) -> None:
        self.triage = triage
        triage.label_renamed.connect(self._on_triage_label_renamed)
        triage.label_deleted.connect(self._on_triage_label_deleted)
        triage.label_restored.connect(self._on_triage_label_restored)
        triage.changed.connect(self._on_triage_changed)

    def label(self, name: str) -> Label | None:
        return self.triage.label_named(name) if self.triage is not None else None

    def reach_text(self, label: Label) -> str:
        """ "12 articles and 3 highlights": what the label is on now (from the mirror)."""
        count = self.triage.state.counts.get(label.name.casefold()) if self.triage is not None else None
        articles = count.articles if count is not None else 0
        highlights = count.highlights if count is not None else 0
        return (
            f"{articles:,} article{'s' if articles != 1 else ''} and "
            f"{highlights:,} highlight{'s' if highlights != 1 else ''}"
        )

    def rules_of(self, label: Label) -> int:
        """How many rules (saved searches) give the label."""
        if self.triage is None:
            return 0
        return sum(1 for n in self.triage.state.rules.values() if n.casefold() == label.name.casefold())

    # --- what the user asks ------------------------------------------------------------------

    def rename(self, name: str) -> None:
        label = self.label(name)
        if label is None or self.triage is None:
            return
        new = ask_new_name(self.window, label)
        if new is None or new.strip() == label.name:
            return
        existing = self.triage.label_named(new)
        if existing is not None and existing.name.casefold() != label.name.casefold():
            text = (
                f"A label “{existing.name}” exists. Merge “{label.name}” into it? Its "
                f"{self.reach_text(label)} will carry “{existing.name}” (in its colour), and "
                f"“{label.name}” is gone."
            )
            if not confirm(self.window, "Merge Labels", text):
                return
        self.triage.rename_label(label.name, new)

    def recolor(self, name: str, color: str | None = None) -> None:
        label = self.label(name)
        if label is None or self.triage is None:
            return
        chosen = color if color is not None else ask_color(self.window, label)
        if chosen:
            self.triage.recolor_label(label.name, chosen)

    def delete(self, name: str) -> None:
        label = self.label(name)
        if label is None or self.triage is None:
            return
        text = f"Delete the label “{label.name}”? It is taken off {self.reach_text(label)}."
        rules = self.rules_of(label)
        if rules:
            which = "The rule" if rules == 1 else f"The {rules} rules"
            text += f" {which} giving it stop (the saved searches stay)."
        text += " Ctrl+Z brings it back."
        if confirm(self.window, "Delete Label", text):
            self.triage.delete_label(label.name)

    def menu_for(self, name: str, parent: QWidget) -> QMenu:
        """Rename…, Colour ▸, Delete… for the label ``name``."""
        menu = QMenu(parent)
        menu.addAction("&Rename…", lambda: self.rename(name))
        colours = menu.addMenu("&Colour")
        current = self.label(name)
        for color in LABEL_COLORS:
            act = QAction(swatch(Label(0, color, color)), color, colours)
            act.triggered.connect(lambda _checked=False, c=color: self.recolor(name, c))
            colours.addAction(act)
            act.setCheckable(True)
            act.setChecked(current is not None and current.color == color)
        colours.addSeparator()
        colours.addAction("&Other…", lambda: self.recolor(name))
        menu.addSeparator()
        menu.addAction("&Delete…", lambda: self.delete(name))
        return menu

    def show_dialog(self) -> LabelsDialog:
        """Go ▸ Manage Labels…: the labels with their colours and counts."""
        if self.dialog is None:
            self.dialog = LabelsDialog(self, self.window)
        self.dialog.refill()
        self.dialog.show()
        self.dialog.activateWindow()
        return self.dialog

    # --- answers -----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.emit(text, 10000)

    @Slot(object)
    def _on_triage_label_renamed(self, done: Renamed) -> None:
        if done.merged:
            text = f"Merged “{done.old_name}” into “{done.label.name}”: {done.reach.describe()}"
        else:
            text = f"Renamed “{done.old_name}” to “{done.label.name}”: {done.reach.describe()}"
        n = len(done.reach.queries)
        if n:
            text += f"; {n:,} saved search{'es' if n != 1 else ''} now say label:{done.label.name}"
        self._say(text + ".")

    @Slot(object)
    def _on_triage_label_deleted(self, deleted: DeletedLabel) -> None:
        triage = self.triage
        self.push_undo(
            f"Label “{deleted.label.name}” deleted from {deleted.reach.describe()}",
            lambda: triage.restore_label(deleted) if triage is not None else None,
        )

    @Slot(object)
    def _on_triage_label_restored(self, label: Label) -> None:
        self._say(f"Label “{label.name}” is back.")

    @Slot()
    def _on_triage_changed(self) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.refill()


class LabelsDialog(QDialog):
    """Every label with its colour and counts; Rename…, Colour…, Delete… (also by right-click)."""

    def __init__(self, manager: LabelManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.setWindowTitle("Labels — Corpus Reader")
        self.setObjectName("LabelsDialog")
        self.resize(420, 360)
        # Few rows (a person's labels): an item widget is enough here.
        self.list = QListWidget(self)
        self.list.setAccessibleName("Labels")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_context_menu_requested)
        self.empty = QLabel("No labels yet: select articles and press L.", self)
        self.rename_button = QPushButton("&Rename…", self)
        self.color_button = QPushButton("&Colour…", self)
        self.delete_button = QPushButton("&Delete…", self)
        self.rename_button.clicked.connect(lambda: self._act(manager.rename))
        self.color_button.clicked.connect(lambda: self._act(manager.recolor))
        self.delete_button.clicked.connect(lambda: self._act(manager.delete))
        buttons = QHBoxLayout()
        for button in (self.rename_button, self.color_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        if manager.undo_action is not None:
            self.addAction(manager.undo_action)

    def names(self) -> list[str]:
        return [str(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())]

    def select(self, name: str) -> None:
        for i in range(self.list.count()):
            if str(self.list.item(i).data(Qt.ItemDataRole.UserRole)).casefold() == name.casefold():
                self.list.setCurrentRow(i)

    def refill(self) -> None:
        triage = self.manager.triage
        current = self.current()
        self.list.clear()
        for label in triage.state.labels if triage is not None else []:
            item = QListWidgetItem(swatch(label), f"{label.name}  —  {self.manager.reach_text(label)}")
            item.setData(Qt.ItemDataRole.UserRole, label.name)
            item.setToolTip(f"{label.name}: {label.css}")
            self.list.addItem(item)
        if current is not None:
            self.select(current)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setVisible(self.list.count() == 0)
        self._update_buttons()

    def current(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _act(self, action: Callable[[str], None]) -> None:
        name = self.current()
        if name is not None:
            action(name)

    def _update_buttons(self) -> None:
        has = self.current() is not None
        for button in (self.rename_button, self.color_button, self.delete_button):
            button.setEnabled(has)

    @Slot(QPoint)
    def _on_list_context_menu_requested(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        self.list.setCurrentItem(item)
        name = str(item.data(Qt.ItemDataRole.UserRole))
        self.manager.menu_for(name, self.list).popup(self.list.viewport().mapToGlobal(pos))


__all__ = ["LabelManager", "LabelsDialog", "ask_color", "ask_new_name", "confirm"]
