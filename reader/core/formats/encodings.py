"""Which legacy encoding bytes that are not UTF-8 are in: for pages that declare none and for
text files (``corpus.decode``).

charset_normalizer (maintained, pure Python, the detector of ``requests``) ranks the encodings
that decode the bytes by how chaotic and how coherent the text comes out. It is asked only
about the legacy encodings people's archives are actually written in, so an exotic code page
(cp775, kz1048) never wins on a short text; among candidates about as clean as the best, the
one the document's declared language is written in wins (a Turkish page: cp1254, not cp1250),
else the most coherent, else the web's commonest (cp1252, cp1251, cp1250).
"""

from __future__ import annotations

import codecs

#: Legacy encodings, commonest first (the order breaks ties).
LEGACY = (
    "cp1252",
    "cp1251",
    "cp1250",
    "koi8_r",
    "cp1254",
    "cp1253",
    "cp1257",
    "cp1255",
    "cp1256",
    "cp1258",
    "iso8859_15",
    "koi8_u",
    "mac_cyrillic",
    "cp866",
    "cp932",
    "euc_jp",
    "gb18030",
    "big5",
    "cp949",
    "cp874",
)
#: The legacy encodings a language is usually written in (ISO 639-1 → codec names).
BY_LANGUAGE = {
    **dict.fromkeys(("ru", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn"), ("cp1251", "koi8_r")),
    "uk": ("cp1251", "koi8_u"),
    **dict.fromkeys(("tr", "az"), ("cp1254",)),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "bs", "ro", "sq"), ("cp1250",)),
    "el": ("cp1253",),
    **dict.fromkeys(("lt", "lv", "et"), ("cp1257",)),
    "he": ("cp1255",),
    **dict.fromkeys(("ar", "fa", "ur"), ("cp1256",)),
    "vi": ("cp1258",),
    "ja": ("cp932", "euc_jp"),
    "zh": ("gb18030", "big5"),
    "ko": ("cp949",),
    "th": ("cp874",),
}
#: The encodings of the languages BY_LANGUAGE does not name (English, German, French…).
_WESTERN = ("cp1252", "iso8859_15")
#: Labels whose bytes are, in practice (and by the WHATWG Encoding standard), a superset.
_SUPERSETS = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "tis-620": "cp874",
    "big5": "big5hkscs",
}
#: How near the best one's chaos a candidate must be to be chosen for its language.
_CHAOS_SLACK = 0.02
#: The detector reads at most this much (it is slow on megabytes, and the start tells).
_SAMPLE = 256 * 1024


def codec_for(label: str) -> str:
    """The Python codec to decode a declared charset label with ("" if unknown): a label that
    is, in practice, its superset gives the superset (``iso-8859-1`` → cp1252)."""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return ""
    return _SUPERSETS.get(name, name)


def detect(data: bytes, language: str = "") -> str | None:
    """The legacy encoding ``data`` (not UTF-8) is most likely in, or None when none fits;
    ``language`` is the ISO 639-1 code the document declares, if any.

    Of the candidates about as clean as the best: the one the declared language is written in;
    else the one whose text comes out in a language written in it (Turkish text decoded as
    cp1254, not as cp1252's "basýn"; the language detector reads through such mojibake, so
    only the right encoding agrees with its own language); else the most coherent."""
    from charset_normalizer import from_bytes

    sample = data[:_SAMPLE]
    matches = list(from_bytes(sample, cp_isolation=list(LEGACY), explain=False))
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    clean = [m for m in matches if m.chaos <= least + _CHAOS_SLACK]
    found = {_norm(m.encoding): m for m in clean}
    for name in BY_LANGUAGE.get(_base(language), ()):
        if name in found:
            return name
    rank = {name: i for i, name in enumerate(LEGACY)}
    ordered = sorted(found, key=lambda name: rank.get(name, 99))
    if len(ordered) > 1:
        agreeing = _agreeing(sample, [(name, found[name].coherence) for name in ordered])
        if agreeing is not None:
            return agreeing
    best = min(clean, key=lambda m: (-round(m.coherence, 3), m.chaos, rank.get(_norm(m.encoding), 99)))
    return _norm(best.encoding)


def _agreeing(sample: bytes, candidates: list[tuple[str, float]]) -> str | None:
    """Of the ``(encoding, coherence)`` candidates, commonest first, the encoding whose decoded
    text is in a language written in that encoding, or None. When two agree (cp1251 reads as
    Russian, cp874 as Thai), the one whose letters have a language's frequencies (coherence
    above 0) wins, then the more confident, then the commoner."""
    from reader.core.language import identify

    agreeing: list[tuple[bool, float, int, str]] = []
    seen: set[str] = set()
    for rank, (name, coherence) in enumerate(candidates):
        text = sample[:8192].decode(name, errors="replace")
        if text in seen:
            continue  # the bytes that differ between these two do not occur
        seen.add(text)
        code, confidence = identify(text)
        if name in BY_LANGUAGE.get(code, _WESTERN) and confidence >= 0.5:
            agreeing.append((coherence <= 0, -round(confidence, 1), rank, name))
    return min(agreeing)[3] if agreeing else None


def _base(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower()


def _norm(name: str) -> str:
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return name


def sniff_utf16(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 text written without a byte-order mark, else
    None. Such text has NUL bytes on one side only (the high byte of ASCII spaces, digits and
    punctuation), and that side holds few values (one script's high byte: 0x04 for Cyrillic)."""
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 16:
        return None
    for name, high, low in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if high.count(0) / len(high) < 0.1 or low.count(0) / len(low) > 0.02:
            continue
        common = sorted((high.count(b) for b in set(high)), reverse=True)[:3]
        if sum(common) / len(high) < 0.9:
            continue
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls <= len(text) // 50:
            return name
    return None
