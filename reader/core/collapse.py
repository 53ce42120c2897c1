"""Search results with each story once: the best-ranked version stands for its story and the
story's other matching versions travel with it (see ``stories.py``).

A ranking is a list of ``(score, docnum)``; a docnum's story is found through its stored path
(about 20 µs each) and kept for the life of the searcher, so a session's later searches pay
only for articles not seen before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whoosh.searching import Searcher

from reader.core.stories import Stories


@dataclass
class Collapsed:
    """A ranking with one entry per story."""

    ranking: list[tuple[float, int]]  # the best version of each story, in rank order
    others: dict[int, list[tuple[float, int]]]  # its docnum -> the story's other matching versions
    articles: int  # matching articles in all

    @property
    def stories(self) -> int:
        return len(self.ranking)


class StoryMap:
    """The story of each document of one searcher, looked up as needed."""

    def __init__(self, searcher: Searcher, stories: Stories) -> None:
        self.searcher = searcher
        self.stories = stories
        self._story: dict[int, int] = {}
        self.version = stories.version()

    def story_of(self, docnums: Sequence[int]) -> list[int]:
        """A story key per docnum (an article not yet in a story is one of its own: ``-1 - d``)."""
        missing = [d for d in docnums if d not in self._story]
        if missing:
            reader = self.searcher.reader()
            paths = {d: reader.stored_fields(d)["path"] for d in missing}
            of = self.stories.of(paths.values())
            for d, path in paths.items():
                found = of.get(path)
                self._story[d] = found[0] if found is not None else -1 - d
        return [self._story[d] for d in docnums]


def collapse(ranking: list[tuple[float, int]], stories: StoryMap) -> Collapsed:
    """One entry per story, at the rank of its best version."""
    keys = stories.story_of([d for _, d in ranking])
    best: dict[int, int] = {}
    out = Collapsed([], {}, len(ranking))
    for (score, docnum), key in zip(ranking, keys, strict=True):
        first = best.get(key)
        if first is None:
            best[key] = docnum
            out.ranking.append((score, docnum))
        else:
            out.others.setdefault(first, []).append((score, docnum))
    return out
