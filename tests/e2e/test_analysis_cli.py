"""The stories, collocates, keywords, ngrams and trends commands, run as the real program."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import run
from tests.story_labels import DATA, make_labelled_set


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("analysis")
    labels = make_labelled_set(root / "corpus")
    # Keep it small: the first 12 originals and their versions.
    for name in list(labels):
        if int(name[:2]) >= 12:
            (root / "corpus" / name).unlink()
            del labels[name]
    done = run("--corpus", root / "corpus", "--data-dir", root / "data", "index")
    assert done.returncode == 0, done.stderr
    return root / "corpus", root / "data", labels


def cli(labelled: tuple[Path, Path, dict[str, str]], *args: str) -> str:
    corpus, data, _ = labelled
    done = run("--corpus", corpus, "--data-dir", data, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_stories_json_is_one_story_a_line_with_its_versions(
    labelled: tuple[Path, Path, dict[str, str]],
) -> None:
    lines = [json.loads(line) for line in cli(labelled, "stories", "--json").splitlines()]
    assert all(set(line) == {"story", "articles"} for line in lines)
    labels = labelled[2]
    groups = sorted(sorted(line["articles"]) for line in lines)
    expected = sorted(sorted(n for n in labels if labels[n] == key) for key in set(labels.values()))
    assert groups == expected


def test_stories_of_a_query_and_the_text_listing(labelled: tuple[Path, Path, dict[str, str]]) -> None:
    lines = [json.loads(line) for line in cli(labelled, "stories", "Magnitogorsk", "--json").splitlines()]
    assert lines == [] or all(len(line["articles"]) == 6 for line in lines)
    text = cli(labelled, "stories", "fire")
    first = text.splitlines()[0]
    assert first.endswith("for 'fire'") and " stories, " in first and "6 versions" in text


def test_search_json_hits_carry_story_and_versions(labelled: tuple[Path, Path, dict[str, str]]) -> None:
    data = json.loads(cli(labelled, "search", "fire", "--json", "--limit", "50"))
    assert data["hits"]
    by_path = {h["path"]: h for h in data["hits"]}
    for hit in data["hits"]:
        assert hit["versions"] == 6
        key = hit["path"][:2]
        same = [h for p, h in by_path.items() if p[:2] == key]
        assert {h["story"] for h in same} == {hit["story"]}
    assert len({h["story"] for h in data["hits"]}) == len({p[:2] for p in by_path})


def test_collocates_json_and_csv(labelled: tuple[Path, Path, dict[str, str]]) -> None:
    data = json.loads(cli(labelled, "collocates", "fire", "--json"))
    assert data["window"] == 5 and data["measure"] == "ll" and data["occurrences"] > 0
    words = [c["word"] for c in data["collocates"]]
    assert words and "fire" not in words and "the" not in words  # the node and stop words left out
    top = data["collocates"][0]
    assert top["count"] == top["left"] + top["right"] >= 3
    rows = list(
        csv.reader(io.StringIO(cli(labelled, "collocates", "fire", "--format", "csv", "--window", "2")))
    )
    assert rows[0] == ["word", "count", "left", "right", "frequency", "score"] and len(rows) > 1
    mi = json.loads(cli(labelled, "collocates", "fire", "--measure", "mi", "--json", "--min-freq", "5"))
    assert all(c["count"] >= 5 for c in mi["collocates"])


def test_keywords_json_and_csv(labelled: tuple[Path, Path, dict[str, str]]) -> None:
    data = json.loads(cli(labelled, "keywords", "fire", "--json"))
    assert data["keywords"] and data["negative"]
    assert all(k["log_ratio"] > 0 for k in data["keywords"])
    assert all(k["log_ratio"] < 0 for k in data["negative"])
    assert data["keywords"][0]["log_likelihood"] >= data["keywords"][-1]["log_likelihood"]
    rows = list(csv.DictReader(io.StringIO(cli(labelled, "keywords", "fire", "--format", "csv"))))
    assert {r["direction"] for r in rows} == {"positive", "negative"}


def test_ngrams_contain_the_term(labelled: tuple[Path, Path, dict[str, str]]) -> None:
    data = json.loads(cli(labelled, "ngrams", "fire", "--json"))
    assert data["ngrams"]
    for gram in data["ngrams"]:
        assert 2 <= gram["n"] <= 4 and gram["count"] >= 2
        assert "fire" in gram["ngram"].split() or "fires" in gram["ngram"].split()
    rows = list(csv.reader(io.StringIO(cli(labelled, "ngrams", "fire", "--format", "csv"))))
    assert rows[0] == ["ngram", "n", "count"]


def test_trends_counts_and_shares(labelled: tuple[Path, Path, dict[str, str]]) -> None:
    data = json.loads(cli(labelled, "trends", "fire", '"Hong Kong"', "--json"))
    assert data["unit"] in ("day", "week", "month", "year")
    assert [t["term"] for t in data["terms"]] == ["fire", '"Hong Kong"']
    fire = data["terms"][0]
    assert sum(fire["counts"]) == json.loads(cli(labelled, "search", "fire", "--json"))["total"]
    for i, period in enumerate(data["periods"]):
        if period["articles"]:
            assert fire["shares"][i] == pytest.approx(fire["counts"][i] / period["articles"], abs=1e-6)
    rows = list(csv.DictReader(io.StringIO(cli(labelled, "trends", "fire", "--format", "csv"))))
    assert rows and set(rows[0]) == {"term", "start", "end", "count", "share", "articles"}


def test_a_sync_updates_stories_for_what_changed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    originals = sorted(DATA.glob("*.txt"))[:3]
    for i, path in enumerate(originals):
        shutil.copy(path, corpus / f"a{i}.txt")
    args = ("--corpus", corpus, "--data-dir", tmp_path / "d")
    assert run(*args, "index").returncode == 0
    text = originals[0].read_text("utf-8").split("\n", 1)[1]
    (corpus / "copy.txt").write_text("Another title for it\n" + text, "utf-8")
    done = run(*args, "stories", "--json")
    assert done.returncode == 0, done.stderr
    groups = sorted(sorted(json.loads(line)["articles"]) for line in done.stdout.splitlines())
    assert groups == [["a0.txt", "copy.txt"], ["a1.txt"], ["a2.txt"]]


def test_bad_arguments_are_usage_errors(labelled: tuple[Path, Path, dict[str, str]]) -> None:
    corpus, data, _ = labelled
    done = run("--corpus", corpus, "--data-dir", data, "collocates", "fire", "--window", "0")
    assert done.returncode == 2 and "must be 1 or more" in done.stderr
    done = run("--corpus", corpus, "--data-dir", data, "trends")
    assert done.returncode == 2


def test_is_and_label_terms_count_as_in_search(tmp_path: Path) -> None:
    # Every analysis command answers is:/label: from the annotations database, as search does.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    originals = sorted(DATA.glob("*.txt"))[:8]
    for i, path in enumerate(originals):
        shutil.copy(path, corpus / f"a{i}.txt")
    args = ("--corpus", corpus, "--data-dir", tmp_path / "d")

    def ok(*more: str) -> str:
        done = run(*args, *more)
        assert done.returncode == 0, done.stderr
        return done.stdout

    ok("label", "add", "picked", "a1.txt", "a4.txt")
    ok("mark", "read", "a0.txt")
    labelled = {h["path"] for h in json.loads(ok("search", "label:picked", "--json"))["hits"]}
    assert labelled == {"a1.txt", "a4.txt"}
    assert json.loads(ok("keywords", "label:picked", "--json", "--min-freq", "1"))["articles"] == 2
    keywords = json.loads(ok("keywords", "label:picked", "--json", "--min-freq", "1"))["keywords"]
    assert keywords
    word = keywords[0]["word"]
    assert json.loads(ok("collocates", f"label:picked {word}", "--json"))["articles"] >= 1
    everything = json.loads(ok("ngrams", word, "--json"))
    unread = json.loads(ok("ngrams", f"is:unread {word}", "--json"))
    read = json.loads(ok("search", f"is:read {word}", "--json"))["total"]
    assert unread["articles"] == everything["articles"] - read and unread["ngrams"]
    stories = [json.loads(line) for line in ok("stories", "label:picked", "--json").splitlines()]
    assert sorted(p for s in stories for p in s["articles"]) == ["a1.txt", "a4.txt"]
    trend = json.loads(ok("trends", word, "is:read", "--within", "label:picked", "--json"))
    assert sum(p["articles"] for p in trend["periods"]) == 2
    assert trend["terms"][1]["total"] == 0 and trend["terms"][0]["total"] >= 1
    kwic = json.loads(ok("concordance", f"label:picked {word}", "--json"))
    assert kwic["articles"] >= 1
