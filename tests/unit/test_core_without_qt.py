"""The core never imports Qt: every reader.core module imports with PySide6 made unimportable."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import reader.core

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import importlib, sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
            raise ImportError("Qt is blocked in this test")
sys.meta_path.insert(0, BlockQt())
for name in sys.argv[1:]:
    importlib.import_module(name)
import reader.cli
print("ok", len(sys.argv) - 1)
"""


def test_core_and_cli_import_without_qt() -> None:
    modules = [f"reader.core.{m.name}" for m in pkgutil.iter_modules(reader.core.__path__)]
    assert "reader.core.index" in modules and "reader.core.search" in modules
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *modules], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ok {len(modules)}"
