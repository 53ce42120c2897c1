"""Checks made before Qt starts, so that a user who double-clicked gets a message to act on.

When Qt cannot load its platform plugin it aborts the process (``qFatal``) inside the
QApplication constructor, with text meant for developers, on a terminal a double-click does not
have. So the usual causes are looked for first: no display at all, and on X11 the system
libraries Qt's xcb plugin needs (``libxcb-cursor0`` and friends, not part of the PySide6 wheel).
No Qt is imported here.

How the libraries are checked: ``ctypes`` loads Qt's own ``libQt6XcbQpa.so.6`` from the PySide6
installation, the library that carries every X11 dependency of the plugin. The dynamic loader
then answers exactly the question Qt will ask, with the paths Qt will use, in about a
millisecond, and a failure names the missing file. Only on a failure are the usual suspects
loaded one by one, to name every missing package at once. (A subprocess that creates a
QGuiApplication would be as exact but cost a second Python start and a display connection on
every launch; a fixed list alone would drift from what Qt links against.)
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

#: The libraries Qt's xcb plugin needs that desktops most often lack, and their Debian/Ubuntu packages.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

_MISSING = re.compile(r"([\w.+-]+\.so(?:\.[\w]+)*): cannot open shared object file")

#: Loads one shared library by file name or path; returns None, or the loader's error message.
Probe = Callable[[str], "str | None"]


def load_library(name: str) -> str | None:
    """The real probe: ``dlopen`` through ctypes."""
    try:
        ctypes.CDLL(name)
    except OSError as exc:
        return str(exc)
    return None


def xcb_platform_library() -> Path | None:
    """Qt's xcb platform library in the PySide6 installation, found without importing Qt.

    In the standalone build it is in the bundle (PyInstaller keeps the wheel's layout under
    ``sys._MEIPASS``); the system libraries it needs are not, so the check means the same there.
    """
    folders: list[str] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        folders.append(os.path.join(bundle, "PySide6"))
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        folders.extend(spec.submodule_search_locations or [])
    for folder in folders:
        candidate = Path(folder) / "Qt" / "lib" / "libQt6XcbQpa.so.6"
        if candidate.is_file():
            return candidate
    return None


def display_problem(
    environ: Mapping[str, str],
    platform: str = sys.platform,
    probe: Probe = load_library,
    xcb_library: Path | None = None,
) -> str | None:
    """Why Qt would abort instead of opening a window, in words for the user; None if it should not.

    Only judges the cases it knows: Linux and the BSDs, Qt's X11 platform chosen by default or by
    QT_QPA_PLATFORM. Anything else (Wayland, offscreen, macOS, Windows) is left to Qt.
    """
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    requested = [name.split(":")[0].strip() for name in environ.get("QT_QPA_PLATFORM", "").split(";")]
    requested = [name for name in requested if name]
    if requested and requested[0] != "xcb":
        return None
    if (
        not requested
        and environ.get("WAYLAND_DISPLAY")
        and (environ.get("XDG_SESSION_TYPE") == "wayland" or not environ.get("DISPLAY"))
    ):
        return None  # Qt picks its Wayland plugin here; its X11 libraries do not matter
    if not environ.get("DISPLAY"):
        return (
            "Corpus Reader needs a graphical desktop to open its window, and none was found "
            "(DISPLAY is not set).\n"
            "Start it from your desktop's menu or a terminal inside the desktop session. Without a "
            "desktop, the command line still works: corpus-reader search WORDS, corpus-reader --help."
        )
    if xcb_library is None:
        xcb_library = xcb_platform_library()
    error = probe(str(xcb_library)) if xcb_library is not None else "Qt's X11 library not found"
    if error is None:
        return None
    missing = [name for name in XCB_LIBRARIES if probe(name) is not None]
    found = _MISSING.search(error)
    if found and found.group(1) not in missing:
        missing.insert(0, found.group(1))
    if not missing:
        if xcb_library is None:
            return None  # a Qt we do not know how to check (not from the PySide6 wheel): let it try
        return f"Corpus Reader cannot open its window: Qt's X11 support does not load:\n{error}"
    packages = [XCB_LIBRARIES[name] for name in missing if name in XCB_LIBRARIES]
    unknown = [name for name in missing if name not in XCB_LIBRARIES]
    lines = [
        "Corpus Reader cannot open its window: Qt's X11 support needs system libraries that are "
        f"not installed: {', '.join(missing)}.",
        "Install them, then start Corpus Reader again.",
    ]
    if packages:
        lines.append(f"On Debian or Ubuntu: sudo apt-get install {' '.join(packages)}")
    if unknown:
        lines.append(f"(Also install the package that provides {', '.join(unknown)}.)")
    lines.append("Other systems name the packages alike (Fedora: xcb-util-cursor, libxkbcommon-x11, …).")
    return "\n".join(lines)


def report(message: str, log_file: Path) -> None:
    """Say ``message`` where a user without a terminal will find it: stderr, the log file under
    the data folder, and a desktop notification when ``notify-send`` exists."""
    print(f"corpus-reader: {message}", file=sys.stderr)
    log = logging.getLogger("corpus-reader.startup")
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError:
        pass
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.propagate = False
        try:
            log.error("%s", message)
        finally:
            log.removeHandler(handler)
            handler.close()
    notify_send = shutil.which("notify-send")
    if notify_send is None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [
                notify_send,
                "--app-name=Corpus Reader",
                "--icon=corpus-reader",
                "--urgency=critical",
                "Corpus Reader cannot start",
                message,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=5,
            check=False,
        )


def check_display(log_file: Path, environ: Mapping[str, str] | None = None) -> bool:
    """True when the window can be tried; else report why not (see ``report``) and return False."""
    problem = display_problem(os.environ if environ is None else environ)
    if problem is None:
        return True
    report(problem, log_file)
    return False
