"""`show` and `index --json` over a folder of every format, good and bad, as a script sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.format_samples import ARTICLE_PARAGRAPHS, RSS_WITH_CDATA, epub, mbox, news_page, newsletter
from tests.helpers import run, write_article


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    root = tmp_path / "mixed"
    write_article(root, "plain.txt", "A plain article", "1 March 2021", "Text about the lighthouse keeper.")
    (root / "fire.html").write_text(news_page(), encoding="utf-8")
    (root / "gazette.rss").write_text(RSS_WITH_CDATA, encoding="utf-8")
    (root / "inbox.mbox").write_bytes(mbox(newsletter()))
    (root / "book.epub").write_bytes(epub([("ch1.xhtml", "The Quay", ["Gulls and boats at dawn."])]))
    bad = root / "bad"
    bad.mkdir()
    (bad / "binary.html").write_bytes(bytes(range(256)) * 64)
    (bad / "corrupt.epub").write_bytes(b"PK\x03\x04 broken")
    (bad / "xxe.rss").write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><title>X</title><item><guid>1</guid><title>Leak &x;</title></item></channel></rss>",
        encoding="utf-8",
    )
    return root


def test_index_json_lists_bad_files_with_reasons_and_indexes_the_rest(mixed: Path, tmp_path: Path) -> None:
    done = run("--corpus", mixed, "--data-dir", tmp_path / "d", "index", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    problems = {p["path"]: p["reason"] for p in report["problems"]}
    assert sorted(problems) == ["bad/binary.html", "bad/corrupt.epub", "bad/xxe.rss"]
    assert "binary" in problems["bad/binary.html"] and "EPUB" in problems["bad/corrupt.epub"]
    assert "entities" in problems["bad/xxe.rss"]  # indexed, with the entity left out
    assert report["added"] == 7
    found = run("--corpus", mixed, "--data-dir", tmp_path / "d", "search", "espresso OR warehouses", "--json")
    assert sorted(h["path"] for h in json.loads(found.stdout)["hits"]) == [
        "fire.html",
        "gazette.rss#gazette-1001",
    ]


def test_show_json_prints_one_object_per_line(mixed: Path, tmp_path: Path) -> None:
    ids = ["fire.html", "gazette.rss#gazette-1001", "plain.txt", "book.epub#OEBPS/text/ch1.xhtml"]
    done = run("--corpus", mixed, "--data-dir", tmp_path / "d", "show", *ids, "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4
    page, item, plain, chapter = (json.loads(line) for line in lines)
    for obj in (page, item, plain, chapter):
        assert set(obj) == {"path", "title", "date", "source", "language", "url", "text"}
    assert [o["path"] for o in (page, item, plain, chapter)] == ids
    assert page["title"] == "Fire destroys warehouses in Port Elwin harbour"
    assert page["date"] == "2020-07-30" and page["source"] == "Elwin Daily Courier"
    assert (
        page["url"] == "https://courier.example.com/news/2020/07/30/harbour-fire" and page["language"] == "en"
    )
    assert ARTICLE_PARAGRAPHS[1] in page["text"] and "cookies" not in page["text"]
    assert item["source"] == "Jonas Berg" and item["date"] == "2021-03-02"
    assert plain["url"] is None and plain["date"] == "2021-03-01"
    assert chapter["title"] == "The Quay" and chapter["source"] == "Harbour Press"


def test_show_text_is_what_search_marks_and_annotations_anchor_to(mixed: Path, tmp_path: Path) -> None:
    data = ("--corpus", mixed, "--data-dir", tmp_path / "d")
    shown = json.loads(run(*data, "show", "gazette.rss#gazette-1001", "--json").stdout)
    kwic = json.loads(run(*data, "concordance", "espresso", "--json").stdout)
    (hit,) = kwic["occurrences"]
    assert hit["path"] == "gazette.rss#gazette-1001"
    assert shown["text"][hit["start"] : hit["end"]].lower() == "espresso"


def test_show_a_whole_feed_and_a_missing_id(mixed: Path, tmp_path: Path) -> None:
    done = run("--corpus", mixed, "--data-dir", tmp_path / "d", "show", "gazette.rss", "nope.html", "--json")
    assert done.returncode == 1 and "nope.html" in done.stderr
    assert [json.loads(line)["path"] for line in done.stdout.splitlines()] == [
        "gazette.rss#gazette-1001",
        "gazette.rss#https://gazette.example.org/2021/03/ferry",
    ]
    plain = run("--corpus", mixed, "--data-dir", tmp_path / "d", "show", "fire.html")
    assert plain.returncode == 0 and plain.stdout.startswith(
        "Fire destroys warehouses in Port Elwin harbour\n"
    )
    assert "<https://courier.example.com/news/2020/07/30/harbour-fire>" in plain.stdout


def test_show_refuses_ids_outside_the_corpus(mixed: Path, tmp_path: Path) -> None:
    done = run("--corpus", mixed, "--data-dir", tmp_path / "d", "show", "../../etc/passwd", "--json")
    assert done.returncode == 1 and done.stdout == "" and "outside" in done.stderr
