"""Take screenshots of the real window for the README.

    python tests/tools/screenshot.py [--corpus DIR] [--query TEXT] [--out PNG]
        [--tab concordance [--row N] [--sort-column N]] [--tab versions]
        [--tab insights [--page collocates|keywords|n-grams|trends]] [--expand] [--triage]

Runs offscreen (no display needed): builds the real MainWindow on a throwaway data dir, waits
for the index, searches, opens the top hit and saves the window as a PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.core.locations import Locations
from reader.gui.launch import Session, app_icon, make_settings
from reader.gui.window.main_window import MainWindow
from reader.gui.window.search_controller import quoted
from reader.resources import bundled_corpus


def wait(app: QApplication, condition, seconds: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=bundled_corpus())
    parser.add_argument("--query", default="Minsk group")
    parser.add_argument("--out", type=Path, default=Path("resources/screenshots/main-window.png"))
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--hit", type=int, default=1, help="press F3 this many times after opening")
    parser.add_argument(
        "--tab", choices=("articles", "concordance", "versions", "insights"), default="articles"
    )
    parser.add_argument(
        "--page", default="collocates", help="the Insights page: collocates, keywords, n-grams, trends"
    )
    parser.add_argument("--expand", action="store_true", help="show the versions of the first story row")
    parser.add_argument("--row", type=int, default=0, help="the concordance row to open")
    parser.add_argument("--sort-column", type=int, default=-1, help="sort the concordance by this column")
    parser.add_argument(
        "--triage", action="store_true", help="some articles read, some labelled (the query may be empty)"
    )
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Corpus Reader")
    with tempfile.TemporaryDirectory() as tmp:
        locations = Locations.resolve(Path(tmp))
        settings = make_settings(locations)
        window = MainWindow(settings, app_icon())
        width, height = (int(v) for v in args.size.split("x"))
        window.resize(width, height)
        session = Session(window, settings, locations)
        window.show()
        session.open_corpus(args.corpus)
        library = session.library
        assert library is not None
        wait(app, lambda: library.ready and not library.syncing)
        if args.triage:
            settings.setValue("triage/mark_read_ms", -1)
            wait(app, lambda: library.triage.loaded)
        window.search(args.query)
        if args.query:
            wait(app, lambda: window.header_label.text().endswith(quoted(args.query)))
        else:
            wait(app, lambda: window.header_label.text().endswith(" articles"))
        timeline = window.timeline
        wait(app, lambda: timeline.chart.timeline.total > 0)
        if args.triage:
            paths = window.model.paths()
            triage = window.triage
            triage.apply_label("conflict", [paths[i] for i in (0, 3, 4, 9) if i < len(paths)])
            triage.apply_label("follow up", [paths[i] for i in (0, 6) if i < len(paths)])
            triage.apply_label("elections", [paths[i] for i in (2, 7) if i < len(paths)])
            library.triage.set_read([paths[i] for i in (1, 2, 5, 8) if i < len(paths)])
            wait(
                app,
                lambda: library.triage.state.labels and all(x.id > 0 for x in library.triage.state.labels),
            )
        if args.tab == "concordance":
            concordance = window.concordance
            concordance.show_panel()
            window.splitter.setSizes([width * 11 // 20, width * 9 // 20])  # room for the context
            wait(app, lambda: concordance.finished)
            table = concordance.panel.table
            if args.sort_column >= 0:
                table.sortByColumn(args.sort_column, Qt.SortOrder.AscendingOrder)
            if concordance.model.rowCount() > args.row:
                index = concordance.model.index(args.row, 0)
                table.setCurrentIndex(index)
                table.scrollTo(index)
                occurrence = concordance.model.occurrence(args.row)
                assert occurrence is not None
                window.open_article(occurrence.path, occurrence.start)
                wait(app, lambda: window.pane.current_hit > 0)
        elif window.model.rowCount():
            window.list_view.setCurrentIndex(window.model.index(0))
            wait(app, lambda: window.pane.article is not None)
            for _ in range(args.hit):
                window.pane.next_hit()
            if args.expand:
                window.model.set_expanded(0, True)
            if args.tab == "versions":
                versions = window.versions
                window.tabs.setCurrentWidget(versions.panel)
                window.splitter.setSizes([width * 11 // 20, width * 9 // 20])
                wait(app, lambda: bool(versions.segments))
            elif args.tab == "insights":
                insights = window.insights
                window.tabs.setCurrentWidget(insights.panel)
                window.splitter.setSizes([width * 11 // 20, width * 9 // 20])
                wait(app, lambda: insights.result is not None and insights.result.finished)
                pages = insights.panel.pages
                for i in range(pages.count()):
                    if pages.tabText(i).lower() == args.page.lower():
                        pages.setCurrentIndex(i)
                if args.page.lower() == "trends":
                    wait(app, lambda: insights.trends is not None)
        app.processEvents()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(args.out))
        session.shutdown()
        window.close()
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
