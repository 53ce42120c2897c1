"""Find a highlighted passage again in an article whose text may have changed.

A highlight remembers its quote with some context (a W3C ``TextQuoteSelector``: exact, prefix,
suffix) and its offsets (a ``TextPositionSelector``). In order: the old position if the quote
still sits there; else the exact quote, with the context choosing among repeats; else a bounded
fuzzy match; else nothing, and the caller marks the highlight orphaned (never drops it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT_CHARS = 32
#: A fuzzy match must be at least this similar to the quote.
FUZZY_MIN_RATIO = 0.75
#: Fuzzy matching looks at no more than this many candidate places (bounded time).
FUZZY_MAX_CANDIDATES = 200
FUZZY_MAX_QUOTE = 2000


@dataclass(frozen=True)
class Quote:
    """The text-quote selector of a highlight."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    how: str  # "position", "exact", "fuzzy"


def text_hash(text: str) -> str:
    """The hash stored with a highlight, to notice that an article's text changed."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def quote_at(text: str, start: int, end: int) -> Quote:
    """The quote selector for ``text[start:end]``."""
    return Quote(
        text[start:end], text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]
    )


def anchor(text: str, quote: Quote, start: int | None = None, end: int | None = None) -> Anchor | None:
    """Where ``quote`` is in ``text`` now, or None when it cannot be found."""
    if not quote.exact:
        return None
    if (
        start is not None
        and end is not None
        and 0 <= start <= end <= len(text)
        and text[start:end] == quote.exact
    ):
        return Anchor(start, end, "position")
    places = _occurrences(text, quote.exact)
    if places:
        best = max(
            places,
            key=lambda p: (_context_score(text, p, p + len(quote.exact), quote), -abs(p - (start or 0))),
        )
        return Anchor(best, best + len(quote.exact), "exact")
    return _fuzzy(text, quote, start)


def _occurrences(text: str, needle: str, limit: int = 1000) -> list[int]:
    out: list[int] = []
    i = text.find(needle)
    while i >= 0 and len(out) < limit:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _context_score(text: str, start: int, end: int, quote: Quote) -> float:
    score = 0.0
    if quote.prefix:
        before = text[max(0, start - len(quote.prefix)) : start]
        score += SequenceMatcher(None, before, quote.prefix, autojunk=False).ratio()
    if quote.suffix:
        after = text[end : end + len(quote.suffix)]
        score += SequenceMatcher(None, after, quote.suffix, autojunk=False).ratio()
    return score


def _fuzzy(text: str, quote: Quote, old_start: int | None) -> Anchor | None:
    exact = quote.exact
    if len(exact) > FUZZY_MAX_QUOTE or len(exact) < 4:
        return None
    # Candidate places: where a piece of the quote (its start, middle, end) still occurs, and
    # where the context still occurs; each gives the start the quote would have there.
    n = len(exact)
    piece = max(4, min(12, n // 3))
    starts: set[int] = set()
    for offset in (0, (n - piece) // 2, n - piece):
        for p in _occurrences(text, exact[offset : offset + piece], FUZZY_MAX_CANDIDATES):
            starts.add(p - offset)
    if quote.prefix:
        for p in _occurrences(text, quote.prefix, 20):
            starts.add(p + len(quote.prefix))
    if quote.suffix:
        for p in _occurrences(text, quote.suffix, 20):
            starts.add(p - n)
    if old_start is not None:
        starts.add(old_start)
    best: tuple[float, int, int] | None = None
    for s in sorted(starts)[:FUZZY_MAX_CANDIDATES]:
        s = max(0, min(s, len(text)))
        # Let the end float a little: the passage may have grown or shrunk.
        for e in {s + n, s + n - n // 8, s + n + n // 8}:
            e = max(s + 1, min(e, len(text)))
            ratio = SequenceMatcher(None, text[s:e], exact, autojunk=False).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, s, e)
    if best is None or best[0] < FUZZY_MIN_RATIO:
        return None
    _, s, e = best
    # Pull the ends onto the quote's own first and last words where they survived.
    head, tail = exact[:piece], exact[-piece:]
    found = text.find(head, max(0, s - n // 4), s + n // 4 + piece)
    if found >= 0:
        s = found
    found = text.rfind(tail, s, e + n // 4 + piece)
    if found >= 0:
        e = found + len(tail)
    s, e = snap_to_words(text, s, e)
    return Anchor(s, e, "fuzzy")


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` widened to whole words at both ends, then off surrounding spaces (a
    fuzzy match's ends; a selection the user highlights)."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
