"""Every awkward file of a real archive, through a real sync: indexed and findable, or listed as a
problem with its reason; nothing stops the sync. Also files that vanish, change or cannot be
read at the moment they are read (simulated at the ``open`` call: the tests run as root, whom
file modes do not stop)."""

from __future__ import annotations

import builtins
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import reader.core.corpus as corpus_module
from reader.core.corpus import load_article
from reader.core.index import CorpusIndex, SyncReport, open_index
from reader.core.search import SearchService
from tests import hostile_corpus
from tests.hostile_corpus import EXPECTED

_real_open = builtins.open


def _patch_open(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    before: Callable[[Path], Any] = lambda _: None,
    after: Callable[[Path], Any] = lambda _: None,
) -> None:
    """Run ``before(path)`` / ``after(path)`` around the corpus code's opening of ``name``."""

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(file).name != name:
            return _real_open(file, *args, **kwargs)
        before(Path(file))
        fh = _real_open(file, *args, **kwargs)
        after(Path(file))
        return fh

    monkeypatch.setattr(corpus_module, "open", fake_open, raising=False)


def hits(index: CorpusIndex, query: str) -> list[str]:
    service = SearchService(index)
    try:
        return sorted(h.path for h in service.search(query, limit=100, snippets=False).hits)
    finally:
        service.close()


@pytest.fixture
def synced(tmp_path: Path) -> tuple[CorpusIndex, SyncReport]:
    folder = hostile_corpus.build(tmp_path / "corpus")
    index = open_index(folder, tmp_path / "ix")
    report = index.sync()
    yield index, report
    index.close()


def test_every_hostile_file_is_indexed_or_a_problem_with_its_reason(
    synced: tuple[CorpusIndex, SyncReport],
) -> None:
    index, report = synced
    problems = dict(report.problems)
    expected_problems = {p: reason for p, (kind, reason) in EXPECTED.items() if kind == "problem"}
    assert problems == expected_problems
    indexed = sorted(p for p, (kind, _) in EXPECTED.items() if kind == "indexed")
    assert sorted(report.added_paths) == indexed
    for path, (kind, word) in EXPECTED.items():
        if kind == "indexed":
            assert hits(index, word) == [path], (path, word)


def test_decoded_text_reads_as_written(synced: tuple[CorpusIndex, SyncReport]) -> None:
    index, _ = synced
    corpus = index.corpus
    assert load_article(corpus, "cp1251.txt").plain_text.endswith("Переговоры в Минске продолжаются.")
    assert load_article(corpus, "latin1.txt").blocks[0].text == "Le café à Genève était fermé."
    assert load_article(corpus, "bom-utf8.txt").title == "Straße in Zürich"  # no BOM character
    assert load_article(corpus, "bom-utf16.txt").title == "Ελληνικά νέα"
    assert load_article(corpus, "crlf.txt").lines == (
        "Windows article",
        "Carriagereturnlinefeed lines end here.",
    )
    assert load_article(corpus, "cr.txt").lines == ("Classic Mac article", "Oldmacintosh line endings.")
    assert load_article(corpus, "nul-bytes.txt").blocks[0].text == "Text that was nullified in the middle."
    markup = load_article(corpus, "markup.txt")
    assert markup.title == hostile_corpus.MARKUP_TITLE  # kept literally, entities included
    assert markup.blocks[0].text == hostile_corpus.MARKUP_BODY


def test_a_fixed_problem_file_is_indexed_and_leaves_the_list(synced: tuple[CorpusIndex, SyncReport]) -> None:
    index, _ = synced
    (index.corpus / "empty.txt").write_text("Filled later\n\nNow it has a body.\n", encoding="utf-8")
    (index.corpus / "broken-link.txt").unlink()
    report = index.sync()
    assert report.added_paths == ["empty.txt"]
    assert "empty.txt" not in dict(report.problems)
    assert "broken-link.txt" not in dict(report.problems)
    assert hits(index, "filled") == ["empty.txt"]


def test_a_file_that_vanishes_before_it_is_read_is_a_problem_until_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = hostile_corpus.build(tmp_path / "corpus")
    (folder / "vanishing.txt").write_text("Here now\n\nGone soon.\n", encoding="utf-8")
    _patch_open(monkeypatch, "vanishing.txt", before=lambda path: path.unlink())
    index = open_index(folder, tmp_path / "ix")
    report = index.sync()
    assert dict(report.problems)["vanishing.txt"] == "file vanished or is a broken link"
    assert "ok.md" in report.added_paths  # the sync went on
    monkeypatch.undo()
    assert "vanishing.txt" not in dict(index.sync().problems)
    index.close()


def test_a_file_replaced_while_it_is_read_is_reread_by_the_next_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = hostile_corpus.build(tmp_path / "corpus")
    path = folder / "changing.txt"
    path.write_text("Draft\n\nThe firstversion of the text.\n", encoding="utf-8")

    def replace(file: Path) -> None:
        # An editor's save (a new file renamed over the old one) while the old one is being read.
        monkeypatch.undo()
        new = file.with_name("changing.tmp")
        new.write_text("Final\n\nThe secondversion, longer than the first.\n", encoding="utf-8")
        os.replace(new, file)

    _patch_open(monkeypatch, "changing.txt", after=replace)
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    assert hits(index, "firstversion") == ["changing.txt"]  # what was read
    report = index.sync()
    assert report.updated_paths == ["changing.txt"]
    assert hits(index, "secondversion") == ["changing.txt"]
    assert hits(index, "firstversion") == []
    index.close()


def test_an_unreadable_file_is_a_problem_and_the_sync_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = hostile_corpus.build(tmp_path / "corpus")
    (folder / "secret.txt").write_text("Secret\n\nNobody may read this.\n", encoding="utf-8")

    def deny(file: Path) -> None:
        raise PermissionError(13, "Permission denied", str(file))

    _patch_open(monkeypatch, "secret.txt", before=deny)
    index = open_index(folder, tmp_path / "ix")
    report = index.sync()
    assert dict(report.problems)["secret.txt"] == "permission denied"
    assert hits(index, "ordinaryarticle") == ["ok.md"]
    index.close()
