"""Stories: near-copies found on a labelled set, kept up to date incrementally, kept on disk."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from reader.core import stories as S
from reader.core.index import CorpusIndex, open_index
from reader.core.search import SearchService
from reader.core.stories import Stories, update_stories
from reader.core.wordstore import STORE_NAME, STORE_VERSION, WordStore, store_path
from tests.story_labels import DATA, make_labelled_set, pair_scores


def _refresh(index: CorpusIndex) -> None:
    index.sync()
    catalog = index.catalog()
    try:
        update_stories(index.dir, index.corpus, catalog)
    finally:
        catalog.close()


def _found(index: CorpusIndex) -> dict[str, int]:
    s = Stories(index.dir)
    try:
        return {p: story for story_obj in s.stories() for p in story_obj.paths for story in [story_obj.id]}
    finally:
        s.close()


@pytest.fixture
def labelled(tmp_path: Path) -> tuple[CorpusIndex, dict[str, str]]:
    labels = make_labelled_set(tmp_path / "corpus")
    index = open_index(tmp_path / "corpus", tmp_path / "index")
    _refresh(index)
    yield index, labels
    index.close()


def test_labelled_set_precision_and_recall(labelled: tuple[CorpusIndex, dict[str, str]]) -> None:
    index, labels = labelled
    found = _found(index)
    assert set(found) == set(labels)
    precision, recall, tp, fp, fn = pair_scores(found, labels)
    originals = len({v for v in labels.values()})
    print(
        f"\nstories on the labelled set ({len(labels)} articles: {originals} originals, 5 versions each; "
        f"threshold {S.THRESHOLD}): precision {precision:.3f}, recall {recall:.3f} "
        f"(pairs: {tp} right, {fp} wrongly joined, {fn} missed)"
    )
    assert precision >= 0.98
    assert recall >= 0.95
    # Distinct articles on one topic (the originals) never share a story.
    originals_found = [found[name] for name in labels if name.endswith("-original.txt")]
    assert len(set(originals_found)) == len(originals_found)


def test_other_seeds_of_the_labelled_set(tmp_path: Path) -> None:
    for seed in (1, 2):
        folder = tmp_path / f"c{seed}"
        labels = make_labelled_set(folder, seed=seed)
        index = open_index(folder, tmp_path / f"ix{seed}")
        try:
            _refresh(index)
            precision, recall, *_ = pair_scores(_found(index), labels)
        finally:
            index.close()
        print(f"\nseed {seed}: precision {precision:.3f}, recall {recall:.3f}")
        assert precision >= 0.98 and recall >= 0.95


def test_signature_estimates_jaccard() -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(1, 5000, 400).astype(np.uint32)
    b = a.copy()
    b[200:] = rng.integers(5000, 9000, 200)  # the second half rewritten
    sa, sb = S.signature(a), S.signature(b)
    assert sa is not None and sb is not None
    ha, hb = set(S.shingle_hashes(a).tolist()), set(S.shingle_hashes(b).tolist())
    exact = len(ha & hb) / len(ha | hb)
    assert abs(S.similarity(sa, sb) - exact) < 0.1
    assert S.signature(np.zeros(5, dtype=np.uint32)) is None  # no words: no signature
    short = np.arange(1, S.MIN_WORDS, dtype=np.uint32)
    assert S.signature(short) is None  # too short to tell a copy
    assert S.signature(np.arange(1, S.MIN_WORDS + 1, dtype=np.uint32)) is not None


def _tiny(folder: Path) -> list[str]:
    """Four distinct originals from the labelled data."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i, path in enumerate(sorted(DATA.glob("*.txt"))[:4]):
        shutil.copy(path, folder / f"a{i}.txt")
        names.append(f"a{i}.txt")
    return names


def test_incremental_update_matches_a_fresh_clustering(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _tiny(corpus)
    index = open_index(corpus, tmp_path / "index")
    try:
        _refresh(index)
        before = _found(index)
        assert len(set(before.values())) == 4
        # A wire copy of a0 arrives; a1 is deleted; a2 is rewritten into a copy of a3.
        text = (corpus / "a0.txt").read_text("utf-8").split("\n", 1)[1]
        (corpus / "copy.txt").write_text("AGENCY: another title" + "\n" + text, "utf-8")
        (corpus / "a1.txt").unlink()
        shutil.copy(corpus / "a3.txt", corpus / "a2.txt")
        catalog = index.catalog()
        index.sync()
        try:
            changes = update_stories(index.dir, index.corpus, catalog)
        finally:
            catalog.close()
        assert sorted(changes.added) == ["copy.txt"]
        assert sorted(changes.updated) == ["a2.txt"]
        assert sorted(changes.removed) == ["a1.txt"]
        after = _found(index)
        assert set(after) == {"a0.txt", "a2.txt", "a3.txt", "copy.txt"}
        assert after["copy.txt"] == after["a0.txt"] == before["a0.txt"]  # the old story keeps its id
        assert after["a2.txt"] == after["a3.txt"]
        assert after["a0.txt"] != after["a3.txt"]
        # The same as clustering everything anew.
        fresh_dir = tmp_path / "fresh"
        fresh = open_index(corpus, fresh_dir)
        try:
            _refresh(fresh)
            again = _found(fresh)
        finally:
            fresh.close()
        groups = lambda found: sorted(sorted(p for p in found if found[p] == s) for s in set(found.values()))  # noqa: E731
        assert groups(after) == groups(again)
    finally:
        index.close()


def test_a_story_splits_when_the_article_joining_it_changes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _tiny(corpus)
    index = open_index(corpus, tmp_path / "index")
    try:
        # x is a0's first half + a1's second half: one story of three, held together by x.
        a0 = (corpus / "a0.txt").read_text("utf-8").split("\n\n")
        a1 = (corpus / "a1.txt").read_text("utf-8").split("\n\n")
        (corpus / "a1.txt").write_text("\n\n".join(a0[:2] + a0[2:] + a1[2:]), "utf-8")
        (corpus / "x.txt").write_text("\n\n".join(a0[:2] + a0[2:] + a1[2:]), "utf-8")
        _refresh(index)
        assert _found(index)["x.txt"] == _found(index)["a1.txt"]
        (corpus / "x.txt").unlink()
        (corpus / "a1.txt").write_text("\n\n".join(a1), "utf-8")
        _refresh(index)
        found = _found(index)
        assert found["a0.txt"] != found["a1.txt"]
    finally:
        index.close()


def test_stories_survive_a_restart_and_an_unchanged_sync_reads_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _tiny(corpus)
    shutil.copy(corpus / "a0.txt", corpus / "same.txt")
    index = open_index(corpus, tmp_path / "index")
    _refresh(index)
    first = _found(index)
    index.close()
    index = open_index(corpus, tmp_path / "index")
    try:
        catalog = index.catalog()
        try:
            changes = update_stories(index.dir, index.corpus, catalog)
        finally:
            catalog.close()
        assert not changes.changed
        assert _found(index) == first
        s = Stories(index.dir)
        try:
            of = s.of(["a0.txt", "same.txt", "a1.txt"])
            assert of["a0.txt"] == of["same.txt"] and of["a0.txt"][1] == 2
            assert of["a1.txt"][1] == 1
            assert s.versions(of["a0.txt"][0]) == ["a0.txt", "same.txt"]
        finally:
            s.close()
    finally:
        index.close()


def test_a_damaged_store_is_rebuilt(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _tiny(corpus)
    index = open_index(corpus, tmp_path / "index")
    try:
        _refresh(index)
        (index.dir / STORE_NAME).write_bytes(b"garbage" * 1000)
        for suffix in ("-wal", "-shm"):
            Path(str(index.dir / STORE_NAME) + suffix).unlink(missing_ok=True)
        _refresh(index)
        assert len(_found(index)) == 4
        assert not (corpus / STORE_NAME).exists()  # never in the corpus folder
    finally:
        index.close()


@pytest.mark.parametrize("version", [1, 99])  # 1: the first release's (zlib) arrays
def test_a_store_of_another_version_is_replaced(tmp_path: Path, version: int) -> None:
    path = tmp_path / STORE_NAME
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, path TEXT, tokens BLOB)")
    db.execute("INSERT INTO docs VALUES (1, 'a.txt', x'789c')")
    db.execute(f"PRAGMA user_version={version}")
    db.commit()
    db.close()
    store = WordStore(path)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION
        assert store.db.execute("SELECT count(*) FROM docs").fetchone()[0] == 0  # filled by the next update
    finally:
        store.close()
    assert store_path(tmp_path) == path


def test_search_collapses_versions_into_one_hit_per_story(
    labelled: tuple[CorpusIndex, dict[str, str]],
) -> None:
    index, _ = labelled
    service = SearchService(index)
    stories = Stories(index.dir)
    try:
        flat = service.search("fire", limit=1000)
        collapsed = service.search("fire", limit=1000, collapse=True)
        assert flat.stories is None and collapsed.total == flat.total
        story = {p: s for p, (s, _) in stories.of(h.path for h in flat.hits).items()}
        assert collapsed.stories == len(set(story.values())) == len(collapsed.hits) < flat.total
        for hit in collapsed.hits:
            group = {hit.path, *(v.path for v in hit.versions)}
            assert group == {h.path for h in flat.hits if story[h.path] == story[hit.path]}
        # The best version stands for its story, in rank order; pages count stories.
        ranks = {h.path: i for i, h in enumerate(flat.hits)}
        assert [ranks[h.path] for h in collapsed.hits] == sorted(ranks[h.path] for h in collapsed.hits)
        for hit in collapsed.hits:
            assert all(ranks[v.path] > ranks[hit.path] for v in hit.versions)
        page = service.search("fire", limit=2, offset=2, collapse=True)
        assert [h.path for h in page.hits] == [h.path for h in collapsed.hits[2:4]]
    finally:
        stories.close()
        service.close()


def test_the_words_kept_are_the_index_tokens() -> None:
    from reader.core.corpus import load_article
    from reader.core.wordstore import analyse
    from reader.core.wordstore import word_stems as stemmed_tokens

    for path in sorted(DATA.glob("*.txt"))[:20]:
        article = load_article(DATA, path.name)
        stems, words, body_start = analyse(article)
        expected = [s for s, _, _ in stemmed_tokens(article.title)]
        assert [s for s in stems[:body_start] if s] == expected
        assert [s for s in stems[body_start:] if s] == [s for s, _, _ in stemmed_tokens(article.body)]
        assert len(words) == len(stems) and all(bool(w) == bool(s) for w, s in zip(words, stems, strict=True))
        assert "" in stems[body_start:]  # sentence ends are kept
