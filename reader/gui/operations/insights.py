"""Counts over the matches of a query: the timeline above the list, the Source / Year menus."""

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

        return timeline_for(ctx.searcher(), text, ctx.service.marks)

    op = ReadOp(tasks, work, success)
    op.supersedes("timeline").described("Cannot count the timeline")
    return op


def count_facets(tasks: TaskRunner, text: str, success: Callable[[Facets], None]) -> ReadOp[Facets]:
    """How many articles matching ``text`` come from each source and year."""

    def work(ctx: ReaderContext) -> Facets:
        from reader.core.facets import facet_counts

        return facet_counts(ctx.searcher(), text, marks=ctx.service.marks)

    op = ReadOp(tasks, work, success)
    op.supersedes("facets").described("Cannot count sources and years")
    return op
