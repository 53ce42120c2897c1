"""What a Markdown article (``.md``) says beyond plain text: its YAML front matter and its ATX
headings (``# Title``, ``## Section``).

Notes apps and web clippers (Obsidian's, Joplin's, Hugo and Jekyll posts) save articles as
Markdown with a front matter block: ``title``, ``source`` or ``url`` (the page's address),
``author``, ``published``/``date``/``created``. Only flat ``key: value`` lines (and the first
item of a list) are read; the block is not part of the article's text. Emphasis and links
are left as written (the text is shown as it is).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_KEY = re.compile(r"^([A-Za-z_][\w -]{0,40}):[ \t]*(.*)$")
_ITEM = re.compile(r"^\s*-\s+(.*)$")
_ATX = re.compile(r"^#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
#: Front matter keys, in order of preference.
_TITLE_KEYS = ("title",)
_DATE_KEYS = ("published", "date", "pubdate", "publishdate", "created")
_URL_KEYS = ("source", "url", "link", "canonical", "canonical_url", "original_url")
_SOURCE_KEYS = ("site", "site_name", "publisher", "source_name", "author", "authors")


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    date: dt.date | None = None
    url: str = ""
    source: str = ""


def split_front_matter(text: str) -> tuple[str, FrontMatter | None]:
    """The text without its front matter block, and what the block says (None: no block)."""
    m = _FRONT.match(text)
    if m is None:
        return text, None
    values: dict[str, str] = {}
    key = ""
    for line in m.group(1).split("\n"):
        kv = _KEY.match(line)
        if kv is not None:
            key = kv.group(1).strip().lower().replace("-", "_").replace(" ", "_")
            values.setdefault(key, _scalar(kv.group(2)))
            continue
        item = _ITEM.match(line)
        if item is not None and key and not values.get(key):
            values[key] = _scalar(item.group(1))  # a list: its first item
    if not values:
        return text, None  # a "---" rule at the top, not front matter
    return text[m.end() :], _front_matter(values)


def _scalar(value: str) -> str:
    value = value.strip()
    if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1:
        value = value[1:-1]
    elif value.startswith("[") and value.endswith("]") and not value.startswith("[["):
        value = value[1:-1].split(",")[0].strip().strip("\"'")  # a flow list: its first item
    if value.startswith("[[") and value.endswith("]]"):
        value = value[2:-2].split("|")[-1]  # an Obsidian link to a note: its text
    return " ".join(value.split())


def _front_matter(values: dict[str, str]) -> FrontMatter:
    from reader.core.dates import parse_date
    from reader.core.formats.blocks import parse_any_date

    date = None
    for key in _DATE_KEYS:
        if values.get(key):
            date = parse_any_date(values[key]) or parse_date(values[key])
            if date is not None:
                break
    url = next((values[k] for k in _URL_KEYS if re.match(r"https?://", values.get(k, ""), re.I)), "")
    source = next((values[k] for k in _SOURCE_KEYS if values.get(k) and not values[k].startswith("http")), "")
    return FrontMatter(values.get("title", "")[:300], date, url, source[:300])


def atx_heading(line: str) -> str | None:
    """The text of an ATX heading line (``## Section`` → ``Section``), or None."""
    m = _ATX.match(line)
    return m.group(1).strip() if m is not None and m.group(1).strip() else None
