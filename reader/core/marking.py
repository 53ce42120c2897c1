"""Marking a query's words in an article, and the snippet of a hit: a window of its body around
the densest cluster of marks.

A line is looked at word by word only when it can hold a mark: its distinct words (found by
one regular-expression pass) are checked against the query's terms first, through the cache
of each word's index terms, and a line where none matches is passed over. Lines with a match
are marked as the index analyzes them; a phrase is checked word by word only in lines that
hold one of its words. The spans are the same as analysing every word of the article gives
(``tests/unit/test_snippets.py`` compares the two).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping

from reader.core.analysis import index_terms, simple_tokens, token_spans, token_terms, word_list
from reader.core.corpus import Article

SNIPPET_CHARS = 220
Span = tuple[int, int]


def stemmed_tokens(text: str, language: str | None = None) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """``(terms, start, end)`` for each word of ``text``, as the index analyzes it for an article
    of ``language`` (offsets into ``text`` as written)."""
    return token_terms(text, language)


def line_fields(article: Article) -> list[str]:
    """Which index field each line of ``article.plain_text`` belongs to."""
    fields = ["title"]
    if article.date_line:
        fields.append("date")
    fields.extend("body" for _ in article.blocks)
    fields.extend("source" for _ in range(len(article.lines) - len(fields)))
    return fields


def find_marks(article: Article, terms: Mapping[str, set[str]], language: str | None = None) -> list[Span]:
    """Spans of ``article.plain_text`` (in ``language``) that match the query terms: every word
    whose index terms (folded, stemmed) are among them, marked as written.

    A word that the query has only inside a phrase (``MarkedTerms.phrase_only``) is marked only
    where the whole phrase stands. Adjacent matched words (a phrase such as "Minsk group") merge
    into one span.
    """
    return _marks(article, terms, language, only=None)


def body_marks(article: Article, terms: Mapping[str, set[str]], language: str | None = None) -> list[Span]:
    """``find_marks`` of the body lines alone (what a snippet shows)."""
    return _marks(article, terms, language, only="body")


def _marks(
    article: Article, terms: Mapping[str, set[str]], language: str | None, only: str | None
) -> list[Span]:
    phrases: Mapping[str, list[tuple[frozenset[str], ...]]] = getattr(terms, "phrases", {})
    phrase_only: Mapping[str, set[str]] = getattr(terms, "phrase_only", {})
    if only == "body":
        wanted = terms.get("body")
        if not wanted:
            return []
        body = article.body
        if not phrase_only.get("body") and simple_tokens(body):
            # The body at once: no token reaches over a line break, so its tokens are its
            # lines' tokens, and spans never merge over one.
            body_start = sum(len(line) + 1 for line in article.lines[: 1 + bool(article.date_line)])
            return [
                (body_start + a, body_start + b)
                for a, b in _merged(body, _plain_spans(body, language, wanted))
            ]
    spans: list[Span] = []
    offset = 0
    for line, fieldname in zip(article.lines, line_fields(article), strict=True):
        wanted = terms.get(fieldname) if only is None or fieldname == only else None
        if wanted:
            found = _line_spans(
                line, language, wanted, phrase_only.get(fieldname, set()), phrases.get(fieldname, [])
            )
            spans.extend((offset + a, offset + b) for a, b in _merged(line, found))
        offset += len(line) + 1
    return spans


def _merged(text: str, spans: list[Span]) -> list[Span]:
    """Adjacent spans (a space or a dash apart) as one."""
    out: list[Span] = []
    for start, end in spans:
        if out and _joinable(text, out[-1][1], start):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _plain_spans(text: str, language: str | None, wanted: set[str]) -> list[Span]:
    """The words of ``text`` (without CJK runs) whose index terms are wanted, as spans."""
    words = _words(language, wanted)
    found = words.matching(set(word_list(text)))
    if not found:
        return []
    return token_spans(text, found)


def _line_spans(
    line: str,
    language: str | None,
    wanted: set[str],
    phrase_only: set[str],
    phrases: list[tuple[frozenset[str], ...]],
) -> list[Span]:
    """The words of one line to mark, as ``(start, end)`` in the line, in order."""
    if simple_tokens(line):
        # (tokens() gives TOKEN's matches unchanged here, so its words are these.)
        if not phrase_only:
            return _plain_spans(line, language, wanted)
        if not _words(language, wanted).matching(set(word_list(line))):
            return []  # no word of the query, so no phrase of it either
    tokens = list(token_terms(line, language))
    return [(tokens[i][1], tokens[i][2]) for i in _marked_tokens(tokens, wanted, phrase_only, phrases)]


class _Words:
    """Which written words have an index term among ``wanted`` (in articles of ``language``),
    remembered: the articles of one result share most of their words."""

    def __init__(self, language: str | None, wanted: frozenset[str]) -> None:
        self.language = language
        self.wanted = wanted
        self.yes: set[str] = set()
        self.no: set[str] = set()

    def matching(self, words: set[str]) -> set[str]:
        new = words - self.yes - self.no
        for word in new:
            if self.wanted.isdisjoint(index_terms(word, self.language)):
                self.no.add(word)
            else:
                self.yes.add(word)
        if len(self.no) > _MAX_WORDS:
            self.no.clear()
        return words & self.yes


_MAX_WORDS = 200_000
_recent: OrderedDict[tuple[str | None, frozenset[str]], _Words] = OrderedDict()
_recent_lock = threading.Lock()


def _words(language: str | None, wanted: set[str]) -> _Words:
    key = (language, frozenset(wanted))
    with _recent_lock:
        found = _recent.get(key)
        if found is None:
            found = _recent[key] = _Words(language, key[1])
            while len(_recent) > 16:
                _recent.popitem(last=False)
        else:
            _recent.move_to_end(key)
        return found


def _marked_tokens(
    tokens: list[tuple[tuple[str, ...], int, int]],
    wanted: set[str],
    phrase_only: set[str],
    phrases: list[tuple[frozenset[str], ...]],
) -> list[int]:
    """The indexes of ``tokens`` to mark: wanted words, but phrase-only words only in a phrase
    (a word matches when one of its terms is wanted; a phrase position, when one is among the
    position's terms)."""
    marked = [
        i
        for i, (terms, _, _) in enumerate(tokens)
        if any(t in wanted and t not in phrase_only for t in terms)
    ]
    if not phrase_only:
        return marked
    extra: set[int] = set()
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if all(not phrase[k].isdisjoint(tokens[i + k][0]) for k in range(n)):
                extra.update(range(i, i + n))
    if not extra:
        return marked
    return sorted(extra.union(marked))


def _joinable(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return len(gap) <= 2 and "\n" not in gap and not any(ch.isalnum() for ch in gap)


def snippet(
    article: Article, terms: Mapping[str, set[str]], width: int = SNIPPET_CHARS, language: str | None = None
) -> tuple[str, list[Span]]:
    """A window of body text around the densest cluster of marks (``…`` where cut)."""
    text = article.plain_text
    marks = body_marks(article, terms, language)
    lines_before_body = 1 + (1 if article.date_line else 0)
    body_start = sum(len(line) + 1 for line in article.lines[:lines_before_body])
    body_end = body_start + len(article.body)
    body_marks_ = [m for m in marks if body_start <= m[0] < body_end]
    if not body_marks_:
        # No match in the body: show the opening of the article.
        start, end = body_start, min(body_end, body_start + width)
        anchor_marks: list[Span] = []
    else:
        # The window that starts at a mark and holds the most marks (bounded for huge articles).
        firsts = [m[0] for m in body_marks_[:200]]
        first = max(firsts, key=lambda f: sum(1 for g in firsts if f <= g < f + width * 3 // 4))
        start = max(body_start, first - width // 4)
        end = min(body_end, start + width)
        anchor_marks = body_marks_
    start = _word_boundary(text, start, body_start, backwards=True)
    end = _word_boundary(text, end, body_end, backwards=False)
    raw = text[start:end]
    piece = raw.replace("\n", " ")
    prefix = "…" if start > body_start else ""
    suffix = "…" if end < body_end else ""
    out_marks = [
        (m[0] - start + len(prefix), m[1] - start + len(prefix))
        for m in anchor_marks
        if m[0] >= start and m[1] <= end
    ]
    return prefix + piece + suffix, out_marks


def _word_boundary(text: str, pos: int, limit: int, backwards: bool) -> int:
    if backwards:
        if pos <= limit:
            return limit
        stop = max(limit, pos - 20)
        i = pos
        while i > stop and not text[i - 1].isspace():
            i -= 1
        return i if i > stop else pos
    if pos >= limit:
        return limit
    stop = min(limit, pos + 20)
    i = pos
    while i < stop and not text[i].isspace():
        i += 1
    return i
