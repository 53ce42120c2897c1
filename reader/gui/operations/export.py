"""File ▸ Export Results… / Export Concordance…: the result list or the concordance as CSV or
JSON, written on the reader lane (the GUI thread never waits on the disk or the index)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.gui.tasks.lanes import ReaderContext
from reader.gui.tasks.runner import ReadOp, TaskRunner

if TYPE_CHECKING:
    from reader.core.concordance import Concordance, Occurrence


def export_results(
    tasks: TaskRunner, query: str, sort: str, fmt: str, target: Path, done: Callable[[int], None]
) -> ReadOp[int]:
    """Every hit of ``query`` (every article without one), one row each, into ``target``."""

    def work(ctx: ReaderContext) -> int:
        from reader.core import tables

        if query:
            total = ctx.service.search(query, limit=1, snippets=False).total
            result = ctx.service.search(query, limit=max(total, 1), sort=sort)
            rows = tables.hit_rows(result.hits)
            data: object = result.to_json()
        else:
            articles = ctx.catalog.articles("date-asc" if sort == "date-asc" else "date")
            rows = [
                {
                    "rank": i,
                    "path": a.path,
                    "title": a.title,
                    "date": a.date.isoformat() if a.date else "",
                    "source": a.source,
                    "score": "",
                    "snippet": "",
                }
                for i, a in enumerate(articles, start=1)
            ]
            data = {"query": "", "total": len(rows), "hits": rows}
        _write(target, fmt, tables.SEARCH_COLUMNS, rows, data)
        return len(rows)

    return ReadOp(tasks, work, done).described("Export failed")


def export_concordance(
    tasks: TaskRunner,
    run: Concordance,
    rows: Sequence[Occurrence],
    fmt: str,
    target: Path,
    done: Callable[[int], None],
) -> ReadOp[int]:
    """The concordance's rows (as shown), one occurrence each, into ``target``."""
    kept = list(rows)

    def work(_ctx: ReaderContext) -> int:
        from reader.core import tables

        _write(
            target,
            fmt,
            tables.CONCORDANCE_COLUMNS,
            tables.occurrence_rows(kept),
            tables.concordance_json(run, kept),
        )
        return len(kept)

    return ReadOp(tasks, work, done, needs_index=False).described("Export failed")


def _write(
    target: Path, fmt: str, columns: Sequence[str], rows: list[dict[str, object]], data: object
) -> None:
    from reader.core import tables

    if fmt == "csv":
        out = io.StringIO()
        tables.write_csv(out, columns, rows)
        text = out.getvalue()
    else:
        text = tables.dumps(data)
    # newline="": the CSV's own CRLF line ends stay as they are.
    with open(target, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
