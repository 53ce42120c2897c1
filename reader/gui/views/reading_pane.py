"""The reading pane: one article, typeset for reading, with search hits marked and walkable.

The document is built block by block from ``Article.lines`` with QTextCursor.insertText, so the
article's text is never interpreted as markup (``<script>`` shows as the characters it is), and a
position in the document equals an offset in ``Article.plain_text``. Above it, a bar gives the
article's web address (when the file knows it) as a link that opens in the browser, and a button
that opens the original file in its own application; nothing is ever fetched here.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QHelpEvent,
    QIcon,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
    QPixmap,
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
    QMenu,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from reader.core.anchoring import snap_to_words
from reader.core.annotations import COLOR_CSS, Annotation
from reader.core.corpus import Article
from reader.core.language import language_name
from reader.gui.views.local_dates import local_date

MAX_TEXT_WIDTH = 720  # px at zoom 0: about 75 characters a line
BASE_POINT_SIZE = 11.5
# Search hits are orange and underlined, so they never look like a (pastel) highlight.
HIT_COLOR = QColor("#ffc078")
CURRENT_HIT_COLOR = QColor("#ff922b")
HIT_UNDERLINE = QColor("#d9480f")
HIT_TEXT_COLOR = QColor("#1a1a1a")
HIGHLIGHT_LABELS = {"yellow": "Yellow", "green": "Green", "blue": "Blue", "pink": "Pink", "purple": "Purple"}


def color_swatch(name: str, size: int = 16) -> QIcon:
    """A square of a highlight colour, for menus."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(COLOR_CSS.get(name, COLOR_CSS["yellow"])))
    painter = QPainter(pixmap)
    painter.setPen(QColor(0, 0, 0, 90))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


class ArticleView(QTextBrowser):
    """The text area: a centred column of readable width.

    Signals:
        highlight_clicked(int position, QPoint global_pos): a click (not a selection) at a
            document position; the pane decides whether a highlight is there.
    """

    highlight_clicked = Signal(int, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The tool tip for a document position ("" for none); the pane sets it (highlight notes).
        self.tooltip_at: Callable[[int], str] = lambda _position: ""
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

    def position_under(self, pos: QPoint) -> int:
        """The document position of the character under viewport point ``pos``, -1 off the text."""
        offset = QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        return self.document().documentLayout().hitTest(pos + offset, Qt.HitTestAccuracy.ExactHit)

    def viewportEvent(self, event: QEvent) -> bool:
        """Overrides QAbstractScrollArea.viewportEvent: tool tips for what is under the pointer.

        Qt shows no tool tip for a QTextCharFormat's tooltip in an extra selection (nor for the
        document's own formats in a QTextEdit), so the view answers QEvent.ToolTip itself.
        """
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.position_under(event.pos())
            text = self.tooltip_at(position) if position >= 0 else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Overrides QTextEdit.mouseReleaseEvent: a plain left click reports its position."""
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            position = self.cursorForPosition(event.position().toPoint()).position()
            self.highlight_clicked.emit(position, event.globalPosition().toPoint())

    def changeEvent(self, event: QEvent) -> None:
        """Overrides QWidget.changeEvent: re-centres after a font (zoom) change."""
        if event.type() == QEvent.Type.FontChange:
            self._update_margins()
        super().changeEvent(event)


def article_meta(article: Article, language: str | None) -> str:
    """The pane's header line: "30 July 2020 · MFA Russia · Russian"."""
    parts = [local_date(article.date) if article.date else "No date"]
    if article.source:
        parts.append(" ".join(article.source.split())[:80])
    parts.append(language_name(language) if language else "Language not detected")
    return " · ".join(parts)


class ReadingPane(QWidget):
    """Shows one article with the user's highlights, marks for search hits and a find bar.

    Signals:
        hit_changed(int current, int total): the current hit moved (current is 1-based, 0 = none).
        article_cleared(): no article is shown any more (a placeholder is).
        zoom_changed(int steps): the zoom level changed.
        highlight_requested(int start, int end, str color, bool with_note): the user asked to
            highlight the selected text (offsets in the article's plain text).
        highlight_action_requested(Annotation, str action): "note", "tags", "delete" or a colour name,
            chosen from a highlight's menu.
        original_requested(): the user asked to open the article's original file.
    """

    hit_changed = Signal(int, int)
    article_cleared = Signal()
    zoom_changed = Signal(int)
    highlight_requested = Signal(int, int, str, bool)
    highlight_action_requested = Signal(object, str)
    original_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        self.zoom = 0
        self._query_marks: list[tuple[int, int]] = []
        self._marks: list[tuple[int, int]] = []
        self._current = -1
        self.highlights: list[Annotation] = []

        self.view = ArticleView(self)
        self.view.tooltip_at = self._tooltip_at
        # The header line: the date in the user's locale, the source, the detected language.
        self.meta_label = QLabel("", self)
        self.meta_label.setObjectName("articleMeta")
        self.meta_label.setContentsMargins(12, 4, 12, 2)
        self.meta_label.setTextFormat(Qt.TextFormat.PlainText)
        self.meta_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.meta_label.hide()
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

        self.link_bar = QWidget(self)
        links = QHBoxLayout(self.link_bar)
        links.setContentsMargins(12, 2, 8, 2)
        self.url_label = QLabel(self.link_bar)
        self.url_label.setObjectName("articleUrl")
        self.url_label.setTextFormat(Qt.TextFormat.RichText)
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.url_label.setOpenExternalLinks(False)
        self.original_button = QToolButton(self.link_bar)
        self.original_button.setText("Open Original")
        self.original_button.setToolTip("Open the original file in its own application (Ctrl+Shift+O)")
        self.original_button.setAutoRaise(True)
        links.addWidget(self.url_label, 1)
        links.addWidget(self.original_button)
        self.link_bar.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The open article's labels as coloured chips (see triage_controller.py).
        self.labels_bar = QLabel("", self)
        self.labels_bar.setObjectName("articleLabels")
        self.labels_bar.setTextFormat(Qt.TextFormat.RichText)
        self.labels_bar.setContentsMargins(8, 4, 8, 4)
        self.labels_bar.setAccessibleName("Labels of the article")
        self.labels_bar.hide()
        layout.addWidget(self.labels_bar)
        layout.addWidget(self.link_bar)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.view, 1)

        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.view.highlight_clicked.connect(self._on_view_highlight_clicked)
        self.url_label.linkActivated.connect(self._on_url_label_link_activated)
        self.original_button.clicked.connect(self.original_requested)
        self.find_edit.textChanged.connect(self._on_find_edit_text_changed)
        self.find_edit.returnPressed.connect(self.next_hit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.find_edit, self.close_find)
        self.apply_zoom(0)
        self.show_placeholder("Select an article to read it.")

    # --- content ---------------------------------------------------------------------------

    def show_labels(self, chips: str) -> None:
        """Show the article's labels (rich text chips; empty hides the bar)."""
        self.labels_bar.setText(chips)
        self.labels_bar.setVisible(bool(chips) and self.article is not None)

    def show_placeholder(self, message: str) -> None:
        self.article = None
        self.meta_label.hide()
        self.labels_bar.hide()
        self.highlights = []
        self._query_marks = []
        self.link_bar.hide()
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
        self.article_cleared.emit()

    def show_article(
        self,
        article: Article,
        marks: list[tuple[int, int]],
        highlights: list[Annotation] | None = None,
        language: str | None = None,
    ) -> None:
        """Show ``article`` (written in ``language``, if known); ``marks`` are spans of its plain
        text to mark as search hits."""
        self.article = article
        self.meta_label.setText(article_meta(article, language))
        self.meta_label.show()
        self.highlights = list(highlights or [])
        self._query_marks = list(marks)
        self._show_links(article)
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

    def _show_links(self, article: Article) -> None:
        url = article.url if article.url.lower().startswith(("http://", "https://")) else ""
        shown = url if len(url) <= 90 else url[:89] + "…"
        self.url_label.setText(f'<a href="{html.escape(url)}">{html.escape(shown)}</a>' if url else "")
        self.url_label.setToolTip(f"Open {url} in the browser" if url else "")
        self.url_label.setVisible(bool(url))
        self.link_bar.show()

    def _on_url_label_link_activated(self, _link: str) -> None:
        # The article's own address, whatever the label's markup says.
        if self.article is not None and self.article.url.lower().startswith(("http://", "https://")):
            QDesktopServices.openUrl(QUrl(self.article.url))

    def _build_document(self, article: Article) -> QTextDocument:
        doc = QTextDocument(self.view)
        doc.setDefaultFont(self.view.font())
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        cursor = QTextCursor(doc)
        from reader.core.marking import line_fields  # loaded by the lane that read the article

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

    def go_to_hit_at(self, offset: int) -> bool:
        """Make the marked hit holding ``offset`` the current one; False when none does."""
        for i, (start, end) in enumerate(self._marks):
            if start <= offset < end:
                self._go_to(i)
                return True
        return False

    def clear_query_marks(self) -> None:
        """The search changed and the open article is not among its results: no marks of the
        search before (and no "2 / 5" in the status bar) stay."""
        self._query_marks = []
        if not (self.find_bar.isVisible() and self.find_edit.text()):
            self._set_marks([])

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

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.view.document())
        length = self.view.document().characterCount() - 1
        cursor.setPosition(min(start, length))
        cursor.setPosition(min(end, length), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
        sel.format = fmt
        return sel

    def _paint_marks(self) -> None:
        selections = []
        # The user's highlights first, search marks on top of them.
        for h in self.highlights:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(COLOR_CSS.get(h.color, COLOR_CSS["yellow"])))
            fmt.setForeground(HIT_TEXT_COLOR)
            if h.note:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(HIT_TEXT_COLOR)
            selections.append(self._selection(h.start, h.end, fmt))
        for i, (start, end) in enumerate(self._marks):
            fmt = QTextCharFormat()
            fmt.setBackground(CURRENT_HIT_COLOR if i == self._current else HIT_COLOR)
            fmt.setForeground(HIT_TEXT_COLOR)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(HIT_UNDERLINE)
            selections.append(self._selection(start, end, fmt))
        self.view.setExtraSelections(selections)
        total = len(self._marks)
        self.hit_label.setText(
            f"{self._current + 1} / {total}"
            if total and self._current >= 0
            else (f"{total} hits" if total else "")
        )

    # --- highlights ------------------------------------------------------------------

    def set_highlights(self, highlights: list[Annotation]) -> None:
        self.highlights = list(highlights)
        self._paint_marks()

    def highlight_texts(self) -> list[str]:
        """The text under each painted highlight, in order (what the user sees highlighted)."""
        text = self.view.toPlainText()
        return [text[h.start : h.end] for h in sorted(self.highlights, key=lambda h: h.start)]

    def selected_span(self) -> tuple[int, int] | None:
        """The selection, widened to whole words (a highlight never starts inside a word)."""
        cursor = self.view.textCursor()
        if self.article is None or not cursor.hasSelection():
            return None
        start, end = snap_to_words(self.article.plain_text, cursor.selectionStart(), cursor.selectionEnd())
        return (start, end) if end > start else None

    def highlighter(self, color: str) -> Callable[[], None]:
        """A slot that highlights the selection in ``color`` (for menus of colours)."""
        return lambda: self.highlight_selection(color)

    def highlight_selection(self, color: str, with_note: bool = False) -> None:
        span = self.selected_span()
        if span is not None:
            self.highlight_requested.emit(span[0], span[1], color, with_note)

    def _tooltip_at(self, position: int) -> str:
        """A highlight's note, shown on hover."""
        h = self.highlight_at(position)
        return h.note if h is not None else ""

    def highlight_at(self, position: int) -> Annotation | None:
        for h in self.highlights:
            if h.start <= position < h.end:
                return h
        return None

    def reading_position(self) -> int:
        """The offset of the text at the top of the pane (a bookmark's reading position)."""
        return self.view.cursorForPosition(QPoint(0, 0)).position()

    def scroll_to_offset(self, offset: int, third: bool = False) -> None:
        """Scroll so the text at ``offset`` is at the top (or a third of the way down)."""
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(max(0, min(offset, self.view.document().characterCount() - 1)))
        bar = self.view.verticalScrollBar()
        top = self.view.cursorRect(cursor).top() + bar.value()
        bar.setValue(max(0, top - (self.view.viewport().height() // 3 if third else 0)))

    def _highlight_menu(self, menu: QMenu, h: Annotation) -> None:
        colours = menu.addMenu("Highlight Colour")
        for name, label in HIGHLIGHT_LABELS.items():
            act = colours.addAction(color_swatch(name), label)
            act.setCheckable(True)
            act.setChecked(name == h.color)
            act.triggered.connect(lambda _=False, n=name: self.highlight_action_requested.emit(h, n))
        menu.addAction("Edit Note…", lambda: self.highlight_action_requested.emit(h, "note"))
        menu.addAction("Tags…", lambda: self.highlight_action_requested.emit(h, "tags"))
        menu.addAction("Delete Highlight", lambda: self.highlight_action_requested.emit(h, "delete"))

    def exec_menu(self, menu: QMenu, global_pos: QPoint) -> None:
        """Show a popup menu and wait for the choice (tests replace this)."""
        menu.exec(global_pos)

    def _on_view_context_menu_requested(self, pos: QPoint) -> None:
        menu = self.view.createStandardContextMenu(pos)
        if self.selected_span() is not None:
            menu.addSeparator()
            add = menu.addMenu("Highlight")
            for name, label in HIGHLIGHT_LABELS.items():
                add.addAction(color_swatch(name), label, self.highlighter(name))
            menu.addAction("Highlight with Note…", lambda: self.highlight_selection("yellow", with_note=True))
        h = self.highlight_at(self.view.cursorForPosition(pos).position())
        if h is not None:
            menu.addSeparator()
            self._highlight_menu(menu, h)
        self.exec_menu(menu, self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _on_view_highlight_clicked(self, position: int, global_pos: QPoint) -> None:
        h = self.highlight_at(position)
        if h is None:
            return
        menu = QMenu(self)
        self._highlight_menu(menu, h)
        self.exec_menu(menu, global_pos)
        menu.deleteLater()

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
        spans: list[tuple[int, int]] = []
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

    def changeEvent(self, event: QEvent) -> None:
        """Overrides QWidget.changeEvent: a new palette (View ▸ Theme) re-typesets the article,
        whose muted lines took their colour from the old one."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.article is not None:
            self.apply_zoom(self.zoom)

    def zoom_in(self) -> None:
        self.apply_zoom(self.zoom + 1)

    def zoom_out(self) -> None:
        self.apply_zoom(self.zoom - 1)

    def zoom_reset(self) -> None:
        self.apply_zoom(0)
