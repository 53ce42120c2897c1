"""The article list: a model over article rows (all articles, or search hits) and its painter."""

from __future__ import annotations

import datetime as dt
import html
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.core.marks import Label
from reader.gui.views.local_dates import local_date

if TYPE_CHECKING:
    from reader.core.catalog import ArticleRow
    from reader.core.search import Hit

VERSION_INDENT = 22
PathRole = Qt.ItemDataRole.UserRole + 1
MetaRole = Qt.ItemDataRole.UserRole + 2
SnippetRole = Qt.ItemDataRole.UserRole + 3
#: "3 versions · Reuters, AFP" for a story's row (versions collapsed), "" otherwise.
StoryRole = Qt.ItemDataRole.UserRole + 4
#: 0 for a row of the list, 1 for a version shown under its story's row.
DepthRole = Qt.ItemDataRole.UserRole + 5
#: Whether the row's story is expanded.
ExpandedRole = Qt.ItemDataRole.UserRole + 6
ReadRole = Qt.ItemDataRole.UserRole + 7  # bool: read (unread rows are bold)
LabelsRole = Qt.ItemDataRole.UserRole + 8  # list[Label]: painted as coloured chips


class MarksLookup(Protocol):
    """Where rows get their read state and labels (``gui.triage.Triage``)."""

    def is_read(self, path: str) -> bool: ...

    def labels_of(self, path: str) -> list[Label]: ...


@dataclass(frozen=True)
class Row:
    path: str
    title: str
    meta: str  # "30 July 2020 · GSV …"
    snippet: str = ""
    snippet_html: str = ""
    versions: tuple[Row, ...] = ()  # the story's other matching versions (collapsed results)
    sources: tuple[str, ...] = ()  # of the story's matching versions
    depth: int = 0

    @property
    def story_note(self) -> str:
        if not self.versions:
            return ""
        note = f"{len(self.versions) + 1} versions"
        return f"{note} · {', '.join(self.sources)}" if self.sources else note


def _meta(date: dt.date | None, source: str) -> str:
    parts = []
    if date is not None:
        parts.append(local_date(date))
    if source:
        parts.append(source)
    return " · ".join(parts) or "no date"


def row_from_article(article: ArticleRow) -> Row:
    return Row(article.path, article.title, _meta(article.date, article.source))


def row_from_hit(hit: Hit) -> Row:
    pieces = []
    last = 0
    for start, end in hit.snippet_marks:
        pieces.append(html.escape(hit.snippet[last:start]))
        pieces.append("<b>" + html.escape(hit.snippet[start:end]) + "</b>")
        last = end
    pieces.append(html.escape(hit.snippet[last:]))
    versions = tuple(replace(row_from_hit(v), depth=1) for v in hit.versions)
    sources = tuple(dict.fromkeys(s for s in (hit.source, *(v.source for v in hit.versions)) if s))
    return Row(
        hit.path, hit.title, _meta(hit.date, hit.source), hit.snippet, "".join(pieces), versions, sources
    )


class ArticleListModel(QAbstractListModel):
    """Rows of the article list, one per article id; rendering is left to ArticleDelegate.

    Signals:
        more_requested(int count): the view scrolled to the end of a partial result list;
            ``count`` rows are loaded so far.
    """

    more_requested = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._row_index: dict[str, int] | None = None
        self._total = 0
        self._waiting_for_more = False
        self._expanded: set[str] = set()
        self._top = 0  # rows of the list itself (versions shown under a story not counted)
        self._marks: MarksLookup | None = None

    def set_marks(self, lookup: MarksLookup | None) -> None:
        """Read state and labels of the rows come from ``lookup`` (None: every row unread)."""
        self._marks = lookup
        self.marks_changed()

    def marks_changed(self) -> None:
        """Read state or labels changed: repaint the rows."""
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [ReadRole, LabelsRole])

    def paths(self) -> list[str]:
        """The loaded rows' article paths, in order."""
        return [row.path for row in self._rows]

    def all_loaded(self) -> bool:
        """Whether every row of the list is loaded (no page of search hits still to come)."""
        return self._top >= self._total

    @property
    def total(self) -> int:
        """How many rows exist in all (loaded or not)."""
        return self._total

    def set_rows(self, rows: list[Row], total: int | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._row_index = None
        self._total = len(rows) if total is None else total
        self._top = len(rows)
        self._waiting_for_more = False
        self._expanded = set()
        self.endResetModel()

    def append_rows(self, rows: list[Row]) -> None:
        if not rows:
            self._total = self._top
            self._waiting_for_more = False
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._top += len(rows)
        self._row_index = None
        self.endInsertRows()
        # Only now: a view may call fetchMore while rows are being inserted, which must not
        # ask for the page that is arriving.
        self._waiting_for_more = False

    def set_snippets(self, hits: list[Hit]) -> None:
        """Give the rows of ``hits`` (top-level rows, by path) the snippets these carry."""
        changed = []
        for hit in hits:
            i = self.row_of(hit.path)
            if i < 0 or self._rows[i].depth:
                continue
            fresh = row_from_hit(hit)
            self._rows[i] = replace(self._rows[i], snippet=fresh.snippet, snippet_html=fresh.snippet_html)
            changed.append(i)
        if changed:
            roles = [SnippetRole, Qt.ItemDataRole.AccessibleDescriptionRole]
            self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)), roles)

    def row_of(self, path: str) -> int:
        """The row of article ``path``, or -1 (a dict, built on first use: 100,000 rows)."""
        if self._row_index is None:
            self._row_index = {row.path: i for i, row in enumerate(self._rows)}
        return self._row_index.get(path, -1)

    def path_at(self, row: int) -> str | None:
        return self._rows[row].path if 0 <= row < len(self._rows) else None

    def set_expanded(self, row: int, expanded: bool) -> bool:
        """Show (or hide) the other versions under the story at ``row``; whether it changed."""
        if not 0 <= row < len(self._rows) or not self._rows[row].versions:
            return False
        story = self._rows[row]
        if expanded == (story.path in self._expanded):
            return False
        n = len(story.versions)
        if expanded:
            self.beginInsertRows(QModelIndex(), row + 1, row + n)
            self._rows[row + 1 : row + 1] = list(story.versions)
            self._expanded.add(story.path)
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), row + 1, row + n)
            del self._rows[row + 1 : row + 1 + n]
            self._expanded.discard(story.path)
            self.endRemoveRows()
        self._row_index = None
        index = self.index(row)
        self.dataChanged.emit(index, index, [ExpandedRole])
        return True

    def toggle(self, row: int) -> bool:
        """Expand or collapse the story at ``row``."""
        if not 0 <= row < len(self._rows):
            return False
        return self.set_expanded(row, self._rows[row].path not in self._expanded)

    # Qt overrides ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: loaded rows (a flat list has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Overrides QAbstractItemModel.data."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.path
        if role == PathRole:
            return row.path
        if role == MetaRole:
            return row.meta
        if role == SnippetRole:
            return row.snippet_html
        if role == StoryRole:
            return row.story_note
        if role == DepthRole:
            return row.depth
        if role == ExpandedRole:
            return row.path in self._expanded
        if role == ReadRole:
            return self._marks.is_read(row.path) if self._marks is not None else False
        if role == LabelsRole:
            return self._marks.labels_of(row.path) if self._marks is not None else []
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            story = f" {row.story_note}." if row.story_note else ""
            state = "" if self._marks is None or self._marks.is_read(row.path) else "Unread. "
            names = [label.name for label in self._marks.labels_of(row.path)] if self._marks else []
            tags = f" Labels: {', '.join(names)}." if names else ""
            return f"{state}{row.meta}.{story} {row.snippet}{tags}"
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Overrides QAbstractItemModel.canFetchMore: search hits come in pages."""
        return not parent.isValid() and not self._waiting_for_more and self._top < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        """Overrides QAbstractItemModel.fetchMore: asks for the next page (answered later)."""
        if self.canFetchMore(parent):
            self._waiting_for_more = True
            self.more_requested.emit(self._top)


def paint_chips(
    painter: QPainter, labels: list[Label], font: QFont, right: int, top: int, height: int, min_left: int
) -> int:
    """Paint label chips right-aligned ending at ``right``; returns the left edge used."""
    chip_font = QFont(font)
    chip_font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
    metrics = QFontMetrics(chip_font)
    painter.setFont(chip_font)
    x = right
    for label in reversed(labels):
        text = metrics.elidedText(label.name, Qt.TextElideMode.ElideRight, 110)
        width = metrics.horizontalAdvance(text) + 10
        if x - width < min_left:
            break
        x -= width
        rect = QRect(x, top + 1, width, height - 2)
        color = QColor(label.css)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        x -= 4
    return x


class ArticleDelegate(QStyledItemDelegate):
    """Paints a row: title (bold while unread), date and source with label chips, and the marked
    snippet when searching."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.show_snippets = False
        self._docs: OrderedDict[tuple[str, int], QTextDocument] = OrderedDict()

    def _badge_text(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> str:
        note = index.data(StoryRole) or ""
        if not note:
            return ""
        arrow = "▾" if index.data(ExpandedRole) else "▸"
        text = f"{arrow} {note}"
        width = max(80, option.rect.width() // 2)
        return QFontMetrics(option.font).elidedText(text, Qt.TextElideMode.ElideRight, width)

    def badge_rect(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QRect:
        """Where a story's "▸ N versions" is drawn (on the date line, at the right); a click
        there shows or hides its versions. Invalid for a row without versions."""
        text = self._badge_text(option, index)
        if not text:
            return QRect()
        metrics = QFontMetrics(option.font)
        rect = option.rect.adjusted(10, 6, -10, -6)
        width = metrics.horizontalAdvance(text) + 2
        return QRect(rect.right() - width, rect.top() + metrics.lineSpacing(), width, metrics.lineSpacing())

    def _lines(self) -> int:
        return 4 if self.show_snippets else 2

    def _snippet_doc(self, html_text: str, width: int, font: QFont) -> QTextDocument:
        key = (html_text, width)
        doc = self._docs.get(key)
        if doc is None:
            doc = QTextDocument()
            doc.setDefaultFont(font)
            doc.setDocumentMargin(0)
            doc.setHtml(html_text)
            doc.setTextWidth(width)
            self._docs[key] = doc
            if len(self._docs) > 300:
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(key)
        return doc

    # Qt overrides ----------------------------------------------------------------------

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Overrides QStyledItemDelegate.editorEvent: a click on "▸ N versions" toggles them."""
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and isinstance(model, ArticleListModel)
            and self.badge_rect(option, index).contains(event.position().toPoint())
        ):
            model.toggle(index.row())
            return True
        return super().editorEvent(event, model, option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Overrides QStyledItemDelegate.sizeHint: every row has the same height."""
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(200, line * self._lines() + 14)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Overrides QStyledItemDelegate.paint."""
        painter.save()
        style = option.widget.style() if option.widget else None
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if style is not None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        palette = option.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = option.rect.adjusted(10, 6, -10, -6)
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        if index.data(DepthRole):
            # A version under its story's row: indented, with a rule on its left.
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(rect.left() + 4, rect.top(), rect.left() + 4, rect.bottom())
            rect = rect.adjusted(VERSION_INDENT, 0, 0, 0)
        badge_rect = self.badge_rect(option, index)

        title_font = QFont(option.font)
        title_font.setBold(not index.data(ReadRole))
        painter.setFont(title_font)
        painter.setPen(palette.color(text_role))
        title = QFontMetrics(title_font).elidedText(index.data(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), line), Qt.AlignmentFlag.AlignLeft, title
        )

        painter.setFont(option.font)
        meta_color = palette.color(text_role)
        if not selected:
            meta_color = palette.color(QPalette.ColorRole.PlaceholderText)
        labels = index.data(LabelsRole) or []
        # The story's badge (if any) sits at the right of this line; label chips go left of it.
        right = badge_rect.left() - 8 if badge_rect.isValid() else rect.right()
        meta_width = right - rect.left()
        if labels:
            left = paint_chips(painter, labels, option.font, right, rect.top() + line, line, rect.left() + 80)
            meta_width = max(40, left - rect.left() - 6)
            painter.setFont(option.font)
        painter.setPen(meta_color)
        meta = metrics.elidedText(index.data(MetaRole) or "", Qt.TextElideMode.ElideRight, meta_width)
        painter.drawText(
            QRect(rect.left(), rect.top() + line, meta_width, line), Qt.AlignmentFlag.AlignLeft, meta
        )
        if badge_rect.isValid():
            painter.setPen(palette.color(text_role if selected else QPalette.ColorRole.Link))
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignRight, self._badge_text(option, index))

        snippet = index.data(SnippetRole)
        if self.show_snippets and snippet:
            doc = self._snippet_doc(snippet, rect.width(), option.font)
            painter.translate(rect.left(), rect.top() + 2 * line + 2)
            clip = QRect(0, 0, rect.width(), 2 * line)
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(QPalette.ColorRole.Text, palette.color(text_role))
            context.clip = QRectF(clip)
            doc.documentLayout().draw(painter, context)
        painter.restore()


def make_article_view(model: ArticleListModel, delegate: ArticleDelegate, parent: Any = None) -> QListView:
    """The list view the window shows (and the benchmark measures) over ``model``."""
    view = QListView(parent)
    view.setModel(model)
    view.setItemDelegate(delegate)
    view.setUniformItemSizes(True)
    # Shift/Ctrl-click and Ctrl+A select several articles (to label or mark them together).
    view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
    # Lay out 100,000 rows in batches across event-loop turns: no frame waits for all of them.
    view.setLayoutMode(QListView.LayoutMode.Batched)
    view.setBatchSize(5000)
    view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    view.setAccessibleName("Articles")
    return view
