"""The reading pane: one article, typeset for reading, with search hits marked and walkable.

The document is built block by block from ``Article.lines`` with QTextCursor.insertText, so the
article's text is never interpreted as markup (``<script>`` shows as the characters it is), and a
position in the document equals an offset in ``Article.plain_text``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShortcut,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.corpus import Article
from reader.core.search import line_fields

MAX_TEXT_WIDTH = 720  # px at zoom 0: about 75 characters a line
BASE_POINT_SIZE = 11.5
HIT_COLOR = QColor("#ffe066")
CURRENT_HIT_COLOR = QColor("#ff9f1a")
HIT_TEXT_COLOR = QColor("#1a1a1a")


class ArticleView(QTextBrowser):
    """The text area: a centred column of readable width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.document().setDocumentMargin(24)

    def _update_margins(self) -> None:
        column = int(MAX_TEXT_WIDTH * self.font().pointSizeF() / BASE_POINT_SIZE)
        side = max(0, (self.width() - column) // 2)
        self.setViewportMargins(side, 0, side, 0)

    # Qt overrides ----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Overrides QTextEdit.resizeEvent: keeps the text column centred."""
        self._update_margins()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """Overrides QWidget.changeEvent: re-centres after a font (zoom) change."""
        if event.type() == QEvent.Type.FontChange:
            self._update_margins()
        super().changeEvent(event)


class ReadingPane(QWidget):
    """Shows one article with marks for search hits and a find bar.

    Signals:
        hit_changed(int current, int total): the current hit moved (current is 1-based, 0 = none).
        zoom_changed(int steps): the zoom level changed.
    """

    hit_changed = Signal(int, int)
    zoom_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        self.zoom = 0
        self._query_marks: list[tuple[int, int]] = []
        self._marks: list[tuple[int, int]] = []
        self._current = -1

        self.view = ArticleView(self)
        self.hit_label = QLabel("", self)
        self.hit_label.setObjectName("hitCounter")
        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText("Find in article")
        self.find_edit.setClearButtonEnabled(True)
        self.find_bar = QWidget(self)
        bar = QHBoxLayout(self.find_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(self.find_edit, 1)
        for text, tip, slot in (
            ("▲", "Previous hit (Shift+F3)", self.previous_hit),
            ("▼", "Next hit (F3)", self.next_hit),
            ("✕", "Close (Esc)", self.close_find),
        ):
            button = QToolButton(self.find_bar)
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            bar.addWidget(button)
        self.find_bar.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)

        self.find_edit.textChanged.connect(self._on_find_edit_text_changed)
        self.find_edit.returnPressed.connect(self.next_hit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.find_edit, self.close_find)
        self.apply_zoom(0)
        self.show_placeholder("Select an article to read it.")

    # --- content ---------------------------------------------------------------------------

    def show_placeholder(self, message: str) -> None:
        self.article = None
        self._query_marks = []
        doc = self.view.document()
        doc.clear()
        cursor = QTextCursor(doc)
        block = QTextBlockFormat()
        block.setAlignment(Qt.AlignmentFlag.AlignCenter)
        block.setTopMargin(80)
        cursor.setBlockFormat(block)
        fmt = QTextCharFormat()
        fmt.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        cursor.insertText(message, fmt)
        self._set_marks([])

    def show_article(self, article: Article, marks: list[tuple[int, int]]) -> None:
        """Show ``article``; ``marks`` are spans of its plain text to mark as search hits."""
        self.article = article
        self._query_marks = list(marks)
        self.view.setDocument(self._build_document(article))
        self.view.document().setDocumentMargin(24)
        if self.find_bar.isVisible() and self.find_edit.text():
            self._set_marks(self._find_spans(self.find_edit.text()))
        else:
            self._set_marks(self._query_marks)
        if self._marks:
            self._go_to(0)
        else:
            self.view.moveCursor(QTextCursor.MoveOperation.Start)

    def _build_document(self, article: Article) -> QTextDocument:
        doc = QTextDocument(self.view)
        doc.setDefaultFont(self.view.font())
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        cursor = QTextCursor(doc)
        kinds = line_fields(article)
        block_kinds = (
            {i + kinds.index("body"): b.kind for i, b in enumerate(article.blocks)} if article.blocks else {}
        )
        for i, (line, kind) in enumerate(zip(article.lines, kinds, strict=True)):
            block = QTextBlockFormat()
            block.setLineHeight(145, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            fmt = QTextCharFormat()
            if kind == "title":
                fmt.setFontPointSize(self.view.font().pointSizeF() * 1.6)
                fmt.setFontWeight(QFont.Weight.Bold)
                block.setBottomMargin(6)
                block.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            elif kind == "date":
                fmt.setForeground(muted)
                block.setBottomMargin(14)
            elif kind == "body" and block_kinds.get(i) == "heading":
                fmt.setFontPointSize(self.view.font().pointSizeF() * 1.2)
                fmt.setFontWeight(QFont.Weight.DemiBold)
                block.setTopMargin(10)
                block.setBottomMargin(4)
            elif kind == "body":
                block.setBottomMargin(10)
            else:  # source and credits: the footer
                fmt.setForeground(muted)
                fmt.setFontPointSize(self.view.font().pointSizeF() * 0.9)
                if kinds[i - 1] != "source":
                    block.setTopMargin(18)
            if i == 0:
                cursor.setBlockFormat(block)
            else:
                cursor.insertBlock(block)
            cursor.insertText(line, fmt)
        return doc

    # --- hits --------------------------------------------------------------------------

    @property
    def hit_count(self) -> int:
        return len(self._marks)

    @property
    def current_hit(self) -> int:
        """1-based index of the current hit, 0 when there is none."""
        return self._current + 1

    def marked_texts(self) -> list[str]:
        """The text of every marked hit, in order (what the user sees marked)."""
        text = self.view.toPlainText()
        return [text[s:e] for s, e in self._marks]

    def next_hit(self) -> None:
        if self._marks:
            self._go_to((self._current + 1) % len(self._marks))

    def previous_hit(self) -> None:
        if self._marks:
            self._go_to((self._current - 1) % len(self._marks))

    def _set_marks(self, marks: list[tuple[int, int]]) -> None:
        self._marks = marks
        self._current = -1
        self._paint_marks()
        self.hit_changed.emit(0, len(marks))

    def _go_to(self, i: int) -> None:
        self._current = i
        self._paint_marks()
        start = self._marks[i][0]
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(start)
        self.view.setTextCursor(cursor)
        # Bring the hit to a third of the way down, so the reader sees what leads up to it.
        bar = self.view.verticalScrollBar()
        top = self.view.cursorRect(cursor).top() + bar.value()
        bar.setValue(max(0, top - self.view.viewport().height() // 3))
        self.hit_changed.emit(i + 1, len(self._marks))

    def _paint_marks(self) -> None:
        selections = []
        doc = self.view.document()
        for i, (start, end) in enumerate(self._marks):
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(CURRENT_HIT_COLOR if i == self._current else HIT_COLOR)
            fmt.setForeground(HIT_TEXT_COLOR)
            fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
            sel.format = fmt
            selections.append(sel)
        self.view.setExtraSelections(selections)
        total = len(self._marks)
        self.hit_label.setText(
            f"{self._current + 1} / {total}"
            if total and self._current >= 0
            else (f"{total} hits" if total else "")
        )

    # --- find in article ---------------------------------------------------------------

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.find_edit.clear()
        self._set_marks(self._query_marks)
        self.view.setFocus()

    def _find_spans(self, needle: str) -> list[tuple[int, int]]:
        if not needle:
            return []
        text = self.view.toPlainText().casefold()
        needle = needle.casefold()
        spans = []
        start = text.find(needle)
        while start >= 0 and len(spans) < 10000:
            spans.append((start, start + len(needle)))
            start = text.find(needle, start + len(needle))
        return spans

    def _on_find_edit_text_changed(self, text: str) -> None:
        self._set_marks(self._find_spans(text) if text else self._query_marks)
        if self._marks:
            self._go_to(0)

    # --- zoom --------------------------------------------------------------------------

    def apply_zoom(self, steps: int) -> None:
        """Set the zoom to ``steps`` (each about 10% larger or smaller), keeping the article."""
        self.zoom = max(-5, min(10, steps))
        font = QFont(self.view.font())
        font.setPointSizeF(BASE_POINT_SIZE * (1.1**self.zoom))
        self.view.setFont(font)
        if self.article is not None:
            position = self.view.verticalScrollBar().value() / max(1, self.view.verticalScrollBar().maximum())
            current = self._current
            self.view.setDocument(self._build_document(self.article))
            self.view.document().setDocumentMargin(24)
            self._paint_marks()
            if current >= 0:
                self._go_to(current)
            else:
                self.view.verticalScrollBar().setValue(
                    int(position * self.view.verticalScrollBar().maximum())
                )
        self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.apply_zoom(self.zoom + 1)

    def zoom_out(self) -> None:
        self.apply_zoom(self.zoom - 1)

    def zoom_reset(self) -> None:
        self.apply_zoom(0)
