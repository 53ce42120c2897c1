"""One writer at a time: a second `index` on the same data folder waits, says so, and the index
ends up whole; two running at once do not corrupt each other."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

from reader.cli import WAITING
from reader.core.index import open_index
from reader.core.locations import Locations
from tests.helpers import write_article

REPO = Path(__file__).resolve().parents[2]


def start(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *map(str, args)],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_index_waits_for_the_writer_that_holds_the_lock_and_says_so(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    index = open_index(corpus, Locations.resolve(data).index_dir(corpus))
    with index._writing():  # another Corpus Reader (the window, say) is indexing
        second = start("--corpus", corpus, "--data-dir", data, "index", "--json")
        assert second.stderr is not None
        ready, _, _ = select.select([second.stderr], [], [], 30)
        if not ready:
            second.kill()
            second.communicate()
        assert ready, "no message within 30 s"
        assert second.stderr.readline().strip() == WAITING
        assert second.poll() is None  # still waiting
    out, err = second.communicate(timeout=60)
    index.close()
    assert second.returncode == 0, err
    assert json.loads(out)["added"] == 5


def test_two_indexers_at_once_leave_one_whole_index(corpus: Path, tmp_path: Path) -> None:
    for i in range(300):
        write_article(corpus, f"bulk/{i:03}.txt", f"Bulk {i}", "2021-01-01", f"Concurrent number{i} body.")
    common = ("--corpus", corpus, "--data-dir", tmp_path / "data")
    runs = [start(*common, "index", "--json") for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    reports = [json.loads(out) for out, _ in outputs]
    # Between them every file was added exactly once; the second found the first's work.
    assert sorted(r["added"] for r in reports) == [0, 305]
    found = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            *map(str, common),
            "search",
            "concurrent",
            "--limit",
            "1000",
            "--json",
        ],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    hits = [h["path"] for h in json.loads(found.stdout)["hits"]]
    assert len(hits) == len(set(hits)) == 300
