"""Saved searches: a query kept under a name, with how many articles match it and how many of
them are new since it was last opened (and unread: ``marks.py``). A saved search can carry a label,
which makes it a rule (``rules.py``).

They live in the annotations database (table ``saved_searches``, schema version 2), beside the
user's other own data. "New" is the articles matching now minus the articles that matched when
the search was last opened (or saved): the paths seen then are kept with it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from whoosh.searching import Searcher

from reader.core.annotations import AnnotationError, AnnotationStore, now
from reader.core.mark_filter import MarkSource
from reader.core.marks import read_paths
from reader.core.query import matching_docnums

MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class SavedSearch:
    id: int
    corpus: str
    name: str
    query: str
    created: str
    last_opened: str | None
    seen: frozenset[str]
    label_id: int | None = None  # a rule: matching articles get this label (rules.py)


@dataclass(frozen=True)
class SavedSearchCount:
    """A saved search with its counts now: ``total`` matching articles, ``new`` of them unseen,
    ``unread`` of them not read."""

    search: SavedSearch
    total: int
    new: int
    unread: int = 0


def matching_paths(searcher: Searcher, text: str, marks: MarkSource | None = None) -> set[str]:
    """The paths of every article matching the user query ``text`` (none for an empty query)."""
    docnums = matching_docnums(searcher, text, all_when_empty=False, marks=marks)
    return {searcher.stored_fields(docnum)["path"] for docnum in docnums}


def count(search: SavedSearch, matches: set[str], read: set[str] | None = None) -> SavedSearchCount:
    unread = len(matches - read) if read is not None else len(matches)
    return SavedSearchCount(search, len(matches), len(matches - search.seen), unread)


def _row(row: tuple[int, str, str, str, str, str | None, str, int | None]) -> SavedSearch:
    id_, corpus, name, query, created, last_opened, seen, label_id = row
    try:
        paths = frozenset(str(p) for p in json.loads(seen))
    except (ValueError, TypeError):
        paths = frozenset()
    return SavedSearch(id_, corpus, name, query, created, last_opened, paths, label_id)


_COLUMNS = "id, corpus, name, query, created, last_opened, seen, label_id"


def saved_searches(store: AnnotationStore, corpus: str) -> list[SavedSearch]:
    """The saved searches of ``corpus``, by name (none in a database without the table)."""
    try:
        rows = store.db.execute(
            f"SELECT {_COLUMNS} FROM saved_searches WHERE corpus = ? ORDER BY name COLLATE NOCASE, id",
            (corpus,),
        )
    except sqlite3.OperationalError:  # a newer database opened read-only may lack it
        return []
    return [_row(r) for r in rows]


def get(store: AnnotationStore, search_id: int) -> SavedSearch | None:
    row = store.db.execute(f"SELECT {_COLUMNS} FROM saved_searches WHERE id = ?", (search_id,)).fetchone()
    return _row(row) if row else None


def save_search(store: AnnotationStore, corpus: str, name: str, query: str, matches: set[str]) -> SavedSearch:
    """Save ``query`` as ``name`` (replacing a saved search of that name); the articles matching
    now count as seen."""
    name = " ".join(name.split())[:MAX_NAME_CHARS]
    if not name:
        raise AnnotationError("a saved search needs a name")
    if not query.strip():
        raise AnnotationError("there is no search to save")
    stamp = now()
    with store.transaction():
        store.db.execute(
            "INSERT INTO saved_searches (corpus, name, query, created, last_opened, seen) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (corpus, name) DO UPDATE SET "
            "query = excluded.query, last_opened = excluded.last_opened, seen = excluded.seen",
            (corpus, name, query.strip(), stamp, stamp, json.dumps(sorted(matches))),
        )
    row = store.db.execute(
        f"SELECT {_COLUMNS} FROM saved_searches WHERE corpus = ? AND name = ?", (corpus, name)
    ).fetchone()
    return _row(row)


def mark_opened(store: AnnotationStore, search_id: int, matches: set[str]) -> SavedSearch | None:
    """The user opened the saved search: what matches now is seen."""
    with store.transaction():
        store.db.execute(
            "UPDATE saved_searches SET last_opened = ?, seen = ? WHERE id = ?",
            (now(), json.dumps(sorted(matches)), search_id),
        )
    return get(store, search_id)


def delete_search(store: AnnotationStore, search_id: int) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))


def count_all(
    store: AnnotationStore, corpus: str, searcher: Searcher, marks: MarkSource | None = None
) -> list[SavedSearchCount]:
    """Every saved search of ``corpus`` with its counts against the index as it is now."""
    read = read_paths(store, corpus)
    return [count(s, matching_paths(searcher, s.query, marks), read) for s in saved_searches(store, corpus)]
