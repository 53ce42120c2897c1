"""The command-line subcommands (``index``, ``search``): a stable interface for scripts.

No Qt here: these run without a display and start fast.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import TextIO

from reader.core.index import CorpusIndex, SyncReport, open_index
from reader.core.locations import Locations
from reader.core.search import SearchResult, SearchService


class Progress:
    """A one-line progress bar on a terminal; silent when output is not a terminal."""

    def __init__(self, stream: TextIO, label: str = "Indexing") -> None:
        self.stream = stream
        self.label = label
        self.enabled = stream.isatty()
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or (done % 50 and done != total):
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done:,} / {total:,}")
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()


def sync_index(
    corpus: Path, locations: Locations, show_progress: bool = True
) -> tuple[CorpusIndex, SyncReport]:
    index = open_index(corpus, locations.index_dir(corpus))
    progress = Progress(sys.stderr) if show_progress else None
    if index.rebuilt and progress is not None and progress.enabled:
        print("The index was damaged or outdated: rebuilding it.", file=sys.stderr)
    try:
        report = index.sync(progress=progress, cancel=threading.Event())
    finally:
        if progress is not None:
            progress.finish()
    return index, report


def run_index(corpus: Path, locations: Locations, as_json: bool) -> int:
    index, report = sync_index(corpus, locations)
    index.close()
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(format_report(report))
    return 0


def format_report(report: SyncReport) -> str:
    lines = [
        f"{report.added:,} added, {report.updated:,} updated, {report.removed:,} removed, "
        f"{report.unchanged:,} unchanged, {len(report.problems):,} problems ({report.seconds:.1f} s)"
    ]
    lines.extend(f"  skipped {path}: {reason}" for path, reason in report.problems)
    return "\n".join(lines)


def run_search(corpus: Path, locations: Locations, text: str, limit: int, sort: str, as_json: bool) -> int:
    index, _ = sync_index(corpus, locations)
    service = SearchService(index)
    try:
        result = service.search(text, limit=limit, sort=sort)
    finally:
        service.close()
        index.close()
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_result(result, bold=sys.stdout.isatty()))
    return 0


def format_result(result: SearchResult, bold: bool = False) -> str:
    lines = [f"{result.total:,} result{'s' if result.total != 1 else ''} for {result.query!r}"]
    lines.extend(f"Note: {note}" for note in result.notes)
    if result.suggestion:
        lines.append(f"Did you mean: {result.suggestion}")
    for rank, hit in enumerate(result.hits, start=1):
        date = hit.date.isoformat() if hit.date else "no date"
        lines.append(f"{rank:>3}. {hit.title}  ({date})  {hit.path}")
        if hit.snippet:
            snippet = hit.snippet
            if bold:
                for start, end in reversed(hit.snippet_marks):
                    snippet = snippet[:start] + "\x1b[1m" + snippet[start:end] + "\x1b[0m" + snippet[end:]
            lines.append(f"     {snippet}")
    return "\n".join(lines)
