"""``corpus-reader search --batch FILE``: one query per line, one result per line, in order.

Made for scripts and lists of names (Datashare's batch search is the model): the index is brought
up to date once, then each line is answered and written at once (flushed), so a long list shows
progress and a reader of the pipe can act on each answer. A line that cannot be searched (not
UTF-8, empty, a search that failed) gets its own result with a note; the batch goes on.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from reader.cli import search_marks, search_or_rebuild, sync_index, with_stories
from reader.core.index import CorpusIndex
from reader.core.locations import Locations
from reader.core.search import SearchResult, SearchService

#: The CSV of a batch: the query and its total on every row, then the columns of ``search``.
BATCH_COLUMNS = ("query", "total", "notes")


def run_batch(
    corpus: Path, locations: Locations, source: str, limit: int, sort: str, fmt: str, force: bool = False
) -> int:
    """Answer every line of ``source`` (a file, or ``-`` for standard input)."""
    try:
        stream: BinaryIO = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        raise OSError(f"cannot read {source}: {exc.strerror or exc}") from exc
    try:
        index, _ = sync_index(corpus, locations, stale_ok=True, force=force, stories=fmt != "csv")
        service = SearchService(index, search_marks(corpus, locations))  # is:/label: terms too
        try:
            out = CsvOut(sys.stdout) if fmt == "csv" else None
            for result in answers(index, service, stream, limit, sort):
                if out is not None:
                    out.write(result)
                else:
                    data = with_stories(result.to_json(), index)
                    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
                sys.stdout.flush()
        finally:
            service.close()
            index.close()
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return 0


def answers(
    index: CorpusIndex, service: SearchService, lines: BinaryIO, limit: int, sort: str
) -> Iterator[SearchResult]:
    """One result per input line, in input order."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip(b"\r\n")
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            text = line.decode("utf-8", errors="replace")
            yield SearchResult(
                text, 0, [], sort=sort, notes=[f"Line {number} is not UTF-8 text: not searched."]
            )
            continue
        if not text.strip():
            yield SearchResult(
                text, 0, [], sort=sort, notes=[f"Line {number} is empty: nothing to search for."]
            )
            continue
        try:
            yield search_or_rebuild(index, service, text, limit, sort)
        except Exception as exc:  # one bad query never stops the batch
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            yield SearchResult(
                text, 0, [], sort=sort, notes=[f"Line {number} could not be searched: {reason}"]
            )


class CsvOut:
    """One CSV table for the whole batch: a header, then each query's hits (a query without
    hits still gets one row, with its total and notes, so that no line of the input is lost)."""

    def __init__(self, stream: TextIO) -> None:
        from reader.core import tables

        self.tables = tables
        self.columns = [*BATCH_COLUMNS, *tables.SEARCH_COLUMNS]
        self.writer = csv.DictWriter(
            stream, fieldnames=self.columns, extrasaction="ignore", lineterminator="\r\n"
        )
        self.writer.writeheader()

    def write(self, result: SearchResult) -> None:
        head: dict[str, object] = {
            "query": result.query,
            "total": result.total,
            "notes": " ".join(
                result.notes + ([f"Did you mean: {result.suggestion}"] if result.suggestion else [])
            ),
        }
        rows = self.tables.hit_rows(result.hits, result.offset + 1) or [{}]
        for row in rows:
            self.writer.writerow({k: self.tables.safe_cell(v) for k, v in {**head, **row}.items()})
