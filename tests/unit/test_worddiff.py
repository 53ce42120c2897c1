"""The word diff the Versions panel marks."""

from __future__ import annotations

from reader.core.worddiff import counts, word_diff


def test_words_added_and_removed_are_marked() -> None:
    old = "Five people died in the fire on Monday, officials said."
    new = "Seven people died in the fire on Monday,\nofficials said on Tuesday."
    segments = word_diff(old, new)
    assert [(s.kind, s.text.strip()) for s in segments if s.kind != "same"] == [
        ("removed", "Five"),
        ("added", "Seven"),
        ("removed", "said."),
        ("added", "said on Tuesday."),
    ]
    assert "".join(s.text for s in segments if s.kind != "removed") == new  # the open version, whole
    assert counts(segments) == (4, 2)


def test_identical_texts_have_no_changes() -> None:
    segments = word_diff("a b  c", "a b  c")
    assert all(s.kind == "same" for s in segments) and counts(segments) == (0, 0)
