"""Read a value from the window's settings file without Qt.

The window keeps its settings with ``QSettings`` in INI format (``settings.ini`` in the data
folder). The command line must not import Qt (it starts fast and runs without a display), yet it
needs one of those settings: the corpus folder the window opened last. This reads the INI dialect
QSettings writes (sections, ``\\``-escapes, ``\\xHHHH`` code points, quoted values), for plain
string values.
"""

from __future__ import annotations

from pathlib import Path

#: The settings key of the corpus folder the window opened last (the window writes it).
LAST_CORPUS_KEY = "corpus/last"

_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "0": "\0",
    '"': '"',
    "\\": "\\",
    "'": "'",
    "?": "?",
    ";": ";",
    ",": ",",
    "=": "=",
}
_HEX = set("0123456789abcdefABCDEF")


def read_setting(path: Path, key: str) -> str | None:
    """The string value of ``key`` ("group/name") in the QSettings INI file at ``path``, or None
    when the file, the key or a string value is missing (a list or a variant is not a string)."""
    group, _, name = key.rpartition("/")
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return None
    section = "General"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = _unescape_key(line[1:-1])
            continue
        if "=" not in line:
            continue
        raw_key, _, raw_value = line.partition("=")
        full = _unescape_key(raw_key.strip())
        wanted_section = group or "General"
        if "/" in full and not group:
            continue
        if "/" in full:
            sub_group, _, full_name = full.rpartition("/")
            where = f"{section}/{sub_group}" if section != "General" else sub_group
        else:
            where, full_name = section, full
        if where == wanted_section and full_name == name:
            return _unescape_value(raw_value.strip())
    return None


def _unescape_key(key: str) -> str:
    # QSettings writes "%XX" / "%UXXXX" for key characters outside [A-Za-z0-9_-./] (and "/" as
    # the group separator, "\" in keys as "/").
    out: list[str] = []
    i = 0
    while i < len(key):
        ch = key[i]
        if ch == "%" and key[i + 1 : i + 2] == "U" and _is_hex(key[i + 2 : i + 6], 4):
            out.append(chr(int(key[i + 2 : i + 6], 16)))
            i += 6
        elif ch == "%" and _is_hex(key[i + 1 : i + 3], 2):
            out.append(chr(int(key[i + 1 : i + 3], 16)))
            i += 3
        else:
            out.append("/" if ch == "\\" else ch)
            i += 1
    return "".join(out)


def _is_hex(text: str, length: int) -> bool:
    return len(text) == length and all(c in _HEX for c in text)


def _unescape_value(value: str) -> str | None:
    """One QSettings INI value: quoted parts, escapes; None for a list or an @Variant."""
    out: list[str] = []
    pieces = 1
    quoted = False
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == '"':
            quoted = not quoted
            i += 1
        elif ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            if nxt == "x":
                j = i + 2
                while j < len(value) and j - (i + 2) < 4 and value[j] in _HEX:
                    j += 1
                out.append(chr(int(value[i + 2 : j], 16)) if j > i + 2 else "x")
                i = j
            elif nxt in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[nxt])
                i += 2
            else:
                out.append(nxt)
                i += 2
        elif ch == "," and not quoted:
            pieces += 1
            out.append(ch)
            i += 1
        elif ch == ";" and not quoted:
            break  # a comment
        else:
            out.append(ch)
            i += 1
    text = "".join(out)
    if pieces > 1:
        return None  # a list of strings
    if text.startswith("@@"):
        return text[1:]
    if text.startswith("@"):
        return None  # a @Variant(...) or @ByteArray(...) value
    return text.strip() if not value.startswith('"') else text


def last_corpus(settings_file: Path) -> Path | None:
    """The corpus folder the window opened last, if it is still a folder."""
    value = read_setting(settings_file, LAST_CORPUS_KEY)
    if not value:
        return None
    folder = Path(value)
    return folder if folder.is_dir() else None
