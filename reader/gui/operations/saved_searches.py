"""Saved searches: counted on the reader lane (new matches since last opened), saved, opened
and deleted on the writer lane. The matches of a query are found on the reader lane first."""

from __future__ import annotations

from collections.abc import Callable

from reader.core.saved_searches import (
    SavedSearch,
    SavedSearchCount,
    count_all,
    delete_search,
    get,
    mark_opened,
    matching_paths,
    save_search,
)
from reader.gui.tasks.lanes import ReaderContext
from reader.gui.tasks.runner import ReadOp, TaskRunner, WriteOp


def count(
    tasks: TaskRunner, success: Callable[[list[SavedSearchCount]], None]
) -> ReadOp[list[SavedSearchCount]]:
    """Every saved search of the corpus with its total and new matches."""
    op = ReadOp(
        tasks,
        lambda ctx: count_all(ctx.annotations(), str(ctx.corpus), ctx.searcher(), ctx.service.marks),
        success,
    )
    op.supersedes("saved-searches").described("Cannot count the saved searches")
    return op


def save(tasks: TaskRunner, name: str, text: str, success: Callable[[SavedSearch], None]) -> ReadOp[set[str]]:
    """Save the query ``text`` as ``name``; what matches it now counts as seen."""

    def write(matches: set[str]) -> None:
        WriteOp(
            tasks, lambda ctx: save_search(ctx.annotations(), str(ctx.corpus), name, text, matches), success
        ).described("Search not saved").run()

    return ReadOp(
        tasks, lambda ctx: matching_paths(ctx.searcher(), text, ctx.service.marks), write
    ).described("Search not saved")


def mark_seen(
    tasks: TaskRunner, search_id: int, success: Callable[[object], None]
) -> ReadOp[set[str] | None]:
    """The user opened a saved search: the articles matching it now are no longer new."""

    def matches(ctx: ReaderContext) -> set[str] | None:
        saved = get(ctx.annotations(), search_id)
        if saved is None or ctx.annotations().read_only:
            return None
        return matching_paths(ctx.searcher(), saved.query, ctx.service.marks)

    def write(paths: set[str] | None) -> None:
        if paths is None:
            success(None)
            return
        WriteOp(tasks, lambda ctx: mark_opened(ctx.annotations(), search_id, paths), success).described(
            "Cannot update the saved search"
        ).run()

    return ReadOp(tasks, matches, write).described("Cannot update the saved search")


def delete(tasks: TaskRunner, search_id: int, success: Callable[[None], None]) -> WriteOp[None]:
    return WriteOp(tasks, lambda ctx: delete_search(ctx.annotations(), search_id), success).described(
        "Not deleted"
    )
