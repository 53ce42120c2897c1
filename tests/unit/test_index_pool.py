"""The worker pool of a big sync (``reader.core.index_pool``): the same index with and without
it on a corpus of every format and several languages; a file that kills its worker is a problem
and the rest is indexed; cancelling stops the workers; small syncs start none."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import multiprocessing
import os
import signal
import threading
from pathlib import Path

import pytest

import reader.core.index as index_module
import reader.core.index_pool as index_pool
from reader.core.corpus import ArticleError
from reader.core.index import CorpusIndex, open_index
from reader.core.index_pool import (
    POOL_MIN_ENV,
    WORKERS_ENV,
    FileResult,
    ReaderPool,
    pool_min_files,
    prepare_file,
    work_of,
)
from reader.core.search import SearchService
from reader.core.stories import Stories, update_stories
from reader.core.wordstore import WordStore, store_path
from tests.format_samples import ATOM_FEED, RSS_WITH_CDATA, epub, mbox, news_page, newsletter, rss
from tests.helpers import write_article

TEXTS = {
    "en": "Officials met in Gdańsk on Thursday to discuss the negotiations. Stamenković said the talks "
    "would continue next week in the city, and the delegations agreed on the agenda.",
    "ru": "В Москве министры иностранных дел обсудили работу Минской группы. Президент встретился с "
    "сопредседателями Минской группы ещё раз, и переговоры продолжатся в Москве на следующей неделе.",
    "de": "Die Verhandlungen in Österreich wurden am Montag in Wien fortgesetzt. Die Straße vor dem "
    "Ministerium war gesperrt, sagte ein Sprecher der Regierung nach den Verhandlungen.",
    "fr": "Le président a annoncé jeudi une nouvelle série de négociations à Paris. Les négociations "
    "reprendront la semaine prochaine, selon le ministère des Affaires étrangères.",
    "tr": "Türkiye ile Ermenistan arasındaki görüşmeler devam ediyor. Dışişleri Bakanlığı, görüşmelerin "
    "önümüzdeki hafta Ankara'da yapılacağını açıkladı ve heyetler hazırlık yapıyor.",
}
DATES = {
    "en": "30 July 2020",
    "ru": "30 июля 2020 г.",
    "de": "30. Juli 2020",
    "fr": "1er août 2020",
    "tr": "",
}
QUERIES = [
    "negotiations",
    "Москва",
    '"Минская группа"',
    "Osterreich",
    "lang:ru",
    "lang:de Verhandlung",
    "date:2020-07",
    "warehouses OR espresso",
    "pier",
    "gulls",
    "title:fire",
    "harbour NOT fire",
    "item*",
    "goverment~",
]


def build_corpus(root: Path, copies: int = 6) -> Path:
    """A folder of every format: text in five languages (with local dates), saved pages, an RSS
    and an Atom feed, an mbox, an EPUB, an empty file, binary data named .html."""
    for n in range(copies):
        for lang, text in TEXTS.items():
            words = text.split()
            shifted = " ".join(words[n % 5 :] + words[: n % 5])  # each copy its own text
            write_article(
                root / lang, f"{lang}-{n:02d}.txt", f"{lang} article {n}", DATES[lang], text, shifted
            )
        (root / "pages").mkdir(parents=True, exist_ok=True)
        (root / "pages" / f"fire-{n}.html").write_text(
            news_page(title=f"Fire destroys warehouses number {n}"), encoding="utf-8"
        )
    (root / "feeds").mkdir()
    (root / "feeds" / "items.rss").write_text(rss(items_of(8)), encoding="utf-8")
    (root / "feeds" / "gazette.rss").write_text(RSS_WITH_CDATA, encoding="utf-8")
    (root / "feeds" / "atom.atom").write_text(ATOM_FEED, encoding="utf-8")
    (root / "mail").mkdir()
    (root / "mail" / "inbox.mbox").write_bytes(mbox(newsletter()))
    (root / "books").mkdir()
    (root / "books" / "harbour.epub").write_bytes(
        epub([("ch1.xhtml", "The Quay", ["Gulls and boats at dawn."]), ("ch2.xhtml", "Noon", ["Nets dry."])])
    )
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.html").write_bytes(bytes(range(256)) * 40)
    return root


def whole_index(index: CorpusIndex) -> dict[str, object]:
    """Everything a user can get out of an index: catalog rows, problems, languages, the stored
    documents in index order, and every query's total, hits and snippets."""
    catalog = index.catalog()
    try:
        rows = catalog.articles(sort="date")
        problems = catalog.problems()
        languages = catalog.languages()
        files = catalog.file_states()
        words = catalog.words_with_prefix("neg", limit=50)
        # Every word with its article count (a pool's workers count their slices' words).
        written, more = catalog.words_matching("*", 1_000_000)
        assert not more
        counts = {w: catalog.word_count(w) for w in written}
    finally:
        catalog.close()
    with index.ix.searcher() as searcher:
        stored = list(searcher.all_stored_fields())
    service = SearchService(index)
    try:
        searches = {}
        for q in QUERIES:
            result = service.search(q, limit=100)
            searches[q] = (result.total, [(h.path, h.title, h.snippet) for h in result.hits])
    finally:
        service.close()
    return {
        "rows": rows,
        "problems": problems,
        "languages": languages,
        "files": files,
        "words": words,
        "word_counts": counts,
        "stored": stored,
        "searches": searches,
    }


def test_the_pool_gives_the_same_index_as_reading_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = build_corpus(tmp_path / "corpus")
    alone = open_index(corpus, tmp_path / "alone")
    report_alone = alone.sync(workers=0)
    monkeypatch.setenv(POOL_MIN_ENV, "1")
    pooled = open_index(corpus, tmp_path / "pooled")
    report_pooled = pooled.sync(workers=2)
    assert report_alone.workers == 0 and report_pooled.workers == 2
    assert report_pooled.added_paths == report_alone.added_paths
    assert report_pooled.digests == report_alone.digests
    assert report_pooled.problems == report_alone.problems
    assert dict(report_pooled.problems).keys() == {"empty.txt", "binary.html"}
    a, b = whole_index(alone), whole_index(pooled)
    for key in a:
        assert b[key] == a[key], key
    # The corpus is what the test says: every format and language indexed, dates read.
    rows = {r.path: r for r in a["rows"]}  # type: ignore[attr-defined]
    assert rows["ru/ru-00.txt"].language == "ru" and rows["ru/ru-00.txt"].date == dt.date(2020, 7, 30)
    assert rows["de/de-01.txt"].language == "de"
    assert "books/harbour.epub#OEBPS/text/ch2.xhtml" in rows
    assert "mail/inbox.mbox#nl-42@news.example.com" in rows
    assert sum(p.startswith("feeds/items.rss#") for p in rows) == 8
    assert a["searches"]['"Минская группа"'][0] == 6  # type: ignore[index]

    # A second sync after changes goes through the pool too (changed, touched, deleted files).
    (corpus / "en" / "en-00.txt").write_text("Changed\n\nnegotiations resumed today in Gdańsk.\n", "utf-8")
    os.utime(corpus / "fr" / "fr-00.txt", ns=(0, 10**18))  # touched: same bytes
    (corpus / "de" / "de-00.txt").unlink()
    (corpus / "feeds" / "items.rss").write_text(rss(items_of(9)), encoding="utf-8")
    r1 = alone.sync(workers=0)
    r2 = pooled.sync(workers=2)
    assert (r2.added_paths, r2.updated_paths, sorted(r2.removed_paths), r2.unchanged) == (
        r1.added_paths,
        r1.updated_paths,
        sorted(r1.removed_paths),
        r1.unchanged,
    )
    assert r1.added_paths == ["feeds/items.rss#g8"] and r1.updated_paths == ["en/en-00.txt"]
    a, b = whole_index(alone), whole_index(pooled)
    for key in a:
        assert b[key] == a[key], key
    alone.close()
    pooled.close()


def items_of(n: int) -> list[tuple[str, str, str]]:
    return [
        (f"g{i}", f"Item {i} of the feed", f"&lt;p&gt;Item {i} talks about the harbour &amp;amp; the pier.")
        for i in range(n)
    ]


def crash_on_bomb(corpus: Path, rel_path: str, old_digest: str | None) -> FileResult:
    """A reader that dies (as a crash in a C library would) on files named ``bomb*``."""
    if Path(rel_path).name.startswith("bomb"):
        os.kill(os.getpid(), signal.SIGKILL)
    return prepare_file(corpus, rel_path, old_digest)


def raise_on_bomb(corpus: Path, rel_path: str, old_digest: str | None) -> FileResult:
    if Path(rel_path).name.startswith("bomb"):
        raise ValueError("a reader's bug")
    return prepare_file(corpus, rel_path, old_digest)


def test_a_file_that_kills_its_worker_is_a_problem_and_the_rest_is_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    for i in range(60):
        write_article(corpus, f"a-{i:02d}.txt", f"Article {i}", "1 March 2021", f"Lighthouse number {i}.")
    for name in ("bomb-1.txt", "bomb-2.txt"):
        write_article(corpus, name, "Bomb", "1 March 2021", "Kills the reader.")
    monkeypatch.setenv(POOL_MIN_ENV, "1")
    monkeypatch.setattr(index_pool, "ReaderPool", functools.partial(ReaderPool, reader=crash_on_bomb))
    index = open_index(corpus, tmp_path / "ix")
    report = index.sync(workers=2)
    problems = dict(report.problems)
    assert problems == {
        "bomb-1.txt": "reading it stopped the reader process (killed by signal 9)",
        "bomb-2.txt": "reading it stopped the reader process (killed by signal 9)",
    }
    assert len(report.added_paths) == 60
    catalog = index.catalog()
    assert catalog.count() == 60
    catalog.close()
    assert not multiprocessing.active_children()
    # Unchanged, the files are not read again (no worker dies); changed, they are.
    assert index.sync(workers=2).problems == report.problems
    index.close()


def unwritable_bomb(corpus: Path, rel_path: str, old_digest: str | None) -> FileResult:
    """A reader whose ``bomb*`` results cannot be written into the worker's segment (as on a
    full disk): their postings are not postings."""
    result = prepare_file(corpus, rel_path, old_digest)
    if Path(rel_path).name.startswith("bomb"):
        result.articles = [dataclasses.replace(p, postings={"body": "xx"}) for p in result.articles]  # type: ignore[dict-item]
    return result


def test_a_segment_a_worker_cannot_write_is_read_again_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    for i in range(60):
        write_article(corpus, f"a-{i:02d}.txt", f"Article {i}", "1 March 2021", f"Lighthouse number {i}.")
    write_article(corpus, "bomb.txt", "Bomb", "1 March 2021", "Cannot be written by a worker.")
    alone = open_index(corpus, tmp_path / "alone")
    alone.sync(workers=0)
    monkeypatch.setenv(POOL_MIN_ENV, "1")
    monkeypatch.setattr(index_pool, "ReaderPool", functools.partial(ReaderPool, reader=unwritable_bomb))
    index = open_index(corpus, tmp_path / "ix")
    report = index.sync(workers=2, batch_size=20)  # slices of 10 files: some committed first
    assert report.workers == 0 and "could not write its segment" in report.pool_note
    assert len(report.added_paths) == 61 and not report.problems
    a, b = whole_index(alone), whole_index(index)
    for key in a:
        assert b[key] == a[key], key
    assert not multiprocessing.active_children()
    alone.close()
    index.close()


def test_a_readers_bug_is_a_problem_for_its_file_in_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    for i in range(10):
        write_article(corpus, f"a-{i:02d}.txt", f"Article {i}", "1 March 2021", f"Lighthouse number {i}.")
    write_article(corpus, "bomb.txt", "Bomb", "1 March 2021", "Breaks the reader.")
    monkeypatch.setenv(POOL_MIN_ENV, "1")
    monkeypatch.setattr(index_pool, "ReaderPool", functools.partial(ReaderPool, reader=raise_on_bomb))
    pooled = open_index(corpus, tmp_path / "pooled").sync(workers=2)
    real = index_module.extract_articles

    def extract(rel_path: str, data: bytes, truncated: bool = False):  # type: ignore[no-untyped-def]
        if rel_path.startswith("bomb"):
            raise ValueError("a reader's bug")
        return real(rel_path, data, truncated)

    monkeypatch.setattr(index_module, "extract_articles", extract)
    alone = open_index(corpus, tmp_path / "alone").sync(workers=0)
    assert pooled.problems == alone.problems == [("bomb.txt", "cannot read: ValueError: a reader's bug")]
    assert len(pooled.added_paths) == len(alone.added_paths) == 10


def test_cancelling_a_pool_sync_stops_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    for i in range(400):
        write_article(
            corpus, f"a-{i:03d}.txt", f"Article {i}", "1 March 2021", f"Lighthouse number {i}. " * 20
        )
    monkeypatch.setenv(POOL_MIN_ENV, "1")
    index = open_index(corpus, tmp_path / "ix")
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done == 20:
            assert multiprocessing.active_children()  # the workers are reading
            cancel.set()

    # Small batches: slices of 3, 2, 10, 10, 40... files, each a worker's segment.
    report = index.sync(progress=progress, cancel=cancel, workers=2, batch_size=5)
    assert report.cancelled and report.workers == 2
    assert max(seen) == 20
    assert not multiprocessing.active_children()  # stopped and reaped: no zombie left
    # The slices committed before the cancel are kept, the index in step with the catalog; the
    # files of the slice whose segment was being written are dropped. The next sync reads them.
    catalog = index.catalog()
    kept = catalog.count()
    catalog.close()
    with index.ix.refresh().searcher() as searcher:
        assert searcher.doc_count() == kept == len(report.added_paths) == 15
    report = index.sync(workers=2)
    assert not report.cancelled and report.added + kept == 400
    index.close()


def test_a_small_sync_starts_no_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    for i in range(5):
        write_article(corpus, f"a-{i}.txt", f"Article {i}", "1 March 2021", "Text.")
    monkeypatch.setenv(POOL_MIN_ENV, "100")
    started: list[object] = []
    monkeypatch.setattr(index_pool, "ReaderPool", lambda *a, **k: started.append(a))
    report = open_index(corpus, tmp_path / "ix").sync(workers=2)
    assert report.added == 5 and report.workers == 0 and not started
    # By default a sync needs 1,000 text files' worth of reading; a page counts as 20.
    monkeypatch.delenv(POOL_MIN_ENV)
    assert pool_min_files() == 1000
    assert work_of(["a.txt", "b.md", "feeds/x.rss", "p/page.html"]) == 42


def test_prepare_file_reads_problems_and_unchanged_files(tmp_path: Path) -> None:
    write_article(tmp_path, "a.txt", "Title", "1 March 2021", "Text of the article.")
    first = prepare_file(tmp_path, "a.txt")
    assert first.problem is None and [p.article.title for p in first.articles] == ["Title"]
    assert first.articles[0].language is None  # too short to tell
    assert prepare_file(tmp_path, "a.txt", first.digest).unchanged
    assert prepare_file(tmp_path, "gone.txt").problem == "file vanished or is a broken link"
    assert prepare_file(tmp_path, "../outside.txt").problem == str(ArticleError("outside the corpus folder"))


def word_store_of(index_dir: Path) -> dict[str, object]:
    store = WordStore(store_path(index_dir))
    try:
        db = store.db
        columns = "path, digest, date, body_start, tokens, sig, story, lang"
        docs = db.execute(f"SELECT {columns} FROM docs ORDER BY path")
        terms = db.execute("SELECT id, term, surface, cf, df FROM terms ORDER BY id")
        return {"docs": docs.fetchall(), "terms": terms.fetchall()}
    finally:
        store.close()


def test_the_word_store_and_stories_are_the_same_when_workers_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = build_corpus(tmp_path / "corpus")
    monkeypatch.setenv(POOL_MIN_ENV, "1")
    built = {}
    for workers in ("0", "2"):
        monkeypatch.setenv(WORKERS_ENV, workers)
        index = open_index(corpus, tmp_path / f"ix-{workers}")
        index.sync()
        catalog = index.catalog()
        changes = update_stories(index.dir, corpus, catalog, cancel=threading.Event())
        catalog.close()
        stories = Stories(index.dir)
        built[workers] = (
            word_store_of(index.dir),
            sorted(sorted(s.paths) for s in stories.stories()),
            changes,
        )
        stories.close()
        index.close()
    (store_a, stories_a, changes_a), (store_b, stories_b, changes_b) = built["0"], built["2"]
    assert store_b == store_a
    assert stories_b == stories_a and stories_a  # the copies of each language are stories
    assert sorted(changes_b.added) == sorted(changes_a.added) and len(changes_a.added) > 40
    assert not multiprocessing.active_children()
