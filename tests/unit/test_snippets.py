"""The marks and snippets of ``reader.core.marking`` are those of the old path: every word of
the article analysed, line by line (kept here as the reference, not in the product)."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from reader.core.analysis import token_terms
from reader.core.corpus import Article, load_article
from reader.core.index import CorpusIndex, open_index
from reader.core.marking import _marked_tokens, _word_boundary, body_marks, find_marks, line_fields, snippet
from reader.core.search import SearchService
from tests.helpers import write_article

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import corpus_gen
import multilingual_gen

Span = tuple[int, int]


def old_find_marks(
    article: Article, terms: Mapping[str, set[str]], language: str | None = None
) -> list[Span]:
    """The marking before ``marking.py``: every line of the article analysed word by word."""
    phrases: Mapping[str, list[tuple[frozenset[str], ...]]] = getattr(terms, "phrases", {})
    phrase_only: Mapping[str, set[str]] = getattr(terms, "phrase_only", {})
    spans: list[Span] = []
    offset = 0
    text = article.plain_text
    for line, fieldname in zip(article.lines, line_fields(article), strict=True):
        wanted = terms.get(fieldname)
        if wanted:
            tokens = list(token_terms(line, language))
            marked = _marked_tokens(
                tokens, wanted, phrase_only.get(fieldname, set()), phrases.get(fieldname, [])
            )
            for i in marked:
                _terms, token_start, token_end = tokens[i]
                start, end = offset + token_start, offset + token_end
                gap = text[spans[-1][1] : start] if spans else "\n"
                if spans and len(gap) <= 2 and "\n" not in gap and not any(ch.isalnum() for ch in gap):
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
        offset += len(line) + 1
    return spans


def old_snippet(
    article: Article, terms: Mapping[str, set[str]], width: int = 220, language: str | None = None
) -> tuple[str, list[Span]]:
    text = article.plain_text
    marks = old_find_marks(article, terms, language)
    lines_before_body = 1 + (1 if article.date_line else 0)
    body_start = sum(len(line) + 1 for line in article.lines[:lines_before_body])
    body_end = body_start + len(article.body)
    body = [m for m in marks if body_start <= m[0] < body_end]
    if not body:
        start, end = body_start, min(body_end, body_start + width)
        anchor: list[Span] = []
    else:
        firsts = [m[0] for m in body[:200]]
        first = max(firsts, key=lambda f: sum(1 for g in firsts if f <= g < f + width * 3 // 4))
        start = max(body_start, first - width // 4)
        end = min(body_end, start + width)
        anchor = body
    start = _word_boundary(text, start, body_start, backwards=True)
    end = _word_boundary(text, end, body_end, backwards=False)
    prefix = "…" if start > body_start else ""
    suffix = "…" if end < body_end else ""
    out = [(a - start + len(prefix), b - start + len(prefix)) for a, b in anchor if a >= start and b <= end]
    return prefix + text[start:end].replace("\n", " ") + suffix, out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    """Generated English news, six languages, and a few hand-made oddities (CJK, phrases that
    cross a line, marks next to each other, a title-only match)."""
    root = tmp_path_factory.mktemp("snippets")
    corpus = root / "corpus"
    corpus_gen.generate(corpus / "news", 150, seed=7)
    multilingual_gen.generate(corpus / "world", 120, ["en", "ru", "de", "fr", "es", "tr"], seed=3)
    write_article(
        corpus,
        "cjk.txt",
        "東京の会議 Tokyo talks",
        "2021-01-02",
        "東京で会議が開かれた。Tokyo talks on oil 石油 prices.",
    )
    write_article(
        corpus,
        "edge.txt",
        "Oil prices oil",
        "2021-01-03",
        "Oil. Prices, oil-prices; oil–prices and oil\u00a0prices. The Federal",
        "Reserve met. Federal Reserve, federal reserves: oil prices (oil) [prices].",
        "U.S. oil.prices U.S.oil oil.. prices oil_prices x.oil oil. 9oil oil9 oils oil's Oil OIL.",
    )
    index = open_index(corpus, root / "index")
    index.sync()
    yield index
    index.close()


def queries() -> list[str]:
    maker = corpus_gen.ArticleMaker(seed=7)
    rng = random.Random(2)
    texts = [
        "oil",
        "oil prices",
        "U.S. oil",
        "oils",
        '"oil prices"',
        '"Federal Reserve"',
        "Federal Reserve",
        "title:oil",
        "oil OR talks",
        "econom*",
        "goverment~",
        "oil -prices",
        "東京",
        "石油",
        '"Minsk group"',
        "президент",
        '"Минская группа"',
        "Osterreich",
        "négociation",
        "Banco Central",
        "görüşme",
        "Susa",
    ]
    common, rare = maker.words[:300], maker.words[300:3000]
    for _ in range(25):
        a, b = rng.choice(common), rng.choice(rare)
        texts += [a, f"{a} {b}", f'"{a} {rng.choice(common)}"', f"{a} OR {b}"]
    texts += [f'"{name}"' for name in corpus_gen.NAMES[:10]]
    return texts


def test_marks_and_snippets_are_those_of_the_old_path(mixed: CorpusIndex) -> None:
    service = SearchService(mixed)
    compared = marked = 0
    try:
        for text in queries():
            result = service.search(text, limit=50)
            for hit in result.hits:
                article = load_article(mixed.corpus, hit.path)
                old = old_find_marks(article, result.terms, hit.language)
                assert find_marks(article, result.terms, hit.language) == old, (text, hit.path)
                expected = old_snippet(article, result.terms, language=hit.language)
                assert snippet(article, result.terms, language=hit.language) == expected, (text, hit.path)
                # What the search gives its hits (and the window and the CLI show).
                assert (hit.snippet, list(hit.snippet_marks)) == expected, (text, hit.path)
                compared += 1
                marked += bool(old)
    finally:
        service.close()
    assert compared > 1500 and marked > 1000  # the queries found articles, and words in them


def test_body_marks_are_the_body_part_of_all_marks(mixed: CorpusIndex) -> None:
    article = load_article(mixed.corpus, "edge.txt")
    service = SearchService(mixed)
    try:
        terms = service.search("oil prices federal").terms
    finally:
        service.close()
    everything = find_marks(article, terms)
    title_end = len(article.title)
    assert [article.plain_text[s:e] for s, e in everything if e <= title_end] == ["Oil prices oil"]
    assert body_marks(article, terms) == [m for m in everything if m[0] > title_end]


def test_token_spans_find_the_tokens_the_tokenizer_makes() -> None:
    from reader.core.analysis import TOKEN, token_spans

    rng = random.Random(4)
    pieces = ["oil", "Oil", "oils", "U.S", "U", "S", ".", "..", " ", "-", "_", "9", "é", "\u0301", "x", "\n"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))
        # (Words as the tokenizer gives them: some of the text's, and one it may not have.)
        words = {w for w in TOKEN.findall(text) if rng.random() < 0.5}
        words |= {w for w in TOKEN.findall(rng.choice(pieces) + rng.choice(pieces))}
        expected = [m.span() for m in TOKEN.finditer(text) if m.group() in words]
        assert token_spans(text, words) == expected, (text, words)
