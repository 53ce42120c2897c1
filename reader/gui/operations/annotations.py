"""Bookmarks, highlights and notes: every write on the writer lane (one connection), each
answered with the corpus's annotations as they now are."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader.core.annotations import Annotation
from reader.core.corpus import plain_text
from reader.core.marks import store_tags
from reader.gui.tasks.lanes import WriterContext
from reader.gui.tasks.runner import TaskRunner, WriteOp


@dataclass(frozen=True)
class Changed:
    """What a write did (``saved`` / ``deleted``: the annotation, for the status bar and undo),
    and every annotation of the corpus after it."""

    annotations: list[Annotation]
    saved: Annotation | None = None
    deleted: Annotation | None = None
    message: str = ""


def _all(ctx: WriterContext) -> list[Annotation]:
    """The corpus's annotations, with their articles' current titles and dates."""
    from reader.core.annotation_io import with_article_info

    items = ctx.annotations().for_corpus(str(ctx.corpus))
    if ctx.index is None or not items:
        return items
    catalog = ctx.index.catalog()
    try:
        return with_article_info(items, catalog.rows_for({a.path for a in items}))
    finally:
        catalog.close()


def list_all(tasks: TaskRunner, success: Callable[[Changed], None]) -> WriteOp[Changed]:
    """Every annotation of the corpus (read on the writer lane: it sees its own writes)."""
    return WriteOp(tasks, lambda ctx: Changed(_all(ctx)), success).described("Cannot read annotations")


def save(tasks: TaskRunner, annotation: Annotation, success: Callable[[Changed], None]) -> WriteOp[Changed]:
    """Create or replace ``annotation``; committed at once."""

    def work(ctx: WriterContext) -> Changed:
        ctx.annotations().put(annotation)
        store_tags(ctx.annotations(), [annotation])  # an undone deletion gets its tags back
        return Changed(_all(ctx), saved=annotation)

    return WriteOp(tasks, work, success).described("Not saved")


def update(
    tasks: TaskRunner, annotation_id: str, changes: dict[str, object], success: Callable[[Changed], None]
) -> WriteOp[Changed]:
    """Change fields (colour, note) of one annotation."""

    def work(ctx: WriterContext) -> Changed:
        changed = ctx.annotations().update(annotation_id, **changes)
        return Changed(_all(ctx), saved=changed)

    return WriteOp(tasks, work, success).described("Not saved")


def delete(tasks: TaskRunner, annotation_id: str, success: Callable[[Changed], None]) -> WriteOp[Changed]:
    """Delete one annotation; the answer keeps it (for undo)."""

    def work(ctx: WriterContext) -> Changed:
        deleted = ctx.annotations().delete(annotation_id)
        return Changed(_all(ctx), deleted=deleted)

    return WriteOp(tasks, work, success).described("Not deleted")


def export(tasks: TaskRunner, fmt: str, target: Path, success: Callable[[Changed], None]) -> WriteOp[Changed]:
    """Write the corpus's annotations to ``target`` as W3C Web Annotations or Markdown."""

    def work(ctx: WriterContext) -> Changed:
        from reader.core.annotation_io import dumps_w3c, to_markdown

        items = _all(ctx)
        text = dumps_w3c(items, str(ctx.corpus)) if fmt == "w3c" else to_markdown(items)
        target.write_text(text, encoding="utf-8")
        return Changed(items, message=f"Exported {len(items):,} annotations to {target}")

    return WriteOp(tasks, work, success).described("Export failed")


def import_file(tasks: TaskRunner, source: Path, success: Callable[[Changed], None]) -> WriteOp[Changed]:
    """Add the W3C Web Annotations in ``source``, anchored in the articles as they are now: all
    of them or, when any is malformed, none."""

    def work(ctx: WriterContext) -> Changed:
        from reader.core.annotation_io import from_w3c

        corpus = ctx.corpus
        notes: list[str] = []
        data = json.loads(source.read_text("utf-8"))
        items = from_w3c(data, str(corpus), lambda path: plain_text(corpus, path), notes)
        ctx.annotations().put_many(items)
        store_tags(ctx.annotations(), items)
        outside = f"; {len(notes):,} named files outside the corpus folder (orphaned)" if notes else ""
        return Changed(_all(ctx), message=f"Imported {len(items):,} annotations from {source}{outside}")

    return WriteOp(tasks, work, success).described("Import failed, nothing was imported")
