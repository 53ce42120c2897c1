"""The command line reads the window's settings file without Qt: it must read what QSettings wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reader.core.settings_file import LAST_CORPUS_KEY, last_corpus, read_setting

TRICKY = [
    "/tmp/plain",
    "/tmp/with space/x",
    "/tmp/a, b; c=d",
    "/tmp/ünï cödé/日本",
    '/tmp/q"uote\\back',
    " /leading and trailing ",
    "/tmp/tab\there",
    "@home/x",
    "/tmp/x12ab\x01f",
    "C:\\Users\\Zoë\\news",
]


@pytest.mark.parametrize("value", TRICKY)
def test_reads_the_value_qsettings_wrote(value: str, tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("window/geometry", b"\x01\x02=,")
    settings.setValue("search/history", ["one", "two, three"])
    settings.setValue(LAST_CORPUS_KEY, value)
    settings.setValue("corpus/lastish", "not this one")
    settings.sync()
    del settings
    assert read_setting(path, LAST_CORPUS_KEY) == value
    assert read_setting(path, "search/history") is None  # a list, not a string
    assert read_setting(path, "corpus/missing") is None


def test_last_corpus_only_names_a_folder_that_exists(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    assert last_corpus(path) is None  # no file
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue(LAST_CORPUS_KEY, str(tmp_path / "gone"))
    settings.sync()
    assert last_corpus(path) is None
    (tmp_path / "news, 2020").mkdir()
    settings.setValue(LAST_CORPUS_KEY, str(tmp_path / "news, 2020"))
    settings.sync()
    assert last_corpus(path) == tmp_path / "news, 2020"
