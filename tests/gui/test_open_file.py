"""Opening an article file with the app (Open With, a command-line FILE, a later launch): the window
shows it, in the corpus when it lies there, else on its own; and the start-up dialogs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reader.core.locations import Locations
from reader.gui import launch
from reader.gui.launch import corpus_problem
from reader.gui.window.single_instance import LaunchRequest, claim
from tests.gui.harness import App, StartApp
from tests.helpers import SEED


@pytest.fixture
def app(start_app: StartApp) -> App:
    """The window with no corpus open yet: each test opens one as it needs."""
    return start_app()


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "letter.txt"
    path.parent.mkdir()
    path.write_text("A letter from elsewhere\n\n2 May 2021\n\nIt is not in the corpus.\n", encoding="utf-8")
    return path


def test_a_file_in_the_corpus_is_shown_and_selected_in_the_list(app: App, qtbot: QtBot, corpus: Path) -> None:
    app.open_corpus(corpus)
    assert app.window.show_file(corpus / "markets" / "fire.md") == "markets/fire.md"
    qtbot.waitUntil(lambda: app.pane_title() == "Warehouse fire in the harbour")
    assert app.selected() == "markets/fire.md"
    assert re.fullmatch(r"corpus \(\d unread\) — Corpus Reader", app.window.windowTitle())


def test_a_file_given_at_start_shows_at_once_and_is_selected_when_the_list_arrives(
    app: App, qtbot: QtBot, corpus: Path
) -> None:
    app.open_corpus(corpus, wait=False)  # as at start: the index is not open yet, the list is empty
    assert app.window.show_file(corpus / "markets" / ".." / "markets" / "fire.md") == "markets/fire.md"
    qtbot.waitUntil(lambda: app.pane_title() == "Warehouse fire in the harbour", timeout=10000)
    qtbot.waitUntil(lambda: app.selected() == "markets/fire.md", timeout=20000)
    assert app.pane_title() == "Warehouse fire in the harbour"


def test_a_file_outside_the_corpus_is_read_on_its_own(
    app: App, qtbot: QtBot, corpus: Path, letter: Path
) -> None:
    app.open_corpus(corpus)
    app.window.list_view.setCurrentIndex(app.window.model.index(0))
    rows = app.window.model.rowCount()
    assert app.window.show_file(letter) is None
    qtbot.waitUntil(lambda: app.pane_title() == "A letter from elsewhere")
    assert app.window.windowTitle() == "letter.txt (not in the corpus) — Corpus Reader"
    assert app.selected() is None
    assert app.window.statusBar().currentMessage() == f"A file outside the corpus: {letter}"
    library = app.session.library
    assert library is not None and library.corpus == corpus.resolve()  # the corpus did not change
    assert app.window.model.rowCount() == rows
    # Not an article of the corpus: nothing to bookmark or highlight it under.
    assert not app.window.annotations.bookmark_action.isEnabled()

    # Picking an article of the corpus again: the title names the corpus again.
    app.window.list_view.setCurrentIndex(app.window.model.index(0))
    qtbot.waitUntil(lambda: app.pane_title() != "A letter from elsewhere")
    assert re.fullmatch(r"corpus \(\d unread\) — Corpus Reader", app.window.windowTitle())
    assert not app.window.statusBar().currentMessage().startswith("A file outside")


def test_a_missing_file_says_so_in_the_pane(app: App, qtbot: QtBot, corpus: Path, tmp_path: Path) -> None:
    app.open_corpus(corpus)
    app.window.show_file(tmp_path / "gone.txt")
    qtbot.waitUntil(lambda: "Cannot show" in app.window.pane.view.toPlainText())
    assert "gone.txt" in app.window.pane.view.toPlainText()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen; bring_to_front raises
def test_a_later_launch_can_switch_corpus_and_show_several_files(
    app: App, qtbot: QtBot, corpus: Path, tmp_path: Path, letter: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="corpus-reader")
    first = tmp_path / "first"
    first.mkdir()
    (first / "one.txt").write_text("The only article\n\nText.\n", encoding="utf-8")
    app.open_corpus(first)
    app.session.handle_request(LaunchRequest((corpus / SEED, letter), corpus))
    library = app.session.library
    assert library is not None and library.corpus == corpus.resolve()
    qtbot.waitUntil(lambda: app.selected() == SEED, timeout=20000)
    assert app.pane_title() is not None and app.pane_title() != "The only article"
    assert f"Not shown (one article at a time): {letter}" in caplog.text


def test_the_running_window_answers_a_request_and_ignores_garbage(qtbot: QtBot, tmp_path: Path) -> None:
    server = claim(tmp_path, LaunchRequest())
    assert server is not None
    try:
        for payload, answer in (
            (LaunchRequest((Path("/news/a.txt"),), Path("/news")).to_bytes(), b"ok\n"),
            (b"\xff not json\n", b"error\n"),
        ):
            received: list[LaunchRequest] = []
            server.request_received.connect(received.append)
            socket = QLocalSocket()
            socket.connectToServer(server.name)
            socket.write(payload)
            reply = bytearray()
            socket.readyRead.connect(lambda s=socket, r=reply: r.extend(bytes(s.readAll().data())))
            qtbot.waitUntil(lambda r=reply, a=answer: bytes(r) == a)
            server.request_received.disconnect(received.append)
            if answer == b"ok\n":
                assert received == [LaunchRequest((Path("/news/a.txt"),), Path("/news"))]
            else:
                assert received == []
            socket.abort()
    finally:
        server.close()


def test_launch_request_round_trip_and_malformed() -> None:
    request = LaunchRequest((Path("/a b/ä.txt"),), None)
    assert LaunchRequest.from_bytes(request.to_bytes()) == request
    for bad in (b"[]", b'{"files": "x"}', b'{"corpus": 3}', b"\xff"):
        with pytest.raises(ValueError):
            LaunchRequest.from_bytes(bad)


def test_an_unusable_data_folder_gives_a_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a: shown.append(text))
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    assert launch.run_gui(None, Locations.resolve(not_a_folder)) == 1
    assert len(shown) == 1 and "The data folder cannot be used" in shown[0] and str(not_a_folder) in shown[0]
    assert "The data folder cannot be used" in capsys.readouterr().err


def test_corpus_problems_in_words(tmp_path: Path) -> None:
    assert corpus_problem(tmp_path) is None
    assert corpus_problem(tmp_path / "nope") == f"The corpus folder does not exist:\n{tmp_path / 'nope'}"
    (tmp_path / "f").write_text("", encoding="utf-8")
    assert corpus_problem(tmp_path / "f") is not None


def test_opening_an_unreadable_corpus_keeps_the_current_one_and_says_why(
    app: App, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.open_corpus(corpus)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text))
    app.session.open_corpus(tmp_path / "nope")
    assert shown == [f"The corpus folder does not exist:\n{tmp_path / 'nope'}"]
    library = app.session.library
    assert library is not None and library.corpus == corpus.resolve()
