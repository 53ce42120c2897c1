"""Saved searches: counted on the reader lane (new matches since last opened), saved, opened
and deleted on the writer lane. The matches of a query are found on the reader lane first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.gui.tasks.lanes import ReaderContext, WriterContext
from reader.gui.tasks.runner import ReadOp, TaskRunner, WriteOp

if TYPE_CHECKING:
    from reader.core.saved_searches import SavedSearch, SavedSearchCount


def count(
    tasks: TaskRunner, success: Callable[[list[SavedSearchCount]], None]
) -> ReadOp[list[SavedSearchCount]]:
    """Every saved search of the corpus with its total and new matches."""

    def work(ctx: ReaderContext) -> list[SavedSearchCount]:
        from reader.core.saved_searches import count_all

        return count_all(ctx.annotations(), str(ctx.corpus), ctx.searcher(), ctx.service.marks)

    op = ReadOp(tasks, work, success)
    op.supersedes("saved-searches").described("Cannot count the saved searches")
    return op


def save(tasks: TaskRunner, name: str, text: str, success: Callable[[SavedSearch], None]) -> ReadOp[set[str]]:
    """Save the query ``text`` as ``name``; what matches it now counts as seen."""

    def matches(ctx: ReaderContext) -> set[str]:
        from reader.core.saved_searches import matching_paths

        return matching_paths(ctx.searcher(), text, ctx.service.marks)

    def write(found: set[str]) -> None:
        def work(ctx: WriterContext) -> SavedSearch:
            from reader.core.saved_searches import save_search

            return save_search(ctx.annotations(), str(ctx.corpus), name, text, found)

        WriteOp(tasks, work, success).described("Search not saved").run()

    return ReadOp(tasks, matches, write).described("Search not saved")


def mark_seen(
    tasks: TaskRunner, search_id: int, success: Callable[[object], None]
) -> ReadOp[set[str] | None]:
    """The user opened a saved search: the articles matching it now are no longer new."""

    def matches(ctx: ReaderContext) -> set[str] | None:
        from reader.core.saved_searches import get, matching_paths

        saved = get(ctx.annotations(), search_id)
        if saved is None or ctx.annotations().read_only:
            return None
        return matching_paths(ctx.searcher(), saved.query, ctx.service.marks)

    def write(paths: set[str] | None) -> None:
        if paths is None:
            success(None)
            return

        def work(ctx: WriterContext) -> object:
            from reader.core.saved_searches import mark_opened

            return mark_opened(ctx.annotations(), search_id, paths)

        WriteOp(tasks, work, success).described("Cannot update the saved search").run()

    return ReadOp(tasks, matches, write).described("Cannot update the saved search")


def delete(tasks: TaskRunner, search_id: int, success: Callable[[None], None]) -> WriteOp[None]:
    def work(ctx: WriterContext) -> None:
        from reader.core.saved_searches import delete_search

        return delete_search(ctx.annotations(), search_id)

    return WriteOp(tasks, work, success).described("Not deleted")
