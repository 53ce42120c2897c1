"""Search: every query form, phrase-first ranking, marks, snippets, did-you-mean, bad queries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.corpus import load_article
from reader.core.index import open_index
from reader.core.search import SearchService, find_marks
from reader.core.spelling import edit_distance

SEED = "000_a48a5c26eb42239f.txt"


@pytest.fixture
def service(corpus: Path, tmp_path: Path) -> Iterator[SearchService]:
    index = open_index(corpus, tmp_path / "ix")
    index.sync()
    service = SearchService(index)
    yield service
    service.close()
    index.close()


def paths(service: SearchService, query: str, sort: str = "relevance") -> list[str]:
    return [h.path for h in service.search(query, limit=50, sort=sort).hits]


def test_phrase_ranks_above_scattered_words(service: SearchService) -> None:
    # scattered.txt says "Minsk" and "group" many times, never together; the seed has
    # "the OSCE Minsk group" once.
    assert paths(service, "Minsk group") == [SEED, "scattered.txt"]


def test_without_phrase_bonus_the_scattered_article_would_win(service: SearchService) -> None:
    # Proves the ranking test above tests the bonus, not luck: OR-ing the words ranks by counts.
    assert paths(service, "Minsk OR group")[0] == "scattered.txt"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("negotiation", [SEED, "markets/fire.md"]),  # stemmed: finds "negotiations"
        ('"Minsk group"', [SEED]),
        ("harbour OR dividend", ["markets/fire.md", "markets/wire.txt", "undated.txt"]),
        ("harbour NOT festival", ["markets/fire.md"]),
        ("harbour -festival", ["markets/fire.md"]),
        ("(warehouse OR dividend) harbour", ["markets/fire.md"]),
        ("title:fire", ["markets/fire.md"]),
        ("body:Sierra", ["markets/wire.txt"]),
        ("source:GSV", [SEED]),
        ("creative", [SEED]),  # an unqualified word also searches the credit lines
        ("date:2020-07", [SEED, "markets/wire.txt"]),
        ("date:2019", ["markets/fire.md"]),
        ("date:[2020-07-01 to 2020-07-31]", [SEED, "markets/wire.txt"]),
        ("date:[2021-01-01 to 2021-12-31] Minsk", ["scattered.txt"]),
        ("warehou*", ["markets/fire.md"]),
        ("Karabah~", [SEED]),
        ("Nagorno-Karabakh", [SEED]),
        ("SRD", ["markets/wire.txt"]),
    ],
)
def test_query_forms(service: SearchService, query: str, expected: list[str]) -> None:
    assert sorted(paths(service, query)) == sorted(expected)


def test_sort_by_date_puts_undated_articles_last(service: SearchService) -> None:
    newest = paths(service, "harbour OR Minsk OR dividend", sort="date")
    assert newest[0] == "scattered.txt"
    assert set(newest[1:3]) == {SEED, "markets/wire.txt"}  # the same day
    assert newest[3:] == ["markets/fire.md", "undated.txt"]
    oldest = paths(service, "harbour OR Minsk OR dividend", sort="date-asc")
    assert oldest[0] == "markets/fire.md"
    assert oldest[3:] == ["scattered.txt", "undated.txt"]


def test_hits_carry_title_date_and_a_marked_snippet(service: SearchService) -> None:
    result = service.search("Minsk group")
    assert result.total == 2
    top = result.hits[0]
    assert top.title.startswith("Russian Foreign Ministry called for restraint")
    assert top.date is not None and top.date.isoformat() == "2020-07-30"
    assert "OSCE Minsk group" in top.snippet
    assert [top.snippet[s:e] for s, e in top.snippet_marks] == ["Minsk group"]
    json_hit = result.to_json()["hits"][0]  # type: ignore[index]
    assert json_hit["date"] == "2020-07-30" and json_hit["path"] == SEED


def test_paging_returns_the_rest(service: SearchService) -> None:
    first = service.search("harbour OR Minsk OR dividend", limit=2)
    rest = service.search("harbour OR Minsk OR dividend", limit=2, offset=2)
    assert first.total == rest.total == 5
    assert len({h.path for h in first.hits + rest.hits}) == 4


def test_marks_cover_stemmed_forms_and_phrases(corpus: Path, service: SearchService) -> None:
    article = load_article(corpus, SEED)
    result = service.search("negotiation Minsk group")
    marked = [article.plain_text[s:e] for s, e in find_marks(article, result.terms)]
    assert "negotiations" in marked
    assert "Minsk group" in marked


def test_negated_words_are_not_marked(corpus: Path, service: SearchService) -> None:
    article = load_article(corpus, "markets/fire.md")
    result = service.search("harbour NOT festival -compensation")
    marked = {article.plain_text[s:e].lower() for s, e in find_marks(article, result.terms)}
    assert marked == {"harbour"}


def test_field_query_marks_only_that_field(corpus: Path, service: SearchService) -> None:
    article = load_article(corpus, "markets/fire.md")
    result = service.search("title:fire")
    spans = find_marks(article, result.terms)
    assert spans == [(10, 14)]  # "fire" in the title line, not "A fire destroyed…"


def test_zero_hits_offers_did_you_mean_from_the_corpus(service: SearchService) -> None:
    result = service.search("Karabah")
    assert result.total == 0
    assert result.suggestion == "Karabakh"
    assert service.search("negotaitions harbour").suggestion == "negotiations harbour"


def test_no_suggestion_when_nothing_close_exists(service: SearchService) -> None:
    result = service.search("xylophonist")
    assert result.total == 0 and result.suggestion is None


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ('"unterminated Minsk', "Unclosed quote"),
        ("(((", "parenthesis"),
        ("Minsk)", "parenthesis"),
        ("title:", "Empty field"),
        ("date:[2020 to", "date range"),
        ("date:soon", "Dates look like"),
    ],
)
def test_malformed_queries_never_raise_and_explain(service: SearchService, query: str, note: str) -> None:
    result = service.search(query)
    assert any(note in n for n in result.notes), result.notes


def test_malformed_query_still_searches_what_it_can(service: SearchService) -> None:
    assert paths(service, '"Minsk group') == [SEED, "scattered.txt"]
    assert SEED in paths(service, "Minsk)")


@pytest.mark.parametrize(
    "query",
    [
        "AND",
        "NOT",
        "OR OR",
        "-",
        "*",
        "*ing",
        "~",
        "a~9",
        ":",
        "title:(",
        "\x00\x07",
        "[",
        "}",
        "🙂",
        "x" * 100_000,
    ],
)
def test_odd_queries_return_a_result(service: SearchService, query: str) -> None:
    result = service.search(query)
    assert result.total >= 0


def test_huge_wildcard_expansions_are_bounded(
    service: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.query as query_module

    monkeypatch.setattr(query_module, "MAX_EXPANSION", 3)
    result = service.search("*a*")
    assert any("too many words" in n for n in result.notes)


def test_edit_distance() -> None:
    assert edit_distance("karabah", "karabakh") == 1
    assert edit_distance("negotaitions", "negotiations") == 1  # a transposition
    assert edit_distance("", "abc") == 3
    assert edit_distance("kitten", "sitting", limit=1) == 2  # stops early: more than the limit


def test_fuzzy_matches_whole_words_not_stems(service: SearchService) -> None:
    # "negotations~" is one letter from "negotiations"; its stem "negot" is not what is matched.
    assert sorted(paths(service, "negotations~")) == [SEED, "markets/fire.md"]
    result = service.search("harbor~")
    assert {h.path for h in result.hits} == {"markets/fire.md", "undated.txt"}


def test_total_counts_every_match_even_when_whoosh_prunes(corpus: Path, tmp_path: Path) -> None:
    # Many articles with both words, only a few with the phrase, in several segments: Whoosh's
    # own count after a limited, pruned search falls short of the real number.
    from tests.helpers import write_article

    for i in range(120):
        words = "oil prices" if i % 10 == 0 else "prices rose as oil fell"
        write_article(
            corpus,
            f"bulk/{i:03}.txt",
            f"Market report {i}",
            "2020-01-01",
            f"Today {words} again. " * (1 + i % 7),
        )
    index = open_index(corpus, tmp_path / "ix2")
    index.sync(batch_size=25)
    service = SearchService(index)
    try:
        result = service.search("oil prices", limit=5, snippets=False)
        assert result.total == 120
        seen = {h.path for h in result.hits}
        offset = 5
        while offset < result.total:
            seen |= {
                h.path for h in service.search("oil prices", limit=25, offset=offset, snippets=False).hits
            }
            offset += 25
        assert len(seen) == 120
    finally:
        service.close()
        index.close()


def test_a_search_before_the_first_commit_sees_later_ones(tmp_path: Path) -> None:
    from tests.helpers import write_article

    folder = tmp_path / "new"
    folder.mkdir()
    index = open_index(folder, tmp_path / "ix")
    service = SearchService(index)
    try:
        assert service.search("harbour").total == 0  # the index is still empty
        write_article(folder, "a.txt", "Harbour news", "2021-01-01", "The harbour reopened.")
        index.sync()
        assert service.search("harbour").total == 1
    finally:
        service.close()
        index.close()


def test_next_pages_reuse_the_ranking_until_the_index_changes(
    service: SearchService, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.search as search_module
    from tests.helpers import write_article

    first = service.search("harbour OR Minsk OR dividend", limit=2)
    calls: list[object] = []
    original = search_module.rank
    monkeypatch.setattr(search_module, "rank", lambda *a: calls.append(a) or original(*a))
    second = service.search("harbour OR Minsk OR dividend", limit=2, offset=2)
    assert calls == []  # the second page came from the kept ranking
    assert {h.path for h in first.hits}.isdisjoint(h.path for h in second.hits)
    write_article(corpus, "late.txt", "Late harbour news", "2022-02-02", "The harbour again.")
    service.index.sync()
    assert service.search("harbour OR Minsk OR dividend", limit=2, offset=2).total == 6
    assert calls  # a new index generation: searched again


@pytest.mark.parametrize(
    ("query", "same_as", "dropped"),
    [
        ("harbour OR", "harbour", "OR"),
        ("OR harbour", "harbour", "OR"),
        ("harbour AND", "harbour", "AND"),
        ("harbour NOT", "harbour", "NOT"),
        ("harbour OR OR dividend", "harbour OR dividend", "OR"),
        ("(harbour OR) warehouse", "harbour warehouse", "OR"),
        ("harbour AND NOT", "harbour", "NOT"),
        ("is:unread OR", "is:unread", "OR"),
    ],
)
def test_a_dangling_operator_is_dropped_with_a_note(
    service: SearchService, query: str, same_as: str, dropped: str
) -> None:
    result = service.search(query, limit=50)
    assert [h.path for h in result.hits] == paths(service, same_as)
    assert any(note.startswith(f"{dropped} with nothing") for note in result.notes), result.notes


@pytest.mark.parametrize("query", ["OR", "AND", "NOT", "NOT AND OR"])
def test_a_bare_operator_is_not_searched_as_a_word(service: SearchService, query: str) -> None:
    # Searched as words, they would match this article.
    (service.index.corpus / "hamlet.txt").write_text(
        "Hamlet\n\n1 May 2020\n\nTo be or not to be, and that is the question.\n", "utf-8"
    )
    service.index.sync()
    result = service.search(query)
    assert result.total == 0 and result.notes
    assert any("nothing" in note for note in result.notes)
    assert service.search(query.lower()).total > 0  # a lower-case word is a word


def test_closest_skips_only_words_surely_too_far() -> None:
    import random

    from reader.core.spelling import closest, edit_distance

    rng = random.Random(5)
    letters = "abcdeé"
    for _ in range(300):
        word = "".join(rng.choice(letters) for _ in range(rng.randrange(1, 8)))
        candidates = [
            ("".join(rng.choice(letters) for _ in range(rng.randrange(1, 9))), i) for i in range(40)
        ]
        for maxdist in (1, 2):
            expected = sorted(
                (edit_distance(word, c, maxdist), -df, c)
                for c, df in candidates
                if c != word and edit_distance(word, c, maxdist) <= maxdist
            )
            assert closest(word, candidates, maxdist) == expected


def test_did_you_mean_keeps_the_is_and_label_terms(service: SearchService, tmp_path: Path) -> None:
    # The corrected query is checked as search runs it: with its is:/label: terms answered.
    from reader.core import marks
    from reader.core.annotations import AnnotationStore
    from reader.core.concordance import concordance
    from reader.core.mark_filter import MarkSource

    db = tmp_path / "annotations.sqlite3"
    corpus = str(service.index.corpus)
    store = AnnotationStore(db)
    marks.add_label(store, corpus, "port", ["markets/fire.md"])
    store.close()
    labelled = SearchService(service.index, MarkSource(corpus, lambda: AnnotationStore(db)))
    try:
        result = labelled.search("label:port harbur")
        assert result.total == 0 and result.suggestion == "label:port harbour"
        assert labelled.search(result.suggestion).total == 1
        run, _ = concordance(service.index, "label:port harbur", marks=labelled.marks)
        assert run.suggestion == "label:port harbour"
    finally:
        labelled.close()
