"""EPUB 2 and 3 books: one article per chapter of the spine, in reading order.

A chapter is titled by its first heading, else by its entry in the table of contents (EPUB 3
nav document or EPUB 2 NCX), else "Chapter N"; the book's date, publisher and language apply
to every chapter. Decompression is bounded: each member by its declared size, by the bytes it
actually inflates to and by its compression ratio, and the whole book by a total.
"""

from __future__ import annotations

import io
import posixpath
import urllib.parse
import zipfile
import zlib

import lxml.html
from lxml import etree

from reader.core.corpus import Article, ArticleError, Block
from reader.core.formats import MB, Extracted, truncation_note
from reader.core.formats import safexml as sx
from reader.core.formats.blocks import element_blocks, make_article, parse_any_date
from reader.core.formats.html import decode_page

#: A chapter (or package file) inflating to more than this is not read.
MAX_MEMBER = 16 * MB
#: All the chapters of a book together.
MAX_TOTAL = 256 * MB
#: Members compressed better than this (and over a megabyte) are bombs, not text.
MAX_RATIO = 100
_CHAPTER_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_TOTAL


def read(rel_path: str, data: bytes, truncated: bool) -> Extracted:
    """The chapters of a book with text, in reading order."""
    if truncated:
        raise ArticleError(f"{truncation_note(len(data)).split(':')[0]}: an EPUB is read whole or not at all")
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ArticleError(f"not a readable EPUB ({exc})") from exc
    with book:
        budget = _Budget()
        opf_path = _package_path(book, budget)
        opf = sx.parse(_member(book, opf_path, budget))
        if opf is None:
            raise ArticleError(f"not a readable EPUB (its package file {opf_path} is not XML)")
        return _chapters(rel_path, book, opf, posixpath.dirname(opf_path), budget)


def _member(book: zipfile.ZipFile, name: str, budget: _Budget) -> bytes:
    """A member's bytes, never inflating more than its bounds allow (ArticleError otherwise)."""
    try:
        info = book.getinfo(name)
    except KeyError as exc:
        raise ArticleError(f"not a readable EPUB ({name} is missing)") from exc
    limit = min(MAX_MEMBER, budget.left)
    too_big = ArticleError(f"{name} in the EPUB inflates to more than {limit // MB} MB (not read)")
    if info.file_size > limit:
        raise too_big
    if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ArticleError(
            f"{name} in the EPUB is compressed {info.file_size // max(info.compress_size, 1)}:1 (a zip bomb?)"
        )
    chunks = []
    size = 0
    try:
        with book.open(info) as fh:
            while chunk := fh.read(64 * 1024):
                size += len(chunk)
                if size > limit or size > MB + MAX_RATIO * max(info.compress_size, 1):
                    raise too_big  # the declared size lied
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise ArticleError(f"not a readable EPUB ({name}: {exc})") from exc
    budget.left -= size
    return b"".join(chunks)


def _package_path(book: zipfile.ZipFile, budget: _Budget) -> str:
    names = set(book.namelist())
    if "META-INF/container.xml" in names:
        root = sx.parse(_member(book, "META-INF/container.xml", budget))
        if root is not None:
            for element in root.iter():
                if sx.local(element.tag) == "rootfile" and element.get("full-path") in names:
                    return str(element.get("full-path"))
    for name in sorted(names):
        if name.lower().endswith(".opf"):
            return name
    raise ArticleError("not a readable EPUB (no package file: META-INF/container.xml or .opf)")


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in element.iter() if sx.local(e.tag) == name]


def _chapters(
    rel_path: str, book: zipfile.ZipFile, opf: etree._Element, base: str, budget: _Budget
) -> Extracted:
    meta = {}
    for name in ("title", "publisher", "creator", "language"):
        found = _children(opf, name)
        meta[name] = sx.text_of(found[0]) if found else ""
    meta["date"] = _publication_date(opf)
    manifest: dict[str, tuple[str, str, str]] = {}
    for item in _children(opf, "item"):
        href = posixpath.normpath(posixpath.join(base, urllib.parse.unquote(item.get("href", ""))))
        manifest[item.get("id", "")] = (href, item.get("media-type", ""), item.get("properties", ""))
    spine = [e.get("idref", "") for e in _children(opf, "itemref") if e.get("linear", "yes") != "no"]
    toc = _table_of_contents(book, opf, manifest, budget)
    date = parse_any_date(meta["date"])
    articles: list[Article] = []
    skipped: list[str] = []
    seen = set()
    for number, idref in enumerate(spine, start=1):
        if idref not in manifest or manifest[idref][0] in seen:
            continue
        href, media, properties = manifest[idref]
        seen.add(href)
        if media not in _CHAPTER_TYPES or "nav" in properties.split():
            continue
        try:
            blocks = _chapter_blocks(_member(book, href, budget))
        except ArticleError as exc:
            skipped.append(str(exc))
            continue
        if not blocks:
            continue  # a chapter without text (a cover, an image page)
        heading = next((b.text for b in blocks[:3] if b.kind == "heading"), "")
        try:
            articles.append(
                make_article(
                    f"{rel_path}#{href}",
                    heading or toc.get(href) or f"{meta['title'] or 'Chapter'} {number}".strip(),
                    blocks,
                    date=date,
                    source=meta["publisher"] or meta["creator"],
                    language=meta["language"],
                )
            )
        except ArticleError:
            continue  # a chapter without text (a cover, an image page)
    if not articles:
        raise ArticleError("; ".join([*skipped, "an EPUB without chapters of text"][:2]))
    return Extracted(articles, "; ".join(skipped[:3]))


_OPF_EVENT = "{http://www.idpf.org/2007/opf}event"


def _publication_date(opf: etree._Element) -> str:
    """The book's ``dc:date``: the publication one where EPUB 2 names events, never the date
    the file was last modified (``opf:event="modification"``)."""
    ranked = []
    for element in _children(opf, "date"):
        event = (element.get(_OPF_EVENT) or element.get("event") or "").lower()
        if event == "modification":
            continue
        rank = {"publication": 0, "": 1, "original-publication": 2}.get(event, 3)
        ranked.append((rank, sx.text_of(element)))
    return min(ranked)[1] if ranked else ""


def _chapter_blocks(data: bytes) -> list[Block]:
    text, _ = decode_page(data)
    if text.startswith("<?xml"):
        text = text[text.find("?>") + 2 :]  # lxml.html refuses str with an encoding declaration
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.LxmlError, ValueError):
        return []
    body = root.find("body")
    try:
        return list(element_blocks(body if body is not None else root))
    except RecursionError:
        return []


def _table_of_contents(
    book: zipfile.ZipFile, opf: etree._Element, manifest: dict[str, tuple[str, str, str]], budget: _Budget
) -> dict[str, str]:
    """Chapter path → its label in the nav document (EPUB 3) or the NCX (EPUB 2)."""
    labels: dict[str, str] = {}
    spines = _children(opf, "spine")
    ncx_id = spines[0].get("toc", "") if spines else ""
    for href, media, properties in manifest.values():
        is_nav = "nav" in properties.split()
        if not is_nav and not (media == "application/x-dtbncx+xml" or manifest.get(ncx_id, ("",))[0] == href):
            continue
        try:
            root = sx.parse(_member(book, href, budget))
        except ArticleError:
            continue
        if root is None:
            continue
        base = posixpath.dirname(href)
        for target, label in _toc_entries(root, is_nav):
            path = posixpath.normpath(posixpath.join(base, urllib.parse.unquote(target.split("#")[0])))
            if label and path not in labels:
                labels[path] = label
    return labels


_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _toc_entries(root: etree._Element, is_nav: bool) -> list[tuple[str, str]]:
    if is_nav:
        # The table of contents is the <nav epub:type="toc">; landmarks ("Begin Reading") and
        # page lists name no chapter.
        navs = [e for e in root.iter() if sx.local(e.tag) == "nav"]
        tocs = [n for n in navs if "toc" in (n.get(_EPUB_TYPE) or n.get("type") or "").split()]
        if not tocs:
            others = ("landmarks", "page-list", "loi", "lot")
            tocs = [n for n in navs if (n.get(_EPUB_TYPE) or n.get("type") or "") not in others] or [root]
        return [
            (a.get("href", ""), sx.text_of(a)) for nav in tocs for a in nav.iter() if sx.local(a.tag) == "a"
        ]
    out = []
    for point in root.iter():
        if sx.local(point.tag) != "navpoint":
            continue
        label = next((sx.text_of(e) for e in point.iter() if sx.local(e.tag) == "text"), "")
        src = next((e.get("src", "") for e in point.iter() if sx.local(e.tag) == "content"), "")
        out.append((src, label))
    return out
