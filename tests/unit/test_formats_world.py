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
    assert got["source"] == "Source: News agency"
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
