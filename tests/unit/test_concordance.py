"""Concordance: every occurrence, counted against an independent count of the files written."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import concordance as conc
from reader.core.concordance import concordance, sort_key, start_concordance
from reader.core.index import CorpusIndex, open_index
from tests.helpers import write_article

WORDS = ["river", "bank", "water", "stone", "field", "harvest", "market", "bridge", "road", "town", "winter"]


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[tuple[CorpusIndex, Path]]:
    """60 articles of random words with 'zebra'/'zebras' sprinkled in (and sometimes in the title)."""
    rng = random.Random(7)
    folder = tmp_path / "gen"
    for i in range(60):
        paragraphs = []
        for _ in range(rng.randint(1, 4)):
            words = [rng.choice([*WORDS, "zebra", "zebras", "Zebra"]) for _ in range(rng.randint(5, 60))]
            paragraphs.append(" ".join(words).capitalize() + ".")
        title = f"Report {i} on {'zebras' if i % 7 == 0 else 'roads'}"
        date = f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 10 else ""
        write_article(folder, f"a{i:03d}.txt", title, date, *paragraphs)
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    yield index, folder
    index.close()


def regex_count(folder: Path, pattern: str) -> int:
    return sum(len(re.findall(pattern, p.read_text("utf-8"), re.I)) for p in folder.glob("*.txt"))


def test_every_occurrence_is_listed(generated: tuple[CorpusIndex, Path]) -> None:
    index, folder = generated
    run, rows = concordance(index, "zebra")
    expected = regex_count(folder, r"\bzebras?\b")
    assert expected > 100
    assert run.total == len(rows) == expected
    assert not run.capped
    assert {r.match.lower() for r in rows} == {"zebra", "zebras"}


def test_context_is_aligned_on_the_match(generated: tuple[CorpusIndex, Path]) -> None:
    index, folder = generated
    _, rows = concordance(index, "harvest", width=20)
    assert len(rows) == regex_count(folder, r"\bharvest\b")
    for row in rows:
        text = (folder / row.path).read_text("utf-8").replace("\n", " ")
        assert len(row.left) <= 20 and len(row.right) <= 20
        assert re.sub(r"\s+", " ", text).find(f"{row.left}{row.match}{row.right}".strip()) >= 0


def test_a_phrase_is_one_occurrence(generated: tuple[CorpusIndex, Path]) -> None:
    index, folder = generated
    _, rows = concordance(index, '"river bank"')
    assert len(rows) == regex_count(folder, r"\briver bank\b")
    assert all(r.match.lower() == "river bank" for r in rows)


def test_the_cap_stops_the_run_and_says_so(generated: tuple[CorpusIndex, Path]) -> None:
    index, _ = generated
    run, rows = concordance(index, "zebra", limit=25)
    assert len(rows) == run.total == 25
    assert run.capped


def test_chunks_stream_oldest_first_and_undated_last(
    generated: tuple[CorpusIndex, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, _ = generated
    monkeypatch.setattr(conc, "CHUNK_ARTICLES", 5)
    run = start_concordance(index, "zebra")
    chunks = list(run.chunks(index))
    assert len(chunks) == -(-run.articles // 5)
    dates = [r.date for chunk in chunks for r in chunk]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated)
    assert dates.index(None) == len(dated)  # every undated occurrence after every dated one


def test_sorting_by_the_word_on_either_side(generated: tuple[CorpusIndex, Path]) -> None:
    index, _ = generated
    _, rows = concordance(index, "zebra")
    by_left = sorted(rows, key=sort_key("left"))
    assert [r.left_word for r in by_left] == sorted(r.left_word for r in rows)
    by_right = sorted(rows, key=sort_key("right"))
    assert [r.right_word for r in by_right] == sorted(r.right_word for r in rows)
    assert len({r.right_word for r in rows}) > 5  # (so the order above says something)


def test_a_query_without_words_lists_nothing_and_says_why(generated: tuple[CorpusIndex, Path]) -> None:
    index, _ = generated
    run, rows = concordance(index, "date:2020")
    assert run.articles > 0 and rows == []
    assert any("no words" in note for note in run.notes)
