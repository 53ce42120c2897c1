"""`search … --format csv` and `concordance … --format csv`: one row per hit or occurrence."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.helpers import run, write_article


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_search_csv_has_a_header_and_one_row_per_hit(corpus: Path, tmp_path: Path) -> None:
    done = run("--corpus", corpus, "--data-dir", tmp_path / "d", "search", "Minsk group", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "rank,path,title,date,source,score,snippet"
    table = rows(done.stdout)
    as_json = json.loads(
        run("--corpus", corpus, "--data-dir", tmp_path / "d", "search", "Minsk group", "--json").stdout
    )
    assert [r["path"] for r in table] == [h["path"] for h in as_json["hits"]]
    assert [r["rank"] for r in table] == ["1", "2"]
    assert table[0]["date"] == "2020-07-30" and "Minsk group" in table[0]["snippet"]


def test_concordance_csv_one_row_per_occurrence(corpus: Path, tmp_path: Path) -> None:
    args = ("--corpus", corpus, "--data-dir", tmp_path / "d", "concordance", "Minsk")
    done = run(*args, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "path,title,date,start,end,left,match,right"
    table = rows(done.stdout)
    data = json.loads(run(*args, "--format", "json").stdout)
    assert len(table) == data["total"] == 18
    assert [(r["path"], int(r["start"]), r["match"]) for r in table] == [
        (o["path"], o["start"], o["match"]) for o in data["occurrences"]
    ]


def test_csv_is_utf8_and_spreadsheet_safe(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    write_article(
        folder,
        "a.txt",
        '=HYPERLINK("http://x") Zoë, "quoted"; ünïcode',
        "2021-02-03",
        'Zoë met the envoys.\n-Zoë said, "yes"; and left.',
    )
    done = run("--corpus", folder, "--data-dir", tmp_path / "d", "search", "Zoë", "--format", "csv")
    assert done.returncode == 0, done.stderr
    (row,) = rows(done.stdout)
    assert row["title"] == "'" + '=HYPERLINK("http://x") Zoë, "quoted"; ünïcode'  # shown, never run
    kwic = rows(
        run("--corpus", folder, "--data-dir", tmp_path / "d", "concordance", "Zoë", "--format", "csv").stdout
    )
    assert len(kwic) == 3 and {r["match"] for r in kwic} == {"Zoë"}
    assert all(not r["left"].startswith(("=", "+", "-", "@")) for r in kwic)


def test_json_flag_still_works_and_contradictions_are_usage_errors(corpus: Path, tmp_path: Path) -> None:
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d", "search", "Minsk")
    assert json.loads(run(*base, "--json").stdout)["total"] == 2
    assert run(*base, "--json", "--format", "csv").returncode == 2
    assert run(*base, "--format", "xml").returncode == 2
