"""Benchmark rows for the article formats (bench.py --formats N): the same N generated articles
as plain text and as saved web pages (pages_gen.py), extraction alone and a cold index of each,
so the cost of reading pages shows next to plain text in one run; optionally real saved pages."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Any


def _now() -> float:
    return time.perf_counter()


def extract_all(corpus: Path) -> tuple[float, int]:
    """Read and extract every article file as the index does; (seconds, articles)."""
    from reader.core.corpus import (
        ArticleError,
        FileStat,
        extract_articles,
        read_bytes,
        read_limit,
        walk_corpus,
    )

    files = [f for f in walk_corpus(corpus) if isinstance(f, FileStat)]
    started = _now()
    count = 0
    for st in files:
        try:
            data, truncated = read_bytes(corpus / st.path, read_limit(st.path))
            count += len(extract_articles(st.path, data, truncated).articles)
        except ArticleError:
            pass
    return _now() - started, count


def cold_index(corpus: Path, index_dir: Path, workers: int | None = 0) -> tuple[float, int, float]:
    """A first index of ``corpus`` (``workers``: the sync's worker processes, None: the app's
    default); (seconds, articles, seconds of it spent extracting in this process)."""
    import reader.core.index as index_module
    from reader.core.index import open_index

    shutil.rmtree(index_dir, ignore_errors=True)
    spent = [0.0]
    real = index_module.extract_articles

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = _now()
        try:
            return real(*args, **kwargs)
        finally:
            spent[0] += _now() - started

    index_module.extract_articles = timed  # type: ignore[assignment]
    started = _now()
    try:
        index = open_index(corpus, index_dir)
        try:
            report = index.sync(cancel=threading.Event(), workers=workers)
        finally:
            index.close()
    finally:
        index_module.extract_articles = real  # type: ignore[assignment]
    return _now() - started, report.added, spent[0]


def _row(corpus: Path, work: Path, name: str) -> dict[str, Any]:
    extract_s, articles = extract_all(corpus)
    index_s, added, extracting_s = cold_index(corpus, work / f"index-{name}")
    pool_s, _, _ = cold_index(corpus, work / f"index-{name}-pool", workers=None)
    size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    return {
        "articles": added,
        "mb": round(size / 1e6, 1),
        "extract_s": round(extract_s, 2),
        "extract_per_s": round(articles / extract_s, 1) if extract_s else None,
        "cold_index_s": round(index_s, 2),
        "cold_index_per_s": round(added / index_s, 1) if index_s else None,
        # Measured inside the cold index itself: the part of it spent extracting articles.
        "extract_share": round(extracting_s / index_s, 2) if index_s else None,
        # The same cold index with the app's default worker pool (index_pool.py).
        "pool_cold_index_s": round(pool_s, 2),
        "pool_cold_index_per_s": round(added / pool_s, 1) if pool_s else None,
    }


def measure(work: Path, articles: int, seed: int, real_pages: Path | None = None) -> dict[str, Any]:
    import corpus_gen
    import pages_gen

    text = work / "formats-text"
    pages = work / "formats-pages"
    corpus_gen.generate(text, articles, seed=seed)
    pages_gen.generate(text, pages)
    out = {"text": _row(text, work, "text"), "html": _row(pages, work, "html")}
    if real_pages is not None:
        out["real_html"] = _row(real_pages, work, "real")
    return out


def report(results: dict[str, Any]) -> str:
    rows = [
        f"{'articles as':<24}{'articles':>9}{'MB':>7}{'extract/s':>11}{'cold index/s':>14}"
        f"{'extraction share':>18}{'with pool/s':>13}{'pool speed-up':>15}",
    ]
    for key, label in (
        ("text", "plain text (.txt)"),
        ("html", "generated pages (.html)"),
        ("real_html", "real saved pages"),
    ):
        r = results.get(key)
        if r is None:
            continue
        rows.append(
            f"{label:<24}{r['articles']:>9,}{r['mb']:>7}{r['extract_per_s']:>11}{r['cold_index_per_s']:>14}"
            f"{r['extract_share']:>17.0%}{r['pool_cold_index_per_s']:>13}"
            f"{r['pool_cold_index_per_s'] / r['cold_index_per_s']:>14.2f}×"
        )
    text, pages = results["text"], results["html"]
    if text["cold_index_per_s"] and pages["cold_index_per_s"]:
        rows.append(
            f"HTML cold index: {pages['cold_index_per_s'] / text['cold_index_per_s']:.2f}× plain text's speed"
        )
    return "\n".join(rows)
