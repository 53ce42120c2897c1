"""Benchmark Corpus Reader's indexing, sync, search, article list and start-up.

    python tests/benchmarks/bench.py [--corpus DIR] [--articles N] [--languages en,ru,de,fr,es,tr]
        [--json FILE] [--repeat K] [--skip-gui]
    python tests/benchmarks/bench.py --bundle DIR/corpus-reader/corpus-reader [--corpus DIR] [--repeat K]
    python tests/benchmarks/bench.py --formats N [--corpus DIR_OF_SAVED_PAGES] [--json FILE]

Not a test: CI does not run it. Without ``--corpus`` it generates N news-like articles
(``corpus_gen.py``, seeded; with ``--languages``, ``multilingual_gen.py``: articles in those
languages in turn, each with its own query mix) in a temporary folder; with ``--corpus`` it
works on a temporary copy, so the 1% change/add/delete step never touches the original. Every
figure of ours is shown next to two baselines run in the same process on the same files and queries:

* bare Whoosh: the same parser, ``create_in`` with a simple schema, one writer, default settings,
  one commit (the floor any Whoosh app stands on);
* SQLite FTS5 (``tokenize='porter'``, ``snippet()``): the embedded-engine limit.

Ratios are ours / baseline: above 1 means ours takes longer (times, sizes) or goes faster (rates).
The GUI start-up is measured in fresh subprocesses that build the real MainWindow and Session
(``--gui-driver``, internal) and report times relative to the moment the parent launched them.
The timing goals live in TARGETS below, not in any test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# Only the stdlib is imported at module level: the GUI driver subprocess must pay for the app's own
# imports, not the benchmark's.
sys.path[:0] = [str(ROOT), str(HERE)]

SEARCH_LIMIT = 50
APP_PAGE = 50  # reader.gui.operations.search.PAGE_SIZE: what the window actually asks for
#: reader.gui.operations.search.FIRST_SNIPPETS: the rows in view, the only ones a window's
#: search makes snippets for (the others get theirs when scrolled into view).
APP_SNIPPETS = 12
LIST_ROWS = 100_000
GUI_QUERY = "oil prices"


# --- the query mix -------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str
    text: str  # our (and bare Whoosh's) syntax
    fts: str | None  # the FTS5 MATCH expression; None: no full-text part
    date_range: tuple[str, str] | None = None
    note: str = ""


def query_mix(year: int) -> list[Query]:
    """The fixed mix; the date range is the first half of the corpus's median year."""
    lo, hi = f"{year}-01-01", f"{year}-06-30"
    rng = f"date:[{lo} to {hi}]"
    return [
        Query("term", "oil", "oil"),
        Query("term", "government", "government"),
        Query("term", "ceasefire", "ceasefire"),
        Query("two words", "oil prices", "oil prices"),
        Query("two words", "trade talks", "trade talks"),
        Query("phrase", '"European Central Bank"', '"European Central Bank"'),
        Query("phrase", '"Minsk group"', '"Minsk group"'),
        Query("phrase", '"Federal Reserve"', '"Federal Reserve"'),
        Query("OR", "oil OR gas", "oil OR gas"),
        Query("NOT", "bank NOT central", "bank NOT central"),
        Query("field", "title:oil", "title:oil"),
        Query("date range", rng, None, (lo, hi)),
        Query("term+date", f"inflation {rng}", "inflation", (lo, hi)),
        Query("prefix", "econom*", "econom*"),
        Query("fuzzy", "goverment~", "government", note="FTS5 has no fuzzy match: searched the exact word"),
    ]


def multilingual_mix(languages: list[str], year: int) -> list[Query]:
    """Per language: its words, phrases and folded spellings; then one date range."""
    import multilingual_gen

    lo, hi = f"{year}-01-01", f"{year}-06-30"
    out = [
        Query(f"{code} {kind}", text, fts)
        for code in languages
        for kind, text, fts in multilingual_gen.QUERIES.get(code, [])
    ]
    out.append(Query("date range", f"date:[{lo} to {hi}]", None, (lo, hi)))
    return out


# --- helpers -------------------------------------------------------------------------------


def now() -> float:
    return time.perf_counter()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def dir_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def article_files(corpus: Path) -> list[Any]:
    from reader.core.corpus import FileStat, walk_corpus

    return [item for item in walk_corpus(corpus) if isinstance(item, FileStat)]


def parse_file(corpus: Path, rel: str) -> Any:
    """Read and parse one file exactly as the app does; None when the app would skip it."""
    from reader.core.corpus import ArticleError, extract_articles, read_bytes, read_limit

    try:
        data, truncated = read_bytes(corpus / rel, read_limit(rel))
        articles = extract_articles(rel, data, truncated).articles
        return articles[0] if articles else None
    except ArticleError:
        return None


# --- corpus preparation and churn ------------------------------------------------------------


def prepare_corpus(args: argparse.Namespace, work: Path) -> tuple[Path, dict[str, Any]]:
    corpus = work / "corpus"
    started = now()
    if args.corpus is not None:
        shutil.copytree(args.corpus, corpus)
        origin = f"copy of {args.corpus}"
    elif args.languages:
        import multilingual_gen

        multilingual_gen.generate(corpus, args.articles, args.languages, seed=args.seed)
        origin = f"generated (multilingual_gen: {','.join(args.languages)}; seed {args.seed})"
    else:
        import corpus_gen

        corpus_gen.generate(corpus, args.articles, seed=args.seed)
        origin = f"generated (corpus_gen, seed {args.seed})"
    seconds = now() - started
    files = article_files(corpus)
    info = {
        "origin": origin,
        "files": len(files),
        "bytes": sum(f.size for f in files),
        "prepare_s": round(seconds, 2),
    }
    log(f"corpus: {info}")
    return corpus, info


def churn(corpus: Path, rng: random.Random, tag: int, per_mille: int = 10) -> dict[str, int]:
    """Change 1% of the files (``per_mille`` ‰), add as many new ones and delete as many."""
    import corpus_gen

    files = sorted(f.path for f in article_files(corpus))
    k = max(1, len(files) * per_mille // 1000)
    picked = rng.sample(files, 2 * k)
    for rel in picked[:k]:
        path = corpus / rel
        with open(path, "ab") as fh:
            fh.write(
                f"\n\nCorrection {tag}: an earlier version of this article misstated a figure.\n".encode()
            )
    for rel in picked[k:]:
        (corpus / rel).unlink()
    maker = corpus_gen.ArticleMaker(seed=1000 + tag)
    folder, again = corpus / f"added-{tag}", 1
    while folder.exists():  # a resumed run churns again
        folder, again = corpus / f"added-{tag}-{again}", again + 1
    folder.mkdir()
    for i in range(k):
        (folder / f"new-{i:05d}.txt").write_text(maker.text(), encoding="utf-8")
    return {"changed": k, "added": k, "deleted": k}


# --- engines -------------------------------------------------------------------------------


class Ours:
    """Corpus Reader's own core: open_index(...).sync() and SearchService.search()."""

    name = "ours"

    def __init__(self, corpus: Path, work: Path) -> None:
        self.corpus = corpus
        self.dir = work / "ours-index"
        self.index: Any = None
        self.service: Any = None

    def build(self) -> None:
        from reader.core.index import open_index

        self.index = open_index(self.corpus, self.dir)
        report = self.index.sync()
        if report.problems:
            log(f"ours: {len(report.problems)} files skipped, e.g. {report.problems[:3]}")

    def built(self) -> bool:
        return (self.dir / "meta.json").exists()

    def load(self) -> None:
        """Open the index a previous run of ``--work`` built (``--only`` without ``cold``)."""
        from reader.core.index import open_index

        self.index = open_index(self.corpus, self.dir)

    def segments(self) -> int:
        return len(self.index.ix._segments())

    def size(self) -> int:
        return dir_size(self.dir)

    def cold_index_one_process(self) -> float:
        """A cold index of the same corpus into a scratch folder with no worker processes."""
        from reader.core.index import open_index

        scratch = self.dir.with_name("ours-one-process")
        started = now()
        index = open_index(self.corpus, scratch)
        index.sync(workers=0)
        index.close()
        seconds = now() - started
        shutil.rmtree(scratch, ignore_errors=True)
        return seconds

    def sync(self) -> None:
        self.index.sync()

    def reopen_and_sync(self) -> float:
        """What a launch does: open the index afresh and sync it; returns the open time."""
        from reader.core.index import open_index

        started = now()
        index = open_index(self.corpus, self.dir)
        opened = now() - started
        index.sync()
        index.close()
        return opened

    def search(self, query: Query, limit: int = SEARCH_LIMIT, snippets: bool | int = True) -> int:
        from reader.core.search import SearchService

        if self.service is None:
            self.service = SearchService(self.index)
        self.service.forget()  # every query of the mix is timed from scratch (rankings, snippets)
        return self.service.search(query.text, limit=limit, snippets=snippets).total

    def search_old_path(self, query: Query, limit: int = SEARCH_LIMIT) -> int:
        """The search path before the set-based ranking: one unlimited Whoosh pass per query
        (``whoosh_ranking``, kept in the product for query shapes the new path does not know)."""
        import reader.core.search as search_module
        from reader.core.ranked import whoosh_ranking

        original = search_module.rank
        search_module.rank = lambda searcher, parsed, sort: whoosh_ranking(searcher, parsed, sort)
        try:
            return self.search(query, limit)
        finally:
            search_module.rank = original


class BareWhoosh:
    """Plain Whoosh: simple schema, one writer with default settings, one commit."""

    name = "bare_whoosh"

    def __init__(self, corpus: Path, work: Path) -> None:
        self.corpus = corpus
        self.dir = work / "bare-whoosh"
        self.ix: Any = None
        self.state: dict[str, tuple[int, int]] = {}
        self._searcher: Any = None
        self._parser: Any = None

    @staticmethod
    def schema() -> Any:
        from whoosh.fields import DATETIME, ID, TEXT, Schema

        return Schema(
            path=ID(unique=True, stored=True),
            title=TEXT(stored=True),
            body=TEXT(),
            date=DATETIME(stored=True),
        )

    @staticmethod
    def doc(article: Any) -> dict[str, Any]:
        import datetime as dt

        doc: dict[str, Any] = {"path": article.path, "title": article.title, "body": article.body}
        if article.date is not None:
            doc["date"] = dt.datetime.combine(article.date, dt.time())
        return doc

    def build(self) -> None:
        from whoosh import index

        self.dir.mkdir()
        self.ix = index.create_in(str(self.dir), self.schema())
        writer = self.ix.writer()
        for st in article_files(self.corpus):
            article = parse_file(self.corpus, st.path)
            if article is not None:
                writer.add_document(**self.doc(article))
            self.state[st.path] = (st.size, st.mtime_ns)
        writer.commit()
        self._save_state()

    def built(self) -> bool:
        return self._state_file.exists()

    def load(self) -> None:
        from whoosh import index

        self.ix = index.open_dir(str(self.dir))
        self.state = {p: (s[0], s[1]) for p, s in json.loads(self._state_file.read_text()).items()}

    @property
    def _state_file(self) -> Path:
        return self.dir.with_name("bare-whoosh-state.json")

    def _save_state(self) -> None:
        self._state_file.write_text(json.dumps(self.state))

    def size(self) -> int:
        return dir_size(self.dir)

    def sync(self) -> None:
        to_read, gone = changes(self.corpus, self.state)
        if not to_read and not gone:
            return
        writer = self.ix.writer()
        for path in gone:
            writer.delete_by_term("path", path)
            del self.state[path]
        for st in to_read:
            article = parse_file(self.corpus, st.path)
            if article is not None:
                writer.update_document(**self.doc(article))
            self.state[st.path] = (st.size, st.mtime_ns)
        writer.commit()
        self._save_state()

    def search(self, query: Query, limit: int = SEARCH_LIMIT) -> int:
        from whoosh.qparser import FuzzyTermPlugin, MultifieldParser

        from reader.core.corpus import ArticleError, load_article

        if self._parser is None:
            self._parser = MultifieldParser(["title", "body"], self.ix.schema)
            self._parser.add_plugin(FuzzyTermPlugin())
            self._searcher = self.ix.searcher()
        self._searcher = self._searcher.refresh()
        results = self._searcher.search(self._parser.parse(query.text), limit=limit)
        total = len(results)
        for hit in results:
            try:
                article = load_article(self.corpus, hit["path"])
            except ArticleError:
                continue
            hit.highlights("body", text=article.body)
        return total


class Fts5:
    """SQLite FTS5 with the porter tokenizer; snippets by snippet()."""

    name = "fts5"

    def __init__(self, corpus: Path, work: Path) -> None:
        import sqlite3

        self.corpus = corpus
        self.path = work / "fts5.sqlite3"
        self.db = sqlite3.connect(self.path)
        self.state: dict[str, tuple[int, int, int]] = {}  # path: size, mtime_ns, rowid

    def build(self) -> None:
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            "path UNINDEXED, title, body, date UNINDEXED, tokenize='porter')"
        )
        with self.db:
            for st in article_files(self.corpus):
                self._add(st)
        self._save_state()

    def built(self) -> bool:
        return self._state_file.exists()

    def load(self) -> None:
        self.state = {p: (s[0], s[1], s[2]) for p, s in json.loads(self._state_file.read_text()).items()}

    @property
    def _state_file(self) -> Path:
        return self.path.with_name("fts5-state.json")

    def _save_state(self) -> None:
        self._state_file.write_text(json.dumps(self.state))

    def _add(self, st: Any) -> None:
        article = parse_file(self.corpus, st.path)
        rowid = -1
        if article is not None:
            cur = self.db.execute(
                "INSERT INTO docs (path, title, body, date) VALUES (?, ?, ?, ?)",
                (
                    article.path,
                    article.title,
                    article.body,
                    article.date.isoformat() if article.date else None,
                ),
            )
            rowid = int(cur.lastrowid or -1)
        self.state[st.path] = (st.size, st.mtime_ns, rowid)

    def size(self) -> int:
        return dir_size(self.path)

    def sync(self) -> None:
        to_read, gone = changes(self.corpus, {p: s[:2] for p, s in self.state.items()})
        if not to_read and not gone:
            return
        with self.db:
            for path in gone:
                self.db.execute("DELETE FROM docs WHERE rowid = ?", (self.state.pop(path)[2],))
            for st in to_read:
                old = self.state.get(st.path)
                if old is not None:
                    self.db.execute("DELETE FROM docs WHERE rowid = ?", (old[2],))
                self._add(st)
        self._save_state()

    def search(self, query: Query, limit: int = SEARCH_LIMIT) -> int:
        where, params = [], []
        if query.fts is not None:
            where.append("docs MATCH ?")
            params.append(query.fts)
        if query.date_range is not None:
            where.append("date BETWEEN ? AND ?")
            params.extend(query.date_range)
        clause = " AND ".join(where)
        total = self.db.execute(f"SELECT count(*) FROM docs WHERE {clause}", params).fetchone()[0]
        if query.fts is not None:
            sql = (
                "SELECT path, title, date, snippet(docs, 2, '<b>', '</b>', '…', 32) "
                f"FROM docs WHERE {clause} ORDER BY rank LIMIT ?"
            )
        else:
            sql = f"SELECT path, title, date, substr(body, 1, 220) FROM docs WHERE {clause} LIMIT ?"
        self.db.execute(sql, [*params, limit]).fetchall()
        return int(total)


def changes(corpus: Path, state: dict[str, tuple[int, int]]) -> tuple[list[Any], list[str]]:
    """The baselines' minimal incremental sync: a walk and a size/mtime comparison."""
    on_disk = {st.path: st for st in article_files(corpus)}
    to_read = [st for p, st in on_disk.items() if state.get(p) != (st.size, st.mtime_ns)]
    gone = [p for p in state if p not in on_disk]
    return to_read, gone


# --- measurements --------------------------------------------------------------------------


def measure_parse(corpus: Path, files: list[Any]) -> tuple[dict[str, Any], int]:
    """Read and parse every file once (also warms the page cache for every engine alike)."""
    started = now()
    years = []
    for st in files:
        article = parse_file(corpus, st.path)
        if article is not None and article.date is not None:
            years.append(article.date.year)
    seconds = now() - started
    year = int(median([float(y) for y in years])) if years else 2019
    return {"seconds": round(seconds, 2), "articles_per_s": round(len(files) / seconds, 1)}, year


def measure_cold(engine: Any, info: dict[str, Any], repeat: int) -> dict[str, Any]:
    """The cold index, then no-change syncs (and for ours, opening the index afresh)."""
    out: dict[str, Any] = {}
    log(f"{engine.name}: cold index")
    started = now()
    engine.build()
    seconds = now() - started
    out["cold_index"] = {
        "seconds": round(seconds, 2),
        "articles_per_s": round(info["files"] / seconds, 1),
        "mb_per_s": round(info["bytes"] / 1e6 / seconds, 2),
        "size_mb": round(engine.size() / 1e6, 1),
    }
    log(f"{engine.name}: {out['cold_index']}")
    if isinstance(engine, Ours):
        # The same cold index read in this one process (no worker pool): before/after in one run.
        log("ours: cold index in one process")
        seconds = engine.cold_index_one_process()
        out["cold_index_one_process"] = {
            "seconds": round(seconds, 2),
            "articles_per_s": round(info["files"] / seconds, 1),
        }
        log(f"ours, one process: {out['cold_index_one_process']}")

    times = []
    for _ in range(repeat):
        started = now()
        engine.sync()
        times.append(now() - started)
    out["nochange_sync_s"] = round(median(times), 3)
    if isinstance(engine, Ours):
        opens, totals = [], []
        for _ in range(repeat):
            started = now()
            opens.append(engine.reopen_and_sync())
            totals.append(now() - started)
        out["open_s"] = round(median(opens), 3)
        out["open_and_nochange_sync_s"] = round(median(totals), 3)
    return out


def measure_search(engine: Any, queries: list[Query], repeat: int) -> dict[str, Any]:
    """The query mix, ``repeat`` times (for ours also the old path and the app's page size)."""
    out: dict[str, Any] = {}
    log(f"{engine.name}: search")
    engine.search(queries[0])  # the first search opens the searcher; not part of the mix
    per_query: dict[str, dict[str, Any]] = {}
    samples = []
    for _ in range(repeat):
        for q in queries:
            started = now()
            total = engine.search(q)
            ms = (now() - started) * 1000
            samples.append(ms)
            per_query.setdefault(q.text, {"kind": q.kind, "total": total, "ms": []})["ms"].append(ms)
    for entry in per_query.values():
        entry["ms"] = round(median(entry["ms"]), 1)
    out["search"] = {
        "limit": SEARCH_LIMIT,
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "per_query": per_query,
    }
    if isinstance(engine, Ours):
        old_samples = []
        for _ in range(repeat):
            for q in queries:
                started = now()
                engine.search_old_path(q)
                old_samples.append((now() - started) * 1000)
        out["search_old_path"] = {
            "p50_ms": round(percentile(old_samples, 50), 1),
            "p95_ms": round(percentile(old_samples, 95), 1),
        }
        page = []
        for _ in range(repeat):
            for q in queries:
                started = now()
                engine.search(q, limit=APP_PAGE, snippets=APP_SNIPPETS)
                page.append((now() - started) * 1000)
        out["search_app_page"] = {
            "limit": APP_PAGE,
            "snippets": APP_SNIPPETS,
            "p50_ms": round(percentile(page, 50), 1),
            "p95_ms": round(percentile(page, 95), 1),
        }
    log(f"{engine.name}: search p50 {out['search']['p50_ms']} ms, p95 {out['search']['p95_ms']} ms")
    return out


def measure_triage(ours: Ours, work: Path, repeat: int) -> dict[str, Any]:
    """The is:/label: filters with 90% of the corpus unread: each timed search follows a change of
    read state, as in the window (a cached ranking of the same query cannot answer it)."""
    from reader.core import marks
    from reader.core.annotations import AnnotationStore
    from reader.core.mark_filter import MarkSource
    from reader.core.search import SearchService

    out: dict[str, Any] = {}
    db = work / "triage-annotations.sqlite3"
    store = AnnotationStore(db)
    key = str(ours.corpus)
    catalog = ours.index.catalog()
    paths = sorted(catalog.file_states())
    catalog.close()
    rng = random.Random(11)
    read = rng.sample(paths, len(paths) // 10)
    started = now()
    marks.set_read(store, key, read)
    out["mark_10pct_read_s"] = round(now() - started, 3)
    marks.add_label(store, key, "sample", rng.sample(paths, max(1, len(paths) // 100)))
    source = MarkSource(key, lambda: AnnotationStore(db))
    service = SearchService(ours.index, source)
    started = now()
    first = service.search("is:unread", limit=APP_PAGE)
    out["first_is_unread_ms"] = round((now() - started) * 1000, 1)  # reads the path table once
    out["articles"], out["unread"] = len(paths), first.total
    assert first.total == len(paths) - len(read), (first.total, len(paths), len(read))
    flip = rng.sample(paths, repeat * 8)
    for text in ("is:unread", "is:unread oil", "label:sample", "is:read government"):
        times = []
        for i in range(repeat * 2):
            marks.set_read(store, key, [flip.pop()], read=bool(i % 2))
            started = now()
            service.search(text, limit=APP_PAGE)
            times.append((now() - started) * 1000)
        out[text] = {"p50_ms": round(percentile(times, 50), 1), "max_ms": round(max(times), 1)}
    service.close()
    store.close()
    log(f"triage: {out}")
    return out


def measure_mark_read(ours: Ours, work: Path, repeat: int) -> dict[str, Any]:
    """Opening an article marks it read: the GUI thread's part (the window's Triage mirror, the
    write queued to the marks lane) against writing on the spot, while another connection holds
    the database's write lock (a long write elsewhere, a slow disk)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import sqlite3
    import threading

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from reader.core import marks
    from reader.core.annotations import AnnotationStore
    from reader.gui.tasks.lanes import ReaderContext, WriterContext
    from reader.gui.tasks.runner import TaskRunner
    from reader.gui.tasks.triage import Triage

    app = QApplication.instance() or QApplication([sys.argv[0]])
    db = work / "mark-read-annotations.sqlite3"
    AnnotationStore(db).close()
    key = str(ours.corpus)
    catalog = ours.index.catalog()
    paths = sorted(catalog.file_states())[: 40 * repeat]
    catalog.close()
    out: dict[str, Any] = {}

    direct = AnnotationStore(db)
    times = []
    for path in paths[: 10 * repeat]:
        started = now()
        marks.set_read(direct, key, [path])
        times.append((now() - started) * 1000)
    out["direct_write_ms"] = {"p50": round(percentile(times, 50), 2), "max": round(max(times), 2)}
    direct.close()

    corpus = Path(key)
    reader = ReaderContext(corpus, db, log)
    writer = WriterContext(corpus, work / "mark-read-index", db, threading.Event(), log)
    tasks = TaskRunner(reader, writer)
    triage = Triage(tasks)
    triage.start()
    deadline = now() + 30
    while not triage.loaded and now() < deadline:
        app.processEvents()
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # the lane's write waits for this lock
    held = now()
    gui = []
    wanted = paths[10 * repeat : 40 * repeat]
    for path in wanted:
        started = now()
        triage.set_read([path])
        gui.append((now() - started) * 1000)
    out["gui_mark_read_ms_while_locked"] = {"p50": round(percentile(gui, 50), 3), "max": round(max(gui), 3)}
    while now() - held < 0.5:
        app.processEvents()
    blocker.execute("COMMIT")
    blocker.close()
    check = AnnotationStore(db)
    while now() < deadline and not set(wanted) <= marks.read_paths(check, key):
        QCoreApplication.processEvents()
    out["all_written_after_lock"] = set(wanted) <= marks.read_paths(check, key)
    check.close()
    tasks.shutdown()
    log(f"mark read: {out}")
    return out


def measure_churn(engines: list[Any], corpus: Path, repeat: int, results: dict[str, dict[str, Any]]) -> None:
    rng = random.Random(7)
    times: dict[str, list[float]] = {e.name: [] for e in engines}
    for rep in range(repeat):
        done = churn(corpus, rng, rep)
        for engine in engines:
            started = now()
            engine.sync()
            times[engine.name].append(now() - started)
    for engine in engines:
        results.setdefault(engine.name, {})["churn_sync_s"] = round(median(times[engine.name]), 3)
        results[engine.name]["churn"] = done
    results["ours"]["churn_segments"] = engines[0].segments()
    log("churn: " + ", ".join(f"{n} {median(t):.2f} s" for n, t in times.items()))


SMALL_SYNCS = 20


def measure_small_syncs(ours: Ours, corpus: Path, queries: list[Query]) -> dict[str, Any]:
    """Many small syncs in a row (0.1% changed, added and deleted each, as a watched folder
    sees them), then the query mix: the segments they leave must not slow searching down."""
    rng = random.Random(17)
    before = ours.segments()
    times, counts = [], []
    for i in range(SMALL_SYNCS):
        churn(corpus, rng, 100 + i, per_mille=1)
        started = now()
        ours.sync()
        times.append(now() - started)
        counts.append(ours.segments())
    samples = []
    ours.search(queries[0])  # a fresh searcher over the new segments, as after any sync
    for q in queries:
        started = now()
        ours.search(q)
        samples.append((now() - started) * 1000)
    out = {
        "syncs": SMALL_SYNCS,
        "sync_p50_s": round(median(times), 3),
        "sync_max_s": round(max(times), 3),
        "segments_before": before,
        "segments_max": max(counts),
        "segments_after": counts[-1],
        "search_p50_ms": round(percentile(samples, 50), 1),
        "search_p95_ms": round(percentile(samples, 95), 1),
    }
    log(f"small syncs: {out}")
    return out


def measure_list(ours: Ours, queries: list[Query]) -> dict[str, Any]:
    """Fill the real list model with every article (cycled up to LIST_ROWS) and scroll a QListView."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from reader.core.search import SearchService
    from reader.gui.views.article_list import (
        ArticleDelegate,
        ArticleListModel,
        Row,
        make_article_view,
        row_from_article,
        row_from_hit,
    )

    app = QApplication.instance() or QApplication([sys.argv[0]])
    # The project excludes PySide6 6.12.0, which leaks references to None on Python 3.11; the
    # count stays in the results as a check of the bindings the benchmark ran with.
    out: dict[str, Any] = {"none_refs_lost": sys.getrefcount(None)}
    catalog = ours.index.catalog()
    started = now()
    articles = catalog.articles("date")
    out["catalog_read_ms"] = round((now() - started) * 1000, 1)
    started = now()
    base = [row_from_article(a) for a in articles]
    out["rows_build_ms"] = round((now() - started) * 1000, 1)
    catalog.close()
    rows = list(base)
    while len(rows) < LIST_ROWS:
        rows.extend(Row(f"{r.path}#{len(rows)}", r.title, r.meta) for r in base[: LIST_ROWS - len(rows)])
    out["rows"] = len(rows)

    model = ArticleListModel()
    delegate = ArticleDelegate()
    view = make_article_view(model, delegate)  # configured as in the window
    view.resize(460, 700)
    view.show()
    app.processEvents()

    def frame(action: Callable[[], None]) -> float:
        started = now()
        action()
        app.processEvents()
        view.viewport().repaint()
        return (now() - started) * 1000

    def scroll_frames() -> list[float]:
        bar = view.verticalScrollBar()
        frames = [frame(lambda: bar.setValue(bar.value() + bar.pageStep())) for _ in range(50)]
        top = bar.maximum()
        frames += [frame(lambda v=v: bar.setValue(top * v // 200)) for v in range(201)]
        frames.append(frame(view.scrollToTop))
        frames.append(frame(view.scrollToBottom))
        return frames

    started = now()
    model.set_rows(rows)
    reset = now()
    app.processEvents()  # the view's delayed item layout
    laid_out = now()
    view.viewport().repaint()
    out["fill_frame_ms"] = round((now() - started) * 1000, 1)
    out["fill_parts_ms"] = {
        "set_rows": round((reset - started) * 1000, 1),
        "layout": round((laid_out - reset) * 1000, 1),
        "paint": round((now() - laid_out) * 1000, 1),
    }
    frames = scroll_frames()
    out["scroll_frames"] = len(frames)
    out["scroll_p95_ms"] = round(percentile(frames, 95), 2)
    out["scroll_max_ms"] = round(max(frames), 2)

    # Search mode: rows with marked snippets, painted through QTextDocument.
    service = SearchService(ours.index)
    hits: dict[str, Any] = {}
    for q in queries:
        for hit in service.search(q.text, limit=200).hits:
            hits.setdefault(hit.path, hit)
    service.close()
    hit_rows = [row_from_hit(h) for h in hits.values()]
    delegate.show_snippets = True
    out["snippet_rows"] = len(hit_rows)
    out["snippet_fill_frame_ms"] = round(frame(lambda: model.set_rows(hit_rows)), 1)
    frames = scroll_frames()
    out["snippet_scroll_p95_ms"] = round(percentile(frames, 95), 2)
    out["snippet_scroll_max_ms"] = round(max(frames), 2)
    out["max_frame_ms"] = max(
        out["fill_frame_ms"], out["scroll_max_ms"], out["snippet_fill_frame_ms"], out["snippet_scroll_max_ms"]
    )
    view.close()
    view.deleteLater()
    app.processEvents()
    out["none_refs_lost"] -= sys.getrefcount(None)
    log(f"list: {out}")
    return out


# What an FTS5 user's script does per query: open the database, count, rank with snippets.
FTS5_PROCESS = """
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = sys.argv[2]
total = db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (q,)).fetchone()[0]
rows = db.execute(
    "SELECT path, title, date, snippet(docs, 2, '<b>', '</b>', '…', 32) FROM docs "
    "WHERE docs MATCH ? ORDER BY rank LIMIT 10", (q,)).fetchall()
print(json.dumps({"query": q, "total": total, "hits": rows}))
"""
#: The floor under any command line built on Whoosh: a process that imports it, opens the bare
#: index and prints the first 10 hits' stored fields (no snippets, no totals beyond Whoosh's own).
WHOOSH_PROCESS = """
import json, sys
from whoosh import index, qparser
ix = index.open_dir(sys.argv[1])
with ix.searcher() as searcher:
    q = qparser.QueryParser("body", ix.schema).parse(sys.argv[2])
    hits = searcher.search(q, limit=10)
    print(json.dumps({"query": sys.argv[2], "total": len(hits), "hits": [h["path"] for h in hits]}))
"""
CLI_QUERIES = ("oil", "oil prices", '"Federal Reserve"')


def measure_cli(
    ours: Ours, bare: BareWhoosh, fts: Fts5, corpus: Path, work: Path, queries: list[Query], repeat: int
) -> dict[str, Any]:
    """Whole processes: one ``corpus-reader search`` over the unchanged corpus against one Python
    process that opens the FTS5 database and runs the same query, and one that does it with bare
    Whoosh (``WHOOSH_PROCESS``: the floor for a Whoosh program); and one ``search --batch``."""
    from reader.core.locations import Locations

    data_dir = work / "cli-data"
    index_dir = Locations.resolve(data_dir).index_dir(corpus)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ours.dir, index_dir)
    fts.db.commit()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # An installed app has its bytecode: without it, every process compiles the reader package
    # again (0.14 s), which is the checkout's cost, not the program's.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    common = [sys.executable, "-m", "reader", "--corpus", str(corpus), "--data-dir", str(data_dir)]

    def timed(cmd: list[str], stdin: str | None = None) -> float:
        started = now()
        subprocess.run(
            cmd, env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, check=True, timeout=900
        )
        return now() - started

    timed([*common, "search", "oil", "--json"])  # the first call in this data folder
    per_query: dict[str, dict[str, float]] = {}
    for q in CLI_QUERIES:
        ours_s = [timed([*common, "search", q, "--json"]) for _ in range(repeat)]
        fts_s = [timed([sys.executable, "-c", FTS5_PROCESS, str(fts.path), q]) for _ in range(repeat)]
        whoosh_s = [timed([sys.executable, "-c", WHOOSH_PROCESS, str(bare.dir), q]) for _ in range(repeat)]
        # --sync: the full sync every search made before the folder's fingerprint was kept.
        sync_s = [timed([*common, "search", q, "--json", "--sync"]) for _ in range(repeat)]
        per_query[q] = {
            "ours_s": round(median(ours_s), 3),
            "fts5_s": round(median(fts_s), 3),
            "bare_whoosh_s": round(median(whoosh_s), 3),
            "ours_sync_s": round(median(sync_s), 3),
        }
    mix = "\n".join(q.text for q in queries) + "\n"
    batch_s = median(
        [timed([*common, "search", "--batch", "-", "--limit", "10"], stdin=mix) for _ in range(repeat)]
    )
    out = {
        "ours_s": round(median([v["ours_s"] for v in per_query.values()]), 3),
        "fts5_s": round(median([v["fts5_s"] for v in per_query.values()]), 3),
        "bare_whoosh_s": round(median([v["bare_whoosh_s"] for v in per_query.values()]), 3),
        "ours_sync_s": round(median([v["ours_sync_s"] for v in per_query.values()]), 3),
        "per_query": per_query,
        "batch_s": round(batch_s, 3),
        "batch_queries": len(queries),
    }
    out["ratio"] = round(out["ours_s"] / out["fts5_s"], 2)
    out["bare_whoosh_ratio"] = round(out["bare_whoosh_s"] / out["fts5_s"], 2)
    log(f"cli: {out}")
    return out


def measure_launch(ours: Ours, corpus: Path, work: Path, repeat: int) -> dict[str, Any]:
    """Start the real window in fresh processes over the already-built (unchanged) index; then
    once over a corpus 1% of which changed meanwhile, so that the window's start-up sync indexes
    (its peak memory with a sync that writes)."""
    from reader.core.locations import Locations

    def data_dir_with_index(name: str) -> Path:
        data_dir = work / name
        index_dir = Locations.resolve(data_dir).index_dir(corpus)
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(ours.dir, index_dir)
        return data_dir

    data_dir = data_dir_with_index("gui-data")
    runs: dict[str, list[dict[str, float]]] = {"listed": [], "opened": []}
    try:
        for _ in range(repeat):
            for mode in runs:
                runs[mode].append(launch_once(corpus, data_dir, mode))
        changed_dir = data_dir_with_index("gui-data-changed")
        done = churn(corpus, random.Random(23), 200)
        changed = launch_once(corpus, changed_dir, "listed")
        changed["churn"] = done  # type: ignore[assignment]
    except RuntimeError as exc:
        return {"error": str(exc)}
    finally:
        ours.sync()  # level with the corpus again (unmeasured)
    out: dict[str, Any] = {}
    for mode, marks_list in runs.items():
        keys = marks_list[0].keys()
        out[f"search_after_{mode}"] = {
            k: round(median([m[k] for m in marks_list if k in m]), 3)
            for k in keys
            if not isinstance(marks_list[0][k], str)
        }
    out["changed_corpus"] = {k: v for k, v in changed.items() if k != "mode"}
    log(f"launch: {out}")
    return out


def launch_once(corpus: Path, data_dir: Path, mode: str) -> dict[str, Any]:
    """One window start in a fresh process (``gui_driver``); its marks."""
    from reader.core.locations import Locations

    # A first start, not a reopening: the window would run the last launch's search itself.
    Locations.resolve(data_dir).settings_file.unlink(missing_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    driver = [sys.executable, str(Path(__file__).resolve()), "--gui-driver"]
    t0 = time.monotonic()
    proc = subprocess.run(
        [*driver, str(corpus), str(data_dir), repr(t0), mode],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("BENCH-GUI ")]
    if proc.returncode or not lines:
        log(f"GUI driver failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        raise RuntimeError(f"GUI driver exited with {proc.returncode}: {proc.stderr.strip()[-300:]}")
    marks: dict[str, Any] = json.loads(lines[-1].removeprefix("BENCH-GUI "))
    return marks


def _high_water_kb(pid: int | str) -> int:
    """The peak resident memory of a process so far (kB; 0 when it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children() -> list[int]:
    out: list[int] = []
    for tasks in Path("/proc/self/task").glob("*/children"):
        with contextlib.suppress(OSError, ValueError):
            out.extend(int(pid) for pid in tasks.read_text().split())
    return out


def gui_driver(corpus: Path, data_dir: Path, t0: float, mode: str) -> int:
    """Run in a fresh process: build the real window like run_gui() does and time its start-up.

    ``mode`` "listed" searches once the article list is shown (a user who looks first);
    "opened" searches as soon as the index is open (a user who types at once).
    """
    marks: dict[str, Any] = {}

    def mark(name: str) -> None:
        marks.setdefault(name, round(time.monotonic() - t0, 4))
        if name in ("window_painted", "first_search"):
            # The CPU this process had used by then (its interpreter start included): on a busy
            # machine it grows much less than the wall time.
            times = os.times()
            marks.setdefault(f"{name}_cpu", round(times.user + times.system, 3))

    mark("interpreter_ready")
    watching, workers = threading.Event(), {}

    def watch_workers() -> None:
        while not watching.wait(0.1):
            for pid in _children():
                workers[pid] = max(workers.get(pid, 0), _high_water_kb(pid))

    threading.Thread(target=watch_workers, daemon=True).start()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from reader.core.locations import Locations
    from reader.gui.launch import Session, app_icon, make_settings
    from reader.gui.tasks.library import STARTUP_SYNC_DELAY_MS
    from reader.gui.window.main_window import MainWindow

    mark("imports_done")
    locations = Locations.resolve(data_dir)
    locations.data_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    settings = make_settings(locations)
    window = MainWindow(settings, app_icon())
    mark("window_built")

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            """Overrides QObject.eventFilter: notes the window's first paint."""
            if event.type() == QEvent.Type.Paint:
                mark("window_painted")
            return False

    watch = PaintWatch()
    window.installEventFilter(watch)
    session = Session(window, settings, locations, sync_delay_ms=STARTUP_SYNC_DELAY_MS)  # as run_gui
    window.show()
    mark("show_called")
    session.open_corpus(corpus)
    library = session.library
    assert library is not None

    def search() -> None:
        mark("search_sent")
        window.search(GUI_QUERY)

    def maybe_quit() -> None:
        if "first_search" in marks and "sync_finished" in marks:
            app.quit()

    def on_opened() -> None:
        mark("index_opened")
        if mode == "opened":
            QTimer.singleShot(0, search)

    def on_listed(rows: object) -> None:
        if "list_shown" not in marks:
            mark("list_shown")
            marks["list_rows"] = len(rows)  # type: ignore[arg-type]
            if mode == "listed":
                QTimer.singleShot(0, search)

    def on_searched(result: Any) -> None:
        if "search_sent" in marks and "first_search" not in marks:
            mark("first_search")
            marks["first_search_total"] = result.total
            maybe_quit()

    def on_synced(report: Any) -> None:
        mark("sync_finished")
        marks.setdefault("sync_written", report.added + report.updated + report.removed)
        maybe_quit()

    library.index_opened.connect(on_opened)
    window.search_controller.listed.connect(on_listed)
    window.search_controller.searched.connect(on_searched)
    library.sync_finished.connect(on_synced)
    QTimer.singleShot(300_000, app.quit)
    app.exec()
    session.shutdown()
    window.close()
    watching.set()
    # The process's own high-water mark (VmHWM). Not getrusage's ru_maxrss: Linux carries that
    # across fork and exec, so a window launched by this big benchmark process reported the
    # benchmark's size (505 MB on Reuters for every launch, whatever the window did).
    marks["peak_rss_mb"] = round(_high_water_kb("self") / 1024, 1)
    # Worker processes (a parsing pool), each on its own: the largest seen while they ran.
    marks["workers_peak_rss_mb"] = round(max(workers.values(), default=0) / 1024, 1)
    marks["mode"] = mode
    print("BENCH-GUI " + json.dumps(marks), flush=True)
    return 0


# --- report --------------------------------------------------------------------------------

# (label, where in the results, unit, goal: value -> bool): issue 14's targets.
TARGETS: list[tuple[str, Callable[[dict[str, Any]], float | None], str, Callable[[float], bool]]] = [
    (
        "is:unread (90% of the corpus unread) ≤ 100 ms",
        lambda r: _get(r, "triage", "is:unread", "max_ms"),
        "ms",
        lambda v: v <= 100,
    ),
    (
        "opening an article marks it read without waiting: GUI thread ≤ 1 ms",
        lambda r: _get(r, "triage", "mark_read", "gui_mark_read_ms_while_locked", "max"),
        "ms",
        lambda v: v <= 1.0,
    ),
    (
        "search p95 (50 hits, snippets) ≤ FTS5's p95 (at 100,000)",
        lambda r: _ratio(r, "search", "p95_ms", base="fts5"),
        "x FTS5",
        lambda v: v <= 1.0,
    ),
    (
        "search p95 (50 hits, snippets) ≤ 25 ms (on Reuters)",
        lambda r: _get(r, "ours", "search", "p95_ms"),
        "ms",
        lambda v: v <= 25,
    ),
    (
        "cold index ≥ 2x bare Whoosh articles/s",
        lambda r: _ratio(r, "cold_index", "articles_per_s"),
        "x",
        lambda v: v >= 2.0,
    ),
    ("1% changed+added+deleted ≤ 5 s", lambda r: _get(r, "ours", "churn_sync_s"), "s", lambda v: v <= 5.0),
    (
        "first search after launch, unchanged corpus ≤ 2 s",
        lambda r: _get(r, "gui", "launch", "search_after_opened", "first_search"),
        "s",
        lambda v: v <= 2.0,
    ),
    (
        "window shown ≤ 0.5 s",
        lambda r: _get(r, "gui", "launch", "search_after_listed", "window_painted"),
        "s",
        lambda v: v <= 0.5,
    ),
    (
        "window peak memory ≤ 300 MB (start-up sync included)",
        lambda r: _get(r, "gui", "launch", "search_after_listed", "peak_rss_mb"),
        "MB",
        lambda v: v <= 300,
    ),
    (
        "window peak memory ≤ 300 MB, start-up sync indexing 1% changed+added+deleted",
        lambda r: _get(r, "gui", "launch", "changed_corpus", "peak_rss_mb"),
        "MB",
        lambda v: v <= 300,
    ),
    (
        f"search p95 after {SMALL_SYNCS} small syncs ≤ 1.25x before (segments stay few)",
        lambda r: _small_syncs_ratio(r),
        "x",
        lambda v: v <= 1.25,
    ),
    (
        "one `corpus-reader search` process ≤ 3x an FTS5 process",
        lambda r: _get(r, "cli", "ratio"),
        "x",
        lambda v: v <= 3.0,
    ),
    (
        "list 100k: no frame > 100 ms",
        lambda r: _get(r, "gui", "list", "max_frame_ms"),
        "ms",
        lambda v: v <= 100,
    ),
]


def _get(results: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(results, dict) or key not in results:
            return None
        results = results[key]
    return results


def _small_syncs_ratio(results: dict[str, Any]) -> float | None:
    after, before = _get(results, "small_syncs", "search_p95_ms"), _get(results, "ours", "search", "p95_ms")
    return after / before if after and before else None


def _ratio(results: dict[str, Any], *keys: str, base: str = "bare_whoosh") -> float | None:
    ours, other = _get(results, "ours", *keys), _get(results, base, *keys)
    return ours / other if ours and other else None


def report(results: dict[str, Any]) -> str:
    rows = [
        ("cold index: articles/s", ("cold_index", "articles_per_s")),
        ("cold index in one process (no pool): articles/s", ("cold_index_one_process", "articles_per_s")),
        ("cold index: MB/s", ("cold_index", "mb_per_s")),
        ("cold index: seconds", ("cold_index", "seconds")),
        ("index size on disk: MB", ("cold_index", "size_mb")),
        ("no-change sync (index open): s", ("nochange_sync_s",)),
        ("open index + no-change sync: s", ("open_and_nochange_sync_s",)),
        ("1% changed+added+deleted sync: s", ("churn_sync_s",)),
        (f"search p50 (limit {SEARCH_LIMIT}, snippets): ms", ("search", "p50_ms")),
        (f"search p95 (limit {SEARCH_LIMIT}, snippets): ms", ("search", "p95_ms")),
        ("search max: ms", ("search", "max_ms")),
        (f"search p95, window ({APP_PAGE} hits, {APP_SNIPPETS} snippets): ms", ("search_app_page", "p95_ms")),
        ("search p50, old path (unlimited Whoosh pass): ms", ("search_old_path", "p50_ms")),
        ("search p95, old path (unlimited Whoosh pass): ms", ("search_old_path", "p95_ms")),
    ]
    corpus, where = results["corpus"], results["meta"].get("machine", {})
    lines = [
        f"Corpus: {corpus.get('files', 0):,} files, {corpus.get('bytes', 0) / 1e6:.1f} MB "
        f"({corpus.get('origin')}); repeat {results['meta']['repeat']}; "
        f"parse only: {_get(results, 'parse', 'articles_per_s') or 0:,.0f} articles/s",
        f"Machine: {where.get('nproc')} CPUs ({where.get('cpu', '?')}), {where.get('ram_gb', '?')} GB; "
        f"load average at the start of the last run {where.get('load')}; sections run: "
        f"{', '.join(results['meta'].get('sections', []))}",
        "Ratios are ours / baseline (rates: higher is better for ours; times and sizes: lower is).",
        "",
        f"{'measure':46} {'ours':>10} {'bare Whoosh':>12} {'FTS5':>10} {'÷ Whoosh':>9} {'÷ FTS5':>9}",
        "-" * 100,
    ]

    def fmt(v: Any) -> str:
        if v is None:
            return "—"
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.3g}" if abs(v) < 10 else f"{v:,.1f}"

    for label, keys in rows:
        ours = _get(results, "ours", *keys)
        bare = _get(results, "bare_whoosh", *keys)
        fts = _get(results, "fts5", *keys)
        r1 = f"{ours / bare:.2f}x" if ours and bare else "—"
        r2 = f"{ours / fts:.2f}x" if ours and fts else "—"
        lines.append(f"{label:46} {fmt(ours):>10} {fmt(bare):>12} {fmt(fts):>10} {r1:>9} {r2:>9}")

    lines += [
        "",
        "Search per query (median ms; hits):",
        f"  {'query':44} {'ours':>14} {'bare Whoosh':>16} {'FTS5':>16}",
    ]
    for text in _get(results, "ours", "search", "per_query") or {}:
        cells = []
        for name in ("ours", "bare_whoosh", "fts5"):
            e = _get(results, name, "search", "per_query", text)
            cells.append(f"{e['ms']:.1f} ({e['total']:,})" if e else "—")
        lines.append(f"  {text:44} {cells[0]:>14} {cells[1]:>16} {cells[2]:>16}")

    gui = results.get("gui") or {}
    if "list" in gui:
        li = gui["list"]
        lines += [
            "",
            f"Article list ({li['rows']:,} rows; catalog read {li['catalog_read_ms']} ms, rows built "
            f"{li['rows_build_ms']} ms for the real articles):",
            f"  fill frame {li['fill_frame_ms']} ms {li['fill_parts_ms']}; "
            f"scroll {li['scroll_frames']} frames: p95 "
            f"{li['scroll_p95_ms']} ms, max {li['scroll_max_ms']} ms",
            f"  search mode, {li['snippet_rows']:,} snippet rows: "
            f"fill {li['snippet_fill_frame_ms']} ms; scroll p95 "
            f"{li['snippet_scroll_p95_ms']} ms, max {li['snippet_scroll_max_ms']} ms",
        ]
    if "launch" in gui:
        lines += ["", "Launch of the real window over the unchanged index (s from process launch, median):"]
        for mode, marks in gui["launch"].items():
            if mode == "error":
                lines.append(f"  failed: {marks}")
                continue
            parts = ", ".join(f"{k} {v}" for k, v in marks.items() if k not in ("list_rows",))
            lines.append(f"  {mode}: {parts}")

    changed = _get(results, "gui", "launch", "changed_corpus")
    if changed:
        lines.append(
            f"  over a corpus changed by 1% each way: window shown {changed.get('window_painted')} s, "
            f"first search {changed.get('first_search')} s, start-up sync ({changed.get('sync_written')} "
            f"articles written) finished {changed.get('sync_finished')} s; peak memory of the window "
            f"{changed.get('peak_rss_mb')} MB, of its largest worker process "
            f"{changed.get('workers_peak_rss_mb')} MB"
        )
    segments = _get(results, "ours", "churn_segments")
    if segments:
        lines.append(f"Segments after the 1% syncs: {segments}")
    small = results.get("small_syncs")
    if small:
        lines.append(
            f"{small['syncs']} small syncs (0.1% changed+added+deleted each): p50 {small['sync_p50_s']} s, "
            f"max {small['sync_max_s']} s; segments {small['segments_before']} before, at most "
            f"{small['segments_max']}, {small['segments_after']} after; then search p50/p95 "
            f"{small['search_p50_ms']} / {small['search_p95_ms']} ms"
        )
    cli = results.get("cli")
    if cli:
        lines += [
            "",
            f"Whole processes (median s): `corpus-reader search` {cli['ours_s']} vs an FTS5 process "
            f"{cli['fts5_s']} ({cli['ratio']}x); `search --batch` of the {cli['batch_queries']} queries "
            f"of the mix: {cli['batch_s']} s",
        ]
        if "bare_whoosh_s" in cli:
            lines.append(
                f"  a bare Whoosh process (import, open, search, 10 stored hits, no snippets): "
                f"{cli['bare_whoosh_s']} s ({cli['bare_whoosh_ratio']}x FTS5: the floor for a Whoosh program)"
            )
        if "ours_sync_s" in cli:
            lines.append(
                f"  `search --sync` (a full sync first, as every search made before): {cli['ours_sync_s']} s"
            )
        for q, v in cli["per_query"].items():
            sync = f", --sync {v['ours_sync_s']} s" if "ours_sync_s" in v else ""
            bare = f", bare Whoosh {v['bare_whoosh_s']} s" if "bare_whoosh_s" in v else ""
            lines.append(f"  {q:44} ours {v['ours_s']} s, FTS5 {v['fts5_s']} s{bare}{sync}")
    ours_p95, old_p95 = (
        _get(results, "ours", "search", "p95_ms"),
        _get(results, "ours", "search_old_path", "p95_ms"),
    )
    if ours_p95 and old_p95:
        lines.append(f"Search p95, this path / the old path, same run: {ours_p95 / old_p95:.2f}x")

    tri = results.get("triage")
    if tri:
        lines += [
            "",
            f"Read state and labels ({tri['articles']:,} articles, {tri['unread']:,} unread; "
            f"first is:unread {tri['first_is_unread_ms']} ms, reading the path table once):",
        ]
        for text in ("is:unread", "is:unread oil", "label:sample", "is:read government"):
            e = tri.get(text)
            if e:
                lines.append(
                    f"  {text:44} p50 {e['p50_ms']} ms, max {e['max_ms']} ms (after a change of read state)"
                )
        mr = tri.get("mark_read")
        if mr:
            gui_ms, direct_ms = mr["gui_mark_read_ms_while_locked"], mr["direct_write_ms"]
            lines.append(
                f"  mark read, GUI thread while the database is locked: p50 {gui_ms['p50']} ms, "
                f"max {gui_ms['max']} ms; writing on the spot: p50 {direct_ms['p50']} ms, "
                f"max {direct_ms['max']} ms (unlocked); all written once the lock went: "
                f"{mr['all_written_after_lock']}"
            )

    lines += ["", "Targets:"]
    for label, get, unit, ok in TARGETS:
        value = get(results)
        if value is None:
            lines.append(f"  [ n/a ] {label}")
        else:
            lines.append(f"  [{'met ' if ok(value) else 'MISS'}] {label}: {value:.3g} {unit}")
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="benchmark a copy of this folder")
    parser.add_argument(
        "--articles", type=int, default=20_000, metavar="N", help="generated corpus size (20000)"
    )
    parser.add_argument(
        "--languages",
        type=lambda text: [code.strip() for code in text.split(",") if code.strip()],
        metavar="CODES",
        help="generate a multilingual corpus in these languages (of en,ru,de,fr,es,tr), in turn",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--repeat", type=int, default=3, metavar="K", help="runs of the cheap measures (3)")
    parser.add_argument("--skip-gui", action="store_true", help="no article list and no window launch")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--work",
        type=Path,
        metavar="DIR",
        help="work (and keep) the corpus copy and the indexes in DIR: a later run with --only and the "
        "same --work and --json resumes from them, adding its sections to the JSON",
    )
    parser.add_argument(
        "--only",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        metavar="SECTIONS",
        help=f"run only these sections, of {','.join(SECTIONS)} (all, in this order)",
    )
    parser.add_argument(
        "--formats",
        type=int,
        default=0,
        metavar="N",
        help="only the formats rows: N generated articles as text and as saved pages, extraction and "
        "cold index (bench_formats.py); with --corpus, also that folder of real saved pages",
    )
    parser.add_argument(
        "--bundle",
        type=Path,
        metavar="PROGRAM",
        help="only the start-up of this standalone build next to the installed app (bundle_launch.py)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--gui-driver"]:
        return gui_driver(Path(argv[1]), Path(argv[2]), float(argv[3]), argv[4])
    args = build_parser().parse_args(argv)
    if args.formats:
        import bench_formats  # beside this file, like corpus_gen

        work = Path(tempfile.mkdtemp(prefix="corpus-reader-bench-"))
        try:
            formats = bench_formats.measure(work, args.formats, args.seed, args.corpus)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(bench_formats.report(formats))
        if args.json:
            args.json.write_text(json.dumps({"formats": formats}, indent=2), "utf-8")
        return 0
    if args.bundle:
        import bundle_launch

        launch = bundle_launch.measure(args.bundle, args.corpus, max(args.repeat, 5))
        print(bundle_launch.report(launch, max(args.repeat, 5)))
        if args.json:
            args.json.write_text(json.dumps({"bundle_launch": launch}, indent=2), "utf-8")
        return 0
    import bench_stories  # beside this file, like corpus_gen

    sections = args.only or list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"bench.py: no section {', '.join(sorted(unknown))} (of {', '.join(SECTIONS)})")
    if args.skip_gui:
        sections = [name for name in sections if name not in GUI_SECTIONS]
    work = args.work or Path(tempfile.mkdtemp(prefix="corpus-reader-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    if args.json and args.json.exists() and args.work and "cold" not in sections:
        results = json.loads(args.json.read_text("utf-8"))  # resuming: keep the earlier sections
    try:
        if (work / "corpus").is_dir() and "cold" not in sections:
            corpus, info = work / "corpus", results.get("corpus") or {"origin": "resumed"}
        else:
            for old in work.iterdir():  # a fresh start in a --work folder
                shutil.rmtree(old) if old.is_dir() else old.unlink()
            corpus, info = prepare_corpus(args, work)
        if "parse" not in results:
            parse, year = measure_parse(corpus, article_files(corpus))
            results["parse"], results["corpus"] = parse, info
            results["corpus"]["year"] = year
        year = results["corpus"].get("year", 2019)
        queries = multilingual_mix(args.languages, year) if args.languages else query_mix(year)
        results["meta"] = {
            "repeat": args.repeat,
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "queries": [q.__dict__ for q in queries],
            "sections": sorted({*results.get("meta", {}).get("sections", []), *sections}),
            "machine": machine(),
        }
        ours = Ours(corpus, work)
        engines = [ours, BareWhoosh(corpus, work), Fts5(corpus, work)]

        def save() -> None:
            if args.json:
                args.json.write_text(json.dumps(results, indent=2, default=str), "utf-8")

        for name in SECTIONS:
            if name not in sections:
                continue
            log(f"section {name}")
            if name != "cold":
                for engine in engines:
                    if engine.index if isinstance(engine, Ours) else engine.state:
                        continue
                    if not engine.built():
                        raise SystemExit(f"bench.py: section {name} needs the indexes: run 'cold' first")
                    engine.load()
            run_section(name, results, engines, corpus, work, queries, args.repeat, bench_stories)
            save()
        if ours.service is not None:
            ours.service.close()
        text = "\n".join([report(results), *bench_stories.report_rows(results)])
        print(text)
        save()
    finally:
        if args.keep or args.work:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


#: The parts of a run, in order (``--only`` picks some; with ``--work`` a later run resumes).
SECTIONS = ("cold", "stories", "search", "triage", "list", "churn", "syncs", "cli", "launch")
GUI_SECTIONS = ("list", "launch")
SCRATCH = {
    "triage": ("triage-annotations.sqlite3", "mark-read-annotations.sqlite3", "mark-read-index"),
    "cli": ("cli-data",),
    "launch": ("gui-data", "gui-data-changed"),
}


def run_section(
    name: str,
    results: dict[str, Any],
    engines: list[Any],
    corpus: Path,
    work: Path,
    queries: list[Query],
    repeat: int,
    bench_stories: Any,
) -> None:
    ours = engines[0]
    for scratch in SCRATCH.get(name, ()):  # left by an earlier run of the section
        shutil.rmtree(work / scratch, ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work / scratch}{suffix}").unlink(missing_ok=True)
    if name == "cold":
        for engine in engines:
            results.setdefault(engine.name, {}).update(measure_cold(engine, results["corpus"], repeat))
    elif name == "stories":
        cold = _get(results, "ours", "cold_index", "seconds") or 0.0
        results.setdefault("stories", {})["cold"] = bench_stories.measure_cold(ours.index, cold)
        results["stories"]["insights"] = bench_stories.measure_insights(ours.index, repeat)
    elif name == "search":
        for engine in engines:
            results.setdefault(engine.name, {}).update(measure_search(engine, queries, repeat))
    elif name == "triage":
        results["triage"] = measure_triage(ours, work, repeat)
        results["triage"]["mark_read"] = measure_mark_read(ours, work, repeat)
    elif name == "list":
        results.setdefault("gui", {})["list"] = measure_list(ours, queries)
    elif name == "churn":
        measure_churn(engines, corpus, repeat, results)
        from reader.core.wordstore import store_path

        if store_path(ours.dir).exists():  # stories were built (the stories section)
            results.setdefault("stories", {})["churn"] = bench_stories.measure_churn(ours.index)
    elif name == "syncs":
        results["small_syncs"] = measure_small_syncs(ours, corpus, queries)
    elif name == "cli":
        results["cli"] = measure_cli(ours, engines[1], engines[2], corpus, work, queries, repeat)
    elif name == "launch":
        if ours.service is not None:
            ours.service.close()
            ours.service = None
        # The stories a launch's sync would otherwise build from scratch (unmeasured here).
        bench_stories.update(ours.index)
        results.setdefault("gui", {})["launch"] = measure_launch(ours, corpus, work, repeat)
        for baseline in engines[1:]:  # level with the corpus its changed launch left (unmeasured)
            baseline.sync()


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPUs, their model, memory, the load when it started."""
    info: dict[str, Any] = {"nproc": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        info["load"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return info


if __name__ == "__main__":
    sys.exit(main())
