"""The Concordance panel: every occurrence of the current query with its context, streamed in.

A keyword-in-context view is wide by nature, so it is not a sidebar tab: it is a panel across
the bottom of the window (View ▸ Concordance, Ctrl+Shift+K, or the Concordance button), where
the contexts, the article and the date all fit. The controller asks the library for a
concordance when the panel is shown (or the query changes while it is shown); rows arrive in
batches from the search worker and are appended to a table model, oldest article first. The
left context is right-aligned (and cut on the left), so every match stands in one column.
Clicking a row opens the article at that occurrence.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QFont, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.gui.operations import concordance as concordance_ops
from reader.gui.tasks.library import Library
from reader.gui.views.local_dates import local_short_date

if TYPE_CHECKING:
    from reader.core.concordance import Concordance, Occurrence
    from reader.core.index import SyncReport

OccurrenceRole = Qt.ItemDataRole.UserRole + 20
LEFT, MATCH, RIGHT, ARTICLE, DATE = range(5)
COLUMNS = ("Left context", "Match", "Right context", "Article", "Date")
SORT_KEYS = {LEFT: "left", MATCH: "match", RIGHT: "right", ARTICLE: "article", DATE: "date"}


class ConcordanceModel(QAbstractTableModel):
    """Occurrences, one a row; rows are appended as they stream in and kept in the chosen order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Occurrence] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._bold = QFont(self._mono)
        self._bold.setBold(True)

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def append(self, rows: list[Occurrence]) -> None:
        if not rows:
            return
        if self._sort is None:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
            return
        # Sorted: the new rows go where they belong (the view keeps its selection).
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._rows.extend(rows)
        self._apply_sort()
        self._move_persistent(old)
        self.layoutChanged.emit()

    def occurrence(self, row: int) -> Occurrence | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _apply_sort(self) -> None:
        if self._sort is not None and self._rows:  # rows came from the lane, which loaded concordance
            column, order = self._sort
            from reader.core.concordance import sort_key

            self._rows.sort(key=sort_key(SORT_KEYS[column]), reverse=order == Qt.SortOrder.DescendingOrder)

    def _move_persistent(self, old: list[Occurrence]) -> None:
        where = {id(o): i for i, o in enumerate(self._rows)}
        before = self.persistentIndexList()
        after = [self.index(where[id(old[i.row()])], i.column()) for i in before]
        self.changePersistentIndexList(before, after)

    # Qt overrides ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Overrides QAbstractItemModel.data: the context columns in a fixed-width font."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        o = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(o, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{o.title}\n…{o.left}{o.match}{o.right}…"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column == LEFT else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column == MATCH else self._mono if column in (LEFT, RIGHT) else None
        if role == OccurrenceRole:
            return o
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Overrides QAbstractItemModel.headerData."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Overrides QAbstractItemModel.sort: by the word left or right of the match, the match,
        the article or the date."""
        if column not in SORT_KEYS:
            return
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._sort = (column, order)
        self._apply_sort()
        self._move_persistent(old)
        self.layoutChanged.emit()


def _text(o: Occurrence, column: int) -> str:
    if column == LEFT:
        return o.left
    if column == MATCH:
        return o.match
    if column == RIGHT:
        return o.right
    if column == ARTICLE:
        return o.title
    return local_short_date(o.date) if isinstance(o.date, dt.date) else ""


class _ContextDelegate(QStyledItemDelegate):
    """Cuts the left context on its left, so the words next to the match stay visible."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Overrides QStyledItemDelegate.initStyleOption."""
        super().initStyleOption(option, index)
        if index.column() == LEFT:
            option.textElideMode = Qt.TextElideMode.ElideLeft


class ConcordancePanel(QWidget):
    """A header line and the occurrence table.

    Signals:
        occurrence_activated(Occurrence): a row was clicked (or Enter pressed on it).
    """

    occurrence_activated = Signal(object)

    def __init__(self, model: ConcordanceModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.header_label = QLabel("Type a search to see every occurrence in context.", self)
        self.header_label.setWordWrap(True)
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setItemDelegate(_ContextDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Oldest article first, as rows stream in (and as the command line prints them). The
        # indicator is set before sorting is enabled: enabling sorts by the indicator at once.
        self.table.horizontalHeader().setSortIndicator(DATE, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAccessibleName("Concordance")
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: 10,000 stay cheap
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        columns = self.table.horizontalHeader()
        # The two contexts share what is left; the match, the article and the date keep a
        # width that shows them at any window size.
        columns.setStretchLastSection(False)
        digits = self.table.fontMetrics().horizontalAdvance("0000-00-00") + 24
        for column, width in ((MATCH, 120), (ARTICLE, 240), (DATE, digits)):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            columns.resizeSection(column, width)
        for column in (LEFT, RIGHT):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close the concordance (Ctrl+Shift+K)")
        self.close_button.setAutoRaise(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Concordance</b>", self)
        top.addWidget(title)
        top.addWidget(self.header_label, 1)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.activated.connect(self._on_table_clicked)

    @Slot(QModelIndex)
    def _on_table_clicked(self, index: QModelIndex) -> None:
        occurrence = index.data(OccurrenceRole)
        if occurrence is not None:
            self.occurrence_activated.emit(occurrence)


class ConcordanceController(QObject):
    """Runs the concordance of the window's query while its panel is shown.

    Signals:
        open_requested(str path, int offset): open this article at the occurrence.
        rows_found(list[Occurrence] rows): the next batch of rows came in (and was shown).
    """

    open_requested = Signal(str, int)
    rows_found = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.library: Library | None = None
        self.model = ConcordanceModel(self)
        self.panel = ConcordancePanel(self.model, parent)
        self.panel.hide()
        self.toggle_action = QAction("&Concordance", self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.toggle_action.setToolTip("Every occurrence of the search in context (Ctrl+Shift+K)")
        self.toggle_action.toggled.connect(self._on_toggle_action_toggled)
        self.panel.close_button.clicked.connect(lambda: self.toggle_action.setChecked(False))
        self.query = ""
        self.run: Concordance | None = None
        self.finished = False
        self._shown_query: str | None = None  # the query whose concordance the table holds
        self.panel.occurrence_activated.connect(self._on_panel_occurrence_activated)

    @property
    def shown(self) -> bool:
        return self.toggle_action.isChecked()

    def show_panel(self, shown: bool = True) -> None:
        """Show (or hide) the panel; shown, it lists the current query's occurrences."""
        self.toggle_action.setChecked(shown)

    def set_library(self, library: Library) -> None:
        self.library = library
        library.sync_finished.connect(self._on_library_sync_finished)
        self._shown_query = None
        self.model.clear()

    def set_query(self, text: str) -> None:
        """The window searched for ``text``: the concordance follows when its tab is shown."""
        self.query = text
        if self.shown:
            self.refresh()

    def refresh(self, force: bool = False) -> None:
        """Run the concordance of the current query, unless the table already shows it."""
        if self.library is None or not self.library.ready:
            return
        if self.query == self._shown_query and not force:
            return
        self._shown_query = self.query
        self.model.clear()
        self.run = None
        self.finished = False
        if not self.query:
            concordance_ops.cancel(self.library.tasks)
            self.panel.header_label.setText("Type a search to see every occurrence in context.")
            return
        self.panel.header_label.setText(f"Finding “{self.query}” in context…")
        concordance_ops.start(
            self.library.tasks,
            self.query,
            self._on_concordance_started,
            self._on_concordance_rows_found,
            self._on_concordance_finished,
        ).run()

    def _say(self) -> None:
        run = self.run
        if run is None:
            return
        n = self.model.rowCount()
        text = (
            f"{n:,} occurrence{'s' if n != 1 else ''} in {run.articles:,} "
            f"article{'s' if run.articles != 1 else ''} for “{run.query}”"
        )
        if not self.finished:
            text += " …"
        elif run.capped:
            text += f" — the first {n:,} only; narrow the search to see the rest"
        if run.notes:
            text += "\n" + " ".join(run.notes)
        if self.finished and not n and run.suggestion:
            text += f"\nDid you mean: {run.suggestion}?"
        self.panel.header_label.setText(text)

    @Slot(bool)
    def _on_toggle_action_toggled(self, shown: bool) -> None:
        self.panel.setVisible(shown)
        if shown:
            self.refresh()

    @Slot(object)
    def _on_panel_occurrence_activated(self, occurrence: Occurrence) -> None:
        self.open_requested.emit(occurrence.path, occurrence.start)

    @Slot(object)
    def _on_library_sync_finished(self, report: SyncReport) -> None:
        if report.changed and self.shown:
            self.refresh(force=True)

    def _on_concordance_started(self, run: Concordance) -> None:
        self.run = run
        self._say()

    def _on_concordance_rows_found(self, rows: list[Occurrence]) -> None:
        self.model.append(rows)
        self._say()
        self.rows_found.emit(rows)

    def _on_concordance_finished(self, run: Concordance) -> None:
        self.run = run
        self.finished = True
        self._say()
