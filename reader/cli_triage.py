"""The ``mark`` and ``label`` commands: read state and labels from the command line.

    corpus-reader mark read|unread ARTICLE... [--all QUERY]
    corpus-reader label add|remove NAME ARTICLE... [--query QUERY]
    corpus-reader label list [--json]
    corpus-reader label rename OLD NEW [--json]
    corpus-reader label color NAME COLOR [--json]
    corpus-reader label delete NAME [--json]

An ARTICLE is its id (as ``search`` prints it), a file path inside the corpus folder (absolute
or relative to the current folder: ``corpus.article_id_of``), or a file of several articles (a
feed, mbox or EPUB: all of them). Articles that are not in the index are named on stderr
(exit 1); the others are done.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.label_colors import LABEL_COLORS
from reader.core.locations import Locations

if TYPE_CHECKING:  # imported where used: every command builds these parsers, few run them
    from reader.core.annotations import AnnotationStore
    from reader.core.catalog import ArticleRow
    from reader.core.index import CorpusIndex


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
            sub.add_argument(
                "--color", metavar="COLOR", help="the label's colour: #rrggbb or a name (red, blue…)"
            )
    listing = actions.add_parser("list", help="print every label with its colour and counts")
    common(listing, suppress=True)
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    rename = actions.add_parser(
        "rename", help="rename the label OLD to NEW everywhere (onto an existing NEW: merge the two)"
    )
    common(rename, suppress=True)
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    color = actions.add_parser("color", help="give the label NAME another colour")
    common(color, suppress=True)
    color.add_argument("name", metavar="NAME")
    color.add_argument("color", metavar="COLOR", help="#rrggbb or a name: " + ", ".join(LABEL_COLORS))
    delete = actions.add_parser(
        "delete", help="delete the label NAME: off every article and highlight, and from its rules"
    )
    common(delete, suppress=True)
    delete.add_argument("name", metavar="NAME")
    for sub in (rename, color, delete):
        sub.add_argument("--json", action="store_true", help="print what changed as a JSON object")


def _targets(
    corpus: Path, index: CorpusIndex, store: AnnotationStore, articles: list[str], query: str | None
) -> tuple[dict[str, tuple[str, str | None]], list[str]]:
    """The articles named or matching ``query``: ``({path: (title, date)}, unknown names)``."""
    from reader.core.corpus import article_id_of
    from reader.core.mark_filter import MarkSource
    from reader.core.query import matching_docnums

    catalog = index.catalog()
    try:
        keys = {given: article_id_of(corpus, given) for given in articles}
        rows = catalog.rows_for(set(keys.values()))
        found = {p: _info(rows[p]) for p in keys.values() if p in rows}
        unknown = []
        for given, p in keys.items():
            if p in rows:
                continue
            # A feed, mbox or EPUB named without #KEY: all its articles, as ``show`` prints them.
            items = catalog.rows_for(catalog.article_digests(p))
            found.update((item, _info(row)) for item, row in items.items())
            if not items:
                unknown.append(given)
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
    from reader.core import marks
    from reader.core.annotations import AnnotationError

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
    from reader.core import marks
    from reader.core.annotations import AnnotationError

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
    if args.action in ("rename", "color", "delete"):
        return _manage_label(corpus, locations, args)
    if not args.articles and args.query is None:
        raise AnnotationError("name the articles to label, or give --query QUERY")
    name = marks.clean_name(args.name)
    if args.action == "add" and args.color is not None:
        try:
            args.color = marks.parse_color(args.color)
        except AnnotationError as exc:
            print(f"corpus-reader: {exc}", file=sys.stderr)
            return 2
    index, _ = sync_index(corpus, locations, stale_ok=True)
    store = open_store(locations)
    try:
        if args.action == "add":
            found, unknown = _targets(corpus, index, store, args.articles, args.query)
            if found or marks.label_named(store, key, name) is not None:
                changed = marks.add_label(store, key, name, found, info=found, color=args.color)
            else:  # nothing to put it on: no empty label is left behind
                changed = []
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


def _manage_label(corpus: Path, locations: Locations, args: argparse.Namespace) -> int:
    """``label rename|color|delete``: no index needed, only the annotations database."""
    from reader.cli import open_store
    from reader.core import label_changes, marks
    from reader.core.annotations import AnnotationError

    key = str(corpus)
    if args.action == "color":
        try:
            color = marks.parse_color(args.color)
        except AnnotationError as exc:
            print(f"corpus-reader: {exc}", file=sys.stderr)  # a usage error, in one line
            return 2
    store = open_store(locations)
    try:
        if args.action == "rename":
            done = label_changes.rename_label(store, key, args.old, args.new)
            out: dict[str, object] = {
                "old": done.old_name,
                "name": done.label.name,
                "color": done.label.color,
                "merged": done.merged,
                **done.reach.to_json(),
            }
            if done.merged:
                text = (
                    f"Merged “{done.old_name}” into the existing label “{done.label.name}”: "
                    f"{done.reach.describe()} now carry “{done.label.name}”."
                )
            else:
                text = f"Renamed “{done.old_name}” to “{done.label.name}”: {done.reach.describe()}."
            if done.reach.queries:
                names = ", ".join(f"“{q}”" for q in done.reach.queries)
                text += f" Saved searches now naming label:{done.label.name}: {names}."
        elif args.action == "color":
            label = marks.set_label_color(store, key, args.name, color)
            out = {"name": label.name, "color": label.color, "css": label.css}
            shown = label.color if label.color == label.css else f"{label.color}, {label.css}"
            text = f"{label.name}: colour {shown}"
        else:
            deleted = label_changes.delete_label(store, key, args.name)
            out = {"name": deleted.label.name, "color": deleted.label.color, **deleted.reach.to_json()}
            text = f"Deleted the label “{deleted.label.name}”: taken off {deleted.reach.describe()}."
            if deleted.reach.rules:
                text += " Those saved searches stay, without a label."
    finally:
        store.close()
    print(json.dumps(out, ensure_ascii=False) if args.json else text)
    return 0


def _say_unknown(unknown: list[str]) -> None:
    for given in unknown:
        print(f"corpus-reader: not an article in the corpus: {given}", file=sys.stderr)
