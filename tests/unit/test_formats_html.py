"""Saved web pages: the article's text and metadata, not the page's furniture; bad pages."""

from __future__ import annotations

import tracemalloc

import pytest
import trafilatura

from reader.core.corpus import ArticleError, extract_articles
from reader.core.formats import html as html_format
from tests.format_samples import ARTICLE_LIST, ARTICLE_PARAGRAPHS, ARTICLE_SUBHEADING, BOILERPLATE, news_page


def page_article(markup: str | bytes, name: str = "news/fire.html"):
    data = markup.encode("utf-8") if isinstance(markup, str) else markup
    extracted = extract_articles(name, data)
    assert len(extracted.articles) == 1
    return extracted.articles[0]


def test_a_news_page_gives_its_article_text_without_the_furniture() -> None:
    article = page_article(news_page())
    text = article.plain_text
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in text
    for phrase in BOILERPLATE:
        assert phrase not in text, phrase
    assert "script text must not show" not in text
    assert article.path == "news/fire.html"


def test_a_news_page_keeps_headings_paragraphs_and_lists_as_blocks() -> None:
    article = page_article(news_page())
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", ARTICLE_PARAGRAPHS[0]),
        ("heading", ARTICLE_SUBHEADING),
        ("paragraph", ARTICLE_PARAGRAPHS[1]),
        *[("paragraph", item) for item in ARTICLE_LIST],
        ("paragraph", ARTICLE_PARAGRAPHS[2]),
    ]


def test_a_news_page_gives_title_date_site_author_url_and_language() -> None:
    article = page_article(news_page())
    assert article.title == "Fire destroys warehouses in Port Elwin harbour"
    assert article.date is not None and article.date.isoformat() == "2020-07-30"
    assert article.source == "Elwin Daily Courier"
    assert article.credits == ("By Maria Lindqvist",)
    assert article.url == "https://courier.example.com/news/2020/07/30/harbour-fire"
    assert article.language == "en-GB"


def test_at_least_the_reference_extractors_text_and_no_more_of_its_boilerplate() -> None:
    """The bar: trafilatura with its default settings, which keeps the comments (furniture here,
    so they are left out of what must be kept)."""
    page = news_page()
    ours = page_article(page).plain_text
    reference = trafilatura.extract(page) or ""
    comments = trafilatura.bare_extraction(page).comments or ""
    kept = [line.lstrip("- ").strip() for line in reference.splitlines() if line not in comments]
    assert len(kept) >= 7
    for line in kept:
        assert line in ours, line
    for phrase in BOILERPLATE:
        if phrase not in reference:
            assert phrase not in ours, phrase
    assert "Comments (2)" not in ours and "Terrible news" not in ours


def test_the_declared_encoding_is_used_and_detection_covers_undeclared_pages() -> None:
    text = "<p>Переговоры в Минске продолжаются, сообщили участники встречи в четверг вечером.</p>"
    declared = (
        f"<html><head><meta charset='windows-1251'><title>Новости</title></head><body>{text}</body></html>"
    )
    article = page_article(declared.encode("cp1251"))
    assert article.title == "Новости" and "Переговоры в Минске" in article.plain_text
    assert article.encoding == "cp1251"
    undeclared = (
        "<html><head><title>Café</title></head><body><p>Le café à Genève était fermé.</p></body></html>"
    )
    article = page_article(undeclared.encode("cp1252"))
    assert "Le café à Genève était fermé" in article.plain_text


def test_a_page_with_a_utf16_bom_is_read() -> None:
    markup = "<html><head><title>Ελληνικά</title></head><body><p>Νέα από την Αθήνα σήμερα.</p></body></html>"
    article = page_article(b"\xff\xfe" + markup.encode("utf-16-le"))
    assert article.title == "Ελληνικά" and "Αθήνα" in article.plain_text


def test_a_short_page_trafilatura_finds_nothing_in_still_gives_its_text() -> None:
    markup = "<html><head><title>Note</title></head><body><nav>Home</nav><p>Back at noon.</p></body></html>"
    article = page_article(markup)
    assert article.title == "Note" and "Back at noon." in article.body


def test_a_page_without_text_is_a_problem() -> None:
    with pytest.raises(ArticleError, match="no text"):
        extract_articles(
            "empty.html", b"<html><head><title></title></head><body> <img src='x.png'> </body></html>"
        )
    with pytest.raises(ArticleError, match="empty"):
        extract_articles("empty.html", b"")


def test_binary_data_named_html_is_a_problem() -> None:
    with pytest.raises(ArticleError, match="binary"):
        extract_articles("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)


def test_a_10000_character_title_is_cut() -> None:
    title = " ".join(["headline"] * 1250)
    article = page_article(
        f"<html><head><title>{title}</title></head><body><p>Body text of the page.</p></body></html>"
    )
    assert len(article.title) <= 300 and article.title.endswith("…")
    assert "Body text of the page." in article.plain_text


def test_a_50_mb_page_with_inlined_images_is_read_in_bounded_memory() -> None:
    blob = "A" * (10 * 1024 * 1024)
    images = "".join(f'<img src="data:image/png;base64,{blob}">' for _ in range(5))
    markup = news_page().replace("<main>", f"<main>{images}<script>{'x' * 1_000_000}</script>")
    data = markup.encode("ascii", "xmlcharrefreplace")
    assert len(data) > 50 * 1024 * 1024
    del markup, blob, images
    tracemalloc.start()
    try:
        extracted = extract_articles("big.html", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ARTICLE_PARAGRAPHS[0] in extracted.articles[0].plain_text
    assert peak < 6 * len(data)  # a few copies of the text, not a DOM of 50 MB


def test_a_page_larger_than_the_markup_limit_is_indexed_in_part_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(html_format, "MAX_MARKUP_CHARS", 20_000)
    paragraphs = "".join(
        f"<p>Paragraph number {i} of a very long page about the harbour.</p>" for i in range(2000)
    )
    extracted = extract_articles(
        "long.html", f"<html><body><article>{paragraphs}</article></body></html>".encode()
    )
    text = extracted.articles[0].plain_text
    assert "Paragraph number 3 of" in text and "Paragraph number 1999 of" not in text
    assert "only the leading part" in extracted.note


def test_nothing_remote_is_kept_as_a_url_but_http_addresses() -> None:
    markup = news_page().replace(
        "https://courier.example.com/news/2020/07/30/harbour-fire", "javascript:alert(1)"
    )
    assert page_article(markup).url == ""


def test_line_breaks_loose_text_and_soft_hyphens_keep_their_words() -> None:
    paragraphs = " ".join(
        f"<p>Sentence {i} of the long story about the harbour of Port Elwin.</p>" for i in range(8)
    )
    markup = (
        "<html><head><title>Breaks</title></head><body><article>"
        f"{paragraphs}<p>Benefits<br>Less wear<br>Longer life</p>"
        "<div>Loose text between blocks of the article about the harbour.<p>More text.</p></div>"
        "<p>Auch in die\u00adsem Jahr wol\u00adlen wir zeigen, wie es damals war.</p>"
        "</article></body></html>"
    )
    article = page_article(markup)
    texts = [b.text for b in article.blocks]
    assert "Benefits" in texts and "Less wear" in texts and "Longer life" in texts
    assert any("Loose text between blocks" in t for t in texts)
    assert "Auch in diesem Jahr wollen wir zeigen, wie es damals war." in texts
