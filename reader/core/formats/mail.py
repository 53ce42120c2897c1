"""Mail: one message per ``.eml`` file or maildir message file, many in an ``.mbox``; one
article per message.

The subject is the title, the ``Date`` header the date, the sender the source. The text is the
message's plain-text body or, when it has none, its HTML body turned into text: never both,
never headers or MIME boundaries. Attachments are not read (their bytes are never decoded).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser

from reader.core.corpus import Article, ArticleError, Block, decode
from reader.core.formats import Extracted, is_maildir_message, maildir_of, suffix_of, truncation_note
from reader.core.formats.blocks import (
    article_key,
    html_blocks,
    make_article,
    parse_any_date,
    text_blocks,
)

#: An mbox message starts with a "From " line at the start of the file or after a blank line,
#: or anywhere with a whole envelope ("From sender Thu Mar 12 08:00:00 2020": written by tools
#: that leave no blank line before it); a body line "From here…" is not one.
_FROM_LINE = re.compile(
    rb"(?:(?:\A|(?<=\n\n)|(?<=\r\n\r\n))From [^\n]*\n)|(?m:^From \S+ +"
    rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} "
    rb"\d{1,2}:\d{2}(?::\d{2})? (?:[A-Z]{3,5} |[+-]\d{4} )?\d{4}[^\n]*\n)"
)
#: mboxrd/mboxo escaping: a body line that began with "From " was written as ">From ".
_ESCAPED_FROM = re.compile(rb"(?m)^>(>*From )")


def read(rel_path: str, data: bytes, truncated: bool) -> Extracted:
    """The messages of an ``.eml`` (one) or ``.mbox`` file, in file order."""
    note = truncation_note(len(data)) if truncated else ""
    if is_maildir_message(rel_path):
        # One message of a maildir: its id is the maildir's and its key, not its file name,
        # which the mail program changes (flags, new/ to cur/).
        if not data.strip():
            raise ArticleError("empty file")
        message = _parse(data)
        body = _body(message)
        article = _article(f"{maildir_of(rel_path)}#{_key(message, body)}", message, body)
        if article is None:
            raise ArticleError("not a mail message: no subject and no text")
        return Extracted([article], note)
    if suffix_of(rel_path) != ".mbox":
        if not data.strip():
            raise ArticleError("empty file")
        message = _parse(data)
        article = _article(rel_path, message, _body(message))
        if article is None:
            raise ArticleError("not a mail message: no subject and no text")
        return Extracted([article], note)
    articles = []
    seen: dict[str, int] = {}
    for raw in split_mbox(data):
        # One message at a time, dropped once read: memory follows the largest message.
        message = _parse(raw)
        body = _body(message)
        key = _key(message, body)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}~{seen[key]}"  # as blocks.unique_keys does
        article = _article(f"{rel_path}#{key}", message, body)
        del message, raw
        if article is not None:
            articles.append(article)
    if not seen:
        reason = "not an mbox: no message starts with “From ”"
        raise ArticleError("empty file" if not data.strip() else reason)
    if not articles:
        raise ArticleError("an mbox without readable messages")
    return Extracted(articles, note)


def split_mbox(data: bytes) -> Iterator[bytes]:
    """The messages of an mbox file, each without its "From " line, one at a time."""
    previous: re.Match[bytes] | None = None
    for m in _FROM_LINE.finditer(data):
        if previous is not None and data[previous.end() : m.start()].strip():
            yield _ESCAPED_FROM.sub(rb"\1", data[previous.end() : m.start()])
        previous = m
    if previous is not None and data[previous.end() :].strip():
        yield _ESCAPED_FROM.sub(rb"\1", data[previous.end() :])


#: A run of base64 lines worth more than a megabyte: an attachment (an image, a PDF), which the
#: stdlib parser would hold five times over in lines and strings though it is never read.
_BIG_BASE64 = re.compile(rb"(?m)(?:^[A-Za-z0-9+/]{60,}={0,2}\r?\n){16384,}")


def _parse(raw: bytes) -> EmailMessage:
    if len(raw) > 1024 * 1024:
        raw = _BIG_BASE64.sub(b"\n", raw)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # policy.default makes EmailMessage objects
    return message


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError):  # a header the parser cannot make sense of
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def message_id_key(message: Message) -> str:
    """A message's key from its Message-ID header alone ("" when it has none; its key is then
    a hash of its content, see ``_key``)."""
    message_id = _header(message, "message-id").strip("<> ")
    return article_key(message_id) if message_id else ""


def _key(message: EmailMessage, body: list[Block]) -> str:
    message_id = _header(message, "message-id").strip("<> ")
    content = "\n".join(_header(message, h) for h in ("from", "date", "subject"))
    return article_key(message_id, content=content + "\n" + "\n".join(b.text for b in body))


def _article(path: str, message: EmailMessage, body: list[Block]) -> Article | None:
    subject = _header(message, "subject")
    try:
        return make_article(
            path,
            subject or ("(no subject)" if body else ""),
            body,
            date=parse_any_date(_header(message, "date")),
            source=_sender(message),
            language=_header(message, "content-language").split(",")[0],
        )
    except ArticleError:
        return None


def _sender(message: EmailMessage) -> str:
    try:
        header = message.get("from")
        addresses = getattr(header, "addresses", ())
    except (ValueError, TypeError, IndexError):
        return _header(message, "from")
    for address in addresses:
        if isinstance(address, Address):
            return address.display_name or address.addr_spec
    return _header(message, "from")


def _body(message: EmailMessage) -> list[Block]:
    """The plain-text body, else the HTML body as text; attachments are skipped."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except (ValueError, TypeError, KeyError, IndexError):
        part = None
    if part is None:
        return []
    text = _content(part)
    if part.get_content_subtype() == "html":
        return html_blocks(text)
    return text_blocks(text)


def _content(part: Message) -> str:
    if part.get_param("charset") is None and part.get("content-transfer-encoding", "").lower() not in (
        "base64",
        "quoted-printable",
    ):
        # 8-bit text that names no charset (the RFC's default, US-ASCII, says nothing of
        # it): UTF-8 when it is, else the legacy encoding its bytes are in.
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and not payload.isascii():
            return decode(payload, truncated=False)[0]
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, ValueError, TypeError, AssertionError):
        pass  # an unknown charset or a broken transfer encoding: decode as well as possible
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        if part.get_param("charset") is None:
            return decode(payload, truncated=False)[0]
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            return payload.decode("utf-8", errors="replace")
    return ""
