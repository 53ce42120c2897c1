"""A corpus of every awkward file a real archive holds, with what the index must make of each.

``build`` writes it into a folder; ``EXPECTED`` says, per file, either the reason it is listed as
a problem or a word that must find it (and only it). Used by the unit tests (an in-process sync,
where files can also vanish or change while being read) and the e2e test (the real CLI, with the
60 MB file and the 5 MB line).
"""

from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

#: path → ("problem", reason) or ("indexed", a word only that article contains)
EXPECTED: dict[str, tuple[str, str]] = {
    "empty.txt": ("problem", "empty file"),
    "whitespace.txt": ("problem", "empty file"),
    "nbsp-only.txt": ("problem", "empty file"),  # NBSP is whitespace too
    "title-only.txt": ("indexed", "lonelyheadline"),
    "bom-utf8.txt": ("indexed", "Brücke"),
    "bom-utf16.txt": ("indexed", "Αθήνα"),
    "cp1251.txt": ("indexed", "Минске"),
    "latin1.txt": ("indexed", "Genève"),
    "crlf.txt": ("indexed", "carriagereturnlinefeed"),
    "cr.txt": ("indexed", "oldmacintosh"),
    "nul-bytes.txt": ("indexed", "nullified"),
    "binary.txt": ("problem", "binary data, not text"),
    "markup.txt": ("indexed", "Jerry"),
    "broken-link.txt": ("problem", "file vanished or is a broken link"),
    "loop.txt": ("problem", "symbolic link loop"),
    "folder.txt/inside.txt": ("indexed", "nestedinside"),
    "ok.md": ("indexed", "ordinaryarticle"),
}

MARKUP_TITLE = "<script>alert('x')</script> Tom &amp; Jerry"
MARKUP_BODY = '<img src="http://example.invalid/x.png" onerror="alert(1)"> and <b>bold</b> &lt;tag&gt;'


def build(folder: Path) -> Path:
    """Write the hostile corpus into ``folder`` (created); return it."""
    folder.mkdir(parents=True, exist_ok=True)

    def put(name: str, data: bytes) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    put("empty.txt", b"")
    put("whitespace.txt", b"  \n\t\n\r\n   \n")
    put("nbsp-only.txt", "\u00a0\u00a0\n\u00a0\n".encode())
    put("title-only.txt", b"Lonelyheadline without a body\n")
    put("bom-utf8.txt", codecs.BOM_UTF8 + "Straße in Zürich\n\nDie Brücke wurde gesperrt.\n".encode())
    put("bom-utf16.txt", "Ελληνικά νέα\n\nΗ Αθήνα ξύπνησε νωρίς.\n".encode("utf-16"))
    put("cp1251.txt", "Новости\n\n30.07.2020\n\nПереговоры в Минске продолжаются.\n".encode("cp1251"))
    put("latin1.txt", "Nouvelles du lac\n\nLe café à Genève était fermé.\n".encode("latin-1"))
    put("crlf.txt", b"Windows article\r\n\r\nCarriagereturnlinefeed lines end here.\r\n")
    put("cr.txt", b"Classic Mac article\r\rOldmacintosh line endings.\r")
    put("nul-bytes.txt", b"Nul article\n\nText that was nulli\x00fied in the middle\x00.\n")
    rng = random.Random(6)
    put("binary.txt", bytes(rng.randrange(256) for _ in range(20_000)))
    put("markup.txt", f"{MARKUP_TITLE}\n\n{MARKUP_BODY}\n".encode())
    put("folder.txt/inside.txt", b"Nested\n\nNestedinside a folder named like an article.\n")
    put("ok.md", b"Plain article\n\nAn ordinaryarticle among the hostile ones.\n")
    os.symlink(folder / "missing-target.txt", folder / "broken-link.txt")
    os.symlink(folder / "loop.txt", folder / "loop.txt")
    os.symlink(folder / "folder.txt", folder / "linked-folder")  # not followed: no duplicates
    return folder


def add_giants(folder: Path) -> None:
    """A 60 MB file (indexed by its first 8 MB) and a file of one 5 MB line."""
    with open(folder / "giant.txt", "w", encoding="utf-8") as fh:
        fh.write("Giant file\n\nGiantopening starts the body.\n\n")
        paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20 + "\n\n"
        while fh.tell() < 60 * 1024 * 1024:
            fh.write(paragraph)
        fh.write("Giantending is far beyond the indexed part.\n")
    (folder / "one-line.txt").write_text("Oneliner " + "longline " * (5 * 1024 * 1024 // 9), encoding="utf-8")
