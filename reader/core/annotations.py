"""Bookmarks and highlights: the user's own data, in one SQLite database, never lost.

Every change commits when it is made (WAL, synchronous=FULL), so a crash a moment later loses
nothing. A database that is not ours or is damaged (not a database, malformed, failing its
integrity check) is moved aside, never overwritten; one locked by another program (another window,
the command line) is waited for and, if it stays locked, reported: a lock is never damage. One
from a newer version of the app is opened read-only. Highlights whose text changed are re-anchored
(``anchoring.py``) or marked orphaned; nothing is dropped automatically.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reader.core.anchoring import Quote, anchor, quote_at, text_hash

SCHEMA_VERSION = 3
COLORS = ("yellow", "green", "blue", "pink", "purple")
#: The CSS colours behind the colour names; exported as the annotations' stylesheet
#: (annotation_io), painted by the window.
COLOR_CSS = {
    "yellow": "#ffe066",
    "green": "#8ce99a",
    "blue": "#74c0fc",
    "pink": "#faa2c1",
    "purple": "#b197fc",
}
KINDS = ("highlight", "bookmark")
STATES = ("anchored", "orphaned")

_MIGRATIONS: list[list[str]] = [
    [  # version 1
        """CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('highlight', 'bookmark')),
            corpus TEXT NOT NULL,
            path TEXT NOT NULL,
            exact TEXT NOT NULL DEFAULT '',
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            start INTEGER NOT NULL DEFAULT 0,
            "end" INTEGER NOT NULL DEFAULT 0,
            text_hash TEXT NOT NULL DEFAULT '',
            color TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'anchored' CHECK (state IN ('anchored', 'orphaned')),
            title TEXT NOT NULL DEFAULT '',
            date TEXT,
            created TEXT NOT NULL,
            modified TEXT NOT NULL
        )""",
        "CREATE INDEX annotations_article ON annotations (corpus, path)",
    ],
    [  # version 2: saved searches (see saved_searches.py); ``seen`` is a JSON array of paths
        """CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            corpus TEXT NOT NULL,
            name TEXT NOT NULL,
            query TEXT NOT NULL,
            created TEXT NOT NULL,
            last_opened TEXT,
            seen TEXT NOT NULL DEFAULT '[]',
            UNIQUE (corpus, name)
        )""",
    ],
    [  # version 3: read state, labels on articles and highlights, rules (see marks.py, rules.py)
        """CREATE TABLE read_state (
            corpus TEXT NOT NULL,
            path TEXT NOT NULL,
            read_at TEXT NOT NULL,
            PRIMARY KEY (corpus, path)
        ) WITHOUT ROWID""",
        """CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            corpus TEXT NOT NULL,
            name TEXT NOT NULL COLLATE NOCASE,
            color TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (corpus, name)
        )""",
        # ``state`` as for highlights: 'orphaned' once the article is gone (kept until removed).
        """CREATE TABLE article_labels (
            label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
            corpus TEXT NOT NULL,
            path TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            date TEXT,
            state TEXT NOT NULL DEFAULT 'anchored' CHECK (state IN ('anchored', 'orphaned')),
            added TEXT NOT NULL,
            PRIMARY KEY (label_id, path)
        )""",
        "CREATE INDEX article_labels_article ON article_labels (corpus, path)",
        # No foreign key to annotations: put() replaces rows, which would cascade.
        """CREATE TABLE highlight_tags (
            annotation_id TEXT NOT NULL,
            label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
            PRIMARY KEY (annotation_id, label_id)
        )""",
        "ALTER TABLE saved_searches ADD COLUMN label_id INTEGER REFERENCES labels (id) ON DELETE SET NULL",
        # Bumped by every change of read state or labels: search caches key on it.
        "CREATE TABLE marks_generation (corpus TEXT PRIMARY KEY, generation INTEGER NOT NULL)",
    ],
]

_COLUMNS = (
    'id, kind, corpus, path, exact, prefix, suffix, start, "end", text_hash, color, note, state, '
    "title, date, created, modified"
)


#: How long opening waits for another program's lock on the database before it says so.
BUSY_TIMEOUT_S = 10.0
# SQLite's primary result codes that mean the file is not (or no longer) a usable database.
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED


class AnnotationError(Exception):
    """A problem with the annotations database; the message is for the user."""


class _Damaged(Exception):
    """The database file is broken (not a database, malformed, failing its check)."""


def _is_busy(exc: sqlite3.Error) -> bool:
    """Another connection holds a lock: wait and retry, never treat it as damage."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _BUSY_CODES:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text


def _is_damage(exc: sqlite3.Error) -> bool:
    """Only real corruption counts as damage (``file is not a database``, ``malformed``)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _DAMAGE_CODES:
        return True
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "no such table" in text


@dataclass(frozen=True)
class Annotation:
    """A highlight (a passage with a colour and a note) or a bookmark (a reading position).

    ``start``/``end`` are offsets in the article's plain text (``Article.plain_text``); a
    bookmark's ``start`` is the reading position. ``title`` and ``date`` are remembered so an
    orphan can still say where it came from.
    """

    id: str
    kind: str
    corpus: str
    path: str
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0
    text_hash: str = ""
    color: str = ""
    note: str = ""
    state: str = "anchored"
    title: str = ""
    date: str | None = None
    created: str = ""
    modified: str = ""
    tags: tuple[str, ...] = ()  # label names (marks.py); stored apart, not written by put()

    @property
    def quote(self) -> Quote:
        return Quote(self.exact, self.prefix, self.suffix)

    def attached(self, text: str, start: int, end: int, **changes: Any) -> Annotation:
        """This annotation attached to ``text[start:end]`` of an article: its quote, offsets and
        the text's hash taken from there, anchored; ``changes`` set other fields too. The one
        place an annotation is (re-)anchored: the window, import and sync all come here."""
        q = quote_at(text, start, end)
        return replace(
            self,
            exact=q.exact,
            prefix=q.prefix,
            suffix=q.suffix,
            start=start,
            end=end,
            text_hash=text_hash(text),
            state="anchored",
            **changes,
        )

    def reanchored(self, text: str) -> Annotation | None:
        """This annotation checked against its article's current ``text``: None when nothing
        changes; else found again (``attached`` there) or, when its passage is gone, orphaned
        (kept with its quote and note, never dropped)."""
        if self.kind == "bookmark":
            if self.start > len(text):
                return replace(self, start=len(text), end=len(text))
            return None
        if self.text_hash == text_hash(text) and self.state == "anchored":
            return None
        found = anchor(text, self.quote, self.start, self.end)
        if found is None:
            return None if self.state == "orphaned" else replace(self, state="orphaned", modified=now())
        moved = self.state == "orphaned" or found.how != "position"
        return self.attached(text, found.start, found.end, modified=now() if moved else self.modified)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
            "color": self.color,
            "note": self.note,
            "state": self.state,
            "created": self.created,
            "modified": self.modified,
            "tags": list(self.tags),
        }


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def new_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def new_highlight(
    corpus: str,
    path: str,
    text: str,
    start: int,
    end: int,
    color: str,
    note: str = "",
    title: str = "",
    date: str | None = None,
) -> Annotation:
    """A highlight of ``text[start:end]`` with its quote selector and the text's hash."""
    if not 0 <= start < end <= len(text):
        raise AnnotationError("select some text to highlight")
    if color not in COLORS:
        raise AnnotationError(f"unknown colour {color!r}")
    q = quote_at(text, start, end)
    stamp = now()
    return Annotation(
        new_id(),
        "highlight",
        corpus,
        path,
        q.exact,
        q.prefix,
        q.suffix,
        start,
        end,
        text_hash(text),
        color,
        note,
        "anchored",
        title,
        date,
        stamp,
        stamp,
    )


def new_bookmark(corpus: str, path: str, position: int, title: str, date: str | None = None) -> Annotation:
    stamp = now()
    return Annotation(
        new_id(),
        "bookmark",
        corpus,
        path,
        title,
        "",
        "",
        position,
        position,
        "",
        "",
        "",
        "anchored",
        title,
        date,
        stamp,
        stamp,
    )


def reanchored(annotations: Iterable[Annotation], text: str) -> list[Annotation]:
    """Those of one article's ``annotations`` that change against its current ``text``
    (``Annotation.reanchored``), changed."""
    return [changed for a in annotations if (changed := a.reanchored(text)) is not None]


class AnnotationStore:
    """The annotations database. One connection: use one store per thread.

    ``notice`` holds a one-line message for the user when opening needed attention (a damaged
    database moved aside, a newer one opened read-only).
    """

    def __init__(self, path: Path, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = path
        self.read_only = False
        self.notice = ""
        self._busy_timeout = busy_timeout
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open_waiting(path)
        except _Damaged as damaged:
            moved = self._move_aside(path)
            self.notice = (
                f"The annotations database was damaged ({damaged}); it was kept as {moved.name} "
                "and a new one started."
            )
            self._db = self._open_waiting(path)

    def _open_waiting(self, path: Path) -> sqlite3.Connection:
        """``_open``, waiting out another connection's lock (another window, the command line):
        a lock is never damage. Raises ``AnnotationError`` when the lock outlasts the wait, and
        ``_Damaged`` only when the file itself is broken."""
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                return self._open(path)
            except sqlite3.DatabaseError as exc:
                if _is_busy(exc):
                    if time.monotonic() < deadline:
                        time.sleep(0.05)
                        continue
                    raise AnnotationError(
                        f"The annotations database {path} is locked by another program (another "
                        "Corpus Reader, or a command still running); nothing was changed. Try again "
                        "when it has finished."
                    ) from exc
                if _is_damage(exc):
                    raise _Damaged(str(exc)) from exc
                raise AnnotationError(f"Cannot open the annotations database {path}: {exc}") from exc

    def _open(self, path: Path) -> sqlite3.Connection:
        # The busy handler waits for a lock held by another connection; _open_waiting retries
        # what still fails (SQLite gives up at once on some lock conflicts, e.g. during recovery).
        wait_ms = max(1, int(min(self._busy_timeout, BUSY_TIMEOUT_S) * 1000))
        db = sqlite3.connect(path, isolation_level=None, timeout=wait_ms / 1000)
        try:
            db.execute(f"PRAGMA busy_timeout={wait_ms}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                db.close()
                self.read_only = True
                self.notice = (
                    f"The annotations database is from a newer version of Corpus Reader (schema {version}); "
                    "it is open read-only."
                )
                db = sqlite3.connect(
                    f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=wait_ms / 1000
                )
                db.execute("SELECT count(*) FROM annotations").fetchone()
                return db
            # Checked before anything is written: a damaged file is moved aside as it was found.
            self._check(db, version)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            if version < SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                # Another connection (another thread or window) may have migrated while this one
                # waited for the lock: read the version again, or its tables look like damage.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                for statements in _MIGRATIONS[version:]:
                    for statement in statements:
                        db.execute(statement)
                if version < SCHEMA_VERSION:
                    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            return db
        except BaseException:
            db.close()
            raise

    @staticmethod
    def _check(db: sqlite3.Connection, version: int) -> None:
        """Raise ``_Damaged`` unless the file is a sound database of ours (or a new, empty one)."""
        check = db.execute("PRAGMA quick_check").fetchone()
        if check is None or str(check[0]).lower() != "ok":
            raise _Damaged(f"integrity check failed: {check[0] if check else 'no answer'}")
        if version > 0:
            try:
                db.execute("SELECT count(*) FROM annotations").fetchone()
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise
                raise _Damaged(f"not a Corpus Reader database: {exc}") from exc

    @staticmethod
    def _move_aside(path: Path) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        shutil.move(str(path), str(target))
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            if side.exists():
                shutil.move(str(side), str(target) + suffix)
        return target

    def close(self) -> None:
        self._db.close()

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, for modules keeping their own tables here (``saved_searches.py``);
        writes go inside ``transaction()``."""
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.read_only:
            raise AnnotationError("the annotations database is read-only (it is from a newer version)")
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise AnnotationError(
                    "the annotations database is locked by another program (another Corpus Reader, "
                    "or a command still running); not saved"
                ) from exc
            raise
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- reads ---------------------------------------------------------------------------

    def _query(self, where: str, params: Iterable[object]) -> list[Annotation]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE {where} ORDER BY created, id", tuple(params)
        )
        found = [Annotation(*row) for row in rows]
        tags = self._tags() if found else {}
        return [replace(a, tags=tags[a.id]) if a.id in tags else a for a in found]

    def _tags(self) -> dict[str, tuple[str, ...]]:
        """The tags of every tagged highlight (few: one query beats one per annotation)."""
        try:
            rows = self._db.execute(
                "SELECT t.annotation_id, l.name FROM highlight_tags t JOIN labels l ON l.id = t.label_id "
                "ORDER BY l.name COLLATE NOCASE"
            ).fetchall()
        except sqlite3.OperationalError:  # a newer database opened read-only may lack the table
            return {}
        out: dict[str, list[str]] = {}
        for annotation_id, name in rows:
            out.setdefault(annotation_id, []).append(name)
        return {k: tuple(v) for k, v in out.items()}

    def get(self, annotation_id: str) -> Annotation | None:
        found = self._query("id = ?", (annotation_id,))
        return found[0] if found else None

    def for_corpus(self, corpus: str, kind: str | None = None, state: str | None = None) -> list[Annotation]:
        where, params = "corpus = ?", [corpus]
        if kind is not None:
            where += " AND kind = ?"
            params.append(kind)
        if state is not None:
            where += " AND state = ?"
            params.append(state)
        return self._query(where, params)

    def for_article(self, corpus: str, path: str) -> list[Annotation]:
        return self._query("corpus = ? AND path = ? AND state = 'anchored'", (corpus, path))

    def bookmark_for(self, corpus: str, path: str) -> Annotation | None:
        found = self._query("corpus = ? AND path = ? AND kind = 'bookmark'", (corpus, path))
        return found[0] if found else None

    def paths_with_annotations(self, corpus: str) -> set[str]:
        rows = self._db.execute("SELECT DISTINCT path FROM annotations WHERE corpus = ?", (corpus,))
        return {row[0] for row in rows}

    # --- writes: each commits at once ----------------------------------------------------

    def put(self, annotation: Annotation) -> None:
        """Insert or replace one annotation (by id)."""
        with self.transaction():
            self._put(annotation)

    def put_many(self, annotations: Iterable[Annotation]) -> None:
        """Insert or replace several annotations in one transaction: all or nothing."""
        with self.transaction():
            for annotation in annotations:
                self._put(annotation)

    def _put(self, a: Annotation) -> None:
        if a.kind not in KINDS or a.state not in STATES:
            raise AnnotationError(f"invalid annotation {a.id}")
        self._db.execute(
            f"INSERT OR REPLACE INTO annotations ({_COLUMNS}) VALUES ({', '.join('?' * 17)})",
            (
                a.id,
                a.kind,
                a.corpus,
                a.path,
                a.exact,
                a.prefix,
                a.suffix,
                a.start,
                a.end,
                a.text_hash,
                a.color,
                a.note,
                a.state,
                a.title,
                a.date,
                a.created,
                a.modified,
            ),
        )

    def update(self, annotation_id: str, **changes: object) -> Annotation:
        """Change fields of one annotation (colour, note, …); stamps ``modified``."""
        current = self.get(annotation_id)
        if current is None:
            raise AnnotationError(f"no annotation {annotation_id}")
        changed = replace(current, **changes, modified=now())  # type: ignore[arg-type]
        self.put(changed)
        return changed

    def delete(self, annotation_id: str) -> Annotation | None:
        """Delete one annotation at the user's request; returns it (for undo)."""
        current = self.get(annotation_id)
        if current is not None:
            with self.transaction():
                self._db.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
                self._db.execute("DELETE FROM highlight_tags WHERE annotation_id = ?", (annotation_id,))
        return current

    # --- keeping highlights attached ----------------------------------------------------

    def reattach(
        self, annotation: Annotation, text: str, start: int, end: int, path: str | None = None
    ) -> Annotation:
        """Attach a (typically orphaned) highlight to ``text[start:end]`` of an article."""
        changed = annotation.attached(text, start, end, path=path or annotation.path, modified=now())
        self.put(changed)
        return changed

    def for_path(self, corpus: str, path: str) -> list[Annotation]:
        """Every annotation of one article, anchored or orphaned."""
        return self._query("corpus = ? AND path = ?", (corpus, path))

    def reanchor_article(self, corpus: str, path: str, text: str) -> list[Annotation]:
        """Re-anchor the annotations of one article against its current ``text`` and save them.

        Returns the annotations that changed. Highlights that cannot be found become orphaned.
        """
        changed = reanchored(self.for_path(corpus, path), text)
        if changed and not self.read_only:
            self.put_many(changed)
        return changed

    def orphan_article(self, corpus: str, path: str) -> list[Annotation]:
        """The article is gone: its highlights become orphans (kept with quote and note)."""
        changed = [
            replace(a, state="orphaned", modified=now())
            for a in self._query(
                "corpus = ? AND path = ? AND kind = 'highlight' AND state = 'anchored'", (corpus, path)
            )
        ]
        if changed and not self.read_only:
            self.put_many(changed)
        return changed

    def move_article(self, corpus: str, old_path: str, new_path: str) -> int:
        """A renamed or moved article keeps its annotations."""
        with self.transaction():
            cursor = self._db.execute(
                "UPDATE annotations SET path = ?, modified = ? WHERE corpus = ? AND path = ?",
                (new_path, now(), corpus, old_path),
            )
        return cursor.rowcount
