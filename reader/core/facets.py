"""Facets of search results: how many matching articles come from each source, each year and
each language, and carry each label.

Counted over every matching article (stored source lines and languages, the sortable ``date``
column; no article file is opened). A facet the user picks travels in the query text, as
``source:"…"``, ``date:YYYY``, ``lang:ru`` or ``label:NAME``, so the search bar always says
what the list shows; the counts of a facet are taken without its own clause, so another value
can be picked in its place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.core.timeline import matching_dates, stoppable

if TYPE_CHECKING:  # the window parses facets before the index's modules are loaded
    from whoosh.searching import Searcher

    from reader.core.mark_filter import MarkSource

#: At most this many sources are listed (the most frequent); the rest are counted as others.
MAX_SOURCES = 40
SOURCE_CLAUSE = re.compile(r'\s*\bsource:"[^"]*"', re.I)
YEAR_CLAUSE = re.compile(r"\s*\bdate:(\d{4})(?![\d-])", re.I)
LANGUAGE_CLAUSE = re.compile(r"\s*\blang:([a-z]{2,3})\b", re.I)
_CLAUSES = {"source": SOURCE_CLAUSE, "year": YEAR_CLAUSE, "language": LANGUAGE_CLAUSE}


@dataclass
class Facets:
    """Counts per source (most frequent first) and per year (newest first)."""

    sources: list[tuple[str, int]] = field(default_factory=list)
    other_sources: int = 0  # articles from sources beyond MAX_SOURCES
    no_source: int = 0
    years: list[tuple[int, int]] = field(default_factory=list)
    undated: int = 0
    languages: list[tuple[str, int]] = field(default_factory=list)  # ISO 639-1, most frequent first
    no_language: int = 0  # articles whose language was not detected
    labels: list[tuple[str, int]] = field(default_factory=list)  # by name, with a MarkSource


def facet_counts(
    searcher: Searcher,
    text: str,
    max_sources: int = MAX_SOURCES,
    marks: MarkSource | None = None,
    stop: Callable[[], bool] | None = None,
) -> Facets:
    """The source and year counts of the articles matching the user query ``text``; with
    ``marks``, the label counts too (and is:/label: terms are answered). ``stop`` is asked
    every ``timeline.STOP_STEP`` articles; when it says so, CountStopped is raised (a search typed
    meanwhile should not wait for the counts of the one before: at 100,000 articles they take
    seconds)."""
    from reader.core.query import matching_docnums

    matches: dict[str, list[int]] = {}

    def matching(facet: str) -> list[int]:
        # Without a clause of its own, each facet counts the same articles: found once.
        base = without_facet(text, facet)
        if base not in matches:
            matches[base] = matching_docnums(searcher, base, marks=marks)
        return matches[base]

    facets = Facets()
    if marks is not None:
        marks.prepare(searcher)
        labelled = set(matching("label"))
        for name in marks.label_names():
            n = sum(1 for d in marks.docnums("label", name) if d in labelled)
            facets.labels.append((name, n))
    sources: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    by_source, by_language = matching("source"), matching("language")
    both = by_source is by_language  # one read of each article's stored fields for both
    for docnum in stoppable(by_source, stop):
        stored = searcher.stored_fields(docnum)
        source = " ".join(str(stored.get("source", "")).split())
        if source:
            sources[source] += 1
        else:
            facets.no_source += 1
        if both:
            _count_language(facets, languages, stored.get("lang"))
    if not both:
        for docnum in stoppable(by_language, stop):
            _count_language(facets, languages, searcher.stored_fields(docnum).get("lang"))
    facets.sources = sorted(sources.items(), key=lambda kv: (-kv[1], kv[0].lower()))[:max_sources]
    facets.other_sources = sum(sources.values()) - sum(n for _, n in facets.sources)
    facets.languages = sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))

    years: Counter[int] = Counter()
    for date in matching_dates(searcher, without_facet(text, "year"), marks, stop):
        if date is not None:
            years[date.year] += 1
        else:
            facets.undated += 1
    facets.years = sorted(years.items(), reverse=True)
    return facets


def _count_language(facets: Facets, languages: Counter[str], language: object) -> None:
    if language:
        languages[str(language)] += 1
    else:
        facets.no_language += 1


def facets_of(pairs: Iterable[tuple[str, dt.date | None]], max_sources: int = MAX_SOURCES) -> Facets:
    """The counts of a given list of articles (``(source, date)`` each): what a list that is not
    a query's (More Like This) shows."""
    facets = Facets()
    sources: Counter[str] = Counter()
    years: Counter[int] = Counter()
    for source, date in pairs:
        source = " ".join(source.split())
        if source:
            sources[source] += 1
        else:
            facets.no_source += 1
        if date is not None:
            years[date.year] += 1
        else:
            facets.undated += 1
    facets.sources = sorted(sources.items(), key=lambda kv: (-kv[1], kv[0].lower()))[:max_sources]
    facets.other_sources = sum(sources.values()) - sum(n for _, n in facets.sources)
    facets.years = sorted(years.items(), reverse=True)
    return facets


def source_value(source: str) -> str:
    """A source as its query clause holds it (no quotes: the clause is a quoted phrase)."""
    return " ".join(source.replace('"', " ").split())


def _label_clauses(text: str) -> list[re.Match[str]]:
    if "label:" not in text.lower():
        return []  # the window's first look, before the query parser is loaded
    from reader.core.query import MARK_TERM

    return [m for m in MARK_TERM.finditer(text) if m[1].lower() == "label"]


def facet_in(text: str, facet: str) -> str | None:
    """The value of ``facet`` ("source", "year", "language" or "label") picked in the query ``text``."""
    if facet == "label":
        found = _label_clauses(text)
        return (found[0][2] if found[0][2] is not None else found[0][3]) if found else None
    if facet == "source":
        m = SOURCE_CLAUSE.search(text)
        return m[0].strip()[len('source:"') : -1] if m else None
    m = _CLAUSES[facet].search(text)
    return m[1].lower() if m else None


def without_facet(text: str, facet: str) -> str:
    if facet == "label":
        for m in reversed(_label_clauses(text)):
            text = text[: m.start()] + text[m.end() :]
        return " ".join(text.split())
    return _CLAUSES[facet].sub("", text).strip()


def with_facet(text: str, facet: str, value: str) -> str:
    """``text`` with its ``facet`` clause replaced by (or extended with) ``value``."""
    base = without_facet(text, facet)
    if facet == "label":
        bare = value and not any(ch.isspace() or ch in '()"' for ch in value)
        clause = f"label:{value}" if bare else f'label:"{value}"'
    elif facet == "source":
        clause = f'source:"{source_value(value)}"'
    elif facet == "language":
        clause = f"lang:{value.lower()}"
    else:
        clause = f"date:{int(value):04d}"
    return f"{base} {clause}" if base else clause
