"""Counts over the matches of a query: the timeline above the list, the Source / Year menus.

A count stops as soon as a newer one of its kind is asked for (the search bar's next query
asks for its counts as it runs): the search typed meanwhile does not wait for the counts of
the one before (at 100,000 articles, the whole corpus's take seconds). The stopped count's
CountStopped is dropped with its stale result."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.gui.tasks.lanes import ReaderContext
from reader.gui.tasks.runner import ReadOp, TaskRunner

if TYPE_CHECKING:
    from reader.core.facets import Facets
    from reader.core.timeline import Timeline


def count_timeline(tasks: TaskRunner, text: str, success: Callable[[Timeline], None]) -> ReadOp[Timeline]:
    """How many articles matching ``text`` fall in each date bucket."""

    def work(ctx: ReaderContext) -> Timeline:
        from reader.core.timeline import timeline_for

        return timeline_for(ctx.searcher(), text, ctx.service.marks, stop=lambda: not op.still_current())

    op = ReadOp(tasks, work, success)
    op.supersedes("timeline").described("Cannot count the timeline")
    return op


def count_facets(tasks: TaskRunner, text: str, success: Callable[[Facets], None]) -> ReadOp[Facets]:
    """How many articles matching ``text`` come from each source and year."""

    def work(ctx: ReaderContext) -> Facets:
        from reader.core.facets import facet_counts

        return facet_counts(
            ctx.searcher(), text, marks=ctx.service.marks, stop=lambda: not op.still_current()
        )

    op = ReadOp(tasks, work, success)
    op.supersedes("facets").described("Cannot count sources and years")
    return op
