"""Turn what a user typed into a Whoosh query, forgivingly.

The query language: words (all must match, stemmed), ``"quoted phrases"``, ``OR``, ``NOT`` and
``-word``, parentheses, ``title:`` ``body:`` ``source:`` fields, ``date:2020-07`` and
``date:[2020-07-01 to 2020-07-31]``, ``word*`` and ``word~`` (fuzzy), and the filters that
come from the annotations database: ``is:unread`` ``is:read`` ``is:bookmarked`` ``is:highlighted``
``label:NAME`` (``label:"two words"``; see ``mark_filter.py``). A malformed query never raises:
the broken part is dropped and a short note says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from whoosh import query as wq
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser, PlusMinusPlugin
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from reader.core.analysis import LETTERS, fold, query_terms, tokens
from reader.core.catalog import words_matching_beside
from reader.core.expansion import corpus_languages, expand, phrase_query
from reader.core.mark_filter import MarkQuery, MarkSource, bind, has_marks
from reader.core.schema import TEXT_FIELDS, make_schema

MAX_QUERY_CHARS = 1000
#: A wildcard or fuzzy term expands to at most this many index terms.
MAX_EXPANSION = 256
#: Added to the score of articles where an unquoted multi-word query stands as a phrase, so
#: they rank above every article where the words only occur apart.
PHRASE_BONUS = 1000.0

_FIELDS = (*TEXT_FIELDS, "date", "lang")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_PLAIN_WORD = re.compile(r"^[^\W_][\w'’.-]*$")
#: ``is:STATE`` and ``label:NAME`` / ``label:"NAME"``, not inside a longer word or field.
MARK_TERM = re.compile(r'(?<![\w:])(is|label):(?:"([^"]*)"|([^\s()"]*))', re.I)
IS_STATES = ("unread", "read", "bookmarked", "highlighted")
_PLACEHOLDER = "path:__mark{}__"
#: A word with a wildcard inside a quoted phrase ("negot* talks"), and what stands for it while
#: Whoosh parses the phrase (it would drop the ``*``).
_PHRASE = re.compile(r'"[^"]*"')
_WILD_WORD = re.compile(r'[^\s"*?]*[*?][^\s"]*')
_WILD_STAND_IN = "zqwildcard{}zq"


@dataclass
class ParsedQuery:
    """A Whoosh query plus what the search layer needs to rank, mark and explain it."""

    text: str  # what the user typed
    query: wq.Query
    notes: list[str] = field(default_factory=list)
    plain_words: list[str] = field(default_factory=list)  # the words of an operator-free query
    languages: tuple[str, ...] = ()  # the corpus's languages the words were expanded for
    marks: list[MarkQuery] = field(default_factory=list)  # its is:/label: terms

    @property
    def is_empty(self) -> bool:
        return self.query is wq.NullQuery or isinstance(self.query, type(wq.NullQuery))


def make_parser() -> MultifieldParser:
    parser = MultifieldParser(list(TEXT_FIELDS), make_schema())
    parser.add_plugin(FuzzyTermPlugin())
    # "-word" excludes a word only at the start of a term, so "Nagorno-Karabakh" stays one phrase.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
    return parser


#: Typographic dashes and apostrophes inside a word read as the ASCII ones ("Nagorno–Karabakh").
_TYPOGRAPHIC_IN_WORD = re.compile(r"(?<=\w)[‐‑‒–—―−’‘ʼ](?=\w)")


def sanitize(text: str) -> tuple[str, list[str]]:
    """Repair what the parser would misread; return the repaired text and notes for the user."""
    notes: list[str] = []
    text = "".join(" " if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) else ch for ch in text)
    text = _TYPOGRAPHIC_IN_WORD.sub(lambda m: fold(m[0]), text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"Query cut to its first {MAX_QUERY_CHARS} characters.")
    if text.count('"') % 2:
        i = text.rfind('"')
        text = text[:i] + " " + text[i + 1 :]
        notes.append("Unclosed quote ignored.")
    text, dropped = _balance(text, "(", ")")
    if dropped:
        notes.append("Unbalanced parenthesis ignored.")
    for open_, close in (("[", "]"), ("{", "}")):
        text, dropped = _balance(text, open_, close)
        if dropped:
            notes.append("Unclosed date range ignored.")
    # A field name with nothing after it ("title:" at the end or before a space).
    empty = re.compile(r"\b(\w+):(?=\s|$|\))")
    names = [m[1] for m in empty.finditer(text) if m[1].lower() in _FIELDS]
    if names:
        text = empty.sub(lambda m: " " if m[1].lower() in _FIELDS else m[0], text)
        notes.append(f"Empty field {names[0]}: ignored.")
    text, dangling = _drop_dangling_operators(text)
    for op in dict.fromkeys(dangling):
        what = "nothing after it" if op == "NOT" else "nothing to join"
        notes.append(f"{op} with {what} ignored.")
    # date:2020-07 would otherwise split at the hyphen; Whoosh reads 202007 the same way.
    text = re.sub(
        r"\bdate:(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\b",
        lambda m: "date:" + m[1] + m[2].zfill(2) + (m[3].zfill(2) if m[3] else ""),
        text,
        flags=re.I,
    )
    return text, notes


#: A quoted phrase, a parenthesis or a run of anything else: the pieces operators stand between.
_PIECE = re.compile(r'"[^"]*"|[()]|[^\s()"]+')
_BINARY = {"AND", "OR", "ANDNOT", "ANDMAYBE"}


def _drop_dangling_operators(text: str) -> tuple[str, list[str]]:
    """Take out operators with nothing to work on (``fire OR``, a bare ``NOT``, ``(a AND)``,
    ``a OR OR b``): Whoosh would search them as words. Returns the text and those dropped."""
    pieces = [(m.start(), m.end(), m[0]) for m in _PIECE.finditer(text)]
    dropped: list[str] = []
    changed = True
    while changed:
        changed = False
        for i, (_, _, piece) in enumerate(pieces):
            if piece not in _OPERATORS:
                continue
            before = pieces[i - 1][2] if i else "("
            after = pieces[i + 1][2] if i + 1 < len(pieces) else ")"
            binary = piece in _BINARY
            nothing_after = after == ")" or after in _BINARY
            if nothing_after or (binary and (before == "(" or before in _OPERATORS)):
                dropped.append(piece)
                del pieces[i]
                changed = True
                break
    if not dropped:
        return text, []
    kept = {(start, end) for start, end, _ in pieces}
    out = list(text)
    for m in _PIECE.finditer(text):
        if (m.start(), m.end()) not in kept:
            out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out), dropped


def _balance(text: str, open_: str, close: str) -> tuple[str, bool]:
    """Drop unmatched ``open_``/``close`` characters outside quotes."""
    chars = list(text)
    stack: list[int] = []
    in_quote = False
    dropped = False
    for i, ch in enumerate(chars):
        if ch == '"':
            in_quote = not in_quote
        elif in_quote:
            continue
        elif ch == open_:
            stack.append(i)
        elif ch == close:
            if stack:
                stack.pop()
            else:
                chars[i] = " "
                dropped = True
    for i in stack:
        chars[i] = " "
        dropped = True
    return "".join(chars), dropped


def plain_words(text: str) -> list[str]:
    """The words of a query that uses no operators, quotes, fields or wildcards, else []."""
    tokens = text.split()
    if len(tokens) < 2 or any(t in _OPERATORS or not _PLAIN_WORD.match(t) for t in tokens):
        return []
    return tokens


#: Given an unstemmed word and an edit distance, the corpus words that close (the word included).
SimilarWords = Callable[[str, int], list[str]]


def extract_marks(text: str, notes: list[str]) -> tuple[str, list[MarkQuery]]:
    """Replace each ``is:``/``label:`` term by a placeholder the parser keeps as one term."""
    found: list[MarkQuery] = []
    # "-is:read" alone would be a query of nothing but a negation, which matches nothing.
    text = re.sub(
        r"(?<![\w:-])-is:(read|unread)\b",
        lambda m: "is:unread" if m[1].lower() == "read" else "is:read",
        text,
        flags=re.I,
    )

    def swap(m: re.Match[str]) -> str:
        kind = m[1].lower()
        value = " ".join((m[2] if m[2] is not None else m[3]).split())
        if kind == "is":
            if value.lower() not in IS_STATES:
                notes.append(
                    f"Unknown is:{value} ignored (is:unread, is:read, is:bookmarked, is:highlighted)."
                )
                return " "
            found.append(MarkQuery(value.lower()))
        elif not value:
            notes.append("Empty field label: ignored.")
            return " "
        else:
            found.append(MarkQuery("label", value))
        return " " + _PLACEHOLDER.format(len(found) - 1) + " "

    return MARK_TERM.sub(swap, text), found


def _place_marks(q: wq.Query, found: list[MarkQuery], source: MarkSource | None) -> wq.Query:
    def place(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Term) and node.fieldname == "path":
            m = re.fullmatch(r"__mark(\d+)__", str(node.text))
            if m and int(m[1]) < len(found):
                return found[int(m[1])]
        return node

    def and_not(node: wq.Query) -> wq.Query:
        # Whoosh's AndNotMatcher skips the excluded side only when both start on the same
        # document, so "a -b" can keep a document of b; AND with NOT does not have that flaw.
        if isinstance(node, wq.AndNot) and (has_marks(node.a) or has_marks(node.b)):
            return wq.And([node.a, wq.Not(node.b)])
        return node

    return bind(q.accept(place).accept(and_not), source) if found else q


def parse(
    text: str,
    reader: IndexReader | None = None,
    similar: SimilarWords | None = None,
    languages: tuple[str, ...] | None = None,
    marks: MarkSource | None = None,
) -> ParsedQuery:
    """Parse a user query. Its words are expanded into their terms in the ``languages`` of the
    corpus (by default those of ``reader``'s index). With a ``reader``, wildcard and fuzzy terms
    are expanded (bounded); with ``similar``, fuzzy terms are matched against the corpus's words;
    ``marks`` answers the ``is:``/``label:`` terms (without it they match nothing)."""
    if languages is None:
        languages = corpus_languages(reader)
    cleaned, notes = sanitize(text)
    pieces = cleaned.split()
    if pieces and all(re.fullmatch(r"-[^\s\-\"()][^\s\"()]*", piece) for piece in pieces):
        # Only exclusions ("-fire -water"): every article without them, as NOT says.
        cleaned = "NOT (" + " OR ".join(piece[1:] for piece in pieces) + ")"
    cleaned, found_marks = extract_marks(cleaned, notes)
    cleaned, wild = _phrase_wildcards(cleaned)
    parser = make_parser()
    try:
        q = parser.parse(cleaned)
    except Exception:
        # Operators lower-cased: alone ("NOT AND AND") they are what made the parser fail.
        words = [w.lower() if w in _OPERATORS else w for w in re.findall(r"\w+", cleaned)]
        q = parser.parse(" ".join(words)) if words else wq.NullQuery
        notes.append("Query not understood; searched for its words instead.")
    if _is_null(q) and cleaned.strip():
        if re.search(r"\bdate:", cleaned, re.I):
            notes.append("Dates look like date:2020, date:2020-07 or date:[2020-07-01 to 2020-07-31].")
        elif re.search(r"\w", cleaned):
            notes.append("Only very common words (like 'the') or operators: nothing to search for.")
    if wild and not _is_null(q):
        q = q.accept(lambda node: _wild_sequence(node, wild))
    if not _is_null(q):
        q = expand(_drop_unsearchable_terms(q, parser, notes), languages)
    if reader is not None and not _is_null(q):
        q = _bound_expansions(q, reader, notes, languages, similar)
    q = _place_marks(q, found_marks, marks)
    parsed = ParsedQuery(text, q, notes, languages=languages, marks=found_marks)
    parsed.plain_words = plain_words(cleaned)
    return parsed


def _drop_unsearchable_terms(q: wq.Query, parser: MultifieldParser, notes: list[str]) -> wq.Query:
    """Drop terms a non-text field cannot hold (``date:"x"``): Whoosh would raise when searching."""
    dropped: list[str] = []

    def check(node: wq.Query) -> wq.Query:
        fieldname = str(getattr(node, "fieldname", None) or "")
        if fieldname not in parser.schema or fieldname in TEXT_FIELDS:
            return node
        if isinstance(node, wq.Phrase):
            dropped.append(fieldname)
            return wq.NullQuery
        if isinstance(node, wq.Term):
            try:
                parser.schema[fieldname].to_bytes(node.text)
            except Exception:
                dropped.append(fieldname)
                return wq.NullQuery
        return node

    result = q.accept(check)
    if dropped:
        if dropped[0] == "date":
            notes.append("Dates look like date:2020, date:2020-07 or date:[2020-07-01 to 2020-07-31].")
        else:
            notes.append(f"Nothing to search for in {dropped[0]}: ignored.")
    return result


def _is_null(q: wq.Query) -> bool:
    return q is wq.NullQuery or isinstance(q, type(wq.NullQuery))


def _phrase_wildcards(text: str) -> tuple[str, list[str]]:
    """Stand-ins for the wildcard words inside quoted phrases (``"negot* talks"``), and the
    patterns they stand for: a phrase position then accepts every word the pattern matches."""
    patterns: list[str] = []

    def swap_word(m: re.Match[str]) -> str:
        if not re.search(r"\w", m[0]):
            return " "  # a lone * or ? in a phrase stands for no word
        patterns.append(fold(m[0]).lower())
        return _WILD_STAND_IN.format(len(patterns) - 1)

    def swap_phrase(m: re.Match[str]) -> str:
        return _WILD_WORD.sub(swap_word, m[0])

    return _PHRASE.sub(swap_phrase, text), patterns


def _wild_sequence(node: wq.Query, wild: list[str]) -> wq.Query:
    """A phrase holding stand-ins as a sequence whose wildcard positions are Prefix/Wildcard
    queries (expanded like any other, below)."""
    if not isinstance(node, wq.Phrase):
        return node
    stand_in = re.compile(_WILD_STAND_IN.format(r"(\d+)"))
    found = [stand_in.fullmatch(str(w)) for w in node.words]
    if not any(found):
        return node
    parts: list[wq.Query] = []
    for word, m in zip(node.words, found, strict=True):
        if m is None:
            parts.append(wq.Term(node.fieldname, str(word)))
            continue
        pattern = wild[int(m[1])]
        if re.fullmatch(r"[^*?]+\*", pattern):
            parts.append(wq.Prefix(node.fieldname, pattern[:-1]))
        else:
            parts.append(wq.Wildcard(node.fieldname, pattern))
    return wq.Sequence(parts, slop=node.slop, boost=node.boost)


#: Given a folded wildcard pattern and a bound, the corpus's words (as written) matching it, of
#: at most that many distinct words, and whether more matched; None: the words are not known.
WordsMatching = Callable[[str, int], "tuple[list[str], bool] | None"]


def index_words(reader: IndexReader) -> WordsMatching:
    """The words of the corpus a reader's index was made from (its catalog, beside it)."""
    folder = _whoosh_folder(reader)
    if folder is None:
        return lambda pattern, limit: None
    return lambda pattern, limit: words_matching_beside(folder, pattern, limit)


def _whoosh_folder(reader: IndexReader) -> Path | None:
    for sub in getattr(reader, "readers", None) or [reader]:
        folder = getattr(getattr(sub, "_storage", None), "folder", None)
        if folder:
            return Path(folder)
    return None


def _bound_expansions(
    q: wq.Query,
    reader: IndexReader,
    notes: list[str],
    languages: tuple[str, ...],
    similar: SimilarWords | None,
) -> wq.Query:
    """Replace wildcard and fuzzy terms by an OR of at most MAX_EXPANSION real index terms.

    A prefix or wildcard is matched on the words as they are written (folded: ``negotiat*``
    finds *negotiations*, *Negotiators*, whatever their stems), the corpus's words from its
    catalog (those of three letters or more, without digits) and, for the tokens that list does
    not keep (with digits, of one or two letters), the index's own terms; the words found are
    looked for in all their forms. A fuzzy term is matched on whole words too ("goverment~" finds
    "government", not every word a letter away from the stem "gover"), sharing at least the first
    letter.
    """
    capped: list[str] = []
    lookup = index_words(reader)
    found_words: dict[str, tuple[list[str], bool] | None] = {}

    def words(pattern: str, limit: int) -> tuple[list[str], bool] | None:
        if pattern not in found_words:  # once for all the fields a pattern is looked for in
            found_words[pattern] = lookup(pattern, limit)
        return found_words[pattern]

    def expand(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Sequence) and any(_is_null(part) for part in node.subqueries):
            return wq.NullQuery  # a position of the phrase that no word fills
        if not isinstance(node, wq.MultiTerm):
            return node
        texts: list[str | bytes]
        if isinstance(node, wq.FuzzyTerm):
            node.maxdist = min(node.maxdist, 2)
            node.prefixlength = max(node.prefixlength, 1)
            if similar is not None:
                raw = str(node.text)  # folded, not stemmed (the analyzer's query mode)
                stems = {t for w in similar(raw, node.maxdist) for t in query_terms(w, languages)}
                texts = list(sorted(stems)[: MAX_EXPANSION + 1])
            else:
                texts = list(islice(node._btexts(reader), MAX_EXPANSION + 1))
        elif isinstance(node, (wq.Prefix, wq.Wildcard)):
            pattern = str(node.text) + ("*" if isinstance(node, wq.Prefix) else "")
            found = words(pattern, MAX_EXPANSION)
            if found is None:  # no word list (an index made without a catalog): its terms
                texts = list(islice(node._btexts(reader), MAX_EXPANSION + 1))
            else:
                texts, more = _word_terms(node, reader, found[0], languages)
                if found[1] or more:
                    capped.append(pattern)
        else:
            texts = list(islice(node._btexts(reader), MAX_EXPANSION + 1))
        if len(texts) > MAX_EXPANSION and not isinstance(node, (wq.Prefix, wq.Wildcard)):
            texts = texts[:MAX_EXPANSION]
            capped.append(node.text)
        terms = [
            wq.Term(node.fieldname, t.decode("utf-8") if isinstance(t, bytes) else t, boost=node.boost)
            for t in texts
        ]
        return wq.Or(terms) if terms else wq.NullQuery

    result = q.accept(expand)
    if capped:
        notes.append(f"'{capped[0]}' matches too many words; using the first {MAX_EXPANSION}.")
    return result


def _word_terms(
    node: wq.Prefix | wq.Wildcard, reader: IndexReader, words: list[str], languages: tuple[str, ...]
) -> tuple[list[str | bytes], bool]:
    """The index terms of the words a pattern matched, plus the index's terms matching it that
    the word list does not keep (tokens with digits, of one or two letters); and whether those
    were cut at the bound."""
    terms: dict[str | bytes, None] = dict.fromkeys(t for w in words for t in query_terms(w, languages))
    pattern = str(node.text)
    if isinstance(node, wq.Wildcard) and pattern[:1] in "*?" and not re.search(r"\d", pattern):
        return list(terms), False  # no literal start: a walk over every term, for little
    extra = 0
    more = False
    # Bounded: a pattern like "a*" would otherwise walk a large share of a large lexicon.
    for raw in islice(node._btexts(reader), 64 * MAX_EXPANSION):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        if term in terms or LETTERS.fullmatch(term):
            continue  # a word the word list has (its stem matching is not the word matching)
        if extra == MAX_EXPANSION:
            more = True
            break
        terms[term] = None
        extra += 1
    return list(terms), more


def with_phrase_bonus(parsed: ParsedQuery) -> wq.Query:
    """For an unquoted multi-word query, rank articles holding the words as a phrase first."""
    if len(parsed.plain_words) < 2:
        return parsed.query
    words = [fold(word) for word, _, _ in tokens(" ".join(parsed.plain_words))]
    if len(words) < 2:
        return parsed.query
    phrases = wq.Or([phrase_query(f, words, parsed.languages) for f in TEXT_FIELDS])
    return wq.AndMaybe(parsed.query, wq.ConstantScoreQuery(phrases, PHRASE_BONUS))


def positive_leaves(q: wq.Query) -> Iterator[wq.Term | wq.Phrase | wq.Sequence]:
    """The terms and phrases (a Sequence is a phrase of alternatives) a query looks for, leaving
    out negated parts."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from positive_leaves(q.a)
        return
    if isinstance(q, (wq.Term, wq.Phrase, wq.Sequence)):
        yield q
        return
    for child in q.children():
        yield from positive_leaves(child)


class MarkedTerms(dict[str, set[str]]):
    """The index terms (stems) per field that a query looks for, as a dict, plus its phrases.

    ``phrases`` holds each field's phrases (for each position, the terms it accepts: one stem, or
    the forms of a word in several languages); ``phrase_only`` the stems that the
    query has only inside a phrase: those are marked only where the whole phrase stands, never on
    their own (``"fire kills"`` marks no lone *fire*).
    """

    def __init__(self) -> None:
        super().__init__()
        self.phrases: dict[str, list[tuple[frozenset[str], ...]]] = {}
        self.phrase_only: dict[str, set[str]] = {}

    def __bool__(self) -> bool:
        return bool(len(self) or self.phrases)


def marked_terms(q: wq.Query) -> MarkedTerms:
    """The index terms (per field) that a query looks for, leaving out negated parts."""
    out = MarkedTerms()
    loose: dict[str, set[str]] = {}
    in_phrases: dict[str, set[str]] = {}
    for node in positive_leaves(q):
        fieldname = leaf_field(node)
        if fieldname not in TEXT_FIELDS:
            continue
        if isinstance(node, wq.Term):
            loose.setdefault(fieldname, set()).add(str(node.text))
            out.setdefault(fieldname, set()).add(str(node.text))
        else:
            positions = sequence_words(node)
            if not positions:
                continue
            phrases = out.phrases.setdefault(fieldname, [])
            if positions not in phrases:
                phrases.append(positions)
            words = {t for position in positions for t in position}
            in_phrases.setdefault(fieldname, set()).update(words)
            out.setdefault(fieldname, set()).update(words)
    for fieldname, phrase_words in in_phrases.items():
        only = phrase_words - loose.get(fieldname, set())
        if only:
            out.phrase_only[fieldname] = only
    return out


def leaf_field(node: wq.Term | wq.Phrase | wq.Sequence) -> str:
    """The field a term or phrase looks in."""
    if isinstance(node, wq.Sequence):
        return next((str(f) for f, _ in node.iter_all_terms()), "")
    return str(node.fieldname)


def sequence_words(node: wq.Phrase | wq.Sequence) -> tuple[frozenset[str], ...]:
    """The terms each position of a phrase accepts."""
    if isinstance(node, wq.Phrase):
        return tuple(frozenset({str(w)}) for w in node.words)
    return tuple(frozenset(str(t) for _, t in part.iter_all_terms()) for part in node.subqueries)


def matching_docnums(
    searcher: Searcher, text: str, all_when_empty: bool = True, *, marks: MarkSource | None
) -> list[int]:
    """The documents matching the user query ``text``; an empty query matches every document
    (or none, without ``all_when_empty``). ``marks`` answers the is:/label: terms: a caller
    must say where they come from (None: they match nothing), so no view of the results can
    quietly disagree with the search's."""
    if not text.strip():
        return list(searcher.docs_for_query(wq.Every())) if all_when_empty else []
    if marks is not None:
        marks.prepare(searcher)
    parsed = parse(text, searcher.reader(), marks=marks)
    if parsed.is_empty:
        return []
    return list(searcher.docs_for_query(parsed.query))
