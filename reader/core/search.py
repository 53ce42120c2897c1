"""Ranked search over a corpus index: hits with snippets, marks in articles, did-you-mean."""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from whoosh.searching import Searcher

from reader.core.analysis import fold
from reader.core.catalog import Catalog
from reader.core.corpus import ArticleError, load_article
from reader.core.index import CorpusIndex
from reader.core.mark_filter import MarkSource
from reader.core.marking import SNIPPET_CHARS, Span, find_marks, line_fields, snippet, stemmed_tokens
from reader.core.query import ParsedQuery, marked_terms, parse, sanitize
from reader.core.ranked import CACHED_RANKINGS, Ranking, rank
from reader.core.ranking import Matches, Unsupported
from reader.core.spelling import closest

#: Snippets a SearchService keeps (per index generation): a few pages of several queries.
CACHED_SNIPPETS = 2000

if TYPE_CHECKING:  # stories.py reads words with this module's tokens: imported when used
    from reader.core.collapse import Collapsed, StoryMap
    from reader.core.stories import Stories

__all__ = [
    "SNIPPET_CHARS",
    "Hit",
    "SearchResult",
    "SearchService",
    "find_marks",
    "line_fields",
    "snippet",
    "stemmed_tokens",
    "suggest_query",
]


@dataclass(frozen=True)
class Hit:
    path: str
    title: str
    date: dt.date | None
    source: str
    score: float
    snippet: str = ""
    snippet_marks: tuple[Span, ...] = ()
    language: str | None = None  # ISO 639-1, None when not detected
    #: With versions collapsed: the other matching versions of this hit's story, best first.
    versions: tuple[Hit, ...] = ()
    read: bool = False
    labels: tuple[str, ...] = ()

    @classmethod
    def from_fields(
        cls,
        fields: Mapping[str, Any],
        score: float,
        snippet: str = "",
        marks: tuple[Span, ...] = (),
        versions: tuple[Hit, ...] = (),
    ) -> Hit:
        """A hit from the stored fields of an indexed article."""
        date = fields.get("date")
        return cls(
            path=fields["path"],
            title=fields.get("title", ""),
            date=date.date() if isinstance(date, dt.datetime) else None,
            source=fields.get("source", ""),
            score=score,
            snippet=snippet,
            snippet_marks=marks,
            language=fields.get("lang") or None,
            versions=versions,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "language": self.language,
            "read": self.read,
            "labels": list(self.labels),
        }


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    offset: int = 0
    sort: str = "relevance"
    suggestion: str | None = None
    notes: list[str] = field(default_factory=list)
    terms: dict[str, set[str]] = field(default_factory=dict)  # per field, for marking
    #: With versions collapsed: how many stories the ``total`` matching articles make (one hit
    #: per story); None when not collapsed.
    stories: int | None = None
    unread: int | None = None  # of ``total``, with a MarkSource

    def to_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [h.to_json() for h in self.hits],
            "suggestion": self.suggestion,
            "notes": self.notes,
        }


class _Listed(Ranking):
    """The ranking of an is:/label:-only query: documents in order, all scoring alike (pages
    made as asked: no 90,000 pairs for a page of 50)."""

    def __init__(self, docnums: list[int], sort: str) -> None:
        super().__init__(len(docnums), [], ordered=True)
        self._docnums = docnums
        self._score = 0.0 if sort in ("date", "date-asc") else 1.0

    def page(self, offset: int, limit: int) -> list[tuple[float, int]]:
        return [(self._score, d) for d in self._docnums[offset : offset + limit]]

    def ordered(self) -> list[tuple[float, int]]:
        return [(self._score, d) for d in self._docnums]

    def docnums(self) -> Iterator[int]:
        return iter(self._docnums)


class SearchService:
    """Searches one corpus index. Not thread-safe: use one SearchService per thread.

    ``marks`` answers the ``is:``/``label:`` terms and gives hits their read state and labels.
    """

    def __init__(self, index: CorpusIndex, marks: MarkSource | None = None) -> None:
        self.index = index
        self.marks = marks
        self._searcher: Searcher | None = None
        self._catalog: Catalog | None = None
        #: Rankings of recent queries of this searcher, newest last: paging, re-sorting and
        #: search-as-you-type (backspace) reuse them. Cleared when the index changes.
        self._rankings: OrderedDict[tuple[object, ...], Ranking] = OrderedDict()
        #: Snippets of recent hits, by path and query terms: paging back, re-sorting and the
        #: window's rows scrolled into view again reuse them. Cleared with the rankings.
        self._snippets: OrderedDict[tuple[object, ...], tuple[str, tuple[Span, ...]]] = OrderedDict()
        #: Part of every cache key: a filter hook whose answers depend on state outside the index
        #: (annotations, read state) sets this to a function returning that state's generation.
        self.state_generation: Callable[[], object] = lambda: None
        if marks is not None:
            self.state_generation = marks.generation
        self._stories: Stories | None = None
        self._story_map: StoryMap | None = None
        self._last_collapsed: tuple[tuple[str, str, int], Collapsed] | None = None

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._catalog is not None:
            self._catalog.close()
            self._catalog = None
        if self._stories is not None:
            self._stories.close()
            self._stories = None
        self._story_map = None
        self._last_collapsed = None
        if self.marks is not None:
            self.marks.close()

    def catalog(self) -> Catalog:
        """This thread's connection to the catalog (the corpus's words live there)."""
        if self._catalog is None:
            self._catalog = self.index.catalog()
        return self._catalog

    def searcher(self) -> Searcher:
        """A searcher that sees the latest committed documents."""
        if self._searcher is None:
            self._searcher = self.index.ix.searcher()
            self.forget()
        elif not self._searcher.up_to_date():
            self.forget()  # rankings and snippets were of the old documents
            # Open anew rather than refresh(): Whoosh reuses segment readers by segment id, so a
            # refreshed searcher keeps seeing documents deleted from an old segment (and a
            # searcher of an empty index cannot refresh at all).
            self._searcher.close()
            self._searcher = self.index.ix.searcher()
        return self._searcher

    def forget(self) -> None:
        """Drop the remembered rankings and snippets (the next search works from scratch)."""
        self._rankings.clear()
        self._snippets.clear()

    def search(
        self,
        text: str,
        limit: int = 50,
        offset: int = 0,
        sort: str = "relevance",
        snippets: bool | int = True,
        collapse: bool = False,
    ) -> SearchResult:
        """Run a user query; return ``limit`` hits from ``offset`` and the total count. With
        ``collapse``, one hit per story (``offset`` and ``limit`` count stories). ``snippets``:
        every hit's (True), none (False), or the first N hits' (the rows a window shows at
        once; ``with_snippets`` gives the others theirs when they come into view). An empty
        query lists every article, as the window's list does (``every_article``)."""
        if not text.strip():
            return self.every_article(text, limit, offset, sort)
        searcher = self.searcher()
        if self.marks is not None:
            self.marks.prepare(searcher)
        parsed = parse(text, searcher.reader(), self.similar_words, marks=self.marks)
        result = SearchResult(text, 0, [], offset, sort, notes=parsed.notes)
        if parsed.is_empty:
            return result
        result.terms = marked_terms(parsed.query)
        ranking = self._ranking(searcher, parsed, sort)
        result.total = ranking.total
        if self.marks is not None and (parsed.marks or self.marks.ready()):
            # (Not before the path table is read: the first plain search must not wait for it.)
            result.unread = self.marks.count_unread(ranking.docnums())
        others: dict[int, list[tuple[float, int]]] = {}
        if collapse:
            generation = self.marks.generation() if self.marks is not None and parsed.marks else 0
            collapsed = self._collapsed(searcher, (parsed.text, sort, generation), ranking.ordered())
            page, others, result.stories = (
                collapsed.ranking[offset : offset + limit],
                collapsed.others,
                collapsed.stories,
            )
        else:
            page = ranking.page(offset, limit)
        result.hits = [
            Hit.from_fields(
                searcher.stored_fields(d),
                s,
                versions=tuple(Hit.from_fields(searcher.stored_fields(o), t) for t, o in others.get(d, ())),
            )
            for s, d in page
        ]
        count = len(result.hits) if snippets is True else 0 if snippets is False else max(0, snippets)
        if count:
            result.hits[:count] = self.with_snippets(result.hits[:count], result.terms)
        if self.marks is not None:
            result.hits = self.marks.annotate(result.hits)
        if result.total == 0:
            result.suggestion = self.suggest(parsed)
        return result

    def every_article(self, text: str, limit: int, offset: int, sort: str) -> SearchResult:
        """Every article, in the window's order for an empty search: newest first (oldest first
        with ``date-asc``), undated last."""
        rows = self.catalog().articles("date-asc" if sort == "date-asc" else "date")
        note = "No query: every article, " + ("oldest" if sort == "date-asc" else "newest") + " first."
        result = SearchResult(text, len(rows), [], offset, sort, notes=[note])
        result.hits = [
            Hit(r.path, r.title, r.date, r.source, 0.0, language=r.language)
            for r in rows[offset : offset + limit]
        ]
        if self.marks is not None:
            result.hits = self.marks.annotate(result.hits)
        return result

    def _ranking(self, searcher: Searcher, parsed: ParsedQuery, sort: str) -> Ranking:
        """The query's matches in order, from the cache when the same query (and sort) was
        answered since the index last changed."""
        # Only is:/label: terms depend on the annotations: other queries keep their rankings.
        key = (parsed.text, sort, self.state_generation() if parsed.marks else None)
        ranking = self._rankings.get(key)
        if ranking is not None:
            self._rankings.move_to_end(key)
            return ranking
        fast = self.marks.ordered(parsed.query, searcher, sort) if self.marks and parsed.marks else None
        ranking = _Listed(fast, sort) if fast is not None else rank(searcher, parsed, sort)
        self._rankings[key] = ranking
        while len(self._rankings) > CACHED_RANKINGS:
            self._rankings.popitem(last=False)
        return ranking

    def _collapsed(
        self, searcher: Searcher, key: tuple[str, str, int], ranking: list[tuple[float, int]]
    ) -> Collapsed:
        """``ranking`` with one entry per story; kept for the next pages of the query."""
        from reader.core.collapse import StoryMap, collapse
        from reader.core.stories import Stories

        if self._stories is None:
            self._stories = Stories(self.index.dir, readonly=self.index.read_only is not None)
        stories = self._stories
        if (
            self._story_map is None
            or self._story_map.searcher is not searcher
            or self._story_map.version != stories.version()
        ):
            self._story_map = StoryMap(searcher, stories)
            self._last_collapsed = None
        if self._last_collapsed is not None and self._last_collapsed[0] == key:
            return self._last_collapsed[1]
        collapsed = collapse(ranking, self._story_map)
        self._last_collapsed = (key, collapsed)
        return collapsed

    def with_snippets(self, hits: Sequence[Hit], terms: Mapping[str, set[str]]) -> list[Hit]:
        """``hits`` with their snippets for the query ``terms`` (``SearchResult.terms``)."""
        self.searcher()  # (a changed index drops the snippets of its old documents)
        key = terms_key(terms)
        return [self._with_snippet(h, terms, key) for h in hits]

    def _with_snippet(self, hit: Hit, terms: Mapping[str, set[str]], key: object) -> Hit:
        cache_key = (hit.path, hit.language, key)
        found = self._snippets.get(cache_key)
        if found is None:
            try:
                article = load_article(self.index.corpus, hit.path)
            except ArticleError:
                return hit
            text, marks = snippet(article, terms, language=hit.language)
            found = self._snippets[cache_key] = (text, tuple(marks))
            while len(self._snippets) > CACHED_SNIPPETS:
                self._snippets.popitem(last=False)
        else:
            self._snippets.move_to_end(cache_key)
        return replace(hit, snippet=found[0], snippet_marks=found[1])

    def suggest(self, parsed: ParsedQuery) -> str | None:
        """'Did you mean …' for a query without hits (see ``suggest_query``)."""
        return suggest_query(parsed, self.searcher(), self.catalog(), self.similar_words, self.marks)

    def similar_words(self, word: str, maxdist: int) -> list[str]:
        """Corpus words (folded) within ``maxdist`` edits of ``word`` (sharing its first letter)."""
        word = fold(word)
        near = closest(word, self.catalog().words_near(word, maxdist=maxdist, prefix=1), maxdist)
        return [word, *(w for _, _, w in near)]


def terms_key(terms: Mapping[str, set[str]]) -> object:
    """A hashable key of a query's marked terms (its fields' terms and phrases)."""
    phrases: Mapping[str, list[tuple[frozenset[str], ...]]] = getattr(terms, "phrases", {})
    phrase_only: Mapping[str, set[str]] = getattr(terms, "phrase_only", {})
    return (
        frozenset((f, frozenset(v)) for f, v in terms.items()),
        frozenset((f, tuple(p)) for f, p in phrases.items()),
        frozenset((f, frozenset(v)) for f, v in phrase_only.items()),
    )


def suggest_query(
    parsed: ParsedQuery,
    searcher: Searcher,
    catalog: Catalog,
    similar_words: Callable[[str, int], list[str]] | None = None,
    marks: MarkSource | None = None,
) -> str | None:
    """'Did you mean …': the query with unknown words replaced by close corpus words, when that
    query has hits (``marks`` answers its is:/label: terms, prepared for ``searcher``). One
    function for every command that can come up empty (search, concordance)."""
    cleaned, _ = sanitize(parsed.text)
    changed = False
    corrected = cleaned
    for m in reversed(list(re.finditer(r"(?<![\w:*~-])([^\W\d_]{3,30})(?![\w*~:])", cleaned))):
        word = m[1]
        folded = fold(word)
        if word in {"AND", "OR", "NOT", "TO"} or catalog.word_count(folded):
            continue
        ranked = closest(folded, catalog.words_near(folded, maxdist=2, prefix=1))
        if ranked:
            best = catalog.written_form(ranked[0][2])  # "Gdańsk", not "gdansk"
            replacement = best.capitalize() if word[0].isupper() else best
            corrected = corrected[: m.start(1)] + replacement + corrected[m.end(1) :]
            changed = True
    if not changed:
        return None
    check = parse(corrected, searcher.reader(), similar_words, marks=marks)
    if check.is_empty or not _matches_any(searcher, check.query):
        return None
    return corrected


def _matches_any(searcher: Searcher, q: Any) -> bool:
    """Whether any article matches ``q`` (by sets, as rankings count; Whoosh's own search for
    a query shape those do not know)."""
    try:
        return Matches(searcher, q).total > 0
    except Unsupported:
        return bool(searcher.search(q, limit=1))
