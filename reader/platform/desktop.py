"""Put Corpus Reader into the desktop's application menu (freedesktop.org), or take it out.

``corpus-reader install-desktop`` writes the desktop entry, the icons and the AppStream metadata
into the user's XDG data folder, with the absolute path of this installation's launcher in
``Exec=``, so the menu entry keeps working whatever ``PATH`` the desktop session has. No Qt here:
it runs on a headless machine and from a terminal.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from pathlib import Path

from reader.resources import resource

DESKTOP_ID = "corpus-reader"
APPSTREAM_ID = "io.github.corpusreader.CorpusReader"
LAUNCHER = "corpus-reader"

# Characters that force an Exec= argument into double quotes (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset, empty or relative (as the spec says)."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command that starts this installation of the app, absolute paths only.

    In the standalone build (PyInstaller sets ``sys.frozen``) that is the bundle's own program.
    Otherwise the launcher script pip wrote for the Python running now (next to
    ``sys.executable`` in a venv, or in the user or system scripts folder); a ``corpus-reader``
    found on PATH could belong to another installation. Without a launcher: ``python -m reader``.
    """
    if getattr(sys, "frozen", False):
        return [os.path.abspath(sys.executable)]
    name = LAUNCHER + (".exe" if sys.platform == "win32" else "")
    folders = [Path(sys.executable).parent]
    for scheme in (None, f"{os.name}_user"):
        try:
            scripts = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        if scripts:
            folders.append(Path(scripts))
    for folder in folders:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "reader"]


def quote_exec_argument(argument: str) -> str:
    """Quote one argument for an Exec= line (the spec's quoting, then its string escaping)."""
    if "%" in argument:
        argument = argument.replace("%", "%%")
    if argument and not _RESERVED.intersection(argument):
        return argument
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    # The value of a desktop entry key is itself escaped: a backslash is written twice.
    return '"' + quoted.replace("\\", "\\\\") + '"'


def desktop_entry(command: Sequence[str]) -> str:
    """The bundled desktop entry with ``Exec=`` (and ``TryExec=``) pointing at ``command``."""
    template = resource(f"{DESKTOP_ID}.desktop").read_text(encoding="utf-8")
    exec_line = "Exec=" + " ".join(quote_exec_argument(a) for a in command) + " %F"
    lines: list[str] = []
    for line in template.splitlines():
        if line.startswith("TryExec="):
            continue
        if line.startswith("Exec="):
            # TryExec hides the menu entry once this installation is gone (a deleted venv).
            lines.append("TryExec=" + command[0].replace("\\", "\\\\"))
            lines.append(exec_line)
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _targets(home: Path) -> list[tuple[Path, Path]]:
    """(bundled file, installed path) pairs, apart from the desktop entry."""
    pairs = []
    hicolor = resource("icons/hicolor")
    for icon in sorted(hicolor.glob(f"*/apps/{DESKTOP_ID}.*")):
        pairs.append((icon, home / "icons" / "hicolor" / icon.relative_to(hicolor)))
    metainfo = resource(f"{DESKTOP_ID}.metainfo.xml")
    pairs.append((metainfo, home / "metainfo" / f"{APPSTREAM_ID}.metainfo.xml"))
    return pairs


def entry_path(home: Path) -> Path:
    return home / "applications" / f"{DESKTOP_ID}.desktop"


def install(home: Path | None = None, command: Sequence[str] | None = None) -> list[Path]:
    """Write the desktop entry, icons and metainfo under ``home``; return the files written.

    Idempotent: running it again rewrites the same files (each atomically) with the current
    launcher, e.g. after the app was reinstalled elsewhere.
    """
    home = data_home() if home is None else home
    command = launcher_command() if command is None else list(command)
    written = []
    for source, target in _targets(home):
        _write_atomically(target, source.read_bytes())
        written.append(target)
    entry = entry_path(home)
    _write_atomically(entry, desktop_entry(command).encode("utf-8"))
    written.append(entry)
    _refresh_caches(home)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what ``install`` wrote; return the files removed (none when it was not installed)."""
    home = data_home() if home is None else home
    removed = []
    for target in [entry_path(home), *(target for _source, target in _targets(home))]:
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        removed.append(target)
    if removed:
        _refresh_caches(home)
    return removed


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _refresh_caches(home: Path) -> None:
    """Tell the desktop about the change where its tools exist; a failure here is harmless
    (menus rescan the folders anyway), so it is ignored."""
    for tool, argument in (
        ("update-desktop-database", home / "applications"),
        ("gtk-update-icon-cache", home / "icons" / "hicolor"),
    ):
        program = shutil.which(tool)
        if program is None or not argument.is_dir():
            continue
        extra = ["-f", "-t", "-q"] if tool == "gtk-update-icon-cache" else ["-q"]
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [program, *extra, str(argument)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=30,
                check=False,
            )


def run_install(home: Path | None = None) -> int:
    """``corpus-reader install-desktop``: install and say what was written."""
    if not _has_freedesktop():
        return 1
    home = data_home() if home is None else home
    written = install(home)
    entry = entry_path(home)
    print(f"Installed the menu entry {entry}")
    print(f"  and {len(written) - 1} icon and metadata files under {home}")
    print(f"It runs: {' '.join(launcher_command())}")
    return 0


def run_uninstall(home: Path | None = None) -> int:
    """``corpus-reader uninstall-desktop``: remove and say what was removed."""
    if not _has_freedesktop():
        return 1
    home = data_home() if home is None else home
    removed = uninstall(home)
    if removed:
        print(f"Removed the menu entry and {len(removed) - 1} icon and metadata files from {home}")
    else:
        print(f"Nothing to remove: no menu entry in {home / 'applications'}")
    return 0


def _has_freedesktop() -> bool:
    if sys.platform in ("win32", "darwin"):
        print(
            "corpus-reader: desktop entries are for Linux and BSD desktops; on Windows and macOS "
            "make a shortcut to the corpus-reader launcher instead (see the README)",
            file=sys.stderr,
        )
        return False
    return True
