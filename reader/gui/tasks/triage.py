"""Read state and labels in the window: a mirror on the GUI thread, writes on the writer lane.

The GUI thread keeps what it needs to paint (which articles are read, which labels each has) in
``Triage``; a change shows at once and goes to the task runner's writer lane, which commits the
changes in order on its own connection. So opening an article (which marks it read) never waits
for disk, and a long count on the reader lane never delays a write. The rules (saved searches
that carry a label) run on the writer lane after a sync and when a rule is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from reader.core import marks, rules
from reader.core.mark_filter import MarkSource
from reader.core.query import matching_docnums
from reader.gui.tasks.lanes import WriterContext
from reader.gui.tasks.runner import TaskRunner, WriteOp


@dataclass
class MarksSnapshot:
    """What the window paints from: read articles, each article's labels, every label."""

    read: set[str] = field(default_factory=set)
    by_path: dict[str, list[marks.Label]] = field(default_factory=dict)
    labels: list[marks.Label] = field(default_factory=list)
    rules: dict[int, str] = field(default_factory=dict)  # saved search id -> label name
    orphans: list[marks.OrphanLabel] = field(default_factory=list)


def _snapshot(ctx: WriterContext) -> MarksSnapshot:
    store, key = ctx.annotations(), str(ctx.corpus)
    return MarksSnapshot(
        marks.read_paths(store, key),
        marks.labels_by_path(store, key),
        marks.labels(store, key),
        {r.search.id: r.label.name for r in rules.rules(store, key)},
        marks.orphan_labels(store, key),
    )


def _source(ctx: WriterContext) -> MarkSource:
    store = ctx.annotations()
    return MarkSource(str(ctx.corpus), lambda: store, owns_store=False)


class Triage(QObject):
    """The window's read state and labels (a mirror of the database), and the door to change them.

    Signals:
        changed(): read state or labels changed (repaint rows, recount).
        read_changed(list[str] paths, bool read): these articles were just marked (by this window).
        bulk_done(str what, list[str] paths): a query-wide marking finished; ``paths`` changed.
        rules_ran(dict[str, int] given): rules gave labels to this many articles each.
        tags_saved(str annotation_id): a highlight's tags were written.
    """

    changed = Signal()
    read_changed = Signal(object, bool)
    bulk_done = Signal(str, object)
    rules_ran = Signal(object)
    tags_saved = Signal(str)

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.state = MarksSnapshot()
        self.loaded = False
        self._seq = 0  # of the latest change sent to the writer lane
        self._index_open = False

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

    def make_rule(self, search_id: int, label: str) -> None:
        """The saved search gives ``label`` to its matches, now and after every sync ("" stops it;
        the labels given stay)."""

        def work(ctx: WriterContext) -> dict[str, int]:
            store = ctx.annotations()
            if not label:
                rules.remove_rule(store, search_id)
                return {}
            rules.set_rule(store, search_id, label)
            if ctx.index is None:
                return {}
            with ctx.index.ix.searcher() as searcher:
                return rules.run_rules(store, str(ctx.corpus), searcher, _source(ctx), only_rule=search_id)

        self._next()
        WriteOp(self.tasks, work, self._on_rules_ran).described("Rule not saved").run()

    def after_sync(self, paths: list[str]) -> None:
        """After an index sync: run the rules over new and changed articles, and read the state
        again (the sync made changed articles unread and moved marks of renamed ones)."""

        def work(ctx: WriterContext) -> dict[str, int]:
            store = ctx.annotations()
            if ctx.index is None or not paths or not rules.rules(store, str(ctx.corpus)):
                return {}
            with ctx.index.ix.searcher() as searcher:
                return rules.run_rules(store, str(ctx.corpus), searcher, _source(ctx), paths)

        self._next()
        WriteOp(self.tasks, work, self._on_rules_ran).described("Rules not run").run()

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
        if any(given.values()):
            self.rules_ran.emit(given)
        self.reload()
