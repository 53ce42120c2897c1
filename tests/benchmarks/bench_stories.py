"""Benchmark rows for stories and insights (called from bench.py): stories cold and after a
change, collocates and keywords for a query matching about 10,000 articles."""

from __future__ import annotations

import threading
import time
from typing import Any


def _now() -> float:
    return time.perf_counter()


def update(index: Any) -> tuple[float, Any]:
    from reader.core.stories import update_stories

    catalog = index.catalog()
    try:
        started = _now()
        changes = update_stories(index.dir, index.corpus, catalog, cancel=threading.Event())
        return _now() - started, changes
    finally:
        catalog.close()


def measure_cold(index: Any, cold_index_seconds: float) -> dict[str, Any]:
    """Stories (and the word store) for a freshly built index."""
    from reader.core.wordstore import store_path

    seconds, changes = update(index)
    again, _ = update(index)
    size = store_path(index.dir).stat().st_size
    return {
        "articles": len(changes.added),
        "seconds": round(seconds, 2),
        "ratio_to_cold_index": round(seconds / cold_index_seconds, 3) if cold_index_seconds else None,
        "nochange_s": round(again, 3),
        "store_mb": round(size / 1e6, 1),
    }


def measure_churn(index: Any) -> dict[str, Any]:
    """Stories after a sync that changed, added and deleted articles."""
    seconds, changes = update(index)
    return {
        "seconds": round(seconds, 3),
        "added": len(changes.added),
        "updated": len(changes.updated),
        "removed": len(changes.removed),
    }


def pick_query(index: Any, target: int = 10_000) -> tuple[str, int]:
    """A word whose article count is nearest ``target`` (the corpus's own words)."""
    from reader.core.wordstore import WordStore, store_path

    store = WordStore(store_path(index.dir))
    try:
        row = store.db.execute(
            "SELECT surface, df FROM terms WHERE length(term) > 3 ORDER BY abs(df - ?) LIMIT 1", (target,)
        ).fetchone()
    finally:
        store.close()
    return str(row[0]), int(row[1])


def measure_insights(index: Any, repeat: int) -> dict[str, Any]:
    from reader.core.insights import insights
    from reader.core.wordstore import WordStore, store_path

    word, _ = pick_query(index)
    store = WordStore(store_path(index.dir))
    firsts, totals = [], []
    result = None
    try:
        with index.ix.searcher() as searcher:
            for _ in range(repeat):
                started = _now()
                first = None
                for result in insights(searcher, store, word):  # noqa: B007 (the last is kept)
                    if first is None:
                        first = _now() - started
                totals.append(_now() - started)
                firsts.append(first or 0.0)
    finally:
        store.close()
    assert result is not None
    return {
        "query": word,
        "articles": result.total,
        "tokens": result.tokens,
        "first_partial_s": round(sorted(firsts)[len(firsts) // 2], 3),
        "seconds": round(sorted(totals)[len(totals) // 2], 3),
        "collocates": len(result.collocates),
        "keywords": len(result.keywords),
    }


def report_rows(results: dict[str, Any]) -> list[str]:
    s = results.get("stories", {})
    if not s:
        return []
    cold, churn, ins = s.get("cold", {}), s.get("churn", {}), s.get("insights", {})
    lines = ["", "Stories and insights"]
    if cold:
        lines.append(
            f"  stories, cold: {cold['seconds']} s for {cold['articles']:,} articles "
            f"({cold['ratio_to_cold_index']}x the cold index); no change: {cold['nochange_s']} s; "
            f"word store {cold['store_mb']} MB"
        )
    if churn:
        lines.append(
            f"  stories after a change: {churn['seconds']} s ({churn['added']} added, "
            f"{churn['updated']} changed, {churn['removed']} deleted)"
        )
    if ins:
        lines.append(
            f"  collocates + keywords + n-grams for {ins['query']!r} ({ins['articles']:,} articles, "
            f"{ins['tokens']:,} words): first partial {ins['first_partial_s']} s, all {ins['seconds']} s"
        )
    return lines
