"""The catalog's word list offers completions: words with a prefix, in most articles first."""

from __future__ import annotations

from pathlib import Path

from reader.core.index import open_index
from tests.helpers import write_article


def test_words_with_a_prefix_come_most_frequent_first(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Harbour", "2020-01-01", "The harbour and the harbourmaster.")
    write_article(corpus, "b.txt", "Harbour again", "2020-01-02", "A harbour, a hare and a harp.")
    index = open_index(corpus, tmp_path / "index")
    index.sync()
    catalog = index.catalog()
    assert catalog.words_with_prefix("har") == ["harbour", "harbourmaster", "hare", "harp"]
    assert catalog.words_with_prefix("har", limit=2) == ["harbour", "harbourmaster"]
    assert catalog.words_with_prefix("zz") == [] and catalog.words_with_prefix("") == []
    catalog.close()
    index.close()
