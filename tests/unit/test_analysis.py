"""Tokens, folding and stemming per language (analysis.py), on words and sentences written here."""

from __future__ import annotations

import pickle
import unicodedata

import pytest

from reader.core.analysis import (
    ArticleAnalyzer,
    LangText,
    fold,
    index_terms,
    query_terms,
    stemmed_languages,
    token_terms,
    tokens,
    word_list,
)


def words(text: str) -> list[str]:
    return [w for w, _, _ in tokens(text)]


def same_terms(a: str, b: str, language: str) -> bool:
    """Whether the query word ``a`` finds the word ``b`` of an article in ``language``."""
    return bool(set(query_terms(a, [language])) & set(index_terms(b, language)))


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Gdansk", "Gdańsk"),
        ("Osterreich", "Österreich"),
        ("Stamenkovic", "Stamenković"),
        ("Strasse", "Straße"),
        ("еще", "ещё"),
        ("Lodz", "Łódź"),
        ("Qarabag", "Qarabağ"),
        ("Susa", "Şuşa"),
        ("Istanbul", "İstanbul"),
        ("aerogel", "ærogel"),
        ("Forde", "Førde"),
        ("Dordevic", "Đorđević"),
        ("Thorsson", "Þórsson"),
        ("αθηνα", "Αθήνα"),
        ("finance", "ﬁnance"),
        ("oeuvre", "œuvre"),
        ("O'Brien", "O’Brien"),
    ],
)
def test_folding_makes_accented_and_plain_spellings_equal(typed: str, written: str) -> None:
    assert fold(typed) == fold(written)


def test_folding_keeps_cyrillic_letters_that_are_not_accents() -> None:
    assert fold("мой") != fold("мои")  # й is a letter of its own
    assert fold("Їжак") == "їжак"
    assert fold("Nagorno–Karabakh") == "nagorno-karabakh"


def test_folding_is_the_same_for_composed_and_decomposed_text() -> None:
    composed = "Gdańsk é Ö"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed) == "gdansk e o"


def test_a_word_is_not_split_at_a_combining_mark_and_offsets_are_the_written_ones() -> None:
    text = "Gdan\u0301sk e\u0301te\u0301 мо\u0301ре"  # decomposed accents, and a Russian stress mark
    found = list(tokens(text))
    assert [w for w, _, _ in found] == ["Gdan\u0301sk", "e\u0301te\u0301", "мо\u0301ре"]
    assert all(text[s:e] == w for w, s, e in found)
    assert fold(found[0][0]) == "gdansk" and fold(found[2][0]) == "море"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Москве и Минской группы", ["Москве", "и", "Минской", "группы"]),
        ("Η Αθήνα και η Θεσσαλονίκη", ["Η", "Αθήνα", "και", "η", "Θεσσαλονίκη"]),
        ("Հայաստանի կառավարությունը", ["Հայաստանի", "կառավարությունը"]),
        ("საქართველოს მთავრობა", ["საქართველოს", "მთავრობა"]),
        ("Azərbaycan və Ermənistan", ["Azərbaycan", "və", "Ermənistan"]),
        ("U.S. talks, 3.5 percent", ["U.S", "talks", "3.5", "percent"]),
        ("한국 정부", ["한국", "정부"]),
    ],
)
def test_scripts_tokenise_into_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_ascii_text_tokenises_as_the_general_pattern_does() -> None:
    # The ASCII fast path must give TOKEN's own matches: every ASCII character, each kind of
    # joiner (dots, underscores, dashes) and the edges where a dotted word starts or stops.
    import random

    from reader.core.analysis import TOKEN

    rng = random.Random(7)
    alphabet = [chr(c) for c in range(128)] + ["U.S.", "3.5", "a_b", "e.g.", "..", "x.", ".y"] * 8
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(2000)]
    texts += ["U.S. talks, 3.5 percent", "end.", "...dots...in.a.row", "snake_case_word 2024-12-01"]
    for text in texts:
        assert word_list(text) == TOKEN.findall(text)
        assert list(tokens(text)) == [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def test_cjk_text_is_split_into_characters() -> None:
    found = list(tokens("北京大学 and 東京タワー"))
    assert [w for w, _, _ in found] == ["北", "京", "大", "学", "and", "東", "京", "タ", "ワ", "ー"]
    text = "北京大学 and 東京タワー"
    assert all(text[s:e] == w for w, s, e in found)


@pytest.mark.parametrize(
    ("language", "query", "forms"),
    [
        ("ru", "Москва", ["Москве", "Москвы", "Москву", "Москвой"]),
        ("ru", "президентом", ["президент", "президента", "президенту", "президенты"]),
        ("ru", "группа", ["группы", "группе", "группу", "группой"]),
        ("de", "Verhandlung", ["Verhandlungen"]),
        ("de", "Regierung", ["Regierungen"]),
        ("fr", "négociation", ["négociations", "negociations"]),
        ("fr", "président", ["présidents", "presidente"]),
        ("es", "negociación", ["negociaciones"]),
        ("es", "presidente", ["presidentes"]),
        ("it", "negoziato", ["negoziati"]),
        ("pt", "negociação", ["negociações"]),
        ("nl", "onderhandeling", ["onderhandelingen"]),
        ("sv", "förhandling", ["förhandlingar", "forhandlingar"]),
        ("tr", "görüşme", ["görüşmeler", "görüşmeleri"]),
        ("el", "κυβέρνηση", ["κυβέρνησης"]),
        ("hy", "Հայաստան", ["Հայաստանի", "Հայաստանում"]),
        ("en", "negotiation", ["negotiations", "Negotiation"]),
    ],
)
def test_each_language_finds_its_word_forms(language: str, query: str, forms: list[str]) -> None:
    for form in forms:
        assert same_terms(query, form, language), (query, form)


def test_a_word_of_another_language_is_not_stemmed_to_a_stranger() -> None:
    assert not same_terms("Москва", "Московский", "ru") or index_terms("Москва", "ru") == ("москв",)
    assert not same_terms("мой", "мои", "ru") or index_terms("мои", "ru") == index_terms("мой", "ru")
    assert not same_terms("Minsk", "Minister", "en")


def test_english_terms_are_whooshs_porter_stems() -> None:
    from whoosh.lang.porter import stem

    for word in ("negotiations", "activated", "presidents", "Plan", "B", "1987"):
        assert index_terms(word, "en") == (stem(word.lower()),)
        assert index_terms(word, None) == (stem(word.lower()),)
        assert query_terms(word, ["en"]) == (stem(word.lower()),)


def test_a_latin_word_in_a_russian_article_is_stemmed_as_english() -> None:
    assert index_terms("negotiations", "ru") == index_terms("negotiations", "en")
    assert index_terms("Москве", None) == index_terms("Москве", "ru")  # script default


def test_query_words_take_the_forms_of_every_language_of_the_corpus() -> None:
    terms = query_terms("Verhandlungen", ["en", "de"])
    assert index_terms("Verhandlungen", "de")[0] in terms
    assert index_terms("Verhandlungen", "en")[0] in terms


def test_many_languages_are_stemmed() -> None:
    langs = stemmed_languages()
    for code in ("en", "ru", "de", "fr", "es", "it", "pt", "nl", "sv", "tr", "el", "hy", "da", "fi"):
        assert code in langs


def test_the_analyzer_indexes_in_the_articles_language_and_is_picklable() -> None:
    analyzer = ArticleAnalyzer()
    again = pickle.loads(pickle.dumps(analyzer))
    text = LangText("Переговоры в Москве", "ru")
    assert pickle.loads(pickle.dumps(text)).language == "ru"
    indexed = [(t.text, t.pos) for t in again(text, positions=True, mode="index")]
    assert indexed == [("переговор", 0), ("в", 1), ("москв", 2)]
    # Query mode folds but does not stem: the query layer expands each word by language.
    assert [t.text for t in again("Переговоры в Москве", mode="query")] == ["переговоры", "в", "москве"]


def test_a_word_with_accents_is_indexed_under_both_readings_at_one_position() -> None:
    found = list(token_terms("Straße Wien", "en"))
    assert found[0][1:] == (0, 6) and len(found[0][0]) == 2
    assert set(query_terms("Strasse")) & set(found[0][0])
    assert set(query_terms("Straße")) & set(found[0][0])


def _terms_in_worker(text: LangText) -> list[tuple[str, ...]]:
    return [terms for terms, _, _ in token_terms(text, text.language)]


def test_analysis_works_in_a_spawned_worker_process() -> None:
    import multiprocessing

    text = LangText("Переговоры в Москве и Straße", "ru")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        remote = pool.apply(_terms_in_worker, (text,))
        analyzer = pool.apply(pickle.loads, (pickle.dumps(ArticleAnalyzer()),))
    assert remote == _terms_in_worker(text)
    assert isinstance(analyzer, ArticleAnalyzer)


def test_every_combining_mark_of_the_bmp_joins_a_word() -> None:
    # (Kana voicing marks are kana: Japanese is split into characters.)
    marks = [
        chr(o)
        for o in range(0x300, 0x10000)
        if unicodedata.category(chr(o)).startswith("M") and o not in (0x3099, 0x309A)
    ]
    assert all(len(words("a" + mark + "b")) == 1 for mark in marks)
