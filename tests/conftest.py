"""Test configuration shared by every tier.

The GUI tests run offscreen: the test configuration sets QT_QPA_PLATFORM itself, before any
QApplication exists, so nobody has to remember to.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import SEED_FILE, write_article

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests draw the same examples on every run, so a red CI can be run again and seen
# again; HYPOTHESIS_PROFILE=explore draws new ones (and a failure it finds is printed whole).
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Slow tests (the standalone build: minutes) run only when asked: `-m slow` or CORPUS_READER_SLOW=1.
    run_slow = (
        "slow" in (config.getoption("markexpr", "") or "") or os.environ.get("CORPUS_READER_SLOW") == "1"
    )
    skip_slow = pytest.mark.skip(reason="slow: run with -m slow or CORPUS_READER_SLOW=1")
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "gui" in parts:
            item.add_marker(pytest.mark.gui)
        if "e2e" in parts:
            item.add_marker(pytest.mark.e2e)
        if "slow" in item.keywords and not run_slow:
            item.add_marker(skip_slow)


@pytest.fixture(autouse=True)
def _user_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user path (XDG folders, HOME) at a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    # Qt puts local sockets (one window per data dir) under TMPDIR: keep them out of /tmp.
    monkeypatch.setenv("TMPDIR", str(home))
    return home


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A small corpus: the seed plus articles made to test ranking, stemming and dates."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    write_article(
        folder,
        "scattered.txt",
        "Belarus hosts regional talks",
        "12 March 2021",
        "Minsk hosted a group of envoys. " * 5,
        "The group met in Minsk; another group left Minsk. " * 5,
        "In Minsk the group said the group would return to Minsk.",
    )
    write_article(
        folder,
        "markets/wire.txt",
        "SIERRA RESOURCES <SRD> SETS DIVIDEND",
        "July 30, 2020",
        "NEW YORK - Sierra Resources said its board set a quarterly dividend of ten cts.",
    )
    write_article(
        folder,
        "markets/fire.md",
        "Warehouse fire in the harbour",
        "2019-01-05",
        "A fire destroyed a warehouse near the harbour on Saturday.",
        "Negotiations about compensation began the same week.",
    )
    write_article(
        folder,
        "undated.txt",
        "Letters to the editor",
        "",
        "Readers wrote about the weather and about the harbour festival.",
    )
    (folder / ".hidden.txt").write_text("Hidden\n\nMinsk group Minsk group\n", encoding="utf-8")
    (folder / "notes.csv").write_text("Minsk,group\n", encoding="utf-8")
    return folder
