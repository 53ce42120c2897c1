"""Collocates, keywords, n-grams and trends of search results."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.core.index import CorpusIndex, open_index
from reader.core.insights import insights
from reader.core.stories import update_stories
from reader.core.trends import trends
from reader.core.wordstore import WordStore, store_path
from tests.helpers import write_article


@pytest.fixture
def index(tmp_path: Path) -> CorpusIndex:
    folder = tmp_path / "corpus"
    for i in range(6):
        write_article(
            folder,
            f"talks{i}.txt",
            f"Talks round {i}",
            f"{i + 1} March 2021",
            f"The Minsk group met envoys in Vienna. Negotiations on the ceasefire went on. Report {i}.",
            "Observers said the Minsk group would meet again. The ceasefire held.",
        )
    for i in range(6):
        write_article(
            folder,
            f"weather{i}.txt",
            f"Weather {i}",
            f"{i + 1} April 2022",
            "Heavy rain fell over the valley. Farmers worried about the harvest and the rain.",
        )
    ix = open_index(folder, tmp_path / "index")
    ix.sync()
    catalog = ix.catalog()
    update_stories(ix.dir, ix.corpus, catalog)
    catalog.close()
    yield ix
    ix.close()


def _run(index: CorpusIndex, text: str, **kwargs: object) -> list:
    store = WordStore(store_path(index.dir))
    with index.ix.searcher() as searcher:
        try:
            return list(insights(searcher, store, text, **kwargs))  # type: ignore[arg-type]
        finally:
            store.close()


def test_collocates_count_the_window_on_both_sides(index: CorpusIndex) -> None:
    final = _run(index, '"Minsk group"', min_freq=1)[-1]
    assert final.finished and final.total == 6 and final.occurrences == 12
    by_word = {c.word: c for c in final.collocates}
    # "met" follows the phrase once per article, "would" once more; "observers said the" precede.
    assert by_word["met"].right == 6 and by_word["met"].left == 0
    assert by_word["would"].right == 6
    assert by_word["said"].left == 6
    assert "the" not in by_word and "minsk" not in by_word and "group" not in by_word
    narrow = {c.word for c in _run(index, '"Minsk group"', min_freq=1, window=1)[-1].collocates}
    assert "met" in narrow and "envoys" not in narrow  # two words away


def test_keywords_against_the_rest_of_the_corpus(index: CorpusIndex) -> None:
    final = _run(index, "ceasefire", min_freq=2)[-1]
    positive = [k.word for k in final.keywords]
    negative = [k.word for k in final.negative]
    assert "negotiations" in positive or "negotiation" in positive
    assert "rain" in negative and "rain" not in positive
    assert all(k.log_ratio > 0 and k.log_likelihood > 0 for k in final.keywords)
    assert "the" not in positive + negative  # an English stop word


def test_ngrams_hold_the_phrase_and_stay_in_a_sentence(index: CorpusIndex) -> None:
    final = _run(index, "ceasefire")[-1]
    grams = {g.words: g.count for g in final.ngrams}
    assert grams["the ceasefire"] == 12
    assert grams["the ceasefire held"] == 6
    assert not any(g.startswith("ceasefire went on report") for g in grams)  # across a sentence end


def test_partial_results_stream_and_a_stop_is_honoured(index: CorpusIndex) -> None:
    steps = _run(index, "ceasefire", chunk=2)
    assert [s.done for s in steps] == [2, 4, 6] and steps[-1].finished
    assert not steps[0].finished
    cancel = threading.Event()
    cancel.set()
    stopped = _run(index, "ceasefire", chunk=2, cancel=cancel)
    assert stopped[-1].cancelled and not stopped[-1].finished and stopped[-1].done == 0


def test_trends_count_articles_and_shares_per_period(index: CorpusIndex) -> None:
    with index.ix.searcher() as searcher:
        found = trends(searcher, ["ceasefire", "rain"])
    assert found.unit == "week"  # a span of 13 months: weeks, as the timeline
    ceasefire, rain = found.trends
    assert sum(ceasefire.counts) == 6 and sum(rain.counts) == 6
    assert sum(found.articles) == 12
    for i, start in enumerate(found.starts):
        assert not (ceasefire.counts[i] and rain.counts[i])
        if ceasefire.counts[i]:
            assert start.year == 2021 and found.share(ceasefire, i) == 1.0
    with index.ix.searcher() as searcher:
        within = trends(searcher, ["ceasefire"], within="Minsk")
    assert sum(within.trends[0].counts) == 6


def test_collocates_of_a_russian_word_find_its_inflected_forms(tmp_path: Path) -> None:
    # The word store keeps each word as the index's folded term in the article's language, so a
    # query word finds its forms in insights as it does in search (Москва: Москве, Москвы).
    folder = tmp_path / "corpus"
    forms = ["Москве", "Москвы", "Москву", "Москве"]
    for i, form in enumerate(forms):
        write_article(
            folder,
            f"ru{i}.txt",
            f"Переговоры {i}",
            f"{i + 1} марта 2021",
            f"Делегации встретились в {form} во вторник. Переговоры о прекращении огня продолжились, "
            "стороны обсудили гуманитарные вопросы и обмен пленными.",
        )
    ix = open_index(folder, tmp_path / "index")
    ix.sync()
    catalog = ix.catalog()
    update_stories(ix.dir, ix.corpus, catalog)
    catalog.close()
    try:
        final = _run(ix, "Москва", min_freq=1)[-1]
    finally:
        ix.close()
    assert final.finished and final.total == 4 and final.occurrences == 4
    assert "во" in {c.word for c in final.collocates} or "вторник" in {c.word for c in final.collocates}


def test_is_and_label_terms_pick_the_articles_in_insights_trends_and_the_concordance(
    index: CorpusIndex, tmp_path: Path
) -> None:
    # The same is:/label: answers as search: from the annotations database, through a MarkSource.
    from reader.core import marks
    from reader.core.annotations import AnnotationStore
    from reader.core.concordance import concordance
    from reader.core.mark_filter import MarkSource

    db = tmp_path / "annotations.sqlite3"
    corpus = str(index.corpus)
    store = AnnotationStore(db)
    marks.add_label(store, corpus, "wet", ["weather0.txt", "weather1.txt", "weather2.txt"])
    marks.set_read(store, corpus, ["talks0.txt", "weather0.txt"])
    store.close()
    source = MarkSource(corpus, lambda: AnnotationStore(db))
    try:
        labelled = _run(index, "label:wet", min_freq=1, marks=source)[-1]
        assert labelled.total == 3 and "rain" not in {k.word for k in labelled.negative}
        assert "rain" in {k.word for k in labelled.keywords}  # only the weather articles
        unread = _run(index, "is:unread ceasefire", marks=source)[-1]
        assert unread.total == 5 and {g.words: g.count for g in unread.ngrams}["the ceasefire"] == 10
        assert _run(index, "label:WET rain", min_freq=1, marks=source)[-1].collocates
        with index.ix.searcher() as searcher:
            found = trends(searcher, ["rain", "is:read"], within="label:wet", marks=source)
        assert [t.total for t in found.trends] == [3, 1] and sum(found.articles) == 3
        run, rows = concordance(index, "label:wet rain", marks=source)
        assert run.articles == 3 and len(rows) == 6
    finally:
        source.close()


def test_words_with_combining_marks_stay_whole(tmp_path: Path) -> None:
    # Devanagari vowel signs (and any script's combining marks) are inside words, as the index
    # has them: insights must neither cut कोरोना into letters nor miss the query word.
    from reader.core.analysis import token_terms
    from reader.core.wordstore import word_stems

    mixed = "कोरोना वायरस से भारत में। করোনাভাইরাস ভারতে। ไวรัสโคโรนา Cafe\u0301 Ελλάδα 北京"
    for language in (None, "hi", "bn", "en"):
        assert [t for t, _, _ in word_stems(mixed, language)] == [
            terms[0] for terms, _, _ in token_terms(mixed, language)
        ]
    folder = tmp_path / "corpus"
    for i in range(4):
        write_article(
            folder,
            f"hi{i}.txt",
            f"कोरोना वायरस समाचार {i}",
            f"{i + 1} March 2021",
            "भारत में कोरोना वायरस के नए मामले सामने आए। सरकार ने लोगों से घर पर रहने की अपील की। "
            f"स्वास्थ्य मंत्रालय ने रिपोर्ट {i} जारी की।",
        )
    for i in range(4):
        write_article(
            folder,
            f"hi-sport{i}.txt",
            f"क्रिकेट मैच {i}",
            f"{i + 1} April 2021",
            "भारतीय टीम ने मैच जीता। खिलाड़ियों ने शानदार प्रदर्शन किया और दर्शक खुश हुए।",
        )
    ix = open_index(folder, tmp_path / "index")
    ix.sync()
    catalog = ix.catalog()
    update_stories(ix.dir, ix.corpus, catalog)
    catalog.close()
    try:
        final = _run(ix, "कोरोना", min_freq=1)[-1]
    finally:
        ix.close()
    assert final.total == 4 and final.occurrences == 8
    assert not any("not" in n for n in final.notes)  # the word is in the corpus
    grams = {g.words for g in final.ngrams}
    assert "कोरोना वायरस" in grams
    written = {w.strip("।.") for path in folder.iterdir() for w in path.read_text("utf-8").split()}
    words = [k.word for k in final.keywords] + [c.word for c in final.collocates]
    assert words and all(w in written for w in words), words  # whole words, not letters
    assert "सरकार" in {k.word for k in final.keywords}


def test_each_article_gets_its_own_languages_stop_words(tmp_path: Path) -> None:
    # A mostly German corpus: English stop words in its English articles are stop words still,
    # and the German stop word "war" (was) does not hide the English word "war".
    folder = tmp_path / "corpus"
    english = (
        "The war in the north of the country went on for another week, and the people of the "
        "region said that they were tired of the war. The army said that it would hold the line "
        "and that the talks with the rebels were to start again on Monday."
    )
    german = (
        "Die Regierung war am Montag in Berlin zu Gesprächen mit den Vertretern der Länder, und "
        "es war klar, dass die Verhandlungen über den Haushalt noch lange dauern werden. Der "
        "Minister sagte, dass er mit dem Ergebnis nicht zufrieden war und dass die Länder mehr "
        "Geld für die Schulen und die Krankenhäuser brauchen."
    )
    for i in range(3):
        write_article(folder, f"en{i}.txt", f"War news {i}", f"{i + 1} March 2021", english)
    for i in range(9):
        write_article(folder, f"de{i}.txt", f"Haushalt {i}", f"{i + 1} April 2021", german)
    ix = open_index(folder, tmp_path / "index")
    ix.sync()
    catalog = ix.catalog()
    update_stories(ix.dir, ix.corpus, catalog)
    languages = dict(catalog.languages())
    catalog.close()
    try:
        assert languages == {"en": 3, "de": 9}
        english_side = _run(ix, "lang:en", min_freq=2)[-1]
        german_side = _run(ix, "lang:de", min_freq=2)[-1]
        collocates = _run(ix, "army", min_freq=1)[-1]
    finally:
        ix.close()
    positive = {k.word for k in english_side.keywords}
    assert english_side.total == 3 and "war" in positive and "army" in positive
    assert not positive & {"the", "of", "and", "that", "to", "in", "on", "were", "they", "it"}
    german_words = {k.word for k in german_side.keywords}
    assert "regierung" in german_words
    assert not german_words & {"die", "und", "dass", "der", "war", "mit", "den"}
    assert not {c.word for c in collocates.collocates} & {"the", "that", "and", "it"}
