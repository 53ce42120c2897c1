"""Helpers shared by every test tier (no Qt here): the seed article, writing articles, running
the real program. Fixtures live in the conftest files; harnesses for the window in
``tests/gui/harness.py``. Test modules import from here, never from one another."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: The bundled article every test corpus starts from, and its article id.
SEED_FILE = REPO / "corpus" / "000_a48a5c26eb42239f.txt"
SEED = SEED_FILE.name


def write_article(folder: Path, name: str, title: str, date: str, *paragraphs: str) -> Path:
    """Write an article file in the corpus format (title, date, paragraphs) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(textwrap.dedent(p).strip() for p in paragraphs)
    path.write_text(f"{title}\n\n{date}\n\n{body}\n", encoding="utf-8")
    return path


def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run ``python -m reader ARGS`` as a subprocess, capturing its output."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "reader", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
