"""The command-line subcommands (``index``, ``search``): a stable interface for scripts.

No Qt here: these run without a display and start fast.
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import sys
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reader.core import freshness
from reader.core.corpus import Article, ArticleError, load_articles, plain_text
from reader.core.index import CorpusIndex, IndexError_, SyncReport, open_index
from reader.core.locations import Locations
from reader.core.search import SearchResult, SearchService

if TYPE_CHECKING:  # imported where used: a search loads none of the annotation or KWIC code
    from reader.core.annotations import Annotation, AnnotationStore
    from reader.core.concordance import Concordance, Occurrence
    from reader.core.mark_filter import MarkSource


class Progress:
    """A one-line progress bar on a terminal; silent when output is not a terminal."""

    def __init__(self, stream: TextIO, label: str = "Indexing") -> None:
        self.stream = stream
        self.label = label
        self.enabled = stream.isatty()
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or (done % 50 and done != total):
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done:,} / {total:,}")
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False


WAITING = "Waiting for another Corpus Reader to finish indexing…"


def _say_waiting() -> None:
    print(WAITING, file=sys.stderr, flush=True)


def sync_index(
    corpus: Path,
    locations: Locations,
    show_progress: bool = True,
    stale_ok: bool = False,
    force: bool = False,
    stories: bool = True,
) -> tuple[CorpusIndex, SyncReport]:
    """Open the index and bring it up to date. With ``stale_ok`` (a search), an index that cannot
    be updated (read-only or full disk) is used as it is, with a note on stderr.

    When the folder's fingerprint (``freshness``: one walk, every file's size and time stamp) is
    the one the last complete sync saved, and the index is still what that sync left, nothing
    changed: the sync is skipped. ``force`` syncs anyway (``search --sync``); ``stories`` brings
    the stories level too (commands whose answer names stories or reads their words)."""
    index = open_index(corpus, locations.index_dir(corpus), on_wait=_say_waiting)
    folder: str | None = None
    before: freshness.FolderState | None = None
    if index.read_only is None:
        # Taken before the sync: a file changed while it runs differs from it next time.
        before = freshness.load(index.dir)
        folder = freshness.fingerprint(corpus)
        level = None if force or index.rebuilt else freshness.level(index.dir, folder)
        if level is not None and (level.stories or not stories):
            return index, SyncReport()
    progress = Progress(sys.stderr) if show_progress else None
    if index.rebuilt and progress is not None and progress.enabled:
        print("The index was damaged or outdated: rebuilding it.", file=sys.stderr)
    try:
        report = index.sync(progress=progress, cancel=threading.Event())
        if report.pool_note:
            print(f"corpus-reader: {report.pool_note}", file=sys.stderr)
    except IndexError_ as exc:
        if not stale_ok:
            index.close()
            raise
        print(f"corpus-reader: {exc}; searching the index as it is.", file=sys.stderr)
        return index, SyncReport()
    finally:
        if progress is not None:
            progress.finish()
    if index.read_only is None and folder is not None:
        state = freshness.index_state(index.dir)
        # The stories stay level through a sync that committed nothing.
        stories_level = before is not None and before.stories and before.index == state
        if stories and not stories_level:
            stories_level = update_stories_quietly(index, progress)
        if state is not None and not report.cancelled:
            freshness.save(index.dir, freshness.FolderState(folder, state, stories_level))
    if report.changed and locations.annotations_db.exists():
        from reader.core.annotation_sync import reconcile
        from reader.core.mark_filter import MarkSource
        from reader.core.rules import run_rules

        store = open_store(locations)
        try:
            reconcile(store, corpus, report)
            if not store.read_only:
                with index.ix.searcher() as searcher:
                    source = MarkSource(str(corpus), lambda: store)
                    run_rules(
                        store, str(corpus), searcher, source, [*report.added_paths, *report.updated_paths]
                    )
        finally:
            store.close()
    return index, report


def update_stories_quietly(index: CorpusIndex, progress: Progress | None) -> bool:
    """Bring the stories (and the words insights read) level with the index; a failure is a
    note on stderr, not a failed command. Whether they are level now."""
    from reader.core.stories import update_stories  # numpy: only for commands that need stories

    catalog = index.catalog()
    try:
        if progress is not None:
            progress.label = "Finding stories"
        changes = update_stories(
            index.dir, index.corpus, catalog, cancel=threading.Event(), progress=progress
        )
        return not changes.cancelled
    except (OSError, sqlite3.Error) as exc:
        print(f"corpus-reader: cannot update the stories: {exc}", file=sys.stderr)
        return False
    finally:
        catalog.close()
        if progress is not None:
            progress.finish()


def search_marks(corpus: Path, locations: Locations) -> MarkSource:
    """What answers is:/label: terms and gives hits their read state and labels."""
    from reader.core.mark_filter import MarkSource

    db = locations.annotations_db

    def open_store() -> AnnotationStore | None:
        if not db.exists():
            return None  # (and the annotations code is not even imported)
        from reader.core.annotations import AnnotationStore

        return AnnotationStore(db)

    return MarkSource(str(corpus), open_store)


def open_store(locations: Locations) -> AnnotationStore:
    from reader.core.annotations import AnnotationStore

    store = AnnotationStore(locations.annotations_db)
    if store.notice:
        print(f"corpus-reader: {store.notice}", file=sys.stderr)
    return store


def run_annotations(corpus: Path, locations: Locations, args: argparse.Namespace) -> int:
    from reader.core import marks
    from reader.core.annotation_io import dumps_w3c, from_w3c, to_markdown
    from reader.core.annotations import AnnotationError

    if args.action == "import":
        # Bring the index (and so existing annotations) up to date before anchoring new ones.
        index, _ = sync_index(corpus, locations)
        index.close()
        try:
            data = json.loads(args.file.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise AnnotationError(f"cannot read {args.file}: {exc}") from exc
        store = open_store(locations)
        notes: list[str] = []
        try:
            items = from_w3c(data, str(corpus), lambda path: plain_text(corpus, path), notes)
            before = {a.id for a in store.for_corpus(str(corpus))}
            store.put_many(items)
            marks.store_tags(store, items)
        finally:
            store.close()
        for note in notes:
            print(f"corpus-reader: {note}", file=sys.stderr)
        new = sum(1 for a in items if a.id not in before)
        orphans = sum(1 for a in items if a.state == "orphaned")
        print(
            f"{len(items):,} annotations read: {new:,} new, {len(items) - new:,} already known, "
            f"{orphans:,} orphaned"
        )
        return 0
    store = open_store(locations)
    try:
        annotations = store.for_corpus(str(corpus))
    finally:
        store.close()
    annotations = _with_catalog_titles(corpus, locations, annotations)
    if args.action == "list":
        if args.json:
            print(json.dumps([a.to_json() for a in annotations], ensure_ascii=False, indent=2))
        else:
            for a in annotations:
                what = a.exact if a.kind == "highlight" else "(bookmark)"
                print(f"{a.kind:9} {a.state:8} {a.color:6} {a.path}  {what}")
        return 0
    text = dumps_w3c(annotations, str(corpus)) if args.format == "w3c" else to_markdown(annotations)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _with_catalog_titles(
    corpus: Path, locations: Locations, annotations: list[Annotation]
) -> list[Annotation]:
    """The annotations with their articles' current titles and dates (the index brought up to
    date first, as ``search`` does)."""
    if not annotations:
        return annotations
    index, _ = sync_index(corpus, locations, stale_ok=True)
    try:
        catalog = index.catalog()
        try:
            rows = catalog.rows_for({a.path for a in annotations})
        finally:
            catalog.close()
    finally:
        index.close()
    from reader.core.annotation_io import with_article_info

    return with_article_info(annotations, rows)


def run_show(corpus: Path, ids: list[str], as_json: bool) -> int:
    """Print articles as the reading pane has them; an id that cannot be shown is named on
    stderr (exit 1) and the others are still printed."""
    from reader.core.corpus import article_id_of, missing_reason

    failed = False
    first = True
    for given in ids:
        article_id = article_id_of(corpus, given)  # a path inside the corpus, as mark accepts
        try:
            articles = load_articles(corpus, article_id)
        except ArticleError as exc:
            print(f"corpus-reader: {given}: {missing_reason(corpus, article_id, exc)}", file=sys.stderr)
            failed = True
            continue
        for article in articles:
            if as_json:
                print(json.dumps(article_json(article), ensure_ascii=False))
            else:
                print(("" if first else "\n" + "─" * 72 + "\n\n") + format_article(article))
            first = False
    return 1 if failed else 0


def article_json(article: Article) -> dict[str, object]:
    """``show --json``: one article's metadata and the plain text offsets refer to."""
    from reader.core.language import article_language

    return {
        "path": article.path,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "source": article.source,
        "language": article_language(article),  # as the index has it: detected, else declared
        "url": article.url or None,
        "text": article.plain_text,
    }


def format_article(article: Article) -> str:
    """An article as text: its lines (title, date, paragraphs, footer) a blank line apart."""
    out = "\n\n".join(article.lines)
    if article.url:
        out += f"\n\n<{article.url}>"
    return out


def run_index(corpus: Path, locations: Locations, as_json: bool) -> int:
    index, report = sync_index(corpus, locations, force=True)  # its report counts every file
    index.close()
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(format_report(report))
    return 0


def format_report(report: SyncReport) -> str:
    lines = [
        f"{report.added:,} added, {report.updated:,} updated, {report.removed:,} removed, "
        f"{report.unchanged:,} unchanged, {len(report.problems):,} problems ({report.seconds:.1f} s)"
    ]
    # Not "skipped": a file read in part (a cut feed) is listed too, with what was read.
    lines.extend(f"  {path}: {reason}" for path, reason in report.problems)
    return "\n".join(lines)


def run_search(
    corpus: Path, locations: Locations, text: str, limit: int, sort: str, fmt: str, force: bool = False
) -> int:
    # Only JSON names each hit's story: the stories are brought level for it alone.
    index, _ = sync_index(corpus, locations, stale_ok=True, force=force, stories=fmt == "json")
    service = SearchService(index, search_marks(corpus, locations))
    try:
        result = search_or_rebuild(index, service, text, limit, sort)
    finally:
        service.close()
        index.close()
    if fmt == "json":
        print(json.dumps(with_stories(result.to_json(), index), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from reader.core import tables

        _say_notes(result.notes, result.suggestion, result.total)
        sys.stdout.write(tables.search_csv(result))
    else:
        print(format_result(result, bold=sys.stdout.isatty()))
    return 0


def search_or_rebuild(
    index: CorpusIndex, service: SearchService, text: str, limit: int, sort: str
) -> SearchResult:
    """One search; an index found damaged on the way (a segment file cut short since it was
    opened) is rebuilt, once, and the query asked again."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # Whoosh leaves a damaged file open
        try:
            result: SearchResult | None = service.search(text, limit=limit, sort=sort)
        except Exception:
            damaged = index.damaged(thorough=True)
            gc.collect()  # (while ResourceWarnings are ignored: the damaged file's handle)
            if not damaged:
                raise
            result = None
    if result is None:
        service.close()
        print("The index was damaged: rebuilding it.", file=sys.stderr)
        index.rebuild()
        index.sync(cancel=threading.Event())
        result = service.search(text, limit=limit, sort=sort)
    return result


def _say_notes(notes: list[str], suggestion: str | None, total: int) -> None:
    """What a CSV has no room for goes to stderr: the query's notes and a suggestion."""
    for note in notes:
        print(f"corpus-reader: note: {note}", file=sys.stderr)
    if suggestion and not total:
        print(f"corpus-reader: did you mean: {suggestion}", file=sys.stderr)


def with_stories(data: dict[str, Any], index: CorpusIndex) -> dict[str, Any]:
    """Each hit with its ``story`` id and the number of ``versions`` in that story."""
    from reader.core.story_lookup import stories_of  # the word store's table, without numpy

    of = stories_of(index.dir, (h["path"] for h in data["hits"]))
    for hit in data["hits"]:
        hit["story"], hit["versions"] = of.get(hit["path"], (None, 1))
    return data


def format_result(result: SearchResult, bold: bool = False) -> str:
    lines = [f"{result.total:,} result{'s' if result.total != 1 else ''} for {result.query!r}"]
    lines.extend(f"Note: {note}" for note in result.notes)
    if result.suggestion:
        lines.append(f"Did you mean: {result.suggestion}")
    for rank, hit in enumerate(result.hits, start=1):
        date = hit.date.isoformat() if hit.date else "no date"
        lines.append(f"{rank:>3}. {hit.title}  ({date})  {hit.path}")
        if hit.snippet:
            snippet = hit.snippet
            if bold:
                for start, end in reversed(hit.snippet_marks):
                    snippet = snippet[:start] + "\x1b[1m" + snippet[start:end] + "\x1b[0m" + snippet[end:]
            lines.append(f"     {snippet}")
    return "\n".join(lines)


def run_concordance(corpus: Path, locations: Locations, text: str, width: int, limit: int, fmt: str) -> int:
    from reader.core import tables
    from reader.core.concordance import concordance

    index, _ = sync_index(corpus, locations, stale_ok=True)
    marks = search_marks(corpus, locations)  # is:/label: terms, as search answers them
    try:
        run, rows = concordance(index, text, width=width, limit=limit, marks=marks)
    finally:
        marks.close()
        index.close()
    if fmt == "json":
        sys.stdout.write(tables.dumps(tables.concordance_json(run, rows)))
    elif fmt == "csv":
        _say_notes(run.notes, run.suggestion, run.total)
        sys.stdout.write(tables.concordance_csv(rows))
    else:
        print(format_concordance(run, rows, width, bold=sys.stdout.isatty()))
    return 0


def format_concordance(run: Concordance, rows: list[Occurrence], width: int, bold: bool = False) -> str:
    """One line per occurrence, the matches aligned in one column."""
    s = "s" if run.total != 1 else ""
    head = f"{run.total:,} occurrence{s} in {run.articles:,} article{'s' if run.articles != 1 else ''}"
    lines = [f"{head} for {run.query!r}" + (f" (the first {run.total:,} only)" if run.capped else "")]
    lines.extend(f"Note: {note}" for note in run.notes)
    if run.suggestion:
        lines.append(f"Did you mean: {run.suggestion}")
    on, off = ("\x1b[1m", "\x1b[0m") if bold else ("", "")
    for o in rows:
        date = o.date.isoformat() if o.date else "no date   "
        lines.append(f"{o.left:>{width}} {on}{o.match}{off} {o.right:<{width}}  {date}  {o.path}")
    return "\n".join(lines)
