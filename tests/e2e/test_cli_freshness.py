"""A command-line ``search`` sees every change made before it, with no window running: it skips
the sync only when the folder's walk matches the one its last complete sync saw, and the index
is still what that sync left."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.helpers import run, write_article


def search(corpus: Path, data: Path, query: str, *extra: str) -> dict[str, object]:
    done = run("--corpus", corpus, "--data-dir", data, "search", query, "--json", *extra)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def paths(result: dict[str, object]) -> list[str]:
    hits = result["hits"]
    assert isinstance(hits, list)
    return sorted(str(h["path"]) for h in hits)


def test_edits_additions_deletions_right_after_a_search_are_seen(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    first = write_article(corpus, "a.txt", "Port news", "1 May 2021", "The harbour reopened.")
    write_article(corpus, "b.txt", "Dividend news", "2 May 2021", "A dividend was paid.")
    assert paths(search(corpus, data, "harbour")) == ["a.txt"]

    # Edited in place, at once: the same length, so only the time stamp tells.
    first.write_text(first.read_text("utf-8").replace("harbour", "zeppelin"), "utf-8")
    assert paths(search(corpus, data, "zeppelin")) == ["a.txt"]
    assert search(corpus, data, "harbour")["total"] == 0

    write_article(corpus, "sub/c.txt", "More zeppelins", "3 May 2021", "A zeppelin landed.")
    assert paths(search(corpus, data, "zeppelin")) == ["a.txt", "sub/c.txt"]

    (corpus / "b.txt").unlink()
    assert search(corpus, data, "dividend")["total"] == 0

    (corpus / "sub" / "c.txt").rename(corpus / "sub" / "d.txt")
    assert paths(search(corpus, data, "zeppelin")) == ["a.txt", "sub/d.txt"]


def test_an_unchanged_folder_is_not_synced_again_and_sync_forces_it(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    write_article(corpus, "a.txt", "Harbour news", "1 May 2021", "The harbour reopened.")
    assert search(corpus, data, "harbour")["total"] == 1
    (state,) = data.glob("cache/indexes/*/folder-state.json")
    saved = state.stat()
    assert search(corpus, data, "harbour")["total"] == 1
    again = state.stat()
    # Nothing synced, so nothing saved again (a sync saves the folder's state when it is done).
    assert (again.st_ino, again.st_mtime_ns) == (saved.st_ino, saved.st_mtime_ns)
    # --sync runs the sync anyway, and gives the same answer.
    assert search(corpus, data, "harbour", "--sync")["total"] == 1
    forced = state.stat()
    assert (forced.st_ino, forced.st_mtime_ns) != (saved.st_ino, saved.st_mtime_ns)


def test_a_window_sync_or_a_lost_index_since_makes_the_next_search_sync(tmp_path: Path) -> None:
    from reader.core.index import open_index
    from reader.core.locations import Locations

    corpus, data = tmp_path / "corpus", tmp_path / "data"
    write_article(corpus, "a.txt", "Harbour news", "1 May 2021", "The harbour reopened.")
    assert search(corpus, data, "harbour")["total"] == 1
    index_dir = Locations.resolve(data).index_dir(corpus)

    # Another writer (a window) syncs a change: the saved state no longer names the index.
    write_article(corpus, "b.txt", "Harbour again", "2 May 2021", "The harbour closed.")
    index = open_index(corpus, index_dir)
    index.sync()
    index.close()
    assert search(corpus, data, "harbour")["total"] == 2

    # Another process rebuilt the index (damage found) and stopped before syncing it: the
    # folder is as the last search saw it, the index is not.
    index = open_index(corpus, index_dir)
    index.rebuild()
    index.close()
    assert search(corpus, data, "harbour")["total"] == 2

    # The cache folder cleared: rebuilt and searched in full.
    shutil.rmtree(index_dir / "whoosh")
    assert search(corpus, data, "harbour")["total"] == 2


def test_a_file_that_becomes_unreadable_or_a_new_folder_is_seen(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    write_article(corpus, "a.txt", "Harbour news", "1 May 2021", "The harbour reopened.")
    assert search(corpus, data, "harbour")["total"] == 1
    (corpus / "deep" / "er").mkdir(parents=True)
    write_article(corpus / "deep" / "er", "x.txt", "Harbour far", "4 May 2021", "A harbour far away.")
    assert search(corpus, data, "harbour")["total"] == 2
    target = corpus / "deep" / "er" / "x.txt"
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))
    target.write_bytes(b"\x00\x01\x02 binary")  # now no article: listed as a problem
    result = search(corpus, data, "harbour")
    assert result["total"] == 1


def test_story_fields_follow_a_copy_added_after_a_search_that_printed_no_stories(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    text = (
        "The regional council approved the new harbour budget on Tuesday after a long debate. "
        "Officials said the money would repair the piers, dredge the channel and build a ferry "
        "terminal before the summer season begins, when tourists return to the old town."
    )
    write_article(corpus, "a.txt", "Council backs harbour plan", "1 May 2021", text, text)
    write_article(corpus, "other.txt", "Dividend news", "2 May 2021", "A dividend was paid to owners.")
    first = search(corpus, data, "harbour")
    assert first["hits"][0]["versions"] == 1  # type: ignore[index]
    # A copy added, then a text search (it names no stories, so it does not update them)...
    shutil.copy(corpus / "a.txt", corpus / "copy.txt")
    done = run("--corpus", corpus, "--data-dir", data, "search", "harbour")
    assert done.returncode == 0 and "2 results" in done.stdout, done.stderr
    # ...and the next JSON answer still names the story with both versions.
    hits = search(corpus, data, "harbour")["hits"]
    assert isinstance(hits, list) and len(hits) == 2
    assert {h["versions"] for h in hits} == {2}
    assert len({h["story"] for h in hits}) == 1
