"""Indexing: first build, incremental sync (add, change, delete), problems, rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.index import SCHEMA_VERSION, open_index, segment_files
from reader.core.search import SearchService
from tests.helpers import write_article


def paths_for(index_dir: Path, corpus: Path, query: str) -> list[str]:
    index = open_index(corpus, index_dir)
    service = SearchService(index)
    try:
        return sorted(h.path for h in service.search(query, limit=100, snippets=False).hits)
    finally:
        service.close()
        index.close()


def test_first_sync_indexes_every_article_and_skips_hidden_and_other_files(
    corpus: Path, tmp_path: Path
) -> None:
    index = open_index(corpus, tmp_path / "ix")
    report = index.sync()
    assert (report.added, report.updated, report.removed, report.unchanged) == (5, 0, 0, 0)
    assert report.problems == []
    catalog = index.catalog()
    assert sorted(r.path for r in catalog.articles()) == [
        "000_a48a5c26eb42239f.txt",
        "markets/fire.md",
        "markets/wire.txt",
        "scattered.txt",
        "undated.txt",
    ]
    catalog.close()
    index.close()


def test_nothing_is_written_into_the_corpus_folder(corpus: Path, tmp_path: Path) -> None:
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    index = open_index(corpus, tmp_path / "ix")
    index.sync()
    index.close()
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before


def test_unchanged_corpus_reads_no_file(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = open_index(corpus, tmp_path / "ix")
    index.sync()
    import reader.core.index as index_module

    def fail(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(index_module, "read_bytes", fail)
    report = index.sync()
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)
    index.close()


def test_sync_picks_up_added_changed_and_deleted_files(corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    index = open_index(corpus, ix_dir)
    index.sync()
    index.close()
    write_article(corpus, "new/volcano.txt", "Volcano erupts", "1 May 2022", "Lava reached the village.")
    write_article(corpus, "markets/fire.md", "Warehouse flood", "2019-01-05", "Water, not fire: a flood.")
    (corpus / "undated.txt").unlink()

    index = open_index(corpus, ix_dir)
    report = index.sync()
    index.close()
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 3)
    assert paths_for(ix_dir, corpus, "lava") == ["new/volcano.txt"]
    assert paths_for(ix_dir, corpus, "warehouse") == ["markets/fire.md"]
    assert paths_for(ix_dir, corpus, "destroyed") == []
    assert paths_for(ix_dir, corpus, "festival") == []


def test_touched_but_identical_file_is_not_reindexed(corpus: Path, tmp_path: Path) -> None:
    index = open_index(corpus, tmp_path / "ix")
    index.sync()
    path = corpus / "scattered.txt"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    report = index.sync()
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
    # And the new mtime is remembered: the next sync does not hash it again.
    assert index.catalog().file_states()["scattered.txt"].mtime_ns == stat.st_mtime_ns + 5_000_000_000
    index.close()


def test_unreadable_files_are_problems_and_never_stop_the_sync(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 40)
    index = open_index(corpus, tmp_path / "ix")
    report = index.sync()
    assert report.added == 5
    assert dict(report.problems) == {"binary.txt": "binary data, not text", "empty.txt": "empty file"}
    # Once fixed, a problem file is indexed and no longer reported.
    write_article(corpus, "empty.txt", "Now with text", "2020-01-01", "Some words at last.")
    report = index.sync()
    assert report.added == 1
    assert dict(report.problems) == {"binary.txt": "binary data, not text"}
    index.close()


def test_legacy_encodings_are_searchable(corpus: Path, tmp_path: Path) -> None:
    (corpus / "ru.txt").write_bytes(
        "Переговоры в Минске\n\n30.07.2020\n\nМинская группа ОБСЕ.\n".encode("cp1251")
    )
    (corpus / "fr.txt").write_bytes(
        "Un café à Genève\n\n2020-07-30\n\nLe café était fermé.\n".encode("latin-1")
    )
    index = open_index(corpus, tmp_path / "ix")
    index.sync()
    index.close()
    assert paths_for(tmp_path / "ix", corpus, "ОБСЕ") == ["ru.txt"]
    assert paths_for(tmp_path / "ix", corpus, "Genève") == ["fr.txt"]


def test_schema_change_rebuilds_the_index(corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    index = open_index(corpus, ix_dir)
    index.sync()
    index.close()
    (ix_dir / "meta.json").write_text(f'{{"schema": {SCHEMA_VERSION - 1}}}', encoding="utf-8")
    index = open_index(corpus, ix_dir)
    assert index.rebuilt
    report = index.sync()
    assert report.rebuilt and report.added == 5
    index.close()


def test_damaged_index_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    index = open_index(corpus, ix_dir)
    index.sync()
    index.close()
    for segment in segment_files(ix_dir / "whoosh"):
        segment.write_bytes(b"garbage")
    for toc in (ix_dir / "whoosh").glob("*.toc"):
        toc.write_bytes(b"\x00garbage")
    index = open_index(corpus, ix_dir)
    assert index.rebuilt
    assert index.sync().added == 5
    index.close()
    assert paths_for(ix_dir, corpus, "harbour") == ["markets/fire.md", "undated.txt"]


def test_batches_commit_as_they_go(corpus: Path, tmp_path: Path) -> None:
    for i in range(30):
        write_article(corpus, f"bulk/{i:02}.txt", f"Bulk article {i}", "2021-01-01", f"Number {i} of many.")
    index = open_index(corpus, tmp_path / "ix")
    seen: list[int] = []

    def on_batch() -> None:
        with index.ix.searcher() as searcher:
            seen.append(searcher.doc_count())

    index.sync(on_batch=on_batch, batch_size=10, batch_growth=1)
    index.close()
    assert seen[:3] == [10, 20, 30]
    assert seen[-1] == 35


def test_batches_grow_so_a_first_build_makes_few_segments(corpus: Path, tmp_path: Path) -> None:
    for i in range(70):
        write_article(corpus, f"bulk/{i:02}.txt", f"Bulk article {i}", "2021-01-01", f"Number {i} of many.")
    index = open_index(corpus, tmp_path / "ix")
    seen: list[int] = []

    def on_batch() -> None:
        with index.ix.searcher() as searcher:
            seen.append(searcher.doc_count())

    index.sync(on_batch=on_batch, batch_size=5, batch_seconds=60)
    index.close()
    assert seen == [5, 15, 35, 75]  # batches of 5, 10, 20, then the rest


def test_cancelled_sync_keeps_what_was_committed(corpus: Path, tmp_path: Path) -> None:
    import threading

    cancel = threading.Event()
    index = open_index(corpus, tmp_path / "ix")

    def progress(done: int, _total: int) -> None:
        if done == 2:
            cancel.set()

    report = index.sync(progress=progress, cancel=cancel)
    assert report.cancelled and report.added == 2
    report = index.sync()
    assert report.added == 3 and report.unchanged == 2
    index.close()
