"""The real program as a subprocess, launched the way a desktop launches it: install-desktop and
the Exec line it writes, one window per data folder, and start-up errors without a display."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = "000_a48a5c26eb42239f.txt"
STARTED = "Listening for later launches"


@pytest.fixture(autouse=True)
def _private_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The window's local server makes its socket in $TMPDIR; a process stopped by a signal leaves
    # it behind, so keep it in the test's folder rather than /tmp.
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    env.update(extra)
    return env


def run(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *map(str, args)],
        cwd=REPO,
        env=env or environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def exec_line(entry: Path) -> str:
    """The Exec= command as a shell command line, without its %F. The Exec quoting (double quotes,
    with \\" \\` \\$ \\\\ escaped) is the shell's, once the key's own escaping (\\\\) is undone."""
    line = next(x for x in entry.read_text(encoding="utf-8").splitlines() if x.startswith("Exec="))
    value = line.removeprefix("Exec=").replace("\\\\", "\\")
    assert value.endswith(" %F")
    return value.removesuffix(" %F").replace("%%", "%")


# --- install-desktop ------------------------------------------------------------------------


def test_install_desktop_writes_an_entry_whose_exec_runs(tmp_path: Path) -> None:
    share = tmp_path / "share"
    env = environment(XDG_DATA_HOME=str(share))
    done = run("install-desktop", env=env)
    assert done.returncode == 0, done.stderr
    entry = share / "applications" / "corpus-reader.desktop"
    assert f"Installed the menu entry {entry}" in done.stdout
    assert (share / "icons/hicolor/256x256/apps/corpus-reader.png").is_file()
    assert (share / "icons/hicolor/scalable/apps/corpus-reader.svg").is_file()
    assert (share / "metainfo/io.github.corpusreader.CorpusReader.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout

    # Run the Exec line from elsewhere, as a launcher does (%F replaced by an option here).
    command = exec_line(entry)
    assert command.startswith("/")
    version = subprocess.run(
        ["sh", "-c", command + " --version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("corpus-reader 0.")

    again = run("install-desktop", env=env)
    assert again.returncode == 0 and [
        x for x in entry.read_text("utf-8").splitlines() if x.startswith("Exec=")
    ] == [f"Exec={command} %F"]

    gone = run("uninstall-desktop", env=env)
    assert gone.returncode == 0 and "Removed the menu entry" in gone.stdout
    assert not entry.exists() and not (share / "icons/hicolor/48x48/apps/corpus-reader.png").exists()
    nothing = run("uninstall-desktop", env=env)
    assert nothing.returncode == 0 and "Nothing to remove" in nothing.stdout


# --- one window per data folder --------------------------------------------------------------


class Window:
    """The first launch: a window offscreen, observed through its log file."""

    def __init__(self, corpus: Path, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.log = data_dir / "corpus-reader.log"
        self._earlier_starts = self.log_text().count(STARTED)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reader", "--corpus", str(corpus), "--data-dir", str(data_dir)],
            cwd=REPO,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def log_text(self) -> str:
        return self.log.read_text("utf-8") if self.log.exists() else ""

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.log_text().count(text) < count:
            assert self.proc.poll() is None, self.proc.communicate()
            assert time.monotonic() < deadline, f"{text!r} not in the log:\n{self.log_text()}"
            time.sleep(0.05)

    def wait_started(self) -> None:
        """Until this process is the window that later launches talk to."""
        self.wait_for_log(STARTED, self._earlier_starts + 1)

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        _, err = self.proc.communicate(timeout=30)
        return err


def test_a_second_launch_hands_its_files_to_the_first_window_and_exits(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    window = Window(corpus, data)
    outside = tmp_path / "elsewhere" / "letter.txt"
    outside.parent.mkdir()
    outside.write_text("A letter from elsewhere\n\nIt is not in the corpus.\n", encoding="utf-8")
    try:
        window.wait_started()
        second = run("--data-dir", data, outside, timeout=30)
        assert second.returncode == 0, second.stderr
        assert second.stdout == "" and second.stderr == ""
        window.wait_for_log(f"Opened file {outside} (outside the corpus)")

        inside = run("--data-dir", data, corpus / "markets" / "fire.md", timeout=30)
        assert inside.returncode == 0, inside.stderr
        window.wait_for_log(
            f"Opened file {corpus / 'markets' / 'fire.md'} (article markets/fire.md of {corpus})"
        )
        assert window.proc.poll() is None  # the first window is still the one running
    finally:
        err = window.stop()
    assert "Traceback" not in err


def test_another_data_folder_gets_its_own_window(corpus: Path, tmp_path: Path) -> None:
    window = Window(corpus, tmp_path / "d1")
    try:
        window.wait_started()
        other = Window(corpus, tmp_path / "d2")
        try:
            other.wait_started()  # not handed off: a window of its own
            assert window.proc.poll() is None and other.proc.poll() is None
        finally:
            other.stop()
    finally:
        window.stop()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_after_a_crash_the_next_launch_opens_a_window_again(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    crashed = Window(corpus, data)
    article = corpus / SEED
    try:
        crashed.wait_started()
        assert run("--data-dir", data, article, timeout=30).returncode == 0
        crashed.wait_for_log("Opened file")
    finally:
        crashed.proc.kill()  # leaves the lock file and the server's socket behind
        crashed.proc.communicate(timeout=30)
    assert (data / "instance.lock").exists()

    window = Window(corpus, data)
    try:
        window.wait_started()
        handed = run("--data-dir", data, article, timeout=30)
        assert handed.returncode == 0, handed.stderr
        window.wait_for_log(f"Opened file {article}", count=2)
    finally:
        err = window.stop()
    assert "Traceback" not in err


# --- start-up errors -------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux")
def test_no_display_is_a_clear_message_on_stderr_and_in_the_log(tmp_path: Path) -> None:
    env = environment()
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    env["PATH"] = "/nonexistent"  # no notify-send: nothing to reach outside the test
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(tmp_path / "d")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "needs a graphical desktop" in done.stderr and "Traceback" not in done.stderr
    assert "could not connect to display" not in done.stderr  # Qt's own abort text
    assert "needs a graphical desktop" in (tmp_path / "d" / "corpus-reader.log").read_text("utf-8")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_or_ctrl_c_closes_the_window_as_its_close_button_does(
    corpus: Path, tmp_path: Path, number: int
) -> None:
    """A logout or `kill` (SIGTERM) and Ctrl+C (SIGINT): the window saves its state, exit code 0."""
    data = tmp_path / "d"
    window = Window(corpus, data)
    try:
        window.wait_started()
        window.proc.send_signal(number)
        _, err = window.proc.communicate(timeout=30)
    finally:
        window.stop()
    assert window.proc.returncode == 0, err
    assert "Traceback" not in err
    assert f"Closing on {signal.Signals(number).name}" in window.log_text()
    assert "geometry" in (data / "settings.ini").read_text("utf-8")
