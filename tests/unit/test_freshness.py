"""The folder fingerprint that lets a command skip a sync changes with anything that changes
what the sync's walk (``walk_corpus``) yields, and with nothing the walk ignores."""

from __future__ import annotations

import os
from pathlib import Path

from reader.core import freshness
from reader.core.corpus import FileStat, walk_corpus
from reader.core.index import open_index
from tests import hostile_corpus
from tests.helpers import write_article


def corpus_with_links(tmp_path: Path) -> Path:
    folder = hostile_corpus.build(tmp_path / "hostile")
    write_article(folder, "deep/er/a.txt", "A", "2021-01-01", "Text.")
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside\n\nnot ours\n", "utf-8")
    os.symlink(outside, folder / "to-outside.txt")
    os.symlink(folder / "deep" / "er" / "a.txt", folder / "to-inside.txt")
    return folder


def bump(path: Path) -> None:
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # (a link's target)


def test_whatever_changes_what_the_walk_yields_changes_the_fingerprint(tmp_path: Path) -> None:
    folder = corpus_with_links(tmp_path)
    walked = list(walk_corpus(folder))
    assert len(walked) > 10
    changed = 0
    for item in walked:
        path = item.path if isinstance(item, FileStat) else item[0]
        target = folder / path
        before, fingerprint = list(walk_corpus(folder)), freshness.fingerprint(folder)
        if target.exists():
            bump(target)
        else:
            target.unlink()  # a broken link or a loop: gone
        if list(walk_corpus(folder)) != before:
            changed += 1
            assert freshness.fingerprint(folder) != fingerprint, path
    assert changed >= len(walked) - 2  # (a link out of the folder is a problem whatever its target)


def test_changes_the_walk_sees_change_it_and_others_do_not(tmp_path: Path) -> None:
    folder = corpus_with_links(tmp_path)
    before = freshness.fingerprint(folder)
    assert freshness.fingerprint(folder) == before  # the same folder, the same digest
    # Ignored by the walk: hidden files and folders, other names, inside a linked folder.
    (folder / ".hidden.txt").write_text("x", "utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.txt").write_text("x", "utf-8")
    (folder / "picture.jpg").write_bytes(b"\xff\xd8")
    assert freshness.fingerprint(folder) == before
    # Seen: a file added deep down, one renamed, one whose size changed, a new empty folder
    # (harmless: one sync), a link pointed elsewhere.
    states = [before]
    write_article(folder, "deep/er/b.txt", "B", "2021-01-02", "More.")
    states.append(freshness.fingerprint(folder))
    (folder / "deep" / "er" / "b.txt").rename(folder / "deep" / "er" / "c.txt")
    states.append(freshness.fingerprint(folder))
    with (folder / "deep" / "er" / "c.txt").open("a", encoding="utf-8") as f:
        f.write("x")
    states.append(freshness.fingerprint(folder))
    (folder / "to-inside.txt").unlink()
    os.symlink(folder / "deep" / "er" / "c.txt", folder / "to-inside.txt")
    states.append(freshness.fingerprint(folder))
    assert len(set(states)) == len(states)


def test_the_saved_state_counts_only_for_the_index_it_names(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "A", "2021-01-01", "Text.")
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    state = freshness.index_state(index.dir)
    assert state is not None
    folder_print = freshness.fingerprint(folder)
    freshness.save(index.dir, freshness.FolderState(folder_print, state, stories=True))
    assert freshness.level(index.dir, folder_print) == freshness.FolderState(folder_print, state, True)
    assert freshness.level(index.dir, "another folder") is None
    # A commit since (another process's sync): no longer level.
    write_article(folder, "b.txt", "B", "2021-01-02", "More.")
    index.sync()
    assert freshness.index_state(index.dir) != state
    assert freshness.level(index.dir, folder_print) is None
    # A damaged state file is no state.
    (index.dir / freshness.STATE_NAME).write_text("{not json", "utf-8")
    assert freshness.load(index.dir) is None
    index.close()
