"""After an index sync: keep every highlight attached to its article, or list it as orphaned;
read state and labels follow renamed articles, and changed articles are unread again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core import marks
from reader.core.anchoring import text_hash
from reader.core.annotations import AnnotationStore
from reader.core.corpus import plain_text
from reader.core.index import SyncReport


@dataclass
class ReconcileReport:
    reanchored: int = 0
    orphaned: int = 0
    moved: list[tuple[str, str]] = field(default_factory=list)
    marks_moved: list[tuple[str, str]] = field(default_factory=list)
    unread_again: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.reanchored or self.orphaned or self.moved or self.marks_moved or self.unread_again)


def reconcile(
    store: AnnotationStore,
    corpus: Path,
    report: SyncReport,
    read_text: Callable[[Path, str], str | None] = plain_text,
) -> ReconcileReport:
    """Re-anchor highlights of changed articles; follow renamed ones; orphan the rest."""
    out = ReconcileReport()
    key = str(corpus)
    if store.read_only:
        return out
    follow_marks(store, key, report, out)
    annotated = store.paths_with_annotations(key)
    if not annotated or store.read_only:
        return out

    # Renamed or moved: an annotated article vanished and one with the same text appeared.
    vanished = [p for p in report.removed_paths if p in annotated]
    if vanished:
        wanted: dict[str, str] = {}
        for a in store.for_corpus(key, kind="highlight"):
            if a.path in vanished and a.text_hash:
                wanted.setdefault(a.text_hash, a.path)
        for new_path in report.added_paths:
            if not wanted:
                break
            text = read_text(corpus, new_path)
            old_path = wanted.pop(text_hash(text), None) if text is not None else None
            if old_path is not None:
                store.move_article(key, old_path, new_path)
                out.moved.append((old_path, new_path))
                annotated.discard(old_path)
                annotated.add(new_path)
        for path in vanished:
            if path in annotated:
                out.orphaned += len(store.orphan_article(key, path))

    # Changed, or back again: re-anchor against the current text.
    moved_to = {new for _, new in out.moved}
    for path in [*report.updated_paths, *report.added_paths]:
        if path not in annotated or path in moved_to:
            continue
        text = read_text(corpus, path)
        if text is None:
            out.orphaned += len(store.orphan_article(key, path))
            continue
        for a in store.reanchor_article(key, path, text):
            if a.state == "orphaned":
                out.orphaned += 1
            else:
                out.reanchored += 1
    return out


def follow_marks(store: AnnotationStore, corpus: str, report: SyncReport, out: ReconcileReport) -> None:
    """Read state and labels after a sync: a vanished article whose file reappeared under a new
    path (same content digest) takes them along; labels of articles that are gone are orphaned
    (kept), and anchored again when the article is back; changed articles are unread again."""
    if report.updated_paths:
        out.unread_again = len(marks.set_read(store, corpus, report.updated_paths, read=False))
    marked = marks.marked_paths(store, corpus)
    if not marked:
        return
    vanished = [p for p in report.removed_paths if p in marked]
    moved_from: set[str] = set()
    if vanished:
        by_digest: dict[str, list[str]] = {}
        for path in vanished:
            digest = report.digests.get(path)
            if digest:
                by_digest.setdefault(digest, []).append(path)
        for new_path in report.added_paths:
            candidates = by_digest.get(report.digests.get(new_path, ""))
            if candidates and new_path not in marked:
                old_path = candidates.pop(0)
                marks.move_marks(store, corpus, old_path, new_path)
                out.marks_moved.append((old_path, new_path))
                moved_from.add(old_path)
        marks.set_label_state(store, corpus, [p for p in vanished if p not in moved_from], "orphaned")
    back = [p for p in [*report.added_paths, *report.updated_paths] if p in marked]
    marks.set_label_state(store, corpus, back, "anchored")
