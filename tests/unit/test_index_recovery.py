"""A damaged index is rebuilt, a killed writer leaves nothing that blocks or duplicates, a
read-only or full index folder still answers searches and says why it cannot be updated."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import reader.cli as cli
from reader.core.index import CorpusIndex, IndexError_, open_index, segment_files
from reader.core.locations import Locations
from reader.core.search import SearchService
from tests.helpers import write_article

REPO = Path(__file__).resolve().parents[2]
ALL = ["000_a48a5c26eb42239f.txt", "markets/fire.md", "markets/wire.txt", "scattered.txt", "undated.txt"]


def built(corpus: Path, ix_dir: Path) -> None:
    index = open_index(corpus, ix_dir)
    index.sync()
    index.close()


def search(corpus: Path, ix_dir: Path, query: str = "the OR a OR of") -> list[str]:
    """The paths found (with duplicates, if the index had any) after opening and syncing."""
    index = open_index(corpus, ix_dir)
    index.sync()
    service = SearchService(index)
    try:
        return sorted(h.path for h in service.search(query, limit=100, snippets=False).hits)
    finally:
        service.close()
        index.close()


def segments(ix_dir: Path) -> list[Path]:
    found = segment_files(ix_dir / "whoosh")
    assert found, "no segment files: the test would prove nothing"
    return found


def test_truncated_segment_files_are_rebuilt_at_open(corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    built(corpus, ix_dir)
    for seg in segments(ix_dir):
        os.truncate(seg, seg.stat().st_size // 2)
    index = open_index(corpus, ix_dir)
    assert index.rebuilt
    assert index.sync().added == 5
    index.close()
    assert search(corpus, ix_dir) == ALL


def test_a_toc_naming_missing_segments_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    built(corpus, ix_dir)
    for seg in segments(ix_dir):
        seg.unlink()
    index = open_index(corpus, ix_dir)
    assert index.rebuilt
    index.close()
    assert search(corpus, ix_dir) == ALL


def test_a_segment_cut_short_while_open_is_seen_before_any_search_touches_it(
    corpus: Path, tmp_path: Path
) -> None:
    # Reading a truncated file through its memory map kills the process (SIGBUS): the window
    # and the CLI check `damaged()` before searching with an open searcher.
    ix_dir = tmp_path / "ix"
    index = open_index(corpus, ix_dir)
    index.sync()
    assert not index.damaged(thorough=True)
    for seg in segments(ix_dir):
        os.truncate(seg, seg.stat().st_size // 2)
    assert index.damaged()
    index.rebuild()
    assert not index.damaged(thorough=True)
    report = index.sync()
    assert report.rebuilt and report.added == 5
    assert not index.sync().rebuilt  # said once
    index.close()


def test_cli_search_rebuilds_an_index_damaged_after_it_was_opened(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locations = Locations.resolve(tmp_path / "data")
    real_sync_index = cli.sync_index

    def sync_then_damage(*args: object, **kwargs: object) -> tuple[CorpusIndex, object]:
        index, report = real_sync_index(*args, **kwargs)  # type: ignore[arg-type]
        for seg in segments(index.dir):
            os.truncate(seg, seg.stat().st_size // 2)
        return index, report

    monkeypatch.setattr(cli, "sync_index", sync_then_damage)
    assert cli.run_search(corpus, locations, "harbour", 10, "relevance", "text") == 0
    out, err = capsys.readouterr()
    assert "The index was damaged: rebuilding it." in err
    assert "2 results for 'harbour'" in out


# A writer killed at the worst moments: after its segment files are written, just before (and
# just after) the table of contents that makes them part of the index.
_KILLER = """
import os, signal, sys
from pathlib import Path
from whoosh.filedb.filestore import FileStorage
from reader.core.index import open_index

when = sys.argv[3]
real_rename = FileStorage.rename_file

def rename_file(self, old, new, safe=False):
    if when == "before-toc" and new.endswith(".toc"):
        os.kill(os.getpid(), signal.SIGKILL)
    real_rename(self, old, new, safe)
    if when == "after-toc" and new.endswith(".toc"):
        os.kill(os.getpid(), signal.SIGKILL)

FileStorage.rename_file = rename_file
open_index(Path(sys.argv[1]), Path(sys.argv[2])).sync()
"""


@pytest.mark.parametrize("when", ["before-toc", "after-toc"])
def test_a_writer_killed_mid_commit_leaves_an_index_that_syncs_completely(
    corpus: Path, tmp_path: Path, when: str
) -> None:
    ix_dir = tmp_path / "ix"
    built(corpus, ix_dir)
    write_article(corpus, "late.txt", "Late article", "2022-02-02", "Written after the first sync.")
    (corpus / "undated.txt").unlink()
    killed = subprocess.run(
        [sys.executable, "-c", _KILLER, str(corpus), str(ix_dir), when],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # Its lock files stay behind; they are OS locks that died with it, so nothing waits.
    assert (ix_dir / "write.lock").exists()
    expected = sorted([p for p in ALL if p != "undated.txt"] + ["late.txt"])
    assert search(corpus, ix_dir) == expected  # once each: no duplicates, nothing missing
    assert search(corpus, ix_dir, "late") == ["late.txt"]


def test_a_cancelled_wait_for_another_writer_is_a_cancelled_sync(corpus: Path, tmp_path: Path) -> None:
    import threading

    ix_dir = tmp_path / "ix"
    built(corpus, ix_dir)
    holder = open_index(corpus, ix_dir)
    waiter = open_index(corpus, ix_dir)
    cancel = threading.Event()
    waited: list[bool] = []
    waiter.on_wait = lambda: (waited.append(True), cancel.set())
    with holder._writing():
        report = waiter.sync(cancel=cancel)
    assert waited == [True] and report.cancelled
    holder.close()
    waiter.close()


# --- a read-only or full index folder ----------------------------------------------------------
# As root, file modes stop nothing, so the tests mount the real thing: a read-only bind mount, a
# tiny tmpfs. They need root with mount permission (else a non-root user gets chmod, or a skip).


@contextlib.contextmanager
def mounted(args: list[str], target: Path) -> Iterator[None]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount")
    done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(p.stat().st_mode & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    with mounted(["--bind", "-o", "ro", str(folder)], folder):
        yield


def test_a_read_only_index_still_searches_and_says_why_it_cannot_update(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locations = Locations.resolve(tmp_path / "data")
    assert cli.run_index(corpus, locations, as_json=True) == 0
    ix_dir = locations.index_dir(corpus)
    write_article(corpus, "new.txt", "Harbour news", "2023-01-01", "The harbour reopened.")
    capsys.readouterr()
    with read_only(ix_dir):
        index = open_index(corpus, ix_dir)
        assert index.read_only is not None
        with pytest.raises(IndexError_, match="cannot update the index"):
            index.sync()
        assert sorted(r.path for r in index.catalog().articles()) == ALL
        index.close()
        assert cli.run_search(corpus, locations, "harbour", 10, "relevance", "text") == 0
        out, err = capsys.readouterr()
        assert "2 results for 'harbour'" in out  # what was indexed; new.txt is not
        assert "cannot update the index" in err and "searching the index as it is" in err
        with pytest.raises(IndexError_, match="cannot update the index"):
            cli.run_index(corpus, locations, as_json=True)
    assert search(corpus, ix_dir, "harbour") == ["markets/fire.md", "new.txt", "undated.txt"]


def test_a_full_disk_stops_the_sync_with_a_reason_and_keeps_what_was_indexed(
    corpus: Path, tmp_path: Path
) -> None:
    ix_dir = tmp_path / "ix"
    ix_dir.mkdir()
    with mounted(["-t", "tmpfs", "-o", "size=600k", "tmpfs"], ix_dir):
        built(corpus, ix_dir)
        for i in range(150):
            words = " ".join(f"word{i}x{j}" for j in range(400))
            write_article(corpus, f"bulk/{i:03}.txt", f"Bulk {i}", "2021-01-01", words)
        index = open_index(corpus, ix_dir)
        with pytest.raises(IndexError_, match="is full"):
            index.sync()
        index.close()
        index = open_index(corpus, ix_dir)
        assert not index.rebuilt
        service = SearchService(index)
        assert sorted(h.path for h in service.search("harbour", snippets=False).hits) == [
            "markets/fire.md",
            "undated.txt",
        ]
        service.close()
        index.close()
