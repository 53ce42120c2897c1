"""Files of several articles in the index and catalog: FILE#KEY ids that stay when a feed or
an mbox grows, changed items only re-indexed, a deleted file taking all its articles along;
mixed folders with bad files; an index written by the previous version."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import reader.core.index as index_module
from reader.core.annotation_sync import reconcile
from reader.core.annotations import AnnotationStore, new_highlight
from reader.core.corpus import ArticleError, load_article, load_articles
from reader.core.formats import mail as mail_format
from reader.core.index import open_index
from reader.core.search import SearchService
from reader.core.wordstore import WordStore, store_path
from tests.format_samples import RSS_WITH_CDATA, epub, mbox, news_page, newsletter, rss
from tests.helpers import write_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def bump(path: Path) -> None:
    """Make the next sync see a change even within the file system's time resolution."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def search(index, query: str) -> list[str]:
    service = SearchService(index)
    try:
        return sorted(h.path for h in service.search(query, limit=100, snippets=False).hits)
    finally:
        service.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write_article(root, "plain.txt", "A plain article", "1 March 2021", "Text about the lighthouse keeper.")
    (root / "feeds").mkdir()
    (root / "feeds" / "gazette.rss").write_text(RSS_WITH_CDATA, encoding="utf-8")
    (root / "pages").mkdir()
    (root / "pages" / "fire.html").write_text(news_page(), encoding="utf-8")
    (root / "mail").mkdir()
    (root / "mail" / "inbox.mbox").write_bytes(mbox(newsletter()))
    (root / "books").mkdir()
    (root / "books" / "harbour.epub").write_bytes(
        epub([("ch1.xhtml", "The Quay", ["Gulls and boats at dawn."])])
    )
    (root / "settings.xml").write_text("<settings><a/></settings>", encoding="utf-8")
    return root


def test_every_format_is_indexed_searchable_and_loadable_by_id(folder: Path, tmp_path: Path) -> None:
    index = open_index(folder, tmp_path / "ix")
    report = index.sync()
    assert report.problems == []
    expected = [
        "books/harbour.epub#OEBPS/text/ch1.xhtml",
        "feeds/gazette.rss#gazette-1001",
        "feeds/gazette.rss#https://gazette.example.org/2021/03/ferry",
        "mail/inbox.mbox#nl-42@news.example.com",
        "pages/fire.html",
        "plain.txt",
    ]
    assert sorted(report.added_paths) == expected
    catalog = index.catalog()
    rows = catalog.rows_for(expected)
    catalog.close()
    assert rows["pages/fire.html"].url == "https://courier.example.com/news/2020/07/30/harbour-fire"
    assert rows["feeds/gazette.rss#gazette-1001"].source == "Jonas Berg"
    assert search(index, "espresso") == ["feeds/gazette.rss#gazette-1001"]
    assert search(index, "warehouses") == ["pages/fire.html"]
    assert search(index, "pier") == ["mail/inbox.mbox#nl-42@news.example.com"]
    assert search(index, "gulls") == ["books/harbour.epub#OEBPS/text/ch1.xhtml"]
    assert search(index, "cookies") == []  # the banner is not the article
    for path in expected:
        assert load_article(folder, path).path == path
    index.close()


def test_a_feed_that_gains_an_item_keeps_its_ids_and_indexes_only_the_new_one(
    folder: Path, tmp_path: Path
) -> None:
    feed = folder / "feeds" / "news.rss"
    feed.write_text(rss([("a", "Alpha", "First item."), ("b", "Beta", "Second item.")]), encoding="utf-8")
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    feed.write_text(
        rss([("c", "Gamma", "Third item."), ("a", "Alpha", "First item."), ("b", "Beta", "Second item.")])
    )
    bump(feed)
    report = index.sync()
    assert (report.added_paths, report.updated_paths, report.removed_paths) == (["feeds/news.rss#c"], [], [])
    assert report.unchanged >= 2
    feed.write_text(rss([("c", "Gamma", "Third item, corrected."), ("a", "Alpha", "First item.")]))
    bump(feed)
    report = index.sync()
    assert (report.added_paths, report.updated_paths, report.removed_paths) == (
        [],
        ["feeds/news.rss#c"],
        ["feeds/news.rss#b"],
    )
    assert search(index, "corrected") == ["feeds/news.rss#c"] and search(index, "beta") == []
    with pytest.raises(ArticleError, match="no longer"):
        load_article(folder, "feeds/news.rss#b")
    index.close()


def test_deleting_or_breaking_a_file_removes_all_its_articles(folder: Path, tmp_path: Path) -> None:
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    (folder / "feeds" / "gazette.rss").write_bytes(b"\x00\x01\x02 binary now")
    bump(folder / "feeds" / "gazette.rss")
    report = index.sync()
    assert sorted(report.removed_paths) == [
        "feeds/gazette.rss#gazette-1001",
        "feeds/gazette.rss#https://gazette.example.org/2021/03/ferry",
    ]
    assert [p for p, _ in report.problems] == ["feeds/gazette.rss"]
    (folder / "mail" / "inbox.mbox").unlink()
    report = index.sync()
    assert report.removed_paths == ["mail/inbox.mbox#nl-42@news.example.com"]
    catalog = index.catalog()
    assert sorted(catalog.file_states()) == [
        "books/harbour.epub",
        "pages/fire.html",
        "plain.txt",
        "settings.xml",
    ]
    assert catalog.count() == 3
    catalog.close()
    index.close()


def test_a_file_that_is_no_article_is_not_read_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    read: list[str] = []
    real = index_module.read_bytes
    monkeypatch.setattr(
        index_module, "read_bytes", lambda path, limit=None: read.append(path.name) or real(path, limit)
    )
    report = index.sync()
    assert read == [] and report.unchanged == 6 and report.problems == []
    index.close()


def test_highlights_stay_on_a_feed_item_when_the_feed_grows(folder: Path, tmp_path: Path) -> None:
    feed = folder / "feeds" / "news.rss"
    feed.write_text(rss([("a", "Alpha", "The first item speaks of herring.")]), encoding="utf-8")
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    text = load_article(folder, "feeds/news.rss#a").plain_text
    start = text.index("herring")
    store = AnnotationStore(tmp_path / "annotations.sqlite3")
    store.put(new_highlight(str(folder), "feeds/news.rss#a", text, start, start + 7, "yellow"))
    feed.write_text(rss([("z", "Zulu", "News first."), ("a", "Alpha", "The first item speaks of herring.")]))
    bump(feed)
    reconcile(store, folder, index.sync())
    (highlight,) = store.for_article(str(folder), "feeds/news.rss#a")
    assert highlight.state == "anchored" and highlight.exact == "herring"
    store.close()
    index.close()


def test_bad_files_are_problems_with_reasons_and_the_rest_is_indexed(folder: Path, tmp_path: Path) -> None:
    bad = folder / "bad"
    bad.mkdir()
    (bad / "binary.html").write_bytes(bytes(range(256)) * 100)
    (bad / "blank.html").write_text("<html><body><div></div></body></html>", encoding="utf-8")
    (bad / "corrupt.epub").write_bytes(b"PK\x03\x04 broken")
    (bad / "cut.rss").write_text("<rss><channel><title>Cut", encoding="utf-8")
    (bad / "bomb.epub").write_bytes(epub([("x.xhtml", "", [])], inflate={"x.xhtml": 64}))
    index = open_index(folder, tmp_path / "ix")
    report = index.sync()
    problems = dict(report.problems)
    assert sorted(problems) == [
        "bad/binary.html",
        "bad/blank.html",
        "bad/bomb.epub",
        "bad/corrupt.epub",
        "bad/cut.rss",
    ]
    assert "binary" in problems["bad/binary.html"] and "no text" in problems["bad/blank.html"]
    assert "EPUB" in problems["bad/corrupt.epub"] and "x.xhtml" in problems["bad/bomb.epub"]
    assert report.added == 6
    index.close()


def test_a_file_name_with_a_hash_sign(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "issue #5.rss").write_text(rss([("k#1", "Hashes", "A guid with a hash sign.")]), encoding="utf-8")
    write_article(root, "note #2.txt", "Note two", "2 March 2021", "Plain text.")
    assert load_article(root, "issue #5.rss#k#1").title == "Hashes"
    assert load_article(root, "note #2.txt").title == "Note two"


def test_an_index_written_by_the_previous_version_is_rebuilt_with_the_new_formats(tmp_path: Path) -> None:
    """tests/fixtures/index-v2 was written by the release before this one (schema 2, catalog 2)
    over tests/fixtures/index-v2-corpus, where it indexed fire.txt and ignored feed.rss."""
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "index-v2-corpus", corpus)
    index_dir = tmp_path / "ix"
    shutil.copytree(FIXTURES / "index-v2", index_dir)
    index = open_index(corpus, index_dir)
    assert index.rebuilt
    report = index.sync()
    assert sorted(report.added_paths) == ["feed.rss#1", "fire.txt"]
    assert search(index, "harbour") == ["fire.txt"]
    index.close()


def test_the_word_store_of_stories_and_insights_reads_feed_items_as_articles(
    folder: Path, tmp_path: Path
) -> None:
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    catalog = index.catalog()
    try:
        store = WordStore(store_path(index.dir))
        try:
            changes = store.update(folder, catalog)
        finally:
            store.close()
    finally:
        catalog.close()
        index.close()
    assert "feeds/gazette.rss#gazette-1001" in changes.added
    assert "feeds/gazette.rss" not in changes.added and "settings.xml" not in changes.added


def test_an_mbox_that_grew_at_the_end_is_read_from_the_new_part_only(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = folder / "mail" / "inbox.mbox"
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    parsed: list[bytes] = []
    real = mail_format._parse
    monkeypatch.setattr(mail_format, "_parse", lambda raw: parsed.append(raw) or real(raw))
    with box.open("ab") as fh:  # as a mail program appends: a new message, and the same one again
        fh.write(mbox(newsletter("<nl-43@news.example.com>", "Issue 43"), newsletter()))
    bump(box)
    report = index.sync()
    assert len(parsed) == 2  # not the message that was there before
    assert sorted(report.added_paths) == [
        "mail/inbox.mbox#nl-42@news.example.com~2",
        "mail/inbox.mbox#nl-43@news.example.com",
    ]
    assert report.updated_paths == [] and report.removed_paths == []
    # The ids are those a whole read gives.
    catalog = index.catalog()
    assert sorted(catalog.article_digests("mail/inbox.mbox")) == sorted(
        a.path for a in load_articles(folder, "mail/inbox.mbox")
    )
    catalog.close()
    # Changed anywhere else: read whole again.
    box.write_bytes(mbox(newsletter("<nl-43@news.example.com>", "Issue 43 (corrected)")))
    bump(box)
    report = index.sync()
    assert report.updated_paths == ["mail/inbox.mbox#nl-43@news.example.com"]
    assert sorted(report.removed_paths) == [
        "mail/inbox.mbox#nl-42@news.example.com",
        "mail/inbox.mbox#nl-42@news.example.com~2",
    ]
    index.close()
