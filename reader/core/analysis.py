"""How text becomes index terms, in any language: tokens, folding, per-language stemming.

One place decides it for the index, the query parser and everything that finds a query's words
in an article again (the reading pane's marks, snippets, the concordance, more-like-this), so the
same word is the same term everywhere.

* **Tokens** are runs of letters, digits and combining marks (a word is never split at a
  combining mark, whatever the normalisation of the file), as Whoosh's default ``\\w+(\\.?\\w+)*``
  otherwise. Han characters and kana are one token each: CJK text has no spaces, and single
  characters keep it searchable (a quoted phrase finds a word of several characters).
* **Folding** (``fold``): lower case, compatibility forms (NFKD), diacritics stripped
  (``Gdańsk`` = ``gdansk``, ``Österreich`` = ``osterreich``), the letters that do not decompose
  (``ß`` = ``ss``, ``ł``, ``ø``, ``đ``, ``ð``, ``þ``, ``æ``, ``œ``, dotless ``ı``), Russian
  ``ё`` = ``е``, typographic apostrophes and dashes. Cyrillic letters keep their own marks (``й``
  is not ``и``).
* **Stemming**: each article's words by the Snowball stemmer of its language (PyStemmer, C);
  English keeps Whoosh's own Porter stemmer, so English terms are what they always were. A word
  in another script than its article's language (a Latin name in a Russian article) is stemmed
  by the default stemmer of its script. A word whose folded form differs from its written form
  (``Österreich``) is indexed under both stems at the same position, so accents typed or not
  find each other in both directions.

A query word is looked for under its terms in every language of the corpus (``query_terms``).
Everything here is plain functions and lazily rebuilt caches: importable and usable in a spawned
worker process.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token

from reader.core.stemmers import script_of, stem_for, stemmed_languages, stemmer

__all__ = [
    "TOKEN",
    "ArticleAnalyzer",
    "LangText",
    "fold",
    "index_terms",
    "query_terms",
    "script_of",
    "simple_tokens",
    "stemmed_languages",
    "stemmer",
    "token_spans",
    "token_terms",
    "tokens",
]

# --- folding --------------------------------------------------------------------------------

_SPECIAL = {
    "ß": "ss",
    "ẞ": "ss",
    "ł": "l",
    "Ł": "l",
    "ø": "o",
    "Ø": "o",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "th",
    "Þ": "th",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ı": "i",
    "İ": "i",
    "ħ": "h",
    "Ħ": "h",
    "ŧ": "t",
    "Ŧ": "t",
    "ŀ": "l",
    "Ŀ": "l",
    "ё": "е",
    "Ё": "е",
    "ς": "σ",
    **dict.fromkeys("’‘‛ʼ′`´", "'"),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}


def _strippable(ch: str) -> bool:
    """Diacritics that folding removes: the generic combining marks, Hebrew points, Arabic
    harakat (not the vowel signs of Indic scripts, which are letters of the word)."""
    o = ord(ch)
    return (
        0x300 <= o <= 0x36F
        or 0x1AB0 <= o <= 0x1AFF
        or 0x1DC0 <= o <= 0x1DFF
        or 0x20D0 <= o <= 0x20FF
        or 0xFE20 <= o <= 0xFE2F
        or 0x591 <= o <= 0x5C7
        or 0x64B <= o <= 0x65F
        or o == 0x670
    )


@lru_cache(maxsize=20_000)
def _fold_char(ch: str) -> str:
    special = _SPECIAL.get(ch)
    if special is not None:
        return special
    if "\u0400" <= ch <= "\u052f" or "\u3000" <= ch <= "\ud7ff":
        return ch.lower()  # Cyrillic keeps й and ї; CJK, kana and Hangul stay as written
    decomposed = unicodedata.normalize("NFKD", ch).lower()
    return "".join(c for c in decomposed if not _strippable(c))


def fold(text: str) -> str:
    """``text`` as search compares it: lower case, without diacritics (see the module notes)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", "".join(map(_fold_char, text)))


# --- tokens ---------------------------------------------------------------------------------


def _mark_class() -> str:
    """A regex class body of every combining mark of the Basic Multilingual Plane."""
    ranges: list[list[int]] = []
    # The blocks of the BMP that hold combining marks (all of them: checked against a scan of
    # the whole plane), so that importing this module stays cheap.
    blocks = ((0x300, 0x1DFF), (0x20D0, 0x20FF), (0x2CEF, 0x2DFF), (0x302A, 0x309A), (0xA66F, 0xABFF))
    for o in (o for lo, hi in (*blocks, (0xFB1E, 0xFB1E), (0xFE00, 0xFE2F)) for o in range(lo, hi + 1)):
        if unicodedata.category(chr(o)).startswith("M"):
            if ranges and ranges[-1][1] == o - 1:
                ranges[-1][1] = o
            else:
                ranges.append([o, o])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


_MARKS = _mark_class()
_W = rf"[\w{_MARKS}]"
TOKEN = re.compile(rf"{_W}+(?:\.?{_W}+)*")
#: ``TOKEN`` for ASCII text: the same matches (every combining mark lies outside ASCII, and
#: ASCII's ``\w`` is Unicode's there) without the marks' class, about a third faster over an
#: English article (``word_list`` and ``tokens`` take it when the text is ASCII).
_ASCII_TOKEN = re.compile(r"\w+(?:\.?\w+)*", re.ASCII)
#: A run of letters (with their combining marks): a word as did-you-mean and completion know it.
LETTERS = re.compile(rf"(?:[^\W\d_]|[{_MARKS}]){{3,40}}")
# Han ideographs (with the compatibility and extension blocks) and kana: one token per character.
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK = re.compile(f"[{_CJK_CHARS}]")
#: A Han character or kana (public: the word store splits such runs as ``tokens`` does).
CJK = _CJK
_CJK_SPLIT = re.compile(f"[{_CJK_CHARS}]|[^{_CJK_CHARS}]+")


def letter_words(text: str) -> Iterator[str]:
    """The words of ``text`` made of letters only (no digits; 3 to 40 of them), lower case as
    written (NFC); CJK runs are left out (they have no word boundaries to suggest from)."""
    if text.isascii():
        yield from (word.lower() for word in LETTERS.findall(text))
        return
    for word in LETTERS.findall(text):
        if word.isascii():
            yield word.lower()
        elif not _CJK.search(word):
            yield unicodedata.normalize("NFC", word).lower()


def token_spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``text`` has one of ``words`` as a token (as ``TOKEN`` splits it: a whole word,
    not part of a longer or a dotted one such as "U.S"), in order."""
    wanted = frozenset(words)
    if not wanted:
        return []
    pattern = _token_pattern(wanted)
    start_ok = _TOKEN_START.match
    # (The start is checked apart: a pattern that begins with a look-behind is tried at
    # every position; one that begins with the words skips to their first letters.)
    return [m.span() for m in pattern.finditer(text) if start_ok(text, m.start())]


@functools.lru_cache(maxsize=512)
def _token_pattern(words: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?!{_W})(?!\.{_W})")


_TOKEN_START = re.compile(rf"(?<!{_W})(?<!{_W}\.)")


def simple_tokens(text: str) -> bool:
    """Whether ``tokens(text)`` gives ``TOKEN``'s matches unchanged (no CJK run to split)."""
    return text.isascii() or not _CJK.search(text)


def word_list(text: str) -> list[str]:
    """``TOKEN``'s matches in ``text`` (the words as written, CJK runs not split)."""
    return (_ASCII_TOKEN if text.isascii() else TOKEN).findall(text)


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """``(word, start, end)`` for each word of ``text``, as written (offsets into ``text``)."""
    ascii_text = text.isascii()
    if ascii_text or not _CJK.search(text):
        for m in (_ASCII_TOKEN if ascii_text else TOKEN).finditer(text):
            yield m.group(), m.start(), m.end()
        return
    for m in TOKEN.finditer(text):
        word = m.group()
        if word.isascii() or not _CJK.search(word):
            yield word, m.start(), m.end()
            continue
        base = m.start()
        for piece in _CJK_SPLIT.finditer(word):
            part = piece.group().strip("._")
            if part:
                start = base + piece.start() + piece.group().find(part)
                yield part, start, start + len(part)


# --- terms ----------------------------------------------------------------------------------

_CACHE_LIMIT = 400_000
_terms_cache: dict[str | None, dict[str, tuple[str, ...]]] = {}


def index_terms(word: str, language: str | None) -> tuple[str, ...]:
    """The index terms of one word (as ``tokens`` gives it) of an article in ``language``."""
    cache = _terms_cache.get(language)
    if cache is None:
        cache = _terms_cache.setdefault(language, {})
    terms = cache.get(word)
    if terms is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        terms = cache[word] = _compute_terms(word, language)
    return terms


def _compute_terms(word: str, language: str | None) -> tuple[str, ...]:
    low = word.lower() if word.isascii() else unicodedata.normalize("NFC", word).lower()
    folded = fold(low)
    if not folded:
        return ()
    stem = stem_for(language, script_of(folded))
    if stem is None:
        return (folded,)
    plain = stem(folded)
    if folded == low:
        return (plain,)
    # The stemmer of the written form (it knows the language's letters), folded, as well.
    written = fold(stem(low))
    return (plain,) if written == plain else (plain, written)


def query_terms(word: str, languages: Iterable[str | None] = ()) -> tuple[str, ...]:
    """Every term ``word`` can have in an article of any of ``languages`` (or of no known
    language): the alternatives a query word is looked for under."""
    out = dict.fromkeys(index_terms(word, None))
    for language in languages:
        out.update(dict.fromkeys(index_terms(word, language)))
    return tuple(out)


def token_terms(text: str, language: str | None) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """``(terms, start, end)`` for each word of ``text`` in an article of ``language``."""
    for word, start, end in tokens(text):
        terms = index_terms(word, language)
        if terms:
            yield terms, start, end


class LangText(str):
    """Article text that carries its article's language (ISO 639-1 or None) to the analyzer."""

    language: str | None

    def __new__(cls, text: str, language: str | None) -> LangText:
        self = super().__new__(cls, text)
        self.language = language
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (LangText, (str(self), self.language))


class ArticleAnalyzer(Analyzer):  # type: ignore[misc]
    """The analyzer of the index's text fields.

    Indexing (``mode="index"``): the terms of each word in the article's language (the value is
    a ``LangText``; plain text counts as of unknown language). Query parsing (any other mode):
    folded words, unstemmed; ``query.py`` expands them into the terms of the corpus's languages.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = fold(value)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        language = getattr(value, "language", None)
        indexing = mode == "index"
        cache = _terms_cache.setdefault(language, {})
        pos = start_pos
        for word, start, end in tokens(value):
            terms = (cache.get(word) or index_terms(word, language)) if indexing else (fold(word),)
            if not terms or not terms[0]:
                continue
            for term in terms:
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = word
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar, token.endchar = start_char + start, start_char + end
                yield token
            pos += 1
