"""The set-based ranking gives what Whoosh's own unlimited pass gave: same totals, same pages.

The reference is the search path as it was before ``reader.core.ranking`` (one unlimited Whoosh
search of the query with its phrase bonus, every match scored), kept here and not in the product.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from whoosh import query as wq

from reader.core.index import CorpusIndex, open_index
from reader.core.query import parse, with_phrase_bonus
from reader.core.ranking import Matches, Unsupported
from reader.core.search import SearchService

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import corpus_gen


def reference_page(service: SearchService, text: str, offset: int, limit: int) -> tuple[int, list[str]]:
    """The old path: Whoosh's unlimited search, sliced.

    Less two bugs of it, both in negations over a multi-segment index with deletions: a query
    that is only a negation ("NOT oil") also matched deleted documents (Whoosh's inverse
    matcher), and "oil -gas" now and then kept an article holding both words (its array union
    on the NOT side, skipped into). Documents the negated part matches are taken out here.
    """
    searcher = service.searcher()
    parsed = parse(text, searcher.reader(), service.similar_words)
    if parsed.is_empty:
        return 0, []
    results = searcher.search(with_phrase_bonus(parsed), limit=None)
    excluded: set[int] = set()
    for part in negated_parts(parsed.query):
        excluded.update(searcher.docs_for_query(part))
    reader = searcher.reader()
    ranking = [(s, d) for s, d in results.top_n if not reader.is_deleted(d) and d not in excluded]
    page = ranking[offset : offset + limit]
    return len(ranking), [searcher.stored_fields(d)["path"] for _, d in page]


def negated_parts(q: wq.Query) -> list[wq.Query]:
    """The parts a top-level ``a -b`` or ``a NOT b`` excludes."""
    if isinstance(q, wq.AndNot):
        return [q.b]
    if isinstance(q, wq.And):
        return [c.query for c in q.subqueries if isinstance(c, wq.Not)]
    return []


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    """500 generated articles in several segments, some of them deleted or changed since."""
    root = tmp_path_factory.mktemp("equivalence")
    corpus = root / "corpus"
    files = corpus_gen.generate(corpus, 500, seed=5)
    index = open_index(corpus, root / "index")
    index.sync(batch_size=120, batch_growth=1.0)
    rng = random.Random(3)
    for path in rng.sample(files, 40):
        path.unlink()
    maker = corpus_gen.ArticleMaker(seed=9)
    for path in rng.sample([f for f in files if f.exists()], 30):
        path.write_text(maker.text(), encoding="utf-8")
    index.sync()  # deletions left in the old segments: documents Whoosh still has, marked deleted
    return index


def query_texts(index: CorpusIndex) -> list[str]:
    """The benchmark's mix plus many random queries over the corpus's own words."""
    rng = random.Random(11)
    maker = corpus_gen.ArticleMaker(seed=5)
    common = maker.words[:400]
    rare = maker.words[400:4000]
    names = list(corpus_gen.NAMES)
    texts = [
        "oil",
        "government",
        "oil prices",
        "trade talks",
        '"European Central Bank"',
        '"Minsk group"',
        "oil OR gas",
        "bank NOT central",
        "title:oil",
        "date:[2019-01-01 to 2019-06-30]",
        "inflation date:[2019-01-01 to 2019-06-30]",
        "econom*",
        "goverment~",
        "NOT oil",
        "oil -gas",
        "oil^2 gas",
        "date:2020",
        "minister (talks OR agreement)",
    ]
    for _ in range(30):
        a, b, c = rng.choice(common), rng.choice(rare), rng.choice(common)
        texts += [a, f"{a} {c}", f"{a} {b}", f"{a} OR {b}", f"{a} NOT {c}", f"title:{a}", f'"{a} {c}"']
    for name in names[:25]:
        texts += [name, f'"{name}"', f"{name} {rng.choice(common)}"]
    return texts


def test_same_totals_and_pages_as_the_old_path(generated: CorpusIndex) -> None:
    service = SearchService(generated)
    try:
        checked = 0
        for text in query_texts(generated):
            for offset in (0, 50):
                total, paths = reference_page(service, text, offset, 50)
                result = service.search(text, limit=50, offset=offset, snippets=False)
                assert result.total == total, text
                assert [h.path for h in result.hits] == paths, (text, offset)
                checked += bool(paths)
        assert checked > 300  # the queries found something to compare
    finally:
        service.close()


def test_the_fast_path_answers_the_query_mix(generated: CorpusIndex) -> None:
    # Equivalence alone would also hold if every query fell back to Whoosh's search.
    service = SearchService(generated)
    try:
        searcher = service.searcher()
        for text in query_texts(generated)[:18]:
            parsed = parse(text, searcher.reader(), service.similar_words)
            try:
                Matches(searcher, parsed.query).scored(with_phrase_bonus(parsed))
            except Unsupported as exc:  # pragma: no cover - the failure message
                pytest.fail(f"{text!r} fell back to Whoosh: {exc}")
    finally:
        service.close()


def test_the_phrase_is_checked_only_as_far_as_the_page_needs(generated: CorpusIndex) -> None:
    from reader.core.ranked import PhraseFirst, rank

    service = SearchService(generated)
    try:
        searcher = service.searcher()
        words = corpus_gen.ArticleMaker(seed=5).words
        parsed = parse(f"{words[0]} {words[1]}", searcher.reader())
        ranking = rank(searcher, parsed, "relevance")
        assert isinstance(ranking, PhraseFirst) and ranking.total > 300
        first = ranking.page(0, 50)
        assert 0 < ranking._checked < ranking.total  # the first page did not check every match
        assert first == ranking.ordered()[:50]  # and is what checking them all gives
    finally:
        service.close()


def test_scores_from_the_length_column_are_whooshs_per_document_lengths(
    generated: CorpusIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A term's scores read the segment's length column at once; Whoosh's doc_field_length per
    # document (the path kept for other codecs) must give the very same floats.
    from reader.core.ranking import _Segment

    service = SearchService(generated)
    try:
        searcher = service.searcher()
        subsearcher = (searcher.subsearchers or [(searcher, 0)])[0][0]
        assert _Segment(subsearcher)._length_bytes("body") is not None  # the column is read here
        texts = [t for t in query_texts(generated) if "NOT" not in t][:60]
        fast = {}
        for text in texts:
            parsed = parse(text, searcher.reader(), service.similar_words)
            if not parsed.is_empty:
                fast[text] = sorted(Matches(searcher, parsed.query).scored(with_phrase_bonus(parsed)))
        monkeypatch.setattr(_Segment, "_length_bytes", lambda self, fieldname: None)
        for text, scored in fast.items():
            parsed = parse(text, searcher.reader(), service.similar_words)
            assert sorted(Matches(searcher, parsed.query).scored(with_phrase_bonus(parsed))) == scored, text
        assert sum(len(s) for s in fast.values()) > 1000
    finally:
        service.close()
