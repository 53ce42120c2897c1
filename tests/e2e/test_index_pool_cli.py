"""The worker pool from the real program: ``corpus-reader index`` (the installed script) and
``python -m reader index`` start their spawned workers without running the app again in them,
and index exactly what one process does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.format_samples import RSS_WITH_CDATA, mbox, news_page, newsletter
from tests.helpers import REPO, write_article

SCRIPT = Path(sys.executable).with_name("corpus-reader")


def corpus_of(root: Path) -> Path:
    for i in range(30):
        write_article(
            root, f"t/a-{i:02d}.txt", f"Lighthouse report {i}", "1 March 2021", f"Keeper {i} saw ships."
        )
    for i in range(4):
        (root / f"p/fire-{i}.html").parent.mkdir(parents=True, exist_ok=True)
        (root / f"p/fire-{i}.html").write_text(news_page(title=f"Fire number {i}"), encoding="utf-8")
    (root / "feed.rss").write_text(RSS_WITH_CDATA, encoding="utf-8")
    (root / "inbox.mbox").write_bytes(mbox(newsletter()))
    (root / "empty.txt").write_bytes(b"")
    return root


def run_index(command: list[str], corpus: Path, data: Path, workers: int) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), CORPUS_READER_WORKERS=str(workers))
    env["CORPUS_READER_POOL_MIN_FILES"] = "1"
    env.pop("DISPLAY", None)  # a worker that ran the app would fail to open a window, not hang
    return subprocess.run(
        [*command, "--corpus", str(corpus), "--data-dir", str(data), "index", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "command",
    [[str(SCRIPT)], [sys.executable, "-m", "reader"]],
    ids=["installed-script", "python-m-reader"],
)
def test_index_with_workers_reports_what_one_process_does(command: list[str], tmp_path: Path) -> None:
    if not SCRIPT.exists() and command[0] == str(SCRIPT):
        pytest.skip("the corpus-reader script is not installed next to this Python")
    corpus = corpus_of(tmp_path / "corpus")
    alone = run_index(command, corpus, tmp_path / "alone", workers=0)
    pooled = run_index(command, corpus, tmp_path / "pooled", workers=2)
    assert alone.returncode == 0, alone.stderr
    assert pooled.returncode == 0, pooled.stderr
    assert "one process" not in pooled.stderr  # the workers started (no fallback note)
    assert json.loads(pooled.stdout) == json.loads(alone.stdout)
    assert json.loads(pooled.stdout)["added"] == 30 + 4 + 2 + 1
