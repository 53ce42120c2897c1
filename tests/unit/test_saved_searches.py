"""Saved searches: stored in the annotations database (schema 2), counts and new matches across syncs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.annotations import SCHEMA_VERSION, AnnotationError, AnnotationStore, new_bookmark
from reader.core.index import open_index
from reader.core.saved_searches import (
    count_all,
    delete_search,
    mark_opened,
    matching_paths,
    save_search,
    saved_searches,
)
from reader.core.search import SearchService
from tests.helpers import write_article

# The version-1 schema as released: a database written by the previous version of the app.
V1 = """CREATE TABLE annotations (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, corpus TEXT NOT NULL, path TEXT NOT NULL,
    exact TEXT NOT NULL DEFAULT '', prefix TEXT NOT NULL DEFAULT '', suffix TEXT NOT NULL DEFAULT '',
    start INTEGER NOT NULL DEFAULT 0, "end" INTEGER NOT NULL DEFAULT 0, text_hash TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'anchored',
    title TEXT NOT NULL DEFAULT '', date TEXT, created TEXT NOT NULL, modified TEXT NOT NULL)"""


def test_a_version_1_database_migrates_to_2_keeping_its_annotations(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite3"
    db = sqlite3.connect(path)
    db.execute(V1)
    db.execute(
        "INSERT INTO annotations (id, kind, corpus, path, title, created, modified) "
        "VALUES ('urn:uuid:1', 'bookmark', '/c', 'a.txt', 'Kept', '2020-01-01', '2020-01-01')"
    )
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    store = AnnotationStore(path)
    assert not store.read_only and store.notice == ""
    assert [a.title for a in store.for_corpus("/c")] == ["Kept"]
    save_search(store, "/c", "Fires", "fire", {"a.txt"})
    assert [s.name for s in saved_searches(store, "/c")] == ["Fires"]
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
    db.close()


def test_a_newer_database_read_only_lists_saved_searches_but_saves_none(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite3"
    store = AnnotationStore(path)
    save_search(store, "/c", "Fires", "fire", set())
    store.put(new_bookmark("/c", "a.txt", 0, "A"))
    store.close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    store = AnnotationStore(path)
    assert store.read_only
    assert [s.query for s in saved_searches(store, "/c")] == ["fire"]
    with pytest.raises(AnnotationError, match="read-only"):
        save_search(store, "/c", "Other", "harbour", set())
    store.close()


def test_saving_a_name_again_replaces_its_query_and_names_are_needed(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "a.sqlite3")
    first = save_search(store, "/c", "  My   search ", "fire", {"a.txt"})
    again = save_search(store, "/c", "My search", "harbour", {"b.txt"})
    assert first.id == again.id and again.name == "My search"
    assert again.query == "harbour" and again.seen == frozenset({"b.txt"})
    assert saved_searches(store, "/other") == []
    with pytest.raises(AnnotationError):
        save_search(store, "/c", "  ", "fire", set())
    delete_search(store, again.id)
    assert saved_searches(store, "/c") == []
    store.close()


def test_new_matches_are_counted_across_syncs_until_opened(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Harbour fire", "2020-01-01", "A fire in the harbour.")
    write_article(corpus, "b.txt", "Quiet day", "2020-01-02", "Nothing burned.")
    index = open_index(corpus, tmp_path / "index")
    index.sync()
    service = SearchService(index)
    store = AnnotationStore(tmp_path / "annotations.sqlite3")
    c = str(corpus)
    saved = save_search(store, c, "Fires", "fire", matching_paths(service.searcher(), "fire"))
    [counted] = count_all(store, c, service.searcher())
    assert (counted.total, counted.new) == (1, 0)

    # Two new fires and one unrelated article arrive; the old fire is deleted.
    write_article(corpus, "c.txt", "Forest fire", "2020-02-01", "Fire spread through the forest.")
    write_article(corpus, "d.txt", "Fires again", "2020-02-02", "More fires downtown.")
    write_article(corpus, "e.txt", "Markets", "2020-02-03", "Shares rose.")
    (corpus / "a.txt").unlink()
    index.sync()
    [counted] = count_all(store, c, service.searcher())
    assert (counted.total, counted.new) == (2, 2)

    mark_opened(store, saved.id, matching_paths(service.searcher(), saved.query))
    [counted] = count_all(store, c, service.searcher())
    assert (counted.total, counted.new) == (2, 0) and counted.search.last_opened

    write_article(corpus, "f.txt", "Fire drill", "2020-03-01", "A fire drill at school.")
    index.sync()
    [counted] = count_all(store, c, service.searcher())
    assert (counted.total, counted.new) == (3, 1)
    service.close()
    index.close()
    store.close()


def test_a_long_lived_search_service_stops_finding_a_deleted_article(tmp_path: Path) -> None:
    # Whoosh's Searcher.refresh() kept deleted documents of a reused segment visible.
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Harbour fire", "2020-01-01", "A fire in the harbour.")
    write_article(corpus, "b.txt", "Another fire", "2020-01-02", "A fire again.")
    index = open_index(corpus, tmp_path / "index")
    index.sync()
    service = SearchService(index)
    assert service.search("fire").total == 2
    (corpus / "a.txt").unlink()
    index.sync()
    assert [h.path for h in service.search("fire").hits] == ["b.txt"]
    assert matching_paths(service.searcher(), "fire") == {"b.txt"}
    service.close()
    index.close()
