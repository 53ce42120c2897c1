"""The Versions tab: the other versions of the open article's story, and a word diff against one.

When an article opens, the controller asks the analysis lane for its story's versions (date,
source, title); picking one (the first other version is picked by itself) shows the open
article's text with the words it adds marked green and underlined and the words of the chosen
version it lacks struck through in red.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.core.corpus import load_article
from reader.core.worddiff import Segment, counts, word_diff
from reader.gui.tasks.analysis import AnalysisContext, LaneClient

if TYPE_CHECKING:
    from reader.core.catalog import ArticleRow

COLUMNS = ("Date", "Source", "Title", "File")
ADDED_STYLE = "background-color:#c8f0c8;color:#0a4a0a;text-decoration:underline;"
REMOVED_STYLE = "background-color:#f8cccc;color:#7a0a0a;text-decoration:line-through;"


@dataclass(frozen=True)
class Versions:
    path: str  # the open article
    story: int | None
    rows: list[ArticleRow]  # every version, the open one included, oldest first


def find_versions(ctx: AnalysisContext, path: str) -> Versions:
    """The story of ``path`` and its versions (on the analysis lane)."""
    assert ctx.index is not None
    stories = ctx.stories()
    try:
        of = stories.of([path])
        if path not in of:
            return Versions(path, None, [])
        story = of[path][0]
        paths = stories.versions(story)
    finally:
        stories.close()
    catalog = ctx.index.catalog()
    try:
        rows = catalog.rows_for(paths)
    finally:
        catalog.close()
    return Versions(path, story, [rows[p] for p in paths if p in rows])


def diff_versions(ctx: AnalysisContext, current: str, other: str) -> list[Segment]:
    """The open article's text against another version's, word by word (on the lane)."""
    assert ctx.index is not None
    corpus = ctx.index.corpus
    return word_diff(load_article(corpus, other).plain_text, load_article(corpus, current).plain_text)


def diff_html(segments: list[Segment]) -> str:
    parts = []
    for s in segments:
        text = html.escape(s.text).replace("\n", "<br>")
        if s.kind == "added":
            parts.append(f'<span style="{ADDED_STYLE}">{text}</span>')
        elif s.kind == "removed":
            parts.append(f'<span style="{REMOVED_STYLE}">{text}</span>')
        else:
            parts.append(text)
    return "<div style='line-height:140%'>" + "".join(parts) + "</div>"


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else "no date"


class VersionsModel(QAbstractTableModel):
    """The versions of one story, one a row; the open one is bold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ArticleRow] = []
        self.current = ""

    def set_rows(self, rows: list[ArticleRow], current: str) -> None:
        self.beginResetModel()
        self.rows = rows
        self.current = current
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractTableModel.rowCount."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractTableModel.columnCount."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Overrides QAbstractTableModel.data."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (_date(row.date), row.source or "—", row.title, row.path)
            text = values[index.column()]
            return f"{text} (open)" if index.column() == 2 and row.path == self.current else text
        if role == Qt.ItemDataRole.FontRole and row.path == self.current:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.path
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Overrides QAbstractTableModel.headerData."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class VersionsPanel(QWidget):
    """The list of versions above the diff.

    Signals:
        version_picked(str path): compare the open article with this version.
        open_requested(str path): open this version in the reading pane.
    """

    version_picked = Signal(str)
    open_requested = Signal(str)

    def __init__(self, model: VersionsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.heading = QLabel("Open an article to see its other versions.")
        self.heading.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 180)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.summary = QLabel("")
        self.open_button = QPushButton("Open This Version")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.diff = QTextBrowser()
        self.diff.setOpenLinks(False)
        self.picked: str | None = None
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.open_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(bar)
        lower_layout.addWidget(self.diff)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([140, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split)

    def pick(self, path: str) -> None:
        """Select the version ``path`` (and ask for its diff)."""
        for i, row in enumerate(self.model.rows):
            if row.path == path:
                self.table.selectRow(i)
                break
        self.picked = path
        self.open_button.setEnabled(True)
        self.version_picked.emit(path)

    def _on_table_clicked(self, index: QModelIndex) -> None:
        path = self.model.rows[index.row()].path
        if path != self.model.current:
            self.pick(path)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.open_requested.emit(self.model.rows[index.row()].path)

    def _on_open_clicked(self) -> None:
        if self.picked:
            self.open_requested.emit(self.picked)


class VersionsController(LaneClient):
    """Keeps the Versions tab on the open article's story.

    Signals:
        open_requested(str path): open this version of the story.
    """

    open_requested = Signal(str)

    def __init__(self, tabs: QTabWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tabs = tabs
        self.model = VersionsModel(self)
        self.panel = VersionsPanel(self.model)
        self.tabs.addTab(self.panel, "Versions")
        self.current: str | None = None
        self.versions: Versions | None = None
        self.segments: list[Segment] = []
        self.panel.version_picked.connect(self._on_panel_version_picked)
        self.panel.open_requested.connect(self.open_requested)

    def show_article(self, path: str | None) -> None:
        """The reading pane opened ``path`` (None: nothing open)."""
        self.current = path
        self.panel.diff.clear()
        self.panel.summary.setText("")
        self.panel.open_button.setEnabled(False)
        self.panel.picked = None
        self.segments = []
        if path is None:
            self.model.set_rows([], "")
            self._set_tab_title(0)
            self.panel.heading.setText("Open an article to see its other versions.")
            return
        self._submit("versions", lambda ctx: find_versions(ctx, path), self._on_versions_found)

    def refresh(self) -> None:
        """Stories may have changed (after a sync): look again."""
        if self.current is not None:
            path = self.current
            self._submit("versions", lambda ctx: find_versions(ctx, path), self._on_versions_found)

    def _set_tab_title(self, count: int) -> None:
        i = self.tabs.indexOf(self.panel)
        self.tabs.setTabText(i, f"Versions ({count})" if count > 1 else "Versions")

    def _on_versions_found(self, versions: Versions) -> None:
        if versions.path != self.current:
            return
        self.versions = versions
        self.model.set_rows(versions.rows, versions.path)
        n = len(versions.rows)
        self._set_tab_title(n)
        if n <= 1:
            self.panel.heading.setText("This article has no other versions in the corpus.")
            return
        sources = sorted({r.source for r in versions.rows if r.source})
        also = f" from {', '.join(sources[:5])}" if sources else ""
        self.panel.heading.setText(
            f"<b>{n} versions</b> of this story{html.escape(also)}. Pick one to compare the open "
            "article with it: <span style='" + ADDED_STYLE + "'>words only in the open article</span>, "
            "<span style='" + REMOVED_STYLE + "'>words only in the picked version</span>."
        )
        others = [r.path for r in versions.rows if r.path != versions.path]
        self.panel.pick(others[0])

    def _on_panel_version_picked(self, other: str) -> None:
        current = self.current
        if current is None:
            return
        self.panel.summary.setText("Comparing…")
        self._submit(
            "diff",
            lambda ctx: (other, diff_versions(ctx, current, other)),
            self._on_diff_ready,
            failed=self._on_diff_failed,
        )

    def _on_diff_ready(self, result: tuple[str, list[Segment]]) -> None:
        other, segments = result
        if other != self.panel.picked:
            return
        self.segments = segments
        added, removed = counts(segments)
        self.panel.summary.setText(f"Against {other}: {added} words added, {removed} removed")
        self.panel.diff.setHtml(diff_html(segments))

    def _on_diff_failed(self, message: str) -> None:
        self.panel.summary.setText(f"Cannot compare: {message}")
