"""Timeline: bucket sizes from the span, counts per bucket, undated apart, the date-range clause."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from reader.core.index import open_index
from reader.core.search import SearchService
from reader.core.timeline import (
    MIN_SPAN_DAYS,
    build_timeline,
    choose_unit,
    date_range_in,
    timeline_for,
    with_date_range,
    without_date_range,
)
from tests.helpers import write_article

D = dt.date


def test_the_unit_follows_the_span() -> None:
    assert choose_unit(D(2020, 1, 1), D(2020, 1, 20)) == "day"
    assert choose_unit(D(2020, 1, 1), D(2020, 9, 1)) == "week"
    assert choose_unit(D(2020, 1, 1), D(2024, 1, 1)) == "month"
    assert choose_unit(D(1990, 1, 1), D(2024, 1, 1)) == "year"


def test_counts_per_bucket_with_empty_buckets_and_undated_apart() -> None:
    dates = [D(2020, 1, 5), D(2020, 1, 31), D(2020, 3, 1), None, D(2021, 12, 31), None]
    t = build_timeline(dates)
    assert t.unit == "month"
    assert len(t.buckets) == 24  # January 2020 to December 2021, empty months included
    assert t.buckets[0].start == D(2020, 1, 1) and t.buckets[0].end == D(2020, 1, 31)
    assert t.buckets[0].count == 2 and t.buckets[1].count == 0 and t.buckets[2].count == 1
    assert t.buckets[-1].count == 1 and t.buckets[-1].end == D(2021, 12, 31)
    assert (t.dated, t.undated, t.total) == (4, 2, 6)


def test_weeks_start_on_monday_and_every_date_lands_in_its_bucket() -> None:
    dates = [D(2020, 1, 1) + dt.timedelta(days=i * 3) for i in range(60)]  # ~6 months
    t = build_timeline(dates)
    assert t.unit == "week"
    assert all(b.start.weekday() == 0 and (b.end - b.start).days == 6 for b in t.buckets)
    for b in t.buckets:
        assert b.count == sum(1 for d in dates if b.start <= d <= b.end)


def test_no_dates_at_all() -> None:
    t = build_timeline([None, None])
    assert t.buckets == [] and t.undated == 2


def test_timeline_of_a_query_counts_all_matching_articles(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    expected: Counter[int] = Counter()
    for i in range(150):  # more than a page of hits
        year = 2001 + i % 19
        expected[year] += 1
        write_article(folder, f"{i}.txt", f"Flood {i}", f"{year}-0{1 + i % 9}-1{i % 9}", "The river flooded.")
    write_article(folder, "u1.txt", "Flood undated", "", "The river flooded again.")
    write_article(folder, "other.txt", "Dry", "2005-05-05", "Nothing happened.")
    index = open_index(folder, tmp_path / "ix")
    index.sync()
    service = SearchService(index)
    try:
        t = timeline_for(service.searcher(), "river")
        assert t.unit == "year"
        assert {b.start.year: b.count for b in t.buckets} == dict(expected)
        assert t.undated == 1
        # A date range in the query narrows the chart to it: the chart spans what the list shows.
        zoomed = timeline_for(service.searcher(), "river date:[2003-01-01 to 2003-12-31]")
        assert zoomed.total == expected[2003] and zoomed.unit == "week"
        assert timeline_for(service.searcher(), "").total == 152  # no query: every article
        # And the range clause the chart writes finds exactly the articles of its bucket.
        query = with_date_range("river", D(2003, 1, 1), D(2003, 12, 31))
        assert service.search(query).total == expected[2003]
    finally:
        service.close()
        index.close()


def test_the_date_range_clause_is_added_replaced_and_removed() -> None:
    q = with_date_range("Minsk group", D(2020, 7, 1), D(2020, 7, 31))
    assert q == "Minsk group date:[2020-07-01 to 2020-07-31]"
    assert date_range_in(q) == (D(2020, 7, 1), D(2020, 7, 31))
    q2 = with_date_range(q, D(2021, 2, 1), D(2019, 1, 1))  # reversed drag
    assert q2 == "Minsk group date:[2019-01-01 to 2021-02-01]"
    assert without_date_range(q2) == "Minsk group"
    assert with_date_range("", D(2020, 1, 1), D(2020, 1, 2)) == "date:[2020-01-01 to 2020-01-02]"
    assert date_range_in("Minsk group") is None


def test_the_chart_spans_the_results_and_a_short_range_is_shown_by_day() -> None:
    t = build_timeline([D(2019, 1, 3), D(2019, 2, 20)], within=(D(2019, 1, 1), D(2019, 3, 31)))
    assert t.unit == "day" and (t.buckets[0].start, t.buckets[-1].end) == (D(2019, 1, 3), D(2019, 2, 20))
    weeks = build_timeline([D(2019, 1, 3), D(2019, 5, 20)])
    assert weeks.unit == "week"


def test_one_result_is_one_bar_among_a_week_of_days() -> None:
    t = build_timeline([D(2020, 7, 30)])
    assert t.unit == "day" and len(t.buckets) == MIN_SPAN_DAYS
    assert [b.count for b in t.buckets] == [0, 0, 0, 1, 0, 0, 0]
    # Inside a query's date range, the padding stays inside it.
    t = build_timeline([D(2020, 7, 1)], within=(D(2020, 7, 1), D(2020, 7, 31)))
    assert t.buckets[0].start == D(2020, 7, 1) and t.buckets[0].count == 1 and len(t.buckets) == 7
