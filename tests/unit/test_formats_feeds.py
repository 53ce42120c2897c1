"""Feeds: one article per item or entry; hostile XML is never expanded or followed."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from reader.core.corpus import ArticleError, extract_articles
from tests.format_samples import ATOM_FEED, RSS_WITH_CDATA, rss

REPO = Path(__file__).resolve().parents[2]


def items(name: str, data: str | bytes):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return extract_articles(name, raw)


def test_an_rss_feed_with_cdata_and_html_entities() -> None:
    first, second = items("feeds/gazette.rss", RSS_WITH_CDATA).articles
    assert first.path == "feeds/gazette.rss#gazette-1001"
    assert first.title == "Cafés reopen on the quay & market square"
    assert first.date is not None and first.date.isoformat() == "2021-03-02"
    assert first.source == "Jonas Berg"
    assert first.url == "https://gazette.example.org/2021/03/cafes-reopen"
    assert first.language == "en-us"
    # The full content, not the teaser; HTML turned into text; the script left out.
    assert [(b.kind, b.text) for b in first.blocks] == [
        ("paragraph", "After four months the cafés on the quay reopened on Monday — to long queues."),
        ("heading", "Outdoor seating only"),
        ("paragraph", "Owners said the “first espresso” tasted better than ever."),
    ]
    assert "teaser" not in first.plain_text and "alert" not in first.plain_text
    # No guid: the link is the key; no author: the feed's title is the source.
    assert second.path == "feeds/gazette.rss#https://gazette.example.org/2021/03/ferry"
    assert second.source == "Harbour Gazette – Local news"
    assert second.body == "The morning ferry now leaves at 6:45 & returns at 8:10."  # escaped twice: HTML


def test_an_atom_feed() -> None:
    first, second = items("hafen.atom", ATOM_FEED).articles
    assert first.path == "hafen.atom#urn:uuid:entry-1"
    assert first.title == "Neue Brücke eröffnet"
    assert first.date is not None and first.date.isoformat() == "2021-04-05"  # published, not updated
    assert first.url == "https://hafenblatt.example.de/bruecke"  # alternate, not the enclosure
    assert first.source == "Redaktion Hafenblatt" and first.language == "de"
    assert first.body == "Die neue Brücke über den Hafen wurde am Montag eröffnet.\nTausende kamen zur Feier."
    assert second.source == "Eva Kühn" and second.date is not None and second.date.isoformat() == "2021-04-07"
    assert second.body == "Der Wochenmarkt findet diesmal am Samstag statt."


def test_an_rss_1_0_rdf_feed() -> None:
    rdf = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://x.example/"><title>RDF news</title></channel>
  <item rdf:about="https://x.example/1"><title>One</title><link>https://x.example/1</link>
    <description>First item text.</description><dc:date>2019-05-06T10:00:00Z</dc:date></item>
</rdf:RDF>"""
    (article,) = items("news.xml", rdf).articles
    assert article.path == "news.xml#https://x.example/1"
    assert article.source == "RDF news" and article.date is not None and article.date.year == 2019


def test_a_json_feed() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Harbour",
        "language": "en",
        "items": [
            {
                "id": "42",
                "url": "https://j.example/42",
                "title": "Tide tables",
                "content_html": "<p>High tide at <b>noon</b>.</p>",
                "date_published": "2022-01-03T08:00:00Z",
                "authors": [{"name": "Ann Lee"}],
            },
            {"id": 43, "content_text": "A note without a title.\n\nSecond paragraph."},
        ],
    }
    first, second = items("feed.json", json.dumps(feed)).articles
    assert (first.path, first.title, first.body, first.source) == (
        "feed.json#42",
        "Tide tables",
        "High tide at noon.",
        "Ann Lee",
    )
    assert (
        first.date is not None
        and first.date.isoformat() == "2022-01-03"
        and first.url == "https://j.example/42"
    )
    assert second.path == "feed.json#43" and second.title == "A note without a title."
    assert second.body == "Second paragraph." and second.source == "JSON Harbour"


def test_xml_and_json_files_that_are_not_feeds_are_skipped_quietly() -> None:
    assert items("config.xml", "<config><option name='a'/></config>").articles == []
    assert items("data.json", '{"rows": [1, 2, 3]}').articles == []
    assert items("broken.json", "{not json").articles == []
    with pytest.raises(ArticleError, match="not a feed"):
        items("page.rss", "<html><body>no</body></html>")


def test_billion_laughs_is_not_expanded() -> None:
    lol = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>
<rss><channel><title>Bomb</title><item><guid>1</guid><title>Laughs &lol9;</title>
<description>Text &lol9; end.</description></item></channel></rss>"""
    tracemalloc.start()
    try:
        extracted = items("bomb.rss", bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (article,) = extracted.articles
    assert "lol" not in article.plain_text and article.body == "Text end."
    assert "entities" in extracted.note
    assert peak < 20 * 1024 * 1024


def test_a_billion_laughs_document_that_is_no_feed_is_a_problem() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        "<lolz>&lol2;</lolz>"
    )
    with pytest.raises(ArticleError, match="entities"):
        items("lolz.xml", bomb)


def test_an_external_entity_is_never_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    for target in (secret.as_uri(), "file:///etc/passwd"):
        xxe = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{target}">]>
<rss><channel><title>XXE</title><item><guid>a</guid><title>Leak &x;</title>
<description>Before &x; after.</description></item></channel></rss>"""
        (article,) = items("xxe.rss", xxe).articles
        assert "TOP-SECRET" not in article.plain_text and "root:" not in article.plain_text
        assert article.body == "Before after."


def test_an_external_dtd_is_not_loaded() -> None:
    feed = """<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><item><title>Item &eacute;t&eacute;</title>
<link>https://old.example/1</link><description>Old-style feed.</description></item></channel></rss>"""
    (article,) = items("old.rss", feed).articles
    assert article.title == "Item été" and article.url == "https://old.example/1"


def test_a_truncated_feed_yields_the_items_before_the_cut() -> None:
    whole = rss([(f"g{i}", f"Item {i}", f"Text of item {i}.") for i in range(10)])
    cut = whole[: whole.index("<item><guid>g7")] + "<item><guid>g7</guid><title>Ite"
    extracted = items("cut.rss", cut)
    paths = [a.path for a in extracted.articles]
    assert paths == [f"cut.rss#g{i}" for i in range(7)]  # the half item g7 is not an article
    assert extracted.note == "the feed is cut short or broken: 7 whole items read, the cut one left out"


def test_an_untitled_item_of_two_sentences_is_titled_by_the_first_and_keeps_its_text() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Daily",
        "items": [{"id": "2", "content_text": "Grain exports from Odesa resumed.\nShipments rose."}],
    }
    (article,) = items("daily.json", json.dumps(feed)).articles
    assert article.title == "Grain exports from Odesa resumed."
    assert article.body == "Grain exports from Odesa resumed. Shipments rose."


def test_a_feed_cut_before_any_item_is_a_problem() -> None:
    with pytest.raises(ArticleError, match="without items"):
        items("cut.rss", "<?xml version='1.0'?><rss><channel><title>Nothing yet")


def test_a_feed_of_50000_items_streams_in_bounded_memory() -> None:
    # In a process of its own: its peak resident memory covers lxml's (C) memory as well.
    script = f"""
import resource, sys
sys.path.insert(0, {str(REPO)!r})
from tests.format_samples import rss
from reader.core.corpus import extract_articles
items = [(f"id-{{i}}", f"Headline number {{i}}", f"Body of item {{i}}.") for i in range(50_000)]
data = rss(items)
data = data.encode("utf-8")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
extracted = extract_articles("big.rss", data)
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(len(extracted.articles), extracted.articles[-1].path, grew * 1024 // len(data))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[:2] == ["50000", "big.rss#id-49999"]
    # The articles (about the size of the text) and not a tree of the whole document on top:
    # lxml would need 20-30 times the file's size for that.
    assert int(out[2]) < 12


def test_items_with_the_same_guid_get_distinct_ids() -> None:
    paths = [a.path for a in items("dup.rss", rss([("same", "A", "a"), ("same", "B", "b")])).articles]
    assert paths == ["dup.rss#same", "dup.rss#same~2"]


def test_an_item_without_guid_or_link_is_keyed_by_its_content() -> None:
    one = items("f.rss", rss([("", "Alpha", "First.")])).articles[0].path
    two = items("f.rss", rss([("", "Beta", "Second."), ("", "Alpha", "First.")])).articles[1].path
    assert one == two and one.startswith("f.rss#h")
