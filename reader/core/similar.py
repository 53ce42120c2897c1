"""More like this: the articles most similar to one article, and the key terms they share with it.

The key terms are the article's most distinctive words (Whoosh's Bo1 model over its title and
body, against the whole corpus); the similar articles are those that best match them, the
article itself left out. The body is not stored in the index, so the text comes from the file.
Terms are index stems; they are shown as the article's own most frequent word for each stem.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.searching import Searcher

from reader.core.analysis import LangText, index_terms
from reader.core.corpus import load_article
from reader.core.search import Hit, stemmed_tokens

TOP = 10
KEY_TERMS = 12
_STOP_STEMS = frozenset({t for w in STOP_WORDS for t in index_terms(w, "en")} | set(STOP_WORDS))


@dataclass
class SimilarResult:
    path: str
    title: str
    key_terms: list[str] = field(default_factory=list)  # the article's words, most distinctive first
    hits: list[Hit] = field(default_factory=list)  # snippet: "Shared: …", the shared words marked


def more_like_this(
    searcher: Searcher, corpus: Path, path: str, top: int = TOP, numterms: int = KEY_TERMS
) -> SimilarResult:
    """The ``top`` articles most like the article ``path`` (raises ArticleError if unreadable)."""
    article = load_article(corpus, path)
    result = SimilarResult(path, article.title)
    docnum = searcher.document_number(path=path)
    language = (searcher.stored_fields(docnum).get("lang") or None) if docnum is not None else None
    text = f"{article.title}\n{article.body}"
    # The index keeps every word (phrases must match exactly), so common words are left out here.
    # Whoosh analyzes the text as the index does: in the article's language.
    candidates = searcher.key_terms_from_text("body", LangText(text, language), numterms=numterms * 3)
    stems = [(s, w) for s, w in candidates if s not in _STOP_STEMS and len(s) > 1 and not s.isdigit()]
    stems = stems[:numterms]
    if not stems:
        return result
    words = _surface_words(text, language)
    order = {stem: i for i, (stem, _) in enumerate(stems)}
    result.key_terms = [words.get(stem, stem) for stem, _ in stems]
    q = wq.Or([wq.Term("body", stem, boost=weight) for stem, weight in stems])
    mask = {docnum} if docnum is not None else None
    for hit in searcher.search(q, limit=top, mask=mask, terms=True):
        shared = sorted(
            {
                t.decode("utf-8") if isinstance(t, bytes) else str(t)
                for f, t in hit.matched_terms()
                if f == "body"
            },
            key=lambda s: order.get(s, len(order)),
        )
        shown = [words.get(s, s) for s in shared]
        snippet, marks = "Shared: ", []
        for i, word in enumerate(shown):
            if i:
                snippet += ", "
            marks.append((len(snippet), len(snippet) + len(word)))
            snippet += word
        result.hits.append(Hit.from_fields(hit.fields(), float(hit.score or 0.0), snippet, tuple(marks)))
    return result


def _surface_words(text: str, language: str | None) -> dict[str, str]:
    """For each term of ``text``, the word (lower case) it most often stands for there."""
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for terms, start, end in stemmed_tokens(text, language):
        for term in terms:
            seen[term][text[start:end].lower()] += 1
    return {stem: forms.most_common(1)[0][0] for stem, forms in seen.items()}
