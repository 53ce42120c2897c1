"""``mark``, ``label`` and the is:/label: terms of ``search`` as a script sees them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import SEED, run, write_article


def search(corpus: Path, data: Path, query: str) -> dict[str, object]:
    done = run("--corpus", corpus, "--data-dir", data, "search", query, "--json", "--limit", "100")
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def paths(result: dict[str, object]) -> set[str]:
    return {h["path"] for h in result["hits"]}  # type: ignore[attr-defined,index]


def test_mark_read_and_unread_by_path_and_by_query(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    first = search(corpus, data, "is:unread")
    assert first["total"] == 5
    assert all(h["read"] is False and h["labels"] == [] for h in first["hits"])  # type: ignore[attr-defined]

    done = run("--corpus", corpus, "--data-dir", data, "mark", "read", SEED, str(corpus / "markets/fire.md"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2 articles marked read (0 already read)"
    assert paths(search(corpus, data, "is:read")) == {SEED, "markets/fire.md"}
    hits = {h["path"]: h for h in search(corpus, data, "Minsk")["hits"]}  # type: ignore[attr-defined]
    assert hits[SEED]["read"] is True and hits["scattered.txt"]["read"] is False

    done = run("--corpus", corpus, "--data-dir", data, "mark", "unread", "--all", "Minsk date:2020")
    assert done.returncode == 0 and done.stdout.startswith("1 article marked unread")
    assert paths(search(corpus, data, "is:read")) == {"markets/fire.md"}
    done = run("--corpus", corpus, "--data-dir", data, "mark", "read", "--all", "is:unread")
    assert done.stdout.startswith("4 articles marked read")
    assert search(corpus, data, "is:unread")["total"] == 0


def test_mark_names_an_unknown_article_and_marks_the_rest(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    done = run("--corpus", corpus, "--data-dir", data, "mark", "read", "no/such.txt", SEED)
    assert done.returncode == 1
    assert done.stderr.strip() == "corpus-reader: not an article in the corpus: no/such.txt"
    assert paths(search(corpus, data, "is:read")) == {SEED}
    nothing = run("--corpus", corpus, "--data-dir", data, "mark", "read")
    assert nothing.returncode == 1 and "--all QUERY" in nothing.stderr
    assert len(nothing.stderr.strip().splitlines()) == 1


def test_a_label_given_to_no_article_is_not_created(corpus: Path, tmp_path: Path) -> None:
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    done = run(*base, "label", "add", "test", "no/such.txt")
    assert done.returncode == 1 and "not an article in the corpus: no/such.txt" in done.stderr
    assert run(*base, "label", "add", "test", "--query", "nosuchwordanywhere").returncode == 0
    listed = run(*base, "label", "list", "--json")
    assert json.loads(listed.stdout) == []


def test_label_add_remove_list_and_search(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    base = ("--corpus", corpus, "--data-dir", data)
    done = run(*base, "label", "add", "conflict", "--query", "Karabakh OR Minsk")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "conflict: given 2 articles"
    assert run(*base, "label", "add", "economy", "markets/wire.txt", "--color", "blue").returncode == 0
    listed = run(*base, "label", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    by_name = {item["name"]: item for item in json.loads(listed.stdout)}
    assert by_name["conflict"]["count"] == 2 and by_name["economy"] == {
        "name": "economy",
        "color": "blue",
        "css": by_name["economy"]["css"],
        "count": 1,
        "orphaned": 0,
        "highlights": 0,
    }
    plain = run(*base, "label", "list")
    assert "conflict  (" in plain.stdout and "2 articles" in plain.stdout

    assert paths(search(corpus, data, "label:conflict")) == {SEED, "scattered.txt"}
    assert paths(search(corpus, data, "label:conflict date:2021")) == {"scattered.txt"}
    hit = next(h for h in search(corpus, data, "dividend")["hits"])  # type: ignore[call-overload]
    assert hit["labels"] == ["economy"]

    done = run(*base, "label", "remove", "conflict", SEED)
    assert done.returncode == 0 and done.stdout.strip() == "conflict: taken off 1 article"
    assert paths(search(corpus, data, "label:conflict")) == {"scattered.txt"}
    missing = run(*base, "label", "remove", "nosuch", SEED)
    assert missing.returncode == 1 and missing.stderr.strip() == "corpus-reader: no label 'nosuch'"


def test_a_deleted_labelled_article_is_listed_as_orphaned_and_can_be_removed(
    corpus: Path, tmp_path: Path
) -> None:
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    assert run(*base, "label", "add", "harbour", "markets/fire.md").returncode == 0
    (corpus / "markets/fire.md").unlink()
    (item,) = json.loads(run(*base, "label", "list", "--json").stdout)
    assert (item["count"], item["orphaned"]) == (0, 1)
    done = run(*base, "label", "remove", "harbour", "markets/fire.md")
    assert done.returncode == 0, done.stderr
    (item,) = json.loads(run(*base, "label", "list", "--json").stdout)
    assert (item["count"], item["orphaned"]) == (0, 0)


def test_a_rule_labels_an_article_that_arrives_in_a_later_sync(corpus: Path, tmp_path: Path) -> None:
    from reader.core.annotations import AnnotationStore
    from reader.core.rules import set_rule
    from reader.core.saved_searches import save_search

    data = tmp_path / "d"
    assert run("--corpus", corpus, "--data-dir", data, "index").returncode == 0
    store = AnnotationStore(data / "annotations.sqlite3")
    saved = save_search(store, str(corpus.resolve()), "Caucasus", "Artsakh OR Karabakh", set())
    set_rule(store, saved.id, "conflict")
    store.close()
    write_article(corpus, "later.txt", "Artsakh", "2021-03-03", "News from Artsakh today.")
    assert run("--corpus", corpus, "--data-dir", data, "index").returncode == 0
    assert paths(search(corpus, data, "label:conflict")) == {"later.txt"}


def test_search_batch_understands_the_new_terms(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert run("--corpus", corpus, "--data-dir", data, "mark", "read", SEED).returncode == 0
    queries = tmp_path / "queries.txt"
    queries.write_text("is:read\nis:unread Minsk\n", "utf-8")
    done = run("--corpus", corpus, "--data-dir", data, "search", "--batch", queries)
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert [h["path"] for h in first["hits"]] == [SEED] and first["hits"][0]["read"] is True
    assert [h["path"] for h in second["hits"]] == ["scattered.txt"]


def test_label_rename_color_and_delete(corpus: Path, tmp_path: Path) -> None:
    from reader.core.annotations import AnnotationStore
    from reader.core.rules import rules, set_rule
    from reader.core.saved_searches import save_search, saved_searches

    data = tmp_path / "d"
    base = ("--corpus", corpus, "--data-dir", data)
    assert (
        run(*base, "label", "add", "conflict", "--query", "Karabakh OR Minsk", "--color", "red").returncode
        == 0
    )
    assert run(*base, "label", "add", "economy", "markets/wire.txt", "--color", "#1c7ed6").returncode == 0
    assert run(*base, "mark", "read", SEED).returncode == 0
    key = str(corpus.resolve())
    store = AnnotationStore(data / "annotations.sqlite3")
    rule = save_search(store, key, "Caucasus", "Artsakh OR Karabakh", set())
    set_rule(store, rule.id, "conflict")
    save_search(store, key, "To read", "is:unread label:conflict", set())
    store.close()

    done = run(*base, "label", "rename", "Conflict", "war")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "Renamed “conflict” to “war”: 2 articles, 0 highlights, the rule of “Caucasus”. "
        "Saved searches now naming label:war: “To read”."
    )
    assert paths(search(corpus, data, "label:war")) == {SEED, "scattered.txt"}
    assert search(corpus, data, "label:conflict")["total"] == 0
    store = AnnotationStore(data / "annotations.sqlite3")
    assert [r.label.name for r in rules(store, key)] == ["war"]  # the rule follows
    assert [s.query for s in saved_searches(store, key)] == ["Artsakh OR Karabakh", "is:unread label:war"]
    store.close()

    done = run(*base, "label", "color", "war", "#FAB005", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"name": "war", "color": "#fab005", "css": "#fab005"}
    assert run(*base, "label", "color", "war", "teal").stdout.strip() == "war: colour teal, #0c8599"
    bad = run(*base, "label", "color", "war", "chartreuse")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert bad.stderr.startswith("corpus-reader: unknown colour 'chartreuse': give #rrggbb or one of red")
    bad_add = run(*base, "label", "add", "x", SEED, "--color", "#12")
    assert bad_add.returncode == 2 and "unknown colour" in bad_add.stderr
    missing = run(*base, "label", "color", "nosuch", "red")
    assert missing.returncode == 1 and missing.stderr.strip() == "corpus-reader: no label 'nosuch'"

    merged = run(*base, "label", "rename", "economy", "WAR", "--json")
    assert merged.returncode == 0, merged.stderr
    assert json.loads(merged.stdout) == {
        "old": "economy",
        "name": "war",
        "color": "teal",
        "merged": True,
        "articles": 1,
        "orphaned": 0,
        "highlights": 0,
        "rules": [],
        "queries": [],
    }
    assert paths(search(corpus, data, "label:war")) == {SEED, "scattered.txt", "markets/wire.txt"}
    text = run(*base, "label", "rename", "war", "x")  # "x" was never made: a plain rename
    assert text.returncode == 0 and text.stdout.startswith("Renamed “war” to “x”: 3 articles")
    assert run(*base, "label", "add", "y", SEED).returncode == 0
    merge_text = run(*base, "label", "rename", "y", "x")
    assert merge_text.stdout.startswith("Merged “y” into the existing label “x”: 1 article")

    deleted = run(*base, "label", "delete", "x")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.strip() == (
        "Deleted the label “x”: taken off 3 articles, 0 highlights, the rule of “Caucasus”. "
        "Those saved searches stay, without a label."
    )
    assert json.loads(run(*base, "label", "list", "--json").stdout) == []
    assert search(corpus, data, "is:read")["total"] == 1  # nothing else is touched
    store = AnnotationStore(data / "annotations.sqlite3")
    assert [s.name for s in saved_searches(store, key)] == ["Caucasus", "To read"]
    assert rules(store, key) == []
    store.close()
    gone = run(*base, "label", "delete", "x")
    assert gone.returncode == 1 and gone.stderr.strip() == "corpus-reader: no label 'x'"


def test_a_label_command_meeting_a_locked_database_says_so_and_loses_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """The window (here: another process) holds the annotations database locked: the command
    waits, then fails with one line; the database is never moved aside."""
    import subprocess
    import sys

    data = tmp_path / "d"
    base = ("--corpus", corpus, "--data-dir", data)
    assert run(*base, "label", "add", "conflict", SEED).returncode == 0
    db = data / "annotations.sqlite3"
    hold = (
        "import sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA journal_mode=DELETE')\n"
        "db.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
        "db.execute('COMMIT')\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", hold, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        try:
            done = run(*base, "label", "rename", "conflict", "war")  # waits its 10 s, then says so
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "is locked by another program" in done.stderr
    assert not list(data.glob("*.damaged-*"))
    listed = json.loads(run(*base, "label", "list", "--json").stdout)
    assert [(item["name"], item["count"]) for item in listed] == [("conflict", 1)]
