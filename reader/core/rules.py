"""Rules: a saved search that carries a label gives it to every article that matches, now and
after every sync (``Karabakh OR Artsakh OR "Minsk group"`` -> ``conflict``).

A rule runs over the whole corpus when it is made, and over the added and changed articles
after a sync. Removing a rule keeps the labels it gave, unless the user asks to take them off
(``remove_rule(..., take_labels_off=True)``: only from articles the rule's search matches).
These run on the writer side (the CLI, or the window's writer lane), never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from whoosh.searching import Searcher

from reader.core import marks, saved_searches
from reader.core.annotations import AnnotationError, AnnotationStore
from reader.core.mark_filter import MarkSource
from reader.core.query import matching_docnums
from reader.core.saved_searches import SavedSearch

ProgressFn = Callable[[int, int], None]
#: Matches labelled in one transaction, between two progress reports.
RULE_BATCH = 500


@dataclass(frozen=True)
class Rule:
    search: SavedSearch
    label: marks.Label


def rules(store: AnnotationStore, corpus: str) -> list[Rule]:
    """The saved searches of ``corpus`` that carry a label."""
    by_id = {label.id: label for label in marks.labels(store, corpus)}
    return [
        Rule(s, by_id[s.label_id])
        for s in saved_searches.saved_searches(store, corpus)
        if s.label_id is not None and s.label_id in by_id
    ]


def set_rule(store: AnnotationStore, search_id: int, label_name: str) -> Rule:
    """Make the saved search a rule giving ``label_name`` (made if new)."""
    search = saved_searches.get(store, search_id)
    if search is None:
        raise AnnotationError(f"no saved search {search_id}")
    label = marks.ensure_label(store, search.corpus, label_name)
    with store.transaction():
        store.db.execute("UPDATE saved_searches SET label_id = ? WHERE id = ?", (label.id, search_id))
    found = saved_searches.get(store, search_id)
    assert found is not None
    return Rule(found, label)


def remove_rule(
    store: AnnotationStore,
    search_id: int,
    take_labels_off: bool = False,
    searcher: Searcher | None = None,
    source: MarkSource | None = None,
) -> int:
    """The saved search no longer labels; returns how many labels were taken off (only with
    ``take_labels_off`` and a ``searcher``: from the articles its search matches now)."""
    search = saved_searches.get(store, search_id)
    if search is None or search.label_id is None:
        return 0
    label = next((x for x in marks.labels(store, search.corpus) if x.id == search.label_id), None)
    with store.transaction():
        store.db.execute("UPDATE saved_searches SET label_id = NULL WHERE id = ?", (search_id,))
    if not take_labels_off or searcher is None or label is None:
        return 0
    paths = [p for p, _ in _matches(searcher, search.query, source, None)]
    return len(marks.remove_label(store, search.corpus, label.name, paths))


def _matches(
    searcher: Searcher, query: str, source: MarkSource | None, only: set[int] | None
) -> list[tuple[str, tuple[str, str | None]]]:
    """``(path, (title, date))`` of the articles matching ``query`` (among docnums ``only``)."""
    docnums = matching_docnums(searcher, query, all_when_empty=False, marks=source)
    return [_fields(searcher, d) for d in docnums if only is None or d in only]


def run_rules(
    store: AnnotationStore,
    corpus: str,
    searcher: Searcher,
    source: MarkSource | None = None,
    paths: Iterable[str] | None = None,
    only_rule: int | None = None,
    progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
    step: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Label the articles each rule matches (of ``paths`` only, e.g. a sync's new and changed
    articles; all with None). Returns how many articles each label was newly given to.

    The matches are labelled ``RULE_BATCH`` at a time, each batch its own transaction:
    ``progress(done, total)`` (matches labelled so far, of all rules) after each, then ``step()``
    (the window runs its quick writes there), then ``should_stop()`` (stop: what is labelled
    stays labelled; the next run finishes the rest)."""
    found = [r for r in rules(store, corpus) if only_rule is None or r.search.id == only_rule]
    given: dict[str, int] = {}
    if not found:
        return given
    only: set[int] | None = None
    if paths is not None:
        wanted = set(paths)
        if not wanted:
            return given
        only = _docnums_of(searcher, wanted, source)
    plans: list[tuple[Rule, list[int]]] = []
    for rule in found:
        docnums = matching_docnums(searcher, rule.search.query, all_when_empty=False, marks=source)
        plans.append((rule, [d for d in docnums if only is None or d in only]))
        if step is not None:
            step()
        if should_stop is not None and should_stop():
            return given
    total = sum(len(docnums) for _, docnums in plans)
    done = 0
    if progress is not None and total:
        progress(0, total)
    for rule, docnums in plans:
        given.setdefault(rule.label.name, 0)
        for start in range(0, len(docnums), RULE_BATCH):
            matches = [_fields(searcher, d) for d in docnums[start : start + RULE_BATCH]]
            added = marks.add_label(
                store, corpus, rule.label.name, [p for p, _ in matches], info=dict(matches)
            )
            given[rule.label.name] += len(added)
            done += len(matches)
            if progress is not None:
                progress(done, total)
            if step is not None:
                step()
            if should_stop is not None and should_stop():
                return given
    return given


def _fields(searcher: Searcher, docnum: int) -> tuple[str, tuple[str, str | None]]:
    fields = searcher.stored_fields(docnum)
    date = fields.get("date")
    return fields["path"], (fields.get("title", ""), date.date().isoformat() if date else None)


def _docnums_of(searcher: Searcher, paths: set[str], source: MarkSource | None) -> set[int]:
    if source is not None:
        source.prepare(searcher)
        return source.docnums_of(paths)
    out = set()
    for path in paths:
        docnum = searcher.document_number(path=path)
        if docnum is not None:
            out.add(docnum)
    return out
