"""Searching a corpus of Russian, German, French, Spanish, Turkish and English articles written
here: word forms, folding, phrases across forms, marks as written, languages, local dates, bad
input, and the upgrade of an index written by the release before languages."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest

from reader.core.annotations import AnnotationStore
from reader.core.catalog import Catalog
from reader.core.concordance import concordance
from reader.core.corpus import load_article
from reader.core.facets import facet_counts
from reader.core.index import CorpusIndex, open_index
from reader.core.locations import Locations
from reader.core.search import SearchService, find_marks
from reader.core.similar import more_like_this
from reader.core.timeline import matching_dates
from tests.helpers import write_article

#: Written by the release before languages (tests/fixtures/make_release_fixture.py).
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release_before_languages.zip"

RU_1 = (
    "В Москве министры иностранных дел обсудили работу Минской группы. Президент встретился с "
    "сопредседателями Минской группы ещё раз, и переговоры продолжатся в Москве на следующей неделе."
)
RU_2 = (
    "Представители Москвы сообщили, что президентом была одобрена новая программа. Минская группа "
    "ОБСЕ продолжит работу, сказал представитель министерства. Еще одна встреча назначена на осень."
)
DE_1 = (
    "Die Verhandlungen in Österreich wurden am Montag in Wien fortgesetzt. Die Straße vor dem "
    "Ministerium war gesperrt, sagte ein Sprecher der Regierung nach den Verhandlungen."
)
FR_1 = (
    "Le président a annoncé jeudi une nouvelle série de négociations à Paris. Les négociations "
    "reprendront la semaine prochaine, selon le ministère des Affaires étrangères."
)
ES_1 = (
    "El presidente anunció el jueves nuevas negociaciones en Madrid. Las negociaciones continuarán "
    "la próxima semana, según el ministerio de Asuntos Exteriores del país."
)
TR_1 = (
    "Türkiye ile Ermenistan arasındaki görüşmeler devam ediyor. Dışişleri Bakanlığı, görüşmelerin "
    "önümüzdeki hafta Ankara'da yapılacağını açıkladı ve heyetler hazırlık yapıyor."
)
EN_1 = (
    "Officials met in Gdańsk on Thursday to discuss the negotiations. Stamenković said the talks "
    "would continue next week in the city, and the delegations agreed on the agenda."
)


@pytest.fixture
def world(tmp_path: Path) -> Path:
    folder = tmp_path / "world"
    write_article(folder, "ru1.txt", "Переговоры в Москве", "30 июля 2020", RU_1)
    write_article(folder, "ru2.txt", "Заявление президента", "30.07.2020 г.", RU_2)
    write_article(folder, "de1.txt", "Verhandlungen in Österreich", "30. Juli 2020", DE_1)
    write_article(folder, "fr1.txt", "Négociations à Paris", "30 juillet 2020", FR_1)
    write_article(folder, "es1.txt", "Negociaciones en Madrid", "30 de julio de 2020", ES_1)
    write_article(folder, "tr1.txt", "Türkiye ve Ermenistan görüşmeleri", "30 Temmuz 2020", TR_1)
    write_article(folder, "en1.txt", "Talks in Gdańsk", "July 30, 2020", EN_1)
    return folder


@pytest.fixture
def service(world: Path, tmp_path: Path) -> SearchService:
    index = open_index(world, tmp_path / "index")
    index.sync()
    svc = SearchService(index)
    yield svc
    svc.close()
    index.close()


def paths(service: SearchService, query: str) -> set[str]:
    return {h.path for h in service.search(query, limit=100, snippets=False).hits}


def marked(service: SearchService, query: str, path: str) -> list[str]:
    result = service.search(query, limit=100)
    hit = next(h for h in result.hits if h.path == path)
    article = load_article(service.index.corpus, path)
    return [article.plain_text[s:e] for s, e in find_marks(article, result.terms, hit.language)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Москва", {"ru1.txt", "ru2.txt"}),
        ("президентом", {"ru1.txt", "ru2.txt"}),
        ("еще", {"ru1.txt", "ru2.txt"}),
        ("ещё", {"ru1.txt", "ru2.txt"}),
        ("Verhandlung", {"de1.txt"}),
        ("Strasse", {"de1.txt"}),
        ("Straße", {"de1.txt"}),
        ("Osterreich", {"de1.txt"}),
        ("Österreich", {"de1.txt"}),
        ("negociation", {"fr1.txt", "es1.txt"}),  # the query's language is unknown
        ("negociaciones", {"es1.txt", "fr1.txt"}),
        ("gorusme", {"tr1.txt"}),
        ("Gdansk", {"en1.txt"}),
        ("Stamenkovic", {"en1.txt"}),
        ("GDAŃSK", {"en1.txt"}),
        ('"Минская группа"', {"ru1.txt", "ru2.txt"}),
        ('"минской группы"', {"ru1.txt", "ru2.txt"}),
        ('"Verhandlungen in Osterreich"', {"de1.txt"}),
        ("lang:ru", {"ru1.txt", "ru2.txt"}),
        ("lang:DE", {"de1.txt"}),
        ("lang:ru Москва -президент", set()),
        ("Москв*", {"ru1.txt", "ru2.txt"}),
        ("Verhandlung*", {"de1.txt"}),
    ],
)
def test_word_forms_accents_and_languages_are_found(
    service: SearchService, query: str, expected: set[str]
) -> None:
    assert paths(service, query) == expected


def test_each_article_has_its_language(service: SearchService) -> None:
    hits = service.search("", limit=100).hits or [
        h
        for q in ("lang:ru", "lang:de", "lang:fr", "lang:es", "lang:tr", "lang:en")
        for h in service.search(q).hits
    ]
    languages = {h.path: h.language for h in hits}
    assert languages == {
        "ru1.txt": "ru",
        "ru2.txt": "ru",
        "de1.txt": "de",
        "fr1.txt": "fr",
        "es1.txt": "es",
        "tr1.txt": "tr",
        "en1.txt": "en",
    }
    assert service.search("Москва").hits[0].to_json()["language"] == "ru"
    catalog = service.catalog()
    assert dict(catalog.languages())["ru"] == 2
    assert catalog.language_of("de1.txt") == "de"


def test_every_article_is_dated_from_its_local_date_line(service: SearchService) -> None:
    rows = service.catalog().articles()
    assert {r.path: r.date for r in rows} == dict.fromkeys(
        ("ru1.txt", "ru2.txt", "de1.txt", "fr1.txt", "es1.txt", "tr1.txt", "en1.txt"), dt.date(2020, 7, 30)
    )
    assert paths(service, "date:2020-07-30 lang:ru") == {"ru1.txt", "ru2.txt"}


def test_marks_are_the_words_as_written(service: SearchService) -> None:
    assert marked(service, "Москва", "ru1.txt") == ["Москве", "Москве", "Москве"]  # title and body
    assert marked(service, "Москва", "ru2.txt") == ["Москвы"]
    assert marked(service, "Osterreich", "de1.txt") == ["Österreich", "Österreich"]
    assert marked(service, "Gdansk", "en1.txt") == ["Gdańsk", "Gdańsk"]
    assert marked(service, '"Минская группа"', "ru1.txt") == ["Минской группы", "Минской группы"]
    assert marked(service, "еще", "ru1.txt") == ["ещё"]


def test_snippets_mark_the_inflected_forms(service: SearchService) -> None:
    hit = service.search("президент").hits[0]
    assert [hit.snippet[s:e].lower() for s, e in hit.snippet_marks] in (["президентом"], ["президент"])


def test_unquoted_words_standing_together_in_another_form_rank_first(service: SearchService) -> None:
    # Both Russian articles have "группа"/"группы"; the phrase stands in ru1 as "Минской группы".
    result = service.search("Минская группа")
    assert {h.path for h in result.hits} == {"ru1.txt", "ru2.txt"}
    assert result.hits[0].score >= 1000  # the phrase bonus, across word forms


def test_concordance_lists_the_forms_as_written(world: Path, service: SearchService) -> None:
    _run, rows = concordance(service.index, "Москва")
    assert sorted(r.match for r in rows) == ["Москве", "Москве", "Москве", "Москвы"]
    _run, rows = concordance(service.index, '"Минская группа"')
    assert sorted(r.match for r in rows) == ["Минская группа", "Минской группы", "Минской группы"]


def test_timeline_and_facets_count_folded_matches(service: SearchService) -> None:
    searcher = service.searcher()
    assert matching_dates(searcher, "Osterreich") == [dt.date(2020, 7, 30)]
    facets = facet_counts(searcher, "Gdansk")
    assert facets.years == [(2020, 1)]
    facets = facet_counts(searcher, "")
    assert dict(facets.languages)["ru"] == 2 and dict(facets.languages)["de"] == 1


def test_did_you_mean_suggests_a_corpus_word_in_its_script(service: SearchService) -> None:
    result = service.search("Мосвке")
    assert result.total == 0
    assert result.suggestion == "Москве"
    result = service.search("Gdanks")
    assert result.suggestion == "Gdańsk"


def test_completion_finds_words_typed_without_accents(service: SearchService) -> None:
    catalog = service.catalog()
    assert "österreich" in catalog.words_with_prefix("oster")
    assert "москве" in catalog.words_with_prefix("моск")


def test_fuzzy_search_finds_other_forms(service: SearchService) -> None:
    assert paths(service, "Moskva~") == set()
    assert paths(service, "Мосвке~") == {"ru1.txt", "ru2.txt"}  # москве, then all its forms


def test_more_like_this_uses_the_articles_language(service: SearchService) -> None:
    result = more_like_this(service.searcher(), service.index.corpus, "ru1.txt")
    assert result.hits and result.hits[0].path == "ru2.txt"
    assert any(t.startswith(("москв", "минск", "групп")) for t in result.key_terms)


# --- bad input ----------------------------------------------------------------------------


def test_bad_input_is_indexed_or_listed_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    # UTF-8 Russian read as latin-1 and written back: mojibake.
    (folder / "mojibake.txt").write_bytes("Заголовок\n\nТекст о Москве.".encode().decode("latin-1").encode())
    write_article(folder, "three.txt", "Mixed", "", "Москва и Berlin и Αθήνα. " * 20)
    (folder / "big.txt").write_text("Большой файл\n\n" + ("Москва переговоры президент. " * 180_000), "utf-8")
    (folder / "digits.txt").write_text("12345\n\n67890 11121314\n", "utf-8")
    (folder / "title.txt").write_text("Только заголовок\n", "utf-8")
    (folder / "cjk.txt").write_text("北京大学\n\n北京大学的学生在东京。\n", "utf-8")
    index = open_index(folder, tmp_path / "index")
    report = index.sync()
    problems = dict(report.problems)
    assert set(report.added_paths) | set(problems) == {
        "mojibake.txt",
        "three.txt",
        "big.txt",
        "digits.txt",
        "title.txt",
        "cjk.txt",
    }
    assert all(reason for reason in problems.values())
    svc = SearchService(index)
    try:
        catalog = svc.catalog()
        assert catalog.language_of("three.txt") is None  # mixed: not guessed
        assert catalog.language_of("title.txt") is None  # too short
        assert catalog.language_of("digits.txt") is None
        assert catalog.language_of("big.txt") == "ru"
        assert "three.txt" in paths(svc, "Αθηνα")
        assert paths(svc, "Заголовок") == {"title.txt"}
        assert paths(svc, '"北京"') == {"cjk.txt"}
        assert paths(svc, "12345") == {"digits.txt"}
        assert "big.txt" in paths(svc, "президентом")
    finally:
        svc.close()
        index.close()


# --- upgrade --------------------------------------------------------------------------------


def test_an_index_of_the_release_before_languages_is_rebuilt_and_annotations_stay(tmp_path: Path) -> None:
    with zipfile.ZipFile(FIXTURE) as zf:
        zf.extractall(tmp_path)
    corpus = tmp_path / "corpus"
    data = tmp_path / "data"
    locations = Locations.resolve(data)
    old_dir = data / (tmp_path / "old_index_dir.txt").read_text("utf-8")
    new_dir = locations.index_dir(corpus)
    new_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(old_dir, new_dir)
    old_corpus = (tmp_path / "old_corpus_path.txt").read_text("utf-8")
    store = AnnotationStore(locations.annotations_db)
    with store.transaction():
        store.db.execute("UPDATE annotations SET corpus = ?", (str(corpus),))  # the corpus moved here
    assert old_corpus != str(corpus)

    index: CorpusIndex = open_index(corpus, new_dir)
    assert index.rebuilt  # index schema 3: rebuilt at open
    progress: list[tuple[int, int]] = []
    report = index.sync(progress=lambda done, total: progress.append((done, total)))
    assert report.rebuilt and report.added == 3 and progress[-1] == (3, 3)
    svc = SearchService(index)
    try:
        assert paths(svc, "Москва") == {"ru.txt"}
        assert paths(svc, "Osterreich") == {"de.txt"}
        assert svc.catalog().language_of("ru.txt") == "ru"
    finally:
        svc.close()
        index.close()
    highlights = store.for_corpus(str(corpus), kind="highlight")
    assert [(h.path, h.exact, h.note, h.state) for h in highlights] == [
        ("ru.txt", "Минской группы", "a note", "anchored")
    ]
    assert [b.path for b in store.for_corpus(str(corpus), kind="bookmark")] == ["de.txt"]
    store.close()


def test_a_version_3_catalog_is_migrated_in_place(tmp_path: Path) -> None:
    with zipfile.ZipFile(FIXTURE) as zf:
        zf.extractall(tmp_path)
    old_dir = tmp_path / "data" / (tmp_path / "old_index_dir.txt").read_text("utf-8")
    catalog = Catalog(old_dir / "catalog.sqlite3")
    try:
        rows = {r.path: r for r in catalog.articles()}
        assert set(rows) == {"ru.txt", "de.txt", "en.txt"}
        assert all(r.language is None for r in rows.values())  # until indexed again
        assert catalog.word_count("osterreich") == 1 and catalog.word_count("Österreich") == 1
        assert "österreich" in catalog.words_with_prefix("oster")
    finally:
        catalog.close()


def test_phrases_whose_words_have_forms_in_several_languages(service: SearchService) -> None:
    # "nuevas" and "negociaciones" have other stems in the corpus's other languages: the phrase
    # is a sequence of alternatives, checked by the ranking's own phrase check.
    from reader.core.query import parse

    parsed = parse('"nuevas negociaciones"', service.searcher().reader())
    assert "Sequence" in repr(parsed.query)
    assert paths(service, '"nuevas negociaciones"') == {"es1.txt"}
    result = service.search("nuevas negociaciones")
    assert [h.path for h in result.hits][:1] == ["es1.txt"] and result.hits[0].score >= 1000
    assert paths(service, '"negociaciones nuevas"') == set()
