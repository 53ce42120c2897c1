"""Date lines written the local way: ``30 July 2020``, ``30 июля 2020 г.``, ``30. Juli 2020``,
``30 de julio de 2020``, ``30.07.2020 г.``, ``2020-07-30``.

Month and weekday names come from the Unicode CLDR through Babel (``babel.dates``): every width
(``июля``, ``июл.``) and both grammatical contexts (Russian genitive ``июля`` and nominative
``июль``), compared folded (``Août`` = ``aout``, ``Şubat`` = ``subat``). A name that means
different months in two languages is left out. The table is built once, on the first date line
that is not English (English names are known without Babel: most corpora never pay the 0.3 s).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable

from reader.core.analysis import fold

#: The languages whose month names are read (CLDR locale codes).
LOCALES = (
    "en",
    "ru",
    "uk",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "tr",
    "nl",
    "pl",
    "ro",
    "sv",
    "az",
    "hy",
    "el",
    "hu",
    "ka",
    "kk",
    "be",
    "bg",
    "lt",
    "lv",
    "cs",
    "sk",
    "fi",
    "da",
    "nb",
)

_ENGLISH = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ENGLISH_DAYS = frozenset(
    {f"{d}day" for d in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")}
    | {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
)

_lock = threading.Lock()
_tables: tuple[dict[str, int], frozenset[str]] | None = None


def _names(values: Iterable[str]) -> Iterable[str]:
    for value in values:
        name = fold(value).strip(". ")
        if name:
            yield name


def month_tables() -> tuple[dict[str, int], frozenset[str]]:
    """Folded month names (to their number) and weekday names of every locale in LOCALES."""
    global _tables
    with _lock:
        if _tables is None:
            _tables = _build_tables()
        return _tables


def _build_tables() -> tuple[dict[str, int], frozenset[str]]:
    from babel import Locale
    from babel.dates import get_day_names, get_month_names

    months: dict[str, int] = dict(_ENGLISH)
    ambiguous: set[str] = set()
    days: set[str] = set(_ENGLISH_DAYS)
    for code in LOCALES:
        locale = Locale.parse(code)
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, value in get_month_names(width, context, locale).items():
                    for name in _names([value]):
                        if months.setdefault(name, number) != number:
                            ambiguous.add(name)
                days.update(_names(get_day_names(width, context, locale).values()))
    for name in ambiguous:
        del months[name]
    return months, frozenset(days)


def month_number(name: str) -> int | None:
    """The month a (folded) month name means in any language of LOCALES, or None."""
    name = name.strip(".")
    number = _ENGLISH.get(name)
    return number if number is not None else month_tables()[0].get(name)


def _is_weekday(name: str) -> bool:
    name = name.strip(".")
    return name in _ENGLISH_DAYS or (len(name) > 1 and name in month_tables()[1])


_MONTH = r"([^\W\d_]{2,12}\.?)"
#: A word for "year" after the year (folded): Russian, Ukrainian, Polish, Turkish, German,
#: Armenian, Kazakh, Lithuanian, Latvian, Azerbaijani ("2020-ci il").
_YEAR_WORD = (
    r"(?:[\s-]*(?:г\.?|года|год|гг\.?|р\.?|року|r\.|yılı|yili|jahr|թ\.?|ж\.?|m\.|gada|"
    r"ci il|cı il|cu il|cü il|ci ildə))?"
)
_PATTERNS = [
    # 30 July 2020, 30. Juli 2020, 30 de julio de 2020, 1er juillet 2020, 30 июля 2020 г.
    (
        re.compile(
            rf"^(\d{{1,2}})(?:\.|er|º|°|-?го)?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?(\d{{4}}){_YEAR_WORD}$"
        ),
        "dmy",
    ),
    # July 30, 2020
    (re.compile(rf"^{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$"), "mdy"),
    # 2020. július 30. (Hungarian), 2020 թ. մարտի 12 (Armenian), 2020 m. kovo 12 d.
    # (Lithuanian), 2020. gada 12. marts (Latvian: day before month), 2020 ж. 12 наурыз
    (re.compile(rf"^(\d{{4}})\.?{_YEAR_WORD}\s+{_MONTH}\s+(\d{{1,2}})(?:\.|\s*d\.)?$"), "ymd"),
    (re.compile(rf"^(\d{{4}})\.?{_YEAR_WORD}\s+(\d{{1,2}})\.?\s+{_MONTH}$"), "ydm"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd-num"),
    (re.compile(rf"^(\d{{1,2}})\.\s?(\d{{1,2}})\.\s?(\d{{4}})\.?{_YEAR_WORD}$"), "dmy-num"),
]
_WEEKDAY_BEFORE = re.compile(r"^([^\W\d_]{2,15}(?:-[^\W\d_]{2,10})?\.?),?\s+(?=\d|[^\W\d_])")
_WEEKDAY_AFTER = re.compile(r",?\s+([^\W\d_]{2,15}\.?)$")


def parse_date(line: str) -> dt.date | None:
    """The date of a line that is (only) a date, in English or another language of LOCALES
    (a weekday before or after it is allowed); None otherwise."""
    line = line.strip()
    if len(line) > 60 or not line or not line[0].isalnum() or not any(ch.isdigit() for ch in line):
        return None
    text = " ".join(fold(line).split())
    found = _match(text)
    if found is None:
        # A weekday before or after the date: only looked up when the rest has a date's shape.
        before, after = _WEEKDAY_BEFORE.match(text), _WEEKDAY_AFTER.search(text)
        if before and (found := _match(text[before.end() :])) and not _is_weekday(before[1]):
            found = None
        if found is None and after and (found := _match(text[: after.start()])) and not _is_weekday(after[1]):
            found = None
    return _date(*found) if found else None


def _match(text: str) -> tuple[re.Match[str], str] | None:
    for pattern, order in _PATTERNS:
        m = pattern.match(text)
        if m:
            return m, order
    return None


def _date(m: re.Match[str], order: str) -> dt.date | None:
    month: int | None
    if order == "dmy":
        day, month, year = int(m[1]), month_number(m[2]), int(m[3])
    elif order == "mdy":
        month, day, year = month_number(m[1]), int(m[2]), int(m[3])
    elif order == "ymd":
        year, month, day = int(m[1]), month_number(m[2]), int(m[3])
    elif order == "ydm":
        year, day, month = int(m[1]), int(m[2]), month_number(m[3])
    elif order == "ymd-num":
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
