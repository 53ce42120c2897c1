"""Launching from a desktop, without Qt: the desktop entry, install-desktop, the command line of a
launch with files, and the check that turns Qt's abort into a message a user can act on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.app import folder_as_corpus, parse_arguments
from reader.platform import desktop, startup_check
from reader.resources import resource

REPO = Path(__file__).resolve().parents[2]
SIZES = (16, 24, 32, 48, 64, 128, 256)
needs_validator = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="desktop-file-validate is not installed"
)


def validate(entry: Path) -> str:
    done = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True, timeout=30)
    return (done.stdout + done.stderr).strip() if done.returncode else ""


def exec_argv(entry_text: str) -> list[str]:
    """The Exec= line as the Desktop Entry spec reads it: unescape the string value, split on
    spaces outside double quotes (where \\" \\` \\$ \\\\ are escapes), drop the %F field code."""
    line = next(x for x in entry_text.splitlines() if x.startswith("Exec="))
    value = line.removeprefix("Exec=").replace("\\\\", "\\")
    args: list[str] = []
    current: list[str] | None = None
    quoted = False
    i = 0
    while i < len(value):
        c = value[i]
        if quoted and c == "\\" and value[i + 1 : i + 2] in ('"', "`", "$", "\\"):
            current = [*(current or []), value[i + 1]]
            i += 1
        elif c == '"':
            quoted = not quoted
            current = current or []
        elif c == " " and not quoted:
            if current is not None:
                args.append("".join(current))
            current = None
        else:
            current = [*(current or []), c]
        i += 1
    if current is not None:
        args.append("".join(current))
    return [arg.replace("%%", "%") for arg in args if arg != "%F"]


# --- the desktop entry ---------------------------------------------------------------------


@needs_validator
def test_bundled_desktop_entry_is_valid() -> None:
    assert validate(resource("corpus-reader.desktop")) == ""


@needs_validator
@pytest.mark.parametrize(
    "command",
    [
        ["/opt/corpus reader/bin/corpus-reader"],
        ["/home/ann/venv $1/bin/python3", "-m", "reader"],
        ['/tmp/a "quoted" 100% path/corpus-reader'],
    ],
)
def test_entry_with_an_awkward_launcher_path_is_valid_and_runs_that_path(
    tmp_path: Path, command: list[str]
) -> None:
    entry = tmp_path / "corpus-reader.desktop"
    text = desktop.desktop_entry(command)
    entry.write_text(text, encoding="utf-8")
    assert validate(entry) == ""
    assert exec_argv(text) == command
    assert f"TryExec={command[0]}" in text.splitlines()
    assert (
        "MimeType=text/plain;text/markdown;text/html;application/xhtml+xml;application/rss+xml;"
        "application/atom+xml;application/feed+json;message/rfc822;application/mbox;application/epub+zip;"
        in text.splitlines()
    )


def test_data_home_honours_xdg_data_home_when_absolute(tmp_path: Path) -> None:
    assert desktop.data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path
    # The spec: a relative value is invalid and ignored.
    assert desktop.data_home({"XDG_DATA_HOME": "relative"}) == Path.home() / ".local" / "share"
    assert desktop.data_home({}) == Path.home() / ".local" / "share"


def test_launcher_is_an_absolute_command_of_this_python() -> None:
    command = desktop.launcher_command()
    assert Path(command[0]).is_absolute()
    assert command[1:] in ([], ["-m", "reader"])
    if command[1:]:
        assert command[0] == str(Path(sys.executable).absolute())


# --- install-desktop / uninstall-desktop ----------------------------------------------------


def installed_files(home: Path) -> set[Path]:
    return {p.relative_to(home) for p in home.rglob("*") if p.is_file()}


def test_install_writes_entry_icons_and_metainfo_into_the_data_home(tmp_path: Path) -> None:
    home = tmp_path / "share"
    written = desktop.install(home, ["/opt/cr/bin/corpus-reader"])
    expected = {
        Path("applications/corpus-reader.desktop"),
        Path("icons/hicolor/scalable/apps/corpus-reader.svg"),
        Path("metainfo/io.github.corpusreader.CorpusReader.metainfo.xml"),
        *(Path(f"icons/hicolor/{n}x{n}/apps/corpus-reader.png") for n in SIZES),
    }
    assert {p.relative_to(home) for p in written} == expected
    # Caches the desktop tools may add (icon-theme.cache, mimeinfo.cache) are theirs, not ours.
    assert expected <= installed_files(home)
    entry = (home / "applications/corpus-reader.desktop").read_text(encoding="utf-8")
    assert "Exec=/opt/cr/bin/corpus-reader %F" in entry.splitlines()
    png = home / "icons/hicolor/48x48/apps/corpus-reader.png"
    assert png.read_bytes() == resource("icons/hicolor/48x48/apps/corpus-reader.png").read_bytes()


def test_install_is_idempotent_and_uninstall_removes_only_its_files(tmp_path: Path) -> None:
    home = tmp_path / "share"
    (home / "applications").mkdir(parents=True)
    (home / "applications" / "other.desktop").write_text("[Desktop Entry]\n", encoding="utf-8")
    first = desktop.install(home, ["/a/corpus-reader"])
    before = {p: p.read_bytes() for p in first}
    second = desktop.install(home, ["/a/corpus-reader"])
    assert second == first and {p: p.read_bytes() for p in second} == before
    assert not [p for p in home.rglob("*.tmp")]
    # Reinstalled elsewhere: the entry follows.
    desktop.install(home, ["/b/corpus-reader"])
    assert "Exec=/b/corpus-reader %F" in (home / "applications/corpus-reader.desktop").read_text("utf-8")

    removed = desktop.uninstall(home)
    assert set(removed) == set(first)
    assert not any(p.exists() for p in first)
    assert (home / "applications" / "other.desktop").exists()
    assert desktop.uninstall(home) == []


# --- the command line of a launch ----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "command", "files"),
    [
        ([], None, []),
        (["article.txt"], None, ["article.txt"]),
        (["/news/a.txt", "/news/b.md"], None, ["/news/a.txt", "/news/b.md"]),
        (["a.txt", "--corpus", "/news", "b.txt"], None, ["a.txt", "b.txt"]),
        (["--corp", "/news", "a.txt"], None, ["a.txt"]),
        (["--", "-dash.txt"], None, ["-dash.txt"]),
        (["--corpus", "/news", "index", "--json"], "index", []),
        (["search", "Minsk group", "--corpus", "/news"], "search", []),
        (["install-desktop"], "install-desktop", []),
        (["--data-dir=/d", "uninstall-desktop"], "uninstall-desktop", []),
    ],
)
def test_files_for_the_window_and_commands_do_not_get_in_each_others_way(
    argv: list[str], command: str | None, files: list[str]
) -> None:
    args = parse_arguments(argv)
    assert args.command == command
    assert args.files == [Path(f) for f in files]


def test_corpus_before_files_is_kept() -> None:
    args = parse_arguments(["--corpus", "/news", "--data-dir", "/d", "a.txt"])
    assert (args.corpus, args.data_dir, args.files) == (Path("/news"), Path("/d"), [Path("a.txt")])


def test_a_folder_given_like_a_file_opens_as_the_corpus(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    article = tmp_path / "a.txt"
    article.write_text("A\n", "utf-8")
    args = parse_arguments([str(news), str(article)])
    assert folder_as_corpus(args.corpus, args.files) == (news, [article])
    # --corpus says which folder; two folders are not guessed between.
    assert folder_as_corpus(Path("/x"), [news]) == (Path("/x"), [news])
    assert folder_as_corpus(None, [news, tmp_path]) == (None, [news, tmp_path])


def test_a_mistyped_command_is_still_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        parse_arguments(["serach", "x"])
    assert stop.value.code == 2
    assert "invalid choice: 'serach'" in capsys.readouterr().err


# --- before Qt starts: the display and the X11 libraries -----------------------------------

X11 = {"DISPLAY": ":0"}
XCB = Path("/site-packages/PySide6/Qt/lib/libQt6XcbQpa.so.6")


def probe_missing(*missing: str):  # type: ignore[no-untyped-def]
    """A stand-in for dlopen on a system that lacks ``missing``; records what was probed."""
    probed: list[str] = []

    def probe(name: str) -> str | None:
        probed.append(name)
        if name == str(XCB) and missing:
            return f"{missing[0]}: cannot open shared object file: No such file or directory"
        return f"{name}: cannot open shared object file" if name in missing else None

    probe.probed = probed  # type: ignore[attr-defined]
    return probe


def test_missing_xcb_cursor_names_the_package_to_install() -> None:
    probe = probe_missing("libxcb-cursor.so.0")
    problem = startup_check.display_problem(X11, "linux", probe, XCB)
    assert problem is not None
    assert "libxcb-cursor.so.0" in problem
    assert "sudo apt-get install libxcb-cursor0" in problem


def test_every_missing_library_is_named_at_once() -> None:
    probe = probe_missing("libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libxcb-icccm.so.4")
    problem = startup_check.display_problem(X11, "linux", probe, XCB)
    assert problem is not None
    assert "apt-get install libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4" in problem


def test_an_unknown_missing_library_is_named_as_the_loader_said() -> None:
    def probe(name: str) -> str | None:
        return "libfoo-bar.so.7: cannot open shared object file: No such file" if name == str(XCB) else None

    problem = startup_check.display_problem(X11, "linux", probe, XCB)
    assert problem is not None and "libfoo-bar.so.7" in problem and "apt-get" not in problem


def test_a_complete_system_passes_after_one_probe() -> None:
    probe = probe_missing()
    assert startup_check.display_problem(X11, "linux", probe, XCB) is None
    assert probe.probed == [str(XCB)]  # type: ignore[attr-defined]


def test_no_display_at_all_is_said_plainly() -> None:
    problem = startup_check.display_problem({}, "linux", probe_missing(), XCB)
    assert problem is not None and "needs a graphical desktop" in problem and "DISPLAY" in problem


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, "linux"),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "linux"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
        ({}, "win32"),
        ({}, "darwin"),
    ],
)
def test_platforms_the_check_does_not_know_are_left_to_qt(environ: dict[str, str], platform: str) -> None:
    assert startup_check.display_problem(environ, platform, probe_missing("libxcb-cursor.so.0"), XCB) is None


def test_explicit_xcb_is_checked() -> None:
    env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"}
    assert startup_check.display_problem(env, "linux", probe_missing("libxcb-cursor.so.0"), XCB) is not None


def test_the_real_probe_finds_this_systems_qt_loadable() -> None:
    # Wherever these tests run, Qt's own xcb library is in the PySide6 wheel and loads.
    library = startup_check.xcb_platform_library()
    if library is None or not sys.platform.startswith("linux"):
        pytest.skip("no PySide6 xcb library here")
    if startup_check.load_library(str(library)) is not None:
        pytest.skip("this machine lacks Qt's X11 libraries")
    assert startup_check.display_problem(X11, "linux") is None


def test_report_reaches_stderr_the_log_and_a_notification(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[list[str]] = []
    monkeypatch.setattr(startup_check.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(startup_check.subprocess, "run", lambda argv, **kw: sent.append(argv))
    log_file = tmp_path / "data" / "corpus-reader.log"
    startup_check.report("Corpus Reader cannot open its window: install libxcb-cursor0", log_file)
    assert "install libxcb-cursor0" in capsys.readouterr().err
    assert "ERROR Corpus Reader cannot open its window: install libxcb-cursor0" in log_file.read_text("utf-8")
    assert sent and sent[0][0] == "/usr/bin/notify-send" and sent[0][-1].endswith("install libxcb-cursor0")


def test_launch_modules_import_without_qt() -> None:
    script = (
        "import importlib, sys\n"
        "class BlockQt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked in this test')\n"
        "sys.meta_path.insert(0, BlockQt())\n"
        "import reader.platform.desktop, reader.platform.startup_check, reader.app\n"
        "print(reader.platform.startup_check.xcb_platform_library())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
