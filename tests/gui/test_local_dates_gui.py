"""Dates in the window follow the user's locale (QLocale); the C locale gets ISO dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from reader.gui.views import local_dates


@pytest.fixture
def locale_named() -> Iterator[object]:
    before = QLocale()

    def use(name: str) -> None:
        QLocale.setDefault(QLocale(name))
        local_dates._date_format.cache_clear()
        local_dates._short_format.cache_clear()

    yield use
    QLocale.setDefault(before)
    local_dates._date_format.cache_clear()
    local_dates._short_format.cache_clear()


def test_short_dates_in_the_c_locale_are_iso_not_qts_d_mm_yyyy(locale_named) -> None:  # type: ignore[no-untyped-def]
    locale_named("C")
    assert local_dates.local_short_date(dt.date(2015, 8, 2)) == "2015-08-02"
    assert local_dates.local_date(dt.date(2015, 8, 2)) == "2 August 2015"


def test_short_and_long_dates_follow_the_locale(locale_named) -> None:  # type: ignore[no-untyped-def]
    locale_named("de_DE")
    assert local_dates.local_short_date(dt.date(2015, 8, 2)) == "02.08.15"
    assert local_dates.local_date(dt.date(2015, 8, 2)) == "2. August 2015"
    locale_named("ru_RU")
    assert local_dates.local_date(dt.date(2020, 7, 30)).startswith("30 июля 2020")
