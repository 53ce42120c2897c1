"""Reading one article for the pane: from the corpus with its marks and highlights, or any
article file on its own (opened from outside). Both share one key: the newest is shown."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.annotations import Annotation, reanchored
from reader.core.corpus import Article, ArticleError, extract_articles, load_article, read_bytes, read_limit
from reader.gui.tasks.lanes import ReaderContext
from reader.gui.tasks.runner import ReadOp, TaskRunner, WriteOp

ARTICLE = "article"


@dataclass(frozen=True)
class LoadedArticle:
    article: Article
    marks: list[tuple[int, int]]
    highlights: list[Annotation] = field(default_factory=list)
    bookmark: Annotation | None = None
    outside: bool = False  # read on its own, not an article of the corpus: no annotations
    problem: str = ""  # the annotations could not be read (the article shows all the same)
    language: str | None = None  # detected when indexed (ISO 639-1); None: unsure or outside


def load(
    tasks: TaskRunner, path: str, terms: dict[str, set[str]], success: Callable[[LoadedArticle], None]
) -> ReadOp[LoadedArticle]:
    """The article ``path`` of the corpus, its ``terms`` marked, its highlights and bookmark
    anchored against the text as it is now (the file may have changed since the last sync)."""

    def work(ctx: ReaderContext) -> LoadedArticle:
        from reader.core.search import find_marks

        article = load_article(ctx.corpus, path)
        language = _language_of(ctx, path)
        # Marked in the article's language: the terms the index holds for its words.
        marks = find_marks(article, terms, language) if terms else []
        try:
            store = ctx.annotations()
            current = store.for_path(str(ctx.corpus), path)
        except Exception as exc:  # the article shows all the same
            return LoadedArticle(article, marks, problem=f"Cannot read annotations: {exc}", language=language)
        changed = reanchored(current, article.plain_text)
        if changed and not store.read_only:
            WriteOp(tasks, lambda w: w.annotations().put_many(changed)).described("Not saved").run()
        now = {a.id: a for a in changed}
        shown = [now.get(a.id, a) for a in current]
        highlights = [a for a in shown if a.kind == "highlight" and a.state == "anchored"]
        bookmark = next((a for a in shown if a.kind == "bookmark"), None)
        return LoadedArticle(article, marks, highlights, bookmark, language=language)

    return ReadOp(tasks, work, success, needs_index=False).supersedes(ARTICLE)


def _language_of(ctx: ReaderContext, path: str) -> str | None:
    """The article's language as the catalog has it (None before the index is open)."""
    try:
        return ctx.catalog.language_of(path)
    except (RuntimeError, sqlite3.Error):
        return None


def load_file(
    tasks: TaskRunner, path: Path, article_id: str, success: Callable[[LoadedArticle], None]
) -> ReadOp[LoadedArticle]:
    """The article file at ``path``, named ``article_id`` (its absolute path when it is not in
    the corpus). Needs no index: a file given on the command line shows before it is open."""

    def work(_ctx: ReaderContext) -> LoadedArticle:
        # The pane lays the article out with marking.line_fields: imported here, on the lane.
        import reader.core.marking  # noqa: F401

        data, truncated = read_bytes(path, read_limit(str(path)))
        articles = extract_articles(article_id, data, truncated).articles
        if not articles:
            raise ArticleError("no article in this file")
        # A feed or mbox opened on its own: its first article.
        return LoadedArticle(articles[0], [], outside=Path(article_id).is_absolute())

    return ReadOp(tasks, work, success, needs_index=False).supersedes(ARTICLE)
