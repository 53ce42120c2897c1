"""Query words expanded into their terms in every language of the corpus.

The parser (``query.py``) sees the index's analyzer in query mode, which folds words but does not
stem them: the query's language is unknown. Here each word becomes the OR of the terms it can have
in an article of any language of the corpus (``analysis.query_terms``), and a phrase becomes a
sequence of such alternatives, so ``"Минская группа"`` finds ``Минской группы``. A word with one
term only (every word of an English corpus) stays a plain Term, and a phrase of such words a plain
Phrase: English queries are what they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from whoosh import query as wq
from whoosh.reading import IndexReader

from reader.core.analysis import query_terms
from reader.core.schema import TEXT_FIELDS


def corpus_languages(reader: IndexReader | None) -> tuple[str, ...]:
    """The languages of the index's articles (the terms of its ``lang`` field)."""
    if reader is None:
        return ()
    try:
        return tuple(
            sorted(t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in reader.lexicon("lang"))
        )
    except Exception:  # an index without the field (it is rebuilt at open; be safe meanwhile)
        return ()


def word_query(fieldname: str, word: str, languages: Iterable[str], boost: float = 1.0) -> wq.Query:
    """A word of a query: its terms in every language, as one Term or an OR of Terms."""
    terms = query_terms(word, languages)
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    return wq.Or([wq.Term(fieldname, t, boost=boost) for t in terms])


def phrase_query(
    fieldname: str, words: Sequence[str], languages: Iterable[str], slop: int = 1, boost: float = 1.0
) -> wq.Query:
    """Words standing together in any of their forms: a Phrase when each word has one term, else
    a Sequence whose positions are alternatives."""
    languages = tuple(languages)
    alternatives = [query_terms(w, languages) for w in words]
    alternatives = [a for a in alternatives if a]
    if all(len(a) == 1 for a in alternatives):
        return wq.Phrase(fieldname, [a[0] for a in alternatives], slop=slop, boost=boost)
    parts: list[wq.Query] = [
        wq.Term(fieldname, a[0]) if len(a) == 1 else wq.Or([wq.Term(fieldname, t) for t in a])
        for a in alternatives
    ]
    return wq.Sequence(parts, slop=slop, boost=boost)


def expand(q: wq.Query, languages: Iterable[str]) -> wq.Query:
    """``q`` with each word and phrase of a text field in all its forms."""
    languages = tuple(languages)

    def visit(node: wq.Query) -> wq.Query:
        fieldname = getattr(node, "fieldname", None)
        if fieldname not in TEXT_FIELDS:
            return node
        if isinstance(node, wq.Phrase):
            return phrase_query(fieldname, [str(w) for w in node.words], languages, node.slop, node.boost)
        if type(node) is wq.Term:
            return word_query(fieldname, str(node.text), languages, node.boost)
        # A prefix or wildcard stays as typed (folded): it is matched against the corpus's words
        # as written, and the words found are looked for in their forms (query._bound_expansions).
        return node

    return q.accept(visit)
