"""The window's start as a fresh process: its frame is painted before the index's modules (Whoosh,
the search, numpy) are imported; they load on the worker lanes afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: Starts the program as ``corpus-reader --corpus … --data-dir …`` does, and at the window's first
#: paint prints which of the heavy modules are loaded, then closes it.
PROBE = """
import json, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

HEAVY = ("whoosh", "numpy", "reader.core.index", "reader.core.search", "reader.core.query")
app = QApplication(["corpus-reader"])  # run_gui takes this one


class FirstPaint(QObject):
    seen = None

    def eventFilter(self, watched, event):
        if (
            self.seen is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.objectName() == "CorpusReaderMainWindow"
        ):
            self.seen = {name: name in sys.modules for name in HEAVY}
            print("FIRST-PAINT " + json.dumps(self.seen), flush=True)
            app.closeAllWindows()
            app.quit()
        return False


probe = FirstPaint()
app.installEventFilter(probe)
from reader.app import main

sys.exit(main(sys.argv[1:]))
"""


def test_the_frame_is_painted_before_the_index_modules_are_imported(corpus: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--corpus", str(corpus), "--data-dir", str(tmp_path / "data")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("FIRST-PAINT ")]
    assert done.returncode == 0 and lines, done.stderr
    loaded = json.loads(lines[0].removeprefix("FIRST-PAINT "))
    assert loaded == {name: False for name in loaded}, f"imported before the first paint: {loaded}"
