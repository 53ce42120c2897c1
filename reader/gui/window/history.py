"""Back and Forward over the articles opened, as a web browser walks its pages.

No Qt here: the window records each article it opens (with the reading position it leaves it
at) and asks for the previous or next one; walking does not record.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The most articles remembered; the oldest are forgotten first.
MAX_ENTRIES = 200


@dataclass
class Visit:
    path: str
    position: int = 0  # the reading position (an offset in the article's plain text)


class History:
    """The articles opened, oldest first, and where the user is among them."""

    def __init__(self, limit: int = MAX_ENTRIES) -> None:
        self.limit = limit
        self.visits: list[Visit] = []
        self.index = -1

    @property
    def current(self) -> Visit | None:
        return self.visits[self.index] if 0 <= self.index < len(self.visits) else None

    def can_go_back(self) -> bool:
        return self.index > 0

    def can_go_forward(self) -> bool:
        return 0 <= self.index < len(self.visits) - 1

    def visit(self, path: str, position: int = 0) -> None:
        """The user opened ``path``: it becomes the current entry; what was ahead is dropped."""
        current = self.current
        if current is not None and current.path == path:
            current.position = position
            return
        del self.visits[self.index + 1 :]
        self.visits.append(Visit(path, position))
        if len(self.visits) > self.limit:
            del self.visits[: len(self.visits) - self.limit]
        self.index = len(self.visits) - 1

    def remember_position(self, position: int) -> None:
        """Where the user is reading in the current article (kept for coming back to it)."""
        if self.current is not None:
            self.current.position = position

    def back(self) -> Visit | None:
        if not self.can_go_back():
            return None
        self.index -= 1
        return self.visits[self.index]

    def forward(self) -> Visit | None:
        if not self.can_go_forward():
            return None
        self.index += 1
        return self.visits[self.index]

    def forget(self, path: str) -> None:
        """Drop ``path`` (the article is gone), keeping the place among the rest."""
        kept = [v for v in self.visits if v.path != path]
        before = sum(1 for v in self.visits[: self.index + 1] if v.path != path)
        self.visits = [v for i, v in enumerate(kept) if i == 0 or v.path != kept[i - 1].path]
        self.index = min(max(before - 1, 0), len(self.visits) - 1)

    def clear(self) -> None:
        self.visits = []
        self.index = -1
