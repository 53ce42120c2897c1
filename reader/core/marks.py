"""Read state and labels: the user's triage of a corpus, kept in the annotations database.

Keyed like highlights, by corpus and article path (``annotations.py``, schema version 3). Only
the *read* articles are stored: every other article is unread, so a new one needs no row and
"unread" is all articles minus these. Labels have a name (unique per corpus, any case) and a
colour; they go on articles (``article_labels``) and on highlights (``highlight_tags``, the
highlights' "tags"). A label on an article that is gone is kept, orphaned, until the user
removes it. Every change bumps the corpus's generation, which caches of filtered searches key on.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reader.core.annotations import Annotation, AnnotationError, AnnotationStore, now
from reader.core.label_colors import LABEL_COLORS as LABEL_COLORS  # (re-exported: the window uses it)

#: More colour names a user may give (``label color NAME yellow``): kept as their #rrggbb value.
MORE_COLORS: dict[str, str] = {
    "yellow": "#fab005",
    "brown": "#8d5524",
    "black": "#212529",
    "white": "#f8f9fa",
    "gray": "#868e96",
    "cyan": "#15aabf",
    "lime": "#74b816",
    "indigo": "#4263eb",
    "violet": "#ae3ec9",
    "navy": "#1b3a8a",
    "maroon": "#862e2e",
    "olive": "#707a1c",
}
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
MAX_LABEL_CHARS = 60
_CHUNK = 500  # SQLite variables per statement, kept well under its limit


@dataclass(frozen=True)
class Label:
    id: int
    name: str
    color: str

    @property
    def css(self) -> str:
        """The colour as CSS ``#rrggbb`` (a palette name, or the value the user gave)."""
        if self.color in LABEL_COLORS:
            return LABEL_COLORS[self.color]
        return (
            self.color if _HEX.fullmatch(self.color) and self.color.startswith("#") else LABEL_COLORS["grey"]
        )

    @property
    def text_css(self) -> str:
        """White or near-black: whichever reads better on the chip's colour."""
        value = self.css.lstrip("#")
        r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
        return "#1a1a1a" if 0.299 * r + 0.587 * g + 0.114 * b > 160 else "#ffffff"


@dataclass(frozen=True)
class LabelCount:
    """A label with how many articles carry it (``orphaned`` of them gone) and highlights; in
    JSON, ``count`` is the articles in the corpus with it."""

    label: Label
    articles: int
    orphaned: int
    highlights: int

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.label.name,
            "color": self.label.color,
            "css": self.label.css,
            "count": self.articles - self.orphaned,
            "orphaned": self.orphaned,
            "highlights": self.highlights,
        }


@dataclass(frozen=True)
class OrphanLabel:
    """A label kept on an article that is no longer in the corpus."""

    label: Label
    path: str
    title: str
    date: str | None


def parse_color(given: str) -> str:
    """A colour as stored: a palette name (``red``), or ``#rrggbb`` for a hex value or another
    known name (``yellow``). Raises AnnotationError with the choices otherwise."""
    text = given.strip().lower()
    if text in LABEL_COLORS:
        return text
    if text in MORE_COLORS:
        return MORE_COLORS[text]
    m = _HEX.fullmatch(text)
    if m and (text.startswith("#") or len(text) == 6):
        digits = m[1] if len(m[1]) == 6 else "".join(ch * 2 for ch in m[1])
        return f"#{digits}"
    names = ", ".join([*LABEL_COLORS, *MORE_COLORS])
    raise AnnotationError(f"unknown colour {given!r}: give #rrggbb or one of {names}")


def clean_name(name: str) -> str:
    """A label name as stored: single spaces, no control characters, at most 60 characters."""
    name = " ".join("".join(ch for ch in name if ch.isprintable()).split())[:MAX_LABEL_CHARS]
    if not name:
        raise AnnotationError("a label needs a name")
    if '"' in name:
        raise AnnotationError('a label name cannot contain "')
    return name


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def bump_generation(store: AnnotationStore, corpus: str) -> None:
    store.db.execute(
        "INSERT INTO marks_generation (corpus, generation) VALUES (?, 1) "
        "ON CONFLICT (corpus) DO UPDATE SET generation = generation + 1",
        (corpus,),
    )


def generation(store: AnnotationStore, corpus: str) -> int:
    """A number that changes whenever read state or labels of ``corpus`` change."""
    try:
        row = store.db.execute(
            "SELECT generation FROM marks_generation WHERE corpus = ?", (corpus,)
        ).fetchone()
    except sqlite3.OperationalError:  # a newer database opened read-only may lack it
        return 0
    return int(row[0]) if row else 0


# --- read state ----------------------------------------------------------------------------


def read_paths(store: AnnotationStore, corpus: str) -> set[str]:
    """The articles of ``corpus`` that have been read (the rest are unread)."""
    try:
        rows = store.db.execute("SELECT path FROM read_state WHERE corpus = ?", (corpus,))
    except sqlite3.OperationalError:
        return set()
    return {row[0] for row in rows}


def read_among(store: AnnotationStore, corpus: str, paths: Iterable[str]) -> set[str]:
    """Which of ``paths`` have been read."""
    out: set[str] = set()
    try:
        for chunk in _chunks(list(paths)):
            marks = ",".join("?" * len(chunk))
            out.update(
                row[0]
                for row in store.db.execute(
                    f"SELECT path FROM read_state WHERE corpus = ? AND path IN ({marks})", (corpus, *chunk)
                )
            )
    except sqlite3.OperationalError:
        pass
    return out


def is_read(store: AnnotationStore, corpus: str, path: str) -> bool:
    try:
        row = store.db.execute(
            "SELECT 1 FROM read_state WHERE corpus = ? AND path = ?", (corpus, path)
        ).fetchone()
    except sqlite3.OperationalError:
        return False
    return row is not None


def set_read(store: AnnotationStore, corpus: str, paths: Iterable[str], read: bool = True) -> list[str]:
    """Mark ``paths`` read (or unread); returns those whose state changed (what an undo restores)."""
    wanted = list(dict.fromkeys(paths))
    if not wanted:
        return []
    with store.transaction():
        before: set[str] = set()
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            before.update(
                row[0]
                for row in store.db.execute(
                    f"SELECT path FROM read_state WHERE corpus = ? AND path IN ({marks})", (corpus, *chunk)
                )
            )
        changed = [p for p in wanted if (p in before) != read]
        if read:
            stamp = now()
            store.db.executemany(
                "INSERT OR IGNORE INTO read_state (corpus, path, read_at) VALUES (?, ?, ?)",
                [(corpus, p, stamp) for p in changed],
            )
        else:
            store.db.executemany(
                "DELETE FROM read_state WHERE corpus = ? AND path = ?", [(corpus, p) for p in changed]
            )
        if changed:
            bump_generation(store, corpus)
    return changed


# --- labels --------------------------------------------------------------------------------


def labels(store: AnnotationStore, corpus: str) -> list[Label]:
    """Every label of ``corpus``, by name."""
    try:
        rows = store.db.execute(
            "SELECT id, name, color FROM labels WHERE corpus = ? ORDER BY name COLLATE NOCASE", (corpus,)
        )
    except sqlite3.OperationalError:
        return []
    return [Label(*row) for row in rows]


def label_named(store: AnnotationStore, corpus: str, name: str) -> Label | None:
    try:
        row = store.db.execute(
            "SELECT id, name, color FROM labels WHERE corpus = ? AND name = ?", (corpus, name.strip())
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    return Label(*row) if row else None


def ensure_label(store: AnnotationStore, corpus: str, name: str, color: str | None = None) -> Label:
    """The label called ``name``, made (with the next unused colour, or ``color``) if new."""
    name = clean_name(name)
    if color is not None:
        color = parse_color(color)
    found = label_named(store, corpus, name)
    if found is not None:
        if color is not None and color != found.color:
            return set_label_color(store, corpus, name, color)
        return found
    if color is None:
        used = [label.color for label in labels(store, corpus)]
        color = min(LABEL_COLORS, key=lambda c: (used.count(c), list(LABEL_COLORS).index(c)))
    with store.transaction():
        cursor = store.db.execute(
            "INSERT INTO labels (corpus, name, color, created) VALUES (?, ?, ?, ?)",
            (corpus, name, color, now()),
        )
        bump_generation(store, corpus)
    return Label(int(cursor.lastrowid or 0), name, color)


def require_label(store: AnnotationStore, corpus: str, name: str) -> Label:
    found = label_named(store, corpus, name)
    if found is None:
        raise AnnotationError(f"no label {name!r}")
    return found


def set_label_color(store: AnnotationStore, corpus: str, name: str, color: str) -> Label:
    """Give the label ``name`` another colour (``parse_color``: a name or #rrggbb)."""
    color = parse_color(color)
    label = require_label(store, corpus, name)
    with store.transaction():
        store.db.execute("UPDATE labels SET color = ? WHERE id = ?", (color, label.id))
        bump_generation(store, corpus)
    return Label(label.id, label.name, color)


ArticleInfo = Mapping[str, tuple[str, str | None]]  # path -> (title, ISO date), kept for orphans


def add_label(
    store: AnnotationStore,
    corpus: str,
    name: str,
    paths: Iterable[str],
    info: ArticleInfo | None = None,
    color: str | None = None,
) -> list[str]:
    """Put the label ``name`` (made if new) on ``paths``; returns the paths that did not have it."""
    wanted = list(dict.fromkeys(paths))
    label = ensure_label(store, corpus, name, color)
    if not wanted:
        return []
    stamp = now()
    with store.transaction():
        have = _paths_of(store, label.id, wanted)
        changed = [p for p in wanted if p not in have]
        store.db.executemany(
            "INSERT OR IGNORE INTO article_labels (label_id, corpus, path, title, date, added) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(label.id, corpus, p, *(info or {}).get(p, ("", None)), stamp) for p in changed],
        )
        if changed:
            bump_generation(store, corpus)
    return changed


def remove_label(store: AnnotationStore, corpus: str, name: str, paths: Iterable[str]) -> list[str]:
    """Take the label ``name`` off ``paths``; returns the paths that had it."""
    wanted = list(dict.fromkeys(paths))
    label = label_named(store, corpus, name)
    if label is None or not wanted:
        return []
    with store.transaction():
        have = _paths_of(store, label.id, wanted)
        changed = [p for p in wanted if p in have]
        store.db.executemany(
            "DELETE FROM article_labels WHERE label_id = ? AND path = ?", [(label.id, p) for p in changed]
        )
        if changed:
            bump_generation(store, corpus)
    return changed


def _paths_of(store: AnnotationStore, label_id: int, paths: list[str]) -> set[str]:
    have: set[str] = set()
    for chunk in _chunks(paths):
        marks = ",".join("?" * len(chunk))
        have.update(
            row[0]
            for row in store.db.execute(
                f"SELECT path FROM article_labels WHERE label_id = ? AND path IN ({marks})",
                (label_id, *chunk),
            )
        )
    return have


def paths_with_label(store: AnnotationStore, corpus: str, name: str) -> set[str]:
    """The articles carrying the label ``name`` (orphans included: they match no document)."""
    try:
        rows = store.db.execute(
            "SELECT a.path FROM article_labels a JOIN labels l ON l.id = a.label_id "
            "WHERE l.corpus = ? AND l.name = ?",
            (corpus, name.strip()),
        )
    except sqlite3.OperationalError:
        return set()
    return {row[0] for row in rows}


def labels_by_path(
    store: AnnotationStore, corpus: str, paths: Iterable[str] | None = None
) -> dict[str, list[Label]]:
    """The labels of each article (of ``paths``, or all), each list by name."""
    sql = (
        "SELECT a.path, l.id, l.name, l.color FROM article_labels a JOIN labels l ON l.id = a.label_id "
        "WHERE a.corpus = ?"
    )
    rows: list[tuple[str, int, str, str]] = []
    try:
        if paths is None:
            rows = store.db.execute(sql, (corpus,)).fetchall()
        else:
            for chunk in _chunks(list(paths)):
                marks = ",".join("?" * len(chunk))
                rows.extend(store.db.execute(f"{sql} AND a.path IN ({marks})", (corpus, *chunk)))
    except sqlite3.OperationalError:
        return {}
    out: dict[str, list[Label]] = {}
    for path, label_id, name, color in rows:
        out.setdefault(path, []).append(Label(label_id, name, color))
    for found in out.values():
        found.sort(key=lambda label: label.name.casefold())
    return out


def labels_of(store: AnnotationStore, corpus: str, path: str) -> list[Label]:
    return labels_by_path(store, corpus, [path]).get(path, [])


def label_counts(store: AnnotationStore, corpus: str) -> list[LabelCount]:
    """Every label with its article (and orphan) and highlight counts, by name."""
    out = []
    for label in labels(store, corpus):
        articles, orphaned = store.db.execute(
            "SELECT count(*), coalesce(sum(state = 'orphaned'), 0) FROM article_labels WHERE label_id = ?",
            (label.id,),
        ).fetchone()
        (highlights,) = store.db.execute(
            "SELECT count(*) FROM highlight_tags WHERE label_id = ?", (label.id,)
        ).fetchone()
        out.append(LabelCount(label, int(articles), int(orphaned), int(highlights)))
    return out


def orphan_labels(store: AnnotationStore, corpus: str) -> list[OrphanLabel]:
    """Labels kept on articles that are gone, until the user removes them."""
    try:
        rows = store.db.execute(
            "SELECT l.id, l.name, l.color, a.path, a.title, a.date FROM article_labels a "
            "JOIN labels l ON l.id = a.label_id WHERE a.corpus = ? AND a.state = 'orphaned' "
            "ORDER BY a.path, l.name COLLATE NOCASE",
            (corpus,),
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [OrphanLabel(Label(i, n, c), p, t, d) for i, n, c, p, t, d in rows]


# --- highlight tags ------------------------------------------------------------------------


def set_tags(
    store: AnnotationStore, corpus: str, annotation_id: str, names: Iterable[str]
) -> tuple[str, ...]:
    """Give a highlight exactly the tags ``names`` (labels made if new); returns them by name."""
    wanted = [ensure_label(store, corpus, n) for n in dict.fromkeys(clean_name(n) for n in names)]
    with store.transaction():
        store.db.execute("DELETE FROM highlight_tags WHERE annotation_id = ?", (annotation_id,))
        store.db.executemany(
            "INSERT OR IGNORE INTO highlight_tags (annotation_id, label_id) VALUES (?, ?)",
            [(annotation_id, label.id) for label in wanted],
        )
        bump_generation(store, corpus)
    return tuple(sorted((label.name for label in wanted), key=str.casefold))


def store_tags(store: AnnotationStore, annotations: Iterable[Annotation]) -> None:
    """Keep the tags that came with imported annotations (``put`` does not write them)."""
    for a in annotations:
        if a.tags:
            merged = {*a.tags, *(existing.tags if (existing := store.get(a.id)) else ())}
            set_tags(store, a.corpus, a.id, sorted(merged, key=str.casefold))


# --- following articles --------------------------------------------------------------------


def move_marks(store: AnnotationStore, corpus: str, old_path: str, new_path: str) -> None:
    """A renamed or moved article keeps its read state and labels."""
    with store.transaction():
        store.db.execute(
            "UPDATE OR REPLACE read_state SET path = ? WHERE corpus = ? AND path = ?",
            (new_path, corpus, old_path),
        )
        store.db.execute(
            "UPDATE OR REPLACE article_labels SET path = ?, state = 'anchored' WHERE corpus = ? AND path = ?",
            (new_path, corpus, old_path),
        )
        bump_generation(store, corpus)


def marked_paths(store: AnnotationStore, corpus: str) -> set[str]:
    """Articles with a read mark or a label: the ones a sync must follow."""
    try:
        rows = store.db.execute(
            "SELECT path FROM read_state WHERE corpus = ? "
            "UNION SELECT path FROM article_labels WHERE corpus = ?",
            (corpus, corpus),
        )
    except sqlite3.OperationalError:
        return set()
    return {row[0] for row in rows}


def set_label_state(store: AnnotationStore, corpus: str, paths: Iterable[str], state: str) -> int:
    """Orphan the labels of articles that are gone (or anchor them again when they are back)."""
    wanted = list(paths)
    if not wanted:
        return 0
    changed = 0
    with store.transaction():
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            cursor = store.db.execute(
                f"UPDATE article_labels SET state = ? WHERE corpus = ? AND state != ? AND path IN ({marks})",
                (state, corpus, state, *chunk),
            )
            changed += cursor.rowcount
        if changed:
            bump_generation(store, corpus)
    return changed
