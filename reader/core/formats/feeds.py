"""Feeds: RSS (0.9x, 2.0, 1.0/RDF), Atom and JSON Feed files, one article per item or entry.

An ``.xml`` or ``.json`` file is read as a feed only when it is one (by its root element, or
JSON Feed's ``version``); any other such file is skipped quietly. XML is streamed (lxml
iterparse, each item freed once read), so a feed of 50,000 items costs its articles' text, and
parsed defensively (``safexml``): no entity is expanded, no DTD or external file is read.
"""

from __future__ import annotations

import codecs
import json
import re
import urllib.parse
from typing import Any

from lxml import etree

from reader.core.corpus import Article, ArticleError, Block
from reader.core.formats import Extracted, encodings, suffix_of, truncation_note
from reader.core.formats import safexml as sx
from reader.core.formats.blocks import (
    article_key,
    html_blocks,
    make_article,
    parse_any_date,
    text_blocks,
    unique_keys,
)

_FEED_ROOTS = {"rss": "rss", "feed": "atom", "rdf": "rss"}
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_SKIP_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.S | re.I)
_ITEMS = {"item", "entry"}
_DATES = ("pubdate", "published", "issued", "date", "created", "updated", "modified")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read(rel_path: str, data: bytes, truncated: bool) -> Extracted:
    """The items of a feed file, in file order."""
    if suffix_of(rel_path) == ".json":
        return _json_feed(rel_path, data, truncated)
    clean, declared = sx.defuse(as_utf8_xml(data))
    root = _root_name(clean)
    if root not in _FEED_ROOTS:
        if declared:
            raise ArticleError("XML that declares entities (not expanded, for safety), and not a feed")
        if suffix_of(rel_path) in (".xml", ".rdf"):
            return Extracted()
        raise ArticleError(f"not a feed (the root element is <{root}>)" if root else "not a feed")
    articles = _xml_items(rel_path, clean)
    notes = []
    if declared:
        notes.append("declares XML entities: they are left out, not expanded")
    if truncated:
        notes.append(truncation_note(len(data)))
    elif not re.search(rb"</(?:[\w-]+:)?(?:rss|feed|RDF)\s*>\s*$", clean[-4096:]):
        # The parser closes an item the cut fell into: that half item is not an article.
        closed = len(_ITEM_END.findall(clean))
        cut = len(articles) - closed if 0 <= closed < len(articles) else 0
        del articles[len(articles) - cut :]
        whole = f"{len(articles):,} whole item{'s' if len(articles) != 1 else ''} read"
        notes.append(f"the feed is cut short or broken: {whole}" + (", the cut one left out" if cut else ""))
    if not articles:
        raise ArticleError("; ".join([*notes, "a feed without items"]))
    return Extracted(articles, "; ".join(notes))


_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>")
_ITEM_END = re.compile(rb"</(?:[\w-]+:)?(?:item|entry)\s*>")
_DECLARED_ENCODING = re.compile(rb"""\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")


def as_utf8_xml(data: bytes) -> bytes:
    """An XML document as UTF-8 bytes when libxml2 could misread it: UTF-16 or UTF-32 (with or
    without a BOM), or legacy bytes that declare no encoding (which XML takes for UTF-8: a
    cp1251 feed saved without its declaration is detected). Other documents are left as they
    are: libxml2 reads a declared ``windows-1251`` or ``koi8-r`` itself."""
    text: str | None = None
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(name, errors="replace")
            break
    else:
        utf16 = encodings.sniff_utf16(data)
        if utf16 is not None:
            text = data.decode(utf16, errors="replace")
        else:
            declaration = _XML_DECLARATION.match(data[:1024])
            declared = _DECLARED_ENCODING.search(declaration.group(0)) if declaration else None
            if declared is not None and encodings.codec_for(declared.group(1).decode("ascii")) not in (
                "utf-8",
                "",
            ):
                return data
            try:
                data.decode("utf-8")
                return data
            except UnicodeDecodeError as exc:
                if exc.start >= len(data) - 3:
                    return data  # a character cut off where the file was cut
                name = encodings.detect(data) or "cp1252"
                text = data.decode(name, errors="replace")
    body = text.lstrip("\ufeff")
    declaration_text = re.match(r"^\s*<\?xml[^>]*?\?>", body)
    if declaration_text is not None:
        body = body[declaration_text.end() :]
    return b'<?xml version="1.0" encoding="utf-8"?>' + body.encode("utf-8")


def _root_name(data: bytes) -> str:
    head = _SKIP_PROLOG.sub(b"", data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n"))
    m = _ROOT_TAG.search(head)
    return sx.local(m.group(1).decode("ascii", "replace").split(":")[-1]) if m else ""


class _Feed:
    """What the feed says about all its items (title, author, language)."""

    def __init__(self) -> None:
        self.title = ""
        self.author = ""
        self.language = ""
        self.link = ""  # the site's address: the base of relative item links


def _xml_items(rel_path: str, data: bytes) -> list[Article]:
    feed = _Feed()
    parts: list[dict[str, Any]] = []
    for element in sx.iter_elements(data):
        name = sx.local(element.tag)
        parent = element.getparent()
        parent_name = sx.local(parent.tag) if parent is not None else ""
        if name in _ITEMS:
            parts.append(_item_parts(element, feed))
            sx.forget(element)
        elif parent_name in ("channel", "feed") and not parts:
            _feed_field(feed, name, element)
        elif name in ("channel", "feed", "rss", "rdf") and not feed.language:
            feed.language = element.get(_XML_LANG, "")
    keys = unique_keys(p["key"] for p in parts)
    out = []
    for key, p in zip(keys, parts, strict=False):
        try:
            out.append(
                make_article(
                    f"{rel_path}#{key}",
                    p["title"],
                    p["blocks"],
                    date=p["date"],
                    source=p["author"] or feed.author or feed.title,
                    url=p["url"],
                    language=p["language"] or feed.language,
                )
            )
        except ArticleError:
            continue  # an item without a title or any text
    return out


def _feed_field(feed: _Feed, name: str, element: etree._Element) -> None:
    if name == "title" and not feed.title:
        feed.title = _plain(element)
    elif name == "language" and not feed.language:
        feed.language = sx.text_of(element)
    elif name == "author" and not feed.author:
        feed.author = _person(element)
    elif name == "link" and not feed.link:
        href = element.get("href")
        link = sx.text_of(element) if href is None else str(href).strip()
        if link.startswith(("http://", "https://")) and element.get("rel", "alternate") == "alternate":
            feed.link = link


def _item_parts(item: etree._Element, feed: _Feed) -> dict[str, Any]:
    fields: dict[str, etree._Element] = {}
    links: list[etree._Element] = []
    for child in item:
        name = sx.local(child.tag)
        if name == "link":
            links.append(child)
        elif name and name not in fields:
            fields[name] = child
    content = fields.get("encoded")
    blocks = _content_blocks(content if content is not None else fields.get("content"))
    if not blocks:
        summary = fields.get("description")
        blocks = _content_blocks(summary if summary is not None else fields.get("summary"))
    url = _link(links, feed.link)
    guid = sx.text_of(fields.get("guid")) or sx.text_of(fields.get("id"))
    if not guid:
        guid = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", "")
    title = _plain(fields.get("title"))
    date = None
    for name in _DATES:
        if name in fields:
            date = parse_any_date(sx.text_of(fields[name]))
            if date is not None:
                break
    author = _person(fields.get("author")) or sx.text_of(fields.get("creator"))
    if not url and guid.startswith(("http://", "https://")):
        url = guid
    return {
        "key": article_key(guid, url, content=title + "\n" + "\n".join(b.text for b in blocks)),
        "title": title,
        "blocks": blocks,
        "date": date,
        "author": author,
        "url": url if url.startswith(("http://", "https://")) else "",
        "language": item.get(_XML_LANG, ""),
    }


def _link(links: list[etree._Element], site: str) -> str:
    """The item's address: RSS's ``<link>`` text or Atom's alternate ``<link href>``, made
    absolute against its ``xml:base`` (Atom) or the feed's own site address."""
    chosen: etree._Element | None = None
    for link in links:
        if link.get("href") is None or link.get("rel", "alternate") == "alternate":
            chosen = link
            break
    if chosen is None and links:
        chosen = links[0]
    if chosen is None:
        return ""
    href = chosen.get("href")
    url = sx.text_of(chosen) if href is None else str(href).strip()
    if not url or url.startswith(("http://", "https://")):
        return url
    base = chosen.base or ""  # lxml resolves the xml:base of the element and its ancestors
    if not base.startswith(("http://", "https://")):
        base = site
    return urllib.parse.urljoin(base, url) if base else url


def _person(element: etree._Element | None) -> str:
    """An author: Atom's ``<author><name>``, or RSS's ``email (Name)``."""
    if element is None:
        return ""
    for child in element:
        if sx.local(child.tag) == "name":
            return sx.text_of(child)
    text = sx.text_of(element)
    m = re.match(r"^\S+@\S+\s*\((.+)\)$", text)
    return m.group(1).strip() if m else text


def _plain(element: etree._Element | None) -> str:
    """A title as text (titles too may hold escaped HTML)."""
    text = sx.text_of(element)
    if "<" in text or "&" in text:
        return " ".join(b.text for b in html_blocks(text))
    return text


def _content_blocks(element: etree._Element | None) -> list[Block]:
    if element is None:
        return []
    kind = element.get("type", "html").lower()
    if kind == "xhtml" or len(element):
        # Inline XHTML (Atom): the markup is the element's children.
        markup = (element.text or "") + "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in element
        )
        return html_blocks(markup)
    text = "".join(element.itertext())
    if kind in ("text", "text/plain"):
        return text_blocks(text)
    return html_blocks(text)


# --- JSON Feed -----------------------------------------------------------------------------


def _json_feed(rel_path: str, data: bytes, truncated: bool) -> Extracted:
    looks_like = b"jsonfeed.org/version" in data[:4096]
    try:
        feed = json.loads(data)  # UTF-8, -16 or -32, with or without a BOM (RFC 8259 §8.1)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        if looks_like:
            raise ArticleError(
                f"a broken JSON Feed ({truncation_note(len(data)) if truncated else exc})"
            ) from exc
        return Extracted()
    if not (
        isinstance(feed, dict) and str(feed.get("version", "")).startswith("https://jsonfeed.org/version/")
    ):
        return Extracted()
    items = feed.get("items")
    if not isinstance(items, list):
        raise ArticleError("a JSON Feed without items")
    feed_title = _str(feed.get("title"))
    feed_author = _json_author(feed)
    language = _str(feed.get("language"))
    site = _str(feed.get("home_page_url")) or _str(feed.get("feed_url"))
    parts = [item for item in items if isinstance(item, dict)]
    keys = unique_keys(
        article_key(_str(i.get("id")), _str(i.get("url")), content=json.dumps(i, sort_keys=True))
        for i in parts
    )
    out = []
    for key, item in zip(keys, parts, strict=False):
        if _str(item.get("content_html")):
            blocks = html_blocks(_str(item.get("content_html")))
        else:
            blocks = text_blocks(_str(item.get("content_text")) or _str(item.get("summary")))
        url = _str(item.get("url")) or _str(item.get("external_url"))
        if url and site.startswith(("http://", "https://")):
            url = urllib.parse.urljoin(site, url)  # a relative address is relative to the site
        try:
            out.append(
                make_article(
                    f"{rel_path}#{key}",
                    _str(item.get("title")),
                    blocks,
                    date=parse_any_date(_str(item.get("date_published")) or _str(item.get("date_modified"))),
                    source=_json_author(item) or feed_author or feed_title,
                    url=url if url.startswith(("http://", "https://")) else "",
                    language=_str(item.get("language")) or language,
                )
            )
        except ArticleError:
            continue
    if not out:
        raise ArticleError("a JSON Feed without items")
    return Extracted(out)


def _str(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _json_author(obj: dict[str, Any]) -> str:
    authors = obj.get("authors")
    if isinstance(authors, list):
        names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
        if any(names):
            return ", ".join(n for n in names if n)
    author = obj.get("author")
    if isinstance(author, str):  # not the spec, but written by some generators
        return _str(author)
    return _str(author.get("name")) if isinstance(author, dict) else ""
