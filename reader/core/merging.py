"""When the index's segments are merged: little at a sync's commit, the rest one step at a time
when the window is idle.

Whoosh writes every commit as a new segment and by default (``MERGE_SMALL``) merges older
segments into it during that commit; at 100,000 articles a sync of 1% changed, added and
deleted files spent most of its time there, rewriting tens of thousands of unchanged articles
while the user waited. Here segments fall in tiers by size (each ``FACTOR`` times the one
below); ``FACTOR`` segments of one tier make one merge. A sync's commit makes only the merges
that are cheap (``CHEAP_DOCS`` articles at most), unless the segments would exceed
``MAX_SEGMENTS`` (every search reads every segment's terms); larger merges are left to
``merge_step``, which the window runs on its writer lane when no sync is running: one merge at
a time, stopped at once when a sync or a quit needs the writer, letting quick writes through.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

#: Segments of fewer articles than this are all in the lowest tier.
TIER_BASE = 1000
#: Each tier holds segments up to this many times larger than the tier below; this many
#: segments of one tier are merged into one.
FACTOR = 4
#: A merge of at most this many articles is made at a sync's commit (the rest wait).
CHEAP_DOCS = 4 * TIER_BASE
#: More segments than this and a commit merges the smallest, however long it takes.
MAX_SEGMENTS = 16
#: A segment with this share of its articles deleted (updated or removed since) is rewritten.
DELETED_SHARE = 0.5
#: How often (documents or postings read) a background merge checks whether to stop.
CHECK_EVERY = 2000

Segment = Any  # whoosh.codec.base.Segment (untyped)
T = TypeVar("T")


class MergeStopped(Exception):
    """A background merge was asked to stop; nothing was written."""


def tier(segment: Segment) -> int:
    """The size tier of ``segment`` (0: under ``TIER_BASE`` articles)."""
    docs = int(segment.doc_count_all())
    if docs < TIER_BASE:
        return 0
    return 1 + int(math.log(docs / TIER_BASE, FACTOR) + 1e-9)


def next_merge(segments: Sequence[Segment]) -> list[Segment]:
    """The segments to merge next (empty: none): ``FACTOR`` of the lowest tier that has that
    many, else the segment with the largest share of deleted articles if it passes
    ``DELETED_SHARE``."""
    tiers: dict[int, list[Segment]] = {}
    for segment in segments:
        tiers.setdefault(tier(segment), []).append(segment)
    for level in sorted(tiers):
        if len(tiers[level]) >= FACTOR:
            return sorted(tiers[level], key=lambda s: s.doc_count_all())[:FACTOR]
    worn = [s for s in segments if s.doc_count_all() and _deleted_share(s) >= DELETED_SHARE]
    return [max(worn, key=_deleted_share)] if worn else []


def _deleted_share(segment: Segment) -> float:
    return float(segment.deleted_count()) / max(1, int(segment.doc_count_all()))


def _docs(group: Sequence[Segment]) -> int:
    return sum(int(s.doc_count_all()) for s in group)


def commit_merges(
    writer: SegmentWriter, segments: list[Segment], added: Sequence[Segment] = ()
) -> list[Segment]:
    """The merge policy of a sync's commit (``writer.commit(mergetype=commit_merges)``): merge
    into the new segment what is cheap to merge, and the smallest segments when there would be
    more than ``MAX_SEGMENTS``; returns the segments kept as they are, then ``added`` (segments
    the sync's workers wrote, listed after them: see ``segments.py``)."""
    kept = list(segments)
    merged: list[Segment] = []
    while True:
        group = next_merge(kept)
        if len(kept) + 1 + len(added) > MAX_SEGMENTS:
            if not group or _docs(group) > CHEAP_DOCS:
                group = sorted(kept, key=lambda s: s.doc_count_all())[:FACTOR]
            if not group:
                break
        elif not group or _docs(merged) + _docs(group) > CHEAP_DOCS:
            break
        merged.extend(group)
        kept = [s for s in kept if s not in group]
    for segment in merged:
        _add_segment(writer, segment)
    return [*kept, *added]


def _add_segment(writer: SegmentWriter, segment: Segment, check: Callable[[], None] | None = None) -> None:
    reader = SegmentReader(writer.storage, writer.schema, segment)
    try:
        if check is not None:
            docs, postings = reader.iter_docs, reader.iter_postings
            reader.iter_docs = lambda: _checked(docs(), check)
            reader.iter_postings = lambda: _checked(postings(), check)
        writer.add_reader(reader)
    finally:
        reader.close()


def _checked(items: Iterator[T], check: Callable[[], None]) -> Iterator[T]:
    for n, item in enumerate(items):
        if n % CHECK_EVERY == 0:
            check()
        yield item


def merge_step(
    ix: whoosh_index.FileIndex,
    stop: threading.Event | None = None,
    between: Callable[[], None] | None = None,
) -> bool:
    """Make the next merge (``next_merge``) as a commit of its own; False when there is none.

    ``between`` is called every ``CHECK_EVERY`` documents or postings (the window lets quick
    writes through there); when ``stop`` is set the merge is dropped (``MergeStopped``) and the
    index is as it was. The caller holds the index's process lock (``CorpusIndex.merge``).
    """

    def check() -> None:
        if between is not None:
            between()
        if stop is not None and stop.is_set():
            raise MergeStopped

    writer = ix.writer(timeout=60.0, limitmb=48, compound=False)
    try:
        group = next_merge(writer.segments)
        if not group:
            writer.cancel()
            return False

        def merge(w: SegmentWriter, segments: list[Segment]) -> list[Segment]:
            for segment in group:
                _add_segment(w, segment, check)
            check()
            return [s for s in segments if s not in group]

        writer.commit(mergetype=merge)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    return True


__all__ = [
    "CHEAP_DOCS",
    "FACTOR",
    "MAX_SEGMENTS",
    "MergeStopped",
    "commit_merges",
    "merge_step",
    "next_merge",
]
