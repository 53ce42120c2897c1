"""The Insights tab: collocates, keywords, n-grams and trends of the current results.

Computed on the analysis lane while the tab is shown: partial tables arrive after each batch of
1,000 articles (the status line says how far it got), **Stop** ends it, and a new search or
another window size starts again. Clicking a collocate searches the query with that word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader.gui.tasks.analysis import AnalysisContext, LaneClient

if TYPE_CHECKING:
    from reader.core.insights import Insights
    from reader.core.trends import Trends

#: The collocates' span at first, as ``insights.DEFAULT_WINDOW`` (not imported: it brings numpy
#: and Whoosh, which the window must not wait for before it shows).
DEFAULT_WINDOW = 5
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")


def run_insights(ctx: AnalysisContext, text: str, window: int, measure: str) -> Insights | None:
    """Insights of the results of ``text``, sending partial results (on the lane)."""
    from reader.core.insights import insights

    store = ctx.words()
    try:
        last = None
        searcher, marks = ctx.searcher(), ctx.marks()
        for result in insights(
            searcher, store, text, window=window, measure=measure, cancel=ctx.stop, marks=marks
        ):
            last = result
            if not (result.finished or result.cancelled):
                ctx.partial(result)
        return last
    finally:
        store.close()


def split_terms(text: str) -> list[str]:
    """``Karabakh, Artsakh, "Minsk group"`` → three terms (commas inside quotes kept)."""
    parts = re.findall(r'(?:"[^"]*"|[^,])+', text)
    return [p.strip() for p in parts if p.strip()]


class RowsModel(QAbstractTableModel):
    """A read-only table of rows (tuples), numbers right-aligned."""

    def __init__(self, columns: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[tuple[object, ...]] = []

    def set_rows(self, rows: list[tuple[object, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractTableModel.rowCount."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractTableModel.columnCount."""
        return 0 if parent.isValid() else len(self.columns)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Overrides QAbstractTableModel.data."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, float):
                return f"{value:,.2f}"
            if isinstance(value, int):
                return f"{value:,}"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Overrides QAbstractTableModel.headerData."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return view


class TrendChart(QWidget):
    """Lines of several terms over the periods of a ``Trends``: counts or shares."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trends: Trends | None = None
        self.shares = False
        self.setMinimumHeight(160)

    def set_trends(self, found: Trends | None, shares: bool) -> None:
        self.trends = found
        self.shares = shares
        self.update()

    def values(self, i: int) -> list[float]:
        assert self.trends is not None
        t = self.trends.trends[i]
        if self.shares:
            return [100 * self.trends.share(t, k) for k in range(len(self.trends.starts))]
        return [float(c) for c in t.counts]

    def paintEvent(self, event: QPaintEvent) -> None:
        """Overrides QWidget.paintEvent: axes, one line per term, a legend."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.base())
        found = self.trends
        if found is None or not found.starts:
            painter.setPen(pal.placeholderText().color())
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "Type terms above to see their trends."
            )
            return
        metrics = painter.fontMetrics()
        left, right, top, bottom = 48, 12, 12 + metrics.height() * ((len(found.trends) + 2) // 3), 24
        area = QRectF(left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom))
        series = [self.values(i) for i in range(len(found.trends))]
        peak = max([max(s) for s in series if s] + [1.0])
        painter.setPen(pal.text().color())
        painter.drawLine(QPointF(area.left(), area.bottom()), QPointF(area.right(), area.bottom()))
        painter.drawLine(QPointF(area.left(), area.top()), QPointF(area.left(), area.bottom()))
        label = f"{peak:.1f}%" if self.shares else f"{peak:,.0f}"
        painter.drawText(QRectF(0, area.top() - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight, label)
        painter.drawText(QRectF(0, area.bottom() - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight, "0")
        n = len(found.starts)
        painter.drawText(
            QRectF(area.left(), area.bottom() + 4, area.width() / 2, 16),
            Qt.AlignmentFlag.AlignLeft,
            found.starts[0].isoformat(),
        )
        painter.drawText(
            QRectF(area.center().x(), area.bottom() + 4, area.width() / 2, 16),
            Qt.AlignmentFlag.AlignRight,
            f"{found.starts[-1].isoformat()} (by {found.unit})",
        )

        def point(k: int, v: float) -> QPointF:
            x = area.left() + (area.width() * (k + 0.5) / n)
            return QPointF(x, area.bottom() - area.height() * v / peak)

        x_legend = float(left)
        y_legend = 4.0
        for i, values in enumerate(series):
            color = QColor(COLORS[i % len(COLORS)])
            painter.setPen(QPen(color, 2))
            for k in range(1, n):
                painter.drawLine(point(k - 1, values[k - 1]), point(k, values[k]))
            if n == 1:
                painter.drawEllipse(point(0, values[0]), 3, 3)
            name = found.trends[i].term
            width = metrics.horizontalAdvance(name) + 28
            if x_legend + width > self.width():
                x_legend, y_legend = float(left), y_legend + metrics.height()
            painter.drawLine(
                QPointF(x_legend, y_legend + metrics.height() / 2),
                QPointF(x_legend + 14, y_legend + metrics.height() / 2),
            )
            painter.setPen(pal.text().color())
            painter.drawText(QPointF(x_legend + 18, y_legend + metrics.ascent()), name)
            x_legend += width


class InsightsPanel(QWidget):
    """The controls, the four tables and the chart.

    Signals:
        settings_changed(): the window size or the measure changed.
        stop_requested(): the user pressed Stop.
        terms_entered(str text): the trend terms were edited (comma-separated).
        collocate_activated(str word): a collocate was clicked.
    """

    settings_changed = Signal()
    stop_requested = Signal()
    terms_entered = Signal(str)
    collocate_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel("Search for something to see what its results say.")
        self.status.setWordWrap(True)
        self.window_size = QSpinBox()
        self.window_size.setRange(1, 20)
        self.window_size.setValue(DEFAULT_WINDOW)
        self.window_size.setSuffix(" words each side")
        self.measure = QComboBox()
        self.measure.addItem("Log-likelihood", "ll")
        self.measure.addItem("Mutual information", "mi")
        self.stop = QPushButton("Stop")
        self.stop.setEnabled(False)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Window:"))
        controls.addWidget(self.window_size)
        controls.addWidget(self.measure)
        controls.addStretch(1)
        controls.addWidget(self.stop)

        self.collocates = RowsModel(("Collocate", "Count", "Left", "Right", "In results", "Score"), self)
        self.positive = RowsModel(("More frequent", "Here", "Rest", "LL", "Log ratio"), self)
        self.negative = RowsModel(("Less frequent", "Here", "Rest", "LL", "Log ratio"), self)
        self.ngrams = RowsModel(("N-gram", "Words", "Count"), self)
        self.collocate_view = _table(self.collocates)
        self.collocate_view.setToolTip("Click a collocate to search the query with it")
        self.collocate_view.clicked.connect(self._on_collocate_view_clicked)
        keywords = QSplitter(Qt.Orientation.Horizontal)
        keywords.addWidget(_table(self.positive))
        keywords.addWidget(_table(self.negative))

        self.terms = QLineEdit()
        self.terms.setPlaceholderText('Terms, separated by commas: Karabakh, Artsakh, "Minsk group"')
        self.terms.returnPressed.connect(lambda: self.terms_entered.emit(self.terms.text()))
        self.counts_button = QRadioButton("Articles")
        self.shares_button = QRadioButton("Share of the period's articles")
        self.counts_button.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.counts_button)
        group.addButton(self.shares_button)
        self.chart = TrendChart()
        self.shares_button.toggled.connect(lambda on: self.chart.set_trends(self.chart.trends, on))
        trend_page = QWidget()
        trend_layout = QVBoxLayout(trend_page)
        trend_layout.addWidget(self.terms)
        row = QHBoxLayout()
        row.addWidget(self.counts_button)
        row.addWidget(self.shares_button)
        row.addStretch(1)
        trend_layout.addLayout(row)
        trend_layout.addWidget(self.chart, 1)

        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.collocate_view, "Collocates")
        self.pages.addTab(keywords, "Keywords")
        self.pages.addTab(_table(self.ngrams), "N-grams")
        self.pages.addTab(trend_page, "Trends")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(controls)
        layout.addWidget(self.pages, 1)
        self.window_size.valueChanged.connect(lambda _: self.settings_changed.emit())
        self.measure.currentIndexChanged.connect(lambda _: self.settings_changed.emit())
        self.stop.clicked.connect(self.stop_requested)

    def show_result(self, result: Insights) -> None:
        self.collocates.set_rows(
            [(c.word, c.count, c.left, c.right, c.frequency, c.score) for c in result.collocates]
        )
        self.positive.set_rows(
            [(k.word, k.count, k.rest, k.log_likelihood, k.log_ratio) for k in result.keywords]
        )
        self.negative.set_rows(
            [(k.word, k.count, k.rest, k.log_likelihood, k.log_ratio) for k in result.negative]
        )
        self.ngrams.set_rows([(g.words, g.n, g.count) for g in result.ngrams])

    def clear_result(self) -> None:
        """Empty tables (no query)."""
        for table in (self.collocates, self.positive, self.negative, self.ngrams):
            table.set_rows([])

    def _on_collocate_view_clicked(self, index: QModelIndex) -> None:
        self.collocate_activated.emit(str(self.collocates.rows[index.row()][0]))


class InsightsController(LaneClient):
    """Runs the insights of the window's query while the tab is shown.

    Signals:
        search_requested(str text): search this (a collocate was clicked).
    """

    search_requested = Signal(str)

    def __init__(self, tabs: QTabWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tabs = tabs
        self.panel = InsightsPanel()
        self.tabs.addTab(self.panel, "Insights")
        self.query = ""
        self.result: Insights | None = None
        self.trends: Trends | None = None
        self._shown: tuple[str, int, str] | None = None
        self._terms_typed = False
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.panel.settings_changed.connect(self.refresh)
        self.panel.stop_requested.connect(self.stop)
        self.panel.terms_entered.connect(self._on_panel_terms_entered)
        self.panel.collocate_activated.connect(self._on_panel_collocate_activated)

    @property
    def visible(self) -> bool:
        return self.tabs.currentWidget() is self.panel

    def set_query(self, text: str) -> None:
        """The window searched for ``text``: the insights follow when the tab is shown."""
        self.query = text.strip()
        if not self._terms_typed:
            self.panel.terms.setText(self.query)
        if self.visible:
            self.refresh()

    def corpus_changed(self) -> None:
        """A sync changed the corpus: the insights are computed anew now if the tab is shown,
        else when it is next shown. Not for a hidden tab: reading every hit's words after each
        sync made the window's peak memory (a start-up sync over 20,000 articles: +9 MB on top
        of the sync's own, the hits of a common word read while the window was closing)."""
        self._shown = None
        if self.visible:
            self.refresh()

    def settings(self) -> tuple[str, int, str]:
        return (self.query, self.panel.window_size.value(), str(self.panel.measure.currentData()))

    def refresh(self, force: bool = False) -> None:
        """Compute the insights of the current query unless the tables already show them."""
        key = self.settings()
        if not force and key == self._shown:
            return
        self._shown = key
        text, window, measure = key
        if not text:
            self._cancel("insights")
            self.result = None
            self.panel.clear_result()
            self.panel.status.setText("Search for something to see what its results say.")
            self.panel.stop.setEnabled(False)
            return
        self.panel.status.setText(f"Reading the results of {text!r}…")
        self.panel.stop.setEnabled(True)
        self._submit(
            "insights",
            lambda ctx: run_insights(ctx, text, window, measure),
            self._on_lane_finished,
            partial=self._on_lane_partial,
            failed=self._on_lane_failed,
        )
        self._run_trends()

    def stop(self) -> None:
        self._cancel("insights")
        self.panel.stop.setEnabled(False)
        if self.result is not None and not self.result.finished:
            self.panel.status.setText(self._status(self.result) + " (stopped)")
            self._shown = None  # showing the tab again starts anew

    def _run_trends(self) -> None:
        terms = split_terms(self.panel.terms.text())
        if not terms:
            self.panel.chart.set_trends(None, self.panel.shares_button.isChecked())
            return

        def work(ctx: AnalysisContext) -> Trends:
            from reader.core.trends import trends

            return trends(ctx.searcher(), terms, marks=ctx.marks())

        self._submit("trends", work, self._on_trends_found)

    def _status(self, result: Insights) -> str:
        head = f"{result.total:,} articles for {result.query!r}"
        if not result.finished:
            head += f": {result.done:,} read so far"
        return f"{head}; {result.occurrences:,} occurrences, {result.tokens:,} words" + "".join(
            f" — {n}" for n in result.notes
        )

    def _on_lane_partial(self, result: Insights) -> None:
        self.result = result
        self.panel.show_result(result)
        self.panel.status.setText(self._status(result) + "…")

    def _on_lane_finished(self, result: Insights | None) -> None:
        self.panel.stop.setEnabled(False)
        if result is None:
            return
        self.result = result
        self.panel.show_result(result)
        self.panel.status.setText(self._status(result) + (" (stopped)" if result.cancelled else ""))

    def _on_lane_failed(self, message: str) -> None:
        self.panel.stop.setEnabled(False)
        self.panel.status.setText(f"Cannot compute the insights: {message}")
        self._shown = None

    def _on_trends_found(self, found: Trends) -> None:
        self.trends = found
        self.panel.chart.set_trends(found, self.panel.shares_button.isChecked())

    def _on_panel_terms_entered(self, text: str) -> None:
        self._terms_typed = bool(text.strip()) and text.strip() != self.query
        self._run_trends()

    def _on_panel_collocate_activated(self, word: str) -> None:
        if self.query:
            self.search_requested.emit(f"{self.query} {word}")

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.visible:
            self.refresh()
