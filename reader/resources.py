"""Find the files that ship with the app: icons, the desktop entry, the bundled corpus.

In a source checkout they sit at the top of the repository (``resources/``, ``corpus/``); an
installed wheel carries them inside the package (``reader/_resources``, ``reader/_corpus``), and
so does the standalone build (resources/packaging/build.py), under the folder PyInstaller
unpacks into (``sys._MEIPASS``: ``corpus-reader/_internal/reader/_resources``). The bundle's
folder may be read-only: nothing here writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _frozen_package() -> list[Path]:
    """Where a frozen build keeps the package's data, when this is one."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return [Path(bundle) / "reader"]
    return []


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resources_dir() -> Path:
    packages = [*_frozen_package(), _PACKAGE]
    return _first_existing(*(p / "_resources" for p in packages), _PACKAGE.parent / "resources")


def resource(relative: str) -> Path:
    """The path of one bundled resource, e.g. ``resource("icons/corpus-reader.svg")``."""
    return resources_dir() / relative


def bundled_corpus() -> Path:
    """The default corpus that ships with the app."""
    packages = [*_frozen_package(), _PACKAGE]
    return _first_existing(*(p / "_corpus" for p in packages), _PACKAGE.parent / "corpus")


def corpus_title(corpus: Path) -> str:
    """How a corpus folder is named in the window's title: its folder's name; the bundled one's
    folder has an internal name (``_corpus`` inside an installed wheel), so it is named for what
    it is."""
    try:
        bundled = corpus.resolve() == bundled_corpus().resolve()
    except OSError:
        bundled = False
    return "Bundled articles" if bundled else (corpus.name or str(corpus))
