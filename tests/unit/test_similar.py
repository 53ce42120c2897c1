"""More like this: a near-duplicate ranks first, the article itself is left out, shared terms shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.corpus import ArticleError
from reader.core.index import open_index
from reader.core.search import SearchService
from reader.core.similar import more_like_this
from tests.helpers import write_article

GLACIER = "The glacier retreated past the moraine. Meltwater flooded the fjord near the research station."


def test_a_near_duplicate_ranks_first_with_the_shared_key_terms(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Glacier retreats", "2020-01-01", GLACIER, "Scientists measured it.")
    write_article(corpus, "dup.txt", "Glacier retreat confirmed", "2020-01-03", GLACIER, "Officials agreed.")
    write_article(corpus, "fjord.txt", "Fjord ferry", "2020-02-01", "A ferry crossed the fjord.")
    for i in range(6):
        write_article(
            corpus, f"o{i}.txt", f"Markets {i}", "2020-03-01", "Shares rose and the markets closed."
        )
    index = open_index(corpus, tmp_path / "index")
    index.sync()
    service = SearchService(index)
    result = more_like_this(service.searcher(), corpus, "a.txt")
    assert result.title == "Glacier retreats"
    paths = [h.path for h in result.hits]
    assert paths[0] == "dup.txt" and "a.txt" not in paths
    assert {"glacier", "moraine", "meltwater"} <= set(result.key_terms)  # words, not stems
    top = result.hits[0]
    assert top.snippet.startswith("Shared: ") and "moraine" in top.snippet
    assert all(top.snippet[s:e].isalpha() for s, e in top.snippet_marks)
    assert "fjord.txt" in paths and "fjord" in result.hits[paths.index("fjord.txt")].snippet
    assert not any(p.startswith("o") for p in paths)  # nothing in common
    with pytest.raises(ArticleError):
        more_like_this(service.searcher(), corpus, "missing.txt")
    service.close()
    index.close()
