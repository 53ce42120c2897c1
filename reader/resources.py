"""Find the files that ship with the app: icons, the desktop entry, the bundled corpus.

In a source checkout they sit at the top of the repository (``resources/``, ``corpus/``); an
installed wheel carries them inside the package (``reader/_resources``, ``reader/_corpus``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resources_dir() -> Path:
    return _first_existing(_PACKAGE / "_resources", _PACKAGE.parent / "resources")


def resource(relative: str) -> Path:
    """The path of one bundled resource, e.g. ``resource("icons/corpus-reader.svg")``."""
    return resources_dir() / relative


def bundled_corpus() -> Path:
    """The default corpus that ships with the app."""
    return _first_existing(_PACKAGE / "_corpus", _PACKAGE.parent / "corpus")
