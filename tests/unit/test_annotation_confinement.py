"""An imported annotation file never makes the app read outside the corpus folder (issue 12, 17)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.core.annotation_io import from_w3c, to_markdown, to_w3c
from reader.core.corpus import OUTSIDE, ArticleError, corpus_file, load_article, walk_corpus
from tests.helpers import write_article

SECRET = "TOP SECRET launch codes 0000 nobody may read this"
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """corpus/ (with seed/a.txt) beside secret.txt and x, both full of SECRET."""
    corpus = tmp_path / "corpus"
    write_article(corpus, "seed/a.txt", "Talks resume", "2020-07-30", "The envoys met in Vienna today.")
    for name in ("secret.txt", "x"):
        (tmp_path / name).write_text(f"{SECRET}\n\n{SECRET}\n", encoding="utf-8")
    return corpus


def hostile(source: str, exact: str = "launch codes") -> dict[str, object]:
    return {
        "id": f"urn:uuid:{abs(hash(source))}",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "mine"},
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": exact, "prefix": "p ", "suffix": " s"},
                {"type": "TextPositionSelector", "start": 4, "end": 16},
            ],
        },
    }


def sources(layout: Path) -> list[str]:
    out = ["../secret.txt", str(layout.parent / "secret.txt"), "seed/../../x", "seed/../../secret.txt"]
    if hasattr(os, "symlink") and os.name != "nt":
        (layout / "link.txt").symlink_to(layout.parent / "secret.txt")
        (layout / "seed" / "up").symlink_to(layout.parent)
        out += ["link.txt", "seed/up/secret.txt"]
    return out


def test_corpus_file_confines_every_kind_of_escape(layout: Path) -> None:
    for source in sources(layout):
        with pytest.raises(ArticleError, match=OUTSIDE):
            corpus_file(layout, source)
        with pytest.raises(ArticleError):
            load_article(layout, source)
    assert corpus_file(layout, "seed/a.txt") == (layout / "seed" / "a.txt").resolve()


def test_import_never_reads_outside_and_keeps_the_files_own_quote(layout: Path) -> None:
    opened: list[str] = []

    def text_for(path: str) -> str | None:
        opened.append(path)
        try:
            return load_article(layout, path).plain_text
        except ArticleError:
            return None

    names = sources(layout)
    notes: list[str] = []
    items = from_w3c([hostile(s) for s in names], str(layout), text_for, notes)
    assert opened == []  # nothing outside was even asked for
    assert [a.state for a in items] == ["orphaned"] * len(names)
    assert all((a.exact, a.prefix, a.suffix, a.note) == ("launch codes", "p ", " s", "mine") for a in items)
    assert len(notes) == len(names) and all("outside the corpus folder" in n and "\n" not in n for n in notes)
    exported = json.dumps(to_w3c(items, str(layout))) + to_markdown(items)
    assert "TOP SECRET" not in exported and "nobody may read" not in exported


def test_an_inside_source_still_anchors(layout: Path) -> None:
    item = hostile("./seed/a.txt", exact="met in Vienna")
    (a,) = from_w3c([item], str(layout), lambda p: load_article(layout, p).plain_text)
    assert a.state == "anchored" and a.path == "seed/a.txt"


@needs_symlinks
def test_the_walk_does_not_index_a_link_out_of_the_folder(layout: Path) -> None:
    (layout / "link.txt").symlink_to(layout.parent / "secret.txt")
    (layout / "inner.txt").symlink_to(layout / "seed" / "a.txt")  # a link inside is fine
    found = list(walk_corpus(layout))
    paths = {f.path for f in found if not isinstance(f, tuple)}
    problems = dict(f for f in found if isinstance(f, tuple))
    assert paths == {"seed/a.txt", "inner.txt"}
    assert "outside the corpus folder" in problems["link.txt"]
