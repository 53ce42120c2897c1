"""The commands about what a set of articles says and which are copies: ``stories``,
``collocates``, ``keywords``, ``ngrams`` and ``trends`` (no Qt; numpy is imported only when one
runs)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reader.core.locations import Locations

COMMANDS = ("stories", "collocates", "keywords", "ngrams", "trends")


def add_parsers(commands: Any, add_common: Callable[[argparse.ArgumentParser, bool], None]) -> None:
    """Add the commands to the main parser's subparsers."""

    def output(p: argparse.ArgumentParser, csv_too: bool = True) -> None:
        p.add_argument("--json", action="store_true", help="print JSON")
        if csv_too:
            p.add_argument("--format", choices=("text", "json", "csv"), default="text", help="output format")

    def counting(p: argparse.ArgumentParser, top: int = 50) -> None:
        p.add_argument(
            "--min-freq", type=positive_count, default=3, metavar="N", help="count from N occurrences (3)"
        )
        p.add_argument(
            "--limit", type=positive_count, default=top, metavar="N", help=f"print at most N rows ({top})"
        )

    stories = commands.add_parser("stories", help="list stories: articles that are copies of one another")
    add_common(stories, True)
    stories.add_argument("query", nargs="?", default="", help="only the stories of articles matching QUERY")
    output(stories, csv_too=False)

    coll = commands.add_parser("collocates", help="words found near the query's words in the results")
    add_common(coll, True)
    coll.add_argument("query")
    coll.add_argument("--window", type=positive_count, default=5, metavar="N", help="N words each side (5)")
    coll.add_argument("--measure", choices=("ll", "mi"), default="ll", help="log-likelihood or MI (ll)")
    counting(coll)
    output(coll)

    keys = commands.add_parser("keywords", help="words distinctive of the results against the rest")
    add_common(keys, True)
    keys.add_argument("query")
    counting(keys)
    output(keys)

    grams = commands.add_parser("ngrams", help="2- to 4-word sequences containing the query's words")
    add_common(grams, True)
    grams.add_argument("query")
    grams.add_argument(
        "--min-freq", type=positive_count, default=2, metavar="N", help="count from N occurrences (2)"
    )
    grams.add_argument(
        "--limit", type=positive_count, default=50, metavar="N", help="print at most N rows (50)"
    )
    output(grams)

    trend = commands.add_parser("trends", help="articles using each term over time (counts and shares)")
    add_common(trend, True)
    trend.add_argument("terms", nargs="+", metavar="TERM", help='a word, "a phrase" or any query')
    trend.add_argument("--within", default="", metavar="QUERY", help="only among the results of QUERY")
    output(trend)


class _CsvOut:
    """Rows to standard output through the CSV writer of search and concordance
    (``tables.write_csv``: RFC 4180, cells a spreadsheet would evaluate made inert)."""

    def __init__(self) -> None:
        self.columns: list[str] = []
        self.rows: list[dict[str, object]] = []

    def writerow(self, row: list[object]) -> None:
        if not self.columns:
            self.columns = [str(c) for c in row]
        else:
            self.rows.append(dict(zip(self.columns, row, strict=True)))

    def writerows(self, rows: Iterable[list[object]]) -> None:
        for row in rows:
            self.writerow(row)

    def flush(self) -> None:
        from reader.core.tables import write_csv

        write_csv(sys.stdout, self.columns, self.rows)


def positive_count(value: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _format(args: argparse.Namespace) -> str:
    return "json" if args.json else getattr(args, "format", "text")


def run(corpus: Path, locations: Locations, args: argparse.Namespace) -> int:
    from reader.cli import search_marks, sync_index

    index, _ = sync_index(corpus, locations, stale_ok=True)
    # is:/label: terms are answered as search answers them (its own connection, closed below).
    marks = search_marks(corpus, locations)
    try:
        searcher = index.ix.searcher()
        try:
            if args.command == "stories":
                return _stories(index, args.query, args.json, marks)
            if args.command == "trends":
                return _trends(searcher, args.terms, args.within, _format(args), marks)
            return _insights(index, searcher, args, marks)
        finally:
            searcher.close()
    finally:
        marks.close()
        index.close()


def _stories(index: Any, query: str, as_json: bool, marks: Any) -> int:
    from reader.core.search import SearchService
    from reader.core.stories import Stories

    paths = None
    if query.strip():
        service = SearchService(index, marks)
        try:
            result = service.search(query, limit=10**9, snippets=False)
        finally:
            service.close()
        paths = [h.path for h in result.hits]
        for note in result.notes:
            print(f"Note: {note}", file=sys.stderr)
    stories = Stories(index.dir, readonly=index.read_only is not None)
    catalog = index.catalog()
    try:
        found = stories.stories(paths)
        if as_json:
            for story in found:
                print(json.dumps(story.to_json(), ensure_ascii=False))
            return 0
        rows = catalog.rows_for(p for s in found for p in s.paths)
        articles = sum(len(s.paths) for s in found)
        print(f"{len(found):,} stories, {articles:,} articles" + (f" for {query!r}" if query.strip() else ""))
        for story in found:
            n = len(story.paths)
            first = rows.get(story.paths[0])
            print(f"story {story.id}: {n} version{'s' if n != 1 else ''}  {first.title if first else ''}")
            for path in story.paths:
                row = rows.get(path)
                date = row.date.isoformat() if row and row.date else "no date   "
                source = (row.source if row else "") or "-"
                print(f"  {date}  {source[:30]:30}  {path}")
        return 0
    finally:
        catalog.close()
        stories.close()


def _insights(index: Any, searcher: Any, args: argparse.Namespace, marks: Any) -> int:
    from reader.core.insights import insights
    from reader.core.wordstore import WordStore, store_path

    try:
        store = WordStore(store_path(index.dir), readonly=index.read_only is not None)
    except Exception as exc:
        raise RuntimeError(f"the words of the corpus are not indexed yet ({exc})") from exc
    try:
        result = None
        for result in insights(  # noqa: B007 (the last, finished one is kept)
            searcher,
            store,
            args.query,
            window=getattr(args, "window", 5),
            min_freq=args.min_freq,
            measure=getattr(args, "measure", "ll"),
            top=args.limit,
            marks=marks,
        ):
            pass
    finally:
        store.close()
    assert result is not None
    fmt = _format(args)
    for note in result.notes:
        print(f"Note: {note}", file=sys.stderr)
    kind = args.command
    if fmt == "json":
        data: dict[str, object] = {"query": result.query, "articles": result.total, "notes": result.notes}
        if kind == "collocates":
            data.update(
                occurrences=result.occurrences,
                window=args.window,
                measure=args.measure,
                collocates=[c.to_json() for c in result.collocates],
            )
        elif kind == "keywords":
            data.update(
                keywords=[k.to_json() for k in result.keywords],
                negative=[k.to_json() for k in result.negative],
            )
        else:
            data.update(ngrams=[g.to_json() for g in result.ngrams])
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if fmt == "csv":
        out = _CsvOut()
        if kind == "collocates":
            out.writerow(["word", "count", "left", "right", "frequency", "score"])
            out.writerows(
                [c.word, c.count, c.left, c.right, c.frequency, f"{c.score:.3f}"] for c in result.collocates
            )
        elif kind == "keywords":
            out.writerow(["word", "direction", "count", "rest", "log_likelihood", "log_ratio"])
            for direction, rows in (("positive", result.keywords), ("negative", result.negative)):
                out.writerows(
                    [k.word, direction, k.count, k.rest, f"{k.log_likelihood:.3f}", f"{k.log_ratio:.3f}"]
                    for k in rows
                )
        else:
            out.writerow(["ngram", "n", "count"])
            out.writerows([g.words, g.n, g.count] for g in result.ngrams)
        out.flush()
        return 0
    print(f"{result.total:,} articles for {result.query!r}")
    if kind == "collocates":
        measure = "log-likelihood" if args.measure == "ll" else "MI"
        print(f"{result.occurrences:,} occurrences; window {args.window} each side; by {measure}")
        print(f"{'word':24} {'count':>6} {'left':>5} {'right':>5} {'freq':>6} {'score':>9}")
        for c in result.collocates:
            print(f"{c.word[:24]:24} {c.count:>6} {c.left:>5} {c.right:>5} {c.frequency:>6} {c.score:>9.2f}")
    elif kind == "keywords":
        for title, rows in (
            ("More frequent in the results", result.keywords),
            ("Less frequent", result.negative),
        ):
            print(f"{title}:  {'count':>6} {'rest':>7} {'LL':>9} {'log ratio':>9}")
            for k in rows:
                print(
                    f"  {k.word[:26]:26} {k.count:>6} {k.rest:>7} "
                    f"{k.log_likelihood:>9.2f} {k.log_ratio:>9.2f}"
                )
    else:
        for g in result.ngrams:
            print(f"{g.count:>6}  {g.words}")
    return 0


def _trends(searcher: Any, terms: list[str], within: str, fmt: str, marks: Any) -> int:
    from reader.core.trends import trends

    found = trends(searcher, terms, within, marks)
    data = found.to_json()
    if fmt == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    periods: list[dict[str, Any]] = data["periods"]  # type: ignore[assignment]
    if fmt == "csv":
        out = _CsvOut()
        out.writerow(["term", "start", "end", "count", "share", "articles"])
        for t in found.trends:
            for i, p in enumerate(periods):
                out.writerow(
                    [t.term, p["start"], p["end"], t.counts[i], f"{found.share(t, i):.6f}", p["articles"]]
                )
        out.flush()
        return 0
    width = max([len(t) for t in terms] + [8])
    print(f"by {found.unit}: articles using each term (share of the {found.unit}'s articles)")
    print(f"{'period':12} {'articles':>8}  " + "  ".join(f"{t[:width]:>{width + 9}}" for t in terms))
    for i, p in enumerate(periods):
        cells = "  ".join(f"{t.counts[i]:>{width}} ({found.share(t, i):>5.1%})" for t in found.trends)
        print(f"{p['start']:12} {p['articles']:>8}  {cells}")
    for t in found.trends:
        if t.undated:
            print(f"{t.term}: +{t.undated} undated")
    return 0
