"""The timeline above the article list: results per day, week, month or year, drawn with QPainter.

Dragging across the chart narrows the search to that date range: the range is written into the
query as ``date:[… to …]``, so the search bar always says what the list shows. The chart spans
the current results, so a picked range zooms in (days or weeks for a short one); the ✕ button
(or a double-click on the chart) takes the range out again.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from reader.core.timeline import Timeline, build_timeline, date_range_in, with_date_range, without_date_range
from reader.gui.operations.insights import count_timeline
from reader.gui.tasks.library import Library

if TYPE_CHECKING:
    from reader.core.index import SyncReport

CHART_HEIGHT = 56


class TimelineChart(QWidget):
    """Bars of a Timeline; a drag picks a run of buckets.

    Signals:
        range_picked(date start, date end): the user dragged across buckets (first day of the
            first bucket to the last day of the last one).
        range_cleared(): the user double-clicked the chart to drop the range.
    """

    range_picked = Signal(object, object)
    range_cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline = Timeline()
        #: Whether a timeline was counted yet: until then (the index opening) the chart is blank,
        #: not "No dated results" for a corpus that has dates.
        self.counted = False
        self.selection: tuple[int, int] | None = None  # bucket indexes, inclusive
        self._drag_from: int | None = None
        self.setMouseTracking(True)  # tool tips per bar
        self.setMinimumHeight(CHART_HEIGHT)
        self.setMaximumHeight(CHART_HEIGHT)
        self.setAccessibleName("Timeline")
        self.setCursor(Qt.CursorShape.CrossCursor)

    def set_timeline(self, timeline: Timeline, picked: tuple[dt.date, dt.date] | None) -> None:
        self.timeline = timeline
        self.counted = True
        self.set_range(picked)

    def set_range(self, picked: tuple[dt.date, dt.date] | None) -> None:
        """Shade the buckets overlapping ``picked`` (None, or a range over the whole chart: none)."""
        buckets = self.timeline.buckets
        inside = [i for i, b in enumerate(buckets) if picked and b.end >= picked[0] and b.start <= picked[1]]
        whole = len(inside) == len(buckets)
        self.selection = (inside[0], inside[-1]) if inside and not whole else None
        self.update()

    def placeholder(self) -> str:
        """What the chart says when it has no bars."""
        return "No dated results" if self.counted else ""

    def bucket_at(self, x: float) -> int:
        n = len(self.timeline.buckets)
        if n == 0:
            return -1
        return max(0, min(n - 1, int(x * n / max(1, self.width()))))

    def bar_center(self, i: int) -> QPoint:
        """The middle of bucket ``i``'s column (for tests and tool tips)."""
        n = max(1, len(self.timeline.buckets))
        return QPoint(int((i + 0.5) * self.width() / n), self.height() // 2)

    # Qt overrides ----------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        """Overrides QWidget.sizeHint."""
        return QSize(300, CHART_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Overrides QWidget.paintEvent: the bars, the picked range and the span's ends."""
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        buckets = self.timeline.buckets
        text_color = palette.color(QPalette.ColorRole.PlaceholderText)
        label_height = self.fontMetrics().height()
        if not buckets:
            painter.setPen(text_color)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder())
            return
        n = len(buckets)
        width = self.width() / n
        top, bottom = 4.0, float(self.height() - label_height - 2)
        peak = max(b.count for b in buckets) or 1
        if self.selection is not None:
            first, last = self.selection
            shade = QColor(palette.color(QPalette.ColorRole.Highlight))
            shade.setAlpha(60)
            painter.fillRect(QRectF(first * width, 0, (last - first + 1) * width, bottom), shade)
        bar = palette.color(QPalette.ColorRole.Highlight)
        gap = 1.0 if width > 3 else 0.0
        for i, b in enumerate(buckets):
            if b.count:
                h = max(1.0, (bottom - top) * b.count / peak)
                painter.fillRect(QRectF(i * width + gap / 2, bottom - h, max(1.0, width - gap), h), bar)
        painter.setPen(text_color)
        unit = self.timeline.unit
        painter.drawText(
            QRectF(2, bottom, self.width() / 2, label_height),
            Qt.AlignmentFlag.AlignLeft,
            buckets[0].label(unit),
        )
        painter.drawText(
            QRectF(self.width() / 2, bottom, self.width() / 2 - 2, label_height),
            Qt.AlignmentFlag.AlignRight,
            buckets[-1].label(unit),
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Overrides QWidget.mousePressEvent: a drag starts."""
        if event.button() == Qt.MouseButton.LeftButton and self.timeline.buckets:
            self._drag_from = self.bucket_at(event.position().x())
            self.selection = (self._drag_from, self._drag_from)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Overrides QWidget.mouseMoveEvent: the drag grows; without one, the bar's count as tool tip."""
        i = self.bucket_at(event.position().x())
        if self._drag_from is not None and i >= 0:
            self.selection = (min(self._drag_from, i), max(self._drag_from, i))
            self.update()
        elif i >= 0:
            b = self.timeline.buckets[i]
            self.setToolTip(f"{b.label(self.timeline.unit)}: {b.count:,}")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Overrides QWidget.mouseReleaseEvent: the drag picks its buckets."""
        if self._drag_from is None or event.button() != Qt.MouseButton.LeftButton:
            return
        i = self.bucket_at(event.position().x())
        first, last = min(self._drag_from, i), max(self._drag_from, i)
        self._drag_from = None
        buckets = self.timeline.buckets
        self.selection = (first, last)
        self.update()
        self.range_picked.emit(buckets[first].start, buckets[last].end)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Overrides QWidget.mouseDoubleClickEvent: drops the range."""
        self._drag_from = None
        self.range_cleared.emit()


class TimelineController(QObject):
    """Keeps the chart in step with the window's query and turns drags into queries.

    Signals:
        query_edited(str text): the query with the picked date range (or without it): search it.
    """

    query_edited = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.library: Library | None = None
        self.query = ""
        self._counted: str | None = None  # the query the chart shows
        self.widget = QWidget(parent)
        self.chart = TimelineChart(self.widget)
        self.summary = QLabel("", self.widget)
        # Ignored: a long summary must not widen the list side (the splitter keeps its place).
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clear_button = QToolButton(self.widget)
        self.clear_button.setText("✕ All dates")
        self.clear_button.setToolTip("Show every date again")
        self.clear_button.setAutoRaise(True)
        self.clear_button.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.summary, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.chart)
        layout.addLayout(row)
        self.chart.range_picked.connect(self._on_chart_range_picked)
        self.chart.range_cleared.connect(self.clear_range)
        self.clear_button.clicked.connect(self.clear_range)

    def set_library(self, library: Library) -> None:
        self.library = library
        self._counted = None
        library.sync_finished.connect(self._on_library_sync_finished)
        library.batch_committed.connect(self.recount)

    def set_query(self, text: str) -> None:
        """The window searched for ``text``: count its timeline (unless only its range changed)."""
        self.query = text
        picked = date_range_in(text)
        self.clear_button.setVisible(picked is not None)
        self.chart.set_range(picked)
        if text != self._counted:
            self.recount()
        else:
            self._say()

    def show_articles(self, dates: list[dt.date | None]) -> None:
        """The list shows articles that are not a query's (More Like This): chart their dates."""
        self._counted = None  # the next search counts again
        if self.library is not None:
            self.library.tasks.generations.advance("timeline")  # a count on its way is for the list before
        self.clear_button.hide()
        self.chart.set_timeline(build_timeline(dates), None)
        self._say()

    @Slot()
    def recount(self) -> None:
        if self.library is None or not self.library.ready:
            return
        self._counted = self.query
        count_timeline(self.library.tasks, self._counted, self._on_timeline_counted).run()

    @Slot()
    def clear_range(self) -> None:
        if date_range_in(self.query) is not None:
            self.query_edited.emit(without_date_range(self.query))

    def _say(self) -> None:
        t = self.chart.timeline
        parts = [f"per {t.unit}"] if t.buckets else []
        picked = date_range_in(self.query)
        if picked is not None:
            parts.append(f"{picked[0].isoformat()} – {picked[1].isoformat()}")
        if len(t.buckets) > 1:
            parts.append("drag across to zoom in")
        if t.undated:
            parts.append(f"+{t.undated:,} undated")
        self.summary.setText(" · ".join(parts))

    @Slot(object, object)
    def _on_chart_range_picked(self, start: dt.date, end: dt.date) -> None:
        self.query_edited.emit(with_date_range(self.query, start, end))

    def _on_timeline_counted(self, timeline: Timeline) -> None:
        self.chart.set_timeline(timeline, date_range_in(self.query))
        self._say()

    @Slot(object)
    def _on_library_sync_finished(self, report: SyncReport) -> None:
        if report.changed or report.rebuilt:
            self.recount()
