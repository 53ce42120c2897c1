# ruff: noqa: E501  (sample documents keep their lines as a page or text has them)
"""Real-world-shaped files in other languages and encodings, made here: what ``show --json``
gives for each (title, date, source, language, url, text). Pages in legacy charsets with and
without a declaration, dates only in metadata, pages with their furniture in six languages."""

from __future__ import annotations

import codecs

import pytest

from reader.cli import article_json
from reader.core.corpus import extract_articles

#: Three paragraphs of news in each language (a detector needs a few sentences).
NEWS = {
    "ru": (
        "Лавров провёл переговоры в Москве",
        [
            "Министр иностранных дел России Сергей Лавров провёл в Москве переговоры со своим армянским "
            "коллегой, сообщили в пресс-службе министерства.",
            "Стороны обсудили ситуацию в Нагорном Карабахе и работу Минской группы ОБСЕ, а также вопросы "
            "двустороннего сотрудничества в экономике.",
            "По итогам встречи министры подписали план консультаций на следующий год и договорились "
            "продолжить диалог.",
        ],
    ),
    "de": (
        "Tarifverhandlungen in Berlin gescheitert",
        [
            "Die Verhandlungen zwischen der Regierung und den Gewerkschaften über die neuen Tarifverträge "
            "sind am Donnerstag in Berlin gescheitert.",
            "Nach Angaben beider Seiten konnte man sich über die Höhe der Lohnerhöhungen und die Laufzeit "
            "der Verträge nicht einigen.",
            "Die Gewerkschaft kündigte für die kommende Woche Warnstreiks in mehreren Bundesländern an, "
            "darunter in Bayern und in Sachsen.",
        ],
    ),
    "fr": (
        "Des mesures pour les agriculteurs",
        [
            "Le gouvernement français a annoncé jeudi une série de mesures destinées à soutenir les "
            "agriculteurs touchés par la sécheresse de cet été.",
            "Selon le ministre de l'Agriculture, une enveloppe de deux cents millions d'euros sera "
            "débloquée dans les prochaines semaines.",
            "Les syndicats agricoles ont salué ces annonces tout en les jugeant insuffisantes face à "
            "l'ampleur des pertes subies.",
        ],
    ),
    "tr": (
        "Bakan basın toplantısında açıklama yaptı",
        [
            "Dışişleri Bakanı, Ankara'da düzenlenen basın toplantısında bölgedeki son gelişmeleri "
            "değerlendirdi ve açıklamalarda bulundu.",
            "Bakan, taraflar arasındaki görüşmelerin önümüzdeki hafta İstanbul'da yeniden başlayacağını "
            "ve ateşkesin korunması gerektiğini söyledi.",
            "Açıklamada ayrıca ekonomik işbirliği ve ticaret konularında yeni anlaşmaların imzalanacağı "
            "belirtildi.",
        ],
    ),
    "hy": (
        "Նախարարը հանդիպում է ունեցել դեսպանի հետ",
        [
            "Հայաստանի արտաքին գործերի նախարարը այսօր Երևանում հանդիպում է ունեցել Ռուսաստանի դեսպանի "
            "հետ, հայտնում են նախարարությունից։",
            "Կողմերը քննարկել են տարածաշրջանային անվտանգության հարցեր և երկկողմ համագործակցության "
            "զարգացման հեռանկարները։",
            "Հանդիպման ավարտին պայմանավորվածություն է ձեռք բերվել շարունակել երկխոսությունը առաջիկա "
            "ամիսներին։",
        ],
    ),
    "az": (
        "Nazirlik bəyanat yayıb",
        [
            "Azərbaycan Respublikasının Xarici İşlər Nazirliyi bu gün Bakıda keçirilən mətbuat "
            "konfransında bölgədəki vəziyyətlə bağlı bəyanat yayıb.",
            "Nazir bildirib ki, tərəflər arasında danışıqlar gələn həftə davam etdiriləcək və sülh "
            "prosesi üçün yeni təkliflər hazırlanır.",
            "Bəyanatda həmçinin iqtisadi əməkdaşlıq və nəqliyyat layihələrinin əhəmiyyəti vurğulanıb.",
        ],
    ),
    "ja": (
        "東京都で新たな感染者を確認",
        [
            "東京都は木曜日、新型ウイルスの感染者が新たに確認されたと発表しました。都の担当者によりますと、"
            "感染者の多くは二十代から三十代の若い世代だということです。",
            "都は引き続き不要不急の外出を控えるよう呼びかけています。専門家は今後の感染拡大に警戒が必要だと"
            "指摘しています。",
        ],
    ),
}
FURNITURE = [
    "We use cookies to improve your experience",
    "Accept all",
    "Reader comment number one",
    "Another story about something else entirely",
    "Subscribe to our newsletter",
]


def page(lang: str, head: str = "", byline: str = "", copyright_year: bool = True) -> str:
    """A saved news page: cookie banner, navigation, the article, comments, related links and a
    footer with a copyright year (which is not the article's date)."""
    title, paragraphs = NEWS[lang]
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    footer = "<p>&copy; 2020 Site. All rights reserved.</p>" if copyright_year else ""
    return f"""<!DOCTYPE html><html lang="{lang}"><head>{head}<title>{title} - Site</title></head><body>
<div class="cookie-banner" id="cookie-consent"><p>{FURNITURE[0]} on our site.</p><button>{FURNITURE[1]}</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article><h1>{title}</h1>{byline}
{body}</article>
<section class="comments" id="comments"><h3>Comments</h3><div class="comment"><p>{FURNITURE[2]}, posted an hour ago.</p></div></section>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">{FURNITURE[3]}</a></li></ul>
<div class="newsletter"><p>{FURNITURE[4]}</p></div></aside></main>
<footer>{footer}</footer></body></html>"""


def shown(name: str, data: bytes) -> list[dict[str, object]]:
    """What ``corpus-reader show --json`` prints for the articles of one file."""
    return [article_json(a) for a in extract_articles(name, data).articles]


def one(name: str, data: bytes) -> dict[str, object]:
    (article,) = shown(name, data)
    return article


def assert_is_the_article(got: dict[str, object], lang: str) -> None:
    title, paragraphs = NEWS[lang]
    assert got["title"] == title
    text = str(got["text"])
    for paragraph in paragraphs:
        assert paragraph in text
    for phrase in FURNITURE:
        assert phrase not in text, phrase
    assert got["language"] == lang


@pytest.mark.parametrize("lang", ["ru", "de", "fr", "tr", "hy", "az"])
def test_a_page_in_each_language_keeps_its_article_drops_its_furniture_and_invents_no_date(
    lang: str,
) -> None:
    got = one(f"{lang}.html", page(lang, '<meta charset="utf-8">').encode())
    assert_is_the_article(got, lang)
    assert got["date"] is None  # "© 2020" in the footer is no publication date
    assert "2020-01-01" not in str(got["text"])


LEGACY = [
    ("ru", "windows-1251"),
    ("ru", "koi8-r"),
    ("tr", "iso-8859-9"),
    ("ja", "shift_jis"),
    ("de", "iso-8859-1"),
    ("fr", "windows-1252"),
]


@pytest.mark.parametrize(("lang", "charset"), LEGACY)
@pytest.mark.parametrize("declared", ["meta charset", "http-equiv", "undeclared"])
def test_a_page_in_a_legacy_charset_is_read_with_or_without_its_declaration(
    lang: str, charset: str, declared: str
) -> None:
    head = {
        "meta charset": f'<meta charset="{charset}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "undeclared": "",
    }[declared]
    # What a legacy charset cannot write (the furniture's own text is ASCII) a page writes as
    # character references.
    data = page(lang, head).encode(charset, "xmlcharrefreplace")
    assert_is_the_article(one(f"{lang}.html", data), lang)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (b"", "utf-16"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_a_page_with_a_byte_order_mark_is_read_by_it(bom: bytes, codec: str) -> None:
    data = bom + page("ru", '<meta charset="windows-1251">').encode(codec)  # the BOM wins
    assert_is_the_article(one("ru.html", data), "ru")


@pytest.mark.parametrize(
    ("head", "byline", "date"),
    [
        ('<meta property="article:published_time" content="2020-03-12T08:00:00+01:00">', "", "2020-03-12"),
        (
            '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
            '"datePublished": "2021-03-03T10:00:00Z", "publisher": {"@type": "Organization", '
            '"name": "Tagesblatt"}}</script>',
            "",
            "2021-03-03",
        ),
        ("", '<time datetime="2019-04-30T12:00">30. April 2019</time>', "2019-04-30"),
        ("", '<div class="byline">Von Hans Müller, 12. März 2020</div>', "2020-03-12"),
        ("", '<div class="meta">30 апреля 2019, 14:05</div>', "2019-04-30"),
        ("", '<span class="date">3 mars 2021 à 10h00</span>', "2021-03-03"),
        ("", '<p class="dateline">1 July 2020</p>', "2020-07-01"),  # a real 1st of the month
    ],
)
def test_a_date_only_in_metadata_json_ld_time_or_a_byline_is_found(head: str, byline: str, date: str) -> None:
    got = one("de.html", page("de", '<meta charset="utf-8">' + head, byline).encode())
    assert got["date"] == date
    assert_is_the_article(got, "de")


def test_json_ld_gives_the_publisher_as_the_source() -> None:
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "datePublished": "2021-03-03",'
        ' "publisher": {"@type": "Organization", "name": "Tagesblatt"}}</script>'
    )
    assert one("de.html", page("de", head).encode())["source"] == "Tagesblatt"


# --- Plain text: the seed shape in other languages, encodings --------------------------------

NEWS["pl"] = (
    "Rząd ogłosił nowe przepisy",
    [
        "Rząd ogłosił w czwartek nowe przepisy dotyczące ochrony środowiska i gospodarki odpadami.",
        "Według ministra zmiany wejdą w życie za pół roku i obejmą wszystkie zakłady przemysłowe w kraju.",
        "Związki zawodowe skrytykowały brak konsultacji społecznych i zapowiedziały protesty.",
    ],
)
NEWS["el"] = (
    "Νέα μέτρα για τους αγρότες",
    [
        "Η κυβέρνηση ανακοίνωσε την Πέμπτη νέα μέτρα για τη στήριξη των αγροτών που επλήγησαν από την ξηρασία.",
        "Σύμφωνα με τον υπουργό, θα διατεθούν διακόσια εκατομμύρια ευρώ μέσα στις επόμενες εβδομάδες.",
        "Οι αγροτικοί σύλλογοι χαιρέτισαν τις ανακοινώσεις, αλλά τις χαρακτήρισαν ανεπαρκείς.",
    ],
)


def seed_text(lang: str, date_line: str) -> str:
    """The seed article's shape: title, date line, paragraphs, a separator line of a
    non-breaking space, the source line, a photo credit."""
    title, paragraphs = NEWS[lang]
    return (
        f"{title}\n\n{date_line}\n\n"
        + "\n\n".join(paragraphs)
        + "\n\n\u00a0\nSource: News agency\n\nPhoto: A. Person\n"
    )


LOCAL_DATES = [
    ("ru", "30 апреля 2019", "2019-04-30"),
    ("ru", "30 апреля 2019 г.", "2019-04-30"),
    ("ru", "30.04.2019 г.", "2019-04-30"),
    ("de", "12. März 2020", "2020-03-12"),
    ("de", "Donnerstag, 12. März 2020", "2020-03-12"),
    ("fr", "3 mars 2021", "2021-03-03"),
    ("fr", "mercredi 3 mars 2021", "2021-03-03"),
    ("tr", "5 Mayıs 2020", "2020-05-05"),
    ("tr", "5 Mayıs 2020 Salı", "2020-05-05"),
    ("az", "12 mart 2020", "2020-03-12"),
    ("az", "12 mart 2020-ci il", "2020-03-12"),
    ("hy", "12 մարտի 2020", "2020-03-12"),
    ("hy", "2020 թ. մարտի 12", "2020-03-12"),
    ("hy", "12 մարտի, 2020 թ.", "2020-03-12"),
    ("pl", "12 marca 2020", "2020-03-12"),
    ("el", "12 Μαρτίου 2020", "2020-03-12"),
]


@pytest.mark.parametrize(("lang", "date_line", "date"), LOCAL_DATES)
def test_the_seed_shape_in_other_languages_with_local_dates(lang: str, date_line: str, date: str) -> None:
    got = one(f"{lang}.txt", seed_text(lang, date_line).encode())
    title, paragraphs = NEWS[lang]
    assert (got["title"], got["date"], got["language"]) == (title, date, lang)
    assert str(got["text"]).split("\n")[1:5] == [date_line, *paragraphs]
    assert got["source"] == "News agency"  # the name; the text keeps the line with its label
    assert str(got["text"]).endswith("\nSource: News agency\nPhoto: A. Person")


TEXT_ENCODINGS = [
    ("ru", "utf-16"),  # with its BOM
    ("ru", "utf-16-le"),  # without one
    ("de", "utf-16-be"),
    ("ru", "cp1251"),
    ("ru", "koi8-r"),
    ("tr", "cp1254"),
    ("pl", "cp1250"),
    ("el", "cp1253"),
    ("de", "latin-1"),
    ("fr", "cp1252"),
]


@pytest.mark.parametrize(("lang", "codec"), TEXT_ENCODINGS)
def test_a_text_file_in_another_encoding_is_read_without_mojibake(lang: str, codec: str) -> None:
    got = one(f"{lang}.txt", seed_text(lang, "2020-03-12").encode(codec))
    title, paragraphs = NEWS[lang]
    assert got["title"] == title
    assert str(got["text"]).split("\n")[2:5] == paragraphs
    assert (got["date"], got["language"]) == ("2020-03-12", lang)


def test_a_page_without_any_title_is_titled_by_its_first_sentence_and_keeps_it_in_the_text() -> None:
    first = (
        "Die Gewerkschaft hat am Donnerstag in Berlin zu Warnstreiks in mehreren Bundesländern aufgerufen."
    )
    rest = " Betroffen sind vor allem der Nahverkehr und die Krankenhäuser. " * 4
    got = one(
        "notitle.html", f"<html><body><p>{first}{rest}</p><p>{NEWS['de'][1][0]}</p></body></html>".encode()
    )
    assert got["title"] == first
    assert str(got["text"]).split("\n")[1].startswith(first + " Betroffen")


def test_a_page_whose_title_is_10000_characters_gets_a_short_one() -> None:
    markup = (
        f"<html><head><title>{'Wort ' * 2000}</title></head><body><p>{NEWS['de'][1][0]}</p></body></html>"
    )
    title = str(one("long.html", markup.encode())["title"])
    assert 0 < len(title) <= 300 and title.endswith("…")


# --- Feeds ---------------------------------------------------------------------------------

RSS2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Le Journal &amp; Co</title><link>https://journal.example.fr/</link><language>fr-FR</language>
<item><title><![CDATA[Les agriculteurs &laquo;&nbsp;soulagés&nbsp;&raquo;]]></title>
<link>/a/1</link><dc:creator><![CDATA[Marie Dupont]]></dc:creator><dc:date>2021-03-03T10:00:00+01:00</dc:date>
<guid isPermaLink="false">journal-1</guid><description><![CDATA[<p>Résumé court.</p>]]></description>
<content:encoded><![CDATA[<p>Le gouvernement a annoncé jeudi des mesures &eacute;conomiques.</p><p>Les syndicats ont salué ces annonces&hellip;</p><script>alert(1)</script>]]></content:encoded>
</item>
<item><title>Deuxième article &#233;t&#xE9;</title><pubDate>Wed, 03 Mar 2021 10:00:00 +0100</pubDate>
<description>Texte &lt;b&gt;gras&lt;/b&gt; et &amp;amp; entité.</description></item>
</channel></rss>"""


def test_rss2_with_cdata_entities_dc_creator_dc_date_and_content_encoded() -> None:
    first, second = shown("journal.rss", RSS2.encode())
    assert first["path"] == "journal.rss#journal-1"
    assert first["title"] == "Les agriculteurs « soulagés »"
    assert (first["date"], first["source"]) == ("2021-03-03", "Marie Dupont")
    assert first["url"] == "https://journal.example.fr/a/1"  # relative to the channel's link
    text = str(first["text"])
    assert "des mesures économiques.\nLes syndicats ont salué ces annonces…" in text
    assert "Résumé court" not in text and "alert" not in text
    assert (second["title"], second["date"]) == ("Deuxième article été", "2021-03-03")
    assert "Texte gras et & entité." in str(second["text"])  # "&amp;amp;" is an escaped "&amp;"
    assert second["source"] == "Le Journal & Co"


RDF = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="https://blog.example.de/"><title>Blog</title><link>https://blog.example.de/</link>
<description>d</description><dc:language>de</dc:language>
<items><rdf:Seq><rdf:li rdf:resource="https://blog.example.de/1"/></rdf:Seq></items></channel>
<item rdf:about="https://blog.example.de/1"><title>Neue Brücke eröffnet</title><link>https://blog.example.de/1</link>
<dc:date>2020-03-12</dc:date><dc:creator>Hans</dc:creator><description>Die neue Brücke wurde eröffnet.</description></item>
<item rdf:about="https://blog.example.de/2"><title>Zweiter</title><link>https://blog.example.de/2</link>
<dc:date>2020-03-13T08:00+01:00</dc:date><content:encoded>&lt;p&gt;Volltext hier.&lt;/p&gt;</content:encoded></item>
</rdf:RDF>"""


@pytest.mark.parametrize("name", ["blog.rdf", "blog.xml", "blog.rss"])
def test_rss1_rdf_feeds_are_read_whatever_their_suffix(name: str) -> None:
    first, second = shown(name, RDF.encode())
    assert (first["path"], first["title"], first["date"], first["source"]) == (
        f"{name}#https://blog.example.de/1",
        "Neue Brücke eröffnet",
        "2020-03-12",
        "Hans",
    )
    assert (second["title"], second["date"], second["source"]) == ("Zweiter", "2020-03-13", "Blog")
    assert "Volltext hier." in str(second["text"])


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example.org/blog/" xml:lang="en">
<title type="text">Atom Blog</title><author><name>Feed Author</name></author><id>urn:feed</id>
<entry><title type="html">Tom &amp;amp; Jerry &lt;i&gt;return&lt;/i&gt;</title><id>urn:1</id>
<link rel="alternate" href="posts/1.html"/><published>2020-07-30T09:00:00Z</published><updated>2020-08-01T00:00:00Z</updated>
<content type="html">&lt;p&gt;First &amp;amp; &lt;b&gt;bold&lt;/b&gt; paragraph.&lt;/p&gt;&lt;p&gt;Second.&lt;/p&gt;</content></entry>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">XHTML <b>title</b></div></title><id>urn:2</id>
<link href="/abs/2"/><updated>2020-08-02T00:00:00Z</updated><author><name>Entry Author</name></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <em>xhtml</em> one.</p><p>Two.</p></div></content></entry>
<entry><title>Text content</title><id>urn:3</id><updated>2020-08-03T00:00:00Z</updated>
<content type="text">Plain &lt;b&gt; stays literal

Second para.</content></entry>
<entry xml:base="https://entry.example.com/dir/"><title>Summary only</title><id>urn:4</id><link href="page"/>
<link rel="enclosure" href="x.mp3"/><updated>2020-08-04T00:00:00Z</updated><summary type="html">&lt;p&gt;Just a summary.&lt;/p&gt;</summary></entry>
</feed>"""


def test_atom_html_xhtml_and_text_content_summary_only_and_xml_base_links() -> None:
    html, xhtml, text, summary = shown("blog.atom", ATOM.encode())
    assert (html["title"], html["date"], html["source"]) == (
        "Tom & Jerry return",
        "2020-07-30",
        "Feed Author",
    )
    assert html["url"] == "https://atom.example.org/blog/posts/1.html"
    assert str(html["text"]).split("\n")[2:4] == ["First & bold paragraph.", "Second."]
    assert (xhtml["title"], xhtml["source"], xhtml["url"]) == (
        "XHTML title",
        "Entry Author",
        "https://atom.example.org/abs/2",
    )
    assert str(xhtml["text"]).split("\n")[2:4] == ["Inline xhtml one.", "Two."]
    assert str(text["text"]).split("\n")[2:4] == ["Plain <b> stays literal", "Second para."]
    assert summary["url"] == "https://entry.example.com/dir/page"
    assert "Just a summary." in str(summary["text"])


def test_json_feed_1_0_and_1_1_authors_content_dates_and_items_without_id() -> None:
    import json

    v10 = {
        "version": "https://jsonfeed.org/version/1",
        "title": "JF",
        "home_page_url": "https://jf.example/",
        "author": {"name": "Feed A"},
        "items": [
            {"id": 1, "title": "One", "content_html": "<p>Hello <b>world</b></p>", "url": "/1",
             "date_published": "2020-07-30T10:00:00+02:00", "author": {"name": "Item A"}},
            {"title": "No id", "content_text": "Text only\n\nSecond", "date_modified": "2020-08-01T00:00:00Z"},
        ],
    }  # fmt: skip
    one_, no_id = shown("feed.json", json.dumps(v10).encode())
    assert (one_["path"], one_["date"], one_["source"], one_["url"]) == (
        "feed.json#1",
        "2020-07-30",
        "Item A",
        "https://jf.example/1",
    )
    assert str(one_["text"]).split("\n")[2] == "Hello world"
    assert no_id["path"].startswith("feed.json#h") and no_id["date"] == "2020-08-01"  # type: ignore[union-attr]
    assert no_id["source"] == "Feed A"
    v11 = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JF11",
        "authors": [{"name": "Anna"}, {"name": "Ben"}],
        "items": [
            {"id": "a", "title": "Eins", "content_html": "<p>Hallo Welt</p>", "content_text": "Hallo (Text)"}
        ],
    }
    (eins,) = shown("feed11.json", json.dumps(v11, ensure_ascii=False).encode("utf-16"))  # and not UTF-8
    assert (eins["title"], eins["source"]) == ("Eins", "Anna, Ben")
    assert "Hallo Welt" in str(eins["text"]) and "(Text)" not in str(eins["text"])


FEED_RU = (
    '<rss version="2.0"><channel><title>Лента</title><item><title>Лавров провёл переговоры</title>'
    "<pubDate>Tue, 30 Apr 2019 10:00:00 +0300</pubDate>"
    "<description>Министр иностранных дел провёл переговоры в Москве.</description></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("codec", "declaration"),
    [
        ("windows-1251", '<?xml version="1.0" encoding="windows-1251"?>'),
        ("koi8-r", '<?xml version="1.0" encoding="koi8-r"?>'),
        ("utf-16", '<?xml version="1.0" encoding="UTF-16"?>'),
        ("utf-16-le", '<?xml version="1.0" encoding="UTF-16"?>'),  # no BOM
        ("windows-1251", ""),  # no declaration at all: detected
    ],
)
def test_feeds_that_are_not_utf8_are_read_in_their_encoding(codec: str, declaration: str) -> None:
    (item,) = shown("ru.xml", (declaration + FEED_RU).encode(codec))
    assert (item["title"], item["date"], item["source"]) == (
        "Лавров провёл переговоры",
        "2019-04-30",
        "Лента",
    )
    assert "переговоры в Москве" in str(item["text"])


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x/</loc></url></urlset>',
        b"<project><modelVersion>4.0.0</modelVersion></project>",
        b'<?xml version="1.0"?><root><unclosed>',
        b"\x00\x01\x02 binary",
        b"",
        b"just text, no markup",
        b"<html><body><p>Hello</p></body></html>",
    ],
)
def test_xml_files_that_are_not_feeds_are_skipped_without_error(data: bytes) -> None:
    assert shown("other.xml", data) == []


# --- Mail ----------------------------------------------------------------------------------


def _b64(data: bytes) -> bytes:
    import base64

    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def test_an_mbox_with_crlf_rfc2047_headers_qp_base64_multipart_and_from_escaping() -> None:
    import base64
    import quopri
    from email.header import Header

    subject = Header("Новости недели: переговоры в Москве", "koi8-r").encode()
    sender = Header("Иван Петров", "windows-1251").encode() + " <ivan@example.ru>"
    koi8 = (
        f"From: {sender}\r\nSubject: {subject}\r\nDate: Tue, 30 Apr 2019 10:00:00 +0300\r\n"
        "Message-ID: <m1@example.ru>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=koi8-r\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + _b64("Министр провёл переговоры в Москве.\n\nСтороны обсудили ситуацию.\n".encode("koi8-r"))
    qp = quopri.encodestring(
        "Die Verhandlungen über die Tarifverträge sind gescheitert, eine lange Zeile, die quoted-printable "
        "weich umbricht.\n\nZweiter Absatz.\n".encode("latin-1")
    )
    name = base64.b64encode("Jürgen Müller".encode()).decode()
    alternative = (
        (
            f"From: =?utf-8?B?{name}?= <j@example.de>\nSubject: =?iso-8859-1?Q?Gr=FC=DFe_aus_M=FCnchen?=\n"
            "Date: 12 Mar 2020 08:00:00 +0100\nMessage-ID: <m2@example.de>\nMIME-Version: 1.0\n"
            'Content-Type: multipart/alternative; boundary="B"\n\nThis is a multi-part message in MIME format.\n'
            "--B\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
        ).encode()
        + qp
        + b"\n--B\nContent-Type: text/html; charset=iso-8859-1\n\n<p>The HTML twin</p>\n--B--\n"
    )
    related = b"""From: news@example.com
Subject: Weekly
Date: Wed, 03 Mar 2021 10:00:00 +0000
Message-ID: <m3@example.com>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="R"

--R
Content-Type: text/html; charset=utf-8

<html><body><h1>This week</h1><p>Only an HTML part, with an <img src="cid:logo"> image.</p></body></html>
--R
Content-Type: image/png
Content-ID: <logo>
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==
--R--
"""
    attachment_only = b"""From: scanner@example.com
Subject: Scan
Date: Thu, 04 Mar 2021 10:00:00 +0000
Message-ID: <m4@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="M"

--M
Content-Type: application/pdf; name="scan.pdf"
Content-Disposition: attachment; filename="scan.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+
--M--
"""
    escaped = b"From: someone@example.com\nSubject: Escaped\nDate: Fri, 05 Mar 2021 10:00:00 +0000\n\n"
    escaped += (
        b"First line.\n>From the start of a line.\n>>From quoted twice.\nFrom a line that is no envelope.\n"
    )
    box = (
        b"From MAILER-DAEMON Tue Apr 30 10:00:00 2019\r\n" + koi8 + b"\r\n\r\n"
        b"From j@example.de Thu Mar 12 08:00:00 2020\n" + alternative + b"\n"
        b"From news@example.com Wed Mar  3 10:00:00 2021\n" + related + b"\n"
        b"From scanner@example.com Thu Mar  4 10:00:00 2021\n"
        + attachment_only
        # no blank line before this envelope (written by tools that leave none)
        + b"From x@example.com Fri Mar  5 10:00:00 2021\n"
        + escaped
    )
    ru, de, weekly, scan, esc = shown("inbox.mbox", box)
    assert (ru["path"], ru["title"], ru["date"], ru["source"], ru["language"]) == (
        "inbox.mbox#m1@example.ru",
        "Новости недели: переговоры в Москве",
        "2019-04-30",
        "Иван Петров",
        "ru",
    )
    assert str(ru["text"]).split("\n")[2:4] == [
        "Министр провёл переговоры в Москве.",
        "Стороны обсудили ситуацию.",
    ]
    assert (de["title"], de["source"], de["date"]) == ("Grüße aus München", "Jürgen Müller", "2020-03-12")
    assert "gescheitert, eine lange Zeile, die quoted-printable weich umbricht." in str(de["text"])
    assert "HTML twin" not in str(de["text"]) and "multi-part" not in str(de["text"])
    assert str(weekly["text"]).split("\n")[2:4] == ["This week", "Only an HTML part, with an image."]
    assert scan["text"] == "Scan\n2021-03-04\nscanner@example.com"  # an attachment is no text
    assert str(esc["text"]).split("\n")[2] == (
        "First line. From the start of a line. >From quoted twice. From a line that is no envelope."
    )
    for message in (ru, de, weekly, scan, esc):
        assert "Content-Type" not in str(message["text"]) and "--" not in str(message["text"])


@pytest.mark.parametrize("declared", [True, False])
def test_an_eml_in_a_legacy_charset_declared_or_not(declared: bool) -> None:
    import base64

    header = "Content-Type: text/plain; charset=windows-1251\n" if declared else ""
    subject = base64.b64encode("Брифинг".encode("cp1251")).decode()
    data = (
        f"From: press@mid.ru\nSubject: =?windows-1251?B?{subject}?=\nDate: 30 Apr 2019 12:00 +0300\n"
        f"{header}Content-Transfer-Encoding: 8bit\n\n"
    ).encode() + "Брифинг официального представителя МИД России о переговорах в Москве.\n".encode("cp1251")
    got = one("briefing.eml", data)
    assert (got["title"], got["date"], got["source"]) == ("Брифинг", "2019-04-30", "press@mid.ru")
    assert "Брифинг официального представителя МИД России" in str(got["text"])


# --- EPUB ----------------------------------------------------------------------------------


def make_book(
    version: str,
    chapters: list[tuple[str, bytes, bool]],
    metadata: str,
    nav: str = "",
    ncx: str = "",
) -> bytes:
    """An EPUB as calibre and other tools write them: (href, XHTML bytes, linear) spine items
    under OEBPS/, metadata as given, a nav document and/or an NCX."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        manifest, spine = [], []
        for i, (href, content, linear) in enumerate(chapters):
            z.writestr("OEBPS/" + href, content)
            manifest.append(f'<item id="c{i}" href="{href}" media-type="application/xhtml+xml"/>')
            spine.append(f'<itemref idref="c{i}"' + ("" if linear else ' linear="no"') + "/>")
        if nav:
            z.writestr("OEBPS/nav.xhtml", nav)
            manifest.append(
                '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
            )
        if ncx:
            z.writestr("OEBPS/toc.ncx", ncx)
            manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
        toc = ' toc="ncx"' if ncx else ""
        z.writestr(
            "OEBPS/content.opf",
            f'<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
            f'xmlns:opf="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">'
            f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{metadata}</metadata>'
            f"<manifest>{''.join(manifest)}</manifest>"
            f"<spine{toc}>{''.join(spine)}</spine></package>",
        )
    return buf.getvalue()


def xhtml(body: str, encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>x</title></head><body>{body}</body></html>"
    ).encode(encoding)


def test_an_epub2_with_an_ncx_only_headingless_chapters_a_legacy_chapter_and_event_dates() -> None:
    ncx = (
        '<?xml version="1.0" encoding="UTF-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        "<navMap><navPoint id='n1'><navLabel><text>Глава первая</text></navLabel><content src='text/ch1.xhtml'/>"
        "</navPoint><navPoint id='n2'><navLabel><text>Глава вторая</text></navLabel>"
        "<content src='text/ch2.xhtml#start'/></navPoint></navMap></ncx>"
    )
    metadata = (
        '<dc:title>Русская книга</dc:title><dc:creator opf:role="aut">Автор</dc:creator>'
        "<dc:publisher>Издательство</dc:publisher><dc:date opf:event='modification'>2021-06-01</dc:date>"
        "<dc:date opf:event='publication'>2019-04-30</dc:date><dc:language>ru</dc:language>"
    )
    chapters = [
        ("text/cover.xhtml", xhtml('<div><img src="cover.jpg" alt=""/></div>'), True),
        ("text/ch1.xhtml", xhtml("<p>Министр иностранных дел провёл переговоры в Москве.</p>"), True),
        ("text/ch2.xhtml", xhtml("<p>Вторая глава, без заголовка.</p>", "windows-1251"), True),
    ]
    first, second = shown("books/ru.epub", make_book("2.0", chapters, metadata, ncx=ncx))
    assert (first["path"], first["title"], first["date"], first["source"], first["language"]) == (
        "books/ru.epub#OEBPS/text/ch1.xhtml",
        "Глава первая",
        "2019-04-30",  # the publication, not the modification
        "Издательство",
        "ru",
    )
    assert second["title"] == "Глава вторая" and "Вторая глава, без заголовка." in str(second["text"])


def test_an_epub3_with_landmarks_and_toc_navs_and_a_non_linear_item() -> None:
    nav = (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops"><body>'
        '<nav epub:type="landmarks"><ol><li><a epub:type="bodymatter" href="ch1.xhtml">Begin Reading</a></li></ol></nav>'
        '<nav epub:type="toc"><ol><li><a href="ch1.xhtml">Kapitel Eins</a></li><li><a href="ch2.xhtml">Kapitel Zwei</a>'
        '</li><li><a href="notes.xhtml">Anmerkungen</a></li></ol></nav></body></html>'
    )
    metadata = (
        '<dc:identifier id="id">urn:x</dc:identifier><dc:title>Deutsches Buch</dc:title><dc:creator>Autorin</dc:creator>'
        "<dc:publisher>Verlag Nord</dc:publisher><dc:date>2020-03-12T00:00:00Z</dc:date><dc:language>de</dc:language>"
        '<meta property="dcterms:modified">2021-01-01T00:00:00Z</meta>'
    )
    chapters = [
        (
            "ch1.xhtml",
            xhtml("<section><p>Die Verhandlungen sind gescheitert, sagte die Gewerkschaft.</p></section>"),
            True,
        ),
        ("ch2.xhtml", xhtml("<h2>Zweites Kapitel</h2><p>Text des zweiten Kapitels.</p>"), True),
        ("notes.xhtml", xhtml("<p>Anmerkung eins.</p>"), False),
    ]
    articles = shown("de.epub", make_book("3.0", chapters, metadata, nav=nav))
    assert [(a["title"], a["date"], a["source"]) for a in articles] == [
        ("Kapitel Eins", "2020-03-12", "Verlag Nord"),  # the toc's label, not the landmark's
        ("Zweites Kapitel", "2020-03-12", "Verlag Nord"),  # its own heading
    ]  # linear="no" (notes outside the reading order) is not a chapter


@pytest.mark.parametrize("date", ["2020", "0101-01-01T00:00:00+00:00", ""])
def test_an_epub_without_a_real_date_has_none(date: str) -> None:
    metadata = f"<dc:title>Book</dc:title><dc:date>{date}</dc:date>"
    (chapter,) = shown(
        "b.epub", make_book("2.0", [("a.xhtml", xhtml("<p>Some chapter text.</p>"), True)], metadata)
    )
    assert chapter["date"] is None and chapter["title"] == "Book 1"


def test_a_page_that_claims_utf8_but_is_not_is_detected() -> None:
    data = page("ru", '<meta charset="utf-8">').encode("cp1251", "xmlcharrefreplace")
    assert_is_the_article(one("ru.html", data), "ru")


def test_a_text_file_without_a_title_line_is_titled_by_its_first_sentence() -> None:
    first = (
        "Die Gewerkschaft hat am Donnerstag in Berlin zu Warnstreiks in mehreren Bundesländern aufgerufen."
    )
    line = first + " Betroffen sind vor allem der Nahverkehr und die Krankenhäuser." * 20
    got = one("x.txt", f"{line}\n\n{NEWS['de'][1][0]}\n".encode())
    assert got["title"] == first
    assert str(got["text"]).split("\n")[1:] == [line, NEWS["de"][1][0]]


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_headings_lose_their_marks() -> None:
    text = (
        "# Переговоры в Москве\n\n30 апреля 2019\n\n## Итоги встречи\n\n" + "\n\n".join(NEWS["ru"][1]) + "\n"
    )
    got = one("ru.md", text.encode())
    assert (got["title"], got["date"], got["language"]) == ("Переговоры в Москве", "2019-04-30", "ru")
    article = extract_articles("ru.md", text.encode()).articles[0]
    assert article.blocks[0].kind == "heading" and article.blocks[0].text == "Итоги встречи"


def test_a_web_clipper_markdown_note_gives_its_front_matter() -> None:
    """The shape Obsidian's web clipper saves an article in."""
    text = (
        '---\ntitle: "Tarifverhandlungen in Berlin gescheitert"\nsource: "https://www.example.de/artikel/1"\n'
        'author:\n  - "[[Hans Müller]]"\npublished: 2020-03-12\ncreated: 2024-01-02\ntags:\n  - "clippings"\n---\n'
        "# Tarifverhandlungen in Berlin gescheitert\n\n" + "\n\n".join(NEWS["de"][1]) + "\n"
    )
    got = one("clip.md", text.encode())
    assert (got["title"], got["date"], got["url"], got["source"], got["language"]) == (
        "Tarifverhandlungen in Berlin gescheitert",
        "2020-03-12",
        "https://www.example.de/artikel/1",
        "Hans Müller",
        "de",
    )
    assert str(got["text"]).split("\n")[1:4] == NEWS["de"][1]
    assert "clippings" not in str(got["text"]) and "published" not in str(got["text"])


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("Вт, 30 апр 2019 10:00:00 +0300", "2019-04-30"),
        ("Di, 12 Mär 2020 08:00:00 +0100", "2020-03-12"),
        ("jeu., 03 mars 2021 10:00:00 +0100", "2021-03-03"),
        ("12.03.2020 08:00", "2020-03-12"),
        ("2020/03/12 08:00", "2020-03-12"),
        ("Thu, 12 Mar 2020 08:00:00 GMT", "2020-03-12"),
        ("2020-03-12T08:00:00+01:00", "2020-03-12"),
        ("yesterday", None),
        ("2020", None),
        ("0101-01-01T00:00:00+00:00", None),
    ],
)
def test_a_feed_date_written_the_local_way_is_read_and_none_is_invented(
    written: str, date: str | None
) -> None:
    feed = f'<rss version="2.0"><channel><title>F</title><item><title>T</title><pubDate>{written}</pubDate><description>Text.</description></item></channel></rss>'
    assert one("f.rss", feed.encode())["date"] == date


#: A page's furniture written in its own language: cookie banner, its button, the comments'
#: heading, a comment, "read also", a related link, a newsletter box.
LOCAL_FURNITURE = {
    "ru": [
        "Мы используем файлы cookie, чтобы улучшить работу сайта",
        "Принять",
        "Комментарии",
        "Ужасная новость, написал читатель",
        "Читайте также",
        "Другая новость о чём-то совсем другом",
        "Подпишитесь на нашу рассылку",
    ],
    "de": [
        "Wir verwenden Cookies, um Ihr Erlebnis zu verbessern",
        "Akzeptieren",
        "Kommentare",
        "Schreckliche Nachricht, schrieb ein Leser",
        "Das könnte Sie auch interessieren",
        "Eine ganz andere Geschichte aus Bayern",
        "Newsletter abonnieren",
    ],
    "fr": [
        "Nous utilisons des cookies pour améliorer votre expérience",
        "Accepter",
        "Commentaires",
        "Quelle triste nouvelle, écrit un lecteur",
        "À lire aussi",
        "Une autre histoire sans rapport",
        "Abonnez-vous à notre newsletter",
    ],
    "tr": [
        "Deneyiminizi geliştirmek için çerezleri kullanıyoruz",
        "Kabul et",
        "Yorumlar",
        "Çok üzücü bir haber, diye yazdı bir okuyucu",
        "İlgili haberler",
        "Tamamen başka bir konuda bir haber",
        "Bültenimize abone olun",
    ],
    "hy": [
        "Մենք օգտագործում ենք թխուկներ",
        "Ընդունել",
        "Մեկնաբանություններ",
        "Շատ տխուր լուր է, գրել է ընթերցողը",
        "Կարդացեք նաև",
        "Բոլորովին այլ թեմայով լուր",
        "Բաժանորդագրվեք",
    ],
    "az": [
        "Təcrübənizi yaxşılaşdırmaq üçün kukilərdən istifadə edirik",
        "Qəbul et",
        "Şərhlər",
        "Çox kədərli xəbərdir, oxucu yazıb",
        "Digər xəbərlər",
        "Tamamilə başqa mövzuda xəbər",
        "Abunə olun",
    ],
}


@pytest.mark.parametrize("lang", sorted(LOCAL_FURNITURE))
def test_a_blog_shaped_page_drops_furniture_written_in_its_own_language(lang: str) -> None:
    title, paragraphs = NEWS[lang]
    f = LOCAL_FURNITURE[lang]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>
<div id="cookie-notice" class="cookie-consent"><p>{f[0]}.</p><button>{f[1]}</button></div>
<header><nav><a href="/">Home</a> <a href="/a">News</a></nav></header>
<div class="content"><div class="post"><h1 class="entry-title">{title}</h1>{body}
<div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a></div></div>
<div id="comments"><h3>{f[2]}</h3><ol class="commentlist"><li class="comment"><p>{f[3]}.</p></li></ol></div>
<div class="related-posts"><h3>{f[4]}</h3><ul><li><a href="/x">{f[5]}</a></li></ul></div>
<div class="widget newsletter"><p>{f[6]}</p></div></div>
<footer><p>&copy; 2021</p></footer></body></html>"""
    got = one(f"{lang}.html", html.encode())
    text = str(got["text"])
    assert got["title"] == title and got["language"] == lang and got["date"] is None
    assert all(p in text for p in paragraphs)
    assert [phrase for phrase in f if phrase in text] == []
