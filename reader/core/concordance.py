"""Keyword in context: every occurrence of a query's words across the corpus, with the text around it.

An occurrence is a span the reading pane marks for the query (``search.find_marks``: a phrase is
one span), so a concordance row and a marked hit in the article are the same thing. Articles are
read oldest first (undated last) and in chunks, so a caller can stream rows and stop at any time;
the total is capped (``MAX_OCCURRENCES``) and the run says when the cap cut it short.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet, MultiFacet

from reader.core.analysis import fold, tokens
from reader.core.corpus import Article, ArticleError, load_article
from reader.core.expansion import phrase_query
from reader.core.index import CorpusIndex
from reader.core.mark_filter import MarkSource
from reader.core.query import leaf_field, marked_terms, parse, positive_leaves, sequence_words
from reader.core.schema import TEXT_FIELDS
from reader.core.search import find_marks, stemmed_tokens, suggest_query

#: The most occurrences one concordance lists.
MAX_OCCURRENCES = 10_000
#: Characters of context on each side of the match.
DEFAULT_WIDTH = 40
#: Articles read per chunk (between two chunks a caller can deliver rows or stop).
CHUNK_ARTICLES = 40

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: ``start``/``end`` are offsets into the article's ``plain_text``."""

    path: str
    title: str
    date: dt.date | None
    start: int
    end: int
    left: str
    match: str
    right: str

    @cached_property  # (a sort key: computed once per row)
    def left_word(self) -> str:
        """The word just before the match, lower case ("" at the start of the article)."""
        words = _WORD.findall(self.left)
        return words[-1].lower() if words else ""

    @cached_property
    def right_word(self) -> str:
        """The word just after the match, lower case."""
        m = _WORD.search(self.right)
        return m.group().lower() if m else ""

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "start": self.start,
            "end": self.end,
            "left": self.left,
            "match": self.match,
            "right": self.right,
        }


def occurrences_in(
    article: Article,
    terms: dict[str, set[str]],
    width: int = DEFAULT_WIDTH,
    shape: QueryShape | None = None,
    language: str | None = None,
) -> list[Occurrence]:
    """Every occurrence of ``terms`` in ``article``, with ``width`` characters of context.

    With ``shape``, the pane's marked spans are cut into occurrences: a phrase of the query is one
    occurrence, any other matched word one each ("zebra zebras" is two), and a word that the query
    has only inside a phrase is left out where it stands outside that phrase.
    """
    text = article.plain_text
    out = []
    for start, end in _occurrence_spans(text, find_marks(article, terms, language), shape, language):
        left = _flat(text[max(0, start - width * 2) : start])[-width:]
        right = _flat(text[end : end + width * 2])[:width]
        match = _flat(text[start:end])
        out.append(Occurrence(article.path, article.title, article.date, start, end, left, match, right))
    return out


@dataclass(frozen=True)
class QueryShape:
    """Which terms a query wants on their own, and which only as phrases (a phrase: the terms
    each of its positions accepts)."""

    loose: frozenset[str]
    phrases: tuple[tuple[frozenset[str], ...], ...]


def query_shape(q: wq.Query, plain_words: list[str], languages: tuple[str, ...] = ()) -> QueryShape:
    """The shape of a parsed query (negated parts left out, as ``marked_terms`` does)."""
    loose: set[str] = set()
    phrases: set[tuple[frozenset[str], ...]] = set()
    for node in positive_leaves(q):
        if isinstance(node, wq.Term):
            loose.add(str(node.text))
        elif leaf_field(node) in TEXT_FIELDS:
            phrases.add(sequence_words(node))
    if len(plain_words) > 1:
        # An unquoted "Minsk group": where the words stand together, they are one occurrence.
        words = [fold(word) for word, _, _ in tokens(" ".join(plain_words))]
        bonus = phrase_query("body", words, languages)
        if isinstance(bonus, (wq.Phrase, wq.Sequence)):
            phrases.add(sequence_words(bonus))
    return QueryShape(frozenset(loose), tuple(sorted(phrases, key=len, reverse=True)))


def _occurrence_spans(
    text: str, marks: list[tuple[int, int]], shape: QueryShape | None, language: str | None = None
) -> Iterator[tuple[int, int]]:
    if shape is None:
        yield from marks
        return
    for start, end in marks:
        words = [
            (set(terms), start + s, start + e) for terms, s, e in stemmed_tokens(text[start:end], language)
        ]
        i = 0
        while i < len(words):
            phrase = next((p for p in shape.phrases if _phrase_at(words, i, p)), None)
            if phrase is not None:
                yield words[i][1], words[i + len(phrase) - 1][2]
                i += len(phrase)
                continue
            if words[i][0] & shape.loose:
                yield words[i][1], words[i][2]
            i += 1


def _phrase_at(words: list[tuple[set[str], int, int]], i: int, phrase: tuple[frozenset[str], ...]) -> bool:
    """Whether the words from ``i`` on begin with ``phrase`` (each position one of its terms)."""
    if len(words) - i < len(phrase):
        return False
    return all(words[i + k][0] & position for k, position in enumerate(phrase))


def _flat(text: str) -> str:
    """Line breaks and runs of spaces as one space: context reads as one line."""
    return _SPACES.sub(" ", text)


@dataclass
class Concordance:
    """One concordance run over an index; ``chunks()`` yields occurrences as articles are read.

    After the chunks are exhausted, ``total`` is the number of occurrences yielded and ``capped``
    tells whether the cap stopped it before the last matching article.
    """

    query: str
    articles: int = 0  # matching articles
    notes: list[str] = field(default_factory=list)
    terms: dict[str, set[str]] = field(default_factory=dict)
    shape: QueryShape | None = None
    total: int = 0
    capped: bool = False
    limit: int = MAX_OCCURRENCES
    suggestion: str | None = None  # "Did you mean …" when no article matches
    _paths: list[tuple[str, str | None]] = field(default_factory=list, repr=False)  # (path, language)

    def chunks(self, index: CorpusIndex, width: int = DEFAULT_WIDTH) -> Iterator[list[Occurrence]]:
        """Occurrences, a chunk of articles at a time, until the cap."""
        for i in range(0, len(self._paths), CHUNK_ARTICLES):
            batch: list[Occurrence] = []
            for path, language in self._paths[i : i + CHUNK_ARTICLES]:
                try:
                    article = load_article(index.corpus, path)
                except ArticleError:
                    continue  # deleted since the last sync: the next run will not list it
                found = occurrences_in(article, self.terms, width, self.shape, language)
                room = self.limit - self.total
                if len(found) > room:
                    batch.extend(found[:room])
                    self.total += room
                    self.capped = True
                    yield batch
                    return
                batch.extend(found)
                self.total += len(found)
            yield batch
            if self.total >= self.limit and i + CHUNK_ARTICLES < len(self._paths):
                self.capped = True
                return


def start_concordance(
    index: CorpusIndex,
    text: str,
    limit: int = MAX_OCCURRENCES,
    searcher: Searcher | None = None,
    marks: MarkSource | None = None,
) -> Concordance:
    """Find the articles matching ``text`` (oldest first, undated last); read them with ``chunks``.
    ``marks`` answers is:/label: terms."""
    own = searcher is None
    searcher = searcher if searcher is not None else index.ix.searcher()
    try:
        if marks is not None:
            marks.prepare(searcher)
        parsed = parse(text, searcher.reader(), marks=marks)
        run = Concordance(text, notes=list(parsed.notes), limit=limit)
        if parsed.is_empty:
            return run
        run.terms = marked_terms(parsed.query)
        run.shape = query_shape(parsed.query, parsed.plain_words, parsed.languages)
        order = MultiFacet([FieldFacet("dated", reverse=True), FieldFacet("date")])
        results = searcher.search(parsed.query, limit=None, sortedby=order)
        stored = [searcher.stored_fields(docnum) for _, docnum in results.top_n]
        run._paths = [(str(f["path"]), f.get("lang") or None) for f in stored]
        run.articles = len(run._paths)
        if not run.articles:
            catalog = index.catalog()
            try:
                run.suggestion = suggest_query(parsed, searcher, catalog, marks=marks)
            finally:
                catalog.close()
        if not run.terms:
            run.notes.append("The query has no words to show in context (only dates or exclusions).")
        return run
    finally:
        if own:
            searcher.close()


def concordance(
    index: CorpusIndex,
    text: str,
    width: int = DEFAULT_WIDTH,
    limit: int = MAX_OCCURRENCES,
    marks: MarkSource | None = None,
) -> tuple[Concordance, list[Occurrence]]:
    """The whole concordance at once (for the command line); ``marks`` answers is:/label:."""
    run = start_concordance(index, text, limit, marks=marks)
    rows = [occ for chunk in run.chunks(index, width) for occ in chunk]
    return run, rows


def sort_key(column: str) -> Callable[[Occurrence], tuple[object, ...]]:
    """How a concordance sorts by ``column``: "date", "article", "left", "match" or "right"."""
    if column == "date":
        return lambda o: (o.date is None, o.date or dt.date.min, o.path, o.start)
    if column == "article":
        return lambda o: (o.title.casefold(), o.path, o.start)
    if column == "left":
        return lambda o: (o.left_word, o.match.casefold(), o.path, o.start)
    if column == "match":
        return lambda o: (o.match.casefold(), o.right_word, o.path, o.start)
    if column == "right":
        return lambda o: (o.right_word, o.match.casefold(), o.path, o.start)
    raise ValueError(f"unknown concordance sort: {column}")
