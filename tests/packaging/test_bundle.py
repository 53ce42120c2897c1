"""The standalone build, built and then run in a clean environment (resources/packaging/).

Slow (a few minutes: a build venv, PyInstaller, then the checks), so `.ci/run` skips it. Run it
with `python -m pytest -m slow` or `CORPUS_READER_SLOW=1 python -m pytest tests/packaging`. With
CORPUS_READER_BUNDLE=PATH/corpus-reader-VERSION-linux-x86_64.tar.gz it checks that archive
instead of building one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import reader

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "resources" / "packaging"
sys.path.insert(0, str(PACKAGING))

import bundle_checks  # noqa: E402

# Read at collection, before the autouse fixture moves HOME: pip's download cache, so that each
# run does not fetch Qt again (nothing else of the real profile is used).
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the checks run the Linux bundle"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prebuilt = os.environ.get("CORPUS_READER_BUNDLE")
    if prebuilt:
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("build")
    env = dict(os.environ, PIP_CACHE_DIR=PIP_CACHE)
    done = subprocess.run(
        [sys.executable, str(PACKAGING / "build.py"), "--out", str(out), "--no-check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = out.glob("corpus-reader-*-linux-*.tar.gz")
    return built


def test_the_download_passes_every_clean_environment_check(archive: Path, tmp_path: Path) -> None:
    assert archive.name.startswith(f"corpus-reader-{reader.__version__}-linux-") and archive.name.endswith(
        ".tar.gz"
    )
    lines: list[str] = []
    failed = bundle_checks.run_checks(archive, reader.__version__, tmp_path / "checks", report=lines.append)
    print("\n".join(lines))
    assert not failed, "\n".join(lines)
    assert len(lines) == len(bundle_checks.CHECKS) + 1  # and the read-only snapshot
