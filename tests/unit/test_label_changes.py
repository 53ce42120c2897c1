"""Label management: rename (and merge), recolour, delete with what it reached, and undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import label_changes, marks, rules
from reader.core.annotations import AnnotationError, AnnotationStore, new_bookmark, new_highlight
from reader.core.saved_searches import get, save_search, saved_searches

TEXT = "The Minsk group met in Vienna. Observers were cautious."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AnnotationStore]:
    s = AnnotationStore(tmp_path / "annotations.sqlite3")
    yield s
    s.close()


def _world(store: AnnotationStore) -> dict[str, object]:
    """Labels on articles (one of them deleted), a tagged highlight, a rule and a saved search
    naming the label in its query; and things that must stay as they are."""
    marks.add_label(store, "/c", "conflict", ["a.txt", "b.txt", "gone.txt"], color="red")
    marks.set_label_state(store, "/c", ["gone.txt"], "orphaned")
    marks.add_label(store, "/c", "economy", ["b.txt"], color="blue")
    marks.set_read(store, "/c", ["a.txt"])
    h = new_highlight("/c", "a.txt", TEXT, 4, 15, "yellow", note="mediators")
    store.put(h)
    store.put(new_bookmark("/c", "b.txt", 3, "B"))
    marks.set_tags(store, "/c", h.id, ["conflict", "geo"])
    rule = save_search(store, "/c", "Karabakh", "Karabakh OR Artsakh", set())
    rules.set_rule(store, rule.id, "conflict")
    named = save_search(store, "/c", "Unread conflict", 'is:unread LABEL:Conflict -label:"economy"', set())
    other_corpus = marks.add_label(store, "/other", "conflict", ["a.txt"])
    return {"highlight": h.id, "rule": rule.id, "named": named.id, "other": other_corpus}


def test_rename_reaches_articles_highlights_rules_and_queries(store: AnnotationStore) -> None:
    w = _world(store)
    done = label_changes.rename_label(store, "/c", "Conflict", "war zone")
    assert not done.merged and done.old_name == "conflict"
    assert done.reach.to_json() == {
        "articles": 2,
        "orphaned": 1,
        "highlights": 1,
        "rules": ["Karabakh"],
        "queries": ["Unread conflict"],
    }
    assert marks.paths_with_label(store, "/c", "war zone") == {"a.txt", "b.txt", "gone.txt"}
    assert marks.paths_with_label(store, "/c", "conflict") == set()
    assert store.get(str(w["highlight"])).tags == ("geo", "war zone")  # type: ignore[union-attr]
    assert [r.label.name for r in rules.rules(store, "/c")] == ["war zone"]
    named = get(store, int(w["named"]))  # type: ignore[call-overload]
    assert named is not None and named.query == 'is:unread LABEL:"war zone" -label:"economy"'
    # The colour stays; nothing else moved: the other corpus, read state, bookmarks, economy.
    assert marks.label_named(store, "/c", "war zone").color == "red"  # type: ignore[union-attr]
    assert marks.paths_with_label(store, "/other", "conflict") == {"a.txt"}
    assert marks.read_paths(store, "/c") == {"a.txt"}
    assert len(store.for_corpus("/c", kind="bookmark")) == 1
    assert marks.paths_with_label(store, "/c", "economy") == {"b.txt"}
    # A change of case only is a rename too.
    assert label_changes.rename_label(store, "/c", "war zone", "War Zone").label.name == "War Zone"


def test_rename_onto_an_existing_label_merges(store: AnnotationStore) -> None:
    w = _world(store)
    done = label_changes.rename_label(store, "/c", "conflict", "ECONOMY")
    assert done.merged and done.label.name == "economy" and done.label.color == "blue"
    assert marks.paths_with_label(store, "/c", "economy") == {"a.txt", "b.txt", "gone.txt"}
    assert [x.name for x in marks.labels(store, "/c")] == ["economy", "geo"]
    assert store.get(str(w["highlight"])).tags == ("economy", "geo")  # type: ignore[union-attr]
    assert [r.label.name for r in rules.rules(store, "/c")] == ["economy"]
    counts = {c.label.name: c.to_json() for c in marks.label_counts(store, "/c")}
    assert counts["economy"] == {
        "name": "economy",
        "color": "blue",
        "css": marks.LABEL_COLORS["blue"],
        "count": 2,
        "orphaned": 1,
        "highlights": 1,
    }


def test_rename_of_a_missing_label_or_to_a_bad_name_is_refused(store: AnnotationStore) -> None:
    _world(store)
    with pytest.raises(AnnotationError, match="no label 'nosuch'"):
        label_changes.rename_label(store, "/c", "nosuch", "x")
    with pytest.raises(AnnotationError, match="needs a name"):
        label_changes.rename_label(store, "/c", "conflict", "   ")
    assert marks.paths_with_label(store, "/c", "conflict") == {"a.txt", "b.txt", "gone.txt"}


def test_colours_are_names_or_hex_values_and_bad_ones_say_what_to_give(store: AnnotationStore) -> None:
    marks.add_label(store, "/c", "conflict", ["a.txt"])
    assert marks.set_label_color(store, "/c", "conflict", "Teal").color == "teal"
    label = marks.set_label_color(store, "/c", "conflict", "#FFD43B")
    assert (label.color, label.css, label.text_css) == ("#ffd43b", "#ffd43b", "#1a1a1a")
    assert marks.set_label_color(store, "/c", "conflict", "#03c").css == "#0033cc"
    assert marks.set_label_color(store, "/c", "conflict", "yellow").css == marks.MORE_COLORS["yellow"]
    assert marks.label_named(store, "/c", "conflict").css == marks.MORE_COLORS["yellow"]  # type: ignore[union-attr]
    for bad in ("chartreuse", "#12345", "#ggg000", "", "rgb(1,2,3)"):
        with pytest.raises(AnnotationError, match="give #rrggbb or one of red") as raised:
            marks.set_label_color(store, "/c", "conflict", bad)
        assert "\n" not in str(raised.value)
    with pytest.raises(AnnotationError, match="no label"):
        marks.set_label_color(store, "/c", "nosuch", "red")
    assert marks.Label(1, "x", "blue").text_css == "#ffffff"


def test_delete_takes_it_off_everything_and_restore_brings_it_back(store: AnnotationStore) -> None:
    w = _world(store)
    deleted = label_changes.delete_label(store, "/c", "CONFLICT")
    assert deleted.reach.to_json() == {
        "articles": 2,
        "orphaned": 1,
        "highlights": 1,
        "rules": ["Karabakh"],
        "queries": [],
    }
    assert (
        deleted.reach.describe()
    ) == "3 articles (1 of them deleted from the folder), 1 highlight, the rule of “Karabakh”"
    assert marks.label_named(store, "/c", "conflict") is None
    assert store.get(str(w["highlight"])).tags == ("geo",)  # type: ignore[union-attr]
    assert rules.rules(store, "/c") == []
    # The saved searches stay (one of them no longer a rule); nothing else is touched.
    assert [s.name for s in saved_searches(store, "/c")] == ["Karabakh", "Unread conflict"]
    assert marks.paths_with_label(store, "/other", "conflict") == {"a.txt"}
    assert marks.read_paths(store, "/c") == {"a.txt"}
    assert store.get(str(w["highlight"])).note == "mediators"  # type: ignore[union-attr]
    label_changes.restore_label(store, "/c", deleted)
    back = marks.label_named(store, "/c", "conflict")
    assert back is not None and back.color == "red"
    assert marks.paths_with_label(store, "/c", "conflict") == {"a.txt", "b.txt", "gone.txt"}
    assert {o.path for o in marks.orphan_labels(store, "/c")} == {"gone.txt"}
    assert store.get(str(w["highlight"])).tags == ("conflict", "geo")  # type: ignore[union-attr]
    assert [r.label.name for r in rules.rules(store, "/c")] == ["conflict"]


def test_generation_moves_with_every_label_change(store: AnnotationStore) -> None:
    _world(store)
    g = marks.generation(store, "/c")
    label_changes.rename_label(store, "/c", "conflict", "war")
    assert marks.generation(store, "/c") > g
    g = marks.generation(store, "/c")
    label_changes.delete_label(store, "/c", "war")
    assert marks.generation(store, "/c") > g
