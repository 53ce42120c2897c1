"""Exact matching and ranking of a parsed query, with sets and dicts instead of Whoosh matchers.

Whoosh's own search walks a tree of matcher objects, one Python call per posting per level, and
its ``limit=None`` pass scores every posting of every term (its array union reads whole posting
lists). Its top-k path with block skipping was measured slower still on our queries (the phrase
bonus keeps most blocks reachable). Here a query is answered in two passes over each segment:

1. which documents match: posting lists read a block at a time into sets, combined with set
   operations (the exact total, nothing scored);
2. scores for the matching documents only, with Whoosh's own scorer objects (the same BM25F
   per term), summed in the query's order.

A phrase is checked only for documents that hold all its words (and match the rest of the
query), from those documents' word positions; the phrase bonus of a plain multi-word query only
as far down the ranking as the page asked for needs (``ranked.PhraseFirst``). Query shapes this
module does not know raise ``Unsupported``; the caller then uses Whoosh's own search.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.searching import Searcher
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length

from reader.core.mark_filter import MarkQuery

Scores = dict[int, float]
#: A term's posting blocks: each block's document numbers and values (encoded positions).
Blocks = list[tuple[tuple[int, ...], tuple[Any, ...]]]


#: A stored length byte's field length, as Whoosh's ``doc_field_length`` gives it (None for 0).
_BYTE_LENGTHS: list[Any] = [None, *(byte_to_length(b) for b in range(1, 256))]


class Unsupported(Exception):
    """A query shape this module does not rank; use Whoosh's search instead."""


def _segments(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return list(searcher.subsearchers) if searcher.subsearchers else [(searcher, 0)]


class _Segment:
    """One segment's searcher, with the posting lists read so far (local document numbers)."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.deleted: frozenset[int] = frozenset(getattr(self.reader, "deleted_docs_set", ()) or ())
        self._postings: dict[tuple[str, bytes], tuple[list[int], list[float]]] = {}
        #: The blocks of a term's postings with their values (its word positions), as read for
        #: ``postings``: a phrase check reads positions from these, not from disk again.
        self._blocks: dict[tuple[str, bytes], Blocks] = {}
        self._block_starts: dict[tuple[str, bytes], list[int]] = {}
        self._ids: dict[wq.Query, set[int]] = {}
        self._live: set[int] | None = None
        self._lengths: dict[str, tuple[bytes, int] | None] = {}

    def live(self) -> set[int]:
        if self._live is None:
            self._live = set(range(self.reader.doc_count_all())) - self.deleted
        return self._live

    def postings(self, fieldname: str, text: bytes) -> tuple[list[int], list[float]]:
        """Document numbers and weights of a term (deleted documents included)."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is None:
            blocks: Blocks | None = [] if self.schema[fieldname].format.supports("positions") else None
            found = (
                _read_postings(self.reader.postings(fieldname, text), blocks)
                if key in self.reader
                else ([], [])
            )
            self._postings[key] = found
            if blocks:
                self._blocks[key] = blocks
        return found

    def term_bytes(self, node: wq.Term) -> bytes | None:
        if node.fieldname not in self.schema:
            return None
        try:
            return bytes(self.schema[node.fieldname].to_bytes(node.text))
        except ValueError:
            return None

    # --- pass 1: which documents match ---------------------------------------------------

    def ids(self, node: wq.Query) -> set[int]:
        """The documents matching ``node`` (deleted ones may be included; callers remove them)."""
        found = self._ids.get(node)
        if found is None:
            found = self._match(node)
            self._ids[node] = found
        return found

    def _match(self, node: wq.Query) -> set[int]:
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return set()
        if isinstance(node, wq.Term):
            text = self.term_bytes(node)
            return set() if text is None else set(self.postings(node.fieldname, text)[0])
        if isinstance(node, wq.Or):
            _plain_or(node)
            out: set[int] = set()
            for child in node.subqueries:
                out |= self.ids(child)
            return out
        if isinstance(node, wq.And):
            positive = [c for c in node.subqueries if not isinstance(c, wq.Not)]
            negative = [c for c in node.subqueries if isinstance(c, wq.Not)]
            if not positive:
                return self._match(wq.Or(negative)) if negative else set()
            sets = sorted((self.ids(c) for c in positive), key=len)
            result = set(sets[0])
            for other in sets[1:]:
                result &= other
            for c in negative:
                result -= self.ids(c.query)
            return result
        if isinstance(node, wq.AndNot):
            return self.ids(node.a) - self.ids(node.b)
        if isinstance(node, wq.AndMaybe):
            return self.ids(node.a)
        if isinstance(node, wq.Not):
            return self.live() - self.ids(node.query)
        if isinstance(node, wq.ConstantScoreQuery):
            return self.ids(node.child)
        if isinstance(node, wq.NumericRange):
            return self.ids(_compiled(node, self))
        if isinstance(node, wq.Phrase):
            return self._phrase(node, None)
        if isinstance(node, wq.Sequence):
            return self._sequence(node, None)
        if isinstance(node, wq.Every):
            return set(self.live())
        if isinstance(node, MarkQuery):  # is:/label:, answered from the annotations
            return set(node.local_ids(self.searcher))
        if isinstance(node, wq.MultiTerm):  # a range of terms (inside a date range), a wildcard
            out = set()
            for text in node._btexts(self.reader):
                out.update(self.postings(node.fieldname, text)[0])
            return out
        raise Unsupported(type(node).__name__)

    def _phrase(self, node: wq.Phrase, within: set[int] | None) -> set[int]:
        """Documents holding the phrase, checked (by Whoosh's span matcher) only among those
        that hold every word and, when given, are ``within`` the set."""
        if node.fieldname not in self.schema:
            return set()
        words = [wq.Term(node.fieldname, w) for w in node.words]
        candidates = _common([self.ids(w) for w in words], within)
        if not candidates:
            return set()
        if node.slop != 1 or not self.schema[node.fieldname].format.supports("positions"):
            return _checked(node, self.searcher, sorted(candidates))
        # Whoosh's phrase (slop 1) holds where word i stands at p + i: read the positions of
        # the candidates only, a word at a time, each word only for the documents where the
        # words before it still stand in a row.
        texts = [self.term_bytes(w) for w in words]
        if any(t is None for t in texts):
            return set()
        starts: dict[int, set[int]] = {}
        for i, text in enumerate(texts):
            assert text is not None
            where = self._positions(node.fieldname, text, candidates if i == 0 else set(starts))
            if i == 0:
                starts = {d: set(found) for d, found in where.items()}
                continue
            shifted = ((d, starts[d].intersection(p - i for p in at)) for d, at in where.items())
            starts = {d: kept for d, kept in shifted if kept}
            if not starts:
                return set()
        return set(starts)

    def _sequence(self, node: wq.Sequence, within: set[int] | None) -> set[int]:
        """Documents holding a phrase whose positions are alternatives (a word's forms in the
        corpus's languages: ``expansion.phrase_query``), checked like ``_phrase``."""
        parts = node.subqueries
        if not parts:
            return set()
        candidates = _common([self.ids(part) for part in parts], within)
        alternatives = [part.subqueries if isinstance(part, wq.Or) else [part] for part in parts]
        terms = [t for alts in alternatives for t in alts]
        fieldnames = {getattr(t, "fieldname", None) for t in terms}
        if (
            not candidates
            or node.slop != 1
            or not all(isinstance(t, wq.Term) for t in terms)
            or len(fieldnames) != 1
            or not self.schema[terms[0].fieldname].format.supports("positions")
        ):
            return _checked(node, self.searcher, sorted(candidates)) if candidates else set()
        fieldname = terms[0].fieldname
        positions: list[dict[int, list[int]]] = []
        for alts in alternatives:
            merged: dict[int, list[int]] = {}
            for term in alts:
                text = self.term_bytes(term)
                if text is None:
                    continue
                docs = candidates & self.ids(term)
                if not docs:
                    continue  # (a form no article of this segment has)
                for d, found in self._positions(fieldname, text, docs).items():
                    merged.setdefault(d, []).extend(found)
            positions.append(merged)
        return {d for d in candidates if _adjacent([pos.get(d, []) for pos in positions])}

    def _positions(self, fieldname: str, text: bytes, docs: set[int]) -> dict[int, list[int]]:
        """Where the term stands in each of ``docs`` (which all hold it)."""
        decode = self.schema[fieldname].format.decode_positions
        self.postings(fieldname, text)
        blocks = self._blocks.get((fieldname, text))
        if blocks is not None:
            # Each document's block found by its first id (a phrase checked a chunk of
            # candidates at a time reads only their blocks, not the whole list each time).
            out: dict[int, list[int]] = {}
            if len(docs) * 16 > len(self._postings[(fieldname, text)][0]):  # most of them: walk all
                for ids, values in blocks:
                    if not docs.isdisjoint(ids):
                        for d, value in zip(ids, values, strict=True):
                            if d in docs:
                                out[d] = decode(value)
                return out
            starts = self._block_starts.get((fieldname, text))
            if starts is None:
                starts = self._block_starts[(fieldname, text)] = [ids[0] for ids, _ in blocks]
            for d in docs:
                i = bisect_right(starts, d) - 1
                if i >= 0:
                    ids, values = blocks[i]
                    j = bisect_left(ids, d)
                    if j < len(ids) and ids[j] == d:
                        out[d] = decode(values[j])
            return out
        matcher: Any = self.reader.postings(fieldname, text)
        while type(matcher).__name__ == "FilterMatcher":
            matcher = matcher.child
        out = {}
        if not (hasattr(matcher, "_read_ids") and hasattr(matcher, "_read_values")):
            while matcher.is_active():
                if matcher.id() in docs:
                    out[matcher.id()] = decode(matcher.value())
                matcher.next()
            return out
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            ids = matcher._ids
            if any(d in docs for d in ids):
                if matcher._values is None:
                    matcher._read_values()
                for d, value in zip(ids, matcher._values, strict=True):
                    if d in docs:
                        out[d] = decode(value)
            matcher._next_block()
        return out

    # --- pass 2: scores of the matching documents ---------------------------------------

    def scores(self, node: wq.Query, want: set[int]) -> Scores:
        """The score of each document of ``want`` that matches ``node``."""
        if isinstance(node, wq.Term):
            return self._term_scores(node, want)
        if isinstance(node, wq.Or):
            return _boosted(_summed(self.scores(c, want) for c in node.subqueries), node.boost)
        if isinstance(node, wq.And):
            inside = want & self.ids(node)
            positive = [c for c in node.subqueries if not isinstance(c, wq.Not)]
            if not positive:
                return dict.fromkeys(inside, 1.0)
            scores = _summed(self.scores(c, inside) for c in positive)
            # Whoosh intersects with the inverse of each NOT part, which scores 1.0.
            for _ in range(len(node.subqueries) - len(positive)):
                scores = {d: s + 1.0 for d, s in scores.items()}
            return _boosted(scores, node.boost)
        if isinstance(node, wq.AndNot):
            return self.scores(node.a, want & self.ids(node))
        if isinstance(node, wq.AndMaybe):
            base = self.scores(node.a, want)
            extra = self._maybe_scores(node.b, set(base))
            return {d: (s + extra[d] if d in extra else s) for d, s in base.items()}
        if isinstance(node, wq.Not):
            return dict.fromkeys(want & self.ids(node), 1.0)
        if isinstance(node, wq.ConstantScoreQuery):
            return dict.fromkeys(want & self.ids(node.child), float(node.score))
        if isinstance(node, wq.NumericRange):
            if not node.constantscore:
                raise Unsupported("scored numeric range")
            return self.scores(_compiled(node, self), want)
        if isinstance(node, wq.Phrase):
            inside = want & self.ids(node)
            words = [wq.Term(node.fieldname, w) for w in node.words]
            # Whoosh scores a phrase as the intersection of its words: a binary tree of sums.
            tree = make_binary_tree(_Sum, [self.scores(w, inside) for w in words])
            total = tree.value() if isinstance(tree, _Sum) else tree
            return _boosted(total, node.boost)
        if isinstance(node, MarkQuery):  # as Whoosh scores its list matcher: 1 each
            return dict.fromkeys(want & self.ids(node), 1.0)
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return {}
        raise Unsupported(type(node).__name__)

    def _maybe_scores(self, node: wq.Query, within: set[int]) -> Scores:
        """Scores of an optional part: a phrase (bonus) is checked only ``within`` the matches."""
        if isinstance(node, wq.ConstantScoreQuery):
            return dict.fromkeys(self._restricted_ids(node.child, within), float(node.score))
        return self.scores(node, within)

    def _restricted_ids(self, node: wq.Query, within: set[int]) -> set[int]:
        if isinstance(node, wq.Phrase):
            return self._phrase(node, within)
        if isinstance(node, wq.Sequence):
            return self._sequence(node, within)
        if isinstance(node, wq.Or):
            _plain_or(node)
            out: set[int] = set()
            for child in node.subqueries:
                out |= self._restricted_ids(child, within - out)
            return out
        return self.ids(node) & within

    def _term_scores(self, node: wq.Term, want: set[int]) -> Scores:
        text = self.term_bytes(node)
        if text is None or not want:
            return {}
        ids, weights = self.postings(node.fieldname, text)
        if not ids:
            return {}
        field = self.schema[node.fieldname]
        if not field.scorable:
            raise Unsupported("term of an unscored field")
        scorer: Any = self.searcher.weighting.scorer(self.searcher, node.fieldname, text)
        if not hasattr(scorer, "_score"):
            raise Unsupported("weighting without a length scorer")
        score, name, boost = scorer._score, node.fieldname, node.boost
        out: Scores = {}
        lengths = self._length_bytes(name)
        if lengths is None:
            length = self.searcher.doc_field_length
            for d, w in zip(ids, weights, strict=True):
                if d in want:
                    s = score(w, length(d, name, 1))
                    out[d] = s * boost if boost != 1.0 else s
            return out
        # The score depends on the weight and the length byte only: each pair is scored once
        # (by the same scorer call with the same arguments, so to the same float).
        data, count = lengths
        known: dict[tuple[float, int], float] = {}
        for d, w in zip(ids, weights, strict=True):
            if d in want:
                key = (w, data[d] if d < count else 0)
                s = known.get(key)
                if s is None:
                    s = score(w, _BYTE_LENGTHS[key[1]])
                    s = known[key] = s * boost if boost != 1.0 else s
                out[d] = s
        return out

    def _length_bytes(self, fieldname: str) -> tuple[bytes, int] | None:
        """The field's length column of this segment as it is stored, one byte a document (the
        bytes Whoosh's ``doc_field_length`` reads one seek and read at a time), and how many
        documents it holds (the rest are 0); None where the codec keeps lengths otherwise."""
        if fieldname in self._lengths:
            return self._lengths[fieldname]
        found = None
        perdoc: Any = getattr(self.reader, "_perdoc", None)
        if type(perdoc).__name__ == "W3PerDocReader" and hasattr(perdoc, "_cached_reader"):
            column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if type(column) is NumericColumn.Reader and column._fixedlen == 1:
                count = column._count
                found = (bytes(column._dbfile.get(column._basepos, count)), count)
        self._lengths[fieldname] = found
        return found


class _Sum:
    """A node of Whoosh's binary intersection tree: the sum of its two sides' scores."""

    def __init__(self, a: Scores | _Sum, b: Scores | _Sum) -> None:
        self.a, self.b = a, b

    def value(self) -> Scores:
        a = self.a.value() if isinstance(self.a, _Sum) else self.a
        b = self.b.value() if isinstance(self.b, _Sum) else self.b
        return {d: s + b[d] for d, s in a.items() if d in b}


def _summed(parts: Iterable[Scores]) -> Scores:
    out: Scores = {}
    for part in parts:
        for d, s in part.items():
            out[d] = out[d] + s if d in out else s
    return out


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {d: s * boost for d, s in scores.items()}


def _plain_or(node: wq.Or) -> None:
    if getattr(node, "minmatch", 0) or getattr(node, "scale", None):
        raise Unsupported("Or with minmatch or scale")


def _compiled(node: wq.NumericRange, segment: _Segment) -> wq.Query:
    return node._compile_query(segment.reader)


def _read_postings(matcher: Any, blocks: Blocks | None = None) -> tuple[list[int], list[float]]:
    """A term's document numbers and weights, a block at a time where the codec allows; with
    ``blocks``, each block's documents and values are added to it too (where the codec reads
    them with the rest of the block: Whoosh's W3 unpickles a block whole)."""
    while hasattr(matcher, "child") and type(matcher).__name__ == "FilterMatcher":
        matcher = matcher.child  # deleted documents are removed by the caller
    ids: list[int] = []
    weights: list[float] = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        # Whoosh's W3 codec: the block's arrays as they are (its per-posting calls cost 10x).
        keep = blocks is not None and hasattr(matcher, "_read_values")
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            ids.extend(matcher._ids[matcher._i :])
            weights.extend(matcher._weights[matcher._i :])
            if keep and blocks is not None:
                if matcher._values is None:
                    matcher._read_values()
                if matcher._i < len(matcher._ids):  # (blocks are never empty: see _positions)
                    blocks.append((tuple(matcher._ids[matcher._i :]), tuple(matcher._values[matcher._i :])))
            matcher._next_block()
        return ids, weights
    if blocks is not None:
        blocks.clear()  # (none kept: positions are read from the matcher)
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def _common(sets: list[set[int]], within: set[int] | None) -> set[int]:
    """The documents in every one of ``sets`` (and ``within``, when given): a new set, made by
    walking the smallest one (no copy of a long posting list)."""
    if within is not None:
        sets = [*sets, within]
    smallest = min(sets, key=len)
    return smallest.intersection(*(s for s in sets if s is not smallest))


def _adjacent(positions: list[list[int]]) -> bool:
    """Whether word ``i`` stands at ``p + i`` for some ``p``: Whoosh's phrase with slop 1 (its
    spans must be 1 apart, in order)."""
    later = [set(p) for p in positions[1:]]
    return any(all(p + i in s for i, s in enumerate(later, start=1)) for p in positions[0])


def _checked(node: wq.Phrase | wq.Sequence, searcher: Searcher, candidates: list[int]) -> set[int]:
    """Which of the (sorted) candidate documents hold the phrase, by Whoosh's span matcher."""
    matcher = node.matcher(searcher, searcher.boolean_context())
    found: set[int] = set()
    for d in candidates:
        if not matcher.is_active():
            break
        if matcher.id() < d:
            matcher.skip_to(d)
            if not matcher.is_active():
                break
        if matcher.id() == d:
            found.add(d)
    return found


# --- the whole index -----------------------------------------------------------------------


class Matches:
    """The documents matching a query across all segments (global document numbers)."""

    def __init__(self, searcher: Searcher, q: wq.Query) -> None:
        self.parts: list[tuple[_Segment, int, set[int]]] = []
        for sub, offset in _segments(searcher):
            segment = _Segment(sub)
            self.parts.append((segment, offset, segment.ids(q) - segment.deleted))

    @property
    def total(self) -> int:
        return sum(len(docs) for _, _, docs in self.parts)

    def docnums(self) -> list[int]:
        return sorted(offset + d for _, offset, docs in self.parts for d in docs)

    def scored(self, q: wq.Query) -> list[tuple[float, int]]:
        """``(score, docnum)`` of every match under ``q`` (which matches the same documents)."""
        out: list[tuple[float, int]] = []
        for segment, offset, docs in self.parts:
            if docs:
                out.extend((s, offset + d) for d, s in segment.scores(q, docs).items())
        return out

    def holding(self, q: wq.Query, docnums: list[int]) -> set[int]:
        """Which of the matches ``docnums`` also match ``q``; a phrase is checked for them only."""
        offsets = [offset for _, offset, _ in self.parts]
        local: dict[int, set[int]] = {}
        for d in docnums:
            i = bisect_right(offsets, d) - 1
            local.setdefault(i, set()).add(d - offsets[i])
        out: set[int] = set()
        for i, docs in local.items():
            segment, offset, _ = self.parts[i]
            out.update(offset + d for d in segment._restricted_ids(q, docs))
        return out


def best(scored: list[tuple[float, int]], k: int) -> list[tuple[float, int]]:
    """The ``k`` best ``(score, docnum)``: highest score first, then lowest docnum (Whoosh's
    order)."""
    if k >= len(scored):
        return sorted(scored, key=by_rank)
    return heapq.nsmallest(k, scored, key=by_rank)


def by_rank(item: tuple[float, int]) -> tuple[float, int]:
    """The sort key of Whoosh's order: highest score first, then lowest docnum."""
    return (-item[0], item[1])
