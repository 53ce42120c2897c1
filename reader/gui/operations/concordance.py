"""The Concordance tab's operation: find the matching articles, then read them in batches that
grow (1, 2, 4… chunks of articles), so the first rows show at once and other requests go in
between; a newer concordance or ``cancel`` stops the running one at its next batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.gui.tasks.lanes import ReaderContext
from reader.gui.tasks.runner import ReadOp, TaskRunner

if TYPE_CHECKING:
    from reader.core.concordance import Concordance, Occurrence

KEY = "concordance"
MAX_BATCH = 16  # chunks of articles in the largest batch


def start(
    tasks: TaskRunner,
    text: str,
    started: Callable[[Concordance], None],
    rows_found: Callable[[list[Occurrence]], None],
    finished: Callable[[Concordance], None],
) -> ReadOp[Concordance]:
    """Start the concordance of ``text``: ``started`` once its articles are known, then
    ``rows_found`` per batch, then ``finished``."""

    def work(ctx: ReaderContext) -> Concordance:
        from reader.core.concordance import DEFAULT_WIDTH, start_concordance

        assert ctx.index is not None
        run = start_concordance(ctx.index, text, searcher=ctx.searcher(), marks=ctx.service.marks)
        ctx.state[KEY] = run.chunks(ctx.index, DEFAULT_WIDTH)
        return run

    def on_started(run: Concordance) -> None:
        started(run)
        _next_batch(tasks, op.generation, run, 1, rows_found, finished)

    op = ReadOp(tasks, work, on_started)
    op.supersedes(KEY).described("Concordance failed")
    return op


def cancel(tasks: TaskRunner) -> None:
    """Stop the running concordance at its next batch."""
    tasks.generations.advance(KEY)


def _next_batch(
    tasks: TaskRunner,
    generation: int,
    run: Concordance,
    size: int,
    rows_found: Callable[[list[Occurrence]], None],
    finished: Callable[[Concordance], None],
) -> None:
    def work(ctx: ReaderContext) -> tuple[list[Occurrence], bool]:
        chunks = ctx.state.get(KEY)
        rows: list[Occurrence] = []
        for _ in range(size):
            chunk = next(chunks, None) if chunks is not None else None
            if chunk is None:
                ctx.state.pop(KEY, None)
                return rows, True
            rows.extend(chunk)
        return rows, False

    def shown(answer: tuple[list[Occurrence], bool]) -> None:
        rows, done = answer
        if rows:
            rows_found(rows)
        if done:
            finished(run)
        else:
            _next_batch(tasks, generation, run, min(2 * size, MAX_BATCH), rows_found, finished)

    ReadOp(tasks, work, shown).continues(KEY, generation).described("Concordance failed").run()
