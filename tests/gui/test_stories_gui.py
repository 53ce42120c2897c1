"""Stories in the window: one row per story in the results, the Versions tab (a story's other
versions, a word diff) and the Insights tab."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from reader.core import marks
from reader.core.annotations import AnnotationStore
from reader.core.worddiff import counts
from reader.gui.views.article_list import DepthRole, PathRole, StoryRole
from tests.gui.harness import App, StartApp
from tests.story_labels import DATA


@pytest.fixture
def story_corpus(tmp_path: Path) -> Path:
    """Three distinct articles on fires, the first with a wire copy and an update; two on COVID-19."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    originals = sorted(DATA.glob("*fire*.txt"))[:3]
    for i, path in enumerate(originals):
        shutil.copy(path, folder / f"a{i}.txt")
    for i, path in enumerate(sorted(DATA.glob("*COVID-19*.txt"))[:2]):
        shutil.copy(path, folder / f"covid{i}.txt")
    title, date, *paragraphs = (folder / "a0.txt").read_text("utf-8").split("\n\n")
    (folder / "a0-wire.txt").write_text(
        "\n\n".join([f"AGENCY: {title}", date, "WARSAW (Agency) - " + paragraphs[0], *paragraphs[1:]]),
        "utf-8",
    )
    changed = (
        paragraphs[0].replace("five", "six", 1) if "five" in paragraphs[0] else "Update: " + paragraphs[0]
    )
    (folder / "a0-update.txt").write_text(
        "\n\n".join(
            [title, date, changed, *paragraphs[1:], "Officials said the figures could still change."]
        ),
        "utf-8",
    )
    return folder


def _versions_tab(app: App) -> None:
    tabs = app.window.tabs
    tabs.setCurrentWidget(app.window.versions.panel)


def test_versions_tab_lists_the_story_and_diffs_a_version(start_app: StartApp, story_corpus: Path) -> None:
    app = start_app(story_corpus)
    versions = app.window.versions
    app.open("a0-update.txt")
    app.qtbot.waitUntil(lambda: len(versions.model.rows) == 3, timeout=10000)
    assert {r.path for r in versions.model.rows} == {"a0.txt", "a0-wire.txt", "a0-update.txt"}
    tab = app.window.tabs.indexOf(versions.panel)
    assert app.window.tabs.tabText(tab) == "Versions (3)"
    assert "3 versions" in versions.panel.heading.text()
    # The first other version is compared by itself: the update's added sentence is marked.
    app.qtbot.waitUntil(lambda: bool(versions.segments), timeout=10000)
    added = " ".join(s.text for s in versions.segments if s.kind == "added")
    assert "could still change" in added
    assert counts(versions.segments)[0] > 0
    html = versions.panel.diff.toHtml()
    assert "line-through" in html or "underline" in html
    # Pick the wire copy: its dateline and title are words the update does not have.
    versions.panel.pick("a0-wire.txt")
    app.qtbot.waitUntil(
        lambda: versions.panel.summary.text().startswith("Against a0-wire.txt"), timeout=10000
    )
    removed = " ".join(s.text for s in versions.segments if s.kind == "removed")
    assert "WARSAW" in removed and "AGENCY:" in removed
    # Open that version from the tab.
    versions.panel.open_button.click()
    app.qtbot.waitUntil(lambda: app.pane_path() == "a0-wire.txt", timeout=10000)


def test_an_article_without_copies_says_so(start_app: StartApp, story_corpus: Path) -> None:
    app = start_app(story_corpus)
    versions = app.window.versions
    app.open("a1.txt")
    app.qtbot.waitUntil(lambda: "no other versions" in versions.panel.heading.text(), timeout=10000)
    assert [r.path for r in versions.model.rows] == ["a1.txt"]


def test_insights_tab_shows_collocates_keywords_ngrams_and_trends(
    start_app: StartApp, story_corpus: Path
) -> None:
    app = start_app(story_corpus)
    insights = app.window.insights
    app.window.search_edit.setText("fire")
    app.window.search("fire")
    app.qtbot.waitUntil(lambda: "for “fire”" in app.header(), timeout=10000)
    app.window.tabs.setCurrentWidget(insights.panel)
    app.qtbot.waitUntil(lambda: insights.result is not None and insights.result.finished, timeout=15000)
    assert insights.panel.collocates.rows and insights.panel.ngrams.rows
    assert insights.panel.positive.rows
    assert "articles for 'fire'" in insights.panel.status.text()
    app.qtbot.waitUntil(lambda: insights.trends is not None, timeout=10000)
    assert insights.trends is not None and sum(insights.trends.trends[0].counts) > 0
    # A smaller window gives other counts, computed again.
    before = insights.result
    insights.panel.window_size.setValue(1)
    app.qtbot.waitUntil(lambda: insights.result is not before and insights.result.finished, timeout=15000)
    # A click on a collocate searches the query with it.
    word = str(insights.panel.collocates.rows[0][0])
    insights.panel.collocate_view.clicked.emit(insights.panel.collocates.index(0, 0))
    app.qtbot.waitUntil(lambda: f"fire {word}" in app.header(), timeout=10000)


def test_insights_of_a_hidden_tab_wait_for_it_after_a_sync(start_app: StartApp, story_corpus: Path) -> None:
    """A sync does not compute the insights of a tab nobody looks at (over a big corpus that
    was a long, memory-hungry job after every sync); showing the tab computes them, and a sync
    while it is shown computes them again."""
    app = start_app(story_corpus)
    insights = app.window.insights
    app.window.search_edit.setText("fire")
    app.window.search("fire")
    app.qtbot.waitUntil(lambda: "for “fire”" in app.header(), timeout=10000)
    first = sorted(DATA.glob("*fire*.txt"))[3]
    shutil.copy(first, story_corpus / "a3.txt")
    with app.qtbot.waitSignal(app.library.sync_finished, timeout=20000):
        app.library.sync()
    assert insights.result is None
    assert not insights.panel.status.text().startswith("Reading")
    app.window.tabs.setCurrentWidget(insights.panel)
    app.qtbot.waitUntil(lambda: insights.result is not None and insights.result.finished, timeout=15000)
    assert insights.result is not None
    before = insights.result.total
    shutil.copy(sorted(DATA.glob("*fire*.txt"))[4], story_corpus / "a4.txt")
    with app.qtbot.waitSignal(app.library.sync_finished, timeout=20000):
        app.library.sync()

    def computed_again() -> bool:
        result = insights.result
        return result is not None and result.finished and result.total == before + 1

    app.qtbot.waitUntil(computed_again, timeout=15000)


def test_insights_tab_answers_is_and_label_terms(start_app: StartApp, story_corpus: Path) -> None:
    app = start_app(story_corpus)
    insights = app.window.insights
    app.qtbot.waitUntil(lambda: app.library.triage.loaded)
    app.window.triage.apply_label("covid", ["covid0.txt", "covid1.txt"])

    def stored() -> set[str]:
        store = AnnotationStore(app.locations.annotations_db)
        try:
            return marks.paths_with_label(store, str(app.library.corpus), "covid")
        finally:
            store.close()

    app.qtbot.waitUntil(lambda: stored() == {"covid0.txt", "covid1.txt"})  # written on its lane
    app.window.search("label:covid")
    app.qtbot.waitUntil(lambda: "2 results" in app.header(), timeout=10000)
    app.window.tabs.setCurrentWidget(insights.panel)
    app.qtbot.waitUntil(lambda: insights.result is not None and insights.result.finished, timeout=15000)
    assert insights.result is not None and insights.result.total == 2
    assert insights.panel.positive.rows  # the two articles' own words
    app.qtbot.waitUntil(lambda: insights.trends is not None, timeout=10000)
    assert insights.trends is not None and insights.trends.trends[0].total == 2


def _story_row(app: App) -> int:
    model = app.window.model
    for i in range(model.rowCount()):
        if model.index(i).data(StoryRole):
            return i
    raise AssertionError("no story row")


def test_results_show_a_story_once_with_its_versions(start_app: StartApp, story_corpus: Path) -> None:
    app = start_app(story_corpus)
    window = app.window
    assert window.collapse_box.isChecked()  # by default
    window.search("fire")
    app.qtbot.waitUntil(lambda: "stories, " in app.header(), timeout=10000)
    m = re.match(r"(\d+) stories, (\d+) articles for “fire”", app.header())
    assert m is not None and int(m[2]) - int(m[1]) == 2
    paths = app.paths()
    assert len(paths) == int(m[1])
    assert len([p for p in paths if p.startswith("a0")]) == 1  # the story once
    row = _story_row(app)
    index = window.model.index(row)
    assert index.data(StoryRole).startswith("3 versions")
    # A click on "▸ 3 versions" shows the other two under it, indented; another hides them.
    option = QStyleOptionViewItem()
    option.initFrom(window.list_view)
    option.rect = window.list_view.visualRect(index)
    option.font = window.list_view.font()
    badge = window.delegate.badge_rect(option, index)
    app.qtbot.mouseClick(window.list_view.viewport(), Qt.MouseButton.LeftButton, pos=badge.center())
    app.qtbot.waitUntil(lambda: window.model.rowCount() == len(paths) + 2)
    versions = [window.model.index(row + k) for k in (1, 2)]
    assert all(v.data(DepthRole) == 1 for v in versions)
    assert {v.data(PathRole) for v in versions} | {index.data(PathRole)} == {
        "a0.txt",
        "a0-wire.txt",
        "a0-update.txt",
    }
    app.open(versions[0].data(PathRole))  # a version opens like any row
    window.list_view.setCurrentIndex(window.model.index(row))
    window.model.set_expanded(row, False)
    assert window.model.rowCount() == len(paths)
    # Without collapsing: every article, and the choice is remembered.
    window.collapse_box.setChecked(False)
    app.qtbot.waitUntil(lambda: app.header() == f"{m[2]} results for “fire”", timeout=10000)
    assert app.settings.value("search/collapse_versions", type=bool) is False


def test_the_models_pass_the_model_tester(start_app: StartApp, story_corpus: Path, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    app = start_app(story_corpus)
    window = app.window
    window.search("fire")
    app.qtbot.waitUntil(lambda: "stories, " in app.header(), timeout=10000)
    window.model.set_expanded(_story_row(app), True)
    qtmodeltester.check(window.model)
    app.open("a0.txt")
    app.qtbot.waitUntil(lambda: len(window.versions.model.rows) == 3, timeout=10000)
    qtmodeltester.check(window.versions.model)
    window.tabs.setCurrentWidget(window.insights.panel)
    app.qtbot.waitUntil(
        lambda: window.insights.result is not None and window.insights.result.finished, timeout=15000
    )
    for model in (
        window.insights.panel.collocates,
        window.insights.panel.positive,
        window.insights.panel.ngrams,
    ):
        qtmodeltester.check(model)
