"""Parsing XML that nobody vouches for (feeds, EPUB package files) without its traps.

Nothing a document declares is followed: no DTD is loaded, no external entity or DTD is read
(``file:///etc/passwd`` stays unread), nothing goes to the network, and entity declarations are
removed before parsing, so "billion laughs" cannot expand. HTML's named entities (``&eacute;``,
which feeds use without declaring them) become the characters they name. Broken or truncated
documents are parsed as far as they go (libxml2's recover mode).
"""

from __future__ import annotations

import html.entities
import io
import re
from collections.abc import Iterator

from lxml import etree

#: The internal subset of a DOCTYPE, where entities are declared: ``<!DOCTYPE x [ ... ]>``.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.S | re.I)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{0,31});")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_PROLOG_BYTES = 64 * 1024
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")


def make_parser(recover: bool = True) -> etree.XMLParser:
    """A parser that loads no DTD, resolves no entity, reads no network or file, keeps libxml2's
    limits on tree depth and text size (``huge_tree=False``) and removes comments and processing
    instructions."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
    )


def defuse(data: bytes) -> tuple[bytes, bool]:
    """The document without its DOCTYPE, with HTML named entities replaced by character
    references; and whether the DOCTYPE declared entities (which are then left unexpanded)."""
    head = data[:_PROLOG_BYTES]
    at = head.upper().find(b"<!DOCTYPE")
    declared = False
    if at >= 0 and _ELEMENT_START.search(head, 0, at) is None:  # only the prolog may hold one
        m = _DOCTYPE.match(data, at)
        if m is None:
            # Unterminated: nothing after it can be trusted to be markup.
            return b"", bool(_ENTITY_DECL.search(head, at))
        declared = bool(m.group(1) and _ENTITY_DECL.search(m.group(1)))
        data = data[:at] + data[m.end() :]
    return _NAMED_ENTITY.sub(_entity_ref, data), declared


def _entity_ref(m: re.Match[bytes]) -> bytes:
    name = m.group(1)
    if name in _XML_ENTITIES:
        return m.group(0)
    text = html.entities.html5.get(name.decode("ascii") + ";")
    if text is None:
        return b""  # an undeclared entity: libxml2 would stop or drop it anyway
    return "".join(f"&#{ord(ch)};" for ch in text).encode("ascii")


def parse(data: bytes) -> etree._Element | None:
    """The root element of a document (defused first), or None when nothing could be parsed."""
    clean, _ = defuse(data)
    try:
        root = etree.fromstring(clean, make_parser())
    except etree.XMLSyntaxError:
        return None
    return root


def iter_elements(data: bytes) -> Iterator[etree._Element]:
    """Each element of a (defused) document at its end tag, for streaming through big files.

    The caller clears what it has used (``forget``); a syntax error ends the stream there."""
    clean, _ = defuse(data)
    events = etree.iterparse(
        io.BytesIO(clean),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in events:
            if isinstance(element.tag, str):
                yield element
    except etree.XMLSyntaxError:
        return


def forget(element: etree._Element) -> None:
    """Free an element that was read, and the siblings before it (bounded memory in iterparse)."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def local(tag: object) -> str:
    """An element's tag without its namespace, in lower case."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def text_of(element: etree._Element | None) -> str:
    """All the text inside an element (CDATA included), whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
