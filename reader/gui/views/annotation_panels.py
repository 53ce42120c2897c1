"""The Bookmarks, Highlights and Orphaned panels: lists of the user's annotations."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.annotations import COLOR_CSS, Annotation
from reader.gui.views.reading_pane import HIGHLIGHT_LABELS

AnnotationRole = Qt.ItemDataRole.UserRole + 10


class AnnotationListModel(QAbstractListModel):
    """A flat list of annotations, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Annotation] = []

    def set_annotations(self, items: list[Annotation]) -> None:
        self.beginResetModel()
        self._items = sorted(items, key=lambda a: a.created, reverse=True)
        self.endResetModel()

    def annotation(self, row: int) -> Annotation | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    # Qt overrides ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount."""
        return 0 if parent.isValid() else len(self._items)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Overrides QAbstractItemModel.data."""
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        a = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return a.exact if a.kind == "highlight" else a.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(part for part in (a.path, a.note) if part)
        if role == AnnotationRole:
            return a
        return None


class AnnotationFilter(QSortFilterProxyModel):
    """Keeps annotations of one kind and state, matching the filter words, colour and tag.

    Every filter word must begin a word of the quote, the note or the article title, so
    ``negotiation`` finds "negotiations"; a tag matches in any case.
    """

    def __init__(self, kind: str, state: str | None, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.state = state
        self._words: list[str] = []
        self._color = ""
        self._tag = ""

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_words", [w.casefold() for w in re.findall(r"\w+", text)]))

    def set_color(self, color: str) -> None:
        self._refilter(lambda: setattr(self, "_color", color))

    def set_tag(self, tag: str) -> None:
        self._refilter(lambda: setattr(self, "_tag", tag.casefold()))

    def _refilter(self, change: Any) -> None:
        # Qt 6.10 deprecated invalidateFilter() for begin/endFilterChange(); support both.
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Overrides QSortFilterProxyModel.filterAcceptsRow."""
        model = self.sourceModel()
        a = model.data(model.index(source_row, 0, source_parent), AnnotationRole)
        if a is None or a.kind != self.kind or (self.state is not None and a.state != self.state):
            return False
        if self._color and a.color != self._color:
            return False
        if self._tag and self._tag not in {t.casefold() for t in a.tags}:
            return False
        if self._words:
            words = re.findall(r"\w+", f"{a.exact} {a.note} {a.title}".casefold())
            return all(any(w.startswith(q) for w in words) for q in self._words)
        return True


def row_title(a: Annotation) -> str:
    """The first line of a bookmark or highlight row: the article's title (its path without one)."""
    return a.title or a.path


def row_meta(a: Annotation) -> str:
    """The second line: the date only. The title says which article (the file name is the row's
    tool tip), and an article without a title already shows its path on the line above."""
    return a.date or "no date"


class AnnotationDelegate(QStyledItemDelegate):
    """Paints: colour swatch, article title and date, the quote, the note."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Overrides QStyledItemDelegate.sizeHint: four lines a row."""
        return QSize(200, QFontMetrics(option.font).lineSpacing() * 4 + 12)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Overrides QStyledItemDelegate.paint."""
        a: Annotation | None = index.data(AnnotationRole)
        if a is None:
            return
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text_color if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        rect = option.rect.adjusted(8, 6, -8, -6)
        line = QFontMetrics(option.font).lineSpacing()
        swatch = QColor(COLOR_CSS.get(a.color, "#adb5bd")) if a.kind == "highlight" else QColor("#f59f00")
        painter.fillRect(QRect(rect.left(), rect.top(), 5, rect.height()), swatch)
        x = rect.left() + 12
        width = rect.width() - 12
        metrics = QFontMetrics(option.font)

        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        title = QFontMetrics(bold).elidedText(row_title(a), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(x, rect.top(), width, line), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(option.font)
        painter.setPen(muted)
        meta = row_meta(a)
        painter.drawText(
            QRect(x, rect.top() + line, width, line),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(meta, Qt.TextElideMode.ElideRight, width),
        )
        painter.setPen(text_color)
        if a.kind == "highlight":
            italic = QFont(option.font)
            italic.setItalic(True)
            painter.setFont(italic)
            quote = QFontMetrics(italic).elidedText(f"“{a.exact}”", Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(x, rect.top() + 2 * line, width, line), Qt.AlignmentFlag.AlignLeft, quote)
            painter.setFont(option.font)
        last = " ".join(
            p for p in ("✎ " + " ".join(a.note.split()) if a.note else "", *(f"#{t}" for t in a.tags)) if p
        )
        if last:
            last = metrics.elidedText(last, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(x, rect.top() + 3 * line, width, line), Qt.AlignmentFlag.AlignLeft, last)
        painter.restore()


class AnnotationPanel(QWidget):
    """One panel: an optional filter row, the list, optional buttons.

    Signals:
        annotation_activated(Annotation): the user clicked or pressed Enter on an annotation.
    """

    annotation_activated = Signal(object)

    def __init__(
        self,
        model: AnnotationListModel,
        kind: str,
        state: str | None,
        empty_text: str,
        with_filter: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.proxy = AnnotationFilter(kind, state, self)
        self.proxy.setSourceModel(model)
        self.view = QListView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(AnnotationDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.empty_label = QLabel(empty_text, self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.filter_edit: QLineEdit | None = None
        self.color_combo: QComboBox | None = None
        self.tag_combo: QComboBox | None = None
        if with_filter:
            row = QHBoxLayout()
            self.filter_edit = QLineEdit(self)
            self.filter_edit.setPlaceholderText("Filter quotes and notes")
            self.filter_edit.setClearButtonEnabled(True)
            self.filter_edit.textChanged.connect(self._on_filter_changed)
            self.color_combo = QComboBox(self)
            self.color_combo.addItem("All colours", "")
            for name, label in HIGHLIGHT_LABELS.items():
                self.color_combo.addItem(label, name)
            self.color_combo.currentIndexChanged.connect(self._on_filter_changed)
            self.tag_combo = QComboBox(self)
            self.tag_combo.setAccessibleName("Filter by tag")
            self.tag_combo.addItem("All tags", "")
            self.tag_combo.currentIndexChanged.connect(self._on_filter_changed)
            model.modelReset.connect(self._fill_tags)
            row.addWidget(self.filter_edit, 1)
            row.addWidget(self.color_combo)
            row.addWidget(self.tag_combo)
            layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)
        self.view.clicked.connect(self._on_view_activated)
        self.view.activated.connect(self._on_view_activated)
        for signal in (
            self.proxy.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_empty)
        self._update_empty()

    def add_button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def count(self) -> int:
        return self.proxy.rowCount()

    def annotation_at(self, row: int) -> Annotation | None:
        value = self.proxy.index(row, 0).data(AnnotationRole)
        return value if isinstance(value, Annotation) else None

    def current(self) -> Annotation | None:
        index = self.view.currentIndex()
        value = index.data(AnnotationRole) if index.isValid() else None
        return value if isinstance(value, Annotation) else None

    def set_filter(self, text: str, tag: str | None = None) -> None:
        """Filter by words of quotes, notes and titles (and by ``tag``, when given)."""
        if tag is not None and self.tag_combo is not None:
            index = next(
                (
                    i
                    for i in range(self.tag_combo.count())
                    if str(self.tag_combo.itemData(i)).casefold() == tag.casefold()
                ),
                -1,
            )
            if index < 0:  # no highlight has it (yet): still filter by it, to show none
                self.tag_combo.addItem(f"#{tag}", tag)
                index = self.tag_combo.count() - 1
            self.tag_combo.setCurrentIndex(index)
        if self.filter_edit is not None:
            self.filter_edit.setText(text)

    def _fill_tags(self) -> None:
        """The tag menu: every tag of the highlights, keeping the one chosen."""
        if self.tag_combo is None:
            return
        chosen = str(self.tag_combo.currentData() or "")
        model = self.proxy.sourceModel()
        tags: dict[str, str] = {}
        for row in range(model.rowCount()):
            a = model.index(row, 0).data(AnnotationRole)
            if isinstance(a, Annotation):
                for tag in a.tags:
                    tags.setdefault(tag.casefold(), tag)
        if chosen and chosen.casefold() not in tags:
            tags[chosen.casefold()] = chosen
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItem("All tags", "")
        for key in sorted(tags):
            self.tag_combo.addItem(f"#{tags[key]}", tags[key])
            if key == chosen.casefold():
                self.tag_combo.setCurrentIndex(self.tag_combo.count() - 1)
        self.tag_combo.blockSignals(False)

    def _on_filter_changed(self, *_args: object) -> None:
        self.proxy.set_text(self.filter_edit.text() if self.filter_edit else "")
        self.proxy.set_color(str(self.color_combo.currentData()) if self.color_combo else "")
        self.proxy.set_tag(str(self.tag_combo.currentData() or "") if self.tag_combo else "")
        self._update_empty()

    def _update_empty(self, *_args: object) -> None:
        empty = self.proxy.rowCount() == 0
        self.empty_label.setVisible(empty)

    def _on_view_activated(self, index: QModelIndex) -> None:
        value = index.data(AnnotationRole)
        if isinstance(value, Annotation):
            self.annotation_activated.emit(value)
