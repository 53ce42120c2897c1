"""Dates as the user's locale writes them (QLocale), for the list rows and the reading pane.

The core keeps dates as ``datetime.date``; only the window formats them. The long date format
of the locale, without the weekday: "30 July 2020", "July 30, 2020", "30. Juli 2020",
"30 июля 2020 г.".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from PySide6.QtCore import QDate, QLocale

_WEEKDAY = re.compile(r"d{3,4}[,.]?\s*|\s*[,.]?\s*d{3,4}")


@lru_cache(maxsize=1)
def _date_format() -> tuple[QLocale, str]:
    locale = QLocale()
    long_format = locale.dateFormat(QLocale.FormatType.LongFormat)
    return locale, _WEEKDAY.sub("", long_format).strip(" ,") or "d MMMM yyyy"


def local_date(date: dt.date) -> str:
    """``date`` written the way the user's locale writes a date, without the weekday."""
    locale, fmt = _date_format()
    return str(locale.toString(QDate(date.year, date.month, date.day), fmt))


@lru_cache(maxsize=1)
def _short_format() -> tuple[QLocale, str]:
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        # Qt's C locale (no LANG: a bare container, a service) writes "2 08 2015"; ISO is the
        # plain reading there.
        return locale, "yyyy-MM-dd"
    return locale, locale.dateFormat(QLocale.FormatType.ShortFormat)


def local_short_date(date: dt.date) -> str:
    """``date`` in the locale's short form (a table column): "30/07/2020", "30.07.2020";
    "2020-07-30" in the C locale."""
    locale, fmt = _short_format()
    return str(locale.toString(QDate(date.year, date.month, date.day), fmt))
