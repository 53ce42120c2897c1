"""Annotations from the command line, and their durability when the process is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO, SEED, run

ADD_AND_WAIT = """
import sys, time
from pathlib import Path
from reader.core.annotations import AnnotationStore, new_highlight
from reader.core.corpus import load_article
corpus, db = Path(sys.argv[1]), Path(sys.argv[2])
article = load_article(corpus, sys.argv[3])
start = article.plain_text.index("OSCE Minsk group")
store = AnnotationStore(db)
text = article.plain_text
store.put(new_highlight(str(corpus), article.path, text, start, start + 16, "green", note="kept"))
print("added", flush=True)
time.sleep(60)
"""


def test_a_highlight_survives_sigkill_right_after_it_was_made(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with subprocess.Popen(
        [sys.executable, "-c", ADD_AND_WAIT, str(corpus.resolve()), str(data / "annotations.sqlite3"), SEED],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "added"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    listed = run("--corpus", corpus, "--data-dir", data, "annotations", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    (item,) = json.loads(listed.stdout)
    assert (item["kind"], item["exact"], item["note"], item["state"]) == (
        "highlight",
        "OSCE Minsk group",
        "kept",
        "anchored",
    )
    assert set(item) >= {
        "id",
        "kind",
        "path",
        "exact",
        "start",
        "end",
        "color",
        "note",
        "state",
        "created",
        "modified",
    }


def test_export_import_round_trip_and_idempotence(corpus: Path, tmp_path: Path) -> None:
    quote_only = [
        {
            "id": "urn:uuid:0f5b1c1e-0000-4000-8000-000000000001",
            "type": "Annotation",
            "body": {"type": "TextualBody", "value": "mediators"},
            "target": {
                "source": SEED,
                "selector": {"type": "TextQuoteSelector", "exact": "OSCE Minsk group"},
            },
        }
    ]
    src = tmp_path / "in.json"
    src.write_text(json.dumps(quote_only), encoding="utf-8")
    first = run("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "import", src)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1 annotations read: 1 new")
    again = run("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "import", src)
    assert "0 new, 1 already known" in again.stdout

    out = tmp_path / "out.json"
    assert (
        run(
            "--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "export", "--output", out
        ).returncode
        == 0
    )
    exported = json.loads(out.read_text("utf-8"))
    (item,) = exported["first"]["items"]
    position = next(s for s in item["target"]["selector"] if s["type"] == "TextPositionSelector")
    seed_text = run("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "list", "--json")
    listed = json.loads(seed_text.stdout)[0]
    assert (position["start"], position["end"]) == (listed["start"], listed["end"])

    # Into a fresh data dir: the round trip gives the same annotations.
    assert run("--corpus", corpus, "--data-dir", tmp_path / "e", "annotations", "import", out).returncode == 0
    relisted = json.loads(
        run("--corpus", corpus, "--data-dir", tmp_path / "e", "annotations", "list", "--json").stdout
    )
    assert relisted == json.loads(seed_text.stdout)

    markdown = run(
        "--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "export", "--format", "markdown"
    )
    assert "> OSCE Minsk group" in markdown.stdout and "mediators" in markdown.stdout


def test_malformed_import_is_rejected_whole_with_one_line(corpus: Path, tmp_path: Path) -> None:
    good = {
        "id": "urn:uuid:a",
        "type": "Annotation",
        "target": {"source": SEED, "selector": {"type": "TextQuoteSelector", "exact": "Baku"}},
    }
    bad = {"id": "urn:uuid:b", "type": "Annotation", "target": {"source": SEED}}
    src = tmp_path / "bad.json"
    src.write_text(json.dumps([good, bad]), encoding="utf-8")
    done = run("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "import", src)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "item 2" in done.stderr
    listed = run("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "list", "--json")
    assert json.loads(listed.stdout) == []  # nothing half-imported
    src.write_text("{not json", encoding="utf-8")
    assert run("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "import", src).returncode == 1


def test_edited_file_reanchors_on_the_next_cli_sync(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(
        json.dumps(
            [
                {
                    "id": "urn:uuid:c",
                    "type": "Annotation",
                    "target": {
                        "source": SEED,
                        "selector": {"type": "TextQuoteSelector", "exact": "OSCE Minsk group"},
                    },
                }
            ]
        ),
        encoding="utf-8",
    )
    run("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "import", src)
    seed = corpus / SEED
    seed.write_text("PREFACE ADDED.\n\n" + seed.read_text("utf-8"), encoding="utf-8")
    run("--corpus", corpus, "--data-dir", tmp_path / "d", "index")
    (item,) = json.loads(
        run("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations", "list", "--json").stdout
    )
    assert item["state"] == "anchored"
    text = seed.read_text("utf-8")
    assert "OSCE Minsk group" in text and item["exact"] == "OSCE Minsk group"
