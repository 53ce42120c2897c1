"""The ranked matches of one query: an exact total at once, pages sorted only as far as asked.

Relevance order comes from ``ranking`` (sets and dicts, exact Whoosh scores); a date order, and
any query shape ``ranking`` does not know, from Whoosh's own unlimited search.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet, MultiFacet

from reader.core.query import ParsedQuery, with_phrase_bonus
from reader.core.ranking import Matches, Unsupported, best, by_rank

#: Rankings a SearchService keeps (per searcher, so per index generation).
CACHED_RANKINGS = 32
#: The first page sorted out of a relevance ranking is at least this long, so that the next
#: few pages come from the same sort.
FIRST_SORT = 200

Scored = list[tuple[float, int]]


class Ranking:
    """Every match of a query: ``total`` and pages of ``(score, docnum)``, best first."""

    def __init__(self, total: int, scored: Scored, ordered: bool) -> None:
        self.total = total
        self._scored = scored
        self._ordered: Scored = scored if ordered else []
        self._complete = ordered

    def page(self, offset: int, limit: int) -> Scored:
        need = offset + limit
        if not self._complete and len(self._ordered) < need:
            k = max(need, 2 * len(self._ordered), FIRST_SORT)
            self._ordered = best(self._scored, k)
            self._complete = k >= len(self._scored)
        return self._ordered[offset:need]

    def docnums(self) -> Iterator[int]:
        """Every match's document number, in no particular order."""
        return (d for _, d in self._scored)

    def ordered(self) -> Scored:
        """Every match, best first (sorting all of them)."""
        if not self._complete:
            self._ordered = best(self._scored, len(self._scored))
            self._complete = True
        return self._ordered


class PhraseFirst(Ranking):
    """The ranking of a plain multi-word query: articles holding the words as a phrase first
    (their score plus the bonus, as Whoosh adds it), then the others by score.

    The phrase is checked in order of score, a chunk at a time, only as far as the pages asked
    for need: once enough phrase articles are found, no unchecked article can reach the page.
    Valid when the scores spread less than the bonus (every phrase article then outranks every
    other one); ``rank`` checks that first.
    """

    def __init__(self, matches: Matches, base: Scored, phrase: wq.Query, bonus: float) -> None:
        super().__init__(matches.total, [], ordered=False)
        self._matches = matches
        self._phrase = phrase
        self._bonus = bonus
        self._by_base = sorted(base, key=by_rank)
        self._checked = 0
        self._with_phrase: Scored = []
        self._without: Scored = []

    def page(self, offset: int, limit: int) -> Scored:
        need = offset + limit
        while not self._complete and not self._enough(need):
            self._check(max(2 * need, 2 * self._checked, FIRST_SORT))
        return self._ordered[offset:need]

    def ordered(self) -> Scored:
        while not self._complete:
            self._check(len(self._by_base))
        return self._ordered

    def docnums(self) -> Iterator[int]:
        """Every match's document number (the unread count of a search walks them)."""
        return (d for _, d in self._by_base)

    def _enough(self, need: int) -> bool:
        if len(self._with_phrase) < need:
            return False
        # The need-th phrase article beats every unchecked one, even with the bonus.
        kth = self._ordered[need - 1][0]
        return self._by_base[self._checked][0] + self._bonus < kth

    def _check(self, count: int) -> None:
        chunk = self._by_base[self._checked : self._checked + count]
        found = self._matches.holding(self._phrase, [d for _, d in chunk])
        for s, d in chunk:
            if d in found:
                self._with_phrase.append((s + self._bonus, d))
            else:
                self._without.append((s, d))
        self._checked += len(chunk)
        self._with_phrase.sort(key=by_rank)
        self._complete = self._checked >= len(self._by_base)
        self._ordered = self._with_phrase + self._without if self._complete else self._with_phrase


def rank(searcher: Searcher, parsed: ParsedQuery, sort: str) -> Ranking:
    """Rank every match of ``parsed`` by relevance (phrase first) or by date."""
    if sort == "relevance":
        try:
            matches = Matches(searcher, parsed.query)
            bonused = with_phrase_bonus(parsed)
            bonus = _phrase_bonus(bonused)
            if bonus is None:
                return Ranking(matches.total, matches.scored(bonused), ordered=False)
            base = matches.scored(parsed.query)
            scores = [s for s, _ in base]
            if not base or max(scores) - min(scores) < bonus[1]:
                return PhraseFirst(matches, base, *bonus)
            return Ranking(matches.total, matches.scored(bonused), ordered=False)
        except Unsupported:
            pass
    return whoosh_ranking(searcher, parsed, sort)


def _phrase_bonus(q: wq.Query) -> tuple[wq.Query, float] | None:
    """The phrase part of ``with_phrase_bonus``'s query and its bonus, if it has one."""
    if isinstance(q, wq.AndMaybe) and isinstance(q.b, wq.ConstantScoreQuery):
        return q.b.child, float(q.b.score)
    return None


def whoosh_ranking(searcher: Searcher, parsed: ParsedQuery, sort: str) -> Ranking:
    """Whoosh's own unlimited pass: every match scored (or keyed by date) in one walk.

    Unlimited on purpose: with a limit, Whoosh skips blocks that cannot reach the top hits and
    then counts only what it visited (657 matches were once reported as 374).
    """
    kwargs: dict[str, object] = {"limit": None}
    if sort in ("date", "date-asc"):
        kwargs["sortedby"] = MultiFacet(
            [FieldFacet("dated", reverse=True), FieldFacet("date", reverse=sort == "date")]
        )
    results = searcher.search(with_phrase_bonus(parsed), **kwargs)
    # Sorted by date, Whoosh gives the sort key instead of a relevance score.
    scored = [(float(s) if isinstance(s, (int, float)) else 0.0, d) for s, d in results.top_n]
    return Ranking(len(scored), scored, ordered=True)
