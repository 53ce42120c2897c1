"""The catalog: a small SQLite table of every indexed article's metadata and file state.

It answers "what is in the corpus" (the article list) and "what changed since last time" (sync)
without opening the Whoosh index. It is a cache: it lives beside the index and is rebuilt with it.
Its rows may lag behind the Whoosh index after a crash (never run ahead of it), and a lagging
row only makes the next sync re-index that file.

A file holds one article (a text file, a saved page, an ``.eml``) or several (a feed, an mbox,
an EPUB: ids ``FILE#KEY``). ``files`` keeps each file's state, ``articles`` each article's row
with its file and a digest of its content, so a changed feed re-indexes only the items that
changed. A file with no articles and no problem (an ``.xml`` that is not a feed) is in
``files`` alone, so it is not read again until it changes.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from reader.core.analysis import fold

#: 3: files of several articles. 4: the article's language; words keyed by their folded form too.
CATALOG_VERSION = 4
#: The catalog's file name in an index folder (beside the Whoosh index's ``whoosh`` folder).
CATALOG_NAME = "catalog.sqlite3"


@dataclass(frozen=True)
class ArticleRow:
    """What the article list shows for one article."""

    path: str
    title: str
    date: dt.date | None
    source: str
    url: str = ""
    language: str | None = None  # ISO 639-1, None when the detector was unsure


class FileState(NamedTuple):
    # A tuple, not a dataclass: the no-change check builds one per article (19,043 on Reuters).
    size: int
    mtime_ns: int
    digest: str
    articles: int = 0  # how many articles the file holds (as read: file_states)


class Catalog:
    """One connection to the catalog database; use one Catalog per thread."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            # In a folder that cannot be written, SQLite cannot make the WAL's shared-memory file;
            # immutable=1 reads the file as it is (nobody else can change it there either).
            uri = f"{path.absolute().as_uri()}?immutable=1"
            self._db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version != CATALOG_VERSION:
                raise sqlite3.DatabaseError(f"catalog version {version}, expected {CATALOG_VERSION}")
            return
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=True)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.create_function("fold", 1, fold, deterministic=True)
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == 3:
            with self.transaction():
                self._migrate_from_3()
        elif version == 0:
            with self.transaction():
                self._db.execute(
                    """
                    CREATE TABLE IF NOT EXISTS files (
                        path TEXT PRIMARY KEY,
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        digest TEXT NOT NULL
                    )"""
                )
                self._db.execute(
                    """
                    CREATE TABLE IF NOT EXISTS articles (
                        path TEXT PRIMARY KEY,
                        file TEXT NOT NULL,
                        title TEXT NOT NULL,
                        date TEXT,
                        source TEXT NOT NULL,
                        url TEXT NOT NULL DEFAULT '',
                        digest TEXT NOT NULL,
                        language TEXT
                    )"""
                )
                self._db.execute("CREATE INDEX IF NOT EXISTS articles_file ON articles (file)")
                self._db.execute(
                    """
                    CREATE TABLE IF NOT EXISTS problems (
                        path TEXT PRIMARY KEY,
                        reason TEXT NOT NULL,
                        size INTEGER,
                        mtime_ns INTEGER
                    )"""
                )
                self._create_words()
                self._db.execute(f"PRAGMA user_version={CATALOG_VERSION}")
        elif version != CATALOG_VERSION:
            raise sqlite3.DatabaseError(f"catalog version {version}, expected {CATALOG_VERSION}")

    def _create_words(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS words "
            "(word TEXT PRIMARY KEY, df INTEGER NOT NULL, folded TEXT NOT NULL) WITHOUT ROWID"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS words_folded ON words (folded)")

    def _migrate_from_3(self) -> None:
        """Version 3 (before languages): the rows stay; an article's language is unknown until
        its file is indexed again (the index version of languages re-reads every file anyway)."""
        self._db.execute("ALTER TABLE articles ADD COLUMN language TEXT")
        self._db.execute("ALTER TABLE words RENAME TO words_3")
        self._create_words()
        self._db.execute("INSERT INTO words SELECT word, df, fold(word) FROM words_3")
        self._db.execute("DROP TABLE words_3")
        self._db.execute(f"PRAGMA user_version={CATALOG_VERSION}")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.transaction_begin()
        try:
            yield
        except BaseException:
            self.transaction_rollback()
            raise
        self.transaction_commit()

    # Sync holds a transaction open across a Whoosh batch, so it needs the parts separately.
    def transaction_begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def transaction_commit(self) -> None:
        self._db.execute("COMMIT")

    def transaction_rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    # --- reads ---------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def file_states(self) -> dict[str, FileState]:
        """Every file read (with or without articles), by its path."""
        counts = dict(self._db.execute("SELECT file, count(*) FROM articles GROUP BY file").fetchall())
        rows = self._db.execute("SELECT path, size, mtime_ns, digest FROM files")
        return {
            path: FileState(size, mtime, digest, counts.get(path, 0)) for path, size, mtime, digest in rows
        }

    def article_digests(self, file: str) -> dict[str, str]:
        """The articles of one file: id → digest of its content."""
        return dict(self._db.execute("SELECT path, digest FROM articles WHERE file = ?", (file,)).fetchall())

    def all_article_digests(self) -> dict[str, str]:
        """Every article: id → digest of its content (changes when the article does)."""
        return dict(self._db.execute("SELECT path, digest FROM articles").fetchall())

    def file_of(self, path: str) -> str | None:
        """The file an article comes from (its own path for a one-article file)."""
        row = self._db.execute("SELECT file FROM articles WHERE path = ?", (path,)).fetchone()
        return str(row[0]) if row else None

    def problem_states(self) -> dict[str, tuple[int | None, int | None, str]]:
        rows = self._db.execute("SELECT path, size, mtime_ns, reason FROM problems")
        return {path: (size, mtime, reason) for path, size, mtime, reason in rows}

    def problems(self) -> list[tuple[str, str]]:
        return list(self._db.execute("SELECT path, reason FROM problems ORDER BY path"))

    def articles(self, sort: str = "date") -> list[ArticleRow]:
        """Every article, newest first (``sort="date"``) or by title."""
        return list(self.iter_articles(sort))

    def iter_articles(self, sort: str = "date") -> Iterator[ArticleRow]:
        """``articles``, one at a time: the window's list turns each into its row as it comes,
        so 100,000 of them are never all held at once (47 MB more at the window's peak)."""
        order = {
            "date": "date IS NULL, date DESC, title COLLATE NOCASE",
            "date-asc": "date IS NULL, date ASC, title COLLATE NOCASE",
            "title": "title COLLATE NOCASE, path",
        }[sort]
        rows = self._db.execute(
            f"SELECT path, title, date, source, url, language FROM articles ORDER BY {order}"
        )
        for p, t, d, s, u, lang in rows:
            yield ArticleRow(p, t, _date(d), s, u, lang)

    def rows_for(self, paths: Iterable[str]) -> dict[str, ArticleRow]:
        out: dict[str, ArticleRow] = {}
        paths = list(paths)
        for i in range(0, len(paths), 500):
            chunk = paths[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for p, t, d, s, u, lang in self._db.execute(
                f"SELECT path, title, date, source, url, language FROM articles WHERE path IN ({marks})",
                chunk,
            ):
                out[p] = ArticleRow(p, t, _date(d), s, u, lang)
        return out

    def language_of(self, path: str) -> str | None:
        """The detected language of the article ``path`` (None: unsure, or not indexed)."""
        row = self._db.execute("SELECT language FROM articles WHERE path = ?", (path,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def languages(self) -> list[tuple[str | None, int]]:
        """How many articles each language has (None: not detected), most first."""
        rows = self._db.execute(
            "SELECT language, count(*) AS n FROM articles GROUP BY language ORDER BY n DESC, language"
        )
        return [(lang, int(n)) for lang, n in rows]

    def word_count(self, word: str) -> int:
        """In how many articles ``word`` has appeared, in any of its written forms (compared
        folded: ``Gdansk`` counts the articles of ``Gdańsk``)."""
        row = self._db.execute("SELECT sum(df) FROM words WHERE folded = ?", (fold(word),)).fetchone()
        return int(row[0]) if row and row[0] else 0

    def words_near(self, word: str, maxdist: int = 2, prefix: int = 1) -> list[tuple[str, int]]:
        """Words (folded) sharing the first ``prefix`` letters of ``word`` (folded) and of a length
        within ``maxdist``, with the articles they appear in."""
        word = fold(word)
        start = word[:prefix]
        rows = self._db.execute(
            "SELECT folded, sum(df) FROM words WHERE folded >= ? AND folded < ? "
            "AND length(folded) BETWEEN ? AND ? GROUP BY folded",
            (start, start + "\U0010ffff", len(word) - maxdist, len(word) + maxdist),
        )
        return [(w, int(df)) for w, df in rows]

    def written_form(self, folded: str) -> str:
        """The form (lower case) in which a folded word is written in most articles."""
        row = self._db.execute(
            "SELECT word FROM words WHERE folded = ? ORDER BY df DESC, word LIMIT 1", (folded,)
        ).fetchone()
        return str(row[0]) if row else folded

    def words_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        """The corpus's words (lower case, as written) beginning with ``prefix`` (compared folded),
        in most articles first."""
        prefix = fold(prefix)
        if not prefix:
            return []
        rows = self._db.execute(
            "SELECT word FROM words WHERE folded >= ? AND folded < ? ORDER BY df DESC, word LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [w for (w,) in rows]

    def words_matching(self, pattern: str, limit: int) -> tuple[list[str], bool]:
        """The corpus's words matching a wildcard pattern (see ``words_matching``)."""
        return words_matching(self._db, pattern, limit)

    # --- writes (inside transaction()) ---------------------------------------------------

    def add_words(self, counts: Mapping[str, int]) -> None:
        """Add article counts of words (see ``spelling.py``)."""
        self._db.executemany(
            "INSERT INTO words VALUES (?1, ?2, fold(?1)) "
            "ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
            counts.items(),
        )

    def put_article(self, row: ArticleRow, file: str, digest: str) -> None:
        """Add or replace one article of ``file`` (``digest``: of its content, see ``index.py``)."""
        self._db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.path,
                file,
                row.title,
                row.date.isoformat() if row.date else None,
                row.source,
                row.url,
                digest,
                row.language,
            ),
        )

    def put_file(self, path: str, state: FileState) -> None:
        """Record a file as read (its articles are put separately); clears its problem."""
        self._db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            (path, state.size, state.mtime_ns, state.digest),
        )
        self._db.execute("DELETE FROM problems WHERE path = ?", (path,))

    def touch(self, path: str, size: int, mtime_ns: int) -> None:
        """Record a new file state for a file whose content did not change."""
        self._db.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime_ns, path))

    def remove(self, path: str) -> None:
        """Remove one article."""
        self._db.execute("DELETE FROM articles WHERE path = ?", (path,))

    def remove_file(self, path: str) -> list[str]:
        """Forget a file and its articles; return the ids of the articles removed."""
        gone = [p for (p,) in self._db.execute("SELECT path FROM articles WHERE file = ?", (path,))]
        self._db.execute("DELETE FROM articles WHERE file = ?", (path,))
        self._db.execute("DELETE FROM files WHERE path = ?", (path,))
        return gone

    def put_problem(self, path: str, reason: str, size: int | None, mtime_ns: int | None) -> None:
        """A file that is not indexed (its articles must have been removed: ``remove_file``)."""
        self._db.execute("DELETE FROM files WHERE path = ?", (path,))
        self._db.execute(
            "INSERT OR REPLACE INTO problems VALUES (?, ?, ?, ?)", (path, reason, size, mtime_ns)
        )

    def put_problem_note(self, path: str, reason: str, size: int, mtime_ns: int) -> None:
        """A problem with an article that is still indexed (e.g. indexed only in part)."""
        self._db.execute(
            "INSERT OR REPLACE INTO problems VALUES (?, ?, ?, ?)", (path, reason, size, mtime_ns)
        )

    def clear_problem(self, path: str) -> None:
        self._db.execute("DELETE FROM problems WHERE path = ?", (path,))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def words_matching(db: sqlite3.Connection, pattern: str, limit: int) -> tuple[list[str], bool]:
    """The words (lower case, every written form) whose folded form matches the folded wildcard
    ``pattern`` (``*`` any letters, ``?`` one): of at most ``limit`` distinct folded words, those
    in most articles first; and whether more words matched."""
    pattern = fold(pattern)
    literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
    regex = re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S
    )
    if literal:
        rows = db.execute(
            "SELECT folded, word, df FROM words WHERE folded >= ? AND folded < ?",
            (literal, literal + "\U0010ffff"),
        )
    else:
        rows = db.execute("SELECT folded, word, df FROM words")
    found: dict[str, list[str]] = {}
    used: dict[str, int] = {}
    for folded, word, df in rows:
        if regex.fullmatch(folded):
            found.setdefault(folded, []).append(word)
            used[folded] = used.get(folded, 0) + int(df)
    best = sorted(found, key=lambda f: (-used[f], f))
    return [w for f in best[:limit] for w in found[f]], len(best) > limit


def words_matching_beside(whoosh_folder: Path, pattern: str, limit: int) -> tuple[list[str], bool] | None:
    """``words_matching`` from the catalog beside an index's Whoosh folder, opened read-only for
    this one question (it sees what a sync wrote, committed); None without a catalog there."""
    path = whoosh_folder.parent / CATALOG_NAME
    if not path.is_file():
        return None
    for mode in ("ro", "ro&immutable=1"):  # immutable: a folder that cannot be written (no -shm)
        try:
            db = sqlite3.connect(f"{path.absolute().as_uri()}?mode={mode}", uri=True)
        except sqlite3.Error:
            continue
        try:
            return words_matching(db, pattern, limit)
        except sqlite3.Error:
            continue
        finally:
            db.close()
    return None
