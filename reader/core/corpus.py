"""Find article files in a corpus folder, decode them and parse them into articles.

The formats other than plain text (saved web pages, feeds, mail, EPUB) have their readers in
``reader.core.formats``; this module finds their files and loads their articles by id too.

An article file is plain text: a title line, an optional date line, paragraphs separated by
blank lines, and optionally a source line and photo credits at the end. The parser is
deliberately conservative: when a heuristic is unsure, text stays body text.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import errno
import os
import re
import stat
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from reader.core import formats, maildir

TEXT_SUFFIXES = (".txt", ".md")
#: Every file name ending the corpus walk picks up (text and the formats of ``formats``).
ARTICLE_SUFFIXES = TEXT_SUFFIXES + tuple(formats.READERS)

#: Files larger than this are indexed by their leading part only (and reported as a problem).
MAX_ARTICLE_BYTES = 8 * 1024 * 1024


class ArticleError(Exception):
    """An article file that cannot be read as text; the message is the user-facing reason."""


@dataclass(frozen=True)
class FileStat:
    """What a directory walk learns about one article file without reading it."""

    path: str  # id: relative to the corpus folder, "/" separators
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Block:
    """One paragraph or subheading of an article body."""

    kind: str  # "paragraph" or "heading"
    text: str


@dataclass(frozen=True)
class Article:
    """A parsed article.

    ``plain_text`` is the canonical text that offsets (search marks, highlights) refer to: the
    title, the date line, every block and every footer line, one per line, joined by ``\\n``.
    """

    path: str
    title: str
    date: dt.date | None
    date_line: str
    blocks: tuple[Block, ...]
    source: str
    credits: tuple[str, ...]
    encoding: str = "utf-8"
    truncated: bool = False
    #: The original's address (a page's canonical URL, a feed item's link), or "".
    url: str = ""
    #: The language the file declares for the article (``en``, ``de-CH``), or "".
    language: str = ""
    #: The source line as the file writes it ("Quelle: Deutsche Welle"), when ``source`` is
    #: only its name: the text keeps the line, the catalog and the facets the name.
    source_line: str = ""
    lines: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lines = [self.title]
        if self.date_line:
            lines.append(self.date_line)
        lines.extend(block.text for block in self.blocks)
        if self.source_line or self.source:
            lines.append(self.source_line or self.source)
        lines.extend(self.credits)
        object.__setattr__(self, "lines", tuple(lines))

    @property
    def body(self) -> str:
        """Paragraphs and subheadings, one per line (what the ``body`` field indexes)."""
        return "\n".join(block.text for block in self.blocks)

    @property
    def plain_text(self) -> str:
        return "\n".join(self.lines)


# --- Finding files -------------------------------------------------------------------------


def walk_corpus(root: Path) -> Iterator[FileStat | tuple[str, str]]:
    """Yield a FileStat for each article file under ``root``, recursively.

    Hidden files and folders (a leading dot) are skipped, and so are symlinked folders, which
    protects the walk from loops. A path that cannot be examined is yielded as ``(path, reason)``.
    """
    # Relative paths are built as strings ("folder/" + name): pathlib's relative_to() for each
    # file was half the cost of the no-change check that every CLI search makes.
    # The third item: the folder is a maildir's cur/ or new/, whose files are messages.
    stack: list[tuple[str, str, bool]] = [(os.fspath(root), "", False)]
    while stack:
        folder, prefix, mailbox = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield (prefix.rstrip("/") or "."), f"cannot list folder: {exc.strerror or exc}"
            continue
        subfolders: list[tuple[str, str, bool]] = []
        in_maildir = _is_maildir_listing(entries)
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                # Maildir++ keeps a maildir's subfolders (.Sent, .Archive) as hidden maildirs.
                if (
                    in_maildir
                    and entry.is_dir(follow_symlinks=False)
                    and maildir.is_maildir(Path(entry.path))
                ):
                    subfolders.append((entry.path, prefix + name + "/", False))
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if in_maildir and name == "tmp":
                        continue  # mail being delivered: never read
                    box = in_maildir and name in formats.MAILDIR_BOXES
                    subfolders.append((entry.path, prefix + name + "/", box))
                    continue
                if not (mailbox or name.lower().endswith(ARTICLE_SUFFIXES)):
                    continue
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                yield prefix + name, _os_reason(exc)
                continue
            if stat.S_ISDIR(st.st_mode):
                continue  # a symlink to a folder, or a folder named like an article
            if not stat.S_ISREG(st.st_mode):
                continue
            if entry.is_symlink() and not inside_corpus(root, prefix + name):
                yield prefix + name, "a link to a file " + OUTSIDE
                continue
            yield FileStat(prefix + name, st.st_size, st.st_mtime_ns)
        stack.extend(reversed(subfolders))


def _is_maildir_listing(entries: list[os.DirEntry[str]]) -> bool:
    names = {e.name for e in entries if e.name in formats.MAILDIR_FOLDERS}
    if len(names) < 2:
        return False  # (the common case: no stat at all)
    with contextlib.suppress(OSError):
        return maildir.is_maildir_listing({e.name for e in entries if e.name in names and e.is_dir()})
    return False


def corpus_folders(root: Path, limit: int) -> list[Path] | None:
    """``root`` and every folder under it that ``walk_corpus`` enters (for a file-system watcher);
    None when there are more than ``limit``."""
    folders = [root]
    i = 0
    while i < len(folders):
        try:
            with os.scandir(folders[i]) as entries:
                for entry in entries:
                    with contextlib.suppress(OSError):
                        if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                            folders.append(Path(entry.path))
        except OSError:
            pass
        if len(folders) > limit:
            return None
        i += 1
    return folders


#: Why an article id is refused: it names something outside the corpus folder.
OUTSIDE = "outside the corpus folder"


def corpus_file(root: Path, rel_path: str) -> Path:
    """The real file behind article id ``rel_path`` of the corpus at ``root``.

    The one place that confines reading to the corpus folder: an id that is empty or absolute,
    has a drive, a NUL or a ``..`` step, or leads through a link to anything outside the folder
    raises ArticleError (``OUTSIDE``). Whatever a file or an import names, nothing else is opened.
    """
    if not rel_path or "\0" in rel_path:
        raise ArticleError(f"not an article id: {rel_path!r}")
    if rel_path.startswith("/") or ":" in rel_path or "\\" in rel_path:
        # (Only these can be absolute or have a drive in either reading of the id.)
        pure = PurePosixPath(rel_path)
        win = PureWindowsPath(rel_path)
        if pure.is_absolute() or win.is_absolute() or win.drive or ".." in pure.parts or ".." in win.parts:
            raise ArticleError(OUTSIDE)
    elif ".." in rel_path.split("/"):
        raise ArticleError(OUTSIDE)
    # Strings rather than Path.resolve(): the same realpath and link-loop check, without
    # pathlib's parsing (half the cost of reading a snippet's article).
    base = _real(os.fspath(root))
    real = _real(os.path.join(base, rel_path))
    inside = base if base.endswith(os.sep) else base + os.sep
    if real == base or not real.startswith(inside):
        raise ArticleError(OUTSIDE)
    return Path(real)


def _real(path: str) -> str:
    """``os.path.realpath`` that raises ArticleError on a link loop, as ``Path.resolve`` does."""
    try:
        real = os.path.realpath(path)
    except OSError as exc:
        raise ArticleError(_os_reason(exc)) from exc
    try:
        os.stat(real)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ArticleError("symbolic link loop") from exc
    return real


def article_id_of(root: Path, given: str) -> str:
    """The article id a user gave on the command line: a path to a file inside the corpus
    (absolute, or relative to the current folder; ``FILE#KEY`` too) becomes its id; anything
    else is taken as an id as it is (``feeds/news.rss#KEY``, ``./page.html``). The one rule for
    every command that takes articles, so none refuses a path another accepts."""
    base = root.resolve()
    file_part, hash_, key = given, "", ""
    if not Path(given).expanduser().is_file() and "#" in given:
        file_part, hash_, key = given.rpartition("#")[0], "#", given.rpartition("#")[2]
    candidate = Path(file_part).expanduser()
    if candidate.is_absolute() or candidate.is_file():
        try:
            return candidate.resolve().relative_to(base).as_posix() + hash_ + key
        except (ValueError, OSError):
            pass  # outside the corpus: refused as the id it is
    return given.replace(os.sep, "/").removeprefix("./")


def missing_reason(root: Path, article_id: str, exc: ArticleError) -> str:
    """Why ``article_id`` cannot be shown, for a person: "no such article" for a file that is
    not there at all (no file, no broken link), else the reading error."""
    file_part = article_id if os.path.lexists(root / article_id) else article_id.split("#", 1)[0]
    try:
        real = corpus_file(root, file_part)
    except ArticleError:
        return str(exc)
    if not os.path.lexists(real) and not os.path.lexists(root / file_part):
        return "no such article"
    return str(exc)


def inside_corpus(root: Path, rel_path: str) -> bool:
    """Whether ``rel_path`` names a place inside the corpus folder (``corpus_file`` accepts it)."""
    try:
        corpus_file(root, rel_path)
    except ArticleError as exc:
        return str(exc) != OUTSIDE and not str(exc).startswith("not an article id")
    return True


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "file vanished or is a broken link"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return f"cannot read: {exc.strerror or exc}"


# --- Decoding ------------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")


def read_bytes(path: Path, limit: int | None = None) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes (default MAX_ARTICLE_BYTES); return them and whether the file
    was longer."""
    if limit is None:
        limit = MAX_ARTICLE_BYTES
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except IsADirectoryError as exc:
        raise ArticleError("is a folder") from exc
    except OSError as exc:
        raise ArticleError(_os_reason(exc)) from exc
    if len(data) > limit:
        return data[:limit], True
    return data, False


def decode(data: bytes, truncated: bool | None = None) -> tuple[str, str]:
    """Decode article bytes; return ``(text, encoding)``.

    UTF-8 (with or without BOM), then UTF-16 by BOM (or by its NUL bytes when it has none),
    then a legacy encoding: detected when the file has enough non-ASCII bytes to tell
    (cp1251 or KOI8-R, cp1254 Turkish, cp1250, Greek, Shift_JIS…: ``formats.encodings``), else
    cp1251 or cp1252/latin-1 by which one yields plausible letters. Binary data raises
    ArticleError. ``truncated`` says the bytes are the leading part of a longer file (so a UTF-8
    character may be cut off at the end); None infers it from the length reaching
    MAX_ARTICLE_BYTES.
    """
    if truncated is None:
        truncated = len(data) >= MAX_ARTICLE_BYTES
    if data.startswith(codecs.BOM_UTF8):
        return _clean(data[3:].decode("utf-8", errors="replace")), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _clean(data.decode("utf-16", errors="replace")), "utf-16"
    from reader.core.formats import encodings

    utf16 = encodings.sniff_utf16(data)
    if utf16 is not None:
        return _clean(data.decode(utf16, errors="replace")), utf16
    if looks_binary(data):
        raise ArticleError("binary data, not text")
    try:
        if truncated:
            # A multi-byte character cut off by truncation is held back, not an error. Only when
            # truncated: a short latin-1 file ending in "é" must not lose its last letter.
            return _clean(codecs.getincrementaldecoder("utf-8")().decode(data, final=False)), "utf-8"
        return _clean(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if sum(1 for b in data[:65536] if b >= 0x80) >= _DETECT_MIN_BYTES:
        name = encodings.detect(data)
        if name is not None:
            return _clean(data.decode(name, errors="replace")), name
    cyrillic = data.decode("cp1251", errors="replace")
    letters = len(_LETTER.findall(cyrillic))
    if letters and len(_CYRILLIC.findall(cyrillic)) / letters > 0.5:
        return _clean(cyrillic), "cp1251"
    try:
        return _clean(data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError:
        return _clean(data.decode("latin-1")), "latin-1"


#: Non-ASCII bytes below which a file is too short to detect its encoding reliably (a name
#: with one accent): then the cp1251/cp1252 rule decides.
_DETECT_MIN_BYTES = 8


def looks_binary(data: bytes) -> bool:
    """Whether the leading bytes look like binary data rather than text (many control bytes)."""
    sample = data[:8192]
    if not sample:
        return False
    controls = len(sample.translate(None, _NOT_CONTROL))  # (what is left: the control bytes)
    return controls / len(sample) > 0.1


#: Every byte but the controls ``looks_binary`` counts (below 32, except tab, LF, FF and CR).
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13)))


# C0 controls other than the whitespace ones (tab, newlines, vertical tab, form feed), and DEL.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    # Stray NULs and other controls (a DOS end-of-file mark) would end up in the index and the pane.
    text = _CONTROLS.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_from_bytes(rel_path: str, data: bytes, truncated: bool = False) -> Article:
    """Decode and parse the bytes of one article file; raise ArticleError if there is no text."""
    # Imported here: the text parser builds this module's Article (as the other formats' readers do).
    from reader.core.text_article import parse_article

    text, encoding = decode(data, truncated)
    article = parse_article(rel_path, text, encoding, truncated)
    if not article.title:
        # Judged on the decoded text: a UTF-16 BOM or a line of non-breaking spaces is still empty.
        raise ArticleError("empty file" if not text.strip() else "no text")
    return article


def read_limit(rel_path: str) -> int:
    """How many bytes of a file the readers look at (the rest is left out and reported)."""
    return formats.read_limit(rel_path) if formats.handles(rel_path) else MAX_ARTICLE_BYTES


def extract_articles(rel_path: str, data: bytes, truncated: bool = False) -> formats.Extracted:
    """The articles of one file of any format, from its bytes: a pure function (no file system,
    no shared state) that a process pool can run. Raises ArticleError when nothing is readable."""
    if formats.handles(rel_path):
        return formats.extract(rel_path, data, truncated)
    note = f"larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB: only the leading part is indexed"
    return formats.Extracted([article_from_bytes(rel_path, data, truncated)], note if truncated else "")


def read_file_articles(root: Path, rel_path: str) -> formats.Extracted:
    """Read and extract the articles of one file of the corpus at ``root``."""
    data, truncated = read_bytes(corpus_file(root, rel_path), read_limit(rel_path))
    return extract_articles(rel_path, data, truncated)


def load_article(root: Path, article_id: str) -> Article:
    """Read one article of the corpus at ``root``: a whole file (``dir/name.txt``) or one article
    of a file of several (``dir/feed.rss#KEY``)."""
    candidates = formats.split_id(article_id)
    rel_path, key = candidates[-1]
    for file, file_key in candidates[:-1]:
        with contextlib.suppress(ArticleError):
            if corpus_file(root, file).is_file():
                rel_path, key = file, file_key
                break
    else:
        for file, file_key in candidates[:-1]:
            if file_key is not None and maildir.folder(root, file) is not None:
                return maildir.load_message(root, file, file_key, article_id)
    if key is None and not formats.handles(rel_path):
        data, truncated = read_bytes(corpus_file(root, rel_path))
        return article_from_bytes(rel_path, data, truncated)
    articles = _cached_articles(root, rel_path)
    if key is None:
        return articles[0]  # a file of several named whole (Open With a feed): its first article
    for article in articles:
        if article.path == article_id:
            return article
    raise ArticleError(f"no article {key!r} in {rel_path} (no longer in the file?)")


def original_file(root: Path, article_id: str) -> Path:
    """The file an article was read from (``feed.rss`` for ``feed.rss#KEY``, the message file
    of a maildir message once it was read), without reading more of the disk: for opening the
    original in its own application. An absolute id is a file read on its own, outside the
    corpus."""
    if Path(article_id).is_absolute():
        return Path(formats.split_id(article_id)[0][0])
    message = maildir.cached_message_file(root, article_id)
    if message is not None:
        return root / message
    candidates = formats.split_id(article_id)
    for file, key in candidates:
        if key is not None and file.lower().endswith(formats.MULTI_ARTICLE):
            return root / file
    if article_id.lower().endswith(ARTICLE_SUFFIXES):
        return root / article_id  # a file named with a "#"
    return root / candidates[0][0]  # a maildir message: its maildir


def load_articles(root: Path, article_id: str) -> list[Article]:
    """``load_article``, except that a file of several articles named without a key gives all
    of them (``feeds/news.rss``: every item, in file order; a maildir folder: every message)."""
    if article_id.lower().endswith(formats.MULTI_ARTICLE):
        with contextlib.suppress(ArticleError):
            if corpus_file(root, article_id).is_file():
                return list(_cached_articles(root, article_id))
    if "#" not in article_id and maildir.folder(root, article_id.rstrip("/") or ".") is not None:
        return maildir.all_messages(root, article_id.rstrip("/") or ".")
    return [load_article(root, article_id)]


def plain_text(root: Path, article_id: str) -> str | None:
    """The plain text of one article of the corpus at ``root`` (what highlights are anchored
    in), or None when it cannot be read (gone, empty, not text)."""
    try:
        return load_article(root, article_id).plain_text
    except ArticleError:
        return None


_CACHE_FILES = 4
_cache: OrderedDict[tuple[str, int, int], list[Article]] = OrderedDict()
_cache_lock = threading.Lock()


def _cached_articles(root: Path, rel_path: str) -> list[Article]:
    """The articles of a file in another format, kept for the last few files read: the reading
    pane, snippets and the concordance load many articles of one feed or mbox in a row."""
    path = corpus_file(root, rel_path)
    try:
        st = path.stat()
    except OSError as exc:
        raise ArticleError(_os_reason(exc)) from exc
    key = (str(path.absolute()), st.st_size, st.st_mtime_ns)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    articles = read_file_articles(root, rel_path).articles
    if not articles:
        raise ArticleError(f"{rel_path} holds no articles")
    with _cache_lock:
        _cache[key] = articles
        while len(_cache) > _CACHE_FILES:
            _cache.popitem(last=False)
    return articles
