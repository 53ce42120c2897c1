"""Build the Qt application and the window, wire the services, run the event loop."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from reader import __version__
from reader.core.locations import Locations
from reader.gui.library import Library
from reader.gui.main_window import MainWindow
from reader.resources import bundled_corpus, resource

log = logging.getLogger("corpus-reader")


class Session:
    """Keeps the window and the library of the current corpus together; switches corpus."""

    def __init__(self, window: MainWindow, settings: QSettings, locations: Locations) -> None:
        self.window = window
        self.settings = settings
        self.locations = locations
        self.library: Library | None = None
        window.corpus_change_requested.connect(self.open_corpus)

    @Slot(Path)
    def open_corpus(self, corpus: Path) -> None:
        corpus = corpus.expanduser().resolve()
        if self.library is not None:
            self.library.shutdown()
            self.library.deleteLater()
        self.library = Library(corpus, self.locations.index_dir(corpus), parent=None)
        self.window.set_library(self.library)
        self.settings.setValue("corpus/last", str(corpus))
        self.library.start()

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
    last = settings.value("corpus/last")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return bundled_corpus()


def run_gui(corpus: Path | None, locations: Locations) -> int:
    locations.data_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=str(locations.log_file), level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("corpus-reader")
    app.setApplicationDisplayName("Corpus Reader")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("corpus-reader")
    icon = app_icon()
    app.setWindowIcon(icon)
    settings = make_settings(locations)
    window = MainWindow(settings, icon)
    session = Session(window, settings, locations)
    sys.excepthook = _make_excepthook(window)
    window.show()
    window.focus_search()  # the person came to search: type at once
    chosen = choose_corpus(corpus, settings)
    if not chosen.is_dir():
        QMessageBox.warning(window, "Corpus Reader", f"The corpus folder does not exist:\n{chosen}")
        chosen = bundled_corpus()
    session.open_corpus(chosen)
    try:
        return app.exec()
    finally:
        session.shutdown()


def _make_excepthook(window: MainWindow):  # type: ignore[no-untyped-def]
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        window.statusBar().showMessage(f"Unexpected error: {exc} (details in the log)")

    return hook
