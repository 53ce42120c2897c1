"""Date lines written the local way (dates.py, month names from CLDR through Babel)."""

from __future__ import annotations

import datetime as dt

import pytest

from reader.core.dates import month_number, parse_date
from reader.core.text_article import parse_article

JULY_30 = dt.date(2020, 7, 30)


@pytest.mark.parametrize(
    "line",
    [
        # English, as before
        "30 July 2020",
        "July 30, 2020",
        "Jul 30 2020",
        "Thursday, 30 July 2020",
        "2020-07-30",
        "30.07.2020",
        # Russian: genitive month names, the year word, numeric with "г."
        "30 июля 2020",
        "30 июля 2020 г.",
        "30 июля 2020 года",
        "Четверг, 30 июля 2020",
        "30 июл. 2020",
        "30.07.2020 г.",
        # Ukrainian
        "30 липня 2020",
        # German
        "30. Juli 2020",
        "Donnerstag, 30. Juli 2020",
        "30. Jul. 2020",
        # French
        "30 juillet 2020",
        "jeudi 30 juillet 2020",
        # Spanish
        "30 de julio de 2020",
        "jueves, 30 de julio de 2020",
        # Italian
        "30 luglio 2020",
        "giovedì 30 luglio 2020",
        # Portuguese
        "30 de julho de 2020",
        # Turkish, with the weekday after the date
        "30 Temmuz 2020",
        "30 Temmuz 2020 Perşembe",
        # Dutch, Polish (genitive), Armenian (genitive), Greek (genitive)
        "30 juli 2020",
        "30 lipca 2020",
        "30 հուլիսի 2020",
        "30 Ιουλίου 2020",
    ],
)
def test_local_date_lines_are_read(line: str) -> None:
    assert parse_date(line) == JULY_30


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("30 апреля 2019", dt.date(2019, 4, 30)),
        ("1er août 2020", dt.date(2020, 8, 1)),
        ("3 мая 2021 г.", dt.date(2021, 5, 3)),
        ("12 Şubat 2022", dt.date(2022, 2, 12)),
        ("12 Subat 2022", dt.date(2022, 2, 12)),  # typed without the cedilla
        ("1. März 2020", dt.date(2020, 3, 1)),
        ("1. Marz 2020", dt.date(2020, 3, 1)),
        ("15 de março de 2020", dt.date(2020, 3, 15)),
    ],
)
def test_other_months(line: str, expected: dt.date) -> None:
    assert parse_date(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Company reports 1986 results",
        "31 февраля 2020",
        "30 Blorb 2020",
        "Москва 2020",
        "30 июля",
        "Минская группа провела 30 встреч в 2020 году и договорилась о многом",
    ],
)
def test_lines_that_are_not_dates(line: str) -> None:
    assert parse_date(line) is None


def test_month_names_come_folded_from_cldr() -> None:
    assert month_number("июля") == month_number("июль") == 7
    assert month_number("aout") == month_number(fold_name("Août")) == 8
    assert month_number("dezembro") == 12


def fold_name(name: str) -> str:
    from reader.core.analysis import fold

    return fold(name)


def test_an_article_with_a_russian_date_line_is_dated() -> None:
    article = parse_article("ru.txt", "Заголовок\n\n30 апреля 2019\n\nТекст статьи.\n")
    assert article.date == dt.date(2019, 4, 30)
    assert article.date_line == "30 апреля 2019"
    assert article.body == "Текст статьи."
