"""The article list's operations: listing, searching (a page at a time), more like this, and
the search bar's word completions. Listing, searching and more-like-this share one key: the
newest of them is what the list shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from reader.gui.tasks.lanes import ReaderContext
from reader.gui.tasks.runner import ReadOp, TaskRunner
from reader.gui.views.article_list import Row, row_from_article

if TYPE_CHECKING:
    from reader.core.search import Hit, SearchResult
    from reader.core.similar import SimilarResult

PAGE_SIZE = 50  # hits a search answers with; scrolling asks for more
#: Of those, the hits that come with their snippets when the list is not shown yet (a window's
#: worth); the others get theirs as they come into view (``fill_snippets``).
FIRST_SNIPPETS = 12
LIST = "list"  # the key of what the article list shows
#: The listing checks every this many rows whether a search came meanwhile.
LIST_STEP = 1000


def list_articles(tasks: TaskRunner, sort: str, success: Callable[[list[Row]], None]) -> ReadOp[list[Row]]:
    """Every article, newest (``date``) or oldest (``date-asc``) first, as list rows. A search
    (or another listing) asked for meanwhile stops it: at 100,000 articles the listing takes
    most of a second, and the search typed at start-up would wait for rows it drops."""
    order = "date-asc" if sort == "date-asc" else "date"

    def work(ctx: ReaderContext) -> list[Row]:
        # The rows are built on the lane, not on the GUI thread: 100,000 of them take a while.
        rows: list[Row] = []
        for article in ctx.catalog.iter_articles(order):
            if len(rows) % LIST_STEP == 0 and rows and not op.still_current():
                break  # superseded: its answer is dropped, the newer request runs next
            rows.append(row_from_article(article))
        return rows

    op = ReadOp(tasks, work, success)
    op.supersedes(LIST).urgent().described("Cannot list articles")
    return op


def search(
    tasks: TaskRunner,
    text: str,
    sort: str,
    collapse: bool,
    success: Callable[[SearchResult], None],
    snippets: int = FIRST_SNIPPETS,
) -> ReadOp[SearchResult]:
    """The first page of hits for ``text``, the first ``snippets`` of them (the rows in view)
    with their snippets; with ``collapse``, one hit per story (its other matching versions
    attached)."""
    op = ReadOp(
        tasks,
        lambda ctx: ctx.service.search(
            text, limit=PAGE_SIZE, offset=0, sort=sort, collapse=collapse, snippets=snippets
        ),
        success,
    )
    op.supersedes(LIST).urgent().described("Search failed")
    return op


def next_page(
    tasks: TaskRunner,
    text: str,
    sort: str,
    collapse: bool,
    offset: int,
    success: Callable[[SearchResult], None],
) -> ReadOp[SearchResult]:
    """The page of hits from ``offset`` (without snippets: ``fill_snippets`` gives the rows
    in view theirs): part of the latest search, stale with it."""
    op = ReadOp(
        tasks,
        lambda ctx: ctx.service.search(
            text, limit=PAGE_SIZE, offset=offset, sort=sort, collapse=collapse, snippets=False
        ),
        success,
    )
    op.continues(LIST, tasks.generations.latest(LIST)).urgent().described("Search failed")
    return op


def fill_snippets(
    tasks: TaskRunner, hits: list[Hit], terms: Mapping[str, set[str]], success: Callable[[list[Hit]], None]
) -> ReadOp[list[Hit]]:
    """The snippets of rows that came into view (the hits of the latest search; stale with it)."""
    op = ReadOp(tasks, lambda ctx: ctx.service.with_snippets(hits, terms), success)
    op.continues(LIST, tasks.generations.latest(LIST)).described("Cannot show the snippets")
    return op


def more_like(
    tasks: TaskRunner, path: str, success: Callable[[SimilarResult], None]
) -> ReadOp[SimilarResult]:
    """The articles most like ``path``, in place of the latest search or listing."""

    def work(ctx: ReaderContext) -> SimilarResult:
        from reader.core.similar import more_like_this

        return more_like_this(ctx.searcher(), ctx.corpus, path)

    op = ReadOp(tasks, work, success)
    op.supersedes(LIST).described("Cannot find similar articles")
    return op


def complete_word(
    tasks: TaskRunner, prefix: str, success: Callable[[tuple[str, list[str]]], None]
) -> ReadOp[tuple[str, list[str]]]:
    """Corpus words beginning with ``prefix`` (a nicety: a failure is not reported)."""
    op = ReadOp(tasks, lambda ctx: (prefix, ctx.catalog.words_with_prefix(prefix.lower())), success)
    op.supersedes("completion").failure(lambda _exc: None)
    return op
