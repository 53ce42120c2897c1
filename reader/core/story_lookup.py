"""Which story an article belongs to, read from the word store without its numpy machinery.

``search --json`` gives every hit its story and number of versions; a command-line search must
not pay for importing numpy (a quarter of a second) to read two columns of a table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

#: The word store's file in the index folder (``wordstore.STORE_NAME``).
STORE_FILE = "words.sqlite3"


def story_sizes(db: sqlite3.Connection, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
    """``path -> (story, number of versions)``; paths not yet in a story are left out."""
    paths = list(paths)
    story: dict[str, int] = {}
    for i in range(0, len(paths), 500):
        chunk = paths[i : i + 500]
        marks = ",".join("?" * len(chunk))
        story.update(
            db.execute(f"SELECT path, story FROM docs WHERE story IS NOT NULL AND path IN ({marks})", chunk)
        )
    sizes: dict[int, int] = {}
    ids = sorted(set(story.values()))
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        marks = ",".join("?" * len(part))
        sizes.update(
            db.execute(f"SELECT story, count(*) FROM docs WHERE story IN ({marks}) GROUP BY story", part)
        )
    return {p: (s, sizes.get(s, 1)) for p, s in story.items()}


def stories_of(index_dir: Path, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
    """``story_sizes`` from the word store of ``index_dir``, opened read-only ({} when there is
    none yet, or it cannot be read)."""
    path = index_dir / STORE_FILE
    if not path.exists():
        return {}
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        db.execute("PRAGMA busy_timeout=10000")
        return story_sizes(db, paths)
    except sqlite3.Error:
        return {}
    finally:
        db.close()
