"""Back / Forward over the articles opened (reader/gui/window/history.py has no Qt)."""

from __future__ import annotations

from reader.gui.window.history import History


def test_back_and_forward_walk_the_articles_opened() -> None:
    h = History()
    for path in ("a", "b", "c"):
        h.visit(path)
    assert not h.can_go_forward() and h.can_go_back()
    h.remember_position(120)
    back = h.back()
    assert back is not None and back.path == "b"
    assert h.back().path == "a" and h.back() is None  # type: ignore[union-attr]
    forward = h.forward()
    assert forward is not None and forward.path == "b"
    c = h.forward()
    assert c is not None and (c.path, c.position) == ("c", 120)


def test_a_new_visit_drops_what_was_ahead_and_repeats_are_one_entry() -> None:
    h = History()
    for path in ("a", "b", "c"):
        h.visit(path)
    h.back()
    h.back()
    h.visit("d")
    assert [v.path for v in h.visits] == ["a", "d"] and not h.can_go_forward()
    h.visit("d", 50)
    assert [v.path for v in h.visits] == ["a", "d"] and h.current is not None and h.current.position == 50


def test_the_oldest_are_forgotten_past_the_limit_and_a_deleted_article_goes() -> None:
    h = History(limit=3)
    for path in "abcde":
        h.visit(path)
    assert [v.path for v in h.visits] == ["c", "d", "e"]
    h.back()
    h.forget("d")
    assert [v.path for v in h.visits] == ["c", "e"] and h.current is not None and h.current.path == "c"
