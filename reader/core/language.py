"""The language of an article, detected from its text.

py3langid (a maintained fork of langid.py: a naive Bayes model over byte n-grams, trained on 97
languages, shipped inside the package, 4.5 MB; no download at run time) reads a sample of the
title and body: about half a millisecond an article. lingua-language-detector is more accurate on
very short texts, but its wheels weigh over 100 MB; fastText-based detectors need a model file
fetched at run time. The answer is an ISO 639-1 code, or None when the detector is unsure: too few
letters (a title-only article, a table of figures), no clear winner, or text whose letters are of
several scripts in similar amounts (a mixed-language file).

The model is loaded on first use (0.7 s), once per process, behind a lock.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.core.corpus import Article

#: Letters below which a text is too short to tell.
MIN_LETTERS = 40
#: The detector's probability below which it is not trusted.
MIN_CONFIDENCE = 0.6
#: The share of letters the main script must have (else the text is mixed).
MIN_SCRIPT_SHARE = 0.7
#: Characters of text the detector reads (the start, and the middle of a long text): its byte
#: n-gram walk is a Python loop, and a thousand characters tell a language as well as more.
SAMPLE_CHARS = 600

_lock = threading.Lock()
_identifier: Any = None


def _detector() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def sample(title: str, body: str) -> str:
    """The part of an article the detector reads."""
    if len(body) <= SAMPLE_CHARS:
        return f"{title}\n{body}"
    half = SAMPLE_CHARS // 2
    middle = len(body) // 2
    return f"{title}\n{body[:half]}\n{body[middle : middle + half]}"


_LETTER = re.compile(r"[^\W\d_]")
_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
    "cyrillic": re.compile(r"[\u0400-\u052f]"),
    "greek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"),
    "armenian": re.compile(r"[\u0530-\u058f]"),
    "georgian": re.compile(r"[\u10a0-\u10ff]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
    "devanagari": re.compile(r"[\u0900-\u097f]"),
    "cjk": re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"),
}


def main_script_share(text: str) -> tuple[str, float, int]:
    """The most frequent script of the letters of ``text``, its share and the number of letters."""
    if text.isascii():
        letters = len(_LETTER.findall(text))
        return ("latin", 1.0, letters) if letters else ("", 0.0, 0)
    letters = len(_LETTER.findall(text))
    if not letters:
        return "", 0.0, 0
    counts = {script: len(pattern.findall(text)) for script, pattern in _SCRIPTS.items()}
    script = max(counts, key=lambda k: counts[k])
    return script, min(1.0, counts[script] / letters), letters


def detect_language(title: str, body: str) -> str | None:
    """The ISO 639-1 code of the article's language, or None when unsure."""
    text = sample(title, body)
    _, share, letters = main_script_share(text)
    if letters < MIN_LETTERS or share < MIN_SCRIPT_SHARE:
        return None
    identifier = _detector()
    with _lock:  # (the identifier keeps no state per call, but numpy buffers are shared)
        code, confidence = identifier.classify(text)
    if len(code) != 2 or confidence < MIN_CONFIDENCE:
        return None  # three-letter codes have no ISO 639-1 form; "und" is the model's own doubt
    return str(code)


def identify(text: str) -> tuple[str, float]:
    """The detector's best language for ``text`` and its confidence (0–1), however unsure."""
    identifier = _detector()
    with _lock:
        code, confidence = identifier.classify(text[: SAMPLE_CHARS * 4])
    return str(code), float(confidence)


def article_language(article: Article) -> str | None:
    """The language of an article: detected from its text; when the detector is unsure, the
    language its file declares (an HTML ``lang``, an EPUB's metadata) if that is a known code."""
    detected = detect_language(article.title, article.body)
    if detected is not None:
        return detected
    declared = article.language.split("-")[0].split("_")[0].strip().lower() if article.language else ""
    return declared if len(declared) == 2 and declared.isalpha() else None


def language_name(code: str | None) -> str:
    """The English name of a language code for display ("Russian", from CLDR), or the code."""
    if not code:
        return "Unknown"
    return _names().get(code, code)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("en").languages)
