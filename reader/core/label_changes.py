"""Managing labels as a whole: rename (merging onto a label that exists), recolour, delete with
everything it is on, and bring a deleted label back (the window's Ctrl+Z).

A label is referred to by id from the articles it is on (``article_labels``), the highlights it
tags (``highlight_tags``) and the rules that give it (``saved_searches.label_id``), so a rename
reaches all of them at once; a saved search whose query names the label (``label:old``) is
rewritten to the new name, or it would silently stop matching. A delete takes the label off every
article (those kept on deleted articles too) and highlight, and stops the rules giving it; the
saved searches themselves stay. Nothing else is touched. Each change says what it reached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.annotations import AnnotationStore, now
from reader.core.marks import Label, bump_generation, clean_name, label_named, require_label
from reader.core.query import MARK_TERM


@dataclass(frozen=True)
class Reach:
    """What a change of a label reached: articles (``orphaned`` of them deleted from the folder),
    highlights, the rules giving it (saved search names) and saved searches whose query was
    rewritten."""

    articles: int = 0
    orphaned: int = 0
    highlights: int = 0
    rules: tuple[str, ...] = ()
    queries: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "articles": self.articles - self.orphaned,
            "orphaned": self.orphaned,
            "highlights": self.highlights,
            "rules": list(self.rules),
            "queries": list(self.queries),
        }

    def describe(self) -> str:
        """ "12 articles (2 of them deleted), 3 highlights, the rule of “Karabakh”"."""
        n = self.articles
        parts = [f"{n:,} article{'s' if n != 1 else ''}"]
        if self.orphaned:
            parts[0] += f" ({self.orphaned:,} of them deleted from the folder)"
        h = self.highlights
        parts.append(f"{h:,} highlight{'s' if h != 1 else ''}")
        if self.rules:
            names = ", ".join(f"“{r}”" for r in self.rules)
            parts.append(f"the rule{'s' if len(self.rules) != 1 else ''} of {names}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Renamed:
    label: Label  # as it is now (the label merged into, for a merge)
    old_name: str
    merged: bool  # ``new`` existed: the two are one label now
    reach: Reach


@dataclass(frozen=True)
class DeletedLabel:
    """A deleted label with everything it was on: enough to bring it back (``restore_label``)."""

    label: Label
    reach: Reach
    # (path, title, date, state, added) of each article it was on
    articles: tuple[tuple[str, str, str | None, str, str], ...] = ()
    highlights: tuple[str, ...] = ()  # annotation ids
    rules: tuple[int, ...] = ()  # saved search ids
    created: str = field(default="")


def _reach(store: AnnotationStore, label_id: int) -> Reach:
    articles, orphaned = store.db.execute(
        "SELECT count(*), coalesce(sum(state = 'orphaned'), 0) FROM article_labels WHERE label_id = ?",
        (label_id,),
    ).fetchone()
    (highlights,) = store.db.execute(
        "SELECT count(*) FROM highlight_tags WHERE label_id = ?", (label_id,)
    ).fetchone()
    rules = tuple(
        row[0]
        for row in store.db.execute(
            "SELECT name FROM saved_searches WHERE label_id = ? ORDER BY name COLLATE NOCASE", (label_id,)
        )
    )
    return Reach(int(articles), int(orphaned), int(highlights), rules)


def rename_query(query: str, old: str, new: str) -> str:
    """``query`` with its ``label:OLD`` terms (any case, quoted or not) saying ``label:NEW``."""

    def swap(m: re.Match[str]) -> str:
        value = m[2] if m[2] is not None else m[3]
        if m[1].lower() != "label" or value.casefold() != old.casefold():
            return m[0]
        bare = new and not any(ch.isspace() or ch in '()"' for ch in new)
        return f"{m[1]}:{new}" if bare else f'{m[1]}:"{new}"'

    return MARK_TERM.sub(swap, query)


def rename_label(store: AnnotationStore, corpus: str, old: str, new: str) -> Renamed:
    """Rename the label ``old`` to ``new``; when a label ``new`` exists already, merge ``old`` into
    it (its articles, highlights and rules carry ``new``; its colour is ``new``'s)."""
    label = require_label(store, corpus, old)
    new = clean_name(new)
    target = label_named(store, corpus, new)
    merged = target is not None and target.id != label.id
    with store.transaction():
        reach = _reach(store, label.id)
        if target is not None and merged:
            # Articles and highlights that have both keep one: INSERT OR IGNORE, then drop the old.
            store.db.execute(
                "INSERT OR IGNORE INTO article_labels (label_id, corpus, path, title, date, state, added) "
                "SELECT ?, corpus, path, title, date, state, added FROM article_labels WHERE label_id = ?",
                (target.id, label.id),
            )
            store.db.execute(
                "INSERT OR IGNORE INTO highlight_tags (annotation_id, label_id) "
                "SELECT annotation_id, ? FROM highlight_tags WHERE label_id = ?",
                (target.id, label.id),
            )
            store.db.execute(
                "UPDATE saved_searches SET label_id = ? WHERE label_id = ?", (target.id, label.id)
            )
            store.db.execute("DELETE FROM article_labels WHERE label_id = ?", (label.id,))
            store.db.execute("DELETE FROM highlight_tags WHERE label_id = ?", (label.id,))
            store.db.execute("DELETE FROM labels WHERE id = ?", (label.id,))
            now_label = target
        else:
            store.db.execute("UPDATE labels SET name = ? WHERE id = ?", (new, label.id))
            now_label = Label(label.id, new, label.color)
        rewritten = []
        for search_id, name, query in store.db.execute(
            "SELECT id, name, query FROM saved_searches WHERE corpus = ?", (corpus,)
        ).fetchall():
            changed = rename_query(query, label.name, now_label.name)
            if changed != query:
                store.db.execute("UPDATE saved_searches SET query = ? WHERE id = ?", (changed, search_id))
                rewritten.append(name)
        bump_generation(store, corpus)
    reach = Reach(reach.articles, reach.orphaned, reach.highlights, reach.rules, tuple(rewritten))
    return Renamed(now_label, label.name, merged, reach)


def delete_label(store: AnnotationStore, corpus: str, name: str) -> DeletedLabel:
    """Delete the label ``name`` at the user's request: off every article (deleted ones too) and
    highlight, and no rule gives it any more. Returns what it was on (for ``restore_label``)."""
    label = require_label(store, corpus, name)
    with store.transaction():
        reach = _reach(store, label.id)
        articles = tuple(
            (str(p), str(t), d, str(s), str(a))
            for p, t, d, s, a in store.db.execute(
                "SELECT path, title, date, state, added FROM article_labels WHERE label_id = ?", (label.id,)
            )
        )
        highlights = tuple(
            row[0]
            for row in store.db.execute(
                "SELECT annotation_id FROM highlight_tags WHERE label_id = ?", (label.id,)
            )
        )
        rules = tuple(
            int(row[0])
            for row in store.db.execute("SELECT id FROM saved_searches WHERE label_id = ?", (label.id,))
        )
        row = store.db.execute("SELECT created FROM labels WHERE id = ?", (label.id,)).fetchone()
        store.db.execute("DELETE FROM article_labels WHERE label_id = ?", (label.id,))
        store.db.execute("DELETE FROM highlight_tags WHERE label_id = ?", (label.id,))
        store.db.execute("UPDATE saved_searches SET label_id = NULL WHERE label_id = ?", (label.id,))
        store.db.execute("DELETE FROM labels WHERE id = ?", (label.id,))
        bump_generation(store, corpus)
    return DeletedLabel(label, reach, articles, highlights, rules, str(row[0]) if row else "")


def restore_label(store: AnnotationStore, corpus: str, deleted: DeletedLabel) -> Label:
    """Bring a deleted label back on what it was on (highlights and rules that still exist; a
    label of that name made meanwhile gets them too)."""
    found = label_named(store, corpus, deleted.label.name)
    with store.transaction():
        if found is None:
            cursor = store.db.execute(
                "INSERT INTO labels (corpus, name, color, created) VALUES (?, ?, ?, ?)",
                (corpus, deleted.label.name, deleted.label.color, deleted.created or now()),
            )
            label = Label(int(cursor.lastrowid or 0), deleted.label.name, deleted.label.color)
        else:
            label = found
        store.db.executemany(
            "INSERT OR IGNORE INTO article_labels (label_id, corpus, path, title, date, state, added) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(label.id, corpus, *row) for row in deleted.articles],
        )
        store.db.executemany(
            "INSERT OR IGNORE INTO highlight_tags (annotation_id, label_id) "
            "SELECT id, ? FROM annotations WHERE id = ?",
            [(label.id, a) for a in deleted.highlights],
        )
        store.db.executemany(
            "UPDATE saved_searches SET label_id = ? WHERE id = ? AND label_id IS NULL",
            [(label.id, s) for s in deleted.rules],
        )
        bump_generation(store, corpus)
    return label


__all__ = [
    "DeletedLabel",
    "Reach",
    "Renamed",
    "delete_label",
    "rename_label",
    "rename_query",
    "restore_label",
]
