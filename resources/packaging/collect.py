"""What goes into the bundle: the rules of corpus-reader.spec that need no PyInstaller, so the
unit tests can check them (tests/unit/test_packaging.py).

Needs only the standard library and ``packaging`` (which PyInstaller, pip and pytest all bring).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

#: Qt is PyInstaller's own business: its PySide6 hooks take the Qt modules the code imports
#: with their libraries and plugins; collecting all of PySide6 would bring QML, Quick and the
#: Designer (about 200 MB more).
QT_DISTRIBUTIONS = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}

#: Resource folders that are for the repository, not the running app.
NOT_BUNDLED_RESOURCES = {"packaging", "screenshots"}

#: Where the PySide6 wheels keep Qt's plugins and translations: under Qt/ on Linux and macOS,
#: at the top of the package on Windows.
_QT_FOLDERS = ("PySide6/Qt/", "PySide6/")
#: Platform plugins kept: X11, Wayland and offscreen on Linux; the native ones elsewhere.
_KEEP_PLATFORMS = re.compile(
    r"(lib(qxcb|qoffscreen|qwayland[\w-]*)\.so|q(windows|offscreen|direct2d)\.dll|libq(cocoa|offscreen)\.dylib)$"
)
#: Plugin folders of features the app does not use (eglfs, network status, TLS, QML tooling).
_DROPPED_PLUGIN_FOLDERS = {"egldeviceintegrations", "networkinformation", "tls", "qmltooling", "designer"}
#: Qt libraries only the dropped eglfs platform (full-screen on the framebuffer) links.
_DROPPED_QT_LIBRARIES = {"libQt6EglFSDeviceIntegration", "libQt6EglFsKmsSupport"}
#: The desktop's graphics stack (X11, OpenGL, Wayland, fonts, GLib and GTK, D-Bus) and the C++
#: runtime, by library name before ".so": left to the system on Linux, as the PySide6 wheel does
#: (see corpus-reader.spec for why). A name ending in "*" is a prefix.
SYSTEM_LIBRARIES = {
    # X11 and xcb
    "libX11", "libX11-xcb", "libXau", "libXdmcp", "libXext", "libXrender", "libXi", "libXfixes",
    "libXcursor", "libXrandr", "libXinerama", "libXcomposite", "libXdamage", "libxcb", "libxcb-*",
    "libxkbcommon", "libxkbcommon-x11", "libSM", "libICE",
    # OpenGL, EGL, Wayland: they must match the system's drivers
    "libGL", "libGLX", "libGLdispatch", "libOpenGL", "libEGL", "libgbm", "libdrm", "libwayland-*", "libepoxy",
    # fonts and text shaping: they must read the system's font configuration
    "libfontconfig", "libfreetype", "libharfbuzz", "libgraphite2", "libpng16", "libbrotli*", "libexpat",
    "libfribidi", "libthai", "libdatrie",
    # GLib, GTK (the GTK platform theme uses the desktop's own), D-Bus and what they link
    "libglib-2.0", "libgthread-2.0", "libgobject-2.0", "libgio-2.0", "libgmodule-2.0", "libpcre2-*",
    "libgtk-3", "libgdk-3", "libatk-1.0", "libatk-bridge-2.0", "libatspi", "libpango-1.0",
    "libpangocairo-1.0", "libpangoft2-1.0", "libcairo", "libcairo-gobject", "libpixman-1",
    "libgdk_pixbuf-2.0", "libdbus-1", "libsystemd", "libgcrypt", "libgpg-error", "libcap", "libmount",
    "libblkid", "libselinux", "libbsd", "libmd", "libzstd", "liblz4",
    # the C++ runtime: a copy older than the one the system's OpenGL drivers need breaks them
    "libstdc++", "libgcc_s",
}  # fmt: skip
_SYSTEM_FOLDERS = ("/lib/", "/lib64/", "/usr/lib")


def runtime_distributions(project: str) -> dict[str, metadata.Distribution]:
    """The installed distributions ``project`` needs at run time, by canonical name: its
    requirements without extras, and theirs (with the extras asked for), as far down as they go,
    with environment markers evaluated for this machine. ``project`` itself is included.

    Raises SystemExit when a requirement is not installed: a bundle without it would fail later,
    on the user's machine.
    """
    found: dict[str, metadata.Distribution] = {}
    todo: list[tuple[str, frozenset[str]]] = [(project, frozenset())]
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise SystemExit(
                f"build: {name} is required but not installed in the build environment"
            ) from None
        found[key] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in (extras or {""})):
                todo.append((requirement.name, frozenset(requirement.extras)))
    return found


def import_names(distributions: dict[str, metadata.Distribution]) -> dict[str, list[str]]:
    """The top-level import names of each distribution (some ship several, a few none)."""
    by_dist: dict[str, list[str]] = {key: [] for key in distributions}
    for module, dists in metadata.packages_distributions().items():
        if not module.isidentifier() or module == "__pycache__":
            continue
        for dist in dists:
            key = canonicalize_name(dist)
            if key in by_dist and module not in by_dist[key]:
                by_dist[key].append(module)
    return {key: sorted(names) for key, names in by_dist.items()}


def not_a_test(module: str) -> bool:
    """False for the test suites some packages ship (``numpy.tests``, ``lxml.tests``, numpy's
    ``_core._multiarray_tests`` extension ...)."""
    parts = module.split(".")[1:]
    if any(part in ("test", "tests", "testing", "conftest") for part in parts):
        return False
    return not (parts and (parts[-1].endswith("_tests") or parts[-1].startswith("test_")))


#: Data files of dependencies that nothing reads at run time: type stubs, C and Cython sources
#: and headers (for building against the package), test suites and their data.
DATA_EXCLUDES = [
    "**/*.pyi",
    "**/py.typed",
    "**/*.pxd",
    "**/*.pyx",
    "**/*.h",
    "**/*.c",
    "**/*.cpp",
    "**/tests",
    "**/test",
    "**/testing",
]


def tree(
    source: Path, destination: str, skip: set[str] | frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(file, destination folder) pairs for every file under ``source``, as PyInstaller's
    ``datas`` wants them; folders named in ``skip`` (at any depth), caches and bytecode left out."""
    pairs = []
    for folder, subfolders, files in os.walk(source):
        subfolders[:] = sorted(d for d in subfolders if d not in skip and d != "__pycache__")
        relative = Path(folder).relative_to(source)
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")):
                pairs.append((str(Path(folder) / name), str(Path(destination) / relative)))
    return pairs


def bundled(destination: str, source: str, platform: str) -> bool:
    """Whether one file PyInstaller collected goes into the bundle: no Qt translations (the app
    loads none), no unused Qt plugins, and on Linux none of the system's desktop libraries."""
    dest = destination.replace("\\", "/")
    if any(dest.startswith(qt + "translations/") for qt in _QT_FOLDERS):
        return False
    if os.path.basename(dest).split(".so", 1)[0] in _DROPPED_QT_LIBRARIES:
        return False
    plugins = next((qt + "plugins/" for qt in _QT_FOLDERS if dest.startswith(qt + "plugins/")), None)
    if plugins is not None:
        folder = dest[len(plugins) :].split("/")[0]
        if folder in _DROPPED_PLUGIN_FOLDERS:
            return False
        if folder == "platforms" and not _KEEP_PLATFORMS.search(dest):
            return False
    if platform.startswith("linux") and source.startswith(_SYSTEM_FOLDERS):
        return not is_system_library(os.path.basename(dest))
    return True


def is_system_library(filename: str) -> bool:
    """Whether a shared library (``libxcb-cursor.so.0``) is one of SYSTEM_LIBRARIES."""
    stem = filename.split(".so", 1)[0]
    return stem in SYSTEM_LIBRARIES or any(
        pattern.endswith("*") and stem.startswith(pattern[:-1]) for pattern in SYSTEM_LIBRARIES
    )


def strip_python_binaries(
    binaries: list[tuple[str, str, str]], python_prefix: str, folder: Path
) -> list[tuple[str, str, str]]:
    """The TOC with the shared libraries of the Python installation itself (``libpython`` and
    the standard library's extension modules; a Python built from source keeps ~20 MB of debug
    symbols in them) replaced by stripped copies under ``folder``.

    Not PyInstaller's own ``strip=True``, which strips every library: the ones wheels vendor
    were rewritten by auditwheel, and strip breaks them ("ELF load command address/offset not
    page-aligned": numpy's OpenBLAS). Without a ``strip`` program, nothing changes.
    """
    strip = shutil.which("strip")
    prefix = os.path.join(os.path.realpath(python_prefix), "")
    if strip is None:
        return binaries
    out = []
    for destination, source, kind in binaries:
        real = os.path.realpath(source)
        vendored = "site-packages" in real or "dist-packages" in real
        if real.startswith(prefix) and not vendored and ".so" in os.path.basename(real):
            copy = folder / destination
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(real, copy)
            done = subprocess.run([strip, "--strip-debug", str(copy)], capture_output=True, check=False)
            if done.returncode == 0:
                source = str(copy)
        out.append((destination, source, kind))
    return out
