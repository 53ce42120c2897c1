"""Trends: how many articles use each of several terms over time, and what share of each
period's articles that is, in the timeline's bucket sizes (``timeline.py``).

A term is any query (``Karabakh``, ``"Minsk group"``, ``title:fire``), matched as search matches
it; ``within`` narrows every term (and the articles each share is taken of) to a query's results.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from whoosh.searching import Searcher

from reader.core.mark_filter import MarkSource
from reader.core.timeline import bucket_start, choose_unit, matching_dates, next_bucket


@dataclass
class Trend:
    term: str
    counts: list[int]
    undated: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts) + self.undated


@dataclass
class Trends:
    """Counts per bucket for each term; ``articles`` is every article of each bucket."""

    unit: str = "year"
    starts: list[dt.date] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)

    def share(self, trend: Trend, i: int) -> float:
        return trend.counts[i] / self.articles[i] if self.articles[i] else 0.0

    def to_json(self) -> dict[str, object]:
        ends = [next_bucket(s, self.unit) - dt.timedelta(days=1) for s in self.starts]
        return {
            "unit": self.unit,
            "periods": [
                {"start": s.isoformat(), "end": e.isoformat(), "articles": n}
                for s, e, n in zip(self.starts, ends, self.articles, strict=True)
            ],
            "terms": [
                {
                    "term": t.term,
                    "total": t.total,
                    "undated": t.undated,
                    "counts": t.counts,
                    "shares": [round(self.share(t, i), 6) for i in range(len(self.starts))],
                }
                for t in self.trends
            ],
        }


def trends(searcher: Searcher, terms: list[str], within: str = "", marks: MarkSource | None = None) -> Trends:
    """The trend of each term (a user query) over the articles matching ``within`` (all);
    ``marks`` answers is:/label: terms in either, as in search."""
    base = within.strip()
    every = matching_dates(searcher, base, marks)
    per_term = [matching_dates(searcher, f"({base}) ({term})" if base else term, marks) for term in terms]
    dated = [d for d in every if d is not None]
    span = [d for dates in per_term for d in dates if d is not None] or dated
    if not span:
        return Trends(trends=[Trend(t, [], len(dates)) for t, dates in zip(terms, per_term, strict=True)])
    unit = choose_unit(min(span), max(span))
    starts = []
    start = bucket_start(min(span), unit)
    while start <= max(span):
        starts.append(start)
        start = next_bucket(start, unit)
    slot = {s: i for i, s in enumerate(starts)}
    everything = Counter(bucket_start(d, unit) for d in dated)
    out = Trends(unit, starts, [everything.get(s, 0) for s in starts])
    for term, dates in zip(terms, per_term, strict=True):
        counts = [0] * len(starts)
        undated = 0
        for d in dates:
            if d is None:
                undated += 1
                continue
            i = slot.get(bucket_start(d, unit))
            if i is not None:
                counts[i] += 1
        out.trends.append(Trend(term, counts, undated))
    return out
