"""The timeline above the list: dragging across it narrows the list and the query shows the range."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.harness import App, StartApp
from tests.helpers import write_article


@pytest.fixture
def app(start_app: StartApp, corpus: Path) -> App:
    # Harbour news in 2015 and 2016 too: with 2019 to 2021 the span is years, a bar a month.
    write_article(corpus, "h2015.txt", "Harbour dredged", "2015-06-01", "The harbour was dredged.")
    write_article(corpus, "h2016.txt", "Harbour opens", "2016-06-01", "The harbour opened again.")
    return start_app(corpus)


def test_the_chart_counts_every_article_and_the_undated_apart(app: App, qtbot: QtBot) -> None:
    timeline = app.window.timeline
    qtbot.waitUntil(lambda: timeline.chart.timeline.total == 7)
    assert timeline.chart.timeline.unit == "month"
    assert len(timeline.chart.timeline.buckets) == 7 + 12 * 5 + 3  # June 2015 to March 2021
    assert timeline.summary.text() == "per month · drag across to zoom in · +1 undated"


def test_dragging_across_the_chart_filters_the_list_and_clearing_restores(app: App, qtbot: QtBot) -> None:
    window = app.window
    window.search("harbour")
    qtbot.waitUntil(lambda: app.header() == "4 results for “harbour”")
    chart = window.timeline.chart
    qtbot.waitUntil(lambda: chart.timeline.total == 4 and chart.timeline.unit == "month")
    buckets = chart.timeline.buckets
    first = next(i for i, b in enumerate(buckets) if b.start.year == 2015 and b.count)
    last = next(i for i, b in enumerate(buckets) if b.start.year == 2016 and b.count)
    qtbot.mousePress(chart, Qt.MouseButton.LeftButton, pos=chart.bar_center(first))
    qtbot.mouseMove(chart, pos=chart.bar_center(last))
    qtbot.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=chart.bar_center(last))
    expected = "harbour date:[2015-06-01 to 2016-06-30]"
    assert window.search_edit.text() == expected
    qtbot.waitUntil(lambda: app.header() == f"2 results for “{expected}”")
    assert sorted(app.paths()) == ["h2015.txt", "h2016.txt"]
    # The chart zooms in to what the list shows.
    qtbot.waitUntil(lambda: chart.timeline.total == 2)
    # The two results are a year apart: by week now, from the first's week to the last's.
    assert chart.timeline.unit == "week"
    assert chart.timeline.buckets[0].start <= dt.date(2015, 6, 1) <= chart.timeline.buckets[0].end
    assert chart.timeline.buckets[-1].start <= dt.date(2016, 6, 1) <= chart.timeline.buckets[-1].end
    assert chart.selection is None
    assert "2015-06-01 – 2016-06-30" in window.timeline.summary.text()

    qtbot.mouseClick(window.timeline.clear_button, Qt.MouseButton.LeftButton)
    assert window.search_edit.text() == "harbour"
    qtbot.waitUntil(lambda: app.header() == "4 results for “harbour”")
    qtbot.waitUntil(lambda: chart.timeline.total == 4)
    assert chart.selection is None and not window.timeline.clear_button.isVisible()


def test_a_range_typed_in_the_query_zooms_the_chart(app: App, qtbot: QtBot) -> None:
    app.window.search("date:[2019-01-01 to 2019-03-31]")
    chart = app.window.timeline.chart
    qtbot.waitUntil(lambda: app.header().startswith("1 result"))
    # One result (5 January 2019): a week of days inside the range, not one full-width bar.
    qtbot.waitUntil(lambda: chart.timeline.total == 1)
    assert chart.timeline.unit == "day" and len(chart.timeline.buckets) == 7
    assert chart.timeline.buckets[0].start >= dt.date(2019, 1, 1)
    assert [b.start for b in chart.timeline.buckets if b.count] == [dt.date(2019, 1, 5)]
    assert chart.selection is None


def test_the_chart_says_no_dated_results_only_once_it_has_counted(
    start_app: StartApp, qtbot: QtBot, corpus: Path
) -> None:
    app = start_app(corpus, wait=False, sync_delay_ms=60_000)
    chart = app.window.timeline.chart
    assert chart.placeholder() == ""  # the index is opening: nothing is known yet
    qtbot.waitUntil(lambda: chart.timeline.total > 0)
    app.window.search("nosuchwordanywhere")
    qtbot.waitUntil(lambda: chart.timeline.total == 0)
    assert chart.placeholder() == "No dated results"
