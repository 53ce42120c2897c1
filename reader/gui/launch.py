"""Build the Qt application and the window, wire the services, run the event loop."""

from __future__ import annotations

import linecache
import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, QTimer, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from reader import __version__
from reader.core.locations import Locations
from reader.core.settings_file import LAST_CORPUS_KEY
from reader.gui.tasks.library import STARTUP_SYNC_DELAY_MS, Library
from reader.gui.tasks.watcher import DEBOUNCE_MS, POLL_MS
from reader.gui.window.main_window import MainWindow
from reader.gui.window.single_instance import LaunchRequest, claim
from reader.gui.window.unix_signals import close_on_signals
from reader.resources import bundled_corpus, resource

log = logging.getLogger("corpus-reader")

#: A corpus opened while the window is about to show starts its work once the window has painted
#: its frame, or after this long at the latest (a window that never paints: shown minimised).
FIRST_PAINT_WAIT_MS = 3000


class Session:
    """Keeps the window and the library of the current corpus together; switches corpus."""

    def __init__(
        self,
        window: MainWindow,
        settings: QSettings,
        locations: Locations,
        debounce_ms: int = DEBOUNCE_MS,
        poll_ms: int = POLL_MS,
        sync_delay_ms: int = 0,
        quick_table_docs: int | None = None,
    ) -> None:
        self.window = window
        # Above it, the path table is read in the background (None: mark_filter's QUICK_TABLE_DOCS).
        self._quick_table_docs = quick_table_docs
        self.settings = settings
        self.locations = locations
        self._watch_timing = (debounce_ms, poll_ms)  # how soon folder changes are picked up
        self._sync_delay_ms = sync_delay_ms  # how long an existing index waits for its sync
        self.library: Library | None = None
        window.corpus_change_requested.connect(self.open_corpus)

    @Slot(Path)
    def open_corpus(self, corpus: Path) -> None:
        corpus = corpus.expanduser().resolve()
        problem = corpus_problem(corpus)
        if problem is not None:
            QMessageBox.warning(self.window, "Corpus Reader", problem)
            return
        if self.library is not None:
            self.library.shutdown()
            self.library.deleteLater()
        debounce_ms, poll_ms = self._watch_timing
        self.library = Library(
            corpus,
            self.locations.index_dir(corpus),
            self.locations.annotations_db,
            parent=None,
            debounce_ms=debounce_ms,
            poll_ms=poll_ms,
            sync_delay_ms=self._sync_delay_ms,
            quick_table_docs=self._quick_table_docs,
        )
        # PySide6 reads the source of every module imported after it (looking for a
        # "from __feature__" line) through linecache, which then keeps every line: 15 MB in the
        # window at 100,000 articles. Dropped once the index's modules are loaded, and after
        # each sync (which loads the pool's, the stories'); a traceback reads them again.
        self.library.index_opened.connect(linecache.clearcache)
        self.library.sync_finished.connect(lambda _report: linecache.clearcache())
        self.window.set_library(self.library)
        self.settings.setValue(LAST_CORPUS_KEY, str(corpus))
        self._start_when_shown(self.library)

    def _start_when_shown(self, library: Library) -> None:
        """Start ``library`` once the window has painted its frame: its first jobs import the
        index's modules (Whoosh, the search, the stories' numpy) on the lanes, which would compete
        with the first paint for the interpreter. At once when the window is not being shown or
        has painted already; after ``FIRST_PAINT_WAIT_MS`` at the latest."""
        if not self.window.isVisible() or self.window.painted:
            library.start()
            return
        started = False

        def start() -> None:
            nonlocal started
            if not started and library is self.library:  # not another corpus opened meanwhile
                started = True
                library.start()

        # After the paint in progress (its children's too) is done and shown.
        self.window.first_painted.connect(lambda: QTimer.singleShot(0, start))
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, start)

    @Slot(object)
    def handle_request(self, request: LaunchRequest) -> None:
        """Act on a later launch: open its corpus (if another), show its files, come to the front."""
        files = [str(f) for f in request.files]
        log.info("Another launch asked for corpus %s and files %s", request.corpus, files)
        if request.corpus is not None and (
            self.library is None or request.corpus.expanduser().resolve() != self.library.corpus
        ):
            self.open_corpus(request.corpus)
        self.show_files(request.files)
        self.window.bring_to_front()

    def show_files(self, files: Sequence[Path]) -> None:
        """Show the first of ``files``: the window reads one article at a time."""
        if not files or self.library is None:
            return
        first = files[0]
        article_id = self.window.show_file(first)
        where = f"article {article_id} of {self.library.corpus}" if article_id else "outside the corpus"
        log.info("Opened file %s (%s)", first, where)
        if len(files) > 1:
            log.info("Not shown (one article at a time): %s", ", ".join(map(str, files[1:])))
            self.window.statusBar().showMessage(f"Showing the first of {len(files)} files: {first.name}")

    def shutdown(self) -> None:
        if self.library is not None:
            self.library.shutdown()
            self.library = None


def make_settings(locations: Locations) -> QSettings:
    return QSettings(str(locations.settings_file), QSettings.Format.IniFormat)


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        png = resource(f"icons/hicolor/{size}x{size}/apps/corpus-reader.png")
        if png.exists():
            icon.addFile(str(png))
    return icon


def choose_corpus(requested: Path | None, settings: QSettings) -> Path:
    """--corpus, else the folder opened last time (if it still exists), else the bundled one."""
    if requested is not None:
        return requested
    last = settings.value(LAST_CORPUS_KEY)
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return bundled_corpus()


def corpus_problem(corpus: Path) -> str | None:
    """Why ``corpus`` cannot be opened, in words for a dialog; None when it can."""
    if not corpus.is_dir():
        return f"The corpus folder does not exist:\n{corpus}"
    try:
        with os.scandir(corpus) as entries:
            next(entries, None)
    except OSError as exc:
        return f"The corpus folder cannot be read ({exc.strerror or exc}):\n{corpus}"
    return None


def data_dir_problem(locations: Locations) -> str | None:
    """Why the data folder (index, settings, log) cannot be used, or None; creates it."""
    try:
        locations.data_dir.mkdir(parents=True, exist_ok=True)
        with open(locations.log_file, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        return f"The data folder cannot be used ({exc.strerror or exc}):\n{locations.data_dir}"
    return None


def _fail(message: str) -> int:
    """Tell a user who may have no terminal (a double-click): stderr, the log, a dialog."""
    print(f"corpus-reader: {' '.join(message.split())}", file=sys.stderr)
    QMessageBox.critical(None, "Corpus Reader", message)
    return 1


def run_gui(corpus: Path | None, locations: Locations, files: Sequence[Path] = ()) -> int:
    """Open the window on ``corpus`` showing the first of ``files``; or, when a window is already
    open for this data folder, hand them to it and return 0 at once."""
    # A fixed argv[0]: Qt makes it the X11 WM_CLASS instance name, so `python -m reader` and the
    # launcher get the same WM_CLASS ("corpus-reader", "corpus-reader"): the desktop entry's
    # StartupWMClass.
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(["corpus-reader"])
    app.setApplicationName("corpus-reader")
    app.setApplicationDisplayName("Corpus Reader")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("corpus-reader")
    problem = data_dir_problem(locations)
    if problem is not None:
        return _fail(f"{problem}\n\nStart Corpus Reader with --data-dir naming a folder you can write to.")
    logging.basicConfig(
        filename=str(locations.log_file), level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    files = [f.expanduser().absolute() for f in files]
    request = LaunchRequest(tuple(files), None if corpus is None else corpus.expanduser().absolute())
    try:
        instance = claim(locations.data_dir, request)
    except OSError as exc:
        log.error("%s", exc)
        return _fail(str(exc))
    if instance is None:
        log.info("Handed corpus %s and files %s to the window already open", request.corpus, files)
        return 0

    def close_for_signal(number: int) -> None:
        # A logout or `kill` (SIGTERM), Ctrl+C (SIGINT): close as the close button does, so the
        # window's state is saved and the workers stop; the exit code is 0. Installed before the
        # window is built: a signal that comes meanwhile is acted on once the event loop runs.
        log.info("Closing on %s", signal.Signals(number).name)
        app.closeAllWindows()
        app.quit()

    quit_signals = close_on_signals(app, close_for_signal)
    log.info("Listening for later launches as %s", instance.name)
    icon = app_icon()
    app.setWindowIcon(icon)
    settings = make_settings(locations)
    window = MainWindow(settings, icon)
    session = Session(window, settings, locations, sync_delay_ms=STARTUP_SYNC_DELAY_MS)
    instance.request_received.connect(session.handle_request)
    sys.excepthook = _make_excepthook(window)
    window.show()
    window.focus_search()  # the person came to search: type at once
    chosen = choose_corpus(corpus, settings)
    problem = corpus_problem(chosen)
    if problem is not None:
        log.warning("%s", problem)
        QMessageBox.warning(window, "Corpus Reader", f"{problem}\n\nOpening the bundled articles instead.")
        chosen = bundled_corpus()
    session.open_corpus(chosen)
    session.show_files(files)
    try:
        return app.exec()
    finally:
        quit_signals.uninstall()
        instance.close()
        session.shutdown()


def _make_excepthook(
    window: MainWindow,
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        window.statusBar().showMessage(f"Unexpected error: {exc} (details in the log)")

    return hook
