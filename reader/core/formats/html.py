"""Saved web pages (``.html``, ``.htm``, ``.xhtml``): the article, not the page's furniture.

The main text and the metadata (title, date, author, site, canonical URL) come from trafilatura
with its default settings except for comments, which it keeps by default and which are
furniture here. The page is given to it as text: it never fetches anything. Scripts, styles,
inline SVG and ``data:`` URIs are cut out first, so a "complete" saved page with its images
inlined costs what its text costs.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from typing import Any

import lxml.html
from lxml import etree

from reader.core.corpus import ArticleError, Block, looks_binary
from reader.core.dates import parse_date
from reader.core.formats import MB, Extracted, encodings, truncation_note
from reader.core.formats.blocks import element_blocks, make_article, parse_any_date

#: Markup beyond this (after scripts, styles and inlined data are cut out) is not read: an
#: article page is far smaller, and extraction takes about a second per megabyte.
MAX_MARKUP_CHARS = 4 * MB

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_HEAVY_OPEN = re.compile(r"<(script|style|svg|noscript|template)\b", re.I)
_JSON_LD = re.compile(r"""[^>]{0,200}?\btype\s*=\s*["']?application/ld\+json""", re.I)
_DATA_URI = re.compile(r"""=\s*(["'])data:[^"']{256,}\1""", re.I)
_HTML_LANG = re.compile(
    rb"""<html\b[^>]*?\b(?:xml:)?lang\s*=\s*["']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)""", re.I
)
_META_LANG = re.compile(
    rb"""<meta\b[^>]*?(?:http-equiv\s*=\s*["']?content-language|property\s*=\s*["']?og:locale)"""
    rb"""[^>]*?content\s*=\s*["']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)""",
    re.I,
)
_FURNITURE = "//nav|//header|//footer|//aside|//form|//*[@role='navigation']|//*[@role='banner']"


def read(rel_path: str, data: bytes, truncated: bool) -> Extracted:
    """The one article of a saved page; ArticleError when the file is not a page with text."""
    text, encoding = decode_page(data)
    text = _DATA_URI.sub('=""', _cut_heavy(text))
    note = truncation_note(64 * MB) if truncated else ""
    if len(text) > MAX_MARKUP_CHARS:
        text, note = text[:MAX_MARKUP_CHARS], truncation_note(MAX_MARKUP_CHARS)
    if not text.strip():
        raise ArticleError("empty file" if not data.strip() else "no text in the page")
    head = text[:65536].encode("utf-8", "replace")
    language = _first(_HTML_LANG, head) or _first(_META_LANG, head)
    doc = _trafilatura(text)
    blocks = _body_blocks(doc.body) if doc is not None and doc.body is not None else []
    page_title = _page_title(text)
    if not blocks:
        blocks = _fallback_blocks(text)
    if not blocks:
        raise ArticleError("no text in the page")
    meta = _metadata(doc)
    url = meta.get("url", "")
    if not re.match(r"https?://", url, re.I):
        url = ""
    article = make_article(
        rel_path,
        meta.get("title") or page_title,
        blocks,
        date=parse_any_date(meta.get("date", "")) or _text_date(text),
        source=meta.get("sitename") or meta.get("hostname", ""),
        credits=[f"By {meta['author']}"] if meta.get("author") else [],
        url=url,
        language=language.replace("_", "-"),
        encoding=encoding,
        truncated=bool(note),
    )
    return Extracted([article], note)


def decode_page(data: bytes) -> tuple[str, str]:
    """The page's text and encoding: by BOM, by the page's own declaration (a label read the way
    browsers read it: ``iso-8859-1`` is cp1252), else UTF-8 when it decodes, else detected
    (``encodings.detect``, told the page's declared language). Binary data raises ArticleError."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    utf16 = encodings.sniff_utf16(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16
    if looks_binary(data) or b"\x00" in data[:4096]:
        raise ArticleError("binary data, not a web page")
    head = data[:4096]
    declared = _first(_XML_ENCODING, head) or _first(_CHARSET, head)
    if declared:
        name = encodings.codec_for(declared)
        if name and name not in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
            # A page saved by a browser is UTF-8 whatever it declared; a wrong latin-1 claim is
            # common too: trust the declaration only when the bytes are not valid UTF-8.
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                if name != "utf-8":  # (a page that claims UTF-8 and is not: detected below)
                    return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    language = _first(_HTML_LANG, data[:65536]) or _first(_META_LANG, data[:65536])
    name = encodings.detect(data, language) or "cp1252"
    return data.decode(name, errors="replace"), name


def _cut_heavy(text: str) -> str:
    """The markup without scripts, styles, SVG, noscript and templates (content and all), in
    one pass: an element never closed runs to the end, as a browser would read it. JSON-LD
    (``<script type="application/ld+json">``) stays: it is where many news sites put the
    publication date, author and publisher."""
    out = []
    at = 0
    while True:
        m = _HEAVY_OPEN.search(text, at)
        if m is None:
            out.append(text[at:])
            return "".join(out)
        if m.group(1).lower() == "script" and _JSON_LD.match(text, m.end()):
            out.append(text[at : m.end()])
            at = m.end()
            continue
        out.append(text[at : m.start()])
        close = re.compile(rf"</{m.group(1)}\s*>", re.I).search(text, m.end())
        if close is None:
            return "".join(out)
        at = close.end()
        out.append(" ")


def _first(pattern: re.Pattern[Any], text: Any) -> str:
    m = pattern.search(text)
    if m is None:
        return ""
    value = m.group(1)
    return value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)


def _trafilatura(text: str) -> Any:
    from trafilatura import bare_extraction

    try:
        # The date from the page's metadata, JSON-LD, <time> and date-like elements only: the
        # default "extensive" search falls back to the copyright year ("© 2020" → 2020-01-01)
        # or a lone year, a date the article never had (see _text_date for the rest).
        return bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (etree.LxmlError, ValueError, TypeError, RecursionError):
        return None


def _text_date(text: str) -> dt.date | None:
    """A publication date written only in the page's text (a byline "30 July 2020"), found by
    htmldate's extensive search; its guesses from a copyright line or a lone year or month
    (always the 1st) are taken only when the page writes that very date."""
    from htmldate import find_date

    try:
        found = find_date(text, extensive_search=True, original_date=True)
    except (etree.LxmlError, ValueError, TypeError, RecursionError):
        return None
    date = parse_any_date(found or "")
    if date is None or date.day != 1:
        return date
    try:
        root = lxml.html.fromstring(text)
    except (etree.LxmlError, ValueError):
        return None
    for piece in root.itertext():
        piece = piece.strip()
        if piece and len(piece) <= 60 and (date.isoformat() in piece or parse_date(piece) == date):
            return date
    return None


def _metadata(doc: Any) -> dict[str, str]:
    if doc is None:
        return {}
    out = {}
    for name in ("title", "date", "sitename", "hostname", "author", "url"):
        value = getattr(doc, name, None)
        if isinstance(value, str) and value.strip():
            out[name] = " ".join(value.split())
    return out


def _page_title(text: str) -> str:
    m = re.search(r"<title\b[^>]*>(.*?)</title\s*>", text[: 4 * MB], re.I | re.S)
    if m is None:
        return ""
    try:
        return " ".join(lxml.html.fromstring(f"<p>{m.group(1)[:20000]}</p>").text_content().split())
    except (etree.LxmlError, ValueError):
        return ""


def _body_blocks(body: etree._Element) -> list[Block]:
    """Trafilatura's article body (``head``, ``p``, ``list``/``item``, ``quote``, ``table``…) as
    blocks: headings as subheadings, each paragraph, list item and table row as a paragraph, and
    a line break (``lb``) inside a paragraph a paragraph break."""
    blocks: list[Block] = _paragraphs(body.text or "")
    for element in body:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "head":
            blocks.append(Block("heading", " ".join(_text(element).split())))
        elif tag == "list":
            for item in element.iter("item"):
                blocks.extend(_paragraphs(_text(item, own=True)))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [" ".join(_text(cell).split()) for cell in row.iter("cell")]
                blocks.append(Block("paragraph", " · ".join(c for c in cells if c)))
        elif tag != "graphic":
            blocks.extend(_paragraphs(_text(element)))
        # Text between the elements (trafilatura leaves some loose in the body) is text too.
        blocks.extend(_paragraphs(element.tail or ""))
    return [b for b in blocks if b.text]


def _paragraphs(text: str) -> list[Block]:
    return [Block("paragraph", p) for p in (" ".join(line.split()) for line in text.split("\n")) if p]


def _text(element: etree._Element, own: bool = False) -> str:
    """The text in an element, a line break for each ``lb``; with ``own``, without the text of
    nested lists (a nested list's items are items of their own)."""
    out = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            out.append("\n")
        elif not (own and child.tag == "list"):
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _fallback_blocks(text: str) -> list[Block]:
    """A short page trafilatura finds no article in: its body's text without the navigation,
    header, footer, sidebars and forms."""
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.LxmlError, ValueError):
        return []
    for element in root.xpath(_FURNITURE):
        element.drop_tree()
    body = root.find("body")
    try:
        return list(element_blocks(body if body is not None else root))
    except RecursionError:
        return []
