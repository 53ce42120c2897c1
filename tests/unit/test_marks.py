"""Read state and labels: the migration from the release's schema, storage, following articles
through syncs (renames, changes, deletions, rebuilds), the is:/label: query terms and rules."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import label_changes, marks, rules
from reader.core.annotation_io import from_w3c, to_markdown, to_w3c
from reader.core.annotation_sync import reconcile
from reader.core.annotations import SCHEMA_VERSION, AnnotationError, AnnotationStore, new_highlight
from reader.core.corpus import load_article
from reader.core.index import CorpusIndex, open_index
from reader.core.mark_filter import MarkSource
from reader.core.saved_searches import count_all, save_search, saved_searches
from reader.core.search import SearchService
from tests.helpers import write_article

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "annotations-v2.sqlite3"
SEED = "000_a48a5c26eb42239f.txt"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AnnotationStore]:
    s = AnnotationStore(tmp_path / "annotations.sqlite3")
    yield s
    s.close()


class World:
    """A corpus with its index, annotations and a search service that knows the marks."""

    def __init__(self, root: Path, corpus: Path) -> None:
        self.corpus = corpus
        self.key = str(corpus)
        self.db = root / "annotations.sqlite3"
        self.store = AnnotationStore(self.db)
        self.index: CorpusIndex = open_index(corpus, root / "index")
        self.index.sync()
        self.service = SearchService(self.index, MarkSource(self.key, lambda: AnnotationStore(self.db)))

    def sync(self) -> None:
        report = self.index.sync()
        reconcile(self.store, self.corpus, report)
        with self.index.ix.searcher() as searcher:
            rules.run_rules(
                self.store,
                self.key,
                searcher,
                MarkSource(self.key, lambda: self.store),
                [*report.added_paths, *report.updated_paths],
            )

    def paths(self, query: str) -> set[str]:
        return {h.path for h in self.service.search(query, limit=1000, snippets=False).hits}

    def close(self) -> None:
        self.service.close()
        self.index.close()
        self.store.close()


@pytest.fixture
def world(tmp_path: Path, corpus: Path) -> Iterator[World]:
    w = World(tmp_path, corpus)
    yield w
    w.close()


# --- the migration ------------------------------------------------------------------------


def test_the_release_database_migrates_keeping_highlights_bookmarks_and_saved_searches(
    tmp_path: Path,
) -> None:
    # Written by the code of the release (schema 2): tests/fixtures/make_annotations_v2.py.
    path = tmp_path / "annotations.sqlite3"
    shutil.copy(FIXTURE, path)
    before = sqlite3.connect(path)
    assert before.execute("PRAGMA user_version").fetchone()[0] == 2
    rows = before.execute("SELECT * FROM annotations ORDER BY id").fetchall()
    searches = before.execute("SELECT * FROM saved_searches ORDER BY id").fetchall()
    before.close()

    store = AnnotationStore(path)
    assert not store.read_only and store.notice == ""
    after = store.db.execute("SELECT * FROM annotations ORDER BY id").fetchall()
    assert after == rows and len(rows) == 3
    kept = store.for_corpus("/corpus")
    assert sorted(a.kind for a in kept) == ["bookmark", "highlight", "highlight"]
    assert {a.note for a in kept} >= {"the mediators"}
    assert [(s.name, s.query, s.label_id) for s in saved_searches(store, "/corpus")] == [
        ("Fires", "fire", None),
        ("Minsk talks", '"Minsk group"', None),
    ]
    assert [r[:7] for r in store.db.execute("SELECT * FROM saved_searches ORDER BY id")] == searches
    # The new tables work on the migrated database.
    highlight = next(a for a in kept if a.kind == "highlight" and a.note)
    assert marks.set_tags(store, "/corpus", highlight.id, ["mediation"]) == ("mediation",)
    assert store.get(highlight.id).tags == ("mediation",)  # type: ignore[union-attr]
    assert marks.set_read(store, "/corpus", [SEED]) == [SEED]
    rules.set_rule(store, saved_searches(store, "/corpus")[1].id, "conflict")
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    db.close()
    again = AnnotationStore(path)
    assert marks.read_paths(again, "/corpus") == {SEED}
    assert [r.label.name for r in rules.rules(again, "/corpus")] == ["conflict"]
    again.close()


# --- storage --------------------------------------------------------------------------------


def test_read_state_changes_report_only_what_changed(store: AnnotationStore) -> None:
    g0 = marks.generation(store, "/c")
    assert marks.set_read(store, "/c", ["a.txt", "b.txt"]) == ["a.txt", "b.txt"]
    assert marks.set_read(store, "/c", ["b.txt", "c.txt"]) == ["c.txt"]
    assert marks.read_paths(store, "/c") == {"a.txt", "b.txt", "c.txt"}
    assert marks.set_read(store, "/c", ["a.txt", "x.txt"], read=False) == ["a.txt"]
    assert marks.read_paths(store, "/c") == {"b.txt", "c.txt"}
    assert marks.read_paths(store, "/other") == set()
    assert marks.generation(store, "/c") > g0
    g1 = marks.generation(store, "/c")
    assert marks.set_read(store, "/c", ["b.txt"]) == []
    assert marks.generation(store, "/c") == g1  # nothing changed: caches stay valid


def test_labels_have_a_colour_names_are_unique_in_any_case(store: AnnotationStore) -> None:
    assert marks.add_label(store, "/c", "Conflict", ["a.txt", "b.txt"]) == ["a.txt", "b.txt"]
    assert marks.add_label(store, "/c", "conflict", ["b.txt", "c.txt"]) == ["c.txt"]
    economy = marks.ensure_label(store, "/c", "  economy   news ", "blue")
    assert (economy.name, economy.color) == ("economy news", "blue")
    first = marks.label_named(store, "/c", "CONFLICT")
    assert first is not None and first.name == "Conflict" and first.color in marks.LABEL_COLORS
    assert first.color != economy.color or len(marks.LABEL_COLORS) == 1
    assert marks.paths_with_label(store, "/c", "conflict") == {"a.txt", "b.txt", "c.txt"}
    assert marks.remove_label(store, "/c", "Conflict", ["a.txt", "zzz.txt"]) == ["a.txt"]
    assert [x.name for x in marks.labels_of(store, "/c", "b.txt")] == ["Conflict"]
    with pytest.raises(AnnotationError):
        marks.ensure_label(store, "/c", "   ")
    with pytest.raises(AnnotationError):
        marks.ensure_label(store, "/c", "x", "chartreuse")
    counts = {c.label.name: c.to_json() for c in marks.label_counts(store, "/c")}
    assert counts["Conflict"]["count"] == 2 and counts["economy news"]["count"] == 0
    label_changes.delete_label(store, "/c", "conflict")
    assert marks.paths_with_label(store, "/c", "conflict") == set()
    assert [x.name for x in marks.labels(store, "/c")] == ["economy news"]


def test_highlight_tags_survive_edits_of_the_highlight_and_go_with_its_deletion(
    store: AnnotationStore,
) -> None:
    text = "The Minsk group met in Vienna. Observers were cautious."
    h = new_highlight("/c", "a.txt", text, 4, 15, "yellow")
    store.put(h)
    marks.set_tags(store, "/c", h.id, ["mediation", "Vienna", "mediation"])
    store.update(h.id, note="a note")  # put() replaces the row: tags must stay
    assert store.get(h.id).tags == ("mediation", "Vienna")  # type: ignore[union-attr]
    counts = {c.label.name: c.highlights for c in marks.label_counts(store, "/c")}
    assert counts == {"mediation": 1, "Vienna": 1}
    store.delete(h.id)
    assert {c.label.name: c.highlights for c in marks.label_counts(store, "/c")} == {
        "mediation": 0,
        "Vienna": 0,
    }


def test_w3c_and_markdown_carry_highlight_tags(store: AnnotationStore) -> None:
    text = "The Minsk group met in Vienna. Observers were cautious."
    h = new_highlight("/c", "a.txt", text, 4, 15, "yellow", note="who mediates", title="Talks")
    store.put(h)
    marks.set_tags(store, "/c", h.id, ["mediation", "OSCE"])
    tagged = store.get(h.id)
    assert tagged is not None
    data = to_w3c([tagged])
    item = data["items"][0] if "items" in data else data["first"]["items"][0]
    bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
    assert {"type": "TextualBody", "value": "mediation", "purpose": "tagging"} in bodies
    assert {"type": "TextualBody", "value": "OSCE", "purpose": "tagging"} in bodies
    assert any(b.get("purpose") == "commenting" and b["value"] == "who mediates" for b in bodies)
    back = from_w3c(data, "/c", lambda _path: text)
    assert back[0].tags == ("mediation", "OSCE") and back[0].note == "who mediates"
    assert "mediation" in to_markdown([tagged]) and "OSCE" in to_markdown([tagged])


# --- following articles through syncs -----------------------------------------------------


def test_a_renamed_article_keeps_its_read_state_and_labels(world: World) -> None:
    marks.set_read(world.store, world.key, ["markets/fire.md"])
    marks.add_label(world.store, world.key, "harbour", ["markets/fire.md"])
    (world.corpus / "archive").mkdir()
    (world.corpus / "markets/fire.md").rename(world.corpus / "archive/fire.md")
    world.sync()
    assert marks.read_paths(world.store, world.key) == {"archive/fire.md"}
    assert marks.paths_with_label(world.store, world.key, "harbour") == {"archive/fire.md"}
    assert marks.orphan_labels(world.store, world.key) == []
    assert world.paths("label:harbour is:read") == {"archive/fire.md"}


def test_a_changed_article_is_unread_again_and_new_ones_are_unread(world: World) -> None:
    every = world.paths("is:unread")
    assert len(every) == 5
    marks.set_read(world.store, world.key, every)
    assert world.paths("is:unread") == set()
    path = world.corpus / "markets/wire.txt"
    path.write_text(path.read_text("utf-8") + "\nThe dividend is payable in August.\n", "utf-8")
    write_article(world.corpus, "new.txt", "Harbour reopens", "2021-02-02", "The harbour reopened.")
    world.sync()
    assert world.paths("is:unread") == {"markets/wire.txt", "new.txt"}
    assert world.paths("is:read") == every - {"markets/wire.txt"}


def test_a_label_on_a_deleted_article_is_kept_as_an_orphan_until_removed(world: World) -> None:
    marks.add_label(
        world.store, world.key, "harbour", ["markets/fire.md"], {"markets/fire.md": ("Fire", None)}
    )
    (world.corpus / "markets/fire.md").unlink()
    world.sync()
    (orphan,) = marks.orphan_labels(world.store, world.key)
    assert (orphan.label.name, orphan.path, orphan.title) == ("harbour", "markets/fire.md", "Fire")
    assert world.paths("label:harbour") == set()
    counts = marks.label_counts(world.store, world.key)[0].to_json()
    assert (counts["count"], counts["orphaned"]) == (0, 1)
    # Back again: anchored again.
    write_article(world.corpus, "markets/fire.md", "Fire", "2019-01-05", "A new text about the fire.")
    world.sync()
    assert marks.orphan_labels(world.store, world.key) == []
    assert world.paths("label:harbour") == {"markets/fire.md"}
    marks.remove_label(world.store, world.key, "harbour", ["markets/fire.md"])
    assert marks.paths_with_label(world.store, world.key, "harbour") == set()


def test_read_state_and_labels_survive_a_rebuilt_and_a_damaged_index(world: World, tmp_path: Path) -> None:
    marks.set_read(world.store, world.key, [SEED, "markets/fire.md"])
    marks.add_label(world.store, world.key, "conflict", [SEED])
    world.index.rebuild()
    world.sync()
    assert world.paths("is:read") == {SEED, "markets/fire.md"}
    assert world.paths("label:conflict") == {SEED}
    world.service.close()
    world.index.close()
    for f in (tmp_path / "index").rglob("*.toc"):
        f.write_bytes(b"not an index")
    world.index = open_index(world.corpus, tmp_path / "index")
    assert world.index.rebuilt
    world.sync()
    world.service = SearchService(world.index, MarkSource(world.key, lambda: AnnotationStore(world.db)))
    assert world.paths("is:read") == {SEED, "markets/fire.md"}
    assert world.paths("label:conflict is:read") == {SEED}


# --- the query terms ------------------------------------------------------------------------


def test_is_and_label_terms_combine_with_words_dates_and_operators(world: World) -> None:
    every = world.paths("is:unread")
    marks.set_read(world.store, world.key, [SEED])
    marks.add_label(world.store, world.key, "conflict", [SEED, "scattered.txt"])
    marks.add_label(world.store, world.key, "Minsk group", ["scattered.txt"])
    article = load_article(world.corpus, "markets/fire.md")
    s = article.plain_text.index("warehouse")
    world.store.put(new_highlight(world.key, article.path, article.plain_text, s, s + 9, "pink"))

    assert world.paths("is:read") == {SEED}
    assert world.paths("is:unread") == every - {SEED}
    assert world.paths("is:unread Minsk") == {"scattered.txt"}
    assert world.paths("is:read Minsk date:2020") == {SEED}
    assert world.paths("is:unread Minsk date:2020") == set()
    assert world.paths("label:conflict") == {SEED, "scattered.txt"}
    assert world.paths("label:CONFLICT -is:read") == {"scattered.txt"}
    assert world.paths("-is:read") == every - {SEED}
    assert world.paths('label:"Minsk group"') == {"scattered.txt"}
    assert world.paths("label:conflict NOT label:conflict") == set()
    assert world.paths("is:highlighted OR is:read") == {SEED, "markets/fire.md"}
    assert world.paths("is:bookmarked") == set()
    assert world.paths("label:nosuch") == set()
    result = world.service.search("is:sometimes fire", snippets=False)
    assert result.notes and "is:unread" in result.notes[0] and result.total >= 1
    hit = world.service.search("Minsk", snippets=False).hits
    by_path = {h.path: h for h in hit}
    assert by_path[SEED].read and by_path[SEED].labels == ("conflict",)
    assert not by_path["scattered.txt"].read
    assert by_path["scattered.txt"].labels == ("conflict", "Minsk group")
    assert by_path[SEED].to_json()["read"] is True and by_path[SEED].to_json()["labels"] == ["conflict"]


def test_a_repeated_filtered_search_sees_a_mark_made_in_between(world: World) -> None:
    first = world.service.search("is:unread", snippets=False)
    assert first.total == 5
    # Another connection (the writer) marks one read: the same query must not reuse the ranking.
    marks.set_read(world.store, world.key, ["scattered.txt"])
    second = world.service.search("is:unread", snippets=False)
    assert second.total == 4 and "scattered.txt" not in {h.path for h in second.hits}


def test_filters_work_across_segments_after_later_syncs(world: World) -> None:
    for n in range(3):
        write_article(world.corpus, f"later/{n}.txt", f"Later {n}", "2022-01-01", f"Zebra sighting {n}.")
        world.index.sync()
    marks.set_read(world.store, world.key, ["later/1.txt", SEED])
    assert world.paths("is:read") == {"later/1.txt", SEED}
    assert world.paths("is:unread zebra") == {"later/0.txt", "later/2.txt"}


# --- rules ----------------------------------------------------------------------------------


def test_a_rule_labels_current_matches_and_a_file_added_after_it_was_made(world: World) -> None:
    saved = save_search(world.store, world.key, "Caucasus", 'Karabakh OR Artsakh OR "Minsk group"', set())
    rule = rules.set_rule(world.store, saved.id, "conflict")
    with world.index.ix.searcher() as searcher:
        given = rules.run_rules(world.store, world.key, searcher, only_rule=rule.search.id)
    assert given == {"conflict": 1}
    assert marks.paths_with_label(world.store, world.key, "conflict") == {SEED}
    # The user takes the label off one article: a later sync does not put it back.
    marks.remove_label(world.store, world.key, "conflict", [SEED])
    write_article(world.corpus, "new/artsakh.txt", "Artsakh", "2021-03-03", "News from Artsakh today.")
    write_article(world.corpus, "new/other.txt", "Other", "2021-03-03", "Nothing to see.")
    world.sync()
    assert marks.paths_with_label(world.store, world.key, "conflict") == {"new/artsakh.txt"}
    # Removing the rule keeps the labels it gave, unless asked.
    rules.remove_rule(world.store, saved.id)
    assert rules.rules(world.store, world.key) == []
    assert marks.paths_with_label(world.store, world.key, "conflict") == {"new/artsakh.txt"}
    rules.set_rule(world.store, saved.id, "conflict")
    with world.index.ix.searcher() as searcher:
        assert rules.remove_rule(world.store, saved.id, take_labels_off=True, searcher=searcher) == 1
    assert marks.paths_with_label(world.store, world.key, "conflict") == set()


def test_saved_searches_count_their_unread_articles(world: World) -> None:
    save_search(world.store, world.key, "Minsk", "Minsk", set())
    marks.set_read(world.store, world.key, [SEED])
    with world.index.ix.searcher() as searcher:
        (counted,) = count_all(world.store, world.key, searcher)
    assert (counted.total, counted.unread) == (2, 1)


@pytest.mark.parametrize("sort", ["relevance", "date", "date-asc"])
def test_filter_only_queries_rank_as_whoosh_would(world: World, sort: str) -> None:
    from whoosh.sorting import FieldFacet, MultiFacet

    from reader.core.query import parse

    write_article(world.corpus, "undated2.txt", "No date here", "", "Plain text without a date line.")
    world.index.sync()
    marks.set_read(world.store, world.key, [SEED, "markets/fire.md"])
    marks.add_label(world.store, world.key, "conflict", [SEED, "scattered.txt", "undated2.txt"])
    searcher = world.service.searcher()
    source = world.service.marks
    assert source is not None
    for text in (
        "is:unread",
        "is:read",
        "label:conflict OR is:read",
        "-is:read",
        "is:unread -label:conflict",
    ):
        source.prepare(searcher)
        parsed = parse(text, searcher.reader(), marks=source)
        fast = source.ranking(parsed.query, searcher, sort)
        assert fast is not None
        kwargs: dict[str, object] = {"limit": None}
        if sort != "relevance":
            kwargs["sortedby"] = MultiFacet(
                [FieldFacet("dated", reverse=True), FieldFacet("date", reverse=sort == "date")]
            )
        slow = [d for _, d in searcher.search(parsed.query, **kwargs).top_n]
        assert [d for _, d in fast] == slow, (text, sort)
    # A query with words is left to Whoosh.
    assert (
        source.ranking(parse("is:unread Minsk", searcher.reader(), marks=source).query, searcher, sort)
        is None
    )


def test_mixed_queries_rank_as_whoosh_would(world: World) -> None:
    from reader.core.query import parse, with_phrase_bonus

    write_article(world.corpus, "more/minsk.txt", "Minsk again", "2021-01-01", "The Minsk group met. Minsk.")
    world.index.sync()
    marks.set_read(world.store, world.key, [SEED])
    marks.add_label(world.store, world.key, "conflict", ["scattered.txt", "more/minsk.txt"])
    for text in ("is:unread Minsk", "Minsk -is:read", "label:conflict Minsk group", "Minsk OR is:read"):
        result = world.service.search(text, limit=100, snippets=False)
        searcher = world.service.searcher()
        source = world.service.marks
        assert source is not None
        source.prepare(searcher)
        parsed = parse(text, searcher.reader(), marks=source)
        expected = [
            searcher.stored_fields(d)["path"]
            for _, d in searcher.search(with_phrase_bonus(parsed), limit=None).top_n
        ]
        assert [h.path for h in result.hits] == expected, text
        assert result.total == len(expected)


def test_a_search_of_several_words_counts_its_unread_matches(world: World) -> None:
    """Phrase-first rankings too (a multi-word query): every match is counted, not none."""
    marks.set_read(world.store, world.key, [SEED])
    result = world.service.search("Minsk group", snippets=False)
    assert result.total == 2 and result.unread == 1
    result = world.service.search("Minsk", snippets=False)
    assert result.total == 2 and result.unread == 1


def test_the_path_table_fills_in_steps_can_stop_and_maps_every_article(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core import mark_filter

    monkeypatch.setattr(mark_filter, "FILL_BATCH", 2)
    table = mark_filter.PathTable()
    with world.index.ix.searcher() as searcher:
        assert not table.fill(searcher, stop=lambda: True)  # stopped after its first batch
        assert not table.ready(searcher)
        steps: list[int] = []
        assert table.fill(searcher, step=lambda: steps.append(1), stop=lambda: False)
        assert table.ready(searcher) and len(steps) >= 2
        expected = {searcher.stored_fields(d)["path"]: d for d in range(searcher.doc_count_all())}
        assert table.for_searcher(searcher) == expected
    write_article(world.corpus, "later.txt", "Later", "2021-01-01", "Arrived later.")
    world.sync()
    with world.index.ix.searcher() as searcher:
        assert not table.ready(searcher)  # the sync's new segment has no table yet
        assert table.fill(searcher)
        assert table.ready(searcher) and "later.txt" in table.for_searcher(searcher)
