"""``search --batch``: one JSON line (or CSV rows) per input line, in order, flushed as ready."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.helpers import REPO, run


def batch(*args: str | Path, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *map(str, args)],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def test_each_line_gets_the_search_json_result_in_order(corpus: Path, tmp_path: Path) -> None:
    queries = tmp_path / "names.txt"
    queries.write_bytes(b'Minsk group\n\n\xff\xfe not text\nharbour OR dividend\r\n"unclosed\ndate:2099\n')
    common = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    done = run(*common, "search", "--batch", queries, "--limit", "2")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["query"] for r in lines] == [
        "Minsk group",
        "",
        "\ufffd\ufffd not text",
        "harbour OR dividend",
        '"unclosed',
        "date:2099",
    ]
    for r in lines:
        assert set(r) == {"query", "total", "hits", "suggestion", "notes"}  # as search --json
    assert lines[1]["notes"] == ["Line 2 is empty: nothing to search for."]
    assert lines[2]["notes"] == ["Line 3 is not UTF-8 text: not searched."] and lines[2]["total"] == 0
    assert lines[4]["notes"] == ["Unclosed quote ignored."]
    # The same objects as one `search --json` each, --limit applied.
    for r in (lines[0], lines[3]):
        single = run(*common, "search", r["query"], "--json", "--limit", "2")
        assert json.loads(single.stdout) == r
    assert lines[0]["total"] == 2 and len(lines[3]["hits"]) == 2 and lines[3]["total"] > 2


def test_stdin_csv_and_date_sort(corpus: Path, tmp_path: Path) -> None:
    common = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    done = batch(
        *common,
        "search",
        "--batch",
        "-",
        "--format",
        "csv",
        "--sort",
        "date",
        "--limit",
        "1",
        stdin=b"harbour OR dividend\nnothingmatchesthis\n",
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode())))
    assert [(r["query"], r["rank"]) for r in rows] == [
        ("harbour OR dividend", "1"),
        ("nothingmatchesthis", ""),
    ]
    assert rows[1]["total"] == "0"
    by_date = json.loads(run(*common, "search", "harbour OR dividend", "--sort", "date", "--json").stdout)
    assert rows[0]["path"] == by_date["hits"][0]["path"] and rows[0]["total"] == str(by_date["total"])


def test_answers_are_flushed_before_the_input_ends(corpus: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reader",
            "--corpus",
            str(corpus),
            "--data-dir",
            str(tmp_path / "d"),
            "search",
            "--batch",
            "-",
        ],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    watchdog = threading.Timer(120, proc.kill)  # a batch that waited for the end would hang here
    watchdog.start()
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"harbour\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())  # answered while the input is still open
        assert first["query"] == "harbour" and first["total"] >= 1
        proc.stdin.write(b"Minsk group\n")
        proc.stdin.close()
        second = json.loads(proc.stdout.readline())
        assert second["query"] == "Minsk group"
        assert proc.wait() == 0
    finally:
        watchdog.cancel()
        proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


def test_a_query_or_a_batch_not_both(corpus: Path, tmp_path: Path) -> None:
    common = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    assert run(*common, "search").returncode == 2
    both = run(*common, "search", "oil", "--batch", "-")
    assert both.returncode == 2 and "not both" in both.stderr
    missing = run(*common, "search", "--batch", tmp_path / "none.txt")
    assert missing.returncode == 1 and "cannot read" in missing.stderr
