"""The corpus's own words, unstemmed: for "did you mean" and fuzzy (``word~``) search.

The words live in the catalog (``catalog.py``, table ``words``), counted by how many articles use
them. Counts only grow: a word whose articles were all deleted stays listed, which is harmless
because a suggestion is offered only when the corrected query has hits. Keeping the vocabulary
out of Whoosh (whose ``spelling=True`` adds an unstemmed copy of every text field) halves the
index and speeds up indexing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from reader.core.analysis import letter_words


def words_of(texts: Iterable[str]) -> set[str]:
    """The distinct lower-case words of an article's texts worth suggesting: letters only (no
    digits), at least three of them, in any script, as written (the catalog folds them too)."""
    out: set[str] = set()
    for text in texts:
        out.update(letter_words(text))
    return out


class Vocabulary:
    """Collects word counts during a sync batch (see ``Catalog.add_words``)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, words: Iterable[str]) -> None:
        self.counts.update(words)

    def take(self) -> Counter[str]:
        counts, self.counts = self.counts, Counter()
        return counts


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance with transpositions counted as one edit.

    With ``limit``, stops early and returns ``limit + 1`` once the distance must exceed it.
    """
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _may_be_within(letters: Counter[str], candidate: str, maxdist: int) -> bool:
    """False when ``candidate`` is surely more than ``maxdist`` edits from the word whose
    letters are counted in ``letters``: an edit adds or removes at most one letter on each side
    (a transposition none), so the letters either word has more of bound the distance below."""
    other = Counter(candidate)
    # (What ``sum((letters - other).values())`` and the reverse give, without building Counters:
    # that was most of a did-you-mean's time.)
    get = other.get
    if sum(n - get(ch, 0) for ch, n in letters.items() if n > get(ch, 0)) > maxdist:
        return False
    mine = letters.get
    return sum(n - mine(ch, 0) for ch, n in other.items() if n > mine(ch, 0)) <= maxdist


def closest(word: str, candidates: Iterable[tuple[str, int]], maxdist: int = 2) -> list[tuple[int, int, str]]:
    """``(distance, -articles, word)`` for each candidate within ``maxdist``, best first."""
    ranked = []
    letters = Counter(word)
    for candidate, df in candidates:
        if candidate == word:
            continue
        if not _may_be_within(letters, candidate, maxdist):
            continue
        d = edit_distance(word, candidate, maxdist)
        if d <= maxdist:
            ranked.append((d, -df, candidate))
    ranked.sort()
    return ranked
