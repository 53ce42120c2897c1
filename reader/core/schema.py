"""The Whoosh schema of an article index and the document one article becomes.

Its own module (not ``index.py``) so that a worker process that prepares documents imports only
this and ``analysis.py``.
"""

from __future__ import annotations

import datetime as dt

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema

from reader.core.analysis import ArticleAnalyzer, LangText
from reader.core.corpus import Article

#: Bump when the schema or the way documents are built changes: the index is then rebuilt.
#: 3: articles of files in other formats (FILE#KEY ids), the catalog's files table.
#: 4: folded, per-language stemmed terms (analysis.py) and the article's language.
SCHEMA_VERSION = 4

TEXT_FIELDS = ("title", "body", "source")
#: The name of the index in its Whoosh folder (its files are ``articles_*``).
INDEX_NAME = "articles"


def make_analyzer() -> ArticleAnalyzer:
    # Every word is indexed (no stop list): with stop words dropped, "Minsk the group" would
    # match the phrase "Minsk group"; single letters stay searchable too ("Plan B").
    return ArticleAnalyzer()


def make_schema() -> Schema:
    analyzer = make_analyzer()
    return Schema(
        path=ID(unique=True, stored=True),
        title=TEXT(analyzer=analyzer, field_boost=2.0, stored=True),
        body=TEXT(analyzer=analyzer),
        # Indexed: the source line and photo credits; stored: the source line alone.
        source=TEXT(analyzer=analyzer, stored=True),
        date=DATETIME(stored=True, sortable=True),
        # 1 for dated articles: sorting by date puts undated articles last in both directions.
        dated=NUMERIC(sortable=True),
        # ISO 639-1 code of the detected language (absent when unsure): lang:ru, and the
        # corpus's languages are this field's terms.
        lang=KEYWORD(stored=True, lowercase=True),
    )


def document_for(article: Article, language: str | None = None) -> dict[str, object]:
    """The Whoosh fields of one article written in ``language`` (ISO 639-1, or None)."""
    source = article.source
    doc: dict[str, object] = {
        "path": article.path,
        "title": LangText(article.title, language),
        "_stored_title": article.title,
        "body": LangText(article.body, language),
        "source": LangText("\n".join([source, *article.credits]), language),
        "_stored_source": source,
    }
    if article.date is not None:
        doc["date"] = dt.datetime.combine(article.date, dt.time())
    doc["dated"] = int(article.date is not None)
    if language:
        doc["lang"] = language
    return doc
