"""File ▸ Export Results… and Export Concordance…: CSV (and JSON), one row per hit or occurrence."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import reader.gui.window.main_window as main_window_module
from tests.gui.harness import App


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_results_and_concordance_export_as_csv_and_json(
    app: App, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = app.window
    window.search("Minsk")
    qtbot.waitUntil(lambda: app.header() == "2 results for “Minsk”")
    target = tmp_path / "results.csv"
    monkeypatch.setattr(main_window_module, "ask_export_target", lambda *_a: (target, "csv"))
    window.export_results()
    qtbot.waitUntil(target.exists)
    qtbot.waitUntil(lambda: "Exported 2 rows" in window.statusBar().currentMessage())
    rows = read_csv(target)
    assert [r["path"] for r in rows] == app.paths() and rows[0]["rank"] == "1"
    assert set(rows[0]) == {"rank", "path", "title", "date", "source", "score", "snippet"}

    as_json = tmp_path / "results.json"
    monkeypatch.setattr(main_window_module, "ask_export_target", lambda *_a: (as_json, "json"))
    window.export_results()
    qtbot.waitUntil(as_json.exists)
    qtbot.waitUntil(lambda: as_json.stat().st_size > 0 and "Exported" in window.statusBar().currentMessage())
    data = json.loads(as_json.read_text("utf-8"))
    assert data["total"] == 2 and [h["path"] for h in data["hits"]] == app.paths()

    window.concordance.show_panel()
    controller = window.concordance
    qtbot.waitUntil(
        lambda: controller.finished and controller.run is not None and controller.run.query == "Minsk"
    )
    kwic = tmp_path / "kwic.csv"
    monkeypatch.setattr(main_window_module, "ask_export_target", lambda *_a: (kwic, "csv"))
    window.export_concordance()
    qtbot.waitUntil(kwic.exists)
    qtbot.waitUntil(lambda: "Exported 18 occurrences" in window.statusBar().currentMessage())
    occurrences = read_csv(kwic)
    assert len(occurrences) == 18 and {o["match"] for o in occurrences} == {"Minsk"}
