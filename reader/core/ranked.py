"""The ranked matches of one query: an exact total at once, pages sorted only as far as asked.

Relevance order comes from ``ranking`` (sets and dicts, exact Whoosh scores); a date order, and
any query shape ``ranking`` does not know, from Whoosh's own unlimited search.
"""

from __future__ import annotations

from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet, MultiFacet

from reader.core.query import ParsedQuery, with_phrase_bonus
from reader.core.ranking import Matches, Unsupported, best

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

    def ordered(self) -> Scored:
        """Every match, best first (sorting all of them)."""
        if not self._complete:
            self._ordered = best(self._scored, len(self._scored))
            self._complete = True
        return self._ordered


def rank(searcher: Searcher, parsed: ParsedQuery, sort: str) -> Ranking:
    """Rank every match of ``parsed`` by relevance (phrase first) or by date."""
    if sort == "relevance":
        try:
            matches = Matches(searcher, parsed.query)
            return Ranking(matches.total, matches.scored(with_phrase_bonus(parsed)), ordered=False)
        except Unsupported:
            pass
    return whoosh_ranking(searcher, parsed, sort)


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
