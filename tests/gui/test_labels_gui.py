"""Labels managed in the window (rename, merge, recolour, delete with Ctrl+Z), rules run with
progress and quick writes between their batches, and unread counts of searches on a corpus
above the path table's quick size."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import reader.gui.views.label_manager as label_manager
from reader.core import marks, rules
from reader.core.annotations import AnnotationStore
from reader.core.saved_searches import save_search, saved_searches
from reader.gui.tasks.runner import WriteOp
from reader.gui.window.sync_status import RULES_PROGRESS
from tests.gui.harness import App, StartApp
from tests.helpers import write_article

SEED = "000_a48a5c26eb42239f.txt"


def stored(app: App, name: str) -> set[str]:
    store = AnnotationStore(app.locations.annotations_db)
    try:
        return marks.paths_with_label(store, str(app.library.corpus), name)
    finally:
        store.close()


def stored_labels(app: App) -> dict[str, str]:
    store = AnnotationStore(app.locations.annotations_db)
    try:
        return {x.name: x.color for x in marks.labels(store, str(app.library.corpus))}
    finally:
        store.close()


def start(start_app: StartApp, corpus: Path, **options: int) -> App:
    app = start_app(corpus, **options)
    app.settings.setValue("triage/mark_read_ms", -1)
    # The first sync's rule run (no rules yet) is over.
    app.qtbot.waitUntil(lambda: app.library.triage.loaded and not app.library.triage.rules_running)
    return app


def chips(app: App, path: str) -> list[tuple[str, str]]:
    return [(x.name, x.css) for x in app.library.triage.labels_of(path)]


def test_rename_recolour_merge_and_delete_with_undo_in_the_labels_dialog(
    start_app: StartApp, corpus: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = start(start_app, corpus)
    window = app.window
    window.triage.apply_label("conflict", [SEED, "scattered.txt"])
    window.triage.apply_label("economy", ["markets/wire.txt"])
    qtbot.waitUntil(lambda: stored(app, "conflict") == {SEED, "scattered.txt"})
    key = str(app.library.corpus)
    store = AnnotationStore(app.locations.annotations_db)
    rule = save_search(store, key, "Caucasus", "Karabakh", set())
    store.close()
    window.triage.triage.make_rule(rule.id, "conflict")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: app.library.triage.state.rules == {rule.id: "conflict"})

    window.manage_labels_action.trigger()
    dialog = window.labels.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.names() == ["conflict", "economy"])
    assert "2 articles" in dialog.list.item(0).text()

    # Rename: the chips, the rule and the database follow.
    monkeypatch.setattr(label_manager, "ask_new_name", lambda *_a: "war")
    dialog.select("conflict")
    dialog.rename_button.click()
    qtbot.waitUntil(lambda: dialog.names() == ["economy", "war"])
    qtbot.waitUntil(lambda: [n for n, _ in chips(app, SEED)] == ["war"])
    assert stored(app, "war") == {SEED, "scattered.txt"} and stored(app, "conflict") == set()
    assert app.library.triage.state.rules == {rule.id: "war"}
    assert any(m.startswith("Renamed “conflict” to “war”: 2 articles") for m in app.messages)

    # Recolour with a colour of one's own: the chips repaint.
    monkeypatch.setattr(label_manager, "ask_color", lambda *_a: "#fab005")
    dialog.select("war")
    dialog.color_button.click()
    qtbot.waitUntil(lambda: chips(app, SEED) == [("war", "#fab005")])
    assert stored_labels(app)["war"] == "#fab005"

    # Rename onto an existing name merges, after asking.
    asked: list[str] = []
    monkeypatch.setattr(label_manager, "ask_new_name", lambda *_a: "War")
    monkeypatch.setattr(label_manager, "confirm", lambda _p, _t, text: asked.append(text) or True)
    dialog.select("economy")
    dialog.rename_button.click()
    qtbot.waitUntil(lambda: dialog.names() == ["war"])
    assert asked and "Merge “economy” into it" in asked[0]
    assert stored(app, "war") == {SEED, "scattered.txt", "markets/wire.txt"}
    assert any(m.startswith("Merged “economy” into “war”") for m in app.messages)

    # Delete, after confirming what it reaches; Ctrl+Z brings it back on everything.
    asked.clear()
    dialog.select("war")
    dialog.delete_button.click()
    qtbot.waitUntil(lambda: dialog.names() == [])
    assert "3 articles and 0 highlights" in asked[0] and "The rule giving it stop" in asked[0]
    qtbot.waitUntil(lambda: stored(app, "war") == set())
    assert chips(app, SEED) == [] and app.library.triage.state.rules == {}
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # in the dialog
    qtbot.waitUntil(lambda: stored(app, "war") == {SEED, "scattered.txt", "markets/wire.txt"})
    qtbot.waitUntil(lambda: chips(app, SEED) == [("war", "#fab005")])
    assert app.library.triage.state.rules == {rule.id: "war"}
    qtbot.waitUntil(lambda: dialog.names() == ["war"])


def test_a_cancelled_delete_changes_nothing(
    start_app: StartApp, corpus: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = start(start_app, corpus)
    app.window.triage.apply_label("keep", [SEED])
    qtbot.waitUntil(lambda: stored(app, "keep") == {SEED})
    monkeypatch.setattr(label_manager, "confirm", lambda *_a: False)
    app.window.labels.delete("keep")
    monkeypatch.setattr(label_manager, "ask_new_name", lambda *_a: None)
    app.window.labels.rename("keep")
    # A write queued after them has run, so they would have too.
    app.window.triage.apply_label("other", [SEED])
    qtbot.waitUntil(lambda: stored(app, "other") == {SEED})
    assert stored(app, "keep") == {SEED}


@pytest.mark.qt_log_ignore("This plugin does not support (grabbing|raise)")  # a menu shown offscreen
def test_the_labels_facet_offers_a_labels_menu_by_right_click(
    start_app: StartApp, corpus: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = start(start_app, corpus)
    app.window.triage.apply_label("conflict", [SEED])
    facets = app.window.facets
    qtbot.waitUntil(lambda: dict(facets.facets.labels) == {"conflict": 1}, timeout=10000)
    act = next(a for a in facets.label_menu.actions() if a.text().startswith("conflict"))
    assert act.data() == "conflict"
    assert any(a.text() == "&Manage Labels…" for a in facets.label_menu.actions())
    requested: list[str] = []
    facets.label_menu_requested.connect(lambda name, _pos: requested.append(name))
    facets.label_menu.popup(app.window.mapToGlobal(app.window.rect().center()))
    qtbot.waitUntil(facets.label_menu.isVisible)
    pos = facets.label_menu.actionGeometry(act).center()
    facets._on_label_menu_context_menu_requested(pos)  # what a right-click there does
    facets.label_menu.hide()
    assert requested == ["conflict"]
    menu = app.window.labels.menu_for("conflict", app.window)
    colours = next(a.menu() for a in menu.actions() if a.text() == "&Colour")
    next(a for a in colours.actions() if a.text() == "teal").trigger()
    qtbot.waitUntil(lambda: stored_labels(app) == {"conflict": "teal"})


def test_a_rule_labels_a_file_added_later_with_progress_in_the_status_bar(
    start_app: StartApp, corpus: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "RULE_BATCH", 1)
    app = start(start_app, corpus)
    store = AnnotationStore(app.locations.annotations_db)
    saved = save_search(store, str(app.library.corpus), "Caucasus", "Artsakh OR Karabakh OR Minsk", set())
    store.close()
    triage = app.library.triage
    progress: list[tuple[int, int]] = []
    triage.rules_progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(triage.rules_finished, timeout=10000):
        triage.make_rule(saved.id, "conflict")
    assert progress[:1] == [(0, 2)] and progress[-1] == (2, 2), app.messages
    for n in range(3):
        write_article(corpus, f"later/artsakh{n}.txt", "Artsakh", "2021-03-03", f"News {n} from Artsakh.")
    progress.clear()
    with qtbot.waitSignal(triage.rules_finished, timeout=20000):
        app.library.sync()
    assert progress == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert any(m == f"{RULES_PROGRESS} 2 / 3" for m in app.messages)
    qtbot.waitUntil(lambda: {f"later/artsakh{n}.txt" for n in range(3)} <= stored(app, "conflict"))
    qtbot.waitUntil(lambda: not app.window.progress_bar.isVisible())
    assert any(m.startswith("Rules put “conflict” on 3 articles") for m in app.messages)
    store = AnnotationStore(app.locations.annotations_db)
    assert [s.label_id is not None for s in saved_searches(store, str(app.library.corpus))] == [True]
    store.close()


def test_a_long_rule_run_lets_a_quick_write_go_between_its_batches(
    start_app: StartApp, corpus: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marking an article read while rules label 100,000 articles is written at once, not
    after them: the run lets the writer lane's quick jobs go between its batches."""
    monkeypatch.setattr(rules, "RULE_BATCH", 1)
    app = start(start_app, corpus)
    store = AnnotationStore(app.locations.annotations_db)
    saved = save_search(store, str(app.library.corpus), "All", "Minsk OR Karabakh OR harbour OR fire", set())
    store.close()
    events: list[str] = []
    add_label, set_read = marks.add_label, marks.set_read
    monkeypatch.setattr(marks, "add_label", lambda *a, **k: events.append("label") or add_label(*a, **k))
    monkeypatch.setattr(marks, "set_read", lambda *a, **k: events.append("read") or set_read(*a, **k))
    triage = app.library.triage
    gate = threading.Event()
    # Hold the writer lane so the rule run and the marking are both queued before it runs.
    WriteOp(app.library.tasks, lambda _ctx: gate.wait(10)).long().run()
    triage.make_rule(saved.id, "everything")
    triage.set_read([SEED])
    with qtbot.waitSignal(triage.rules_finished, timeout=10000):
        gate.set()
    labels = [i for i, e in enumerate(events) if e == "label"]
    assert len(labels) >= 3 and events.index("read") < labels[-1], events
    qtbot.waitUntil(lambda: len(stored(app, "everything")) >= 3)


def test_a_plain_search_on_a_large_corpus_shows_its_unread_count(
    start_app: StartApp, corpus: Path, qtbot: QtBot
) -> None:
    """Above the quick size (here 2 articles, 5,000 in use) a plain search does not read the path
    table itself: it is filled in the background and the count follows, in the list header, the
    window title and after a sync."""
    start(start_app, corpus).close()  # indexed: the next session's sync changes nothing
    app = start(start_app, corpus, quick_table_docs=2)
    app.window.search("Minsk")
    qtbot.waitUntil(lambda: app.header().startswith("2 results"))
    qtbot.waitUntil(lambda: app.window.triage.unread_label.text() == "2 unread", timeout=10000)
    assert app.window.windowTitle() == "corpus (2 unread) — Corpus Reader"
    app.library.triage.set_read([SEED])
    qtbot.waitUntil(lambda: app.window.triage.unread_label.text() == "1 unread")
    write_article(corpus, "later/minsk.txt", "Minsk", "2021-03-03", "The Minsk group met again.")
    with qtbot.waitSignal(app.library.triage.paths_ready, timeout=20000):
        app.library.sync()
    app.window.search("Minsk group")
    qtbot.waitUntil(lambda: app.header().startswith("3 results"))
    qtbot.waitUntil(lambda: app.window.triage.unread_label.text() == "2 unread", timeout=10000)
    assert app.window.windowTitle() == "corpus (2 unread) — Corpus Reader"
