"""Export annotations as W3C Web Annotations (JSON-LD) or Markdown; import them back.

Import is all or nothing: the whole file is read and checked before anything is written, and it
is idempotent by annotation id.
"""

from __future__ import annotations

import json
import posixpath
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from itertools import groupby
from pathlib import Path
from typing import Any

from reader.core.anchoring import Quote, anchor
from reader.core.annotations import COLOR_CSS, COLORS, Annotation, AnnotationError, new_id, now
from reader.core.catalog import ArticleRow
from reader.core.corpus import inside_corpus

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def collection_id(corpus: str) -> str:
    """The IRI of a corpus's AnnotationCollection: stable for a folder, revealing nothing of it."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'corpus-reader:' + corpus)}"


def to_w3c(annotations: list[Annotation], corpus: str | None = None) -> dict[str, Any]:
    """An AnnotationCollection of every annotation, highlights and bookmarks, in one embedded
    AnnotationPage (W3C Web Annotation Data Model, sections 3 and 5)."""
    key = corpus if corpus is not None else (annotations[0].corpus if annotations else "")
    collection = collection_id(key)
    items = [_w3c_annotation(a) for a in annotations]
    return {
        "@context": W3C_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": "Corpus Reader annotations",
        "total": len(items),
        "first": {
            "id": f"{collection}#page-1",
            "type": "AnnotationPage",
            "partOf": collection,
            "startIndex": 0,
            "items": items,
        },
    }


def _w3c_annotation(a: Annotation) -> dict[str, Any]:
    """One Annotation; complete on its own (its own @context and stylesheet)."""
    selectors: list[dict[str, Any]] = []
    if a.kind == "highlight":
        selectors.append(
            {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix}
        )
    selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
    target: dict[str, Any] = {"source": a.path, "selector": selectors}
    item: dict[str, Any] = {
        "@context": W3C_CONTEXT,
        "id": a.id,
        "type": "Annotation",
        "motivation": "bookmarking" if a.kind == "bookmark" else ("commenting" if a.note else "highlighting"),
        "created": a.created,
        "modified": a.modified,
    }
    bodies = w3c_bodies(a)
    if bodies:
        item["body"] = bodies[0] if len(bodies) == 1 else bodies
    if a.color:
        # The model puts the stylesheet on the Annotation whose target names a class of it (4.4).
        target["styleClass"] = a.color
        css = COLOR_CSS.get(a.color)
        if css:
            item["stylesheet"] = {
                "type": "CssStylesheet",
                "value": f".{a.color} {{ background-color: {css}; }}",
            }
    item["target"] = target
    # Not W3C vocabulary: what only this app needs to restore an annotation exactly.
    item["corpusReader"] = {"state": a.state, "title": a.title, "date": a.date}
    return item


def w3c_bodies(a: Annotation) -> list[dict[str, Any]]:
    """The bodies of one exported annotation: its note as a commenting TextualBody, each tag as a
    tagging TextualBody. Every body the export writes is built here."""
    bodies: list[dict[str, Any]] = []
    if a.note:
        bodies.append(
            {"type": "TextualBody", "value": a.note, "format": "text/plain", "purpose": "commenting"}
        )
    bodies.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in a.tags)
    return bodies


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
            if a.tags:
                lines.extend(["Tags: " + ", ".join(f"`{tag}`" for tag in a.tags), ""])
    return "\n".join(lines).rstrip() + "\n"


TextFor = Callable[[str], str | None]  # article path -> its current plain text, or None


def from_w3c(
    data: object, corpus: str, text_for: TextFor, notes: list[str] | None = None
) -> list[Annotation]:
    """Read exported annotations (a collection, a page or a plain list).

    Raises AnnotationError naming the first bad item; nothing is returned half-read. An item with
    only a TextQuoteSelector is anchored against the article's current text. An item whose
    ``target.source`` is not an article of the corpus folder (an absolute path, a ``..`` step, a
    link out) is never read: it is kept as orphaned with the quote the file gives, and a one-line
    note about it is added to ``notes``.
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
        if (
            notes is not None
            and annotation.state == "orphaned"
            and not inside_corpus(Path(corpus), annotation.path)
        ):
            notes.append(
                f"item {number}: {annotation.path!r} is outside the corpus folder, not read; "
                "kept as orphaned with its quote"
            )
    return out


def _items(data: object) -> list[dict[str, Any]]:
    """The annotations of a file: a collection (its ``first`` page and each ``next`` one, or an
    older file's ``items``), a page, one annotation, or a plain list."""
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and data.get("type") == "Annotation":
        items = [data]
    elif isinstance(data, dict) and "first" in data:
        items = _page_items(data["first"])
    elif isinstance(data, dict) and isinstance(data.get("items"), list):
        items = _page_items(data)  # an AnnotationPage, or a collection as older versions wrote it
    else:
        raise AnnotationError(
            "not a W3C annotation file (expected an AnnotationCollection or a list of annotations)"
        )
    if not all(isinstance(item, dict) for item in items):
        raise AnnotationError("every annotation must be a JSON object")
    return items


#: Most pages one file may chain (a cycle cannot occur in JSON, a huge chain can).
MAX_PAGES = 10_000


def _page_items(page: object) -> list[Any]:
    items: list[Any] = []
    for _ in range(MAX_PAGES):
        if isinstance(page, str):
            # Pages are never fetched: the file would have the app read from elsewhere.
            raise AnnotationError(f"the file refers to a page it does not contain ({page[:80]}); not fetched")
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise AnnotationError("an AnnotationPage without an items list")
        items.extend(page["items"])
        page = page.get("next")
        if page is None:
            return items
    raise AnnotationError(f"more than {MAX_PAGES:,} pages")


def _from_item(item: dict[str, Any], corpus: str, text_for: TextFor) -> Annotation:
    if item.get("type") != "Annotation":
        raise ValueError("type is not Annotation")
    target = item["target"]
    if isinstance(target, list):
        target = target[0]
    source = target["source"]
    if not isinstance(source, str) or not source:
        raise ValueError("target.source must be the article path")
    inside = inside_corpus(Path(corpus), source)
    if inside:
        source = posixpath.normpath(source)
    selectors = target.get("selector", [])
    if isinstance(selectors, dict):
        selectors = [selectors]
    quote_sel = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    pos_sel = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    bookmark = item.get("motivation") == "bookmarking"
    if not bookmark and quote_sel is None:
        raise ValueError("a highlight needs a TextQuoteSelector")
    body = item.get("body")
    bodies = [b for b in (body if isinstance(body, list) else [body]) if isinstance(b, dict)]
    texts = [b for b in bodies if b.get("type") == "TextualBody" and isinstance(b.get("value"), str)]
    tags = tuple(dict.fromkeys(" ".join(b["value"].split()) for b in texts if b.get("purpose") == "tagging"))
    note_body = next((b for b in texts if b.get("purpose") != "tagging"), None)
    note = str(note_body.get("value", "")) if note_body is not None else ""
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
        tags=tuple(t for t in tags if t and '"' not in t)[:50],
    )
    if not inside:
        # Named outside the corpus folder: nothing there is opened; kept with what the file says.
        if bookmark:
            return replace(base, exact=base.title, state="orphaned")
        q = _file_quote(quote_sel)
        return replace(base, exact=q.exact, prefix=q.prefix, suffix=q.suffix, state="orphaned")
    if bookmark:
        return replace(base, exact=base.title)
    assert quote_sel is not None  # checked above: a highlight has one
    quote = _file_quote(quote_sel)
    text = text_for(source)
    found = (
        anchor(text, quote, start if pos_sel else None, end if pos_sel else None)
        if text is not None
        else None
    )
    if found is None or text is None:
        # Kept, as an orphan, with its quote and note: never dropped.
        return replace(base, exact=quote.exact, prefix=quote.prefix, suffix=quote.suffix, state="orphaned")
    return base.attached(text, found.start, found.end)


def _file_quote(selector: dict[str, Any] | None) -> Quote:
    if selector is None:
        raise ValueError("a highlight needs a TextQuoteSelector")
    quote = Quote(str(selector["exact"]), str(selector.get("prefix", "")), str(selector.get("suffix", "")))
    if not quote.exact:
        raise ValueError("TextQuoteSelector.exact is empty")
    return quote


def with_article_info(annotations: list[Annotation], rows: Mapping[str, ArticleRow]) -> list[Annotation]:
    """The annotations with their article's current title and date from the catalog (``rows``,
    by path); one whose article is not in the catalog keeps what it remembered."""
    out = []
    for a in annotations:
        row = rows.get(a.path)
        if row is None:
            out.append(a)
            continue
        date = row.date.isoformat() if row.date else None
        changes: dict[str, Any] = {"title": row.title, "date": date}
        if a.kind == "bookmark":
            changes["exact"] = row.title
        out.append(replace(a, **changes))
    return out


def dumps_w3c(annotations: list[Annotation], corpus: str | None = None) -> str:
    return json.dumps(to_w3c(annotations, corpus), ensure_ascii=False, indent=2) + "\n"
