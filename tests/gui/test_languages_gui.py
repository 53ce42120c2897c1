"""Articles in other languages in the window: a Russian word finds and marks its inflected forms,
the header line names the language and gives the date in the user's locale, and the Language
facet filters by it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale
from pytestqt.qtbot import QtBot

from tests.gui.harness import App, StartApp
from tests.helpers import write_article


@pytest.fixture
def world(tmp_path: Path) -> Path:
    folder = tmp_path / "world"
    write_article(
        folder,
        "ru.txt",
        "Переговоры в Москве",
        "30 июля 2020",
        "Министры встретились в Москве, чтобы обсудить работу Минской группы. Представители "
        "Москвы сказали, что следующая встреча пройдёт в Москву осенью, и переговоры продолжатся.",
    )
    write_article(
        folder,
        "de.txt",
        "Verhandlungen in Österreich",
        "30. Juli 2020",
        "Die Verhandlungen in Österreich wurden am Montag in Wien fortgesetzt, sagte ein Sprecher "
        "der Regierung. Eine Delegation aus Moskau nahm an den Gesprächen teil.",
    )
    write_article(
        folder,
        "en.txt",
        "Talks in Gdańsk",
        "July 30, 2020",
        "Officials met in Gdańsk on Thursday to discuss the negotiations, and the delegations "
        "agreed on the agenda for the next round of talks in the city.",
    )
    return folder


@pytest.fixture
def app(start_app: StartApp, world: Path) -> App:
    return start_app(world)


def test_a_russian_word_marks_its_inflected_forms_as_written(app: App, qtbot: QtBot) -> None:
    app.window.search("Москва")
    qtbot.waitUntil(lambda: app.header() == "1 result for “Москва”")
    app.open_row(0)
    pane = app.window.pane
    qtbot.waitUntil(lambda: pane.hit_count > 0)
    assert pane.marked_texts() == ["Москве", "Москве", "Москвы", "Москву"]
    date = QLocale().toString(QDate(2020, 7, 30), QLocale.FormatType.LongFormat)
    meta = pane.meta_label.text()
    assert meta.endswith(" · Russian")
    assert "2020" in meta and meta.split(" · ")[0] in date  # the locale's date, without the weekday


def test_a_query_without_accents_marks_the_accented_words(app: App, qtbot: QtBot) -> None:
    app.window.search("Osterreich")
    qtbot.waitUntil(lambda: app.header().startswith("1 result"))
    app.open_row(0)
    qtbot.waitUntil(lambda: app.window.pane.hit_count > 0)
    assert app.window.pane.marked_texts() == ["Österreich", "Österreich"]
    assert app.window.pane.meta_label.text().endswith(" · German")


def test_the_language_facet_lists_and_picks_languages(app: App, qtbot: QtBot) -> None:
    facets = app.window.facets
    app.window.search("delegation")
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    # The search's own counts (the listing's may still be shown a moment: searches answer first).
    qtbot.waitUntil(lambda: dict(facets.facets.languages) == {"de": 1, "en": 1})
    entries = [a.text() for a in facets.language_menu.actions() if a.text()]
    assert entries[:1] == ["All languages"] and "German (1)" in entries and "English (1)" in entries
    german = next(a for a in facets.language_menu.actions() if a.text() == "German (1)")
    german.trigger()
    qtbot.waitUntil(lambda: app.header() == "1 result for “delegation lang:de”")
    assert app.paths() == ["de.txt"]
    assert facets.language_button.text() == "Language: German"
