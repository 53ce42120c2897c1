"""Articles from saved pages, feeds, mail and EPUB in the window: listed, read as text (never
rendered as HTML), their web address a link to the browser, the original file one action away."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from tests.format_samples import RSS_WITH_CDATA, mbox, news_page, newsletter
from tests.gui.harness import App, StartApp
from tests.helpers import write_article

PAGE_URL = "https://courier.example.com/news/2020/07/30/harbour-fire"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """What the desktop was asked to open (instead of a real browser or file manager)."""
    urls: list[QUrl] = []

    def record(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(record))
    return urls


@pytest.fixture
def app(start_app: StartApp, tmp_path: Path) -> App:
    root = tmp_path / "mixed"
    write_article(root, "plain.txt", "A plain article", "1 March 2021", "Text about the lighthouse keeper.")
    (root / "fire.html").write_text(news_page(), encoding="utf-8")
    (root / "feeds").mkdir()
    (root / "feeds" / "gazette.rss").write_text(RSS_WITH_CDATA, encoding="utf-8")
    (root / "inbox.mbox").write_bytes(mbox(newsletter()))
    return start_app(root)


def test_every_format_is_listed_and_read_as_plain_text(app: App) -> None:
    assert sorted(app.paths()) == [
        "feeds/gazette.rss#gazette-1001",
        "feeds/gazette.rss#https://gazette.example.org/2021/03/ferry",
        "fire.html",
        "inbox.mbox#nl-42@news.example.com",
        "plain.txt",
    ]
    app.open("fire.html")
    article = app.window.pane.article
    assert article is not None and app.pane_text() == article.plain_text  # offsets hold
    assert "cookies" not in app.pane_text()
    app.open("feeds/gazette.rss#gazette-1001")
    assert app.pane_title() == "Cafés reopen on the quay & market square"
    assert "<p>" not in app.pane_text() and "alert" not in app.pane_text()


def test_the_url_is_shown_and_opens_in_the_browser(app: App, opened: list[QUrl]) -> None:
    app.open("fire.html")
    label = app.window.pane.url_label
    assert label.isVisible() and PAGE_URL in label.text()
    label.linkActivated.emit(PAGE_URL)
    assert opened == [QUrl(PAGE_URL)]


def test_an_article_without_a_url_shows_no_link(app: App) -> None:
    app.open("plain.txt")
    assert not app.window.pane.url_label.isVisible()
    assert app.window.pane.original_button.isVisible()


def test_open_the_original_file_of_any_article(app: App, qtbot: QtBot, opened: list[QUrl]) -> None:
    assert app.corpus is not None
    app.open("feeds/gazette.rss#gazette-1001")
    app.window.open_original_action.trigger()
    app.open("plain.txt")
    qtbot.mouseClick(app.window.pane.original_button, Qt.MouseButton.LeftButton)
    assert opened == [
        QUrl.fromLocalFile(str(app.corpus / "feeds" / "gazette.rss")),
        QUrl.fromLocalFile(str(app.corpus / "plain.txt")),
    ]
