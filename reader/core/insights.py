"""What a set of articles says: collocates, distinctive words (keyness) and n-grams of the
articles matching a query, from the words kept in the word store (``wordstore.py``), so they are
tokenised, folded and stemmed exactly as search does. Trends live in ``trends.py``.

- **Collocates** of the query's words or phrases (as the concordance finds them): the words
  within ``window`` tokens on either side of each occurrence, ranked by log-likelihood (G², Dunning
  1993) or mutual information, counted only from ``min_freq`` co-occurrences up.
- **Keywords**: words more (positive) or less (negative) frequent in the results than in the rest
  of the corpus: log-likelihood (Rayson and Garside 2000) for how sure, log ratio (Hardie 2014:
  the binary log of the ratio of relative frequencies) for how much. A positive keyword is in
  at least 2% of the results (and two of them), a negative one in 2% of the rest: one long
  article cannot fill either list.
- **N-grams** of 2 to 4 words containing an occurrence, within one sentence.

Stop words (for collocates and keywords) are Whoosh's lists for 14 languages (from Snowball),
stemmed like the index, each applied to the articles of its own language (the word store keeps
each article's language): a word is a stop word in the results when most of its occurrences
there are in articles whose language lists it, so *the* of the English articles of a mostly
German corpus is one, and English *war* is not made one by German *war* (was). Articles of no
detected language, or of one without a list, take the list that covers most of the corpus's
words. Words in nearly every article of the corpus are stop words as well (for other languages).

``insights(...)`` yields partial results after each batch of articles, so a window can show
them while it works, and stops early when its ``cancel`` event is set.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
from whoosh.lang.stopwords import stoplists
from whoosh.searching import Searcher

from reader.core.concordance import query_shape
from reader.core.mark_filter import MarkSource
from reader.core.query import matching_docnums, parse
from reader.core.wordstore import BOUNDARY, WordStore, word_stems

DEFAULT_WINDOW = 5
DEFAULT_MIN_FREQ = 3
DEFAULT_TOP = 50
NGRAM_SIZES = (2, 3, 4)
#: A word in more than this share of a corpus's articles (of at least 200) counts as a stop word.
COMMON_SHARE = 0.6
#: A positive keyword is in at least this share of the results' articles (and in two).
SPREAD = 0.02
CHUNK = 1000
Counts = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Collocate:
    word: str
    count: int  # co-occurrences within the window
    left: int
    right: int
    frequency: int  # in the results
    score: float

    def to_json(self) -> dict[str, object]:
        return {
            "word": self.word,
            "count": self.count,
            "left": self.left,
            "right": self.right,
            "frequency": self.frequency,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class Keyword:
    word: str
    count: int  # in the results
    rest: int  # in the rest of the corpus
    log_likelihood: float
    log_ratio: float

    def to_json(self) -> dict[str, object]:
        return {
            "word": self.word,
            "count": self.count,
            "rest": self.rest,
            "log_likelihood": round(self.log_likelihood, 3),
            "log_ratio": round(self.log_ratio, 3),
        }


@dataclass(frozen=True)
class Ngram:
    words: str
    n: int
    count: int

    def to_json(self) -> dict[str, object]:
        return {"ngram": self.words, "n": self.n, "count": self.count}


@dataclass
class Insights:
    """Results so far: ``done`` of ``total`` matching articles read."""

    query: str
    total: int = 0
    done: int = 0
    tokens: int = 0
    occurrences: int = 0
    collocates: list[Collocate] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    negative: list[Keyword] = field(default_factory=list)
    ngrams: list[Ngram] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    finished: bool = False
    cancelled: bool = False


_KEY_MULT = np.uint64(0x9E3779B97F4A7C15)


class _Grams:
    """Counts of the n-grams of one length, kept as sorted 64-bit keys (a hash of the row of
    term ids) with their counts and one row each: merging a batch costs a sort of the batch and
    a linear insert, never a Python object per n-gram."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.keys = np.zeros(0, dtype=np.uint64)
        self.counts = np.zeros(0, dtype=np.int64)
        self.rows = np.zeros((0, n), dtype=np.int64)

    def add(self, rows: npt.NDArray[np.int64]) -> None:
        if len(rows) == 0:
            return
        h = np.zeros(len(rows), dtype=np.uint64)
        for j in range(self.n):
            h = (h ^ rows[:, j].astype(np.uint64)) * _KEY_MULT  # wraps: a hash, not a number
            h ^= h >> np.uint64(29)
        order = np.argsort(h, kind="stable")
        h = h[order]
        starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
        keys, counts = h[starts], np.diff(np.r_[starts, len(h)])
        first = rows[order[starts]]
        pos = np.searchsorted(self.keys, keys)
        known = pos < len(self.keys)
        known[known] = self.keys[pos[known]] == keys[known]
        np.add.at(self.counts, pos[known], counts[known])
        new = ~known
        self.keys = np.insert(self.keys, pos[new], keys[new])
        self.counts = np.insert(self.counts, pos[new], counts[new])
        self.rows = np.insert(self.rows, pos[new], first[new], axis=0)

    def top(self, k: int, least: int) -> list[tuple[tuple[int, ...], int]]:
        """The ``k`` most frequent n-grams counted at least ``least`` times."""
        ids = np.flatnonzero(self.counts >= least)
        if len(ids) > k:
            ids = ids[np.argpartition(-self.counts[ids], k - 1)[:k]]
        ids = ids[np.argsort(-self.counts[ids], kind="stable")]
        return [(tuple(int(x) for x in self.rows[i]), int(self.counts[i])) for i in ids]


@dataclass
class _State:
    counts: Counts
    left: Counts
    right: Counts
    ngrams: dict[int, _Grams]
    docfreq: Counts
    #: Occurrences in the results that are stop words in their own article's language.
    stop_counts: Counts
    tokens: int = 0
    docs: int = 0
    window_tokens: int = 0
    occurrences: int = 0


def matching_paths(searcher: Searcher, text: str, marks: MarkSource | None) -> list[str]:
    """The paths of the articles matching ``text``, in index order (``marks`` answers its
    is:/label: terms, as in search)."""
    reader = searcher.reader()
    docnums = matching_docnums(searcher, text, all_when_empty=False, marks=marks)
    return [reader.stored_fields(d)["path"] for d in docnums]


def node_sequences(searcher: Searcher, text: str, store: WordStore) -> list[tuple[int, ...]]:
    """The query's words and phrases as sequences of term ids (unknown words left out)."""
    parsed = parse(text, searcher.reader())
    if parsed.is_empty:
        return []
    shape = query_shape(parsed.query, parsed.plain_words, parsed.languages)
    words = set(shape.loose) | {t for phrase in shape.phrases for position in phrase for t in position}
    ids = store.term_ids(words)
    out: list[tuple[int, ...]] = [(ids[stem],) for stem in sorted(shape.loose) if stem in ids]
    for phrase in shape.phrases:
        # A position of a phrase may accept a word's forms in several languages: the store keeps
        # one term per word, so the first form it knows stands for the position.
        known = [sorted(t for t in position if t in ids) for position in phrase]
        if all(known):
            out.append(tuple(ids[forms[0]] for forms in known))
    return out


def insights(
    searcher: Searcher,
    store: WordStore,
    text: str,
    window: int = DEFAULT_WINDOW,
    min_freq: int = DEFAULT_MIN_FREQ,
    measure: str = "ll",
    top: int = DEFAULT_TOP,
    cancel: threading.Event | None = None,
    chunk: int = CHUNK,
    paths: list[str] | None = None,
    marks: MarkSource | None = None,
) -> Iterator[Insights]:
    """Collocates, keywords and n-grams of the articles matching ``text``: a partial result after
    each ``chunk`` articles, the last one with ``finished`` (or ``cancelled``) set. ``marks``
    answers the query's is:/label: terms (without it they match nothing)."""
    if measure not in ("ll", "mi"):
        raise ValueError(f"unknown association measure {measure!r} (ll or mi)")
    window = max(1, window)
    paths = matching_paths(searcher, text, marks) if paths is None else paths
    out = Insights(text, total=len(paths))
    nodes = node_sequences(searcher, text, store)
    if not text.strip():
        out.notes.append("No query: there are no results to look into.")
    elif not nodes:
        out.notes.append("The query has no word found in the corpus: no collocates or n-grams.")
    cf, df, docs = store.corpus_counts()
    size = len(cf)
    zeros = [np.zeros(size, np.int64) for _ in range(5)]
    state = _State(zeros[0], zeros[1], zeros[2], {n: _Grams(n) for n in NGRAM_SIZES}, zeros[3], zeros[4])
    stop = StopLists(store, df, docs)
    for batch in store.tokens_and_languages(paths, chunk):
        if cancel is not None and cancel.is_set():
            out.cancelled = True
            break
        _add(state, [tokens for _, tokens, _ in batch], nodes, window)
        _count_stops(state, batch, stop)
        out.done += len(batch)
        _fill(out, state, cf, df, docs, stop, store, nodes, min_freq, measure, top)
        if out.done < out.total:
            yield replace(out, notes=list(out.notes))  # a snapshot: the caller may keep it
    if not out.cancelled:
        out.done = out.total
        _fill(out, state, cf, df, docs, stop, store, nodes, min_freq, measure, top)
        out.finished = True
    yield out


def _add(
    state: _State, docs: list[npt.NDArray[np.uint32]], nodes: list[tuple[int, ...]], window: int
) -> None:
    if not docs:
        return
    pad = max(window, max(NGRAM_SIZES))
    gap = np.zeros(pad, dtype=np.uint32)
    arr = np.concatenate([part for doc in docs for part in (gap, doc)] + [gap]).astype(np.int64)
    size = len(state.counts)
    arr[arr >= size] = BOUNDARY  # a term newer than the corpus counts read at the start
    state.counts += np.bincount(arr, minlength=size)[:size]
    state.counts[BOUNDARY] = 0
    state.tokens = int(state.counts.sum())
    # In how many of the results each word is (keywords must not come from one article).
    # One small sort per article (numpy's hash-based unique is 4x slower on these).
    distinct_parts = []
    for doc in docs:
        s = np.sort(doc)
        distinct_parts.append(s[np.concatenate(([True], s[1:] != s[:-1]))])
    distinct = np.concatenate(distinct_parts).astype(np.int64)
    distinct[distinct >= size] = BOUNDARY
    state.docfreq += np.bincount(distinct, minlength=size)[:size]
    state.docs += len(docs)
    covered = np.zeros(len(arr), dtype=bool)
    starts: list[tuple[npt.NDArray[np.int64], int]] = []
    for seq in nodes:
        n = len(seq)
        hit = arr[: len(arr) - n + 1] == seq[0]
        for k in range(1, n):
            hit &= arr[k : len(arr) - n + 1 + k] == seq[k]
        where = np.flatnonzero(hit)
        if len(where) == 0:
            continue
        for k in range(n):
            covered[where + k] = True
        starts.append((where, n))
    for where, n in starts:
        state.occurrences += len(where)
        for side, offsets in ((state.left, range(-window, 0)), (state.right, range(n, n + window))):
            for d in offsets:
                pos = where + d
                words = arr[pos][~covered[pos]]
                words = words[words != BOUNDARY]
                state.window_tokens += len(words)
                side += np.bincount(words, minlength=size)[:size]
        for length in NGRAM_SIZES:
            if length < n:
                continue
            begins = np.concatenate([where - k for k in range(length - n + 1)])
            rows = np.stack([arr[begins + j] for j in range(length)], axis=1)
            state.ngrams[length].add(rows[(rows != BOUNDARY).all(axis=1)])


def _count_stops(
    state: _State, batch: list[tuple[str, npt.NDArray[np.uint32], str | None]], stop: StopLists
) -> None:
    """Count the results' words that are stop words in their own article's language."""
    size = len(state.counts)
    parts = []
    for _, doc, language in batch:
        ids = doc.astype(np.int64)
        ids = ids[ids < size]
        parts.append(ids[stop.mask(language)[ids]])
    if parts:
        state.stop_counts += np.bincount(np.concatenate(parts), minlength=size)[:size]


def _fill(
    out: Insights,
    state: _State,
    cf: Counts,
    df: Counts,
    docs: int,
    stops: StopLists,
    store: WordStore,
    nodes: list[tuple[int, ...]],
    min_freq: int,
    measure: str,
    top: int,
) -> None:
    out.tokens = state.tokens
    out.occurrences = state.occurrences
    node_ids = {i for seq in nodes for i in seq}
    # A word is a stop word of the results where most of its occurrences are stop words of
    # their article's language; of the rest of the corpus, where any of its languages lists it.
    stop = stops.common | (2 * state.stop_counts > state.counts)
    stop_rest = stops.common | stops.anywhere
    collocates = _collocates(state, stop, node_ids, min_freq, measure, top)
    spread = (
        np.zeros(len(stop), dtype=bool)
        if state.docs < 2
        else state.docfreq < max(2, math.ceil(SPREAD * state.docs))
    )
    # A negative keyword is as widespread in the rest of the corpus.
    rest_docs = max(0, docs - out.total)
    rest_spread = (df - state.docfreq) < max(2, math.ceil(SPREAD * rest_docs))
    keywords, negative = _keywords(
        state.counts, cf, stop | spread, stop_rest | rest_spread, node_ids, min_freq, top
    )
    least = min(2, min_freq)
    grams = sorted(
        (gram for counter in state.ngrams.values() for gram in counter.top(top, least)),
        key=lambda gc: (-gc[1], len(gc[0])),
    )[:top]
    wanted = (
        {i for i, *_ in collocates} | {k[0] for k in keywords + negative} | {x for g, _ in grams for x in g}
    )
    words = store.surfaces(wanted)
    out.collocates = [Collocate(words.get(c[0], "?"), *c[1:]) for c in collocates]
    out.keywords = [Keyword(words.get(k[0], "?"), *k[1:]) for k in keywords]
    out.negative = [Keyword(words.get(k[0], "?"), *k[1:]) for k in negative]
    out.ngrams = [Ngram(" ".join(words.get(x, "?") for x in g), len(g), c) for g, c in grams]


def _collocates(
    state: _State, stop: npt.NDArray[np.bool_], node_ids: set[int], min_freq: int, measure: str, top: int
) -> list[tuple[int, int, int, int, int, float]]:
    o11 = state.left + state.right
    ok = (o11 >= max(1, min_freq)) & ~stop
    for i in node_ids:
        ok[i] = False
    ids = np.flatnonzero(ok)
    if len(ids) == 0 or state.tokens == 0:
        return []
    o = o11[ids].astype(float)
    c1 = state.counts[ids].astype(float)  # the collocate in the results
    r1 = float(state.window_tokens)  # tokens in all windows
    n = float(state.tokens)
    if measure == "mi":
        score = np.log2(o * n / (r1 * np.maximum(c1, 1)))
    else:
        score = _g2(o, r1 - o, c1 - o, n - r1 - c1 + o)
        score = np.where(o * n >= r1 * c1, score, -score)  # attraction first, repulsion last
    order = np.argsort(-score, kind="stable")[:top]
    return [
        (
            int(ids[k]),
            int(o11[ids[k]]),
            int(state.left[ids[k]]),
            int(state.right[ids[k]]),
            int(c1[k]),
            float(score[k]),
        )
        for k in order
    ]


def _g2(
    o11: npt.NDArray[np.float64],
    o12: npt.NDArray[np.float64],
    o21: npt.NDArray[np.float64],
    o22: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Dunning's log-likelihood of 2×2 tables (vectorised)."""
    n = o11 + o12 + o21 + o22
    rows = (o11 + o12, o21 + o22)
    cols = (o11 + o21, o12 + o22)
    total = np.zeros_like(o11)
    for obs, r, c in (
        (o11, rows[0], cols[0]),
        (o12, rows[0], cols[1]),
        (o21, rows[1], cols[0]),
        (o22, rows[1], cols[1]),
    ):
        expected = r * c / np.maximum(n, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            total += np.where(obs > 0, obs * np.log(obs / expected), 0.0)
    return 2 * total


def _keywords(
    counts: Counts,
    cf: Counts,
    stop_positive: npt.NDArray[np.bool_],
    stop_negative: npt.NDArray[np.bool_],
    node_ids: set[int],
    min_freq: int,
    top: int,
) -> tuple[list[tuple[int, int, int, float, float]], list[tuple[int, int, int, float, float]]]:
    a = counts.astype(float)
    b = np.maximum(cf - counts, 0).astype(float)
    c, d = a.sum(), b.sum()
    if c == 0 or d == 0:
        return [], []
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = 2 * (np.where(a > 0, a * np.log(a / e1), 0.0) + np.where(b > 0, b * np.log(b / e2), 0.0))
    # Log ratio with half a token for a zero count (Hardie's convention).
    ratio = np.log2((np.maximum(a, 0.5) / c) / (np.maximum(b, 0.5) / d))
    ok = a + b >= max(1, min_freq)
    ok[BOUNDARY] = False
    for i in node_ids:
        ok[i] = False
    positive = ok & ~stop_positive & (ratio > 0) & (a >= min_freq)
    negative = ok & ~stop_negative & (ratio < 0)
    out = []
    for ids in (np.flatnonzero(positive), np.flatnonzero(negative)):
        order = ids[np.argsort(-ll[ids], kind="stable")][:top]
        out.append([(int(i), int(a[i]), int(b[i]), float(ll[i]), float(ratio[i])) for i in order])
    return out[0], out[1]


class StopLists:
    """Stop words as masks over the store's term ids: each list's stems in its own language,
    the list covering most of the corpus's words (for articles of no language with a list), and
    the words in nearly every article of a corpus of some size."""

    def __init__(self, store: WordStore, df: Counts, docs: int) -> None:
        size = len(df)
        self.common = np.zeros(size, dtype=bool)
        self.common[BOUNDARY] = True
        if docs >= 200:
            self.common |= df > COMMON_SHARE * docs
        self._masks: dict[str, npt.NDArray[np.bool_]] = {}
        best: tuple[int, str | None] = (0, None)
        for language, words in stoplists.items():
            stems = {stem for w in words for stem, _, _ in word_stems(w, language)}
            ids = [i for i in store.term_ids(stems).values() if i < size]
            mask = np.zeros(size, dtype=bool)
            mask[ids] = True
            self._masks[language] = mask
            used = int(df[ids].sum()) if ids else 0
            if used > best[0]:
                best = (used, language)
        self.fallback = self._masks[best[1]] if best[1] is not None else np.zeros(size, dtype=bool)
        self.anywhere = np.zeros(size, dtype=bool)
        for language in store.languages():
            self.anywhere |= self.mask(language)

    def mask(self, language: str | None) -> npt.NDArray[np.bool_]:
        """The stop words of an article in ``language``."""
        return self._masks.get(language or "", self.fallback)


def ll_note(score: float) -> str:
    """How sure a log-likelihood is (3.84: p < 0.05, 6.63: p < 0.01, 15.13: p < 0.0001)."""
    for limit, text in ((15.13, "p < 0.0001"), (10.83, "p < 0.001"), (6.63, "p < 0.01"), (3.84, "p < 0.05")):
        if score >= limit:
            return text
    return "not significant"
