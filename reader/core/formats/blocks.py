"""Turning markup and loose text into an article's blocks (paragraphs and subheadings).

HTML is turned into text here, never rendered: scripts, styles, forms and embedded objects are
dropped with their content, and nothing an element points to (images, styles) is loaded.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from collections.abc import Iterable, Iterator

import lxml.html
from lxml import etree

from reader.core.corpus import Article, ArticleError, Block

#: Longer titles (a page whose <title> is a whole paragraph) are cut at a word and end in "…".
MAX_TITLE = 300
#: Keys longer than this (a guid that is a whole URL with a query) are replaced by their hash.
MAX_KEY = 200

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    "p", "div", "li", "dt", "dd", "blockquote", "pre", "tr", "figcaption", "caption",
    "section", "article", "main", "header", "footer", "aside", "nav", "ul", "ol", "dl", "table",
    "tbody", "thead", "address", "center", "body", "html", "form", "fieldset", "details",
    "summary", "hr", "br", "figure", "legend",
}  # fmt: skip
_DROPPED = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object",
    "embed", "svg", "math", "canvas", "video", "audio", "select", "button", "input", "textarea",
}  # fmt: skip


def html_blocks(markup: str) -> list[Block]:
    """The text of an HTML document or fragment as blocks: headings become subheadings, every
    other block element (paragraphs, list items, table rows) a paragraph of its own."""
    if not markup.strip():
        return []
    try:
        root = lxml.html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return text_blocks(markup)
    try:
        return list(element_blocks(root))
    except RecursionError:
        return text_blocks(root.text_content())


def element_blocks(root: etree._Element) -> Iterator[Block]:
    """The blocks of a parsed HTML element (see ``html_blocks``)."""
    pieces: list[str] = []
    kind = "paragraph"

    def flush() -> Iterator[Block]:
        nonlocal kind
        text = " ".join("".join(pieces).split())
        pieces.clear()
        if text:
            yield Block(kind, text)
        kind = "paragraph"

    def walk(element: etree._Element) -> Iterator[Block]:
        nonlocal kind
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _DROPPED or not tag:  # comments and processing instructions have no text
            if element.tail:
                pieces.append(element.tail)
            return
        is_heading = tag in _HEADINGS
        if tag in _BLOCKS or is_heading:
            yield from flush()
        if is_heading:
            kind = "heading"
        if element.text:
            pieces.append(element.text)
        for child in element:
            yield from walk(child)
        if tag in _BLOCKS or is_heading:
            yield from flush()
        elif tag in ("td", "th"):
            pieces.append(" ")  # cells of a row stay one paragraph, apart
        if element.tail:
            pieces.append(element.tail)

    yield from walk(root)
    yield from flush()


def text_blocks(text: str) -> list[Block]:
    """Plain text as paragraphs: separated by blank lines, the lines of each joined."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        joined = " ".join(chunk.split())
        if joined:
            blocks.append(Block("paragraph", joined))
    return blocks


def short_title(text: str, limit: int = MAX_TITLE) -> str:
    """A title on one line, at most ``limit`` characters (cut at a word)."""
    title = " ".join(text.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


#: A title made from an article's first paragraph is its first sentence, or this long at most.
LEAD_TITLE = 150
_FIRST_SENTENCE = re.compile(rf"^(.{{20,{LEAD_TITLE}}}?[.!?。！？])(?:\s|$)", re.S)


def lead_title(text: str) -> str:
    """A title for an article that has none, from its first paragraph: its first sentence when
    it has more than one, else the whole paragraph when short, else its start cut at a word."""
    text = " ".join(text.split())
    m = _FIRST_SENTENCE.match(text)
    if m and m.end() < len(text):  # more than one sentence: the first, the paragraph stays body
        return m.group(1)
    return text if len(text) <= LEAD_TITLE else short_title(text, LEAD_TITLE)


def make_article(
    path: str,
    title: str,
    blocks: Iterable[Block],
    date: dt.date | None = None,
    source: str = "",
    credits: Iterable[str] = (),
    url: str = "",
    language: str = "",
    encoding: str = "utf-8",
    truncated: bool = False,
) -> Article:
    """An article from extracted parts; a heading repeating the title is left out, and an
    article without a title is titled by its first paragraph. Raises ArticleError without text."""
    body = _clean_blocks(blocks)
    title = short_title(_INVISIBLE.sub("", title))
    if body and body[0].text == title:
        body.pop(0)
    if not title:
        if not body:
            raise ArticleError("no text")
        title = lead_title(body[0].text)
        if body[0].text == title:
            body.pop(0)
    date_line = date.isoformat() if date else ""
    return Article(
        path,
        title,
        date,
        date_line,
        tuple(body),
        " ".join(source.split())[:MAX_TITLE],
        tuple(c for c in (" ".join(c.split()) for c in credits) if c),
        encoding,
        truncated,
        url=url.strip(),
        language=language.strip(),
    )


#: Soft hyphens and zero-width spaces and joiners that pages put inside words for line breaking:
#: left in, "die\u00adsem" would be two words to the index ("die", "sem") and never match "diesem".
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def _clean_blocks(blocks: Iterable[Block]) -> list[Block]:
    out = []
    for block in blocks:
        text = _INVISIBLE.sub("", block.text)
        if text:
            out.append(Block(block.kind, text))
    return out


def article_key(*candidates: str, content: str = "") -> str:
    """The key of an article in a multi-article file: the first non-empty candidate (a guid,
    Message-ID, chapter href), else a hash of the content. Long keys are hashed too."""
    for candidate in candidates:
        key = " ".join(candidate.split())
        if key:
            if len(key) > MAX_KEY:
                return "h" + hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()
            return key
    return "h" + hashlib.blake2b(content.encode("utf-8"), digest_size=10).hexdigest()


def unique_keys(keys: Iterable[str]) -> list[str]:
    """Keys made unique within one file: a repeated key gets ``~2``, ``~3``… in file order."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        n = seen.get(key, 0) + 1
        seen[key] = n
        out.append(key if n == 1 else f"{key}~{n}")
    return out


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_any_date(value: str) -> dt.date | None:
    """A date from ISO 8601 / RFC 3339 (``2020-07-30T10:00:00Z``) or RFC 822 (``Thu, 30 Jul 2020
    10:00:00 +0000``) text, as the date written there (no time-zone shift); None if neither."""
    value = value.strip()
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if m:
        date = _date_of(m)
        if date is None:
            return None
    else:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None
        if parsed is None:
            return _local_date(value)
        date = parsed.date()
    # calibre writes 0101-01-01 for "no date"; a date before any printed news is no date.
    return date if date.year >= MIN_YEAR else None


#: Dates before this year are placeholders ("0101-01-01", "0001-01-01"), not dates.
MIN_YEAR = 1000
_TIME_OF_DAY = re.compile(
    r"[\sT,]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?\s*$"
)
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


def _date_of(m: re.Match[str]) -> dt.date | None:
    """The date of a match's year, month and day groups; None for a day that does not exist."""
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _local_date(value: str) -> dt.date | None:
    """A date written another way than RFC 822 or ISO 8601, as some feeds and mail programs do:
    in the site's own language (``Вт, 30 апр 2019 10:00:00 +0300``, ``12.03.2020 08:00``) or
    ``2020/03/12``; the time of day is left out."""
    from reader.core.dates import parse_date

    text = _TIME_OF_DAY.sub("", value.strip())
    m = _SLASHED.match(text)
    date = _date_of(m) if m else parse_date(text)
    return date if date is not None and date.year >= MIN_YEAR else None
