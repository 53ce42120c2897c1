"""Search results and concordances as tables: CSV (and JSON) for spreadsheets and scripts.

One row per hit or per occurrence, a header row first, UTF-8. A cell that a spreadsheet would
take for a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
leading apostrophe, so an article's text can never run as a formula when the file is opened
(OWASP "CSV injection"); every other cell is the text as it is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from reader.core.concordance import Concordance, Occurrence
from reader.core.search import Hit, SearchResult

SEARCH_COLUMNS = ("rank", "path", "title", "date", "source", "score", "snippet")
CONCORDANCE_COLUMNS = ("path", "title", "date", "start", "end", "left", "match", "right")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hit_rows(hits: Sequence[Hit], first_rank: int = 1) -> list[dict[str, object]]:
    """One row per hit, ranked from ``first_rank``."""
    return [
        {
            "rank": rank,
            "path": hit.path,
            "title": hit.title,
            "date": hit.date.isoformat() if hit.date else "",
            "source": hit.source,
            "score": round(hit.score, 4),
            "snippet": hit.snippet,
        }
        for rank, hit in enumerate(hits, start=first_rank)
    ]


def occurrence_rows(rows: Iterable[Occurrence]) -> list[dict[str, object]]:
    """One row per occurrence."""
    return [{**o.to_json(), "date": o.date.isoformat() if o.date else ""} for o in rows]


def safe_cell(value: object) -> object:
    """A cell a spreadsheet shows as text, never evaluates."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(stream: TextIO, columns: Sequence[str], rows: Iterable[dict[str, object]]) -> None:
    """A header row, then the rows (RFC 4180 quoting, CRLF line ends)."""
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})


def search_csv(result: SearchResult) -> str:
    out = io.StringIO()
    write_csv(out, SEARCH_COLUMNS, hit_rows(result.hits, result.offset + 1))
    return out.getvalue()


def concordance_csv(rows: Iterable[Occurrence]) -> str:
    out = io.StringIO()
    write_csv(out, CONCORDANCE_COLUMNS, occurrence_rows(rows))
    return out.getvalue()


def concordance_json(run: Concordance, rows: Sequence[Occurrence]) -> dict[str, object]:
    """The concordance as ``concordance --json`` prints it."""
    return {
        "query": run.query,
        "articles": run.articles,
        "total": run.total,
        "capped": run.capped,
        "notes": run.notes,
        "suggestion": run.suggestion,
        "occurrences": [o.to_json() for o in rows],
    }


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
