"""Facets: counts per source and per year over every match, and the clauses that pick one."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.core.timeline as timeline_module
from reader.core.facets import facet_counts, facet_in, source_value, with_facet, without_facet
from reader.core.index import open_index
from reader.core.search import SearchService
from reader.core.timeline import CountStopped, matching_dates
from tests.helpers import write_article

SEP = "\u00a0"  # the separator line before the source line


def _article(folder: Path, name: str, date: str, body: str, source: str) -> None:
    tail = f"\n\n{SEP}\n\n{source}" if source else ""
    write_article(folder, name, f"Title {name}", date, body + tail)


def test_facet_counts_cover_every_match_and_follow_the_query(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for i in range(30):  # more than a page of hits
        _article(corpus, f"r{i}.txt", f"2019-0{i % 9 + 1}-01", "Port strike news.", "Reuters")
    for i in range(5):
        _article(
            corpus, f"g{i}.txt", f"2020-0{i + 1}-02", "Port strike again.", 'GSV "Russia - Islamic World"'
        )
    _article(corpus, "u.txt", "", "Port strike, undated and unsourced.", "")
    _article(corpus, "x.txt", "2021-01-01", "Markets rose.", "Reuters")
    index = open_index(corpus, tmp_path / "index")
    index.sync()
    service = SearchService(index)
    searcher = service.searcher()

    facets = facet_counts(searcher, "strike")
    assert facets.sources == [("Reuters", 30), ('GSV "Russia - Islamic World"', 5)]
    assert facets.no_source == 1 and facets.other_sources == 0
    assert facets.years == [(2020, 5), (2019, 30)] and facets.undated == 1

    everything = facet_counts(searcher, "")
    assert dict(everything.sources)["Reuters"] == 31 and dict(everything.years)[2021] == 1

    # Picking a source narrows the years; the source list keeps the other sources to switch to.
    gsv = with_facet("strike", "source", 'GSV "Russia - Islamic World"')
    assert gsv == 'strike source:"GSV Russia - Islamic World"'
    assert service.search(gsv).total == 5
    narrowed = facet_counts(searcher, gsv)
    assert narrowed.years == [(2020, 5)] and narrowed.undated == 0
    assert len(narrowed.sources) == 2

    year = with_facet(gsv, "year", "2019")
    assert service.search(with_facet("strike", "year", "2019")).total == 30
    assert service.search(year).total == 0
    assert facet_counts(searcher, year).years == [(2020, 5)]

    capped = facet_counts(searcher, "strike", max_sources=1)
    assert capped.sources == [("Reuters", 30)] and capped.other_sources == 5
    service.close()
    index.close()


def test_facet_clauses_replace_each_other_and_leave_ranges_alone() -> None:
    text = "fire date:[2020-01-01 to 2020-12-31]"
    assert with_facet(text, "year", "2019") == "fire date:[2020-01-01 to 2020-12-31] date:2019"
    assert with_facet("fire date:2019", "year", "2020") == "fire date:2020"
    assert facet_in("fire date:2019-07", "year") is None  # a month is not a year facet
    assert with_facet('fire source:"AP"', "source", "Reuters") == 'fire source:"Reuters"'
    assert facet_in('fire source:"AP" date:2019', "source") == "AP"
    assert facet_in('fire source:"AP" date:2019', "year") == "2019"
    assert without_facet('source:"AP" fire', "source") == "fire"
    assert with_facet("", "source", ' a  "b" ') == 'source:"a b"' and source_value('"x"') == "x"


def test_a_count_asked_to_stop_stops_at_its_next_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    for i in range(12):
        _article(corpus, f"r{i}.txt", "2019-01-01", "Port strike news.", "Reuters")
    index = open_index(corpus, tmp_path / "index")
    index.sync()
    service = SearchService(index)
    searcher = service.searcher()
    monkeypatch.setattr(timeline_module, "STOP_STEP", 5)
    asked: list[bool] = []

    def stop_on_third() -> bool:
        asked.append(True)
        return len(asked) == 3

    with pytest.raises(CountStopped):
        facet_counts(searcher, "", stop=stop_on_third)
    assert len(asked) == 3  # at articles 0, 5 and 10: it stopped before the last two
    asked.clear()
    with pytest.raises(CountStopped):
        matching_dates(searcher, "strike", stop=stop_on_third)
    # Never asked to stop: the same counts as without ``stop``.
    assert facet_counts(searcher, "", stop=lambda: False) == facet_counts(searcher, "")
    assert facet_counts(searcher, "").sources == [("Reuters", 12)]
    service.close()
    index.close()
