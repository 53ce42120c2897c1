"""A timeline of search results: how many matching articles fall in each day, week, month or year.

The counts come from the dates of every matching article (the index's sortable ``date`` column,
read for each matching document: no article file is opened). The chart spans the current
results, from the first date to the last (at least ``MIN_SPAN_DAYS``, so one result is one bar
among a week of days, not a bar the chart's width), and the bucket size follows that span, so
the chart has a readable number of bars: a short date range is shown by day or by week. The date
range a user picks on the chart travels in the query text as ``date:[YYYY-MM-DD to YYYY-MM-DD]``
(see ``with_date_range``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the window reads date ranges before the index's modules are loaded
    from whoosh.searching import Searcher

    from reader.core.mark_filter import MarkSource

#: The bucket sizes, smallest first, and the longest span (in days) each is used for.
UNITS = (("day", 62), ("week", 7 * 80), ("month", 366 * 12))
#: The shortest span a chart shows (days): a single date is one bar of a week, not a lone bar.
MIN_SPAN_DAYS = 7
#: Counts over many articles ask their ``stop`` every this many articles.
STOP_STEP = 2000
DATE_RANGE = re.compile(r"\s*\bdate:\[\s*(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})\s*\]", re.I)


T = TypeVar("T")


class CountStopped(Exception):
    """A count over the matching articles was stopped by its caller (a newer one was asked)."""


def stoppable(items: Iterable[T], stop: Callable[[], bool] | None) -> Iterator[T]:
    """``items``, asking ``stop`` (if any) before every ``STOP_STEP``-th: CountStopped when it
    says so."""
    for i, item in enumerate(items):
        if stop is not None and i % STOP_STEP == 0 and stop():
            raise CountStopped
        yield item


@dataclass(frozen=True)
class Bucket:
    start: dt.date
    end: dt.date  # the last day in the bucket
    count: int

    def label(self, unit: str) -> str:
        if unit == "year":
            return str(self.start.year)
        if unit == "month":
            return self.start.strftime("%b %Y")
        if unit == "week":
            return f"week of {self.start.isoformat()}"
        return self.start.isoformat()


@dataclass
class Timeline:
    """Counts per bucket, every bucket from the first date to the last (empty ones included)."""

    unit: str = "day"
    buckets: list[Bucket] = field(default_factory=list)
    undated: int = 0

    @property
    def dated(self) -> int:
        return sum(b.count for b in self.buckets)

    @property
    def total(self) -> int:
        return self.dated + self.undated


def choose_unit(first: dt.date, last: dt.date) -> str:
    """The bucket size for dates from ``first`` to ``last``."""
    span = (last - first).days
    for unit, longest in UNITS:
        if span <= longest:
            return unit
    return "year"


def bucket_start(day: dt.date, unit: str) -> dt.date:
    if unit == "year":
        return dt.date(day.year, 1, 1)
    if unit == "month":
        return day.replace(day=1)
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())  # Monday
    return day


def next_bucket(start: dt.date, unit: str) -> dt.date:
    if unit == "year":
        return dt.date(start.year + 1, 1, 1)
    if unit == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + dt.timedelta(days=7 if unit == "week" else 1)


def build_timeline(
    dates: Iterable[dt.date | None], within: tuple[dt.date, dt.date] | None = None
) -> Timeline:
    """Bucket ``dates`` (None: undated, counted apart) over their span, widened to
    ``MIN_SPAN_DAYS`` (inside ``within``, the query's date range, where it allows)."""
    counts: Counter[dt.date] = Counter()
    undated = 0
    for day in dates:
        if day is None:
            undated += 1
        else:
            counts[day] += 1
    if not counts:
        return Timeline(undated=undated)
    first, last_day = _span(min(counts), max(counts), within)
    unit = choose_unit(first, last_day)
    per_bucket: Counter[dt.date] = Counter()
    for day, n in counts.items():
        per_bucket[bucket_start(day, unit)] += n
    buckets = []
    start = bucket_start(first, unit)
    last = bucket_start(last_day, unit)
    while start <= last:
        following = next_bucket(start, unit)
        buckets.append(Bucket(start, following - dt.timedelta(days=1), per_bucket.get(start, 0)))
        start = following
    return Timeline(unit, buckets, undated)


def _span(first: dt.date, last: dt.date, within: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date]:
    """``first``–``last`` widened to at least MIN_SPAN_DAYS, evenly on both sides, kept inside
    ``within`` when it is long enough."""
    missing = MIN_SPAN_DAYS - 1 - (last - first).days
    if missing <= 0:
        return first, last
    lo = first - dt.timedelta(days=missing // 2)
    hi = last + dt.timedelta(days=missing - missing // 2)
    if within is not None and (within[1] - within[0]).days >= MIN_SPAN_DAYS - 1:
        if lo < within[0]:
            lo, hi = within[0], hi + (within[0] - lo)
        if hi > within[1]:
            lo, hi = lo - (hi - within[1]), within[1]
    return lo, hi


def matching_dates(
    searcher: Searcher, text: str, marks: MarkSource | None = None, stop: Callable[[], bool] | None = None
) -> list[dt.date | None]:
    """The date of every article matching the user query ``text`` (every article when empty).
    ``stop`` is asked every ``STOP_STEP`` articles; when it says so, CountStopped is raised."""
    from reader.core.query import matching_docnums

    reader = searcher.reader()
    if not reader.has_column("date"):
        return []
    dates = reader.column_reader("date", translate=True)
    dated = reader.column_reader("dated", translate=True)
    out: list[dt.date | None] = []
    for docnum in stoppable(matching_docnums(searcher, text, marks=marks), stop):
        # Undated articles hold no date (their column default is no date Whoosh can translate).
        value = dates[docnum] if dated[docnum] else None
        out.append(value.date() if isinstance(value, dt.datetime) else None)
    return out


def timeline_for(
    searcher: Searcher, text: str, marks: MarkSource | None = None, stop: Callable[[], bool] | None = None
) -> Timeline:
    """The timeline of the articles matching ``text``: its date range included, so the chart
    spans what the list shows (picking a range on it zooms in). ``marks`` answers is:/label:;
    ``stop`` as for ``matching_dates``."""
    return build_timeline(matching_dates(searcher, text, marks, stop), date_range_in(text))


def date_range_in(text: str) -> tuple[dt.date, dt.date] | None:
    """The ``date:[… to …]`` range of a query, if it has one."""
    m = DATE_RANGE.search(text)
    if m is None:
        return None
    try:
        return dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
    except ValueError:
        return None


def without_date_range(text: str) -> str:
    return DATE_RANGE.sub("", text).strip()


def with_date_range(text: str, start: dt.date, end: dt.date) -> str:
    """``text`` with its date range replaced by (or, without one, extended with) ``start``–``end``."""
    if end < start:
        start, end = end, start
    clause = f"date:[{start.isoformat()} to {end.isoformat()}]"
    base = without_date_range(text)
    return f"{base} {clause}" if base else clause
