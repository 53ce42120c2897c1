"""Wildcards match the words as they are written (folded), never the index's stems."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reader.core.concordance import concordance
from reader.core.index import CorpusIndex, open_index
from reader.core.query import matching_docnums
from reader.core.search import SearchService
from tests.helpers import write_article


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    folder = tmp_path_factory.mktemp("wild") / "corpus"
    texts = {
        "negotiators.txt": "The Negotiators met at dawn. Peace negotiators said little.",
        "negotiations.txt": "Peace negotiations went on all week.",
        "negotiate.txt": "Both sides agreed to negotiate again.",
        "negative.txt": "The test came back negative.",
        "happy.txt": "A happy crowd sang in the square.",
        "happiness.txt": "Happiness is a warm harbour.",
        "ru.txt": "Делегации встретились в Москве во вторник и обсудили обмен пленными.",
        "fr.txt": "Les Négociations de paix ont repris à Genève mardi dernier.",
        "numbers.txt": "In 2019 the covid-19 wave had not begun; G7 leaders met.",
    }
    for name, text in texts.items():
        write_article(folder, name, f"About {name[:-4]}", "3 March 2021", text)
    index: CorpusIndex = open_index(folder, tmp_path_factory.mktemp("wild-ix"))
    index.sync()
    service = SearchService(index)
    yield service
    service.close()
    index.close()


def found(service: SearchService, text: str) -> set[str]:
    return {h.path for h in service.search(text, limit=100).hits}


def test_a_prefix_matches_words_not_stems(service: SearchService) -> None:
    # negotiators / negotiations / negotiate all have the stem "negoti", shorter than the
    # prefix: matched against the stems, "negotiat*" found none of them.
    assert found(service, "negotiat*") == {"negotiators.txt", "negotiations.txt", "negotiate.txt"}
    assert found(service, "NEGOTIAT*") == found(service, "negotiat*")
    assert found(service, "negati*") == {"negative.txt"}  # its stem is "negat"
    # A prefix no word begins with finds nothing, whatever stems begin like it.
    assert found(service, "negotiatorz*") == set()
    assert found(service, "negotiatorsh*") == set()
    # The words found are looked for in all their forms, as when they are typed.
    assert found(service, "negotiators*") == found(service, "negotiators")
    assert found(service, "happ*") == {"happy.txt", "happiness.txt"}


def test_a_prefix_in_any_language_and_any_accent(service: SearchService) -> None:
    assert found(service, "Москв*") == {"ru.txt"}
    assert found(service, "москве*") == {"ru.txt"}  # the whole word, as written
    assert found(service, "negoc*") == {"fr.txt"}  # folded: Négociations
    assert found(service, "Négociation*") == {"fr.txt"}
    assert found(service, "genev*") == {"fr.txt"}


def test_tokens_with_digits_and_short_words(service: SearchService) -> None:
    assert found(service, "201*") == {"numbers.txt"}
    assert found(service, "covid*") == {"numbers.txt"}
    assert found(service, "g7*") == {"numbers.txt"}


def test_question_mark_and_inner_wildcards(service: SearchService) -> None:
    assert found(service, "negotiat?rs") == found(service, "negotiators")
    assert found(service, "*bour") == {"happiness.txt"}  # harbour
    assert found(service, "negativ?") == {"negative.txt"}
    assert found(service, "negati?") == set()  # one letter, not more


def test_a_wildcard_inside_a_phrase(service: SearchService) -> None:
    assert found(service, '"peace negotiat*"') == {"negotiators.txt", "negotiations.txt"}
    assert found(service, '"peace negotiator?"') == found(service, '"peace negotiators"')
    assert found(service, '"said negotiat*"') == set()  # the words must stand together
    assert found(service, '"peace nosuchword*"') == set()
    result = service.search('"peace negotiat*"')
    assert result.hits and all(h.snippet_marks for h in result.hits)


def test_every_feature_expands_a_wildcard_alike(service: SearchService) -> None:
    searcher = service.searcher()
    assert len(matching_docnums(searcher, "negotiat*", marks=None)) == 3
    run, rows = concordance(service.index, "negotiat*")
    assert run.articles == 3 and {o.match.lower() for o in rows} >= {"negotiators", "negotiate"}


def test_the_bound_on_words_is_kept_with_its_note(
    service: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.query as query_module

    monkeypatch.setattr(query_module, "MAX_EXPANSION", 2)
    result = service.search("negotiat*")
    assert any("'negotiat*' matches too many words; using the first 2" in n for n in result.notes)
    assert 1 <= result.total <= 3
    assert not any("too many" in n for n in service.search("negotiators*").notes)
