"""The command line in a pipeline: output cut short by the reader (``| head``) and the default corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run

REPO = Path(__file__).resolve().parents[2]


def closed_pipe(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the program with its stdout a pipe whose reader has already gone, as ``| head`` leaves it."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "reader", *map(str, args)],
            cwd=REPO,
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("search", "--help"),
        ("index", "--json"),
        ("search", "Minsk group"),
        ("concordance", "group", "--json"),
        ("annotations", "list", "--json"),
    ],
)
def test_a_closed_pipe_ends_the_command_quietly(args: tuple[str, ...], corpus: Path, tmp_path: Path) -> None:
    done = closed_pipe("--corpus", corpus, "--data-dir", tmp_path / "d", *args)
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr
    assert done.returncode == 0


def test_head_of_help_is_quiet(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        f"{sys.executable} -m reader --help | head -c 1",
        shell=True,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stderr == ""


def window_opened(data_dir: Path, corpus: Path) -> None:
    """Leave the settings file as the window leaves it after opening ``corpus``."""
    from PySide6.QtCore import QSettings

    from reader.core.settings_file import LAST_CORPUS_KEY

    data_dir.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(LAST_CORPUS_KEY, str(corpus))
    settings.sync()


def test_commands_default_to_the_folder_the_window_opened_last(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    window_opened(data, corpus)
    done = run("--data-dir", data, "search", "Minsk group", "--json")
    assert done.returncode == 0, done.stderr
    assert '"total": 2' in done.stdout
    assert f"corpus {corpus.resolve()} (the folder the window opened last" in done.stderr
    # Given --corpus, nothing is said.
    given = run("--data-dir", data, "--corpus", corpus, "index", "--json")
    assert given.returncode == 0 and given.stderr == ""


def test_without_a_window_setting_the_bundled_corpus_is_named(tmp_path: Path) -> None:
    done = run("--data-dir", tmp_path / "d", "annotations", "export")
    assert done.returncode == 0, done.stderr
    assert "(the bundled articles; --corpus DIR for another)" in done.stderr
    # A folder that no longer exists is not used.
    window_opened(tmp_path / "d2", tmp_path / "gone")
    gone = run("--data-dir", tmp_path / "d2", "annotations", "list")
    assert gone.returncode == 0 and "the bundled articles" in gone.stderr
