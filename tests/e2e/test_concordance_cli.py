"""`corpus-reader concordance`: every occurrence with its context, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run


def test_concordance_json_lists_every_occurrence(corpus: Path, tmp_path: Path) -> None:
    done = run(
        "--corpus", corpus, "--data-dir", tmp_path / "d", "concordance", "Minsk", "--json", "--width", "12"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    # scattered.txt: "Minsk" 5 + 10 + 2 times; the seed once; the hidden file is not in the corpus.
    assert data["total"] == 18 and data["articles"] == 2 and not data["capped"]
    first = data["occurrences"][0]
    assert first["path"] == "000_a48a5c26eb42239f.txt"  # oldest first
    assert first["match"] == "Minsk" and len(first["left"]) == 12
    assert {o["path"] for o in data["occurrences"]} == {"000_a48a5c26eb42239f.txt", "scattered.txt"}


def test_concordance_text_aligns_the_matches_and_says_when_capped(corpus: Path, tmp_path: Path) -> None:
    done = run("--corpus", corpus, "--data-dir", tmp_path / "d", "concordance", "Minsk", "--limit", "3")
    assert done.returncode == 0, done.stderr
    head, *lines = done.stdout.splitlines()
    assert head == "3 occurrences in 2 articles for 'Minsk' (the first 3 only)"
    assert len(lines) == 3
    assert {line[40:47] for line in lines} == {" Minsk "}  # the match column lines up


def test_concordance_rejects_a_bad_width(corpus: Path, tmp_path: Path) -> None:
    done = run("--corpus", corpus, "--data-dir", tmp_path / "d", "concordance", "Minsk", "--width", "0")
    assert done.returncode == 2


def test_concordance_without_matches_suggests_like_search(corpus: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    as_json = run("--corpus", corpus, "--data-dir", data_dir, "concordance", "Karabah", "--json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["total"] == 0 and data["suggestion"] == "Karabakh"
    text = run("--corpus", corpus, "--data-dir", data_dir, "concordance", "Karabah")
    assert "Did you mean: Karabakh" in text.stdout.splitlines()
    found = run("--corpus", corpus, "--data-dir", data_dir, "concordance", "Karabakh", "--json")
    assert json.loads(found.stdout)["suggestion"] is None
