"""Annotations: storage, re-anchoring after edits, renames, orphans, export and import."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import reader.core.annotations as annotations_module
from reader.core.anchoring import Quote, anchor, quote_at
from reader.core.annotation_io import from_w3c, to_markdown, to_w3c
from reader.core.annotation_sync import reconcile
from reader.core.annotations import (
    SCHEMA_VERSION,
    AnnotationError,
    AnnotationStore,
    new_bookmark,
    new_highlight,
)
from reader.core.corpus import load_article
from reader.core.index import open_index

TEXT = (
    "The talks resumed in Vienna on Monday. Delegates said the Minsk group would meet again. "
    "Observers were cautious. The Minsk group has met many times since 1992."
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AnnotationStore]:
    s = AnnotationStore(tmp_path / "annotations.sqlite3")
    yield s
    s.close()


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


# --- anchoring ---------------------------------------------------------------------------


def test_anchor_keeps_the_position_when_the_quote_is_still_there() -> None:
    s, e = span(TEXT, "Observers were cautious.")
    assert anchor(TEXT, quote_at(TEXT, s, e), s, e).how == "position"  # type: ignore[union-attr]


def test_anchor_follows_a_moved_quote() -> None:
    s, e = span(TEXT, "Observers were cautious.")
    edited = "UPDATE: a new first sentence. " + TEXT
    found = anchor(edited, quote_at(TEXT, s, e), s, e)
    assert found is not None and found.how == "exact"
    assert edited[found.start : found.end] == "Observers were cautious."


def test_anchor_uses_context_to_choose_among_repeats() -> None:
    s, e = span(TEXT, "Minsk group", nth=1)  # the second one: "The Minsk group has met…"
    quote = quote_at(TEXT, s, e)
    edited = TEXT.replace("The talks", "The long talks")  # shifts both repeats
    found = anchor(edited, quote, s, e)
    assert found is not None
    assert found.start == span(edited, "Minsk group", nth=1)[0]


def test_anchor_finds_a_lightly_edited_quote_fuzzily() -> None:
    s, e = span(TEXT, "Delegates said the Minsk group would meet again.")
    edited = TEXT.replace(
        "Delegates said the Minsk group would meet again.",
        "Delegates said that the Minsk group will meet again.",
    )
    found = anchor(edited, quote_at(TEXT, s, e), s, e)
    assert found is not None and found.how == "fuzzy"
    assert edited[found.start : found.end] == "Delegates said that the Minsk group will meet again."


def test_anchor_gives_up_when_the_passage_is_gone() -> None:
    s, e = span(TEXT, "Observers were cautious.")
    edited = TEXT.replace("Observers were cautious. ", "")
    assert anchor(edited, quote_at(TEXT, s, e), s, e) is None


def test_anchor_without_position_uses_the_quote() -> None:
    assert anchor(TEXT, Quote("Vienna")) is not None


# --- storage -----------------------------------------------------------------------------


def test_highlight_round_trips_through_the_database(store: AnnotationStore, tmp_path: Path) -> None:
    s, e = span(TEXT, "Minsk group")
    h = new_highlight(
        "/c", "a.txt", TEXT, s, e, "green", note="the mediators", title="Talks", date="2020-07-30"
    )
    store.put(h)
    store.close()
    again = AnnotationStore(tmp_path / "annotations.sqlite3")
    assert again.get(h.id) == h
    assert again.for_article("/c", "a.txt") == [h]
    assert h.prefix == TEXT[max(0, s - 32) : s] and h.suffix == TEXT[e : e + 32]
    again.close()


def test_update_and_delete(store: AnnotationStore) -> None:
    h = new_highlight("/c", "a.txt", TEXT, 0, 9, "yellow")
    store.put(h)
    changed = store.update(h.id, color="pink", note="check this")
    assert (changed.color, changed.note) == ("pink", "check this")
    assert changed.modified >= h.modified
    deleted = store.delete(h.id)
    assert deleted == changed and store.get(h.id) is None
    store.put(deleted)  # undo
    assert store.get(h.id) == changed


def test_bad_highlights_are_refused(store: AnnotationStore) -> None:
    with pytest.raises(AnnotationError):
        new_highlight("/c", "a.txt", TEXT, 5, 5, "yellow")
    with pytest.raises(AnnotationError):
        new_highlight("/c", "a.txt", TEXT, 0, 5, "octarine")


def test_database_has_schema_version_wal_and_foreign_keys(store: AnnotationStore, tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "annotations.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_damaged_database_is_moved_aside_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    s = AnnotationStore(path)
    assert "damaged" in s.notice
    kept = list(tmp_path.glob("annotations.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"this is not a database" * 100
    s.put(new_bookmark("/c", "a.txt", 0, "A"))
    assert len(s.for_corpus("/c")) == 1
    s.close()


def test_two_openers_migrating_at_once_keep_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two threads (or windows) opening an old database at once: the one that waited for the
    migration lock finds the migration done, not a "damaged" database to move aside."""
    path = tmp_path / "annotations.sqlite3"
    s = AnnotationStore(path)
    s.put(new_bookmark("/c", "a.txt", 0, "A"))
    s.close()
    old = sqlite3.connect(path)
    old.execute("DROP TABLE saved_searches")
    old.execute("PRAGMA user_version=1")
    old.commit()
    old.close()

    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the other opener is migrating
    waiting = threading.Event()
    connect = sqlite3.connect

    class Spy:
        def __init__(self, db: sqlite3.Connection) -> None:
            self._db = db

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql == "BEGIN IMMEDIATE":
                waiting.set()  # it read version 1 and now waits for the lock
            return self._db.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self._db, name)

    monkeypatch.setattr(annotations_module.sqlite3, "connect", lambda *a, **k: Spy(connect(*a, **k)))
    opened: list[tuple[str, list[str]]] = []

    def open_store() -> None:
        store = AnnotationStore(path)
        opened.append((store.notice, [a.path for a in store.for_corpus("/c")]))
        store.close()

    thread = threading.Thread(target=open_store)
    thread.start()
    assert waiting.wait(10)
    for statement in annotations_module._MIGRATIONS[1]:
        other.execute(statement)
    other.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    other.execute("COMMIT")
    other.close()
    thread.join(10)
    assert opened == [("", ["a.txt"])]
    assert not list(tmp_path.glob("*.damaged-*"))


_HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=DELETE")
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
print("released", flush=True)
"""


def _store_with_highlight(path: Path) -> str:
    s = AnnotationStore(path)
    h = new_highlight("/c", "a.txt", TEXT, 4, 9, "yellow", note="mine")
    s.put(h)
    s.close()
    return h.id


def test_a_database_locked_by_another_process_is_reported_never_moved_aside(tmp_path: Path) -> None:
    """The command line writing while the window opens (or the other way round): "database is
    locked" is a lock to wait for, not damage. Waited out, then a clear message; the file stays."""
    import subprocess
    import sys

    path = tmp_path / "annotations.sqlite3"
    highlight = _store_with_highlight(path)
    with subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        try:
            with pytest.raises(AnnotationError, match="locked by another program") as raised:
                AnnotationStore(path, busy_timeout=0.3)
            assert "\n" not in str(raised.value)
            assert not list(tmp_path.glob("*.damaged-*"))
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == "released"
    s = AnnotationStore(path, busy_timeout=0.3)
    assert s.notice == ""
    found = s.get(highlight)
    assert found is not None and found.note == "mine"
    s.close()


def test_opening_waits_for_a_lock_that_is_released(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "annotations.sqlite3"
    highlight = _store_with_highlight(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("PRAGMA journal_mode=DELETE")
    other.execute("BEGIN EXCLUSIVE")
    trying = threading.Event()
    connect = sqlite3.connect

    def spying_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        trying.set()
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(annotations_module.sqlite3, "connect", spying_connect)

    def release() -> None:
        trying.wait(10)
        other.execute("COMMIT")

    thread = threading.Thread(target=release)
    thread.start()
    s = AnnotationStore(path, busy_timeout=30)
    thread.join(10)
    other.close()
    assert s.notice == "" and s.get(highlight) is not None
    assert not list(tmp_path.glob("*.damaged-*"))
    s.close()


def test_a_write_meeting_a_lock_says_so_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite3"
    s = AnnotationStore(path, busy_timeout=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(AnnotationError, match="locked by another program"):
        s.put(new_bookmark("/c", "a.txt", 0, "A"))
    other.execute("COMMIT")
    other.close()
    s.put(new_bookmark("/c", "a.txt", 0, "A"))
    assert len(s.for_corpus("/c")) == 1
    s.close()


def test_a_database_failing_its_integrity_check_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite3"
    s = AnnotationStore(path)
    s.put_many([new_bookmark("/c", f"{i:05}.txt" * 20, 0, "A" * 200) for i in range(2000)])
    s.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    data = bytearray(path.read_bytes())
    middle = len(data) // 4096 // 2
    for page in range(middle, middle + 3):  # pages of the table cut to garbage
        data[page * 4096 : page * 4096 + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    s = AnnotationStore(path)
    assert "damaged" in s.notice and "malformed" in s.notice
    kept = list(tmp_path.glob("annotations.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data)
    assert s.for_corpus("/c") == []
    s.close()


def test_newer_database_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "annotations.sqlite3"
    s = AnnotationStore(path)
    s.put(new_bookmark("/c", "a.txt", 0, "A"))
    s.close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    s = AnnotationStore(path)
    assert s.read_only and "newer version" in s.notice
    assert len(s.for_corpus("/c")) == 1
    with pytest.raises(AnnotationError, match="read-only"):
        s.put(new_bookmark("/c", "b.txt", 0, "B"))
    s.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1  # not migrated down
    db.close()


# --- after a sync ----------------------------------------------------------------------


@pytest.fixture
def annotated(corpus: Path, tmp_path: Path, store: AnnotationStore):  # type: ignore[no-untyped-def]
    """The corpus indexed, with a highlight on "Minsk group" in the seed and one in fire.md."""
    index = open_index(corpus, tmp_path / "ix")
    index.sync()
    seed = load_article(corpus, "000_a48a5c26eb42239f.txt")
    s, e = span(seed.plain_text, "OSCE Minsk group")
    h1 = new_highlight(str(corpus), seed.path, seed.plain_text, s, e, "yellow", note="mediators")
    fire = load_article(corpus, "markets/fire.md")
    s, e = span(fire.plain_text, "Negotiations about compensation")
    h2 = new_highlight(str(corpus), fire.path, fire.plain_text, s, e, "blue")
    store.put_many([h1, h2])
    yield index, h1, h2
    index.close()


def test_edited_article_keeps_its_highlight_in_place(annotated, corpus: Path, store: AnnotationStore) -> None:  # type: ignore[no-untyped-def]
    index, h1, _ = annotated
    seed = corpus / "000_a48a5c26eb42239f.txt"
    seed.write_text(
        seed.read_text("utf-8").replace("Russia calls on", "Moscow, July 30. Russia calls on"), "utf-8"
    )
    result = reconcile(store, corpus, index.sync())
    assert result.reanchored == 1 and result.orphaned == 0
    moved = store.get(h1.id)
    text = load_article(corpus, "000_a48a5c26eb42239f.txt").plain_text
    assert moved is not None and moved.state == "anchored" and moved.start > h1.start
    assert text[moved.start : moved.end] == "OSCE Minsk group"


def test_renamed_article_keeps_its_highlights(annotated, corpus: Path, store: AnnotationStore) -> None:  # type: ignore[no-untyped-def]
    index, _, h2 = annotated
    (corpus / "archive").mkdir()
    (corpus / "markets/fire.md").rename(corpus / "archive/fire-2019.md")
    result = reconcile(store, corpus, index.sync())
    assert result.moved == [("markets/fire.md", "archive/fire-2019.md")]
    kept = store.get(h2.id)
    assert kept is not None and kept.path == "archive/fire-2019.md" and kept.state == "anchored"


def test_deleted_passage_orphans_the_highlight_and_keeps_quote_and_note(
    annotated, corpus: Path, store: AnnotationStore
) -> None:  # type: ignore[no-untyped-def]
    index, h1, _ = annotated
    seed = corpus / "000_a48a5c26eb42239f.txt"
    seed.write_text(seed.read_text("utf-8").replace("OSCE Minsk group", "OSCE mediators"), "utf-8")
    result = reconcile(store, corpus, index.sync())
    assert result.orphaned == 1
    orphan = store.get(h1.id)
    assert orphan is not None and orphan.state == "orphaned"
    assert (orphan.exact, orphan.note) == ("OSCE Minsk group", "mediators")
    assert store.for_corpus(str(corpus), state="orphaned") == [orphan]
    # Put the passage back: the orphan re-attaches by itself on the next sync.
    seed.write_text(seed.read_text("utf-8").replace("OSCE mediators", "OSCE Minsk group"), "utf-8")
    reconcile(store, corpus, index.sync())
    assert store.get(h1.id).state == "anchored"  # type: ignore[union-attr]


def test_deleted_article_orphans_its_highlights(annotated, corpus: Path, store: AnnotationStore) -> None:  # type: ignore[no-untyped-def]
    index, _, h2 = annotated
    (corpus / "markets/fire.md").unlink()
    result = reconcile(store, corpus, index.sync())
    assert result.orphaned == 1 and store.get(h2.id).state == "orphaned"  # type: ignore[union-attr]


def test_orphan_can_be_reattached_by_the_user(store: AnnotationStore) -> None:
    h = replace(new_highlight("/c", "a.txt", TEXT, 0, 9, "yellow", note="n"), state="orphaned")
    store.put(h)
    s, e = span(TEXT, "Vienna")
    again = store.reattach(h, TEXT, s, e, path="b.txt")
    assert (again.state, again.path, again.exact, again.note) == ("anchored", "b.txt", "Vienna", "n")


# --- export and import --------------------------------------------------------------------


def test_w3c_export_import_round_trip_is_equal(store: AnnotationStore) -> None:
    s, e = span(TEXT, "Minsk group")
    items = [
        new_highlight("/c", "a.txt", TEXT, s, e, "green", note="mediators", title="Talks", date="2020-07-30"),
        new_highlight("/c", "a.txt", TEXT, 0, 9, "pink"),
        new_bookmark("/c", "a.txt", 40, "Talks", "2020-07-30"),
    ]
    exported = json.loads(json.dumps(to_w3c(items)))
    assert exported["@context"] == "http://www.w3.org/ns/anno.jsonld"
    first = exported["first"]["items"][0]
    assert first["target"]["source"] == "a.txt"
    assert {sel["type"] for sel in first["target"]["selector"]} == {
        "TextQuoteSelector",
        "TextPositionSelector",
    }
    assert first["body"] == {
        "type": "TextualBody",
        "value": "mediators",
        "format": "text/plain",
        "purpose": "commenting",
    }
    imported = from_w3c(exported, "/c", lambda path: TEXT)
    assert imported == items


def test_quote_only_import_finds_the_position() -> None:
    data = [
        {
            "id": "urn:uuid:1",
            "type": "Annotation",
            "target": {
                "source": "a.txt",
                "selector": {"type": "TextQuoteSelector", "exact": "Observers were cautious."},
            },
        }
    ]
    (a,) = from_w3c(data, "/c", lambda path: TEXT)
    assert TEXT[a.start : a.end] == "Observers were cautious." and a.state == "anchored"
    (orphan,) = from_w3c(data, "/c", lambda path: None)  # article not in the corpus
    assert orphan.state == "orphaned" and orphan.exact == "Observers were cautious."


@pytest.mark.parametrize(
    "data",
    [
        {"type": "Something"},
        [{"type": "Annotation"}],
        [{"type": "Annotation", "target": {"source": "a.txt", "selector": []}}],
        [
            {
                "type": "Annotation",
                "id": "x",
                "target": {"source": "a.txt", "selector": {"type": "TextQuoteSelector", "exact": "Vienna"}},
            }
        ]
        * 2,
        [1, 2],
    ],
)
def test_malformed_imports_are_rejected_whole(data: object) -> None:
    with pytest.raises(AnnotationError):
        from_w3c(data, "/c", lambda path: TEXT)


def test_markdown_export_groups_by_article() -> None:
    s, e = span(TEXT, "Minsk group")
    md = to_markdown(
        [
            new_highlight(
                "/c", "a.txt", TEXT, s, e, "green", note="mediators", title="Talks", date="2020-07-30"
            ),
            new_bookmark("/c", "a.txt", 40, "Talks", "2020-07-30"),
        ]
    )
    assert "## Talks\n\n2020-07-30 · `a.txt`\n" in md
    assert "> Minsk group\n\n*green*\n\nmediators\n" in md
