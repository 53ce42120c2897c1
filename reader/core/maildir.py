"""Maildir folders in the corpus: which folders are maildirs, and which file holds a message.

A maildir (``cur``, ``new`` and ``tmp`` folders, at least two of them present: a copy may have
lost an empty one) holds one message per file. The corpus walk reads the files of ``cur`` and
``new`` whatever their names (``tmp`` holds half-delivered mail and is never read), and the
Maildir++ subfolders (``.Sent``, ``.Archive``) inside one. Nothing is ever written there: a
mail program's flags stay its own.

A message's id is ``MAILDIR#KEY`` (``formats.mail``), so finding its file means reading the
maildir's message headers; the answer is kept per maildir until ``cur`` or ``new`` changes
(every delivery, rename or deletion changes their modification time).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core import formats

if TYPE_CHECKING:  # corpus.py imports this module
    from reader.core.corpus import Article


def is_maildir_listing(subfolders: set[str]) -> bool:
    """Whether a folder whose subfolders are ``subfolders`` is a maildir."""
    return sum(1 for name in formats.MAILDIR_FOLDERS if name in subfolders) >= 2


def is_maildir(folder: Path) -> bool:
    """Whether ``folder`` (on disk) is a maildir."""
    try:
        return is_maildir_listing({name for name in formats.MAILDIR_FOLDERS if (folder / name).is_dir()})
    except OSError:
        return False


def folder(root: Path, maildir: str) -> Path | None:
    """The folder of maildir ``maildir`` (a corpus path; ``.`` is the corpus folder itself),
    or None when it is no maildir (or not inside the corpus)."""
    from reader.core.corpus import ArticleError, corpus_file

    try:
        path = root.resolve() if maildir == "." else corpus_file(root, maildir)
    except (ArticleError, OSError):
        return None
    return path if is_maildir(path) else None


def load_message(root: Path, maildir: str, key: str, article_id: str) -> Article:
    """The article of message ``key`` of ``maildir`` (id ``article_id``); ArticleError when
    the maildir holds no such message (any more)."""
    from reader.core.corpus import ArticleError, read_file_articles

    rel_path = message_file(root, maildir, key)
    if rel_path is not None:
        for article in read_file_articles(root, rel_path).articles:
            if article.path == article_id:
                return article
    raise ArticleError(f"no message {key!r} in the maildir {maildir} (no longer there?)")


def all_messages(root: Path, maildir: str) -> list[Article]:
    """Every readable message of a maildir, ``cur`` before ``new``, by file name."""
    from reader.core.corpus import ArticleError, read_file_articles

    articles: list[Article] = []
    for rel_path in message_files(root, maildir):
        with contextlib.suppress(ArticleError):
            articles.extend(read_file_articles(root, rel_path).articles)
    return articles


def message_files(root: Path, maildir: str) -> list[str]:
    """The corpus paths of the message files of ``maildir`` (a corpus path, ``.`` for the
    corpus folder itself), ``cur`` before ``new``, by name."""
    prefix = "" if maildir == "." else maildir + "/"
    out: list[str] = []
    for box in formats.MAILDIR_BOXES:
        try:
            with os.scandir(root / prefix / box) as entries:
                names = sorted(e.name for e in entries if not e.name.startswith(".") and e.is_file())
        except OSError:
            continue
        out.extend(p for p in (f"{prefix}{box}/{name}" for name in names) if formats.is_maildir_message(p))
    return out


#: How much of a message file is read for its headers (they come first; a body is not read).
_HEADER_BYTES = 64 * 1024
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_CACHE_MAILDIRS = 8
_cache: OrderedDict[tuple[str, int, int], dict[str, str]] = OrderedDict()
_cache_lock = threading.Lock()


def _stamp(folder: Path) -> tuple[int, int]:
    stamps = []
    for box in formats.MAILDIR_BOXES:
        try:
            stamps.append((folder / box).stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    return stamps[0], stamps[1]


def message_file(root: Path, maildir: str, key: str) -> str | None:
    """The corpus path of the file holding message ``key`` of ``maildir``, or None."""
    folder = root if maildir == "." else root / maildir
    cache_key = (str(folder.absolute()), *_stamp(folder))
    with _cache_lock:
        keys = _cache.get(cache_key)
        if keys is not None:
            _cache.move_to_end(cache_key)
    if keys is None:
        keys = _keys(root, maildir)
        with _cache_lock:
            _cache[cache_key] = keys
            while len(_cache) > _CACHE_MAILDIRS:
                _cache.popitem(last=False)
    return keys.get(key)


def cached_message_file(root: Path, article_id: str) -> str | None:
    """The file of a maildir message when its maildir was looked in already (no disk access
    beyond that), else None."""
    for maildir, key in formats.split_id(article_id):
        if key is None:
            continue
        folder = str((root if maildir == "." else root / maildir).absolute())
        with _cache_lock:
            for (path, _, _), keys in _cache.items():
                if path == folder and key in keys:
                    return keys[key]
    return None


def _keys(root: Path, maildir: str) -> dict[str, str]:
    """Message key → corpus path of its file, for every message of a maildir (the first file
    of a key that two files share, as a sync keeps one article for both)."""
    from email import policy  # (here: every corpus walk imports this module, few read mail)
    from email.parser import BytesHeaderParser

    from reader.core.corpus import ArticleError, corpus_file, extract_articles, read_bytes
    from reader.core.formats.mail import message_id_key

    parser = BytesHeaderParser(policy=policy.default)
    keys: dict[str, str] = {}
    for rel_path in message_files(root, maildir):
        try:
            path = corpus_file(root, rel_path)
            with open(path, "rb") as fh:
                head = fh.read(_HEADER_BYTES)
            end = _HEADER_END.search(head)
            key = message_id_key(parser.parsebytes(head[: end.start()] if end else head))
            if not key:  # no Message-ID: the key is a hash of the message, read it whole
                data, truncated = read_bytes(path, formats.read_limit(rel_path))
                article_id = extract_articles(rel_path, data, truncated).articles[0].path
                key = article_id[len(formats.maildir_of(rel_path)) + 1 :]
        except (OSError, ArticleError, IndexError):
            continue
        keys.setdefault(key, rel_path)
    return keys
