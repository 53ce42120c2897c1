"""A command-line search imports what its answer needs and no more: no process pool, no
annotations code without an annotations database, none of the modules Whoosh imports and never
calls (a fresh process's imports are most of what one ``search`` costs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO, write_article

SCRIPT = """
import contextlib, io, json, sys
from reader.app import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
total = json.loads(out.getvalue())["total"]
print(json.dumps({"code": code, "total": total, "modules": sorted(sys.modules)}))
"""

NOT_NEEDED = (
    "multiprocessing",  # the sync's process pool: not started when nothing changed
    "reader.core.index_pool",
    "reader.core.annotations",  # no annotations database in this data folder
    "reader.core.marks",
    "reader.core.stories",  # numpy
    "asyncio",  # Whoosh's cached_property package
    "urllib.request",  # whoosh.compat
    "whoosh.lang.morph_en",  # whoosh.query.terms
    "email.parser",  # maildirs' headers
    "platformdirs",  # --data-dir given
)


def search_modules(corpus: Path, data: Path) -> dict[str, object]:
    args = ["--corpus", str(corpus), "--data-dir", str(data), "search", "harbour", "--json"]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_search_over_an_unchanged_folder_imports_only_what_it_needs(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    write_article(corpus, "a.txt", "Harbour news", "1 May 2021", "The harbour reopened.")
    first = search_modules(corpus, data)  # builds the index (a sync: its pool may be imported)
    assert first["code"] == 0 and first["total"] == 1
    again = search_modules(corpus, data)
    assert again["code"] == 0 and again["total"] == 1
    modules = again["modules"]
    assert isinstance(modules, list)
    assert "whoosh.searching" in modules  # (the test sees a real search's imports)
    assert [name for name in NOT_NEEDED if name in modules] == []
