"""Counts over the matches of a query: the timeline above the list, the Source / Year menus."""

from __future__ import annotations

from collections.abc import Callable

from reader.core.facets import Facets, facet_counts
from reader.core.timeline import Timeline, timeline_for
from reader.gui.tasks.runner import ReadOp, TaskRunner


def count_timeline(tasks: TaskRunner, text: str, success: Callable[[Timeline], None]) -> ReadOp[Timeline]:
    """How many articles matching ``text`` fall in each date bucket."""
    op = ReadOp(tasks, lambda ctx: timeline_for(ctx.searcher(), text, ctx.service.marks), success)
    op.supersedes("timeline").described("Cannot count the timeline")
    return op


def count_facets(tasks: TaskRunner, text: str, success: Callable[[Facets], None]) -> ReadOp[Facets]:
    """How many articles matching ``text`` come from each source and year."""
    op = ReadOp(tasks, lambda ctx: facet_counts(ctx.searcher(), text, marks=ctx.service.marks), success)
    op.supersedes("facets").described("Cannot count sources and years")
    return op
