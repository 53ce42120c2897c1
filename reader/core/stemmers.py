"""Scripts and stemmers: which Snowball stemmer (PyStemmer, C) stems a word of an article.

A word is stemmed by its article's language when it is written in that language's script; a
word in another script (a Latin name in a Russian article), or in an article whose language is
not known, by the default stemmer of its script. English is Whoosh's own Porter stemmer, so
English terms are what they were before other languages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from whoosh.lang.porter import stem as porter_stem

#: Snowball algorithm (PyStemmer) of each language, by ISO 639-1 code. English is Porter.
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

#: The scripts a language is written in (Latin when not listed).
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset({"cyrillic"}) for code in ("ru", "uk", "be", "bg", "mk", "kk", "ky", "mn", "tg")},
    "sr": frozenset({"cyrillic", "latin"}),
    "el": frozenset({"greek"}),
    "hy": frozenset({"armenian"}),
    "ka": frozenset({"georgian"}),
    **{code: frozenset({"arabic"}) for code in ("ar", "fa", "ur", "ps")},
    **{code: frozenset({"hebrew"}) for code in ("he", "yi")},
    **{code: frozenset({"devanagari"}) for code in ("hi", "ne", "mr")},
    "ta": frozenset({"tamil"}),
    **{code: frozenset({"cjk"}) for code in ("zh", "ja", "ko")},
}
_LATIN = frozenset({"latin"})

#: The stemmer for words of a script in an article of another (or unknown) language. Not for
#: the Arabic script (Arabic, Persian and Urdu stem differently: the Arabic stemmer cuts Persian
#: words wrongly) nor Devanagari (Hindi, Nepali, Marathi): their words are stemmed only in an
#: article detected as of that language.
SCRIPT_DEFAULT = {
    "latin": "en",
    "cyrillic": "ru",
    "greek": "el",
    "armenian": "hy",
    "tamil": "ta",
}


def script_of(word: str) -> str:
    """The script of a (folded) word, by its first letter; digits and symbols count as Latin."""
    for ch in word:
        o = ord(ch)
        if o < 0x370 or 0x1E00 <= o <= 0x1EFF:
            if ch.isalpha():
                return "latin"
            continue
        if o < 0x400 or 0x1F00 <= o <= 0x1FFF:
            return "greek"
        if o < 0x530:
            return "cyrillic"
        if o < 0x590:
            return "armenian"
        if o < 0x600:
            return "hebrew"
        if o < 0x700 or 0x750 <= o <= 0x77F:
            return "arabic"
        if 0x900 <= o <= 0x97F:
            return "devanagari"
        if 0xB80 <= o <= 0xBFF:
            return "tamil"
        if 0x10A0 <= o <= 0x10FF:
            return "georgian"
        if o >= 0x3040:
            return "cjk"
        return "other"
    return "latin"


_stemmer_lock = threading.Lock()
_stemmers: dict[str, Callable[[str], str] | None] = {}


def stemmer(language: str | None) -> Callable[[str], str] | None:
    """The stemming function of ``language`` (ISO 639-1), or None when it has none."""
    if language is None:
        return None
    if language == "en":
        return _porter  # Whoosh's: English terms stay what they were before other languages
    with _stemmer_lock:  # (PyStemmer objects are not thread-safe; one per thread is overkill)
        if language not in _stemmers:
            _stemmers[language] = _snowball(language)
        return _stemmers[language]


def _porter(word: str) -> str:
    return str(porter_stem(word))


def _snowball(language: str) -> Callable[[str], str] | None:
    algorithm = SNOWBALL.get(language)
    if algorithm is None:
        return None
    import Stemmer  # PyStemmer

    if algorithm not in Stemmer.algorithms():
        return None
    lock = threading.Lock()
    stem_word = Stemmer.Stemmer(algorithm).stemWord

    def stem(word: str) -> str:
        with lock:
            return str(stem_word(word))

    return stem


def stemmed_languages() -> list[str]:
    """The languages with a stemmer here (ISO 639-1 codes)."""
    return sorted(code for code in {"en", *SNOWBALL} if stemmer(code) is not None)


def stem_for(language: str | None, script: str) -> Callable[[str], str] | None:
    if language is not None and script in LANGUAGE_SCRIPTS.get(language, _LATIN):
        return stemmer(language)
    return stemmer(SCRIPT_DEFAULT.get(script))
