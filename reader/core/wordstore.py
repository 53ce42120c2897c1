"""Every article's words as the index analyses them, kept compactly for stories and insights.

The Whoosh index does not store article bodies, and re-reading and re-analysing 10,000 files
for a collocates table would take far longer than the two seconds it may. So each article's
stemmed words (``word_stems``: Whoosh's tokens, each as the index's folded term in the article's
language) are kept here as an
array of 32-bit term ids, with ``0`` where a sentence or line ends, beside its
MinHash signature and story (``stories.py``). The terms table counts each term in the corpus
(tokens and articles) for keyness.

It is a cache in the index folder (``words.sqlite3``), never in the corpus folder: a damaged one
is deleted and rebuilt. ``update`` brings it level with the catalog by file digest, so it reads
only articles added or changed since it last ran, forgets deleted ones, and catches up by itself
after an interrupted run.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reader.core.analysis import CJK, TOKEN, index_terms, tokens
from reader.core.catalog import Catalog
from reader.core.corpus import Article, ArticleError, load_article
from reader.core.language import article_language
from reader.core.story_lookup import STORE_FILE

# The index's own words (analysis.tokens: letters, digits and combining marks, so a Devanagari,
# Bengali or Thai word keeps its vowel signs; each Han character and kana a word of its own),
# each stored as its first index term in the article's language (analysis.py: folded, stemmed
# by that language's Snowball stemmer). So a query's terms, which insights looks up here, are
# the store's terms in every language; English words get the same Porter stems as before.
_TOKEN = TOKEN


def _term(word: str, language: str | None) -> str:
    terms = index_terms(word, language)
    return terms[0] if terms else ""


def word_stems(text: str, language: str | None = None) -> Iterator[tuple[str, int, int]]:
    """``(term, start, end)`` of each word of ``text`` (in an article of ``language``) as this
    store keeps it (the reference for ``analyse``, and for the words insights looks up)."""
    for word, start, end in tokens(text):
        term = _term(word, language)
        if term:
            yield term, start, end


#: 4: the index's tokens (combining marks inside words), each article's language (for its stop
#: words); 3: folded terms by language; 2: Porter
#: stems, token arrays raw; 1: zlib.
STORE_VERSION = 4
STORE_NAME = STORE_FILE
#: Term id marking the end of a sentence or line (n-grams never cross it).
BOUNDARY = 0
#: Articles read between commits: an interrupted update keeps what it did.
BATCH = 500

TokenArray = npt.NDArray[np.uint32]
ProgressFn = Callable[[int, int], None]


@dataclass
class Changes:
    """What one update changed: ids of articles read anew, and stories that lost a member."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class Analysed:
    """An article as the store keeps it: ``analyse``'s stems, words and body start, its date and
    its language."""

    path: str
    date: str | None
    stems: list[str]
    words: list[str]
    body_start: int
    language: str | None


def analysed_article(corpus: Path, article_id: str, _digest: str | None = None) -> Analysed | None:
    """Read and analyse one article of the corpus (in this process, or in a worker process of
    ``index_pool``); None when it cannot be read (vanished or broken since the sync)."""
    try:
        article = load_article(corpus, article_id)
    except (ArticleError, OSError):
        return None
    language = article_language(article)
    stems, words, body_start = analyse(article, language)
    date = article.date.isoformat() if article.date else None
    return Analysed(article.path, date, stems, words, body_start, language)


#: ``analyse``'s default: detect the article's language (as the index does).
DETECT = "\0detect"


def analyse(article: Article, language: str | None = DETECT) -> tuple[list[str], list[str], int]:
    """The article's title and body as stems (``""`` at sentence and line ends) with the
    lower-case word each stem came from, and where the body starts in those lists.

    The tokens are exactly ``word_stems``' (a test holds them equal), found in one C-level pass
    per text instead of a generator step per word: five times faster on the articles of a cold
    build.
    """
    if language == DETECT:
        language = article_language(article)
    stems: list[str] = []
    words: list[str] = []
    _scan(article.title, stems, words, language)
    if not stems or stems[-1]:
        stems.append("")
        words.append("")
    body_start = len(stems)
    _scan(article.body, stems, words, language)
    while len(stems) > body_start and not stems[-1]:
        stems.pop()
        words.pop()
    return stems, words, body_start


# The index's token pattern with its groups made non-capturing (findall returns whole matches),
# or a sentence end.
_SCAN = re.compile("(?:" + re.sub(r"(?<!\\)\((?!\?)", "(?:", _TOKEN.pattern) + r")|[.!?;:\n]")
_STEMS: dict[str | None, dict[str, str]] = {}


def _scan(text: str, stems: list[str], words: list[str], language: str | None) -> None:
    cache = _STEMS.setdefault(language, {})
    after_word = bool(stems) and bool(stems[-1])
    found = _SCAN.findall(text.lower())
    if not text.isascii() and CJK.search(text):  # a Han or kana run: a word per character
        found = [part for w in found for part in ([w] if len(w) == 1 else [t for t, _, _ in tokens(w)])]
    for w in found:
        if len(w) == 1 and w in ".!?;:\n":
            if after_word:
                stems.append("")
                words.append("")
                after_word = False
            continue
        s = cache.get(w)
        if s is None:
            s = cache[w] = _term(w, language)
            if len(cache) > 500_000:
                cache.clear()
        if not s:
            continue
        stems.append(s)
        words.append(w)
        after_word = True


def pack(ids: Iterable[int]) -> bytes:
    # Not compressed: zlib's 30 µs to set up each inflate was a quarter of the insights of
    # 10,000 articles; raw ids take twice the room (a third of the index's size).
    return np.fromiter(ids, dtype="<u4").tobytes()


def unpack(blob: bytes) -> TokenArray:
    return np.frombuffer(blob, dtype="<u4")


class WordStore:
    """One connection to an index folder's word store; one per thread."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError:
            if readonly:
                raise
            # A cache: start again rather than fail.
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            self._db = self._connect()
        self._ids: dict[str, int] = {}
        self._cf: dict[int, int] = {}
        self._df: dict[int, int] = {}

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            if not self.path.exists():
                raise sqlite3.DatabaseError("no word store")
            uri = f"{self.path.absolute().as_uri()}?immutable=1"
            db = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=10000")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and not self.readonly:
            db.executescript(
                f"""
                BEGIN;
                CREATE TABLE IF NOT EXISTS terms (
                    id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, surface TEXT NOT NULL,
                    cf INTEGER NOT NULL DEFAULT 0, df INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE IF NOT EXISTS docs (
                    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, digest TEXT NOT NULL,
                    date TEXT, body_start INTEGER NOT NULL, tokens BLOB NOT NULL,
                    sig BLOB, story INTEGER, lang TEXT);
                CREATE INDEX IF NOT EXISTS docs_story ON docs(story);
                CREATE TABLE IF NOT EXISTS dirty (story INTEGER PRIMARY KEY);
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                PRAGMA user_version={STORE_VERSION};
                COMMIT;
                """
            )
        elif version != STORE_VERSION:
            db.close()
            raise sqlite3.DatabaseError(f"word store version {version}, expected {STORE_VERSION}")
        return db

    @property
    def db(self) -> sqlite3.Connection:
        return self._db

    def close(self) -> None:
        self._db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            self._cf, self._df = {}, {}
            self._ids = {}  # ids handed out in the rolled-back transaction are gone
            raise
        self._db.execute("COMMIT")

    # --- keeping level with the catalog ---------------------------------------------------

    def update(
        self,
        corpus: Path,
        catalog: Catalog,
        cancel: threading.Event | None = None,
        progress: ProgressFn | None = None,
        on_article: Callable[[int, list[int], int], None] | None = None,
    ) -> Changes:
        """Read the articles the catalog has with another digest than here, forget those it no
        longer has. ``on_article(doc_id, ids, body_start)`` sees each article read (inside the
        transaction: ``stories.py`` signs it there)."""
        changes = Changes()
        want = catalog.all_article_digests()  # by article: a feed's items are articles of their own
        have = {p: (i, d) for i, p, d in self._db.execute("SELECT id, path, digest FROM docs")}
        gone = [p for p in have if p not in want]
        to_read = [p for p, digest in want.items() if have.get(p, (0, ""))[1] != digest]
        with self.transaction():
            for path in gone:
                self._forget(have[path][0])
                changes.removed.append(path)
            self._flush()
        total = len(to_read)
        with contextlib.closing(_read_all(corpus, to_read, cancel)) as articles:
            for start in range(0, total, BATCH):
                if cancel is not None and cancel.is_set():
                    changes.cancelled = True
                    break
                with self.transaction():
                    for path in to_read[start : start + BATCH]:
                        analysed = next(articles, _STOPPED)
                        if analysed is _STOPPED:  # the workers stopped: cancelled
                            changes.cancelled = True
                            break
                        old = have.get(path)
                        story = self._forget(old[0]) if old is not None else None
                        if not isinstance(analysed, Analysed):
                            if old is not None:
                                changes.removed.append(path)
                            continue  # vanished or broken since the sync: the next sync sees it
                        doc_id, ids, body_start = self._put(
                            analysed, want[path], old[0] if old else None, story
                        )
                        if on_article is not None:
                            on_article(doc_id, ids, body_start)
                        (changes.updated if old is not None else changes.added).append(path)
                    self._flush()
                if changes.cancelled:
                    break
                if progress is not None:
                    progress(min(start + BATCH, total), total)
        return changes

    def _forget(self, doc_id: int) -> int | None:
        """Take an article out (its story is marked for re-examination); returns its story."""
        row = self._db.execute("SELECT tokens, story FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        self._count(unpack(row[0]).tolist(), -1)
        if row[1] is not None:
            self._db.execute("INSERT OR IGNORE INTO dirty VALUES (?)", (row[1],))
        self._db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
        return int(row[1]) if row[1] is not None else None

    def _put(
        self, article: Analysed, digest: str, doc_id: int | None, story: int | None
    ) -> tuple[int, list[int], int]:
        ids = self._term_ids(article.stems, article.words)
        self._count(ids, 1)
        cur = self._db.execute(
            "INSERT INTO docs (id, path, digest, date, body_start, tokens, story, lang) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                article.path,
                digest,
                article.date,
                article.body_start,
                pack(ids),
                story,
                article.language,
            ),
        )
        return int(cur.lastrowid or 0), ids, article.body_start

    def _term_ids(self, stems: list[str], words: list[str]) -> list[int]:
        known = self._ids
        missing = {stem: word for stem, word in zip(stems, words, strict=True) if stem and stem not in known}
        if missing:
            new = list(missing)
            for i in range(0, len(new), 500):
                chunk = new[i : i + 500]
                marks = ",".join("?" * len(chunk))
                known.update(self._db.execute(f"SELECT term, id FROM terms WHERE term IN ({marks})", chunk))
            for stem, surface in missing.items():
                if stem not in known:
                    cur = self._db.execute("INSERT INTO terms (term, surface) VALUES (?, ?)", (stem, surface))
                    known[stem] = int(cur.lastrowid or 0)
        return [known[stem] if stem else BOUNDARY for stem in stems]

    def _count(self, ids: list[int], sign: int) -> None:
        """Count an article's terms in (or out of) the corpus totals; written by ``_flush``."""
        counts = Counter(ids)
        counts.pop(BOUNDARY, None)
        cf, df = self._cf, self._df
        for term, n in counts.items():
            cf[term] = cf.get(term, 0) + sign * n
            df[term] = df.get(term, 0) + sign

    def _flush(self) -> None:
        """Write the counts of the batch (inside its transaction)."""
        self._db.executemany(
            "UPDATE terms SET cf = cf + ?, df = df + ? WHERE id = ?",
            [(n, self._df[term], term) for term, n in self._cf.items()],
        )
        self._cf, self._df = {}, {}

    # --- reading ---------------------------------------------------------------------------

    def doc_ids(self, paths: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        paths = list(paths)
        for i in range(0, len(paths), 500):
            chunk = paths[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(self._db.execute(f"SELECT path, id FROM docs WHERE path IN ({marks})", chunk))
        return out

    def tokens(self, paths: Iterable[str], chunk: int = 500) -> Iterator[list[tuple[str, TokenArray]]]:
        """The term ids of each article (in batches of ``chunk``); unknown paths are left out."""
        paths = list(paths)
        for i in range(0, len(paths), chunk):
            part = paths[i : i + chunk]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(f"SELECT path, tokens FROM docs WHERE path IN ({marks})", part)
            yield [(path, unpack(blob)) for path, blob in rows]

    def tokens_and_languages(
        self, paths: Iterable[str], chunk: int = 500
    ) -> Iterator[list[tuple[str, TokenArray, str | None]]]:
        """``tokens``, with each article's language (ISO 639-1, or None: not detected)."""
        paths = list(paths)
        for i in range(0, len(paths), chunk):
            part = paths[i : i + chunk]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(f"SELECT path, tokens, lang FROM docs WHERE path IN ({marks})", part)
            yield [(path, unpack(blob), lang or None) for path, blob, lang in rows]

    def languages(self) -> dict[str | None, int]:
        """How many articles of each language the store holds."""
        rows = self._db.execute("SELECT lang, count(*) FROM docs GROUP BY lang")
        return {(lang or None): int(n) for lang, n in rows}

    def term_ids(self, stems: Iterable[str]) -> dict[str, int]:
        stems = list(stems)
        out: dict[str, int] = {}
        for i in range(0, len(stems), 500):
            chunk = stems[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(self._db.execute(f"SELECT term, id FROM terms WHERE term IN ({marks})", chunk))
        return out

    def surfaces(self, ids: Iterable[int]) -> dict[int, str]:
        ids = [int(i) for i in ids]
        out: dict[int, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(self._db.execute(f"SELECT id, surface FROM terms WHERE id IN ({marks})", chunk))
        return out

    def corpus_counts(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int]:
        """Per term id: tokens in the corpus (cf) and articles using it (df); and the number of
        articles."""
        top = int(self._db.execute("SELECT coalesce(max(id), 0) FROM terms").fetchone()[0])
        cf = np.zeros(top + 1, dtype=np.int64)
        df = np.zeros(top + 1, dtype=np.int64)
        rows = np.array(self._db.execute("SELECT id, cf, df FROM terms").fetchall(), dtype=np.int64)
        if len(rows):
            cf[rows[:, 0]] = rows[:, 1]
            df[rows[:, 0]] = rows[:, 2]
        docs = int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])
        return cf, df, docs


_STOPPED = object()


def _read_all(
    corpus: Path, paths: list[str], cancel: threading.Event | None
) -> Generator[Analysed | None, None, None]:
    """``analysed_article`` of each of ``paths``, in order: by the worker processes of
    ``index_pool`` when there are many (after a first index: the whole corpus again), else here."""
    from reader.core.index_pool import PoolFailed, ReaderPool, pool_min_files, work_of, worker_count

    count = worker_count()
    done = 0
    if count >= 1 and work_of(paths) >= pool_min_files():
        try:
            with ReaderPool(corpus, count, reader=analysed_article) as pool:
                for result in pool.results([(p, None) for p in paths], [0] * len(paths), cancel):
                    # A worker that died on the article gives a problem: it is left out here.
                    yield result if isinstance(result, Analysed) else None
                    done += 1
                return
        except PoolFailed:
            pass  # the workers cannot start here: read the rest in this process
    for path in paths[done:]:
        yield analysed_article(corpus, path)


def store_path(index_dir: Path) -> Path:
    return index_dir / STORE_NAME
