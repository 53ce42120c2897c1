"""The real program as a subprocess: the CLI's output, JSON and exit codes, and the GUI start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REPO, SEED, run


def test_index_json_reports_what_it_did(corpus: Path, tmp_path: Path) -> None:
    (corpus / "blank.txt").write_text("  \n\n", encoding="utf-8")
    first = run("--corpus", corpus, "--data-dir", tmp_path / "d", "index", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "added": 5,
        "updated": 0,
        "removed": 0,
        "unchanged": 0,
        "problems": [{"path": "blank.txt", "reason": "empty file"}],
    }
    # Options work after the subcommand too.
    second = run("index", "--json", "--corpus", corpus, "--data-dir", tmp_path / "d")
    assert json.loads(second.stdout)["unchanged"] == 5


def test_index_plain_summary(corpus: Path, tmp_path: Path) -> None:
    done = run("--corpus", corpus, "--data-dir", tmp_path / "d", "index")
    assert done.returncode == 0
    assert done.stdout.startswith("5 added, 0 updated, 0 removed, 0 unchanged, 0 problems")


def test_search_json_ranks_the_phrase_first(corpus: Path, tmp_path: Path) -> None:
    done = run("--corpus", corpus, "--data-dir", tmp_path / "d", "search", "Minsk group", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["query"] == "Minsk group" and result["total"] == 2 and result["suggestion"] is None
    top = result["hits"][0]
    assert top["path"] == SEED and top["date"] == "2020-07-30"
    assert "OSCE Minsk group" in top["snippet"]
    assert set(top) >= {"path", "title", "date", "score", "snippet"}


def test_search_limit_sort_and_plain_output(corpus: Path, tmp_path: Path) -> None:
    done = run(
        "search",
        "harbour OR dividend",
        "--limit",
        "1",
        "--sort",
        "date",
        "--corpus",
        corpus,
        "--data-dir",
        tmp_path / "d",
    )
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "3 results for 'harbour OR dividend'"
    assert lines[1].startswith("  1. SIERRA RESOURCES <SRD> SETS DIVIDEND  (2020-07-30)  markets/wire.txt")


def test_zero_hits_is_success_with_a_suggestion(corpus: Path, tmp_path: Path) -> None:
    done = run("--corpus", corpus, "--data-dir", tmp_path / "d", "search", "Karabah", "--json")
    assert done.returncode == 0
    result = json.loads(done.stdout)
    assert result["total"] == 0 and result["hits"] == [] and result["suggestion"] == "Karabakh"


def test_malformed_query_is_not_an_error(corpus: Path, tmp_path: Path) -> None:
    done = run("--corpus", corpus, "--data-dir", tmp_path / "d", "search", "date:[2020 to", "--json")
    assert done.returncode == 0
    assert "Unclosed date range ignored." in json.loads(done.stdout)["notes"]


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_lists_every_article_as_the_window_does(
    corpus: Path, tmp_path: Path, query: str
) -> None:
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    done = run(*base, "search", query, "--json", "--limit", "100")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    paths = [h["path"] for h in result["hits"]]
    assert result["total"] == len(paths) == 5 and sorted(paths) == sorted(
        [SEED, "scattered.txt", "markets/wire.txt", "markets/fire.md", "undated.txt"]
    )
    dates = [h["date"] for h in result["hits"]]
    assert dates[-1] is None and dates[:-1] == sorted(dates[:-1], reverse=True)  # newest first
    assert result["notes"] == ["No query: every article, newest first."]
    plain = run(*base, "search", query, "--limit", "2").stdout.splitlines()
    assert plain[0] == "5 results for " + repr(query) and plain[1].startswith("Note: No query")
    assert sum(1 for line in plain if line[:5].strip().endswith(".")) == 2  # --limit honoured


def test_bundled_corpus_is_the_default(tmp_path: Path) -> None:
    done = run("--data-dir", tmp_path / "d", "search", "Minsk group", "--json", cwd=tmp_path)
    assert json.loads(done.stdout)["hits"][0]["path"] == SEED


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0 and done.stdout.startswith("corpus-reader 0.")


@pytest.mark.parametrize(
    "args", [("search",), ("frobnicate",), ("search", "x", "--limit", "0"), ("search", "x", "--sort", "size")]
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    assert run(*args).returncode == 2


def test_missing_corpus_is_one_line_on_stderr_exit_1(tmp_path: Path) -> None:
    done = run("--corpus", tmp_path / "nope", "--data-dir", tmp_path / "d", "index")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "corpus folder not found" in done.stderr
    assert "Traceback" not in done.stderr


def test_window_starts_offscreen_and_stays_up(corpus: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--corpus", str(corpus), "--data-dir", str(tmp_path / "d")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        index_dirs = tmp_path / "d" / "cache" / "indexes"
        # The window's background sync builds the index of the corpus it was given.
        while time.monotonic() < deadline and not list(index_dirs.glob("corpus-*/catalog.sqlite3")):
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        assert list(index_dirs.glob("corpus-*/catalog.sqlite3"))
        assert proc.poll() is None
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err
