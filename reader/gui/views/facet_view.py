"""Facets beside the list header: "Source", "Year", "Language" and "Labels" menus listing
"value (count)".

Picking a value writes ``source:"…"``, ``date:YYYY`` or ``lang:ru`` into the query (replacing the
facet's clause, if any) and searches, so the search bar always says what the list shows; "All
sources" / "All years" / "All languages" takes the clause out again. The counts are of every
matching article, counted on the library's search worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from reader.core.facets import Facets, facet_in, facets_of, source_value, with_facet, without_facet
from reader.core.language import language_name
from reader.gui.operations.insights import count_facets
from reader.gui.tasks.library import Library

if TYPE_CHECKING:
    from reader.core.index import SyncReport

MAX_LABEL_CHARS = 24


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


class FacetController(QObject):
    """Keeps the Source and Year menus in step with the window's query.

    Signals:
        query_edited(str text): the query with a facet picked (or dropped): search it.
        label_menu_requested(str name, QPoint pos): right-click on a label of the Labels menu
            (rename, recolour, delete it).
        manage_labels_requested(): the Labels menu's *Manage Labels…*.
    """

    query_edited = Signal(str)
    label_menu_requested = Signal(str, QPoint)
    manage_labels_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.library: Library | None = None
        self.query = ""
        self.facets = Facets()
        self.have_counts = False  # the menus show counts, not the empty ones of a search on its way
        self._counted: str | None = None
        self.widget = QWidget(parent)
        self.source_button = QToolButton(self.widget)
        self.year_button = QToolButton(self.widget)
        self.source_menu = QMenu(self.source_button)
        self.year_menu = QMenu(self.year_button)
        self.language_button = QToolButton(self.widget)
        self.language_menu = QMenu(self.language_button)
        self.label_button = QToolButton(self.widget)
        self.label_menu = QMenu(self.label_button)
        # Right-click on a label: its own menu (Rename…, Colour, Delete…).
        self.label_menu.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.label_menu.customContextMenuRequested.connect(self._on_label_menu_context_menu_requested)
        for button, menu, name in (
            (self.source_button, self.source_menu, "Source"),
            (self.year_button, self.year_menu, "Year"),
            (self.language_button, self.language_menu, "Language"),
            (self.label_button, self.label_menu, "Label"),
        ):
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            button.setAutoRaise(True)
            button.setAccessibleName(f"Filter by {name.lower()}")
        layout = QHBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.source_button)
        layout.addWidget(self.year_button)
        layout.addWidget(self.language_button)
        layout.addWidget(self.label_button)
        self._label_recount = QTimer(self)
        self._label_recount.setSingleShot(True)
        self._label_recount.setInterval(1500)
        self._label_recount.timeout.connect(self.recount)
        self._fill_menus()

    def set_library(self, library: Library) -> None:
        self.library = library
        self._counted = None
        self.facets = Facets()
        self.have_counts = False  # the menus show counts, not the empty ones of a search on its way
        self._fill_menus()
        library.sync_finished.connect(self._on_library_sync_finished)
        # Labels given or taken off change the label counts; recount when they settle.
        library.triage.changed.connect(self._label_recount.start)

    def set_query(self, text: str) -> None:
        """The window searched for ``text``: count its facets (unless already counted)."""
        self.query = text
        if text != self._counted:
            self.recount()
        self._fill_menus()

    def show_articles(self, pairs: list[tuple[str, dt.date | None]]) -> None:
        """The list shows articles that are not a query's (More Like This): count those
        (``(source, date)`` each)."""
        self._counted = None  # the next search counts again
        if self.library is not None:
            self.library.tasks.generations.advance("facets")  # a count on its way is for the list before
        self.facets = facets_of(pairs)
        self.have_counts = True
        self._fill_menus()

    @Slot()
    def recount(self) -> None:
        if self.library is None or not self.library.ready:
            return
        self._counted = self.query
        count_facets(self.library.tasks, self.query, self._on_facets_counted).run()

    def _picker(self, facet: str, value: str | None) -> Callable[[], None]:
        return lambda: self.pick(facet, value)

    def pick(self, facet: str, value: str | None) -> None:
        """Filter by ``value`` of ``facet`` ("source", "year", "language" or "label"); None drops it."""
        text = without_facet(self.query, facet) if value is None else with_facet(self.query, facet, value)
        self.query_edited.emit(text)

    def _fill_menus(self) -> None:
        source = facet_in(self.query, "source")
        year = facet_in(self.query, "year")
        # No "▾" in the text: an instant-popup button draws its own menu arrow.
        self.source_button.setText(f"Source: {_short(source)}" if source else "Source")
        self.year_button.setText(f"Year: {year}" if year else "Year")
        f = self.facets
        self.source_menu.clear()
        all_sources = self.source_menu.addAction("All sources", lambda: self.pick("source", None))
        all_sources.setEnabled(source is not None)
        self.source_menu.addSeparator()
        for value, n in f.sources:
            act = self.source_menu.addAction(f"{value} ({n:,})", self._picker("source", value))
            act.setCheckable(True)
            act.setChecked(source is not None and source_value(value) == source)
        if not f.sources and not f.other_sources and self.have_counts:
            # Not a menu of greyed items: say why there is nothing to pick.
            self.source_menu.addAction("No sources").setEnabled(False)
        if f.other_sources:
            self.source_menu.addAction(f"{f.other_sources:,} more in other sources").setEnabled(False)
        if f.no_source:
            self.source_menu.addAction(f"{f.no_source:,} without a source").setEnabled(False)
        self.year_menu.clear()
        all_years = self.year_menu.addAction("All years", lambda: self.pick("year", None))
        all_years.setEnabled(year is not None)
        self.year_menu.addSeparator()
        for value_year, n in f.years:
            act = self.year_menu.addAction(f"{value_year} ({n:,})", self._picker("year", str(value_year)))
            act.setCheckable(True)
            act.setChecked(year == str(value_year))
        if not f.years and self.have_counts:
            self.year_menu.addAction("No dates").setEnabled(False)
        if f.undated:
            self.year_menu.addAction(f"{f.undated:,} undated").setEnabled(False)
        self._fill_language_menu()
        label = facet_in(self.query, "label")
        self.label_button.setText(f"Label: {_short(label)}" if label else "Labels")
        self.label_menu.clear()
        all_labels = self.label_menu.addAction("All articles", self._picker("label", None))
        all_labels.setEnabled(label is not None)
        self.label_menu.addSeparator()
        for name, n in f.labels:
            act = self.label_menu.addAction(f"{name} ({n:,})", self._picker("label", name))
            act.setCheckable(True)
            act.setChecked(label is not None and label.casefold() == name.casefold())
            act.setData(name)
            act.setToolTip("Right-click to rename, recolour or delete the label")
        if not f.labels:
            self.label_menu.addAction("No labels yet: select articles and press L").setEnabled(False)
        else:
            self.label_menu.addSeparator()
            self.label_menu.addAction("&Manage Labels…", self.manage_labels_requested.emit)
        self.label_button.setToolTip("Filter the results by label: counts of every match")
        self.source_button.setToolTip("Filter the results by source: counts of every match")
        self.year_button.setToolTip("Filter the results by year: counts of every match")

    def _fill_language_menu(self) -> None:
        language = facet_in(self.query, "language")
        self.language_button.setText(f"Language: {language_name(language)}" if language else "Language")
        self.language_menu.clear()
        everything = self.language_menu.addAction("All languages", self._picker("language", None))
        everything.setEnabled(language is not None)
        self.language_menu.addSeparator()
        for code, n in self.facets.languages:
            act = self.language_menu.addAction(
                f"{language_name(code)} ({n:,})", self._picker("language", code)
            )
            act.setCheckable(True)
            act.setChecked(language == code)
        if self.facets.no_language:
            self.language_menu.addAction(f"{self.facets.no_language:,} not detected").setEnabled(False)
        self.language_button.setToolTip("Filter the results by language: counts of every match")

    @Slot(QPoint)
    def _on_label_menu_context_menu_requested(self, pos: QPoint) -> None:
        act = self.label_menu.actionAt(pos)
        name = act.data() if act is not None else None
        if isinstance(name, str) and name:
            self.label_menu_requested.emit(name, self.label_menu.mapToGlobal(pos))

    def _on_facets_counted(self, facets: Facets) -> None:
        self.facets = facets
        self.have_counts = True
        self._fill_menus()

    @Slot(object)
    def _on_library_sync_finished(self, report: SyncReport) -> None:
        if report.changed or report.rebuilt:
            self.recount()
