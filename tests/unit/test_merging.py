"""Segment merging (merging.py): a sync's commit merges only what is cheap, the segments stay
bounded, a background merge step changes nothing a search finds and can be stopped midway."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.core import merging
from reader.core.index import CorpusIndex
from reader.core.search import SearchService
from tests.helpers import write_article

WORDS = ["oil", "bank", "harbour", "election", "grain", "strike", "court", "river", "storm", "budget"]


@pytest.fixture
def small_tiers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiers of a few articles, so a test corpus of tens of articles spans several."""
    monkeypatch.setattr(merging, "TIER_BASE", 3)
    monkeypatch.setattr(merging, "CHEAP_DOCS", 6)
    monkeypatch.setattr(merging, "MAX_SEGMENTS", 8)
    monkeypatch.setattr(merging, "CHECK_EVERY", 5)


def add_articles(folder: Path, start: int, count: int) -> None:
    for n in range(start, start + count):
        a, b = WORDS[n % len(WORDS)], WORDS[(n * 7 + 3) % len(WORDS)]
        write_article(
            folder,
            f"batch/{n:04d}.txt",
            f"Report {n} on {a}",
            "2020-03-01",
            f"The {a} story number {n} met the {b} question.",
            f"Later the {b} and the {a} were discussed again (item {n}).",
        )


def results(index: CorpusIndex) -> dict[str, tuple[int, list[str]]]:
    service = SearchService(index)
    try:
        out = {}
        for query in [*WORDS, '"the oil"', "bank OR storm", "court NOT river"]:
            found = service.search(query, limit=1000)
            out[query] = (found.total, sorted(h.path for h in found.hits))
        return out
    finally:
        service.close()


def segments(index: CorpusIndex) -> list[int]:
    return [s.doc_count_all() for s in index.ix._segments()]


def grow(corpus: Path, index: CorpusIndex, syncs: int, per_sync: int = 2) -> list[int]:
    counts = []
    for i in range(syncs):
        add_articles(corpus, 100 + i * per_sync, per_sync)
        index.sync()
        counts.append(len(segments(index)))
    return counts


def test_small_syncs_keep_the_segments_bounded(small_tiers: None, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    add_articles(corpus, 0, 20)
    index = CorpusIndex(corpus, tmp_path / "index")
    index.sync()
    counts = grow(corpus, index, 30)
    assert max(counts) <= merging.MAX_SEGMENTS
    assert sum(segments(index)) - index.ix.doc_count() >= 0
    assert index.ix.doc_count() == 20 + 30 * 2


def test_merging_changes_no_result(small_tiers: None, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    add_articles(corpus, 0, 12)
    index = CorpusIndex(corpus, tmp_path / "index")
    index.sync()
    grow(corpus, index, 10)
    # changed and deleted articles too, so that merged segments carry deletions
    add_articles(corpus, 100, 3)  # rewritten with the same text: unchanged
    (corpus / "batch" / "0003.txt").unlink()
    (corpus / "batch" / "0104.txt").write_text("A new title\n\n2021-01-01\n\nNothing but grain.\n", "utf-8")
    index.sync()
    before, shape = results(index), segments(index)
    steps = 0
    while index.merge():
        steps += 1
        assert results(index) == before
    assert steps >= 1
    assert len(segments(index)) < len(shape)
    assert merging.next_merge(index.ix._segments()) == []
    # the results equal those of an index built at once over the same files
    fresh = CorpusIndex(corpus, tmp_path / "fresh")
    fresh.sync()
    assert results(fresh) == before


def test_a_stopped_merge_leaves_the_index_as_it_was(small_tiers: None, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    add_articles(corpus, 0, 12)
    index = CorpusIndex(corpus, tmp_path / "index")
    index.sync()
    grow(corpus, index, 10)
    assert merging.next_merge(index.ix._segments())
    before, shape, generation = results(index), segments(index), index.ix.latest_generation()
    stop = threading.Event()
    calls = []

    def between() -> None:
        calls.append(1)
        if len(calls) == 3:
            stop.set()  # a sync asked for the writer midway

    with pytest.raises(merging.MergeStopped):
        index.merge(stop, between)
    assert len(calls) == 3
    assert index.ix.latest_generation() == generation
    assert segments(index) == shape
    assert results(index) == before
    # the writer is free again: a sync and a merge both go through
    add_articles(corpus, 500, 1)
    assert index.sync().added == 1
    assert index.merge()


def test_a_merge_does_not_wait_for_another_writer(small_tiers: None, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    add_articles(corpus, 0, 12)
    index = CorpusIndex(corpus, tmp_path / "index")
    index.sync()
    grow(corpus, index, 10)
    other = CorpusIndex(corpus, tmp_path / "index")
    with other._writing():  # another process syncing
        assert index.merge() is False
    assert index.merge() is True


def test_commit_merges_only_what_is_cheap(small_tiers: None, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    add_articles(corpus, 0, 60)
    index = CorpusIndex(corpus, tmp_path / "index")
    index.sync()
    for i in range(4):  # four segments of a larger tier, too big to merge at a commit
        add_articles(corpus, 200 + i * 13, 13)
        index.sync(batch_size=100)
    big = [n for n in segments(index) if n >= 13]
    assert len(big) >= 4
    add_articles(corpus, 400, 1)
    index.sync()
    assert [n for n in segments(index) if n >= 13] == big  # untouched by the small commit
    assert index.merge()  # left to the background
    assert len([n for n in segments(index) if n >= 13]) < len(big)
