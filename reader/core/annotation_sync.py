"""After an index sync: keep every highlight attached to its article, or list it as orphaned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.anchoring import text_hash
from reader.core.annotations import AnnotationStore
from reader.core.corpus import plain_text
from reader.core.index import SyncReport


@dataclass
class ReconcileReport:
    reanchored: int = 0
    orphaned: int = 0
    moved: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.reanchored or self.orphaned or self.moved)


def reconcile(
    store: AnnotationStore,
    corpus: Path,
    report: SyncReport,
    read_text: Callable[[Path, str], str | None] = plain_text,
) -> ReconcileReport:
    """Re-anchor highlights of changed articles; follow renamed ones; orphan the rest."""
    out = ReconcileReport()
    key = str(corpus)
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
