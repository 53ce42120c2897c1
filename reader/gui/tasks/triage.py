"""Read state and labels in the window: a mirror on the GUI thread, writes on the writer lane.

The GUI thread keeps what it needs to paint (which articles are read, which labels each has) in
``Triage``; a change shows at once and goes to the task runner's writer lane, which commits the
changes in order on its own connection. So opening an article (which marks it read) never waits
for disk, and a long count on the reader lane never delays a write. The rules (saved searches
that carry a label) run on the writer lane after a sync and when a rule is made, as long jobs:
they report progress (``rules_progress``) and let quick writes go between their batches, so
marking an article read never waits for a rule run. Renaming, recolouring and deleting a label
(``label_changes.py``) go the same way.

On the reader lane, the path table of the ``is:``/``label:`` terms (``mark_filter.PathTable``) is
filled in the background after the index opens and after each sync (only the new segments), in
batches with the lane's other reads going between: then a plain search on a large corpus can say
how many of its matches are unread (``paths_ready``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from reader.core import marks
from reader.gui.tasks.lanes import ReaderContext, WriterContext
from reader.gui.tasks.runner import ReadOp, TaskRunner, WriteOp

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from reader.core import label_changes
    from reader.core.mark_filter import MarkSource

PATHS = "path-table"  # the key of the background filling of the path table


@dataclass
class MarksSnapshot:
    """What the window paints from: read articles, each article's labels, every label."""

    read: set[str] = field(default_factory=set)
    by_path: dict[str, list[marks.Label]] = field(default_factory=dict)
    labels: list[marks.Label] = field(default_factory=list)
    rules: dict[int, str] = field(default_factory=dict)  # saved search id -> label name
    orphans: list[marks.OrphanLabel] = field(default_factory=list)
    counts: dict[str, marks.LabelCount] = field(default_factory=dict)  # by name, casefolded


def _snapshot(ctx: WriterContext) -> MarksSnapshot:
    from reader.core import rules

    store, key = ctx.annotations(), str(ctx.corpus)
    return MarksSnapshot(
        marks.read_paths(store, key),
        marks.labels_by_path(store, key),
        marks.labels(store, key),
        {r.search.id: r.label.name for r in rules.rules(store, key)},
        marks.orphan_labels(store, key),
        {c.label.name.casefold(): c for c in marks.label_counts(store, key)},
    )


def _source(ctx: WriterContext) -> MarkSource:
    from reader.core.mark_filter import MarkSource

    store = ctx.annotations()
    return MarkSource(str(ctx.corpus), lambda: store, owns_store=False)


class Triage(QObject):
    """The window's read state and labels (a mirror of the database), and the door to change them.

    Signals:
        changed(): read state or labels changed (repaint rows, recount).
        read_changed(list[str] paths, bool read): these articles were just marked (by this window).
        bulk_done(str what, list[str] paths): a query-wide marking finished; ``paths`` changed.
        rules_progress(int done, int total): a rule run has checked ``done`` of ``total`` matches.
        rules_ran(dict[str, int] given): rules gave labels to this many articles each.
        rules_finished(): a rule run ended (given labels or not, or stopped).
        tags_saved(str annotation_id): a highlight's tags were written.
        label_renamed(label_changes.Renamed): a label was renamed (or merged into another).
        label_deleted(label_changes.DeletedLabel): a label was deleted (what it was on comes along).
        label_restored(marks.Label): a deleted label is back.
        paths_ready(): the reader lane's path table is filled: unread counts come with searches.
    """

    changed = Signal()
    read_changed = Signal(object, bool)
    bulk_done = Signal(str, object)
    rules_progress = Signal(int, int)
    rules_ran = Signal(object)
    rules_finished = Signal()
    tags_saved = Signal(str)
    label_renamed = Signal(object)
    label_deleted = Signal(object)
    label_restored = Signal(object)
    paths_ready = Signal()

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.state = MarksSnapshot()
        self.loaded = False
        self._seq = 0  # of the latest change sent to the writer lane
        self._index_open = False
        self.rules_running = 0  # rule runs queued or running on the writer lane

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _write(self, work: Callable[[WriterContext], object], what: str, reload: bool = False) -> None:
        """Queue ``work(ctx)`` on the writer lane; with ``reload``, a fresh snapshot after it."""
        seq = self._next()

        def job(ctx: WriterContext) -> MarksSnapshot | None:
            work(ctx)
            return _snapshot(ctx) if reload else None

        WriteOp(self.tasks, job, lambda snap: self._on_written(seq, snap)).described(what).failure(
            lambda exc: self._on_failed(what, exc)
        ).run()

    # --- reading the mirror ----------------------------------------------------------------

    def is_read(self, path: str) -> bool:
        return path in self.state.read

    def labels_of(self, path: str) -> list[marks.Label]:
        return self.state.by_path.get(path, [])

    def label_named(self, name: str) -> marks.Label | None:
        folded = name.strip().casefold()
        return next((x for x in self.state.labels if x.name.casefold() == folded), None)

    def unread_among(self, paths: Iterable[str]) -> int:
        read = self.state.read
        return sum(1 for p in paths if p not in read)

    # --- changing ----------------------------------------------------------------------------

    def start(self) -> None:
        """Read the state (once the window has connected to the signals)."""
        self.reload()

    def reload(self) -> None:
        seq = self._seq
        WriteOp(self.tasks, _snapshot, lambda snap: self._on_loaded(seq, snap)).described(
            "Cannot read labels and read state"
        ).run()

    def set_read(self, paths: Iterable[str], read: bool = True) -> list[str]:
        """Mark ``paths`` read (or unread) now; returns those that changed (for undo)."""
        changed = [p for p in dict.fromkeys(paths) if (p in self.state.read) != read]
        if not changed:
            return []
        if read:
            self.state.read.update(changed)
        else:
            self.state.read.difference_update(changed)
        self._write(
            lambda ctx: marks.set_read(ctx.annotations(), str(ctx.corpus), changed, read),
            "Read state not saved",
        )
        self.read_changed.emit(changed, read)
        self.changed.emit()
        return changed

    def set_query_read(self, query: str, read: bool = True, what: str = "") -> None:
        """Mark every article matching ``query`` (every article, when empty): answered by
        ``bulk_done(what, changed)``."""

        def work(ctx: WriterContext) -> list[str]:
            from reader.core.query import matching_docnums

            if ctx.index is None:
                return []
            with ctx.index.ix.searcher() as searcher:
                docnums = matching_docnums(searcher, query, all_when_empty=True, marks=_source(ctx))
                paths = [searcher.stored_fields(d)["path"] for d in docnums]
            return marks.set_read(ctx.annotations(), str(ctx.corpus), paths, read)

        self._next()
        WriteOp(self.tasks, work, lambda changed: self._on_bulk_done(what, changed, read)).described(
            "Read state not saved"
        ).run()

    def add_label(
        self, name: str, paths: Iterable[str], info: dict[str, tuple[str, str | None]] | None = None
    ) -> list[str]:
        """Put the label ``name`` (made if new) on ``paths``; returns those that lacked it."""
        name = marks.clean_name(name)
        label = self.label_named(name)
        if label is None:
            used = [x.color for x in self.state.labels]
            color = min(marks.LABEL_COLORS, key=lambda c: (used.count(c), list(marks.LABEL_COLORS).index(c)))
            label = marks.Label(-1, name, color)  # its id comes with the next snapshot
            self.state.labels = sorted([*self.state.labels, label], key=lambda x: x.name.casefold())
        changed = [p for p in dict.fromkeys(paths) if label.name not in {x.name for x in self.labels_of(p)}]
        for p in changed:
            self.state.by_path[p] = sorted([*self.labels_of(p), label], key=lambda x: x.name.casefold())
        given = dict(info or {})
        self._write(
            lambda ctx: marks.add_label(ctx.annotations(), str(ctx.corpus), name, changed, given),
            "Label not saved",
            reload=True,
        )
        self.changed.emit()
        return changed

    def remove_label(self, name: str, paths: Iterable[str]) -> list[str]:
        folded = name.casefold()
        changed = [
            p for p in dict.fromkeys(paths) if any(x.name.casefold() == folded for x in self.labels_of(p))
        ]
        orphaned = [o.path for o in self.state.orphans if o.label.name.casefold() == folded]
        wanted = [*changed, *(p for p in paths if p in orphaned and p not in changed)]
        for p in changed:
            self.state.by_path[p] = [x for x in self.labels_of(p) if x.name.casefold() != folded]
        self._write(
            lambda ctx: marks.remove_label(ctx.annotations(), str(ctx.corpus), name, wanted),
            "Label not saved",
            reload=True,
        )
        self.changed.emit()
        return changed

    def set_tags(self, annotation_id: str, names: list[str]) -> None:
        def work(ctx: WriterContext) -> MarksSnapshot:
            marks.set_tags(ctx.annotations(), str(ctx.corpus), annotation_id, names)
            return _snapshot(ctx)

        seq = self._next()
        WriteOp(self.tasks, work, lambda snap: self._on_tags(seq, snap, annotation_id)).described(
            "Tags not saved"
        ).run()

    def _rule_run(
        self, ctx: WriterContext, searcher: Searcher, paths: list[str] | None, only: int | None
    ) -> dict[str, int]:
        """Run the rules on the writer lane: progress out, quick writes in between. Not stopped
        when the window closes (a writer job, like the writes still queued): a stopped run would
        leave articles the rule promised to label unlabelled, and no later sync would go back."""
        from reader.core import rules

        store = ctx.annotations()
        return rules.run_rules(
            store,
            str(ctx.corpus),
            searcher,
            _source(ctx),
            paths,
            only_rule=only,
            progress=self.rules_progress.emit,
            step=ctx.interleave,
        )

    def make_rule(self, search_id: int, label: str) -> None:
        """The saved search gives ``label`` to its matches, now and after every sync ("" stops it;
        the labels given stay)."""

        def work(ctx: WriterContext) -> dict[str, int]:
            from reader.core import rules

            store = ctx.annotations()
            if not label:
                rules.remove_rule(store, search_id)
                return {}
            rules.set_rule(store, search_id, label)
            if ctx.index is None:
                return {}
            with ctx.index.ix.searcher() as searcher:
                return self._rule_run(ctx, searcher, None, search_id)

        self._next()
        self._run_rules(work, "Rule not saved")

    def after_sync(self, paths: list[str]) -> None:
        """After an index sync: run the rules over new and changed articles, and read the state
        again (the sync made changed articles unread and moved marks of renamed ones)."""

        def work(ctx: WriterContext) -> dict[str, int]:
            from reader.core import rules

            store = ctx.annotations()
            if ctx.index is None or not paths or not rules.rules(store, str(ctx.corpus)):
                return {}
            with ctx.index.ix.searcher() as searcher:
                return self._rule_run(ctx, searcher, paths, None)

        self._next()
        self._run_rules(work, "Rules not run")

    def _run_rules(self, work: Callable[[WriterContext], dict[str, int]], what: str) -> None:
        self.rules_running += 1
        WriteOp(self.tasks, work, self._on_rules_ran).long().described(what).failure(
            lambda exc: self._on_rules_failed(what, exc)
        ).run()

    # --- managing labels -------------------------------------------------------------------------

    def rename_label(self, old: str, new: str) -> None:
        """Rename the label ``old`` to ``new`` (merging onto a label ``new``): ``label_renamed``."""

        def work(ctx: WriterContext) -> tuple[label_changes.Renamed, MarksSnapshot]:
            from reader.core import label_changes

            done = label_changes.rename_label(ctx.annotations(), str(ctx.corpus), old, new)
            return done, _snapshot(ctx)

        seq = self._next()
        WriteOp(self.tasks, work, lambda out: self._on_managed(seq, out, self.label_renamed)).described(
            "Label not renamed"
        ).failure(lambda exc: self._on_failed("Label not renamed", exc)).run()

    def recolor_label(self, name: str, color: str) -> None:
        """Give the label ``name`` the colour ``color`` (a palette name or #rrggbb)."""

        def work(ctx: WriterContext) -> tuple[marks.Label, MarksSnapshot]:
            return marks.set_label_color(ctx.annotations(), str(ctx.corpus), name, color), _snapshot(ctx)

        seq = self._next()
        WriteOp(self.tasks, work, lambda out: self._on_managed(seq, out, None)).described(
            "Colour not saved"
        ).failure(lambda exc: self._on_failed("Colour not saved", exc)).run()

    def delete_label(self, name: str) -> None:
        """Delete the label ``name`` from every article, highlight and rule: ``label_deleted``
        (with what it was on, for ``restore_label``)."""

        def work(ctx: WriterContext) -> tuple[label_changes.DeletedLabel, MarksSnapshot]:
            from reader.core import label_changes

            return label_changes.delete_label(ctx.annotations(), str(ctx.corpus), name), _snapshot(ctx)

        seq = self._next()
        WriteOp(self.tasks, work, lambda out: self._on_managed(seq, out, self.label_deleted)).described(
            "Label not deleted"
        ).failure(lambda exc: self._on_failed("Label not deleted", exc)).run()

    def restore_label(self, deleted: label_changes.DeletedLabel) -> None:
        """Bring a deleted label back on what it was on (Ctrl+Z): ``label_restored``."""

        def work(ctx: WriterContext) -> tuple[marks.Label, MarksSnapshot]:
            from reader.core import label_changes

            return label_changes.restore_label(ctx.annotations(), str(ctx.corpus), deleted), _snapshot(ctx)

        seq = self._next()
        WriteOp(self.tasks, work, lambda out: self._on_managed(seq, out, self.label_restored)).described(
            "Label not brought back"
        ).failure(lambda exc: self._on_failed("Label not brought back", exc)).run()

    # --- the reader lane's path table --------------------------------------------------------------

    def fill_paths(self) -> None:
        """Fill the reader lane's path table in the background (after the index opened or a
        sync): ``paths_ready`` once done. A newer call (the next sync) supersedes it."""
        holder: list[int] = []

        def work(ctx: ReaderContext) -> bool:
            generation = holder[0] if holder else 0
            return ctx.fill_paths(
                lambda: ctx.stopping() or not self.tasks.generations.is_current(PATHS, generation)
            )

        op = ReadOp(self.tasks, work, self._on_paths_filled).long().supersedes(PATHS)
        holder.append(op.generation)
        op.described("Cannot read the article paths").failure(lambda _exc: None).run()

    # --- answers -----------------------------------------------------------------------------

    def _on_written(self, seq: int, snapshot: MarksSnapshot | None) -> None:
        if snapshot is not None:
            self._on_loaded(seq, snapshot)

    def _on_failed(self, what: str, exc: Exception) -> None:
        self.tasks.failed.emit(f"{what}: {exc}")
        self.reload()  # the mirror showed a change that was not saved

    def _on_loaded(self, seq: int, snapshot: MarksSnapshot) -> None:
        if seq != self._seq:
            # Changes made since are on their way: ask again, answered after them.
            self.reload()
            return
        self.state = snapshot
        self.loaded = True
        self.changed.emit()

    def _on_tags(self, seq: int, snapshot: MarksSnapshot, annotation_id: str) -> None:
        self._on_loaded(seq, snapshot)
        self.tags_saved.emit(annotation_id)

    def _on_bulk_done(self, what: str, paths: list[str], read: bool) -> None:
        if read:
            self.state.read.update(paths)
        else:
            self.state.read.difference_update(paths)
        self.bulk_done.emit(what, paths)
        self.changed.emit()
        self.reload()

    def _on_rules_ran(self, given: dict[str, int]) -> None:
        self.rules_running = max(0, self.rules_running - 1)
        if any(given.values()):
            self.rules_ran.emit(given)
        self.rules_finished.emit()
        self.reload()

    def _on_rules_failed(self, what: str, exc: Exception) -> None:
        self.rules_running = max(0, self.rules_running - 1)
        self.rules_finished.emit()
        self._on_failed(what, exc)

    def _on_managed(self, seq: int, out: tuple[object, MarksSnapshot], signal: object) -> None:
        result, snapshot = out
        self._on_loaded(seq, snapshot)
        if signal is not None:
            signal.emit(result)  # type: ignore[attr-defined]

    def _on_paths_filled(self, filled: bool) -> None:
        if filled:
            self.paths_ready.emit()
