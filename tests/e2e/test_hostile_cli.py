"""The hostile corpus through the real program: ``index --json`` lists the problems, ``search``
finds what was decoded, and the 60 MB file costs bounded memory (its first 8 MB are indexed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import hostile_corpus
from tests.hostile_corpus import EXPECTED

REPO = Path(__file__).resolve().parents[2]
# Runs the CLI and reports its peak memory: the child's own high-water mark (VmHWM, which exec
# starts afresh), not getrusage's ru_maxrss, which Linux carries over fork and exec, so that a
# test process grown large by earlier tests handed its own size to the child.
_MEASURED = (
    "import re, resource, sys\n"
    "from reader.app import main\n"
    "code = main(sys.argv[1:])\n"
    "try:\n"
    "    status = open('/proc/self/status').read()\n"
    "    peak = int(re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
    "except OSError:\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print('maxrss_kb', peak, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", _MEASURED, *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_hostile_corpus_through_the_cli(tmp_path: Path) -> None:
    corpus = hostile_corpus.build(tmp_path / "corpus")
    hostile_corpus.add_giants(corpus)
    common = ("--corpus", corpus, "--data-dir", tmp_path / "data")

    indexed = run(*common, "index", "--json")
    assert indexed.returncode == 0, indexed.stderr
    report = json.loads(indexed.stdout)
    expected = {p: reason for p, (kind, reason) in EXPECTED.items() if kind == "problem"}
    expected["giant.txt"] = "larger than 8 MB: only the leading part is indexed"
    assert {p["path"]: p["reason"] for p in report["problems"]} == expected
    # Indexed: every readable file, the giant (its leading part) and the one-line file.
    assert report["added"] == sum(1 for kind, _ in EXPECTED.values() if kind == "indexed") + 2
    # Reading at most 8 MB + 1 byte of the 60 MB file keeps memory bounded.
    maxrss_mb = int(indexed.stderr.split("maxrss_kb")[1].split()[0]) / 1024
    assert maxrss_mb < 400, f"indexing used {maxrss_mb:.0f} MB"

    # Each decoded word finds its file (one query: the unit tests check them one by one).
    words = {word: path for path, (kind, word) in EXPECTED.items() if kind == "indexed"}
    words.update({"Giantopening": "giant.txt", "oneliner": "one-line.txt"})
    found = run(*common, "search", " OR ".join(words), "--limit", "100", "--json")
    assert found.returncode == 0, found.stderr
    assert sorted(h["path"] for h in json.loads(found.stdout)["hits"]) == sorted(words.values())
    beyond = run(*common, "search", "Giantending", "--json")
    assert json.loads(beyond.stdout)["total"] == 0  # past the indexed 8 MB
