"""Whether an index is level with its corpus folder, told without a sync.

A command-line ``search`` used to sync first every time: load the catalog's state of every file
(one SQLite row each), walk the folder and compare. The walk itself cannot be skipped (an
article edited in place changes only its own time stamp, and no process watches the folder
when no window is open), but the rest can: the walk is folded into one fingerprint (every
file's path, size and time stamp, and every path the walk could not examine) and compared
with the fingerprint saved by the last sync that left the index level with the folder.

The saved fingerprint counts only while the index is the one that sync left: it names the
index's last commit (the table of contents Whoosh writes at each commit, by name, size and
time stamp) and the catalog file. Any later commit (a window's sync, a rebuild) or a new
catalog makes it stale, and the next command syncs in full. The fingerprint is taken *before*
that sync, so a file changed while the sync ran differs from it next time: a stale fingerprint
costs one ordinary sync, never a stale answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from reader.core.corpus import ARTICLE_SUFFIXES

STATE_NAME = "folder-state.json"


def fingerprint(corpus: Path) -> str:
    """A digest of everything a sync's walk (``corpus.walk_corpus``) decides on: the same
    files, sizes, time stamps and unreadable paths give the same digest.

    The walk follows ``walk_corpus``'s rules (hidden names skipped, linked folders not entered,
    only article names) but keeps more of what it sees (each file's type, a link's real target,
    the error of a path that cannot be examined): whatever changes what ``walk_corpus`` yields
    changes the digest. It is leaner than ``walk_corpus`` (no objects per file, no sorting: a
    folder lists in the same order while it is unchanged), since it is most of what a search
    that finds nothing changed costs.
    """
    digest = hashlib.blake2b(digest_size=20)
    parts: list[str] = []
    stack = [os.fspath(corpus)]
    suffixes = ARTICLE_SUFFIXES
    while stack:
        folder = stack.pop()
        parts.append(f"{folder}/")
        try:
            entries = os.scandir(folder)
        except OSError as exc:
            parts.append(f"!{exc.errno}")
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                        continue
                    if not name.lower().endswith(suffixes):
                        continue
                    st = entry.stat()
                    link = os.path.realpath(entry.path) if entry.is_symlink() else ""
                except OSError as exc:
                    parts.append(f"{name}\0!{exc.errno}")
                    continue
                parts.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_mode >> 12}\0{link}")
        if len(parts) >= 4096:
            digest.update("\n".join(parts).encode("utf-8", "surrogateescape"))
            parts.clear()
    digest.update("\n".join(parts).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def index_state(index_dir: Path) -> str | None:
    """What identifies the index's current contents: its newest commit and its catalog file
    (None when they cannot be examined)."""
    whoosh_dir = index_dir / "whoosh"
    try:
        tocs = [
            (int(name.rsplit("_", 1)[1].split(".")[0]), name)
            for name in os.listdir(whoosh_dir)
            if name.endswith(".toc") and name.rsplit("_", 1)[-1].split(".")[0].isdigit()
        ]
        if not tocs:
            return None
        _generation, toc = max(tocs)
        st = os.stat(whoosh_dir / toc)
        catalog = os.stat(index_dir / "catalog.sqlite3")
    except (OSError, ValueError):
        return None
    return f"{toc}:{st.st_size}:{st.st_mtime_ns}|{catalog.st_ino}:{catalog.st_dev}"


@dataclass(frozen=True)
class FolderState:
    """The fingerprint of the folder as the last complete sync saw it, for one index state;
    ``stories`` tells whether the stories were brought level with that index too."""

    fingerprint: str
    index: str
    stories: bool = False


def load(index_dir: Path) -> FolderState | None:
    try:
        data = json.loads((index_dir / STATE_NAME).read_text("utf-8"))
        return FolderState(str(data["fingerprint"]), str(data["index"]), bool(data.get("stories")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(index_dir: Path, state: FolderState) -> None:
    """Write ``state`` (atomically; a folder that cannot be written keeps no state)."""
    path = index_dir / STATE_NAME
    tmp = path.with_name(f".{STATE_NAME}.{os.getpid()}")
    data = {"fingerprint": state.fingerprint, "index": state.index, "stories": state.stories}
    try:
        tmp.write_text(json.dumps(data), "utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def forget(index_dir: Path) -> None:
    with contextlib.suppress(OSError):
        (index_dir / STATE_NAME).unlink()


def level(index_dir: Path, folder: str) -> FolderState | None:
    """The saved state when the index is level with a folder whose fingerprint is ``folder``
    (nothing changed in either since the last complete sync), else None."""
    state = load(index_dir)
    if state is None or state.fingerprint != folder:
        return None
    current = index_state(index_dir)
    if current is None or current != state.index:
        return None
    return state
