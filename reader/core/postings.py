"""An article's index postings computed ahead of the writer: in a worker process of a big sync.

Whoosh's ``add_document`` spends most of its time analysing the text fields (tokens, folding,
stemming, the positions of each term: ``field.index(value)``); in a cold index of Reuters that
was a fifth of the whole. ``analyse`` does that part for one document wherever it runs (a worker
of ``index_pool``), and ``PreparedWriter``, the sync's Whoosh writer, adds the postings it is
given instead of analysing the text again. The postings are those the field itself would give
(the same function computes them), so the index is the same either way.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.codec.whoosh3 import _lenfield
from whoosh.fields import Schema
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from reader.core.schema import TEXT_FIELDS, make_schema

#: One field's postings: (term bytes, frequency, weight, encoded value) per distinct term.
Postings = list[tuple[bytes, int, float, bytes]]
#: The key of a document's fields that carries its prepared postings (Whoosh ignores fields
#: whose names start with an underscore).
POSTINGS_KEY = "_postings"


@lru_cache(maxsize=1)
def _schema() -> Schema:
    return make_schema()


def analyse(doc: dict[str, Any]) -> dict[str, Postings]:
    """The postings of the text fields of ``doc`` (a ``document_for`` dict), as the index's
    schema analyses them."""
    schema = _schema()
    return {name: list(schema[name].index(doc[name])) for name in TEXT_FIELDS if doc.get(name) is not None}


#: Postings per pickle in a run of the posting pool (see ``_BlockPool``).
RUN_BLOCK = 4096


class _BlockPool(PostingPool):  # type: ignore[misc]
    """Whoosh's posting pool, its sorted runs on disk pickled in blocks of ``RUN_BLOCK``
    postings instead of one pickle per posting (a pickle call each way per posting was a fifth
    of a worker's time writing a slice of 2,000 Reuters stories); same order, same postings."""

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        """Overrides SortingPool._write_run."""
        block: list[Any] = []
        for item in items:
            block.append(item)
            if len(block) >= RUN_BLOCK:
                pickle.dump(block, f, pickle.HIGHEST_PROTOCOL)
                block = []
        if block:
            pickle.dump(block, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        """Overrides SortingPool._read_run."""
        f = self._open_run(path)
        try:
            while True:
                try:
                    block = pickle.load(f)
                except EOFError:
                    return
                yield from block
        finally:
            f.close()
            self._remove_run(path)


class PreparedWriter(SegmentWriter):  # type: ignore[misc]
    """A Whoosh segment writer that takes a document's text postings from ``_postings`` when it
    has them (``analyse``), and analyses the text itself otherwise."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = _BlockPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        #: The length of each field of each document added with its postings, as the segment
        #: keeps it (one byte), for ``_flush_segment``.
        self._doc_lengths: dict[str, dict[int, int]] = {}

    def add_document(self, **fields: Any) -> None:
        """Overrides SegmentWriter.add_document: the same steps (Whoosh 2.7.5), with the
        postings of prepared fields taken as given."""
        prepared: dict[str, Postings] | None = fields.pop(POSTINGS_KEY, None)
        if prepared is None:
            super().add_document(**fields)
            return
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_post = self.pool.add
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    items = prepared[fieldname] if fieldname in prepared else field.index(value)
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in items:
                        weight *= fieldboost
                        if scorable:
                            length += freq
                        add_post((fieldname, tbytes, docnum, weight, vbytes))
                    if length:
                        lengths = self._doc_lengths.setdefault(fieldname, {})
                        lengths[docnum] = byte_to_length(length_to_byte(length))
                if field.separate_spelling() or field.vector:
                    raise ValueError(f"field {fieldname!r}: spelling and vectors are not prepared")
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """Overrides SegmentWriter._flush_segment: the same, with the field lengths read through
        ``_Lengths`` (Whoosh looks for the lengths file of a field that has none, such as the
        path, the date or the language, once per posting: an ``os.stat`` each, 7% of a commit)."""
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(pdr, self._doc_lengths) if pdr else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()


class _Lengths:
    """A segment's per-document reader for ``add_postings``, which asks only for field lengths:
    a field without lengths is looked up once, not once per posting, and the lengths of the
    documents the writer added with their postings are those it noted (reading them back from
    the segment's column was 8% of a worker's time)."""

    def __init__(self, pdr: Any, known: dict[str, dict[int, int]]) -> None:
        self._pdr = pdr
        self._known = known
        self._without: set[str] = set()

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> Any:
        known = self._known.get(fieldname)
        if known is not None:
            length = known.get(docnum)
            if length is not None:
                return length
        if fieldname in self._without:
            return default
        length = self._pdr.doc_field_length(docnum, fieldname, default)
        if length is default and not self._pdr.has_column(_lenfield(fieldname)):
            self._without.add(fieldname)
        return length
