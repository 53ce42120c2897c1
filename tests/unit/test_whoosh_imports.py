"""Whoosh, imported by a command-line command, loads none of asyncio, urllib.request and the English
morphology tables, and the functions it took from them still work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from reader.core import whoosh_imports
whoosh_imports.install()  # as a command does before it imports Whoosh
import reader.core.search, reader.core.index, reader.core.query  # what a search imports
skipped = ("asyncio", "urllib.request", "whoosh.lang.morph_en", "cached_property")
print(" ".join(name for name in skipped if name in sys.modules) or "none")

from whoosh import compat, query, reading
from whoosh.query import terms
assert reading.cached_property.__module__ == "functools", reading.cached_property
print("rendering" in terms.variations("rendered"))  # the real function, imported on the first call
import urllib.request, whoosh.lang.morph_en as morph
assert urllib.request.urlopen and morph.variations is not terms.variations  # the real modules
assert sys.modules["urllib.request"].__file__ and morph.__file__
print(callable(compat.urlretrieve))
"""


def test_a_search_imports_no_asyncio_urllib_or_morphology() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["none", "True", "True"]


def test_an_index_with_deleted_documents_still_reads_them_as_deleted(tmp_path: Path) -> None:
    # whoosh.reading's deleted_docs_set is the one cached_property it has: functools' here.
    from whoosh import fields, index

    ix = index.create_in(tmp_path, fields.Schema(id=fields.ID(stored=True, unique=True)))
    with ix.writer() as writer:
        for key in ("a", "b", "c"):
            writer.add_document(id=key)
    with ix.writer() as writer:
        writer.delete_by_term("id", "b")
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert reader.has_deletions()
        assert sorted(searcher.document(id=k)["id"] for k in ("a", "c")) == ["a", "c"]
        assert [m.id() for m in [reader.postings("id", "b")] if m.is_active()] == []
        assert len(reader.deleted_docs_set) == 1


def test_the_window_and_the_pool_workers_import_whoosh_unchanged() -> None:
    # Only a command lends stand-ins (one thread imports there); importing the core does not.
    script = (
        "import sys, reader.core.index, reader.core.search;"
        "print('asyncio' in sys.modules or 'cached_property' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
