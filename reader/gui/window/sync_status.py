"""The status bar's part in the index's life: progress of a sync, what it did, the files it
skipped, and why the index could not be opened or updated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QStatusBar, QWidget

from reader.gui.tasks.library import Library
from reader.gui.views.problems_dialog import ProblemsButton

if TYPE_CHECKING:
    from reader.core.index import SyncReport

#: How long a passing message (what a sync changed) stays before the state shows again.
MESSAGE_MS = 6000
#: The status bar's words while rules label new articles: "Labelling by rules 500 / 2,000".
RULES_PROGRESS = "Labelling by rules"


class SyncStatus(QObject):
    """Shows a library's sync in the status bar (and the problems button beside it), and the
    rule runs that follow a sync (labelling the new articles)."""

    def __init__(self, parent: QWidget, status: QStatusBar, header: QLabel) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.status = status
        self.header = header
        self.library: Library | None = None
        self.progress_bar = QProgressBar(parent)
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.problems_button = ProblemsButton(parent)
        self._announce = True  # say "Index up to date" after the first sync and F5 only
        # What is true now ("317 articles · index up to date"): shown whenever no passing
        # message (what a sync changed, for a few seconds) covers it.
        self.state_label = QLabel("", parent)

    def add_to(self, status: QStatusBar, *between: QWidget) -> None:
        """Put the state, the problems button, then ``between``, then the progress bar into the
        status bar."""
        status.addWidget(self.state_label, 1)
        status.addPermanentWidget(self.problems_button)
        for widget in between:
            status.addPermanentWidget(widget)
        status.addPermanentWidget(self.progress_bar)

    def set_library(self, library: Library) -> None:
        self.library = library
        library.rebuild_started.connect(self.show_rebuilding)
        library.waiting_for_writer.connect(self._on_library_waiting_for_writer)
        library.sync_progress.connect(self._on_library_sync_progress)
        library.sync_finished.connect(self._on_library_sync_finished)
        library.error_occurred.connect(self._on_library_error_occurred)
        library.triage.rules_progress.connect(self._on_triage_rules_progress)
        library.triage.rules_finished.connect(self._on_triage_rules_finished)
        self.problems_button.set_problems(str(library.corpus), [])
        self._announce = True
        self.state_label.setText("")
        self.status.showMessage(f"Corpus: {library.corpus}", MESSAGE_MS)

    def rescan(self) -> None:
        """Sync now (F5), and say what it found even when nothing changed."""
        if self.library is not None:
            self._announce = True
            self.library.sync()

    @Slot()
    def show_rebuilding(self) -> None:
        self.progress_bar.setMaximum(0)  # busy until the first file is read
        self.progress_bar.show()
        self.status.showMessage("Rebuilding the index…")

    @Slot()
    def _on_library_waiting_for_writer(self) -> None:
        self.status.showMessage("Waiting for another Corpus Reader to finish indexing…")

    @Slot(int, int)
    def _on_library_sync_progress(self, done: int, total: int) -> None:
        self.progress_bar.setMaximum(max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.show()
        what = "Rebuilding the index…" if self.library is not None and self.library.rebuilding else "Indexing"
        self.status.showMessage(f"{what} {done:,} / {total:,}")

    @Slot(int, int)
    def _on_triage_rules_progress(self, done: int, total: int) -> None:
        if self.library is not None and self.library.syncing:
            return  # the sync's progress has the bar; the rules follow it
        self.progress_bar.setMaximum(max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.show()
        self.status.showMessage(f"{RULES_PROGRESS} {done:,} / {total:,}")

    @Slot()
    def _on_triage_rules_finished(self) -> None:
        if self.library is not None and (self.library.syncing or self.library.triage.rules_running):
            return
        self.progress_bar.hide()
        if self.status.currentMessage().startswith(RULES_PROGRESS):
            self.status.clearMessage()

    @Slot(object)
    def _on_library_sync_finished(self, report: SyncReport) -> None:
        self.progress_bar.hide()
        parts = []
        if report.rebuilt:
            parts.append("Index rebuilt")
        if report.changed:
            parts.append(f"{report.added:,} added, {report.updated:,} updated, {report.removed:,} removed")
        else:
            parts.append("Index up to date")
        if self.library is not None:
            self.problems_button.set_problems(str(self.library.corpus), report.problems)
        n = report.added + report.updated + report.unchanged
        self.state_label.setText(f"{n:,} article{'s' if n != 1 else ''} · index up to date")
        if report.changed or report.rebuilt or self._announce:
            self.status.showMessage(" · ".join(parts), MESSAGE_MS)
        else:
            self.status.clearMessage()  # "Indexing 317 / 317" is over
        self._announce = False

    @Slot(str)
    def _on_library_error_occurred(self, message: str) -> None:
        self.progress_bar.hide()
        self.status.showMessage(message)
        if self.library is not None and not self.library.ready:
            self.header.setText("The index could not be opened.")
            QMessageBox.warning(self.parent_widget, "Corpus Reader", message)
