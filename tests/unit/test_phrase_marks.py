"""A quoted phrase is marked only where it stands as a phrase: marks, snippets, the concordance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.concordance import concordance
from reader.core.corpus import load_article
from reader.core.index import CorpusIndex, open_index
from reader.core.search import SearchService, find_marks
from tests.helpers import write_article


@pytest.fixture
def index(tmp_path: Path) -> Iterator[CorpusIndex]:
    folder = tmp_path / "c"
    write_article(
        folder,
        "fire.txt",
        "A fire in the hills",
        "2021-03-04",
        "The fire started early. Firefighters said the fire kills trees and the fires killed birds.",
        "Another fire was seen; nobody was killed. Fire kills, said the chief, fire killing more.",
    )
    write_article(
        folder,
        "pm.txt",
        "Cabinet news",
        "2021-03-05",
        "The Minister of Finance spoke first. " * 8 + "Later the Prime Minister answered the minister.",
    )
    ix = open_index(folder, tmp_path / "ix")
    ix.sync()
    yield ix
    ix.close()


def marked(index: CorpusIndex, path: str, query: str) -> list[str]:
    service = SearchService(index)
    try:
        result = service.search(query)
    finally:
        service.close()
    article = load_article(index.corpus, path)
    return [article.plain_text[s:e] for s, e in find_marks(article, result.terms)]


def test_a_quoted_phrase_marks_only_the_phrase(index: CorpusIndex) -> None:
    # Stemmed, as the index matches it: "fires killed" is the phrase too; no lone fire or killed.
    assert marked(index, "fire.txt", '"fire kills"') == [
        "fire kills",
        "fires killed",
        "Fire kills",
        "fire killing",
    ]
    # Unquoted, every word is wanted on its own too.
    loose = marked(index, "fire.txt", "fire kills")
    assert loose.count("fire") >= 3 and any(m.startswith("killed") for m in loose)


def test_a_word_both_alone_and_in_a_phrase_is_marked_alone_too(index: CorpusIndex) -> None:
    marks = marked(index, "fire.txt", '"fire kills" birds')
    assert marks == ["fire kills", "fires killed birds", "Fire kills", "fire killing"]


def test_snippets_bold_only_the_phrase(index: CorpusIndex) -> None:
    service = SearchService(index)
    try:
        (hit,) = service.search('"Prime Minister"').hits
    finally:
        service.close()
    bold = [hit.snippet[s:e] for s, e in hit.snippet_marks]
    assert bold == ["Prime Minister"]


def test_marks_and_the_concordance_agree(index: CorpusIndex) -> None:
    _run, rows = concordance(index, '"fire kills"')
    assert [r.match for r in rows] == marked(index, "fire.txt", '"fire kills"')
    _run, rows = concordance(index, '"Prime Minister"')
    assert [r.match for r in rows] == ["Prime Minister"]
