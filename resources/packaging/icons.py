"""The app icon for Windows (.ico) and macOS (.icns), made from the hicolor PNGs at build time.

Both formats may hold PNG images as they are (ICO since Windows Vista, ICNS since OS X 10.7),
so no image library is needed: the files are containers around the PNGs that ship in
``resources/icons/hicolor/``. Standard library only: build.py and the spec both use it.
"""

from __future__ import annotations

import struct
from pathlib import Path

#: ICNS element types that hold a PNG of a given pixel size (Apple's "icns" type codes); a size
#: may serve twice, e.g. 32 px is both the 32 pt image and the 16 pt image at double density.
_ICNS_TYPES = {
    16: [b"icp4"],
    32: [b"icp5", b"ic11"],
    64: [b"icp6", b"ic12"],
    128: [b"ic07"],
    256: [b"ic08", b"ic13"],
    512: [b"ic09", b"ic14"],
    1024: [b"ic10"],
}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG image, read from its IHDR chunk."""
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def hicolor_pngs(hicolor: Path, name: str) -> dict[int, bytes]:
    """The square PNGs ``hicolor/NxN/apps/NAME.png`` by pixel size."""
    found: dict[int, bytes] = {}
    for path in sorted(hicolor.glob(f"*/apps/{name}.png")):
        data = path.read_bytes()
        width, height = png_size(data)
        if width == height:
            found[width] = data
    if not found:
        raise FileNotFoundError(f"no {name}.png under {hicolor}")
    return found


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding the PNGs of up to 256 px (the format's limit), smallest first."""
    sizes = sorted(size for size in pngs if size <= 256)
    if not sizes:
        raise ValueError("an ICO file needs an image of at most 256 px")
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, image count
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size == 256 else size  # 0 means 256 in a directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file with each PNG under every element type of its size."""
    elements = b""
    for size in sorted(pngs):
        for kind in _ICNS_TYPES.get(size, []):
            elements += kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
    if not elements:
        raise ValueError(f"no ICNS image type for sizes {sorted(pngs)}")
    return b"icns" + struct.pack(">I", 8 + len(elements)) + elements


def write_icons(hicolor: Path, name: str, folder: Path) -> tuple[Path, Path]:
    """Write ``NAME.ico`` and ``NAME.icns`` into ``folder``; return their paths."""
    pngs = hicolor_pngs(hicolor, name)
    folder.mkdir(parents=True, exist_ok=True)
    ico, icns = folder / f"{name}.ico", folder / f"{name}.icns"
    ico.write_bytes(ico_bytes(pngs))
    icns.write_bytes(icns_bytes(pngs))
    return ico, icns
