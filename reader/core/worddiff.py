"""A word-by-word diff of two versions of an article, for the Versions panel."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_WORDS = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" (only in the open version) or "removed" (only in the other)
    text: str


def word_diff(other: str, current: str) -> list[Segment]:
    """How ``current`` differs from ``other``, word by word (whitespace kept with each word)."""
    a = _WORDS.findall(other)
    b = _WORDS.findall(current)
    # Compare words without their trailing space, so a reflowed line is not a change.
    matcher = difflib.SequenceMatcher(None, [w.rstrip() for w in a], [w.rstrip() for w in b], autojunk=False)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", "".join(b[j1:j2])))
            continue
        if op in ("delete", "replace"):
            out.append(Segment("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Segment("added", "".join(b[j1:j2])))
    return out


def counts(segments: list[Segment]) -> tuple[int, int]:
    """Words added and removed."""
    added = sum(len(s.text.split()) for s in segments if s.kind == "added")
    removed = sum(len(s.text.split()) for s in segments if s.kind == "removed")
    return added, removed
