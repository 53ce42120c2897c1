"""Export annotations as W3C Web Annotations (JSON-LD) or Markdown; import them back.

Import is all or nothing: the whole file is read and checked before anything is written, and it
is idempotent by annotation id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from itertools import groupby
from typing import Any

from reader.core.anchoring import Quote, anchor, quote_at, text_hash
from reader.core.annotations import COLORS, Annotation, AnnotationError, new_id, now

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: The CSS colours behind the colour names; exported as the annotations' stylesheet.
COLOR_CSS = {
    "yellow": "#ffe066",
    "green": "#8ce99a",
    "blue": "#74c0fc",
    "pink": "#faa2c1",
    "purple": "#b197fc",
}


def to_w3c(annotations: list[Annotation]) -> dict[str, Any]:
    """An AnnotationCollection holding every annotation, highlights and bookmarks."""
    items = []
    for a in annotations:
        selectors: list[dict[str, Any]] = []
        if a.kind == "highlight":
            selectors.append(
                {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix}
            )
        selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
        target: dict[str, Any] = {"source": a.path, "selector": selectors}
        if a.color:
            target["styleClass"] = a.color
        item: dict[str, Any] = {
            "id": a.id,
            "type": "Annotation",
            "motivation": "bookmarking"
            if a.kind == "bookmark"
            else ("commenting" if a.note else "highlighting"),
            "created": a.created,
            "modified": a.modified,
            "target": target,
        }
        if a.note:
            item["body"] = {
                "type": "TextualBody",
                "value": a.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        # Not W3C vocabulary: what only this app needs to restore an annotation exactly.
        item["corpusReader"] = {"state": a.state, "title": a.title, "date": a.date}
        items.append(item)
    css = " ".join(f".{name} {{ background-color: {value}; }}" for name, value in COLOR_CSS.items())
    return {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "label": "Corpus Reader annotations",
        "total": len(items),
        "stylesheet": {"type": "CssStylesheet", "value": css},
        "items": items,
    }


def to_markdown(annotations: list[Annotation]) -> str:
    """Annotations grouped by article: title, date and path, quotes as block quotes, notes below."""
    lines = ["# Annotations", ""]
    ordered = sorted(annotations, key=lambda a: (a.title.casefold(), a.path, a.kind != "bookmark", a.start))
    for path, group in groupby(ordered, key=lambda a: a.path):
        items = list(group)
        first = items[0]
        lines.append(f"## {first.title or path}")
        lines.append("")
        meta = [first.date] if first.date else []
        meta.append(f"`{path}`")
        lines.append(" · ".join(meta))
        lines.append("")
        for a in items:
            if a.kind == "bookmark":
                lines.extend(["🔖 Bookmarked", ""])
                continue
            label = a.color + (
                ", orphaned: the passage is no longer in the article" if a.state == "orphaned" else ""
            )
            lines.extend(f"> {line}" if line else ">" for line in a.exact.split("\n"))
            lines.append("")
            lines.append(f"*{label}*")
            lines.append("")
            if a.note:
                lines.extend([a.note, ""])
    return "\n".join(lines).rstrip() + "\n"


TextFor = Callable[[str], str | None]  # article path -> its current plain text, or None


def from_w3c(data: object, corpus: str, text_for: TextFor) -> list[Annotation]:
    """Read exported annotations (a collection, a page or a plain list).

    Raises AnnotationError naming the first bad item; nothing is returned half-read. An item with
    only a TextQuoteSelector is anchored against the article's current text.
    """
    items = _items(data)
    out = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        try:
            annotation = _from_item(item, corpus, text_for)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise AnnotationError(f"item {number}: not a valid annotation ({exc})") from exc
        if annotation.id in seen:
            raise AnnotationError(f"item {number}: the id {annotation.id} appears twice")
        seen.add(annotation.id)
        out.append(annotation)
    return out


def _items(data: object) -> list[dict[str, Any]]:
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and data.get("type") == "Annotation":
        items = [data]
    elif isinstance(data, dict) and isinstance(data.get("items"), list):
        items = data["items"]
    elif (
        isinstance(data, dict)
        and isinstance(data.get("first"), dict)
        and isinstance(data["first"].get("items"), list)
    ):
        items = data["first"]["items"]
    else:
        raise AnnotationError(
            "not a W3C annotation file (expected an AnnotationCollection or a list of annotations)"
        )
    if not all(isinstance(item, dict) for item in items):
        raise AnnotationError("every annotation must be a JSON object")
    return items


def _from_item(item: dict[str, Any], corpus: str, text_for: TextFor) -> Annotation:
    if item.get("type") != "Annotation":
        raise ValueError("type is not Annotation")
    target = item["target"]
    if isinstance(target, list):
        target = target[0]
    source = target["source"]
    if not isinstance(source, str) or not source:
        raise ValueError("target.source must be the article path")
    selectors = target.get("selector", [])
    if isinstance(selectors, dict):
        selectors = [selectors]
    quote_sel = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    pos_sel = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    bookmark = item.get("motivation") == "bookmarking"
    if not bookmark and quote_sel is None:
        raise ValueError("a highlight needs a TextQuoteSelector")
    body = item.get("body")
    if isinstance(body, list):
        body = next((b for b in body if isinstance(b, dict) and b.get("type") == "TextualBody"), None)
    note = str(body.get("value", "")) if isinstance(body, dict) else ""
    extra_value = item.get("corpusReader")
    extra: dict[str, Any] = extra_value if isinstance(extra_value, dict) else {}
    color = str(target.get("styleClass", "yellow"))
    if color not in COLORS:
        color = "yellow"
    stamp = now()
    annotation_id = str(item.get("id") or new_id())
    start = int(pos_sel["start"]) if pos_sel else 0
    end = int(pos_sel["end"]) if pos_sel else 0
    if start < 0 or end < start:
        raise ValueError("TextPositionSelector start/end out of order")
    base = Annotation(
        id=annotation_id,
        kind="bookmark" if bookmark else "highlight",
        corpus=corpus,
        path=source,
        start=start,
        end=end,
        color="" if bookmark else color,
        note=note,
        state="anchored",
        title=str(extra.get("title") or ""),
        date=extra.get("date") if isinstance(extra.get("date"), str) else None,
        created=str(item.get("created") or stamp),
        modified=str(item.get("modified") or stamp),
    )
    if bookmark:
        return replace(base, exact=base.title)
    assert quote_sel is not None  # checked above: a highlight has one
    quote = Quote(str(quote_sel["exact"]), str(quote_sel.get("prefix", "")), str(quote_sel.get("suffix", "")))
    if not quote.exact:
        raise ValueError("TextQuoteSelector.exact is empty")
    text = text_for(source)
    found = (
        anchor(text, quote, start if pos_sel else None, end if pos_sel else None)
        if text is not None
        else None
    )
    if found is None or text is None:
        # Kept, as an orphan, with its quote and note: never dropped.
        return replace(base, exact=quote.exact, prefix=quote.prefix, suffix=quote.suffix, state="orphaned")
    q = quote_at(text, found.start, found.end)
    return replace(
        base,
        exact=q.exact,
        prefix=q.prefix,
        suffix=q.suffix,
        start=found.start,
        end=found.end,
        text_hash=text_hash(text),
    )


def dumps_w3c(annotations: list[Annotation]) -> str:
    return json.dumps(to_w3c(annotations), ensure_ascii=False, indent=2) + "\n"
