"""The ``mark`` and ``label`` commands: read state and labels from the command line.

    corpus-reader mark read|unread ARTICLE... [--all QUERY]
    corpus-reader label add|remove NAME ARTICLE... [--query QUERY]
    corpus-reader label list [--json]

An ARTICLE is its path in the corpus (as ``search`` prints it) or a file path inside the corpus
folder. Articles that are not in the index are named on stderr (exit 1); the others are done.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from reader.core import marks
from reader.core.annotations import AnnotationError, AnnotationStore
from reader.core.catalog import ArticleRow
from reader.core.index import CorpusIndex
from reader.core.locations import Locations
from reader.core.mark_filter import MarkSource
from reader.core.query import matching_docnums


def add_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[..., None],
) -> None:
    """The ``mark`` and ``label`` subcommands (``common`` adds --corpus/--data-dir)."""
    mark = commands.add_parser("mark", help="mark articles read or unread")
    common(mark, suppress=True)
    mark.add_argument("state", choices=("read", "unread"))
    mark.add_argument("articles", nargs="*", metavar="ARTICLE", help="article paths in the corpus")
    mark.add_argument("--all", metavar="QUERY", dest="query", help="every article matching QUERY")

    label = commands.add_parser("label", help="add, remove or list labels on articles")
    common(label, suppress=True)
    actions = label.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (("add", "put the label NAME on articles"), ("remove", "take it off")):
        sub = actions.add_parser(action, help=text)
        common(sub, suppress=True)
        sub.add_argument("name", metavar="NAME")
        sub.add_argument("articles", nargs="*", metavar="ARTICLE", help="article paths in the corpus")
        sub.add_argument("--query", metavar="QUERY", help="every article matching QUERY")
        if action == "add":
            sub.add_argument("--color", choices=tuple(marks.LABEL_COLORS), help="the label's colour")
    listing = actions.add_parser("list", help="print every label with its colour and counts")
    common(listing, suppress=True)
    listing.add_argument("--json", action="store_true", help="print a JSON array")


def _article_key(corpus: Path, given: str) -> str:
    """The corpus path of an ARTICLE argument: a file path inside the corpus, or the path as is."""
    candidate = Path(given).expanduser()
    if candidate.is_file():
        try:
            return candidate.resolve().relative_to(corpus).as_posix()
        except ValueError:
            pass
    return given.replace(os.sep, "/").removeprefix("./")


def _targets(
    corpus: Path, index: CorpusIndex, store: AnnotationStore, articles: list[str], query: str | None
) -> tuple[dict[str, tuple[str, str | None]], list[str]]:
    """The articles named or matching ``query``: ``({path: (title, date)}, unknown names)``."""
    catalog = index.catalog()
    try:
        keys = {given: _article_key(corpus, given) for given in articles}
        rows = catalog.rows_for(set(keys.values()))
        found = {p: _info(rows[p]) for p in keys.values() if p in rows}
        unknown = [given for given, p in keys.items() if p not in rows]
        if query is not None:
            source = MarkSource(str(corpus), lambda: store)
            with index.ix.searcher() as searcher:
                docnums = matching_docnums(searcher, query, all_when_empty=False, marks=source)
                paths = [searcher.stored_fields(d)["path"] for d in docnums]
            rows = catalog.rows_for(paths)
            for p in paths:
                found[p] = _info(rows.get(p))
    finally:
        catalog.close()
    return found, unknown


def _info(row: ArticleRow | None) -> tuple[str, str | None]:
    if row is None:
        return "", None
    return row.title, row.date.isoformat() if row.date is not None else None


def run_mark(corpus: Path, locations: Locations, args: argparse.Namespace) -> int:
    from reader.cli import open_store, sync_index

    if not args.articles and args.query is None:
        raise AnnotationError("name the articles to mark, or give --all QUERY")
    index, _ = sync_index(corpus, locations, stale_ok=True)
    store = open_store(locations)
    try:
        found, unknown = _targets(corpus, index, store, args.articles, args.query)
        changed = marks.set_read(store, str(corpus), found, read=args.state == "read")
    finally:
        store.close()
        index.close()
    _say_unknown(unknown)
    n = len(found)
    print(
        f"{len(changed):,} article{'s' if len(changed) != 1 else ''} marked {args.state}"
        f" ({n - len(changed):,} already {args.state})"
    )
    return 1 if unknown else 0


def run_label(corpus: Path, locations: Locations, args: argparse.Namespace) -> int:
    from reader.cli import open_store, sync_index

    key = str(corpus)
    if args.action == "list":
        # Up to date first, so that labels of articles deleted since count as orphaned.
        index, _ = sync_index(corpus, locations, stale_ok=True)
        index.close()
        store = open_store(locations)
        try:
            counts = marks.label_counts(store, key)
        finally:
            store.close()
        if args.json:
            print(json.dumps([c.to_json() for c in counts], ensure_ascii=False, indent=2))
        else:
            for c in counts:
                orphans = f", {c.orphaned:,} on deleted articles" if c.orphaned else ""
                n, h = c.articles - c.orphaned, c.highlights
                print(
                    f"{c.label.name}  ({c.label.color})  {n:,} article{'s' if n != 1 else ''}"
                    f"{orphans}, {h:,} highlight{'s' if h != 1 else ''}"
                )
        return 0
    if not args.articles and args.query is None:
        raise AnnotationError("name the articles to label, or give --query QUERY")
    name = marks.clean_name(args.name)
    index, _ = sync_index(corpus, locations, stale_ok=True)
    store = open_store(locations)
    try:
        if args.action == "add":
            found, unknown = _targets(corpus, index, store, args.articles, args.query)
            changed = marks.add_label(store, key, name, found, info=found, color=args.color)
        else:
            found, unknown = _targets(corpus, index, store, args.articles, args.query)
            if marks.label_named(store, key, name) is None:
                raise AnnotationError(f"no label {name!r}")
            # Labels kept on deleted articles are removed by their path too.
            kept = marks.orphan_labels(store, key)
            orphaned = {o.path for o in kept if o.label.name.casefold() == name.casefold()}
            gone = [given for given in unknown if given in orphaned]
            unknown = [given for given in unknown if given not in orphaned]
            changed = marks.remove_label(store, key, name, [*found, *gone])
    finally:
        store.close()
        index.close()
    _say_unknown(unknown)
    what = "given" if args.action == "add" else "taken off"
    print(f"{name}: {what} {len(changed):,} article{'s' if len(changed) != 1 else ''}")
    return 1 if unknown else 0


def _say_unknown(unknown: list[str]) -> None:
    for given in unknown:
        print(f"corpus-reader: not an article in the corpus: {given}", file=sys.stderr)
