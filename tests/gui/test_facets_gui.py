"""Facets beside the list header: source and year menus with counts, picking one narrows the query."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.gui.harness import App, StartApp
from tests.helpers import write_article


@pytest.fixture
def app(start_app: StartApp, corpus: Path) -> App:
    for i, (source, date) in enumerate(
        [
            ("Reuters", "2019-02-01"),
            ("Reuters", "2019-03-01"),
            ("Reuters", "2020-01-01"),
            ("AP", "2020-05-01"),
        ]
    ):
        write_article(corpus, f"s{i}.txt", f"Dock strike {i}", date, f"Dockers strike.\n\n\u00a0\n\n{source}")
    return start_app(corpus)


def _entries(menu: QMenu) -> dict[str, QAction]:
    return {a.text(): a for a in menu.actions() if not a.isSeparator()}


def test_picking_a_source_then_a_year_narrows_the_query_with_counts(app: App, qtbot: QtBot) -> None:
    window = app.window
    facets = window.facets
    window.search("strike")
    qtbot.waitUntil(lambda: app.header() == "4 results for “strike”")
    # The source and the year counts may come in separately: wait for both.
    qtbot.waitUntil(
        lambda: (
            "Reuters (3)" in _entries(facets.source_menu)
            and {"2020 (2)", "2019 (2)"} <= set(_entries(facets.year_menu))
        )
    )
    assert "AP (1)" in _entries(facets.source_menu)
    assert not _entries(facets.source_menu)["All sources"].isEnabled()

    _entries(facets.source_menu)["Reuters (3)"].trigger()
    assert window.search_edit.text() == 'strike source:"Reuters"'
    # A query with quotes of its own is not put in quotes again.
    qtbot.waitUntil(lambda: app.header() == '3 results for strike source:"Reuters"')
    assert facets.source_button.text() == "Source: Reuters"
    qtbot.waitUntil(
        lambda: "2019 (2)" in _entries(facets.year_menu) and "2020 (1)" in _entries(facets.year_menu)
    )
    assert _entries(facets.source_menu)["Reuters (3)"].isChecked()

    _entries(facets.year_menu)["2019 (2)"].trigger()
    assert window.search_edit.text() == 'strike source:"Reuters" date:2019'
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    assert sorted(app.paths()) == ["s0.txt", "s1.txt"]

    _entries(facets.source_menu)["All sources"].trigger()
    assert window.search_edit.text() == "strike date:2019"
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    qtbot.waitUntil(
        lambda: facets.source_button.text() == "Source" and "AP (1)" not in _entries(facets.source_menu)
    )
