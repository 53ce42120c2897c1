"""Readers of the article formats other than plain text: saved web pages, feeds, mail, EPUB.

Each format is a module with a pure top-level ``read(rel_path, data, truncated) -> Extracted``:
bytes in, articles out, no file system, no network and no shared state, so it can run in a
process pool (modules are imported on first use: a text-only corpus never loads lxml).

A file that holds several articles (a feed, an mbox, an EPUB) gives each one the id
``FILE#KEY``: the file's path, ``#``, and a key that stays the same when the file grows (the
item's guid, the Message-ID, the chapter's href; a content hash when there is none).

A maildir (a folder with ``cur``, ``new`` and ``tmp``) holds one message per file, under a
name its mail program changes (``…:2,S`` once read, moved from ``new`` to ``cur``): each
message's id is ``MAILDIR#KEY``, the maildir's path and the message's key, so it keeps its id
(and its highlights, bookmarks and labels) when its file is renamed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # corpus.py imports this package: no import of it at run time here
    from reader.core.corpus import Article

MB = 1024 * 1024

#: File suffix → reader module (of this package).
READERS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feeds",
    ".atom": "feeds",
    ".xml": "feeds",
    ".rdf": "feeds",
    ".json": "feeds",
    ".eml": "mail",
    ".mbox": "mail",
    ".epub": "epub",
}
#: Formats whose articles are ``FILE#KEY`` (a file of one article has the file's path as id).
MULTI_ARTICLE = (".rss", ".atom", ".xml", ".rdf", ".json", ".mbox", ".epub")
#: How much of a file is read at most; the rest is left out (and listed as a problem).
READ_LIMITS = {"html": 64 * MB, "feeds": 128 * MB, "mail": 64 * MB, "epub": 256 * MB}
_MBOX_LIMIT = 256 * MB


@dataclass(frozen=True)
class Extracted:
    """The articles of one file, in file order, and a problem worth listing although the file
    was read (only part of it, entities left out), or "". No articles and no note: the file is
    not an article file after all (an ``.xml`` that is not a feed) and is skipped quietly."""

    articles: list[Article] = field(default_factory=list)
    note: str = ""


Reader = Callable[[str, bytes, bool], Extracted]


def suffix_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


#: The folders of a maildir that hold messages (``tmp`` holds messages being delivered).
MAILDIR_BOXES = ("cur", "new")
MAILDIR_FOLDERS = ("cur", "new", "tmp")
_TEXT_SUFFIXES = (".txt", ".md")


def is_maildir_message(path: str) -> bool:
    """Whether ``path`` names a message file of a maildir: in its ``cur`` or ``new`` folder,
    under a name of no article format (``1733.M5P6.host:2,S``). The corpus walk yields such
    paths only inside folders that are maildirs."""
    parts = path.split("/")
    if len(parts) < 2 or parts[-2] not in MAILDIR_BOXES:
        return False
    suffix = suffix_of(path)
    return suffix not in READERS and suffix not in _TEXT_SUFFIXES


def maildir_of(path: str) -> str:
    """The maildir a message file belongs to (``Mail/INBOX`` for ``Mail/INBOX/cur/NAME``;
    ``.`` when the corpus folder is itself the maildir)."""
    return "/".join(path.split("/")[:-2]) or "."


def handles(path: str) -> bool:
    """Whether ``path`` (a file name) is read by one of these readers."""
    return suffix_of(path) in READERS or is_maildir_message(path)


def read_limit(path: str) -> int:
    """How many bytes of the file at ``path`` a reader looks at."""
    if suffix_of(path) == ".mbox":
        return _MBOX_LIMIT
    if is_maildir_message(path):
        return READ_LIMITS["mail"]
    return READ_LIMITS[READERS[suffix_of(path)]]


def reader_for(path: str) -> Reader:
    """The ``read`` function for a file name (importing its module on first use)."""
    name = "mail" if is_maildir_message(path) else READERS[suffix_of(path)]
    module = importlib.import_module(f"{__name__}.{name}")
    return cast(Reader, module.read)


def extract(rel_path: str, data: bytes, truncated: bool = False) -> Extracted:
    """Read the articles of one file of a supported format (see ``handles``).

    Raises ArticleError (with the reason for the user) when the file cannot be read at all."""
    return reader_for(rel_path)(rel_path, data, truncated)


def split_id(article_id: str) -> list[tuple[str, str | None]]:
    """The ways to read an article id as ``(file, key)``, most likely first; ``key`` is None for
    an article that is a whole file. (A file name may itself contain ``#``.)"""
    out: list[tuple[str, str | None]] = []
    maildirs: list[tuple[str, str | None]] = []
    at = article_id.find("#")
    while at > 0:
        head = article_id[:at]
        if head.lower().endswith(MULTI_ARTICLE):
            out.append((head, article_id[at + 1 :]))
        elif not handles(head) and not head.lower().endswith(_TEXT_SUFFIXES):
            maildirs.append((head, article_id[at + 1 :]))  # a folder: a maildir, if it is one
        at = article_id.find("#", at + 1)
    out.extend(maildirs)
    out.append((article_id, None))
    return out


def truncation_note(limit: int) -> str:
    return f"larger than {limit // MB} MB: only the leading part is indexed"
