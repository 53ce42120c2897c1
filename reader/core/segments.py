"""Whoosh segments written by the worker processes of a big sync, added whole to the index.

At a commit, Whoosh's writer sorts every posting of the batch and writes the segment's terms and
posting blocks (pickles, zlib): in a cold index that was most of the writer's time, in the one
process that also keeps the catalog. Here each worker writes its own segment of a contiguous
slice of the files (``SegmentBuilder``, in a folder of its own under ``staging``), as Whoosh's
own ``MpWriter`` sub-writers do, and the sync's writer only moves the finished files into the
index's folder (``adopt``) and lists the segments in its table of contents, after the segments
it keeps and in the order of the files. Document numbers, and so the order of equal scores,
are then those of one writer adding the files in that order.

The staging folder is outside the index's own folder: Whoosh deletes, at every commit, the
files of that folder that belong to no listed segment, which would include a worker's segment
being written. Whatever a cancelled or failed sync leaves there is removed by the next one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from reader.core.postings import PreparedWriter
from reader.core.schema import INDEX_NAME, make_schema

#: The folder (in the index's folder, beside ``whoosh``) where workers write their segments.
STAGING = "staging"
#: A worker's posting pool (each worker has one while it writes a segment).
WORKER_LIMIT_MB = 32

Segment = Any  # whoosh.codec.whoosh3.W3Segment (untyped)


class SegmentBuilder:
    """In a worker: writes the documents of one slice at a time into a new segment."""

    def __init__(self, staging: Path) -> None:
        self.dir = staging / f"worker-{os.getpid()}"
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        # An index of its own, never committed: a writer needs one for its schema and storage.
        self._ix = whoosh_index.create_in(str(self.dir), make_schema(), indexname=INDEX_NAME)
        self._writer: PreparedWriter | None = None
        #: The suggestion words of the slice's articles (how many hold each), sent with its
        #: segment: the parent adds them to the catalog's word list once, not a set per article.
        self.words: Counter[str] = Counter()

    def add(self, doc: dict[str, Any], words: Iterable[str] = ()) -> None:
        if self._writer is None:
            self._writer = PreparedWriter(self._ix, _lk=False, limitmb=WORKER_LIMIT_MB, compound=False)
        self._writer.add_document(**doc)
        self.words.update(words)

    def take_words(self) -> Counter[str]:
        """The slice's word counts (``words``), starting the next slice's."""
        words, self.words = self.words, Counter()
        return words

    def finish(self) -> tuple[Segment, list[str]] | None:
        """Write the segment of the documents added since the last call: the segment and its
        files (None when there were none)."""
        writer, self._writer = self._writer, None
        if writer is None:
            return None
        if not writer._added:  # (an exception in add_document before any document)
            writer.cancel()
            return None
        segment = writer._finalize_segment()
        writer._finish()
        prefix = f"{segment.segment_id()}."
        files = sorted(str(self.dir / name) for name in os.listdir(self.dir) if name.startswith(prefix))
        return segment, files


@dataclass
class SliceEnd:
    """The end of a slice of a sync's files (see ``index_pool.ReaderPool.slices``): the segment its
    worker wrote of their articles, with its files (None when no article was written)."""

    segment: tuple[Segment, list[str]] | None
    #: The suggestion words of the articles in ``segment`` (``SegmentBuilder.words``).
    words: Mapping[str, int] = field(default_factory=dict)
    #: The workers stopped before writing this slice's segment (``PoolFailed``): the files
    #: given since the last ``SliceEnd`` are not in any segment and come again, to read here.
    dropped: bool = False


def adopt(files: list[str], whoosh_dir: Path) -> None:
    """Move a worker's finished segment files into the index's folder (the same file system:
    a rename each)."""
    for name in files:
        os.replace(name, whoosh_dir / os.path.basename(name))


def clear_staging(index_dir: Path) -> None:
    """Remove what an earlier sync's workers left (a cancelled or failed sync)."""
    with contextlib.suppress(OSError):
        shutil.rmtree(index_dir / STAGING)
