"""Entry point: parse arguments, build services, build the window, run."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from reader import __version__, cli_analysis
from reader.core.locations import Locations


def _add_common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    # Subparsers repeat the options with SUPPRESS so they work before or after the subcommand
    # without the subcommand's default overwriting a value given before it.
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--corpus", type=Path, metavar="DIR", default=default, help="the folder of articles")
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=default,
        help="keep the index, annotations and settings under DIR",
    )


class _Parser(argparse.ArgumentParser):
    """An argument parser whose messages show the words a user typed (``_protect_dash_words``
    stands in for query words that begin with a dash while argparse reads them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stand_ins: dict[str, str] = {}

    def error(self, message: str) -> NoReturn:
        """Overrides ArgumentParser.error: the message with the typed words."""
        for stand_in, word in self.stand_ins.items():
            message = message.replace(stand_in, word)
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="corpus-reader",
        usage="%(prog)s [-h] [--version] [--corpus DIR] [--data-dir DIR] [FILE ... | COMMAND ...]",
        description="Read and search a folder of news articles. Without a command, opens the window "
        "(or brings the open one forward), showing the article FILEs if given.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_common(parser, suppress=False)
    parser.set_defaults(files=[])
    commands: Any = parser.add_subparsers(dest="command", metavar="COMMAND")

    index = commands.add_parser("index", help="bring the index up to date with the corpus folder")
    _add_common(index, suppress=True)
    index.add_argument("--json", action="store_true", help="print the summary as JSON")

    search = commands.add_parser("search", help="search the corpus and print ranked hits")
    _add_common(search, suppress=True)
    search.add_argument("query", nargs="?", help="the query (see the README for the query language)")
    search.add_argument(
        "--batch",
        metavar="FILE",
        help="one query per line of FILE (- for standard input); one JSON line per query (or CSV rows)",
    )
    search.add_argument(
        "--limit", type=cli_analysis.positive_count, default=10, metavar="N", help="print at most N hits (10)"
    )
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument(
        "--sync",
        action="store_true",
        help="bring the index up to date in full first, even when the folder looks unchanged",
    )
    _add_format(search)

    kwic = commands.add_parser("concordance", help="print every occurrence of a query with its context")
    _add_common(kwic, suppress=True)
    kwic.add_argument("query", help="the query (see the README for the query language)")
    kwic.add_argument(
        "--width",
        type=cli_analysis.positive_count,
        default=40,
        metavar="N",
        help="N characters each side (40)",
    )
    kwic.add_argument(
        "--limit",
        type=cli_analysis.positive_count,
        default=10_000,
        metavar="N",
        help="print at most N occurrences (10,000)",
    )
    _add_format(kwic)

    show = commands.add_parser("show", help="print articles as the reading pane has them")
    _add_common(show, suppress=True)
    show.add_argument(
        "articles",
        nargs="+",
        metavar="ARTICLE",
        help="article ids (as search prints them); a feed, mbox or EPUB: all",
    )
    show.add_argument("--json", action="store_true", help="one JSON object per article, one a line")

    notes = commands.add_parser("annotations", help="list, export or import bookmarks and highlights")
    _add_common(notes, suppress=True)
    actions = notes.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="print every bookmark and highlight of the corpus")
    _add_common(listing, suppress=True)
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    export = actions.add_parser("export", help="write the annotations as W3C JSON-LD or Markdown")
    _add_common(export, suppress=True)
    export.add_argument("--format", choices=("w3c", "markdown"), default="w3c")
    export.add_argument(
        "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    importing = actions.add_parser(
        "import", help="add annotations from a W3C JSON-LD file (idempotent by id)"
    )
    _add_common(importing, suppress=True)
    importing.add_argument("file", type=Path, metavar="FILE")

    cli_analysis.add_parsers(commands, _add_common)
    from reader.cli_triage import add_parsers as add_triage_parsers

    add_triage_parsers(commands, _add_common)

    for name, text in (
        ("install-desktop", "add Corpus Reader to the desktop's application menu (Linux)"),
        ("uninstall-desktop", "remove it from the menu again"),
    ):
        _add_common(commands.add_parser(name, help=text), suppress=True)
    _name_subcommands(parser)
    return parser


def _name_subcommands(parser: argparse.ArgumentParser) -> None:
    """Each subcommand's parser is called by its own name (``corpus-reader search``), so its usage
    and errors show its own options, not the main command line's."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                sub.prog = f"{parser.prog} {name}"
                _name_subcommands(sub)


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default=None,
        help="text (the default), json, or csv: one row per line of the result, with a header row",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON (--format json)")


def output_format(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """--format, with --json as its old spelling; both at once must agree."""
    if args.json and args.format not in (None, "json"):
        parser.error(f"--json and --format {args.format} contradict each other")
    return "json" if args.json else (args.format or "text")


def build_window_parser() -> argparse.ArgumentParser:
    """The command line of a launch that opens the window with article files (a file manager's
    Open With passes them)."""
    parser = argparse.ArgumentParser(prog="corpus-reader", description="Open the window showing FILE.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_common(parser, suppress=False)
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="article files to show")
    parser.set_defaults(command=None)
    return parser


def parse_arguments(
    argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None
) -> argparse.Namespace:
    """Parse a command line: a COMMAND and its arguments, or article FILEs for the window.

    A first word that names a command is the command; one that looks like a path (it has a
    slash or a dot, or exists) is a file; anything else is a mistyped command (exit 2).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser() if parser is None else parser
    first = _first_positional(argv)
    if first is None or first in _command_names(parser) or not _looks_like_file(first):
        return _parse_command(parser, argv, first)
    window = build_window_parser()
    # Intermixed: options may follow the files; but it mishandles "--" (files named "-…").
    return window.parse_args(argv) if "--" in argv else window.parse_intermixed_args(argv)


#: What stands in for the i-th query word beginning with a dash while argparse reads the line.
_STAND_IN = "\0word{}\0"


def _parse_command(
    parser: argparse.ArgumentParser, argv: list[str], command: str | None
) -> argparse.Namespace:
    """A command line with a COMMAND: its query may begin with a dash (``search -fire``, or
    after ``--``: ``search -- -fire --limit 1``, options still read), and an error names the
    subcommand's own usage."""
    argv, words = _protect_dash_words(parser, argv, command)
    for each in _all_parsers(parser):
        if isinstance(each, _Parser):
            each.stand_ins = words
    args, extra = parser.parse_known_args(argv)
    for name, value in vars(args).items():
        if isinstance(value, str) and value in words:
            setattr(args, name, words[value])
        elif isinstance(value, list):
            setattr(args, name, [words.get(v, v) if isinstance(v, str) else v for v in value])
    if extra:
        _innermost(parser, args).error("unrecognized arguments: " + " ".join(words.get(e, e) for e in extra))
    return args


def _protect_dash_words(
    parser: argparse.ArgumentParser, argv: list[str], command: str | None
) -> tuple[list[str], dict[str, str]]:
    """Stand-ins for the words after the COMMAND that begin with a dash but are no option (a
    query's ``-word``; after ``--`` any word, ``--weird`` too), so argparse reads them as the
    positional arguments they are; the value of an option (``--limit -1``) is left alone."""
    if command is None or command not in argv:
        return argv, {}
    options = _option_arities(parser)
    out = argv[: argv.index(command) + 1]
    words: dict[str, str] = {}
    after_dashes = False
    value_next = False
    for token in argv[len(out) :]:
        if value_next:
            value_next = False
            out.append(token)
            continue
        if token == "--" and not after_dashes:
            after_dashes = True
            continue
        name = token.split("=", 1)[0]
        known = _known_option(name, options)
        if (
            token.startswith("-")
            and token != "-"
            and known is None
            and (after_dashes or not token.startswith("--"))
        ):
            stand_in = _STAND_IN.format(len(words))
            words[stand_in] = token
            out.append(stand_in)
            continue
        value_next = known is not None and options[known] and "=" not in token
        out.append(token)
    return out, words


def _all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.extend(_all_parsers(sub))
    return found


def _option_arities(parser: argparse.ArgumentParser) -> dict[str, bool]:
    """Every option string of the parser and its subcommands: whether it takes a value."""
    found: dict[str, bool] = {}
    for action in parser._actions:
        for option in action.option_strings:
            found[option] = action.nargs != 0
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.update(_option_arities(sub))
    return found


def _known_option(name: str, options: dict[str, bool]) -> str | None:
    """The option ``name`` is, or abbreviates unambiguously (as argparse allows), else None."""
    if name in options:
        return name
    if not name.startswith("--"):
        return None
    matches = [o for o in options if o.startswith(name)]
    return matches[0] if len(matches) == 1 else None


def _innermost(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The (sub)command parser that read the line's last (sub)command."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = getattr(args, action.dest, None)
            if chosen in action.choices:
                return _innermost(action.choices[chosen], args)
    return parser


def folder_as_corpus(corpus: Path | None, files: list[Path]) -> tuple[Path | None, list[Path]]:
    """``corpus-reader ~/news`` (a folder dropped on the launcher, or typed) opens that folder
    as the corpus, like ``--corpus ~/news``; the other FILEs are still shown in it."""
    folders = [f for f in files if f.is_dir()]
    if corpus is not None or len(folders) != 1:
        return corpus, files
    return folders[0], [f for f in files if f is not folders[0]]


def _first_positional(argv: list[str]) -> str | None:
    value_options = ("--corpus", "--data-dir")
    skip_value = False
    for i, token in enumerate(argv):
        if skip_value:
            skip_value = False
        elif token == "--":
            return argv[i + 1] if i + 1 < len(argv) else None
        elif token.startswith("-") and token != "-":
            # argparse accepts unambiguous prefixes (--corp DIR) and --corpus=DIR.
            name = token.split("=", 1)[0]
            skip_value = "=" not in token and len(name) > 2 and any(o.startswith(name) for o in value_options)
        else:
            return token
    return None


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    return {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            return action.choices[name]
    raise KeyError(name)


def _looks_like_file(word: str) -> bool:
    return "/" in word or os.sep in word or "." in word or Path(word).exists()


def main(argv: list[str] | None = None) -> int:
    """Run Corpus Reader; return the process exit code."""
    try:
        try:
            return _main(argv)
        finally:
            # Inside the try: a pipe closed early shows when the buffered output is written.
            if sys.stdout is not None:
                sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output went away (``| head``): stop quietly, as Unix tools do. Point
        # stdout at nothing so the interpreter's final flush does not complain again.
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # no real stdout (a windowed launcher): nothing to silence


def _main(argv: list[str] | None) -> int:
    parser = build_parser()  # (once: building it is a good part of a command's start)
    args = parse_arguments(argv, parser)
    locations = Locations.resolve(args.data_dir)
    try:
        if args.command is None:
            from reader.platform.startup_check import check_display  # imports no Qt

            # Before Qt: without its platform plugin it aborts the process with a developer's message.
            if not check_display(locations.log_file):
                return 1
            from reader.gui.launch import run_gui  # Qt is imported only for the window

            corpus, files = folder_as_corpus(args.corpus, args.files)
            return run_gui(corpus, locations, files)
        if args.command in ("install-desktop", "uninstall-desktop"):
            from reader.platform import desktop

            return desktop.run_install() if args.command == "install-desktop" else desktop.run_uninstall()
        if args.command == "search" and (args.query is None) == (args.batch is None):
            _subparser(parser, "search").error("give a query or --batch FILE, not both")
        if args.command == "search" and args.batch is not None and args.format == "text":
            _subparser(parser, "search").error(
                "--batch prints one JSON line per query (or CSV with --format csv), not text"
            )
        fmt = "text"
        if args.command in ("search", "concordance"):  # before anything is read or said
            fmt = output_format(_subparser(parser, args.command), args)
        corpus = _cli_corpus(args.corpus, locations)
        # Before the first import of Whoosh, here and not in the window: the lending it does is
        # only safe while no other thread imports, as in a command, never in the window's lanes.
        from reader.core import whoosh_imports

        whoosh_imports.install()
        from reader import cli

        if args.command == "index":
            return cli.run_index(corpus, locations, args.json)
        if args.command == "annotations":
            return cli.run_annotations(corpus, locations, args)
        if args.command == "show":
            return cli.run_show(corpus, args.articles, args.json)
        if args.command in cli_analysis.COMMANDS:
            return cli_analysis.run(corpus, locations, args)
        if args.command in ("mark", "label"):
            from reader import cli_triage

            run = cli_triage.run_mark if args.command == "mark" else cli_triage.run_label
            return run(corpus, locations, args)
        if args.command == "concordance":
            return cli.run_concordance(corpus, locations, args.query, args.width, args.limit, fmt)
        if args.batch is not None:
            from reader.batch import run_batch

            return run_batch(corpus, locations, args.batch, args.limit, args.sort, fmt, args.sync)
        return cli.run_search(corpus, locations, args.query, args.limit, args.sort, fmt, args.sync)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:
        print(f"corpus-reader: {_describe(exc)}", file=sys.stderr)
        return 1


def _cli_corpus(corpus: Path | None, locations: Locations) -> Path:
    """--corpus, else the folder the window opened last, else the bundled one; the last two are
    named on stderr, so a script's author sees which corpus answered."""
    if corpus is None:
        from reader.core.settings_file import last_corpus
        from reader.resources import bundled_corpus

        last = last_corpus(locations.settings_file)
        if last is not None:
            corpus = last.expanduser().resolve()
            why = "the folder the window opened last"
        else:
            corpus = bundled_corpus().expanduser().resolve()
            why = "the bundled articles"
        print(f"corpus-reader: corpus {corpus} ({why}; --corpus DIR for another)", file=sys.stderr)
    corpus = corpus.expanduser().resolve()
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    return corpus


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text
