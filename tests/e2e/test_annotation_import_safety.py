"""`annotations import` of a hostile file, and titles from the catalog in lists and exports."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import SEED, run, write_article

SECRET = "TOP SECRET do not read"


def test_import_naming_files_outside_reads_nothing_there(corpus: Path, tmp_path: Path) -> None:
    (corpus.parent / "secret.txt").write_text(f"{SECRET}\n\n{SECRET} again\n", encoding="utf-8")
    (corpus / "escape.txt").symlink_to(corpus.parent / "secret.txt")
    names = ["../secret.txt", str(corpus.parent / "secret.txt"), "markets/../../secret.txt", "escape.txt"]
    data = [
        {
            "id": f"urn:uuid:00000000-0000-4000-8000-00000000000{i}",
            "type": "Annotation",
            "target": {"source": name, "selector": {"type": "TextQuoteSelector", "exact": "do not"}},
        }
        for i, name in enumerate(names)
    ]
    src = tmp_path / "in.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations")
    done = run(*base, "import", src)
    assert done.returncode == 0, done.stderr
    assert "4 orphaned" in done.stdout
    assert sum("outside the corpus folder" in line for line in done.stderr.splitlines()) == 4
    listed = run(*base, "list", "--json")
    items = json.loads(listed.stdout)
    assert {a["state"] for a in items} == {"orphaned"} and {a["exact"] for a in items} == {"do not"}
    for output in (
        listed.stdout,
        run(*base, "export").stdout,
        run(*base, "export", "--format", "markdown").stdout,
    ):
        assert SECRET not in output and "again" not in output


def test_lists_and_exports_carry_the_catalog_title_and_date(corpus: Path, tmp_path: Path) -> None:
    data = [
        {
            "id": "urn:uuid:0f5b1c1e-0000-4000-8000-000000000009",
            "type": "Annotation",
            "target": {
                "source": SEED,
                "selector": {"type": "TextQuoteSelector", "exact": "OSCE Minsk group"},
            },
        },
        {
            "id": "urn:uuid:0f5b1c1e-0000-4000-8000-000000000010",
            "type": "Annotation",
            "motivation": "bookmarking",
            "target": {
                "source": "markets/fire.md",
                "selector": {"type": "TextPositionSelector", "start": 0, "end": 0},
            },
        },
    ]
    src = tmp_path / "in.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    base = ("--corpus", corpus, "--data-dir", tmp_path / "d", "annotations")
    assert run(*base, "import", src).returncode == 0
    listed = {a["path"]: a for a in json.loads(run(*base, "list", "--json").stdout)}
    seed_title = (corpus / SEED).read_text("utf-8").splitlines()[0]
    assert (listed[SEED]["title"], listed[SEED]["date"]) == (seed_title, "2020-07-30")
    assert (listed["markets/fire.md"]["title"], listed["markets/fire.md"]["date"]) == (
        "Warehouse fire in the harbour",
        "2019-01-05",
    )
    markdown = run(*base, "export", "--format", "markdown").stdout
    assert f"## {seed_title}" in markdown and "## Warehouse fire in the harbour" in markdown
    w3c = json.loads(run(*base, "export").stdout)
    extras = {i["target"]["source"]: i["corpusReader"] for i in w3c["first"]["items"]}
    assert extras["markets/fire.md"] == {
        "state": "anchored",
        "title": "Warehouse fire in the harbour",
        "date": "2019-01-05",
    }
    # A retitled article: the list follows the file.
    write_article(corpus, "markets/fire.md", "Harbour blaze", "2019-01-06", "A fire destroyed a warehouse.")
    relisted = {a["path"]: a for a in json.loads(run(*base, "list", "--json").stdout)}
    assert (relisted["markets/fire.md"]["title"], relisted["markets/fire.md"]["date"]) == (
        "Harbour blaze",
        "2019-01-06",
    )
