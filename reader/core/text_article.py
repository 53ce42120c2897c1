"""Plain-text articles (``.txt``, ``.md``): a title line, an optional date line, paragraphs
separated by blank lines, subheadings, and a source line and photo credits at the end. The
parser is deliberately conservative: when a heuristic is unsure, text stays body text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from reader.core.corpus import Article, Block
from reader.core.dates import parse_date
from reader.core.markdown_text import atx_heading, split_front_matter

# "Photo:" and its kin in the languages of the archives (a credit word, maybe "by", then ":",
# the Armenian "՝", or a dash): English, Russian/Ukrainian/Bulgarian, German/Dutch/Scandinavian,
# French, Spanish/Italian/Portuguese, Turkish, Azerbaijani, Armenian, Polish, Czech, Greek.
_CREDIT = re.compile(
    r"^(?:photo(?:graph)?s?|image|picture|illustration|video|credits?|"
    r"фото(?:графия)?|снимк[аи]|світлина|ілюстрація|иллюстрация|"
    r"fotos?|bild(?:er)?|abbildung|foto(?:grafie|grafia|grafía|ğraf|graf)|"
    r"imagen|immagine|illustrazione|crédits?|créditos?|"
    r"görsel|resim|şəkil|լուսանկար(?:ը|ներ)?|նկար(?:ը)?|"
    r"zdjęcie|fot\.|φωτογραφία|φωτο)(?:\s+(?:by|von|de|di|par))?\s*[:\u055d—–-]",
    re.I,
)
# "Source:" and its kin, before the name on a source line: the label is not part of the source.
_SOURCE_LABEL = re.compile(
    r"^(?:source|sources|quelle|источник|джерело|kaynak|mənbə|աղբյուր|fuente|fonte|bron|"
    r"źródło|zdroj|πηγή|kilde|källa|lähde)\s*[:\u055d]\s*(?=\S)",
    re.I,
)
_SEPARATOR = re.compile(r"^(?:[-*_=~]\s*){3,}$")
_MAX_FOOTER = 200
#: A first line longer than this is a paragraph, not a title.
MAX_TITLE_LINE = 300
_SENTENCE_END = (".", "!", "?", ":", ";", ",", '"', "'", "”", "’", ")", "»", "…", "-", "–", "—")


def parse_article(path: str, text: str, encoding: str = "utf-8", truncated: bool = False) -> Article:
    """Parse decoded article text. Never raises for odd shapes: everything unclear is body.

    Markdown (``.md``) also gives its front matter (title, date, address, source) and its ATX
    headings (``# Title``, ``## Section``) without their ``#`` marks."""
    markdown = path.lower().endswith(".md")
    front = None
    if markdown:
        text, front = split_front_matter(text)
        if front is not None and front.title:
            first = next((line.strip() for line in text.split("\n") if line.strip()), "")
            if (atx_heading(first) or first) != front.title:
                text = front.title + "\n\n" + text  # the title line the shape expects
    article = _parse(path, text, encoding, truncated, markdown)
    if front is None:
        return article
    return replace(
        article,
        date=article.date or front.date,
        source=article.source or front.source,
        url=article.url or front.url,
    )


def _parse(path: str, text: str, encoding: str, truncated: bool, markdown: bool) -> Article:
    raw_lines = text.split("\n")
    # A blank-looking line holding a non-breaking space marks the end of the body in the seed
    # shape; remember where the last such separator is before normalising blanks.
    separator_at = max((i for i, line in enumerate(raw_lines) if _is_separator(line)), default=-1)
    blank_at = separator_at if separator_at >= 0 and not raw_lines[separator_at].strip() else -1
    paragraphs = _Paragraphs(raw_lines)
    if not paragraphs.lines:
        return Article(path, "", None, "", (), "", (), encoding, truncated)
    title, date, date_line = _take_title_and_date(paragraphs)
    if markdown:
        title = atx_heading(title) or title
    credits = _take_seed_footer(paragraphs, blank_at, _take_credits(paragraphs))
    source_line = _take_source(paragraphs, separator_at)
    source = _SOURCE_LABEL.sub("", source_line)  # "Quelle: Deutsche Welle": Deutsche Welle
    groups = paragraphs.texts
    blocks = []
    for i, text_ in enumerate(groups):
        kind = "paragraph"
        heading = atx_heading(text_) if markdown and len(paragraphs.lines[i]) == 1 else None
        if heading is not None:
            kind, text_ = "heading", heading
        elif 0 < i < len(groups) - 1 and _is_subheading(text_, groups[i - 1], groups[i + 1]):
            kind = "heading"
        blocks.append(Block(kind, text_))
    return Article(
        path,
        title,
        date,
        date_line,
        tuple(blocks),
        source,
        tuple(credits),
        encoding,
        truncated,
        source_line=source_line if source_line != source else "",
    )


class _Paragraphs:
    """The groups of non-blank lines of an article, with the line number each starts at."""

    def __init__(self, raw_lines: list[str]) -> None:
        self.lines: list[list[str]] = []
        self.starts: list[int] = []
        current: list[str] = []
        for i, line in enumerate(raw_lines):
            stripped = " ".join(line.split())
            if not stripped or (stripped[0] in "-*_=~" and _SEPARATOR.match(stripped)):
                if current:
                    self.lines.append(current)
                    current = []
                continue
            if not current:
                self.starts.append(i)
            current.append(stripped)
        if current:
            self.lines.append(current)

    @property
    def texts(self) -> list[str]:
        return [" ".join(lines) for lines in self.lines]

    def drop_first_line(self) -> str:
        """Take the first line of the first group (the group goes when it was its only line)."""
        first = self.lines[0].pop(0)
        if self.lines[0]:
            self.starts[0] += 1
        else:
            self.lines.pop(0)
            self.starts.pop(0)
        return first

    def pop_last(self) -> str:
        self.starts.pop()
        return " ".join(self.lines.pop())


def _take_title_and_date(paragraphs: _Paragraphs) -> tuple[str, dt.date | None, str]:
    """The title (the first line; the rest of a multi-line first group is body) and the date:
    the line directly under the title, or a one-line group after it."""
    under_title = len(paragraphs.lines[0]) > 1
    if len(paragraphs.lines[0][0]) > MAX_TITLE_LINE:
        # No title line: the text starts with a paragraph on one line. Its first sentence is
        # the title, and the paragraph stays whole in the body.
        from reader.core.formats.blocks import lead_title

        return lead_title(paragraphs.lines[0][0]), None, ""
    title = paragraphs.drop_first_line()
    if paragraphs.lines and (under_title or len(paragraphs.lines[0]) == 1):
        candidate = paragraphs.lines[0][0]
        date = parse_date(candidate)
        if date is not None:
            paragraphs.drop_first_line()
            return title, date, candidate
    return title, None, ""


def _take_credits(paragraphs: _Paragraphs) -> list[str]:
    """Trailing one-line photo and image credits."""
    credits: list[str] = []
    while paragraphs.lines and len(paragraphs.lines[-1]) == 1:
        last = paragraphs.lines[-1][0]
        if len(last) > _MAX_FOOTER or not _CREDIT.match(last):
            break
        credits.insert(0, paragraphs.pop_last())
    return credits


def _take_seed_footer(paragraphs: _Paragraphs, separator_at: int, credits: list[str]) -> list[str]:
    """The seed shape's footer, in any language: after the final non-breaking-space line
    (``separator_at``; a ``---`` rule does not count),
    exactly two short lines, the source and then the credit, even when the credit's word is not
    one ``_CREDIT`` knows. Returns the credits (``credits`` when the shape is not there)."""
    lines, starts = paragraphs.lines, paragraphs.starts
    if credits or separator_at < 0 or len(lines) < 3:
        return credits
    footer = lines[-2:]
    if not (starts[-3] < separator_at < starts[-2]) or any(len(group) != 1 for group in footer):
        return credits
    source, credit = footer[0][0], footer[1][0]
    if len(source) > _MAX_FOOTER or len(credit) > _MAX_FOOTER or credit.endswith((".", "!", "?")):
        return credits
    return [paragraphs.pop_last()]


def _take_source(paragraphs: _Paragraphs, separator_at: int) -> str:
    """The source line: the one line after the final separator; when more text follows a rule
    (a Markdown "---" mid-article) that text is body."""
    lines, starts = paragraphs.lines, paragraphs.starts
    if len(lines) < 2 or len(lines[-1]) != 1:
        return ""
    after_separator = separator_at >= 0 and starts[-2] < separator_at < starts[-1]
    if after_separator and len(lines[-1][0]) <= _MAX_FOOTER:
        return paragraphs.pop_last()
    return ""


def _is_separator(line: str) -> bool:
    """A rule (``---``, ``***``) or a blank-looking line made of non-breaking spaces."""
    stripped = line.strip()
    if stripped:
        return stripped[0] in "-*_=~" and bool(_SEPARATOR.match(stripped))
    return any(ch not in " \t" for ch in line)


# A sentence that lost its full stop ("Terms were not disclosed", "They said ... that the full") has
# a pronoun or finite verb, or ends in a function word; a subheading rarely does.
_SENTENCE_WORD = re.compile(
    r"\b(?:he|she|it|we|they|you|was|were|is|are|am|has|have|had|will|would|should|could|can|"
    r"did|do|does|said|says|told|added|released|reported|according)\b",
    re.I,
)
_FUNCTION_WORD_END = re.compile(
    r"\b(?:a|an|the|and|or|but|of|to|in|on|at|by|for|from|with|as|that|which|who|than|if)$", re.I
)


def _is_subheading(line: str, before: str, after: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 12 or len(line) > 100:
        return False
    if line.endswith(_SENTENCE_END) or not line[0].isupper():
        return False
    if any(ch.isdigit() for ch in line):
        return False
    if _SENTENCE_WORD.search(line) or _FUNCTION_WORD_END.search(line):
        return False
    # Only between real paragraphs: both neighbours end like sentences and are longer.
    return all(
        neighbour.endswith(_SENTENCE_END) and len(neighbour) > len(line) for neighbour in (before, after)
    )
