"""The command line's rough edges: each subcommand's own usage, queries that begin with a dash,
--batch's formats, article paths given every way, files of several articles, missing ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import SEED, run

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Daily</title>
<item><guid>d-1</guid><title>Harbour reopens</title><pubDate>Tue, 10 Nov 2020 10:00:00 GMT</pubDate>
<description>The harbour reopened on Tuesday after the storm, officials said.</description></item>
<item><guid>d-2</guid><title>Ferry resumes</title><pubDate>Wed, 11 Nov 2020 10:00:00 GMT</pubDate>
<description>The ferry to the islands resumed service on Wednesday morning.</description></item>
</channel></rss>
"""


@pytest.mark.parametrize(
    ("args", "usage", "message"),
    [
        (("search", "x", "--limit", "0"), "corpus-reader search", "must be 1 or more"),
        (("search", "x", "--bogus"), "corpus-reader search", "unrecognized arguments: --bogus"),
        (("search", "x", "-y"), "corpus-reader search", "unrecognized arguments: -y"),
        (("search", "x", "--json", "--format", "csv"), "corpus-reader search", "contradict"),
        (("keywords",), "corpus-reader keywords", "required"),
        (("label", "add"), "corpus-reader label add", "required"),
        (("annotations", "export", "--format", "pdf"), "corpus-reader annotations export", "invalid choice"),
        (("mark", "sideways"), "corpus-reader mark", "invalid choice: 'sideways'"),
    ],
)
def test_a_subcommand_error_shows_that_subcommands_usage(
    tmp_path: Path, args: tuple[str, ...], usage: str, message: str
) -> None:
    done = run("--data-dir", tmp_path / "d", *args)
    assert done.returncode == 2
    assert done.stderr.startswith(f"usage: {usage} "), done.stderr
    assert "FILE ... | COMMAND" not in done.stderr  # not the main command line's usage
    assert message in done.stderr.splitlines()[-1] and "\0" not in done.stderr


def test_a_query_may_begin_with_a_dash(corpus: Path, tmp_path: Path) -> None:
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d")

    def search(*args: str) -> dict[str, object]:
        done = run(*base, "search", *args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)  # type: ignore[no-any-return]

    everything_but = search("NOT harbour", "--limit", "50")
    assert everything_but["total"] == 3
    assert search("-harbour", "--limit", "50")["total"] == 3  # only exclusions: as NOT
    after_dashes = search("--", "-harbour", "--limit", "1")  # options still read after --
    assert after_dashes["total"] == 3 and len(after_dashes["hits"]) == 1  # type: ignore[arg-type]
    assert after_dashes["query"] == "-harbour"
    assert search("--limit", "1", "--", "-harbour -dividend")["total"] == 2


def test_batch_rejects_a_text_format(corpus: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("harbour\n", "utf-8")
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d", "search", "--batch", queries)
    done = run(*base, "--format", "text")
    assert done.returncode == 2 and "--batch prints one JSON line per query" in done.stderr
    assert done.stdout == ""
    assert json.loads(run(*base).stdout)["total"] == 2  # JSON lines by default, as before


def test_articles_by_any_path_inside_the_corpus(corpus: Path, tmp_path: Path) -> None:
    (corpus / "feeds").mkdir()
    (corpus / "feeds" / "daily.rss").write_text(RSS, "utf-8")
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    absolute = str((corpus / "markets" / "wire.txt").resolve())
    shown = run(*base, "show", absolute, "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["path"] == "markets/wire.txt"
    # Relative to the current folder, inside the corpus.
    here = run(*base, "show", "wire.txt", "--json", cwd=corpus / "markets")
    assert here.returncode == 0 and json.loads(here.stdout)["path"] == "markets/wire.txt"
    item = run(*base, "show", str((corpus / "feeds" / "daily.rss").resolve()) + "#d-2", "--json")
    assert json.loads(item.stdout)["title"] == "Ferry resumes"
    # mark and label take the same paths, and a file of several articles means all of them.
    marked = run(*base, "mark", "read", absolute, "feeds/daily.rss")
    assert marked.returncode == 0, marked.stderr
    assert marked.stdout.startswith("3 articles marked read")
    labelled = run(*base, "label", "add", "port", str((corpus / "feeds" / "daily.rss").resolve()))
    assert labelled.returncode == 0 and "given 2 articles" in labelled.stdout
    found = json.loads(run(*base, "search", "label:port", "--json").stdout)
    assert sorted(h["path"] for h in found["hits"]) == ["feeds/daily.rss#d-1", "feeds/daily.rss#d-2"]
    read = json.loads(run(*base, "search", "is:read", "--json", "--limit", "50").stdout)
    assert {h["path"] for h in read["hits"]} == {
        "markets/wire.txt",
        "feeds/daily.rss#d-1",
        "feeds/daily.rss#d-2",
    }


def test_missing_and_outside_ids_are_named_plainly(corpus: Path, tmp_path: Path) -> None:
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    done = run(*base, "show", "nonexist.txt", SEED)
    assert done.returncode == 1
    assert done.stderr.strip() == "corpus-reader: nonexist.txt: no such article"
    assert done.stdout  # the other article is still printed
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Elsewhere\n\nText.\n", "utf-8")
    refused = run(*base, "show", str(outside))
    assert refused.returncode == 1 and "outside the corpus folder" in refused.stderr
    unknown = run(*base, "mark", "read", "nonexist.txt")
    assert unknown.returncode == 1 and "not an article in the corpus: nonexist.txt" in unknown.stderr
