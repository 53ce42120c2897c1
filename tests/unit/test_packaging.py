"""The standalone build's rules, without building (that is tests/packaging/test_bundle.py, slow):
what goes into the bundle, the Windows and macOS icons, and how the app finds its files and its
own program when frozen."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from reader import resources
from reader.platform import desktop, startup_check

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "resources" / "packaging"))

import collect  # noqa: E402
import icons  # noqa: E402

HICOLOR = REPO / "resources" / "icons" / "hicolor"


# --- what goes in --------------------------------------------------------------------------


def test_runtime_dependencies_follow_the_metadata_down_and_leave_extras_out() -> None:
    found = collect.runtime_distributions("corpus-reader")
    # Direct requirements, and theirs (PySide6-Essentials needs shiboken6).
    for name in ("corpus-reader", "pyside6-essentials", "shiboken6", "whoosh-reloaded", "platformdirs"):
        assert name in found
    # The `test` and `build` extras are not the app's.
    for name in ("pytest", "pytest-qt", "hypothesis", "pyinstaller"):
        assert name not in found


def test_a_requirement_that_is_not_installed_stops_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    real = collect.metadata.distribution

    def distribution(name: str):  # type: ignore[no-untyped-def]
        if name.lower() == "platformdirs":
            raise collect.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(collect.metadata, "distribution", distribution)
    with pytest.raises(SystemExit, match="platformdirs is required but not installed"):
        collect.runtime_distributions("corpus-reader")


def test_import_names_are_found_for_each_distribution() -> None:
    names = collect.import_names(collect.runtime_distributions("corpus-reader"))
    assert "whoosh" in names["whoosh-reloaded"]
    assert "platformdirs" in names["platformdirs"]
    assert "PySide6" in names["pyside6-essentials"]


@pytest.mark.parametrize(
    ("module", "kept"),
    [
        ("lxml.html.clean", True),
        ("numpy.tests.test_x", False),
        ("babel.testing", False),
        ("tests", True),
        ("numpy._core._multiarray_tests", False),
        ("numpy._core._multiarray_umath", True),
        ("whoosh.lang.test_stems", False),
    ],
)
def test_test_suites_of_dependencies_stay_out(module: str, kept: bool) -> None:
    assert collect.not_a_test(module) is kept


def test_resource_tree_leaves_out_the_repository_only_folders(tmp_path: Path) -> None:
    pairs = collect.tree(REPO / "resources", "reader/_resources", collect.NOT_BUNDLED_RESOURCES)
    sources = {Path(source).relative_to(REPO / "resources").as_posix() for source, _ in pairs}
    assert "corpus-reader.desktop" in sources and "corpus-reader.metainfo.xml" in sources
    assert "icons/hicolor/48x48/apps/corpus-reader.png" in sources
    assert not any(s.startswith(("packaging/", "screenshots/")) or "__pycache__" in s for s in sources)
    assert (str(REPO / "resources" / "corpus-reader.desktop"), "reader/_resources") in pairs


@pytest.mark.parametrize(
    ("destination", "source", "platform", "kept"),
    [
        (
            "PySide6/Qt/plugins/platforms/libqxcb.so",
            "/v/PySide6/Qt/plugins/platforms/libqxcb.so",
            "linux",
            True,
        ),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", "/v/x/libqwayland.so", "linux", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/v/x/libqoffscreen.so", "linux", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "/v/x/libqvnc.so", "linux", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", "/v/x/libqeglfs.so", "linux", False),
        # The Windows wheel keeps plugins and translations at the top of the package.
        ("PySide6\\plugins\\platforms\\qwindows.dll", "C:\\v\\qwindows.dll", "win32", True),
        ("PySide6\\plugins\\platforms\\qminimal.dll", "C:\\v\\qminimal.dll", "win32", False),
        ("PySide6\\plugins\\tls\\qschannelbackend.dll", "C:\\v\\q.dll", "win32", False),
        ("PySide6\\translations\\qtbase_fr.qm", "C:\\v\\qtbase_fr.qm", "win32", False),
        ("PySide6\\Qt6Widgets.dll", "C:\\v\\PySide6\\Qt6Widgets.dll", "win32", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", "/v/libqcocoa.dylib", "darwin", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "/v/x.so", "linux", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", "/v/x.so", "linux", True),
        ("PySide6/Qt/translations/qtbase_de.qm", "/v/qtbase_de.qm", "linux", False),
        ("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", "/v/x.so.6", "linux", False),
        ("libQt6EglFsKmsSupport.so.6", "/v/PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6", "linux", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/v/PySide6/Qt/lib/libQt6Widgets.so.6", "linux", True),
        # The system's desktop stack stays the system's ...
        ("libxcb-cursor.so.0", "/lib/x86_64-linux-gnu/libxcb-cursor.so.0", "linux", False),
        ("libfontconfig.so.1", "/usr/lib/x86_64-linux-gnu/libfontconfig.so.1", "linux", False),
        ("libpango-1.0.so.0", "/lib/x86_64-linux-gnu/libpango-1.0.so.0", "linux", False),
        ("libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "linux", False),
        # ... what Python's own modules link comes along ...
        ("libsqlite3.so.0", "/lib/x86_64-linux-gnu/libsqlite3.so.0", "linux", True),
        ("libssl.so.3", "/lib/x86_64-linux-gnu/libssl.so.3", "linux", True),
        ("libffi.so.8", "/lib/x86_64-linux-gnu/libffi.so.8", "linux", True),
        # ... and a library a wheel vendors is never taken for a system one.
        ("lxml.libs/libstdc++-a1b2.so.6", "/v/site-packages/lxml.libs/libstdc++-a1b2.so.6", "linux", True),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/v/PySide6/Qt/lib/libQt6XcbQpa.so.6", "linux", True),
    ],
)
def test_what_the_bundle_keeps(destination: str, source: str, platform: str, kept: bool) -> None:
    assert collect.bundled(destination, source, platform) is kept


def test_the_x11_libraries_the_startup_check_knows_are_all_left_to_the_system() -> None:
    # The start-up check names these as system packages; the bundle must not carry copies.
    for name in startup_check.XCB_LIBRARIES:
        assert collect.is_system_library(name), name


# --- icons for Windows and macOS -----------------------------------------------------------


def test_ico_holds_every_size_up_to_256_as_png() -> None:
    pngs = icons.hicolor_pngs(HICOLOR, "corpus-reader")
    data = icons.ico_bytes(pngs)
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count == len([s for s in pngs if s <= 256])
    seen = []
    for i in range(count):
        width, height, _, _, planes, bits, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        side = width or 256
        assert width == height and planes == 1 and bits == 32
        assert data[offset : offset + size] == pngs[side]
        seen.append(side)
    assert seen == sorted(pngs) and 256 in seen and 16 in seen


def test_icns_elements_are_the_pngs_under_apples_type_codes() -> None:
    pngs = icons.hicolor_pngs(HICOLOR, "corpus-reader")
    data = icons.icns_bytes(pngs)
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    kinds = {}
    position = 8
    while position < len(data):
        kind, length = (
            data[position : position + 4],
            struct.unpack(">I", data[position + 4 : position + 8])[0],
        )
        payload = data[position + 8 : position + length]
        kinds[kind] = icons.png_size(payload)[0]
        position += length
    assert position == len(data)
    assert kinds[b"icp4"] == 16 and kinds[b"ic07"] == 128 and kinds[b"ic08"] == 256 and kinds[b"ic13"] == 256


def test_write_icons_makes_both_files(tmp_path: Path) -> None:
    ico, icns = icons.write_icons(HICOLOR, "corpus-reader", tmp_path / "icons")
    assert ico.read_bytes()[:4] == b"\0\0\1\0" and icns.read_bytes()[:4] == b"icns"


def test_a_file_that_is_not_png_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a PNG"):
        icons.png_size(b"GIF89a" + bytes(30))


# --- the frozen app finds its files and its program ------------------------------------------


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to be a PyInstaller bundle unpacked at ``tmp_path/bundle`` (with spaces)."""
    bundle = tmp_path / "Corpus Reader bundle" / "corpus-reader"
    internal = bundle / "_internal"
    (internal / "reader" / "_resources" / "icons").mkdir(parents=True)
    (internal / "reader" / "_corpus").mkdir(parents=True)
    (internal / "reader" / "_resources" / "corpus-reader.desktop").write_text(
        (REPO / "resources" / "corpus-reader.desktop").read_text("utf-8"), encoding="utf-8"
    )
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "corpus-reader"))
    return bundle


def test_frozen_resources_and_corpus_come_from_the_bundle(frozen: Path) -> None:
    internal = frozen / "_internal"
    assert resources.resources_dir() == internal / "reader" / "_resources"
    assert resources.bundled_corpus() == internal / "reader" / "_corpus"
    assert resources.resource("corpus-reader.desktop").read_text("utf-8").startswith("[Desktop Entry]")


def test_unfrozen_resources_come_from_the_checkout() -> None:
    assert not getattr(sys, "frozen", False)
    assert resources.resources_dir() == REPO / "resources"
    assert resources.bundled_corpus() == REPO / "corpus"


def test_frozen_desktop_entry_starts_the_bundles_program_by_its_absolute_path(frozen: Path) -> None:
    program = str(frozen / "corpus-reader")
    assert desktop.launcher_command() == [program]
    lines = desktop.desktop_entry(desktop.launcher_command()).splitlines()
    assert f'Exec="{program}" %F' in lines and f"TryExec={program}" in lines


def test_frozen_startup_check_loads_the_bundles_qt_x11_library(frozen: Path) -> None:
    library = frozen / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6XcbQpa.so.6"
    library.parent.mkdir(parents=True)
    library.write_bytes(b"")
    assert startup_check.xcb_platform_library() == library


# --- the clean-environment checks' own parsing ---------------------------------------------


def test_required_positionals_are_read_from_argparse_usage() -> None:
    import bundle_checks

    usage = (
        "usage: corpus-reader [-h] [--version] [--corpus DIR] [FILE ... | COMMAND ...] trends\n"
        "       [-h] [--corpus DIR] [--within QUERY] [--json]\n"
        "       [--format {text,json,csv}]\n       TERM [TERM ...]"
    )
    assert bundle_checks.required_positionals(usage, "trends") == ["TERM"]
    assert bundle_checks.required_positionals("usage: x stories [-h] [--json] [query]", "stories") == []
    assert bundle_checks.required_positionals("usage: x keywords [-h] [--limit N] query", "keywords") == [
        "query"
    ]
