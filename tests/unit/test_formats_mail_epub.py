"""Mail (.eml, .mbox) and EPUB books: one article per message or chapter; bad files."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reader.core.corpus import ArticleError, extract_articles
from reader.core.formats import epub as epub_format
from tests.format_samples import HTML_ONLY_MAIL, epub, mbox, newsletter

REPO = Path(__file__).resolve().parents[2]


# --- Mail ----------------------------------------------------------------------------------


def test_a_multipart_newsletter_gives_its_text_part_only() -> None:
    (article,) = extract_articles("mail/issue42.eml", newsletter()).articles
    assert article.path == "mail/issue42.eml"  # one message: the file is the article
    assert article.title == "The Weekly Harbour: issue 42"
    assert article.date is not None and article.date.isoformat() == "2021-02-12"
    assert article.source == "Hafen Zeitung Redaktion"
    assert article.language == "en"
    assert article.body == (
        "Good morning,\nthis week the new pier opened and the cafés on the quay are busy again after a long"
        " winter.\nThe ferry timetable changes on Monday."
    )
    text = article.plain_text
    for absent in (
        "HTML ALTERNATIVE",
        "Content-Type",
        "==mixed==",
        "multi-part",
        "timetable.pdf",
        "Message-ID",
    ):
        assert absent not in text


def test_an_html_only_message_is_turned_into_text() -> None:
    (article,) = extract_articles("closed.eml", HTML_ONLY_MAIL).articles
    assert article.title == "Harbour closed on Sunday" and article.source == "Port Authority"
    assert [b.text for b in article.blocks] == [
        "Harbour closed",
        "The harbour is closed on Sunday for repairs to the quay. Cafés stay open.",
        "Opening Monday 6:00",
    ]
    assert "color" not in article.plain_text


def test_an_mbox_gives_one_article_per_message_keyed_by_message_id() -> None:
    data = mbox(newsletter(), HTML_ONLY_MAIL, b"From: x@example.com\nSubject: No id\n\nBody without an id.\n")
    articles = extract_articles("archive.mbox", data).articles
    assert [a.path for a in articles[:2]] == [
        "archive.mbox#nl-42@news.example.com",
        "archive.mbox#html-1@example.com",
    ]
    assert articles[2].path.startswith("archive.mbox#h") and articles[2].body == "Body without an id."


def test_a_body_line_starting_with_from_does_not_split_a_message() -> None:
    message = b"Message-ID: <a@x>\nSubject: Quote\n\nHe wrote:\nFrom the harbour we saw the fire.\n"
    (article,) = extract_articles("one.mbox", mbox(message)).articles
    assert article.body == "He wrote: From the harbour we saw the fire."


def test_an_mbox_with_a_20_mb_attachment_stays_in_bounded_memory() -> None:
    script = f"""
import json, os, resource, sys
sys.path.insert(0, {str(REPO)!r})
from tests.format_samples import mbox, newsletter
from reader.core.corpus import extract_articles
data = mbox(newsletter(attachment=os.urandom(20 * 1024 * 1024)), newsletter("<second@x>", "Second issue"))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
articles = extract_articles("big.mbox", data).articles
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
leaked = "timetable.pdf" in articles[0].plain_text
print(json.dumps([len(data) >> 20, [a.title for a in articles], grew >> 10, leaked]))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    size, titles, grew, leaked = json.loads(out)
    assert size >= 27 and titles == ["The Weekly Harbour: issue 42", "Second issue"] and not leaked
    assert grew < 4 * size  # the attachment's text is held, never decoded to bytes and copied around


def test_not_a_mail_file_is_a_problem() -> None:
    with pytest.raises(ArticleError):
        extract_articles("empty.eml", b"")
    with pytest.raises(ArticleError, match="not an mbox"):
        extract_articles("notes.mbox", b"Just some text\nwithout any From line\n")


# --- EPUB ----------------------------------------------------------------------------------

CHAPTERS = [
    ("cover.xhtml", "", []),
    ("ch1.xhtml", "The Quay at Dawn", ["The fishermen came in before sunrise.", "Gulls followed the boats."]),
    ("ch2.xhtml", "", ["A chapter without a heading of its own."]),
]


@pytest.mark.parametrize("version", ["3", "2"])
def test_an_epub_gives_its_chapters_in_reading_order(version: str) -> None:
    articles = extract_articles("books/harbour.epub", epub(CHAPTERS, version=version)).articles
    assert [a.path for a in articles] == [
        "books/harbour.epub#OEBPS/text/ch1.xhtml",
        "books/harbour.epub#OEBPS/text/ch2.xhtml",
    ]
    first, second = articles
    assert (
        first.title == "The Quay at Dawn"
        and first.body == "The fishermen came in before sunrise.\nGulls followed the boats."
    )
    assert second.title == "TOC: ch2.xhtml"  # no heading: its entry in the nav document / NCX
    for a in articles:
        assert a.date is not None and a.date.isoformat() == "2020-05-01"
        assert a.source == "Harbour Press" and a.language == "en"


def test_a_corrupt_epub_is_a_problem() -> None:
    good = epub(CHAPTERS)
    for bad in (b"PK\x03\x04 not really a zip", good[: len(good) // 2], b"\x00" * 1000):
        with pytest.raises(ArticleError, match="EPUB"):
            extract_articles("bad.epub", bad)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
    with pytest.raises(ArticleError, match="no package file"):
        extract_articles("empty.epub", buf.getvalue())


def test_a_chapter_that_inflates_to_gigabytes_is_not_inflated() -> None:
    data = epub([*CHAPTERS, ("bomb.xhtml", "", [])], inflate={"bomb.xhtml": 1024})
    assert len(data) < 8 * 1024 * 1024  # 1 GB inside
    extracted = extract_articles("bomb.epub", data)
    assert [a.title for a in extracted.articles] == ["The Quay at Dawn", "TOC: ch2.xhtml"]
    assert "bomb.xhtml" in extracted.note and "not read" in extracted.note


def test_a_book_of_bombs_is_a_problem() -> None:
    with pytest.raises(ArticleError, match=r"bomb\.xhtml"):
        extract_articles("bomb.epub", epub([("bomb.xhtml", "", [])], inflate={"bomb.xhtml": 40}))


def test_a_chapter_whose_declared_size_lies_is_cut_off_while_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epub_format, "MAX_MEMBER", 64 * 1024)
    big = [("ch1.xhtml", "Big", ["word " * 40_000])]
    data = bytearray(epub(big))
    # Declare a tiny uncompressed size in the central directory and the local header.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("OEBPS/text/ch1.xhtml")
    real = info.file_size.to_bytes(4, "little")
    data = bytearray(bytes(data).replace(real, (100).to_bytes(4, "little")))
    with pytest.raises(ArticleError):
        extract_articles("liar.epub", bytes(data))
