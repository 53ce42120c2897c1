"""Triage counts on the reader lane: how many of a search's matches are unread, asked again once
the path table is filled on a large corpus (``tasks/triage.py``, ``Triage.paths_ready``)."""

from __future__ import annotations

from collections.abc import Callable

from reader.gui.tasks.runner import ReadOp, TaskRunner


def count_unread(tasks: TaskRunner, text: str, success: Callable[[int | None], None]) -> ReadOp[int | None]:
    """How many articles matching ``text`` are unread (None while that cannot be counted cheaply)."""
    op = ReadOp(tasks, lambda ctx: ctx.service.search(text, limit=0, snippets=False).unread, success)
    # A count is a nicety beside the list: a failure leaves the header without it.
    op.supersedes("unread").described("Cannot count unread articles").failure(lambda _exc: None)
    return op
